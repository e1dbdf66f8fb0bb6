//! `annals export KIND [--db FILE] [--format jsonl|csv] [--out FILE]`
use crate::DbArg;
use annals_engine::{ExportFormat, ExportKind};
use anyhow::Context;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum)]
enum Kind {
    Documents,
    Markers,
    Notes,
    Entities,
    Mentions,
    Timexes,
    Events,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Jsonl,
    Csv,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// What to export.
    kind: Kind,
    #[command(flatten)]
    db: DbArg,
    /// Output format.
    #[arg(long, value_enum, default_value = "jsonl")]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let engine = crate::cmd::open_existing(&a.db.db)?;
    let kind = match a.kind {
        Kind::Documents => ExportKind::Documents,
        Kind::Markers => ExportKind::Markers,
        Kind::Notes => ExportKind::Notes,
        Kind::Entities => ExportKind::Entities,
        Kind::Mentions => ExportKind::Mentions,
        Kind::Timexes => ExportKind::Timexes,
        Kind::Events => ExportKind::Events,
    };
    let format = match a.format {
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Csv => ExportFormat::Csv,
    };
    let mut out: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let n = engine.export(kind, format, &mut out)?;
    out.flush()?;
    if let Some(p) = &a.out {
        eprintln!("{n} {} written to {}", kind.as_str(), p.display());
    }
    Ok(ExitCode::SUCCESS)
}
