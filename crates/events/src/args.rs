//! Arguments of an event read from its clause: who, to whom, where, how many
//! killed or injured, and who claims it. Patterns are for English analytical
//! prose; names come from the know stage's mentions where there are any, else
//! from capitalised word runs.
use annals_model::event::Count;
use annals_model::know::EntityKind;
use once_cell::sync::Lazy;
use regex::Regex;

/// A name found in a clause (byte range in the clause text).
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    /// Byte offset in the sentence.
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// As written.
    pub text: String,
    /// Entity kind, when a mention said so.
    pub kind: Option<EntityKind>,
    /// Entity id, when a mention said so.
    pub entity: Option<String>,
}

const STOP_CAPS: &[&str] = &[
    "The",
    "A",
    "An",
    "In",
    "On",
    "At",
    "By",
    "But",
    "And",
    "Then",
    "When",
    "While",
    "After",
    "Before",
    "As",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "Our",
    "His",
    "Her",
    "Their",
    "Just",
    "Even",
    "Some",
    "Since",
    "During",
    "Early",
    "Late",
    "For",
    "From",
    "With",
    "Of",
    "To",
    "Yet",
    "Although",
    "Though",
    "According",
    "Meanwhile",
    "Still",
    "First",
    "Second",
    "Third",
    "Finally",
    "Last",
    "Soon",
    "Only",
    "If",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Chinese",
    "Afghan",
    "Pakistani",
    "American",
    "Russian",
    "Indian",
    "European",
    "Western",
];

static CAPS: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b[A-Z][\w’'\-&\.]*(?:\s+(?:of|the|for|and|de|al|bin)?\s*[A-Z][\w’'\-&\.]*)*")
        .unwrap()
});

/// Capitalised word runs, a stand-in for names when no mentions are given.
pub fn capitalised_names(s: &str) -> Vec<Name> {
    CAPS.find_iter(s)
        .filter_map(|m| {
            let mut text = m.as_str();
            let mut start = m.start();
            // drop leading function words ("The Taliban" -> "Taliban")
            loop {
                let first = text.split_whitespace().next().unwrap_or("");
                if STOP_CAPS.contains(&first) && text.len() > first.len() {
                    let rest = text[first.len()..].trim_start();
                    start += text.len() - rest.len();
                    text = rest;
                } else {
                    break;
                }
            }
            let text = text.trim_end_matches(['.', '’', '\'']);
            let first = text.split_whitespace().next().unwrap_or("");
            if text.is_empty()
                || STOP_CAPS.contains(&text)
                || (STOP_CAPS.contains(&first) && text == first)
            {
                return None;
            }
            // glued note markers: "Zhou2"
            let text = text.trim_end_matches(|c: char| c.is_ascii_digit());
            let text = text
                .strip_suffix("’s")
                .or_else(|| text.strip_suffix("'s"))
                .unwrap_or(text);
            if text.len() < 2 {
                return None;
            }
            Some(Name {
                start,
                end: start + text.len(),
                text: text.to_string(),
                kind: None,
                entity: None,
            })
        })
        .collect()
}

static NUM: &str = r"(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|a dozen|dozens of|scores of|hundreds of)";
static QUAL: &str = r"(?:at least|nearly|almost|more than|over|about|around|some|up to|roughly|approximately|as many as)";

static KILLED_OBJ: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:killed|killing|kills|kill|murdered|left)\s+(?P<all>(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})\s+(?:[\w\-]+\s+){{0,2}}?(?:people|persons|civilians|workers|engineers|nationals|citizens|policemen|police officers|officers|soldiers|troops|guards|tourists|students|teachers|children|worshippers|passengers|pilgrims|employees|staff|members|militants|attackers|others|[A-Z]\w+s)\b)"
    ))
    .unwrap()
});
static PASSIVE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?P<all>(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})\s+(?:[\w\-]+\s+){{0,3}}?)(?:were|was|had been|have been)\s+(?P<v>killed|injured|wounded|hurt)"
    ))
    .unwrap()
});
static INJURED_OBJ: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(
        r"(?i)\b(?:injured|injuring|wounded|wounding|injures|wounds)\s+(?P<all>(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})(?:\s+[\w\-]+){{0,3}}?\s+(?:people|persons|civilians|others|workers|policemen|soldiers|children|passengers|\w+s)\b)"
    ))
    .unwrap()
});
static NUM_INJURED: Lazy<Regex> = Lazy::new(|| {
    Regex::new(&format!(r"(?i)\b(?:and|,)\s+(?P<all>(?:(?P<q>{QUAL})\s+)?(?P<n>{NUM})(?:\s+\w+)?)\s+(?:injured|wounded)\b")).unwrap()
});

fn number_value(s: &str) -> Option<u32> {
    let s = s.to_lowercase();
    let words = [
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
        "twenty",
    ];
    if let Some(i) = words.iter().position(|w| *w == s) {
        return Some(i as u32);
    }
    match s.as_str() {
        "thirty" => return Some(30),
        "forty" => return Some(40),
        "fifty" => return Some(50),
        "sixty" => return Some(60),
        "a dozen" => return Some(12),
        _ => {}
    }
    s.replace(',', "").parse().ok()
}

fn count_from(c: &regex::Captures) -> Count {
    let n = c.name("n").map(|m| m.as_str()).unwrap_or("");
    Count {
        value: number_value(n),
        qualifier: c.name("q").map(|m| m.as_str().to_lowercase()),
        text: c
            .name("all")
            .map(|m| m.as_str().trim().to_string())
            .unwrap_or_default(),
    }
}

/// Killed and injured figures as stated in `s`.
pub fn casualties(s: &str) -> (Option<Count>, Option<Count>) {
    let mut killed = None;
    let mut injured = None;
    for c in PASSIVE.captures_iter(s) {
        let v = c
            .name("v")
            .map(|m| m.as_str().to_lowercase())
            .unwrap_or_default();
        if v == "killed" {
            killed.get_or_insert_with(|| count_from(&c));
        } else {
            injured.get_or_insert_with(|| count_from(&c));
        }
    }
    if let Some(c) = KILLED_OBJ.captures(s) {
        let cand = count_from(&c);
        if killed.as_ref().is_none_or(|k: &Count| {
            c.get(0).unwrap().start() < s.find(&k.text).unwrap_or(usize::MAX)
        }) {
            killed = Some(cand);
        }
    }
    if injured.is_none() {
        if let Some(c) = INJURED_OBJ.captures(s).or_else(|| NUM_INJURED.captures(s)) {
            injured = Some(count_from(&c));
        }
    }
    (killed, injured)
}

static CLAIM_PATTERNS: Lazy<Vec<Regex>> = Lazy::new(|| {
    let name =
        r"(?P<who>(?:the\s+)?[A-Z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*)*(?:\s+[a-z]+)?|[a-z]+\s+[a-z]+)";
    [
        format!(r"\bclaimed by\s+{name}"),
        format!(r"{name}\s+(?:has\s+|have\s+|had\s+)?claimed responsibility"),
        format!(r"{name}\s+claiming (?:it|they|that it)\b"),
        format!(r"\baccording to\s+{name}"),
        format!(r"{name}\s+(?:have|has)\s+attributed"),
        format!(r"\bblamed on\s+{name}"),
    ]
    .iter()
    .map(|p| Regex::new(p).unwrap())
    .collect()
});

/// Who the text says claims the event or stands behind the account of it.
pub fn claimed_by(s: &str) -> Option<String> {
    CLAIM_PATTERNS.iter().find_map(|r| {
        let c = r.captures(s)?;
        let who = c.name("who")?.as_str().trim();
        let who = who.strip_prefix("the ").unwrap_or(who);
        // "claimed by Baloch separatists, highlighted" – keep the noun phrase only
        let who = who.split([',', ';']).next().unwrap_or(who).trim();
        if who.is_empty() || who.eq_ignore_ascii_case("it") {
            None
        } else {
            Some(who.to_string())
        }
    })
}

static PLACE_PREP: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"\b(?:in|at|near|outside|inside|to|from)\s+(?:the\s+)?(?P<p>(?:St\.\s+[A-Z][\w’'\-]*|[A-Z](?:\.[A-Z])+\.?|[A-Z][\w’'\-]*)(?:\s+(?:St\.\s+[A-Z][\w’'\-]*|[A-Z](?:\.[A-Z])+\.?|[A-Z][\w’'\-]*))*(?:,\s+(?:St\.\s+[A-Z][\w’'\-]*|[A-Z](?:\.[A-Z])+\.?|[A-Z][\w’'\-]*))?)").unwrap()
});

/// Places named after `in`/`at`/`near` in `s`: `(byte start, name)`.
pub fn place_phrases(s: &str) -> Vec<(usize, String)> {
    PLACE_PREP
        .captures_iter(s)
        .filter_map(|c| {
            let m = c.name("p")?;
            let t = m.as_str().trim_end_matches(|c: char| c.is_ascii_digit());
            // "Urumqi’s train station": the place, not its possessive
            let t = t
                .strip_suffix("’s")
                .or_else(|| t.strip_suffix("'s"))
                .unwrap_or(t);
            if STOP_CAPS.contains(&t.split_whitespace().next().unwrap_or("")) {
                return None;
            }
            let pre = &s[c.get(0)?.start()..m.start()];
            if pre.starts_with("to") || pre.starts_with("from") {
                return None;
            }
            Some((m.start(), t.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_with_abbreviations_and_possessives() {
        let p = |s: &str| {
            place_phrases(s)
                .into_iter()
                .map(|(_, p)| p)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            p("a plot to detonate a bomb in the U.K. in 2005"),
            vec!["U.K."]
        );
        assert_eq!(p("a bombing at Urumqi’s train station"), vec!["Urumqi"]);
        assert_eq!(p("troops arrived in Kabul."), vec!["Kabul"]);
        assert_eq!(
            p("a bombing in St. Petersburg in 2017"),
            vec!["St. Petersburg"]
        );
    }

    fn check(input: &str, killed: Option<(u32, Option<&str>)>, injured: Option<u32>) {
        let (k, i) = casualties(input);
        assert_eq!(
            k.map(|c| (c.value.unwrap_or(0), c.qualifier.clone())),
            killed.map(|(v, q)| (v, q.map(String::from))),
            "{input}"
        );
        assert_eq!(i.and_then(|c| c.value), injured, "{input}");
    }

    #[test]
    fn casualty_phrases() {
        check(
            "A gunman killed nine Chinese engineers near the dam.",
            Some((9, None)),
            None,
        );
        check(
            "The blast killed nearly 50 people at a shrine.",
            Some((50, Some("nearly"))),
            None,
        );
        check(
            "At least two policemen were killed and 12 others wounded.",
            Some((2, Some("at least"))),
            Some(12),
        );
        check(
            "an attack that killed four people (and three attackers)",
            Some((4, None)),
            None,
        );
        check(
            "The bombing injured 30 people in the market.",
            None,
            Some(30),
        );
        check("He spoke for nearly 50 minutes.", None, None);
    }

    #[test]
    fn claims() {
        assert_eq!(
            claimed_by("The attack, claimed by Baloch separatists, shook Karachi."),
            Some("Baloch separatists".into())
        );
        assert_eq!(
            claimed_by("with the BLA claiming it killed six"),
            Some("BLA".into())
        );
        assert_eq!(
            claimed_by("Jundallah claimed responsibility for the blast."),
            Some("Jundallah".into())
        );
        assert_eq!(
            claimed_by("Chinese sources have attributed it to the ETIM"),
            Some("Chinese sources".into())
        );
        assert_eq!(claimed_by("Nobody spoke."), None);
    }
}
