//! Lines → blocks: runs of non-blank lines, with their lines and character spans.
use annals_model::{OffsetMap, Part, PartKind, Source, Span};

/// One run of non-blank lines, as written.
#[derive(Debug, Clone, Copy)]
pub(super) struct Block<'a> {
    /// First and last 1-based line.
    pub first: u32,
    pub last: u32,
    /// Character offsets in the source (end exclusive).
    pub start: usize,
    pub end: usize,
    /// The exact text (lines joined by their newlines; no final newline or `\r`).
    pub text: &'a str,
}

/// One line of the source: number, character offset, byte range of its content.
struct Line {
    no: u32,
    start: usize,
    chars: usize,
    bytes: (usize, usize),
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let (mut ch, mut byte) = (0usize, 0usize);
    for (i, raw) in text.split('\n').enumerate() {
        let content = raw.strip_suffix('\r').unwrap_or(raw);
        let chars = content.chars().count();
        out.push(Line {
            no: i as u32 + 1,
            start: ch,
            chars,
            bytes: (byte, byte + content.len()),
        });
        ch += raw.chars().count() + 1;
        byte += raw.len() + 1;
    }
    out
}

/// Splits the source into blocks separated by blank (whitespace-only) lines.
pub(super) fn blocks(source: &Source) -> Vec<Block<'_>> {
    type Open = Option<(u32, u32, usize, usize, usize, usize)>;
    fn flush<'a>(text: &'a str, cur: &mut Open, out: &mut Vec<Block<'a>>) {
        if let Some((first, last, start, end, b0, b1)) = cur.take() {
            out.push(Block {
                first,
                last,
                start,
                end,
                text: &text[b0..b1],
            });
        }
    }
    let text = source.text.as_str();
    let mut out = Vec::new();
    let mut cur: Open = None;
    for l in lines(text) {
        let content = &text[l.bytes.0..l.bytes.1];
        if content.trim().is_empty() {
            flush(text, &mut cur, &mut out);
            continue;
        }
        match cur.as_mut() {
            Some(c) => {
                c.1 = l.no;
                c.3 = l.start + l.chars;
                c.5 = l.bytes.1;
            }
            None => cur = Some((l.no, l.no, l.start, l.start + l.chars, l.bytes.0, l.bytes.1)),
        }
    }
    flush(text, &mut cur, &mut out);
    out
}

impl<'a> Block<'a> {
    /// Splits a block of several lines at every line where an item starts
    /// (a numbered note, a link reference); other lines continue the item before.
    pub fn items(&self, starts_item: impl Fn(&str) -> bool) -> Vec<Block<'a>> {
        let mut out: Vec<Block<'a>> = Vec::new();
        let (mut byte, mut ch, mut item_b0) = (0usize, self.start, 0usize);
        for (i, line) in self.text.split('\n').enumerate() {
            let no = self.first + i as u32;
            let content = line.strip_suffix('\r').unwrap_or(line);
            let n = content.chars().count();
            let b1 = byte + content.len();
            match out.last_mut() {
                Some(last) if !starts_item(content) => {
                    last.last = no;
                    last.end = ch + n;
                    last.text = &self.text[item_b0..b1];
                }
                _ => {
                    item_b0 = byte;
                    out.push(Block {
                        first: no,
                        last: no,
                        start: ch,
                        end: ch + n,
                        text: &self.text[byte..b1],
                    });
                }
            }
            ch += line.chars().count() + 1;
            byte += line.len() + 1;
        }
        out
    }

    /// This block as a part of the given kind.
    pub fn part(&self, kind: PartKind) -> Part {
        Part {
            kind,
            text: self.text.to_string(),
            span: Span::new(self.first, self.start, self.end),
            lines: [self.first, self.last],
            map: OffsetMap::identity(self.start),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::Format;

    #[test]
    fn blocks_keep_lines_and_character_offsets() {
        let s = Source::new(
            "t",
            "Été\n\n  \nab\ncd\r\n\nz".to_string(),
            Format::PlainText,
        );
        let b = blocks(&s);
        let got: Vec<_> = b
            .iter()
            .map(|b| (b.first, b.last, b.start, b.end, b.text))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, 1, 0, 3, "Été"),
                (4, 5, 8, 13, "ab\ncd"),
                (7, 7, 16, 17, "z")
            ]
        );
    }

    #[test]
    fn items_split_at_item_starts() {
        let s = Source::new("t", "1. One\ncont\n2. Two".to_string(), Format::PlainText);
        let b = blocks(&s);
        let items = b[0].items(|l| l.starts_with(|c: char| c.is_ascii_digit()));
        let got: Vec<_> = items
            .iter()
            .map(|b| (b.first, b.last, b.start, b.end, b.text))
            .collect();
        assert_eq!(
            got,
            vec![(1, 2, 0, 11, "1. One\ncont"), (3, 3, 12, 18, "2. Two")]
        );
    }
}
