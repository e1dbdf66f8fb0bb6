//! Throughput of `tag()` on a text file repeated N times (words/s), and a dump of
//! every tag so two builds can be diffed for identical output:
//! `cargo run --release -p annals-time --example timex_bench -- FILE [REPEAT] [--dump OUT]`
use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: timex_bench FILE [REPEAT] [--dump OUT]");
        std::process::exit(2);
    };
    let repeat: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(10);
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let words = text.split_whitespace().count() * repeat;
    // Warm-up builds the rule regexes outside the timed loop.
    let tags = annals_time::tag(&text, Some("2020-01-01"));
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..repeat {
        n += annals_time::tag(&text, Some("2020-01-01")).len();
    }
    let el = t.elapsed().as_secs_f64();
    println!(
        "{words} words, {n} tags in {el:.3} s: {:.0} words/s",
        words as f64 / el
    );
    if let Some(i) = args.iter().position(|a| a == "--dump") {
        let out = args.get(i + 1).expect("--dump OUT");
        let mut f = std::io::BufWriter::new(std::fs::File::create(out).expect("dump file"));
        for t in &tags {
            let _ = writeln!(
                f,
                "{}\t{}\t{}\t{:?}\t{}\t{:?}\t{:?}\t{}",
                t.start, t.end, t.text, t.kind, t.value, t.anchor, t.modifier, t.rule
            );
        }
    }
}
