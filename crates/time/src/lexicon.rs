//! English lexicon for time expressions: month, weekday, season and number words,
//! and the regex fragments built from them. Language knowledge, kept as small tables.

use crate::calendar::{Season, Unit};
use std::collections::HashSet;
use std::sync::LazyLock;

/// Month names (full forms); abbreviations are matched by prefix.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Weekday names, Monday first.
pub const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Month name or abbreviation, case-sensitive capitalised (the common case in edited prose).
pub const MONTH_RE: &str = r"(?-i:(?:January|February|March|April|May|June|July|August|September|October|November|December|JANUARY|FEBRUARY|MARCH|APRIL|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\b\.?)";

/// Month name where a preceding word already makes it a month (`last may`).
pub const MONTH_ANYCASE_RE: &str =
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b";

/// Weekday name, capitalised.
pub const WEEKDAY_RE: &str =
    r"(?-i:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)";

/// Cardinal number: digits, words, and vague quantities.
pub const NUM_RE: &str = r"(?:\d+(?:\.\d+)?(?:\s+1/2|½)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+hundred|a\s+thousand|a\s+couple\s+of|a\s+few|an?|few|several|some|many|dozens\s+of|hundreds\s+of|a\s+half|half\s+a)";

/// Time units, singular or plural.
pub const UNIT_RE: &str = r"(?:seconds?|minutes?|hours?|days?|nights?|weeks?|weekends?|fortnights?|months?|quarters?|years?|decades?|century|centuries)";

/// Season words.
pub const SEASON_RE: &str = r"(?:spring|summer|autumn|fall|winter)";

/// Month number of a month word or abbreviation.
pub fn month_num(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w[..3]) && m.starts_with(w.as_str()))
        .map(|i| i as u8 + 1)
}

/// Weekday index (0 = Monday) of a weekday word.
pub fn weekday_num(word: &str) -> Option<u8> {
    let w = word.to_ascii_lowercase();
    WEEKDAYS.iter().position(|d| *d == w).map(|i| i as u8)
}

/// Season of a season word.
pub fn season(word: &str) -> Option<Season> {
    match word.to_ascii_lowercase().as_str() {
        "spring" => Some(Season::Spring),
        "summer" => Some(Season::Summer),
        "autumn" | "fall" => Some(Season::Fall),
        "winter" => Some(Season::Winter),
        _ => None,
    }
}

/// A parsed quantity: exact, or vague (`several`, `a few`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Qty {
    /// A known number.
    Exact(f64),
    /// An unspecified number (written `X` in TIMEX3).
    Vague,
}

/// Parses a cardinal as matched by [`NUM_RE`].
pub fn number(s: &str) -> Option<Qty> {
    let t = s.trim().to_ascii_lowercase();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(rest) = t.strip_suffix(" 1/2").or_else(|| t.strip_suffix('½')) {
        return rest.trim().parse::<f64>().ok().map(|v| Qty::Exact(v + 0.5));
    }
    if let Ok(v) = t.parse::<f64>() {
        return Some(Qty::Exact(v));
    }
    let small = |w: &str| -> Option<f64> {
        const W: [&str; 20] = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        ];
        W.iter().position(|x| *x == w).map(|i| i as f64)
    };
    let tens = |w: &str| -> Option<f64> {
        const T: [&str; 8] = [
            "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        ];
        T.iter()
            .position(|x| *x == w)
            .map(|i| (i as f64 + 2.0) * 10.0)
    };
    match t.as_str() {
        "a" | "an" => return Some(Qty::Exact(1.0)),
        "a couple of" => return Some(Qty::Exact(2.0)),
        "a hundred" => return Some(Qty::Exact(100.0)),
        "a thousand" => return Some(Qty::Exact(1000.0)),
        "a half" | "half a" => return Some(Qty::Exact(0.5)),
        "a few" | "few" | "several" | "some" | "many" | "dozens of" | "hundreds of" => {
            return Some(Qty::Vague)
        }
        _ => {}
    }
    if let Some(v) = small(&t) {
        return Some(Qty::Exact(v));
    }
    let mut parts = t.split(['-', ' ']);
    let first = parts.next()?;
    let tv = tens(first)?;
    match parts.next() {
        None => Some(Qty::Exact(tv)),
        Some(u) => small(u).map(|v| Qty::Exact(tv + v)),
    }
}

/// The unit of a unit word, with how many of that unit one word is
/// (a decade is 10 years, a fortnight 2 weeks) and the TIMEX3 letter.
pub fn unit(word: &str) -> Option<(Unit, f64, &'static str)> {
    let w = word.to_ascii_lowercase();
    let w = w.trim_end_matches('s');
    Some(match w {
        "second" => (Unit::Day, 1.0, "TS"),
        "minute" => (Unit::Day, 1.0, "TM"),
        "hour" => (Unit::Day, 1.0, "TH"),
        "day" | "night" => (Unit::Day, 1.0, "D"),
        "weekend" => (Unit::Day, 2.0, "D"),
        "week" => (Unit::Week, 1.0, "W"),
        "fortnight" => (Unit::Week, 2.0, "W"),
        "month" => (Unit::Month, 1.0, "M"),
        "quarter" => (Unit::Quarter, 3.0, "M"),
        "year" => (Unit::Year, 1.0, "Y"),
        "decade" => (Unit::Decade, 10.0, "Y"),
        "century" | "centurie" => (Unit::Century, 100.0, "Y"),
        _ => return None,
    })
}

fn word_list(data: &'static str) -> HashSet<&'static str> {
    data.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// Words after a four-digit number that make it a count, not a year.
pub static COUNT_NOUNS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/count_nouns.txt")));

/// Words before a four-digit number that make it a label or amount, not a year.
pub static NO_YEAR_BEFORE: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| word_list(include_str!("../data/no_year_before.txt")));

/// Words before a bare month name that make it a month (`in May`), not a verb or name.
pub const MONTH_CUES: &[&str] = &[
    "in",
    "since",
    "until",
    "till",
    "by",
    "during",
    "from",
    "to",
    "through",
    "of",
    "last",
    "next",
    "this",
    "that",
    "early",
    "late",
    "mid",
    "before",
    "after",
    "between",
    "and",
    "or",
    "on",
    "each",
    "every",
    "around",
    "about",
    "the",
    "until",
    "mid-",
    "end",
    "beginning",
    "start",
    "middle",
    "for",
    "past",
    "throughout",
    "as",
    "early-",
    "late-",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_numbers_and_months() {
        assert_eq!(number("twenty-one"), Some(Qty::Exact(21.0)));
        assert_eq!(number("5 1/2"), Some(Qty::Exact(5.5)));
        assert_eq!(number("several"), Some(Qty::Vague));
        assert_eq!(month_num("Sept."), Some(9));
        assert_eq!(month_num("Ma"), None);
        assert_eq!(month_num("Mar"), Some(3));
    }
}
