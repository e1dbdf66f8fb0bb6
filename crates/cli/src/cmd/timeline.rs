//! `annals timeline [--entity X] [--place P] [--type T] [--from D] [--to D] [--json]`:
//! one line an event, date first, with the evidence's `doc:line`.
use crate::cmd::ls::clip;
use crate::DbArg;
use annals_engine::EventFilter;
use annals_model::event::EventType;
use std::io::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    db: DbArg,
    /// Events naming this entity (id or name).
    #[arg(long, value_name = "ENTITY")]
    entity: Option<String>,
    /// Events at this place (id or name).
    #[arg(long, value_name = "PLACE")]
    place: Option<String>,
    /// Events of this type (attack, agreement, meeting_visit...).
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<String>,
    /// Events that may have happened on or after this date (YYYY[-MM[-DD]]).
    #[arg(long, value_name = "DATE")]
    from: Option<String>,
    /// Events that may have happened on or before this date.
    #[arg(long, value_name = "DATE")]
    to: Option<String>,
    /// Print the events as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn run(a: Args) -> anyhow::Result<ExitCode> {
    let kind = match &a.kind {
        Some(k) => Some(EventType::parse(k).ok_or_else(|| {
            let all: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            anyhow::anyhow!("unknown event type {k:?} (one of: {})", all.join(", "))
        })?),
        None => None,
    };
    let engine = crate::cmd::open_existing(&a.db.db)?;
    let events = engine.events(&EventFilter {
        entity: a.entity,
        place: a.place,
        kind,
        from: a.from,
        to: a.to,
    })?;
    if a.json {
        crate::cmd::print_json(&events)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    for e in &events {
        let at = e
            .evidence
            .first()
            .map(|v| format!("{}:{}", v.doc, v.span.line))
            .unwrap_or_default();
        let more = match e.evidence.len() {
            0 | 1 => String::new(),
            n => format!(" (+{} more)", n - 1),
        };
        let place = e
            .place
            .as_deref()
            .map(|p| format!(" @ {}", clip(p, 30)))
            .unwrap_or_default();
        let text = e.evidence.first().map(|v| v.text.as_str()).unwrap_or("");
        writeln!(
            out,
            "{:<10}  {:<20}{}  {}{}  {}",
            e.date.as_deref().unwrap_or("?"),
            e.kind.as_str(),
            place,
            at,
            more,
            clip(text, 120)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
