//! Reading archives: bytes of one input file → a [`Source`] and its [`Document`]s.
//!
//! One module per input format; format detection looks at content first and the
//! extension second. Reading never fails on damaged content: each reader returns
//! the documents it could make and a list of [`Diagnostic`]s (scrape damage,
//! malformed URLs, truncated exports). Only input that is not text at all
//! (binary, invalid UTF-8, empty) is refused, with a [`ReadError`].
#![deny(missing_docs)]

use annals_model::{Diagnostic, Document, Format, Source};

mod html;
mod markdown;
mod plain;
mod wxr;

/// Why a file could not be read as text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    /// The file has no content.
    #[error("{path}: empty file")]
    Empty {
        /// The file.
        path: String,
    },
    /// The file looks binary (NUL bytes or mostly control characters).
    #[error("{path}: binary file, not text")]
    Binary {
        /// The file.
        path: String,
    },
    /// The file is not valid UTF-8.
    #[error("{path}:{line}: invalid UTF-8 at byte {byte}")]
    InvalidUtf8 {
        /// The file.
        path: String,
        /// 1-based line of the first invalid byte.
        line: u32,
        /// Byte offset of the first invalid byte.
        byte: usize,
    },
}

/// What reading one file gives.
#[derive(Debug)]
pub struct ReadOutput {
    /// The decoded file.
    pub source: Source,
    /// Its documents, in source order.
    pub documents: Vec<Document>,
    /// What the reader noticed.
    pub diagnostics: Vec<Diagnostic>,
}
