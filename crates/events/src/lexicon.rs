//! Trigger and cue lexicons, loaded from `data/*.tsv` (compiled in, so the
//! binary stays one file). Knowledge of the field lives in the data files; this
//! module only knows how to turn a phrase list into matchers.
use annals_model::event::EventType;
use once_cell::sync::Lazy;
use regex::Regex;
use std::collections::HashMap;
use std::sync::Mutex;

/// One trigger found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Byte range in the searched text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// The type the phrase marks.
    pub kind: EventType,
    /// How strongly.
    pub weight: u32,
}

/// A list of phrases compiled into one leftmost-longest matcher.
pub struct PhraseSet<T: Clone> {
    all: Regex,
    entries: Vec<(Regex, T)>,
    /// Matched text → index of the first entry that matches it whole (a pure
    /// function of the text): spares re-testing every entry's regex per match,
    /// which was the backtracker's share of ingest. Bounded by `MEMO_CAP`.
    memo: Mutex<HashMap<String, Option<usize>>>,
}

const MEMO_CAP: usize = 20_000;

/// Letters a stem (`visit*`) may run on with: ASCII and the Latin-1/Extended
/// letters of borrowed words (`communiqué`). A small class keeps the lazy DFA
/// small; Unicode `\w` under `(?i)` made it thrash back to the PikeVM.
const WORD: &str = r"0-9A-Za-z_\u{C0}-\u{D6}\u{D8}-\u{F6}\u{F8}-\u{24F}";

/// `visit*` → `visit\w*`, `became~president` → up to three words between.
fn phrase_pattern(phrase: &str) -> String {
    let mut out = String::new();
    for (i, part) in phrase.split('~').enumerate() {
        if i > 0 {
            out.push_str(r"(?:\s+\S+){0,4}?\s+");
        }
        let words: Vec<String> = part
            .split_whitespace()
            .map(|w| match w.strip_suffix('*') {
                Some(stem) => format!(r"{}[{WORD}]*", regex::escape(stem)),
                None => regex::escape(w),
            })
            .collect();
        out.push_str(&words.join(r"\s+"));
    }
    out
}

impl<T: Clone> PhraseSet<T> {
    /// Compiles `(phrase, value)` pairs; longer phrases are preferred where
    /// several start at the same place.
    pub fn new(items: Vec<(String, T)>) -> Self {
        Self::with_case(items, false)
    }

    /// Like [`PhraseSet::new`]; `case_sensitive` keeps `may` (cue) apart from `May` (month).
    pub fn with_case(mut items: Vec<(String, T)>, case_sensitive: bool) -> Self {
        let flag = if case_sensitive { "" } else { "(?i)" };
        items.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        let pats: Vec<String> = items.iter().map(|(p, _)| phrase_pattern(p)).collect();
        // Word boundaries: an ASCII `\b` before and a consumed non-word character
        // (or the end) after, both checked against Unicode in `find`. Unicode `\b`
        // would be simpler, but the lazy DFA gives up on it as soon as the text
        // holds a non-ASCII character, and the PikeVM fallback made this matcher
        // most of ingest's time (~1 MB/s against ~65 MB/s now).
        let all = Regex::new(&format!(
            r"{flag}(?-u:\b)(?:{})(?:[^{WORD}]|$)",
            pats.join("|")
        ))
        .expect("lexicon regex");
        let entries = items
            .iter()
            .zip(&pats)
            .map(|((_, v), p)| {
                (
                    Regex::new(&format!(r"{flag}^(?:{p})$")).expect("phrase regex"),
                    v.clone(),
                )
            })
            .collect();
        PhraseSet {
            all,
            entries,
            memo: Mutex::new(HashMap::new()),
        }
    }

    /// Every non-overlapping match as `(start, end, value)` byte ranges.
    pub fn find(&self, text: &str) -> Vec<(usize, usize, T)> {
        self.all
            .find_iter(text)
            .filter_map(|m| {
                let (start, mut end) = (m.start(), m.end());
                // The character after the phrase was consumed; a letter outside
                // `WORD` (Greek, Cyrillic…) there means the phrase runs on.
                if let Some(c) = text[start..end].chars().next_back() {
                    if !in_word_class(c) {
                        if is_word(c) {
                            return None;
                        }
                        end -= c.len_utf8();
                    }
                }
                if text[..start].chars().next_back().is_some_and(is_word) {
                    return None;
                }
                let k = self.entry_of(&text[start..end])?;
                Some((start, end, self.entries[k].1.clone()))
            })
            .collect()
    }
}

/// In the `WORD` class.
fn in_word_class(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || c == '_'
        || matches!(c, '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{24F}')
}

/// A word character as the regex crate's Unicode `\w` sees it.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || regex_syntax_word_extra(c)
}

/// Marks and connector punctuation that Unicode `\w` also counts (combining accents).
fn regex_syntax_word_extra(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36F}' | '\u{200C}' | '\u{200D}' | '\u{203F}' | '\u{2040}'
    )
}

impl<T: Clone> PhraseSet<T> {
    fn entry_of(&self, text: &str) -> Option<usize> {
        if let Some(k) = self.memo.lock().ok().and_then(|m| m.get(text).copied()) {
            return k;
        }
        let k = self.entries.iter().position(|(r, _)| r.is_match(text));
        if let Ok(mut m) = self.memo.lock() {
            if m.len() < MEMO_CAP {
                m.insert(text.to_string(), k);
            }
        }
        k
    }
}

fn parse_tsv(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
}

/// The built-in trigger lexicon (`data/triggers.tsv`).
/// Lines typed `none` are stop phrases: a longer phrase that holds a trigger word
/// in another sense ("meet the needs", "visit the website") and so hides it.
pub static TRIGGERS: Lazy<PhraseSet<Option<(EventType, u32)>>> = Lazy::new(|| {
    let items = parse_tsv(include_str!("../data/triggers.tsv"))
        .filter_map(|f| {
            let phrase = f.get(2)?.to_string();
            if *f.first()? == "none" {
                return Some((phrase, None));
            }
            let kind = EventType::parse(f.first()?)?;
            let weight = f.get(1)?.parse().ok()?;
            Some((phrase, Some((kind, weight))))
        })
        .collect();
    PhraseSet::new(items)
});

/// Dates that name an event (`data/named_dates.tsv`): value, type, names as written.
pub static NAMED_DATES: Lazy<Vec<(String, EventType, Vec<String>)>> = Lazy::new(|| {
    parse_tsv(include_str!("../data/named_dates.tsv"))
        .filter_map(|f| {
            let names = f
                .get(2)
                .map(|n| n.split('|').map(String::from).collect())
                .unwrap_or_default();
            Some((f.get(1)?.to_string(), EventType::parse(f.first()?)?, names))
        })
        .collect()
});

static NAMED_RE: Lazy<Regex> = Lazy::new(|| {
    let mut names: Vec<&String> = NAMED_DATES.iter().flat_map(|(_, _, n)| n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    let alts: Vec<String> = names.iter().map(|n| regex::escape(n)).collect();
    // not inside a longer token or an adjective ("post-9/11", "9/11-era")
    Regex::new(&format!(
        r"(?:^|[^\w/\-])({})(?:$|[^\w/\-])",
        alts.join("|")
    ))
    .expect("named dates")
});

/// The event type a date names, if it is one of the named dates.
pub fn named_date(value: &str) -> Option<EventType> {
    NAMED_DATES
        .iter()
        .find(|(v, _, _)| v == value)
        .map(|(_, k, _)| *k)
}

/// Names of dated events in `text` ("9/11"): `(start, end, value, type)` byte ranges.
pub fn named_events(text: &str) -> Vec<(usize, usize, String, EventType)> {
    NAMED_RE
        .captures_iter(text)
        .filter_map(|c| {
            let m = c.get(1)?;
            let (v, k, _) = NAMED_DATES
                .iter()
                .find(|(_, _, n)| n.iter().any(|x| x == m.as_str()))?;
            Some((m.start(), m.end(), v.clone(), *k))
        })
        .collect()
}

/// What a cue word signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// Possible or conditional.
    Hypothetical,
    /// Planned or expected.
    Future,
    /// Denied.
    Negated,
}

/// The built-in modality cues (`data/cues.tsv`).
pub static CUES: Lazy<PhraseSet<Cue>> = Lazy::new(|| {
    let items = parse_tsv(include_str!("../data/cues.tsv"))
        .filter_map(|f| {
            let cue = match *f.first()? {
                "hypothetical" => Cue::Hypothetical,
                "future" => Cue::Future,
                "negated" => Cue::Negated,
                _ => return None,
            };
            Some((f.get(1)?.to_string(), cue))
        })
        .collect();
    PhraseSet::with_case(items, true)
});

/// Triggers in `text` (byte ranges).
pub fn triggers(text: &str) -> Vec<Hit> {
    TRIGGERS
        .find(text)
        .into_iter()
        .filter_map(|(start, end, v)| v.map(|kv| (start, end, kv)))
        .map(|(start, end, (kind, weight))| Hit {
            start,
            end,
            kind,
            weight,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(t: &str) -> Vec<(String, &'static str)> {
        triggers(t)
            .into_iter()
            .map(|h| (t[h.start..h.end].to_string(), h.kind.as_str()))
            .collect()
    }

    #[test]
    fn named_events_but_not_adjectives() {
        let n = |t: &str| {
            named_events(t)
                .into_iter()
                .map(|(_, _, v, _)| v)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            n("Terrorism did not start with 9/11, nor with 7/7."),
            vec!["2001-09-11", "2005-07-07"]
        );
        assert!(n("the post-9/11 era and the 9/11-era laws").is_empty());
        assert!(n("a 19/11 ratio").is_empty());
    }

    #[test]
    fn stop_phrases_hide_other_senses() {
        assert!(kinds("roads built to meet challenges of the future").is_empty());
        assert!(kinds("a run of heart attacks in the cabinet").is_empty());
        assert_eq!(
            kinds("she will meet the minister"),
            vec![("meet".to_string(), "meeting_visit")]
        );
    }

    #[test]
    fn longest_phrase_wins() {
        assert_eq!(
            kinds("a suicide bomber struck a deal"),
            vec![
                ("suicide bomber".into(), "attack"),
                ("struck a deal".into(), "agreement")
            ]
        );
    }

    #[test]
    fn gaps_and_stems() {
        assert_eq!(
            kinds("She became the country's president."),
            vec![(
                "became the country's president".into(),
                "election_transition"
            )]
        );
        assert_eq!(
            kinds("He visited Tashkent"),
            vec![("visited".into(), "meeting_visit")]
        );
    }

    #[test]
    fn word_boundaries_hold_beyond_ascii() {
        // a stem runs on through accented letters, and stops at punctuation
        assert_eq!(kinds("a bombing\u{2014}then")[0].0, "bombing");
        assert_eq!(kinds("the bomber\u{e9}s")[0].0, "bomber\u{e9}s");
        // no match inside a word, whatever its letters
        assert!(kinds("\u{e9}bomb and \u{3b1}bomb").is_empty());
        assert!(kinds("bomb\u{3b1} bomb\u{430}").is_empty());
        assert_eq!(kinds("bomb."), vec![("bomb".to_string(), "attack")]);
        assert_eq!(
            kinds("\u{ab}bomb\u{bb}"),
            vec![("bomb".to_string(), "attack")]
        );
    }
}
