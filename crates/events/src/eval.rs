//! Scoring extracted events against a gold `events.jsonl` (seed-dev format).
//!
//! A telling (claim) matches a gold event when both are in the same document,
//! their evidence spans overlap, and type and date value agree; matching is
//! one-to-one, largest overlap first. Only documents that have gold are scored,
//! and only asserted claims (the gold records events stated as having happened).
//! A further telling of an event that already matched gold is not counted as a
//! false positive (the gold records one telling where the annotator chose; the
//! others are merge evidence); `strict_precision` counts it.
use annals_model::event::{Event, Modality};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::Path;

/// Why the gold file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// Reading the file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A line is not a gold event.
    #[error("{path}:{line}: {msg}")]
    Parse {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// What was wrong.
        msg: String,
    },
}

/// One gold event.
#[derive(Debug, Clone, Serialize)]
pub struct GoldEvent {
    /// Gold id.
    pub id: String,
    /// Document id.
    pub doc: String,
    /// Evidence start (characters).
    pub start: usize,
    /// Evidence end.
    pub end: usize,
    /// Date value.
    pub date: Option<String>,
    /// Event type name.
    pub kind: String,
    /// Id of the first record of the same event.
    pub same_as: Option<String>,
    /// The evidence text.
    pub evidence: String,
}

/// Reads a gold events file.
pub fn read_gold(path: &Path) -> Result<Vec<GoldEvent>, EvalError> {
    let p = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: p.clone(),
        source,
    })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |msg: String| EvalError::Parse {
            path: p.clone(),
            line: i + 1,
            msg,
        };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(String::from);
        let n = |k: &str| v.get(k).and_then(|x| x.as_u64()).map(|x| x as usize);
        out.push(GoldEvent {
            id: s("id").ok_or_else(|| err("no id".into()))?,
            doc: s("doc").ok_or_else(|| err("no doc".into()))?,
            start: n("start").ok_or_else(|| err("no start".into()))?,
            end: n("end").ok_or_else(|| err("no end".into()))?,
            date: s("date"),
            kind: s("type").ok_or_else(|| err("no type".into()))?,
            same_as: s("same_as"),
            evidence: s("evidence").unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Precision, recall and F1 of one slice.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Score {
    /// Matched.
    pub tp: usize,
    /// Extracted, not matched.
    pub fp: usize,
    /// Gold, not matched.
    pub fn_: usize,
    /// tp / (tp + fp).
    pub precision: f64,
    /// tp / (tp + fn).
    pub recall: f64,
    /// Harmonic mean.
    pub f1: f64,
}

impl Score {
    fn new(tp: usize, fp: usize, fn_: usize) -> Score {
        let p = if tp + fp == 0 {
            0.0
        } else {
            tp as f64 / (tp + fp) as f64
        };
        let r = if tp + fn_ == 0 {
            0.0
        } else {
            tp as f64 / (tp + fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        Score {
            tp,
            fp,
            fn_,
            precision: p,
            recall: r,
            f1: f,
        }
    }
}

/// The result of [`eval_events`].
#[derive(Debug, Clone, Serialize)]
pub struct EventsReport {
    /// Documents scored (those with gold).
    pub docs: Vec<String>,
    /// Gold events.
    pub gold: usize,
    /// Asserted claims extracted in the scored documents.
    pub claims: usize,
    /// Claims left out because they are not asserted (hypothetical, future, negated).
    pub not_asserted: usize,
    /// Overall score (dates must be equal).
    pub overall: Score,
    /// Overall score when a value with an unknown year (`XXXX-10`) may match any year.
    pub overall_unknown_year: Score,
    /// Precision counting every unmatched claim, also further tellings of matched events.
    pub strict_precision: f64,
    /// Unmatched claims inside events that matched gold.
    pub extra_tellings: usize,
    /// Scores by gold type.
    pub by_type: BTreeMap<String, Score>,
    /// Gold events whose evidence some claim overlaps (one-to-one).
    pub evidence_matched: usize,
    /// Share of those whose date value is equal.
    pub date_accuracy: f64,
    /// Pairwise merge quality over the gold `same_as` links inside the scored documents
    /// (gold events matched to tellings by evidence and type; dates not required).
    /// Events that name each other in `conflicts_with` count as one event told with
    /// incompatible accounts.
    pub merge: Score,
    /// Gold events not matched: `id  type  date  evidence`.
    pub missed: Vec<String>,
    /// Claims that matched nothing: `doc:line  type  date  text`.
    pub false_positives: Vec<String>,
}

struct C<'a> {
    event: usize,
    doc: &'a str,
    start: usize,
    end: usize,
    kind: &'static str,
    date: Option<&'a str>,
    line: u32,
    text: String,
}

fn date_agrees(pred: Option<&str>, gold: Option<&str>, unknown_year: bool) -> bool {
    match (pred, gold) {
        (Some(p), Some(g)) => {
            p == g
                || (unknown_year && p.starts_with("XXXX") && p.len() == g.len() && p[4..] == g[4..])
        }
        (None, None) => true,
        _ => false,
    }
}

/// One-to-one matching, largest overlap first: (claim index, gold index).
fn matching(
    claims: &[C],
    gold: &[GoldEvent],
    ok: impl Fn(&C, &GoldEvent) -> bool,
) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize, usize)> = Vec::new();
    for (ci, c) in claims.iter().enumerate() {
        for (gi, g) in gold.iter().enumerate() {
            if c.doc == g.doc && c.start < g.end && g.start < c.end && ok(c, g) {
                pairs.push((c.end.min(g.end) - c.start.max(g.start), ci, gi));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut uc, mut ug) = (BTreeSet::new(), BTreeSet::new());
    let mut out = Vec::new();
    for (_, ci, gi) in pairs {
        if uc.contains(&ci) || ug.contains(&gi) {
            continue;
        }
        uc.insert(ci);
        ug.insert(gi);
        out.push((ci, gi));
    }
    out
}

/// Scores `events` (merged or not) against the gold file at `gold_jsonl`.
pub fn eval_events(gold_jsonl: &Path, events: &[Event]) -> Result<EventsReport, EvalError> {
    let gold = read_gold(gold_jsonl)?;
    Ok(score(&gold, events))
}

/// Scores `events` against gold events already read.
pub fn score(gold: &[GoldEvent], events: &[Event]) -> EventsReport {
    let docs: BTreeSet<String> = gold.iter().map(|g| g.doc.clone()).collect();
    let mut claims: Vec<C> = Vec::new();
    let mut not_asserted = 0;
    for (ei, e) in events.iter().enumerate() {
        for (k, ev) in e.evidence.iter().enumerate() {
            if !docs.contains(&ev.doc) {
                continue;
            }
            if e.modality != Modality::Asserted {
                not_asserted += 1;
                continue;
            }
            let claim = e
                .claims
                .iter()
                .find(|c| c.span == ev.span && c.doc == ev.doc)
                .or(e.claims.get(k));
            claims.push(C {
                event: ei,
                doc: &ev.doc,
                start: ev.span.start,
                end: ev.span.end,
                kind: claim.map_or(e.kind, |c| c.kind).as_str(),
                date: claim.map_or(e.date.as_deref(), |c| c.date.as_deref()),
                line: ev.span.line,
                text: ev.text.clone(),
            });
        }
    }
    let strict =
        |c: &C, g: &GoldEvent| c.kind == g.kind && date_agrees(c.date, g.date.as_deref(), false);
    let lenient =
        |c: &C, g: &GoldEvent| c.kind == g.kind && date_agrees(c.date, g.date.as_deref(), true);
    let m = matching(&claims, gold, strict);
    let ml = matching(&claims, gold, lenient);

    let tally = |m: &[(usize, usize)]| {
        let matched_events: BTreeSet<usize> = m.iter().map(|(c, _)| claims[*c].event).collect();
        let matched_claims: BTreeSet<usize> = m.iter().map(|(c, _)| *c).collect();
        let fp: Vec<usize> = (0..claims.len())
            .filter(|c| !matched_claims.contains(c) && !matched_events.contains(&claims[*c].event))
            .collect();
        let extra = claims.len() - matched_claims.len() - fp.len();
        (fp, extra)
    };
    let (fp, extra) = tally(&m);
    let (fpl, _) = tally(&ml);
    let overall = Score::new(m.len(), fp.len(), gold.len() - m.len());
    let overall_unknown_year = Score::new(ml.len(), fpl.len(), gold.len() - ml.len());
    let strict_precision = if claims.is_empty() {
        0.0
    } else {
        m.len() as f64 / claims.len() as f64
    };

    let mut by_type: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let matched_gold: BTreeSet<usize> = m.iter().map(|(_, g)| *g).collect();
    for (gi, g) in gold.iter().enumerate() {
        let e = by_type.entry(g.kind.clone()).or_default();
        if matched_gold.contains(&gi) {
            e.0 += 1;
        } else {
            e.2 += 1;
        }
    }
    for &c in &fp {
        by_type.entry(claims[c].kind.to_string()).or_default().1 += 1;
    }
    let by_type = by_type
        .into_iter()
        .map(|(k, (tp, f, n))| (k, Score::new(tp, f, n)))
        .collect();

    let ev = matching(&claims, gold, |_, _| true);
    let date_ok = ev
        .iter()
        .filter(|(c, g)| date_agrees(claims[*c].date, gold[*g].date.as_deref(), false))
        .count();

    // merge quality: pairs of gold events that are one event
    let idx: HashMap<&str, usize> = gold
        .iter()
        .enumerate()
        .map(|(i, g)| (g.id.as_str(), i))
        .collect();
    let mut root: Vec<usize> = (0..gold.len()).collect();
    fn f(r: &mut [usize], i: usize) -> usize {
        if r[i] == i {
            i
        } else {
            let x = f(r, r[i]);
            r[i] = x;
            x
        }
    }
    for (i, g) in gold.iter().enumerate() {
        if let Some(j) = g.same_as.as_deref().and_then(|s| idx.get(s)) {
            let (a, b) = (f(&mut root, i), f(&mut root, *j));
            root[a] = b;
        }
    }
    // merges are judged on tellings matched by evidence and type, whatever their dates
    let mt = matching(&claims, gold, |c, g| c.kind == g.kind);
    let gold_event: HashMap<usize, usize> =
        mt.iter().map(|(c, g)| (*g, claims[*c].event)).collect();
    let (mut mtp, mut mfp, mut mfn) = (0, 0, 0);
    for i in 0..gold.len() {
        for j in i + 1..gold.len() {
            let same_gold = f(&mut root, i) == f(&mut root, j);
            // conflicting accounts of one event are separate events that name each
            // other in conflicts_with (the gold: separate records, same_as one event)
            let same_pred = matches!((gold_event.get(&i), gold_event.get(&j)),
                (Some(&a), Some(&b)) if a == b || events[a].conflicts_with.contains(&events[b].id));
            match (same_gold, same_pred) {
                (true, true) => mtp += 1,
                (false, true) => mfp += 1,
                (true, false) => mfn += 1,
                _ => {}
            }
        }
    }

    let missed = gold
        .iter()
        .enumerate()
        .filter(|(i, _)| !matched_gold.contains(i))
        .map(|(_, g)| {
            format!(
                "{}  {}  {}  {}",
                g.id,
                g.kind,
                g.date.as_deref().unwrap_or("-"),
                g.evidence
            )
        })
        .collect();
    let false_positives = fp
        .iter()
        .map(|&c| {
            let c = &claims[c];
            format!(
                "{}:{}  {}  {}  {}",
                c.doc,
                c.line,
                c.kind,
                c.date.unwrap_or("-"),
                c.text
            )
        })
        .collect();
    EventsReport {
        docs: docs.into_iter().collect(),
        gold: gold.len(),
        claims: claims.len(),
        not_asserted,
        overall,
        overall_unknown_year,
        strict_precision,
        extra_tellings: extra,
        by_type,
        evidence_matched: ev.len(),
        date_accuracy: if ev.is_empty() {
            0.0
        } else {
            date_ok as f64 / ev.len() as f64
        },
        merge: Score::new(mtp, mfp, mfn),
        missed,
        false_positives,
    }
}

impl fmt::Display for EventsReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &Score| {
            writeln!(
                f,
                "{name:<22} {:>4} {:>4} {:>4}  {:>5.3} {:>5.3} {:>5.3}",
                s.tp, s.fp, s.fn_, s.precision, s.recall, s.f1
            )
        };
        writeln!(
            f,
            "events: {} gold, {} asserted claims ({} not asserted left out) in {} docs",
            self.gold,
            self.claims,
            self.not_asserted,
            self.docs.len()
        )?;
        writeln!(
            f,
            "{:<22} {:>4} {:>4} {:>4}  {:>5} {:>5} {:>5}",
            "", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        row(f, "overall", &self.overall)?;
        row(f, "overall (any year)", &self.overall_unknown_year)?;
        for (k, s) in &self.by_type {
            row(f, &format!("  {k}"), s)?;
        }
        row(f, "merge (pairs)", &self.merge)?;
        writeln!(
            f,
            "strict precision {:.3} ({} further tellings of matched events)",
            self.strict_precision, self.extra_tellings
        )?;
        writeln!(
            f,
            "date accuracy {:.3} on {} evidence-matched",
            self.date_accuracy, self.evidence_matched
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::event::{Claim, EventEvidence, EventType};
    use annals_model::Span;

    fn gold(id: &str, start: usize, same_as: Option<&str>) -> GoldEvent {
        GoldEvent {
            id: id.into(),
            doc: "d".into(),
            start,
            end: start + 10,
            date: Some("2021-08".into()),
            kind: "attack".into(),
            same_as: same_as.map(String::from),
            evidence: String::new(),
        }
    }

    fn event(id: &str, start: usize, conflicts: &[&str]) -> Event {
        let span = Span::new(1, start, start + 10);
        Event {
            id: id.into(),
            kind: EventType::Attack,
            date: Some("2021-08".into()),
            date_text: None,
            place: None,
            place_entity: None,
            actors: vec![],
            targets: vec![],
            killed: None,
            injured: None,
            claimed_by: None,
            modality: Modality::Asserted,
            evidence: vec![EventEvidence {
                doc: "d".into(),
                span,
                text: String::new(),
                notes: vec![],
            }],
            conflicts_with: conflicts.iter().map(|c| c.to_string()).collect(),
            merge_reasons: vec![],
            claims: vec![Claim {
                id: id.into(),
                doc: "d".into(),
                span,
                kind: EventType::Attack,
                date: Some("2021-08".into()),
                date_text: None,
            }],
        }
    }

    #[test]
    fn conflicting_accounts_are_one_event_for_merge_quality() {
        let g = vec![
            gold("g1", 0, None),
            gold("g2", 50, Some("g1")),
            gold("g3", 100, None),
        ];
        let linked = vec![
            event("a", 0, &["b"]),
            event("b", 50, &["a"]),
            event("c", 100, &[]),
        ];
        let r = score(&g, &linked);
        assert_eq!((r.merge.tp, r.merge.fp, r.merge.fn_), (1, 0, 0));
        let apart = vec![
            event("a", 0, &[]),
            event("b", 50, &[]),
            event("c", 100, &[]),
        ];
        let r = score(&g, &apart);
        assert_eq!((r.merge.tp, r.merge.fp, r.merge.fn_), (0, 0, 1));
        assert_eq!(r.overall.tp, 3);
    }
}
