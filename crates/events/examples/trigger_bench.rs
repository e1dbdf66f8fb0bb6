//! Speed and output fingerprint of the trigger and cue lexicons.
//!
//! `cargo run --release -p annals-events --example trigger_bench -- FILE... [--rounds N]`
//! prints matches (each one with `DUMP=1`), a hash of every match (to compare matchers) and MB/s.
use annals_events::lexicon::{triggers, CUES};
use std::hash::{Hash, Hasher};
use std::time::Instant;

fn main() {
    let mut rounds = 3;
    let dump = std::env::var_os("DUMP").is_some();
    let mut texts = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--rounds" {
            rounds = args.next().and_then(|r| r.parse().ok()).unwrap_or(3);
        } else if let Ok(t) = std::fs::read_to_string(&a) {
            texts.push(t);
        }
    }
    let lines: Vec<&str> = texts.iter().flat_map(|t| t.lines()).collect();
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let (mut n, mut h) = (0usize, std::collections::hash_map::DefaultHasher::new());
    for l in &lines {
        for t in triggers(l) {
            (t.start, t.end, t.kind.as_str(), t.weight).hash(&mut h);
            if dump {
                println!("T\t{}\t{}", t.kind.as_str(), &l[t.start..t.end]);
            }
            n += 1;
        }
        for (s, e, c) in CUES.find(l) {
            (s, e, format!("{c:?}")).hash(&mut h);
            if dump {
                println!("C\t{c:?}\t{}", &l[s..e]);
            }
            n += 1;
        }
    }
    let t0 = Instant::now();
    for _ in 0..rounds {
        for l in &lines {
            std::hint::black_box(triggers(l));
            std::hint::black_box(CUES.find(l));
        }
    }
    let s = t0.elapsed().as_secs_f64() / rounds as f64;
    println!(
        "{} lines, {:.2} MB, {n} matches, hash {:016x}, {:.1} ms/round, {:.2} MB/s",
        lines.len(),
        bytes as f64 / 1e6,
        h.finish(),
        s * 1e3,
        bytes as f64 / 1e6 / s
    );
}
