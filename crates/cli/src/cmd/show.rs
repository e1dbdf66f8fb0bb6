//! `annals show ID [--db FILE] [--json]`
use crate::cmd::ls::clip;
use crate::DbArg;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// Document id (see `annals ls`).
    id: String,
    #[command(flatten)]
    db: DbArg,
    /// Print the document, its parts and diagnostics as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct ShowJson<'a> {
    document: &'a annals_model::Document,
    diagnostics: &'a [annals_model::Diagnostic],
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let engine = crate::cmd::open_existing(&a.db.db)?;
    let view = engine.get_document(&a.id)?;
    let d = &view.document;
    if a.json {
        crate::cmd::print_json(&ShowJson {
            document: d,
            diagnostics: &view.diagnostics,
        })?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "{}", d.title.as_deref().unwrap_or("(untitled)"))?;
    writeln!(out, "  id:       {}", d.id)?;
    writeln!(
        out,
        "  source:   {} lines {}-{}",
        d.source, d.lines[0], d.lines[1]
    )?;
    if let Some(s) = &d.standfirst {
        writeln!(out, "  summary:  {}", clip(s, 160))?;
    }
    let evidence = |e: &Option<annals_model::Evidence>| match e {
        Some(e) => format!("  (from \"{}\", line {})", clip(&e.text, 60), e.span.line),
        None => String::new(),
    };
    writeln!(
        out,
        "  outlet:   {}{}",
        d.outlet.as_deref().unwrap_or("-"),
        evidence(&d.outlet_evidence)
    )?;
    let authors = if d.authors.is_empty() {
        "-".to_string()
    } else {
        d.authors.join(", ")
    };
    writeln!(
        out,
        "  authors:  {}{}",
        authors,
        evidence(&d.authors_evidence)
    )?;
    writeln!(
        out,
        "  date:     {}{}",
        d.date.as_deref().unwrap_or("-"),
        evidence(&d.date_evidence)
    )?;
    if let Some(c) = &d.category {
        writeln!(out, "  category: {c}")?;
    }
    if let Some(u) = &d.url {
        writeln!(out, "  url:      {u}")?;
    }
    writeln!(out)?;
    writeln!(out, "{} parts:", d.parts.len())?;
    for p in &d.parts {
        let lines = if p.lines[0] == p.lines[1] {
            format!("{}", p.lines[0])
        } else {
            format!("{}-{}", p.lines[0], p.lines[1])
        };
        let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
        writeln!(
            out,
            "  {:>9}  {:<15}  {}",
            lines,
            p.kind.as_str(),
            clip(&text, 90)
        )?;
    }
    if !view.diagnostics.is_empty() {
        writeln!(out)?;
        writeln!(out, "{} diagnostics:", view.diagnostics.len())?;
        for diag in &view.diagnostics {
            writeln!(out, "  {diag}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
