use serde::{Deserialize, Serialize};

/// A place in a source file: the 1-based line where it starts and the character
/// offsets (Unicode scalar values, end exclusive) from the start of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// 1-based line number of `start`.
    pub line: u32,
    /// Offset of the first character, in characters from the start of the file.
    pub start: usize,
    /// Offset one past the last character.
    pub end: usize,
}

impl Span {
    /// A span from its parts.
    pub fn new(line: u32, start: usize, end: usize) -> Self {
        Span { line, start, end }
    }

    /// Number of characters covered.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no character.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// True when the two spans share at least one character.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// Maps character offsets in a part's clean text back to the source file.
///
/// Stored as sorted anchors `(text_offset, source_offset)`: a text offset maps to
/// the source offset of the last anchor at or before it plus the distance from
/// that anchor. Plain-text parts need a single anchor; text extracted from markup
/// gets one anchor per run of text copied verbatim from the source, which keeps
/// markup-stripped spans pointing at the words they came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffsetMap {
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// A map where text offset `0` is source offset `source_start` and every
    /// following character is the next one in the source.
    pub fn identity(source_start: usize) -> Self {
        OffsetMap {
            anchors: vec![(0, source_start)],
        }
    }

    /// Records that text offset `text` corresponds to source offset `source`.
    /// Anchors must be pushed in increasing text order.
    pub fn push(&mut self, text: usize, source: usize) {
        if let Some(last) = self.anchors.last_mut() {
            if last.0 == text {
                *last = (text, source);
                return;
            }
            debug_assert!(last.0 < text, "anchors must increase");
        }
        self.anchors.push((text, source));
    }

    /// The source offset of a text offset.
    pub fn to_source(&self, text: usize) -> usize {
        let i = self.anchors.partition_point(|a| a.0 <= text);
        match i {
            0 => self.anchors.first().map(|a| a.1).unwrap_or(text),
            _ => {
                let (t, s) = self.anchors[i - 1];
                s + (text - t)
            }
        }
    }

    /// The anchors, for storage.
    pub fn anchors(&self) -> &[(usize, usize)] {
        &self.anchors
    }

    /// A map from stored anchors.
    pub fn from_anchors(anchors: Vec<(usize, usize)>) -> Self {
        OffsetMap { anchors }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_map_shifts_by_start() {
        let m = OffsetMap::identity(100);
        assert_eq!(m.to_source(0), 100);
        assert_eq!(m.to_source(7), 107);
    }

    #[test]
    fn anchors_skip_stripped_markup() {
        // "<b>Hi</b> there" -> "Hi there": 'H' at 3, ' ' at 9.
        let mut m = OffsetMap::default();
        m.push(0, 3);
        m.push(2, 9);
        assert_eq!(m.to_source(1), 4);
        assert_eq!(m.to_source(3), 10);
    }
}
