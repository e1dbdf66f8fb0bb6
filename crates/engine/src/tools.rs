//! Stage tools that need no store: they read text and write JSON lines, for
//! scripts and for checking one stage on its own (`annals refs parse`,
//! `annals entities tag`, `annals time tag`).
use crate::EngineError;
use std::io::{BufRead, Write};

/// Parses one reference a line into one CSL-JSON item a line (blank lines
/// give `{}` so output lines stay aligned with input lines). Returns the
/// number of references parsed.
pub fn parse_references(input: impl BufRead, mut out: impl Write) -> Result<u64, EngineError> {
    let mut n = 0;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            out.write_all(b"{}\n")?;
            continue;
        }
        let item = annals_notes::refs::parse(line.trim());
        serde_json::to_writer(&mut out, &item).map_err(std::io::Error::other)?;
        out.write_all(b"\n")?;
        n += 1;
    }
    out.flush()?;
    Ok(n)
}

/// Tags `{"id","text"}` lines with entity mentions: `{"id","mentions":[...]}`
/// (offsets in characters of `text`). Returns how many input lines were not
/// such objects and were skipped.
pub fn tag_entities(input: impl BufRead, out: impl Write) -> Result<usize, EngineError> {
    let rec = annals_know::Recognizer::builtin();
    Ok(rec.tag_jsonl(input, out)?)
}

/// Tags `{"id","dct","text"}` lines with time expressions:
/// `{"id","timexes":[...]}`. Returns the number of documents.
pub fn tag_time(input: impl BufRead, out: impl Write) -> Result<usize, EngineError> {
    annals_time::tag_jsonl(input, out).map_err(|e| match e {
        annals_time::TimeError::Io(io) => EngineError::Io(io),
        other => EngineError::Invalid(other.to_string()),
    })
}
