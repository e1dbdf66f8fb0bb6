//! Progress reporting for long runs, without tying the engine to a terminal.

/// The steps a file goes through during an ingest run, in order. The names let
/// a front end say what the engine is doing without knowing how it does it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    /// Looking for files under the given paths.
    Walking,
    /// Reading and segmenting one file.
    Reading,
    /// Running the extraction stages over its documents.
    Stages,
    /// Writing its documents into the run's transaction.
    Writing,
    /// Merging entities and events over the whole archive.
    Merging,
    /// Committing the run.
    Committing,
}

/// What happened to one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStatus {
    /// Stored for the first time.
    Added,
    /// Its content changed: its documents were replaced.
    Replaced,
    /// Same content as stored: skipped.
    Unchanged,
    /// Could not be ingested (see the run's failures); what was stored stays.
    Failed,
}

impl FileStatus {
    /// A lower-case name for output.
    pub fn as_str(&self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Replaced => "replaced",
            FileStatus::Unchanged => "unchanged",
            FileStatus::Failed => "failed",
        }
    }
}

/// Receives progress from [`crate::Engine::ingest`]. Every method has a no-op
/// default; methods take `&self` so a reporter can be shared (use interior
/// mutability for state).
pub trait Progress {
    /// The walk is done: `files` files of `bytes` bytes in all will be looked at.
    fn start(&self, _files: u64, _bytes: u64) {}
    /// A file entered a step.
    fn step(&self, _path: &str, _step: Step) {}
    /// A file is done.
    fn file_done(&self, _path: &str, _bytes: u64, _status: FileStatus) {}
    /// The run is over (committed or not).
    fn finish(&self) {}
}

/// A [`Progress`] that reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}
