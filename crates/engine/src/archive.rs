//! The archive-wide passes: entities and events are made from the claims of
//! every stored source, then the user's decisions are replayed on them.
//!
//! They run inside the transaction of the ingest run (after its sources were
//! replaced) or of a user decision, so the archive is never seen half merged.
//! Both passes read only the store, never the files, and cost a fraction of
//! extraction: claims are stored, so an unchanged source is never re-read.
use crate::EngineError;
use annals_model::event::{Event, EventType};
use annals_model::know::Entity;
use annals_store::{DecisionAction, Run};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Folds the entity claims of all sources into one entity per id, replays
/// the entity decisions on the stored mentions and rewrites the entity table.
pub(crate) fn refresh_entities(run: &mut dyn Run) -> Result<(), EngineError> {
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for c in run.entity_claims()? {
        match index.get(&c.id) {
            Some(&i) => fold_entity(&mut entities[i], c),
            None => {
                index.insert(c.id.clone(), entities.len());
                entities.push(c);
            }
        }
    }
    let mut decisions = annals_know::Decisions::default();
    for d in run.entity_decisions()? {
        match (d.action, d.other, d.alias) {
            (DecisionAction::Merge, Some(other), _) => decisions.merges.push((d.entity, other)),
            (DecisionAction::Split, _, Some(alias)) => decisions.splits.push((d.entity, alias)),
            _ => {}
        }
    }
    if decisions.merges.is_empty() && decisions.splits.is_empty() {
        // Decisions are never taken back: without any, every mention is
        // stored under its raw entity and every claimed entity has mentions.
        run.replace_entities(&entities)?;
        return Ok(());
    }
    let refs = run.mention_refs()?;
    let mut know = annals_know::KnowOutput {
        entities,
        mentions: refs.iter().map(|r| r.mention.clone()).collect(),
    };
    annals_know::apply_decisions(&mut know, &decisions);
    let changes: Vec<_> = refs
        .iter()
        .zip(&know.mentions)
        .filter(|(r, m)| m.entity != r.current || m.kind != r.mention.kind)
        .map(|(r, m)| (r.row, m.entity.clone(), m.kind))
        .collect();
    run.set_mention_entities(&changes)?;
    let used: HashSet<&str> = know.mentions.iter().map(|m| m.entity.as_str()).collect();
    let kept: Vec<Entity> = know
        .entities
        .iter()
        .filter(|e| used.contains(e.id.as_str()))
        .cloned()
        .collect();
    run.replace_entities(&kept)?;
    Ok(())
}

/// Adds what another source's stage run knew about the same entity.
fn fold_entity(base: &mut Entity, other: Entity) {
    for name in std::iter::once(other.name).chain(other.aliases) {
        if name != base.name && !base.aliases.contains(&name) {
            base.aliases.push(name);
        }
    }
    base.lat = base.lat.or(other.lat);
    base.lon = base.lon.or(other.lon);
    base.country = base.country.take().or(other.country);
    if base.origin == "text" && other.origin != "text" {
        base.origin = other.origin;
    }
}

/// Merges the event claims of all documents, replays the event decisions
/// and rewrites the events and their evidence.
pub(crate) fn refresh_events(run: &mut dyn Run) -> Result<(), EngineError> {
    let events = merged_events(run)?;
    run.replace_events(&events)?;
    Ok(())
}

/// The merged events as they would be stored (decisions applied).
pub(crate) fn merged_events(run: &dyn Run) -> Result<Vec<Event>, EngineError> {
    let mut claims = run.event_claims()?;
    // Two claims read from one sentence as different types share an id.
    let mut seen = HashSet::new();
    for c in &mut claims {
        if !seen.insert(c.id.clone()) {
            let base = format!("{}:{}", c.id, c.kind.as_str());
            let mut id = base.clone();
            let mut n = 2;
            while seen.contains(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            seen.insert(id.clone());
            c.id = id;
        }
    }
    // Events of different types never merge: merging type by type keeps the
    // pairwise comparison to claims that could be one event.
    // Undated claims never merge either: they pass through as they are.
    let mut by_type: BTreeMap<EventType, Vec<Event>> = BTreeMap::new();
    let mut events: Vec<Event> = Vec::new();
    for c in claims {
        if c.date.is_none() {
            events.push(c);
        } else {
            by_type.entry(c.kind).or_default().push(c);
        }
    }
    for claims in by_type.into_values() {
        for part in date_components(claims) {
            events.extend(annals_events::merge(part));
        }
    }
    let mut decisions = annals_events::Decisions::default();
    for d in run.event_decisions()? {
        match d.action {
            DecisionAction::Merge => decisions.merges.push(d.claims),
            DecisionAction::Split => decisions.splits.extend(d.claims),
        }
    }
    events = annals_events::apply_decisions(events, &decisions);
    let mut seen = HashSet::new();
    for e in &mut events {
        if !seen.insert(e.id.clone()) {
            let base = e.id.clone();
            let mut n = 2;
            while seen.contains(&format!("{base}-{n}")) {
                n += 1;
            }
            e.id = format!("{base}-{n}");
            seen.insert(e.id.clone());
        }
    }
    events.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(events)
}

/// What a date can be compatible with: one year, a pattern of years with
/// unknown digits (`200X`, `XXXX`), or only itself (`PRESENT_REF`).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum DateKey {
    Year(String),
    Pattern(String),
    Only(String),
}

fn date_key(value: &str) -> DateKey {
    match value.get(..4) {
        Some(y) if y.bytes().all(|c| c.is_ascii_digit()) => DateKey::Year(y.to_string()),
        Some(y) if y.bytes().all(|c| c.is_ascii_digit() || c == b'X') => {
            DateKey::Pattern(y.to_string())
        }
        _ => DateKey::Only(value.to_string()),
    }
}

fn years_match(a: &str, b: &str) -> bool {
    a.bytes()
        .zip(b.bytes())
        .all(|(x, y)| x == y || x == b'X' || y == b'X')
}

/// Splits dated claims into groups that no compatible pair of dates crosses
/// ([`annals_events::dates_compatible`] needs the years to agree, unknown
/// digits aside, and a value that is not a calendar date to be equal).
/// `merge` compares claims pairwise, and only pairs with compatible dates can
/// merge or conflict, so merging group by group gives the same events as
/// merging all at once, at a fraction of the cost: without this an archive's
/// merge grows with the square of its claims.
fn date_components(claims: Vec<Event>) -> Vec<Vec<Event>> {
    let keys: Vec<DateKey> = claims
        .iter()
        .map(|c| date_key(c.date.as_deref().unwrap_or("")))
        .collect();
    let distinct: Vec<DateKey> = keys
        .iter()
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let index: HashMap<&DateKey, usize> =
        distinct.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let mut parent: Vec<usize> = (0..distinct.len()).collect();
    fn root(p: &mut [usize], mut i: usize) -> usize {
        while p[i] != i {
            p[i] = p[p[i]];
            i = p[i];
        }
        i
    }
    for (i, k) in distinct.iter().enumerate() {
        let DateKey::Pattern(p) = k else { continue };
        for (j, other) in distinct.iter().enumerate() {
            let linked = match other {
                DateKey::Year(y) | DateKey::Pattern(y) => years_match(p, y),
                DateKey::Only(_) => false,
            };
            if linked {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
            }
        }
    }
    let mut groups: Vec<Vec<Event>> = Vec::new();
    let mut group_of: HashMap<usize, usize> = HashMap::new();
    for (c, k) in claims.into_iter().zip(&keys) {
        let r = root(&mut parent, index[k]);
        let g = *group_of.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(c);
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_groups_keep_every_compatible_pair_together() {
        let values = [
            "2001",
            "2001-12-22",
            "2002",
            "200X",
            "XXXX-10",
            "2019-SP",
            "2019-04",
            "PRESENT_REF",
            "199X",
            "1995",
            "PRESENT_REF",
        ];
        let claims: Vec<Event> = values
            .iter()
            .map(|v| Event {
                id: v.to_string(),
                kind: EventType::Attack,
                date: Some(v.to_string()),
                date_text: None,
                place: None,
                place_entity: None,
                actors: vec![],
                targets: vec![],
                killed: None,
                injured: None,
                claimed_by: None,
                modality: annals_model::event::Modality::Asserted,
                evidence: vec![],
                conflicts_with: vec![],
                merge_reasons: vec![],
                claims: vec![],
            })
            .collect();
        let groups = date_components(claims);
        let group_of = |v: &str| {
            groups
                .iter()
                .position(|g| g.iter().any(|e| e.id == v))
                .unwrap()
        };
        for a in values {
            for b in values {
                if annals_events::dates_compatible(a, b) {
                    assert_eq!(group_of(a), group_of(b), "{a} ~ {b}");
                }
            }
        }
        // Without unknown digits, years stay apart.
        let plain = date_components(
            ["1990", "1991"]
                .iter()
                .map(|v| Event {
                    id: v.to_string(),
                    date: Some(v.to_string()),
                    ..groups[0][0].clone()
                })
                .collect(),
        );
        assert_eq!(plain.len(), 2);
    }
}
