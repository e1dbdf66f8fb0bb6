//! The tagging pass: every rule runs over the text, the leftmost-longest
//! non-overlapping candidates are normalised in reading order, and each calendar
//! date becomes the narrative time that anaphoric expressions resolve against.

use crate::calendar::Point;
use crate::rules::{Ctx, RULES};
use crate::Tagged;
use annals_model::text::{sentences, CharIndex};
use annals_model::time::TimexType;
use regex::{Regex, RegexSet};
use std::sync::LazyLock;

/// Narrative state carried across sentences, paragraphs and parts.
#[derive(Debug, Clone, Default)]
pub(crate) struct Narrative {
    /// The current narrative time.
    pub point: Option<Point>,
    /// It was set by an expression that wrote its year.
    pub explicit: bool,
    /// Global index of the sentence that set it.
    pub sent: usize,
    /// Global index of the paragraph that set it.
    pub para: usize,
    /// Sentences and paragraphs seen so far (global counters).
    pub sent_count: usize,
    /// Paragraphs seen so far.
    pub para_count: usize,
    /// The last fiscal quarter named.
    pub quarter: Option<Point>,
}

/// Tense cues: the last one before a time expression, within its clause, decides
/// whether a bare weekday or month looks forward or back.
static TENSE: LazyLock<Regex> = LazyLock::new(|| {
    // ASCII `\b`: the DFA stays in use on non-ASCII text (see `rules::rule`).
    Regex::new(&r"(?i)\b(?:(?P<fut>will|won't|shall|going\s+to|scheduled|plans?\s+to|planned\s+for|is\s+to|are\s+to|next|upcoming|expected\s+to|due|payable|until|before)|(?P<past>was|were|had|did|ago|earlier|since|last|began|ended|said|says|told|announced|reported|took\s+place|died|killed))\b|(?P<fut2>'ll)\b".replace(r"\b", r"(?-u:\b)"))
        .expect("tense regex")
});

/// Every rule in one set: one scan of the text says which rules match at all, so that
/// only those run their own search (most paragraphs hold no time expression, or few kinds).
static RULE_SET: LazyLock<RegexSet> = LazyLock::new(|| {
    RegexSet::new(RULES.iter().map(|r| r.re.as_str())).expect("the rules compile as a set")
});

static PARA_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\n[ \t\r]*\n").expect("para regex"));

/// A match whose first or last character is a word character touching a
/// non-ASCII letter or digit (`May` in `Mayé`): Unicode `\b` rejected these, the
/// ASCII `\b` of the rules does not.
fn glued_to_letter(text: &str, start: usize, end: usize) -> bool {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let glued = |inner: Option<char>, outer: Option<char>| match (inner, outer) {
        (Some(i), Some(o)) => word(i) && !o.is_ascii() && word(o),
        _ => false,
    };
    glued(
        text[start..end].chars().next(),
        text[..start].chars().next_back(),
    ) || glued(
        text[start..end].chars().next_back(),
        text[end..].chars().next(),
    )
}

/// Tags `text` as one or more paragraphs (split at blank lines), updating `state`.
pub(crate) fn run(text: &str, dct: Option<(Point, &str)>, state: &mut Narrative) -> Vec<Tagged> {
    // Candidates from every rule.
    let mut cands: Vec<(usize, usize, usize)> = Vec::new();
    for ri in RULE_SET.matches(text).iter() {
        let r = &RULES[ri];
        for m in r.re.find_iter(text) {
            if m.end() > m.start() && !glued_to_letter(text, m.start(), m.end()) {
                cands.push((m.start(), m.end(), ri));
            }
        }
    }
    let para_starts: Vec<usize> = std::iter::once(0)
        .chain(PARA_BREAK.find_iter(text).map(|m| m.end()))
        .collect();
    let base_para = state.para_count;
    let base_sent = state.sent_count;
    state.para_count += para_starts.len();
    if cands.is_empty() {
        state.sent_count += 1;
        return Vec::new();
    }
    cands.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));

    let ci = CharIndex::new(text);
    let sents: Vec<(usize, usize)> = sentences(text)
        .into_iter()
        .map(|(s, e)| (ci.byte_of(s), ci.byte_of(e)))
        .collect();
    state.sent_count += sents.len().max(1);

    let mut out = Vec::new();
    let mut last_end = 0usize;
    for &(start, end, ri) in &cands {
        if start < last_end {
            continue;
        }
        let rule = &RULES[ri];
        let Some(caps) = rule.re.captures_at(text, start) else {
            continue;
        };
        let m0 = caps.get(0).expect("group 0");
        if m0.start() != start || m0.end() != end {
            continue;
        }
        let si = sents
            .partition_point(|s| s.1 <= start)
            .min(sents.len().saturating_sub(1));
        let para = base_para
            + para_starts
                .partition_point(|&p| p <= start)
                .saturating_sub(1);
        let sent = base_sent + si;
        // Tense cues in the clause before the match (up to 60 bytes back).
        let (ss, _) = sents.get(si).copied().unwrap_or((0, text.len()));
        let wb = floor_char(text, start.saturating_sub(60).max(ss.min(start)));
        let (future, past) = match TENSE.captures_iter(&text[wb..start]).last() {
            Some(c) if c.name("past").is_some() => (false, true),
            Some(_) => (true, false),
            None => (false, false),
        };
        // Bare months take the narrative's year when it was just written: in the same
        // sentence when the document date is known, else within the paragraph.
        let recent = state.explicit
            && state.point.is_some()
            && (sent == state.sent
                || (dct.is_none() && (state.para == para || sent <= state.sent + 2)));
        let ctx = Ctx {
            dct,
            narrative: state.point,
            recent,
            future,
            past,
            quarter: state.quarter,
            text,
            start,
            end,
        };
        let Some(norm) = (rule.handle)(&caps, &ctx) else {
            continue;
        };
        let s = start + norm.trim;
        last_end = end;
        if norm.kind == TimexType::Date && norm.sticky {
            if let Some(p) = norm.point {
                if matches!(p, Point::Quarter(..)) {
                    state.quarter = Some(p);
                }
                state.point = Some(p);
                state.explicit = norm.explicit;
                state.sent = sent;
                state.para = para;
            }
        }
        out.push(Tagged {
            start: ci.char_of(s),
            end: ci.char_of(end),
            text: text[s..end].to_string(),
            kind: norm.kind,
            value: norm.value,
            anchor: norm.anchor,
            modifier: norm.modifier.map(str::to_string),
            rule: rule.name,
        });
    }
    out
}

/// The largest char boundary at or before `i`.
fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
