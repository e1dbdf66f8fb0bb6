//! Scoring against TempEval-3 gold (JSON lines converted from TimeML), the way
//! the TempEval-3 scorer counts: strict (same span) and relaxed (overlapping)
//! extraction, and value and type as attribute F1 over relaxed matches
//! (an attribute counts only when its timex was found and the attribute is right).

use crate::{tag, Tagged};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::Path;

#[derive(Deserialize)]
struct GoldDoc {
    doc_id: String,
    #[serde(default)]
    dct: Option<String>,
    text: String,
    timexes: Vec<GoldTimex>,
}

#[derive(Deserialize)]
struct GoldTimex {
    start: usize,
    end: usize,
    text: String,
    #[serde(rename = "type")]
    kind: String,
    value: String,
}

/// Precision, recall and F1 of one measure.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Prf {
    /// Correct / system.
    pub precision: f64,
    /// Correct / gold.
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
    /// Number counted correct.
    pub correct: usize,
}

impl Prf {
    fn new(correct: usize, system: usize, gold: usize) -> Prf {
        let p = if system == 0 {
            0.0
        } else {
            correct as f64 / system as f64
        };
        let r = if gold == 0 {
            0.0
        } else {
            correct as f64 / gold as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Prf {
            precision: p,
            recall: r,
            f1: f,
            correct,
        }
    }
}

/// One disagreement with the gold, for error analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Disagreement {
    /// Document id.
    pub doc: String,
    /// `missed` (gold not found), `spurious` (not in gold) or `value`/`type` (wrong attribute).
    pub what: &'static str,
    /// Gold text and value, if any.
    pub gold: Option<(String, String, String)>,
    /// System text and value, if any.
    pub system: Option<(String, String, String)>,
    /// The rule that fired.
    pub rule: Option<&'static str>,
}

/// TempEval-3 style scores of [`tag`] on a gold file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TimexReport {
    /// Documents scored.
    pub documents: usize,
    /// Gold timexes.
    pub gold: usize,
    /// System timexes.
    pub system: usize,
    /// Exact-span extraction.
    pub strict: Prf,
    /// Overlapping-span extraction.
    pub relaxed: Prf,
    /// Value attribute F1 (relaxed match and same value).
    pub value: Prf,
    /// Type attribute F1 (relaxed match and same type).
    pub kind: Prf,
    /// Value accuracy over relaxed matches.
    pub value_accuracy: f64,
    /// Type accuracy over relaxed matches.
    pub type_accuracy: f64,
    /// Every disagreement (not serialised).
    #[serde(skip)]
    pub disagreements: Vec<Disagreement>,
}

/// Errors reading a gold file.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The file could not be read.
    #[error("reading {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A line is not a gold document.
    #[error("line {line}: {source}")]
    Json {
        /// 1-based line.
        line: usize,
        /// The error.
        source: serde_json::Error,
    },
}

/// Scores [`tag`] on a TempEval-3 gold file (one document a line, offsets in characters).
pub fn eval_timex(gold_jsonl: &Path) -> Result<TimexReport, EvalError> {
    let data = std::fs::read_to_string(gold_jsonl).map_err(|source| EvalError::Io {
        path: gold_jsonl.display().to_string(),
        source,
    })?;
    let mut rep = TimexReport::default();
    let (mut strict, mut relaxed, mut value, mut kind) = (0, 0, 0, 0);
    for (i, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: GoldDoc = serde_json::from_str(line).map_err(|source| EvalError::Json {
            line: i + 1,
            source,
        })?;
        let sys = tag(&doc.text, doc.dct.as_deref());
        rep.documents += 1;
        rep.gold += doc.timexes.len();
        rep.system += sys.len();
        let mut used = vec![false; doc.timexes.len()];
        let triple = |g: &GoldTimex| (g.text.clone(), g.kind.clone(), g.value.clone());
        let striple = |s: &Tagged| (s.text.clone(), s.kind.as_str().to_string(), s.value.clone());
        for s in &sys {
            let exact = doc
                .timexes
                .iter()
                .position(|g| g.start == s.start && g.end == s.end);
            if exact.is_some() {
                strict += 1;
            }
            let m = exact.filter(|&j| !used[j]).or_else(|| {
                (0..doc.timexes.len()).find(|&j| {
                    !used[j] && doc.timexes[j].start < s.end && s.start < doc.timexes[j].end
                })
            });
            let Some(j) = m else {
                rep.disagreements.push(Disagreement {
                    doc: doc.doc_id.clone(),
                    what: "spurious",
                    gold: None,
                    system: Some(striple(s)),
                    rule: Some(s.rule),
                });
                continue;
            };
            used[j] = true;
            relaxed += 1;
            let g = &doc.timexes[j];
            if g.value == s.value {
                value += 1;
            } else {
                rep.disagreements.push(Disagreement {
                    doc: doc.doc_id.clone(),
                    what: "value",
                    gold: Some(triple(g)),
                    system: Some(striple(s)),
                    rule: Some(s.rule),
                });
            }
            if g.kind == s.kind.as_str() {
                kind += 1;
            }
        }
        for (j, g) in doc.timexes.iter().enumerate() {
            if !used[j] {
                rep.disagreements.push(Disagreement {
                    doc: doc.doc_id.clone(),
                    what: "missed",
                    gold: Some(triple(g)),
                    system: None,
                    rule: None,
                });
            }
        }
    }
    rep.strict = Prf::new(strict, rep.system, rep.gold);
    rep.relaxed = Prf::new(relaxed, rep.system, rep.gold);
    rep.value = Prf::new(value, rep.system, rep.gold);
    rep.kind = Prf::new(kind, rep.system, rep.gold);
    rep.value_accuracy = if relaxed == 0 {
        0.0
    } else {
        value as f64 / relaxed as f64
    };
    rep.type_accuracy = if relaxed == 0 {
        0.0
    } else {
        kind as f64 / relaxed as f64
    };
    Ok(rep)
}

impl fmt::Display for TimexReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "documents {}  gold {}  system {}",
            self.documents, self.gold, self.system
        )?;
        writeln!(
            f,
            "{:<10} {:>9} {:>9} {:>9} {:>8}",
            "measure", "precision", "recall", "F1", "correct"
        )?;
        for (name, p) in [
            ("strict", self.strict),
            ("relaxed", self.relaxed),
            ("value", self.value),
            ("type", self.kind),
        ] {
            writeln!(
                f,
                "{:<10} {:>9.2} {:>9.2} {:>9.2} {:>8}",
                name,
                p.precision * 100.0,
                p.recall * 100.0,
                p.f1 * 100.0,
                p.correct
            )?;
        }
        write!(
            f,
            "value accuracy {:.2}  type accuracy {:.2} (over relaxed matches)",
            self.value_accuracy * 100.0,
            self.type_accuracy * 100.0
        )
    }
}
