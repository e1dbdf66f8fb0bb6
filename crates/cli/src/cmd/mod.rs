//! One module per subcommand: arguments in, one engine call, printing out.
use annals_engine::Engine;
use anyhow::{bail, Context};
use std::path::Path;

pub(crate) mod audit;
pub(crate) mod docs;
pub(crate) mod entities;
pub(crate) mod eval;
pub(crate) mod events;
pub(crate) mod export;
pub(crate) mod ingest;
pub(crate) mod ls;
pub(crate) mod open;
pub(crate) mod publish;
pub(crate) mod refs;
pub(crate) mod serve;
pub(crate) mod show;
pub(crate) mod time;
pub(crate) mod timeline;

/// Opens an existing store (read commands never create one).
pub(crate) fn open_existing(db: &Path) -> anyhow::Result<Engine> {
    if !db.exists() {
        bail!(
            "no store at {} (run `annals ingest PATH... --db {}` first)",
            db.display(),
            db.display()
        );
    }
    Engine::open(db).with_context(|| format!("cannot open the store {}", db.display()))
}

/// Prints a value as pretty JSON on stdout.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value)?;
    use std::io::Write;
    writeln!(out)?;
    Ok(())
}
