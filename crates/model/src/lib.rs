//! The values that flow through annals, from reading to serving.
//!
//! Every stage (read → segment → notes/know/time → events → store → serve) hands
//! these types to the next one; no stage passes strings it made up on the way.
//! The key decision: **every value that came from text carries a [`Span`]** into
//! the source file it came from (1-based line, character offsets counted in
//! Unicode scalar values from the start of the file), so that anything annals
//! shows can be traced back to the sentence that states it.
//!
//! Parts of documents read from markup (HTML, Markdown, WordPress exports) hold
//! clean text that is not a verbatim slice of the source; their [`OffsetMap`]
//! maps positions in that clean text back to the source file.
#![deny(missing_docs)]

mod diag;
mod document;
pub mod event;
pub mod know;
pub mod notes;
mod source;
mod span;
pub mod text;
pub mod time;

pub use diag::{Diagnostic, Severity};
pub use document::{Document, Evidence, Part, PartKind};
pub use source::{Format, Source};
pub use span::{OffsetMap, Span};
