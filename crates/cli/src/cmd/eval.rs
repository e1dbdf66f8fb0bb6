//! `annals eval segments|markers|notes|refs|ner|timex|entities|events --gold FILE [--db FILE] [--json]`
//!
//! `refs`, `ner` and `timex` score a stage on the gold file alone; the others
//! score what the store holds (document ids mapped to gold ids through the
//! gold `documents.json` beside the gold file, or `--documents`).
use crate::DbArg;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum EvalCommand {
    /// Documents found and per-field exact-match shares against a gold documents.json.
    Segments(SegmentsArgs),
    /// Stored note markers against a gold markers.jsonl.
    Markers(StoreArgs),
    /// Stored notes and their references against a gold notes.jsonl.
    Notes(StoreArgs),
    /// Stored entities and mentions against a gold entities.jsonl.
    Entities(StoreArgs),
    /// Stored events against a gold events.jsonl.
    Events(StoreArgs),
    /// Reference parsing against an AnyStyle-format JSONL file (no store).
    Refs(GoldArgs),
    /// The entity recogniser against CoNLL-style JSONL (no store).
    Ner(GoldArgs),
    /// Time tagging against TempEval-style JSONL (no store).
    Timex(GoldArgs),
}

#[derive(clap::Args)]
pub(crate) struct StoreArgs {
    /// Gold file (seed-dev format).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Gold documents.json to map stored document ids to gold ids (default:
    /// the one beside the gold file).
    #[arg(long, value_name = "FILE")]
    documents: Option<PathBuf>,
    #[command(flatten)]
    db: DbArg,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub(crate) struct GoldArgs {
    /// Gold file.
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Prints a report as JSON or as its own text.
fn print<T: serde::Serialize + std::fmt::Display>(r: &T, json: bool) -> anyhow::Result<ExitCode> {
    if json {
        crate::cmd::print_json(r)?;
    } else {
        write!(std::io::stdout().lock(), "{r}")?;
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub(crate) struct SegmentsArgs {
    /// Gold file (seed-dev documents.json format).
    #[arg(long, value_name = "FILE")]
    gold: PathBuf,
    #[command(flatten)]
    db: DbArg,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: EvalCommand) -> anyhow::Result<ExitCode> {
    match c {
        EvalCommand::Segments(a) => segments(a),
        EvalCommand::Markers(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            print(
                &engine.eval_markers(&a.gold, a.documents.as_deref())?,
                a.json,
            )
        }
        EvalCommand::Notes(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            print(&engine.eval_notes(&a.gold, a.documents.as_deref())?, a.json)
        }
        EvalCommand::Entities(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            print(&engine.eval_entities(&a.gold)?, a.json)
        }
        EvalCommand::Events(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            print(
                &engine.eval_events(&a.gold, a.documents.as_deref())?,
                a.json,
            )
        }
        EvalCommand::Refs(a) => print(&annals_engine::eval_refs(&a.gold)?, a.json),
        EvalCommand::Ner(a) => print(&annals_engine::eval_ner(&a.gold)?, a.json),
        EvalCommand::Timex(a) => print(&annals_engine::eval_timex(&a.gold)?, a.json),
    }
}

fn segments(a: SegmentsArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let engine = crate::cmd::open_existing(&a.db.db)?;
    let r = engine.eval_segments(&a.gold)?;
    if a.json {
        crate::cmd::print_json(&r)?;
        return Ok(ExitCode::SUCCESS);
    }
    let d = &r.documents;
    writeln!(
        out,
        "documents: expected {}, found {}, matched {}   P {:.3}  R {:.3}  F1 {:.3}",
        d.expected, d.found, d.matched, d.precision, d.recall, d.f1
    )?;
    writeln!(out)?;
    writeln!(out, "{:<22} {:>9}  {:>6}", "field", "exact", "share")?;
    for f in &r.fields {
        writeln!(
            out,
            "{:<22} {:>9}  {:>6.3}",
            f.field,
            format!("{}/{}", f.matched, f.total),
            f.share
        )?;
    }
    writeln!(out)?;
    for doc in &r.per_document {
        let paired = match (&doc.predicted, &doc.paired_by) {
            (Some(p), Some(by)) => format!("{p} (by {by})"),
            _ => "not found".to_string(),
        };
        let wrong = if doc.wrong.is_empty() {
            "all fields right".to_string()
        } else {
            format!("wrong: {}", doc.wrong.join(", "))
        };
        writeln!(out, "{:<30} -> {}; {}", doc.gold, paired, wrong)?;
    }
    Ok(ExitCode::SUCCESS)
}
