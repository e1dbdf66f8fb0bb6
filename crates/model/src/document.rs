use crate::{OffsetMap, Span};
use serde::{Deserialize, Serialize};

/// What a piece of a document is. The names are those of the export contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    /// The blogger's own introduction before the republished piece.
    Preamble,
    /// A quotation set apart from the text (Current History style).
    PullQuote,
    /// The article's title.
    Title,
    /// A short label above or below the title, e.g. "Europe: March 2022".
    Kicker,
    /// The summary under the title.
    Standfirst,
    /// Author and date line.
    Byline,
    /// A photo caption.
    Caption,
    /// A heading inside the body.
    SectionHeading,
    /// A body paragraph.
    Body,
    /// "Notes on contributors" and the like.
    Contributors,
    /// The heading of the notes section ("Notes", "Endnotes").
    NotesHeading,
    /// One numbered note (or the notes block).
    Notes,
    /// One `[n]: url` link reference (or the block of them).
    LinkReferences,
    /// A closing line after the article ("For more, go to ...").
    Trailer,
    /// An author's biography line at the end.
    Bio,
}

impl PartKind {
    /// Every kind, in the export contract's order.
    pub const ALL: [PartKind; 15] = [
        PartKind::Preamble,
        PartKind::PullQuote,
        PartKind::Title,
        PartKind::Kicker,
        PartKind::Standfirst,
        PartKind::Byline,
        PartKind::Caption,
        PartKind::SectionHeading,
        PartKind::Body,
        PartKind::Contributors,
        PartKind::NotesHeading,
        PartKind::Notes,
        PartKind::LinkReferences,
        PartKind::Trailer,
        PartKind::Bio,
    ];

    /// The export-contract name (`body`, `notes_heading`, ...).
    pub fn as_str(&self) -> &'static str {
        match self {
            PartKind::Preamble => "preamble",
            PartKind::PullQuote => "pull_quote",
            PartKind::Title => "title",
            PartKind::Kicker => "kicker",
            PartKind::Standfirst => "standfirst",
            PartKind::Byline => "byline",
            PartKind::Caption => "caption",
            PartKind::SectionHeading => "section_heading",
            PartKind::Body => "body",
            PartKind::Contributors => "contributors",
            PartKind::NotesHeading => "notes_heading",
            PartKind::Notes => "notes",
            PartKind::LinkReferences => "link_references",
            PartKind::Trailer => "trailer",
            PartKind::Bio => "bio",
        }
    }

    /// The kind with this export-contract name.
    pub fn parse(s: &str) -> Option<PartKind> {
        PartKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// One piece of a document: a paragraph, a caption, a note, a title...
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// What the piece is.
    pub kind: PartKind,
    /// Its clean text (for plain-text sources, exactly the source's characters).
    pub text: String,
    /// Where the part sits in the source file.
    pub span: Span,
    /// First and last 1-based source lines it covers.
    pub lines: [u32; 2],
    /// Maps offsets in `text` to offsets in the source file.
    pub map: OffsetMap,
}

impl Part {
    /// The source span of characters `start..end` of this part's text.
    pub fn source_span(&self, start: usize, end: usize, line_of: impl Fn(usize) -> u32) -> Span {
        let s = self.map.to_source(start);
        let e = if end > start {
            self.map.to_source(end - 1) + 1
        } else {
            s
        };
        Span::new(line_of(s), s, e)
    }
}

/// A short text from the source, with where it is: the proof of a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The text as written.
    pub text: String,
    /// Where it is.
    pub span: Span,
}

/// One article, post or page of an archive, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// Stable id: a slug of the title, made unique within the archive.
    pub id: String,
    /// Path of the source file.
    pub source: String,
    /// The title, if one was found.
    pub title: Option<String>,
    /// The standfirst (summary), if any.
    pub standfirst: Option<String>,
    /// Where the piece was published (journal, magazine, blog), if stated.
    pub outlet: Option<String>,
    /// Where the outlet was named.
    pub outlet_evidence: Option<Evidence>,
    /// Authors named in the text or metadata.
    pub authors: Vec<String>,
    /// Where the authors were named.
    pub authors_evidence: Option<Evidence>,
    /// Publication date, ISO and as precise as known (`2022`, `2022-03`, `2022-03-14`).
    pub date: Option<String>,
    /// The text the date came from.
    pub date_evidence: Option<Evidence>,
    /// The archive category (e.g. from "Archive for the 'X' Category" or WordPress).
    pub category: Option<String>,
    /// Tags, where the format has them.
    pub tags: Vec<String>,
    /// The document's own URL, where known.
    pub url: Option<String>,
    /// First and last 1-based source lines of the whole document.
    pub lines: [u32; 2],
    /// The parts in source order.
    pub parts: Vec<Part>,
}

impl Document {
    /// The parts of one kind, in order.
    pub fn parts_of(&self, kind: PartKind) -> impl Iterator<Item = &Part> {
        self.parts.iter().filter(move |p| p.kind == kind)
    }
}
