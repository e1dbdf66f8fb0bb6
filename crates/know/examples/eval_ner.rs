//! Scores the recogniser: CoNLL-2003 testa (measurement only) and the seed archive's
//! entities. `cargo run --release -p annals-know --example eval_ner [-- CONLL.jsonl]`
use annals_know::eval::eval_conll;
use annals_know::Recognizer;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let gold = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or(root.join("eval/external/conll2003-ner/eng.testa.jsonl"));
    let t0 = std::time::Instant::now();
    let rec = Recognizer::builtin();
    eprintln!("recogniser built in {:.2}s", t0.elapsed().as_secs_f64());
    match eval_conll(&rec, &gold) {
        Ok(r) => println!("{r}"),
        Err(e) => eprintln!("{e}"),
    }
}
