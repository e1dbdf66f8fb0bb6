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
mod markup;
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

/// Reads one file's bytes: decodes them, detects the format and runs its reader.
///
/// Refuses only what is not text (see [`ReadError`]); everything else gives
/// documents plus diagnostics.
pub fn read_bytes(path: &str, bytes: &[u8]) -> Result<ReadOutput, ReadError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ReadError::Empty {
            path: path.to_string(),
        });
    }
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.contains(&0) {
        return Err(ReadError::Binary {
            path: path.to_string(),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let byte = e.valid_up_to();
            let line = 1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count() as u32;
            return Err(ReadError::InvalidUtf8 {
                path: path.to_string(),
                line,
                byte,
            });
        }
    };
    let controls = text
        .chars()
        .take(8192)
        .filter(|c| c.is_control() && !c.is_whitespace())
        .count();
    if controls * 10 > text.chars().take(8192).count() {
        return Err(ReadError::Binary {
            path: path.to_string(),
        });
    }
    // A byte-order mark is not content.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let format = detect_format(path, text);
    let source = Source::new(path, text.to_string(), format);
    let (documents, diagnostics) = match format {
        Format::PlainText => plain::read(&source),
        Format::Markdown => markdown::read(&source),
        Format::Html => html::read(&source),
        Format::Wxr => wxr::read(&source),
    };
    Ok(ReadOutput {
        source,
        documents,
        diagnostics,
    })
}

/// Detects the format of a file from its content, then its extension.
pub fn detect_format(path: &str, text: &str) -> Format {
    let head: String = text.chars().take(4096).collect::<String>();
    let head_l = head.to_ascii_lowercase();
    let trimmed = head_l.trim_start();
    let xml = trimmed.starts_with("<?xml") || trimmed.starts_with("<rss");
    if xml
        && (head_l.contains("wordpress.org/export")
            || head_l.contains("<wp:")
            || head_l.contains("xmlns:wp="))
    {
        return Format::Wxr;
    }
    if trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || head_l.contains("<body")
    {
        return Format::Html;
    }
    let ext = std::path::Path::new(path)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "md" | "markdown" | "mdown" | "mkd" => Format::Markdown,
        "html" | "htm" | "xhtml" => Format::Html,
        "xml" if head_l.contains("<wp:") || head_l.contains("xmlns:wp=") => Format::Wxr,
        _ if trimmed.starts_with("---\n") || trimmed.starts_with("+++\n") => Format::Markdown,
        _ => Format::PlainText,
    }
}

/// A URL- and file-friendly id made of the first words of a title:
/// lower-case ASCII letters and digits joined by `-`, at most `max_words` words.
pub fn slug(title: &str, max_words: usize) -> String {
    let mut words = Vec::new();
    let mut cur = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            for l in c.to_lowercase() {
                if l.is_ascii_alphanumeric() {
                    cur.push(l);
                }
            }
        } else if c == '’' || c == '\'' {
            // "China’s" → "chinas"
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words.truncate(max_words);
    if words.is_empty() {
        "document".to_string()
    } else {
        words.join("-")
    }
}

/// Makes document ids unique within one source by suffixing `-2`, `-3`...
pub fn dedupe_ids(docs: &mut [Document]) {
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for d in docs.iter_mut() {
        let n = seen.entry(d.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            d.id = format!("{}-{}", d.id, n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_punctuation_and_apostrophes() {
        assert_eq!(
            slug("How China Became Jihadis’ New Target", 8),
            "how-china-became-jihadis-new-target"
        );
        assert_eq!(slug("The 9/11 Attacks: Two Decades", 3), "the-9-11");
    }

    #[test]
    fn refuses_what_is_not_text() {
        assert!(matches!(read_bytes("a", b""), Err(ReadError::Empty { .. })));
        assert!(matches!(
            read_bytes("a", b"ab\0cd"),
            Err(ReadError::Binary { .. })
        ));
        assert!(matches!(
            read_bytes("a", b"ok\n\xff"),
            Err(ReadError::InvalidUtf8 { line: 2, .. })
        ));
    }
}
