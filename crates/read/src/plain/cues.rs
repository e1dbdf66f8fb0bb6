//! What one block of plain text looks like: the cues the segmenter combines.
//!
//! Every predicate here looks at one block's text alone; where a block sits in
//! a post is the segmenter's business. Word lists come from `cues.txt`.
use regex::Regex;
use std::sync::OnceLock;

/// The word lists of `cues.txt`, with the regexes built from them.
pub(super) struct Cues {
    pub outlets: Vec<String>,
    posting: Regex,
    first_person: Regex,
    credits: Vec<String>,
    photo_verb: Regex,
    contributor_headings: Vec<String>,
    notes_headings: Vec<String>,
    trailer_starts: Vec<String>,
    bio: Regex,
    pub summary_names: Regex,
    pub coauthor: Regex,
    pub kicker: Regex,
    pub byline: Regex,
    pub by_only: Regex,
    pub dateline: Regex,
    full_date: Regex,
    caption_date: Regex,
    numbered_note: Regex,
    link_ref: Regex,
    outlet_phrase: Regex,
    header_category: Regex,
    header_tag: Regex,
    header_date: Regex,
}

/// Month names and the abbreviations captions use.
const MONTHS: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)";

/// A full date: "October 8, 2020" or "8 October 2020".
const DATE: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)\s+\d{1,2},\s+\d{4}|\d{1,2}\s+(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{4}";

/// A personal name: two to four capitalised words.
const NAME: &str = r"\p{Lu}[\p{Ll}’'\-]+(?:[ \u{a0}](?:\p{Lu}\.|\p{Lu}[\p{Ll}’'\-]+)){1,3}";

fn sections(text: &str) -> std::collections::HashMap<String, Vec<String>> {
    let mut out = std::collections::HashMap::<String, Vec<String>>::new();
    let mut cur = String::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        if l.starts_with('[') && l.ends_with(']') {
            cur = l[1..l.len() - 1].to_string();
            continue;
        }
        out.entry(cur.clone()).or_default().push(l.to_string());
    }
    out
}

fn alternation(words: &[String]) -> String {
    let mut w: Vec<&String> = words.iter().collect();
    // Longest first, so that "takes part" wins over "take".
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.iter()
        .map(|s| regex::escape(s).replace(' ', r"\s+"))
        .collect::<Vec<_>>()
        .join("|")
}

/// The cues, built once.
pub(super) fn cues() -> &'static Cues {
    static CUES: OnceLock<Cues> = OnceLock::new();
    CUES.get_or_init(|| {
        let s = sections(include_str!("cues.txt"));
        let list = |k: &str| s.get(k).cloned().unwrap_or_default();
        let re = |p: String| Regex::new(&p).expect("cue regex");
        Cues {
            outlets: list("outlets"),
            posting: re(format!(r"(?i)\b(?:{})\b", alternation(&list("posting_words")))),
            first_person: re(format!(r"(?:^|[^\p{{L}}’'])(?:{})(?:$|[^\p{{L}}’'])", alternation(&list("first_person")))),
            credits: list("caption_credits"),
            photo_verb: re(format!(r"\b(?:{})\b", alternation(&list("photo_verbs")))),
            contributor_headings: list("contributor_headings"),
            notes_headings: list("notes_headings"),
            trailer_starts: list("trailer_starts"),
            bio: re(format!(
                r"^(?:{NAME})[\s\u{{a0}}]+is\s+(?:a|an|the)\b[^.]{{0,80}}?\b(?i:{})s?\b",
                alternation(&list("bio_roles"))
            )),
            summary_names: re(format!(
                r"\b({NAME}(?:,\s+{NAME})*(?:,?\s+and\s+{NAME})?)\s+(?:{})\b",
                alternation(&list("summary_verbs"))
            )),
            coauthor: re(format!(
                r"\bwith\s+(my\s+(?:[\p{{L}}\-]+\s+){{0,4}}?(?:{})(?:\s+\p{{Ll}}+){{0,3}}\s+(\p{{Lu}}[\p{{Ll}}’'\-]+(?:\s\p{{Lu}}[\p{{Ll}}’'\-]+){{0,2}}))",
                alternation(&list("coauthor_relations"))
            )),
            kicker: re(format!(r"^\p{{Lu}}[\p{{L}} &,\-]{{1,40}}:\s+({MONTHS})\s+(\d{{4}})$")),
            byline: re(format!(
                r"^(?:By\s+)?({NAME}(?:(?:,\s+|\s+and\s+|\s+&\s+){NAME})*)\s*[|,–—]\s*((?:{DATE}).*)$"
            )),
            by_only: re(format!(r"^By\s+({NAME}(?:(?:,\s+|\s+and\s+|\s+&\s+){NAME})*)$")),
            dateline: re(format!(
                r"^(?:Posted|Published)(?:\s+on)?\s+((?:{DATE}))(?:\s+by\s+({NAME}(?:(?:,\s+|\s+and\s+|\s+&\s+){NAME})*))?\.?$"
            )),
            full_date: re(format!(r"^(?:({MONTHS})\s+(\d{{1,2}}),\s+(\d{{4}})|(\d{{1,2}})\s+({MONTHS})\s+(\d{{4}}))")),
            caption_date: re(format!(r"\b(?:on|in)\s+{MONTHS}\s+\d{{1,2}},\s+\d{{4}}\b")),
            numbered_note: re(r"^\d{1,3}\.\s+\S".to_string()),
            link_ref: re(r"^\[\d{1,3}\]:\s*\S".to_string()),
            outlet_phrase: re(
                r"\b(?:(?:piece|article|essay|op-ed|column|commentary|extract|chapter)s?\s+(?:\p{Ll}+\s+){0,3}?for|published\s+(?:\p{Ll}+\s+){0,3}?in)\s+(?:the\s+)?(\p{Lu}[\p{L}’'&\-]*(?:\s+(?:(?:of|on|and|for|&)\s+)?\p{Lu}[\p{L}’'&\-]*){0,4})".to_string(),
            ),
            header_category: re(
                r"^(?i:archive for the)\s+[‘'\x22“](.+?)[’'\x22”]\s+(?i:category)$|^(?i:category(?: archives?)?|archives? for category):\s*(.+)$".to_string(),
            ),
            header_tag: re(
                r"^(?i:(?:posts\s+)?tagged)\s+[‘'\x22“](.+?)[’'\x22”]$|^(?i:tag(?: archives?)?):\s*(.+)$".to_string(),
            ),
            header_date: re(format!(r"^(?i:archive for|monthly archives?:|yearly archives?:)\s+(?:{MONTHS},?\s+)?\d{{4}}$")),
        }
    })
}

/// The number of a month name or abbreviation ("Nov." → 11).
pub(super) fn month_number(m: &str) -> Option<u32> {
    let m = m.trim_end_matches('.').to_ascii_lowercase();
    let names = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    names
        .iter()
        .position(|n| m.starts_with(n))
        .map(|i| i as u32 + 1)
}

impl Cues {
    /// A short line without a sentence's final stop: a title or a heading.
    pub fn title_like(&self, t: &str) -> bool {
        let t = t.trim();
        let n = t.chars().count();
        let words = t.split_whitespace().count();
        if t.contains('\n') || !(2..=120).contains(&n) || words > 20 {
            return false;
        }
        let first = t.chars().next().unwrap_or(' ');
        if !(first.is_uppercase() || first.is_ascii_digit()) {
            return false;
        }
        if t.ends_with(['.', ',', ';', ':', '”', '"']) || t.contains(" | ") {
            return false;
        }
        // A sentence that ends in a note marker ("... closely.8"), or two sentences.
        let body = t.trim_end_matches(|c: char| c.is_ascii_digit());
        if body.len() < t.len() && body.ends_with(['.', '!', '?', '”', '’', '"', ')']) {
            return false;
        }
        if t.contains(". ") {
            return false;
        }
        !(self.is_numbered_note(t) || self.is_link_ref(t) || t.contains("://"))
    }

    /// Running prose: long enough and ending like a sentence.
    pub fn prose(&self, t: &str) -> bool {
        let t = t.trim();
        t.chars().count() >= 60 && t.ends_with(['.', '!', '?', '”', '"', ')', '’'])
    }

    /// A blogger's introduction: talk of posting or of a piece, said in the
    /// first person or naming an outlet.
    pub fn preamble_like(&self, t: &str) -> bool {
        // "this article", "this essay": a piece speaking of itself, not a blogger
        // introducing it.
        let posting = self
            .posting
            .find_iter(t)
            .filter(|m| !t[..m.start()].to_lowercase().ends_with("this "))
            .count();
        // Two of: talk of posting (counts double when repeated), the first
        // person, an outlet named.
        let score = posting.min(2)
            + usize::from(self.first_person.is_match(t))
            + usize::from(self.find_outlet(t).is_some());
        score >= 2
    }

    /// An earlier paragraph of a preamble: prose about posting, in the first
    /// person singular.
    pub fn preamble_continues(&self, t: &str) -> bool {
        self.prose(t)
            && self.first_person.is_match(t)
            && self.posting.is_match(t)
            && self.preamble_like(t)
    }

    /// A quotation set apart: the whole block is one quoted sentence.
    pub fn quote_line(&self, t: &str) -> bool {
        let t = t.trim();
        t.chars().count() >= 30
            && t.starts_with(['“', '"'])
            && (t.ends_with(['”', '"']) || t.ends_with("”.") || t.ends_with("\"."))
    }

    /// A photo caption: a photo credit, or a present-tense description of a
    /// scene with the date it was taken.
    pub fn caption(&self, t: &str) -> bool {
        let t = t.trim();
        let n = t.chars().count();
        if n > 1200 || t.contains('\n') {
            return false;
        }
        if self.credits.iter().any(|c| t.contains(c.as_str())) {
            return true;
        }
        if n > 300 {
            return false;
        }
        // The verb must come early: it says what the subject of the photo does.
        let head: String = t.split_whitespace().take(12).collect::<Vec<_>>().join(" ");
        self.photo_verb.is_match(&head) && self.caption_date.is_match(t)
    }

    /// A numbered note line: `12. Author, ‘Title’, ...`.
    pub fn is_numbered_note(&self, t: &str) -> bool {
        self.numbered_note.is_match(t.trim_start())
    }

    /// A bracketed link reference: `[3]: https://...`.
    pub fn is_link_ref(&self, t: &str) -> bool {
        self.link_ref.is_match(t.trim_start())
    }

    fn heading_in(list: &[String], t: &str) -> bool {
        let t = t.trim().trim_end_matches(':').trim();
        list.iter().any(|h| h.eq_ignore_ascii_case(t))
    }

    /// "Notes on contributors", "About the author"...
    pub fn contributors_heading(&self, t: &str) -> bool {
        Self::heading_in(&self.contributor_headings, t)
    }

    /// "Notes", "Endnotes"...
    pub fn notes_heading(&self, t: &str) -> bool {
        Self::heading_in(&self.notes_headings, t)
    }

    /// A closing line that points elsewhere ("For more, go to ...").
    pub fn trailer(&self, t: &str) -> bool {
        let t = t.trim();
        t.chars().count() <= 250
            && self.trailer_starts.iter().any(|s| {
                t.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s))
                    && !t[s.len()..].starts_with(|c: char| c.is_alphanumeric())
            })
    }

    /// "X is a senior fellow at ...": an author's biography.
    pub fn bio(&self, t: &str) -> bool {
        self.bio.is_match(t.trim())
    }

    /// A byline: "Name | October 8, 2020" or "By Name".
    pub fn byline(&self, t: &str) -> bool {
        let t = t.trim();
        !t.contains('\n')
            && (self.byline.is_match(t) || self.by_only.is_match(t) || self.dateline.is_match(t))
    }

    /// The first known outlet named in `t`, as a byte range. A name followed by
    /// another capitalised word is part of a longer name ("Foreign Policy
    /// Research Institute") and does not count.
    pub fn find_outlet(&self, t: &str) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for o in &self.outlets {
            for (s, _) in t.match_indices(o.as_str()) {
                let e = s + o.len();
                let before_ok = t[..s]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let rest = &t[e..];
                let next_word = rest.trim_start_matches([' ', '\u{a0}']);
                let after_ok = match rest.chars().next() {
                    None => true,
                    Some(c) if c.is_alphanumeric() => false,
                    Some(' ' | '\u{a0}') => !next_word.starts_with(|c: char| c.is_uppercase()),
                    Some(_) => true,
                };
                if before_ok && after_ok {
                    let better = match best {
                        None => true,
                        Some((bs, be)) => s < bs || (s == bs && e > be),
                    };
                    if better {
                        best = Some((s, e));
                    }
                    break;
                }
            }
        }
        // An outlet the list does not know: "a piece for Steppe Review",
        // "published in the Pamir Quarterly".
        best.or_else(|| {
            self.outlet_phrase
                .captures(t)
                .and_then(|c| c.get(1))
                .map(|m| (m.start(), m.end()))
        })
    }

    /// An archive page's heading: "Archive for the ‘X’ Category", "Posts
    /// Tagged ‘X’", "Archive for March, 2021". Gives the category and the tag
    /// it names (a date archive names neither), or `None` for any other line.
    pub fn archive_header(&self, t: &str) -> Option<(Option<String>, Option<String>)> {
        let t = t.trim();
        let first = |c: regex::Captures<'_>| {
            c.get(1)
                .or_else(|| c.get(2))
                .map(|m| m.as_str().trim().to_string())
        };
        if let Some(c) = self.header_category.captures(t) {
            return Some((first(c), None));
        }
        if let Some(c) = self.header_tag.captures(t) {
            return Some((None, first(c)));
        }
        self.header_date.is_match(t).then_some((None, None))
    }

    /// The ISO day of a full date at the start of `t` ("October 8, 2020, 6:32 AM").
    pub fn parse_date(&self, t: &str) -> Option<String> {
        let c = self.full_date.captures(t)?;
        let (m, d, y) = match c.get(1) {
            Some(m) => (m, c.get(2)?, c.get(3)?),
            None => (c.get(5)?, c.get(4)?, c.get(6)?),
        };
        let d: u32 = d.as_str().parse().ok()?;
        (1..=31).contains(&d).then(|| {
            Some(format!(
                "{}-{:02}-{:02}",
                y.as_str(),
                month_number(m.as_str())?,
                d
            ))
        })?
    }

    /// A kicker "Section: Month YYYY" and its ISO month.
    pub fn kicker_date(&self, t: &str) -> Option<String> {
        let c = self.kicker.captures(t.trim())?;
        let m = month_number(c.get(1)?.as_str())?;
        Some(format!("{}-{:02}", c.get(2)?.as_str(), m))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pred: fn(&Cues, &str) -> bool, cases: &[(&str, bool)]) {
        for (t, want) in cases {
            assert_eq!(pred(cues(), t), *want, "{t}");
        }
    }

    #[test]
    fn titles_are_short_and_unstopped() {
        check(
            Cues::title_like,
            &[
                ("Rivers, Dams and the Politics of the Pamirs", true),
                ("What Comes After?", true),
                ("Water is scarce.", false),
                ("Jane Doe | May 2, 2021, 9:00 AM", false),
                ("3. A note, 2020.", false),
                ("Work restarted in 2016. Nobody came.8", false),
                ("The ceremony was brief.12", false),
            ],
        );
    }

    #[test]
    fn captions_have_credits_or_a_dated_scene() {
        check(
            Cues::caption,
            &[
                (
                    "Engineers inspect a turbine hall near Nurek. Courtesy of Example Press",
                    true,
                ),
                (
                    "Farmers gather outside the district office in Khorog on Aug. 3, 2019.",
                    true,
                ),
                (
                    "Prices rose sharply on May 12, 2021, when the index peaked.",
                    false,
                ),
            ],
        );
    }

    #[test]
    fn preambles_talk_about_posting() {
        check(
            Cues::preamble_like,
            &[
                (
                    "A short piece for Foreign Policy on the dams of the Vakhsh valley.",
                    true,
                ),
                ("Late in posting this one, but here is my latest.", true),
                (
                    "My latest for Foreign Policy, on the dams of the Vakhsh valley.",
                    true,
                ),
                (
                    "As the engineers told me, the Vakhsh valley is different.",
                    false,
                ),
                (
                    "The dam was built in 1972 and remains the largest in the region.",
                    false,
                ),
            ],
        );
    }

    #[test]
    fn outlets_are_not_parts_of_longer_names() {
        let c = cues();
        assert_eq!(
            c.find_outlet("a fellow at the Foreign Policy Research Institute"),
            None
        );
        assert_eq!(
            c.find_outlet("a piece for Foreign Policy about dams"),
            Some((12, 26))
        );
    }

    #[test]
    fn bylines_and_datelines() {
        let c = cues();
        check(
            Cues::byline,
            &[
                ("Jane Doe | May 2, 2021, 9:00 AM", true),
                ("By Jane Doe and John Roe", true),
                ("Jane Doe, 2 May 2021", true),
                ("Posted on 2 May 2021 by Jane Doe", true),
                ("Jane Doe", false),
            ],
        );
        assert_eq!(c.parse_date("Nov. 17, 2019").as_deref(), Some("2019-11-17"));
        assert_eq!(
            c.parse_date("2 May 2021 by Jane").as_deref(),
            Some("2021-05-02")
        );
    }

    #[test]
    fn archive_headers_name_a_category_or_a_tag() {
        let c = cues();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            c.archive_header("Archive for the ‘WATER’ Category"),
            Some((s("WATER"), None))
        );
        assert_eq!(
            c.archive_header("Category Archives: Water"),
            Some((s("Water"), None))
        );
        assert_eq!(
            c.archive_header("Posts Tagged ‘dams’"),
            Some((None, s("dams")))
        );
        assert_eq!(
            c.archive_header("Archive for March, 2021"),
            Some((None, None))
        );
        assert_eq!(c.archive_header("Archive of a River"), None);
    }

    #[test]
    fn kickers_give_a_month() {
        assert_eq!(
            cues().kicker_date("Water Politics: June 2019").as_deref(),
            Some("2019-06")
        );
        assert_eq!(cues().kicker_date("Water Politics"), None);
    }
}
