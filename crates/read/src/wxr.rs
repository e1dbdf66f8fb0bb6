//! WordPress WXR exports: one document per published post.
//!
//! The export is first cut into `<item>` chunks by a scan that skips CDATA
//! sections and comments, so that one damaged item costs only itself: each
//! chunk is then parsed with quick-xml (which checks that tags match), and an
//! item it refuses becomes a diagnostic while the others are read. An item that
//! never closes (an export cut off mid-item) is dropped with an error naming
//! the line where the file ends; the items before it are kept.
//!
//! Only `wp:post_type` `post` with `wp:status` `publish` is read: pages,
//! attachments, menu items, drafts and revisions are not articles.
//!
//! `content:encoded` holds the post's HTML, in CDATA or entity-escaped. Its
//! text is unescaped into a string whose every byte remembers its place in the
//! XML file (a [`Locator`]), then read by the HTML walker of
//! [`crate::markup`] with WordPress's rule that blank lines separate
//! paragraphs. Spans therefore point into the XML file, inside the CDATA.
use std::ops::Range;

use annals_model::text::CharIndex;
use annals_model::{Diagnostic, Document, Evidence, Part, PartKind, Source};
use quick_xml::events::Event;
use quick_xml::Reader;

use crate::markup::{
    decode_entity, iso_date, unescape_with_anchors, Locator, TextBuf, Tree, WalkOptions, Walker,
};

/// Reads a WXR export: the published posts, in file order.
pub(crate) fn read(source: &Source) -> (Vec<Document>, Vec<Diagnostic>) {
    let text = source.text.as_str();
    let ci = CharIndex::new(text);
    let mut diags = Vec::new();
    let scan = scan_items(text);
    let line_at = |byte: usize| source.line_of(ci.char_of(byte));
    let header_end = scan.items.first().map(|i| i.start).unwrap_or(text.len());
    let channel = Channel::read(text, header_end, &ci, source);

    let mut docs = Vec::new();
    let complete = scan.items.iter().filter(|i| i.end.is_some()).count();
    for item in &scan.items {
        let Some(end) = item.end else {
            let last = source.line_count().max(1);
            let last = if text.ends_with('\n') { last - 1 } else { last };
            diags.push(Diagnostic::error(
                &source.path,
                Some(last.max(1)),
                "truncated-export",
                format!(
                    "{}: export cut off at line {} inside the item that starts at line {}; {} complete item(s) read",
                    source.path,
                    last.max(1),
                    line_at(item.start),
                    complete
                ),
            ));
            continue;
        };
        match parse_item(text, item.start..end) {
            Ok(fields) => {
                if let Some(doc) = document(source, &ci, &fields, item.start..end, &channel) {
                    docs.push(doc);
                }
            }
            Err((at, msg)) => diags.push(Diagnostic::error(
                &source.path,
                Some(line_at(at)),
                "malformed-item",
                format!(
                    "item starting at line {} skipped: {msg}",
                    line_at(item.start)
                ),
            )),
        }
    }
    if scan.items.iter().all(|i| i.end.is_some()) && !scan.closed {
        let last = source.line_count().max(1);
        diags.push(Diagnostic::error(
            &source.path,
            Some(last),
            "truncated-export",
            format!("{}: export ends at line {last} before </channel></rss>; {complete} complete item(s) read", source.path),
        ));
    }
    crate::dedupe_ids(&mut docs);
    (docs, diags)
}

/// One `<item>`: its byte range, `end` missing when the file ends inside it.
struct ItemSpan {
    start: usize,
    end: Option<usize>,
}

struct Scan {
    items: Vec<ItemSpan>,
    /// `</rss>` or `</channel>` seen after the last item.
    closed: bool,
}

/// Finds `<item>`…`</item>` ranges, skipping CDATA sections and comments.
fn scan_items(text: &str) -> Scan {
    let mut items: Vec<ItemSpan> = Vec::new();
    let mut closed = false;
    let mut i = 0;
    let mut open: Option<usize> = None;
    while let Some(p) = text[i..].find('<') {
        let at = i + p;
        let rest = &text[at..];
        let skip =
            |pat: &str, from: usize| rest[from..].find(pat).map(|q| at + from + q + pat.len());
        if rest.starts_with("<![CDATA[") {
            match skip("]]>", 9) {
                Some(e) => i = e,
                None => break,
            }
            continue;
        }
        if rest.starts_with("<!--") {
            match skip("-->", 4) {
                Some(e) => i = e,
                None => break,
            }
            continue;
        }
        let is_tag = |name: &str| {
            rest.starts_with(name)
                && rest[name.len()..]
                    .starts_with(|c: char| c == '>' || c.is_whitespace() || c == '/')
        };
        if is_tag("<item") {
            if let Some(s) = open.take() {
                // An item opened inside an item: the first one never closed.
                items.push(ItemSpan {
                    start: s,
                    end: None,
                });
            }
            open = Some(at);
            closed = false;
        } else if is_tag("</item") {
            if let Some(s) = open.take() {
                let e = rest.find('>').map(|q| at + q + 1).unwrap_or(text.len());
                items.push(ItemSpan {
                    start: s,
                    end: Some(e),
                });
            }
        } else if open.is_none() && (is_tag("</channel") || is_tag("</rss")) {
            closed = true;
        }
        i = at + 1;
    }
    if let Some(s) = open {
        items.push(ItemSpan {
            start: s,
            end: None,
        });
    }
    Scan { items, closed }
}

/// A field's text, unescaped, with its place in the file.
#[derive(Debug, Default, Clone)]
struct Field {
    text: String,
    /// `(text byte, source byte)` anchors.
    anchors: Vec<(usize, usize)>,
    /// Source bytes of the content.
    range: Range<usize>,
}

impl Field {
    fn append(&mut self, s: &str, anchors: Vec<(usize, usize)>) {
        let base = self.text.len();
        self.anchors
            .extend(anchors.into_iter().map(|(o, src)| (o + base, src)));
        self.text.push_str(s);
    }
}

#[derive(Debug, Default)]
struct ItemFields {
    fields: Vec<(String, Field)>,
    /// `(domain, text)` of each `<category>`.
    categories: Vec<(String, Field)>,
}

impl ItemFields {
    fn get(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.0 == name).map(|f| &f.1)
    }

    fn value(&self, name: &str) -> Option<String> {
        self.get(name)
            .map(|f| f.text.trim().to_string())
            .filter(|s| !s.is_empty())
    }
}

/// Parses one item's direct children; an error gives the byte where it was noticed.
fn parse_item(text: &str, range: Range<usize>) -> Result<ItemFields, (usize, String)> {
    let chunk = &text[range.clone()];
    let base = range.start;
    let mut reader = Reader::from_str(chunk);
    reader.config_mut().trim_text(false);
    let mut out = ItemFields::default();
    let mut depth = 0usize;
    let mut cur: Option<(String, Option<String>, Field)> = None;
    loop {
        let before = reader.buffer_position() as usize;
        let ev = reader
            .read_event()
            .map_err(|e| (base + reader.error_position() as usize, e.to_string()))?;
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                depth += 1;
                if depth == 2 {
                    let name = String::from_utf8_lossy(e.name().as_ref()).to_string();
                    let domain = e
                        .attributes()
                        .flatten()
                        .find(|a| a.key.as_ref() == b"domain")
                        .map(|a| String::from_utf8_lossy(&a.value).to_string());
                    let field = Field {
                        range: base + after..base + after,
                        ..Field::default()
                    };
                    cur = Some((name, domain, field));
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    if let Some((name, domain, mut field)) = cur.take() {
                        field.range.end = base + before;
                        if name == "category" {
                            out.categories.push((domain.unwrap_or_default(), field));
                        } else {
                            out.fields.push((name, field));
                        }
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(_) if depth == 2 => {
                if let Some((_, _, f)) = cur.as_mut() {
                    let (s, a) = unescape_with_anchors(&chunk[before..after], base + before);
                    f.append(&s, a);
                }
            }
            Event::GeneralRef(_) if depth == 2 => {
                if let Some((_, _, f)) = cur.as_mut() {
                    let raw = &chunk[before..after];
                    let s = decode_entity(raw)
                        .map(|d| d.0)
                        .unwrap_or_else(|| raw.to_string());
                    f.append(&s, vec![(0, base + before), (s.len(), base + after)]);
                }
            }
            Event::CData(_) if depth == 2 => {
                if let Some((_, _, f)) = cur.as_mut() {
                    let inner =
                        &chunk[(before + 9).min(after)..after.saturating_sub(3).max(before)];
                    f.append(inner, vec![(0, base + before + 9)]);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err((range.end, "unclosed element".into()));
    }
    Ok(out)
}

/// Reads a field's HTML into parts located in the source.
fn field_parts(source: &Source, ci: &CharIndex, f: &Field, opts: WalkOptions) -> Vec<Part> {
    let loc = Locator::from_anchors(ci, f.anchors.clone());
    let tree = Tree::parse(&f.text);
    let mut w = Walker::new(&tree, &f.text, &loc, source, opts);
    w.walk(0);
    w.parts
}

/// A field's clean text (entities decoded, tags dropped) with its map.
fn field_text(source: &Source, ci: &CharIndex, f: &Field) -> TextBuf {
    let loc = Locator::from_anchors(ci, f.anchors.clone());
    let tree = Tree::parse(&f.text);
    let w = Walker::new(&tree, &f.text, &loc, source, WalkOptions::default());
    w.text_of(0)
}

fn document(
    source: &Source,
    ci: &CharIndex,
    item: &ItemFields,
    range: Range<usize>,
    channel: &Channel,
) -> Option<Document> {
    let outlet = channel.outlet.as_ref();
    if item.value("wp:post_type").as_deref().unwrap_or("post") != "post" {
        return None;
    }
    if item.value("wp:status").as_deref().unwrap_or("publish") != "publish" {
        return None;
    }
    let mut parts = Vec::new();
    let mut title = None;
    if let Some(f) = item.get("title") {
        let buf = field_text(source, ci, f);
        title = Some(buf.text().trim().to_string()).filter(|t| !t.is_empty());
        parts.extend(buf.finish(PartKind::Title, source));
    }
    if let Some(f) = item.get("excerpt:encoded") {
        let opts = WalkOptions {
            autop: true,
            ..WalkOptions::default()
        };
        parts.extend(field_parts(source, ci, f, opts).into_iter().map(|mut p| {
            p.kind = PartKind::Standfirst;
            p
        }));
    }
    if let Some(f) = item.get("content:encoded") {
        let opts = WalkOptions {
            autop: true,
            first_heading_is_title: false,
            titles: false,
        };
        parts.extend(field_parts(source, ci, f, opts));
    }
    parts.sort_by_key(|p| p.span.start);
    let evidence = |f: &Field| field_text(source, ci, f).evidence(source);

    // dc:creator holds a login; the channel's author list gives the name shown.
    let creator = item.get("dc:creator").map(|f| {
        let login = f.text.trim();
        channel
            .authors
            .iter()
            .find(|a| a.0 == login)
            .map(|a| &a.1)
            .unwrap_or(f)
    });
    let authors: Vec<String> = creator
        .map(|f| field_text(source, ci, f).text().trim().to_string())
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let mut date = None;
    let mut date_evidence = None;
    for key in ["wp:post_date", "wp:post_date_gmt", "pubDate"] {
        if let Some(f) = item.get(key) {
            if let Some(d) = iso_date(&f.text) {
                date = Some(d);
                date_evidence = evidence(f);
                break;
            }
        }
    }
    let named = |domain: &str| -> Vec<String> {
        item.categories
            .iter()
            .filter(|c| c.0 == domain)
            .map(|c| field_text(source, ci, &c.1).text().trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let standfirst = parts
        .iter()
        .find(|p| p.kind == PartKind::Standfirst)
        .map(|p| p.text.clone());
    let first = source.line_of(ci.char_of(range.start));
    let last = source.line_of(ci.char_of(range.end.saturating_sub(1)));
    Some(Document {
        id: crate::slug(title.as_deref().unwrap_or("post"), 6),
        source: source.path.clone(),
        title,
        standfirst,
        outlet: outlet.map(|e| e.text.clone()),
        outlet_evidence: outlet.cloned(),
        authors,
        authors_evidence: creator.and_then(evidence),
        date,
        date_evidence,
        category: named("category").into_iter().next(),
        tags: named("post_tag"),
        url: item.value("link").filter(|u| u.starts_with("http")),
        lines: [first, last],
        parts,
    })
}

/// What the export says once for all items: the blog's name and its authors.
struct Channel {
    /// The channel's `<title>`: the blog's name, the outlet of every post.
    outlet: Option<Evidence>,
    /// `(login, display name)` of each `<wp:author>`: `dc:creator` holds the login.
    authors: Vec<(String, Field)>,
}

impl Channel {
    /// Reads the header before the first item.
    fn read(text: &str, header_end: usize, ci: &CharIndex, source: &Source) -> Channel {
        let outlet = text[..header_end]
            .find("<channel")
            .and_then(|ch| element_field(text, ch..header_end, "title"))
            .and_then(|f| field_text(source, ci, &f).evidence(source))
            .filter(|e| !e.text.is_empty());
        let mut authors = Vec::new();
        let mut i = 0;
        while let Some(p) = text[i..header_end].find("<wp:author>") {
            let start = i + p;
            let end = text[start..header_end]
                .find("</wp:author>")
                .map(|q| start + q)
                .unwrap_or(header_end);
            let login = element_field(text, start..end, "wp:author_login");
            let display = element_field(text, start..end, "wp:author_display_name");
            if let (Some(login), Some(display)) = (login, display) {
                if !display.text.trim().is_empty() {
                    authors.push((login.text.trim().to_string(), display));
                }
            }
            i = end.max(start + 1);
        }
        Channel { outlet, authors }
    }
}

/// The text of the first `<tag>…</tag>` inside `text[range]`, from CDATA or
/// entity-escaped text, located in the source.
fn element_field(text: &str, range: Range<usize>, tag: &str) -> Option<Field> {
    let open_pat = format!("<{tag}>");
    let close_pat = format!("</{tag}>");
    let open = range.start + text[range.clone()].find(&open_pat)? + open_pat.len();
    let close = open + text[open..range.end].find(&close_pat)?;
    let mut raw = &text[open..close];
    let mut start = open;
    if let Some(inner) = raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        start += 9;
        raw = inner;
    }
    let (s, anchors) = unescape_with_anchors(raw, start);
    Some(Field {
        text: s,
        anchors,
        range: start..start + raw.len(),
    })
}
