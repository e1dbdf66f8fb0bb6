//! The embedded store: every document, part, diagnostic and stage output of an
//! archive, in one SQLite file beside it.
//!
//! Key decisions:
//! - **One transaction a run.** [`Store::begin_run`] opens a write transaction;
//!   [`Run::replace_source`] swaps one file's documents and everything derived
//!   from them; [`Run::commit`] makes the run visible at once. A run that is
//!   dropped, fails or is killed leaves the previous state as it was.
//! - **Sources own everything.** Deleting a source's row cascades to its
//!   documents, parts, diagnostics, markers, notes, mentions, timexes and event
//!   evidence, so replacing a changed file cannot leave stale rows behind.
//!   A user's decisions (merges, splits, date overrides) are keyed by ids and
//!   survive re-ingestion.
//! - **Behind a trait.** The engine only sees [`Store`] and [`Run`]; a server
//!   database can take SQLite's place without touching the stages above.
//! - **Versioned schema.** `PRAGMA user_version` counts the migrations applied
//!   (see `schema.rs`); opening a database runs the missing ones in order and
//!   refuses a database written by a newer annals.
#![deny(missing_docs)]

use annals_model::event::Event;
use annals_model::know::{Entity, Mention};
use annals_model::notes::{Marker, Note};
use annals_model::time::Timex;
use annals_model::{Diagnostic, Document, Format};
use serde::Serialize;

mod schema;
mod sqlite;

pub use schema::SCHEMA_VERSION;
pub use sqlite::SqliteStore;

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Another process holds the write lock.
    #[error("the database is busy: another process is writing to it")]
    Busy,
    /// The database was written by a newer annals.
    #[error(
        "the database has schema version {found}, newer than this annals supports ({supported})"
    )]
    TooNew {
        /// Version found in the file.
        found: u32,
        /// Newest version this build knows.
        supported: u32,
    },
    /// A stored value could not be decoded (the file was damaged or edited by hand).
    #[error("stored data cannot be decoded: {0}")]
    Corrupt(String),
    /// Writing an exported row failed.
    #[error("write failed")]
    Io(#[from] std::io::Error),
    /// The database engine reported an error.
    #[error("database error")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Corrupt(e.to_string())
    }
}

/// Short for `Result<T, StoreError>`.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The hash that decides whether a file changed since it was ingested
/// (blake3, lower-case hex): fast enough to hash every file on every run.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// What the store knows about one ingested file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRecord {
    /// The path as the user gave it (the source's name everywhere).
    pub path: String,
    /// [`content_hash`] of its bytes.
    pub hash: String,
    /// The format it was read as.
    pub format: Format,
    /// Size in bytes.
    pub size: u64,
    /// Number of lines.
    pub lines: u32,
    /// When it was stored (RFC 3339, UTC); set by the store, ignored on write.
    pub ingested_at: Option<String>,
}

/// What the stages made of one source's documents. Empty until the stages are
/// wired in; each list is stored and exported as soon as it has values.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// Inline note markers.
    pub markers: Vec<Marker>,
    /// Notes with their parsed references.
    pub notes: Vec<Note>,
    /// Entities the mentions point to (upserted: entities are archive-wide).
    pub entities: Vec<Entity>,
    /// Entity mentions.
    pub mentions: Vec<Mention>,
    /// Time expressions.
    pub timexes: Vec<Timex>,
    /// Events; only the evidence found in this source's documents is stored
    /// with this source (events are archive-wide, evidence is per document).
    pub events: Vec<Event>,
}

/// Everything one file contributes to the store.
#[derive(Debug, Clone)]
pub struct SourceData {
    /// The file.
    pub record: SourceRecord,
    /// Its documents, in source order; ids must be unique in the store
    /// (see [`Run::document_owner`]).
    pub documents: Vec<Document>,
    /// What the reader and stages noticed.
    pub diagnostics: Vec<Diagnostic>,
    /// Stage outputs.
    pub derived: Derived,
}

/// Counts recorded with a committed run (the `runs` table).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RunSummary {
    /// Files stored for the first time.
    pub added: u64,
    /// Files whose content changed and were replaced.
    pub replaced: u64,
    /// Files skipped because their hash was unchanged.
    pub unchanged: u64,
    /// Files that could not be ingested.
    pub failed: u64,
}

/// One line of a document listing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    /// Document id.
    pub id: String,
    /// Source path.
    pub source: String,
    /// Title, if found.
    pub title: Option<String>,
    /// Outlet, if found.
    pub outlet: Option<String>,
    /// Authors.
    pub authors: Vec<String>,
    /// Publication date (ISO).
    pub date: Option<String>,
    /// First and last line.
    pub lines: [u32; 2],
    /// Number of parts.
    pub parts: u64,
}

/// Totals over the whole store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StoreStats {
    /// Files.
    pub sources: u64,
    /// Documents.
    pub documents: u64,
    /// Parts by kind name, sorted by name.
    pub parts_by_kind: Vec<(String, u64)>,
    /// Diagnostics.
    pub diagnostics: u64,
}

/// A row callback for streaming reads: return an error to stop.
pub type Sink<'a, T> = &'a mut dyn FnMut(T) -> std::io::Result<()>;

/// An archive store. Reads see the last committed run; writes go through a [`Run`].
pub trait Store {
    /// Opens the write transaction of one ingest run. Fails with
    /// [`StoreError::Busy`] when another writer holds the store.
    fn begin_run(&mut self) -> Result<Box<dyn Run + '_>>;

    /// Every stored source, by path.
    fn sources(&self) -> Result<Vec<SourceRecord>>;

    /// Totals.
    fn stats(&self) -> Result<StoreStats>;

    /// Every document, by source path and position.
    fn list_documents(&self) -> Result<Vec<DocumentSummary>>;

    /// One document with its parts.
    fn get_document(&self, id: &str) -> Result<Option<Document>>;

    /// Diagnostics, of one source or of all, by source and line.
    fn diagnostics(&self, source: Option<&str>) -> Result<Vec<Diagnostic>>;

    /// Streams every document (with parts), by source path and position.
    fn for_each_document(&self, sink: Sink<'_, Document>) -> Result<()>;

    /// Streams every marker, by document and position.
    fn for_each_marker(&self, sink: Sink<'_, Marker>) -> Result<()>;

    /// Streams every note, by document and number.
    fn for_each_note(&self, sink: Sink<'_, Note>) -> Result<()>;

    /// Streams every entity with its number of mentions, by id.
    fn for_each_entity(&self, sink: Sink<'_, (Entity, u64)>) -> Result<()>;

    /// Streams every mention, by document and position.
    fn for_each_mention(&self, sink: Sink<'_, Mention>) -> Result<()>;

    /// Streams every time expression, by document and position.
    fn for_each_timex(&self, sink: Sink<'_, Timex>) -> Result<()>;

    /// Streams every event with all its stored evidence, by id.
    fn for_each_event(&self, sink: Sink<'_, Event>) -> Result<()>;
}

/// The write transaction of one ingest run. Dropping it without
/// [`Run::commit`] discards every change it made.
pub trait Run {
    /// The stored record of a source, as seen inside this run.
    fn source(&self, path: &str) -> Result<Option<SourceRecord>>;

    /// The source that owns a document id, as seen inside this run; used to
    /// keep ids unique across the archive.
    fn document_owner(&self, id: &str) -> Result<Option<String>>;

    /// Replaces everything stored for `data.record.path` (documents, parts,
    /// diagnostics, stage outputs) with `data`.
    fn replace_source(&mut self, data: SourceData) -> Result<()>;

    /// Makes the run's changes visible, recording its counts.
    fn commit(self: Box<Self>, summary: RunSummary) -> Result<()>;
}

/// The storage name of a format, back to the format.
pub fn parse_format(s: &str) -> Option<Format> {
    [
        Format::PlainText,
        Format::Markdown,
        Format::Html,
        Format::Wxr,
    ]
    .into_iter()
    .find(|f| f.as_str() == s)
}
