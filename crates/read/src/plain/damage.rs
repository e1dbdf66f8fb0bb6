//! Scrape damage, reported and never repaired: the text stays as written so that
//! every span still points at what the file says.
use annals_model::{Diagnostic, Document, PartKind};
use regex::Regex;
use std::sync::OnceLock;

/// Paragraphs shorter than this (in characters, spaces left out) are not
/// compared: short lines repeat by chance.
const MIN_DUPLICATE: usize = 80;

/// How many earlier paragraphs a paragraph is searched for partial repeats.
const WINDOW: usize = 40;

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Body paragraphs repeated within one document: an exact repeat, a paragraph
/// holding a whole earlier one, or a paragraph that repeats part of an earlier one.
/// Whitespace is ignored, since the scrape also drops spaces (`Yazhou[1]`).
pub(super) fn duplicates(path: &str, doc: &Document) -> Vec<Diagnostic> {
    let paras: Vec<(u32, String)> = doc
        .parts_of(PartKind::Body)
        .map(|p| (p.lines[0], squeeze(&p.text)))
        .filter(|(_, s)| s.chars().count() >= MIN_DUPLICATE)
        .collect();
    let mut out = Vec::new();
    let mut first_seen = std::collections::HashMap::<&str, u32>::new();
    for (i, (line, text)) in paras.iter().enumerate() {
        // Exact repeats anywhere; partial ones among the paragraphs just before,
        // where a scrape puts them (and which keeps long documents linear).
        let exact = first_seen
            .get(text.as_str())
            .map(|l| format!("paragraph repeats line {l}"));
        first_seen.entry(text.as_str()).or_insert(*line);
        let window = &paras[i.saturating_sub(WINDOW)..i];
        let hit = exact.or_else(|| {
            window.iter().find_map(|(l, earlier)| {
                if text.contains(earlier.as_str()) {
                    Some(format!("paragraph contains a repeat of line {l}"))
                } else if earlier.contains(text.as_str()) {
                    Some(format!("paragraph repeats part of line {l}"))
                } else {
                    None
                }
            })
        });
        if let Some(msg) = hit {
            out.push(Diagnostic::warning(
                path,
                Some(*line),
                "duplicate-paragraphs",
                format!("{msg} (scrape damage, kept as written)"),
            ));
        }
    }
    out
}

/// URLs the scrape mangled: a doubled `<<http`, a scheme missing a slash.
pub(super) fn malformed_urls(path: &str, doc: &Document) -> Vec<Diagnostic> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"<<\s*https?://\S*|\bhttps?:/[^/\s]\S*|\bhttps?//\S+|\bhtps?://\S+")
            .expect("url regex")
    });
    let mut out = Vec::new();
    for p in &doc.parts {
        for m in re.find_iter(&p.text) {
            let line = p.lines[0] + p.text[..m.start()].matches('\n').count() as u32;
            let shown: String = m.as_str().chars().take(60).collect();
            out.push(Diagnostic::warning(
                path,
                Some(line),
                "malformed-url",
                format!("malformed URL `{shown}` (kept as written)"),
            ));
        }
    }
    out
}

/// Words glued across a full stop (`talks.By`), a cheap sign of lost spaces.
/// Web addresses and names like `Mail.Ru` are left alone: the word before the
/// stop must be lower-case and the token must not be part of an address.
pub(super) fn glued_words(path: &str, doc: &Document) -> Vec<Diagnostic> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\b(?:\p{Ll}{3,}|\d{4})\.\p{Lu}\p{Ll}*\b").expect("glue regex")
    });
    let mut out = Vec::new();
    for p in doc.parts.iter().filter(|p| {
        matches!(
            p.kind,
            PartKind::Body | PartKind::Caption | PartKind::Standfirst
        )
    }) {
        for m in re.find_iter(&p.text) {
            let token_start = p.text[..m.start()]
                .rfind(char::is_whitespace)
                .map_or(0, |i| i + 1);
            let token_end = p.text[m.end()..]
                .find(char::is_whitespace)
                .map_or(p.text.len(), |i| m.end() + i);
            let token = &p.text[token_start..token_end];
            if token.contains("://")
                || token.contains("www.")
                || token.contains('/')
                || token.contains('@')
            {
                continue;
            }
            let line = p.lines[0] + p.text[..m.start()].matches('\n').count() as u32;
            out.push(Diagnostic::warning(
                path,
                Some(line),
                "glued-words",
                format!("missing space after a full stop: `{}`", m.as_str()),
            ));
        }
    }
    out
}

/// A body paragraph that stops mid-sentence (ends on a letter) and is followed
/// by another body paragraph: the scrape split one paragraph in two.
pub(super) fn split_paragraphs(path: &str, doc: &Document) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for w in doc.parts.windows(2) {
        let (a, b) = (&w[0], &w[1]);
        if a.kind == PartKind::Body
            && b.kind == PartKind::Body
            && a.text.chars().count() >= MIN_DUPLICATE
        {
            let last = a.text.trim_end().chars().next_back().unwrap_or('.');
            if last.is_alphabetic() {
                out.push(Diagnostic::warning(
                    path,
                    Some(a.lines[1]),
                    "split-paragraph",
                    format!(
                        "paragraph ends mid-sentence and may continue on line {}",
                        b.lines[0]
                    ),
                ));
            }
        }
    }
    out
}
