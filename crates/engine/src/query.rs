//! Typed reads for front ends (the command line, the reading room, scripts).
//!
//! Every result is a model value or a small serialisable struct, so a front
//! end can print it, render it or send it as JSON without knowing the store.
use crate::EngineError;
use annals_model::event::{Event, EventType};
use annals_model::know::{Entity, Mention};
use annals_notes::Finding;
use annals_store::Store;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// An entity with how often and where the archive names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityInfo {
    /// The entity (`kind` is the contract's `type`; places have `lat`/`lon`).
    #[serde(flatten)]
    pub entity: Entity,
    /// Number of mentions.
    pub mentions: u64,
}

/// One entity with every mention of it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EntityView {
    /// The entity and its mention count.
    pub entity: EntityInfo,
    /// Its mentions, by document and position.
    pub mentions: Vec<Mention>,
    /// Documents that name it, in archive order.
    pub documents: Vec<String>,
}

/// Which events to list; every field narrows, `None` leaves open.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct EventFilter {
    /// Entity id or name (any alias, any case): events whose evidence names
    /// it, or whose place, actors or targets are it.
    pub entity: Option<String>,
    /// Place entity id or place name (any alias, any case).
    pub place: Option<String>,
    /// Event type.
    #[serde(rename = "type")]
    pub kind: Option<EventType>,
    /// Earliest date (`2014`, `2014-04`, `2014-04-26`): events that may
    /// have happened on or after it.
    pub from: Option<String>,
    /// Latest date, likewise: events that may have happened on or before it.
    pub to: Option<String>,
}

/// The notes audit of one document or of the archive.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotesAudit {
    /// Documents audited.
    pub documents: usize,
    /// Notes.
    pub notes: usize,
    /// Inline markers.
    pub markers: usize,
    /// References parsed from the notes (repeats excluded).
    pub references: usize,
    /// What an editor would want to see, by document and line.
    pub findings: Vec<Finding>,
    /// Findings by code.
    pub by_code: BTreeMap<String, usize>,
    /// References by site (URL host, else container title), most cited first.
    pub by_site: Vec<(String, usize)>,
    /// References by year of publication.
    pub by_year: BTreeMap<i32, usize>,
    /// Distinct URLs checked (with `--check-links`), else None.
    pub links_checked: Option<usize>,
}

/// The earliest and latest day a TIMEX3-like value may stand for, as
/// comparable `YYYY-MM-DD` strings (`201X` → 2010-01-01..2019-12-31), or None
/// when it is not a calendar value (`PRESENT_REF`, `P2Y`).
pub fn date_bounds(value: &str) -> Option<(String, String)> {
    let mut parts = value.split(['-', '/', 'T']);
    let year = parts.next()?;
    if year.len() != 4
        || !year.bytes().all(|c| c.is_ascii_digit() || c == b'X')
        || !year.as_bytes()[0].is_ascii_digit()
    {
        return None;
    }
    let lo_y = year.replace('X', "0");
    let hi_y = year.replace('X', "9");
    let month = parts
        .next()
        .and_then(|m| m.parse::<u32>().ok())
        .filter(|m| (1..=12).contains(m));
    let day = month
        .and(parts.next())
        .and_then(|d| d.parse::<u32>().ok())
        .filter(|d| (1..=31).contains(d));
    Some(match (month, day) {
        (Some(m), Some(d)) => (
            format!("{lo_y}-{m:02}-{d:02}"),
            format!("{hi_y}-{m:02}-{d:02}"),
        ),
        (Some(m), None) => (format!("{lo_y}-{m:02}-01"), format!("{hi_y}-{m:02}-31")),
        _ => (format!("{lo_y}-01-01"), format!("{hi_y}-12-31")),
    })
}

/// Every entity with its mention count, most mentioned first.
pub(crate) fn entities(store: &dyn Store) -> Result<Vec<EntityInfo>, EngineError> {
    let mut out = Vec::new();
    store.for_each_entity(&mut |(entity, mentions)| {
        out.push(EntityInfo { entity, mentions });
        Ok(())
    })?;
    out.sort_by(|a, b| {
        b.mentions
            .cmp(&a.mentions)
            .then(a.entity.id.cmp(&b.entity.id))
    });
    Ok(out)
}

/// The entity with this id, else the one whose name or an alias is `key`
/// (case-insensitive; the most mentioned if several).
pub(crate) fn find_entity(store: &dyn Store, key: &str) -> Result<Option<EntityInfo>, EngineError> {
    if let Some((entity, mentions)) = store.entity(key)? {
        return Ok(Some(EntityInfo { entity, mentions }));
    }
    let k = key.to_lowercase();
    Ok(entities(store)?.into_iter().find(|e| {
        e.entity.name.to_lowercase() == k || e.entity.aliases.iter().any(|a| a.to_lowercase() == k)
    }))
}

pub(crate) fn entity_view(store: &dyn Store, key: &str) -> Result<EntityView, EngineError> {
    let entity =
        find_entity(store, key)?.ok_or_else(|| EngineError::Unknown("entity", key.to_string()))?;
    let mentions = store.mentions_of_entity(&entity.entity.id)?;
    let mut documents: Vec<String> = Vec::new();
    for m in &mentions {
        if documents.last() != Some(&m.doc) && !documents.contains(&m.doc) {
            documents.push(m.doc.clone());
        }
    }
    Ok(EntityView {
        entity,
        mentions,
        documents,
    })
}

fn names_of(e: &Entity) -> HashSet<String> {
    std::iter::once(&e.name)
        .chain(&e.aliases)
        .map(|n| n.to_lowercase())
        .collect()
}

/// Events matching `filter`, by date (undated last), then id.
pub(crate) fn events(store: &dyn Store, filter: &EventFilter) -> Result<Vec<Event>, EngineError> {
    // An entity filter: its id, names and the places of its mentions.
    let entity = match &filter.entity {
        Some(key) => Some(match find_entity(store, key)? {
            Some(e) => {
                let spans: HashSet<(String, usize)> = store
                    .mentions_of_entity(&e.entity.id)?
                    .into_iter()
                    .map(|m| (m.doc, m.span.start))
                    .collect();
                (Some(e.entity.id.clone()), names_of(&e.entity), spans)
            }
            None => (None, [key.to_lowercase()].into(), HashSet::new()),
        }),
        None => None,
    };
    let place = match &filter.place {
        Some(key) => Some(match find_entity(store, key)? {
            Some(e) => (Some(e.entity.id.clone()), names_of(&e.entity)),
            None => (None, [key.to_lowercase()].into()),
        }),
        None => None,
    };
    let from = match &filter.from {
        Some(f) => Some(
            date_bounds(f)
                .ok_or_else(|| EngineError::Invalid(format!("not a date: {f}")))?
                .0,
        ),
        None => None,
    };
    let to = match &filter.to {
        Some(t) => Some(
            date_bounds(t)
                .ok_or_else(|| EngineError::Invalid(format!("not a date: {t}")))?
                .1,
        ),
        None => None,
    };
    let mut out: Vec<(Option<(String, String)>, Event)> = Vec::new();
    store.for_each_event(&mut |e: Event| {
        if filter.kind.is_some_and(|k| k != e.kind) {
            return Ok(());
        }
        if let Some((id, names, spans)) = &entity {
            let named = |s: &String| names.contains(&s.to_lowercase());
            let hit = (id.is_some() && e.place_entity == *id)
                || e.place.as_ref().is_some_and(named)
                || e.actors.iter().any(named)
                || e.targets.iter().any(named)
                || e.evidence.iter().any(|ev| {
                    spans
                        .iter()
                        .any(|(d, s)| *d == ev.doc && *s >= ev.span.start && *s < ev.span.end)
                });
            if !hit {
                return Ok(());
            }
        }
        if let Some((id, names)) = &place {
            let hit = (id.is_some() && e.place_entity == *id)
                || e.place
                    .as_ref()
                    .is_some_and(|p| names.contains(&p.to_lowercase()));
            if !hit {
                return Ok(());
            }
        }
        let bounds = e.date.as_deref().and_then(date_bounds);
        if from.is_some() || to.is_some() {
            let Some((lo, hi)) = &bounds else {
                return Ok(());
            };
            if from.as_ref().is_some_and(|f| hi < f) || to.as_ref().is_some_and(|t| lo > t) {
                return Ok(());
            }
        }
        out.push((bounds, e));
        Ok(())
    })?;
    out.sort_by(|(a, ea), (b, eb)| match (a, b) {
        (Some(a), Some(b)) => a.cmp(b).then(ea.id.cmp(&eb.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => ea.id.cmp(&eb.id),
    });
    Ok(out.into_iter().map(|(_, e)| e).collect())
}
