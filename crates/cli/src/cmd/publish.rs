//! `annals publish --out DIR [--db FILE]`: the reading room as a static site.
use crate::DbArg;
use anyhow::Context;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Folder to write the site into (created if missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    db: DbArg,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let engine = crate::cmd::open_existing(&a.db.db)?;
    let snap = annals_serve::data::Snapshot::load(&engine)?;
    let rep = annals_serve::publish::publish(&snap, &a.out)
        .with_context(|| format!("cannot write the site into {}", a.out.display()))?;
    println!(
        "{} pages, search over {} passages ({} terms) in {}",
        rep.pages,
        rep.passages,
        rep.terms,
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
