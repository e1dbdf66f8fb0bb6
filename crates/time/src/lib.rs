//! annals-time: finds time expressions in running text and normalises them to
//! TIMEX3 values (DATE, TIME, DURATION, SET), as TempEval-3 defines them.
//!
//! Key decisions:
//! - **Rules, not a model.** One regex per family of expressions (absolute dates,
//!   deictic `last November`, anaphoric `that June`, durations, sets), each with a
//!   normaliser; lexicons (months, number words, seasons) are small tables. Every
//!   rule runs over the text once and the leftmost-longest matches win.
//! - **Two anchors.** Deictic expressions (`yesterday`, `last year`) resolve against
//!   the document creation time; anaphoric ones (`a year later`, `that June`)
//!   against the *narrative time*, the last calendar date the text mentioned,
//!   carried across sentences and parts. Every relative value records its anchor
//!   (`dct:2022-07-31`, `narrative:2012-06`).
//! - **Lean to the past.** Reporting text looks back: a bare month or weekday is
//!   the latest one on or before the document date, unless its sentence speaks of
//!   the future.
//! - The document date is often unknown in an archive; [`infer_document_date`]
//!   guesses one, with its basis and confidence, only to anchor relative expressions.
#![deny(missing_docs)]

mod calendar;
pub mod eval;
mod lexicon;
mod rules;
mod tagger;

use annals_model::time::{Timex, TimexType};
use annals_model::{Document, PartKind, Source, Span};
use serde::{Deserialize, Serialize};
use std::io::{BufRead, Write};
use std::sync::LazyLock;

pub use calendar::parse_iso;

/// One time expression found in a text, offsets in characters of that text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tagged {
    /// First character.
    pub start: usize,
    /// One past the last character.
    pub end: usize,
    /// The expression as written.
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    pub kind: TimexType,
    /// TIMEX3 value.
    pub value: String,
    /// What a relative value was resolved against (`dct:1998-08-08`, `narrative:2012-06`).
    pub anchor: Option<String>,
    /// TIMEX3 `mod` (START, MID, END, APPROX, MORE_THAN, LESS_THAN...), where the text gives one.
    #[serde(rename = "mod", skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    /// The rule that found it (for debugging and error analysis).
    #[serde(skip)]
    pub rule: &'static str,
}

/// Finds and normalises the time expressions of `text`.
///
/// `dct` is the document creation time (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`), the
/// anchor of deictic expressions; without it they resolve against the narrative
/// time or stay underspecified (`XXXX-11`). Blank lines separate paragraphs.
pub fn tag(text: &str, dct: Option<&str>) -> Vec<Tagged> {
    let anchor = dct.and_then(parse_iso).map(|p| (p, "dct"));
    let mut state = tagger::Narrative::default();
    tagger::run(text, anchor, &mut state)
}

/// Why the guessed document date was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateBasis {
    /// A date in the byline.
    Byline,
    /// A kicker such as "Europe: March 2022" (a journal issue month).
    Kicker,
    /// The date in the article's own URL.
    OwnUrl,
    /// A dated photo caption: the article is on or after it.
    Caption,
    /// The latest access date in the notes: a lower bound.
    NotesAccessed,
    /// The latest absolute date the text reports: a lower bound.
    LatestEvent,
}

/// A guessed document date, for anchoring relative expressions when the
/// publication date is unknown. Not a publication date: a best anchor, with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DateGuess {
    /// ISO value, as precise as the evidence (`2022`, `2022-09`, `2022-09-12`).
    pub value: String,
    /// The text the guess rests on.
    pub evidence_text: String,
    /// Where that text is.
    pub span: Span,
    /// What kind of evidence it is.
    pub basis: DateBasis,
    /// 0..1: how likely the document was written at about that date.
    pub confidence: f32,
}

static URL_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"/((?:19|20)\d\d)[/-](0[1-9]|1[0-2])(?:[/-]([0-3]\d))?(?:/|$)")
        .expect("url date regex")
});
static ACCESSED: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:accessed|retrieved|last\s+visited|viewed)\b[^0-9A-Za-z]{0,4}(?:on\s+)?",
    )
    .expect("accessed regex")
});
static URL: LazyLock<regex::Regex> =
    LazyLock::new(|| regex::Regex::new(r"https?://[^\s<>)\]]+").expect("url regex"));

fn slug_words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 2 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.to_lowercase())
        .collect()
}

fn is_absolute_date(t: &Tagged) -> bool {
    t.kind == TimexType::Date && t.anchor.is_none() && parse_iso(&t.value).is_some()
}

/// Guesses when a document was written, for a document whose date is not stated
/// (returns None when `doc.date` is set or nothing dates it).
///
/// Direct evidence first: a byline date, a journal kicker, a date in the
/// article's own URL (its `url`, or a link reference whose slug matches the title).
/// Otherwise a lower bound: the latest of dated captions, note access dates and
/// absolute dates the text reports, with a lower confidence.
pub fn infer_document_date(source: &Source, doc: &Document) -> Option<DateGuess> {
    if doc.date.is_some() {
        return None;
    }
    let line_of = |o: usize| source.line_of(o);
    let guess = |part: &annals_model::Part, t: &Tagged, basis, confidence| DateGuess {
        value: t.value.clone(),
        evidence_text: t.text.clone(),
        span: part.source_span(t.start, t.end, line_of),
        basis,
        confidence,
    };
    // Direct evidence.
    for (kind, basis, conf) in [
        (PartKind::Byline, DateBasis::Byline, 0.9),
        (PartKind::Kicker, DateBasis::Kicker, 0.85),
    ] {
        for part in doc.parts_of(kind) {
            if let Some(t) = tag(&part.text, None).into_iter().find(is_absolute_date) {
                return Some(guess(part, &t, basis, conf));
            }
        }
    }
    let title_words = doc.title.as_deref().map(slug_words).unwrap_or_default();
    let own_url = |url: &str| -> bool {
        if title_words.len() < 3 {
            return false;
        }
        let words = slug_words(url.rsplit('/').find(|s| !s.is_empty()).unwrap_or(url));
        let hits = title_words.iter().filter(|w| words.contains(w)).count();
        hits * 10 >= title_words.len() * 6
    };
    let url_date = |url: &str| -> Option<String> {
        let c = URL_DATE.captures(url)?;
        Some(match c.get(3) {
            Some(d) => format!("{}-{}-{}", &c[1], &c[2], d.as_str()),
            None => format!("{}-{}", &c[1], &c[2]),
        })
    };
    if let Some(url) = doc.url.as_deref() {
        if let Some(v) = url_date(url) {
            let (span, text) = doc
                .parts
                .iter()
                .find_map(|p| {
                    let i = p.text.find(url)?;
                    let s = p.text[..i].chars().count();
                    Some((
                        p.source_span(s, s + url.chars().count(), line_of),
                        url.to_string(),
                    ))
                })
                .unwrap_or((Span::new(doc.lines[0], 0, 0), url.to_string()));
            return Some(DateGuess {
                value: v,
                evidence_text: text,
                span,
                basis: DateBasis::OwnUrl,
                confidence: 0.8,
            });
        }
    }
    for part in doc
        .parts_of(PartKind::LinkReferences)
        .chain(doc.parts_of(PartKind::Notes))
    {
        for m in URL.find_iter(&part.text) {
            if own_url(m.as_str()) {
                if let Some(v) = url_date(m.as_str()) {
                    let s = part.text[..m.start()].chars().count();
                    let e = s + m.as_str().chars().count();
                    return Some(DateGuess {
                        value: v,
                        evidence_text: m.as_str().to_string(),
                        span: part.source_span(s, e, line_of),
                        basis: DateBasis::OwnUrl,
                        confidence: 0.8,
                    });
                }
            }
        }
    }
    // Lower bounds: the latest of what the text dates.
    let mut best: Option<DateGuess> = None;
    let mut consider = |g: DateGuess| {
        if best.as_ref().is_none_or(|b| {
            g.value > b.value || (g.value == b.value && g.confidence > b.confidence)
        }) {
            best = Some(g);
        }
    };
    for part in &doc.parts {
        let basis = match part.kind {
            PartKind::Caption => DateBasis::Caption,
            PartKind::Notes => DateBasis::NotesAccessed,
            PartKind::Body | PartKind::Preamble | PartKind::Standfirst => DateBasis::LatestEvent,
            _ => continue,
        };
        let tags = tag(&part.text, None);
        if basis == DateBasis::NotesAccessed {
            for m in ACCESSED.find_iter(&part.text) {
                let at = part.text[..m.end()].chars().count();
                if let Some(t) = tags
                    .iter()
                    .find(|t| t.start >= at && t.start <= at + 2 && is_absolute_date(t))
                {
                    consider(guess(part, t, basis, 0.5));
                }
            }
            continue;
        }
        let conf = if basis == DateBasis::Caption {
            0.55
        } else {
            0.35
        };
        for t in tags
            .iter()
            .filter(|t| is_absolute_date(t) && t.value.len() >= 7)
        {
            consider(guess(part, t, basis, conf));
        }
    }
    best
}

/// Part kinds whose dates tell the story: they share one narrative time.
fn narrative_part(kind: PartKind) -> bool {
    matches!(
        kind,
        PartKind::Preamble
            | PartKind::PullQuote
            | PartKind::Standfirst
            | PartKind::Body
            | PartKind::SectionHeading
    )
}

/// Extracts the time expressions of a document, in part order, with source spans.
///
/// Deictic expressions resolve against `dct`, else the document's date, else a
/// date guessed by [`infer_document_date`] (anchor label `guess:`) when it is
/// confident enough. Narrative parts (preamble, standfirst, body...) share one
/// narrative time; captions, notes and other parts each start afresh, since a
/// note's date says nothing about the story's time. Link references are skipped.
pub fn extract(source: &Source, doc: &Document, dct: Option<&str>) -> Vec<Timex> {
    let anchor = dct
        .or(doc.date.as_deref())
        .and_then(parse_iso)
        .map(|p| (p, "dct"))
        .or_else(|| {
            infer_document_date(source, doc)
                .filter(|g| g.confidence >= 0.5)
                .and_then(|g| parse_iso(&g.value))
                .map(|p| (p, "guess"))
        });
    let mut story = tagger::Narrative::default();
    let mut out = Vec::new();
    for part in &doc.parts {
        if part.kind == PartKind::LinkReferences {
            continue;
        }
        let mut own = tagger::Narrative::default();
        let state = if narrative_part(part.kind) {
            &mut story
        } else {
            &mut own
        };
        for t in tagger::run(&part.text, anchor, state) {
            out.push(Timex {
                doc: doc.id.clone(),
                span: part.source_span(t.start, t.end, |o| source.line_of(o)),
                text: t.text,
                kind: t.kind,
                value: t.value,
                anchor: t.anchor,
            });
        }
    }
    out
}

/// Errors of [`tag_jsonl`].
#[derive(Debug, thiserror::Error)]
pub enum TimeError {
    /// Reading or writing failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// An input line is not a `{"id","dct","text"}` object.
    #[error("line {line}: {source}")]
    Json {
        /// 1-based input line.
        line: usize,
        /// The parse error.
        source: serde_json::Error,
    },
}

#[derive(Deserialize)]
struct TagInput {
    #[serde(default)]
    id: serde_json::Value,
    #[serde(default)]
    dct: Option<String>,
    text: String,
}

#[derive(Serialize)]
struct TagOutputTimex<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: TimexType,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    anchor: Option<&'a str>,
}

/// The time expressions of one text as the JSON array [`tag_jsonl`] writes
/// (`[{"start","end","text","type","value","anchor"?}]`), for callers that write their own
/// lines (`annals entities tag --time`).
pub fn timexes_json(text: &str, dct: Option<&str>) -> serde_json::Value {
    let tags = tag(text, dct);
    let timexes: Vec<TagOutputTimex> = tags
        .iter()
        .map(|t| TagOutputTimex {
            start: t.start,
            end: t.end,
            text: &t.text,
            kind: t.kind,
            value: &t.value,
            anchor: t.anchor.as_deref(),
        })
        .collect();
    serde_json::to_value(timexes).expect("timexes serialise")
}

/// Tags JSON lines `{"id","dct","text"}`, writing `{"id","timexes":[{"start","end","text","type","value"}]}`
/// (offsets in characters of `text`). Blank lines are skipped. Returns the number of documents.
pub fn tag_jsonl(input: impl BufRead, mut output: impl Write) -> Result<usize, TimeError> {
    let mut n = 0;
    for (i, line) in input.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let doc: TagInput = serde_json::from_str(&line).map_err(|source| TimeError::Json {
            line: i + 1,
            source,
        })?;
        let obj = serde_json::json!({ "id": doc.id, "timexes": timexes_json(&doc.text, doc.dct.as_deref()) });
        serde_json::to_writer(&mut output, &obj).map_err(|e| TimeError::Io(e.into()))?;
        output.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}
