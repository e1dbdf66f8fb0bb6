//! Words per second of tagging and of extraction over the seed archive (repeated).
//! `cargo run --release -p annals-know --example bench_know [-- ROUNDS]`
use annals_know::Recognizer;
use std::path::PathBuf;

fn main() {
    let rounds: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let path = shared.join("corpus/000_3e54375e224fbbf8.txt");
    let bytes = std::fs::read(&path).expect("corpus");
    let read = annals_read::read_bytes(&path.display().to_string(), &bytes).expect("read");
    let t0 = std::time::Instant::now();
    let rec = Recognizer::builtin();
    eprintln!("build: {:.2}s", t0.elapsed().as_secs_f64());
    let texts: Vec<&str> = read
        .documents
        .iter()
        .flat_map(|d| &d.parts)
        .map(|p| p.text.as_str())
        .collect();
    let words: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
    let t0 = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..rounds {
        for t in &texts {
            n += rec.tag(t).len();
        }
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "tag: {} words x {rounds} in {s:.3}s = {:.0} words/s ({n} names)",
        words,
        (words * rounds) as f64 / s
    );
    let docs: Vec<_> = read.documents.iter().map(|d| (&read.source, d)).collect();
    let t0 = std::time::Instant::now();
    for _ in 0..rounds {
        n = rec.extract(&docs).mentions.len();
    }
    let s = t0.elapsed().as_secs_f64();
    println!(
        "extract: {:.0} words/s ({n} mentions)",
        (words * rounds) as f64 / s
    );
}
