//! Scores the recogniser on CoNLL-2003 testa (measurement only, never training).
//! `cargo run --release -p annals-know --example eval_ner [-- [CONLL.jsonl] [--weights FILE] [--doc]]`
//! (`--doc`: each document is tagged as one text, as the engine does).
use annals_know::eval::{eval_conll, eval_conll_docs};
use annals_know::Recognizer;
use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let mut gold = root.join("eval/external/conll2003-ner/eng.testa.jsonl");
    let mut weights = None;
    let mut docs = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--weights" => weights = args.next(),
            "--doc" => docs = true,
            other => gold = PathBuf::from(other),
        }
    }
    let t0 = std::time::Instant::now();
    let mut rec = Recognizer::builtin();
    if let Some(w) = weights {
        let bytes = std::fs::read(&w).expect("weights");
        rec.set_model(annals_know::NerModel::from_bytes(&bytes).expect("weight file"));
    }
    eprintln!("recogniser built in {:.2}s", t0.elapsed().as_secs_f64());
    let run = if docs { eval_conll_docs } else { eval_conll };
    match run(&rec, &gold) {
        Ok(r) => println!("{r}"),
        Err(e) => eprintln!("{e}"),
    }
}
