//! Scoring the store against gold files: segmentation (below) and every stage (at the end).
//!
//! Documents are paired first by title (whitespace-normalised, exact), then,
//! for gold documents still unpaired, by the largest overlap of line ranges.
//! Each field is then counted as matched only when it is exactly right, over
//! all gold documents (an unpaired gold document misses every field), so the
//! shares say how often a reader would see the right thing.
//!
//! Line fields compare sets of lines. A gold part may be a block
//! (`notes` [119, 295]) where the reader gives one part per note, so gold lines
//! are only counted where the predicted document has some part: the blank
//! lines between notes count for neither side.
use crate::EngineError;
use annals_model::{Document, PartKind};
use annals_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

#[derive(Deserialize)]
struct GoldPart {
    kind: String,
    lines: [u32; 2],
}

#[derive(Deserialize)]
struct GoldDocument {
    id: String,
    source: String,
    lines: [u32; 2],
    title: Option<String>,
    standfirst: Option<String>,
    outlet: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    date: Option<String>,
    #[serde(default)]
    parts: Vec<GoldPart>,
}

/// Precision, recall and F1 of found documents.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Prf {
    /// Documents in the gold file.
    pub expected: u64,
    /// Documents the store holds for the gold's source.
    pub found: u64,
    /// Gold documents paired with a stored one.
    pub matched: u64,
    /// matched / found.
    pub precision: f64,
    /// matched / expected.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    fn new(expected: u64, found: u64, matched: u64) -> Self {
        let ratio = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let precision = ratio(matched, found);
        let recall = ratio(matched, expected);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            expected,
            found,
            matched,
            precision,
            recall,
            f1,
        }
    }
}

/// How often one field was exactly right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldScore {
    /// Field name (`title`, `body_lines`...).
    pub field: String,
    /// Gold documents whose field was exactly right.
    pub matched: u64,
    /// Gold documents.
    pub total: u64,
    /// matched / total.
    pub share: f64,
}

/// One gold document and what it was paired with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentScore {
    /// Gold id.
    pub gold: String,
    /// Id of the paired stored document.
    pub predicted: Option<String>,
    /// `title` or `lines`: how the pair was made.
    pub paired_by: Option<String>,
    /// Fields that were not exactly right.
    pub wrong: Vec<String>,
}

/// The result of [`eval_segments`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SegmentsReport {
    /// Document detection.
    pub documents: Prf,
    /// Field scores, in a fixed order.
    pub fields: Vec<FieldScore>,
    /// Per gold document.
    pub per_document: Vec<DocumentScore>,
}

/// The fields scored, in report order.
const FIELDS: [&str; 14] = [
    "lines",
    "title",
    "standfirst",
    "outlet",
    "authors",
    "date",
    "preamble_lines",
    "caption_lines",
    "body_lines",
    "section_heading_lines",
    "notes_lines",
    "link_lines",
    "other_part_lines",
    "parts",
];

/// Part kinds behind each line field.
fn kinds_of(field: &str) -> &'static [&'static str] {
    match field {
        "preamble_lines" => &["preamble"],
        "caption_lines" => &["caption"],
        "body_lines" => &["body"],
        "section_heading_lines" => &["section_heading"],
        "notes_lines" => &["notes_heading", "notes"],
        "link_lines" => &["link_references"],
        "other_part_lines" => &[
            "pull_quote",
            "title",
            "kicker",
            "standfirst",
            "byline",
            "contributors",
            "trailer",
            "bio",
        ],
        _ => &[],
    }
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn lines_of<'a>(parts: impl Iterator<Item = (&'a str, [u32; 2])>, kinds: &[&str]) -> BTreeSet<u32> {
    parts
        .filter(|(k, _)| kinds.contains(k))
        .flat_map(|(_, [a, b])| a..=b)
        .collect()
}

fn overlap(a: [u32; 2], b: [u32; 2]) -> u32 {
    let lo = a[0].max(b[0]);
    let hi = a[1].min(b[1]);
    if hi >= lo {
        hi - lo + 1
    } else {
        0
    }
}

/// Whether the part sequences agree. A gold part may be a block that the
/// reader gives as several parts (one per note, one per contributor line):
/// consecutive predicted parts inside one gold part of their kind count as one.
fn same_parts(
    gold: &[(&str, [u32; 2])],
    pred: &[(&str, [u32; 2])],
    covered: &BTreeSet<u32>,
) -> bool {
    let home = |(k, [a, b]): (&str, [u32; 2])| {
        gold.iter()
            .position(|(gk, [ga, gb])| *gk == k && *ga <= a && b <= *gb)
    };
    let mut groups: Vec<(&str, BTreeSet<u32>, Option<usize>)> = Vec::new();
    for &(k, [a, b]) in pred {
        let h = home((k, [a, b]));
        match groups.last_mut() {
            Some((gk, lines, gh)) if *gk == k && h.is_some() && *gh == h => lines.extend(a..=b),
            _ => groups.push((k, (a..=b).collect(), h)),
        }
    }
    let want: Vec<(&str, BTreeSet<u32>)> = gold
        .iter()
        .map(|(k, [a, b])| (*k, (*a..=*b).filter(|l| covered.contains(l)).collect()))
        .collect();
    let got: Vec<(&str, BTreeSet<u32>)> = groups.into_iter().map(|(k, l, _)| (k, l)).collect();
    want == got
}

/// The fields of `pred` that differ from `gold`.
fn wrong_fields(gold: &GoldDocument, pred: &Document) -> Vec<String> {
    let pred_parts: Vec<(&str, [u32; 2])> = pred
        .parts
        .iter()
        .map(|p| (p.kind.as_str(), p.lines))
        .collect();
    let gold_parts: Vec<(&str, [u32; 2])> = gold
        .parts
        .iter()
        .map(|p| (p.kind.as_str(), p.lines))
        .collect();
    let covered: BTreeSet<u32> = pred
        .parts
        .iter()
        .flat_map(|p| p.lines[0]..=p.lines[1])
        .collect();
    let same_opt =
        |g: &Option<String>, p: &Option<String>| g.as_deref().map(norm) == p.as_deref().map(norm);
    let mut wrong = Vec::new();
    for field in FIELDS {
        let ok = match field {
            "lines" => gold.lines == pred.lines,
            "title" => same_opt(&gold.title, &pred.title),
            "standfirst" => same_opt(&gold.standfirst, &pred.standfirst),
            "outlet" => same_opt(&gold.outlet, &pred.outlet),
            "authors" => gold.authors == pred.authors,
            "date" => gold.date == pred.date,
            "parts" => same_parts(&gold_parts, &pred_parts, &covered),
            f => {
                let kinds = kinds_of(f);
                let g: BTreeSet<u32> = lines_of(gold_parts.iter().copied(), kinds)
                    .intersection(&covered)
                    .copied()
                    .collect();
                g == lines_of(pred_parts.iter().copied(), kinds)
            }
        };
        if !ok {
            wrong.push(field.to_string());
        }
    }
    wrong
}

/// Scores the documents in `store` against the gold file at `gold_path`
/// (the seed-dev `documents.json` format). Only stored documents whose source
/// has the gold's file name are compared (all of them if none has).
pub fn eval_segments(gold_path: &Path, store: &dyn Store) -> Result<SegmentsReport, EngineError> {
    let text = std::fs::read_to_string(gold_path).map_err(|e| EngineError::Gold {
        path: gold_path.display().to_string(),
        message: e.to_string(),
    })?;
    let gold: Vec<GoldDocument> = serde_json::from_str(&text).map_err(|e| EngineError::Gold {
        path: gold_path.display().to_string(),
        message: e.to_string(),
    })?;
    for g in &gold {
        for p in &g.parts {
            if PartKind::parse(&p.kind).is_none() {
                return Err(EngineError::Gold {
                    path: gold_path.display().to_string(),
                    message: format!("document {}: unknown part kind {:?}", g.id, p.kind),
                });
            }
        }
    }
    let file_name = |p: &str| Path::new(p).file_name().map(|n| n.to_os_string());
    let gold_files: BTreeSet<_> = gold.iter().filter_map(|g| file_name(&g.source)).collect();
    let mut all = Vec::new();
    store.for_each_document(&mut |d| {
        all.push(d);
        Ok(())
    })?;
    let same_source: Vec<Document> = all
        .iter()
        .filter(|d| file_name(&d.source).is_some_and(|f| gold_files.contains(&f)))
        .cloned()
        .collect();
    let predicted = if same_source.is_empty() {
        all
    } else {
        same_source
    };

    // Pair by title first, then by line overlap.
    let mut pair: Vec<Option<(usize, &'static str)>> = vec![None; gold.len()];
    let mut taken = vec![false; predicted.len()];
    for (gi, g) in gold.iter().enumerate() {
        let Some(t) = g.title.as_deref().map(norm) else {
            continue;
        };
        if let Some(pi) = (0..predicted.len())
            .find(|&pi| !taken[pi] && predicted[pi].title.as_deref().map(norm).as_ref() == Some(&t))
        {
            taken[pi] = true;
            pair[gi] = Some((pi, "title"));
        }
    }
    for (gi, g) in gold.iter().enumerate() {
        if pair[gi].is_some() {
            continue;
        }
        let best = (0..predicted.len())
            .filter(|&pi| !taken[pi])
            .map(|pi| (overlap(g.lines, predicted[pi].lines), pi))
            .filter(|(o, _)| *o > 0)
            .max_by_key(|&(o, pi)| (o, std::cmp::Reverse(pi)));
        if let Some((_, pi)) = best {
            taken[pi] = true;
            pair[gi] = Some((pi, "lines"));
        }
    }

    let mut per_document = Vec::new();
    let mut right = [0u64; FIELDS.len()];
    for (gi, g) in gold.iter().enumerate() {
        let (predicted_id, paired_by, wrong) = match pair[gi] {
            Some((pi, by)) => {
                let p = &predicted[pi];
                (Some(p.id.clone()), Some(by.to_string()), wrong_fields(g, p))
            }
            None => (None, None, FIELDS.iter().map(|f| f.to_string()).collect()),
        };
        for (i, f) in FIELDS.iter().enumerate() {
            if !wrong.iter().any(|w| w == f) {
                right[i] += 1;
            }
        }
        per_document.push(DocumentScore {
            gold: g.id.clone(),
            predicted: predicted_id,
            paired_by,
            wrong,
        });
    }
    let total = gold.len() as u64;
    let fields = FIELDS
        .iter()
        .zip(right)
        .map(|(f, m)| FieldScore {
            field: f.to_string(),
            matched: m,
            total,
            share: if total == 0 {
                0.0
            } else {
                m as f64 / total as f64
            },
        })
        .collect();
    let matched = pair.iter().filter(|p| p.is_some()).count() as u64;
    Ok(SegmentsReport {
        documents: Prf::new(total, predicted.len() as u64, matched),
        fields,
        per_document,
    })
}

// ------------------------------------------------------------ stage evaluations

pub use annals_events::eval::EventsReport;
pub use annals_know::eval::{EntitiesReport, NerReport};
pub use annals_notes::eval::{MarkersReport, NotesReport, RefsReport};
pub use annals_time::eval::TimexReport;

fn gold_error(path: &Path, e: impl std::fmt::Display) -> EngineError {
    EngineError::Gold {
        path: path.display().to_string(),
        message: e.to_string(),
    }
}

/// Stored document id → gold document id, by pairing the store's documents
/// with a gold `documents.json` as [`eval_segments`] does (by title, then by
/// line overlap). `documents` defaults to the `documents.json` beside `gold`;
/// without one, ids are compared as they are.
fn doc_map(
    store: &dyn Store,
    gold: &Path,
    documents: Option<&Path>,
) -> Result<HashMap<String, String>, EngineError> {
    let path = match documents {
        Some(p) => p.to_path_buf(),
        None => gold.with_file_name("documents.json"),
    };
    if documents.is_none() && !path.exists() {
        return Ok(HashMap::new());
    }
    let report = eval_segments(&path, store)?;
    Ok(report
        .per_document
        .into_iter()
        .filter_map(|d| d.predicted.map(|p| (p, d.gold)))
        .collect())
}

fn rename(map: &HashMap<String, String>, doc: &mut String) {
    if let Some(g) = map.get(doc) {
        *doc = g.clone();
    }
}

/// Scores the stored markers against a gold `markers.jsonl`.
pub(crate) fn eval_markers(
    store: &dyn Store,
    gold: &Path,
    documents: Option<&Path>,
) -> Result<MarkersReport, EngineError> {
    let map = doc_map(store, gold, documents)?;
    let mut markers = Vec::new();
    store.for_each_marker(&mut |mut m| {
        rename(&map, &mut m.doc);
        markers.push(m);
        Ok(())
    })?;
    annals_notes::eval::eval_markers(gold, &markers).map_err(|e| gold_error(gold, e))
}

/// Scores the stored notes against a gold `notes.jsonl`.
pub(crate) fn eval_notes(
    store: &dyn Store,
    gold: &Path,
    documents: Option<&Path>,
) -> Result<NotesReport, EngineError> {
    let map = doc_map(store, gold, documents)?;
    let mut notes = Vec::new();
    store.for_each_note(&mut |mut n| {
        rename(&map, &mut n.doc);
        notes.push(n);
        Ok(())
    })?;
    annals_notes::eval::eval_notes(gold, &notes).map_err(|e| gold_error(gold, e))
}

/// Scores the stored entities and mentions against a gold `entities.jsonl`.
pub(crate) fn eval_entities(store: &dyn Store, gold: &Path) -> Result<EntitiesReport, EngineError> {
    let mut entities = Vec::new();
    store.for_each_entity(&mut |(e, _)| {
        entities.push(e);
        Ok(())
    })?;
    let mut mentions = Vec::new();
    store.for_each_mention(&mut |m| {
        mentions.push(m);
        Ok(())
    })?;
    annals_know::eval::eval_entities(gold, &entities, &mentions).map_err(|e| gold_error(gold, e))
}

/// Scores the stored events against a gold `events.jsonl`.
pub(crate) fn eval_events(
    store: &dyn Store,
    gold: &Path,
    documents: Option<&Path>,
) -> Result<EventsReport, EngineError> {
    let map = doc_map(store, gold, documents)?;
    let mut events = Vec::new();
    store.for_each_event(&mut |mut e| {
        for ev in &mut e.evidence {
            rename(&map, &mut ev.doc);
        }
        for c in &mut e.claims {
            rename(&map, &mut c.doc);
        }
        events.push(e);
        Ok(())
    })?;
    annals_events::eval::eval_events(gold, &events).map_err(|e| gold_error(gold, e))
}

/// Scores reference parsing on an AnyStyle-format JSONL gold file.
pub fn eval_refs(gold: &Path) -> Result<RefsReport, EngineError> {
    annals_notes::eval::eval_refs(gold).map_err(|e| gold_error(gold, e))
}

/// Scores the built-in entity recogniser on a CoNLL-style JSONL gold file.
pub fn eval_ner(gold: &Path) -> Result<NerReport, EngineError> {
    let rec = annals_know::Recognizer::builtin();
    annals_know::eval::eval_conll(&rec, gold).map_err(|e| gold_error(gold, e))
}

/// Scores time tagging on a TempEval-style JSONL gold file.
pub fn eval_timex(gold: &Path) -> Result<TimexReport, EngineError> {
    annals_time::eval::eval_timex(gold).map_err(|e| gold_error(gold, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::{OffsetMap, Part, Span};

    fn doc(id: &str, title: &str, parts: &[(&str, [u32; 2])]) -> Document {
        let first = parts.first().map(|p| p.1[0]).unwrap_or(1);
        let last = parts.last().map(|p| p.1[1]).unwrap_or(1);
        Document {
            id: id.into(),
            source: "a.txt".into(),
            title: Some(title.into()),
            standfirst: None,
            outlet: None,
            outlet_evidence: None,
            authors: vec![],
            authors_evidence: None,
            date: None,
            date_evidence: None,
            category: None,
            tags: vec![],
            url: None,
            lines: [first, last],
            parts: parts
                .iter()
                .map(|(k, l)| Part {
                    kind: PartKind::parse(k).unwrap(),
                    text: String::new(),
                    span: Span::new(l[0], 0, 0),
                    lines: *l,
                    map: OffsetMap::identity(0),
                })
                .collect(),
        }
    }

    fn gold(title: &str, parts: &[(&str, [u32; 2])]) -> GoldDocument {
        GoldDocument {
            id: "g".into(),
            source: "a.txt".into(),
            lines: [parts[0].1[0], parts.last().unwrap().1[1]],
            title: Some(title.into()),
            standfirst: None,
            outlet: None,
            authors: vec![],
            date: None,
            parts: parts
                .iter()
                .map(|(k, l)| GoldPart {
                    kind: k.to_string(),
                    lines: *l,
                })
                .collect(),
        }
    }

    #[test]
    fn a_gold_notes_block_matches_one_part_per_note() {
        let g = gold(
            "T",
            &[
                ("title", [1, 1]),
                ("body", [3, 3]),
                ("notes_heading", [5, 5]),
                ("notes", [7, 11]),
            ],
        );
        let p = doc(
            "t",
            "T",
            &[
                ("title", [1, 1]),
                ("body", [3, 3]),
                ("notes_heading", [5, 5]),
                ("notes", [7, 7]),
                ("notes", [9, 9]),
                ("notes", [11, 11]),
            ],
        );
        assert_eq!(wrong_fields(&g, &p), Vec::<String>::new());
    }

    #[test]
    fn a_caption_read_as_body_is_wrong_in_both_fields() {
        let g = gold(
            "T",
            &[("title", [1, 1]), ("caption", [3, 3]), ("body", [5, 5])],
        );
        let p = doc(
            "t",
            "T",
            &[("title", [1, 1]), ("body", [3, 3]), ("body", [5, 5])],
        );
        assert_eq!(
            wrong_fields(&g, &p),
            vec!["caption_lines", "body_lines", "parts"]
        );
    }
}
