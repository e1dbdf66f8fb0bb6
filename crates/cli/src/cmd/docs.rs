//! `annals docs set-date ID DATE`: a user's date for a document.
use crate::DbArg;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum DocsCommand {
    /// Set a document's date (YYYY, YYYY-MM or YYYY-MM-DD; `none` for no date),
    /// kept across re-ingest; its time expressions and events are read again.
    SetDate(SetDateArgs),
}

#[derive(clap::Args)]
pub(crate) struct SetDateArgs {
    /// Document id (see `annals ls`).
    id: String,
    /// The date, or `none`.
    date: String,
    #[command(flatten)]
    db: DbArg,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: DocsCommand) -> anyhow::Result<ExitCode> {
    match c {
        DocsCommand::SetDate(a) => {
            let mut engine = crate::cmd::open_existing(&a.db.db)?;
            let date = (a.date != "none").then_some(a.date.as_str());
            engine.set_document_date(&a.id, date)?;
            let timexes = engine.timexes(&a.id)?.len();
            let events = engine.document_events(&a.id)?.len();
            if a.json {
                crate::cmd::print_json(&serde_json::json!({
                    "doc": a.id, "date": date, "timexes": timexes, "events": events,
                }))?;
            } else {
                writeln!(
                    std::io::stdout().lock(),
                    "{}: date {}; {timexes} time expressions and {events} events read again",
                    a.id,
                    date.unwrap_or("none")
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
