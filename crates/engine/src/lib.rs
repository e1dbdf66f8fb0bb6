//! The annals API boundary: everything a front end (the `annals` command, the
//! server) asks of an archive goes through [`Engine`].
//!
//! Key decisions:
//! - **No terminal, no HTTP, no JSON in the signatures.** Progress goes to a
//!   [`Progress`] trait object, exports to any [`std::io::Write`]; results are
//!   typed structs (serialisable, so front ends can print them as JSON).
//! - **Ingest never stops for a bad file.** Each file that cannot be read is a
//!   [`FileFailure`] in the [`IngestReport`]; the run goes on and commits the
//!   rest in one store transaction (see [`ingest`](Engine::ingest)).
//! - **Stages plug in.** [`Stages`] is the one place where notes, entities,
//!   time expressions and events are made; their outputs are stored with the
//!   documents they come from.
#![deny(missing_docs)]

mod archive;
mod audit;
mod decide;
mod eval;
mod export;
mod ids;
mod ingest;
mod links;
mod progress;
mod query;
mod stages;
pub mod tools;

pub use annals_notes::{Finding, LinkChecker};
pub use annals_store::{
    DateOverride, DocumentSummary, EntityDecision, EventDecision, LinkCheck, Reader, SourceRecord,
    SqliteStore, Store, StoreError, StoreStats,
};
pub use eval::{
    eval_ner, eval_refs, eval_segments, eval_timex, DocumentScore, EntitiesReport, EventsReport,
    FieldScore, MarkersReport, NerReport, NotesReport, Prf, RefsReport, SegmentsReport,
    TimexReport,
};
pub use export::{ExportFormat, ExportKind};
pub use ingest::{FailureKind, FileFailure, FileOutcome, Found, IngestOptions, IngestReport};
pub use links::{HttpLinkChecker, LinkCheckOptions};
pub use progress::{FileStatus, Progress, Silent, Step};
pub use query::{date_bounds, EntityInfo, EntityView, EventFilter, NotesAudit};
pub use stages::{Derived, NoStages, Pipeline, StageOutput, Stages};

use annals_model::event::Event;
use annals_model::know::Mention;
use annals_model::notes::{Marker, Note};
use annals_model::time::Timex;
use annals_model::{Diagnostic, Document};
use std::path::{Path, PathBuf};

/// Why an engine call failed (a bad input file is not an error: see
/// [`IngestReport::failures`]).
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The store failed; an ingest run that fails this way changed nothing.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Writing output failed.
    #[error("write failed")]
    Io(#[from] std::io::Error),
    /// No document has this id.
    #[error("no document with id {0:?}")]
    NotFound(String),
    /// No entity, event or other value of this kind has this id.
    #[error("no {0} with id {1:?}")]
    Unknown(&'static str, String),
    /// An argument makes no sense (a bad date, a split with nothing to split).
    #[error("{0}")]
    Invalid(String),
    /// A gold file could not be read or parsed.
    #[error("gold file {path}: {message}")]
    Gold {
        /// The file.
        path: String,
        /// What is wrong with it.
        message: String,
    },
}

/// A document as `show` presents it: the document and what was noticed about
/// its lines.
#[derive(Debug, Clone)]
pub struct DocumentView {
    /// The document with its parts.
    pub document: Document,
    /// Diagnostics of its source that fall in its lines (or have no line).
    pub diagnostics: Vec<Diagnostic>,
}

/// An archive: a store plus the stages that fill it.
pub struct Engine {
    store: Box<dyn Store>,
    stages: Box<dyn Stages>,
    /// The store's own files, never ingested.
    store_files: Vec<PathBuf>,
}

impl Engine {
    /// Opens (or creates) the SQLite store at `db`, with the [`Pipeline`] stages.
    pub fn open(db: &Path) -> Result<Engine, EngineError> {
        let store = SqliteStore::open(db)?;
        let mut engine = Engine::with_store(Box::new(store));
        engine.store_files.push(db.to_path_buf());
        Ok(engine)
    }

    /// An engine over any store (a server database, a test double), with
    /// the [`Pipeline`] stages.
    pub fn with_store(store: Box<dyn Store>) -> Engine {
        Engine {
            store,
            stages: Box::new(Pipeline::new()),
            store_files: Vec::new(),
        }
    }

    /// Sets the stages run on every ingested file.
    pub fn set_stages(&mut self, stages: Box<dyn Stages>) {
        self.stages = stages;
    }

    /// The store, for queries the engine does not wrap.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Ingests files and folders (recursively; hidden entries and the store's
    /// own files skipped) in one store transaction. Unchanged files are
    /// skipped, changed ones replace their documents and everything derived
    /// from them, unreadable ones are reported and leave the store as it was.
    /// Returns `Err` only when the store fails, and then nothing was changed.
    pub fn ingest(
        &mut self,
        paths: &[PathBuf],
        opts: &IngestOptions,
        progress: &dyn Progress,
    ) -> Result<IngestReport, EngineError> {
        ingest::ingest(
            self.store.as_mut(),
            self.stages.as_ref(),
            paths,
            opts,
            &self.store_files,
            progress,
        )
    }

    /// Every document, by source and position.
    pub fn list_documents(&self) -> Result<Vec<DocumentSummary>, EngineError> {
        Ok(self.store.list_documents()?)
    }

    /// One document with the diagnostics about its lines.
    pub fn get_document(&self, id: &str) -> Result<DocumentView, EngineError> {
        let document = self
            .store
            .get_document(id)?
            .ok_or_else(|| EngineError::NotFound(id.to_string()))?;
        let [first, last] = document.lines;
        let diagnostics = self
            .store
            .diagnostics(Some(&document.source))?
            .into_iter()
            .filter(|d| d.line.is_none_or(|l| l >= first && l <= last))
            .collect();
        Ok(DocumentView {
            document,
            diagnostics,
        })
    }

    /// Totals over the store.
    pub fn stats(&self) -> Result<StoreStats, EngineError> {
        Ok(self.store.stats()?)
    }

    /// Writes every stored value of `kind` in `format`; returns the row count.
    pub fn export(
        &self,
        kind: ExportKind,
        format: ExportFormat,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, EngineError> {
        export::export(self.store.as_ref(), kind, format, None, out)
    }

    /// [`export`](Engine::export) of one document's values only (`doc`
    /// None: all). Notes go out as references in CSL-JSON, BibTeX or RIS;
    /// places and events as GeoJSON; events as TimelineJS. A kind a format
    /// cannot hold is [`EngineError::Invalid`].
    pub fn export_doc(
        &self,
        kind: ExportKind,
        format: ExportFormat,
        doc: Option<&str>,
        out: &mut dyn std::io::Write,
    ) -> Result<u64, EngineError> {
        export::export(self.store.as_ref(), kind, format, doc, out)
    }

    /// Scores the stored segmentation against a gold `documents.json`.
    pub fn eval_segments(&self, gold: &Path) -> Result<SegmentsReport, EngineError> {
        eval::eval_segments(gold, self.store.as_ref())
    }

    /// Scores the stored markers against a gold `markers.jsonl`; stored
    /// document ids are mapped to gold ids through `documents` (a gold
    /// `documents.json`; by default the one beside `gold`).
    pub fn eval_markers(
        &self,
        gold: &Path,
        documents: Option<&Path>,
    ) -> Result<MarkersReport, EngineError> {
        eval::eval_markers(self.store.as_ref(), gold, documents)
    }

    /// Scores the stored notes against a gold `notes.jsonl` (ids mapped as
    /// in [`eval_markers`](Engine::eval_markers)).
    pub fn eval_notes(
        &self,
        gold: &Path,
        documents: Option<&Path>,
    ) -> Result<NotesReport, EngineError> {
        eval::eval_notes(self.store.as_ref(), gold, documents)
    }

    /// Scores the stored entities and mentions against a gold `entities.jsonl`.
    pub fn eval_entities(&self, gold: &Path) -> Result<EntitiesReport, EngineError> {
        eval::eval_entities(self.store.as_ref(), gold)
    }

    /// Scores the stored events against a gold `events.jsonl` (ids mapped as
    /// in [`eval_markers`](Engine::eval_markers)).
    pub fn eval_events(
        &self,
        gold: &Path,
        documents: Option<&Path>,
    ) -> Result<EventsReport, EngineError> {
        eval::eval_events(self.store.as_ref(), gold, documents)
    }

    fn check_document(&self, id: &str) -> Result<(), EngineError> {
        match self.store.document(id)? {
            Some(_) => Ok(()),
            None => Err(EngineError::NotFound(id.to_string())),
        }
    }

    /// The note markers of a document, in text order.
    pub fn markers(&self, doc: &str) -> Result<Vec<Marker>, EngineError> {
        self.check_document(doc)?;
        Ok(self.store.markers_of(doc)?)
    }

    /// The notes of a document (with their parsed references), in text order.
    pub fn notes(&self, doc: &str) -> Result<Vec<Note>, EngineError> {
        self.check_document(doc)?;
        Ok(self.store.notes_of(doc)?)
    }

    /// The entity mentions of a document, in text order.
    pub fn mentions(&self, doc: &str) -> Result<Vec<Mention>, EngineError> {
        self.check_document(doc)?;
        Ok(self.store.mentions_of(doc)?)
    }

    /// The time expressions of a document, in text order.
    pub fn timexes(&self, doc: &str) -> Result<Vec<Timex>, EngineError> {
        self.check_document(doc)?;
        Ok(self.store.timexes_of(doc)?)
    }

    /// The events a document tells of (each with all its evidence, also
    /// from other documents), by id.
    pub fn document_events(&self, doc: &str) -> Result<Vec<Event>, EngineError> {
        self.check_document(doc)?;
        Ok(self.store.events_of(doc)?)
    }

    /// Every entity with its mention count (places with `lat`/`lon`), most
    /// mentioned first.
    pub fn entities(&self) -> Result<Vec<EntityInfo>, EngineError> {
        query::entities(self.store.as_ref())
    }

    /// One entity, by id or by a name it goes by, with its mentions.
    pub fn entity(&self, key: &str) -> Result<EntityView, EngineError> {
        query::entity_view(self.store.as_ref(), key)
    }

    /// Events matching `filter`, by date (undated last).
    pub fn events(&self, filter: &EventFilter) -> Result<Vec<Event>, EngineError> {
        query::events(self.store.as_ref(), filter)
    }

    /// One event with all its evidence.
    pub fn event(&self, id: &str) -> Result<Event, EngineError> {
        self.store
            .event(id)?
            .ok_or_else(|| EngineError::Unknown("event", id.to_string()))
    }

    /// Diagnostics of one source (a stored path) or of every source.
    pub fn diagnostics(&self, source: Option<&str>) -> Result<Vec<Diagnostic>, EngineError> {
        Ok(self.store.diagnostics(source)?)
    }

    /// The notes audit (markers without notes, uncited notes, web sources
    /// without access date...) plus citation statistics, of one document or
    /// of the archive.
    pub fn notes_audit(&self, doc: Option<&str>) -> Result<NotesAudit, EngineError> {
        audit::notes_audit(self.store.as_ref(), doc, None)
    }

    /// [`notes_audit`](Engine::notes_audit) that also asks `checker` whether
    /// each distinct URL still answers (concurrently; answers are cached in
    /// the store and reused unless `opts.recheck`).
    pub fn notes_audit_with_links(
        &mut self,
        doc: Option<&str>,
        checker: &(dyn LinkChecker + Sync),
        opts: &LinkCheckOptions,
    ) -> Result<NotesAudit, EngineError> {
        audit::notes_audit_with_links(self.store.as_mut(), doc, checker, opts)
    }

    /// Records that `absorb` is the same entity as `keep` and applies it;
    /// every later ingest replays it.
    pub fn merge_entities(&mut self, keep: &str, absorb: &str) -> Result<(), EngineError> {
        decide::merge_entities(self.store.as_mut(), keep, absorb)
    }

    /// Records that the mentions of `id` written as one of `aliases` (all
    /// but its name when empty) name other entities, and applies it.
    /// Returns the names split off.
    pub fn split_entity(
        &mut self,
        id: &str,
        aliases: &[String],
    ) -> Result<Vec<String>, EngineError> {
        decide::split_entity(self.store.as_mut(), id, aliases)
    }

    /// Records that events `a` and `b` are one, and applies it.
    pub fn merge_events(&mut self, a: &str, b: &str) -> Result<(), EngineError> {
        decide::merge_events(self.store.as_mut(), a, b)
    }

    /// Records that the named claims of event `id` (all but its first when
    /// empty) are events of their own, and applies it. Returns the claims.
    pub fn split_event(&mut self, id: &str, claims: &[String]) -> Result<Vec<String>, EngineError> {
        decide::split_event(self.store.as_mut(), id, claims)
    }

    /// Sets a document's date (ISO; `None`: it has none), kept across
    /// re-ingest; its time expressions and events are read again against it.
    pub fn set_document_date(&mut self, doc: &str, date: Option<&str>) -> Result<(), EngineError> {
        decide::set_document_date(self.store.as_mut(), doc, date)
    }

    /// The user's entity decisions, oldest first.
    pub fn entity_decisions(&self) -> Result<Vec<EntityDecision>, EngineError> {
        Ok(self.store.entity_decisions()?)
    }

    /// The user's event decisions, oldest first.
    pub fn event_decisions(&self) -> Result<Vec<EventDecision>, EngineError> {
        Ok(self.store.event_decisions()?)
    }

    /// The user's document dates.
    pub fn date_overrides(&self) -> Result<Vec<DateOverride>, EngineError> {
        Ok(self.store.date_overrides()?)
    }
}
