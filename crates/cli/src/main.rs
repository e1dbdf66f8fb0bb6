//! `annals`: the command line. Parses arguments, calls the engine, prints.
//!
//! No logic lives here beyond argument handling, printing and exit codes:
//! each subcommand is a module under `cmd/` that turns its arguments into one
//! engine call. Exit status: 0 on success, 1 when some inputs could not be
//! ingested, 2 on any other error (clap's usage errors are 2 as well).

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

mod cmd;
mod progress;

/// Reads archives of long-form analytical writing into an evidence-linked knowledge base.
#[derive(Parser)]
#[command(name = "annals", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Where the store is; every command that reads or writes one takes it.
#[derive(clap::Args, Clone)]
pub(crate) struct DbArg {
    /// The store file (created by `ingest` if missing).
    #[arg(long, value_name = "FILE", default_value = "annals.db")]
    pub(crate) db: PathBuf,
}

#[derive(Subcommand)]
enum Command {
    /// Read files and folders into the store (one transaction; unchanged files are skipped).
    Ingest(cmd::ingest::Args),
    /// List the stored documents.
    Ls(cmd::ls::Args),
    /// Show one document: fields, parts with their lines, diagnostics.
    Show(cmd::show::Args),
    /// Write stored values in the export-contract format.
    Export(cmd::export::Args),
    /// Score the store (or a stage) against gold annotations.
    #[command(subcommand)]
    Eval(cmd::eval::EvalCommand),
    /// Events in date order, with the evidence's doc:line.
    Timeline(cmd::timeline::Args),
    /// Entities: tag text, list, show, merge, split.
    #[command(subcommand)]
    Entities(cmd::entities::EntitiesCommand),
    /// Events: show, merge, split.
    #[command(subcommand)]
    Events(cmd::events::EventsCommand),
    /// Documents: set a date.
    #[command(subcommand)]
    Docs(cmd::docs::DocsCommand),
    /// Audits: notes and their links.
    #[command(subcommand)]
    Audit(cmd::audit::AuditCommand),
    /// References: parse into CSL-JSON.
    #[command(subcommand)]
    Refs(cmd::refs::RefsCommand),
    /// Time expressions: tag text.
    #[command(subcommand)]
    Time(cmd::time::TimeCommand),
    /// Serve the reading room (search, documents, entities, timeline, map) on 127.0.0.1.
    Serve(cmd::serve::Args),
    /// Ingest files, then serve the reading room over them.
    Open(cmd::open::Args),
    /// Write the reading room as a static site.
    Publish(cmd::publish::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Ingest(a) => cmd::ingest::run(a),
        Command::Ls(a) => cmd::ls::run(a),
        Command::Show(a) => cmd::show::run(a),
        Command::Export(a) => cmd::export::run(a),
        Command::Eval(c) => cmd::eval::run(c),
        Command::Timeline(a) => cmd::timeline::run(a),
        Command::Entities(c) => cmd::entities::run(c),
        Command::Events(c) => cmd::events::run(c),
        Command::Docs(c) => cmd::docs::run(c),
        Command::Audit(c) => cmd::audit::run(c),
        Command::Refs(c) => cmd::refs::run(c),
        Command::Time(c) => cmd::time::run(c),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Open(a) => cmd::open::run(a),
        Command::Publish(a) => cmd::publish::run(a),
    };
    match result {
        Ok(code) => code,
        // `annals export documents | head` closes the pipe early: not an error.
        Err(e)
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
