//! From names in text to entities across the archive.
//!
//! Within a document: acronyms defined in the text (`… Organisation (SCO)`) and surnames
//! after a full name (`Ghani` after `Ashraf Ghani`, `Xi` after `Xi Jinping`) point at the
//! full name's entity; a homonym (`Hyderabad`) is resolved to the sense whose country the
//! document talks about most; an adjective before a state noun (`Kazakh government`) is a
//! mention of the country. Across documents: pack entities keep their pack ids, other names
//! are grouped by a normalised form (case, apostrophes, `Organization`/`Organisation`,
//! `Uighur`/`Uyghur`, a leading `the`) and get ids made from their name and majority kind.
use crate::pack::{id_prefix, kind_of_id};
use crate::recognize::{How, Recognizer, Tagged};
use annals_model::know::{Entity, EntityKind, Mention};
use annals_model::{Document, PartKind, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Entities and their mentions, as the know stage hands them on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct KnowOutput {
    /// Every entity with at least one mention, pack entities first, then by id.
    pub entities: Vec<Entity>,
    /// Every mention, in document and text order.
    pub mentions: Vec<Mention>,
}

/// Parts whose text is prose about the world (not link lists or note headings).
pub const PARTS: &[PartKind] = &[
    PartKind::Preamble,
    PartKind::PullQuote,
    PartKind::Title,
    PartKind::Kicker,
    PartKind::Standfirst,
    PartKind::Byline,
    PartKind::Caption,
    PartKind::SectionHeading,
    PartKind::Body,
    PartKind::Contributors,
    PartKind::Notes,
    PartKind::Trailer,
    PartKind::Bio,
];

/// Nouns after a national adjective that make it stand for the state (`Kazakh government`).
const STATE_NOUNS: &[&str] = &[
    "government",
    "governments",
    "authorities",
    "officials",
    "official",
    "state",
    "leadership",
    "leaders",
    "military",
    "army",
    "forces",
    "troops",
    "embassy",
    "ministry",
    "security",
    "diplomats",
    "diplomat",
    "side",
    "president",
    "regime",
    "police",
    "parliament",
    "intelligence",
    "counterparts",
    "delegation",
];

/// The normalised form used to group names: lowercase, straight apostrophes, British
/// `-isation`, `Uyghur`, no leading `the`, single spaces for spaces and hyphens.
pub fn normalise(s: &str) -> String {
    let mut t = s.trim().to_lowercase().replace(['’', '‘', '`'], "'");
    for (a, b) in [
        ("organization", "organisation"),
        ("uighur", "uyghur"),
        ("uygur", "uyghur"),
        ("turkistan", "turkestan"),
    ] {
        t = t.replace(a, b);
    }
    if let Some(r) = t.strip_prefix("the ") {
        t = r.to_string();
    }
    if let Some(r) = t.strip_suffix("'s") {
        t = r.to_string();
    }
    let t: String = t
        .chars()
        .map(|c| {
            if c == '-' || c == '–' || c.is_whitespace() {
                ' '
            } else {
                c
            }
        })
        .collect();
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A slug for ids: ASCII letters and digits joined by `-`.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
            dash = false;
        } else {
            dash = true;
        }
    }
    if out.is_empty() {
        "x".into()
    } else {
        out
    }
}

fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ǎ' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'A',
        'ç' | 'č' | 'ć' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => 'e',
        'É' | 'È' | 'Ē' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ǐ' | 'ı' => 'i',
        'ñ' | 'ń' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ǒ' | 'ø' => 'o',
        'Ö' | 'Ø' | 'Ō' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ǔ' => 'u',
        'Ü' | 'Ū' => 'U',
        'ş' | 'š' | 'ś' => 's',
        'Ş' | 'Š' => 'S',
        'ğ' => 'g',
        'ž' | 'ź' | 'ż' => 'z',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

#[derive(Debug, Default)]
struct Building {
    pack: Option<usize>,
    name: String,
    surfaces: BTreeMap<String, usize>,
    kinds: HashMap<EntityKind, usize>,
}

impl Recognizer {
    /// Finds every entity of the archive in the prose parts of `docs` (see [`PARTS`]).
    pub fn extract(&self, docs: &[(&Source, &Document)]) -> KnowOutput {
        let kb = self.knowledge();
        let mut builds: Vec<Building> = Vec::new();
        let mut by_pack: HashMap<usize, usize> = HashMap::new();
        let mut by_norm: HashMap<String, usize> = HashMap::new();
        // (doc, part, tagged, build index, kind, confidence)
        let mut raw: Vec<(usize, usize, Tagged, usize, EntityKind, f32)> = Vec::new();
        let mut build_for = |e: usize, builds: &mut Vec<Building>| -> usize {
            *by_pack.entry(e).or_insert_with(|| {
                builds.push(Building {
                    pack: Some(e),
                    name: kb.entries[e].name.clone(),
                    ..Default::default()
                });
                builds.len() - 1
            })
        };
        // words the archive writes in lower case somewhere are common words: a capitalised
        // "Figures" or "Future Plans" that only the tagger found is not a name
        let mut lower_vocab: std::collections::HashSet<String> = std::collections::HashSet::new();
        for (_, doc) in docs {
            for p in doc.parts.iter().filter(|p| PARTS.contains(&p.kind)) {
                for w in p.text.split(|c: char| !c.is_alphanumeric() && c != '-') {
                    if w.chars().next().is_some_and(char::is_lowercase) {
                        lower_vocab.insert(w.to_string());
                    }
                }
            }
        }
        let common = |t: &Tagged| {
            if !matches!(t.how, How::Model | How::Context) {
                return false;
            }
            let words: Vec<&str> = t.text.split_whitespace().collect();
            if t.kind == EntityKind::Person && words.len() >= 2 {
                return false;
            }
            words.iter().all(|w| {
                let l = w.to_lowercase();
                w.chars().any(char::is_lowercase)
                    && (lower_vocab.contains(&l)
                        || matches!(l.as_str(), "of" | "and" | "the" | "for" | "in"))
            })
        };
        for (di, (_src, doc)) in docs.iter().enumerate() {
            let parts: Vec<(usize, Vec<Tagged>)> = doc
                .parts
                .iter()
                .enumerate()
                .filter(|(_, p)| PARTS.contains(&p.kind))
                .map(|(pi, p)| {
                    (
                        pi,
                        self.tag(&p.text)
                            .into_iter()
                            .filter(|t| !common(t))
                            .collect(),
                    )
                })
                .collect();
            // countries the document talks about, for homonyms
            let mut ctx: HashMap<String, usize> = HashMap::new();
            for (_, tags) in &parts {
                for t in tags {
                    if t.senses.len() == 1 || t.how == How::Adjective {
                        if let Some(e) = t.senses.first().and_then(|id| kb.get(id)) {
                            if !e.weak {
                                if let Some(c) = &e.country {
                                    *ctx.entry(c.clone()).or_default() += 1;
                                }
                            }
                        }
                    }
                }
            }
            // acronyms defined in the text: "Long Name (ABC)"
            let mut acronyms: HashMap<String, (usize, usize)> = HashMap::new(); // acr -> (part, tag index)
            for (pi, tags) in &parts {
                let text = &doc.parts[*pi].text;
                for (k, t) in tags.iter().enumerate() {
                    if t.how == How::Adjective || t.text.split_whitespace().count() < 2 {
                        continue;
                    }
                    let after: String = text.chars().skip(t.end).take(14).collect();
                    let Some(inner) = after.strip_prefix(" (").and_then(|r| r.split(')').next())
                    else {
                        continue;
                    };
                    let ok = inner.len() >= 2
                        && inner.len() <= 10
                        && inner.chars().next().is_some_and(|c| c.is_uppercase())
                        && inner.chars().filter(|c| c.is_uppercase()).count() >= 2
                        && inner
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '-' || c == '&');
                    if ok {
                        acronyms.entry(inner.to_string()).or_insert((*pi, k));
                    }
                }
            }
            // resolve in text order
            let mut doc_people: Vec<usize> = Vec::new(); // build indexes of multi-word people
            let mut assigned: HashMap<(usize, usize), usize> = HashMap::new();
            let mut pending: Vec<(usize, usize)> = Vec::new();
            for (pi, tags) in &parts {
                pending.extend((0..tags.len()).map(|k| (*pi, k)));
            }
            let tag_of = |pi: usize, k: usize| -> &Tagged {
                let (_, tags) = parts.iter().find(|(p, _)| *p == pi).expect("part");
                &tags[k]
            };
            // first pass: names with a pack id or several words
            for &(pi, k) in &pending {
                let t = tag_of(pi, k);
                let text = &doc.parts[pi].text;
                let (b, kind, conf) =
                    match t.how {
                        How::Adjective => {
                            let next: String = text
                                .chars()
                                .skip(t.end)
                                .take(20)
                                .collect::<String>()
                                .to_lowercase();
                            let next = next
                                .trim_start()
                                .split(|c: char| !c.is_alphanumeric())
                                .next()
                                .unwrap_or("")
                                .to_string();
                            if !STATE_NOUNS.contains(&next.as_str()) {
                                continue;
                            }
                            let Some(e) = t.senses.first().and_then(|id| kb.index_of(id)) else {
                                continue;
                            };
                            (build_for(e, &mut builds), kb.entries[e].kind(), 0.6)
                        }
                        How::Pack => {
                            let best = t.senses.iter().filter_map(|id| kb.index_of(id)).max_by(
                                |&x, &y| {
                                    let score = |e: usize| {
                                        let en = &kb.entries[e];
                                        let c = en
                                            .country
                                            .as_ref()
                                            .and_then(|c| ctx.get(c))
                                            .copied()
                                            .unwrap_or(0)
                                            as f64;
                                        (!en.weak as u8 as f64) * 3.0
                                            + ((en.population.unwrap_or(0) + 1) as f64).ln() / 5.0
                                            + 2.0 * c.min(5.0)
                                            + en.is_country() as u8 as f64
                                    };
                                    score(x)
                                        .partial_cmp(&score(y))
                                        .unwrap_or(std::cmp::Ordering::Equal)
                                },
                            );
                            let Some(e) = best else { continue };
                            (build_for(e, &mut builds), t.kind, t.confidence)
                        }
                        How::Model | How::Context => {
                            if let Some(&(api, ak)) = acronyms.get(&t.text) {
                                if let Some(&b) = assigned.get(&(api, ak)) {
                                    assigned.insert((pi, k), b);
                                    raw.push((di, pi, t.clone(), b, t.kind, t.confidence.max(0.8)));
                                    continue;
                                }
                            }
                            if t.text.split_whitespace().count() < 2 {
                                continue; // second pass: a surname of someone named in full, or a name
                            }
                            let norm = normalise(&t.text);
                            let b = *by_norm.entry(norm).or_insert_with(|| {
                                builds.push(Building {
                                    pack: None,
                                    name: t.text.clone(),
                                    ..Default::default()
                                });
                                builds.len() - 1
                            });
                            (b, t.kind, t.confidence)
                        }
                    };
                if kind == EntityKind::Person
                    && t.text.split_whitespace().count() >= 2
                    && !doc_people.contains(&b)
                {
                    doc_people.push(b);
                }
                assigned.insert((pi, k), b);
                raw.push((di, pi, t.clone(), b, kind, conf));
            }
            // second pass: single-word names that repeat a person's surname or given name
            for &(pi, k) in &pending {
                if assigned.contains_key(&(pi, k)) {
                    continue;
                }
                let t = tag_of(pi, k);
                if t.how == How::Adjective {
                    continue;
                }
                // of several people with that name, the one named last before; else the next one
                let person = doc_people
                    .iter()
                    .copied()
                    .filter(|&b| {
                        let name = &builds[b].name;
                        let words: Vec<&str> = name.split_whitespace().collect();
                        words.len() >= 2
                            && (words.last() == Some(&t.text.as_str())
                                || words.first() == Some(&t.text.as_str()))
                    })
                    .max_by_key(|&b| {
                        let before = assigned
                            .iter()
                            .filter(|(pos, x)| **x == b && **pos < (pi, k))
                            .map(|(pos, _)| *pos)
                            .max();
                        let after = assigned
                            .iter()
                            .filter(|(pos, x)| **x == b && **pos > (pi, k))
                            .map(|(pos, _)| *pos)
                            .min();
                        match (before, after) {
                            (Some(p), _) => (1, p.0 as isize, p.1 as isize),
                            (None, Some(p)) => (0, -(p.0 as isize), -(p.1 as isize)),
                            (None, None) => (0, isize::MIN, isize::MIN),
                        }
                    });
                let (b, kind) = match person {
                    Some(b) => (b, EntityKind::Person),
                    None => {
                        let norm = normalise(&t.text);
                        let b = *by_norm.entry(norm).or_insert_with(|| {
                            builds.push(Building {
                                pack: None,
                                name: t.text.clone(),
                                ..Default::default()
                            });
                            builds.len() - 1
                        });
                        (b, t.kind)
                    }
                };
                assigned.insert((pi, k), b);
                raw.push((di, pi, t.clone(), b, kind, t.confidence));
            }
            // third pass: a surname alone that nothing tagged ("... and Sydykov resigned")
            for &b in &doc_people {
                let name = builds[b].name.clone();
                let Some(surname) = name
                    .split_whitespace()
                    .last()
                    .filter(|s| s.chars().count() >= 3)
                else {
                    continue;
                };
                if !surname.chars().next().is_some_and(char::is_uppercase) {
                    continue;
                }
                for (pi, tags) in &parts {
                    let text = &doc.parts[*pi].text;
                    for (bs, _) in text.match_indices(surname) {
                        let be = bs + surname.len();
                        let before = text[..bs].chars().next_back();
                        let after = text[be..].chars().next();
                        if before.is_some_and(char::is_alphanumeric)
                            || after.is_some_and(char::is_alphanumeric)
                        {
                            continue;
                        }
                        let start = text[..bs].chars().count();
                        let end = start + surname.chars().count();
                        if tags.iter().any(|t| t.start < end && start < t.end) {
                            continue;
                        }
                        let t = Tagged {
                            start,
                            end,
                            text: surname.to_string(),
                            kind: EntityKind::Person,
                            entity: None,
                            confidence: 0.6,
                            how: How::Context,
                            senses: vec![],
                        };
                        raw.push((di, *pi, t, b, EntityKind::Person, 0.6));
                    }
                }
            }
        }
        // mentions in text order
        raw.sort_by_key(|(d, p, t, ..)| (*d, *p, t.start));
        // votes
        for (_, _, t, b, kind, _) in &raw {
            *builds[*b].surfaces.entry(t.text.clone()).or_default() += 1;
            *builds[*b].kinds.entry(*kind).or_default() += 1;
        }
        // ids
        let mut ids: Vec<String> = Vec::with_capacity(builds.len());
        let mut taken: HashMap<String, usize> = HashMap::new();
        let mut kinds: Vec<EntityKind> = Vec::with_capacity(builds.len());
        for (i, b) in builds.iter().enumerate() {
            let kind = match b.pack {
                Some(e) => kb.entries[e].kind(),
                None => b
                    .kinds
                    .iter()
                    .max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))
                    .map(|(k, _)| *k)
                    .unwrap_or(EntityKind::Other),
            };
            let id = match b.pack {
                Some(e) => kb.entries[e].id.clone(),
                None => {
                    let name = b
                        .surfaces
                        .iter()
                        .max_by_key(|(s, n)| (**n, s.len()))
                        .map(|(s, _)| s.clone())
                        .unwrap_or_default();
                    let base = format!("{}:{}", id_prefix(kind), slug(&name));
                    let mut id = base.clone();
                    let mut n = 2;
                    while taken.contains_key(&id)
                        || (kb.get(&id).is_some() && kind_of_id(&id) == kind)
                    {
                        id = format!("{base}-{n}");
                        n += 1;
                    }
                    id
                }
            };
            taken.insert(id.clone(), i);
            ids.push(id);
            kinds.push(kind);
        }
        let mut out = KnowOutput::default();
        for (di, pi, t, b, kind, conf) in &raw {
            let (src, doc) = docs[*di];
            let part = &doc.parts[*pi];
            let span = part.source_span(t.start, t.end, |o| src.line_of(o));
            let kind = if builds[*b].pack.is_some() && *kind != EntityKind::Place {
                kinds[*b]
            } else {
                *kind
            };
            out.mentions.push(Mention {
                doc: doc.id.clone(),
                span,
                text: t.text.clone(),
                entity: ids[*b].clone(),
                kind: if t.how == How::Adjective {
                    kinds[*b]
                } else {
                    kind
                },
                confidence: *conf,
            });
        }
        for (i, b) in builds.iter().enumerate() {
            if b.surfaces.is_empty() {
                continue;
            }
            let (name, mut aliases, lat, lon, country, origin) = match b.pack {
                Some(e) => {
                    let en = &kb.entries[e];
                    let mut al: Vec<String> = b
                        .surfaces
                        .keys()
                        .filter(|s| **s != en.name)
                        .cloned()
                        .collect();
                    if !en.weak {
                        for a in &en.aliases {
                            if !al.contains(a) {
                                al.push(a.clone());
                            }
                        }
                    }
                    (
                        en.name.clone(),
                        al,
                        en.lat,
                        en.lon,
                        en.country.clone(),
                        kb.origins[e].clone(),
                    )
                }
                None => {
                    let name = b
                        .surfaces
                        .iter()
                        .max_by_key(|(s, n)| (s.split_whitespace().count(), **n))
                        .map(|(s, _)| s.clone())
                        .unwrap_or_default();
                    let al: Vec<String> =
                        b.surfaces.keys().filter(|s| **s != name).cloned().collect();
                    (name, al, None, None, None, "text".to_string())
                }
            };
            aliases.dedup();
            out.entities.push(Entity {
                id: ids[i].clone(),
                kind: kinds[i],
                name,
                aliases,
                lat,
                lon,
                country,
                origin,
            });
        }
        out.entities.sort_by(|a, b| {
            (a.origin == "text")
                .cmp(&(b.origin == "text"))
                .then(a.id.cmp(&b.id))
        });
        out
    }
}

/// Corrections a user made to entities; the store keeps them and applies them after every
/// extraction, so they survive re-ingest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decisions {
    /// `(keep, absorb)`: entity `absorb` is the same as `keep`; its mentions and names move over.
    pub merges: Vec<(String, String)>,
    /// `(entity, surface)`: mentions of `entity` written `surface` name something else; they
    /// move to an entity of their own (id from the surface, same kind).
    pub splits: Vec<(String, String)>,
}

/// Applies `d` to `out`: splits first, then merges (so a merge may name a split's new id).
/// Decisions about entities that are not there are ignored.
pub fn apply_decisions(out: &mut KnowOutput, d: &Decisions) {
    for (id, surface) in &d.splits {
        let Some(pos) = out.entities.iter().position(|e| &e.id == id) else {
            continue;
        };
        let kind = out.entities[pos].kind;
        let base = format!("{}:{}", id_prefix(kind), slug(surface));
        let mut new_id = base.clone();
        let mut n = 2;
        while out.entities.iter().any(|e| e.id == new_id) {
            new_id = format!("{base}-{n}");
            n += 1;
        }
        let mut moved = 0;
        for m in out
            .mentions
            .iter_mut()
            .filter(|m| &m.entity == id && &m.text == surface)
        {
            m.entity = new_id.clone();
            moved += 1;
        }
        if moved == 0 {
            continue;
        }
        out.entities[pos].aliases.retain(|a| a != surface);
        out.entities.push(Entity {
            id: new_id,
            kind,
            name: surface.clone(),
            aliases: vec![],
            lat: None,
            lon: None,
            country: None,
            origin: "decision".into(),
        });
    }
    for (keep, absorb) in &d.merges {
        if keep == absorb {
            continue;
        }
        let (Some(k), Some(a)) = (
            out.entities.iter().position(|e| &e.id == keep),
            out.entities.iter().position(|e| &e.id == absorb),
        ) else {
            continue;
        };
        let gone = out.entities[a].clone();
        let kept = &mut out.entities[k];
        for n in std::iter::once(gone.name).chain(gone.aliases) {
            if n != kept.name && !kept.aliases.contains(&n) {
                kept.aliases.push(n);
            }
        }
        kept.lat = kept.lat.or(gone.lat);
        kept.lon = kept.lon.or(gone.lon);
        kept.country = kept.country.clone().or(gone.country);
        for m in out.mentions.iter_mut().filter(|m| &m.entity == absorb) {
            m.entity = keep.clone();
            m.kind = out.entities[k].kind;
        }
        out.entities.remove(a);
    }
}
