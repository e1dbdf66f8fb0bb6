//! `annals ingest PATH... [--db FILE] [--quiet] [--json]`
use crate::progress::Bar;
use crate::DbArg;
use annals_engine::{Engine, IngestOptions, IngestReport, Silent};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// How many diagnostics the summary lists before it only counts.
const SHOWN_DIAGNOSTICS: usize = 50;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Files and folders to read (folders recursively, hidden entries skipped).
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    db: DbArg,
    /// No progress bar and no summary; failures still go to stderr.
    #[arg(long, short)]
    quiet: bool,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut engine = Engine::open(&a.db.db)
        .with_context(|| format!("cannot open the store {}", a.db.db.display()))?;
    let bar = Bar::new(a.quiet || a.json);
    let report = match &bar {
        Some(b) => engine.ingest(&a.paths, &IngestOptions::default(), b),
        None => engine.ingest(&a.paths, &IngestOptions::default(), &Silent),
    }
    .context("ingest failed; the store is unchanged")?;
    // The search index follows the committed store (a new generation, swapped in whole).
    let index_dir = annals_index::index_dir_for(&a.db.db);
    if let Err(e) = annals_index::sync(engine.store(), &index_dir) {
        eprintln!("warning: the search index was not updated ({e}); `annals serve` rebuilds it");
    }
    if a.json {
        crate::cmd::print_json(&report)?;
    } else if !a.quiet {
        print_summary(&report)?;
    }
    for f in &report.failures {
        eprintln!("error: {f}");
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(r: &IngestReport) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} files: {} added, {} replaced, {} unchanged, {} failed",
        r.files.len(),
        r.added,
        r.replaced,
        r.unchanged,
        r.failed
    )?;
    writeln!(
        out,
        "{} documents, {:.1} MB read",
        r.documents,
        r.bytes as f64 / 1e6
    )?;
    if !r.parts_by_kind.is_empty() {
        let kinds: Vec<String> = r
            .parts_by_kind
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect();
        writeln!(out, "parts: {}", kinds.join(", "))?;
    }
    let f = &r.found;
    if r.added + r.replaced > 0 {
        writeln!(
            out,
            "found: {} note markers, {} notes, {} entity mentions, {} time expressions, {} event claims",
            f.markers, f.notes, f.mentions, f.timexes, f.claims
        )?;
    }
    writeln!(
        out,
        "archive: {} entities, {} events (see `annals entities ls`, `annals timeline`)",
        f.entities, f.events
    )?;
    if !r.diagnostics.is_empty() {
        writeln!(out, "{} diagnostics:", r.diagnostics.len())?;
        for d in r.diagnostics.iter().take(SHOWN_DIAGNOSTICS) {
            writeln!(out, "  {d}")?;
        }
        if r.diagnostics.len() > SHOWN_DIAGNOSTICS {
            writeln!(
                out,
                "  ... and {} more (annals export or --json lists them all)",
                r.diagnostics.len() - SHOWN_DIAGNOSTICS
            )?;
        }
    }
    Ok(())
}
