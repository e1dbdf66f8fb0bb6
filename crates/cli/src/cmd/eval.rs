//! `annals eval segments --gold FILE [--db FILE] [--json]`
//!
//! Room for `eval markers|notes|refs|ner|timex|entities|events`, one variant each.
use crate::DbArg;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum EvalCommand {
    /// Documents found and per-field exact-match shares against a gold documents.json.
    Segments(SegmentsArgs),
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
