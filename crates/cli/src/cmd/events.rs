//! `annals events merge A B | split ID [--claim C]... | show ID`
use crate::cmd::ls::clip;
use crate::DbArg;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum EventsCommand {
    /// Show one event with its claims and evidence.
    Show(ShowArgs),
    /// Record that events A and B are one (kept across re-ingest).
    Merge(MergeArgs),
    /// Record that an event's tellings are separate events (kept across re-ingest).
    Split(SplitArgs),
}

#[derive(clap::Args)]
pub(crate) struct ShowArgs {
    /// Event id.
    id: String,
    #[command(flatten)]
    db: DbArg,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub(crate) struct MergeArgs {
    /// One event.
    a: String,
    /// The other.
    b: String,
    #[command(flatten)]
    db: DbArg,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub(crate) struct SplitArgs {
    /// The event.
    id: String,
    /// A claim (telling) to take out as an event of its own; repeatable.
    /// Without it, every claim but the first.
    #[arg(long, value_name = "CLAIM")]
    claim: Vec<String>,
    #[command(flatten)]
    db: DbArg,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: EventsCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match c {
        EventsCommand::Show(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            let e = engine.event(&a.id)?;
            if a.json {
                crate::cmd::print_json(&e)?;
            } else {
                writeln!(
                    out,
                    "{}  {}  {}",
                    e.id,
                    e.kind.as_str(),
                    e.date.as_deref().unwrap_or("undated")
                )?;
                for c in &e.claims {
                    writeln!(
                        out,
                        "  claim {}  {}",
                        c.id,
                        c.date.as_deref().unwrap_or("?")
                    )?;
                }
                for v in &e.evidence {
                    writeln!(out, "  {}:{}  {}", v.doc, v.span.line, clip(&v.text, 120))?;
                }
            }
        }
        EventsCommand::Merge(a) => {
            let mut engine = crate::cmd::open_existing(&a.db.db)?;
            engine.merge_events(&a.a, &a.b)?;
            if a.json {
                crate::cmd::print_json(&serde_json::json!({"merged": [a.a, a.b]}))?;
            } else {
                writeln!(out, "merged {} and {}", a.a, a.b)?;
            }
        }
        EventsCommand::Split(a) => {
            let mut engine = crate::cmd::open_existing(&a.db.db)?;
            let claims = engine.split_event(&a.id, &a.claim)?;
            if a.json {
                crate::cmd::print_json(&serde_json::json!({"event": a.id, "split": claims}))?;
            } else {
                writeln!(out, "split off {}: {}", a.id, claims.join(", "))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
