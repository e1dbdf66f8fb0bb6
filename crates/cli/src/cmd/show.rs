//! `annals show ID [--db FILE] [--json]`
use crate::cmd::ls::clip;
use crate::DbArg;
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
    println!("{}", d.title.as_deref().unwrap_or("(untitled)"));
    println!("  id:       {}", d.id);
    println!(
        "  source:   {} lines {}-{}",
        d.source, d.lines[0], d.lines[1]
    );
    if let Some(s) = &d.standfirst {
        println!("  summary:  {}", clip(s, 160));
    }
    let evidence = |e: &Option<annals_model::Evidence>| match e {
        Some(e) => format!("  (from \"{}\", line {})", clip(&e.text, 60), e.span.line),
        None => String::new(),
    };
    println!(
        "  outlet:   {}{}",
        d.outlet.as_deref().unwrap_or("-"),
        evidence(&d.outlet_evidence)
    );
    let authors = if d.authors.is_empty() {
        "-".to_string()
    } else {
        d.authors.join(", ")
    };
    println!("  authors:  {}{}", authors, evidence(&d.authors_evidence));
    println!(
        "  date:     {}{}",
        d.date.as_deref().unwrap_or("-"),
        evidence(&d.date_evidence)
    );
    if let Some(c) = &d.category {
        println!("  category: {c}");
    }
    if let Some(u) = &d.url {
        println!("  url:      {u}");
    }
    println!();
    println!("{} parts:", d.parts.len());
    for p in &d.parts {
        let lines = if p.lines[0] == p.lines[1] {
            format!("{}", p.lines[0])
        } else {
            format!("{}-{}", p.lines[0], p.lines[1])
        };
        let text = p.text.split_whitespace().collect::<Vec<_>>().join(" ");
        println!(
            "  {:>9}  {:<15}  {}",
            lines,
            p.kind.as_str(),
            clip(&text, 90)
        );
    }
    if !view.diagnostics.is_empty() {
        println!();
        println!("{} diagnostics:", view.diagnostics.len());
        for diag in &view.diagnostics {
            println!("  {diag}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
