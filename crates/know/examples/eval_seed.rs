//! Extracts entities from the seed archive and scores them against seed-dev gold.
//! `cargo run --release -p annals-know --example eval_seed [-- --dump]`
use annals_know::eval::eval_entities;
use annals_know::Recognizer;
use std::path::PathBuf;

fn main() {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let path = shared.join("corpus/000_3e54375e224fbbf8.txt");
    let bytes = std::fs::read(&path).expect("corpus");
    let read = annals_read::read_bytes(&path.display().to_string(), &bytes).expect("read");
    let rec = Recognizer::builtin();
    let docs: Vec<_> = read.documents.iter().map(|d| (&read.source, d)).collect();
    let t0 = std::time::Instant::now();
    let out = rec.extract(&docs);
    let secs = t0.elapsed().as_secs_f64();
    let words: usize = read
        .documents
        .iter()
        .flat_map(|d| &d.parts)
        .map(|p| p.text.split_whitespace().count())
        .sum();
    eprintln!(
        "{} documents, {} words, {} entities, {} mentions in {:.3}s ({:.0} words/s)",
        docs.len(),
        words,
        out.entities.len(),
        out.mentions.len(),
        secs,
        words as f64 / secs
    );
    if std::env::args().any(|a| a == "--dump") {
        for e in &out.entities {
            let n = out.mentions.iter().filter(|m| m.entity == e.id).count();
            println!(
                "{}\t{}\t{}\t{}\t{:?}",
                e.id,
                e.kind.as_str(),
                e.name,
                n,
                e.aliases.iter().take(6).collect::<Vec<_>>()
            );
        }
    }
    match eval_entities(
        &shared.join("eval/seed-dev/entities.jsonl"),
        &out.entities,
        &out.mentions,
    ) {
        Ok(r) => println!("{r}"),
        Err(e) => eprintln!("{e}"),
    }
}
