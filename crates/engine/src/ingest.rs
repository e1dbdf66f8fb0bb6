//! Ingest: walk → read → stages → one store transaction.
//!
//! A bad file is counted and reported, never a reason to stop the run: the
//! other files still go in, and whatever the store held for the bad file stays
//! as it was. Only a store failure aborts the run, and then the transaction is
//! dropped so the store keeps its previous state.
use crate::progress::{FileStatus, Progress, Step};
use crate::stages::Stages;
use crate::EngineError;
use annals_model::{Diagnostic, Document, Severity};
use annals_read::ReadError;
use annals_store::{content_hash, Run, RunSummary, SourceData, SourceRecord, Store};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Limits and exclusions of an ingest run.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Files larger than this are refused (they are not archives of prose).
    pub max_file_bytes: u64,
    /// A file with a line longer than this is refused: no prose paragraph is
    /// that long, and such a line is a minified dump or a binary in disguise
    /// that would only slow every stage down.
    pub max_line_bytes: usize,
    /// Files never to ingest (the store's own files are always excluded).
    pub exclude: Vec<PathBuf>,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            max_file_bytes: 256 * 1024 * 1024,
            max_line_bytes: 1024 * 1024,
            exclude: Vec::new(),
        }
    }
}

/// Why one file could not be ingested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The path does not exist (or is a dangling link).
    NotFound,
    /// The file exists but cannot be read (permissions, a directory, I/O).
    Unreadable,
    /// Larger than [`IngestOptions::max_file_bytes`].
    TooLarge,
    /// A line longer than [`IngestOptions::max_line_bytes`].
    LineTooLong,
    /// No content.
    Empty,
    /// Not text.
    Binary,
    /// Not UTF-8.
    InvalidUtf8,
}

/// One file that could not be ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFailure {
    /// The file.
    pub path: String,
    /// 1-based line of the problem, where known.
    pub line: Option<u32>,
    /// What went wrong, as a category.
    pub kind: FailureKind,
    /// A sentence for people.
    pub message: String,
}

impl std::fmt::Display for FileFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path, l, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// One input file and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileOutcome {
    /// The file.
    pub path: String,
    /// Added, replaced, unchanged or failed.
    pub status: FileStatus,
    /// Size in bytes (0 when unknown).
    pub bytes: u64,
    /// Documents stored from it in this run.
    pub documents: u64,
}

/// What an ingest run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestReport {
    /// Every file looked at, in walk order.
    pub files: Vec<FileOutcome>,
    /// Files stored for the first time.
    pub added: u64,
    /// Changed files whose documents were replaced.
    pub replaced: u64,
    /// Files skipped because their content was unchanged.
    pub unchanged: u64,
    /// Files that could not be ingested.
    pub failed: u64,
    /// Bytes of the files read in this run (unchanged files excluded).
    pub bytes: u64,
    /// Documents stored in this run.
    pub documents: u64,
    /// Parts stored in this run, by kind name.
    pub parts_by_kind: BTreeMap<String, u64>,
    /// Diagnostics of the files stored in this run.
    pub diagnostics: Vec<Diagnostic>,
    /// The files that failed, with why.
    pub failures: Vec<FileFailure>,
    /// What the stages found in the files stored in this run, and the
    /// archive's entities and events after it.
    pub found: Found,
}

/// What the stages found (see [`IngestReport::found`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Found {
    /// Note markers in this run's files.
    pub markers: u64,
    /// Notes in this run's files.
    pub notes: u64,
    /// Entity mentions in this run's files.
    pub mentions: u64,
    /// Time expressions in this run's files.
    pub timexes: u64,
    /// Event claims (tellings) in this run's files.
    pub claims: u64,
    /// Entities in the archive after the run.
    pub entities: u64,
    /// Events (claims merged) in the archive after the run.
    pub events: u64,
}

impl IngestReport {
    /// True when an input failed or a reader reported an error: the run did
    /// not take in everything it was given.
    pub fn has_errors(&self) -> bool {
        self.failed > 0
            || self
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error)
    }

    fn count(&mut self, outcome: FileOutcome) {
        match outcome.status {
            FileStatus::Added => self.added += 1,
            FileStatus::Replaced => self.replaced += 1,
            FileStatus::Unchanged => self.unchanged += 1,
            FileStatus::Failed => self.failed += 1,
        }
        self.files.push(outcome);
    }
}

/// A candidate input found by the walk.
struct Candidate {
    path: PathBuf,
    name: String,
    bytes: u64,
}

/// The name a path is stored under: as given, without a leading `./`.
fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy();
    let mut s: &str = &s;
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.to_string()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str()
        .is_some_and(|n| n.starts_with('.') && n != "." && n != "..")
}

/// Canonical forms of the excluded paths (and their SQLite companions).
fn exclusion_set(exclude: &[PathBuf]) -> HashSet<PathBuf> {
    let mut out = HashSet::new();
    for p in exclude {
        let abs = p.canonicalize().unwrap_or_else(|_| p.clone());
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut s = abs.clone().into_os_string();
            s.push(suffix);
            out.insert(PathBuf::from(s));
        }
    }
    out
}

fn excluded(path: &Path, set: &HashSet<PathBuf>) -> bool {
    if set.is_empty() {
        return false;
    }
    let abs = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    set.contains(&abs)
}

/// Expands the given paths into files: folders recursively (hidden entries and
/// excluded files skipped, names sorted so runs are reproducible).
fn walk(
    paths: &[PathBuf],
    exclude: &HashSet<PathBuf>,
    failures: &mut Vec<FileFailure>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    for root in paths {
        if !root.is_dir() {
            if excluded(root, exclude) {
                continue;
            }
            let bytes = std::fs::metadata(root).map(|m| m.len()).unwrap_or(0);
            out.push(Candidate {
                path: root.clone(),
                name: display_name(root),
                bytes,
            });
            continue;
        }
        let walker = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_dir() => {}
                Ok(e) => {
                    if excluded(e.path(), exclude) {
                        continue;
                    }
                    let bytes = e.metadata().map(|m| m.len()).unwrap_or(0);
                    out.push(Candidate {
                        path: e.path().to_path_buf(),
                        name: display_name(e.path()),
                        bytes,
                    });
                }
                Err(err) => {
                    // A dangling link or an unreadable folder: report it, walk on.
                    let path = err
                        .path()
                        .map(display_name)
                        .unwrap_or_else(|| display_name(root));
                    let kind = match err.io_error().map(|e| e.kind()) {
                        Some(std::io::ErrorKind::NotFound) => FailureKind::NotFound,
                        _ => FailureKind::Unreadable,
                    };
                    failures.push(FileFailure {
                        path,
                        line: None,
                        kind,
                        message: err.to_string(),
                    });
                }
            }
        }
    }
    out
}

/// The first line longer than `max` bytes: (1-based line, its length).
fn overlong_line(bytes: &[u8], max: usize) -> Option<(u32, usize)> {
    let mut start = 0;
    let ends = memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len()));
    for (line, nl) in (1u32..).zip(ends) {
        if nl - start > max {
            return Some((line, nl - start));
        }
        start = nl + 1;
    }
    None
}

fn read_failure(e: ReadError) -> FileFailure {
    let (path, line, kind, message) = match e {
        ReadError::Empty { path } => (path, None, FailureKind::Empty, "empty file".to_string()),
        ReadError::Binary { path } => (
            path,
            None,
            FailureKind::Binary,
            "binary file, not text".to_string(),
        ),
        ReadError::InvalidUtf8 { path, line, byte } => (
            path,
            Some(line),
            FailureKind::InvalidUtf8,
            format!("invalid UTF-8 at byte {byte}"),
        ),
    };
    FileFailure {
        path,
        line,
        kind,
        message,
    }
}

fn io_failure(name: &str, e: &std::io::Error) -> FileFailure {
    let kind = match e.kind() {
        std::io::ErrorKind::NotFound => FailureKind::NotFound,
        _ => FailureKind::Unreadable,
    };
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::IsADirectory => "is a directory, not a file".to_string(),
        _ => format!("cannot read: {e}"),
    };
    FileFailure {
        path: name.to_string(),
        line: None,
        kind,
        message,
    }
}

/// Makes every document id unique in the store: an id owned by another
/// source (or already used in this file) gets `-2`, `-3`...
fn unique_ids(run: &dyn Run, source: &str, docs: &mut [Document]) -> Result<(), EngineError> {
    let mut used = HashSet::new();
    for d in docs.iter_mut() {
        let base = d.id.clone();
        let mut n = 1;
        loop {
            let free = !used.contains(&d.id)
                && match run.document_owner(&d.id)? {
                    None => true,
                    Some(owner) => owner == source,
                };
            if free {
                break;
            }
            n += 1;
            d.id = format!("{base}-{n}");
        }
        used.insert(d.id.clone());
    }
    Ok(())
}

/// Puts a user's date on a document read from its file. The text the read
/// date came from no longer supports the date, so its evidence goes too.
pub(crate) fn apply_date_override(d: &mut Document, date: Option<String>) {
    if d.date != date {
        d.date = date;
        d.date_evidence = None;
    }
}

/// What became of one file inside the run.
enum Ingested {
    Stored { status: FileStatus, documents: u64 },
    Unchanged,
    Failed(FileFailure),
}

struct Ingester<'a> {
    opts: &'a IngestOptions,
    /// The user's document dates, by document id.
    overrides: HashMap<String, Option<String>>,
    stages: &'a dyn Stages,
    progress: &'a dyn Progress,
}

impl Ingester<'_> {
    fn file(
        &self,
        run: &mut dyn Run,
        c: &Candidate,
        report: &mut IngestReport,
    ) -> Result<Ingested, EngineError> {
        let name = c.name.as_str();
        self.progress.step(name, Step::Reading);
        match std::fs::metadata(&c.path) {
            Err(e) => return Ok(Ingested::Failed(io_failure(name, &e))),
            Ok(m) if m.is_dir() => {
                let e = std::io::Error::from(std::io::ErrorKind::IsADirectory);
                return Ok(Ingested::Failed(io_failure(name, &e)));
            }
            Ok(m) if m.len() > self.opts.max_file_bytes => {
                return Ok(Ingested::Failed(FileFailure {
                    path: name.to_string(),
                    line: None,
                    kind: FailureKind::TooLarge,
                    message: format!(
                        "{} bytes, more than the limit of {}",
                        m.len(),
                        self.opts.max_file_bytes
                    ),
                }))
            }
            Ok(_) => {}
        }
        let bytes = match std::fs::read(&c.path) {
            Ok(b) => b,
            Err(e) => return Ok(Ingested::Failed(io_failure(name, &e))),
        };
        let hash = content_hash(&bytes);
        let previous = run.source(name)?;
        if previous.as_ref().is_some_and(|p| p.hash == hash) {
            return Ok(Ingested::Unchanged);
        }
        if let Some((line, len)) = overlong_line(&bytes, self.opts.max_line_bytes) {
            return Ok(Ingested::Failed(FileFailure {
                path: name.to_string(),
                line: Some(line),
                kind: FailureKind::LineTooLong,
                message: format!(
                    "line of {len} bytes, more than the limit of {}",
                    self.opts.max_line_bytes
                ),
            }));
        }
        let size = bytes.len() as u64;
        let read = match annals_read::read_bytes(name, &bytes) {
            Ok(r) => r,
            Err(e) => return Ok(Ingested::Failed(read_failure(e))),
        };
        drop(bytes);
        report.bytes += size;
        let annals_read::ReadOutput {
            source,
            mut documents,
            mut diagnostics,
        } = read;
        unique_ids(run, name, &mut documents)?;
        for d in &mut documents {
            if let Some(date) = self.overrides.get(&d.id) {
                apply_date_override(d, date.clone());
            }
        }
        if documents.is_empty() {
            diagnostics.push(Diagnostic::warning(
                name,
                None,
                "no-documents",
                "no document was found in this file",
            ));
        }

        self.progress.step(name, Step::Stages);
        let staged = self.stages.run(&source, &documents);
        diagnostics.extend(staged.diagnostics);

        let d = &staged.derived;
        report.found.markers += d.markers.len() as u64;
        report.found.notes += d.notes.len() as u64;
        report.found.mentions += d.mentions.len() as u64;
        report.found.timexes += d.timexes.len() as u64;
        report.found.claims += d.events.len() as u64;
        self.progress.step(name, Step::Writing);
        report.documents += documents.len() as u64;
        for d in &documents {
            for p in &d.parts {
                *report
                    .parts_by_kind
                    .entry(p.kind.as_str().to_string())
                    .or_default() += 1;
            }
        }
        report.diagnostics.extend(diagnostics.iter().cloned());
        let record = SourceRecord {
            path: name.to_string(),
            hash,
            format: source.format,
            size,
            lines: source.line_count(),
            ingested_at: None,
        };
        let n = documents.len() as u64;
        run.replace_source(SourceData {
            record,
            text: source.text,
            documents,
            diagnostics,
            derived: staged.derived,
        })?;
        let status = if previous.is_some() {
            FileStatus::Replaced
        } else {
            FileStatus::Added
        };
        Ok(Ingested::Stored {
            status,
            documents: n,
        })
    }
}

/// Ingests `paths` into `store` in one transaction (see the module docs).
pub(crate) fn ingest(
    store: &mut dyn Store,
    stages: &dyn Stages,
    paths: &[PathBuf],
    opts: &IngestOptions,
    store_files: &[PathBuf],
    progress: &dyn Progress,
) -> Result<IngestReport, EngineError> {
    let mut report = IngestReport::default();
    let mut exclude: Vec<PathBuf> = opts.exclude.clone();
    exclude.extend(store_files.iter().cloned());
    let exclude = exclusion_set(&exclude);

    let mut walk_failures = Vec::new();
    let candidates = walk(paths, &exclude, &mut walk_failures);
    for f in walk_failures {
        report.count(FileOutcome {
            path: f.path.clone(),
            status: FileStatus::Failed,
            bytes: 0,
            documents: 0,
        });
        report.failures.push(f);
    }
    progress.start(
        candidates.len() as u64,
        candidates.iter().map(|c| c.bytes).sum(),
    );

    let result = (|| -> Result<(), EngineError> {
        let mut run = store.begin_run()?;
        let overrides = run
            .date_overrides()?
            .into_iter()
            .map(|o| (o.doc, o.date))
            .collect();
        let ingester = Ingester {
            opts,
            overrides,
            stages,
            progress,
        };
        for c in &candidates {
            let (status, documents) = match ingester.file(run.as_mut(), c, &mut report)? {
                Ingested::Stored { status, documents } => (status, documents),
                Ingested::Unchanged => (FileStatus::Unchanged, 0),
                Ingested::Failed(f) => {
                    report.failures.push(f);
                    (FileStatus::Failed, 0)
                }
            };
            progress.file_done(&c.name, c.bytes, status);
            report.count(FileOutcome {
                path: c.name.clone(),
                status,
                bytes: c.bytes,
                documents,
            });
        }
        if report.added + report.replaced > 0 {
            // Entities and events are archive-wide: fold in what changed.
            progress.step("", Step::Merging);
            crate::archive::refresh_entities(run.as_mut())?;
            crate::archive::refresh_events(run.as_mut())?;
        }
        progress.step("", Step::Committing);
        let summary = RunSummary {
            added: report.added,
            replaced: report.replaced,
            unchanged: report.unchanged,
            failed: report.failed,
        };
        run.commit(summary)?;
        Ok(())
    })();
    progress.finish();
    result?;
    let stats = store.stats()?;
    report.found.entities = stats.entities;
    report.found.events = stats.events;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlong_lines_are_found_with_their_number() {
        assert_eq!(overlong_line(b"ab\ncdef\ngh", 3), Some((2, 4)));
        assert_eq!(overlong_line(b"ab\ncde\n", 3), None);
        assert_eq!(overlong_line(b"abcd", 3), Some((1, 4)));
    }

    #[test]
    fn names_lose_a_leading_dot_slash() {
        assert_eq!(display_name(Path::new("./a/b.txt")), "a/b.txt");
        assert_eq!(display_name(Path::new("a/./b.txt")), "a/./b.txt");
    }
}
