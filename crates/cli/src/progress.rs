//! The ingest progress bar: on a terminal only, never in pipes or with --quiet.
use annals_engine::{FileStatus, Progress, Step};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A byte-counting bar on stderr.
pub(crate) struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// A bar, or None when progress should not be shown.
    pub(crate) fn new(quiet: bool) -> Option<Bar> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {binary_bytes_per_sec} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(Bar { bar })
    }
}

impl Progress for Bar {
    fn start(&self, _files: u64, bytes: u64) {
        self.bar.set_length(bytes);
    }

    fn step(&self, path: &str, step: Step) {
        match step {
            Step::Committing => self.bar.set_message("committing"),
            Step::Merging => self.bar.set_message("merging entities and events"),
            Step::Reading => self.bar.set_message(path.to_string()),
            _ => {}
        }
    }

    fn file_done(&self, _path: &str, bytes: u64, _status: FileStatus) {
        self.bar.inc(bytes);
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
