//! Notes that repeat or point to earlier notes.
//!
//! - a full repeat: the same text as an earlier note;
//! - a short form: an author (or outlet) and a title, no date and no URL, whose
//!   title starts an earlier note's title (`Erokhin, ‘Comparative Analysis…’.`);
//! - `Ibid.` (the previous note) and `op. cit.` (the last note by that author);
//! - an explicit pointer (`As highlighted in note 41.`), found by the parser.
use crate::eval::norm_text;
use annals_model::notes::{CslItem, Note};

fn body(raw: &str) -> String {
    let t = raw.trim_start();
    let t = t.trim_start_matches(|c: char| {
        c.is_ascii_digit() || matches!(c, '.' | '[' | ']' | '^' | ':')
    });
    norm_text(t)
}

fn first_author_words(it: &CslItem) -> Vec<String> {
    it.author
        .first()
        .map(|a| {
            let s = a
                .literal
                .clone()
                .or_else(|| a.family.clone())
                .unwrap_or_default();
            norm_text(&s)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Does a short author form (`SCO`, `Erokhin`) name the same author as a full
/// one (`Shanghai Cooperation Organisation (SCO)`, `Dmitry Erokhin`)?
fn same_author(short: &CslItem, full: &CslItem) -> bool {
    let s = first_author_words(short);
    let f = first_author_words(full);
    if s.is_empty() || f.is_empty() {
        // an outlet-only short form: compare containers
        return match (&short.container_title, &full.container_title) {
            (Some(a), Some(b)) => norm_text(a) == norm_text(b),
            _ => s.is_empty() && f.is_empty(),
        };
    }
    if s == f {
        return true;
    }
    // family name or acronym contained in the full form
    s.iter().all(|w| f.contains(w)) || {
        let initials: String = f
            .iter()
            .filter(|w| !matches!(w.as_str(), "of" | "the" | "and" | "for"))
            .filter_map(|w| w.chars().next())
            .collect();
        s.len() == 1 && s[0] == initials
    }
}

/// An author or outlet and a title, nothing to find the source by.
fn is_short_form(it: &CslItem) -> bool {
    it.title.is_some()
        && it.url.is_none()
        && it.issued.is_none()
        && it.publisher.is_none()
        && it.volume.is_none()
        && it.page.is_none()
}

pub(crate) fn resolve(notes: &mut [Note]) {
    for i in 0..notes.len() {
        if notes[i].refers_to.is_some() {
            continue;
        }
        let raw_body = body(&notes[i].raw);
        let lower = raw_body.as_str();
        // Ibid.
        if lower == "ibid" || lower.starts_with("ibid ") || lower == "ibidem" {
            if i > 0 && notes[i - 1].doc == notes[i].doc {
                notes[i].refers_to = Some(notes[i - 1].refers_to.unwrap_or(notes[i - 1].number));
            }
            continue;
        }
        let same_doc: Vec<usize> = (0..i)
            .filter(|&j| notes[j].doc == notes[i].doc && notes[j].kind == notes[i].kind)
            .collect();
        // Full repeat.
        if raw_body.len() > 20 {
            if let Some(&j) = same_doc.iter().find(|&&j| body(&notes[j].raw) == raw_body) {
                notes[i].refers_to = Some(notes[j].number);
                continue;
            }
        }
        let Some(it) = notes[i].references.first().cloned() else {
            continue;
        };
        // op. cit.
        if lower.contains("op cit") {
            if let Some(&j) = same_doc.iter().rev().find(|&&j| {
                notes[j]
                    .references
                    .first()
                    .is_some_and(|f| same_author(&it, f))
            }) {
                notes[i].refers_to = Some(notes[j].number);
            }
            continue;
        }
        if notes[i].references.len() != 1 || !is_short_form(&it) {
            continue;
        }
        let t = norm_text(it.title.as_deref().unwrap_or(""));
        if t.split(' ').count() < 2 && t.len() < 8 {
            continue;
        }
        let found = same_doc.iter().rev().copied().find(|&j| {
            notes[j].references.iter().any(|f| {
                let ft = norm_text(f.title.as_deref().unwrap_or(""));
                !ft.is_empty() && ft.starts_with(&t) && !is_short_form(f) && same_author(&it, f)
            })
        });
        if let Some(j) = found {
            notes[i].refers_to = Some(notes[j].refers_to.unwrap_or(notes[j].number));
        }
    }
}
