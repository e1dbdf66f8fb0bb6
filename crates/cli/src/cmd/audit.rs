//! `annals audit notes [--doc ID] [--json] [--check-links]`
use crate::cmd::ls::clip;
use crate::DbArg;
use annals_engine::{HttpLinkChecker, LinkCheckOptions};
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

#[derive(clap::Subcommand)]
pub(crate) enum AuditCommand {
    /// Markers without notes, uncited notes, web sources without URL or access
    /// date, malformed or dead links; citation statistics.
    Notes(NotesArgs),
}

#[derive(clap::Args)]
pub(crate) struct NotesArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only this document.
    #[arg(long, value_name = "ID")]
    doc: Option<String>,
    /// Ask every cited URL whether it still answers (answers are cached in the store).
    #[arg(long)]
    check_links: bool,
    /// With --check-links: ask again even where the store has an answer.
    #[arg(long)]
    recheck: bool,
    /// With --check-links: seconds to wait for one URL.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    timeout: u64,
    /// With --check-links: URLs checked at the same time.
    #[arg(long, default_value_t = 8, value_name = "N")]
    concurrency: usize,
    /// Print the audit as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: AuditCommand) -> anyhow::Result<ExitCode> {
    let AuditCommand::Notes(a) = c;
    let mut engine = crate::cmd::open_existing(&a.db.db)?;
    let audit = if a.check_links {
        let checker = HttpLinkChecker::new(Duration::from_secs(a.timeout.max(1)));
        let opts = LinkCheckOptions {
            concurrency: a.concurrency.max(1),
            recheck: a.recheck,
        };
        engine.notes_audit_with_links(a.doc.as_deref(), &checker, &opts)?
    } else {
        engine.notes_audit(a.doc.as_deref())?
    };
    if a.json {
        crate::cmd::print_json(&audit)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} documents, {} notes, {} markers, {} references; {} findings",
        audit.documents,
        audit.notes,
        audit.markers,
        audit.references,
        audit.findings.len()
    )?;
    if let Some(n) = audit.links_checked {
        writeln!(out, "{n} distinct URLs checked")?;
    }
    for f in &audit.findings {
        writeln!(
            out,
            "{}:{}  {:<24} {}",
            f.doc,
            f.line,
            f.code,
            clip(&f.message, 140)
        )?;
    }
    if !audit.by_code.is_empty() {
        writeln!(out, "\nfindings by code:")?;
        for (code, n) in &audit.by_code {
            writeln!(out, "  {n:>5}  {code}")?;
        }
    }
    if !audit.by_site.is_empty() {
        writeln!(out, "\nmost cited sites:")?;
        for (site, n) in audit.by_site.iter().take(15) {
            writeln!(out, "  {n:>5}  {}", clip(site, 80))?;
        }
    }
    if !audit.by_year.is_empty() {
        writeln!(out, "\nreferences by year:")?;
        for (y, n) in &audit.by_year {
            writeln!(out, "  {y}  {n}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
