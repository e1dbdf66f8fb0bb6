//! Inline note markers: candidates, then an alignment to the notes that exist.
//!
//! Bracketed (`[3]`, `[^3]`) and superscript (`³`) markers say what they are and
//! are taken as written. Digits glued to a word or to punctuation (`visit2`,
//! `ground.25`, `Sun Yuxi,5`, `in 201665`) may also be a year, `G20`, a decimal
//! or a count, so each is only a *candidate* with a prior that reflects where it
//! sits. A weighted longest-increasing-chain programme then keeps the candidates
//! that best explain the notes `1..N` in order: a number that would break the
//! sequence (an `8` among markers `30..40`) is not a marker, and a document
//! without notes gets no glued-digit markers at all.
//!
//! A paragraph the scrape repeated repeats its markers: a candidate whose
//! preceding context equals that of an earlier candidate is a copy and is kept
//! exactly when the earlier one is.
use annals_model::notes::{Marker, Note};
use annals_model::{Diagnostic, Document, PartKind, Source};
use std::collections::{BTreeSet, HashMap};

/// How a candidate is written; decides its prior.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    /// `[3]` or `[^3]`: explicit.
    Bracket,
    /// `³`: explicit.
    Superscript,
    /// Glued to punctuation: `ground.25`, `Yuxi,5`, `leadership’.79`.
    AfterPunctuation,
    /// Glued to a letter: `visit2`.
    AfterLetter,
    /// Glued to a word that looks like a code (`G20`, `MH17`): unlikely.
    AfterCode,
    /// Glued to a four-digit year: `in 201665` (year 2016, marker 65).
    AfterYear,
    /// After a year and a stop or comma: `in 2016,68`, `in 2018.16`.
    AfterYearPunct,
}

/// A place that may be a note marker.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Index of the part in the document.
    pub part: usize,
    /// Character offsets of the marker in the part text.
    pub start: usize,
    /// End (exclusive).
    pub end: usize,
    /// The note number it would point to.
    pub value: u32,
    /// As written.
    pub text: String,
    /// How it is written.
    pub kind: CandidateKind,
}

impl Candidate {
    fn prior(&self) -> f64 {
        match self.kind {
            CandidateKind::Bracket | CandidateKind::Superscript => 2.0,
            CandidateKind::AfterPunctuation => 1.0,
            CandidateKind::AfterLetter => 0.6,
            CandidateKind::AfterYear | CandidateKind::AfterYearPunct => 0.3,
            CandidateKind::AfterCode => -0.8,
        }
    }

    fn explicit(&self) -> bool {
        matches!(
            self.kind,
            CandidateKind::Bracket | CandidateKind::Superscript
        )
    }
}

/// The part kinds whose text carries markers.
fn carries_markers(kind: PartKind) -> bool {
    matches!(
        kind,
        PartKind::Body | PartKind::Caption | PartKind::Standfirst | PartKind::PullQuote
    )
}

/// Finds the markers of `doc`, given its notes.
pub fn find_markers(
    source: &Source,
    doc: &Document,
    notes: &[Note],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Marker> {
    find_markers_labelled(source, doc, notes, &HashMap::new(), diags)
}

/// [`find_markers`] for documents whose Markdown footnotes have names:
/// `[^label]` points to the note numbered `labels[label]`.
pub fn find_markers_labelled(
    source: &Source,
    doc: &Document,
    notes: &[Note],
    labels: &HashMap<String, u32>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Marker> {
    let numbers: BTreeSet<u32> = notes.iter().map(|n| n.number).collect();
    let mut cands = Vec::new();
    let mut contexts = Vec::new();
    for (pi, part) in doc.parts.iter().enumerate() {
        if !carries_markers(part.kind) {
            continue;
        }
        let chars: Vec<char> = part.text.chars().collect();
        let mut found = candidates(&chars);
        if !labels.is_empty() {
            found.extend(named_candidates(&chars, labels));
            found.sort_by_key(|c| c.start);
        }
        for c in found {
            let from = c.start.saturating_sub(40);
            let ctx: String = chars[from..c.end]
                .iter()
                .filter(|c| !c.is_whitespace())
                .collect();
            contexts.push(ctx);
            cands.push(Candidate { part: pi, ..c });
        }
    }
    let keep = select(&cands, &contexts, &numbers);
    // A note nobody cites, with a rejected candidate of its number glued to
    // punctuation: probably a marker out of order. Worth a human look.
    let cited: BTreeSet<u32> = cands
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(c, _)| c.value)
        .collect();
    for (c, k) in cands.iter().zip(&keep) {
        if !k
            && c.kind == CandidateKind::AfterPunctuation
            && numbers.contains(&c.value)
            && !cited.contains(&c.value)
        {
            let span = doc.parts[c.part].source_span(c.start, c.end, |o| source.line_of(o));
            diags.push(Diagnostic::warning(
                &source.path,
                Some(span.line),
                "marker-out-of-order",
                format!(
                    "{} in {} may be a marker for note {} out of order",
                    c.text, doc.id, c.value
                ),
            ));
        }
    }
    let mut out = Vec::new();
    for (c, k) in cands.iter().zip(keep) {
        if !k {
            continue;
        }
        let part = &doc.parts[c.part];
        let span = part.source_span(c.start, c.end, |o| source.line_of(o));
        let note = numbers.contains(&c.value).then_some(c.value);
        if note.is_none() {
            diags.push(Diagnostic::warning(
                &source.path,
                Some(span.line),
                "marker-without-note",
                format!("marker {} in {} has no note", c.text, doc.id),
            ));
        }
        out.push(Marker {
            doc: doc.id.clone(),
            span,
            marker: c.text.clone(),
            note,
        });
    }
    out
}

/// Decides which candidates are markers.
///
/// Explicit candidates are kept. Glued candidates whose value is a note number
/// go through the alignment; copies (same preceding context as an earlier
/// candidate) follow their original.
pub fn select(cands: &[Candidate], contexts: &[String], numbers: &BTreeSet<u32>) -> Vec<bool> {
    let mut keep = vec![false; cands.len()];
    let mut first_of: HashMap<&str, usize> = HashMap::new();
    let mut copy_of = vec![None; cands.len()];
    for (i, ctx) in contexts.iter().enumerate() {
        if ctx.chars().count() >= 20 {
            match first_of.get(ctx.as_str()) {
                Some(&j) => copy_of[i] = Some(j),
                None => {
                    first_of.insert(ctx, i);
                }
            }
        }
    }
    let mut chain_ids = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if copy_of[i].is_some() {
            continue;
        }
        if c.explicit() {
            keep[i] = true;
        } else if numbers.contains(&c.value) {
            chain_ids.push(i);
        }
    }
    for i in align(cands, &chain_ids) {
        keep[i] = true;
    }
    for i in 0..cands.len() {
        if let Some(j) = copy_of[i] {
            keep[i] = keep[j];
        }
    }
    keep
}

const CONSECUTIVE_BONUS: f64 = 1.0;
const GAP_COST: f64 = 0.6;
const JUMP_COST: f64 = 0.3;

/// Weighted longest increasing chain over the candidates `ids` (in text order).
fn align(cands: &[Candidate], ids: &[usize]) -> Vec<usize> {
    let m = ids.len();
    if m == 0 {
        return Vec::new();
    }
    let mut best = vec![0f64; m];
    let mut back = vec![usize::MAX; m];
    for j in 0..m {
        let cj = &cands[ids[j]];
        let vj = cj.value as f64;
        // starting the chain here skips notes 1..v-1
        let mut b = cj.prior() - GAP_COST * (vj - 1.0);
        let mut bk = usize::MAX;
        for i in 0..j {
            let ci = &cands[ids[i]];
            if ci.value >= cj.value {
                continue;
            }
            let gap = (cj.value - ci.value - 1) as f64;
            let trans = if gap == 0.0 {
                CONSECUTIVE_BONUS
            } else {
                -GAP_COST * gap - JUMP_COST
            };
            let s = best[i] + trans + cj.prior();
            if s > b {
                b = s;
                bk = i;
            }
        }
        best[j] = b;
        back[j] = bk;
    }
    let mut j = (0..m)
        .max_by(|&a, &b| best[a].total_cmp(&best[b]))
        .unwrap_or(0);
    let mut out = Vec::new();
    loop {
        out.push(ids[j]);
        if back[j] == usize::MAX {
            break;
        }
        j = back[j];
    }
    out.reverse();
    out
}

/// `[^label]` markers of named Markdown footnotes.
fn named_candidates(chars: &[char], labels: &HashMap<String, u32>) -> Vec<Candidate> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 3 < chars.len() {
        if chars[i] == '[' && chars[i + 1] == '^' {
            if let Some(len) = chars[i + 2..].iter().take(41).position(|c| *c == ']') {
                let label: String = chars[i + 2..i + 2 + len].iter().collect();
                if let Some(&v) = labels.get(&label) {
                    let end = i + 3 + len;
                    out.push(Candidate {
                        part: 0,
                        start: i,
                        end,
                        value: v,
                        text: chars[i..end].iter().collect(),
                        kind: CandidateKind::Bracket,
                    });
                    i = end;
                    continue;
                }
            }
        }
        i += 1;
    }
    out
}

fn is_closing_punct(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | ')' | ']' | '’' | '”' | '\'' | '"' | '»' | '!' | '?' | '—' | '–'
    )
}

fn superscript_digit(c: char) -> Option<u32> {
    Some(match c {
        '⁰' => 0,
        '¹' => 1,
        '²' => 2,
        '³' => 3,
        '⁴' => 4,
        '⁵' => 5,
        '⁶' => 6,
        '⁷' => 7,
        '⁸' => 8,
        '⁹' => 9,
        _ => return None,
    })
}

/// Can the character after a glued number end a marker?
fn ends_marker(chars: &[char], j: usize) -> bool {
    match chars.get(j) {
        None => true,
        Some(c) if c.is_whitespace() => true,
        Some(',' | ';' | ':' | '.' | ')' | '!' | '?') => {
            chars.get(j + 1).is_none_or(|n| n.is_whitespace())
        }
        // "visit2—and": a dash after a marker
        Some('—' | '–') => true,
        _ => false,
    }
}

/// The word (letters, digits, hyphens) that ends at `end`.
fn word_before(chars: &[char], end: usize) -> &[char] {
    let mut b = end;
    while b > 0 && (chars[b - 1].is_alphanumeric() || chars[b - 1] == '-') {
        b -= 1;
    }
    &chars[b..end]
}

/// Every place in a text that could be a marker.
pub fn candidates(chars: &[char]) -> Vec<Candidate> {
    let n = chars.len();
    let mut out = Vec::new();
    let mk = |start: usize, end: usize, value: u32, kind: CandidateKind| Candidate {
        part: 0,
        start,
        end,
        value,
        text: chars[start..end].iter().collect(),
        kind,
    };
    let mut i = 0;
    while i < n {
        let c = chars[i];
        // [3] and [^3]
        if c == '[' {
            let mut j = i + 1;
            if j < n && chars[j] == '^' {
                j += 1;
            }
            let ds = j;
            while j < n && chars[j].is_ascii_digit() && j - ds < 4 {
                j += 1;
            }
            if j > ds
                && j < n
                && chars[j] == ']'
                && chars.get(j + 1) != Some(&'(')
                && chars.get(j + 1) != Some(&':')
            {
                let v: u32 = chars[ds..j].iter().collect::<String>().parse().unwrap_or(0);
                if v > 0 {
                    out.push(mk(i, j + 1, v, CandidateKind::Bracket));
                }
                i = j + 1;
                continue;
            }
            i += 1;
            continue;
        }
        if superscript_digit(c).is_some() {
            let mut j = i;
            let mut v = 0u32;
            while j < n {
                match superscript_digit(chars[j]) {
                    Some(d) => v = v * 10 + d,
                    None => break,
                }
                j += 1;
            }
            if v > 0 && i > 0 && !chars[i - 1].is_whitespace() {
                out.push(mk(i, j, v, CandidateKind::Superscript));
            }
            i = j;
            continue;
        }
        if c.is_ascii_digit() {
            let mut j = i;
            while j < n && chars[j].is_ascii_digit() {
                j += 1;
            }
            if ends_marker(chars, j) {
                if let Some(cand) = glued(chars, i, j) {
                    out.push(mk(cand.0, j, cand.1, cand.2));
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    out
}

/// Classifies the digit run `i..j` (already known to end like a marker).
/// Returns (marker start, value, kind).
fn glued(chars: &[char], i: usize, j: usize) -> Option<(usize, u32, CandidateKind)> {
    let len = j - i;
    let digits: String = chars[i..j].iter().collect();
    let prev = if i > 0 { Some(chars[i - 1]) } else { None };
    let value_of = |s: &str| -> Option<u32> {
        if s.starts_with('0') || s.is_empty() || s.len() > 3 {
            return None;
        }
        s.parse().ok()
    };
    match prev {
        Some(p) if p.is_alphabetic() => {
            let v = value_of(&digits)?;
            let word = word_before(chars, i);
            // A code such as G20, MH17, F-16: a short all-caps word, or a word
            // that already holds digits.
            let letters: Vec<char> = word.iter().copied().filter(|c| c.is_alphabetic()).collect();
            let code = word.iter().any(|c| c.is_ascii_digit() || *c == '-')
                || (letters.len() <= 3 && letters.iter().all(|c| c.is_uppercase()));
            Some((
                i,
                v,
                if code {
                    CandidateKind::AfterCode
                } else {
                    CandidateKind::AfterLetter
                },
            ))
        }
        Some(p) if is_closing_punct(p) => {
            let v = value_of(&digits)?;
            let before = if i >= 2 { Some(chars[i - 2]) } else { None };
            if before.is_some_and(|b| b.is_ascii_digit()) {
                // 1.5, 10:30 and 10,000 are numbers; `in 2018.16` and `in 2016,68`
                // are markers after a year.
                if !(p == '.' || p == ',') || (p == ',' && len == 3) {
                    return None;
                }
                let year = word_before(chars, i - 1);
                let y: String = year.iter().collect();
                let is_year = y.len() == 4 && (y.starts_with("19") || y.starts_with("20"));
                if !is_year {
                    return None;
                }
                return Some((i, v, CandidateKind::AfterYearPunct));
            }
            if p == '-' || p == '–' || p == '—' {
                return None;
            }
            Some((i, v, CandidateKind::AfterPunctuation))
        }
        // in 201665: a year with the marker glued on
        Some(p) if (p.is_whitespace() || p == '(') && (5..=7).contains(&len) => {
            let y = &digits[..4];
            if !(y.starts_with("19") || y.starts_with("20")) {
                return None;
            }
            let v = value_of(&digits[4..])?;
            Some((i + 4, v, CandidateKind::AfterYear))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, notes: &[u32]) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        let cands = candidates(&chars);
        let ctx: Vec<String> = cands
            .iter()
            .map(|c| {
                chars[c.start.saturating_sub(40)..c.end]
                    .iter()
                    .filter(|c| !c.is_whitespace())
                    .collect()
            })
            .collect();
        let numbers: BTreeSet<u32> = notes.iter().copied().collect();
        let keep = select(&cands, &ctx, &numbers);
        cands
            .iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(c, _)| format!("{}@{}", c.text, c.start))
            .collect()
    }

    fn check(text: &str, n_notes: u32, expect: &[&str]) {
        let notes: Vec<u32> = (1..=n_notes).collect();
        let got: Vec<String> = found(text, &notes)
            .into_iter()
            .map(|s| s.split('@').next().unwrap().to_string())
            .collect();
        assert_eq!(got, expect, "in {text:?}");
    }

    #[test]
    fn glued_markers_among_other_numbers() {
        check(
            "In 2013 the G20 met in Osaka.1 Ministers spoke of 5G, COVID-19 and a $1.5 billion loan2 while \
             the Kabul2021 talks stalled, so the envoy Li Wei,3 who arrived at 10:30, left in 201654 \
             for Osh.4 The plan was signed in 2018.5 Exercise Peace-2017 followed.",
            5,
            &["1", "2", "3", "4", "5"],
        );
    }

    #[test]
    fn year_glued_marker_is_found_when_the_sequence_expects_it() {
        check(
            "The office opened in Almaty in 20151 and in Bishkek in 2016,2 then in Dushanbe.3",
            3,
            &["1", "2", "3"],
        );
    }

    #[test]
    fn no_notes_no_glued_markers() {
        check(
            "The fund grew by 2019.4 and the summit of visit2 leaders.",
            0,
            &[],
        );
    }

    #[test]
    fn bracket_and_superscript_markers() {
        check(
            "As the analyst said [1] and again[^2], the risk grew³.",
            3,
            &["[1]", "[^2]", "³"],
        );
    }

    #[test]
    fn out_of_order_numbers_are_not_markers() {
        check(
            "First claim.1 Second claim.2 A brigade of 30 men.3 Then Battalion7 moved. Fourth.4",
            8,
            &["1", "2", "3", "4"],
        );
    }

    #[test]
    fn duplicated_paragraph_repeats_markers() {
        let p = "The minister travelled to the border region to inspect the crossings.1 ";
        let text = format!("{p}Then a second point.2 {p}");
        let got = found(&text, &[1, 2]);
        assert_eq!(got.len(), 3, "{got:?}");
    }
}
