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

mod eval;
mod export;
mod ingest;
mod progress;
mod stages;

pub use annals_store::{DocumentSummary, SourceRecord, SqliteStore, Store, StoreError, StoreStats};
pub use eval::{eval_segments, DocumentScore, FieldScore, Prf, SegmentsReport};
pub use export::{ExportFormat, ExportKind};
pub use ingest::{FailureKind, FileFailure, FileOutcome, IngestOptions, IngestReport};
pub use progress::{FileStatus, Progress, Silent, Step};
pub use stages::{Derived, NoStages, StageOutput, Stages};

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
    /// Opens (or creates) the SQLite store at `db`.
    pub fn open(db: &Path) -> Result<Engine, EngineError> {
        let store = SqliteStore::open(db)?;
        let mut engine = Engine::with_store(Box::new(store));
        engine.store_files.push(db.to_path_buf());
        Ok(engine)
    }

    /// An engine over any store (a server database, a test double).
    pub fn with_store(store: Box<dyn Store>) -> Engine {
        Engine {
            store,
            stages: Box::new(NoStages),
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
        export::export(self.store.as_ref(), kind, format, out)
    }

    /// Scores the stored segmentation against a gold `documents.json`.
    pub fn eval_segments(&self, gold: &Path) -> Result<SegmentsReport, EngineError> {
        eval::eval_segments(gold, self.store.as_ref())
    }
}
