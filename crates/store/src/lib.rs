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
use annals_model::know::{Entity, EntityKind, Mention};
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

/// What the stages made of one source's documents.
///
/// Entities and events are archive-wide: what one source contributes are
/// *claims* (the entities its mentions point to, the single tellings of
/// events in its documents). They are stored with the source and merged over
/// the whole archive by the engine's archive pass ([`Run::replace_entities`],
/// [`Run::replace_events`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Derived {
    /// Inline note markers.
    pub markers: Vec<Marker>,
    /// Notes with their parsed references.
    pub notes: Vec<Note>,
    /// Entities the mentions point to, as this source's stage run made them.
    pub entities: Vec<Entity>,
    /// Entity mentions.
    pub mentions: Vec<Mention>,
    /// Time expressions.
    pub timexes: Vec<Timex>,
    /// Event claims: one telling each, evidence in one of this source's
    /// documents (claims about other documents are ignored).
    pub events: Vec<Event>,
}

/// Everything one file contributes to the store.
#[derive(Debug, Clone)]
pub struct SourceData {
    /// The file.
    pub record: SourceRecord,
    /// Its decoded text, kept so stages can be re-run after a user decision.
    pub text: String,
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
    /// Note markers.
    pub markers: u64,
    /// Notes.
    pub notes: u64,
    /// Entities.
    pub entities: u64,
    /// Entity mentions.
    pub mentions: u64,
    /// Time expressions.
    pub timexes: u64,
    /// Events.
    pub events: u64,
}

/// A row callback for streaming reads: return an error to stop.
pub type Sink<'a, T> = &'a mut dyn FnMut(T) -> std::io::Result<()>;

/// What a user decided about entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionAction {
    /// Two things are one.
    Merge,
    /// One thing is several.
    Split,
}

impl DecisionAction {
    fn as_str(self) -> &'static str {
        match self {
            DecisionAction::Merge => "merge",
            DecisionAction::Split => "split",
        }
    }
}

/// A user's decision about entities, replayed after every entity pass.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntityDecision {
    /// Merge or split.
    pub action: DecisionAction,
    /// Merge: the entity kept; split: the entity split.
    pub entity: String,
    /// Merge: the entity folded into `entity`.
    pub other: Option<String>,
    /// Split: the name (as written) whose mentions become an entity of their own.
    pub alias: Option<String>,
    /// The user's note.
    pub note: Option<String>,
    /// When (RFC 3339, UTC); set by the store.
    pub decided_at: Option<String>,
}

/// A user's decision about events, replayed after every event merge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventDecision {
    /// Merge or split.
    pub action: DecisionAction,
    /// The event named (its id when the decision was made).
    pub event: String,
    /// Merge: the other event.
    pub other: Option<String>,
    /// The claims (tellings) the decision is about: merge, all of both
    /// events' claims; split, the claims that become events of their own.
    /// Claims ids are stable across re-ingest; event ids may not be.
    pub claims: Vec<String>,
    /// The user's note.
    pub note: Option<String>,
    /// When (RFC 3339, UTC); set by the store.
    pub decided_at: Option<String>,
}

/// A user's date for a document, used instead of the one read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DateOverride {
    /// Document id.
    pub doc: String,
    /// ISO date (None: the document has no date).
    pub date: Option<String>,
    /// When (RFC 3339, UTC).
    pub decided_at: Option<String>,
}

/// The cached answer of a link check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LinkCheck {
    /// The URL asked.
    pub url: String,
    /// Whether it answered.
    pub ok: bool,
    /// Status or error, for people.
    pub detail: Option<String>,
    /// When (RFC 3339, UTC); set by the store.
    pub checked_at: Option<String>,
}

/// A stored mention as the entity pass sees it: its row, the mention with
/// the stage's (raw) entity, and the entity it is stored under now.
#[derive(Debug, Clone, PartialEq)]
pub struct MentionRef {
    /// Row id (for [`Run::set_mention_entities`]).
    pub row: i64,
    /// The mention; `entity` is the raw entity, before decisions.
    pub mention: Mention,
    /// The entity it is stored under now.
    pub current: String,
}

/// Where a claim stands in the archive's reading order: source path,
/// document number in it, claim row.
pub type ClaimOrder = (String, i64, i64);

/// The first four characters of a TIMEX3 value (`2021`, `XXXX`, `PRES`): the
/// key event claims are grouped by.
pub fn date4(value: &str) -> String {
    value.chars().take(4).collect()
}

/// A document's `(start, entity id)` of each mention and `(start, event
/// type)` of each piece of event evidence ([`Reader::tags_of`]).
pub type DocTags = (Vec<(usize, String)>, Vec<(usize, String)>);

/// Reads by key, available both on a [`Store`] (last committed state) and
/// inside a [`Run`] (its own uncommitted changes included).
pub trait Reader {
    /// One document with its parts.
    fn document(&self, id: &str) -> Result<Option<Document>>;
    /// The decoded text of a stored source.
    fn source_text(&self, path: &str) -> Result<Option<String>>;
    /// The stored record of a source.
    fn source_record(&self, path: &str) -> Result<Option<SourceRecord>>;
    /// Markers of one document, in text order.
    fn markers_of(&self, doc: &str) -> Result<Vec<Marker>>;
    /// Notes of one document, in text order.
    fn notes_of(&self, doc: &str) -> Result<Vec<Note>>;
    /// Mentions of one document, in text order.
    fn mentions_of(&self, doc: &str) -> Result<Vec<Mention>>;
    /// Time expressions of one document, in text order.
    fn timexes_of(&self, doc: &str) -> Result<Vec<Timex>>;
    /// Events with evidence in one document (with all their evidence), by id.
    fn events_of(&self, doc: &str) -> Result<Vec<Event>>;
    /// One entity with its mention count.
    fn entity(&self, id: &str) -> Result<Option<(Entity, u64)>>;
    /// Mentions of one entity, by document and position.
    fn mentions_of_entity(&self, id: &str) -> Result<Vec<Mention>>;
    /// One event with all its evidence.
    fn event(&self, id: &str) -> Result<Option<Event>>;
    /// Every stored event claim (single tellings), by document and position.
    fn event_claims(&self) -> Result<Vec<Event>>;

    /// Where a document's mentions and event evidence start, with the entity
    /// id or the event type: `(entities, event types)` as `(start, value)`.
    /// What the search index attaches to each part, read without decoding
    /// whole mentions and events.
    fn tags_of(&self, doc: &str) -> Result<DocTags> {
        let entities = self
            .mentions_of(doc)?
            .into_iter()
            .map(|m| (m.span.start, m.entity))
            .collect();
        let mut types = Vec::new();
        for e in self.events_of(doc)? {
            for ev in e.evidence.iter().filter(|ev| ev.doc == doc) {
                types.push((ev.span.start, e.kind.as_str().to_string()));
            }
        }
        Ok((entities, types))
    }

    /// The groups of stored event claims: `(type, first four characters of
    /// the date)`, the date part `None` for undated claims. The archive-wide
    /// merge loads one group at a time so that its memory follows the largest
    /// group, not the archive.
    fn event_claim_groups(&self) -> Result<Vec<(String, Option<String>)>> {
        let mut out: Vec<(String, Option<String>)> = self
            .event_claims()?
            .iter()
            .map(|c| (c.kind.as_str().to_string(), c.date.as_deref().map(date4)))
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// The claims of one group of [`Reader::event_claim_groups`], each with its
    /// place in the archive's reading order (source, document, claim), in that order.
    fn event_claims_in(
        &self,
        kind: &str,
        prefix: Option<&str>,
    ) -> Result<Vec<(ClaimOrder, Event)>> {
        Ok(self
            .event_claims()?
            .into_iter()
            .enumerate()
            .filter(|(_, c)| {
                c.kind.as_str() == kind && c.date.as_deref().map(date4) == prefix.map(String::from)
            })
            .map(|(i, c)| ((String::new(), 0, i as i64), c))
            .collect())
    }
    /// Every stored entity claim, by source.
    fn entity_claims(&self) -> Result<Vec<Entity>>;
    /// The user's entity decisions, oldest first.
    fn entity_decisions(&self) -> Result<Vec<EntityDecision>>;
    /// The user's event decisions, oldest first.
    fn event_decisions(&self) -> Result<Vec<EventDecision>>;
    /// The user's document dates.
    fn date_overrides(&self) -> Result<Vec<DateOverride>>;
    /// The cached check of a URL.
    fn link_check(&self, url: &str) -> Result<Option<LinkCheck>>;
}

/// An archive store. Reads see the last committed run; writes go through a [`Run`].
pub trait Store: Reader {
    /// Opens the write transaction of one ingest run. Fails with
    /// [`StoreError::Busy`] when another writer holds the store.
    fn begin_run(&mut self) -> Result<Box<dyn Run + '_>>;

    /// Every stored source, by path.
    fn sources(&self) -> Result<Vec<SourceRecord>>;

    /// Grows with every committed run that changed anything (an ingest that
    /// stored a file, a user decision); equal values mean equal contents.
    /// Lets readers such as the search index tell they are current without
    /// reading the archive.
    fn content_version(&self) -> Result<i64>;

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

/// The write transaction of one ingest run (or of one user decision).
/// Dropping it without [`Run::commit`] discards every change it made.
pub trait Run: Reader {
    /// The stored record of a source, as seen inside this run.
    fn source(&self, path: &str) -> Result<Option<SourceRecord>>;

    /// The source that owns a document id, as seen inside this run; used to
    /// keep ids unique across the archive.
    fn document_owner(&self, id: &str) -> Result<Option<String>>;

    /// Replaces everything stored for `data.record.path` (documents, parts,
    /// diagnostics, stage outputs) with `data`.
    fn replace_source(&mut self, data: SourceData) -> Result<()>;

    /// Every stored mention with its raw and current entity (entity pass).
    fn mention_refs(&self) -> Result<Vec<MentionRef>>;

    /// Moves mentions (by row) to other entities: `(row, entity, kind)`.
    fn set_mention_entities(&mut self, changes: &[(i64, String, EntityKind)]) -> Result<()>;

    /// Replaces the archive-wide entity table.
    fn replace_entities(&mut self, entities: &[Entity]) -> Result<()>;

    /// Replaces every merged event and its evidence.
    fn replace_events(&mut self, events: &[Event]) -> Result<()> {
        self.clear_events()?;
        self.add_events(events)
    }

    /// Deletes every merged event and its evidence (then [`Run::add_events`]
    /// writes them group by group).
    fn clear_events(&mut self) -> Result<()>;

    /// Adds merged events and their evidence (an id already stored is replaced).
    fn add_events(&mut self, events: &[Event]) -> Result<()>;

    /// Replaces a document's stored fields (not its parts), e.g. a user's date.
    fn update_document(&mut self, doc: &Document) -> Result<()>;

    /// Replaces the time expressions of one document.
    fn replace_timexes_of(&mut self, doc: &str, timexes: &[Timex]) -> Result<()>;

    /// Replaces the event claims of one document.
    fn replace_event_claims_of(&mut self, doc: &str, claims: &[Event]) -> Result<()>;

    /// Records an entity decision.
    fn add_entity_decision(&mut self, d: &EntityDecision) -> Result<()>;

    /// Records an event decision.
    fn add_event_decision(&mut self, d: &EventDecision) -> Result<()>;

    /// Records (or, with `None` date, clears) a user's date for a document.
    fn set_date_override(&mut self, doc: &str, date: Option<&str>) -> Result<()>;

    /// Removes a user's date for a document.
    fn clear_date_override(&mut self, doc: &str) -> Result<()>;

    /// Caches the answer of a link check.
    fn put_link_check(&mut self, check: &LinkCheck) -> Result<()>;

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
