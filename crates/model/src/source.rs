use serde::{Deserialize, Serialize};

/// The input formats annals reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Plain text as scraped from a blog page: no markup at all.
    PlainText,
    /// CommonMark with footnotes and optional YAML/TOML front matter.
    Markdown,
    /// An HTML page (the article is taken, the navigation left).
    Html,
    /// A WordPress WXR export.
    Wxr,
}

impl Format {
    /// The name used in storage and output.
    pub fn as_str(&self) -> &'static str {
        match self {
            Format::PlainText => "plain_text",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Wxr => "wxr",
        }
    }
}

/// One input file, decoded, with a line index for turning offsets into lines.
#[derive(Debug, Clone)]
pub struct Source {
    /// The path as given by the user (used as the source's name everywhere).
    pub path: String,
    /// The decoded text.
    pub text: String,
    /// The detected format.
    pub format: Format,
    /// Character offset at which each line starts (line 1 at index 0).
    line_starts: Vec<usize>,
}

impl Source {
    /// Indexes `text` read from `path`.
    pub fn new(path: impl Into<String>, text: String, format: Format) -> Self {
        let mut line_starts = vec![0];
        for (i, c) in text.chars().enumerate() {
            if c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Source {
            path: path.into(),
            text,
            format,
            line_starts,
        }
    }

    /// The 1-based line holding character offset `offset`.
    pub fn line_of(&self, offset: usize) -> u32 {
        self.line_starts.partition_point(|&s| s <= offset) as u32
    }

    /// Character offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        self.line_starts
            .get(line.saturating_sub(1) as usize)
            .copied()
            .unwrap_or(usize::MAX)
    }

    /// Number of lines (a final line without newline counts).
    pub fn line_count(&self) -> u32 {
        self.line_starts.len() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based_and_count_characters() {
        let s = Source::new("x", "é\nab\n\nc".into(), Format::PlainText);
        assert_eq!(s.line_of(0), 1);
        assert_eq!(s.line_of(2), 2);
        assert_eq!(s.line_of(5), 3);
        assert_eq!(s.line_of(6), 4);
        assert_eq!(s.line_start(2), 2);
        assert_eq!(s.line_count(), 4);
    }
}
