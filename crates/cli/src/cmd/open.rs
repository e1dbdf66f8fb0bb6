//! `annals open PATH... [--db FILE] [--addr ...]`: ingest, then serve the reading room.
use crate::cmd::serve::{serve_db, ServeOpts};
use crate::DbArg;
use annals_engine::{Engine, IngestOptions, Silent};
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files and folders to read first (unchanged files are skipped).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    db: DbArg,
    #[command(flatten)]
    opts: ServeOpts,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut engine = Engine::open(&a.db.db)
        .with_context(|| format!("cannot open the store {}", a.db.db.display()))?;
    eprintln!(
        "reading {} path(s) into {} ...",
        a.paths.len(),
        a.db.db.display()
    );
    let report = engine
        .ingest(&a.paths, &IngestOptions::default(), &Silent)
        .context("ingest failed; the store is unchanged")?;
    eprintln!(
        "{} files: {} added, {} replaced, {} unchanged, {} failed; {} documents",
        report.files.len(),
        report.added,
        report.replaced,
        report.unchanged,
        report.failed,
        report.documents
    );
    for f in &report.failures {
        eprintln!("error: {f}");
    }
    drop(engine);
    serve_db(&a.db.db, &a.opts)
}
