//! Reading event claims from a document's sentences.
//!
//! A claim is built around trigger words (data/triggers.tsv): each sentence is cut
//! into clauses at strong breaks (`;`, dashes, `: `) and into segments at weak ones
//! (commas, `and`, `when`, `after`...); a segment's triggers vote for its type.
//! Its date is the calendar date in the segment, else the date that opens the
//! clause or sentence ("That June, as ..., X signed ... and welcomed ..."), else,
//! for a sentence without any date, the date of the earlier event a definite noun
//! points back to ("After the meeting in Doha, ...", "claiming the attack").
//! Undated claims are dropped: annals reports events on a time line.
use crate::anchor;
use crate::args::{self, Name};
use crate::lexicon::{self, Cue, Hit, CUES};
use annals_model::event::{Claim, Event, EventEvidence, EventType, Modality};
use annals_model::know::{EntityKind, Mention};
use annals_model::notes::Marker;
use annals_model::text::{sentences, CharIndex};
use annals_model::time::{Timex, TimexType};
use annals_model::{Document, PartKind, Source, Span};
use once_cell::sync::Lazy;
use regex::Regex;

/// One sentence of a part, with the map from its characters to the source.
struct Sent {
    text: String,
    /// Source offset of each char, plus one past the end.
    src: Vec<usize>,
    ci: CharIndex,
    part: usize,
    kind: PartKind,
}

impl Sent {
    fn byte_of_src(&self, off: usize) -> Option<usize> {
        let i = self.src.partition_point(|&s| s < off);
        if i >= self.src.len() {
            return None;
        }
        Some(self.ci.byte_of(i))
    }
    fn src_of_byte(&self, b: usize) -> usize {
        let c = self.ci.char_of(b);
        self.src[c.min(self.src.len() - 1)]
    }
    /// Source span of byte range `a..b` (end exclusive).
    fn span(&self, source: &Source, a: usize, b: usize) -> Span {
        let s = self.src_of_byte(a);
        let e = if b > a {
            self.src[self.ci.char_of(b).saturating_sub(1).min(self.src.len() - 1)] + 1
        } else {
            s
        };
        Span::new(source.line_of(s), s, e)
    }
}

/// Parts whose prose may state events.
fn readable(kind: PartKind) -> bool {
    matches!(
        kind,
        PartKind::Body
            | PartKind::Caption
            | PartKind::Standfirst
            | PartKind::Preamble
            | PartKind::Notes
    )
}

static CITATION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"https?://|www\.|\baccessed\b|[‘“][^’”]{3,}[’”],?\s+(?:[A-Z][\w ]+,\s+)?\(?\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[‘“][^’”]{3,}[’”],\s+[A-Z]|[’”]\s*\[[‘“]|[’”]\]?,\s+(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+\d{4}").unwrap()
});

/// A note that cites a source (a title and the date it was published, a URL):
/// its date is when the source appeared, not when an event happened. Notes that
/// are prose comments are read like the body.
fn is_citation(text: &str) -> bool {
    CITATION.is_match(text)
}

static GLUED: Lazy<Regex> = Lazy::new(|| Regex::new(r"[a-z\)”’][\.\?!][A-Z][a-z]").unwrap());

fn split_sentences(doc: &Document) -> Vec<Sent> {
    let mut out = Vec::new();
    for (pi, part) in doc.parts.iter().enumerate() {
        if !readable(part.kind) || (part.kind == PartKind::Notes && is_citation(&part.text)) {
            continue;
        }
        let chars: Vec<char> = part.text.chars().collect();
        for (s, e) in sentences(&part.text) {
            // scrape damage: "talks.By May 2015" has no space after the stop
            let piece: String = chars[s..e].iter().collect();
            let mut cuts = vec![s];
            let pci = CharIndex::new(&piece);
            for m in GLUED.find_iter(&piece) {
                cuts.push(s + pci.char_of(m.start()) + 2);
            }
            cuts.push(e);
            for w in cuts.windows(2) {
                let (a, b) = (w[0], w[1]);
                if b <= a {
                    continue;
                }
                let text: String = chars[a..b].iter().collect();
                let mut src: Vec<usize> = (a..b).map(|i| part.map.to_source(i)).collect();
                src.push(src.last().map_or(0, |l| l + 1));
                let ci = CharIndex::new(&text);
                out.push(Sent {
                    text,
                    src,
                    ci,
                    part: pi,
                    kind: part.kind,
                });
            }
        }
    }
    out
}

/// A time expression inside a sentence (byte offsets in the sentence).
#[derive(Clone)]
struct Tx {
    start: usize,
    end: usize,
    value: String,
    text: String,
    calendar: bool,
}

/// A TIMEX3 value that names a calendar period: `2014`, `2014-04-26`, `201X`, `XXXX-10`.
pub fn is_calendar(value: &str) -> bool {
    let b = value.as_bytes();
    b.len() >= 4
        && b[..4].iter().all(|c| c.is_ascii_digit() || *c == b'X')
        && (b[0].is_ascii_digit() || (b.len() >= 7 && b[5].is_ascii_digit()))
}

/// One claim being built.
#[derive(Clone)]
struct Draft {
    kind: EventType,
    modality: Modality,
    date: String,
    date_text: Option<String>,
    sent: usize,
    start: usize,
    end: usize,
    actors: Vec<String>,
    targets: Vec<String>,
    place: Option<(String, Option<String>)>,
    killed: Option<annals_model::event::Count>,
    injured: Option<annals_model::event::Count>,
    claimed_by: Option<String>,
    /// End of the clause the claim stands in (statements reach to it: what was said).
    clause_end: usize,
    /// Told by a verb, not a noun: a clause without a subject may share the previous one's.
    verbal: bool,
    /// Told by a name ("9/11"), not in the course of the story: never an antecedent.
    named: bool,
    /// Told by a plural noun ("attacks", "incidents"): never the antecedent of "the attack".
    plural: bool,
}

static STRONG: Lazy<Regex> = Lazy::new(|| Regex::new(r";\s*|\s*[—―]\s*|\s+–\s+|:\s+").unwrap());
static WEAK: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r",\s+(?:as well as\s+|and\s+|or\s+|but\s+|as\s+|when\s+|after\s+|while\s+|which\s+)?|\s+(?:and|but|when|while|after|before|as was|as were|as well as)\s+").unwrap()
});
static REPORT_THAT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:said|says|stated|wrote|noted|leaked|declared|warned|announced|claimed|expressed|insisted|argued|reported|signaled|signalled|stressed|emerged|believes|believed)\s+that\b").unwrap()
});
pub(crate) static DEFINITE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:the|this|that|these|its|their|[A-Z][\w\-]*’s|[A-Z][\w\-]*'s)\s+(?:[\w\-]+\s+){0,2}?(attacks?|bombings?|massacres?|meetings?|visits?|summits?|talks|agreements?|deals?|declarations?|takeover|withdrawal|announcements?|speech(?:es)?)\b").unwrap()
});
static CONNECTIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?:(?:Soon|Shortly|Not long|Immediately|Right|Just)\s+)?(?:after that|afterwards|thereafter|after this|as|at the same time)\b").unwrap()
});
static COORD: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^(?:,\s*)?\s*(?:and|as was|as were|as well as)\s*$").unwrap());

fn ranges_between(
    text: &str,
    start: usize,
    end: usize,
    re: &Regex,
    keep: &[(usize, usize)],
) -> Vec<(usize, usize, usize)> {
    // (segment start, segment end, start of the boundary before it)
    let mut out = Vec::new();
    let mut cur = start;
    let mut bstart = start;
    for m in re.find_iter(&text[start..end]) {
        let (ms, me) = (start + m.start(), start + m.end());
        if keep.iter().any(|&(a, b)| ms < b && a < me) {
            continue; // never inside a time expression ("May 12, 2021")
        }
        if ms > cur {
            out.push((cur, ms, bstart));
        }
        cur = me;
        bstart = ms;
    }
    if cur < end {
        out.push((cur, end, bstart));
    }
    out
}

/// Weak segments of clause `ca..cb`, with extra cut points (`that` after a reporting verb).
fn segments(
    text: &str,
    ca: usize,
    cb: usize,
    cuts: &[usize],
    keep: &[(usize, usize)],
) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    for (a, b, bs) in ranges_between(text, ca, cb, &WEAK, keep) {
        let mut cur = a;
        let mut cur_bs = bs;
        for &c in cuts.iter().filter(|&&c| c > a && c < b) {
            out.push((cur, c, cur_bs));
            cur_bs = c;
            cur = c;
        }
        out.push((cur, b, cur_bs));
    }
    out
}

/// The sentence with note markers blanked out (`visit2` → `visit `), so that
/// triggers glued to a marker still match. Byte lengths are kept.
fn blank_markers(text: &str, markers: &[(usize, usize)]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for &(a, b) in markers {
        for x in bytes.iter_mut().take(b.min(text.len())).skip(a) {
            if x.is_ascii_digit() {
                *x = b' ';
            }
        }
    }
    // markers not given: a letter or closing punctuation followed by one or two digits
    for m in GLUED_MARKER.find_iter(text) {
        for x in bytes.iter_mut().take(m.end()).skip(m.start() + 1) {
            if x.is_ascii_digit() {
                *x = b' ';
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_else(|_| text.to_string())
}

static GLUED_MARKER: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"[a-z,\.’”\)]\d{1,2}(?:\s|$)").unwrap());

/// The date of the earlier event a definite noun phrase points back to
/// ("the meeting in Doha", "the Kunduz attack"): the latest earlier claim of the
/// noun's type, preferring one whose evidence names the same place or party.
fn antecedent(
    text: &str,
    drafts: &[Draft],
    sents: &[Sent],
    sent: &Sent,
) -> Option<(String, EventType)> {
    for c in DEFINITE.captures_iter(text) {
        let noun = c.get(1)?;
        let Some(kind) = lexicon::triggers(noun.as_str()).first().map(|h| h.kind) else {
            continue;
        };
        let whole = c.get(0)?;
        let tail: String = text[whole.end()..]
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        let keys: Vec<String> = args::capitalised_names(&format!("{} {}", whole.as_str(), tail))
            .into_iter()
            .map(|n| n.text)
            .collect();
        let cands: Vec<&Draft> = drafts
            .iter()
            .filter(|d| d.kind == kind && !d.named && sents[d.sent].part <= sent.part)
            // number agrees: "the attack" is not "incidents around the globe"
            .filter(|d| noun.as_str().ends_with('s') || !d.plural)
            .collect();
        let pick = cands
            .iter()
            .rev()
            .find(|d| {
                let ev = &sents[d.sent].text[d.start..d.end];
                !keys.is_empty() && keys.iter().any(|k| ev.contains(k.as_str()))
            })
            .or_else(|| if keys.is_empty() { cands.last() } else { None });
        if let Some(d) = pick {
            return Some((d.date.clone(), kind));
        }
    }
    None
}

fn strong_clauses(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cur = 0;
    for m in STRONG.find_iter(text) {
        if m.as_str().starts_with(':') {
            let next = text[m.end()..].chars().next().unwrap_or(' ');
            if !(next.is_uppercase() || next == '“' || next == '"') {
                continue;
            }
        }
        if m.start() > cur {
            out.push((cur, m.start()));
        }
        cur = m.end();
    }
    if cur < text.len() {
        out.push((cur, text.len()));
    }
    out
}

fn modality_of(text: &str, seg_start: usize, trigger: usize) -> Modality {
    // "to help victims of the attacks": a noun of aftermath presupposes the event
    if PRESUPPOSED.is_match(&text[seg_start..trigger]) {
        return Modality::Asserted;
    }
    // cues within the twelve words before the trigger, inside the segment's clause
    let before = &text[seg_start..trigger];
    let words: Vec<(usize, &str)> = before.split_whitespace().map(|w| (0, w)).collect();
    let window_start = if words.len() > 12 {
        let mut n = 0;
        let mut pos = before.len();
        for (i, c) in before.char_indices().rev() {
            if c.is_whitespace() && i + 1 < pos {
                n += 1;
                if n == 12 {
                    pos = i;
                    break;
                }
            }
        }
        pos
    } else {
        0
    };
    let win = &before[window_start..];
    let lowered;
    let win = if window_start == 0 && seg_start == 0 {
        lowered = lower_first(win);
        lowered.as_str()
    } else {
        win
    };
    let mut m = Modality::Asserted;
    for (cs, ce, cue) in CUES.find(win) {
        // a modal or negation governs the verb it stands before, not one further
        // on ("X, worried that it might suffer, dispatched Y": dispatched is asserted);
        // conditionals govern their whole clause
        let conditional = matches!(win[cs..ce].to_lowercase().as_str(), "if" | "unless");
        let gap = &win[ce..];
        if !conditional && (gap.split_whitespace().count() > 6 || gap.contains([',', '(', ')'])) {
            continue;
        }
        // a cue inside a quotation does not reach a trigger after it ("“... must not stop!” said")
        if gap.contains(['”', '"']) || gap.contains("''") {
            continue;
        }
        // "did not disclose the purchase": the negation governs "disclose"; the purchase,
        // a definite noun, is presupposed (but "did not carry out the attack" denies it)
        if cue == Cue::Negated {
            let g: Vec<String> = gap.split_whitespace().map(|w| w.to_lowercase()).collect();
            let det_last = g.last().is_some_and(|w| {
                matches!(w.as_str(), "the" | "its" | "their" | "his" | "her" | "this")
            });
            let other_verb = g.len() >= 2
                && g[..g.len() - 1]
                    .iter()
                    .any(|w| !LIGHT_VERBS.contains(&w.as_str()));
            if det_last && other_verb {
                continue;
            }
        }
        m = match cue {
            Cue::Negated => Modality::Negated,
            Cue::Hypothetical => Modality::Hypothetical,
            Cue::Future if m == Modality::Asserted => Modality::Future,
            Cue::Future => m,
        };
    }
    let lead = text[..seg_start].trim_start().to_lowercase();
    if lead.starts_with("if ") || lead.starts_with("unless ") {
        m = Modality::Hypothetical;
    }
    m
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn main_kind(hits: &[&Hit]) -> Option<(EventType, usize)> {
    let mut best: Option<(EventType, u32, usize)> = None;
    for h in hits {
        let total: u32 = hits
            .iter()
            .filter(|x| x.kind == h.kind)
            .map(|x| x.weight)
            .sum();
        let first = hits
            .iter()
            .filter(|x| x.kind == h.kind)
            .map(|x| x.start)
            .min()
            .unwrap_or(h.start);
        match best {
            Some((_, w, f)) if w > total || (w == total && f <= first) => {}
            _ => best = Some((h.kind, total, first)),
        }
    }
    best.map(|(k, _, f)| (k, f))
}

fn names_in(sent: &Sent, mentions: &[&Mention], a: usize, b: usize, use_caps: bool) -> Vec<Name> {
    let mut out: Vec<Name> = mentions
        .iter()
        .filter_map(|m| {
            let s = sent.byte_of_src(m.span.start)?;
            let e = sent.byte_of_src(m.span.end).unwrap_or(sent.text.len());
            (s >= a && e <= b && e > s).then(|| Name {
                start: s,
                end: e,
                text: m.text.clone(),
                kind: Some(m.kind),
                entity: Some(m.entity.clone()),
            })
        })
        .collect();
    if use_caps {
        out.extend(
            args::capitalised_names(&sent.text[a..b])
                .into_iter()
                .map(|mut n| {
                    n.start += a;
                    n.end += a;
                    n
                }),
        );
    }
    out
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// The document's time expressions with bare months given the narrative's year
/// (see [`crate::anchor`]).
fn narrative_dates(doc: &Document, sents: &[Sent], timexes: &[Timex]) -> Vec<Timex> {
    let mut mine: Vec<&Timex> = timexes.iter().filter(|t| t.doc == doc.id).collect();
    mine.sort_by_key(|t| t.span.start);
    let mut para_of = vec![None; doc.parts.len()];
    let mut n = 0;
    for (i, p) in doc.parts.iter().enumerate() {
        if matches!(
            p.kind,
            PartKind::Body | PartKind::Preamble | PartKind::Standfirst
        ) {
            para_of[i] = Some(n);
            n += 1;
        }
    }
    let placed: Vec<anchor::Placed> = mine
        .iter()
        .map(|t| {
            let i = sents.partition_point(|s| s.src[0] <= t.span.start);
            let sent = i
                .checked_sub(1)
                .map(|i| &sents[i])
                .filter(|s| t.span.start < *s.src.last().unwrap());
            let (para, before) = match sent.and_then(|s| Some((s, s.byte_of_src(t.span.start)?))) {
                Some((s, b)) => {
                    let pre = &s.text[..b];
                    let from = pre.char_indices().rev().nth(24).map_or(0, |(i, _)| i);
                    (para_of[s.part], pre[from..].to_string())
                }
                None => (None, String::new()),
            };
            anchor::Placed {
                tx: t,
                para,
                before,
            }
        })
        .collect();
    let new = anchor::reanchor(&placed);
    mine.into_iter()
        .zip(new)
        .map(|(t, (value, anchor))| Timex {
            value,
            anchor,
            ..t.clone()
        })
        .collect()
}

/// Reads the dated event claims of one document. Each returned [`Event`] holds
/// one telling; [`crate::merge`] joins tellings of the same event.
pub fn extract(
    source: &Source,
    doc: &Document,
    mentions: &[Mention],
    timexes: &[Timex],
    markers: &[Marker],
) -> Vec<Event> {
    let sents = split_sentences(doc);
    // the engine may pass the whole archive's mentions and markers: keep this document's once
    let doc_mentions: Vec<&Mention> = mentions.iter().filter(|m| m.doc == doc.id).collect();
    let markers: Vec<&Marker> = markers.iter().filter(|m| m.doc == doc.id).collect();
    let use_caps = doc_mentions.is_empty();
    let mut drafts: Vec<Draft> = Vec::new();
    let timexes = narrative_dates(doc, &sents, timexes);

    for (si, sent) in sents.iter().enumerate() {
        let text = &sent.text;
        let (s0, s1) = (sent.src[0], *sent.src.last().unwrap());
        let txs: Vec<Tx> = timexes
            .iter()
            .filter(|t| {
                t.doc == doc.id
                    && t.kind == TimexType::Date
                    && t.span.start >= s0
                    && t.span.end <= s1
            })
            .filter_map(|t| {
                Some(Tx {
                    start: sent.byte_of_src(t.span.start)?,
                    end: sent.byte_of_src(t.span.end).unwrap_or(text.len()),
                    value: t.value.clone(),
                    text: t.text.clone(),
                    calendar: is_calendar(&t.value),
                })
            })
            .collect();
        let sent_markers: Vec<(usize, usize)> = markers
            .iter()
            .filter(|m| m.doc == doc.id && m.span.start >= s0 && m.span.end <= s1)
            .filter_map(|m| {
                Some((
                    sent.byte_of_src(m.span.start)?,
                    sent.byte_of_src(m.span.end).unwrap_or(text.len()),
                ))
            })
            .collect();
        let plain = blank_markers(text, &sent_markers);
        let hits = lexicon::triggers(&plain);
        let has_calendar = txs.iter().any(|t| t.calendar);
        // a sentence without any date may point back to a dated event
        // "Soon after that, ...": the story goes on from the last dated event
        let connective = CONNECTIVE.find(&plain).map(|m| (m.start(), m.end()));
        // time expressions that are not calendar dates: "now" and "recently" block
        // dating a clause from context; "Soon" inside the connective does not
        let refs: Vec<&Tx> = txs
            .iter()
            .filter(|t| {
                t.value.ends_with("_REF")
                    && !connective.is_some_and(|(a, b)| t.start < b && a < t.end)
            })
            .collect();
        let mut anaphor: Option<(String, Option<EventType>)> = if !has_calendar && refs.is_empty() {
            antecedent(&plain, &drafts, &sents, sent).map(|(d, k)| (d, Some(k)))
        } else {
            None
        };
        if !has_calendar && refs.is_empty() && anaphor.is_none() && connective.is_some() {
            anaphor = drafts
                .iter()
                .rev()
                .find(|d| {
                    !d.named
                        && sents[d.sent].part + 1 >= sent.part
                        && sents[d.sent].kind == sent.kind
                })
                .map(|d| (d.date.clone(), None));
        }
        // "Two decades on from September 11, 2001": a date that names an event
        // (a name presupposes the event: "did not start with 9/11" still tells of it)
        let named_at = |start: usize, end: usize, value: &str, text: &str, kind: EventType| {
            let ca = strong_clauses(&plain)
                .into_iter()
                .find(|&(a, b)| start >= a && start < b)?
                .0;
            let mut d = build_draft(
                sent,
                si,
                &doc_mentions,
                use_caps,
                kind,
                Modality::Asserted,
                value.to_string(),
                Some(text.to_string()),
                ca,
                end,
                start,
            );
            d.actors.clear();
            d.named = true;
            Some(d)
        };
        let mut named: Vec<Draft> = txs
            .iter()
            .filter_map(|t| {
                named_at(
                    t.start,
                    t.end,
                    &t.value,
                    &t.text,
                    lexicon::named_date(&t.value)?,
                )
            })
            .collect();
        for (a, b, value, kind) in lexicon::named_events(&plain) {
            if txs.iter().any(|t| t.start < b && a < t.end) || named.iter().any(|d| d.date == value)
            {
                continue;
            }
            named.extend(named_at(a, b, &value, &plain[a..b], kind));
        }
        if !has_calendar
            && refs.is_empty()
            && anaphor.is_none()
            && si > 0
            && sent.kind == PartKind::Body
        {
            // the story goes on: right after a dated event in the same paragraph, a
            // sentence whose subject is a named person doing something in the simple
            // past ("President X, worried ..., dispatched Y") happened then
            let prev = drafts
                .iter()
                .rev()
                .find(|d| d.sent + 1 == si && !d.named && d.modality == Modality::Asserted)
                .filter(|_| sents[si - 1].part == sent.part);
            // the first past-tense trigger after a person named at the opening
            let names = names_in(sent, &doc_mentions, 0, plain.len(), use_caps);
            let person = names
                .iter()
                .filter(|n| n.kind == Some(EntityKind::Person) || (use_caps && n.kind.is_none()))
                .min_by_key(|n| n.start)
                .filter(|n| {
                    n.start < 40
                        && plain[..n.start]
                            .split_whitespace()
                            .all(|w| w.starts_with(char::is_uppercase))
                });
            let verb = person.and_then(|n| {
                hits.iter()
                    .find(|h| h.start >= n.end && is_past_tense(&plain[h.start..h.end]))
            });
            if let (Some(p), Some(h)) = (prev, verb) {
                if !PASSIVE.is_match(&plain[..h.start]) {
                    anaphor = Some((p.date.clone(), None));
                }
            }
        }
        if sent.kind == PartKind::Caption && hits.is_empty() {
            // captions date a scene even without a trigger word
            if let Some(t) = txs.iter().find(|t| t.calendar && t.value.len() >= 10) {
                drafts.push(caption_draft(sent, si, t));
            }
            continue;
        }
        if hits.is_empty() || (!has_calendar && anaphor.is_none()) {
            drafts.extend(named);
            continue;
        }
        // reported content: what follows "said that", "news leaked that"...
        let reports: Vec<usize> = REPORT_THAT.find_iter(&plain).map(|m| m.end() - 4).collect();
        let report = reports.first().copied();
        let reporting_date = txs
            .iter()
            .find(|t| t.calendar && report.is_some_and(|r| t.end <= r))
            .map(|t| t.value.clone());
        let tx_spans: Vec<(usize, usize)> = txs.iter().map(|t| (t.start, t.end)).collect();
        let mut sent_drafts: Vec<Draft> = Vec::new();
        let mut prev_kind: Option<(EventType, usize)> = None;
        for (ca, cb) in strong_clauses(&plain) {
            let mut cuts: Vec<usize> = reports
                .iter()
                .copied()
                .filter(|&r| r > ca && r < cb)
                .collect();
            cuts.sort();
            let segs = segments(&plain, ca, cb, &cuts, &tx_spans);
            for &(a, b, bstart) in &segs {
                let own: Vec<&Tx> = txs
                    .iter()
                    .filter(|t| {
                        t.start >= a
                            && t.end <= b
                            && (t.calendar || refs.iter().any(|r| r.start == t.start))
                    })
                    .collect();
                let own_cal = own.iter().find(|t| t.calendar).copied();
                let seg_hits: Vec<&Hit> = hits
                    .iter()
                    .filter(|h| h.start >= a && h.start < b)
                    .collect();
                let in_report = report.is_some_and(|r| a >= r);
                let kind = match main_kind(&seg_hits) {
                    Some(k) => Some(k),
                    None => {
                        // "attacks in Madrid in 2004 and London in 2005"
                        let coord = COORD.is_match(&plain[bstart..a]);
                        // ... and it names something besides its date ("then a year later" does not)
                        let names_more = own_cal.is_some_and(|t| {
                            let rest = format!("{} {}", &plain[a..t.start], &plain[t.end..b]);
                            rest.split_whitespace()
                                .any(|w| w.starts_with(char::is_uppercase))
                        });
                        match (own_cal, prev_kind) {
                            (Some(_), Some((k, _))) if coord && names_more => Some((k, a)),
                            _ => None,
                        }
                    }
                };
                let Some((kind, tpos)) = kind else {
                    prev_kind = None;
                    continue;
                };
                prev_kind = Some((kind, tpos));
                if let Some((_, Some(ak))) = &anaphor {
                    // a sentence pointing back at an event adds reports about it, not the event again
                    if kind != EventType::Statement || *ak == EventType::Statement {
                        continue;
                    }
                }
                let before = txs.iter().rfind(|t| t.calendar && t.end <= a);
                let after_in_clause = txs
                    .iter()
                    .find(|t| t.calendar && t.start >= b && t.end <= cb);
                // a date said with the event noun ("the Aug. 7 bombings", "rioting in
                // Xinjiang in 2009") dates it, whatever dates the rest of the clause
                let tend = hits
                    .iter()
                    .filter(|h| h.start == tpos)
                    .map(|h| h.end)
                    .max()
                    .unwrap_or(tpos);
                let np_date = txs.iter().find(|t| {
                    let near_before = t.end <= tpos && {
                        let g = &plain[t.end..tpos];
                        !g.contains(',') && g.split_whitespace().count() <= 2
                    };
                    let near_after = t.start >= tend && t.start <= cb && {
                        let g = &plain[tend..t.start];
                        !g.contains([',', ';'])
                            && g.split_whitespace().count() <= 5
                            && g.split_whitespace().all(|w| {
                                w.starts_with(char::is_uppercase)
                                    || matches!(
                                        w,
                                        "in" | "on" | "at" | "of" | "the" | "near" | "during"
                                    )
                            })
                    };
                    t.calendar && t.start >= a.min(tpos) && (near_before || near_after)
                });
                // "in the aftermath of the bombings": a reference to an event told
                // elsewhere; without a date of its own the clause's date is not its
                if np_date.is_none()
                    && kind == EventType::Attack
                    && !is_past_tense(&plain[tpos..tend])
                    && PRESUPPOSED.is_match(&plain[ca.min(tpos)..tpos])
                {
                    continue;
                }
                // "the death toll in the Tanzania blast", "after the bombings": a definite
                // attack noun inside a phrase points back at an attack told before; the
                // clause's date is not its date
                if np_date.is_none()
                    && kind == EventType::Attack
                    && !is_past_tense(&plain[tpos..tend])
                    && EMBEDDED_DEFINITE.is_match(&plain[a.min(tpos)..tpos])
                {
                    continue;
                }
                let own_cal = if !is_past_tense(&plain[tpos..tend]) {
                    np_date.or(own_cal)
                } else {
                    own_cal
                };
                let (date, date_text, date_at) = if let Some(t) = own_cal {
                    (t.value.clone(), Some(t.text.clone()), Some(t.start))
                } else if !own.is_empty() {
                    continue; // "now", "the past": not a calendar date
                } else if let Some(t) = before {
                    // a date inside a fronted "When ..., " clause dates that clause's
                    // event; the main clause is only known to fall in the same year
                    if in_fronted_subordinate(&plain, ca, t.start, a) {
                        (year_only(&t.value), Some(t.text.clone()), None)
                    } else {
                        (t.value.clone(), Some(t.text.clone()), Some(t.start))
                    }
                } else if let Some(t) = after_in_clause {
                    (t.value.clone(), Some(t.text.clone()), Some(t.start))
                } else if let Some((d, _)) = &anaphor {
                    (d.clone(), None, None)
                } else {
                    continue;
                };
                // reported content yields its own event only when it has its own, different date
                if in_report && !seg_hits.is_empty() {
                    match (own_cal, &reporting_date) {
                        (Some(o), Some(r)) if &o.value != r => {}
                        _ => continue,
                    }
                }
                let mut start = a;
                // the evidence reaches its date when the date stands after it in the
                // clause with no other trigger between ("... the Forum, Beijing, April 2019")
                let mut reach = b;
                if let Some(d) = date_at {
                    if d >= ca && d < a {
                        start = d;
                    }
                    if d >= b && !hits.iter().any(|h| h.start >= b && h.start < d) {
                        reach = txs.iter().find(|t| t.start == d).map_or(b, |t| t.end);
                    }
                }
                // "..., officials said Saturday.": an attribution tag tells who reports
                // the sentence, not a statement event of its own
                if kind == EventType::Statement && a > 0 {
                    let pre = plain[..a].trim_end();
                    let seg = &plain[a..b];
                    if pre.ends_with([',', '”', '"', '’', '\''])
                        && ATTRIBUTION.is_match(seg)
                        && seg.split_whitespace().count() <= 8
                        && !seg.contains(" that ")
                    {
                        continue;
                    }
                }
                // a trend ("more citizens started to be harmed in incidents") is not an event
                if TREND.is_match(&plain[start.min(tpos)..tpos]) {
                    continue;
                }
                let modality = modality_of(&plain, ca, tpos.max(a));
                let mut d = build_draft(
                    sent,
                    si,
                    &doc_mentions,
                    use_caps,
                    kind,
                    modality,
                    date,
                    date_text,
                    start,
                    // a trigger reaching over a weak break ("launched a knife and bomb attack")
                    // takes in the segment where it ends ("... attack on the station in Urumqi")
                    {
                        let hend = hits
                            .iter()
                            .filter(|h| h.start == tpos)
                            .map(|h| h.end)
                            .max()
                            .unwrap_or(b);
                        segs.iter()
                            .find(|s| s.0 <= hend && hend <= s.1)
                            .map_or(b, |s| s.1)
                            .max(reach)
                            .min(cb)
                    },
                    tpos,
                );
                d.clause_end = cb;
                sent_drafts.push(d);
            }
        }
        // neighbouring segments of one type and date are one claim
        let mut joined: Vec<Draft> = Vec::new();
        for d in sent_drafts {
            if let Some(last) = joined.last_mut() {
                // two nouns of one type are an enumeration of events ("the attack on a
                // nightclub, or the truck attacks in New York"), not one event told twice
                let enumeration = !last.verbal && !d.named && !last.named && {
                    let seg = &plain[d.start..d.end];
                    let first = lexicon::triggers(seg)
                        .into_iter()
                        .find(|h| h.kind == d.kind)
                        .map_or(usize::MAX, |h| h.start);
                    let lead = seg[..first.min(seg.len())].split_whitespace().count();
                    let opens = seg.split_whitespace().next().is_some_and(|w| {
                        matches!(
                            w.to_lowercase().as_str(),
                            "the" | "a" | "an" | "or" | "and" | "its" | "their" | "another"
                        )
                    });
                    let pre = plain[..d.start].trim_end().to_lowercase();
                    let listed = [",", " or", " and", "as well as"]
                        .iter()
                        .any(|c| pre.ends_with(c));
                    // the later one a noun too: after a determiner, or opening its segment
                    let noun = !d.verbal
                        || (lead == 0 && !seg.split_whitespace().next().is_some_and(is_past_tense));
                    noun && ((opens && lead <= 5) || (listed && lead <= 2))
                };
                if last.kind == d.kind
                    && last.date == d.date
                    && last.modality == d.modality
                    && !enumeration
                {
                    last.end = last.end.max(d.end);
                    for a in &d.actors {
                        push_unique(&mut last.actors, a);
                    }
                    for t in &d.targets {
                        push_unique(&mut last.targets, t);
                    }
                    last.place = last.place.take().or(d.place);
                    last.killed = last.killed.take().or(d.killed);
                    last.injured = last.injured.take().or(d.injured);
                    last.claimed_by = last.claimed_by.take().or(d.claimed_by);
                    continue;
                }
            }
            joined.push(d);
        }
        // "..., with the BLA claiming it killed 12, while officials said five were killed":
        // each account of the toll is a claim of its own, kept apart by merge
        let mut accounts: Vec<Draft> = Vec::new();
        for d in joined
            .iter()
            .filter(|d| d.kind == EventType::Attack && d.killed.is_some())
        {
            let mut told: Vec<Option<u32>> = vec![d.killed.as_ref().and_then(|k| k.value)];
            for (a, b, _) in ranges_between(&plain, d.end, plain.len(), &ACCOUNT_BREAK, &tx_spans) {
                let seg = &plain[a..b];
                let (Some(k), _) = args::casualties(seg) else {
                    continue;
                };
                let Some(r) = ACCOUNT_VERB.find(seg) else {
                    continue;
                };
                if told.contains(&k.value) || r.start() > seg.find(&k.text).unwrap_or(0) {
                    continue;
                }
                let source = args::claimed_by(seg).or_else(|| subject_phrase(&seg[..r.start()]));
                told.push(k.value);
                let mut c = d.clone();
                c.start = a;
                c.end = b;
                c.clause_end = b;
                c.targets = vec![k.text.clone()];
                c.killed = Some(k);
                c.injured = None;
                c.claimed_by = source;
                accounts.push(c);
            }
        }
        joined.extend(accounts);
        joined.sort_by_key(|d| d.start);
        // a statement's evidence holds what was said, up to the next claim in its clause
        for i in 0..joined.len() {
            if joined[i].kind == EventType::Statement {
                let next = joined.get(i + 1).map_or(usize::MAX, |n| n.start);
                let end = joined[i].clause_end.min(next);
                if end > joined[i].end {
                    joined[i].end = end;
                    let extra = &sent.text[..end];
                    for n in names_in(sent, &doc_mentions, joined[i].start, end, use_caps) {
                        if extra.len() >= n.end && !joined[i].actors.contains(&n.text) {
                            push_unique(&mut joined[i].targets, &n.text);
                        }
                    }
                }
            }
        }
        // without the know stage's mentions, "the group said" takes the last name
        // before it that looks like an organisation ("Islamic State-Khorasan", "BLA")
        if use_caps {
            for d in joined.iter_mut() {
                let generic = d.actors.len() == 1
                    && d.actors[0]
                        .split_whitespace()
                        .last()
                        .is_some_and(|w| GENERIC_AGENTS.contains(&w.to_lowercase().as_str()));
                if !generic {
                    continue;
                }
                let mut before: Vec<Name> = Vec::new();
                if si > 0 && sents[si - 1].part == sent.part {
                    before.extend(args::capitalised_names(&sents[si - 1].text));
                }
                before.extend(args::capitalised_names(&plain[..d.start]));
                if let Some(n) = before
                    .iter()
                    .rev()
                    .find(|n| looks_like_organisation(&n.text))
                {
                    d.actors = vec![n.text.clone()];
                }
            }
        }
        // "President X, worried that ..., dispatched Y": the name opening the sentence
        // before a comma is the subject of the first verb after the aside
        if let Some(d) = joined.first_mut() {
            if d.verbal && d.actors.is_empty() {
                let names = names_in(sent, &doc_mentions, 0, d.start, use_caps);
                if let Some(n) = names.iter().min_by_key(|n| n.start) {
                    let opens = plain[..n.start]
                        .split_whitespace()
                        .all(|w| w.starts_with(char::is_uppercase));
                    if opens && n.start < 40 && plain[n.end..].trim_start().starts_with(',') {
                        d.actors.push(n.text.clone());
                    }
                }
            }
        }
        // a clause without a subject takes the previous clause's ("X signed ... and welcomed ...")
        for i in 1..joined.len() {
            if joined[i].verbal && joined[i].actors.is_empty() && !joined[i - 1].actors.is_empty() {
                let a = joined[i - 1].actors.clone();
                joined[i].actors = a;
            }
        }
        let named: Vec<Draft> = named
            .into_iter()
            .filter(|n| !joined.iter().any(|d| d.date == n.date))
            .collect();
        joined.extend(named);
        drafts.extend(joined);
    }

    // the sentence after an attack often names who claimed it
    for d in drafts.iter_mut() {
        if d.kind == EventType::Attack && d.claimed_by.is_none() {
            let s = d.sent;
            if let Some(next) = sents.get(s + 1) {
                if next.part == sents[s].part && DEFINITE.is_match(&next.text) {
                    d.claimed_by = args::claimed_by(&next.text);
                }
            }
        }
        // "the militant group claimed responsibility": the group that attacked
        let generic = d.claimed_by.as_deref().is_some_and(|c| {
            c.split_whitespace()
                .last()
                .is_some_and(|w| GENERIC_AGENTS.contains(&w.to_lowercase().as_str()))
        });
        if generic {
            if let Some(a) = d
                .actors
                .iter()
                .find(|a| !a.split_whitespace().any(|w| GENERIC_AGENTS.contains(&w)))
            {
                d.claimed_by = Some(a.clone());
            }
        }
    }

    drafts
        .into_iter()
        .map(|d| {
            let sent = &sents[d.sent];
            let span = sent.span(source, d.start, d.end);
            let text = sent.text[d.start..d.end]
                .trim_end_matches([',', ' '])
                .to_string();
            let notes: Vec<u32> = markers
                .iter()
                .filter(|m| m.doc == doc.id && m.span.start >= span.start && m.span.end <= span.end)
                .filter_map(|m| m.note)
                .collect();
            let claim_id = format!("{}:{}:{}", doc.id, span.start, d.kind.as_str());
            Event {
                id: format!("ev:{}:{}", doc.id, span.start),
                kind: d.kind,
                date: Some(d.date.clone()),
                date_text: d.date_text.clone(),
                place: d.place.as_ref().map(|p| p.0.clone()),
                place_entity: d.place.as_ref().and_then(|p| p.1.clone()),
                actors: d.actors,
                targets: d.targets,
                killed: d.killed,
                injured: d.injured,
                claimed_by: d.claimed_by,
                modality: d.modality,
                evidence: vec![EventEvidence {
                    doc: doc.id.clone(),
                    span,
                    text,
                    notes,
                }],
                conflicts_with: Vec::new(),
                merge_reasons: Vec::new(),
                claims: vec![Claim {
                    id: claim_id,
                    doc: doc.id.clone(),
                    span,
                    kind: d.kind,
                    date: Some(d.date),
                    date_text: d.date_text,
                }],
            }
        })
        .collect()
}

const IRREGULAR_PAST: &[&str] = &[
    "said",
    "met",
    "held",
    "made",
    "took",
    "became",
    "began",
    "won",
    "led",
    "struck",
    "shot",
    "told",
    "wrote",
    "sent",
    "spoke",
    "gave",
    "fled",
    "left",
    "paid",
    "sold",
    "bought",
    "built",
    "brought",
    "rose",
    "fell",
    "lost",
    "found",
    "went",
    "came",
    "saw",
    "sought",
    "fought",
    "withdrew",
    "drew",
    "broke",
    "swore",
    "chose",
    "stood",
    "overthrew",
];

/// A trigger in the simple past ("dispatched", "said"): a verb, never a noun.
fn is_past_tense(word: &str) -> bool {
    let w = word
        .trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase();
    (w.len() > 4 && w.ends_with("ed")) || IRREGULAR_PAST.contains(&w.as_str())
}

/// A lone lower-case word that can be an agent ("militants", "the bomber",
/// "the government"), not a bare verb ("and commit").
fn agent_noun(w: &str) -> bool {
    let w = w.to_lowercase();
    GENERIC_AGENTS.contains(&w.as_str())
        || w == "we"
        || [
            "s", "er", "or", "ist", "ian", "ant", "ent", "ry", "ce", "ship",
        ]
        .iter()
        .any(|e| w.ends_with(e))
}

/// A capitalised name shaped like an organisation: an acronym, or a name with
/// an organisation's head word ("Islamic State", "Balochistan Liberation Army").
fn looks_like_organisation(name: &str) -> bool {
    const HEADS: &[&str] = &[
        "State",
        "Army",
        "Front",
        "Movement",
        "Party",
        "Group",
        "Organization",
        "Organisation",
        "Council",
        "Ministry",
        "Taliban",
        "Qaeda",
        "Qa’ida",
        "Brigade",
        "Brigades",
        "Forces",
        "Force",
        "Committee",
        "Agency",
        "Service",
        "Network",
        "Liberation",
        "Union",
        "Jamaat",
        "Lashkar",
        "Tehrik",
        "Khorasan",
        "Hezbollah",
        "Hamas",
        "Mujahideen",
    ];
    let acronym =
        name.len() >= 2 && name.len() <= 6 && name.chars().all(|c| c.is_ascii_uppercase());
    acronym
        || name
            .split(|c: char| c.is_whitespace() || c == '-')
            .any(|w| HEADS.contains(&w))
}

/// Nouns that stand for an organisation named before ("the group said").
const GENERIC_AGENTS: &[&str] = &[
    "group",
    "organization",
    "organisation",
    "movement",
    "militants",
    "network",
    "outfit",
    "faction",
    "insurgents",
];

static ACCOUNT_BREAK: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r",\s+(?:while\s+|whereas\s+|but\s+)?|;\s*|\s+(?:while|whereas|but)\s+").unwrap()
});
static ACCOUNT_VERB: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(?:said|say|says|claimed|claim|claims|claiming|reported|report|reports|stated|insisted|put|according to)\b").unwrap()
});

static PRESUPPOSED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:victims|survivors|aftermath|wake|anniversary|anniversaries|memorial|perpetrators|planners|mastermind)\s+of\s+(?:the\s+|a\s+|an\s+|these\s+|those\s+)?(?:[\w’'\-]+\s+){0,2}$").unwrap()
});

static ATTRIBUTION: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\b(?:said|says|told|added|reported|according to)\b").unwrap());

/// Verbs that only carry an event noun ("carry out an attack", "sign the treaty"):
/// a negation before them denies the event.
const LIGHT_VERBS: &[&str] = &[
    "carry",
    "carried",
    "out",
    "launch",
    "launched",
    "conduct",
    "conducted",
    "stage",
    "staged",
    "mount",
    "mounted",
    "commit",
    "committed",
    "perpetrate",
    "hold",
    "held",
    "make",
    "made",
    "sign",
    "signed",
    "reach",
    "reached",
    "conclude",
    "concluded",
    "attend",
    "attended",
    "join",
    "joined",
    "take",
    "took",
    "have",
    "had",
    "be",
    "been",
    "was",
    "were",
    "go",
    "ahead",
    "with",
    "to",
    "complete",
    "completed",
    "finalise",
    "finalize",
    "ratify",
    "any",
];

static EMBEDDED_DEFINITE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:in|after|from|since|for|over|following|before|of|about|by)\s+the\s+(?:[\w’'\-\.]+\s+){0,2}$").unwrap()
});

static TREND: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(?:started|began|begun|continued|continues|continue|tended|tends) to\b|\bincreasingly\b|\bmore and more\b|\ba growing number\b").unwrap()
});

static PASSIVE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?$").unwrap());

/// The casualty phrase of a clause, if any ("At least two policemen").
fn killed_text(seg: &str) -> Option<String> {
    args::casualties(seg).0.map(|k| k.text)
}

static BY_AGENT: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^\S+(?:\s+\S+){0,2}?\s+by\s+(?:the\s+)?").unwrap());

static SUBORDINATOR: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*(?:(?:[Bb]ut|[Aa]nd|[Tt]hen),?\s+)?(?:When|when|Once|once|After|after|Before|before|While|while|Until|until|As soon as|as soon as)\s").unwrap()
});

/// Whether byte `at` lies in a subordinate clause that opens the clause at `ca`
/// ("When X became president that September, ...") and `seg` is past its comma.
fn in_fronted_subordinate(text: &str, ca: usize, at: usize, seg: usize) -> bool {
    if !SUBORDINATOR.is_match(&text[ca..]) {
        return false;
    }
    match text[ca..].find(',') {
        Some(c) => at < ca + c && seg > ca + c,
        None => false,
    }
}

/// `2014-09` → `2014`; other values unchanged.
fn year_only(v: &str) -> String {
    if v.len() > 4 && v.as_bytes()[..4].iter().all(|b| b.is_ascii_digit()) {
        v[..4].to_string()
    } else {
        v.to_string()
    }
}

const LEAD_WORDS: &[&str] = &[
    "the", "a", "an", "in", "on", "by", "of", "then", "and", "but", "when", "as", "after",
    "before", "while", "that", "which", "who", "so", "also", "even", "just", "since", "during",
    "with", "for", "from", "to", "at",
];
const TAIL_WORDS: &[&str] = &[
    "was",
    "were",
    "is",
    "are",
    "had",
    "has",
    "have",
    "been",
    "be",
    "also",
    "then",
    "later",
    "first",
    "once",
    "immediately",
    "reportedly",
    "finally",
    "quickly",
    "publicly",
    "would",
    "will",
    "could",
    "did",
    "does",
    "do",
];

/// Whether the trigger after `before` is used as a noun: a determiner stands
/// right before it, or before one modifier ("a follow-up attack", "the 2001 attacks").
fn is_nominal(before: &str) -> bool {
    let det = |w: &str| {
        matches!(
            w,
            "a" | "an"
                | "the"
                | "this"
                | "that"
                | "its"
                | "their"
                | "his"
                | "her"
                | "another"
                | "first"
                | "latest"
        )
    };
    // modifiers between determiner and noun: "the public transportation attacks",
    // "the Easter 2019 Sri Lanka bombings"
    let modifier = |w: &str| {
        let l = w.to_lowercase();
        let plain = w
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '.' || c == '’' || c == '\'');
        plain
            && !LEAD_WORDS.contains(&l.as_str())
            && !TAIL_WORDS.contains(&l.as_str())
            && (!l.ends_with("ed") || !w.starts_with(char::is_lowercase))
    };
    for (i, w) in before.split_whitespace().rev().take(6).enumerate() {
        let l = w.to_lowercase();
        if det(&l) {
            return true;
        }
        // one word may stand between determiner and noun whatever it is ("a follow-up attack")
        if i > 0 && !modifier(w) {
            return false;
        }
    }
    false
}

/// The noun phrase right before a trigger, as the clause's subject when no name
/// stands there ("the group said", "Chinese workers were killed").
fn subject_phrase(before: &str) -> Option<String> {
    // "Then, Chinese workers were": the phrase after the last comma
    let before = match before.trim_end().rsplit_once(',') {
        Some((_, tail)) if !tail.trim().is_empty() => tail,
        _ => before,
    };
    let mut words: Vec<&str> = before
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '“' || c == '”'))
        .collect();
    while let Some(w) = words.last() {
        if TAIL_WORDS.contains(&w.to_lowercase().as_str()) || w.is_empty() {
            words.pop();
        } else {
            break;
        }
    }
    // the phrase starts after the last function word
    let from = words
        .iter()
        .rposition(|w| LEAD_WORDS.contains(&w.to_lowercase().as_str()))
        .map_or(0, |i| i + 1);
    let np = &words[from..];
    if np.is_empty() || np.len() > 5 || np.iter().any(|w| w.chars().any(|c| c.is_ascii_digit())) {
        return None;
    }
    // a clause, not a noun phrase: "he was building off earlier", "willing to come back and commit"
    let clausal =
        np.iter().any(|w| {
            let w = w.to_lowercase();
            matches!(
                w.as_str(),
                "he" | "she"
                    | "it"
                    | "they"
                    | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "be"
                    | "been"
                    | "had"
                    | "has"
                    | "have"
                    | "to"
                    | "would"
                    | "will"
                    | "could"
                    | "can"
                    | "may"
                    | "might"
                    | "should"
                    | "must"
            ) || (w.len() > 5 && w.ends_with("ing"))
        }) || (np.len() == 1 && np[0].starts_with(char::is_lowercase) && !agent_noun(np[0]));
    if clausal {
        return None;
    }
    let np = np.join(" ");
    let pronoun = matches!(
        np.to_lowercase().as_str(),
        "he" | "she" | "it" | "they" | "this" | "these" | "those" | "there"
    );
    (np.chars().count() > 1 && !pronoun).then_some(np)
}

fn caption_draft(sent: &Sent, si: usize, t: &Tx) -> Draft {
    let text = &sent.text;
    let names = args::capitalised_names(&text[..t.start]);
    let place = args::place_phrases(&text[..t.start])
        .into_iter()
        .last()
        .map(|(_, p)| (p, None));
    Draft {
        kind: EventType::Other,
        modality: Modality::Asserted,
        date: t.value.clone(),
        date_text: Some(t.text.clone()),
        sent: si,
        start: 0,
        end: text.len(),
        actors: names.into_iter().take(1).map(|n| n.text).collect(),
        targets: Vec::new(),
        place,
        killed: None,
        injured: None,
        claimed_by: None,
        clause_end: text.len(),
        verbal: false,
        named: false,
        plural: false,
    }
}

#[allow(clippy::too_many_arguments)]
fn build_draft(
    sent: &Sent,
    si: usize,
    mentions: &[&Mention],
    use_caps: bool,
    kind: EventType,
    modality: Modality,
    date: String,
    date_text: Option<String>,
    start: usize,
    end: usize,
    tpos: usize,
) -> Draft {
    let text = &sent.text;
    let seg = &text[start..end];
    let names = names_in(sent, mentions, start, end, use_caps);
    let mut actors = Vec::new();
    let mut targets = Vec::new();
    let place_ph = args::place_phrases(seg);
    let place: Option<(String, Option<String>)> = place_ph
        .first()
        .map(|(_, p)| {
            let ent = names
                .iter()
                .find(|n| n.text == *p && n.kind == Some(EntityKind::Place))
                .and_then(|n| n.entity.clone());
            (p.clone(), ent)
        })
        .or_else(|| {
            names
                .iter()
                .find(|n| n.kind == Some(EntityKind::Place) && n.start > tpos)
                .map(|n| (n.text.clone(), n.entity.clone()))
        });
    // a trigger used as a noun ("a follow-up attack", "the 2001 attacks") takes its
    // actor from "by X" or a possessive, not from the clause's subject
    let trigger_word = text[tpos.min(text.len())..]
        .split_whitespace()
        .next()
        .unwrap_or("");
    let nominal = !is_past_tense(trigger_word) && is_nominal(&text[start..tpos.max(start)]);
    // "Chinese workers were killed": the subject of a passive trigger is its target
    let passive = PASSIVE.is_match(&text[start..tpos.max(start)]);
    for n in &names {
        if date_text.as_deref().is_some_and(|d| d.contains(&n.text)) {
            continue;
        }
        if passive && n.end <= tpos {
            push_unique(&mut targets, &n.text);
            continue;
        }
        // "an Islamic State-Khorasan bomber": a name inside the phrase of an agent
        // noun is who acted; inside an event noun ("the Kunduz attack") it is not
        let agent_noun = {
            let w = trigger_word.to_lowercase();
            [
                "bomber",
                "bombers",
                "attacker",
                "attackers",
                "gunman",
                "gunmen",
                "militant",
                "militants",
                "assailant",
                "assailants",
                "fighters",
            ]
            .contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
        };
        let in_phrase =
            n.end <= tpos && n.start >= start && text[n.end..tpos].split_whitespace().count() <= 1;
        if nominal
            && n.end <= tpos
            && !(agent_noun && in_phrase)
            && !text[n.end..tpos].trim_start().starts_with(['’', '\''])
        {
            continue;
        }
        if let Some((p, _)) = &place {
            if p.contains(&n.text) && n.start > tpos {
                continue;
            }
        }
        if n.end <= tpos {
            push_unique(&mut actors, &n.text);
        } else {
            push_unique(&mut targets, &n.text);
        }
    }
    if nominal || passive {
        // "the message released by the Islamic State": the agent follows "by"
        if let Some(m) = BY_AGENT.find(&text[tpos.min(end)..end]) {
            let at = tpos + m.end();
            if let Some(n) = names.iter().find(|n| n.start == at) {
                targets.retain(|t| t != &n.text);
                actors.insert(0, n.text.clone());
            }
        }
    }
    if !nominal && passive {
        if let Some(np) = subject_phrase(&text[start..tpos.max(start)]) {
            if !targets.contains(&np) && !killed_text(seg).is_some_and(|k| k.contains(&np)) {
                targets.insert(0, np);
            }
        }
    } else if actors.is_empty() && !nominal {
        if let Some(np) = subject_phrase(&text[start..tpos.max(start)]) {
            // "the group said": the organisation named last before it
            let generic = np
                .split_whitespace()
                .last()
                .is_some_and(|w| GENERIC_AGENTS.contains(&w.to_lowercase().as_str()));
            let at = sent.src[sent
                .ci
                .char_of(tpos.min(text.len()))
                .min(sent.src.len() - 1)];
            let named = mentions
                .iter()
                .filter(|m| {
                    m.kind == EntityKind::Organisation
                        && m.span.end <= at
                        && m.span.start + 600 >= at
                })
                .max_by_key(|m| m.span.start);
            match (generic, named) {
                (true, Some(m)) => actors.push(m.text.clone()),
                _ => actors.push(np),
            }
        }
    }
    let (killed, injured) = if kind == EventType::Attack {
        args::casualties(seg)
    } else {
        (None, None)
    };
    if let Some(k) = &killed {
        push_unique(&mut targets, &k.text);
    }
    Draft {
        kind,
        modality,
        date,
        date_text,
        sent: si,
        start,
        end,
        actors,
        targets,
        place,
        killed,
        injured,
        claimed_by: args::claimed_by(seg),
        clause_end: end,
        verbal: !nominal,
        named: false,
        plural: lexicon::triggers(&text[tpos.min(text.len())..])
            .first()
            .and_then(|h| text[tpos + h.start..tpos + h.end].split_whitespace().last())
            .is_some_and(|w| w.ends_with('s') && !w.ends_with("ss")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::{Format, OffsetMap, Part};

    /// A source of one line and a document of one body paragraph.
    fn one_paragraph(text: &str) -> (Source, Document) {
        let src = Source::new("t.txt".to_string(), text.to_string(), Format::PlainText);
        let n = text.chars().count();
        let doc = Document {
            id: "t".into(),
            source: "t.txt".into(),
            title: None,
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
            lines: [1, 1],
            parts: vec![Part {
                kind: PartKind::Body,
                text: text.to_string(),
                span: Span::new(1, 0, n),
                lines: [1, 1],
                map: OffsetMap::identity(0),
            }],
        };
        (src, doc)
    }

    #[test]
    fn calendar_values() {
        for v in ["2014", "2014-04-26", "201X", "XXXX-10", "2019-SP"] {
            assert!(is_calendar(v), "{v}");
        }
        for v in ["PRESENT_REF", "P2Y", "XXXX"] {
            assert!(!is_calendar(v), "{v}");
        }
    }

    #[test]
    fn modals_govern_the_next_verb_only() {
        let m = |t: &str, trig: &str| modality_of(t, 0, t.find(trig).unwrap());
        let t = "The firm did not disclose the purchase price";
        assert_eq!(m(t, "purchase"), Modality::Asserted);
        let t = "The rebels did not carry out the attack";
        assert_eq!(m(t, "attack"), Modality::Negated);
        let t = "“We must not stop!” said the minister";
        assert_eq!(m(t, "said"), Modality::Asserted);
        let t = "A team flew out to help victims of the embassy bombings";
        assert_eq!(m(t, "bombings"), Modality::Asserted);
        let t = "The minister, worried that the talks might fail, dispatched an envoy to Kabul";
        assert_eq!(m(t, "dispatched"), Modality::Asserted);
        let t = "The minister might soon dispatch an envoy to Kabul";
        assert_eq!(m(t, "dispatch"), Modality::Hypothetical);
        let t = "The army did not attack the town";
        assert_eq!(m(t, "attack"), Modality::Negated);
        let t =
            "If the government falls, the militia will seize the capital and attack the ministries";
        assert_eq!(m(t, "attack"), Modality::Hypothetical);
    }

    #[test]
    fn fronted_when_clause_dates_its_own_event() {
        let t = "When the general took power that May, he at once flew to Moscow.";
        let at = t.find("that May").unwrap();
        assert!(in_fronted_subordinate(t, 0, at, t.find("he at").unwrap()));
        let t = "That May, as the summit opened, he flew to Moscow.";
        assert!(!in_fronted_subordinate(t, 0, 0, t.find("he flew").unwrap()));
        assert_eq!(year_only("2014-09"), "2014");
        assert_eq!(year_only("201X"), "201X");
    }

    #[test]
    fn passive_subjects_are_targets() {
        let text = "In 2003, two engineers were kidnapped by the Haqqani network near Khost.";
        let (src, doc) = one_paragraph(text);
        let t = Timex {
            doc: doc.id.clone(),
            span: Span::new(1, 3, 7),
            text: "2003".into(),
            kind: TimexType::Date,
            value: "2003".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, EventType::Attack);
        assert!(
            ev[0].actors.iter().any(|a| a.contains("Haqqani")),
            "{:?}",
            ev[0]
        );
        assert!(
            ev[0].targets.iter().any(|t| t == "two engineers"),
            "{:?}",
            ev[0].targets
        );
        assert!(!ev[0].actors.iter().any(|a| a == "two engineers"));
    }

    #[test]
    fn subjects_are_noun_phrases() {
        assert_eq!(
            subject_phrase("Then, Chinese workers were "),
            Some("Chinese workers".into())
        );
        assert_eq!(subject_phrase("The group "), Some("group".into()));
        assert_eq!(subject_phrase("he was building off earlier "), None);
        assert_eq!(subject_phrase("willing to come back and commit "), None);
        assert_eq!(subject_phrase("a working group, which would hold "), None);
    }

    #[test]
    fn organisations_by_shape() {
        assert!(looks_like_organisation("Islamic State-Khorasan"));
        assert!(looks_like_organisation("BLA"));
        assert!(looks_like_organisation("Balochistan Liberation Army"));
        assert!(!looks_like_organisation("Kunduz"));
        assert!(!looks_like_organisation("Wang Yi"));
    }

    #[test]
    fn the_name_on_an_agent_noun_is_the_actor() {
        let text = "In 2017, a Hizbul Mujahideen gunman killed two guards in Srinagar.";
        let (src, doc) = one_paragraph(text);
        let t = Timex {
            doc: "t".into(),
            span: Span::new(1, 3, 7),
            text: "2017".into(),
            kind: TimexType::Date,
            value: "2017".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert!(
            ev[0].actors.iter().any(|a| a.contains("Hizbul Mujahideen")),
            "{:?}",
            ev[0].actors
        );
    }

    #[test]
    fn nouns_and_verbs_of_triggers() {
        assert!(is_nominal("Far from the public transportation "));
        assert!(is_nominal("it was a follow-up "));
        assert!(is_past_tense("said"));
        assert!(is_past_tense("dispatched"));
        assert!(!is_past_tense("attack"));
    }

    #[test]
    fn a_date_that_names_an_attack_is_one() {
        let text =
            "Twenty years after September 11, 2001, the debate over surveillance has moved on.";
        let (src, doc) = one_paragraph(text);
        let span_of = |s: &str| {
            let a = text.find(s).unwrap();
            Span::new(1, a, a + s.chars().count())
        };
        let t = Timex {
            doc: doc.id.clone(),
            span: span_of("September 11, 2001"),
            text: "September 11, 2001".into(),
            kind: TimexType::Date,
            value: "2001-09-11".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], std::slice::from_ref(&t), &[]);
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].kind, EventType::Attack);
        assert_eq!(ev[0].date.as_deref(), Some("2001-09-11"));
        // the same date as a plain day of a meeting is the meeting only
        let text = "On September 11, 2001, the two ministers met in Tashkent.";
        let (src, doc) = one_paragraph(text);
        let a = text.find("September").unwrap();
        let t = Timex {
            span: Span::new(1, a, a + 18),
            ..t
        };
        let kinds: Vec<EventType> = extract(&src, &doc, &[], &[t], &[])
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, vec![EventType::MeetingVisit]);
    }

    #[test]
    fn a_named_event_is_told_and_presupposed() {
        let (src, doc) =
            one_paragraph("Extremism did not begin with 9/11, and the post-9/11 era is not over.");
        let ev = extract(&src, &doc, &[], &[], &[]);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert_eq!(ev[0].date.as_deref(), Some("2001-09-11"));
        assert_eq!(ev[0].modality, Modality::Asserted);
    }

    #[test]
    fn diverging_casualty_accounts_stay_apart() {
        let text = "On May 3, 2019, gunmen stormed a hotel in Gwadar, with the BLA claiming it killed 12 soldiers, while officials said that five people were killed.";
        let (src, doc) = one_paragraph(text);
        let a = text.find("May 3, 2019").unwrap();
        let t = Timex {
            doc: doc.id.clone(),
            span: Span::new(1, a, a + 11),
            text: "May 3, 2019".into(),
            kind: TimexType::Date,
            value: "2019-05-03".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        let attacks: Vec<&Event> = ev.iter().filter(|e| e.kind == EventType::Attack).collect();
        assert_eq!(attacks.len(), 2);
        assert_eq!(attacks[0].killed.as_ref().and_then(|k| k.value), Some(12));
        assert_eq!(attacks[0].claimed_by.as_deref(), Some("BLA"));
        assert_eq!(attacks[1].killed.as_ref().and_then(|k| k.value), Some(5));
        assert_eq!(attacks[1].claimed_by.as_deref(), Some("officials"));
        let merged: Vec<Event> = crate::merge(ev)
            .into_iter()
            .filter(|e| e.kind == EventType::Attack)
            .collect();
        assert_eq!(merged.len(), 2, "never averaged nor merged");
        assert_eq!(merged[0].conflicts_with, vec![merged[1].id.clone()]);
        assert_eq!(merged[1].conflicts_with, vec![merged[0].id.clone()]);
    }

    #[test]
    fn citations_are_not_told_events() {
        assert!(is_citation(
            "12. ‘Premier Ends Regional Tour’, Xinhua, 27 April 1994, <https://example.org/a>."
        ));
        assert!(is_citation(
            "3. J. Smith, ‘Talks Held in Tashkent’, Journal of Asian Affairs, 2004."
        ));
        assert!(is_citation(
            "9. Ministry of Trade, ‘Vstrecha v Astane’ [‘A Meeting in Astana’], 4 March 2020."
        ));
        assert!(!is_citation(
            "7. The talks were in fact held a week earlier, in March 2015, in Urumqi."
        ));
    }

    #[test]
    fn a_trigger_over_a_weak_break_keeps_its_place() {
        let text =
            "In 2015, rebels launched a rocket and mortar attack on the airport in Kandahar.";
        let (src, doc) = one_paragraph(text);
        let t = Timex {
            doc: doc.id.clone(),
            span: Span::new(1, 3, 7),
            text: "2015".into(),
            kind: TimexType::Date,
            value: "2015".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert_eq!(ev[0].place.as_deref(), Some("Kandahar"));
        assert!(
            ev[0].evidence[0].text.contains("airport in Kandahar"),
            "{}",
            ev[0].evidence[0].text
        );
    }

    #[test]
    fn a_named_person_acting_next_continues_the_story() {
        let text = "Early in 2009, floods hit the north and protests broke out. Governor Ali Rahimi, fearing unrest, appointed a new police chief. The plan was praised.";
        let (src, doc) = one_paragraph(text);
        let t = Timex {
            doc: doc.id.clone(),
            span: Span::new(1, 0, 13),
            text: "Early in 2009".into(),
            kind: TimexType::Date,
            value: "2009".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        let appointed: Vec<&Event> = ev
            .iter()
            .filter(|e| e.kind == EventType::Appointment)
            .collect();
        assert_eq!(appointed.len(), 1, "{ev:?}");
        assert_eq!(appointed[0].date.as_deref(), Some("2009"));
        assert!(
            appointed[0].actors.iter().any(|a| a.contains("Ali Rahimi")),
            "{:?}",
            appointed[0].actors
        );
        // a passive sentence after it is analysis, not narration
        assert!(!ev.iter().any(|e| e.evidence[0].text.contains("praised")));
    }

    #[test]
    fn trends_are_not_events() {
        let text = "Through the 2000s, aid workers increasingly were kidnapped in the south. In 2004, rebels kidnapped two engineers.";
        let (src, doc) = one_paragraph(text);
        let t = |a: usize, s: &str, v: &str| Timex {
            doc: "t".into(),
            span: Span::new(1, a, a + s.len()),
            text: s.into(),
            kind: TimexType::Date,
            value: v.into(),
            anchor: None,
        };
        let txs = vec![
            t(8, "the 2000s", "200X"),
            t(text.find("2004").unwrap(), "2004", "2004"),
        ];
        let ev = extract(&src, &doc, &[], &txs, &[]);
        assert_eq!(ev.len(), 1, "{ev:?}");
        assert_eq!(ev[0].date.as_deref(), Some("2004"));
    }

    #[test]
    fn no_panic_on_time_expressions_anywhere() {
        let text = "Ürümqi’s “blast”—in 2014—killed 3; the BLA’s 9/11-style raid, 2015.12 “X” said: Kabul.Then in May 2016 they met.";
        let (src, doc) = one_paragraph(text);
        let n = text.chars().count();
        for a in 0..n {
            for len in [1, 4, 9] {
                let e = (a + len).min(n);
                let t = Timex {
                    doc: doc.id.clone(),
                    span: Span::new(1, a, e),
                    text: text.chars().skip(a).take(e - a).collect(),
                    kind: TimexType::Date,
                    value: ["2014", "XXXX-05-06", "2016-05", "PRESENT_REF", "ä"][a % 5].into(),
                    anchor: [None, Some("dct:2020-01"), Some("narrative:2014")][a % 3]
                        .map(String::from),
                };
                let ev = extract(&src, &doc, &[], &[t], &[]);
                let _ = crate::merge(ev);
            }
        }
    }

    #[test]
    fn an_enumeration_of_attacks_is_several_events() {
        let text = "Extremists were behind the bombing of a cafe in Minsk in 2011, as well as attacks on trains in Tver that year.";
        let (src, doc) = one_paragraph(text);
        let a = text.find("2011").unwrap();
        let t = Timex {
            doc: "t".into(),
            span: Span::new(1, a, a + 4),
            text: "2011".into(),
            kind: TimexType::Date,
            value: "2011".into(),
            anchor: None,
        };
        let b = text.find("that year").unwrap();
        let t2 = Timex {
            span: Span::new(1, b, b + 9),
            text: "that year".into(),
            anchor: Some("narrative:2011".into()),
            ..t.clone()
        };
        let ev = extract(&src, &doc, &[], &[t, t2], &[]);
        let attacks = ev.iter().filter(|e| e.kind == EventType::Attack).count();
        assert_eq!(attacks, 2, "{ev:?}");
    }

    #[test]
    fn an_attribution_tag_is_not_a_statement() {
        let text = "On 3 May 2019, a bomb exploded at a market in Peshawar, police said Saturday.";
        let (src, doc) = one_paragraph(text);
        let t = Timex {
            doc: "t".into(),
            span: Span::new(1, 3, 13),
            text: "3 May 2019".into(),
            kind: TimexType::Date,
            value: "2019-05-03".into(),
            anchor: None,
        };
        let kinds: Vec<EventType> = extract(&src, &doc, &[], &[t], &[])
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, vec![EventType::Attack]);
    }

    #[test]
    fn an_event_noun_keeps_its_own_date() {
        let text = "On Sunday, March 5, 2000, the embassy issued a warning in the aftermath of the May 7 bombings in Lagos.";
        let (src, doc) = one_paragraph(text);
        let t = |s: &str, v: &str| {
            let a = text.find(s).unwrap();
            Timex {
                doc: "t".into(),
                span: Span::new(1, a, a + s.len()),
                text: s.into(),
                kind: TimexType::Date,
                value: v.into(),
                anchor: None,
            }
        };
        let ev = extract(
            &src,
            &doc,
            &[],
            &[
                t("Sunday, March 5, 2000", "2000-03-05"),
                t("May 7", "2000-05-07"),
            ],
            &[],
        );
        let attack: Vec<&Event> = ev.iter().filter(|e| e.kind == EventType::Attack).collect();
        assert_eq!(attack.len(), 1, "{ev:?}");
        assert_eq!(attack[0].date.as_deref(), Some("2000-05-07"));
        // without a date of its own, a reference in the aftermath of an attack is not dated by the clause
        let text = "On March 5, 2000, the embassy issued a warning in the aftermath of the bombings in Lagos.";
        let (src, doc) = one_paragraph(text);
        let a = text.find("March 5, 2000").unwrap();
        let t = Timex {
            doc: "t".into(),
            span: Span::new(1, a, a + 13),
            text: "March 5, 2000".into(),
            kind: TimexType::Date,
            value: "2000-03-05".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        assert!(!ev.iter().any(|e| e.kind == EventType::Attack), "{ev:?}");
    }

    #[test]
    fn an_attack_named_inside_a_phrase_points_back() {
        let text = "On May 9, 2001, the death toll in the Mombasa blast rose to twelve.";
        let (src, doc) = one_paragraph(text);
        let t = Timex {
            doc: "t".into(),
            span: Span::new(1, 3, 14),
            text: "May 9, 2001".into(),
            kind: TimexType::Date,
            value: "2001-05-09".into(),
            anchor: None,
        };
        let ev = extract(&src, &doc, &[], &[t], &[]);
        assert!(!ev.iter().any(|e| e.kind == EventType::Attack), "{ev:?}");
    }

    #[test]
    fn clauses_break_at_dashes_and_semicolons() {
        let t = "He went to Kabul in 2012—the first visit since 1966; then he left: He said so.";
        let c: Vec<&str> = strong_clauses(t)
            .into_iter()
            .map(|(a, b)| &t[a..b])
            .collect();
        assert_eq!(
            c,
            vec![
                "He went to Kabul in 2012",
                "the first visit since 1966",
                "then he left",
                "He said so."
            ]
        );
    }
}
