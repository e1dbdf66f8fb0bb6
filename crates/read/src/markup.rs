//! Shared machinery of the markup readers (Markdown, HTML, WordPress exports).
//!
//! The key problem these readers share: a part's clean text is not a slice of
//! the source (tags, entities, emphasis marks and CDATA wrappers are gone), yet
//! every span must point back into the source file. [`TextBuf`] solves it once:
//! every character pushed into it carries the source range it came from, and
//! [`TextBuf::finish`] turns those into an [`OffsetMap`] with one anchor per
//! verbatim run.
//!
//! The HTML part lives here too because the WXR reader parses `content:encoded`
//! with it: a small tokenizer that records byte positions (neither `scraper`
//! nor `html5ever` reports where a node came from), a forgiving tree builder
//! (void elements, implied `</p>` and `</li>`), and a [`Walker`] that turns a
//! subtree into parts.
use std::ops::Range;
use std::sync::LazyLock;

use annals_model::text::CharIndex;
use annals_model::{Evidence, OffsetMap, Part, PartKind, Source, Span};
use regex::Regex;

// ---------------------------------------------------------------------------
// Clean text with its map back to the source.

/// Builds a part's clean text, remembering for each character the source
/// character range it came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextBuf {
    chars: Vec<(char, usize, usize)>,
    /// Collapse whitespace runs into one space and trim both ends (HTML rules).
    collapse: bool,
    pending_space: Option<(usize, usize)>,
}

impl TextBuf {
    /// A buffer that keeps whitespace as pushed.
    pub(crate) fn new() -> Self {
        TextBuf::default()
    }

    /// A buffer that collapses whitespace runs and trims the ends.
    pub(crate) fn collapsing() -> Self {
        TextBuf {
            collapse: true,
            ..TextBuf::default()
        }
    }

    /// True when no visible character was pushed yet.
    pub(crate) fn is_empty(&self) -> bool {
        self.chars.is_empty()
    }

    /// Number of characters so far.
    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// The clean text so far.
    pub(crate) fn text(&self) -> String {
        self.chars.iter().map(|c| c.0).collect()
    }

    /// Pushes one character that stands for source characters `src`.
    pub(crate) fn push(&mut self, c: char, src: Range<usize>) {
        if self.collapse && c.is_whitespace() {
            if !self.chars.is_empty() && self.pending_space.is_none() {
                self.pending_space = Some((src.start, src.end));
            }
            return;
        }
        if let Some((s, e)) = self.pending_space.take() {
            self.chars.push((' ', s, e));
        }
        self.chars.push((c, src.start, src.end.max(src.start + 1)));
    }

    /// Pushes a string copied verbatim from source characters starting at `src`.
    pub(crate) fn push_verbatim(&mut self, s: &str, src: usize) {
        for (i, c) in s.chars().enumerate() {
            self.push(c, src + i..src + i + 1);
        }
    }

    /// Pushes text that is not in the source as such (a decoded entity, a
    /// synthesized note number separator); every character points at `src`.
    pub(crate) fn push_synthetic(&mut self, s: &str, src: Range<usize>) {
        for c in s.chars() {
            self.push(c, src.clone());
        }
    }

    /// Pushes `text`, which a parser made from `raw` (source characters from
    /// `src`) by decoding entities and escapes or folding line breaks: each
    /// character is aligned with the source character it came from.
    pub(crate) fn push_aligned(&mut self, text: &str, raw: &str, src: usize) {
        let rc: Vec<(usize, char)> = raw.char_indices().collect();
        let tc: Vec<char> = text.chars().collect();
        let mut cur = 0; // index into rc
        for (i, &c) in tc.iter().enumerate() {
            let here = src + cur.min(rc.len());
            let Some(&(b, r)) = rc.get(cur) else {
                self.push(c, here.saturating_sub(1).max(src)..here.max(src + 1));
                continue;
            };
            if r == '&' {
                if let Some((dec, n)) = decode_entity(&raw[b..]) {
                    let len = raw[b..b + n].chars().count();
                    // A code span keeps `&amp;` as written: then it is no entity.
                    let literal = tc[i..].iter().take(len).copied().eq(raw[b..b + n].chars());
                    if dec.starts_with(c) && !literal {
                        self.push(c, here..here + len);
                        cur += len;
                        continue;
                    }
                }
            }
            if r == c || (r.is_whitespace() && c.is_whitespace()) {
                self.push(c, here..here + 1);
                cur += 1;
            } else if r == '\\' && rc.get(cur + 1).is_some_and(|n| n.1 == c) {
                self.push(c, here + 1..here + 2);
                cur += 2;
            } else if let Some(k) = (cur..rc.len().min(cur + 8)).find(|&k| rc[k].1 == c) {
                self.push(c, src + k..src + k + 1);
                cur = k + 1;
            } else {
                self.push(c, here..here + 1);
            }
        }
    }

    /// A word separator (a line break, `<br>`, a cell boundary) at `src`:
    /// one space, never two, never at the start.
    pub(crate) fn push_break(&mut self, src: usize) {
        if self.collapse {
            self.push(' ', src..src + 1);
        } else if self.chars.last().is_some_and(|c| !c.0.is_whitespace()) {
            self.chars.push((' ', src, src + 1));
        }
    }

    /// Keeps only characters `range` (indices into the clean text).
    pub(crate) fn keep(&mut self, range: Range<usize>) {
        self.chars.truncate(range.end.min(self.chars.len()));
        self.chars.drain(..range.start.min(self.chars.len()));
        self.pending_space = None;
    }

    /// Drops leading and trailing whitespace.
    pub(crate) fn trim(&mut self) {
        while self.chars.last().is_some_and(|c| c.0.is_whitespace()) {
            self.chars.pop();
        }
        let lead = self
            .chars
            .iter()
            .take_while(|c| c.0.is_whitespace())
            .count();
        self.chars.drain(..lead);
        self.pending_space = None;
    }

    /// Source range covered (first start to last end), if any text.
    pub(crate) fn source_range(&self) -> Option<Range<usize>> {
        let start = self.chars.iter().map(|c| c.1).min()?;
        let end = self.chars.iter().map(|c| c.2).max()?;
        Some(start..end)
    }

    /// The map from clean-text offsets to source offsets: one anchor where the
    /// next character is not the next source character.
    pub(crate) fn map(&self) -> OffsetMap {
        let mut map = OffsetMap::default();
        let mut predicted: Option<usize> = None;
        for (i, &(_, s, _)) in self.chars.iter().enumerate() {
            if predicted != Some(s) {
                map.push(i, s);
            }
            predicted = Some(s + 1);
        }
        map
    }

    /// The part made of this text, or `None` when it holds nothing visible.
    pub(crate) fn finish(mut self, kind: PartKind, source: &Source) -> Option<Part> {
        self.trim();
        if self.chars.is_empty() {
            return None;
        }
        let range = self.source_range()?;
        let first = source.line_of(range.start);
        let last = source.line_of(range.end.saturating_sub(1).max(range.start));
        Some(Part {
            kind,
            text: self.text(),
            span: Span::new(first, range.start, range.end),
            lines: [first, last],
            map: self.map(),
        })
    }

    /// The text and its span as [`Evidence`].
    pub(crate) fn evidence(&self, source: &Source) -> Option<Evidence> {
        let mut t = self.clone();
        t.trim();
        let r = t.source_range()?;
        Some(Evidence {
            text: t.text(),
            span: Span::new(source.line_of(r.start), r.start, r.end),
        })
    }
}

/// Evidence for source characters `range`, as written.
pub(crate) fn evidence_at(source: &Source, ci: &CharIndex, range: Range<usize>) -> Evidence {
    let text = source.text[ci.byte_of(range.start)..ci.byte_of(range.end)].to_string();
    Evidence {
        text,
        span: Span::new(source.line_of(range.start), range.start, range.end),
    }
}

// ---------------------------------------------------------------------------
// Positions of a (possibly rewritten) input inside the source file.

/// Maps byte offsets of a parser's input string to character offsets in the
/// source file. The input is the source itself (an HTML page), a slice of it
/// (a CDATA section) or an unescaped copy (escaped XML text): anchors mark
/// where each verbatim run of the input starts in the source.
pub(crate) struct Locator<'a> {
    /// `(input byte, source byte)`, sorted by input byte.
    anchors: Vec<(usize, usize)>,
    ci: &'a CharIndex,
}

impl<'a> Locator<'a> {
    /// Input byte `b` is source byte `base + b`.
    pub(crate) fn shifted(ci: &'a CharIndex, base: usize) -> Self {
        Locator {
            anchors: vec![(0, base)],
            ci,
        }
    }

    /// A locator from `(input byte, source byte)` anchors.
    pub(crate) fn from_anchors(ci: &'a CharIndex, anchors: Vec<(usize, usize)>) -> Self {
        Locator { anchors, ci }
    }

    /// Source character offset of input byte `b`.
    pub(crate) fn char_at(&self, b: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.0 <= b);
        let src_byte = if i == 0 {
            self.anchors.first().map(|a| a.1).unwrap_or(b)
        } else {
            let (ib, sb) = self.anchors[i - 1];
            sb + (b - ib)
        };
        self.ci.char_of(src_byte)
    }

    /// Source character range of input bytes `r`.
    pub(crate) fn range(&self, r: Range<usize>) -> Range<usize> {
        let s = self.char_at(r.start);
        let e = if r.end > r.start {
            self.char_at(r.end - 1) + 1
        } else {
            s
        };
        s..e.max(s)
    }
}

// ---------------------------------------------------------------------------
// Character references.

/// Named character references common in articles (the full HTML table has
/// over two thousand; unknown names are kept as written).
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", "\u{a0}"),
    ("ndash", "–"),
    ("mdash", "—"),
    ("hellip", "…"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("sbquo", "‚"),
    ("bdquo", "„"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("deg", "°"),
    ("middot", "·"),
    ("bull", "•"),
    ("shy", "\u{ad}"),
    ("thinsp", "\u{2009}"),
    ("ensp", "\u{2002}"),
    ("emsp", "\u{2003}"),
    ("zwnj", "\u{200c}"),
    ("zwj", "\u{200d}"),
    ("euro", "€"),
    ("pound", "£"),
    ("yen", "¥"),
    ("cent", "¢"),
    ("sect", "§"),
    ("para", "¶"),
    ("times", "×"),
    ("divide", "÷"),
    ("minus", "−"),
    ("prime", "′"),
    ("Prime", "″"),
    ("dagger", "†"),
    ("Dagger", "‡"),
    ("larr", "←"),
    ("rarr", "→"),
    ("uarr", "↑"),
    ("darr", "↓"),
    ("crarr", "↵"),
    ("frac12", "½"),
    ("frac14", "¼"),
    ("frac34", "¾"),
    ("sup1", "¹"),
    ("sup2", "²"),
    ("sup3", "³"),
    ("aacute", "á"),
    ("agrave", "à"),
    ("acirc", "â"),
    ("auml", "ä"),
    ("atilde", "ã"),
    ("aring", "å"),
    ("eacute", "é"),
    ("egrave", "è"),
    ("ecirc", "ê"),
    ("euml", "ë"),
    ("iacute", "í"),
    ("igrave", "ì"),
    ("icirc", "î"),
    ("iuml", "ï"),
    ("oacute", "ó"),
    ("ograve", "ò"),
    ("ocirc", "ô"),
    ("ouml", "ö"),
    ("otilde", "õ"),
    ("oslash", "ø"),
    ("uacute", "ú"),
    ("ugrave", "ù"),
    ("ucirc", "û"),
    ("uuml", "ü"),
    ("ntilde", "ñ"),
    ("ccedil", "ç"),
    ("szlig", "ß"),
    ("Aacute", "Á"),
    ("Eacute", "É"),
    ("Oacute", "Ó"),
    ("Uacute", "Ú"),
    ("Auml", "Ä"),
    ("Ouml", "Ö"),
    ("Uuml", "Ü"),
    ("Ccedil", "Ç"),
    ("Ntilde", "Ñ"),
    ("scaron", "š"),
    ("Scaron", "Š"),
    ("zcaron", "ž"),
    ("Zcaron", "Ž"),
];

/// Decodes the character reference at the start of `s` (which starts with
/// `&`): the text it stands for and how many bytes it takes. `None` when `s`
/// does not start with a reference (the `&` is then literal).
pub(crate) fn decode_entity(s: &str) -> Option<(String, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'&') {
        return None;
    }
    let end = s[1..]
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
        .map(|i| i + 1)
        .unwrap_or(s.len());
    if !(2..=40).contains(&end) {
        return None;
    }
    let name = &s[1..end];
    let consumed = if s[end..].starts_with(';') {
        end + 1
    } else {
        end
    };
    if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        let c = char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{fffd}');
        return Some((c.to_string(), consumed));
    }
    if consumed == end {
        // Legacy references without `;` are only the commonest ones.
        if !matches!(name, "amp" | "lt" | "gt" | "quot" | "nbsp") {
            return None;
        }
    }
    ENTITIES
        .iter()
        .find(|e| e.0 == name)
        .map(|e| (e.1.to_string(), consumed))
}

/// Unescapes XML/HTML character references in `raw` (which sits at source
/// byte `base`), returning the text and `(output byte, source byte)` anchors
/// for a [`Locator`].
pub(crate) fn unescape_with_anchors(raw: &str, base: usize) -> (String, Vec<(usize, usize)>) {
    let mut out = String::with_capacity(raw.len());
    let mut anchors = vec![(0, base)];
    let mut i = 0;
    while i < raw.len() {
        let rest = &raw[i..];
        let amp = match rest.find('&') {
            Some(a) => a,
            None => {
                out.push_str(rest);
                break;
            }
        };
        out.push_str(&rest[..amp]);
        i += amp;
        match decode_entity(&raw[i..]) {
            Some((txt, n)) => {
                anchors.push((out.len(), base + i));
                out.push_str(&txt);
                i += n;
                anchors.push((out.len(), base + i));
            }
            None => {
                out.push('&');
                i += 1;
            }
        }
    }
    (out, anchors)
}

// ---------------------------------------------------------------------------
// Dates, authors, headings.

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(name: &str) -> Option<u32> {
    let l = name.to_lowercase();
    if l.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| l.starts_with(m))
        .map(|i| i as u32 + 1)
}

static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ]|\s*$|[+Z])").unwrap()
});
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b").unwrap()
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b").unwrap()
});
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b([a-z]{3,9})\.?,?\s+(\d{4})\b").unwrap());

fn ymd(y: u32, m: Option<u32>, d: Option<u32>) -> Option<String> {
    if !(1000..=2999).contains(&y) {
        return None;
    }
    match (m, d) {
        (Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d) => {
            Some(format!("{y:04}-{m:02}-{d:02}"))
        }
        (Some(m), None) if (1..=12).contains(&m) => Some(format!("{y:04}-{m:02}")),
        (None, None) => Some(format!("{y:04}")),
        _ => None,
    }
}

/// A date as written in metadata (`2023-05-14`, `2023-05-14T09:30:00+05:00`,
/// `Sun, 14 May 2023 09:30:00 +0000`, `May 14, 2023`, `May 2023`, `2023`) as
/// an ISO date, as precise as written. Times are dropped: the contract's
/// `date` is a calendar date.
pub(crate) fn iso_date(s: &str) -> Option<String> {
    let s = s.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Some(c) = ISO.captures(s) {
        let y = c[1].parse().ok()?;
        let m = c.get(2).and_then(|m| m.as_str().parse().ok());
        let d = c.get(3).and_then(|m| m.as_str().parse().ok());
        return ymd(y, m, d);
    }
    if let Some(c) = DAY_MONTH_YEAR.captures(s) {
        if let Some(m) = month_number(&c[2]) {
            return ymd(c[3].parse().ok()?, Some(m), c[1].parse().ok());
        }
    }
    if let Some(c) = MONTH_DAY_YEAR.captures(s) {
        if let Some(m) = month_number(&c[1]) {
            return ymd(c[3].parse().ok()?, Some(m), c[2].parse().ok());
        }
    }
    if let Some(c) = MONTH_YEAR.captures(s) {
        if let Some(m) = month_number(&c[1]) {
            return ymd(c[2].parse().ok()?, Some(m), None);
        }
    }
    None
}

static BYLINE_CUT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:\||·|•| — | – | - |\bon\s+\d|\bon\s+[A-Z][a-z]+\s+\d|\d{1,2}\s+[A-Z][a-z]+\s+\d{4}|[A-Z][a-z]+\s+\d{1,2},\s+\d{4}|\d{4}-\d{2}).*$").unwrap()
});
static BYLINE_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:posted\s+by|written\s+by|words\s+by|by)\s*:?\s+").unwrap()
});
static AUTHOR_SPLIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:,\s*and\s+|,|;|&|\band\b)\s*").unwrap());

/// Author names in a byline such as `By Aida Nurlanova and Timur Sadykov | 14 May 2023`.
pub(crate) fn split_authors(s: &str) -> Vec<String> {
    let s = s.trim();
    // "Posted on 3 June 2021 by J. Smith": the names follow the last "by".
    let s = match s.to_lowercase().rfind(" by ") {
        Some(i) if s.is_char_boundary(i) && s.is_char_boundary(i + 4) => &s[i + 4..],
        _ => s,
    };
    let s = BYLINE_PREFIX.replace(s, "");
    let s = BYLINE_CUT.replace(&s, "");
    AUTHOR_SPLIT
        .split(&s)
        .map(|a| {
            a.trim()
                .trim_matches(|c: char| c.is_ascii_punctuation() && c != '.')
                .trim()
                .to_string()
        })
        .filter(|a| {
            !a.is_empty()
                && a.chars().any(char::is_alphabetic)
                && !a.chars().any(|c| c.is_ascii_digit())
        })
        .filter(|a| a.split_whitespace().count() <= 6)
        .collect()
}

/// True for the heading of a notes section ("Notes", "Endnotes", "Footnotes",
/// "References", "Sources").
pub(crate) fn is_notes_heading(s: &str) -> bool {
    let l = s.trim().trim_end_matches(':').to_lowercase();
    matches!(
        l.as_str(),
        "notes"
            | "endnotes"
            | "end notes"
            | "footnotes"
            | "references"
            | "sources"
            | "notes and references"
            | "bibliography"
    )
}

/// The leading note number of a note's text as written (`12. text`, `[12] text`,
/// `12 text`): the number and how many characters the marker takes,
/// including the space after it.
pub(crate) fn leading_note_number(text: &str) -> Option<(u32, usize)> {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*[\[(]?(\d{1,3})[\])]?[.):]?(?:\s+|$)").unwrap());
    let c = RE.captures(text)?;
    let n = c[1].parse().ok()?;
    Some((n, c[0].chars().count()))
}

// ---------------------------------------------------------------------------
// HTML: tokens with positions.

/// One attribute: its lower-cased name, decoded value and raw value range.
#[derive(Debug, Clone)]
pub(crate) struct Attr {
    pub(crate) name: String,
    pub(crate) value: String,
    /// Input bytes of the value as written (without quotes).
    pub(crate) range: Range<usize>,
}

/// A node of the parsed HTML tree.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// An element and its children (indices into [`Tree::nodes`]).
    Element {
        name: String,
        attrs: Vec<Attr>,
        children: Vec<usize>,
        at: usize,
    },
    /// Text as written: input bytes (entities still encoded).
    Text(Range<usize>),
}

/// An HTML document or fragment as a tree; node 0 is the root.
#[derive(Debug)]
pub(crate) struct Tree {
    pub(crate) nodes: Vec<Node>,
    /// Parent of each node (the root is its own parent).
    pub(crate) parent: Vec<usize>,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
const RAW_TEXT: &[&str] = &["script", "style", "title", "textarea", "xmp", "noscript"];
/// Start tags that close an open `<p>`.
const CLOSES_P: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "section",
    "article",
    "aside",
    "figure",
    "blockquote",
    "pre",
    "header",
    "footer",
    "nav",
    "hr",
    "main",
    "address",
    "form",
    "figcaption",
    "details",
];
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "font", "strike",
    "del", "ins", "big", "tt",
];

impl Tree {
    /// Parses `inp` forgivingly: never fails, closes what is left open.
    pub(crate) fn parse(inp: &str) -> Tree {
        let mut t = Tree {
            nodes: vec![Node::Element {
                name: "#root".into(),
                attrs: vec![],
                children: vec![],
                at: 0,
            }],
            parent: vec![0],
        };
        let mut stack: Vec<usize> = vec![0];
        let b = inp.as_bytes();
        let mut i = 0;
        let mut text_start = 0;
        while i < b.len() {
            if b[i] != b'<' {
                i += 1;
                continue;
            }
            let rest = &inp[i..];
            let next = b.get(i + 1).copied().unwrap_or(0);
            let skip_to = |pat: &str, from: usize| {
                rest[from..]
                    .find(pat)
                    .map(|p| i + from + p + pat.len())
                    .unwrap_or(b.len())
            };
            let (end, tok) = if rest.starts_with("<!--") {
                (skip_to("-->", 4), None)
            } else if let Some(cdata) = rest.strip_prefix("<![CDATA[") {
                match cdata.find("]]>") {
                    Some(p) => (i + 12 + p, Some(Tok::Text(i + 9..i + 9 + p))),
                    None => (b.len(), Some(Tok::Text(i + 9..b.len()))),
                }
            } else if next == b'!' || next == b'?' {
                (skip_to(">", 1), None)
            } else if next == b'/' && b.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
                let (name, e) = tag_name(inp, i + 2);
                (skip_to(">", e - i), Some(Tok::End(name)))
            } else if next.is_ascii_alphabetic() {
                let (name, attrs, self_closing, e) = start_tag(inp, i + 1);
                (e, Some(Tok::Start(name, attrs, self_closing)))
            } else {
                i += 1;
                continue;
            };
            if text_start < i {
                t.add(&mut stack, Node::Text(text_start..i));
            }
            let mut after = end;
            match tok {
                Some(Tok::Text(r)) => {
                    t.add(&mut stack, Node::Text(r));
                }
                Some(Tok::End(name)) => {
                    if let Some(pos) = stack.iter().rposition(|&n| t.name(n) == name) {
                        if pos > 0 {
                            stack.truncate(pos);
                        }
                    }
                }
                Some(Tok::Start(name, attrs, self_closing)) => {
                    t.implied_end(&mut stack, &name);
                    let raw = RAW_TEXT.contains(&name.as_str());
                    let void = VOID.contains(&name.as_str()) || (self_closing && !raw);
                    let id = t.add(
                        &mut stack,
                        Node::Element {
                            name: name.clone(),
                            attrs,
                            children: vec![],
                            at: i,
                        },
                    );
                    if raw {
                        // Content up to the matching end tag is text, never tags.
                        let stop = find_end_tag(inp, end, &name);
                        if stop > end {
                            let tid = t.nodes.len();
                            t.nodes.push(Node::Text(end..stop));
                            t.parent.push(id);
                            t.children_mut(id).push(tid);
                        }
                        after = inp[stop..]
                            .find('>')
                            .map(|p| stop + p + 1)
                            .unwrap_or(b.len());
                    } else if !void {
                        stack.push(id);
                    }
                }
                None => {}
            }
            i = after;
            text_start = after;
        }
        if text_start < b.len() {
            t.add(&mut stack, Node::Text(text_start..b.len()));
        }
        t
    }

    fn add(&mut self, stack: &mut [usize], node: Node) -> usize {
        let id = self.nodes.len();
        let parent = *stack.last().unwrap_or(&0);
        self.nodes.push(node);
        self.parent.push(parent);
        self.children_mut(parent).push(id);
        id
    }

    fn children_mut(&mut self, id: usize) -> &mut Vec<usize> {
        match &mut self.nodes[id] {
            Node::Element { children, .. } => children,
            Node::Text(_) => unreachable!("text nodes have no children"),
        }
    }

    /// Closes elements a start tag implies the end of (`<p>` before a block,
    /// `<li>` before the next item...).
    fn implied_end(&self, stack: &mut Vec<usize>, name: &str) {
        let (closes, scope): (&[&str], &[&str]) = match name {
            n if CLOSES_P.contains(&n) => (&["p"], &[]),
            "li" => (&["li"], &["ul", "ol", "menu"]),
            "dt" | "dd" => (&["dt", "dd"], &["dl"]),
            "tr" => (&["tr", "td", "th"], &["table", "tbody", "thead", "tfoot"]),
            "td" | "th" => (&["td", "th"], &["tr", "table"]),
            "option" => (&["option"], &["select"]),
            _ => return,
        };
        for pos in (1..stack.len()).rev() {
            let n = self.name(stack[pos]);
            if closes.contains(&n) {
                stack.truncate(pos);
                return;
            }
            let inline = INLINE.contains(&n);
            if scope.contains(&n)
                || (scope.is_empty() && !inline)
                || (!scope.is_empty() && !inline && n != "p")
            {
                return;
            }
        }
    }

    /// The input byte where a node starts.
    pub(crate) fn start_of(&self, id: usize) -> usize {
        match &self.nodes[id] {
            Node::Element { at, .. } => *at,
            Node::Text(r) => r.start,
        }
    }

    /// The element name of a node (`""` for text).
    pub(crate) fn name(&self, id: usize) -> &str {
        match &self.nodes[id] {
            Node::Element { name, .. } => name,
            Node::Text(_) => "",
        }
    }

    /// Children of a node.
    pub(crate) fn children(&self, id: usize) -> &[usize] {
        match &self.nodes[id] {
            Node::Element { children, .. } => children,
            Node::Text(_) => &[],
        }
    }

    /// An attribute of an element.
    pub(crate) fn attr(&self, id: usize, name: &str) -> Option<&Attr> {
        match &self.nodes[id] {
            Node::Element { attrs, .. } => attrs.iter().find(|a| a.name == name),
            Node::Text(_) => None,
        }
    }

    /// The attribute's value, or `""`.
    pub(crate) fn attr_value(&self, id: usize, name: &str) -> &str {
        self.attr(id, name).map(|a| a.value.as_str()).unwrap_or("")
    }

    /// True when class or id has a word starting with one of `stems`
    /// (`footnotes`, `entry-byline` → `byline`).
    pub(crate) fn has_class_word(&self, id: usize, stems: &[&str]) -> bool {
        let words = format!(
            "{} {}",
            self.attr_value(id, "class"),
            self.attr_value(id, "id")
        )
        .to_lowercase();
        words
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| !w.is_empty() && stems.iter().any(|s| w.starts_with(s)))
    }

    /// All element descendants of `id` (itself included), in document order.
    pub(crate) fn descendants(&self, id: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let mut todo = vec![id];
        while let Some(n) = todo.pop() {
            if let Node::Element { children, .. } = &self.nodes[n] {
                out.push(n);
                todo.extend(children.iter().rev());
            }
        }
        out
    }

    /// True when `anc` is `id` or one of its ancestors.
    pub(crate) fn is_within(&self, mut id: usize, anc: usize) -> bool {
        loop {
            if id == anc {
                return true;
            }
            if id == 0 {
                return false;
            }
            id = self.parent[id];
        }
    }

    /// True when `id` or one of its ancestors is a `name` element.
    pub(crate) fn is_within_name(&self, mut id: usize, name: &str) -> bool {
        loop {
            if self.name(id) == name {
                return true;
            }
            if id == 0 {
                return false;
            }
            id = self.parent[id];
        }
    }

    /// Characters of visible text under `id` (for choosing the article).
    pub(crate) fn text_len(&self, id: usize) -> usize {
        match &self.nodes[id] {
            Node::Text(r) => r.len(),
            Node::Element { name, children, .. } => {
                if SKIP.contains(&name.as_str()) {
                    0
                } else {
                    children.iter().map(|&c| self.text_len(c)).sum()
                }
            }
        }
    }
}

/// Where `</name` (any case) starts at or after `from`, else the end of input.
fn find_end_tag(inp: &str, from: usize, name: &str) -> usize {
    let b = inp.as_bytes();
    let mut i = from;
    while let Some(p) = inp[i..].find("</") {
        let at = i + p;
        let n = at + 2;
        if b.len() >= n + name.len() && b[n..n + name.len()].eq_ignore_ascii_case(name.as_bytes()) {
            return at;
        }
        i = at + 2;
    }
    b.len()
}

enum Tok {
    Start(String, Vec<Attr>, bool),
    End(String),
    Text(Range<usize>),
}

fn tag_name(inp: &str, from: usize) -> (String, usize) {
    let b = inp.as_bytes();
    let mut e = from;
    while e < b.len() && (b[e].is_ascii_alphanumeric() || matches!(b[e], b'-' | b':' | b'_')) {
        e += 1;
    }
    (inp[from..e].to_ascii_lowercase(), e)
}

/// Parses a start tag whose name begins at `from`; returns name, attributes,
/// self-closing flag and the byte after `>`.
fn start_tag(inp: &str, from: usize) -> (String, Vec<Attr>, bool, usize) {
    let b = inp.as_bytes();
    let (name, mut i) = tag_name(inp, from);
    let mut attrs = Vec::new();
    let mut self_closing = false;
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return (name, attrs, self_closing, b.len());
        }
        if b[i] == b'>' {
            return (name, attrs, self_closing, i + 1);
        }
        self_closing = false;
        let ns = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let aname = inp[ns..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut range = i..i;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let vs = i + 1;
                let ve = inp[vs..].find(q as char).map(|p| vs + p).unwrap_or(b.len());
                range = vs..ve;
                i = (ve + 1).min(b.len());
            } else {
                let vs = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                range = vs..i;
            }
        }
        let value = unescape_with_anchors(&inp[range.clone()], 0).0;
        if !aname.is_empty() {
            attrs.push(Attr {
                name: aname,
                value,
                range,
            });
        } else {
            i += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// HTML: from a subtree to parts.

/// Elements whose content is never article text.
pub(crate) const SKIP: &[&str] = &[
    "script", "style", "nav", "form", "noscript", "svg", "template", "button", "iframe", "select",
    "head", "input", "textarea", "object", "canvas", "map", "audio", "video", "title", "menu",
];
/// Class/id words of page furniture inside articles (share bars, related posts...).
const FURNITURE: &[&str] = &[
    "share",
    "social",
    "related",
    "comment",
    "sidebar",
    "widget",
    "newsletter",
    "advert",
    "breadcrumb",
    "cookie",
    "subscribe",
    "navigation",
    "menu",
    "sharedaddy",
    "jp-relatedposts",
    "skip",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "figcaption",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "dl",
    "dt",
    "dd",
    "pre",
    "hr",
    "address",
    "details",
    "summary",
    "center",
    "header",
    "footer",
    "aside",
    "body",
    "html",
    "caption",
];
/// Class/id words of a standfirst (summary under the title).
const STANDFIRST_WORDS: &[&str] = &[
    "standfirst",
    "dek",
    "deck",
    "subtitle",
    "subhead",
    "lede",
    "lead",
    "excerpt",
    "summary",
    "intro",
];
/// Class/id words of a kicker (the label above a title).
const KICKER_WORDS: &[&str] = &["kicker", "eyebrow", "rubric", "overline"];
const NOTES_WORDS: &[&str] = &[
    "footnote",
    "endnote",
    "fn-list",
    "notes",
    "reflist",
    "references",
];

/// How a walk treats what it meets.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct WalkOptions {
    /// Blank lines in text separate paragraphs (WordPress stores posts
    /// without `<p>` tags and adds them on display).
    pub(crate) autop: bool,
    /// The first heading before any body text is the title, whatever its level
    /// (archive pages title their posts with `<h2>`).
    pub(crate) first_heading_is_title: bool,
    /// Whether a Title part may be made at all (WXR titles come from `<title>`).
    pub(crate) titles: bool,
}

#[derive(Clone, Copy)]
struct Ctx {
    kind: PartKind,
    note: bool,
    /// Inside one note: its inner blocks do not end it.
    hold: bool,
}

/// Turns an HTML subtree into parts. Holds the output while walking.
pub(crate) struct Walker<'a> {
    tree: &'a Tree,
    inp: &'a str,
    loc: &'a Locator<'a>,
    source: &'a Source,
    opts: WalkOptions,
    cur: TextBuf,
    cur_kind: PartKind,
    cur_note: Option<u32>,
    /// The parts made so far, in walk order.
    pub(crate) parts: Vec<Part>,
    in_notes_section: bool,
    has_title: bool,
    has_body: bool,
    /// `<br>`s since the last visible text: two in a row end a paragraph
    /// (pages that separate paragraphs with `<br><br>`).
    brs: usize,
}

static CAPTION_SHORTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)^\[caption[^\]]*\](.*?)\[/caption\]$").unwrap());
static BYLINE_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:By|Posted (?:on|by)|Published (?:on|by)|Written by)\s").unwrap()
});
static SHORTCODE_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\[(?:gallery|embed|video|audio|playlist|contact-form|wpforms)\b[^\]]*\](?:[^\[]*\[/\w+\])?$").unwrap()
});
static NOTE_ID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:fn|footnote|endnote|note|en|cite_note|ftn|_ftn|edn|_edn)[-_:]?(?:[a-z]*[-_])?(\d{1,3})$").unwrap()
});
static LINK_REF: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\[\d{1,3}\]:?\s*(?:<|https?://|www\.)").unwrap());

impl<'a> Walker<'a> {
    /// A walker over `tree` parsed from `inp`, located in `source` by `loc`.
    pub(crate) fn new(
        tree: &'a Tree,
        inp: &'a str,
        loc: &'a Locator<'a>,
        source: &'a Source,
        opts: WalkOptions,
    ) -> Self {
        Walker {
            tree,
            inp,
            loc,
            source,
            opts,
            cur: TextBuf::collapsing(),
            cur_kind: PartKind::Body,
            cur_note: None,
            parts: Vec::new(),
            in_notes_section: false,
            has_title: false,
            has_body: false,
            brs: 0,
        }
    }

    /// Walks the subtree at `id` and flushes what is left.
    pub(crate) fn walk(&mut self, id: usize) {
        self.node(
            id,
            Ctx {
                kind: PartKind::Body,
                note: false,
                hold: false,
            },
        );
        self.flush();
    }

    /// The clean text of the subtree at `id` (for titles, bylines, evidence).
    pub(crate) fn text_of(&self, id: usize) -> TextBuf {
        let mut w = Walker::new(self.tree, self.inp, self.loc, self.source, self.opts);
        w.inline(id);
        w.cur
    }

    /// The text of an element whose content is raw text (`<title>`).
    pub(crate) fn text_of_raw(&self, id: usize) -> TextBuf {
        let mut w = Walker::new(self.tree, self.inp, self.loc, self.source, self.opts);
        for &c in self.tree.children(id) {
            if let Node::Text(r) = &self.tree.nodes[c] {
                w.text(r.clone());
            }
        }
        w.cur
    }

    fn inline(&mut self, id: usize) {
        match &self.tree.nodes[id] {
            Node::Text(r) => self.text(r.clone()),
            Node::Element { name, children, .. } => {
                if SKIP.contains(&name.as_str()) {
                    return;
                }
                if name == "br" {
                    let at = self.tree.start_of(id);
                    self.cur.push_break(self.loc.char_at(at));
                }
                for &c in children {
                    self.inline(c);
                }
            }
        }
    }

    fn text(&mut self, r: Range<usize>) {
        let s = &self.inp[r.clone()];
        let mut i = 0;
        let mut newlines = 0;
        while i < s.len() {
            let c = s[i..].chars().next().unwrap_or(' ');
            let at = r.start + i;
            if c == '&' {
                if let Some((txt, n)) = decode_entity(&s[i..]) {
                    let src = self.loc.range(at..at + n);
                    self.cur.push_synthetic(&txt, src);
                    i += n;
                    newlines = 0;
                    continue;
                }
            }
            if self.opts.autop && c == '\n' {
                newlines += 1;
                if newlines == 2 {
                    self.flush();
                }
            } else if !c.is_whitespace() {
                newlines = 0;
                self.brs = 0;
            }
            let src = self.loc.char_at(at);
            self.cur.push(c, src..src + 1);
            i += c.len_utf8();
        }
    }

    fn node(&mut self, id: usize, ctx: Ctx) {
        let t = self.tree;
        let (name, children) = match &t.nodes[id] {
            Node::Text(r) => {
                if self.cur.is_empty() {
                    self.cur_kind = ctx.kind;
                }
                self.text(r.clone());
                return;
            }
            Node::Element { name, children, .. } => (name.as_str(), children),
        };
        if SKIP.contains(&name) {
            return;
        }
        let notes_box = t.has_class_word(id, NOTES_WORDS)
            || matches!(t.attr_value(id, "role"), "doc-endnotes" | "doc-footnotes")
            || (self.in_notes_section && (name == "ol" || name == "ul"));
        if !notes_box && !ctx.note && t.has_class_word(id, FURNITURE) && id != 0 {
            return;
        }
        if name == "aside" && !notes_box {
            return;
        }
        // Footnote back-links ("↩") are navigation, not note text.
        if name == "a" && ctx.note {
            let href = t.attr_value(id, "href");
            if t.has_class_word(id, &["backref", "footnote-back", "reversefootnote"])
                || t.attr_value(id, "role") == "doc-backlink"
                || href.starts_with("#fnref")
                || href.starts_with("#ref")
            {
                return;
            }
        }
        if name == "br" {
            self.brs += 1;
            if self.brs >= 2 && !ctx.hold {
                self.flush();
            } else {
                let at = self.loc.char_at(t.start_of(id));
                self.cur.push_break(at);
            }
            return;
        }
        if name == "img" {
            return;
        }
        if matches!(name, "td" | "th") && !self.cur.is_empty() {
            let at = self.cur.source_range().map(|r| r.end).unwrap_or(0);
            self.cur.push_break(at);
        }
        if ctx.hold && BLOCK.contains(&name) {
            let at = self.loc.char_at(t.start_of(id));
            self.cur.push_break(at);
        }
        if !BLOCK.contains(&name) || matches!(name, "td" | "th") || ctx.hold {
            for &c in children {
                self.node(c, ctx);
            }
            return;
        }
        self.flush();
        let mut inner = ctx;
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let text = self.text_of(id);
                let is_title = self.opts.titles
                    && !self.has_title
                    && !self.has_body
                    && (name == "h1" || self.opts.first_heading_is_title);
                let subtitle = self.has_title
                    && !self.has_body
                    && (t.is_within_name(id, "hgroup") || t.has_class_word(id, STANDFIRST_WORDS));
                let kind = if is_title {
                    self.has_title = true;
                    PartKind::Title
                } else if subtitle {
                    PartKind::Standfirst
                } else if t.has_class_word(id, KICKER_WORDS) && !self.has_body {
                    PartKind::Kicker
                } else if is_notes_heading(&text.text()) {
                    self.in_notes_section = true;
                    PartKind::NotesHeading
                } else {
                    self.in_notes_section = false;
                    PartKind::SectionHeading
                };
                if let Some(p) = text.finish(kind, self.source) {
                    self.parts.push(p);
                }
                return;
            }
            "figcaption" | "caption" => inner.kind = PartKind::Caption,
            "footer" if !ctx.note => inner.kind = PartKind::Trailer,
            "blockquote" if t.has_class_word(id, &["pullquote", "pull-quote"]) => {
                inner.kind = PartKind::PullQuote
            }
            _ => {}
        }
        if t.has_class_word(id, &["wp-caption-text", "caption"]) {
            inner.kind = PartKind::Caption;
        } else if t.has_class_word(id, KICKER_WORDS) && t.text_len(id) < 120 {
            inner.kind = PartKind::Kicker;
        } else if t.has_class_word(id, &["bio", "about-author", "authorbio"]) {
            inner.kind = PartKind::Bio;
        } else if t.has_class_word(id, &["byline", "author", "meta", "posted", "dateline"])
            && t.text_len(id) < 300
        {
            inner.kind = PartKind::Byline;
        } else if t.has_class_word(id, STANDFIRST_WORDS) && t.text_len(id) < 1200 {
            inner.kind = PartKind::Standfirst;
        }
        if notes_box {
            inner.note = true;
            inner.kind = PartKind::Notes;
        }
        let li_note = name == "li" && NOTE_ID.is_match(t.attr_value(id, "id"));
        let one_note = name == "li" || name == "p" || (inner.note && self.is_one_note(id));
        if one_note && (inner.note || li_note) {
            inner.kind = PartKind::Notes;
            let number = NOTE_ID
                .captures(t.attr_value(id, "id"))
                .and_then(|c| c[1].parse().ok())
                .or_else(|| {
                    if name == "li" {
                        list_number(t, id)
                    } else {
                        None
                    }
                });
            if number.is_some() || name == "li" {
                self.cur_note = number;
            }
            inner.hold = true;
        }
        for &c in children {
            self.node(c, inner);
        }
        if self.cur.is_empty() {
            self.cur_kind = inner.kind;
        }
        self.flush();
    }

    /// In a notes block, a `div` (or the like) is one note when its text
    /// starts with a number that no block inside it starts with: Substack's
    /// `<div class="footnote"><a>1</a><div class="footnote-content">…`, but
    /// not the `<div class="footnotes">` around several of them.
    fn is_one_note(&self, id: usize) -> bool {
        let t = self.tree;
        if !starts_with_number(&self.text_of(id).text()) {
            return false;
        }
        !t.children(id)
            .iter()
            .any(|&c| BLOCK.contains(&t.name(c)) && starts_with_number(&self.text_of(c).text()))
    }

    /// Ends the current block: makes a part of what it holds.
    pub(crate) fn flush(&mut self) {
        self.brs = 0;
        let mut buf = std::mem::replace(&mut self.cur, TextBuf::collapsing());
        buf.trim();
        if buf.is_empty() {
            return;
        }
        let note = self.cur_note.take();
        let mut kind = self.cur_kind;
        let text = buf.text();
        if SHORTCODE_ONLY.is_match(&text) {
            return; // [gallery ids="3,4"], [embed]https://...[/embed]: not text
        }
        if let Some(c) = CAPTION_SHORTCODE.captures(&text) {
            let m = c.get(1).unwrap();
            let s = text[..m.start()].chars().count();
            let e = s + m.as_str().chars().count();
            buf.keep(s..e);
            // A caption holds an image then the caption text; the image is gone.
            kind = PartKind::Caption;
        }
        if kind == PartKind::Body
            && !self.has_body
            && BYLINE_TEXT.is_match(&text)
            && text.chars().count() < 200
        {
            kind = PartKind::Byline;
        }
        // A number alone ("3") is not a note, whatever surrounds it.
        let bare_number =
            leading_note_number(&text).is_some_and(|(_, len)| len >= text.chars().count());
        if kind == PartKind::Body && self.in_notes_section {
            if leading_note_number(&text).is_some() && !bare_number {
                kind = PartKind::Notes;
            } else if LINK_REF.is_match(&text) {
                kind = PartKind::LinkReferences;
            }
        } else if kind == PartKind::Body && LINK_REF.is_match(&text) {
            kind = PartKind::LinkReferences;
        }
        if kind == PartKind::Notes {
            if bare_number {
                return;
            }
            buf = numbered_note(buf, note);
        }
        if kind == PartKind::Body {
            self.has_body = true;
        }
        if let Some(p) = buf.finish(kind, self.source) {
            self.parts.push(p);
        }
    }
}

/// True when `text` opens with a note number: `1`, `12.`, `[3]`, `4)`.
fn starts_with_number(text: &str) -> bool {
    static RE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\s*\[?\d{1,3}\]?(?:[^\d]|$)").unwrap());
    RE.is_match(text)
}

/// The number an `<ol>` shows for item `li` (its `start` plus its position).
fn list_number(t: &Tree, li: usize) -> Option<u32> {
    let ol = t.parent[li];
    if t.name(ol) != "ol" {
        return None;
    }
    let start: u32 = t.attr_value(ol, "start").parse().unwrap_or(1);
    let pos = t
        .children(ol)
        .iter()
        .filter(|&&c| t.name(c) == "li")
        .position(|&c| c == li)? as u32;
    if let Ok(v) = t.attr_value(li, "value").parse::<u32>() {
        return Some(v);
    }
    Some(start + pos)
}

/// A note's text in the one shape every reader gives notes: `N. text`.
///
/// A number written at the start of the text (`3. `, `[3] `, `<sup>3</sup>`)
/// is kept as written; otherwise the number from the markup (an id such as
/// `fn3`, the list position) is put in front, as synthetic text pointing at
/// the note's first character.
pub(crate) fn numbered_note(mut buf: TextBuf, number: Option<u32>) -> TextBuf {
    let text = buf.text();
    if let Some((n, len)) = leading_note_number(&text) {
        if !matches!(number, Some(m) if m != n)
            && text.chars().nth(len.saturating_sub(2)) == Some('.')
        {
            return buf; // "3. text" as written
        }
        if !matches!(number, Some(m) if m != n) {
            buf.keep(len..buf.len());
            return prefixed(buf, n);
        }
    }
    match number {
        Some(n) => prefixed(buf, n),
        None => buf,
    }
}

fn prefixed(buf: TextBuf, n: u32) -> TextBuf {
    if buf.is_empty() {
        return buf;
    }
    let at = buf.source_range().map(|r| r.start).unwrap_or(0);
    let mut out = TextBuf::new();
    out.push_synthetic(&format!("{n}. "), at..at + 1);
    for &(c, s, e) in &buf.chars {
        out.push(c, s..e);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::Format;

    #[test]
    fn dates_keep_the_precision_written() {
        for (input, want) in [
            ("2023-05-14", Some("2023-05-14")),
            ("2023-05-14T09:30:00+05:00", Some("2023-05-14")),
            ("2023-05-14 09:30:00", Some("2023-05-14")),
            ("Sun, 14 May 2023 09:30:00 +0000", Some("2023-05-14")),
            ("May 14, 2023", Some("2023-05-14")),
            ("3rd March 2021", Some("2021-03-03")),
            ("March 2022", Some("2022-03")),
            ("2019", Some("2019")),
            ("0000-00-00 00:00:00", None),
            ("soon", None),
        ] {
            assert_eq!(iso_date(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn bylines_give_names() {
        for (input, want) in [
            (
                "By Aida Nurlanova and Timur Sadykov | 14 May 2023",
                vec!["Aida Nurlanova", "Timur Sadykov"],
            ),
            ("Posted by J. Smith on 3 June 2021", vec!["J. Smith"]),
            ("Karimov, Li & Osei", vec!["Karimov", "Li", "Osei"]),
            (
                "Posted on 20 September 2021 by Ravshan Kholov",
                vec!["Ravshan Kholov"],
            ),
        ] {
            assert_eq!(split_authors(input), want, "{input}");
        }
    }

    #[test]
    fn entities_decode_and_unknown_ones_stay() {
        assert_eq!(decode_entity("&amp;x"), Some(("&".into(), 5)));
        assert_eq!(decode_entity("&#8217;s"), Some(("’".into(), 7)));
        assert_eq!(decode_entity("&#x2014;"), Some(("—".into(), 8)));
        assert_eq!(decode_entity("&bogus;"), None);
        assert_eq!(decode_entity("& b"), None);
        let (s, a) = unescape_with_anchors("a &lt;p&gt; b", 10);
        assert_eq!(s, "a <p> b");
        assert_eq!(a, vec![(0, 10), (2, 12), (3, 16), (4, 17), (5, 21)]);
    }

    #[test]
    fn tree_closes_implied_paragraphs_and_items() {
        let t = Tree::parse("<div><p>one<p>two<ul><li>a<li>b</ul><br><img src=x></div>");
        let div = t.children(0)[0];
        let names: Vec<&str> = t.children(div).iter().map(|&c| t.name(c)).collect();
        assert_eq!(names, vec!["p", "p", "ul", "br", "img"]);
        let ul = t.children(div)[2];
        assert_eq!(t.children(ul).len(), 2);
    }

    #[test]
    fn walker_maps_text_back_through_tags_and_entities() {
        let html = "<p>Hi <b>there</b> &amp; you</p>";
        let src = Source::new("t.html", html.to_string(), Format::Html);
        let ci = CharIndex::new(html);
        let loc = Locator::shifted(&ci, 0);
        let tree = Tree::parse(html);
        let mut w = Walker::new(&tree, html, &loc, &src, WalkOptions::default());
        w.walk(0);
        assert_eq!(w.parts.len(), 1);
        let p = &w.parts[0];
        assert_eq!(p.text, "Hi there & you");
        assert_eq!(p.map.to_source(3), 9); // 't' of "there"
        assert_eq!(p.map.to_source(9), 19); // '&' of "&amp;"
        assert_eq!(p.map.to_source(11), 25); // 'y'
        assert_eq!((p.span.start, p.span.end), (3, 28));
    }

    #[test]
    fn double_breaks_end_paragraphs() {
        let html =
            "<div>One line<br>same paragraph.<br><br>\nA second one.<br /> <br/>Third.</div>";
        let src = Source::new("t.html", html.to_string(), Format::Html);
        let ci = CharIndex::new(html);
        let loc = Locator::shifted(&ci, 0);
        let tree = Tree::parse(html);
        let mut w = Walker::new(&tree, html, &loc, &src, WalkOptions::default());
        w.walk(0);
        let texts: Vec<&str> = w.parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            vec!["One line same paragraph.", "A second one.", "Third."]
        );
    }

    #[test]
    fn notes_get_one_shape() {
        let html = "<ol class=\"footnotes\"><li id=\"fn1\">First source. <a href=\"#fnref1\">↩</a></li><li id=\"fn2\"><p>2. Second.</p></li></ol>";
        let src = Source::new("t.html", html.to_string(), Format::Html);
        let ci = CharIndex::new(html);
        let loc = Locator::shifted(&ci, 0);
        let tree = Tree::parse(html);
        let mut w = Walker::new(&tree, html, &loc, &src, WalkOptions::default());
        w.walk(0);
        let texts: Vec<(&str, PartKind)> =
            w.parts.iter().map(|p| (p.text.as_str(), p.kind)).collect();
        assert_eq!(
            texts,
            vec![
                ("1. First source.", PartKind::Notes),
                ("2. Second.", PartKind::Notes)
            ]
        );
    }
}
