//! Guards the dev-gold scores against regressions: the seed archive read by
//! annals-read, with annals-time dates, annals-know mentions and annals-notes
//! markers, as the engine runs it. Skips when ../shared is absent.
use annals_events::{eval, extract, merge};
use annals_model::{Document, Source};
use std::path::Path;

#[test]
fn seed_dev_scores_hold() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");
    let path = format!("{root}/corpus/000_3e54375e224fbbf8.txt");
    let gold = format!("{root}/eval/seed-dev/events.jsonl");
    let docs_json = format!("{root}/eval/seed-dev/documents.json");
    if !Path::new(&path).exists() || !Path::new(&gold).exists() {
        eprintln!("skipping: ../shared (seed corpus and seed-dev gold) not found");
        return;
    }
    let gold_docs: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(docs_json).unwrap()).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let out = annals_read::read_bytes(&path, &bytes).expect("read");
    let src: Source = out.source;
    let mut docs: Vec<Document> = out.documents;
    // read documents take the ids of the gold posts they overlap most
    for d in &mut docs {
        let best = gold_docs.as_array().unwrap().iter().max_by_key(|g| {
            let (a, b) = (
                g["lines"][0].as_u64().unwrap() as u32,
                g["lines"][1].as_u64().unwrap() as u32,
            );
            (d.lines[1].min(b) + 1).saturating_sub(d.lines[0].max(a))
        });
        d.id = best.unwrap()["id"].as_str().unwrap().to_string();
    }
    let pairs: Vec<(&Source, &Document)> = docs.iter().map(|d| (&src, d)).collect();
    let mentions = annals_know::Recognizer::builtin().extract(&pairs).mentions;
    let mut claims = Vec::new();
    for doc in &docs {
        let timexes = annals_time::extract(&src, doc, None);
        let markers = annals_notes::extract(&src, doc).markers;
        claims.extend(extract(&src, doc, &mentions, &timexes, &markers));
    }
    let report = eval::eval_events(Path::new(&gold), &merge(claims)).unwrap();
    eprintln!("{report}");
    // measured 0.860 / 0.831 and merge F1 1.0 when this test was written
    assert!(
        report.overall.precision >= 0.80,
        "precision {}",
        report.overall.precision
    );
    assert!(
        report.overall.recall >= 0.78,
        "recall {}",
        report.overall.recall
    );
    assert!(report.merge.f1 >= 0.8, "merge F1 {}", report.merge.f1);
}
