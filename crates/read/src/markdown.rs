//! Reader for the markdown format (being written).
use annals_model::{Diagnostic, Document, Source};

/// Splits the source into documents.
pub(crate) fn read(_source: &Source) -> (Vec<Document>, Vec<Diagnostic>) {
    (Vec::new(), Vec::new())
}
