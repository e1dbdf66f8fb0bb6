//! Measurements: CoNLL-style NER scores on pre-tokenised gold, and recall of the archive's
//! gold entities with their alias groups.
use crate::recognize::{conll_class, Recognizer};
use crate::resolve::normalise;
use crate::tokenize::from_pieces;
use annals_model::know::{Entity, EntityKind, Mention};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::BufRead;
use std::path::Path;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line is not valid JSON of the expected shape.
    #[error("{path}, line {line}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Precision, recall and F1 of one class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Correct predictions.
    pub tp: usize,
    /// Predictions that are not in the gold.
    pub fp: usize,
    /// Gold entities not predicted.
    pub fn_: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Prf {
    fn finish(&mut self) {
        let p = if self.tp + self.fp > 0 {
            self.tp as f64 / (self.tp + self.fp) as f64
        } else {
            0.0
        };
        let r = if self.tp + self.fn_ > 0 {
            self.tp as f64 / (self.tp + self.fn_) as f64
        } else {
            0.0
        };
        self.precision = p;
        self.recall = r;
        self.f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
    }
}

/// Entity-level exact-match scores, as conlleval computes them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NerReport {
    /// Sentences scored.
    pub sentences: usize,
    /// Tokens scored.
    pub tokens: usize,
    /// All classes together.
    pub overall: Prf,
    /// PER, ORG, LOC, MISC.
    pub per_type: BTreeMap<String, Prf>,
    /// Tagging time (tagging only, not reading).
    pub seconds: f64,
    /// Tokens per second of tagging.
    pub words_per_second: f64,
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} sentences, {} tokens, {:.0} tokens/s",
            self.sentences, self.tokens, self.words_per_second
        )?;
        writeln!(
            f,
            "{:<8} {:>6} {:>6} {:>6} {:>9} {:>9} {:>9}",
            "type", "tp", "fp", "fn", "precision", "recall", "F1"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, p: &Prf| {
            writeln!(
                f,
                "{:<8} {:>6} {:>6} {:>6} {:>9.4} {:>9.4} {:>9.4}",
                name, p.tp, p.fp, p.fn_, p.precision, p.recall, p.f1
            )
        };
        for (t, p) in &self.per_type {
            row(f, t, p)?;
        }
        row(f, "overall", &self.overall)
    }
}

#[derive(Deserialize)]
struct ConllLine {
    tokens: Vec<String>,
    tags: Vec<String>,
    #[serde(default)]
    doc: Option<u64>,
}

/// Spans (first token, end token, class) of IOB2 tags.
pub fn iob_spans(tags: &[String]) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tags.len() {
        let t = &tags[i];
        let Some(class) = t.strip_prefix("B-").or_else(|| t.strip_prefix("I-")) else {
            i += 1;
            continue;
        };
        let mut j = i + 1;
        while j < tags.len() && tags[j].strip_prefix("I-") == Some(class) {
            j += 1;
        }
        out.push((i, j, class.to_string()));
        i = j;
    }
    out
}

fn read_lines(path: &Path) -> Result<Vec<String>, EvalError> {
    let io = |source| EvalError::Io {
        path: path.display().to_string(),
        source,
    };
    let f = std::fs::File::open(path).map_err(io)?;
    std::io::BufReader::new(f)
        .lines()
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)
}

/// Scores `rec` on CoNLL-style gold (`{"tokens", "tags"}` a line, IOB2): each sentence's
/// tokens are joined by single spaces and tagged as text; person → PER, organisation → ORG,
/// place → LOC, everything else → MISC; a prediction counts when its span and class match.
pub fn eval_conll(rec: &Recognizer, gold_jsonl: &Path) -> Result<NerReport, EvalError> {
    eval_conll_with(rec, gold_jsonl, false)
}

/// As [`eval_conll`], but each document (lines sharing a `doc` number) is tagged as one
/// text, its sentences separated by blank lines, as the engine tags a document: names can
/// then agree across sentences.
pub fn eval_conll_docs(rec: &Recognizer, gold_jsonl: &Path) -> Result<NerReport, EvalError> {
    eval_conll_with(rec, gold_jsonl, true)
}

fn eval_conll_with(
    rec: &Recognizer,
    gold_jsonl: &Path,
    docs: bool,
) -> Result<NerReport, EvalError> {
    let mut r = NerReport::default();
    let mut overall = Prf::default();
    let mut per: BTreeMap<String, Prf> = BTreeMap::new();
    let mut secs = 0.0;
    let mut lines: Vec<ConllLine> = Vec::new();
    for (ln, line) in read_lines(gold_jsonl)?.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: ConllLine = serde_json::from_str(line).map_err(|e| EvalError::Parse {
            path: gold_jsonl.display().to_string(),
            line: ln + 1,
            message: e.to_string(),
        })?;
        lines.push(g);
    }
    // groups of sentences tagged together
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for i in 0..lines.len() {
        match groups.last_mut() {
            Some(g) if docs && lines[i].doc.is_some() && lines[i].doc == lines[g.start].doc => {
                g.end = i + 1
            }
            _ => groups.push(i..i + 1),
        }
    }
    for group in groups {
        let mut doc_text = String::new();
        let mut starts = Vec::new();
        let mut pieces = Vec::new();
        for g in &lines[group.clone()] {
            if !doc_text.is_empty() {
                doc_text.push_str("\n\n");
            }
            starts.push(doc_text.chars().count());
            let (text, toks) = from_pieces(&g.tokens);
            doc_text.push_str(&text);
            pieces.push(toks);
        }
        let t0 = std::time::Instant::now();
        let all = rec.tag(&doc_text);
        secs += t0.elapsed().as_secs_f64();
        for (k, g) in lines[group].iter().enumerate() {
            let toks = &pieces[k];
            let off = starts[k];
            let end = off + toks.last().map(|t| t.ce).unwrap_or(0);
            let tagged: Vec<_> = all
                .iter()
                .filter(|t| t.start >= off && t.start < end.max(off + 1))
                .map(|t| {
                    let mut t = t.clone();
                    t.start -= off;
                    t.end -= off;
                    t
                })
                .collect();
            r.sentences += 1;
            r.tokens += toks.len();
            let gold: HashSet<(usize, usize, String)> = iob_spans(&g.tags).into_iter().collect();
            let mut pred: HashSet<(usize, usize, String)> = HashSet::new();
            for t in &tagged {
                let ts = toks.iter().position(|k| k.cs == t.start);
                let te = toks.iter().position(|k| k.ce == t.end).map(|x| x + 1);
                let class = conll_class(t.kind).to_string();
                match (ts, te) {
                    (Some(s), Some(e)) => pred.insert((s, e, class)),
                    _ => pred.insert((usize::MAX - t.start, usize::MAX, class)), // misaligned: a miss
                };
            }
            for p in &pred {
                let e = per.entry(p.2.clone()).or_default();
                if gold.contains(p) {
                    e.tp += 1;
                    overall.tp += 1;
                } else {
                    e.fp += 1;
                    overall.fp += 1;
                }
            }
            for g in &gold {
                if !pred.contains(g) {
                    per.entry(g.2.clone()).or_default().fn_ += 1;
                    overall.fn_ += 1;
                }
            }
        }
    }
    overall.finish();
    for p in per.values_mut() {
        p.finish();
    }
    r.overall = overall;
    r.per_type = per;
    r.seconds = secs;
    r.words_per_second = if secs > 0.0 {
        r.tokens as f64 / secs
    } else {
        0.0
    };
    Ok(r)
}

/// Recall of gold entities and alias grouping on the archive's gold `entities.jsonl`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct EntitiesReport {
    /// Gold entities.
    pub gold: usize,
    /// Gold entities found (a type-compatible extracted entity bears one of their names).
    pub found: usize,
    /// found / gold.
    pub recall: f64,
    /// Recall per gold type: (found, gold).
    pub per_type: BTreeMap<String, (usize, usize)>,
    /// Pairs of a gold entity's distinct aliases that were both found.
    pub alias_pairs: usize,
    /// Of those, pairs found in one and the same extracted entity.
    pub alias_pairs_grouped: usize,
    /// alias_pairs_grouped / alias_pairs.
    pub grouping: f64,
    /// Names of gold entities not found.
    pub missed: Vec<String>,
    /// Alias pairs split over several entities.
    pub split_pairs: Vec<(String, String)>,
}

impl fmt::Display for EntitiesReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "entities: {}/{} found, recall {:.3}",
            self.found, self.gold, self.recall
        )?;
        for (t, (n, g)) in &self.per_type {
            writeln!(f, "  {t:<20} {n}/{g}")?;
        }
        writeln!(
            f,
            "alias pairs grouped: {}/{} ({:.3})",
            self.alias_pairs_grouped, self.alias_pairs, self.grouping
        )?;
        if !self.missed.is_empty() {
            writeln!(f, "missed: {}", self.missed.join("; "))?;
        }
        if !self.split_pairs.is_empty() {
            let s: Vec<String> = self
                .split_pairs
                .iter()
                .map(|(a, b)| format!("{a} / {b}"))
                .collect();
            writeln!(f, "split: {}", s.join("; "))?;
        }
        Ok(())
    }
}

#[derive(Deserialize)]
struct GoldEntity {
    #[serde(rename = "type")]
    kind: String,
    canonical: String,
    #[serde(default)]
    aliases: Vec<String>,
}

fn compatible(gold: &str, k: EntityKind) -> bool {
    use EntityKind::*;
    match gold {
        "person" => k == Person,
        "organisation" => k == Organisation,
        "place" => k == Place,
        "project_or_facility" => matches!(k, Project | Place | Organisation),
        "event_name" => matches!(k, EventName | Other),
        _ => true,
    }
}

/// Scores extracted `entities` and `mentions` against gold `entities.jsonl`. An entity's names
/// are its name, its aliases and the texts of its mentions, compared after [`normalise`].
pub fn eval_entities(
    gold_jsonl: &Path,
    entities: &[Entity],
    mentions: &[Mention],
) -> Result<EntitiesReport, EvalError> {
    let mut names: HashMap<&str, HashSet<String>> = HashMap::new();
    for e in entities {
        let s = names.entry(&e.id).or_default();
        s.insert(normalise(&e.name));
        for a in &e.aliases {
            s.insert(normalise(a));
        }
    }
    for m in mentions {
        names
            .entry(&m.entity)
            .or_default()
            .insert(normalise(&m.text));
    }
    let kinds: HashMap<&str, EntityKind> =
        entities.iter().map(|e| (e.id.as_str(), e.kind)).collect();
    let mut r = EntitiesReport::default();
    for (ln, line) in read_lines(gold_jsonl)?.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let g: GoldEntity = serde_json::from_str(line).map_err(|e| EvalError::Parse {
            path: gold_jsonl.display().to_string(),
            line: ln + 1,
            message: e.to_string(),
        })?;
        let mut forms: Vec<String> = std::iter::once(&g.canonical)
            .chain(&g.aliases)
            .map(|s| normalise(s))
            .collect();
        forms.sort();
        forms.dedup();
        let holders = |form: &str| -> Vec<&str> {
            names
                .iter()
                .filter(|(id, set)| {
                    set.contains(form) && kinds.get(**id).is_some_and(|k| compatible(&g.kind, *k))
                })
                .map(|(id, _)| *id)
                .collect()
        };
        let found = forms.iter().any(|f| !holders(f).is_empty());
        r.gold += 1;
        let e = r.per_type.entry(g.kind.clone()).or_default();
        e.1 += 1;
        if found {
            r.found += 1;
            e.0 += 1;
        } else {
            r.missed.push(g.canonical.clone());
        }
        for i in 0..forms.len() {
            for j in i + 1..forms.len() {
                let (a, b) = (holders(&forms[i]), holders(&forms[j]));
                if a.is_empty() || b.is_empty() {
                    continue;
                }
                r.alias_pairs += 1;
                if a.iter().any(|x| b.contains(x)) {
                    r.alias_pairs_grouped += 1;
                } else {
                    r.split_pairs.push((forms[i].clone(), forms[j].clone()));
                }
            }
        }
    }
    r.recall = if r.gold > 0 {
        r.found as f64 / r.gold as f64
    } else {
        0.0
    };
    r.grouping = if r.alias_pairs > 0 {
        r.alias_pairs_grouped as f64 / r.alias_pairs as f64
    } else {
        0.0
    };
    Ok(r)
}
