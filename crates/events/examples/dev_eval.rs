//! Development harness: runs the events stage over the seed archive and scores it
//! against seed-dev/events.jsonl.
//!
//! Documents come from annals-read and time expressions from annals-time; read
//! documents are given the gold ids of the posts they overlap (by lines) so that
//! they can be scored. With `--crutch`, documents are cut from the gold
//! documents.json line lists and dates come from a small finder below instead
//! (the dev loop used before those stages landed; neither is part of the library).
//!
//! Mentions come from annals-know and note markers from annals-notes, as in the
//! engine; `--bare` runs without them (the stage must work on its own).
//!
//! cargo run -p annals-events --example dev_eval [-- --verbose] [--crutch] [--bare]
use annals_events::{eval, extract, merge};
use annals_model::time::{Timex, TimexType};
use annals_model::{Document, Format, OffsetMap, Part, PartKind, Source, Span};
use regex::Regex;
use std::path::Path;

fn shared() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared").to_string()
}

fn line_text(src: &Source, line: u32) -> (usize, String) {
    let start = src.line_start(line);
    let text: String = src
        .text
        .chars()
        .skip(start)
        .take_while(|c| *c != '\n')
        .collect();
    (start, text)
}

fn documents(src: &Source, gold_docs: &serde_json::Value) -> Vec<Document> {
    let mut out = Vec::new();
    for d in gold_docs.as_array().unwrap() {
        let mut parts = Vec::new();
        let mut lines: Vec<(u32, PartKind)> = Vec::new();
        let nums = |k: &str| -> Vec<u32> {
            d[k].as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_u64())
                        .map(|x| x as u32)
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(p) = d["preamble_lines"].as_array() {
            let (a, b) = (p[0].as_u64().unwrap() as u32, p[1].as_u64().unwrap() as u32);
            for l in a..=b {
                lines.push((l, PartKind::Preamble));
            }
        }
        if let Some(l) = d["standfirst_line"].as_u64() {
            lines.push((l as u32, PartKind::Standfirst));
        }
        for l in nums("body_paragraph_lines") {
            lines.push((l, PartKind::Body));
        }
        for l in nums("caption_lines") {
            lines.push((l, PartKind::Caption));
        }
        lines.sort_by_key(|x| x.0);
        for (l, kind) in lines {
            let (start, text) = line_text(src, l);
            if text.trim().is_empty() {
                continue;
            }
            let n = text.chars().count();
            parts.push(Part {
                kind,
                text,
                span: Span::new(l, start, start + n),
                lines: [l, l],
                map: OffsetMap::identity(start),
            });
        }
        let ls = d["lines"].as_array().unwrap();
        out.push(Document {
            id: d["id"].as_str().unwrap().to_string(),
            source: src.path.clone(),
            title: d["title"].as_str().map(String::from),
            standfirst: None,
            outlet: None,
            outlet_evidence: None,
            authors: vec![],
            authors_evidence: None,
            date: d["date"].as_str().map(String::from),
            date_evidence: None,
            category: None,
            tags: vec![],
            url: None,
            lines: [
                ls[0].as_u64().unwrap() as u32,
                ls[1].as_u64().unwrap() as u32,
            ],
            parts,
        });
    }
    out
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn month(s: &str) -> u32 {
    MONTHS
        .iter()
        .position(|m| *m == s.to_lowercase())
        .map_or(0, |i| i as u32 + 1)
}

/// Dev-only date finder (stands in for annals-time until it lands).
fn find_dates(src: &Source, doc: &Document) -> Vec<Timex> {
    let m = "January|February|March|April|May|June|July|August|September|October|November|December";
    let pats: Vec<(&str, Regex)> = vec![
        ("mdy", Regex::new(&format!(r"\b(?P<mo>{m})\s+(?P<d>\d{{1,2}}),\s+(?P<y>(?:19|20)\d\d)\b")).unwrap()),
        ("dmy", Regex::new(&format!(r"\b(?P<d>\d{{1,2}})\s+(?P<mo>{m})\s+(?P<y>(?:19|20)\d\d)\b")).unwrap()),
        ("my", Regex::new(&format!(r"\b(?:(?:early|late|mid-?)\s*)?(?P<mo>{m})\s+(?P<y>(?:19|20)\d\d)\b")).unwrap()),
        ("decade", Regex::new(r"\b(?:the\s+)?(?:(?:early|late|mid-?)\s*)?(?P<y>(?:19|20)\d)0s\b").unwrap()),
        ("rel_md", Regex::new(&format!(r"\b(?:On|on)\s+(?P<mo>{m})\s+(?P<d>\d{{1,2}})\b")).unwrap()),
        ("rel_m", Regex::new(&format!(r"\b(?:[Tt]hat|[Ii]n|[Ll]ast|[Ii]n early|[Ii]n late|[Ee]arly|[Ll]ate)\s+(?P<mo>{m})\b")).unwrap()),
        ("rel_y", Regex::new(r"\b(?:earlier|later)?\s*that year\b").unwrap()),
        ("month_later", Regex::new(r"\b(?:[Jj]ust over |[Ll]ess than )?a month later\b").unwrap()),
        ("months_later", Regex::new(r"\b(?:only )?a few months later\b").unwrap()),
        ("year", Regex::new(r"(?:\b(?:in|In|since|by|By|during|back in|of|Early in|early|Early)\s+)?\b(?P<y>(?:19|20)\d\d)\b").unwrap()),
        ("present", Regex::new(r"\b(?:now|today|currently|at present)\b").unwrap()),
    ];
    let mut out: Vec<Timex> = Vec::new();
    // (year, month, index of the paragraph that set it)
    let mut narrative: Option<(i32, u32, usize)> = None;
    for (pi, part) in doc.parts.iter().enumerate() {
        let text = &part.text;
        let ci = annals_model::text::CharIndex::new(text);
        let mut found: Vec<(usize, usize, &str, regex::Captures)> = Vec::new();
        for (kind, re) in &pats {
            for c in re.captures_iter(text) {
                let all = c.get(0).unwrap();
                if found
                    .iter()
                    .any(|(a, b, _, _)| all.start() < *b && *a < all.end())
                {
                    continue;
                }
                let after = &text[all.end()..];
                if *kind == "year" && (after.starts_with('-') || after.starts_with('s')) {
                    continue;
                }
                found.push((all.start(), all.end(), kind, c));
            }
        }
        found.sort_by_key(|x| x.0);
        // narrative anchors reach into the next paragraph only
        let nar = narrative.filter(|n| pi <= n.2 + 2);
        let mut nar = nar;
        for (a, b, kind, c) in found {
            let y = c.name("y").and_then(|y| y.as_str().parse::<i32>().ok());
            let mo = c.name("mo").map(|x| month(x.as_str()));
            let d = c.name("d").and_then(|x| x.as_str().parse::<u32>().ok());
            let value = match kind {
                "mdy" | "dmy" => format!("{:04}-{:02}-{:02}", y.unwrap(), mo.unwrap(), d.unwrap()),
                "my" => format!("{:04}-{:02}", y.unwrap(), mo.unwrap()),
                "decade" => format!("{}X", c.name("y").unwrap().as_str()),
                "year" => format!("{:04}", y.unwrap()),
                "rel_md" => match nar {
                    Some((ny, _, _)) => format!("{ny:04}-{:02}-{:02}", mo.unwrap(), d.unwrap()),
                    None => format!("XXXX-{:02}-{:02}", mo.unwrap(), d.unwrap()),
                },
                "rel_m" => match nar {
                    Some((ny, _, _)) => format!("{ny:04}-{:02}", mo.unwrap()),
                    None => format!("XXXX-{:02}", mo.unwrap()),
                },
                "rel_y" | "months_later" => match nar {
                    Some((ny, _, _)) => format!("{ny:04}"),
                    None => continue,
                },
                "month_later" => match nar {
                    Some((ny, nm, _)) if nm > 0 => {
                        if nm == 12 {
                            format!("{:04}-01", ny + 1)
                        } else {
                            format!("{ny:04}-{:02}", nm + 1)
                        }
                    }
                    _ => continue,
                },
                "present" => "PRESENT_REF".into(),
                _ => continue,
            };
            let t = &text[a..b];
            if part.kind != PartKind::Caption && !t.starts_with("since") {
                if let Ok(y) = value[..4].parse::<i32>() {
                    let m = value
                        .get(5..7)
                        .and_then(|m| m.parse::<u32>().ok())
                        .unwrap_or(0);
                    nar = Some((y, m, pi));
                    narrative = nar;
                }
            }
            let (ca, cb) = (ci.char_of(a), ci.char_of(b));
            let s = part.map.to_source(ca);
            let e = part.map.to_source(cb - 1) + 1;
            out.push(Timex {
                doc: doc.id.clone(),
                span: Span::new(src.line_of(s), s, e),
                text: t.to_string(),
                kind: TimexType::Date,
                value,
                anchor: None,
            });
        }
    }
    out
}

fn main() {
    let verbose = std::env::args().any(|a| a == "--verbose");
    let root = shared();
    if !Path::new(&root).exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let crutch = std::env::args().any(|a| a == "--crutch");
    let path = format!("{root}/corpus/000_3e54375e224fbbf8.txt");
    let gold_docs: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/eval/seed-dev/documents.json")).unwrap(),
    )
    .unwrap();
    let (src, docs) = if crutch {
        let text = std::fs::read_to_string(&path).expect("corpus");
        let src = Source::new(path.clone(), text, Format::PlainText);
        let docs = documents(&src, &gold_docs);
        (src, docs)
    } else {
        let bytes = std::fs::read(&path).expect("corpus");
        let out = annals_read::read_bytes(&path, &bytes).expect("read");
        let mut docs = out.documents;
        for d in &mut docs {
            // the gold post this document overlaps most
            let best = gold_docs.as_array().unwrap().iter().max_by_key(|g| {
                let (a, b) = (
                    g["lines"][0].as_u64().unwrap() as u32,
                    g["lines"][1].as_u64().unwrap() as u32,
                );
                (d.lines[1].min(b) + 1).saturating_sub(d.lines[0].max(a))
            });
            if let Some(g) = best {
                d.id = g["id"].as_str().unwrap().to_string();
            }
        }
        (out.source, docs)
    };
    // what the engine gives the stage: mentions from annals-know, markers from annals-notes
    let bare = std::env::args().any(|a| a == "--bare");
    let mentions = if bare {
        Vec::new()
    } else {
        let pairs: Vec<(&Source, &Document)> = docs.iter().map(|d| (&src, d)).collect();
        annals_know::Recognizer::builtin().extract(&pairs).mentions
    };
    if let Ok(l) = std::env::var("EVENTS_MENTIONS") {
        for m in mentions.iter().filter(|m| m.span.line.to_string() == l) {
            println!("MENTION {} {:?} {}", m.text, m.kind, m.entity);
        }
    }
    let mut claims = Vec::new();
    for doc in &docs {
        let markers = if bare {
            Vec::new()
        } else {
            annals_notes::extract(&src, doc).markers
        };
        let timexes = if crutch {
            find_dates(&src, doc)
        } else {
            annals_time::extract(&src, doc, None)
        };
        if std::env::var("EVENTS_TIMEX").is_ok() {
            for t in &timexes {
                println!(
                    "TIMEX {} {} {:?} {} {:?}",
                    t.span.line, t.text, t.kind, t.value, t.anchor
                );
            }
        }
        let found = extract(&src, doc, &mentions, &timexes, &markers);
        if std::env::var("EVENTS_UNCLAIMED").is_ok() {
            // calendar dates in prose that no claim covers: where triggers may be missing
            for t in timexes
                .iter()
                .filter(|t| annals_events::is_calendar(&t.value))
            {
                let covered = found.iter().any(|e| {
                    e.evidence
                        .iter()
                        .any(|ev| ev.span.start <= t.span.start && t.span.end <= ev.span.end)
                });
                if !covered {
                    let ctx: String = src
                        .text
                        .chars()
                        .skip(t.span.start.saturating_sub(120))
                        .take(t.span.end - t.span.start.saturating_sub(120) + 60)
                        .collect();
                    println!(
                        "UNCLAIMED {} {} {} | {}",
                        t.span.line,
                        t.value,
                        t.text,
                        ctx.replace('\n', " ")
                    );
                }
            }
        }
        claims.extend(found);
    }
    if let Ok(d) = std::env::var("EVENTS_DOC") {
        for c in claims.iter().filter(|c| c.evidence[0].doc == d) {
            println!(
                "{} {} {} {:?} a={:?} t={:?} p={:?} k={:?} cb={:?} | {}",
                c.evidence[0].span.line,
                c.kind.as_str(),
                c.date.as_deref().unwrap_or("-"),
                c.modality,
                c.actors,
                c.targets,
                c.place,
                c.killed.as_ref().map(|k| &k.text),
                c.claimed_by,
                c.evidence[0].text
            );
        }
    }
    if let Ok(l) = std::env::var("EVENTS_LINE") {
        let l: u32 = l.parse().unwrap();
        for c in claims.iter().filter(|c| c.evidence[0].span.line == l) {
            println!("{} {:?} {:?} {:?} actors={:?} targets={:?} place={:?} killed={:?} claimed={:?}\n   {}", c.kind.as_str(), c.date, c.date_text, c.modality, c.actors, c.targets, c.place, c.killed.as_ref().map(|k| &k.text), c.claimed_by, c.evidence[0].text);
        }
    }
    let n_claims = claims.len();
    let events = merge(claims);
    let report = eval::eval_events(
        Path::new(&format!("{root}/eval/seed-dev/events.jsonl")),
        &events,
    )
    .unwrap();
    println!("{n_claims} claims -> {} events (all docs)", events.len());
    print!("{report}");
    if verbose {
        println!("\nMISSED");
        for m in &report.missed {
            println!("  {m}");
        }
        println!("FALSE POSITIVES");
        for m in &report.false_positives {
            println!("  {m}");
        }
        println!("MERGED");
        for e in events.iter().filter(|e| e.evidence.len() > 1) {
            println!(
                "  {} {} {:?}",
                e.kind.as_str(),
                e.date.as_deref().unwrap_or("-"),
                e.merge_reasons
            );
            for ev in &e.evidence {
                println!("      {}:{} {}", ev.doc, ev.span.line, ev.text);
            }
        }
    }
}
