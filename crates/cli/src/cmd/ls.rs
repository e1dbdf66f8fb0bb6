//! `annals ls [--db FILE] [--json]`
use crate::DbArg;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    db: DbArg,
    /// Print the list as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let engine = crate::cmd::open_existing(&a.db.db)?;
    let docs = engine.list_documents()?;
    if a.json {
        crate::cmd::print_json(&docs)?;
        return Ok(ExitCode::SUCCESS);
    }
    let width = docs
        .iter()
        .map(|d| d.id.chars().count())
        .max()
        .unwrap_or(2)
        .max(2);
    writeln!(
        out,
        "{:<width$}  {:<10}  {:<16}  {:>11}  TITLE",
        "ID", "DATE", "OUTLET", "LINES"
    )?;
    for d in &docs {
        writeln!(
            out,
            "{:<width$}  {:<10}  {:<16}  {:>11}  {}",
            d.id,
            d.date.as_deref().unwrap_or("-"),
            clip(d.outlet.as_deref().unwrap_or("-"), 16),
            format!("{}-{}", d.lines[0], d.lines[1]),
            clip(d.title.as_deref().unwrap_or("(untitled)"), 70),
        )?;
    }
    writeln!(out, "{} documents", docs.len())?;
    Ok(ExitCode::SUCCESS)
}

/// At most `n` characters, with an ellipsis when cut. Control characters
/// (terminal escapes in archive text among them) become spaces: archive text
/// is untrusted and must not drive the terminal.
pub(crate) fn clip(s: &str, n: usize) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
