//! Trains the shipped NER tagger and writes `crates/know/data/ner.weights`.
//!
//! `cargo run --release -p annals-know --example train_ner [-- --data DIR --epochs N --out FILE]`
//!
//! Training data: the openly licensed sets in `DIR` (default `../shared/train/ner`):
//! WNUT-17 (CC BY 4.0) and CrossNER's five Wikipedia domains (MIT; text CC BY-SA), every
//! split. Never CoNLL-2003. Attribution: crates/know/data/ATTRIBUTION.md.
use annals_know::train::{read_sentences, train, TrainConfig};
use annals_know::Recognizer;
use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut data = root.join("../../../shared/train/ner");
    let mut out = root.join("data/ner.weights");
    let mut cfg = TrainConfig::default();
    let mut sets = vec!["wnut17".to_string(), "crossner".to_string()];
    let mut skip_fine: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--data" => data = PathBuf::from(args.next().expect("--data DIR")),
            "--out" => out = PathBuf::from(args.next().expect("--out FILE")),
            "--epochs" => {
                cfg.epochs = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--epochs N")
            }
            "--bits" => cfg.bits = args.next().and_then(|s| s.parse().ok()).expect("--bits N"),
            "--caps-every" => {
                cfg.caps_every = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--caps-every N")
            }
            "--prune" => cfg.prune = args.next().and_then(|s| s.parse().ok()).expect("--prune X"),
            "--sets" => {
                sets = args
                    .next()
                    .expect("--sets a,b")
                    .split(',')
                    .map(String::from)
                    .collect()
            }
            "--skip-fine" => {
                skip_fine = args
                    .next()
                    .expect("--skip-fine t1,t2")
                    .split(',')
                    .map(String::from)
                    .collect()
            }
            other => panic!("unknown argument {other}"),
        }
    }
    let mut sentences = Vec::new();
    for set in &sets {
        for split in ["train", "dev", "test"] {
            let p = data.join(set).join(format!("{split}.jsonl"));
            match std::fs::read_to_string(&p) {
                Ok(t) => {
                    let mut s = read_sentences(&t);
                    s.retain(|x| !x.has_fine(&skip_fine));
                    eprintln!("{}: {} sentences", p.display(), s.len());
                    sentences.extend(s);
                }
                Err(e) => eprintln!("skipping {}: {e}", p.display()),
            }
        }
    }
    assert!(
        !sentences.is_empty(),
        "no training data under {}",
        data.display()
    );
    // features use the packs but not an earlier tagger
    let rec = Recognizer::with_model(
        annals_know::Pack::builtin(),
        annals_know::NerModel::empty(4),
    );
    let t0 = std::time::Instant::now();
    let model = train(&rec, &sentences, &cfg, |e, err| {
        eprintln!("epoch {e}: token error {err:.4}")
    });
    let bytes = model.to_bytes();
    std::fs::write(&out, &bytes).expect("write weights");
    eprintln!(
        "wrote {} ({} bytes) in {:.1}s",
        out.display(),
        bytes.len(),
        t0.elapsed().as_secs_f64()
    );
}
