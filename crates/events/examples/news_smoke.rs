//! Smoke run on news (the TempEval-3 TimeBank/AQUAINT dev texts in ../shared):
//! every paragraph is a body part, the DCT is the document date. Prints claim
//! counts by type and modality and, with `--show`, each claim, to eyeball how the
//! lexicons carry over from analytical prose to news. Not a score: the set has no
//! event gold in annals' sense.
//!
//! cargo run -p annals-events --example news_smoke [-- --show]
use annals_events::{extract, merge};
use annals_model::{Document, Format, OffsetMap, Part, PartKind, Source, Span};
use std::collections::BTreeMap;

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/eval/external/tempeval3-timex/tbaq-dev.jsonl"
    );
    let Ok(data) = std::fs::read_to_string(path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let show = std::env::args().any(|a| a == "--show");
    let mut by_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_modality: BTreeMap<String, usize> = BTreeMap::new();
    let (mut n_docs, mut n_claims, mut n_events) = (0, 0, 0);
    for line in data.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap_or("").to_string();
        let id = v["doc_id"].as_str().unwrap_or("d").to_string();
        let src = Source::new(id.clone(), text.clone(), Format::PlainText);
        let mut parts = Vec::new();
        let mut offset = 0;
        for para in text.split("\n\n") {
            let n = para.chars().count();
            if !para.trim().is_empty() {
                let line = src.line_of(offset);
                parts.push(Part {
                    kind: PartKind::Body,
                    text: para.to_string(),
                    span: Span::new(line, offset, offset + n),
                    lines: [line, line],
                    map: OffsetMap::identity(offset),
                });
            }
            offset += n + 2;
        }
        let doc = Document {
            id: id.clone(),
            source: id.clone(),
            title: v["title"].as_str().map(String::from),
            standfirst: None,
            outlet: None,
            outlet_evidence: None,
            authors: vec![],
            authors_evidence: None,
            date: v["dct_value"].as_str().map(String::from),
            date_evidence: None,
            category: None,
            tags: vec![],
            url: None,
            lines: [1, src.line_of(text.chars().count().saturating_sub(1))],
            parts,
        };
        let timexes = annals_time::extract(&src, &doc, None);
        let claims = extract(&src, &doc, &[], &timexes, &[]);
        n_docs += 1;
        n_claims += claims.len();
        for c in &claims {
            *by_type.entry(c.kind.as_str().to_string()).or_default() += 1;
            *by_modality.entry(format!("{:?}", c.modality)).or_default() += 1;
            if show {
                println!(
                    "{id} {} {} {:?} | {}",
                    c.kind.as_str(),
                    c.date.as_deref().unwrap_or("-"),
                    c.modality,
                    c.evidence[0].text
                );
            }
        }
        n_events += merge(claims).len();
    }
    println!("{n_docs} news documents: {n_claims} claims -> {n_events} events");
    println!("by type: {by_type:?}");
    println!("by modality: {by_modality:?}");
}
