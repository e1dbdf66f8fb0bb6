//! `annals export KIND [--db FILE] [--format FORMAT] [--doc ID] [--out FILE]`
//!
//! Every kind as `jsonl` (the export contract) or `csv`; notes also as
//! `csl-json`, `bibtex` or `ris`; places and events as `geojson`; events as
//! `timelinejs`.
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
    Places,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Jsonl,
    Csv,
    CslJson,
    Bibtex,
    Ris,
    Geojson,
    Timelinejs,
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
    /// Only the values of this document.
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
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
        Kind::Places => ExportKind::Places,
    };
    let format = match a.format {
        Format::Jsonl => ExportFormat::Jsonl,
        Format::Csv => ExportFormat::Csv,
        Format::CslJson => ExportFormat::CslJson,
        Format::Bibtex => ExportFormat::Bibtex,
        Format::Ris => ExportFormat::Ris,
        Format::Geojson => ExportFormat::GeoJson,
        Format::Timelinejs => ExportFormat::TimelineJs,
    };
    if !format.supports(kind) {
        anyhow::bail!(
            "{} cannot be exported as {} (csl-json, bibtex, ris: notes; geojson: places, events; timelinejs: events)",
            kind.as_str(),
            format.as_str()
        );
    }
    let mut out: Box<dyn Write> = match &a.out {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let n = engine.export_doc(kind, format, a.doc.as_deref(), &mut out)?;
    out.flush()?;
    if let Some(p) = &a.out {
        eprintln!("{n} {} written to {}", kind.as_str(), p.display());
    }
    Ok(ExitCode::SUCCESS)
}
