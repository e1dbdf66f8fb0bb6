//! A user's decisions: entity merges and splits, event merges and splits,
//! document dates. Each is stored (so every later ingest replays it) and
//! applied at once, in one transaction with the passes it affects.
use crate::archive::{refresh_entities, refresh_events};
use crate::EngineError;
use annals_model::Source;
use annals_store::{DecisionAction, EntityDecision, EventDecision, RunSummary, Store};

fn entity_exists(store: &dyn Store, id: &str) -> Result<(), EngineError> {
    match store.entity(id)? {
        Some(_) => Ok(()),
        None => Err(EngineError::Unknown("entity", id.to_string())),
    }
}

pub(crate) fn merge_entities(
    store: &mut dyn Store,
    keep: &str,
    absorb: &str,
) -> Result<(), EngineError> {
    if keep == absorb {
        return Err(EngineError::Invalid(
            "an entity cannot be merged with itself".into(),
        ));
    }
    entity_exists(store, keep)?;
    entity_exists(store, absorb)?;
    let mut run = store.begin_run()?;
    run.add_entity_decision(&EntityDecision {
        action: DecisionAction::Merge,
        entity: keep.to_string(),
        other: Some(absorb.to_string()),
        alias: None,
        note: None,
        decided_at: None,
    })?;
    refresh_entities(run.as_mut())?;
    run.commit(RunSummary::default())?;
    Ok(())
}

/// Splits the mentions written `aliases` off `id`; with no alias, every way
/// of writing it other than its name. Returns the names split off.
pub(crate) fn split_entity(
    store: &mut dyn Store,
    id: &str,
    aliases: &[String],
) -> Result<Vec<String>, EngineError> {
    let (entity, _) = store
        .entity(id)?
        .ok_or_else(|| EngineError::Unknown("entity", id.to_string()))?;
    let written: Vec<String> = {
        let mut v: Vec<String> = store
            .mentions_of_entity(id)?
            .into_iter()
            .map(|m| m.text)
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let split: Vec<String> = if aliases.is_empty() {
        written.into_iter().filter(|t| *t != entity.name).collect()
    } else {
        for a in aliases {
            if !written.contains(a) {
                return Err(EngineError::Invalid(format!(
                    "no mention of {id} is written {a:?} (written: {})",
                    written.join(", ")
                )));
            }
        }
        aliases.to_vec()
    };
    if split.is_empty() {
        return Err(EngineError::Invalid(format!(
            "every mention of {id} is written {:?}: nothing to split",
            entity.name
        )));
    }
    let mut run = store.begin_run()?;
    for alias in &split {
        run.add_entity_decision(&EntityDecision {
            action: DecisionAction::Split,
            entity: id.to_string(),
            other: None,
            alias: Some(alias.clone()),
            note: None,
            decided_at: None,
        })?;
    }
    refresh_entities(run.as_mut())?;
    run.commit(RunSummary::default())?;
    Ok(split)
}

fn claims_of(store: &dyn Store, id: &str) -> Result<Vec<String>, EngineError> {
    let e = store
        .event(id)?
        .ok_or_else(|| EngineError::Unknown("event", id.to_string()))?;
    if e.claims.is_empty() {
        return Err(EngineError::Invalid(format!(
            "event {id} keeps no claims to decide on"
        )));
    }
    Ok(e.claims.into_iter().map(|c| c.id).collect())
}

pub(crate) fn merge_events(store: &mut dyn Store, a: &str, b: &str) -> Result<(), EngineError> {
    if a == b {
        return Err(EngineError::Invalid(
            "an event cannot be merged with itself".into(),
        ));
    }
    let mut claims = claims_of(store, a)?;
    claims.extend(claims_of(store, b)?);
    let mut run = store.begin_run()?;
    run.add_event_decision(&EventDecision {
        action: DecisionAction::Merge,
        event: a.to_string(),
        other: Some(b.to_string()),
        claims,
        note: None,
        decided_at: None,
    })?;
    refresh_events(run.as_mut())?;
    run.commit(RunSummary::default())?;
    Ok(())
}

/// Splits claims off event `id` into events of their own: the named ones,
/// or every claim but the first. Returns the claims split off.
pub(crate) fn split_event(
    store: &mut dyn Store,
    id: &str,
    claims: &[String],
) -> Result<Vec<String>, EngineError> {
    let all = claims_of(store, id)?;
    let split: Vec<String> = if claims.is_empty() {
        all.iter().skip(1).cloned().collect()
    } else {
        for c in claims {
            if !all.contains(c) {
                return Err(EngineError::Invalid(format!(
                    "event {id} has no claim {c} (claims: {})",
                    all.join(", ")
                )));
            }
        }
        claims.to_vec()
    };
    if split.is_empty() {
        return Err(EngineError::Invalid(format!(
            "event {id} is a single telling: nothing to split"
        )));
    }
    let mut run = store.begin_run()?;
    run.add_event_decision(&EventDecision {
        action: DecisionAction::Split,
        event: id.to_string(),
        other: None,
        claims: split.clone(),
        note: None,
        decided_at: None,
    })?;
    refresh_events(run.as_mut())?;
    run.commit(RunSummary::default())?;
    Ok(split)
}

/// True for `YYYY`, `YYYY-MM`, `YYYY-MM-DD` with a real month and day.
pub(crate) fn is_iso_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, n: usize| p.len() == n && p.bytes().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [y] => num(y, 4),
        [y, m] => num(y, 4) && num(m, 2) && (1..=12).contains(&m.parse::<u32>().unwrap_or(0)),
        [y, m, d] => {
            num(y, 4)
                && num(m, 2)
                && num(d, 2)
                && (1..=12).contains(&m.parse::<u32>().unwrap_or(0))
                && (1..=31).contains(&d.parse::<u32>().unwrap_or(0))
        }
        _ => false,
    }
}

/// Sets (or with `None`, removes) a document's date, then re-reads its time
/// expressions and events against it.
pub(crate) fn set_document_date(
    store: &mut dyn Store,
    doc: &str,
    date: Option<&str>,
) -> Result<(), EngineError> {
    if let Some(d) = date {
        if !is_iso_date(d) {
            return Err(EngineError::Invalid(format!(
                "not a date: {d:?} (use YYYY, YYYY-MM or YYYY-MM-DD)"
            )));
        }
    }
    let mut run = store.begin_run()?;
    let mut document = run
        .document(doc)?
        .ok_or_else(|| EngineError::NotFound(doc.to_string()))?;
    run.set_date_override(doc, date)?;
    crate::ingest::apply_date_override(&mut document, date.map(str::to_string));
    run.update_document(&document)?;
    let record = run.source_record(&document.source)?;
    if let (Some(text), Some(record)) = (run.source_text(&document.source)?, record) {
        let source = Source::new(document.source.clone(), text, record.format);
        let timexes = annals_time::extract(&source, &document, date);
        run.replace_timexes_of(doc, &timexes)?;
        let mentions = run.mentions_of(doc)?;
        let markers = run.markers_of(doc)?;
        let claims = annals_events::extract(&source, &document, &mentions, &timexes, &markers);
        run.replace_event_claims_of(doc, &claims)?;
        refresh_events(run.as_mut())?;
    }
    run.commit(RunSummary::default())?;
    Ok(())
}
