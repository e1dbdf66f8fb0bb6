//! The full-text index of an archive: one tantivy document per part
//! (paragraph, caption, note...) with the fields a reader filters and counts
//! by — document, part kind, outlet, category, year, the entities mentioned in
//! the part and the types of the events it is evidence for.
//!
//! Key decisions:
//! - **Generations, swapped atomically.** The index lives in a directory beside
//!   the store (`annals.db.index/`). Each build goes into a fresh generation
//!   folder; a `CURRENT` file (written to a temporary name, then renamed) names
//!   the one readers open. A reader therefore sees the old index or the new one,
//!   never half a build, and a killed build leaves `CURRENT` as it was.
//! - **Kept in step by fingerprint.** A generation records a digest of the
//!   store's sources (path + content hash) and totals; [`sync`] rebuilds only
//!   when the store's digest differs, so callers can run it after every ingest
//!   commit and at server start for the cost of one query when nothing changed.
//! - **Snippets as segments.** Highlights come back as plain text pieces marked
//!   highlighted or not: the caller escapes them, the index never makes HTML.
#![deny(missing_docs)]

use annals_model::{Document, PartKind};
use annals_store::Store;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, FAST, INDEXED, STORED,
    STRING,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::{doc, Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

/// Bumped when the schema or what is indexed changes: older generations are rebuilt.
pub const INDEX_VERSION: u32 = 2;

/// Why an index operation failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// tantivy failed.
    #[error("search index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The store failed while the index was being built.
    #[error(transparent)]
    Store(#[from] annals_store::StoreError),
    /// Reading or writing the index directory failed.
    #[error("search index directory: {0}")]
    Io(#[from] std::io::Error),
    /// No index has been built yet.
    #[error("no search index at {0} (run `annals serve` or `annals ingest` to build it)")]
    Missing(PathBuf),
}

/// Short for `Result<T, IndexError>`.
pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// One indexed unit: a part of a document with what is known about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexDoc {
    /// Document id.
    pub doc: String,
    /// Position of the part in the document.
    pub part: u32,
    /// Part kind (export-contract name).
    pub kind: String,
    /// The document's title.
    pub title: String,
    /// The part's text.
    pub text: String,
    /// The document's outlet.
    pub outlet: Option<String>,
    /// The document's category.
    pub category: Option<String>,
    /// The document's year.
    pub year: Option<u64>,
    /// First source line of the part.
    pub line: u32,
    /// Ids of entities mentioned in the part.
    pub entities: Vec<String>,
    /// Types of events the part is evidence for.
    pub event_types: Vec<String>,
}

/// The year of an ISO date (`2014`, `2014-04-02`...).
pub fn year_of(date: &str) -> Option<u64> {
    let y: String = date.chars().take_while(|c| c.is_ascii_digit()).collect();
    if y.len() == 4 {
        y.parse().ok()
    } else {
        None
    }
}

/// The parts of `doc` as index units (notes headings and empty parts left out).
pub fn units_of(d: &Document) -> Vec<IndexDoc> {
    let title = d.title.clone().unwrap_or_default();
    let year = d.date.as_deref().and_then(year_of);
    d.parts
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind != PartKind::NotesHeading && !p.text.trim().is_empty())
        .map(|(i, p)| IndexDoc {
            doc: d.id.clone(),
            part: i as u32,
            kind: p.kind.as_str().to_string(),
            title: title.clone(),
            text: p.text.clone(),
            outlet: d.outlet.clone(),
            category: d.category.clone(),
            year,
            line: p.lines[0],
            entities: Vec::new(),
            event_types: Vec::new(),
        })
        .collect()
}

/// One stored document's units, with its mentions' entities and its events'
/// types attached to the parts they fall in.
fn stored_units_of(store: &dyn Store, d: &Document) -> Result<Vec<IndexDoc>> {
    let mut units = units_of(d);
    let find = |start: usize| -> Option<usize> {
        units.iter().position(|u| {
            let p = &d.parts[u.part as usize];
            p.span.start <= start && start < p.span.end
        })
    };
    let mut adds: Vec<(usize, bool, String)> = Vec::new();
    let (entities, types) = store.tags_of(&d.id)?;
    for (start, entity) in entities {
        if let Some(i) = find(start) {
            adds.push((i, true, entity));
        }
    }
    for (start, kind) in types {
        if let Some(i) = find(start) {
            adds.push((i, false, kind));
        }
    }
    for (i, is_entity, v) in adds {
        let list = if is_entity {
            &mut units[i].entities
        } else {
            &mut units[i].event_types
        };
        if !list.contains(&v) {
            list.push(v);
        }
    }
    Ok(units)
}

/// The digest that tells whether an index was built from the store as it is now.
pub fn store_fingerprint(store: &dyn Store) -> Result<String> {
    let mut h = blake3::Hasher::new();
    h.update(format!("v{INDEX_VERSION}\n").as_bytes());
    for s in store.sources()? {
        h.update(s.path.as_bytes());
        h.update(b"\0");
        h.update(s.hash.as_bytes());
        h.update(b"\n");
    }
    // Stage outputs and decisions (entity merges, event splits) change
    // without the files changing: the store's content version moves with
    // every run that wrote anything, so it stands for all of them without
    // reading the archive (which made an unchanged re-ingest of 10k
    // documents take seconds).
    h.update(format!("{}\n", store.content_version()?).as_bytes());
    Ok(h.finalize().to_hex()[..32].to_string())
}

/// The index directory of a store file: `annals.db` → `annals.db.index`.
pub fn index_dir_for(db: &Path) -> PathBuf {
    let mut s = db.as_os_str().to_owned();
    s.push(".index");
    PathBuf::from(s)
}

#[derive(Debug, Serialize, Deserialize)]
struct GenMeta {
    version: u32,
    fingerprint: String,
    units: u64,
}

const CURRENT: &str = "CURRENT";
const META: &str = "annals-index.json";

fn current_gen(dir: &Path) -> Option<PathBuf> {
    let name = std::fs::read_to_string(dir.join(CURRENT)).ok()?;
    let name = name.trim();
    // Only a plain folder name inside `dir` is accepted.
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
        return None;
    }
    Some(dir.join(name))
}

fn read_meta(gen: &Path) -> Option<GenMeta> {
    serde_json::from_slice(&std::fs::read(gen.join(META)).ok()?).ok()
}

/// The fingerprint of the current generation in `dir`, if any.
pub fn current_fingerprint(dir: &Path) -> Option<String> {
    let m = read_meta(&current_gen(dir)?)?;
    (m.version == INDEX_VERSION).then_some(m.fingerprint)
}

/// What [`sync`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SyncOutcome {
    /// The index already matched the store.
    Fresh,
    /// A new generation was built and swapped in.
    Rebuilt {
        /// Parts indexed.
        units: u64,
    },
}

/// Makes the index in `dir` match `store`: rebuilds (into a new generation,
/// swapped in atomically) only when the store changed since the last build.
pub fn sync(store: &dyn Store, dir: &Path) -> Result<SyncOutcome> {
    let fp = store_fingerprint(store)?;
    if current_fingerprint(dir).as_deref() == Some(fp.as_str()) {
        return Ok(SyncOutcome::Fresh);
    }
    // Document by document into the writer: the archive's text is never
    // held in memory at once (the writer's own budget is fixed).
    let mut b = Builder::new(dir, &fp)?;
    store.for_each_document(&mut |d: Document| {
        for u in stored_units_of(store, &d).map_err(std::io::Error::other)? {
            b.add(u).map_err(std::io::Error::other)?;
        }
        Ok(())
    })?;
    let n = b.units;
    b.finish()?;
    Ok(SyncOutcome::Rebuilt { units: n })
}

/// The fields of the schema.
#[derive(Clone, Copy)]
struct Fields {
    doc: Field,
    part: Field,
    kind: Field,
    title: Field,
    text: Field,
    outlet: Field,
    category: Field,
    year: Field,
    line: Field,
    entity: Field,
    event_type: Field,
    doc_no: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text_opts = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
        .set_stored();
    let f = Fields {
        doc: b.add_text_field("doc", STRING | STORED | FAST),
        part: b.add_u64_field("part", STORED),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        title: b.add_text_field("title", text_opts.clone()),
        text: b.add_text_field("text", text_opts),
        outlet: b.add_text_field("outlet", STRING | STORED | FAST),
        category: b.add_text_field("category", STRING | STORED | FAST),
        year: b.add_u64_field("year", INDEXED | STORED | FAST),
        line: b.add_u64_field("line", STORED),
        entity: b.add_text_field("entity", STRING | FAST),
        event_type: b.add_text_field("event_type", STRING | FAST),
        // A number per document, read from a column to group hits without
        // loading stored fields.
        doc_no: b.add_u64_field("doc_no", FAST),
    };
    (b.build(), f)
}

fn fields_of(schema: &Schema) -> Result<Fields> {
    let g = |n: &str| schema.get_field(n).map_err(IndexError::from);
    Ok(Fields {
        doc: g("doc")?,
        part: g("part")?,
        kind: g("kind")?,
        title: g("title")?,
        text: g("text")?,
        outlet: g("outlet")?,
        category: g("category")?,
        year: g("year")?,
        line: g("line")?,
        entity: g("entity")?,
        event_type: g("event_type")?,
        doc_no: g("doc_no")?,
    })
}

/// Builds a new generation in `dir` from `units` and makes it current.
pub fn build(dir: &Path, fingerprint: &str, units: Vec<IndexDoc>) -> Result<()> {
    let mut b = Builder::new(dir, fingerprint)?;
    for u in units {
        b.add(u)?;
    }
    b.finish()
}

/// A new index generation being written, unit by unit; [`Builder::finish`]
/// commits it and makes it current.
pub struct Builder {
    dir: PathBuf,
    gen: PathBuf,
    name: String,
    fingerprint: String,
    f: Fields,
    w: tantivy::IndexWriter<TantivyDocument>,
    doc_nos: HashMap<String, u64>,
    units: u64,
}

impl Builder {
    /// Starts a generation under `dir` for a store with `fingerprint`.
    pub fn new(dir: &Path, fingerprint: &str) -> Result<Self> {
        std::fs::create_dir_all(dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let name = format!("g{stamp}-{}", std::process::id());
        let gen = dir.join(&name);
        std::fs::create_dir_all(&gen)?;
        let (schema, f) = schema();
        let index = Index::create_in_dir(&gen, schema)?;
        let w = index.writer_with_num_threads::<TantivyDocument>(1, 64_000_000)?;
        Ok(Builder {
            dir: dir.to_path_buf(),
            gen,
            name,
            fingerprint: fingerprint.to_string(),
            f,
            w,
            doc_nos: HashMap::new(),
            units: 0,
        })
    }

    /// Adds one unit.
    pub fn add(&mut self, u: IndexDoc) -> Result<()> {
        let f = self.f;
        let next = self.doc_nos.len() as u64;
        let doc_no = *self.doc_nos.entry(u.doc.clone()).or_insert(next);
        let mut d = doc!(
            f.doc_no => doc_no,
            f.doc => u.doc,
            f.part => u.part as u64,
            f.kind => u.kind,
            f.title => u.title,
            f.text => u.text,
            f.line => u.line as u64,
        );
        if let Some(o) = u.outlet {
            d.add_text(f.outlet, o);
        }
        if let Some(c) = u.category {
            d.add_text(f.category, c);
        }
        if let Some(y) = u.year {
            d.add_u64(f.year, y);
        }
        for e in u.entities {
            d.add_text(f.entity, e);
        }
        for t in u.event_types {
            d.add_text(f.event_type, t);
        }
        self.w.add_document(d)?;
        self.units += 1;
        Ok(())
    }

    /// Commits the generation and switches `CURRENT` to it.
    pub fn finish(self) -> Result<()> {
        let Builder {
            dir,
            gen,
            name,
            fingerprint,
            mut w,
            units,
            ..
        } = self;
        w.commit()?;
        w.wait_merging_threads()?;
        let dir = dir.as_path();
        let meta = GenMeta {
            version: INDEX_VERSION,
            fingerprint,
            units,
        };
        std::fs::write(
            gen.join(META),
            serde_json::to_vec(&meta).map_err(std::io::Error::other)?,
        )?;
        let tmp = dir.join(format!(".{CURRENT}.{name}"));
        std::fs::write(&tmp, &name)?;
        std::fs::rename(&tmp, dir.join(CURRENT))?;
        // Older generations go; a reader that still has one open keeps its files
        // (unlinked files stay readable while open).
        if let Ok(rd) = std::fs::read_dir(dir) {
            for e in rd.flatten() {
                let n = e.file_name();
                let n = n.to_string_lossy();
                if n.starts_with('g') && n != name && e.path().is_dir() {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        Ok(())
    }
}

/// Filters a search is restricted to (all must hold).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Filters {
    /// Document id.
    pub doc: Option<String>,
    /// Part kind.
    pub kind: Option<String>,
    /// Outlet.
    pub outlet: Option<String>,
    /// Category.
    pub category: Option<String>,
    /// Entity id mentioned in the part.
    pub entity: Option<String>,
    /// Event type the part is evidence for.
    pub event_type: Option<String>,
    /// First year (inclusive).
    pub year_from: Option<u64>,
    /// Last year (inclusive).
    pub year_to: Option<u64>,
}

/// A search request.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SearchRequest {
    /// The query: words (all required by default), `"phrases"`, `OR`, `-word`,
    /// `field:value` for the fields `title`, `text`, `kind`, `outlet`,
    /// `category`, `entity`, `event_type`, `year`.
    pub q: String,
    /// Restrictions.
    pub filters: Filters,
    /// Documents to skip (paging by document).
    pub offset: usize,
    /// Documents to return.
    pub limit: usize,
    /// Matching parts shown per document.
    pub hits_per_doc: usize,
    /// Count facet values over all matches (read from columns in the pass
    /// that enumerates them; off saves that reading).
    #[serde(default = "yes")]
    pub facets: bool,
}

fn yes() -> bool {
    true
}

impl Default for SearchRequest {
    fn default() -> Self {
        SearchRequest {
            q: String::new(),
            filters: Filters::default(),
            offset: 0,
            limit: 20,
            hits_per_doc: 3,
            facets: true,
        }
    }
}

/// A piece of a snippet.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Segment {
    /// The text (raw archive text: escape it before showing).
    pub text: String,
    /// Whether it matched the query.
    pub hit: bool,
}

/// One matching part.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Position of the part in the document.
    pub part: u32,
    /// Part kind.
    pub kind: String,
    /// First source line of the part.
    pub line: u32,
    /// BM25 score.
    pub score: f32,
    /// The best passage, with its matches marked.
    pub snippet: Vec<Segment>,
}

/// The matching parts of one document, best first.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Document id.
    pub doc: String,
    /// Its title.
    pub title: String,
    /// Outlet.
    pub outlet: Option<String>,
    /// Year.
    pub year: Option<u64>,
    /// The best part's score.
    pub score: f32,
    /// Matching parts.
    pub hits: Vec<Hit>,
    /// Matching parts in this document.
    pub matched_parts: usize,
}

/// Counts of matching parts by value, most first.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    /// By part kind.
    pub kind: Vec<(String, u64)>,
    /// By outlet.
    pub outlet: Vec<(String, u64)>,
    /// By category.
    pub category: Vec<(String, u64)>,
    /// By year.
    pub year: Vec<(String, u64)>,
    /// By entity id.
    pub entity: Vec<(String, u64)>,
    /// By event type.
    pub event_type: Vec<(String, u64)>,
}

/// The answer to a search.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SearchResults {
    /// Matching parts in the whole index.
    pub total_parts: usize,
    /// Distinct documents among all matching parts.
    pub total_docs: usize,
    /// The page of documents asked for.
    pub groups: Vec<Group>,
    /// Counts over all matching parts.
    pub facets: Facets,
    /// Parts of the query that could not be parsed (they were ignored).
    pub warnings: Vec<String>,
}

/// An open index generation.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    f: Fields,
    fingerprint: String,
}

/// The fewest top parts a search ranks before grouping them by document
/// (more are ranked when these hold fewer documents than the page needs).
const MIN_TOP_PARTS: usize = 100;
/// How many facet values are counted per field.
const FACET_SIZE: usize = 30;

impl SearchIndex {
    /// Opens the current generation in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let gen = current_gen(dir).ok_or_else(|| IndexError::Missing(dir.to_path_buf()))?;
        let meta = read_meta(&gen).ok_or_else(|| IndexError::Missing(dir.to_path_buf()))?;
        let mut index = Index::open_in_dir(&gen)?;
        // Segments are searched in parallel: a large archive's matches are
        // enumerated and counted on every core (capped: the server also
        // answers requests side by side; `ANNALS_SEARCH_THREADS` overrides).
        let segments = index.searchable_segment_ids()?.len();
        let threads = std::env::var("ANNALS_SEARCH_THREADS")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or_else(|| {
                std::thread::available_parallelism()
                    .map_or(1, |n| n.get())
                    .min(4)
            });
        if segments > 1 && threads > 1 {
            index.set_multithread_executor(threads.min(segments))?;
        }
        let f = fields_of(&index.schema())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            f,
            fingerprint: meta.fingerprint,
        })
    }

    /// The fingerprint of the store it was built from.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Parts indexed.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn query(&self, req: &SearchRequest) -> (Box<dyn Query>, Vec<String>) {
        let f = self.f;
        // Only the part's own text: every part carries its document's title, so a
        // title match would make every part of that document match.
        let mut parser = QueryParser::for_index(&self.index, vec![f.text]);
        parser.set_conjunction_by_default();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut warnings = Vec::new();
        let q = req.q.trim();
        if !q.is_empty() {
            let (query, errs) = parser.parse_query_lenient(q);
            warnings.extend(errs.into_iter().map(|e| e.to_string()));
            clauses.push((Occur::Must, query));
        }
        let term =
            |field: Field, v: &Option<String>, clauses: &mut Vec<(Occur, Box<dyn Query>)>| {
                if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                    clauses.push((
                        Occur::Must,
                        Box::new(TermQuery::new(
                            Term::from_field_text(field, v),
                            IndexRecordOption::Basic,
                        )),
                    ));
                }
            };
        let fl = &req.filters;
        term(f.doc, &fl.doc, &mut clauses);
        term(f.kind, &fl.kind, &mut clauses);
        term(f.outlet, &fl.outlet, &mut clauses);
        term(f.category, &fl.category, &mut clauses);
        term(f.entity, &fl.entity, &mut clauses);
        term(f.event_type, &fl.event_type, &mut clauses);
        if fl.year_from.is_some() || fl.year_to.is_some() {
            use std::ops::Bound;
            let lo = fl.year_from.map_or(Bound::Unbounded, |y| {
                Bound::Included(Term::from_field_u64(f.year, y))
            });
            let hi = fl.year_to.map_or(Bound::Unbounded, |y| {
                Bound::Included(Term::from_field_u64(f.year, y))
            });
            clauses.push((Occur::Must, Box::new(RangeQuery::new(lo, hi))));
        }
        if clauses.is_empty() {
            return (Box::new(tantivy::query::EmptyQuery), warnings);
        }
        // No needless nesting: a lone query, or the words' own conjunction
        // joined with the filters, lets tantivy use its block-max pruning
        // for term intersections and unions.
        if clauses.len() == 1 {
            let (_, q) = clauses.pop().expect("one clause");
            return (q, warnings);
        }
        let mut flat: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (occur, q) in clauses {
            match q.downcast_ref::<BooleanQuery>() {
                Some(b) if b.clauses().iter().all(|(o, _)| *o == Occur::Must) => {
                    flat.extend(b.clauses().iter().map(|(o, q)| (*o, q.box_clone())))
                }
                _ => flat.push((occur, q)),
            }
        }
        (Box::new(BooleanQuery::new(flat)), warnings)
    }

    /// Runs a search: matching parts ranked by BM25, grouped by document.
    ///
    /// One pass enumerates every match (count, distinct documents, facets
    /// from columns); the ranking only keeps a few top parts, scored with
    /// tantivy's block-max pruning when the query allows it. Stored text is
    /// read and snippets made only for the page shown.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let searcher = self.reader.searcher();
        let (query, warnings) = self.query(req);
        let want = req.offset.saturating_add(req.limit);
        let mut k = (want * 4).max(MIN_TOP_PARTS);
        // All matches, per segment (doc ids ascending).
        let all = MatchSet { facets: req.facets };
        let (mut top, matches) = if prunable(&*query) {
            let m = searcher.search(&query, &all)?;
            let t = searcher.search(&query, &TopDocs::with_limit(k).order_by_score())?;
            (t, m)
        } else {
            searcher.search(&query, &(TopDocs::with_limit(k).order_by_score(), all))?
        };
        let total: usize = matches.iter().map(|m| m.docs.len()).sum();
        let max_no = matches
            .iter()
            .flat_map(|m| m.doc_nos.iter().copied().filter(|n| *n != u32::MAX).max())
            .max()
            .unwrap_or(0) as usize;
        let mut seen = vec![0u64; max_no / 64 + 1];
        for m in &matches {
            for &n in &m.doc_nos {
                if let Some(w) = seen.get_mut(n as usize / 64) {
                    *w |= 1 << (n % 64);
                }
            }
        }
        let total_docs: usize = seen.iter().map(|w| w.count_ones() as usize).sum();
        // Documents in order of their best part; more top parts are ranked
        // when the ones kept do not cover the page.
        let cols: Vec<Option<tantivy::columnar::Column<u64>>> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("doc_no").ok())
            .collect();
        let no_of = |addr: tantivy::DocAddress| -> u32 {
            cols[addr.segment_ord as usize]
                .as_ref()
                .and_then(|c| c.first(addr.doc_id))
                .unwrap_or(u64::MAX) as u32
        };
        let order = loop {
            let mut order: Vec<u32> = Vec::new();
            let mut in_order = std::collections::HashSet::new();
            for (_, addr) in &top {
                let n = no_of(*addr);
                if in_order.insert(n) {
                    order.push(n);
                    if order.len() >= want {
                        break;
                    }
                }
            }
            if order.len() >= want || top.len() < k || k >= total {
                break order;
            }
            k = (k * 8).min(total.max(1));
            top = searcher.search(&query, &TopDocs::with_limit(k).order_by_score())?;
        };
        let page_nos: Vec<u32> = order.into_iter().skip(req.offset).collect();
        let page = self.page(&searcher, &*query, &matches, &page_nos, req)?;
        let facets = if total > 0 && req.facets {
            merge_facets(&matches)
        } else {
            Facets::default()
        };
        Ok(SearchResults {
            total_parts: total,
            total_docs,
            groups: page,
            facets,
            warnings,
        })
    }

    /// The groups of the page: every match of the page's documents scored
    /// again (a seek each), the best `hits_per_doc` of each with a snippet.
    fn page(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        matches: &[SegMatches],
        page_nos: &[u32],
        req: &SearchRequest,
    ) -> Result<Vec<Group>> {
        let f = self.f;
        if page_nos.is_empty() {
            return Ok(Vec::new());
        }
        let slot: HashMap<u32, usize> = page_nos.iter().enumerate().map(|(i, n)| (*n, i)).collect();
        let max_no = *page_nos.iter().max().unwrap_or(&0) as usize;
        let mut on_page = vec![false; max_no + 1];
        for n in page_nos {
            on_page[*n as usize] = true;
        }
        let weight = query.weight(tantivy::query::EnableScoring::enabled_from_searcher(
            searcher,
        ))?;
        let mut members: Vec<Vec<(f32, tantivy::DocAddress)>> = vec![Vec::new(); page_nos.len()];
        for m in matches {
            let (seg, docs, nos) = (&m.seg, &m.docs, &m.doc_nos);
            let mut scorer: Option<Box<dyn tantivy::query::Scorer>> = None;
            for (&d, &n) in docs.iter().zip(nos) {
                if (n as usize) > max_no || !on_page[n as usize] {
                    continue;
                }
                let sc = match &mut scorer {
                    Some(s) => s,
                    None => scorer.insert(weight.scorer(searcher.segment_reader(*seg), 1.0)?),
                };
                let score = if sc.doc() == d || sc.seek(d) == d {
                    sc.score()
                } else {
                    0.0
                };
                members[slot[&n]].push((score, tantivy::DocAddress::new(*seg, d)));
            }
        }
        let mut snippets = SnippetGenerator::create(searcher, query, f.text)?;
        snippets.set_max_num_chars(240);
        let str_of = |d: &TantivyDocument, field: Field| -> Option<String> {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let u64_of = |d: &TantivyDocument, field: Field| -> Option<u64> {
            d.get_first(field).and_then(|v| v.as_u64())
        };
        let mut page = Vec::new();
        for mut m in members {
            m.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut g: Option<Group> = None;
            for (score, addr) in m.iter().take(req.hits_per_doc.max(1)) {
                let d: TantivyDocument = searcher.doc(*addr)?;
                let g = g.get_or_insert_with(|| Group {
                    doc: str_of(&d, f.doc).unwrap_or_default(),
                    title: str_of(&d, f.title).unwrap_or_default(),
                    outlet: str_of(&d, f.outlet),
                    year: u64_of(&d, f.year),
                    score: *score,
                    hits: Vec::new(),
                    matched_parts: m.len(),
                });
                if g.hits.len() >= req.hits_per_doc {
                    break;
                }
                let text = str_of(&d, f.text).unwrap_or_default();
                let snip = snippets.snippet(&text);
                let snippet = if snip.is_empty() {
                    // Matched on a filter only: the part's opening.
                    vec![Segment {
                        text: clip_chars(&text, 240),
                        hit: false,
                    }]
                } else {
                    segments(snip.fragment(), snip.highlighted())
                };
                g.hits.push(Hit {
                    part: u64_of(&d, f.part).unwrap_or(0) as u32,
                    kind: str_of(&d, f.kind).unwrap_or_default(),
                    line: u64_of(&d, f.line).unwrap_or(0) as u32,
                    score: *score,
                    snippet,
                });
            }
            page.extend(g);
        }
        Ok(page)
    }

    /// Every stored value of the parts of one document, for checks and the static site.
    pub fn all_units(&self) -> Result<Vec<(String, u32, String)>> {
        let searcher = self.reader.searcher();
        let mut out = Vec::new();
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(16)?;
            for d in store.iter::<TantivyDocument>(seg.alive_bitset()) {
                let d = d?;
                let s = |fl: Field| {
                    d.get_first(fl)
                        .and_then(|v| v.as_str())
                        .map(str::to_string)
                        .unwrap_or_default()
                };
                let part = d
                    .get_first(self.f.part)
                    .and_then(|v| v.as_u64())
                    .unwrap_or(0);
                out.push((s(self.f.doc), part as u32, s(self.f.text)));
            }
        }
        Ok(out)
    }
}

/// Whether tantivy can rank the top parts of `q` with block-max pruning
/// (terms, and conjunctions or disjunctions of terms): then ranking is a
/// cheap pass of its own; otherwise (phrases, ranges) it rides along the pass
/// that enumerates every match.
fn prunable(q: &dyn Query) -> bool {
    if q.downcast_ref::<TermQuery>().is_some() {
        return true;
    }
    match q.downcast_ref::<BooleanQuery>() {
        Some(b) => {
            let c = b.clauses();
            !c.is_empty()
                && c.iter()
                    .all(|(_, q)| q.downcast_ref::<TermQuery>().is_some())
                && (c.iter().all(|(o, _)| *o == Occur::Must)
                    || c.iter().all(|(o, _)| *o == Occur::Should))
        }
        None => false,
    }
}

/// Names of the text facets, in [`SegMatches::facets`] order.
const FACET_NAMES: [&str; 5] = ["kind", "outlet", "category", "entity", "event_type"];

/// Collects every matching part without scoring (alone it gets whole blocks
/// of ids), and per segment — in the search threads — reads their document
/// numbers and counts facet values from the columns.
struct MatchSet {
    facets: bool,
}

/// Counts by value of each of [`FACET_NAMES`], then by year.
type SegFacets = (Vec<Vec<(String, u64)>>, Vec<(u64, u64)>);

/// The columns facets are counted from: [`FACET_NAMES`], then the year.
type FacetCols = (
    Vec<Option<tantivy::columnar::StrColumn>>,
    Option<tantivy::columnar::Column<u64>>,
);

/// The matches of one segment.
struct SegMatches {
    seg: u32,
    /// Matching doc ids, ascending.
    docs: Vec<tantivy::DocId>,
    /// The document number of each.
    doc_nos: Vec<u32>,
    /// Counts by value of each of [`FACET_NAMES`], then by year.
    facets: Option<SegFacets>,
}

struct SegmentMatches {
    seg: u32,
    docs: Vec<tantivy::DocId>,
    doc_no: Option<tantivy::columnar::Column<u64>>,
    cols: Option<FacetCols>,
}

impl tantivy::collector::SegmentCollector for SegmentMatches {
    type Fruit = SegMatches;

    fn collect(&mut self, doc: tantivy::DocId, _score: tantivy::Score) {
        self.docs.push(doc);
    }

    fn collect_block(&mut self, docs: &[tantivy::DocId]) {
        self.docs.extend_from_slice(docs);
    }

    fn harvest(self) -> SegMatches {
        let docs = self.docs;
        let mut doc_nos = Vec::with_capacity(docs.len());
        let mut buf = [None; 256];
        let mut full = [0u64; 256];
        for chunk in docs.chunks(256) {
            match &self.doc_no {
                Some(c) if matches!(c.index, tantivy::columnar::ColumnIndex::Full) => {
                    let b = &mut full[..chunk.len()];
                    c.values.get_vals(chunk, b);
                    doc_nos.extend(b.iter().map(|v| *v as u32));
                }
                c => {
                    let b = &mut buf[..chunk.len()];
                    b.fill(None);
                    if let Some(c) = c {
                        c.first_vals(chunk, b);
                    }
                    doc_nos.extend(b.iter().map(|v| v.unwrap_or(u64::MAX) as u32));
                }
            }
        }
        let facets = self
            .cols
            .map(|(strs, year)| count_facets(&docs, &strs, year.as_ref()));
        SegMatches {
            seg: self.seg,
            docs,
            doc_nos,
            facets,
        }
    }
}

impl tantivy::collector::Collector for MatchSet {
    type Fruit = Vec<SegMatches>;
    type Child = SegmentMatches;

    fn for_segment(
        &self,
        seg: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentMatches> {
        let ff = reader.fast_fields();
        let cols = if self.facets {
            let strs = FACET_NAMES
                .iter()
                .map(|n| ff.str(n))
                .collect::<tantivy::Result<Vec<_>>>()?;
            Some((strs, ff.u64("year").ok()))
        } else {
            None
        };
        Ok(SegmentMatches {
            seg,
            docs: Vec::new(),
            doc_no: ff.u64("doc_no").ok(),
            cols,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, mut fruits: Vec<SegMatches>) -> tantivy::Result<Self::Fruit> {
        fruits.retain(|m| !m.docs.is_empty());
        fruits.sort_by_key(|m| m.seg);
        Ok(fruits)
    }
}

/// Counts the facet values of `docs`: term ordinals in an array, and only
/// the ordinals seen turned to text.
fn count_facets(
    docs: &[u32],
    strs: &[Option<tantivy::columnar::StrColumn>],
    year: Option<&tantivy::columnar::Column<u64>>,
) -> SegFacets {
    // Every value of `col` for `docs`, read a block at a time (generic so
    // that the counting inlines).
    fn for_values(
        col: &tantivy::columnar::Column<u64>,
        docs: &[u32],
        bufs: &mut (Vec<u32>, Vec<u32>, Vec<u64>),
        mut f: impl FnMut(u64),
    ) {
        let (doc_out, rows, vals) = bufs;
        let full = matches!(col.index, tantivy::columnar::ColumnIndex::Full);
        for chunk in docs.chunks(512) {
            let rows: &[u32] = if full {
                chunk
            } else {
                doc_out.clear();
                rows.clear();
                col.row_ids_for_docs(chunk, doc_out, rows);
                rows
            };
            vals.resize(rows.len(), 0u64);
            col.values.get_vals(rows, vals);
            for v in vals.iter() {
                f(*v);
            }
        }
    }
    let mut bufs = (Vec::new(), Vec::new(), Vec::new());
    let mut out = Vec::new();
    for col in strs {
        let mut counted = Vec::new();
        if let Some(col) = col {
            let mut per_ord = vec![0u32; col.num_terms()];
            for_values(col.ords(), docs, &mut bufs, |o| {
                if let Some(c) = per_ord.get_mut(o as usize) {
                    *c += 1
                }
            });
            let seen: Vec<u64> = (0..per_ord.len() as u64)
                .filter(|o| per_ord[*o as usize] > 0)
                .collect();
            let mut j = 0;
            let _ = col.dictionary().sorted_ords_to_term_cb(&seen, |t| {
                counted.push((
                    String::from_utf8_lossy(t).into_owned(),
                    per_ord[seen[j] as usize] as u64,
                ));
                j += 1;
            });
        }
        out.push(counted);
    }
    let mut years: Vec<(u64, u64)> = Vec::new();
    if let Some(col) = year {
        // Years span a short range: counted in an array, not a map.
        let lo = col.min_value();
        let span = col.max_value().saturating_sub(lo) as usize + 1;
        let mut per_year = vec![0u64; span.min(1 << 16)];
        let mut rest: HashMap<u64, u64> = HashMap::new();
        for_values(col, docs, &mut bufs, |y| {
            match per_year.get_mut((y - lo) as usize) {
                Some(c) => *c += 1,
                None => *rest.entry(y).or_default() += 1,
            }
        });
        years.extend(
            per_year
                .into_iter()
                .enumerate()
                .filter(|(_, c)| *c > 0)
                .map(|(i, c)| (lo + i as u64, c)),
        );
        years.extend(rest);
    }
    (out, years)
}

/// Adds up the per-segment facet counts; the `FACET_SIZE` most frequent
/// values of each field.
fn merge_facets(matches: &[SegMatches]) -> Facets {
    let mut counts: Vec<HashMap<&str, u64>> = vec![HashMap::new(); FACET_NAMES.len()];
    let mut years: HashMap<u64, u64> = HashMap::new();
    for (strs, ys) in matches.iter().filter_map(|m| m.facets.as_ref()) {
        for (i, vs) in strs.iter().enumerate() {
            for (v, c) in vs {
                *counts[i].entry(v.as_str()).or_default() += c;
            }
        }
        for (y, c) in ys {
            *years.entry(*y).or_default() += c;
        }
    }
    let top = |v: Vec<(String, u64)>| -> Vec<(String, u64)> {
        let mut v = v;
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(FACET_SIZE);
        v
    };
    let mut c = counts
        .into_iter()
        .map(|m| top(m.into_iter().map(|(k, n)| (k.to_string(), n)).collect()));
    let mut next = || c.next().unwrap_or_default();
    let (kind, outlet, category, entity, event_type) = (next(), next(), next(), next(), next());
    let mut year = top(years.into_iter().map(|(y, n)| (y.to_string(), n)).collect());
    year.sort_by(|a, b| b.0.cmp(&a.0));
    Facets {
        kind,
        outlet,
        category,
        year,
        entity,
        event_type,
    }
}

fn clip_chars(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// Splits `fragment` into plain and highlighted segments (ranges are byte ranges).
fn segments(fragment: &str, highlighted: &[std::ops::Range<usize>]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    for r in highlighted {
        if r.start < at
            || r.end > fragment.len()
            || !fragment.is_char_boundary(r.start)
            || !fragment.is_char_boundary(r.end)
        {
            continue;
        }
        if r.start > at {
            out.push(Segment {
                text: fragment[at..r.start].to_string(),
                hit: false,
            });
        }
        out.push(Segment {
            text: fragment[r.clone()].to_string(),
            hit: true,
        });
        at = r.end;
    }
    if at < fragment.len() {
        out.push(Segment {
            text: fragment[at..].to_string(),
            hit: false,
        });
    }
    out
}

/// Counts of a facet as a map, for callers that look values up.
pub fn facet_map(v: &[(String, u64)]) -> BTreeMap<String, u64> {
    v.iter().cloned().collect()
}

#[cfg(test)]
mod tests;
