//! Notes from a document's Notes and LinkReferences parts.
//!
//! A part may hold one note or a whole block; a new note starts on a line that
//! begins with `12.`, `[^3]:` or `[3]:`. Lines that start none continue the note
//! before them (wrapped notes).
use crate::refs;
use crate::sites;
use annals_model::notes::{CslItem, Note, NoteKind};
use annals_model::{Diagnostic, Document, Format, Part, PartKind, Source};
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static NAMED_NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\[\^([^\]\s]{1,40})\]:|([A-Za-z][\w-]{0,39})\.(?:\s|$))").unwrap()
});

static NOTE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:\[\^(\d{1,4})\]:|\[(\d{1,4})\]:|(\d{1,3})\.(?:\s|$))").unwrap()
});

/// One note's text inside a part, before parsing.
struct RawNote {
    number: u32,
    /// A Markdown footnote's non-numeric label (`[^nato-report]`), numbered
    /// after the document's other notes.
    label: Option<String>,
    kind: NoteKind,
    /// Character offsets of the whole note in the part text.
    start: usize,
    end: usize,
    /// Character offset where the body (after the number) starts.
    body_start: usize,
}

/// The notes of a document, and the numbers given to named footnotes
/// (`label → number`) so that `[^label]` markers find them.
pub(crate) fn collect_notes(
    source: &Source,
    doc: &Document,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<Note>, HashMap<String, u32>) {
    let mut out = Vec::new();
    let mut raws = Vec::new();
    for part in &doc.parts {
        if !matches!(part.kind, PartKind::Notes | PartKind::LinkReferences) {
            continue;
        }
        for raw in split_part(part, source.format) {
            raws.push((part, raw));
        }
    }
    let mut next = raws.iter().map(|(_, r)| r.number).max().unwrap_or(0) + 1;
    let mut labels = HashMap::new();
    for (_, raw) in raws.iter_mut() {
        if let Some(l) = &raw.label {
            let n = *labels.entry(l.clone()).or_insert_with(|| {
                next += 1;
                next - 1
            });
            raw.number = n;
        }
    }
    for (part, raw) in raws {
        {
            let chars: Vec<char> = part.text.chars().collect();
            let text: String = chars[raw.start..raw.end].iter().collect::<String>();
            let body: String = chars[raw.body_start..raw.end].iter().collect::<String>();
            let span = part.source_span(raw.start, raw.end, |o| source.line_of(o));
            let (references, comment, refers_to) = match raw.kind {
                NoteKind::LinkReference => (link_reference(body.trim()), None, None),
                _ => {
                    let parsed = refs::parse_note(body.trim());
                    (parsed.0, parsed.1, parsed.2)
                }
            };
            if references.is_empty() && comment.is_none() && refers_to.is_none() {
                diags.push(Diagnostic::warning(
                    &source.path,
                    Some(span.line),
                    "unparsed-note",
                    format!(
                        "note {} of {} has neither a reference nor commentary",
                        raw.number, doc.id
                    ),
                ));
            }
            out.push(Note {
                doc: doc.id.clone(),
                number: raw.number,
                kind: raw.kind,
                span,
                raw: text.trim_end().to_string(),
                references,
                comment,
                refers_to,
            });
        }
    }
    (out, labels)
}

/// A `[n]: url "title"` link reference as a web page whose container is the site.
fn link_reference(body: &str) -> Vec<CslItem> {
    let mut it = body.split_whitespace();
    let Some(first) = it.next() else {
        return Vec::new();
    };
    // The whole token is the URL: a final stop may belong to it (text fragments).
    let url = first
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string();
    let rest: String = it.collect::<Vec<_>>().join(" ");
    let title = rest
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\'' | '(' | ')'))
        .trim();
    let mut item = CslItem {
        kind: "webpage".into(),
        ..Default::default()
    };
    if !title.is_empty() {
        item.title = Some(title.to_string());
    }
    item.container_title = sites::site_name(&url);
    item.issued = sites::date_in_url(&url);
    item.url = Some(url);
    vec![item]
}

fn split_part(part: &Part, format: Format) -> Vec<RawNote> {
    let chars: Vec<char> = part.text.chars().collect();
    let mut line_starts = vec![0usize];
    for (i, c) in chars.iter().enumerate() {
        if *c == '\n' {
            line_starts.push(i + 1);
        }
    }
    let mut notes: Vec<RawNote> = Vec::new();
    for (li, &ls) in line_starts.iter().enumerate() {
        let le = line_starts
            .get(li + 1)
            .map(|e| e - 1)
            .unwrap_or(chars.len());
        let line: String = chars[ls..le].iter().collect();
        if line.trim().is_empty() {
            continue;
        }
        let start_here = NOTE_START.captures(&line).and_then(|c| {
            let m0 = c.get(0)?;
            let (num, kind, body_byte) = if let Some(m) = c.get(1) {
                (m.as_str(), NoteKind::Footnote, m0.end())
            } else if let Some(m) = c.get(2) {
                (m.as_str(), NoteKind::LinkReference, m0.end())
            } else if let Some(m) = c.get(3) {
                let kind = match (part.kind, format) {
                    (PartKind::LinkReferences, _) => NoteKind::LinkReference,
                    (_, Format::Markdown | Format::Html | Format::Wxr) => NoteKind::Footnote,
                    _ => NoteKind::Numbered,
                };
                (m.as_str(), kind, m0.end())
            } else {
                return None;
            };
            Some((
                num.parse::<u32>().ok()?,
                kind,
                line[..body_byte].chars().count(),
            ))
        });
        // A Markdown footnote with a name for a label opens its part.
        if start_here.is_none()
            && notes.is_empty()
            && format == Format::Markdown
            && part.kind == PartKind::Notes
        {
            if let Some(c) = NAMED_NOTE.captures(&line) {
                let label = c
                    .get(1)
                    .or_else(|| c.get(2))
                    .map(|m| m.as_str().to_string());
                let body_off = line[..c.get(0).map(|m| m.end()).unwrap_or(0)]
                    .chars()
                    .count();
                let lead = line.chars().take_while(|c| c.is_whitespace()).count();
                notes.push(RawNote {
                    number: 0,
                    label,
                    kind: NoteKind::Footnote,
                    start: ls + lead,
                    end: le,
                    body_start: ls + body_off,
                });
                continue;
            }
        }
        // A wrapped line that happens to start with "2019. " or "12. " continues
        // the note before it unless its number follows on.
        let start_here = start_here.filter(|(number, kind, _)| match notes.last() {
            Some(prev) if *kind == NoteKind::Numbered || *kind == NoteKind::Footnote => {
                *number > prev.number && *number <= prev.number + 5
            }
            _ => true,
        });
        match start_here {
            Some((number, kind, body_off)) => {
                let lead = line.chars().take_while(|c| c.is_whitespace()).count();
                if let Some(prev) = notes.last_mut() {
                    prev.end = trim_end(&chars, prev.start, ls);
                }
                notes.push(RawNote {
                    number,
                    label: None,
                    kind,
                    start: ls + lead,
                    end: le,
                    body_start: ls + body_off,
                });
            }
            None => {
                if let Some(prev) = notes.last_mut() {
                    prev.end = le;
                }
            }
        }
    }
    if let Some(prev) = notes.last_mut() {
        prev.end = trim_end(&chars, prev.start, prev.end);
    }
    notes
}

fn trim_end(chars: &[char], start: usize, mut end: usize) -> usize {
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    end
}
