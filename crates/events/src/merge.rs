//! Joining tellings of one real-world event, within and across documents, and
//! keeping incompatible accounts apart (`conflicts_with`) instead of merging
//! them silently. User decisions (merges and splits) are replayed after every
//! automatic merge so they survive re-ingest.
use annals_model::event::{Claim, Event, EventType};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// Whether two TIMEX3 values can name the same time: equal, or one a
/// refinement of the other (`2001` ~ `2001-12-22`, `XXXX-10` ~ `2021-10`, `200X` ~ `2004`).
pub fn dates_compatible(a: &str, b: &str) -> bool {
    // a season holds its months: `2019-SP` ~ `2019-04`
    fn season(v: &str) -> Option<(&str, [u32; 3])> {
        let (y, s) = v.split_once('-')?;
        let months = match s {
            "SP" => [3, 4, 5],
            "SU" => [6, 7, 8],
            "FA" | "AU" => [9, 10, 11],
            "WI" => [12, 1, 2],
            _ => return None,
        };
        Some((y, months))
    }
    if let Some((y, months)) = season(a).or_else(|| season(b)) {
        let other = if season(a).is_some() { b } else { a };
        if other == a && other == b {
            return true;
        }
        let oy = other.get(..4).unwrap_or("");
        let om = other.get(5..7).and_then(|m| m.parse::<u32>().ok());
        return oy
            .bytes()
            .zip(y.bytes())
            .all(|(p, q)| p == q || p == b'X' || q == b'X')
            && om.is_none_or(|m| months.contains(&m))
            && (other.len() == 4
                || om.is_some()
                || season(other).is_some_and(|(_, m)| m == months));
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if !long.starts_with(|c: char| c.is_ascii_digit() || c == 'X') {
        return a == b;
    }
    short
        .bytes()
        .zip(long.bytes())
        .all(|(x, y)| x == y || x == b'X' || y == b'X')
        && (short.len() == long.len() || long.as_bytes().get(short.len()) == Some(&b'-'))
}

fn precision(v: &str) -> usize {
    v.bytes().filter(|c| c.is_ascii_digit()).count()
}

fn norm_tokens(s: &str) -> BTreeSet<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 1)
        .map(|w| w.to_lowercase())
        .filter(|w| !matches!(w.as_str(), "the" | "of" | "and" | "s" | "a" | "an"))
        .map(|w| {
            if w.len() > 4 {
                w.trim_end_matches('s').to_string()
            } else {
                w
            }
        })
        .collect()
}

/// Two names that may be one: one's words all in the other's (`Islamic State` ~ `Islamic State-Khorasan`).
fn names_match(a: &str, b: &str) -> bool {
    let (x, y) = (norm_tokens(a), norm_tokens(b));
    !x.is_empty() && !y.is_empty() && (x.is_subset(&y) || y.is_subset(&x))
}

/// `names_match` on tokens already normalised.
fn tokens_match(x: &BTreeSet<String>, y: &BTreeSet<String>) -> bool {
    !x.is_empty() && !y.is_empty() && (x.is_subset(y) || y.is_subset(x))
}

/// `any_match` on tokens already normalised.
fn any_match(a: &[BTreeSet<String>], b: &[BTreeSet<String>]) -> usize {
    a.iter()
        .filter(|x| b.iter().any(|y| tokens_match(x, y)))
        .count()
}

/// What the pair tests need of one event, computed once per event: the pair
/// loops are the archive-wide hot spot, and normalising names per pair made them superlinear.
struct Prep {
    /// Content words of the evidence as ids from the merge's [`Interner`], sorted.
    words: Vec<u32>,
    place: Option<BTreeSet<String>>,
    strong_place: bool,
    actors: Vec<BTreeSet<String>>,
    targets: Vec<BTreeSet<String>>,
    claimed_by: Option<BTreeSet<String>>,
}

impl Prep {
    fn new(e: &Event, ids: &mut Interner) -> Self {
        let mut words: Vec<u32> = content_words(e).into_iter().map(|w| ids.id(w)).collect();
        words.sort_unstable();
        Prep {
            words,
            place: e.place.as_deref().map(norm_tokens),
            strong_place: strong_place(e).is_some(),
            actors: e.actors.iter().map(|a| norm_tokens(a)).collect(),
            targets: e.targets.iter().map(|t| norm_tokens(t)).collect(),
            claimed_by: e.claimed_by.as_deref().map(norm_tokens),
        }
    }

    fn strong_place(&self) -> Option<&BTreeSet<String>> {
        self.place.as_ref().filter(|_| self.strong_place)
    }
}

const STOP: &[&str] = &[
    "that", "this", "with", "from", "were", "was", "have", "been", "their", "they", "which",
    "when", "after", "into", "also", "than", "then", "there", "would", "could", "about", "other",
    "over", "some", "more", "most", "such", "what", "while", "will", "only", "very", "even",
    "just", "still",
];

fn content_words(e: &Event) -> BTreeSet<String> {
    e.evidence
        .iter()
        .flat_map(|ev| {
            ev.text
                .split(|c: char| !c.is_alphanumeric())
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
        })
        .filter(|w| {
            w.len() > 3 && !STOP.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit())
        })
        .map(|w| w.trim_end_matches('s').to_string())
        .collect()
}

/// Word ids, one per distinct word of a merge run: the pair tests compare
/// sorted id lists instead of sets of strings.
#[derive(Default)]
struct Interner(HashMap<String, u32>);

impl Interner {
    fn id(&mut self, w: String) -> u32 {
        let n = self.0.len() as u32;
        *self.0.entry(w).or_insert(n)
    }
}

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut x, mut y) = (0usize, 0, 0);
    while x < a.len() && y < b.len() {
        match a[x].cmp(&b[y]) {
            std::cmp::Ordering::Less => x += 1,
            std::cmp::Ordering::Greater => y += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                x += 1;
                y += 1;
            }
        }
    }
    let (i, u) = (i as f64, (a.len() + b.len() - i) as f64);
    if u == 0.0 {
        0.0
    } else {
        i / u
    }
}

fn adjacent(a: &Event, b: &Event) -> bool {
    a.evidence.iter().any(|x| {
        b.evidence.iter().any(|y| {
            x.doc == y.doc && x.span.line == y.span.line && {
                let gap = if x.span.end <= y.span.start {
                    y.span.start - x.span.end
                } else {
                    x.span.start.saturating_sub(y.span.end)
                };
                gap <= 250
            }
        })
    })
}

/// A place named after `in`/`at` in the evidence: a strong statement of where.
fn strong_place(e: &Event) -> Option<&str> {
    let p = e.place.as_deref()?;
    e.evidence
        .iter()
        .any(|ev| {
            ["in ", "at ", "near ", "in the ", "at the "]
                .iter()
                .any(|pre| ev.text.contains(&format!("{pre}{p}")))
        })
        .then_some(p)
}

/// Two events that cannot be one: different type, incompatible dates, different
/// places named after in/at, or actors on both sides that share no name.
fn blocked(a: &Event, b: &Event, xa: &Prep, xb: &Prep) -> bool {
    if a.kind != b.kind {
        return true;
    }
    match (a.date.as_deref(), b.date.as_deref()) {
        (Some(x), Some(y)) if dates_compatible(x, y) => {}
        _ => return true,
    }
    if let (Some(pa), Some(pb)) = (xa.strong_place(), xb.strong_place()) {
        let same = match (&a.place_entity, &b.place_entity) {
            (Some(x), Some(y)) => x == y,
            _ => tokens_match(pa, pb),
        };
        if !same {
            return true;
        }
    }
    !a.actors.is_empty() && !b.actors.is_empty() && any_match(&xa.actors, &xb.actors) == 0
}

/// Why two events are the same one, or None. `Err` when they are the same
/// event told with incompatible claims.
fn same_event(a: &Event, b: &Event, xa: &Prep, xb: &Prep) -> Option<Result<String, String>> {
    let (wa, wb) = (&xa.words, &xb.words);
    if a.kind != b.kind {
        return None;
    }
    let (da, db) = (a.date.as_deref()?, b.date.as_deref()?);
    if !dates_compatible(da, db) {
        return None;
    }
    if let (Some(pa), Some(pb)) = (xa.strong_place(), xb.strong_place()) {
        let same = match (&a.place_entity, &b.place_entity) {
            (Some(x), Some(y)) => x == y,
            _ => tokens_match(pa, pb),
        };
        if !same {
            return None;
        }
    }
    let actors = any_match(&xa.actors, &xb.actors);
    if !a.actors.is_empty() && !b.actors.is_empty() && actors == 0 {
        return None;
    }
    // two accounts of the toll told side by side, one of them attributed: the same
    // event, told with incompatible figures
    let kv = |e: &Event| e.killed.as_ref().and_then(|k| k.value);
    if let (Some(x), Some(y)) = (kv(a), kv(b)) {
        if x != y
            && da == db
            && adjacent(a, b)
            && (a.claimed_by.is_some() || b.claimed_by.is_some())
        {
            return Some(Err(format!("killed {x} vs {y}, told side by side")));
        }
    }
    let mut reasons = Vec::new();
    let place_match = match (&a.place_entity, &b.place_entity) {
        (Some(x), Some(y)) => x == y,
        _ => xa
            .place
            .as_ref()
            .zip(xb.place.as_ref())
            .is_some_and(|(x, y)| tokens_match(x, y)),
    };
    if place_match {
        reasons.push(format!("same place ({})", a.place.as_deref().unwrap_or("")));
    }
    let shared = actors + any_match(&xa.targets, &xb.targets);
    if shared > 0 {
        reasons.push(format!("{shared} shared actor(s)/target(s)"));
    }
    let j = jaccard(wa, wb);
    if j >= 0.3 {
        reasons.push(format!("wording overlap {j:.2}"));
    }
    // a retelling right after, more precisely dated, unless each names different targets
    let other_targets =
        !a.targets.is_empty() && !b.targets.is_empty() && any_match(&xa.targets, &xb.targets) == 0;
    // (a named event mentioned in passing, "the leader responsible for 9/11", is no retelling)
    let is_named = |d: &str| crate::lexicon::named_date(d) == Some(a.kind);
    let adj = adjacent(a, b)
        && precision(da) != precision(db)
        && !other_targets
        && !is_named(da)
        && !is_named(db);
    if adj {
        reasons.push("told again in the next sentence, more precisely dated".into());
    }
    // a date that names an event ("9/11") names one event
    let named = da == db && crate::lexicon::named_date(da) == Some(a.kind);
    if named {
        reasons.push(format!("the named event of {da}"));
    }
    let strong = named
        || adj
        || j >= 0.3
        || shared >= 2
        || (place_match && shared >= 1)
        || (place_match && j >= 0.15)
        || (place_match && precision(da) >= 8 && da == db);
    if !strong {
        return None;
    }
    let reason = format!(
        "{} {} ~ {}: {}",
        a.kind.as_str(),
        da,
        db,
        reasons.join(", ")
    );
    // incompatible accounts of one event stay apart
    let kv = |e: &Event| e.killed.as_ref().and_then(|k| k.value);
    if let (Some(x), Some(y)) = (kv(a), kv(b)) {
        if x != y {
            return Some(Err(format!("killed {x} vs {y}")));
        }
    }
    if let (Some(x), Some(y)) = (&a.claimed_by, &b.claimed_by) {
        let (tx, ty) = (xa.claimed_by.as_ref(), xb.claimed_by.as_ref());
        if !tx.zip(ty).is_some_and(|(tx, ty)| tokens_match(tx, ty)) {
            return Some(Err(format!("claimed by {x} vs {y}")));
        }
    }
    Some(Ok(reason))
}

/// The root of `i` without compressing the path.
fn root_of(p: &[usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    r
}

fn find(p: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while p[r] != r {
        r = p[r];
    }
    let mut i = i;
    while p[i] != r {
        let n = p[i];
        p[i] = r;
        i = n;
    }
    r
}

/// The names a definite reference to an earlier event carries ("the 2001 attacks",
/// "the Kunduz attack", "the meeting in Doha"), or None when the event is not told
/// by one (a new telling: "the first visit", or a plain "the attack", too vague to
/// join without a year or a name). Some(names) with a year in the phrase may be empty.
fn definite_reference(e: &Event) -> Option<Vec<String>> {
    let ev = e.evidence.first()?;
    let text = &ev.text;
    let first = crate::lexicon::triggers(text)
        .into_iter()
        .find(|h| h.kind == e.kind)?;
    crate::extract::DEFINITE.captures_iter(text).find_map(|c| {
        let whole = c.get(0).unwrap();
        let noun = c.get(1).unwrap();
        let words: Vec<&str> = whole.as_str().split_whitespace().collect();
        let novel = words.iter().any(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "a" | "first" | "new" | "latest" | "last" | "next" | "second" | "another"
            )
        });
        // a capitalised noun is a title or a verb after a name ("the Weidong Group Visits")
        if noun.start() != first.start || novel || !noun.as_str().starts_with(char::is_lowercase) {
            return None;
        }
        let year = words
            .iter()
            .any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
        let mut names: Vec<String> = words[1..words.len() - 1]
            .iter()
            .filter(|w| w.starts_with(char::is_uppercase))
            .map(|w| {
                w.trim_end_matches(['’', '\''])
                    .trim_end_matches("’s")
                    .trim_end_matches("'s")
                    .to_string()
            })
            .collect();
        // "the summit in Bishkek": the place said with it
        if let Some(p) = &e.place {
            let after = &text[noun.end()..];
            if [" in ", " at ", " in the ", " at the "]
                .iter()
                .any(|pre| after.starts_with(&format!("{pre}{p}")))
            {
                names.push(p.clone());
            }
        }
        (year || !names.is_empty()).then_some(names)
    })
}

/// Whether `e` names every one of `names` (in its place or its evidence).
fn names_all(e: &Event, names: &[String]) -> bool {
    names.iter().all(|n| {
        e.place.as_deref().is_some_and(|p| names_match(p, n))
            || e.evidence.iter().any(|ev| ev.text.contains(n.as_str()))
    })
}

/// Where a date can find compatible dates: its year (and month, when it has
/// one), any year (`XXXX-10`, `200X`), or only the same value (`PRESENT_REF`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Zone {
    Year(u16),
    Wild,
    /// The value's id in the run's [`Interner`].
    Only(u32),
}

fn zone_of(date: &str, ids: &mut Interner) -> Zone {
    match date.get(..4) {
        Some(y) if y.bytes().all(|c| c.is_ascii_digit()) => Zone::Year(y.parse().unwrap_or(0)),
        Some(y) if y.bytes().all(|c| c.is_ascii_digit() || c == b'X') => Zone::Wild,
        _ => Zone::Only(ids.id(format!("date:{date}"))),
    }
}

/// A token shared by more claims of one type and zone than this proposes no
/// pairs: it says nothing about which of them are one event ("meeting" in a
/// year of meetings), and comparing them all is what made merging grow with
/// the square of the archive. Pairs sharing only such tokens are not compared.
const POSTING_CAP: usize = 256;

/// Candidate partners for each claim: the pairs [`same_event`] could accept.
/// Every accepted pair needs compatible dates and one of: the same document
/// (a retelling next to it, a toll told twice), the same precise or named
/// date, or a shared word of wording, place, actors or targets — so claims
/// are indexed by those and only pairs meeting in an index are compared.
struct Blocks {
    kind_zone: Vec<(EventType, Zone)>,
    /// (type, zone, token) → claims; capped lists are dropped.
    postings: HashMap<(EventType, Zone, u32), Vec<usize>>,
    /// (type, token) → claims of every zone: what a `Wild` date meets.
    any_zone: HashMap<(EventType, u32), Vec<usize>>,
    by_doc: HashMap<String, Vec<usize>>,
    /// (type, precise or named date) → claims.
    by_date: HashMap<(EventType, u32), Vec<usize>>,
    /// (date id, tokens) of each claim.
    tokens: Vec<(u32, Vec<u32>)>,
}

impl Blocks {
    fn new(events: &[Event], prep: &[Prep], ids: &mut Interner) -> Self {
        let mut b = Blocks {
            kind_zone: Vec::with_capacity(events.len()),
            postings: HashMap::new(),
            any_zone: HashMap::new(),
            by_doc: HashMap::new(),
            by_date: HashMap::new(),
            tokens: Vec::with_capacity(events.len()),
        };
        for (i, (e, x)) in events.iter().zip(prep).enumerate() {
            let zone = match e.date.as_deref() {
                Some(d) => zone_of(d, ids),
                None => Zone::Only(u32::MAX),
            };
            let date_id = ids.id(format!("date:{}", e.date.as_deref().unwrap_or("")));
            let mut toks: Vec<u32> = x.words.clone();
            let names = x.place.iter().chain(&x.actors).chain(&x.targets);
            toks.extend(names.flatten().map(|w| ids.id(w.clone())));
            toks.sort_unstable();
            toks.dedup();
            if let Some(d) = e.date.as_deref() {
                for &t in &toks {
                    b.postings.entry((e.kind, zone, t)).or_default().push(i);
                    b.any_zone.entry((e.kind, t)).or_default().push(i);
                }
                if precision(d) >= 8 || crate::lexicon::named_date(d).is_some() {
                    b.by_date.entry((e.kind, date_id)).or_default().push(i);
                }
            }
            let mut docs: Vec<&str> = e.evidence.iter().map(|ev| ev.doc.as_str()).collect();
            docs.sort_unstable();
            docs.dedup();
            for d in docs {
                b.by_doc.entry(d.to_string()).or_default().push(i);
            }
            b.kind_zone.push((e.kind, zone));
            b.tokens.push((date_id, toks));
        }
        b.postings.retain(|_, v| v.len() <= POSTING_CAP);
        b.any_zone.retain(|_, v| v.len() <= POSTING_CAP);
        b
    }

    /// Claims after `i` that could be the same event as `i`, in order.
    fn partners(&self, i: usize, events: &[Event]) -> Vec<usize> {
        let Some(di) = events[i].date.as_deref() else {
            return Vec::new();
        };
        let (kind, zone) = self.kind_zone[i];
        let (date_id, toks) = &self.tokens[i];
        let mut out: Vec<usize> = Vec::new();
        let mut take = |v: &[usize]| out.extend(v.iter().copied().filter(|&j| j > i));
        for &t in toks {
            match zone {
                Zone::Wild => {
                    if let Some(v) = self.any_zone.get(&(kind, t)) {
                        take(v);
                    }
                }
                _ => {
                    if let Some(v) = self.postings.get(&(kind, zone, t)) {
                        take(v);
                    }
                    if !matches!(zone, Zone::Only(_)) {
                        if let Some(v) = self.postings.get(&(kind, Zone::Wild, t)) {
                            take(v);
                        }
                    }
                }
            }
        }
        if let Some(v) = self.by_date.get(&(kind, *date_id)) {
            take(v);
        }
        for ev in &events[i].evidence {
            if let Some(v) = self.by_doc.get(&ev.doc) {
                take(v);
            }
        }
        out.sort_unstable();
        out.dedup();
        out.retain(|&j| {
            events[j].kind == kind
                && events[j]
                    .date
                    .as_deref()
                    .is_some_and(|dj| dates_compatible(di, dj))
        });
        out
    }
}

/// Joins events into one when they are the same real-world event: same type,
/// compatible dates, no conflicting place, and shared place/actors/targets,
/// strong wording overlap, or a retelling in the next sentence. Conflicting
/// claims (casualty figures, attribution) are kept apart and point at each
/// other through `conflicts_with`.
pub fn merge(events: Vec<Event>) -> Vec<Event> {
    let n = events.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut reasons: Vec<(usize, String)> = Vec::new();
    let mut conflicts: Vec<(usize, usize, String)> = Vec::new();
    let mut ids = Interner::default();
    let prep: Vec<Prep> = events.iter().map(|e| Prep::new(e, &mut ids)).collect();
    let blocks = Blocks::new(&events, &prep, &mut ids);
    // conflicts each claim is in, by index into `conflicts`
    let mut conflicts_of: Vec<Vec<usize>> = vec![Vec::new(); n];
    // a definite reference joins the nearest event of its kind told before it in its document
    for j in 0..n {
        if events[j].evidence.len() != 1 {
            continue;
        }
        let Some(names) = definite_reference(&events[j]) else {
            continue;
        };
        let ej = &events[j].evidence[0];
        let before = blocks.by_doc[&ej.doc]
            .iter()
            .copied()
            .filter(|&i| {
                events[i].evidence.first().is_some_and(|ei| {
                    i != j
                        && ei.doc == ej.doc
                        && ei.span.start < ej.span.start
                        && !blocked(&events[i], &events[j], &prep[i], &prep[j])
                        && names_all(&events[i], &names)
                })
            })
            .max_by_key(|&i| events[i].evidence[0].span.start);
        if let Some(i) = before {
            let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
            if ri != rj {
                let (keep, gone) = (ri.min(rj), ri.max(rj));
                parent[gone] = keep;
                let moved = std::mem::take(&mut members[gone]);
                members[keep].extend(moved);
                let d = events[i].date.as_deref().unwrap_or("-");
                reasons.push((
                    j,
                    format!(
                        "{} {d}: told again by a definite reference (line {})",
                        events[j].kind.as_str(),
                        ej.span.line
                    ),
                ));
            }
        }
    }
    for i in 0..n {
        for j in blocks.partners(i, &events) {
            match same_event(&events[i], &events[j], &prep[i], &prep[j]) {
                Some(Ok(r)) => {
                    let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
                    if ri != rj {
                        // a cluster never takes in an event that conflicts with a member
                        let bad = [(ri, rj), (rj, ri)].iter().any(|&(a, b)| {
                            members[a].iter().any(|&x| {
                                conflicts_of[x].iter().any(|&c| {
                                    let (p, q, _) = &conflicts[c];
                                    let other = if *p == x { *q } else { *p };
                                    root_of(&parent, other) == b
                                })
                            })
                        });
                        // nor one whose members cannot be one event with its own (no chaining)
                        let clash = members[ri].iter().any(|&x| {
                            members[rj]
                                .iter()
                                .any(|&y| blocked(&events[x], &events[y], &prep[x], &prep[y]))
                        });
                        if !bad && !clash {
                            let (keep, gone) = (ri.min(rj), ri.max(rj));
                            parent[gone] = keep;
                            let moved = std::mem::take(&mut members[gone]);
                            members[keep].extend(moved);
                            reasons.push((j, r));
                        }
                    }
                }
                Some(Err(r)) => {
                    conflicts_of[i].push(conflicts.len());
                    conflicts_of[j].push(conflicts.len());
                    conflicts.push((i, j, r));
                }
                None => {}
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut root_group: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let r = find(&mut parent, i);
        let g = *root_group.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(i);
    }
    let mut slots: Vec<Option<Event>> = events.into_iter().map(Some).collect();
    let mut out: Vec<Event> = Vec::new();
    let mut group_of = vec![0; n];
    for (gi, g) in groups.iter().enumerate() {
        let mut it = g.iter();
        let mut base = slots[*it.next().unwrap()].take().unwrap();
        group_of[g[0]] = gi;
        for &k in it {
            group_of[k] = gi;
            let e = slots[k].take().unwrap();
            absorb(&mut base, e);
        }
        for (j, r) in &reasons {
            if g.contains(j) {
                base.merge_reasons.push(r.clone());
            }
        }
        out.push(base);
    }
    for (i, j, why) in conflicts {
        let (gi, gj) = (group_of[i], group_of[j]);
        if gi == gj {
            continue;
        }
        let (idi, idj) = (out[gi].id.clone(), out[gj].id.clone());
        if !out[gi].conflicts_with.contains(&idj) {
            out[gi].conflicts_with.push(idj.clone());
            out[gi]
                .merge_reasons
                .push(format!("not merged with {idj}: {why}"));
        }
        if !out[gj].conflicts_with.contains(&idi) {
            out[gj].conflicts_with.push(idi);
        }
    }
    out
}

/// Adds `e`'s tellings to `base`, keeping the most precise date.
fn absorb(base: &mut Event, e: Event) {
    if let (Some(bd), Some(ed)) = (&base.date, &e.date) {
        if precision(ed) > precision(bd) {
            base.date = e.date.clone();
            base.date_text = e.date_text.clone();
        }
    } else if base.date.is_none() {
        base.date = e.date.clone();
        base.date_text = e.date_text.clone();
    }
    if base.place.is_none() {
        base.place = e.place.clone();
        base.place_entity = e.place_entity.clone();
    }
    for a in e.actors {
        if !base.actors.iter().any(|x| names_match(x, &a)) {
            base.actors.push(a);
        }
    }
    for t in e.targets {
        if !base.targets.iter().any(|x| names_match(x, &t)) {
            base.targets.push(t);
        }
    }
    base.killed = base.killed.take().or(e.killed);
    base.injured = base.injured.take().or(e.injured);
    base.claimed_by = base.claimed_by.take().or(e.claimed_by);
    base.evidence.extend(e.evidence);
    base.claims.extend(e.claims);
    base.merge_reasons.extend(e.merge_reasons);
    for c in e.conflicts_with {
        if !base.conflicts_with.contains(&c) {
            base.conflicts_with.push(c);
        }
    }
}

/// What a user decided about merges, replayed after every automatic merge.
/// Claims are named by their stable ids ([`Claim::id`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decisions {
    /// Groups of claims that tell one event.
    pub merges: Vec<Vec<String>>,
    /// Claims that tell an event of their own (taken out of any merged event).
    pub splits: Vec<String>,
}

/// Applies user decisions to merged events: splits first, then merges.
pub fn apply_decisions(events: Vec<Event>, decisions: &Decisions) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    for mut e in events {
        let split: Vec<Claim> = e
            .claims
            .iter()
            .filter(|c| decisions.splits.contains(&c.id))
            .cloned()
            .collect();
        if split.is_empty() || (split.len() == e.claims.len() && e.claims.len() == 1) {
            out.push(e);
            continue;
        }
        for c in split {
            let pos = e
                .evidence
                .iter()
                .position(|ev| ev.span == c.span && ev.doc == c.doc);
            let evidence = pos.map(|p| e.evidence.remove(p)).into_iter().collect();
            e.claims.retain(|x| x.id != c.id);
            out.push(Event {
                id: format!("ev:{}", c.id),
                kind: c.kind,
                date: c.date.clone(),
                date_text: c.date_text.clone(),
                evidence,
                claims: vec![c.clone()],
                conflicts_with: Vec::new(),
                merge_reasons: vec!["split by user decision".into()],
                ..e.clone()
            });
        }
        if !e.claims.is_empty() {
            e.merge_reasons
                .push("claims split off by user decision".into());
            out.push(e);
        }
    }
    for group in &decisions.merges {
        let idx: Vec<usize> = (0..out.len())
            .filter(|&i| out[i].claims.iter().any(|c| group.contains(&c.id)))
            .collect();
        if idx.len() < 2 {
            continue;
        }
        let mut taken: Vec<Event> = Vec::new();
        for &i in idx.iter().rev() {
            taken.push(out.remove(i));
        }
        taken.reverse();
        let mut it = taken.into_iter();
        let mut base = it.next().unwrap();
        for e in it {
            base.merge_reasons
                .push(format!("merged with {} by user decision", e.id));
            absorb(&mut base, e);
        }
        out.insert(idx[0], base);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::event::{EventEvidence, EventType, Modality};
    use annals_model::Span;

    fn ev(line: u32, start: usize, kind: EventType, date: &str, text: &str) -> Event {
        let span = Span::new(line, start, start + text.chars().count());
        Event {
            id: format!("ev:d:{start}"),
            kind,
            date: Some(date.into()),
            date_text: None,
            place: None,
            place_entity: None,
            actors: vec![],
            targets: vec![],
            killed: None,
            injured: None,
            claimed_by: None,
            modality: Modality::Asserted,
            evidence: vec![EventEvidence {
                doc: "d".into(),
                span,
                text: text.into(),
                notes: vec![],
            }],
            conflicts_with: vec![],
            merge_reasons: vec![],
            claims: vec![Claim {
                id: format!("c{start}"),
                doc: "d".into(),
                span,
                kind,
                date: Some(date.into()),
                date_text: None,
            }],
        }
    }

    /// Blocking must not lose pairs that share a rare word, a wild year or a
    /// document, even among many claims of the same type and year.
    #[test]
    fn blocking_keeps_the_pairs_that_can_merge() {
        let mut events = Vec::new();
        for k in 0..400 {
            let mut e = ev(
                1,
                k * 1000,
                EventType::MeetingVisit,
                "2020",
                "The ministers met for talks on trade in the capital.",
            );
            for (ev, c) in e.evidence.iter_mut().zip(&mut e.claims) {
                ev.doc = format!("doc{k}");
                c.doc = ev.doc.clone();
            }
            events.push(e);
        }
        let mut a = ev(
            3,
            1,
            EventType::MeetingVisit,
            "2020-05",
            "Ostrava envoys visited Quillmere.",
        );
        a.evidence[0].doc = "x".into();
        a.actors = vec!["Ostrava envoys".into()];
        a.place = Some("Quillmere".into());
        let mut b = ev(
            9,
            2,
            EventType::MeetingVisit,
            "XXXX-05",
            "Ostrava envoys were in Quillmere.",
        );
        b.evidence[0].doc = "y".into();
        b.actors = vec!["Ostrava envoys".into()];
        b.place = Some("Quillmere".into());
        events.insert(17, a);
        events.push(b);
        let out = merge(events);
        let joined = out
            .iter()
            .find(|e| e.evidence.iter().any(|x| x.doc == "x"))
            .unwrap();
        assert_eq!(joined.evidence.len(), 2, "{:?}", joined.merge_reasons);
        // the 400 look-alikes share only words too common to propose pairs
        assert_eq!(out.len(), 401);
    }

    #[test]
    fn a_definite_reference_joins_the_event_told_before() {
        let a = ev(
            1,
            0,
            EventType::Attack,
            "1998-08-07",
            "On August 7, 1998, truck bombs struck two embassies",
        );
        let b = ev(
            2,
            100,
            EventType::Attack,
            "1999",
            "the 1999 apartment bombings",
        );
        let c = ev(
            3,
            200,
            EventType::Attack,
            "1998",
            "In the wake of the 1998 bombings, the agency changed",
        );
        let d = ev(
            4,
            300,
            EventType::Attack,
            "1998",
            "the first attack of its kind in 1998",
        );
        let e = ev(
            5,
            400,
            EventType::Attack,
            "1998",
            "the attack was condemned in 1998",
        );
        let f = ev(
            6,
            500,
            EventType::Attack,
            "1998",
            "the Nairobi attack in 1998 shocked Kenya",
        );
        let out = merge(vec![a, b, c, d, e, f]);
        assert_eq!(out.len(), 5, "{out:#?}");
        assert_eq!(out[0].evidence.len(), 2);
        assert_eq!(out[0].date.as_deref(), Some("1998-08-07"));
    }

    #[test]
    fn a_retelling_in_the_next_sentence_must_not_name_other_targets() {
        let a = ev(
            7,
            0,
            EventType::Founding,
            "2020",
            "two trade zones were opened in 2020",
        );
        let mut b = ev(
            7,
            60,
            EventType::Founding,
            "2020-11",
            "In November 2020 a research centre was opened in Osh",
        );
        let mut a2 = a.clone();
        a2.targets = vec!["two trade zones".into()];
        b.targets = vec!["research centre".into()];
        assert_eq!(merge(vec![a2, b.clone()]).len(), 2);
        b.targets.clear();
        assert_eq!(merge(vec![a, b]).len(), 1);
    }

    #[test]
    fn date_compatibility() {
        for (a, b, ok) in [
            ("2001", "2001-12-22", true),
            ("2001-12", "2001-12-22", true),
            ("XXXX-10", "2021-10", true),
            ("200X", "2004", true),
            ("2004", "2005", false),
            ("2001-11", "2001-12-22", false),
            ("PRESENT_REF", "2001", false),
            ("2019-SP", "2019-04", true),
            ("2019-SP", "2019-04-25", true),
            ("2019-SP", "2019-07", false),
            ("2019-SP", "2019", true),
            ("2019-SP", "2018-04", false),
        ] {
            assert_eq!(dates_compatible(a, b), ok, "{a} {b}");
        }
    }
}
