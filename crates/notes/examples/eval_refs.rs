//! Scores reference parsing (rules + shipped model, as `refs::parse` does) on
//! AnyStyle-format gold, overall and on the references not in the training set.
//!
//! ```text
//! cargo run --release -p annals-notes --example eval_refs [-- gold.jsonl] [--json]
//! ```
use annals_notes::eval;
use annals_notes::refs;
use std::path::PathBuf;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let gold = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../../shared/eval/external/anystyle-refs/gold-dev.jsonl"
            ))
        });
    let all = eval::eval_refs(&gold).expect("eval");
    // The part of gold that is not in AnyStyle's core (training) set.
    let text = std::fs::read_to_string(&gold).expect("read");
    let unseen: String = text
        .lines()
        .filter(|l| !l.contains("\"in_anystyle_core\": true"))
        .map(|l| format!("{l}\n"))
        .collect();
    let tmp = std::env::temp_dir().join("annals-notes-unseen.jsonl");
    std::fs::write(&tmp, unseen).expect("write");
    let unseen = eval::eval_refs(&tmp).expect("eval");
    let model_only = eval::eval_refs_with(&gold, refs::model::parse_with_model).expect("eval");
    if json {
        println!(
            "{}",
            serde_json::json!({"all": all, "not_in_training": unseen, "model_only": model_only})
        );
    } else {
        println!("refs::parse on {}:\n{all}\nreferences not in the training set:\n{unseen}\nmodel only:\n{model_only}", gold.display());
    }
}
