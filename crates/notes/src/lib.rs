//! The notes stage: note markers in the text, the notes they point to, and the
//! references (CSL-JSON) parsed from those notes.
//!
//! Key design decisions:
//! - **Markers are found by alignment, not by a bigger regex.** Every place a
//!   note number could hide (`visit2`, `ground.25`, `in 201665`, `[3]`, `³`) is a
//!   *candidate* with a prior score; a dynamic programme then picks the
//!   candidates that best explain the notes the document actually has, in
//!   increasing order. A document without notes has no glued-digit markers at
//!   all, and `G20` or `COVID-19` never fit the sequence.
//! - **References are parsed by rules where policy writing has conventions**
//!   (quoted titles, `<URL>`, `accessed 14 August 2022`, bracketed translations)
//!   and by a statistical sequence labeller ([`refs::model`], an averaged
//!   structured perceptron trained on AnyStyle's BSD-2 core set) for the
//!   bibliography styles rules do not cover.
//! - Extraction never fails: it returns what it found plus [`Diagnostic`]s.
#![deny(missing_docs)]

use annals_model::notes::{Marker, Note};
use annals_model::{Diagnostic, Document, Source};

pub mod audit;
mod collect;
pub mod eval;
pub mod export;
pub mod markers;
pub mod refs;
mod repeats;
pub mod sites;

pub use audit::{audit, audit_links, citation_stats, Finding, LinkChecker};
pub use export::{to_bibtex, to_csl_json, to_ris};

/// What the notes stage found in one document.
#[derive(Debug, Clone, Default)]
pub struct NotesOutput {
    /// Inline markers, in document order.
    pub markers: Vec<Marker>,
    /// Notes (numbered notes, footnotes, link references), in document order.
    pub notes: Vec<Note>,
    /// What was noticed on the way (unparsed notes, markers without notes...).
    pub diagnostics: Vec<Diagnostic>,
}

/// Finds the notes of `doc`, parses their references, resolves repeats, then
/// finds the markers that point to them.
pub fn extract(source: &Source, doc: &Document) -> NotesOutput {
    let mut diagnostics = Vec::new();
    let (mut notes, labels) = collect::collect_notes(source, doc, &mut diagnostics);
    repeats::resolve(&mut notes);
    let markers = markers::find_markers_labelled(source, doc, &notes, &labels, &mut diagnostics);
    NotesOutput {
        markers,
        notes,
        diagnostics,
    }
}
