//! The hook where the extraction stages (notes, know, time, events) run.
//!
//! The engine reads a file, gives its source and documents to a [`Stages`]
//! implementation and stores whatever comes back in the same transaction as
//! the documents. [`Pipeline`] (the default) runs the four stage crates;
//! [`NoStages`] runs none (segmentation only).
//!
//! Entities and events are archive-wide, but a stage run sees one source:
//! what it returns are that source's *claims* (see [`Derived`]); the engine's
//! archive pass (`archive.rs`) merges the claims of every stored source.
use annals_know::Recognizer;
use annals_model::{Diagnostic, Document, Source};
pub use annals_store::Derived;
use std::sync::OnceLock;

/// What the stages made of one source.
#[derive(Debug, Clone, Default)]
pub struct StageOutput {
    /// Markers, notes, entity claims, mentions, timexes, event claims.
    pub derived: Derived,
    /// What the stages noticed (stored with the source's diagnostics).
    pub diagnostics: Vec<Diagnostic>,
}

/// Runs the extraction stages over one source's documents. Stages never fail
/// on their input: they return what they could make and diagnostics.
pub trait Stages: Send + Sync {
    /// Extracts from `documents`, all read from `source`. Document ids are
    /// final (unique in the store) and user date overrides already applied
    /// to `date` when this is called.
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

/// The four stages in flow order: notes, time, know, events.
///
/// The entity recogniser (packs, gazetteer, tagger weights) is built on first
/// use and then shared by every source of every run of this engine: building
/// it is the costly part, not running it.
#[derive(Default)]
pub struct Pipeline {
    recognizer: OnceLock<Recognizer>,
}

impl Pipeline {
    /// A pipeline with the built-in knowledge packs.
    pub fn new() -> Pipeline {
        Pipeline::default()
    }

    /// A pipeline with a recogniser of one's own (extra packs, another model).
    pub fn with_recognizer(recognizer: Recognizer) -> Pipeline {
        let cell = OnceLock::new();
        let _ = cell.set(recognizer);
        Pipeline { recognizer: cell }
    }

    /// The recogniser, built on first use.
    pub fn recognizer(&self) -> &Recognizer {
        self.recognizer.get_or_init(Recognizer::builtin)
    }
}

impl Stages for Pipeline {
    fn run(&self, source: &Source, documents: &[Document]) -> StageOutput {
        let mut out = StageOutput::default();
        let d = &mut out.derived;
        // Per document: where its markers and timexes start and end in `d`.
        let mut ranges = Vec::with_capacity(documents.len());
        for doc in documents {
            let (m0, t0) = (d.markers.len(), d.timexes.len());
            let notes = annals_notes::extract(source, doc);
            d.markers.extend(notes.markers);
            d.notes.extend(notes.notes);
            out.diagnostics.extend(notes.diagnostics);
            // The document's date (a user's override already in it) anchors
            // relative expressions; without one the time stage infers one.
            d.timexes
                .extend(annals_time::extract(source, doc, doc.date.as_deref()));
            ranges.push((m0..d.markers.len(), t0..d.timexes.len()));
        }
        let pairs: Vec<(&Source, &Document)> = documents.iter().map(|d| (source, d)).collect();
        let know = self.recognizer().extract(&pairs);
        d.entities = know.entities;
        d.mentions = know.mentions;
        let mut by_doc: std::collections::HashMap<&str, Vec<annals_model::know::Mention>> =
            std::collections::HashMap::new();
        for m in &d.mentions {
            by_doc.entry(m.doc.as_str()).or_default().push(m.clone());
        }
        let mut events = Vec::new();
        for (doc, (markers, timexes)) in documents.iter().zip(ranges) {
            let mentions = by_doc
                .get(doc.id.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            events.extend(annals_events::extract(
                source,
                doc,
                mentions,
                &d.timexes[timexes],
                &d.markers[markers],
            ));
        }
        // ids made unique where a source's claims are all known, so that they
        // do not depend on the order the archive pass reads claims in
        let mut ids = crate::ids::Ids::default();
        for c in &mut events {
            ids.claim(c);
        }
        d.events = events;
        out
    }
}
