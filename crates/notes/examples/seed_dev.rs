//! Runs the notes stage over the seed archive and scores it against the
//! seed-dev gold (markers and notes).
//!
//! ```text
//! cargo run -p annals-notes --example seed_dev [-- --verbose]
//! ```
use annals_notes::{audit, eval, extract};
use std::path::PathBuf;

fn main() {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let shared = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    let corpus = shared.join("corpus/000_3e54375e224fbbf8.txt");
    let bytes = std::fs::read(&corpus).expect("read corpus");
    let out = annals_read::read_bytes("000_3e54375e224fbbf8.txt", &bytes).expect("read");
    let mut markers = Vec::new();
    let mut notes = Vec::new();
    for doc in &out.documents {
        let o = extract(&out.source, doc);
        if verbose {
            eprintln!(
                "{}: {} notes, {} markers, parts {:?}",
                doc.id,
                o.notes.len(),
                o.markers.len(),
                doc.parts
                    .iter()
                    .map(|p| p.kind.as_str())
                    .collect::<Vec<_>>()
                    .len()
            );
            for d in &o.diagnostics {
                eprintln!("  {d}");
            }
        }
        markers.extend(o.markers);
        notes.extend(o.notes);
    }
    let gold = shared.join("eval/seed-dev");
    let m = eval::eval_markers(&gold.join("markers.jsonl"), &markers).expect("markers");
    println!("{m}");
    let n = eval::eval_notes(&gold.join("notes.jsonl"), &notes).expect("notes");
    println!("{n}");
    if verbose {
        for d in &n.disagreements {
            println!("  {d}");
        }
        for f in audit(&notes, &markers) {
            println!("audit {}:{} [{}] {}", f.doc, f.line, f.code, f.message);
        }
    }
}
