//! Knowledge packs: tab-separated data files of names, aliases, kinds and coordinates.
//!
//! A pack file is TSV with a header row naming its columns, so each file carries only the
//! columns it needs and people can edit it in any spreadsheet. Lines starting with `#` are
//! comments; `#@ weak` marks a pack whose names are only trusted when context agrees (the
//! generated gazetteer of 34,000 cities holds names like `Of`, `Police` or `Best`).
//! Columns (all optional but `id`): `id`, `kind`, `name`, `aliases` and `adjectives`
//! (`|`-separated), `lat`, `lon`, `country` (ISO 3166 alpha-2), `iso3`, `capital`,
//! `population`, `note`. Rows with an id seen before (in this or an earlier pack) add to
//! that entry: aliases are united and non-empty fields replace the earlier ones, which is how
//! hand-written names and demonyms ride on the generated country and city lists.
use annals_model::know::EntityKind;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Why a pack could not be read.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The file could not be read.
    #[error("cannot read pack {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file has no header row with an `id` column.
    #[error("pack {0}: no header row with an `id` column")]
    NoHeader(String),
    /// A row is malformed.
    #[error("pack {pack}, line {line}: {message}")]
    BadRow {
        /// The pack name.
        pack: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// One thing a pack knows about.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PackEntry {
    /// Stable id (`place:kabul`, `org:sco`, `person:xi-jinping`).
    pub id: String,
    /// What it is; guessed from the id prefix when the pack has no `kind` column.
    pub kind: Option<EntityKind>,
    /// Canonical name.
    pub name: String,
    /// Other names and spellings.
    pub aliases: Vec<String>,
    /// Adjectives and demonyms (`Kazakh`, `Afghans`): they point at the entry without naming it.
    pub adjectives: Vec<String>,
    /// Latitude.
    pub lat: Option<f64>,
    /// Longitude.
    pub lon: Option<f64>,
    /// ISO 3166 alpha-2 code of the country it is in or is.
    pub country: Option<String>,
    /// ISO 3166 alpha-3 code (countries).
    pub iso3: Option<String>,
    /// Id of the capital (countries).
    pub capital: Option<String>,
    /// Population (places), used to rank homonyms.
    pub population: Option<u64>,
    /// Free note: role of a person, what a place is.
    pub note: Option<String>,
    /// True when the entry comes only from a weak pack (see the module doc).
    pub weak: bool,
}

impl PackEntry {
    /// The kind, falling back to the id prefix (`place:` → place...).
    pub fn kind(&self) -> EntityKind {
        self.kind.unwrap_or_else(|| kind_of_id(&self.id))
    }

    /// True when this entry is a country (it has an ISO alpha-3 code).
    pub fn is_country(&self) -> bool {
        self.iso3.is_some()
    }
}

/// The kind an id prefix stands for.
pub fn kind_of_id(id: &str) -> EntityKind {
    match id.split(':').next().unwrap_or("") {
        "person" => EntityKind::Person,
        "org" => EntityKind::Organisation,
        "place" => EntityKind::Place,
        "project" => EntityKind::Project,
        "event" => EntityKind::EventName,
        _ => EntityKind::Other,
    }
}

/// The id prefix of a kind.
pub fn id_prefix(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "person",
        EntityKind::Organisation => "org",
        EntityKind::Place => "place",
        EntityKind::Project => "project",
        EntityKind::EventName => "event",
        EntityKind::Other => "other",
    }
}

/// A parsed pack file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Pack {
    /// Its name (file stem), recorded as `pack:<name>` in entity origins.
    pub name: String,
    /// True for `#@ weak` packs.
    pub weak: bool,
    /// Its rows, in file order.
    pub entries: Vec<PackEntry>,
}

const BUILTIN: &[(&str, &str)] = &[
    (
        "world-countries",
        include_str!("../../../packs/world-countries.tsv"),
    ),
    (
        "world-country-names",
        include_str!("../../../packs/world-country-names.tsv"),
    ),
    (
        "world-cities",
        include_str!("../../../packs/world-cities.tsv"),
    ),
    (
        "world-places",
        include_str!("../../../packs/world-places.tsv"),
    ),
    ("field", include_str!("../../../packs/field.tsv")),
];

impl Pack {
    /// The packs compiled into the binary: the world (countries, cities, regions) and the
    /// field (organisations, groups, institutions, people, projects), in merge order.
    pub fn builtin() -> Vec<Pack> {
        BUILTIN
            .iter()
            .map(|(name, text)| Pack::parse(name, text).expect("built-in packs are valid"))
            .collect()
    }

    /// Reads a pack file a user added; its name is the file stem.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Pack, PackError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| PackError::Io {
            path: path.display().to_string(),
            source,
        })?;
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        Pack::parse(&name, &text)
    }

    /// Parses pack text (see the module doc for the format).
    pub fn parse(name: &str, text: &str) -> Result<Pack, PackError> {
        let mut pack = Pack {
            name: name.to_string(),
            weak: false,
            entries: Vec::new(),
        };
        let mut header: Option<Vec<String>> = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() {
                continue;
            }
            if let Some(directive) = line.strip_prefix("#@") {
                if directive.trim() == "weak" {
                    pack.weak = true;
                }
                continue;
            }
            if line.starts_with('#') {
                continue;
            }
            let Some(cols) = &header else {
                if line.split('\t').next().map(|c| c.trim()) != Some("id") {
                    return Err(PackError::NoHeader(name.to_string()));
                }
                header = Some(line.split('\t').map(|c| c.trim().to_string()).collect());
                continue;
            };
            let mut e = PackEntry {
                weak: pack.weak,
                ..PackEntry::default()
            };
            for (col, cell) in cols.iter().zip(line.split('\t')) {
                let cell = cell.trim();
                if cell.is_empty() {
                    continue;
                }
                let bad = |m: &str| PackError::BadRow {
                    pack: name.to_string(),
                    line: i + 1,
                    message: m.to_string(),
                };
                match col.as_str() {
                    "id" => e.id = cell.to_string(),
                    "kind" => {
                        e.kind = Some(EntityKind::parse(cell).ok_or_else(|| bad("unknown kind"))?)
                    }
                    "name" => e.name = cell.to_string(),
                    "aliases" => e.aliases = split_list(cell),
                    "adjectives" => e.adjectives = split_list(cell),
                    "lat" => e.lat = Some(cell.parse().map_err(|_| bad("bad lat"))?),
                    "lon" => e.lon = Some(cell.parse().map_err(|_| bad("bad lon"))?),
                    "country" => e.country = Some(cell.to_string()),
                    "iso3" => e.iso3 = Some(cell.to_string()),
                    "capital" => e.capital = Some(cell.to_string()),
                    "population" => e.population = cell.parse().ok(),
                    "note" => e.note = Some(cell.to_string()),
                    _ => {}
                }
            }
            if e.id.is_empty() {
                return Err(PackError::BadRow {
                    pack: name.to_string(),
                    line: i + 1,
                    message: "empty id".into(),
                });
            }
            pack.entries.push(e);
        }
        Ok(pack)
    }
}

fn split_list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Every entry of several packs merged by id (later rows add to earlier ones).
#[derive(Debug, Clone, Default)]
pub struct Knowledge {
    /// The merged entries.
    pub entries: Vec<PackEntry>,
    /// Which pack each entry came from first (`pack:world-cities`...).
    pub origins: Vec<String>,
    index: FxHashMap<String, usize>,
}

impl Knowledge {
    /// Merges packs in order.
    pub fn from_packs(packs: &[Pack]) -> Knowledge {
        let mut k = Knowledge::default();
        for p in packs {
            let origin = format!("pack:{}", p.name);
            for e in &p.entries {
                k.add(std::borrow::Cow::Borrowed(e), &origin);
            }
        }
        k
    }

    /// Like [`Knowledge::from_packs`], moving the entries instead of copying them (start-up).
    pub fn from_pack_vec(packs: Vec<Pack>) -> Knowledge {
        let mut k = Knowledge::default();
        let n = packs.iter().map(|p| p.entries.len()).sum();
        k.entries.reserve(n);
        k.origins.reserve(n);
        k.index.reserve(n);
        for p in packs {
            let origin = format!("pack:{}", p.name);
            for e in p.entries {
                k.add(std::borrow::Cow::Owned(e), &origin);
            }
        }
        k
    }

    /// Adds one row; `origin` is `pack:<name>`.
    fn add(&mut self, e: std::borrow::Cow<'_, PackEntry>, origin: &str) {
        match self.index.get(&e.id) {
            None => {
                let mut e = e.into_owned();
                if e.name.is_empty() {
                    e.name = e.aliases.first().cloned().unwrap_or_else(|| e.id.clone());
                }
                self.index.insert(e.id.clone(), self.entries.len());
                self.entries.push(e);
                self.origins.push(origin.to_string());
            }
            Some(&i) => {
                let old = &mut self.entries[i];
                if !e.name.is_empty() && e.name != old.name {
                    let prev = std::mem::replace(&mut old.name, e.name.clone());
                    push_unique(&mut old.aliases, prev);
                }
                for a in &e.aliases {
                    push_unique(&mut old.aliases, a.clone());
                }
                for a in &e.adjectives {
                    push_unique(&mut old.adjectives, a.clone());
                }
                let name = old.name.clone();
                old.aliases.retain(|a| *a != name);
                old.kind = e.kind.or(old.kind);
                old.lat = e.lat.or(old.lat);
                old.lon = e.lon.or(old.lon);
                old.country = e.country.clone().or(old.country.take());
                old.iso3 = e.iso3.clone().or(old.iso3.take());
                old.capital = e.capital.clone().or(old.capital.take());
                old.population = e.population.or(old.population);
                old.note = e.note.clone().or(old.note.take());
                old.weak &= e.weak;
            }
        }
    }

    /// The entry with this id.
    pub fn get(&self, id: &str) -> Option<&PackEntry> {
        self.index.get(id).map(|&i| &self.entries[i])
    }

    /// The index of the entry with this id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// The country entry of an ISO alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<&PackEntry> {
        self.entries
            .iter()
            .find(|e| e.is_country() && e.country.as_deref() == Some(iso2))
    }
}

fn push_unique(v: &mut Vec<String>, s: String) {
    if !v.contains(&s) {
        v.push(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn later_rows_add_aliases_and_override_fields() {
        let a = Pack::parse("a", "#@ weak\nid\tname\tlat\nplace:x\tX-ville\t1.0\n").unwrap();
        let b = Pack::parse(
            "b",
            "id\taliases\tadjectives\tlat\nplace:x\tXville\tXish\t2.0\n",
        )
        .unwrap();
        let k = Knowledge::from_packs(&[a, b]);
        let e = k.get("place:x").unwrap();
        assert_eq!(e.name, "X-ville");
        assert_eq!(e.aliases, vec!["Xville"]);
        assert_eq!(e.adjectives, vec!["Xish"]);
        assert_eq!(e.lat, Some(2.0));
        assert!(!e.weak, "a strong pack vouches for the entry");
        assert_eq!(e.kind(), EntityKind::Place);
    }

    #[test]
    fn builtin_packs_parse() {
        let k = Knowledge::from_packs(&Pack::builtin());
        assert!(k.entries.len() > 30_000);
        let kz = k.get("place:kazakhstan").unwrap();
        assert!(kz.adjectives.contains(&"Kazakh".to_string()));
        assert!(kz.lat.is_some());
        assert_eq!(k.get("org:sco").unwrap().kind(), EntityKind::Organisation);
    }
}
