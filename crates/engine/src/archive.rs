//! The archive-wide passes: entities and events are made from the claims of
//! every stored source, then the user's decisions are replayed on them.
//!
//! They run inside the transaction of the ingest run (after its sources were
//! replaced) or of a user decision, so the archive is never seen half merged.
//! Both passes read only the store, never the files, and cost a fraction of
//! extraction: claims are stored, so an unchanged source is never re-read.
use crate::ids::Ids;
use crate::EngineError;
use annals_model::event::Event;
use annals_model::know::Entity;
use annals_store::{ClaimOrder, DecisionAction, Run};
use std::collections::{HashMap, HashSet};

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
///
/// Claims are loaded one group (type × year) at a time and each group's
/// events written before the next is read, so memory follows the largest
/// group rather than the archive. Two claims of different years are never
/// one event; claims whose year is unknown (`XXXX-10`, `200X`) are offered
/// to every year of their type and join the first whose events take them.
/// User decisions can join any claims, so when there are some the events
/// are kept until all groups are merged and the decisions replayed.
pub(crate) fn refresh_events(run: &mut dyn Run) -> Result<(), EngineError> {
    let decisions = event_decisions(run)?;
    run.clear_events()?;
    let mut ids = Ids::default();
    let mut event_ids = Ids::default();
    let mut kept: Vec<Event> = Vec::new();
    let keep_all = !(decisions.merges.is_empty() && decisions.splits.is_empty());
    let mut out = |run: &mut dyn Run, mut events: Vec<Event>| -> Result<(), EngineError> {
        if keep_all {
            kept.extend(events);
        } else {
            event_ids.events(&mut events);
            run.add_events(&events)?;
        }
        Ok(())
    };
    for (kind, prefixes) in groups_by_type(run.event_claim_groups()?) {
        let mut pool: Vec<(ClaimOrder, Event)> = Vec::new();
        let mut years = Vec::new();
        let mut others = Vec::new();
        for p in prefixes {
            match p.as_deref() {
                // undated claims never merge: they pass through as they are
                None => {
                    let claims = ids.claims(run.event_claims_in(&kind, None)?);
                    out(run, claims.into_iter().map(|(_, c)| c).collect())?;
                }
                Some(y) if y.len() == 4 && y.bytes().all(|c| c.is_ascii_digit()) => years.push(p),
                Some(y) if y.bytes().all(|c| c.is_ascii_digit() || c == b'X') => {
                    pool.extend(ids.claims(run.event_claims_in(&kind, p.as_deref())?))
                }
                Some(_) => others.push(p),
            }
        }
        for y in years {
            let group = ids.claims(run.event_claims_in(&kind, y.as_deref())?);
            let (events, rest) = merge_with_pool(group, pool);
            pool = rest;
            out(run, events)?;
        }
        out(run, merge_in_order(pool))?;
        for p in others {
            let group = ids.claims(run.event_claims_in(&kind, p.as_deref())?);
            out(run, merge_in_order(group))?;
        }
    }
    if keep_all {
        let mut events = annals_events::apply_decisions(kept, &decisions);
        event_ids.events(&mut events);
        run.add_events(&events)?;
    }
    Ok(())
}

fn event_decisions(run: &dyn Run) -> Result<annals_events::Decisions, EngineError> {
    let mut decisions = annals_events::Decisions::default();
    for d in run.event_decisions()? {
        match d.action {
            DecisionAction::Merge => decisions.merges.push(d.claims),
            DecisionAction::Split => decisions.splits.extend(d.claims),
        }
    }
    Ok(decisions)
}

/// `(type, date prefixes)` in the order the store lists them.
fn groups_by_type(groups: Vec<(String, Option<String>)>) -> Vec<(String, Vec<Option<String>>)> {
    let mut out: Vec<(String, Vec<Option<String>>)> = Vec::new();
    for (kind, prefix) in groups {
        match out.last_mut() {
            Some((k, ps)) if *k == kind => ps.push(prefix),
            _ => out.push((kind, vec![prefix])),
        }
    }
    out
}

fn merge_in_order(mut claims: Vec<(ClaimOrder, Event)>) -> Vec<Event> {
    claims.sort_by(|a, b| a.0.cmp(&b.0));
    annals_events::merge(claims.into_iter().map(|(_, c)| c).collect())
}

/// Merges one year's claims together with the pool of claims whose year is
/// unknown, in reading order. Returns the events holding a claim of the year
/// and the pool claims none of them took.
fn merge_with_pool(
    group: Vec<(ClaimOrder, Event)>,
    pool: Vec<(ClaimOrder, Event)>,
) -> (Vec<Event>, Vec<(ClaimOrder, Event)>) {
    if pool.is_empty() {
        return (merge_in_order(group), pool);
    }
    let pooled: HashSet<String> = pool.iter().map(|(_, c)| claim_key(c)).collect();
    let mut all = group;
    all.extend(pool.iter().cloned());
    let mut taken: HashSet<String> = HashSet::new();
    let events: Vec<Event> = merge_in_order(all)
        .into_iter()
        .filter(|e| {
            let keys = event_claim_keys(e);
            let of_year = keys.iter().any(|k| !pooled.contains(k));
            if of_year {
                taken.extend(keys.into_iter().filter(|k| pooled.contains(k)));
            }
            of_year
        })
        .collect();
    let rest = pool
        .into_iter()
        .filter(|(_, c)| !taken.contains(&claim_key(c)))
        .collect();
    (events, rest)
}

/// What names a single claim: its telling's id (the event id for claims stored without one).
fn claim_key(c: &Event) -> String {
    c.claims
        .first()
        .map(|t| t.id.clone())
        .unwrap_or_else(|| c.id.clone())
}

fn event_claim_keys(e: &Event) -> Vec<String> {
    if e.claims.is_empty() {
        vec![e.id.clone()]
    } else {
        e.claims.iter().map(|t| t.id.clone()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::event::{Claim, EventEvidence, EventType, Modality};
    use annals_model::Span;

    fn claim(doc: &str, at: usize, date: &str, text: &str, actor: &str) -> (ClaimOrder, Event) {
        let span = Span::new(1, at, at + text.len());
        let id = format!("{doc}:{at}:attack");
        let e = Event {
            id: format!("ev:{doc}:{at}"),
            kind: EventType::Attack,
            date: Some(date.into()),
            date_text: None,
            place: None,
            place_entity: None,
            actors: vec![actor.into()],
            targets: vec![],
            killed: None,
            injured: None,
            claimed_by: None,
            modality: Modality::Asserted,
            evidence: vec![EventEvidence {
                doc: doc.into(),
                span,
                text: text.into(),
                notes: vec![],
            }],
            conflicts_with: vec![],
            merge_reasons: vec![],
            claims: vec![Claim {
                id,
                doc: doc.into(),
                span,
                kind: EventType::Attack,
                date: Some(date.into()),
                date_text: None,
            }],
        };
        ((doc.to_string(), 0, at as i64), e)
    }

    #[test]
    fn a_claim_of_unknown_year_joins_one_year_at_most() {
        let told = "Harrow Front fighters attacked the depot at Vell in October.";
        let pool = vec![
            claim("c", 1, "XXXX-10", told, "Harrow Front"),
            claim(
                "c",
                900,
                "XXXX-10",
                "Quiet Lantern raided a mine.",
                "Quiet Lantern",
            ),
        ];
        let y2020 = vec![claim("a", 5, "2020-10", told, "Harrow Front")];
        let (events, pool) = merge_with_pool(y2020, pool);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].evidence.len(), 2, "{:?}", events[0].merge_reasons);
        assert_eq!(pool.len(), 1, "the unmatched claim waits for other years");
        // the next year cannot take the claim the first one took
        let y2021 = vec![claim("b", 5, "2021-10", told, "Harrow Front")];
        let (events, pool) = merge_with_pool(y2021, pool);
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].evidence.len(), 1);
        assert_eq!(merge_in_order(pool).len(), 1);
    }

    #[test]
    fn ids_stay_unique_across_groups() {
        let mut ids = Ids::default();
        let a = ids.claims(vec![claim("a", 1, "2020", "x", "y")]);
        let b = ids.claims(vec![claim("a", 1, "2020", "x", "y")]);
        assert_ne!(a[0].1.id, b[0].1.id);
    }
}
