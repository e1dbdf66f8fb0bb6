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
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector};
use tantivy::collector::{Count, TopDocs};
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

/// Every part of every stored document, with the entities mentioned in it and
/// the types of the events whose evidence falls in it.
pub fn units_from_store(store: &dyn Store) -> Result<Vec<IndexDoc>> {
    let mut units = Vec::new();
    // Per document: (source start, source end, unit index) of each part.
    let mut spans: HashMap<String, Vec<(usize, usize, usize)>> = HashMap::new();
    store.for_each_document(&mut |d: Document| {
        let mut idx = 0;
        let us = units_of(&d);
        let entry = spans.entry(d.id.clone()).or_default();
        for u in us {
            let p = &d.parts[u.part as usize];
            entry.push((p.span.start, p.span.end, units.len()));
            idx += 1;
            units.push(u);
        }
        let _ = idx;
        Ok(())
    })?;
    let find = |doc: &str, start: usize| -> Option<usize> {
        spans
            .get(doc)?
            .iter()
            .find(|(s, e, _)| *s <= start && start < *e)
            .map(|(_, _, i)| *i)
    };
    let mut adds: Vec<(usize, bool, String)> = Vec::new();
    store.for_each_mention(&mut |m| {
        if let Some(i) = find(&m.doc, m.span.start) {
            adds.push((i, true, m.entity));
        }
        Ok(())
    })?;
    store.for_each_event(&mut |e| {
        for ev in &e.evidence {
            if let Some(i) = find(&ev.doc, ev.span.start) {
                adds.push((i, false, e.kind.as_str().to_string()));
            }
        }
        Ok(())
    })?;
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
    let st = store.stats()?;
    h.update(format!("{} {} {}\n", st.sources, st.documents, st.diagnostics).as_bytes());
    // Stage outputs can change without the files changing (a re-run with new
    // stages): count them too.
    // Decisions (entity merges, event splits) move mentions and evidence
    // between ids: hash the ids too.
    let mut n = [0u64; 3];
    store.for_each_mention(&mut |m| {
        n[0] += 1;
        h.update(m.entity.as_bytes());
        Ok(())
    })?;
    store.for_each_event(&mut |e| {
        n[1] += 1;
        n[2] += e.evidence.len() as u64;
        h.update(e.kind.as_str().as_bytes());
        for ev in &e.evidence {
            h.update(ev.doc.as_bytes());
            h.update(&ev.span.start.to_le_bytes());
        }
        Ok(())
    })?;
    h.update(format!("{} {} {}\n", n[0], n[1], n[2]).as_bytes());
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
    let units = units_from_store(store)?;
    let n = units.len() as u64;
    build(dir, &fp, units)?;
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
    let mut w = index.writer_with_num_threads::<TantivyDocument>(1, 64_000_000)?;
    let n = units.len() as u64;
    let mut doc_nos: HashMap<String, u64> = HashMap::new();
    for u in units {
        let next = doc_nos.len() as u64;
        let doc_no = *doc_nos.entry(u.doc.clone()).or_insert(next);
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
        w.add_document(d)?;
    }
    w.commit()?;
    w.wait_merging_threads()?;
    let meta = GenMeta {
        version: INDEX_VERSION,
        fingerprint: fingerprint.to_string(),
        units: n,
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
    /// Count facet values over all matches (the costliest part of a search).
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
    /// Matching parts in this document (counted among the top parts searched).
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
    /// Distinct documents among the top parts searched.
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

/// How many top parts a search ranks before grouping them by document.
const TOP_PARTS: usize = 2000;
/// How many facet values are counted per field.
const FACET_SIZE: u32 = 30;

impl SearchIndex {
    /// Opens the current generation in `dir`.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        let gen = current_gen(dir).ok_or_else(|| IndexError::Missing(dir.to_path_buf()))?;
        let meta = read_meta(&gen).ok_or_else(|| IndexError::Missing(dir.to_path_buf()))?;
        let index = Index::open_in_dir(&gen)?;
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
        (Box::new(BooleanQuery::new(clauses)), warnings)
    }

    /// Runs a search: matching parts ranked by BM25, grouped by document.
    pub fn search(&self, req: &SearchRequest) -> Result<SearchResults> {
        let f = self.f;
        let searcher = self.reader.searcher();
        let (query, warnings) = self.query(req);
        let (top, total) = searcher.search(
            &query,
            &(TopDocs::with_limit(TOP_PARTS).order_by_score(), Count),
        )?;
        let mut snippets = SnippetGenerator::create(&searcher, &*query, f.text)?;
        snippets.set_max_num_chars(240);
        let str_of = |d: &TantivyDocument, field: Field| -> Option<String> {
            d.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let u64_of = |d: &TantivyDocument, field: Field| -> Option<u64> {
            d.get_first(field).and_then(|v| v.as_u64())
        };
        // Group the top parts by document from a column; stored fields are
        // read only for the page shown.
        let cols: Vec<Option<tantivy::columnar::Column<u64>>> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.fast_fields().u64("doc_no").ok())
            .collect();
        let mut pos: HashMap<u64, usize> = HashMap::new();
        let mut members: Vec<Vec<(f32, tantivy::DocAddress)>> = Vec::new();
        for (score, addr) in top {
            let key = cols[addr.segment_ord as usize]
                .as_ref()
                .and_then(|c| c.first(addr.doc_id))
                .unwrap_or(u64::MAX - addr.doc_id as u64);
            let i = *pos.entry(key).or_insert_with(|| {
                members.push(Vec::new());
                members.len() - 1
            });
            members[i].push((score, addr));
        }
        let total_docs = members.len();
        let mut page = Vec::new();
        for m in members.iter().skip(req.offset).take(req.limit) {
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
        let facets = if total > 0 && req.facets {
            self.facets(&searcher, &*query)?
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

    fn facets(&self, searcher: &tantivy::Searcher, query: &dyn Query) -> Result<Facets> {
        let names = ["kind", "outlet", "category", "entity", "event_type", "year"];
        let mut req = serde_json::Map::new();
        for n in names {
            req.insert(
                n.to_string(),
                serde_json::json!({"terms": {"field": n, "size": FACET_SIZE}}),
            );
        }
        let aggs: Aggregations = serde_json::from_value(serde_json::Value::Object(req))
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        let coll = AggregationCollector::from_aggs(aggs, AggContextParams::default());
        let res = searcher.search(query, &coll)?;
        let v = serde_json::to_value(&res)
            .map_err(|e| tantivy::TantivyError::InvalidArgument(e.to_string()))?;
        let buckets = |n: &str| -> Vec<(String, u64)> {
            let mut out: Vec<(String, u64)> = v[n]["buckets"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|b| {
                            let key = match &b["key"] {
                                serde_json::Value::String(s) => s.clone(),
                                serde_json::Value::Number(x) => {
                                    x.as_f64().map(|f| format!("{}", f as i64))?
                                }
                                _ => return None,
                            };
                            Some((key, b["doc_count"].as_u64().unwrap_or(0)))
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            out
        };
        let mut year = buckets("year");
        year.sort_by(|a, b| b.0.cmp(&a.0));
        Ok(Facets {
            kind: buckets("kind"),
            outlet: buckets("outlet"),
            category: buckets("category"),
            year,
            entity: buckets("entity"),
            event_type: buckets("event_type"),
        })
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
