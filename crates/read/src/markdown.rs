//! Markdown: CommonMark with footnotes and YAML (`---`) or TOML (`+++`) front matter.
//!
//! One file is one document. pulldown-cmark parses it and reports the source
//! range of every event, so each text run of a part is anchored to the
//! characters it was copied from ([`TextBuf`]); emphasis marks, link targets
//! and escapes are stripped from the clean text.
//!
//! Representation decisions (shared with the HTML and WXR readers):
//! - a footnote reference stays in the body text as written, `[^3]`, so the
//!   notes stage finds markers by their source text;
//! - each footnote definition `[^3]: text` is one `notes` part whose text is
//!   `3. text`: the label's characters as written, then a synthetic `. `, then
//!   the note's text (paragraphs joined by a space). Every reader gives notes in
//!   this `N. text` shape, the shape of a scraped notes section;
//! - a `## Notes` (Endnotes, References...) heading is a `notes_heading`; an
//!   ordered list under it gives one `notes` part per item, marker kept;
//! - each `[n]: url` reference definition is one `link_references` part, verbatim;
//! - standfirst: a paragraph set wholly in italics or bold, or a block quote,
//!   placed after the title and before any body text; front matter
//!   `standfirst`/`description`/`summary`/`subtitle` wins for the document field;
//! - a paragraph made of an image is a `caption`: the text next to the image if
//!   any, else the image's alt text;
//! - a short `By ...` paragraph before the body is a `byline`;
//! - raw HTML blocks (a `<figure>`, a footnotes `<div>`) are read like HTML
//!   pages; code blocks are left out (not prose).
use std::ops::Range;

use annals_model::text::CharIndex;
use annals_model::{Diagnostic, Document, Evidence, Part, PartKind, Source};
use pulldown_cmark::{Event, HeadingLevel, MetadataBlockKind, Options, Parser, Tag, TagEnd};

use crate::markup::{
    evidence_at, is_notes_heading, iso_date, leading_note_number, split_authors, Locator, TextBuf,
    Tree, WalkOptions, Walker,
};

/// Reads one Markdown file as one document.
pub(crate) fn read(source: &Source) -> (Vec<Document>, Vec<Diagnostic>) {
    let text = source.text.as_str();
    let ci = CharIndex::new(text);
    let mut diags = Vec::new();
    let opts = Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH;
    let mut iter = Parser::new_ext(text, opts).into_offset_iter();
    let mut md = Md::new(source, &ci);
    for (ev, range) in &mut iter {
        md.event(ev, range);
    }
    for (_, def) in iter.reference_definitions().iter() {
        let raw = &text[def.span.clone()];
        let raw = raw.trim_end();
        let lead = raw.len() - raw.trim_start().len();
        let mut buf = TextBuf::new();
        buf.push_verbatim(raw.trim_start(), ci.char_of(def.span.start + lead));
        if let Some(p) = buf.finish(PartKind::LinkReferences, source) {
            md.parts.push(p);
        }
    }
    let mut parts = md.parts;
    parts.sort_by_key(|p| p.span.start);

    let fm = md
        .front_matter
        .and_then(|(kind, body)| FrontMatter::parse(source, &ci, kind, body, &mut diags));
    let fm = fm.unwrap_or_default();

    let title = fm.one(&["title"]).or_else(|| {
        parts
            .iter()
            .find(|p| p.kind == PartKind::Title)
            .map(|p| p.text.clone())
    });
    let standfirst = fm
        .one(&[
            "standfirst",
            "description",
            "summary",
            "subtitle",
            "excerpt",
        ])
        .or_else(|| {
            parts
                .iter()
                .find(|p| p.kind == PartKind::Standfirst)
                .map(|p| p.text.clone())
        });
    let byline = parts.iter().find(|p| p.kind == PartKind::Byline);
    let (mut authors, mut authors_evidence) = match fm.list(&["authors", "author", "creator"]) {
        Some(list) => (
            list.iter().flat_map(|a| split_authors(a)).collect(),
            fm.evidence(&["authors", "author", "creator"]),
        ),
        None => (Vec::new(), None),
    };
    if authors.is_empty() {
        if let Some(b) = byline {
            authors = split_authors(&b.text);
            authors_evidence = Some(Evidence {
                text: b.text.clone(),
                span: b.span,
            });
        }
    }
    let date_keys = [
        "date",
        "published",
        "pubdate",
        "publishdate",
        "date_published",
    ];
    let (mut date, mut date_evidence) = match fm.one(&date_keys).and_then(|d| iso_date(&d)) {
        Some(d) => (Some(d), fm.evidence(&date_keys)),
        None => (None, None),
    };
    if date.is_none() {
        if let Some(b) = byline {
            date = iso_date(&b.text);
            date_evidence = date.as_ref().map(|_| Evidence {
                text: b.text.clone(),
                span: b.span,
            });
        }
    }
    let outlet_keys = ["outlet", "publication", "publisher", "journal", "site"];
    let last_line = last_nonblank_line(source);
    let doc = Document {
        id: crate::slug(title.as_deref().unwrap_or(&file_stem(&source.path)), 6),
        source: source.path.clone(),
        title,
        standfirst,
        outlet: fm.one(&outlet_keys),
        outlet_evidence: fm.evidence(&outlet_keys),
        authors,
        authors_evidence,
        date,
        date_evidence,
        category: fm
            .list(&["categories", "category"])
            .and_then(|l| l.into_iter().next()),
        tags: fm.list(&["tags", "keywords"]).unwrap_or_default(),
        url: fm
            .one(&["url", "link", "canonical", "canonical_url", "permalink"])
            .filter(|u| u.starts_with("http")),
        lines: [1, last_line],
        parts,
    };
    let mut docs = vec![doc];
    crate::dedupe_ids(&mut docs);
    (docs, diags)
}

fn file_stem(path: &str) -> String {
    std::path::Path::new(path)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("document")
        .to_string()
}

fn last_nonblank_line(source: &Source) -> u32 {
    let n = source.text.trim_end().lines().count() as u32;
    n.max(1)
}

/// The state of one pass over the parser's events.
struct Md<'a> {
    source: &'a Source,
    ci: &'a CharIndex,
    parts: Vec<Part>,
    /// The block being built (paragraph, heading, item, note).
    buf: Option<TextBuf>,
    /// Alt text of images in the current paragraph.
    alt: TextBuf,
    image_depth: usize,
    para_has_image: bool,
    para_image_first: bool,
    emph: usize,
    all_emph: bool,
    heading: Option<HeadingLevel>,
    quote_depth: usize,
    lead_quote: bool,
    in_footnote: bool,
    /// The last paragraph was an image alone (its alt text made a caption).
    after_image: bool,
    /// Index of that alt-text caption part.
    alt_caption: Option<usize>,
    /// Characters of the `N. ` put before the current footnote's text.
    note_prefix: usize,
    skip: usize,
    /// Source bytes of the raw HTML block being read.
    html_block: Option<Range<usize>>,
    meta: Option<MetadataBlockKind>,
    front_matter: Option<(MetadataBlockKind, Range<usize>)>,
    /// For each open list: is it a notes list.
    lists: Vec<bool>,
    notes_section: bool,
    has_title: bool,
    has_body: bool,
}

impl<'a> Md<'a> {
    fn new(source: &'a Source, ci: &'a CharIndex) -> Self {
        Md {
            source,
            ci,
            parts: Vec::new(),
            buf: None,
            alt: TextBuf::new(),
            image_depth: 0,
            para_has_image: false,
            para_image_first: false,
            emph: 0,
            all_emph: true,
            heading: None,
            quote_depth: 0,
            lead_quote: false,
            in_footnote: false,
            after_image: false,
            alt_caption: None,
            note_prefix: 0,
            skip: 0,
            html_block: None,
            meta: None,
            front_matter: None,
            lists: Vec::new(),
            notes_section: false,
            has_title: false,
            has_body: false,
        }
    }

    fn event(&mut self, ev: Event<'_>, range: Range<usize>) {
        match ev {
            Event::Start(tag) => self.start(tag, range),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if let Some(kind) = self.meta {
                    self.front_matter = Some((kind, range));
                } else if self.skip == 0 {
                    if self.emph == 0 && !t.trim().is_empty() && self.image_depth == 0 {
                        self.all_emph = false;
                    }
                    self.push(&t, range);
                }
            }
            Event::Code(t) => {
                self.all_emph = false;
                self.push(&t, range);
            }
            Event::FootnoteReference(_) => {
                // Kept as written (`[^3]`): the notes stage reads markers from text.
                self.all_emph = false;
                let raw = &self.source.text[range.clone()];
                self.push(raw, range);
            }
            Event::SoftBreak | Event::HardBreak => {
                let at = self.ci.char_of(range.start);
                if let Some(b) = self.target() {
                    b.push_break(at);
                }
            }
            _ => {}
        }
    }

    /// Where text goes now: the alt text inside an image, else the block.
    fn target(&mut self) -> Option<&mut TextBuf> {
        if self.skip > 0 {
            return None;
        }
        if self.image_depth > 0 {
            return Some(&mut self.alt);
        }
        self.buf.as_mut()
    }

    /// Pushes an event's text, anchored where it sits inside the event's range.
    fn push(&mut self, t: &str, range: Range<usize>) {
        let raw = &self.source.text[range.clone()];
        let ci = self.ci;
        let Some(buf) = self.target() else { return };
        if let Some(p) = raw.find(t) {
            buf.push_verbatim(t, ci.char_of(range.start + p));
        } else {
            // Escapes, entities, code spans across lines: not in the source as such.
            buf.push_aligned(t, raw, ci.char_of(range.start));
        }
    }

    fn open_block(&mut self) {
        if self.in_footnote {
            if let Some(b) = self.buf.as_mut() {
                if !b.is_empty() {
                    let at = b.source_range().map(|r| r.end).unwrap_or(0);
                    b.push_break(at);
                }
                return;
            }
        }
        self.flush_as(PartKind::Body);
        self.buf = Some(TextBuf::new());
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        if !matches!(
            tag,
            Tag::Paragraph | Tag::Emphasis | Tag::Strong | Tag::Link { .. } | Tag::Image { .. }
        ) {
            self.after_image = false;
        }
        match tag {
            Tag::MetadataBlock(kind) => self.meta = Some(kind),
            Tag::CodeBlock(_) => self.skip += 1,
            Tag::HtmlBlock => {
                self.flush_as(PartKind::Body);
                self.html_block = Some(range);
                self.skip += 1;
            }
            Tag::Paragraph => {
                self.open_block();
                self.para_has_image = false;
                self.para_image_first = false;
                self.all_emph = true;
            }
            Tag::Heading { level, .. } => {
                self.open_block();
                self.heading = Some(level);
            }
            Tag::BlockQuote(_) => {
                if self.quote_depth == 0 {
                    self.lead_quote = !self.has_body && !self.in_footnote;
                }
                self.quote_depth += 1;
            }
            Tag::List(start) => self.lists.push(self.notes_section && start.is_some()),
            Tag::Item => {
                self.open_block();
                if self.lists.last() == Some(&true) {
                    // Notes list: keep the item's number as written ("12. ").
                    let raw = &self.source.text[range.clone()];
                    if let Some((_, len)) = leading_note_number(raw) {
                        let at = self.ci.char_of(range.start);
                        let marker: String = raw.chars().take(len).collect();
                        if let Some(b) = self.buf.as_mut() {
                            b.push_verbatim(
                                marker.trim_end(),
                                at + (marker.chars().count() - marker.trim_start().chars().count()),
                            );
                            b.push_break(at + len);
                        }
                    }
                }
            }
            Tag::FootnoteDefinition(label) => {
                self.flush_as(PartKind::Body);
                self.in_footnote = true;
                let mut b = TextBuf::new();
                let raw = &self.source.text[range.clone()];
                let label_at = raw
                    .find(label.as_ref())
                    .map(|p| range.start + p)
                    .unwrap_or(range.start);
                let c = self.ci.char_of(label_at);
                b.push_verbatim(&label, c);
                let after = c + label.chars().count();
                b.push_synthetic(". ", after..after + 1);
                self.note_prefix = b.len();
                self.buf = Some(b);
            }
            Tag::Emphasis | Tag::Strong => self.emph += 1,
            Tag::Image { .. } => {
                if !self.para_has_image && is_blank(&self.buf) {
                    self.para_image_first = true;
                }
                self.para_has_image = true;
                self.image_depth += 1;
            }
            Tag::TableHead | Tag::TableRow => self.open_block(),
            Tag::TableCell => {
                if let Some(b) = self.buf.as_mut() {
                    let at = b.source_range().map(|r| r.end).unwrap_or(0);
                    b.push_break(at);
                }
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::MetadataBlock(_) => self.meta = None,
            TagEnd::CodeBlock => self.skip = self.skip.saturating_sub(1),
            TagEnd::HtmlBlock => {
                self.skip = self.skip.saturating_sub(1);
                if let Some(r) = self.html_block.take() {
                    self.html_parts(r);
                }
            }
            TagEnd::Paragraph if !self.in_footnote => self.end_paragraph(),
            TagEnd::Heading(level) => {
                self.heading = None;
                let text = self.buf.as_ref().map(|b| b.text()).unwrap_or_default();
                let kind = if level == HeadingLevel::H1 && !self.has_title && !self.has_body {
                    self.has_title = true;
                    PartKind::Title
                } else if is_notes_heading(&text) {
                    self.notes_section = true;
                    PartKind::NotesHeading
                } else {
                    self.notes_section = false;
                    self.has_body = true;
                    PartKind::SectionHeading
                };
                self.flush_as(kind);
            }
            TagEnd::BlockQuote(_) => {
                self.quote_depth = self.quote_depth.saturating_sub(1);
                if self.quote_depth == 0 && self.lead_quote {
                    self.lead_quote = false;
                    self.has_body = true;
                }
            }
            TagEnd::List(_) => {
                self.lists.pop();
            }
            TagEnd::Item => {
                let kind = if self.lists.last() == Some(&true) {
                    PartKind::Notes
                } else {
                    PartKind::Body
                };
                self.flush_as(kind);
            }
            TagEnd::FootnoteDefinition => {
                self.in_footnote = false;
                // `[^3]:` with nothing after it is no note.
                if self
                    .buf
                    .as_ref()
                    .is_some_and(|b| b.len() <= self.note_prefix)
                {
                    self.buf = None;
                }
                self.flush_as(PartKind::Notes);
            }
            TagEnd::Emphasis | TagEnd::Strong => self.emph = self.emph.saturating_sub(1),
            TagEnd::Image => self.image_depth = self.image_depth.saturating_sub(1),
            TagEnd::TableHead | TagEnd::TableRow => self.flush_as(PartKind::Body),
            _ => {}
        }
    }

    /// A raw HTML block (a `<figure>`, a footnotes `<div>`) read by the HTML
    /// walker, its spans pointing into the Markdown file.
    fn html_parts(&mut self, r: Range<usize>) {
        let html = &self.source.text[r.clone()];
        let loc = Locator::shifted(self.ci, r.start);
        let tree = Tree::parse(html);
        let mut w = Walker::new(&tree, html, &loc, self.source, WalkOptions::default());
        w.walk(0);
        for p in w.parts {
            self.has_body |= p.kind == PartKind::Body;
            self.parts.push(p);
        }
    }

    fn end_paragraph(&mut self) {
        let alt = std::mem::take(&mut self.alt);
        let Some(mut buf) = self.buf.take() else {
            return;
        };
        let text = buf.text();
        let follows_image = std::mem::take(&mut self.after_image);
        let image_only = self.para_has_image && text.trim().is_empty();
        let kind = if self.para_has_image && (image_only || self.para_image_first) {
            if image_only {
                buf = alt;
                self.after_image = true;
                self.alt_caption = Some(self.parts.len());
            }
            PartKind::Caption
        } else if follows_image && self.all_emph {
            // `![alt](img)` then `*caption*`: the italic line is the caption.
            if let Some(i) = self.alt_caption.take() {
                if i + 1 == self.parts.len() {
                    self.parts.pop();
                }
            }
            PartKind::Caption
        } else if self.quote_depth > 0 {
            if self.lead_quote {
                PartKind::Standfirst
            } else {
                PartKind::Body
            }
        } else if !self.has_body && is_byline(&text) {
            PartKind::Byline
        } else if !self.has_body && self.all_emph {
            self.has_body = true;
            PartKind::Standfirst
        } else if self.notes_section && leading_note_number(&text).is_some() {
            PartKind::Notes
        } else {
            PartKind::Body
        };
        if kind == PartKind::Body {
            self.has_body = true;
        }
        self.buf = Some(buf);
        self.flush_as(kind);
    }

    fn flush_as(&mut self, kind: PartKind) {
        if let Some(buf) = self.buf.take() {
            if let Some(p) = buf.finish(kind, self.source) {
                if p.kind == PartKind::Body {
                    self.has_body = true;
                }
                self.parts.push(p);
            }
        }
    }
}

fn is_blank(buf: &Option<TextBuf>) -> bool {
    match buf {
        None => true,
        Some(b) => b.text().trim().is_empty(),
    }
}

/// A short line naming the author: `By Aida Nurlanova, 14 May 2023`.
fn is_byline(text: &str) -> bool {
    let t = text.trim_start_matches(['*', '_']).trim_start();
    (t.starts_with("By ") || t.starts_with("by "))
        && t.chars().count() < 160
        && t.chars().nth(3).is_some_and(char::is_uppercase)
}

/// Front matter: keys (lower-cased) with a string or a list of strings.
#[derive(Default)]
struct FrontMatter {
    fields: Vec<(String, Vec<String>)>,
    /// Byte range of the front matter's text in the source.
    range: Range<usize>,
    ci_evidence: Vec<(String, Evidence)>,
}

impl FrontMatter {
    fn parse(
        source: &Source,
        ci: &CharIndex,
        kind: MetadataBlockKind,
        range: Range<usize>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<FrontMatter> {
        let raw = &source.text[range.clone()];
        let line = source.line_of(ci.char_of(range.start));
        let mut fields = Vec::new();
        match kind {
            MetadataBlockKind::YamlStyle => match serde_yaml::from_str::<serde_yaml::Value>(raw) {
                Ok(serde_yaml::Value::Mapping(m)) => {
                    for (k, v) in m {
                        if let Some(k) = yaml_scalar(&k) {
                            fields.push((k.to_lowercase(), yaml_strings(&v)));
                        }
                    }
                }
                Ok(_) => {}
                Err(e) => diags.push(Diagnostic::warning(
                    &source.path,
                    Some(line + e.location().map(|l| l.line() as u32).unwrap_or(1) - 1),
                    "front-matter",
                    format!("YAML front matter not read: {e}"),
                )),
            },
            MetadataBlockKind::PlusesStyle => match raw.parse::<toml::Table>() {
                Ok(t) => {
                    for (k, v) in t {
                        fields.push((k.to_lowercase(), toml_strings(&v)));
                    }
                }
                Err(e) => diags.push(Diagnostic::warning(
                    &source.path,
                    Some(line),
                    "front-matter",
                    format!("TOML front matter not read: {}", e.message()),
                )),
            },
        }
        let mut fm = FrontMatter {
            fields,
            range,
            ci_evidence: Vec::new(),
        };
        fm.ci_evidence = fm.locate(source, ci);
        Some(fm)
    }

    /// Evidence for each top-level key: its value as written, through the
    /// following indented or `- ` list lines.
    fn locate(&self, source: &Source, ci: &CharIndex) -> Vec<(String, Evidence)> {
        let raw = &source.text[self.range.clone()];
        let mut out = Vec::new();
        let mut offset = self.range.start;
        let lines: Vec<&str> = raw.split_inclusive('\n').collect();
        for (i, line) in lines.iter().enumerate() {
            let start = offset;
            offset += line.len();
            if line.starts_with([' ', '\t', '-', '#']) {
                continue;
            }
            let Some(sep) = line.find([':', '=']) else {
                continue;
            };
            let key = line[..sep].trim().trim_matches('"').to_lowercase();
            let after = &line[sep + 1..];
            let lead = after.len() - after.trim_start().len();
            let mut vs = start + sep + 1 + lead;
            let mut ve = start + line.trim_end().len();
            if ve <= vs {
                // Block list on the following lines.
                let mut o = offset;
                vs = o;
                for l in &lines[i + 1..] {
                    if !l.starts_with([' ', '\t', '-']) {
                        break;
                    }
                    o += l.len();
                    ve = o - (l.len() - l.trim_end().len());
                }
                let block = &source.text[vs..ve.max(vs)];
                let skip =
                    block.len() - block.trim_start_matches([' ', '\t', '\n', '\r', '-']).len();
                vs += skip;
            }
            let value = &source.text[vs..ve.max(vs)];
            if value.len() >= 2
                && ((value.starts_with('"') && value.ends_with('"'))
                    || (value.starts_with('\'') && value.ends_with('\'')))
            {
                vs += 1;
                ve -= 1;
            }
            if ve > vs {
                out.push((key, evidence_at(source, ci, ci.char_of(vs)..ci.char_of(ve))));
            }
        }
        out
    }

    fn list(&self, keys: &[&str]) -> Option<Vec<String>> {
        keys.iter()
            .find_map(|k| self.fields.iter().find(|f| f.0 == *k).map(|f| f.1.clone()))
            .filter(|l| !l.is_empty())
    }

    fn one(&self, keys: &[&str]) -> Option<String> {
        self.list(keys)
            .and_then(|l| l.into_iter().next())
            .filter(|s| !s.trim().is_empty())
    }

    fn evidence(&self, keys: &[&str]) -> Option<Evidence> {
        keys.iter().find_map(|k| {
            self.ci_evidence
                .iter()
                .find(|e| e.0 == *k)
                .map(|e| e.1.clone())
        })
    }
}

fn yaml_scalar(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Tagged(t) => yaml_scalar(&t.value),
        _ => None,
    }
}

fn yaml_strings(v: &serde_yaml::Value) -> Vec<String> {
    match v {
        serde_yaml::Value::Sequence(s) => s.iter().filter_map(yaml_scalar).collect(),
        serde_yaml::Value::Mapping(m) => {
            // `author: {name: ...}`
            m.iter()
                .filter(|(k, _)| k.as_str() == Some("name"))
                .filter_map(|(_, v)| yaml_scalar(v))
                .collect()
        }
        other => yaml_scalar(other).into_iter().collect(),
    }
}

fn toml_strings(v: &toml::Value) -> Vec<String> {
    match v {
        toml::Value::String(s) => vec![s.clone()],
        toml::Value::Array(a) => a.iter().flat_map(toml_strings).collect(),
        toml::Value::Table(t) => t.get("name").map(toml_strings).unwrap_or_default(),
        other => vec![other.to_string()],
    }
}
