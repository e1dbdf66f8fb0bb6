//! What the reading room shows, read once from the store into memory.
//!
//! The store (SQLite) is opened, streamed and closed: pages and API answers are
//! made from this snapshot, which is immutable and shared between request
//! threads. A reload builds a new snapshot and swaps it in, so a request sees
//! one committed run, never a mix.
use annals_engine::Engine;
use annals_model::event::Event;
use annals_model::know::{Entity, Mention};
use annals_model::notes::{Marker, Note};
use annals_model::{Diagnostic, Document, Part};
use std::collections::{BTreeMap, HashMap};

/// Everything the pages need, indexed for lookups.
#[derive(Default)]
pub struct Snapshot {
    /// Documents in store order.
    pub docs: Vec<Document>,
    /// Document id → position in `docs`.
    pub doc_index: HashMap<String, usize>,
    /// Diagnostics by document id.
    pub diagnostics: HashMap<String, Vec<Diagnostic>>,
    /// Markers by document id, by position.
    pub markers: HashMap<String, Vec<Marker>>,
    /// Notes by document id, by number.
    pub notes: HashMap<String, Vec<Note>>,
    /// Entities with their mention counts, by id.
    pub entities: BTreeMap<String, (Entity, u64)>,
    /// Mentions by document id, by position.
    pub mentions: HashMap<String, Vec<Mention>>,
    /// Mentions by entity id, as (document id, index in `mentions[doc]`).
    pub mentions_of: HashMap<String, Vec<(String, usize)>>,
    /// Events, by id.
    pub events: Vec<Event>,
    /// Store totals.
    pub stats: annals_engine::StoreStats,
}

impl Snapshot {
    /// Reads everything from the engine's store.
    pub fn load(engine: &Engine) -> Result<Snapshot, annals_engine::EngineError> {
        let store = engine.store();
        let mut s = Snapshot {
            stats: engine.stats()?,
            ..Default::default()
        };
        store.for_each_document(&mut |d| {
            s.doc_index.insert(d.id.clone(), s.docs.len());
            s.docs.push(d);
            Ok(())
        })?;
        // Diagnostics belong to a source; a document gets those on its lines.
        let mut by_source: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, d) in s.docs.iter().enumerate() {
            by_source.entry(d.source.clone()).or_default().push(i);
        }
        for diag in store.diagnostics(None)? {
            if let Some(ids) = by_source.get(&diag.source) {
                for &i in ids {
                    let d = &s.docs[i];
                    if diag.line.is_none_or(|l| l >= d.lines[0] && l <= d.lines[1]) {
                        s.diagnostics
                            .entry(d.id.clone())
                            .or_default()
                            .push(diag.clone());
                    }
                }
            }
        }
        store.for_each_marker(&mut |m| {
            s.markers.entry(m.doc.clone()).or_default().push(m);
            Ok(())
        })?;
        store.for_each_note(&mut |n| {
            s.notes.entry(n.doc.clone()).or_default().push(n);
            Ok(())
        })?;
        store.for_each_entity(&mut |(e, n)| {
            s.entities.insert(e.id.clone(), (e, n));
            Ok(())
        })?;
        store.for_each_mention(&mut |m| {
            let list = s.mentions.entry(m.doc.clone()).or_default();
            s.mentions_of
                .entry(m.entity.clone())
                .or_default()
                .push((m.doc.clone(), list.len()));
            list.push(m);
            Ok(())
        })?;
        store.for_each_event(&mut |e| {
            s.events.push(e);
            Ok(())
        })?;
        Ok(s)
    }

    /// A document by id.
    pub fn doc(&self, id: &str) -> Option<&Document> {
        self.doc_index.get(id).map(|&i| &self.docs[i])
    }

    /// An entity by id.
    pub fn entity(&self, id: &str) -> Option<&Entity> {
        self.entities.get(id).map(|(e, _)| e)
    }

    /// The display name of an entity id (the id itself when unknown).
    pub fn entity_name<'a>(&'a self, id: &'a str) -> &'a str {
        self.entity(id).map(|e| e.name.as_str()).unwrap_or(id)
    }

    /// Events that involve an entity (as place, actor, target or claimant).
    pub fn events_of(&self, e: &Entity) -> Vec<&Event> {
        let names: Vec<&str> = std::iter::once(e.name.as_str())
            .chain(e.aliases.iter().map(String::as_str))
            .chain(std::iter::once(e.id.as_str()))
            .collect();
        let hit = |s: &str| names.iter().any(|n| n.eq_ignore_ascii_case(s));
        self.events
            .iter()
            .filter(|ev| {
                ev.place_entity.as_deref() == Some(e.id.as_str())
                    || ev.place.as_deref().is_some_and(hit)
                    || ev.actors.iter().any(|a| hit(a))
                    || ev.targets.iter().any(|a| hit(a))
                    || ev.claimed_by.as_deref().is_some_and(hit)
            })
            .collect()
    }

    /// Events with evidence in a document.
    pub fn events_in(&self, doc: &str) -> Vec<&Event> {
        self.events
            .iter()
            .filter(|e| e.evidence.iter().any(|ev| ev.doc == doc))
            .collect()
    }

    /// The part of `doc` that holds source offset `at`.
    pub fn part_at<'a>(&self, doc: &'a Document, at: usize) -> Option<(usize, &'a Part)> {
        doc.parts
            .iter()
            .enumerate()
            .find(|(_, p)| p.span.start <= at && at < p.span.end.max(p.span.start + 1))
    }
}

/// The character offset in a part's text of a source offset (the inverse of
/// the part's offset map; offsets that fall in stripped markup go to the next
/// text character).
pub fn text_offset(part: &Part, source: usize) -> usize {
    let anchors = part.map.anchors();
    if anchors.is_empty() {
        return source.saturating_sub(part.span.start);
    }
    // Anchors increase in both coordinates.
    let i = anchors.partition_point(|a| a.1 <= source);
    if i == 0 {
        return 0;
    }
    let (t, s) = anchors[i - 1];
    let off = t + (source - s);
    // Don't run past the next anchor's text offset.
    match anchors.get(i) {
        Some(&(nt, _)) => off.min(nt),
        None => off,
    }
}

/// Up to `n` characters of `text` either side of chars `start..end`, as
/// (before, match, after).
pub fn context(text: &str, start: usize, end: usize, n: usize) -> (String, String, String) {
    let chars: Vec<char> = text.chars().collect();
    let start = start.min(chars.len());
    let end = end.clamp(start, chars.len());
    let b = start.saturating_sub(n);
    let a = (end + n).min(chars.len());
    let mut before: String = chars[b..start].iter().collect();
    if b > 0 {
        before.insert(0, '…');
    }
    let mut after: String = chars[end..a].iter().collect();
    if a < chars.len() {
        after.push('…');
    }
    (before, chars[start..end].iter().collect(), after)
}
