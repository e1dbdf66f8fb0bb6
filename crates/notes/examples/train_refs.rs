//! Trains the reference labeller on AnyStyle's core set and writes
//! `crates/notes/data/refs-model.bin`; then scores it on gold-dev.
//!
//! ```text
//! cargo run --release -p annals-notes --example train_refs -- [core.jsonl] [gold-dev.jsonl] [--epochs N] [--min-count N]
//! ```
use annals_notes::eval;
use annals_notes::refs::model;
use std::path::PathBuf;

fn main() {
    let shared = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/external/anystyle-refs"
    ));
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.is_empty()).collect();
    let epochs: usize = args
        .iter()
        .position(|a| a == "--epochs")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(25);
    let min_count: u32 = args
        .iter()
        .position(|a| a == "--min-count")
        .and_then(|i| args.get(i + 1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let args: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with("--") && a.parse::<usize>().is_err())
        .cloned()
        .collect();
    let core = args
        .first()
        .map(PathBuf::from)
        .unwrap_or_else(|| shared.join("core.jsonl"));
    let dev = args
        .get(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| shared.join("gold-dev.jsonl"));
    let text = std::fs::read_to_string(&core).expect("read core.jsonl");
    let mut seqs = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        let mut toks = Vec::new();
        let mut labels = Vec::new();
        for seg in v["segments"].as_array().into_iter().flatten() {
            let label = seg[0].as_str().unwrap_or("note").to_string();
            for w in seg[1].as_str().unwrap_or("").split_whitespace() {
                toks.push(w.to_string());
                labels.push(label.clone());
            }
        }
        if !toks.is_empty() {
            seqs.push((toks, labels));
        }
    }
    eprintln!("training on {} sequences, {} epochs", seqs.len(), epochs);
    let m = model::train(&seqs, epochs, min_count);
    let bytes = m.to_bytes();
    let out = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/data/refs-model.bin"));
    std::fs::write(&out, &bytes).expect("write model");
    eprintln!("wrote {} ({} bytes)", out.display(), bytes.len());
    // Score the freshly trained model (not the built-in one).
    let m = model::Model::from_bytes(&bytes).expect("round trip");
    if dev.exists() {
        let r =
            eval::eval_refs_with(&dev, |t| model::item_from_segments(&m.label(t))).expect("eval");
        println!("model only, {}:\n{r}", dev.display());
    }
}
