//! Document fields stated in the parts: outlet, authors, publication date, own URL.
//!
//! Each field comes with the text that states it (an [`Evidence`]) and is left
//! empty when the text does not state it: no guessing from caption dates or
//! access dates, which say when a photo was taken or a page read, not when the
//! piece appeared.
use super::cues::cues;
use annals_model::{Evidence, Part, PartKind, Span};
use regex::Regex;
use std::sync::OnceLock;

/// The fields found, with their evidence.
#[derive(Debug, Default)]
pub(super) struct Meta {
    pub outlet: Option<(String, Evidence)>,
    pub authors: Option<(Vec<String>, Evidence)>,
    pub date: Option<(String, Evidence)>,
    pub url: Option<String>,
}

/// Evidence for bytes `b0..b1` of a part's text.
fn evidence(p: &Part, b0: usize, b1: usize) -> Evidence {
    let c0 = p.text[..b0].chars().count();
    let c1 = c0 + p.text[b0..b1].chars().count();
    let line = p.lines[0] + p.text[..b0].matches('\n').count() as u32;
    Evidence {
        text: p.text[b0..b1].to_string(),
        span: Span::new(line, p.map.to_source(c0), p.map.to_source(c0) + (c1 - c0)),
    }
}

fn of(parts: &[Part], kind: PartKind) -> impl Iterator<Item = &Part> {
    parts.iter().filter(move |p| p.kind == kind)
}

/// Reads the fields of one document from its parts.
pub(super) fn meta(parts: &[Part], title: Option<&str>) -> Meta {
    let outlet = outlet(parts);
    let url = own_url(parts, title, outlet.as_ref().map(|o| o.0.as_str()));
    let date = byline_date(parts)
        .or_else(|| kicker_date(parts))
        .or_else(|| url.as_ref().map(|u| (u.date.clone(), u.evidence.clone())));
    Meta {
        outlet,
        authors: authors(parts),
        date,
        url: url.map(|u| u.url),
    }
}

/// The outlet is the first known one named where the blogger introduces the
/// piece (preamble), else in a trailer or the standfirst.
fn outlet(parts: &[Part]) -> Option<(String, Evidence)> {
    for kind in [PartKind::Preamble, PartKind::Trailer, PartKind::Standfirst] {
        for p in of(parts, kind) {
            if let Some((s, e)) = cues().find_outlet(&p.text) {
                return Some((p.text[s..e].to_string(), evidence(p, s, e)));
            }
        }
    }
    None
}

fn split_names(s: &str) -> Vec<String> {
    s.split(", ")
        .flat_map(|x| x.split(" and "))
        .flat_map(|x| x.split(" & "))
        .map(|x| x.trim().trim_start_matches("and ").trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

/// Authors, from the most explicit statement down: a byline; the standfirst's
/// "X and Y show how ..." (a lone name only when the contributors block names
/// it too); the contributors block; a preamble's "with my colleague X".
fn authors(parts: &[Part]) -> Option<(Vec<String>, Evidence)> {
    let c = cues();
    for p in of(parts, PartKind::Byline) {
        let t = p.text.trim();
        let off = p.text.len() - p.text.trim_start().len();
        let m = match c.byline.captures(t).or_else(|| c.by_only.captures(t)) {
            Some(caps) => caps.get(1),
            None => c.dateline.captures(t).and_then(|caps| caps.get(2)),
        };
        if let Some(m) = m {
            return Some((
                split_names(m.as_str()),
                evidence(p, off + m.start(), off + m.end()),
            ));
        }
    }
    let listed = contributor_names(parts);
    for p in of(parts, PartKind::Standfirst) {
        if let Some(m) = c.summary_names.captures(&p.text).and_then(|c| c.get(1)) {
            let names = split_names(m.as_str());
            if names.len() >= 2 || names.iter().all(|n| listed.iter().any(|(l, _)| l == n)) {
                return Some((names, evidence(p, m.start(), m.end())));
            }
        }
    }
    if let Some((_, ev)) = listed.first() {
        return Some((listed.iter().map(|(n, _)| n.clone()).collect(), ev.clone()));
    }
    for p in of(parts, PartKind::Preamble) {
        if let Some(caps) = c.coauthor.captures(&p.text) {
            let (whole, name) = (caps.get(1)?, caps.get(2)?);
            return Some((
                vec![name.as_str().to_string()],
                evidence(p, whole.start(), whole.end()),
            ));
        }
    }
    None
}

/// Lines of the contributors block that are a name and nothing else.
fn contributor_names(parts: &[Part]) -> Vec<(String, Evidence)> {
    static NAME: OnceLock<Regex> = OnceLock::new();
    let re = NAME.get_or_init(|| {
        Regex::new(r"^\p{Lu}[\p{Ll}’'\-]+(?:[ \u{a0}](?:\p{Lu}\.|\p{Lu}[\p{Ll}’'\-]+)){1,3}$")
            .expect("name regex")
    });
    of(parts, PartKind::Contributors)
        .filter(|p| {
            let t = p.text.trim();
            re.is_match(t) && !cues().contributors_heading(t) && !cues().notes_heading(t)
        })
        .map(|p| {
            let off = p.text.len() - p.text.trim_start().len();
            (
                p.text.trim().to_string(),
                evidence(p, off, off + p.text.trim().len()),
            )
        })
        .collect()
}

fn byline_date(parts: &[Part]) -> Option<(String, Evidence)> {
    let c = cues();
    for p in of(parts, PartKind::Byline) {
        let off = p.text.len() - p.text.trim_start().len();
        let t = p.text.trim();
        let whole = match c.byline.captures(t) {
            Some(caps) => caps.get(2),
            None => c.dateline.captures(t).and_then(|caps| caps.get(1)),
        };
        let Some(whole) = whole else { continue };
        if let Some(date) = c.parse_date(whole.as_str()) {
            return Some((date, evidence(p, off + whole.start(), off + whole.end())));
        }
    }
    None
}

fn kicker_date(parts: &[Part]) -> Option<(String, Evidence)> {
    for p in of(parts, PartKind::Kicker) {
        if let Some(d) = cues().kicker_date(&p.text) {
            let t = p.text.trim();
            let off = p.text.len() - p.text.trim_start().len();
            return Some((d, evidence(p, off, off + t.len())));
        }
    }
    None
}

struct OwnUrl {
    url: String,
    date: String,
    evidence: Evidence,
}

/// Content words of a title or URL slug, for matching one against the other.
fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 4)
        .map(|w| w.to_lowercase())
        .collect()
}

/// The piece's own address, when the scrape kept it among the link references:
/// a dated URL (`/YYYY/MM/DD/slug`) on the outlet's own site, or whose slug
/// shares three content words with the title. Its date is the publication date.
fn own_url(parts: &[Part], title: Option<&str>, outlet: Option<&str>) -> Option<OwnUrl> {
    static URL: OnceLock<Regex> = OnceLock::new();
    let re = URL.get_or_init(|| {
        Regex::new(r"https?://(?:www\.)?(([a-z0-9-]+(?:\.[a-z0-9-]+)*)\.[a-z]{2,})/(\d{4})/(\d{2})/(\d{2})/([A-Za-z0-9_-]+)")
            .expect("url regex")
    });
    let compact = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    let title_words = title.map(words).unwrap_or_default();
    for p in of(parts, PartKind::LinkReferences) {
        for caps in re.captures_iter(&p.text) {
            let host_label = caps.get(2)?.as_str().rsplit('.').next().unwrap_or("");
            let on_outlet_site = outlet.is_some_and(|o| {
                let o = compact(o);
                let o = o.strip_prefix("the").unwrap_or(&o).to_string();
                !o.is_empty() && compact(host_label).ends_with(&o)
            });
            let slug = words(caps.get(6)?.as_str());
            let shared = slug.iter().filter(|w| title_words.contains(w)).count();
            if on_outlet_site || shared >= 3 {
                let whole = caps.get(0)?;
                let ev0 = caps.get(1)?.start();
                let date = format!("{}-{}-{}", &caps[3], &caps[4], &caps[5]);
                return Some(OwnUrl {
                    url: whole.as_str().to_string(),
                    date,
                    evidence: evidence(p, ev0, whole.end()),
                });
            }
        }
    }
    None
}
