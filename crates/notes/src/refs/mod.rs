//! Reference parsing: a note or a bibliography entry → CSL-JSON items.
//!
//! Two methods, chosen per reference:
//! - **Rules for note style** (policy and news writing): `Author, ‘Title’
//!   [‘Translation’], Outlet, 2 March 2017, <URL>, accessed 14 August 2022.`
//!   Fields are separated by top-level commas (quotes, brackets and `<URL>`s
//!   nest), the quoted field is the title, and what sits before and after it is
//!   classified with small data lexicons (news outlets, organisation words).
//! - **A sequence model** ([`model`]) for everything else: an averaged
//!   structured perceptron that labels tokens (author, title, container, date,
//!   volume, pages...) and was trained on AnyStyle's core set.
use annals_model::notes::{CslDate, CslItem, CslName};
use regex::Regex;
use std::collections::HashSet;
use std::sync::LazyLock;

pub mod model;
mod names;
mod scan;

pub use names::{parse_names, NameStyle};
pub use scan::{split_top, Piece};

static OUTLETS: LazyLock<Vec<String>> =
    LazyLock::new(|| lexicon(include_str!("../../data/outlets.txt")));
static ORG_WORDS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    lexicon(include_str!("../../data/org_words.txt"))
        .into_iter()
        .map(|w| w.to_lowercase())
        .collect()
});
static WORK_HEADS: LazyLock<Vec<String>> =
    LazyLock::new(|| lexicon(include_str!("../../data/work_heads.txt")));

fn lexicon(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect()
}

/// True when `name` is a known news outlet (or starts with one: "UPI Archives").
pub fn is_outlet(name: &str) -> bool {
    let n = name.trim();
    if looks_like_domain(n) {
        return true;
    }
    OUTLETS.iter().any(|o| {
        n == o
            || (n.starts_with(o.as_str())
                && n[o.len()..].starts_with(' ')
                && !o.contains(' ')
                && o.len() >= 3)
    })
}

fn looks_like_domain(s: &str) -> bool {
    static DOM: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[a-z0-9\-]+(\.[a-z0-9\-]+)*\.(com|org|net|cn|ru|kz|uz|kg|tj|info|io|co)$")
            .unwrap()
    });
    DOM.is_match(s)
}

/// True when a name holds an organisation word (Ministry, Embassy, LLC...) or
/// is an acronym.
pub fn is_organisation(name: &str) -> bool {
    let words: Vec<&str> = name
        .split(|c: char| c.is_whitespace() || c == '/' || c == '(' || c == ')')
        .filter(|w| !w.is_empty())
        .collect();
    if words.iter().any(|w| {
        ORG_WORDS.contains(
            &w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
                .to_lowercase(),
        )
    }) {
        return true;
    }
    words.len() == 1
        && words[0].chars().filter(|c| c.is_alphabetic()).count() >= 2
        && words[0]
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
}

fn is_work_head(field: &str) -> bool {
    WORK_HEADS.iter().any(|h| field.starts_with(h.as_str()))
}

/// Cleans a URL as written in a note: strips `<>`, repairs `<<http`, and drops
/// punctuation that ends the sentence rather than the URL.
pub fn clean_url(s: &str) -> String {
    let mut u = s.trim().to_string();
    loop {
        let before = u.len();
        while let Some(r) = u.strip_prefix('<') {
            u = r.to_string();
        }
        while u.ends_with(['.', ',', ';', '>']) {
            u.pop();
        }
        if u.ends_with(')') && u.matches('(').count() < u.matches(')').count() {
            u.pop();
        }
        if u.len() == before {
            break;
        }
    }
    u.trim().to_string()
}

// ---------------------------------------------------------------- dates

const MONTHS: [&str; 12] = [
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

/// The month number of an English month name or abbreviation.
pub fn month_of(w: &str) -> Option<i32> {
    let w = w.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    if w == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .position(|m| *m == w || (w.len() == 3 && m.starts_with(&w)))
        .map(|i| i as i32 + 1)
}

static DATE_DMY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})$").unwrap());
static DATE_MDY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})$").unwrap());
static DATE_MY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([A-Za-z]{3,9})\.?,?\s+(\d{4})$").unwrap());
static DATE_ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$").unwrap());
static DATE_Y: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(1[5-9]\d\d|20\d\d)[a-z]?$").unwrap());
static YEAR_ANY: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(1[5-9]\d\d|20\d\d)[a-z]?\b").unwrap());

/// Parses a field that is wholly a date: `11 November 2000`, `November 11,
/// 2000`, `July 2012`, `2013`, `2020-11-10`, `(2000)`.
pub fn parse_date(s: &str) -> Option<CslDate> {
    let t = s.trim().trim_matches(|c: char| {
        matches!(c, '(' | ')' | '[' | ']' | '.' | ',' | ';' | ':') || c.is_whitespace()
    });
    let raw = Some(s.trim().to_string());
    let mk = |p: Vec<i32>| {
        Some(CslDate {
            date_parts: vec![p],
            raw: raw.clone(),
        })
    };
    if let Some(c) = DATE_DMY.captures(t) {
        let m = month_of(&c[2])?;
        return mk(vec![c[3].parse().ok()?, m, c[1].parse().ok()?]);
    }
    if let Some(c) = DATE_MDY.captures(t) {
        let m = month_of(&c[1])?;
        return mk(vec![c[3].parse().ok()?, m, c[2].parse().ok()?]);
    }
    if let Some(c) = DATE_MY.captures(t) {
        let m = month_of(&c[1]);
        let y: i32 = c[2].parse().ok()?;
        return match m {
            Some(m) => mk(vec![y, m]),
            None if matches!(
                c[1].to_lowercase().as_str(),
                "spring" | "summer" | "autumn" | "fall" | "winter"
            ) =>
            {
                mk(vec![y])
            }
            None => None,
        };
    }
    if let Some(c) = DATE_ISO.captures(t) {
        let mut p = vec![c[1].parse().ok()?, c[2].parse().ok()?];
        if let Some(d) = c.get(3) {
            p.push(d.as_str().parse().ok()?);
        }
        return mk(p);
    }
    if let Some(c) = DATE_Y.captures(t) {
        return mk(vec![c[1].parse().ok()?]);
    }
    None
}

/// A date somewhere inside a longer text (the first year, with day and month
/// when written next to it).
pub fn find_date(s: &str) -> Option<CslDate> {
    static ANY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4}|[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|[A-Z][a-z]{2,8}\.?,?\s+\d{4}|\d{4}-\d{2}-\d{2})").unwrap()
    });
    for m in ANY.find_iter(s) {
        if let Some(d) = parse_date(m.as_str()) {
            return Some(d);
        }
    }
    let c = YEAR_ANY.captures(s)?;
    Some(CslDate {
        date_parts: vec![vec![c[1].parse().ok()?]],
        raw: Some(c[0].to_string()),
    })
}

// ---------------------------------------------------------------- notes

/// Parses one note's text (without its number): the references it cites,
/// the commentary around them, and the note it explicitly points to
/// (`As highlighted in note 41.`).
pub fn parse_note(text: &str) -> (Vec<CslItem>, Option<String>, Option<u32>) {
    static XREF: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:as\s+\w+\s+(?:in|at)|see(?:\s+also)?|cf\.?|compare)\s+(?:above,?\s+)?(?:note|n\.)\s+(\d{1,4})\.?$").unwrap()
    });
    let text = text.trim();
    if let Some(c) = XREF.captures(text) {
        return (Vec::new(), Some(text.to_string()), c[1].parse().ok());
    }
    let mut items = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let sentences = scan::sentences(text);
    for sent in &sentences {
        let chunks: Vec<&str> = if has_citation(sent) {
            split_top(sent, ';').into_iter().map(|p| p.text).collect()
        } else {
            vec![sent]
        };
        for chunk in chunks {
            let chunk = chunk.trim();
            if chunk.is_empty() {
                continue;
            }
            let body = strip_signal(chunk);
            if let Some(item) = interview(body) {
                if sentences.len() == 1 && split_top(sent, ';').len() == 1 {
                    comments.push(chunk.to_string());
                }
                items.push(item);
                continue;
            }
            if let Some(item) = book_note(body) {
                items.push(item);
            } else if has_citation(body) {
                let (item, comment) = parse_note_style(body);
                match url_only_reference(body, &item) {
                    Some(better) => items.push(better),
                    None => {
                        if let Some(c) = comment {
                            comments.push(c);
                        }
                        items.push(item);
                    }
                }
            } else if looks_like_bibliography(body) {
                items.push(model::parse_with_model(body));
            } else {
                comments.push(chunk.to_string());
            }
        }
    }
    let comment = if comments.is_empty() {
        None
    } else {
        Some(comments.join(" "))
    };
    (items, comment, None)
}

fn strip_signal(s: &str) -> &str {
    for p in [
        "See also ",
        "See, e.g., ",
        "See, for example, ",
        "See ",
        "Cf. ",
        "Quoted in ",
        "Cited in ",
    ] {
        if let Some(r) = s.strip_prefix(p) {
            return r;
        }
    }
    s
}

fn interview(s: &str) -> Option<CslItem> {
    let l = s.to_lowercase();
    if !(l.starts_with("author interview")
        || l.starts_with("author's interview")
        || l.starts_with("author’s interview")
        || l.starts_with("interview with"))
    {
        return None;
    }
    if s.contains('‘') || s.contains('“') || s.contains("http") {
        return None;
    }
    Some(CslItem {
        kind: "interview".into(),
        issued: find_date(s),
        note: Some(s.trim_end_matches('.').to_string()),
        ..Default::default()
    })
}

/// Does this text carry a citation in note style: a whole field in quotes, or
/// a URL?
fn has_citation(s: &str) -> bool {
    if s.contains("http://")
        || s.contains("https://")
        || s.contains("<www.")
        || s.contains("doi.org")
    {
        return true;
    }
    split_top(s, ',')
        .iter()
        .any(|f| starts_with_quote(f.text.trim()))
}

fn starts_with_quote(f: &str) -> bool {
    f.starts_with(['‘', '“', '"', '«']) || (f.starts_with('\'') && f.len() > 2)
}

/// A text without note conventions that still reads like a bibliography entry
/// (a year, few lowercase function words): left to the model.
fn looks_like_bibliography(s: &str) -> bool {
    if !YEAR_ANY.is_match(s) {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() < 4 {
        return false;
    }
    let lower = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
        .count();
    (lower as f64) / (words.len() as f64) < 0.35
}

/// A book in note style: `Author, Title (Place: Publisher, 2012), p. 45.`
/// The publication parenthesis marks the end of the title; the author is the
/// first field (more fields only when a later one carries the final "and").
fn book_note(s: &str) -> Option<CslItem> {
    static PUB: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(.+?)\s*\(([^():]{2,60}):\s*([^()]+?),\s*((?:1[5-9]|20)\d\d)\)[,.]?\s*(.*)$")
            .unwrap()
    });
    let s = s.trim().trim_end_matches('.');
    let c = PUB.captures(s)?;
    let head = c.get(1)?.as_str();
    if head.contains('‘') || head.contains('“') || head.contains("http") {
        return None;
    }
    let fields: Vec<&str> = split_top(head, ',')
        .into_iter()
        .map(|p| p.text.trim())
        .collect();
    if fields.len() < 2 {
        return None;
    }
    let all_persons = |f: &str| {
        f.split(" and ")
            .map(|x| x.trim().trim_start_matches("and ").trim())
            .all(|x| !x.is_empty() && is_person_name(x, false))
    };
    let mut n_auth = 1;
    for (k, field) in fields.iter().enumerate().take(fields.len() - 1).skip(1) {
        if !all_persons(field) {
            break;
        }
        if field.starts_with("and ") || field.contains(" and ") {
            n_auth = k + 1;
            break;
        }
    }
    let names: Vec<String> = fields[..n_auth.min(fields.len() - 1)]
        .iter()
        .flat_map(|f| {
            f.split(" and ")
                .map(|x| x.trim().trim_start_matches("and ").to_string())
        })
        .filter(|x| !x.is_empty())
        .collect();
    let editors = names
        .last()
        .is_some_and(|n| n.ends_with("(ed.)") || n.ends_with("(eds)") || n.ends_with("(eds.)"));
    let names: Vec<String> = names
        .iter()
        .map(|n| {
            n.trim_end_matches("(ed.)")
                .trim_end_matches("(eds.)")
                .trim_end_matches("(eds)")
                .trim()
                .to_string()
        })
        .collect();
    if !names
        .iter()
        .all(|n| is_person_name(n, false) || is_organisation(n))
    {
        return None;
    }
    let people: Vec<CslName> = names
        .iter()
        .map(|n| {
            if is_organisation(n) {
                CslName {
                    family: None,
                    given: None,
                    literal: Some(n.clone()),
                }
            } else {
                names::person_from_natural(n)
            }
        })
        .collect();
    let mut item = CslItem {
        kind: "book".into(),
        ..Default::default()
    };
    if editors {
        item.editor = people;
    } else {
        item.author = people;
    }
    item.title = Some(fields[n_auth.min(fields.len() - 1)..].join(", "));
    item.publisher_place = Some(c[2].trim().to_string());
    item.publisher = Some(c[3].trim().to_string());
    item.issued = parse_date(&c[4]);
    let rest = c.get(5).map(|m| m.as_str().trim()).unwrap_or("");
    if let Some(p) = rest.strip_prefix("pp.").or_else(|| rest.strip_prefix("p.")) {
        item.page = Some(p.trim().trim_end_matches('.').to_string());
    }
    Some(item)
}

/// A reference without quoted title whose only note-style feature is its URL
/// (`Author, Title, Publisher, 2019, available at https://...`): the model
/// reads the text before the URL, the rules keep URL and access date.
fn url_only_reference(s: &str, rules: &CslItem) -> Option<CslItem> {
    if rules.title.is_some() {
        return None;
    }
    let cut = s
        .find("<http")
        .or_else(|| s.find("http://"))
        .or_else(|| s.find("https://"))
        .or_else(|| s.find("www."))?;
    let mut head = s[..cut]
        .trim()
        .trim_end_matches(['<', ',', ':', ';'])
        .trim()
        .to_string();
    for tail in [
        "available at",
        "Available at",
        "available from",
        "Available from",
        "online at",
        "at",
    ] {
        if let Some(h) = head.strip_suffix(tail) {
            head = h
                .trim()
                .trim_end_matches([',', '.', ':'])
                .trim()
                .to_string();
            break;
        }
    }
    // Prose ("These are all recorded on the SCO website") stays commentary.
    if split_top(&head, ',').len() < 2 || is_prose(&head) {
        return None;
    }
    let mut item = model::parse_with_model(&head);
    item.title.as_ref()?;
    item.url = rules.url.clone();
    item.accessed = rules.accessed.clone();
    if item.kind == "document" {
        item.kind = "webpage".into();
    }
    Some(item)
}

/// Parses one reference: note-style rules when the text has their conventions,
/// the sequence model otherwise.
pub fn parse(reference: &str) -> CslItem {
    let r = reference.trim();
    if let Some(b) = book_note(r) {
        return b;
    }
    if prefers_rules(r) {
        parse_note_style(strip_signal(r)).0
    } else {
        model::parse_with_model(r)
    }
}

/// Note style: the title is a whole comma-separated field in single curly
/// quotes (British note style), or the URL is written `<URL>`. Other styles
/// (Harvard's `Available at ... [accessed ...]`, Chicago's double quotes) are
/// left to the model, which does better on them.
fn prefers_rules(r: &str) -> bool {
    if r.contains("<http") || r.contains("<www.") {
        return true;
    }
    let fields = split_top(r, ',');
    fields
        .iter()
        .skip(1)
        .any(|f| f.text.trim().starts_with('‘'))
}

#[derive(Debug, Default)]
struct Post {
    others: Vec<String>,
    series: Option<(String, String)>,
}

/// Parses one citation written in note style. Returns the item and any
/// commentary that sat in it (a prose field before a URL).
pub fn parse_note_style(s: &str) -> (CslItem, Option<String>) {
    let s = s.trim().trim_end_matches(['.', ';']).trim();
    let mut item = CslItem::default();
    let mut comment = None;
    let fields: Vec<String> = split_top(s, ',')
        .into_iter()
        .map(|p| p.text.trim().to_string())
        .filter(|f| !f.is_empty())
        .collect();
    let title_at = fields.iter().position(|f| starts_with_quote(f));
    let mut pre: Vec<String> = Vec::new();
    let mut post = Post::default();
    let mut event: Option<String> = None;
    let mut in_event = false;
    for (i, f) in fields.iter().enumerate() {
        // URLs and access dates may sit anywhere.
        if let Some(u) = url_in(f) {
            if item.url.is_none() {
                item.url = Some(u.clone());
            }
            let rest = remove_url(f);
            if !rest.is_empty() && title_at.is_none() {
                // "Data from <URL>": prose around a URL is commentary.
                comment = Some(f.trim_end_matches('.').to_string());
            } else if !rest.is_empty() && rest.to_lowercase().starts_with("accessed") {
                item.accessed = parse_date(rest[8..].trim());
            }
            in_event = false;
            continue;
        }
        let fl = f.to_lowercase();
        if let Some(rest) = fl
            .strip_prefix("accessed")
            .or_else(|| fl.strip_prefix("last accessed"))
            .or_else(|| fl.strip_prefix("retrieved"))
        {
            let _ = rest;
            let d = f.split_once(' ').map(|x| x.1).unwrap_or("");
            item.accessed = parse_date(d.trim_start_matches("on "));
            in_event = false;
            continue;
        }
        match title_at {
            Some(t) if i < t => pre.push(f.clone()),
            Some(t) if i == t => {
                let (title, translation, rest) = split_title(f);
                item.title = Some(title);
                item.original_title = translation;
                if let Some(r) = rest {
                    post.others.push(r);
                }
            }
            Some(_) => {
                if in_event && parse_date(f).is_none() {
                    if let Some(e) = event.as_mut() {
                        e.push_str(", ");
                        e.push_str(f);
                    }
                    continue;
                }
                in_event = false;
                if is_event_field(f) {
                    event = Some(f.clone());
                    in_event = true;
                    continue;
                }
                classify_post(f, &mut item, &mut post);
            }
            None => {
                // No title: leading short fields name the site; prose is commentary.
                if parse_date(f).is_some() && item.issued.is_none() {
                    item.issued = parse_date(f);
                } else if is_prose(f) {
                    comment = Some(f.clone());
                    if let Some(site) = website_named(f) {
                        item.container_title = Some(site);
                    }
                } else {
                    pre.push(f.clone());
                }
            }
        }
    }
    // Before the title: authors, an outlet, or a work.
    let short_form = item.url.is_none()
        && item.issued.is_none()
        && post.others.is_empty()
        && post.series.is_none();
    assign_pre(&pre, &mut item, short_form, title_at.is_some());
    // After the title.
    if let Some((series, number)) = post.series.take() {
        if item.container_title.is_none() {
            item.container_title = Some(series);
        } else {
            item.collection_title = Some(series);
        }
        item.number = Some(number);
        if let Some(p) = post.others.first() {
            item.publisher = Some(p.clone());
        }
    } else {
        match post.others.len() {
            0 => {}
            1 => {
                if item.container_title.is_none() {
                    item.container_title = Some(post.others[0].clone());
                } else {
                    item.publisher = Some(post.others[0].clone());
                }
            }
            _ => {
                let (a, b) = (&post.others[0], &post.others[1]);
                if item.container_title.is_none() {
                    if is_series_name(b) {
                        item.publisher = Some(a.clone());
                        item.container_title = Some(b.clone());
                    } else {
                        item.container_title = Some(a.clone());
                        item.publisher = Some(b.clone());
                    }
                } else {
                    item.publisher = Some(a.clone());
                }
            }
        }
    }
    if item.container_title.is_none() && title_at.is_none() {
        if let Some(u) = &item.url {
            item.container_title = crate::sites::site_name_exact(u);
        }
    }
    item.event_title = event;
    item.kind = guess_type(&item, short_form && title_at.is_some(), comment.is_some()).to_string();
    (item, comment)
}

/// "... on the SCO website": prose that names the site it points to.
fn website_named(f: &str) -> Option<String> {
    static SITE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:the|its|their)\s+((?:[A-Z][\w’'&.-]*\s+){1,5}(?:website|web site|site|portal|database))\b").unwrap()
    });
    SITE.captures(f).map(|c| c[1].to_string())
}

fn is_prose(f: &str) -> bool {
    let words: Vec<&str> = f.split_whitespace().collect();
    words.len() >= 4
        && words
            .iter()
            .skip(1)
            .filter(|w| w.chars().next().is_some_and(|c| c.is_lowercase()))
            .count()
            * 2
            >= words.len() - 1
}

fn is_event_field(f: &str) -> bool {
    static EV: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:(?:keynote\s+)?(?:speech|remarks|address|lecture|statement|presentation|testimony)\s+(?:given|delivered|made|presented)?\s*(?:at|to|before)\b|paper\s+presented\s+at\b)").unwrap()
    });
    EV.is_match(f)
}

fn is_series_name(s: &str) -> bool {
    static SER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(reports?|papers?|briefs?|series|studies|notes|analyses|commentar(?:y|ies)|working)\b").unwrap()
    });
    SER.is_match(s)
}

fn classify_post(f: &str, item: &mut CslItem, post: &mut Post) {
    static PAGES: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(?i:pp?\.?)\s*(\d+[a-z]?(?:\s*[-–—]\s*\d+[a-z]?)?)$").unwrap()
    });
    static VOL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?i:vol(?:ume)?\.?)\s*(\w+)$").unwrap());
    static NUM: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(?i:no\.?|number|issue|nr\.?)\s*(\w+)$").unwrap());
    static SERIES_NO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^(.+?)\s+(?i:no\.?|number|nr\.?)\s*(\d+\w*)$").unwrap());
    static PAREN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(.*?)\s*\((.+)\)$").unwrap());
    let f = f.trim();
    if item.issued.is_none() {
        if let Some(d) = parse_date(f) {
            item.issued = Some(d);
            return;
        }
    }
    if let Some(c) = PAGES.captures(f) {
        item.page = Some(c[1].to_string());
        return;
    }
    if let Some(c) = VOL.captures(f) {
        item.volume = Some(c[1].to_string());
        return;
    }
    if let Some(c) = NUM.captures(f) {
        if item.volume.is_some() || item.container_title.is_some() || !post.others.is_empty() {
            item.issue = Some(c[1].to_string());
        } else {
            item.number = Some(c[1].to_string());
        }
        return;
    }
    if let Some(c) = PAREN.captures(f) {
        // China Brief (Vol. 12, No. 14, July 2012)
        let inner = c[2].to_string();
        let inner_fields: Vec<String> = split_top(&inner, ',')
            .into_iter()
            .map(|p| p.text.trim().to_string())
            .collect();
        if inner_fields.iter().all(|x| {
            parse_date(x).is_some() || VOL.is_match(x) || NUM.is_match(x) || PAGES.is_match(x)
        }) {
            if !c[1].is_empty() {
                post.others.push(c[1].to_string());
            }
            for x in inner_fields {
                if let Some(c) = NUM.captures(&x) {
                    item.issue = Some(c[1].to_string());
                } else {
                    classify_post(&x, item, post);
                }
            }
            return;
        }
    }
    if let Some(c) = SERIES_NO.captures(f) {
        if is_series_name(&c[1]) {
            post.series = Some((c[1].to_string(), c[2].to_string()));
            return;
        }
    }
    post.others.push(f.to_string());
}

/// Splits `‘Title’ [‘Translation’] rest` into its parts.
fn split_title(f: &str) -> (String, Option<String>, Option<String>) {
    let pieces = last_close(f).unwrap_or_else(|| scan::quoted_prefix(f));
    let title = pieces
        .0
        .trim()
        .trim_end_matches([',', '.'])
        .trim()
        .to_string();
    let mut rest = pieces.1.trim().to_string();
    let mut translation = None;
    if rest.starts_with('[') {
        if let Some(end) = scan::matching_close(&rest, 0) {
            let inner = rest[1..end].trim();
            let inner = scan::quoted_prefix(inner).0;
            translation = Some(inner.trim().trim_end_matches([',', '.']).to_string());
            rest = rest[end + 1..].trim().to_string();
        }
    }
    let rest = rest.trim_start_matches([',', '.']).trim().to_string();
    (
        title,
        translation,
        if rest.is_empty() { None } else { Some(rest) },
    )
}

/// The title runs to the last closing quote of its field that ends the field
/// or precedes a bracketed translation: a transliterated soft sign
/// (`perenyat’ u`) inside the title is then not taken for its end.
fn last_close(f: &str) -> Option<(&str, &str)> {
    let open = f.chars().next()?;
    let close = match open {
        '‘' => '’',
        '“' => '”',
        '"' => '"',
        '\'' => '\'',
        '«' => '»',
        _ => return None,
    };
    let mut best = None;
    for (b, c) in f.char_indices().skip(1) {
        if c != close {
            continue;
        }
        let after = &f[b + c.len_utf8()..];
        let a = after.trim_start_matches([',', '.']);
        if a.trim().is_empty() || a.starts_with(" [") || a.starts_with(" (") {
            best = Some(b);
        }
    }
    let b = best?;
    Some((&f[open.len_utf8()..b], &f[b + close.len_utf8()..]))
}

fn url_in(f: &str) -> Option<String> {
    let start = f
        .find("http://")
        .or_else(|| f.find("https://"))
        .or_else(|| f.find("www."))?;
    let tail = &f[start..];
    let end = tail
        .find(|c: char| c.is_whitespace() || c == '>')
        .unwrap_or(tail.len());
    let u = clean_url(&tail[..end]);
    if u.starts_with("www.") {
        return Some(format!("http://{u}"));
    }
    Some(u)
}

fn remove_url(f: &str) -> String {
    let start = f
        .find("<")
        .filter(|&i| f[i..].contains("http"))
        .or_else(|| f.find("http"))
        .or_else(|| f.find("www."))
        .unwrap_or(f.len());
    let tail = &f[start..];
    let end = tail.find('>').map(|e| {
        let mut e = e;
        while tail[e..].starts_with('>') {
            e += 1;
        }
        e
    });
    let end = end.unwrap_or_else(|| tail.find(char::is_whitespace).unwrap_or(tail.len()));
    format!("{} {}", &f[..start], &tail[end..])
        .trim()
        .to_string()
}

fn assign_pre(pre: &[String], item: &mut CslItem, short_form: bool, has_title: bool) {
    if pre.is_empty() {
        return;
    }
    let joined = pre.join(", ");
    if is_work_head(&pre[0]) {
        item.container_title = Some(joined);
        for p in pre {
            if let Some(v) = p
                .strip_prefix("Vol. ")
                .or_else(|| p.strip_prefix("Volume "))
            {
                item.volume = Some(v.trim().to_string());
            }
        }
        return;
    }
    if pre.len() == 1 && is_outlet(&pre[0]) {
        item.container_title = Some(pre[0].clone());
        return;
    }
    if !has_title {
        item.container_title = Some(joined);
        return;
    }
    // All persons? ("A, B and C")
    let person_names: Vec<String> = pre
        .iter()
        .flat_map(|p| {
            p.split(" and ")
                .map(|x| x.trim().trim_start_matches("and ").to_string())
        })
        .filter(|x| !x.is_empty())
        .collect();
    if person_names.iter().all(|n| is_person_name(n, short_form)) {
        item.author = person_names
            .iter()
            .map(|n| names::person_from_natural(n))
            .collect();
        return;
    }
    // Organisation, then perhaps a container ("UN Security Council, United Nations sanctions list").
    item.author = vec![CslName {
        family: None,
        given: None,
        literal: Some(pre[0].clone()),
    }];
    if pre.len() > 1 {
        item.container_title = Some(pre[1..].join(", "));
    }
}

/// A person's name in natural order: two to four capitalised words, no
/// organisation words. A single word counts only in a short form (`Erokhin,
/// ‘Title’.`), where notes repeat authors by family name.
fn is_person_name(n: &str, short_form: bool) -> bool {
    if is_organisation(n) || is_outlet(n) {
        return false;
    }
    let words: Vec<&str> = n.split_whitespace().collect();
    let particles = [
        "van", "von", "de", "der", "da", "al", "bin", "ibn", "el", "la", "le", "du", "di",
    ];
    let cap = |w: &&str| {
        w.chars().next().is_some_and(|c| c.is_uppercase())
            || particles.contains(&w.to_lowercase().trim_end_matches('-'))
    };
    match words.len() {
        1 => {
            short_form
                && cap(&words[0])
                && words[0]
                    .chars()
                    .all(|c| c.is_alphabetic() || c == '-' || c == '’' || c == '\'')
        }
        2..=4 => {
            words.iter().all(cap)
                && words.iter().all(|w| {
                    w.chars()
                        .all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '’' | '\''))
                })
        }
        _ => false,
    }
}

fn guess_type(item: &CslItem, short_form: bool, has_comment: bool) -> &'static str {
    if item.event_title.is_some() {
        return "speech";
    }
    if short_form {
        return if item.author.is_empty() && item.container_title.as_deref().is_some_and(is_outlet) {
            "article-newspaper"
        } else {
            "document"
        };
    }
    if item.title.is_none() {
        return if has_comment
            && item
                .container_title
                .as_deref()
                .is_some_and(looks_like_domain)
        {
            "dataset"
        } else {
            "webpage"
        };
    }
    // A volume makes a periodical even when its name sounds like a series
    // ("China Brief, Vol. 12").
    let periodical = item.volume.is_some()
        && item
            .container_title
            .as_deref()
            .is_some_and(|c| !is_work_head(c));
    if !periodical
        && (item.number.is_some()
            || item.collection_title.is_some()
            || item.container_title.as_deref().is_some_and(is_series_name))
    {
        return "report";
    }
    if let Some(c) = &item.container_title {
        if is_work_head(c) && item.volume.is_some() {
            return "chapter";
        }
        if is_work_head(c) {
            return "webpage";
        }
        if item.volume.is_some() || item.issue.is_some() || item.page.is_some() {
            return "article-journal";
        }
        let org_author = item.author.iter().any(|a| a.literal.is_some());
        if org_author {
            return "webpage";
        }
        return "article-newspaper";
    }
    if item.author.iter().any(|a| a.literal.is_some()) {
        return "webpage";
    }
    if item.url.is_some() {
        return "webpage";
    }
    "document"
}

#[cfg(test)]
mod tests;
