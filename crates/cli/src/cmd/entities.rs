//! `annals entities tag | ls | show ID | merge KEEP OTHER | split ID [--alias NAME]...`
use crate::cmd::ls::clip;
use crate::DbArg;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub(crate) enum EntitiesCommand {
    /// Tag entity mentions in JSON lines {"id","text"} → {"id","mentions":[...]}.
    Tag(TagArgs),
    /// List the stored entities, most mentioned first.
    Ls(LsArgs),
    /// Show one entity (by id or by a name it goes by) with its mentions.
    Show(ShowArgs),
    /// Record that OTHER is the same entity as KEEP (kept across re-ingest).
    Merge(MergeArgs),
    /// Record that some names of an entity name other things (kept across re-ingest).
    Split(SplitArgs),
}

#[derive(clap::Args)]
pub(crate) struct TagArgs {
    /// Accepted for symmetry with the other commands: the output is JSON lines already.
    #[arg(long)]
    json: bool,
    /// Also tag time expressions (who, where and when in one pass over one parse of the
    /// input): reads {"id","dct","text"} and writes {"id","mentions","timexes"}, the
    /// timexes as `annals time tag` gives them.
    #[arg(long)]
    time: bool,
}

#[derive(clap::Args)]
pub(crate) struct LsArgs {
    #[command(flatten)]
    db: DbArg,
    /// Only entities of this type (person, organisation, place, project, event_name, other).
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<String>,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub(crate) struct ShowArgs {
    /// Entity id or name.
    id: String,
    #[command(flatten)]
    db: DbArg,
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub(crate) struct MergeArgs {
    /// The entity kept.
    keep: String,
    /// The entity folded into it.
    other: String,
    #[command(flatten)]
    db: DbArg,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
pub(crate) struct SplitArgs {
    /// The entity to split.
    id: String,
    /// A name (as written) whose mentions become an entity of their own;
    /// repeatable. Without it, every name other than the entity's own.
    #[arg(long, value_name = "NAME")]
    alias: Vec<String>,
    #[command(flatten)]
    db: DbArg,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(c: EntitiesCommand) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match c {
        EntitiesCommand::Tag(a) => {
            let stdin = std::io::stdin().lock();
            let skipped = if a.time {
                tag_both(stdin, std::io::BufWriter::new(out))?
            } else {
                annals_engine::tools::tag_entities(stdin, std::io::BufWriter::new(out))?
            };
            if skipped > 0 {
                eprintln!(
                    "{skipped} input lines were not {{\"id\",\"text\"}} objects and were skipped"
                );
            }
        }
        EntitiesCommand::Ls(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            let mut all = engine.entities()?;
            if let Some(k) = &a.kind {
                all.retain(|e| e.entity.kind.as_str() == k);
            }
            if a.json {
                crate::cmd::print_json(&all)?;
            } else {
                for e in &all {
                    writeln!(
                        out,
                        "{:>5}  {:<13} {:<40} {}",
                        e.mentions,
                        e.entity.kind.as_str(),
                        clip(&e.entity.id, 40),
                        clip(&e.entity.name, 60)
                    )?;
                }
            }
        }
        EntitiesCommand::Show(a) => {
            let engine = crate::cmd::open_existing(&a.db.db)?;
            let v = engine.entity(&a.id)?;
            if a.json {
                crate::cmd::print_json(&v)?;
            } else {
                let e = &v.entity.entity;
                writeln!(
                    out,
                    "{}  ({}, {} mentions)",
                    e.id,
                    e.kind.as_str(),
                    v.entity.mentions
                )?;
                writeln!(out, "name     {}", clip(&e.name, 100))?;
                if !e.aliases.is_empty() {
                    writeln!(out, "aliases  {}", clip(&e.aliases.join(" | "), 200))?;
                }
                if let (Some(lat), Some(lon)) = (e.lat, e.lon) {
                    writeln!(out, "at       {lat:.4}, {lon:.4}")?;
                }
                for m in &v.mentions {
                    writeln!(out, "  {}:{}  {}", m.doc, m.span.line, clip(&m.text, 80))?;
                }
            }
        }
        EntitiesCommand::Merge(a) => {
            let mut engine = crate::cmd::open_existing(&a.db.db)?;
            engine.merge_entities(&a.keep, &a.other)?;
            let v = engine.entity(&a.keep)?;
            if a.json {
                crate::cmd::print_json(&v.entity)?;
            } else {
                writeln!(
                    out,
                    "merged {} into {} ({} mentions)",
                    a.other, a.keep, v.entity.mentions
                )?;
            }
        }
        EntitiesCommand::Split(a) => {
            let mut engine = crate::cmd::open_existing(&a.db.db)?;
            let names = engine.split_entity(&a.id, &a.alias)?;
            if a.json {
                crate::cmd::print_json(&serde_json::json!({"entity": a.id, "split": names}))?;
            } else {
                writeln!(out, "split off {}: {}", a.id, names.join(", "))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `entities tag --time`: names and time expressions of each `{"id","dct","text"}` line,
/// the line parsed once. Returns how many lines were not such objects and were skipped.
fn tag_both(input: impl std::io::BufRead, mut out: impl Write) -> anyhow::Result<usize> {
    #[derive(serde::Deserialize)]
    struct In {
        #[serde(default)]
        id: serde_json::Value,
        #[serde(default)]
        dct: Option<String>,
        text: String,
    }
    let rec = annals_know::Recognizer::builtin();
    let mut skipped = 0;
    for line in input.lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let Ok(doc) = serde_json::from_str::<In>(&line) else {
            skipped += 1;
            continue;
        };
        let v = serde_json::json!({
            "id": doc.id,
            "mentions": rec.mentions_json(&doc.text),
            "timexes": annals_time::timexes_json(&doc.text, doc.dct.as_deref()),
        });
        serde_json::to_writer(&mut out, &v)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(skipped)
}
