//! The notes stage on the seed archive, scored against the seed-dev gold, and
//! reference parsing on AnyStyle's gold-dev. Skipped when ../shared is absent.
use annals_model::notes::{Marker, Note};
use annals_notes::{eval, extract};
use std::path::{Path, PathBuf};

/// Notes count and markers count of one document.
type DocCounts = (String, usize, usize);

fn shared() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipping: ../shared not found");
        None
    }
}

fn run_seed(shared: &Path) -> (Vec<Marker>, Vec<Note>, Vec<DocCounts>) {
    let bytes = std::fs::read(shared.join("corpus/000_3e54375e224fbbf8.txt")).expect("corpus");
    let out = annals_read::read_bytes("000_3e54375e224fbbf8.txt", &bytes).expect("read");
    let mut markers = Vec::new();
    let mut notes = Vec::new();
    let mut per_doc = Vec::new();
    for doc in &out.documents {
        let o = extract(&out.source, doc);
        per_doc.push((doc.id.clone(), o.notes.len(), o.markers.len()));
        markers.extend(o.markers);
        notes.extend(o.notes);
    }
    (markers, notes, per_doc)
}

#[test]
fn seed_markers_point_to_the_right_notes_and_nothing_else_is_a_marker() {
    let Some(shared) = shared() else { return };
    let (markers, _, per_doc) = run_seed(&shared);
    let r =
        eval::eval_markers(&shared.join("eval/seed-dev/markers.jsonl"), &markers).expect("eval");
    println!("{r}");
    assert!(
        r.false_markers.is_empty(),
        "false markers: {:?}",
        r.false_markers
    );
    assert!(r.recall >= 0.99, "recall {}", r.recall);
    assert!(
        r.note_accuracy >= 0.99,
        "marker→note accuracy {}",
        r.note_accuracy
    );
    for (doc, n_notes, n_markers) in per_doc {
        if n_notes == 0 {
            assert_eq!(n_markers, 0, "{doc} has no notes but markers");
        }
    }
}

#[test]
fn seed_notes_fields_and_repeats() {
    let Some(shared) = shared() else { return };
    let (_, notes, _) = run_seed(&shared);
    let r = eval::eval_notes(&shared.join("eval/seed-dev/notes.jsonl"), &notes).expect("eval");
    println!("{r}");
    assert_eq!(r.matched, r.gold, "every gold note is found");
    assert_eq!(r.exact_spans, r.gold, "note spans cover exactly the note");
    assert!(
        r.refers_to_accuracy >= 0.99,
        "refers_to accuracy {}",
        r.refers_to_accuracy
    );
    for f in [
        "author",
        "title",
        "date",
        "url",
        "accessed",
        "language_note",
    ] {
        assert!(r.fields[f].f1 >= 0.95, "{f}: {:?}", r.fields[f]);
    }
    assert!(r.micro.f1 >= 0.95, "micro {:?}", r.micro);
}

#[test]
fn anystyle_gold_dev_reference_fields() {
    let Some(shared) = shared() else { return };
    let r =
        eval::eval_refs(&shared.join("eval/external/anystyle-refs/gold-dev.jsonl")).expect("eval");
    println!("{r}");
    assert!(r.micro.f1 >= 0.93, "micro F1 {}", r.micro.f1);
    for f in ["author", "title", "date"] {
        assert!(r.fields[f].f1 >= 0.9, "{f}: {:?}", r.fields[f]);
    }
}
