//! Reader for plain-text scraped blog archives: a category or archive page saved
//! as text, several posts one after another, paragraphs separated by blank lines.
//!
//! With no markup, structure is read from the shape and wording of blocks:
//!
//! - **Post boundaries** come from the pattern every republished post follows: a
//!   blogger's preamble (prose that talks of a piece, posting, an outlet, in the
//!   first person), optionally a set-apart quotation, then a title (a short line
//!   without a final stop). A body paragraph followed by a section heading does
//!   not talk like that, which is what tells a title from a heading.
//! - **Inside a post**, the front matter follows the title in a fixed order
//!   (kicker, byline, standfirst, byline); the body runs until the end matter
//!   (contributors block, notes heading and numbered notes, `[n]: url` link
//!   references, a "For more" trailer, an author's bio line).
//! - Cues that are words (outlets, photo credits, headings) live in
//!   `plain/cues.txt`; this file holds the method.
//!
//! Every part's text is the exact source text and its map is the identity, so
//! spans are plain character offsets into the file. Scrape damage (repeated
//! paragraphs, mangled URLs, glued words) is reported, never repaired.
use annals_model::{Diagnostic, Document, Evidence, Part, PartKind, Source};

mod blocks;
mod cues;
mod damage;
mod meta;

use blocks::Block;
use cues::cues;

/// Where one post's head sits among the blocks.
#[derive(Debug, Clone, Copy)]
struct Head {
    /// First block of the post.
    start: usize,
    preamble: Option<usize>,
    pull_quote: Option<usize>,
    title: Option<usize>,
}

/// Splits the source into documents.
pub(crate) fn read(source: &Source) -> (Vec<Document>, Vec<Diagnostic>) {
    let blocks = blocks::blocks(source);
    let (header, from) = archive_header(&blocks);
    let heads = find_heads(&blocks, from);
    let mut docs = Vec::new();
    for (i, h) in heads.iter().enumerate() {
        let end = heads.get(i + 1).map_or(blocks.len(), |n| n.start);
        let parts = segment(&blocks[..end], h);
        if parts.is_empty() {
            continue;
        }
        docs.push(document(source, parts, &header));
    }
    crate::dedupe_ids(&mut docs);
    let mut diags = Vec::new();
    for d in &docs {
        diags.extend(damage::duplicates(&source.path, d));
        diags.extend(damage::malformed_urls(&source.path, d));
        diags.extend(damage::glued_words(&source.path, d));
        diags.extend(damage::split_paragraphs(&source.path, d));
    }
    diags.sort_by_key(|d| d.line);
    (docs, diags)
}

/// What the archive page's heading says about every post on it.
#[derive(Default)]
struct Header {
    category: Option<String>,
    tag: Option<String>,
}

/// The archive heading on the first block ("Archive for the ‘X’ Category"),
/// and the index of the first block after it.
fn archive_header(blocks: &[Block<'_>]) -> (Header, usize) {
    match blocks.first() {
        Some(b) if b.first == b.last => match cues().archive_header(b.text) {
            Some((category, tag)) => (Header { category, tag }, 1),
            None => (Header::default(), 0),
        },
        _ => (Header::default(), 0),
    }
}

/// A preamble followed (after an optional pull quote) by a title and more text.
fn head_at(blocks: &[Block<'_>], i: usize) -> Option<Head> {
    let c = cues();
    let t = blocks[i].text;
    if !(c.prose(t) && c.preamble_like(t)) {
        return None;
    }
    let mut j = i + 1;
    let mut pull_quote = None;
    if blocks.get(j).is_some_and(|b| c.quote_line(b.text)) {
        pull_quote = Some(j);
        j += 1;
    }
    let title = blocks.get(j)?;
    (c.title_like(title.text) && j + 1 < blocks.len()).then_some(Head {
        start: i,
        preamble: Some(i),
        pull_quote,
        title: Some(j),
    })
}

/// A title with no preamble right after a post's end matter (link references,
/// numbered notes, a trailer, a bio): the next post starts there.
fn bare_title_at(blocks: &[Block<'_>], i: usize) -> Option<Head> {
    let c = cues();
    let prev = blocks.get(i.checked_sub(1)?)?.text;
    let t = blocks[i].text;
    // After a bio, a name followed by another bio is the next contributor, not a title.
    let next_is_bio = blocks.get(i + 1).is_some_and(|b| c.bio(b.text));
    let after_end_matter = c.is_link_ref(prev)
        || c.is_numbered_note(prev)
        || c.trailer(prev)
        || (c.bio(prev) && !next_is_bio);
    let is_title = c.title_like(t) && !c.notes_heading(t) && !c.contributors_heading(t);
    (after_end_matter && is_title && i + 1 < blocks.len()).then_some(Head {
        start: i,
        preamble: None,
        pull_quote: None,
        title: Some(i),
    })
}

/// Every post head, in order. Text before the first head (if any) becomes a
/// post of its own, titled when it opens with a title-like line.
fn find_heads(blocks: &[Block<'_>], from: usize) -> Vec<Head> {
    let mut heads = Vec::new();
    let mut i = from;
    while i < blocks.len() {
        if let Some(mut h) =
            head_at(blocks, i).or_else(|| bare_title_at(blocks, i).filter(|_| i > from))
        {
            // A preamble of several paragraphs: earlier blocks where the blogger
            // speaks of posting in the first person belong to it, down to (not
            // into) the previous post, which keeps at least one block after its
            // title. An article's closing paragraph may name its own journal,
            // but does not say "I" about posting.
            let floor = heads
                .last()
                .and_then(|p: &Head| p.title)
                .map_or(from, |t| t + 2);
            if h.preamble.is_some() {
                let c = cues();
                while h.start > floor && c.preamble_continues(blocks[h.start - 1].text) {
                    h.start -= 1;
                }
            }
            i = h.title.unwrap_or(i) + 1;
            heads.push(h);
        } else {
            i += 1;
        }
    }
    let first = heads.first().map_or(blocks.len(), |h| h.start);
    if first > from {
        let title = cues().title_like(blocks[from].text).then_some(from);
        heads.insert(
            0,
            Head {
                start: from,
                preamble: None,
                pull_quote: None,
                title,
            },
        );
    }
    heads
}

/// What the body loop is reading.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Body,
    Contributors,
    Notes,
}

/// The parts of one post: `blocks[..end]` ends where the next post starts.
fn segment(blocks: &[Block<'_>], h: &Head) -> Vec<Part> {
    let c = cues();
    let end = blocks.len();
    let mut parts = Vec::new();
    let mut k = h.start;
    if let Some(p) = h.preamble {
        parts.extend(blocks[k..=p].iter().map(|b| b.part(PartKind::Preamble)));
        k = p + 1;
    }
    if let Some(q) = h.pull_quote {
        parts.push(blocks[q].part(PartKind::PullQuote));
        k = q + 1;
    }
    if let Some(t) = h.title {
        parts.push(blocks[t].part(PartKind::Title));
        k = t + 1;

        // Front matter: a kicker right under the title, then byline, captions
        // and standfirst in whatever order the outlet prints them. A standfirst
        // sums the piece up in a sentence or two; pieces that open with a pull
        // quote (Current History style) have none: the quote stands in for it.
        let after_title = k;
        let (mut byline, mut standfirst) = (false, false);
        while k + 1 < end {
            let t = blocks[k].text;
            let kind = if k == after_title && c.kicker_date(t).is_some() {
                PartKind::Kicker
            } else if !byline && c.byline(t) {
                byline = true;
                PartKind::Byline
            } else if k == after_title && short_label(t) {
                PartKind::Kicker
            } else if c.caption(t) {
                PartKind::Caption
            } else if !standfirst && h.pull_quote.is_none() && standfirst_like(t) {
                standfirst = true;
                PartKind::Standfirst
            } else {
                break;
            };
            parts.push(blocks[k].part(kind));
            k += 1;
        }
    }

    let notes_tail = notes_tail(&blocks[..end]);
    let mut mode = Mode::Body;
    while k < end {
        let b = &blocks[k];
        let t = b.text;
        let last = k + 1 == end;
        let kind = match mode {
            _ if c.is_link_ref(t) => {
                parts.extend(
                    b.items(|l| c.is_link_ref(l))
                        .iter()
                        .map(|i| i.part(PartKind::LinkReferences)),
                );
                k += 1;
                continue;
            }
            Mode::Contributors | Mode::Body
                if c.notes_heading(t)
                    && blocks
                        .get(k + 1)
                        .is_some_and(|n| c.is_numbered_note(n.text) || c.is_link_ref(n.text)) =>
            {
                mode = Mode::Notes;
                PartKind::NotesHeading
            }
            Mode::Body | Mode::Contributors | Mode::Notes
                if c.is_numbered_note(t) && (mode != Mode::Body || k >= notes_tail) =>
            {
                mode = Mode::Notes;
                parts.extend(
                    b.items(|l| c.is_numbered_note(l))
                        .iter()
                        .map(|i| i.part(PartKind::Notes)),
                );
                k += 1;
                continue;
            }
            Mode::Notes if last && c.trailer(t) => PartKind::Trailer,
            Mode::Notes if last && c.bio(t) => PartKind::Bio,
            Mode::Notes => PartKind::Notes,
            Mode::Contributors => PartKind::Contributors,
            Mode::Body if c.contributors_heading(t) => {
                mode = Mode::Contributors;
                PartKind::Contributors
            }
            Mode::Body
                if c.trailer(t)
                    && blocks[k + 1..]
                        .iter()
                        .all(|n| c.bio(n.text) || c.is_link_ref(n.text)) =>
            {
                PartKind::Trailer
            }
            Mode::Body if last && c.bio(t) => PartKind::Bio,
            Mode::Body if c.caption(t) => PartKind::Caption,
            Mode::Body if c.title_like(t) && !last => PartKind::SectionHeading,
            Mode::Body => PartKind::Body,
        };
        parts.push(b.part(kind));
        k += 1;
    }
    parts
}

/// Numbered lines that run to the end of the post are notes; numbered lines
/// followed by prose are a list inside the body. Gives the index where the
/// final run of note-like blocks (notes, link references, trailer, bio) starts.
fn notes_tail(blocks: &[Block<'_>]) -> usize {
    let c = cues();
    let tail = blocks
        .iter()
        .rev()
        .take_while(|b| {
            c.is_numbered_note(b.text)
                || c.is_link_ref(b.text)
                || c.trailer(b.text)
                || c.bio(b.text)
        })
        .count();
    blocks.len() - tail
}

/// A label of a few words right under the title ("Analysis", "Europe").
fn short_label(t: &str) -> bool {
    let c = cues();
    c.title_like(t)
        && t.split_whitespace().count() <= 4
        && !c.notes_heading(t)
        && !c.contributors_heading(t)
}

/// The paragraph after a title sums the piece up when it is short, or when it
/// names the authors as the subject of "show", "argue"... (journal abstracts).
fn standfirst_like(t: &str) -> bool {
    let c = cues();
    if c.caption(t)
        || c.byline(t)
        || c.title_like(t)
        || c.is_link_ref(t)
        || c.is_numbered_note(t)
        || c.trailer(t)
    {
        return false;
    }
    let n = t.trim().chars().count();
    n <= 300
        || c.summary_names
            .captures(t)
            .and_then(|m| m.get(1))
            .is_some_and(|m| m.as_str().contains(" and "))
}

/// Builds a document from its parts: title, standfirst, the stated fields.
fn document(source: &Source, parts: Vec<Part>, header: &Header) -> Document {
    let text_of = |k: PartKind| {
        parts
            .iter()
            .find(|p| p.kind == k)
            .map(|p| p.text.trim().to_string())
    };
    let title = text_of(PartKind::Title);
    let standfirst = text_of(PartKind::Standfirst);
    let m = meta::meta(&parts, title.as_deref());
    let id_base = title
        .clone()
        .or_else(|| parts.first().map(|p| p.text.clone()))
        .unwrap_or_default();
    let (outlet, outlet_evidence) = split(m.outlet);
    let (authors, authors_evidence) = split(m.authors);
    let (date, date_evidence) = split(m.date);
    let lines = [
        parts.first().map_or(0, |p| p.lines[0]),
        parts.last().map_or(0, |p| p.lines[1]),
    ];
    Document {
        id: crate::slug(&id_base, 6),
        source: source.path.clone(),
        title,
        standfirst,
        outlet,
        outlet_evidence,
        authors: authors.unwrap_or_default(),
        authors_evidence,
        date,
        date_evidence,
        category: header.category.clone(),
        tags: header.tag.iter().cloned().collect(),
        url: m.url,
        lines,
        parts,
    }
}

fn split<T>(x: Option<(T, Evidence)>) -> (Option<T>, Option<Evidence>) {
    match x {
        Some((v, e)) => (Some(v), Some(e)),
        None => (None, None),
    }
}
