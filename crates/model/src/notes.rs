//! Note markers, notes and the references parsed from them (owned by the notes stage).
use crate::Span;
use serde::{Deserialize, Serialize};

/// An inline note marker in a document's text, e.g. the `25` of `on the ground.25`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marker {
    /// Document id.
    pub doc: String,
    /// Where the marker's characters are (only the marker, not the word before).
    pub span: Span,
    /// The marker as written: `25`, `[3]`, `[^3]`, `³`.
    pub marker: String,
    /// The note number it points to, if a note with that number exists.
    pub note: Option<u32>,
}

/// How a note was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoteKind {
    /// `12. Author, 'Title', ...` in a Notes section.
    Numbered,
    /// `[3]: https://...`
    LinkReference,
    /// A Markdown `[^3]:` footnote or an HTML footnote/endnote list item.
    Footnote,
}

/// A person or organisation as CSL-JSON names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslName {
    /// Family name (persons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// Given names (persons).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub given: Option<String>,
    /// The whole name, for organisations and names that do not split.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub literal: Option<String>,
}

/// A CSL-JSON date. Serialised as `{"date-parts": [[y, m, d]]}` (plus `raw` where
/// the text gave something that does not fit date parts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslDate {
    /// Year, month, day, as far as known.
    #[serde(rename = "date-parts")]
    pub date_parts: Vec<Vec<i32>>,
    /// The date as written, when kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<String>,
}

impl CslDate {
    /// The ISO form (`2022`, `2022-08`, `2022-08-14`) of the first date.
    pub fn iso(&self) -> Option<String> {
        let p = self.date_parts.first()?;
        match p.as_slice() {
            [y] => Some(format!("{y:04}")),
            [y, m] => Some(format!("{y:04}-{m:02}")),
            [y, m, d, ..] => Some(format!("{y:04}-{m:02}-{d:02}")),
            [] => None,
        }
    }

    /// A date from an ISO string (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`).
    pub fn from_iso(iso: &str) -> Option<CslDate> {
        let parts: Option<Vec<i32>> = iso.split('-').map(|p| p.parse().ok()).collect();
        let parts = parts?;
        if parts.is_empty() || parts.len() > 3 {
            return None;
        }
        Some(CslDate {
            date_parts: vec![parts],
            raw: None,
        })
    }
}

/// A CSL-JSON item: the form Zotero and citation processors read. Field names
/// follow the CSL-JSON schema.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CslItem {
    /// CSL id (unique within an export).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// CSL type: `article-newspaper`, `webpage`, `report`, `book`, `article-journal`, `speech`...
    #[serde(rename = "type")]
    pub kind: String,
    /// Authors (persons or organisations).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub author: Vec<CslName>,
    /// Editors.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub editor: Vec<CslName>,
    /// Title as written (original language).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A translation of the title given in brackets.
    #[serde(rename = "original-title", skip_serializing_if = "Option::is_none")]
    pub original_title: Option<String>,
    /// Journal, outlet, website, series.
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    pub container_title: Option<String>,
    /// Collection or series title (e.g. a paper series).
    #[serde(rename = "collection-title", skip_serializing_if = "Option::is_none")]
    pub collection_title: Option<String>,
    /// Publication date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued: Option<CslDate>,
    /// Access date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accessed: Option<CslDate>,
    /// The URL.
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// DOI.
    #[serde(rename = "DOI", skip_serializing_if = "Option::is_none")]
    pub doi: Option<String>,
    /// Volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// Issue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<String>,
    /// Pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// Publisher.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Place of publication.
    #[serde(rename = "publisher-place", skip_serializing_if = "Option::is_none")]
    pub publisher_place: Option<String>,
    /// Report or paper number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Edition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Genre (e.g. "speech", "press release").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// The event at which a speech was given.
    #[serde(rename = "event-title", skip_serializing_if = "Option::is_none")]
    pub event_title: Option<String>,
    /// Free notes (e.g. the translation remark).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One note of a document with the references parsed from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Note {
    /// Document id.
    pub doc: String,
    /// The note's number (`12` for `12.`, `3` for `[3]:`).
    pub number: u32,
    /// Numbered note, link reference or footnote.
    pub kind: NoteKind,
    /// Where the note is.
    pub span: Span,
    /// The note as written.
    pub raw: String,
    /// The references it cites, first one first (empty for pure commentary).
    pub references: Vec<CslItem>,
    /// Explanatory prose around the references, if any.
    pub comment: Option<String>,
    /// The earlier note it repeats or points to (`ibid.`, short forms, "as in note 41").
    pub refers_to: Option<u32>,
}
