//! The hook where the extraction stages (notes, know, time, events) run.
//!
//! The engine reads a file, gives its source and documents to a [`Stages`]
//! implementation and stores whatever comes back in the same transaction as
//! the documents. Until the stage crates are wired in, [`NoStages`] returns
//! nothing and the stage tables stay empty.
use annals_model::{Diagnostic, Document, Source};
pub use annals_store::Derived;

/// What the stages made of one source.
#[derive(Debug, Clone, Default)]
pub struct StageOutput {
    /// Markers, notes, entities, mentions, timexes, events.
    pub derived: Derived,
    /// What the stages noticed (stored with the source's diagnostics).
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the extraction stages over one source's documents. Stages never fail
/// on their input: they return what they could make and diagnostics.
pub trait Stages {
    /// Extracts from `documents`, all read from `source`. Document ids are
    /// final (unique in the store) when this is called.
    fn run(&self, source: &Source, documents: &[Document]) -> StageOutput;
}

/// Runs no stage.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoStages;

impl Stages for NoStages {
    fn run(&self, _source: &Source, _documents: &[Document]) -> StageOutput {
        StageOutput::default()
    }
}
