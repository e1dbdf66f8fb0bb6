//! Dev aid: lists CoNLL-style errors (missed gold, wrong class, wrong span, spurious) with
//! counts, to see what the recogniser gets wrong. Measurement only.
//! `cargo run --release -p annals-know --example ner_errors -- GOLD.jsonl [CLASS]`
use annals_know::eval::iob_spans;
use annals_know::tokenize::from_pieces;
use annals_know::{conll_class, Recognizer};
use std::collections::HashMap;

#[derive(serde::Deserialize)]
struct Line {
    tokens: Vec<String>,
    tags: Vec<String>,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let gold = args.next().expect("GOLD.jsonl");
    let only = args.next();
    let rec = Recognizer::builtin();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for line in std::fs::read_to_string(gold).expect("read").lines() {
        let Ok(g) = serde_json::from_str::<Line>(line) else {
            continue;
        };
        let (text, toks) = from_pieces(&g.tokens);
        let gold = iob_spans(&g.tags);
        let mut pred = Vec::new();
        for t in rec.tag(&text) {
            let s = toks.iter().position(|k| k.cs == t.start);
            let e = toks.iter().position(|k| k.ce == t.end).map(|x| x + 1);
            if let (Some(s), Some(e)) = (s, e) {
                pred.push((
                    s,
                    e,
                    conll_class(t.kind).to_string(),
                    format!("{:?}", t.how),
                ));
            }
        }
        let span = |s: usize, e: usize| g.tokens[s..e].join(" ");
        for (s, e, c) in &gold {
            if only.as_deref().is_some_and(|o| o != c) {
                continue;
            }
            if pred.iter().any(|p| p.0 == *s && p.1 == *e && p.2 == *c) {
                continue;
            }
            let over: Vec<String> = pred
                .iter()
                .filter(|p| p.0 < *e && *s < p.1)
                .map(|p| format!("{}[{} {}]", span(p.0, p.1), p.2, p.3))
                .collect();
            let key = if over.is_empty() {
                format!("MISS {c}: {}", span(*s, *e))
            } else {
                format!("WRONG {c}: {} -> {}", span(*s, *e), over.join(" "))
            };
            *counts.entry(key).or_default() += 1;
        }
        for p in &pred {
            if only.as_deref().is_some_and(|o| o != p.2) {
                continue;
            }
            if gold.iter().any(|g| g.0 < p.1 && p.0 < g.1) {
                continue;
            }
            *counts
                .entry(format!("SPURIOUS {} {}: {}", p.2, p.3, span(p.0, p.1)))
                .or_default() += 1;
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (k, n) in v {
        println!("{n}\t{k}");
    }
}
