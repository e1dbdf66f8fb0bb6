//! Scores the tagger on a TempEval-3 gold file:
//! `cargo run --release -p annals-time --example timex_eval -- GOLD.jsonl [--errors] [--json]`
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: timex_eval GOLD.jsonl [--errors] [--json]");
        std::process::exit(2);
    };
    let t = std::time::Instant::now();
    let rep = match annals_time::eval::eval_timex(std::path::Path::new(path)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let el = t.elapsed();
    if args.iter().any(|a| a == "--errors") {
        for d in &rep.disagreements {
            println!(
                "{}\t{}\t{:?}\t{:?}\t{:?}",
                d.what, d.doc, d.gold, d.system, d.rule
            );
        }
    }
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&rep).unwrap_or_default());
    } else {
        println!("{rep}");
    }
    eprintln!("tagged in {el:?}");
}
