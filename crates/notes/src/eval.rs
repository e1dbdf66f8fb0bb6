//! Measuring the notes stage against gold files.
//!
//! - [`eval_refs`]: reference parsing against AnyStyle-format JSONL (per-field
//!   precision/recall/F1 on normalised values, and the micro-average).
//! - [`eval_markers`]: markers against `markers.jsonl` (by exact span; and
//!   whether each found marker points to the right note).
//! - [`eval_notes`]: notes against `notes.jsonl` (per-field F1 of the parsed
//!   references, and `refers_to` accuracy).
//!
//! Values are compared after normalisation (case, punctuation and spacing;
//! names as bags of name words; dates as ISO; volumes and pages as their
//! numbers), since gold and output legitimately differ in those.
use crate::refs;
use annals_model::notes::{CslItem, CslName, Marker, Note};
use serde::Serialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A gold line is not JSON.
    #[error("{path}:{line}: {source}")]
    Json {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// The cause.
        source: serde_json::Error,
    },
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Prf {
    /// Correct predictions.
    pub tp: usize,
    /// Predicted but wrong or not in gold.
    pub fp: usize,
    /// In gold but missed or wrong.
    pub fn_: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    fn finish(mut self) -> Prf {
        let p = if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        };
        let r = if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        };
        self.precision = p;
        self.recall = r;
        self.f1 = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        self
    }

    fn add(&mut self, gold: Option<&String>, pred: Option<&String>) {
        match (gold, pred) {
            (Some(g), Some(p)) if g == p => self.tp += 1,
            (Some(_), Some(_)) => {
                self.fp += 1;
                self.fn_ += 1;
            }
            (Some(_), None) => self.fn_ += 1,
            (None, Some(_)) => self.fp += 1,
            (None, None) => {}
        }
    }
}

fn read_jsonl(path: &Path) -> Result<Vec<Value>, EvalError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::Io {
        path: p.clone(),
        source: e,
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).map_err(|e| EvalError::Json {
                path: p.clone(),
                line: i + 1,
                source: e,
            })
        })
        .collect()
}

// ---------------------------------------------------------------- normalisation

/// Lowercase words of letters and digits, single-spaced.
pub fn norm_text(s: &str) -> String {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn norm_container(s: &str) -> String {
    let n = norm_text(s);
    n.strip_prefix("in ").map(str::to_string).unwrap_or(n)
}

/// Names as a sorted bag of name words (order, commas and "and" do not matter).
pub fn norm_names_raw(raw: &[String]) -> String {
    let stop = [
        "and",
        "et",
        "al",
        "ed",
        "eds",
        "by",
        "edited",
        "trans",
        "translated",
    ];
    let mut w: Vec<String> = raw
        .iter()
        .flat_map(|s| {
            norm_text(s)
                .split(' ')
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|w| !w.is_empty() && !stop.contains(&w.as_str()))
        .collect();
    w.sort();
    w.join(" ")
}

fn names_raw(v: &[CslName]) -> Vec<String> {
    v.iter()
        .map(|n| match (&n.literal, &n.given, &n.family) {
            (Some(l), _, _) => l.clone(),
            (None, g, f) => format!(
                "{} {}",
                g.clone().unwrap_or_default(),
                f.clone().unwrap_or_default()
            ),
        })
        .collect()
}

fn norm_date_str(s: &str) -> Option<String> {
    refs::parse_date(s)
        .or_else(|| refs::find_date(s))
        .and_then(|d| d.iso())
}

fn numbers(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "vol" | "volume" | "no" | "nr" | "issue" | "iss" | "pp" | "p" | "n" | "v"
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn norm_url(s: &str) -> String {
    let u = refs::clean_url(s).to_lowercase();
    let u = u
        .trim_start_matches("https://doi.org/")
        .trim_start_matches("http://dx.doi.org/")
        .to_string();
    let u = u.strip_prefix("doi:").unwrap_or(&u).trim().to_string();
    u.trim_end_matches('/').to_string()
}

/// The fields [`eval_refs`] scores, in report order.
pub const REF_FIELDS: [&str; 13] = [
    "author",
    "editor",
    "title",
    "container-title",
    "date",
    "volume",
    "pages",
    "publisher",
    "location",
    "url",
    "doi",
    "edition",
    "genre",
];

/// Normalised value of one field of a CSL item, under AnyStyle's field names.
fn item_field(it: &CslItem, field: &str) -> Option<String> {
    let v = match field {
        "author" => (!it.author.is_empty()).then(|| norm_names_raw(&names_raw(&it.author)))?,
        "editor" => (!it.editor.is_empty()).then(|| norm_names_raw(&names_raw(&it.editor)))?,
        "title" => norm_text(it.title.as_deref()?),
        "container-title" => norm_container(it.container_title.as_deref()?),
        "date" => it.issued.as_ref()?.iso()?,
        "volume" => {
            let mut s = it.volume.clone().unwrap_or_default();
            if let Some(i) = &it.issue {
                s.push(' ');
                s.push_str(i);
            }
            numbers(&s)
        }
        "pages" => numbers(it.page.as_deref()?),
        "publisher" => norm_text(it.publisher.as_deref()?),
        "location" => norm_text(it.publisher_place.as_deref()?),
        "url" => norm_url(it.url.as_deref()?),
        "doi" => norm_url(it.doi.as_deref()?),
        "edition" => numbers(it.edition.as_deref()?),
        "genre" => norm_text(it.genre.as_deref()?),
        _ => return None,
    };
    (!v.is_empty()).then_some(v)
}

fn gold_ref_field(fields: &Value, field: &str) -> Option<String> {
    let v = fields.get(field)?;
    let s = match v {
        Value::Array(a) => {
            let raw: Vec<String> = a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect();
            if raw.is_empty() {
                return None;
            }
            return Some(norm_names_raw(&raw)).filter(|s| !s.is_empty());
        }
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let v = match field {
        "title" | "publisher" | "location" | "genre" => norm_text(&s),
        "container-title" => norm_container(&s),
        "date" => norm_date_str(&s).unwrap_or_else(|| norm_text(&s)),
        "volume" | "pages" | "edition" => numbers(&s),
        "url" | "doi" => norm_url(&s),
        _ => norm_text(&s),
    };
    (!v.is_empty()).then_some(v)
}

// ---------------------------------------------------------------- references

/// Reference-parsing scores.
#[derive(Debug, Clone, Serialize)]
pub struct RefsReport {
    /// References scored.
    pub references: usize,
    /// Scores per field.
    pub fields: BTreeMap<String, Prf>,
    /// Micro-average over all fields.
    pub micro: Prf,
    /// Share of words the shipped sequence model labels as gold does (as
    /// `anystyle check` counts), when a model is built in.
    pub model_token_accuracy: Option<f64>,
}

impl fmt::Display for RefsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "references: {}", self.references)?;
        if let Some(a) = self.model_token_accuracy {
            writeln!(f, "model token accuracy: {a:.4}")?;
        }
        writeln!(
            f,
            "{:<16} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "field", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        let order: Vec<&str> = REF_FIELDS.to_vec();
        for name in order {
            if let Some(p) = self.fields.get(name) {
                writeln!(
                    f,
                    "{:<16} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
                    name, p.tp, p.fp, p.fn_, p.precision, p.recall, p.f1
                )?;
            }
        }
        let m = &self.micro;
        writeln!(
            f,
            "{:<16} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
            "micro", m.tp, m.fp, m.fn_, m.precision, m.recall, m.f1
        )
    }
}

/// Scores [`refs::parse`] on an AnyStyle-format JSONL file.
pub fn eval_refs(gold_jsonl: &Path) -> Result<RefsReport, EvalError> {
    eval_refs_with(gold_jsonl, refs::parse)
}

/// Scores any reference parser on an AnyStyle-format JSONL file.
pub fn eval_refs_with(
    gold_jsonl: &Path,
    parse: impl Fn(&str) -> CslItem,
) -> Result<RefsReport, EvalError> {
    let rows = read_jsonl(gold_jsonl)?;
    let mut fields: BTreeMap<String, Prf> = BTreeMap::new();
    let model = refs::model::shipped();
    let (mut right, mut words) = (0usize, 0usize);
    for row in &rows {
        let text = row.get("text").and_then(Value::as_str).unwrap_or("");
        let gold = row.get("fields").cloned().unwrap_or(Value::Null);
        if let Some(m) = model {
            let gold_labels: Vec<&str> = row["segments"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|seg| {
                    let label = seg[0].as_str().unwrap_or("");
                    seg[1]
                        .as_str()
                        .unwrap_or("")
                        .split_whitespace()
                        .map(move |_| label)
                })
                .collect();
            let toks = refs::model::tokens(text);
            if toks.len() == gold_labels.len() {
                let pred = m.decode(
                    &refs::model::features(&toks),
                    &refs::model::boundaries(&toks),
                );
                words += toks.len();
                right += pred
                    .iter()
                    .zip(&gold_labels)
                    .filter(|(p, g)| m.labels[**p] == **g)
                    .count();
            }
        }
        let item = parse(text);
        for name in REF_FIELDS {
            let g = gold_ref_field(&gold, name);
            let p = item_field(&item, name);
            fields
                .entry(name.to_string())
                .or_default()
                .add(g.as_ref(), p.as_ref());
        }
    }
    let mut micro = Prf::default();
    for p in fields.values_mut() {
        micro.tp += p.tp;
        micro.fp += p.fp;
        micro.fn_ += p.fn_;
        *p = p.finish();
    }
    Ok(RefsReport {
        references: rows.len(),
        fields,
        micro: micro.finish(),
        model_token_accuracy: (words > 0).then(|| right as f64 / words as f64),
    })
}

// ---------------------------------------------------------------- markers

/// Marker scores.
#[derive(Debug, Clone, Serialize)]
pub struct MarkersReport {
    /// Markers in gold.
    pub gold: usize,
    /// Markers found.
    pub found: usize,
    /// Found with exactly the gold span.
    pub matched: usize,
    /// matched / found.
    pub precision: f64,
    /// matched / gold.
    pub recall: f64,
    /// Among matched markers, the share pointing to the gold note.
    pub note_accuracy: f64,
    /// Found markers that are not in gold (`doc:line marker`), for inspection.
    pub false_markers: Vec<String>,
    /// Gold markers not found.
    pub missed: Vec<String>,
}

impl fmt::Display for MarkersReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "markers: gold {} found {} matched {}",
            self.gold, self.found, self.matched
        )?;
        writeln!(
            f,
            "precision {:.3} recall {:.3} marker→note accuracy {:.3}",
            self.precision, self.recall, self.note_accuracy
        )?;
        for m in &self.false_markers {
            writeln!(f, "  false: {m}")?;
        }
        for m in &self.missed {
            writeln!(f, "  missed: {m}")?;
        }
        Ok(())
    }
}

/// Scores markers against a gold `markers.jsonl`. Only documents that appear
/// in the gold file or in `markers` are compared.
pub fn eval_markers(gold: &Path, markers: &[Marker]) -> Result<MarkersReport, EvalError> {
    let rows = read_jsonl(gold)?;
    let mut gold_map: HashMap<(usize, usize), (String, Option<u64>, u64)> = HashMap::new();
    for r in &rows {
        let s = r["start"].as_u64().unwrap_or(0) as usize;
        let e = r["end"].as_u64().unwrap_or(0) as usize;
        gold_map.insert(
            (s, e),
            (
                r["marker"].as_str().unwrap_or("").to_string(),
                r["note"].as_u64(),
                r["line"].as_u64().unwrap_or(0),
            ),
        );
    }
    let mut matched = 0;
    let mut right_note = 0;
    let mut false_markers = Vec::new();
    let mut seen = HashSet::new();
    for m in markers {
        let key = (m.span.start, m.span.end);
        match gold_map.get(&key) {
            Some((_, note, _)) => {
                matched += 1;
                seen.insert(key);
                if m.note.map(u64::from) == *note {
                    right_note += 1;
                }
            }
            None => false_markers.push(format!("{}:{} {}", m.doc, m.span.line, m.marker)),
        }
    }
    let mut missed: Vec<String> = gold_map
        .iter()
        .filter(|(k, _)| !seen.contains(*k))
        .map(|(_, (mk, _, line))| format!("line {line} {mk}"))
        .collect();
    missed.sort();
    let found = markers.len();
    let g = gold_map.len();
    Ok(MarkersReport {
        gold: g,
        found,
        matched,
        precision: if found == 0 {
            0.0
        } else {
            matched as f64 / found as f64
        },
        recall: if g == 0 {
            0.0
        } else {
            matched as f64 / g as f64
        },
        note_accuracy: if matched == 0 {
            0.0
        } else {
            right_note as f64 / matched as f64
        },
        false_markers,
        missed,
    })
}

// ---------------------------------------------------------------- notes

/// Note scores.
#[derive(Debug, Clone, Serialize)]
pub struct NotesReport {
    /// Notes in gold.
    pub gold: usize,
    /// Notes found.
    pub found: usize,
    /// Gold notes found (same document, number and line).
    pub matched: usize,
    /// Matched notes whose span equals gold's `start`/`end`.
    pub exact_spans: usize,
    /// Per-field scores of the parsed references.
    pub fields: BTreeMap<String, Prf>,
    /// Micro-average over fields.
    pub micro: Prf,
    /// Share of matched notes whose `refers_to` equals gold's.
    pub refers_to_accuracy: f64,
    /// Notes whose `refers_to` differs (`doc#n: gold vs found`).
    pub refers_to_errors: Vec<String>,
    /// Field disagreements (`doc#n field: gold | found`), for inspection.
    pub disagreements: Vec<String>,
}

impl fmt::Display for NotesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "notes: gold {} found {} matched {} (exact span {})",
            self.gold, self.found, self.matched, self.exact_spans
        )?;
        writeln!(
            f,
            "{:<16} {:>6} {:>6} {:>6} {:>7} {:>7} {:>7}",
            "field", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        for (name, p) in &self.fields {
            writeln!(
                f,
                "{:<16} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
                name, p.tp, p.fp, p.fn_, p.precision, p.recall, p.f1
            )?;
        }
        let m = &self.micro;
        writeln!(
            f,
            "{:<16} {:>6} {:>6} {:>6} {:>7.3} {:>7.3} {:>7.3}",
            "micro", m.tp, m.fp, m.fn_, m.precision, m.recall, m.f1
        )?;
        writeln!(f, "refers_to accuracy {:.3}", self.refers_to_accuracy)?;
        for e in &self.refers_to_errors {
            writeln!(f, "  refers_to: {e}")?;
        }
        Ok(())
    }
}

/// The note fields [`eval_notes`] scores.
pub const NOTE_FIELDS: [&str; 13] = [
    "type",
    "author",
    "title",
    "container-title",
    "date",
    "url",
    "accessed",
    "language_note",
    "volume",
    "issue",
    "page",
    "publisher",
    "number",
];

fn note_item_field(it: &CslItem, field: &str) -> Option<String> {
    let v = match field {
        "author" => (!it.author.is_empty()).then(|| norm_names_raw(&names_raw(&it.author)))?,
        "title" => norm_text(it.title.as_deref()?),
        "container-title" => norm_text(it.container_title.as_deref()?),
        "date" => it.issued.as_ref()?.iso()?,
        "url" => norm_url(it.url.as_deref()?),
        "accessed" => it.accessed.as_ref()?.iso()?,
        "language_note" => norm_text(it.original_title.as_deref()?),
        "volume" => numbers(it.volume.as_deref()?),
        "issue" => numbers(it.issue.as_deref()?),
        "page" => numbers(it.page.as_deref()?),
        "publisher" => norm_text(it.publisher.as_deref()?),
        "number" => numbers(it.number.as_deref()?),
        "type" => it.kind.clone(),
        _ => return None,
    };
    (!v.is_empty()).then_some(v)
}

fn gold_note_field(f: &Value, field: &str) -> Option<String> {
    let key = if field == "date" && f.get("date").is_none_or(Value::is_null) {
        "date_in_url"
    } else {
        field
    };
    let v = f.get(key)?;
    let v = match (field, v) {
        ("author", Value::Array(a)) => {
            let raw: Vec<String> = a
                .iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect();
            if raw.is_empty() {
                return None;
            }
            norm_names_raw(&raw)
        }
        // pure commentary and cross-references have no reference to type
        ("type", Value::String(s)) if s == "comment" || s == "cross-reference" => return None,
        (_, Value::String(s)) => match field {
            "date" | "accessed" | "type" => s.clone(),
            "url" => norm_url(s),
            "volume" | "issue" | "page" | "number" => numbers(s),
            _ => norm_text(s),
        },
        _ => return None,
    };
    (!v.is_empty()).then_some(v)
}

/// Scores notes against a gold `notes.jsonl`: per-field F1 of the references
/// (the note's `fields` against its first reference, `additional_citations`
/// against the following ones) and `refers_to` accuracy.
pub fn eval_notes(gold: &Path, notes: &[Note]) -> Result<NotesReport, EvalError> {
    let rows = read_jsonl(gold)?;
    let docs: HashSet<&str> = notes.iter().map(|n| n.doc.as_str()).collect();
    let by_key: HashMap<(&str, u32, u32), &Note> = notes
        .iter()
        .map(|n| ((n.doc.as_str(), n.number, n.span.line), n))
        .collect();
    let mut fields: BTreeMap<String, Prf> = BTreeMap::new();
    let mut matched = 0;
    let mut exact_spans = 0;
    let mut refers_ok = 0;
    let mut refers_to_errors = Vec::new();
    let mut disagreements = Vec::new();
    let mut gold_n = 0;
    for r in &rows {
        let doc = r["doc"].as_str().unwrap_or("");
        if !docs.is_empty() && !docs.contains(doc) && !docs.iter().any(|d| d.is_empty()) {
            // documents may be named differently by another segmenter: fall back to line matching below
        }
        gold_n += 1;
        let number = r["number"].as_u64().unwrap_or(0) as u32;
        let line = r["line"].as_u64().unwrap_or(0) as u32;
        let note = by_key.get(&(doc, number, line)).copied().or_else(|| {
            notes
                .iter()
                .find(|n| n.number == number && n.span.line == line)
        });
        let mut golds: Vec<&Value> = vec![&r["fields"]];
        if let Some(a) = r["additional_citations"].as_array() {
            golds.extend(a.iter());
        }
        let empty = Vec::new();
        let items = note.map(|n| &n.references).unwrap_or(&empty);
        if let Some(n) = note {
            matched += 1;
            if r["start"].as_u64() == Some(n.span.start as u64)
                && r["end"].as_u64() == Some(n.span.end as u64)
            {
                exact_spans += 1;
            }
            let g = r["refers_to"].as_u64().map(|x| x as u32);
            if g == n.refers_to {
                refers_ok += 1;
            } else {
                refers_to_errors.push(format!(
                    "{doc}#{number}: gold {g:?} found {:?}",
                    n.refers_to
                ));
            }
        }
        for (k, g) in golds.iter().enumerate() {
            let it = items.get(k);
            for name in NOTE_FIELDS {
                let gv = gold_note_field(g, name);
                let pv = it.and_then(|i| note_item_field(i, name));
                if gv != pv {
                    disagreements.push(format!("{doc}#{number} {name}: {gv:?} | {pv:?}"));
                }
                fields
                    .entry(name.to_string())
                    .or_default()
                    .add(gv.as_ref(), pv.as_ref());
            }
        }
        for it in items.iter().skip(golds.len()) {
            for name in NOTE_FIELDS {
                let pv = note_item_field(it, name);
                fields
                    .entry(name.to_string())
                    .or_default()
                    .add(None, pv.as_ref());
            }
        }
    }
    let mut micro = Prf::default();
    for p in fields.values_mut() {
        micro.tp += p.tp;
        micro.fp += p.fp;
        micro.fn_ += p.fn_;
        *p = p.finish();
    }
    Ok(NotesReport {
        gold: gold_n,
        found: notes.len(),
        matched,
        exact_spans,
        fields,
        micro: micro.finish(),
        refers_to_accuracy: if matched == 0 {
            0.0
        } else {
            refers_ok as f64 / matched as f64
        },
        refers_to_errors,
        disagreements,
    })
}
