//! The plain-text reader against the hand-built gold of the seed archive
//! (`../shared/eval/seed-dev/documents.json`): every post, every field.
//! Skips (with a message) when `../shared` is not there.
use annals_model::{Document, PartKind};
use serde_json::Value;
use std::collections::BTreeSet;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

/// Non-blank lines of `text` in `first..=last`: gold gives ranges, the reader
/// gives one part per paragraph or note; both are compared as sets of lines.
fn nonblank(lines: &[&str], first: u64, last: u64) -> BTreeSet<u64> {
    (first..=last)
        .filter(|&n| {
            lines
                .get(n as usize - 1)
                .is_some_and(|l| !l.trim().is_empty())
        })
        .collect()
}

fn lines_of(doc: &Document, kinds: &[PartKind], lines: &[&str]) -> BTreeSet<u64> {
    doc.parts
        .iter()
        .filter(|p| kinds.contains(&p.kind))
        .flat_map(|p| nonblank(lines, p.lines[0] as u64, p.lines[1] as u64))
        .collect()
}

fn gold_set(v: &Value) -> BTreeSet<u64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default()
}

fn gold_range(v: &Value, lines: &[&str]) -> BTreeSet<u64> {
    match v.as_array() {
        Some(a) if a.len() == 2 => nonblank(lines, a[0].as_u64().unwrap(), a[1].as_u64().unwrap()),
        _ => BTreeSet::new(),
    }
}

fn text_of(doc: &Document, kind: PartKind) -> Option<String> {
    doc.parts_of(kind).next().map(|p| p.text.trim().to_string())
}

/// Compares one document with its gold record; returns what differs.
fn compare(doc: &Document, g: &Value, lines: &[&str]) -> Vec<String> {
    let mut bad = Vec::new();
    let id = g["id"].as_str().unwrap_or("?").to_string();
    let mut eq = |field: &str, got: String, want: String| {
        if got != want {
            bad.push(format!("{id}: {field}: got {got}, want {want}"));
        }
    };
    let s = |v: &Value| v.as_str().map(str::to_string);
    eq(
        "title",
        format!("{:?}", doc.title),
        format!("{:?}", s(&g["title"])),
    );
    eq(
        "standfirst",
        format!("{:?}", doc.standfirst),
        format!("{:?}", s(&g["standfirst"])),
    );
    eq(
        "pull_quote",
        format!("{:?}", text_of(doc, PartKind::PullQuote)),
        format!("{:?}", s(&g["pull_quote"])),
    );
    eq(
        "kicker",
        format!("{:?}", text_of(doc, PartKind::Kicker)),
        format!("{:?}", s(&g["kicker"])),
    );
    eq(
        "byline",
        format!("{:?}", text_of(doc, PartKind::Byline)),
        format!("{:?}", s(&g["byline"])),
    );
    eq(
        "lines",
        format!("{:?}", doc.lines),
        format!("{}", g["lines"]).replace(',', ", "),
    );
    eq(
        "preamble_lines",
        format!("{:?}", lines_of(doc, &[PartKind::Preamble], lines)),
        format!("{:?}", gold_range(&g["preamble_lines"], lines)),
    );
    eq(
        "caption_lines",
        format!("{:?}", lines_of(doc, &[PartKind::Caption], lines)),
        format!("{:?}", gold_set(&g["caption_lines"])),
    );
    eq(
        "body_paragraph_lines",
        format!("{:?}", lines_of(doc, &[PartKind::Body], lines)),
        format!("{:?}", gold_set(&g["body_paragraph_lines"])),
    );
    let body = lines_of(doc, &[PartKind::Body], lines);
    let body_range = body
        .first()
        .map(|f| vec![*f, *body.last().unwrap()])
        .unwrap_or_default();
    let gold_body: Vec<u64> = g["body_lines"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    eq(
        "body_lines",
        format!("{body_range:?}"),
        format!("{gold_body:?}"),
    );
    eq(
        "section_heading_lines",
        format!("{:?}", lines_of(doc, &[PartKind::SectionHeading], lines)),
        format!("{:?}", gold_set(&g["section_heading_lines"])),
    );
    eq(
        "notes_lines",
        format!(
            "{:?}",
            lines_of(
                doc,
                &[
                    PartKind::NotesHeading,
                    PartKind::Notes,
                    PartKind::LinkReferences
                ],
                lines
            )
        ),
        format!("{:?}", gold_range(&g["notes_lines"], lines)),
    );
    let heading = doc
        .parts_of(PartKind::NotesHeading)
        .next()
        .map(|p| p.lines[0] as u64);
    eq(
        "notes_heading_line",
        format!("{heading:?}"),
        format!("{:?}", g["notes_heading_line"].as_u64()),
    );
    // Every kind: the lines gold gives it are the lines the reader gives it.
    for kind in PartKind::ALL {
        let want: BTreeSet<u64> = g["parts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["kind"] == kind.as_str())
            .flat_map(|p| gold_range(&p["lines"], lines))
            .collect();
        eq(
            &format!("parts[{}]", kind.as_str()),
            format!("{:?}", lines_of(doc, &[kind], lines)),
            format!("{want:?}"),
        );
    }
    eq(
        "outlet",
        format!("{:?}", doc.outlet),
        format!("{:?}", s(&g["outlet"])),
    );
    let gold_authors: Vec<String> = g["authors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(s)
        .collect();
    eq(
        "authors",
        format!("{:?}", doc.authors),
        format!("{gold_authors:?}"),
    );
    eq(
        "date",
        format!("{:?}", doc.date),
        format!("{:?}", s(&g["date"])),
    );
    eq(
        "category",
        format!("{:?}", doc.category),
        format!("{:?}", Some("ACADEMIC JOURNALS")),
    );

    // Evidence: on the gold line, inside the gold span (gold spans are phrases
    // such as "a piece for Foreign Policy"; the reader points at the name).
    for (field, got) in [
        ("outlet_evidence", &doc.outlet_evidence),
        ("authors_evidence", &doc.authors_evidence),
    ] {
        let want = &g[field];
        match (got, want.is_null()) {
            (None, true) => {}
            (Some(e), false) => {
                let (ws, we) = (
                    want["start"].as_u64().unwrap() as usize,
                    want["end"].as_u64().unwrap() as usize,
                );
                if e.span.line as u64 != want["line"].as_u64().unwrap()
                    || e.span.start < ws
                    || e.span.end > we
                {
                    eq(
                        field,
                        format!("{:?}@{:?}", e.text, e.span),
                        format!("{want}"),
                    );
                }
            }
            _ => eq(field, format!("{got:?}"), format!("{want}")),
        }
    }
    match (&doc.date_evidence, s(&g["date_evidence"])) {
        (None, None) => {}
        (Some(e), Some(w)) => {
            if !(e.text.contains(&w) || w.contains(&e.text))
                || Some(e.span.line as u64) != g["date_line"].as_u64()
            {
                eq(
                    "date_evidence",
                    format!("{:?}@{}", e.text, e.span.line),
                    format!("{w:?}@{}", g["date_line"]),
                );
            }
        }
        (got, want) => eq("date_evidence", format!("{got:?}"), format!("{want:?}")),
    }
    bad
}

#[test]
fn seed_archive_matches_gold_documents() {
    let corpus = format!("{SHARED}/corpus/000_3e54375e224fbbf8.txt");
    let gold = format!("{SHARED}/eval/seed-dev/documents.json");
    let (Ok(bytes), Ok(gold)) = (std::fs::read(&corpus), std::fs::read_to_string(&gold)) else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let gold: Vec<Value> = serde_json::from_str(&gold).expect("gold json");
    let out = annals_read::read_bytes("000_3e54375e224fbbf8.txt", &bytes).expect("readable");
    let text = String::from_utf8(bytes).unwrap();
    let lines: Vec<&str> = text.split('\n').collect();

    let mut bad = Vec::new();
    if out.documents.len() != gold.len() {
        bad.push(format!(
            "{} documents, gold has {}",
            out.documents.len(),
            gold.len()
        ));
    }
    for (doc, g) in out.documents.iter().zip(&gold) {
        bad.extend(compare(doc, g, &lines));
    }

    // Scrape damage: every duplicated paragraph gold lists is flagged, no other.
    let want_dups: BTreeSet<u64> = gold
        .iter()
        .flat_map(|g| {
            g["duplicate_lines"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|d| d["line"].as_u64())
        })
        .collect();
    let got_dups: BTreeSet<u64> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "duplicate-paragraphs")
        .filter_map(|d| d.line.map(u64::from))
        .collect();
    if want_dups != got_dups {
        bad.push(format!(
            "duplicate-paragraphs: got {got_dups:?}, want {want_dups:?}"
        ));
    }
    // Malformed URLs: the notes whose raw text has `<<http` (notes.jsonl).
    let notes =
        std::fs::read_to_string(format!("{SHARED}/eval/seed-dev/notes.jsonl")).unwrap_or_default();
    let want_urls: BTreeSet<u64> = notes
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|n| n["raw"].as_str().is_some_and(|r| r.contains("<<http")))
        .filter_map(|n| n["line"].as_u64())
        .collect();
    let got_urls: BTreeSet<u64> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "malformed-url")
        .filter_map(|d| d.line.map(u64::from))
        .collect();
    if want_urls != got_urls {
        bad.push(format!(
            "malformed-url: got {got_urls:?}, want {want_urls:?}"
        ));
    }
    // Parts are verbatim: each part's span is its text, line its first line.
    let chars: Vec<char> = text.chars().collect();
    for d in &out.documents {
        for p in &d.parts {
            let slice: String = chars[p.span.start..p.span.end].iter().collect();
            if slice != p.text || p.span.line != p.lines[0] {
                bad.push(format!(
                    "{}: part at line {} is not verbatim",
                    d.id, p.lines[0]
                ));
            }
        }
    }
    for d in &out.diagnostics {
        eprintln!("{d}");
    }
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

/// Segmentation does not depend on where a post sits: the seed's posts read
/// in reverse order give the same documents (parts at shifted lines).
#[test]
fn seed_posts_read_the_same_in_any_order() {
    let Ok(text) = std::fs::read_to_string(format!("{SHARED}/corpus/000_3e54375e224fbbf8.txt"))
    else {
        eprintln!("skipping: ../shared not found");
        return;
    };
    let out = annals_read::read_bytes("a.txt", text.as_bytes()).expect("readable");
    let lines: Vec<&str> = text.split('\n').collect();
    let post = |d: &Document| lines[d.lines[0] as usize - 1..d.lines[1] as usize].join("\n");
    let mut reordered = format!("{}\n\n", lines[0]);
    for d in out.documents.iter().rev() {
        reordered.push_str(&post(d));
        reordered.push_str("\n\n");
    }
    let again = annals_read::read_bytes("a.txt", reordered.as_bytes()).expect("readable");
    let shape = |d: &Document| {
        let kinds: Vec<(PartKind, u32, u32)> = d
            .parts
            .iter()
            .map(|p| (p.kind, p.lines[0] - d.lines[0], p.lines[1] - d.lines[0]))
            .collect();
        (
            d.title.clone(),
            d.standfirst.clone(),
            d.outlet.clone(),
            d.authors.clone(),
            d.date.clone(),
            kinds,
        )
    };
    let a: Vec<_> = out.documents.iter().rev().map(shape).collect();
    let b: Vec<_> = again.documents.iter().map(shape).collect();
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
}
