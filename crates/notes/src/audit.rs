//! Checks on a document's notes and markers that an editor would want to see:
//! markers without notes, notes never cited, markers out of order, duplicate
//! notes, web sources without URL or access date, malformed URLs, one URL
//! under several notes. Plus citation statistics.
use annals_model::notes::{Marker, Note, NoteKind};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// One audit finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Document id.
    pub doc: String,
    /// 1-based source line.
    pub line: u32,
    /// Stable machine-readable code (`marker-without-note`, `uncited-note`...).
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

/// Checks whether URLs still resolve. Kept behind a trait so the audit needs
/// no network; `--check-links` plugs in an HTTP implementation later.
pub trait LinkChecker {
    /// `Ok(())` when the URL answers, else a short reason.
    fn check(&self, url: &str) -> Result<(), String>;
}

/// Runs [`audit`] and then asks `checker` about every distinct URL.
pub fn audit_links(notes: &[Note], checker: &dyn LinkChecker) -> Vec<Finding> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in notes {
        for r in &n.references {
            if let Some(u) = &r.url {
                if seen.insert(u.clone()) {
                    if let Err(why) = checker.check(u) {
                        out.push(f(
                            n,
                            "dead-link",
                            format!("note {}: {} does not answer: {why}", n.number, u),
                        ));
                    }
                }
            }
        }
    }
    out
}

fn f(n: &Note, code: &str, message: String) -> Finding {
    Finding {
        doc: n.doc.clone(),
        line: n.span.line,
        code: code.into(),
        message,
    }
}

/// Audits notes and markers (of one or several documents).
pub fn audit(notes: &[Note], markers: &[Marker]) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut by_doc: BTreeMap<&str, (Vec<&Note>, Vec<&Marker>)> = BTreeMap::new();
    for n in notes {
        by_doc.entry(&n.doc).or_default().0.push(n);
    }
    for m in markers {
        by_doc.entry(&m.doc).or_default().1.push(m);
    }
    for (doc, (ns, ms)) in by_doc {
        let numbers: HashSet<u32> = ns.iter().map(|n| n.number).collect();
        let cited: HashSet<u32> = ms.iter().filter_map(|m| m.note).collect();
        for m in &ms {
            if m.note.is_none_or(|n| !numbers.contains(&n)) {
                out.push(Finding {
                    doc: doc.into(),
                    line: m.span.line,
                    code: "marker-without-note".into(),
                    message: format!("marker {} has no note", m.marker),
                });
            }
        }
        // out of order: glued-digit markers that go backwards (repeats of the same number are scrape copies)
        let mut last = 0u32;
        for m in &ms {
            let Some(n) = m.note else { continue };
            if m.marker.starts_with('[') {
                continue;
            }
            if n + 1 < last {
                out.push(Finding {
                    doc: doc.into(),
                    line: m.span.line,
                    code: "marker-out-of-order".into(),
                    message: format!("marker {} after marker {}", n, last),
                });
            }
            last = last.max(n);
        }
        let mut seen_numbers = HashSet::new();
        let mut texts: HashMap<String, u32> = HashMap::new();
        let mut urls: HashMap<String, u32> = HashMap::new();
        for n in &ns {
            if !seen_numbers.insert((n.number, n.kind)) {
                out.push(f(
                    n,
                    "duplicate-note-number",
                    format!("note {} appears twice", n.number),
                ));
            }
            // Link references of a page without any marker may be plain links
            // the scrape kept; otherwise an uncited note is worth a look.
            if !cited.contains(&n.number) && (!ms.is_empty() || n.kind != NoteKind::LinkReference) {
                out.push(f(
                    n,
                    "uncited-note",
                    format!("note {} is never cited in the text", n.number),
                ));
            }
            let body: String = n
                .raw
                .trim_start_matches(|c: char| {
                    c.is_ascii_digit() || matches!(c, '.' | '[' | ']' | '^' | ':')
                })
                .trim()
                .to_string();
            if body.len() > 20 {
                if let Some(first) = texts.get(&body) {
                    out.push(f(
                        n,
                        "duplicate-note",
                        format!("note {} repeats note {} word for word", n.number, first),
                    ));
                } else {
                    texts.insert(body, n.number);
                }
            }
            if n.raw.contains("<<http") || n.raw.contains("<<www") || n.raw.contains(">>") {
                out.push(f(
                    n,
                    "malformed-url",
                    format!("note {} has a malformed URL bracket", n.number),
                ));
            }
            for r in &n.references {
                let web = matches!(r.kind.as_str(), "webpage" | "post-weblog" | "dataset")
                    || r.url.is_some();
                if web && n.kind != NoteKind::LinkReference {
                    if r.url.is_none() {
                        out.push(f(
                            n,
                            "web-source-without-url",
                            format!("note {} cites a web source without URL", n.number),
                        ));
                    } else if r.accessed.is_none() {
                        out.push(f(
                            n,
                            "url-without-access-date",
                            format!("note {} gives a URL without access date", n.number),
                        ));
                    }
                }
                if let Some(u) = &r.url {
                    if !(u.starts_with("http://") || u.starts_with("https://"))
                        || u.contains(' ')
                        || !u.contains('.')
                    {
                        out.push(f(
                            n,
                            "malformed-url",
                            format!("note {}: malformed URL {u}", n.number),
                        ));
                    }
                    if let Some(&other) = urls.get(u) {
                        if other != n.number && n.refers_to != Some(other) {
                            out.push(f(
                                n,
                                "same-url-several-notes",
                                format!("note {} cites the URL of note {other}", n.number),
                            ));
                        }
                    } else {
                        urls.insert(u.clone(), n.number);
                    }
                }
            }
        }
    }
    out
}

/// Citation statistics: references by site (domain of the URL, else the
/// container) and by year of publication.
pub fn citation_stats(notes: &[Note]) -> (BTreeMap<String, usize>, BTreeMap<i32, usize>) {
    let mut by_domain = BTreeMap::new();
    let mut by_year = BTreeMap::new();
    for n in notes {
        if n.refers_to.is_some() {
            continue;
        }
        for r in &n.references {
            let key = r
                .url
                .as_deref()
                .and_then(crate::sites::host)
                .or_else(|| r.container_title.clone());
            if let Some(k) = key {
                *by_domain.entry(k).or_insert(0) += 1;
            }
            if let Some(y) = r
                .issued
                .as_ref()
                .and_then(|d| d.date_parts.first())
                .and_then(|p| p.first())
            {
                *by_year.entry(*y).or_insert(0) += 1;
            }
        }
    }
    (by_domain, by_year)
}
