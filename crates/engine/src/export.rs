//! Exports in the shape of the export contract (shared/DESIGN.md).
//!
//! Each kind has one row type whose field names and order are the contract's;
//! JSONL writes it as is, CSV flattens it into the contract's columns (lists
//! and objects as compact JSON in their cell). Rows are streamed from the
//! store, so an export never holds the archive in memory.
use crate::EngineError;
use annals_model::event::{Count, Event};
use annals_model::know::{Entity, EntityKind, Mention};
use annals_model::notes::{CslItem, Marker, Note};
use annals_model::time::Timex;
use annals_model::Document;
use annals_store::Store;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Write;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExportKind {
    /// Documents and their parts.
    Documents,
    /// Inline note markers.
    Markers,
    /// Notes with their first reference as CSL-JSON.
    Notes,
    /// Entities with mention counts.
    Entities,
    /// Entity mentions.
    Mentions,
    /// Time expressions.
    Timexes,
    /// Events with evidence.
    Events,
    /// Entities that are places (rows as for entities; GeoJSON points).
    Places,
}

impl ExportKind {
    /// Every kind.
    pub const ALL: [ExportKind; 8] = [
        ExportKind::Documents,
        ExportKind::Markers,
        ExportKind::Notes,
        ExportKind::Entities,
        ExportKind::Mentions,
        ExportKind::Timexes,
        ExportKind::Events,
        ExportKind::Places,
    ];

    /// The contract name (`documents`, `markers`...).
    pub fn as_str(&self) -> &'static str {
        match self {
            ExportKind::Documents => "documents",
            ExportKind::Markers => "markers",
            ExportKind::Notes => "notes",
            ExportKind::Entities => "entities",
            ExportKind::Mentions => "mentions",
            ExportKind::Timexes => "timexes",
            ExportKind::Events => "events",
            ExportKind::Places => "places",
        }
    }

    /// The kind with this name.
    pub fn parse(s: &str) -> Option<ExportKind> {
        ExportKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The columns, in contract order (CSV header; JSONL objects have the same keys).
    pub fn columns(&self) -> &'static [&'static str] {
        match self {
            ExportKind::Documents => &[
                "id",
                "source",
                "title",
                "standfirst",
                "outlet",
                "authors",
                "date",
                "date_evidence",
                "category",
                "lines",
                "parts",
                "url",
                "tags",
            ],
            ExportKind::Markers => &["doc", "line", "start", "end", "marker", "note"],
            ExportKind::Notes => &[
                "doc",
                "number",
                "line",
                "raw",
                "csl",
                "refers_to",
                "kind",
                "start",
                "end",
                "comment",
                "references",
            ],
            ExportKind::Entities | ExportKind::Places => &[
                "id", "type", "name", "aliases", "lat", "lon", "mentions", "country", "origin",
            ],
            ExportKind::Mentions => &[
                "doc",
                "line",
                "start",
                "end",
                "text",
                "entity",
                "type",
                "confidence",
            ],
            ExportKind::Timexes => &[
                "doc", "line", "start", "end", "text", "type", "value", "anchor",
            ],
            ExportKind::Events => &[
                "id",
                "type",
                "date",
                "date_text",
                "place",
                "actors",
                "targets",
                "killed",
                "injured",
                "claimed_by",
                "evidence",
                "conflicts_with",
                "modality",
                "place_entity",
                "merge_reasons",
            ],
        }
    }
}

/// How to write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExportFormat {
    /// One JSON object a line.
    #[default]
    Jsonl,
    /// Comma-separated values with a header row.
    Csv,
    /// Notes' references as one CSL-JSON array (Zotero, citation processors).
    CslJson,
    /// Notes' references as BibTeX.
    Bibtex,
    /// Notes' references as RIS.
    Ris,
    /// Places or located events as one GeoJSON FeatureCollection.
    GeoJson,
    /// Dated events as one TimelineJS3 document.
    TimelineJs,
}

impl ExportFormat {
    /// The format with this name (`jsonl`, `csv`, `csl-json`, `bibtex`,
    /// `ris`, `geojson`, `timelinejs`).
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "jsonl" | "json" => Some(ExportFormat::Jsonl),
            "csv" => Some(ExportFormat::Csv),
            "csl-json" | "csl" => Some(ExportFormat::CslJson),
            "bibtex" | "bib" => Some(ExportFormat::Bibtex),
            "ris" => Some(ExportFormat::Ris),
            "geojson" => Some(ExportFormat::GeoJson),
            "timelinejs" => Some(ExportFormat::TimelineJs),
            _ => None,
        }
    }

    /// The name [`parse`](ExportFormat::parse) reads.
    pub fn as_str(&self) -> &'static str {
        match self {
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Csv => "csv",
            ExportFormat::CslJson => "csl-json",
            ExportFormat::Bibtex => "bibtex",
            ExportFormat::Ris => "ris",
            ExportFormat::GeoJson => "geojson",
            ExportFormat::TimelineJs => "timelinejs",
        }
    }

    /// Whether `kind` can be written in this format.
    pub fn supports(&self, kind: ExportKind) -> bool {
        match self {
            ExportFormat::Jsonl | ExportFormat::Csv => true,
            ExportFormat::CslJson | ExportFormat::Bibtex | ExportFormat::Ris => {
                kind == ExportKind::Notes
            }
            ExportFormat::GeoJson => matches!(kind, ExportKind::Places | ExportKind::Events),
            ExportFormat::TimelineJs => kind == ExportKind::Events,
        }
    }
}

#[derive(Serialize)]
struct PartRow {
    kind: &'static str,
    lines: [u32; 2],
}

#[derive(Serialize)]
struct DocumentRow<'a> {
    id: &'a str,
    source: &'a str,
    title: Option<&'a str>,
    standfirst: Option<&'a str>,
    outlet: Option<&'a str>,
    authors: &'a [String],
    date: Option<&'a str>,
    date_evidence: Option<&'a str>,
    category: Option<&'a str>,
    lines: [u32; 2],
    parts: Vec<PartRow>,
    url: Option<&'a str>,
    tags: &'a [String],
}

impl<'a> DocumentRow<'a> {
    fn new(d: &'a Document) -> Self {
        DocumentRow {
            id: &d.id,
            source: &d.source,
            title: d.title.as_deref(),
            standfirst: d.standfirst.as_deref(),
            outlet: d.outlet.as_deref(),
            authors: &d.authors,
            date: d.date.as_deref(),
            date_evidence: d.date_evidence.as_ref().map(|e| e.text.as_str()),
            category: d.category.as_deref(),
            lines: d.lines,
            // One entry per part, in order: consecutive parts of a kind stay apart.
            parts: d
                .parts
                .iter()
                .map(|p| PartRow {
                    kind: p.kind.as_str(),
                    lines: p.lines,
                })
                .collect(),
            url: d.url.as_deref(),
            tags: &d.tags,
        }
    }
}

#[derive(Serialize)]
struct MarkerRow<'a> {
    doc: &'a str,
    line: u32,
    start: usize,
    end: usize,
    marker: &'a str,
    note: Option<u32>,
}

#[derive(Serialize)]
struct NoteRow<'a> {
    doc: &'a str,
    number: u32,
    line: u32,
    raw: &'a str,
    csl: Option<&'a CslItem>,
    refers_to: Option<u32>,
    kind: serde_json::Value,
    start: usize,
    end: usize,
    comment: Option<&'a str>,
    references: &'a [CslItem],
}

#[derive(Serialize)]
struct EntityRow<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
    aliases: &'a [String],
    lat: Option<f64>,
    lon: Option<f64>,
    mentions: u64,
    country: Option<&'a str>,
    origin: &'a str,
}

#[derive(Serialize)]
struct MentionRow<'a> {
    doc: &'a str,
    line: u32,
    start: usize,
    end: usize,
    text: &'a str,
    entity: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    confidence: f32,
}

#[derive(Serialize)]
struct TimexRow<'a> {
    doc: &'a str,
    line: u32,
    start: usize,
    end: usize,
    text: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: &'a str,
    anchor: Option<&'a str>,
}

#[derive(Serialize)]
struct EvidenceRow<'a> {
    doc: &'a str,
    line: u32,
    start: usize,
    end: usize,
    text: &'a str,
}

#[derive(Serialize)]
struct EventRow<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    date: Option<&'a str>,
    date_text: Option<&'a str>,
    place: Option<&'a str>,
    actors: &'a [String],
    targets: &'a [String],
    killed: Option<u32>,
    injured: Option<u32>,
    claimed_by: Option<&'a str>,
    evidence: Vec<EvidenceRow<'a>>,
    conflicts_with: &'a [String],
    modality: serde_json::Value,
    place_entity: Option<&'a str>,
    merge_reasons: &'a [String],
}

fn count(c: &Option<Count>) -> Option<u32> {
    c.as_ref().and_then(|c| c.value)
}

/// Writes rows in one format.
enum RowWriter<'w> {
    Jsonl(&'w mut dyn Write),
    Csv {
        csv: Box<csv::Writer<&'w mut dyn Write>>,
        columns: &'static [&'static str],
    },
}

impl RowWriter<'_> {
    fn row<T: Serialize>(&mut self, row: &T) -> std::io::Result<()> {
        match self {
            RowWriter::Jsonl(w) => {
                serde_json::to_writer(&mut **w, row)?;
                w.write_all(b"\n")
            }
            RowWriter::Csv { csv, columns } => {
                let value = serde_json::to_value(row)?;
                let cells = columns.iter().map(|c| match value.get(c) {
                    None | Some(serde_json::Value::Null) => String::new(),
                    Some(serde_json::Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                });
                csv.write_record(cells).map_err(std::io::Error::other)
            }
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            RowWriter::Jsonl(w) => w.flush(),
            RowWriter::Csv { mut csv, .. } => csv.flush(),
        }
    }
}

/// Writes every stored value of `kind` (of document `doc` only, when given)
/// to `out`; returns the number of rows, references or features written.
pub(crate) fn export(
    store: &dyn Store,
    kind: ExportKind,
    format: ExportFormat,
    doc: Option<&str>,
    out: &mut dyn Write,
) -> Result<u64, EngineError> {
    if !format.supports(kind) {
        return Err(EngineError::Invalid(format!(
            "{} cannot be exported as {}",
            kind.as_str(),
            format.as_str()
        )));
    }
    if let Some(d) = doc {
        if store.document(d)?.is_none() {
            return Err(EngineError::NotFound(d.to_string()));
        }
    }
    let mut w = match format {
        ExportFormat::CslJson | ExportFormat::Bibtex | ExportFormat::Ris => {
            return references(store, format, doc, out)
        }
        ExportFormat::GeoJson | ExportFormat::TimelineJs => {
            return documents_of_one_value(store, kind, format, doc, out)
        }
        ExportFormat::Jsonl => RowWriter::Jsonl(out),
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(kind.columns())
                .map_err(std::io::Error::other)?;
            RowWriter::Csv {
                csv: Box::new(csv),
                columns: kind.columns(),
            }
        }
    };
    let mut n = 0u64;
    let keep = |d: &str| doc.is_none_or(|x| x == d);
    match kind {
        ExportKind::Documents => store.for_each_document(&mut |d: Document| {
            if !keep(&d.id) {
                return Ok(());
            }
            n += 1;
            w.row(&DocumentRow::new(&d))
        })?,
        ExportKind::Markers => store.for_each_marker(&mut |m: Marker| {
            if !keep(&m.doc) {
                return Ok(());
            }
            n += 1;
            w.row(&MarkerRow {
                doc: &m.doc,
                line: m.span.line,
                start: m.span.start,
                end: m.span.end,
                marker: &m.marker,
                note: m.note,
            })
        })?,
        ExportKind::Notes => store.for_each_note(&mut |note: Note| {
            if !keep(&note.doc) {
                return Ok(());
            }
            n += 1;
            w.row(&NoteRow {
                doc: &note.doc,
                number: note.number,
                line: note.span.line,
                raw: &note.raw,
                csl: note.references.first(),
                refers_to: note.refers_to,
                kind: serde_json::to_value(note.kind)?,
                start: note.span.start,
                end: note.span.end,
                comment: note.comment.as_deref(),
                references: &note.references,
            })
        })?,
        ExportKind::Entities | ExportKind::Places => {
            store.for_each_entity(&mut |(e, mentions): (Entity, u64)| {
                if kind == ExportKind::Places && e.kind != EntityKind::Place {
                    return Ok(());
                }
                n += 1;
                w.row(&EntityRow {
                    id: &e.id,
                    kind: e.kind.as_str(),
                    name: &e.name,
                    aliases: &e.aliases,
                    lat: e.lat,
                    lon: e.lon,
                    mentions,
                    country: e.country.as_deref(),
                    origin: &e.origin,
                })
            })?
        }
        ExportKind::Mentions => store.for_each_mention(&mut |m: Mention| {
            if !keep(&m.doc) {
                return Ok(());
            }
            n += 1;
            w.row(&MentionRow {
                doc: &m.doc,
                line: m.span.line,
                start: m.span.start,
                end: m.span.end,
                text: &m.text,
                entity: &m.entity,
                kind: m.kind.as_str(),
                confidence: m.confidence,
            })
        })?,
        ExportKind::Timexes => store.for_each_timex(&mut |t: Timex| {
            if !keep(&t.doc) {
                return Ok(());
            }
            n += 1;
            w.row(&TimexRow {
                doc: &t.doc,
                line: t.span.line,
                start: t.span.start,
                end: t.span.end,
                text: &t.text,
                kind: t.kind.as_str(),
                value: &t.value,
                anchor: t.anchor.as_deref(),
            })
        })?,
        ExportKind::Events => store.for_each_event(&mut |e: Event| {
            if doc.is_some() && !e.evidence.iter().any(|v| keep(&v.doc)) {
                return Ok(());
            }
            n += 1;
            w.row(&EventRow {
                id: &e.id,
                kind: e.kind.as_str(),
                date: e.date.as_deref(),
                date_text: e.date_text.as_deref(),
                place: e.place.as_deref(),
                actors: &e.actors,
                targets: &e.targets,
                killed: count(&e.killed),
                injured: count(&e.injured),
                claimed_by: e.claimed_by.as_deref(),
                evidence: e
                    .evidence
                    .iter()
                    .map(|v| EvidenceRow {
                        doc: &v.doc,
                        line: v.span.line,
                        start: v.span.start,
                        end: v.span.end,
                        text: &v.text,
                    })
                    .collect(),
                conflicts_with: &e.conflicts_with,
                modality: serde_json::to_value(e.modality)?,
                place_entity: e.place_entity.as_deref(),
                merge_reasons: &e.merge_reasons,
            })
        })?,
    }
    w.finish()?;
    Ok(n)
}

/// Notes' references (repeats left out: they cite an earlier note's source)
/// as CSL-JSON, BibTeX or RIS. Each item's id is `<doc>-<note>` (and `-<k>`
/// for a note's further references), so it leads back to the note.
fn references(
    store: &dyn Store,
    format: ExportFormat,
    doc: Option<&str>,
    out: &mut dyn Write,
) -> Result<u64, EngineError> {
    let mut items: Vec<CslItem> = Vec::new();
    store.for_each_note(&mut |note: Note| {
        if doc.is_some_and(|d| d != note.doc) || note.refers_to.is_some() {
            return Ok(());
        }
        for (k, r) in note.references.iter().enumerate() {
            let mut item = r.clone();
            item.id = Some(if k == 0 {
                format!("{}-{}", note.doc, note.number)
            } else {
                format!("{}-{}-{}", note.doc, note.number, k + 1)
            });
            items.push(item);
        }
        Ok(())
    })?;
    match format {
        ExportFormat::CslJson => {
            let text = serde_json::to_string_pretty(&annals_notes::to_csl_json(&items))
                .map_err(std::io::Error::other)?;
            out.write_all(text.as_bytes())?;
            out.write_all(b"\n")?;
        }
        ExportFormat::Bibtex => out.write_all(annals_notes::to_bibtex(&items).as_bytes())?,
        _ => out.write_all(annals_notes::to_ris(&items).as_bytes())?,
    }
    out.flush()?;
    Ok(items.len() as u64)
}

/// Located places with their mention counts, and their coordinates by id and
/// by every name they go by.
type Places = (Vec<(Entity, u64)>, HashMap<String, (f64, f64)>);

/// The coordinates of every located place, by id and by every name it goes by.
fn place_coordinates(store: &dyn Store) -> Result<Places, EngineError> {
    let mut places = Vec::new();
    let mut by_key = HashMap::new();
    store.for_each_entity(&mut |(e, n): (Entity, u64)| {
        if let (EntityKind::Place, Some(lat), Some(lon)) = (e.kind, e.lat, e.lon) {
            by_key.insert(e.id.clone(), (lat, lon));
            for name in std::iter::once(&e.name).chain(&e.aliases) {
                by_key.entry(name.clone()).or_insert((lat, lon));
            }
            places.push((e, n));
        }
        Ok(())
    })?;
    Ok((places, by_key))
}

/// GeoJSON of places or events, TimelineJS of events: one JSON document.
fn documents_of_one_value(
    store: &dyn Store,
    kind: ExportKind,
    format: ExportFormat,
    doc: Option<&str>,
    out: &mut dyn Write,
) -> Result<u64, EngineError> {
    let (value, n) = if kind == ExportKind::Places {
        let (places, _) = place_coordinates(store)?;
        let features: Vec<serde_json::Value> = places
            .iter()
            .map(|(e, mentions)| {
                serde_json::json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                    "properties": {
                        "id": e.id, "name": e.name, "aliases": e.aliases,
                        "country": e.country, "mentions": mentions, "origin": e.origin,
                    }
                })
            })
            .collect();
        let n = features.len() as u64;
        (
            serde_json::json!({"type": "FeatureCollection", "features": features}),
            n,
        )
    } else {
        let mut events = Vec::new();
        store.for_each_event(&mut |e: Event| {
            if doc.is_none_or(|d| e.evidence.iter().any(|v| v.doc == d)) {
                events.push(e);
            }
            Ok(())
        })?;
        let value = if format == ExportFormat::GeoJson {
            let (_, coords) = place_coordinates(store)?;
            annals_events::to_geojson(&events, &coords)
        } else {
            annals_events::to_timelinejs(&events)
        };
        let n = value
            .get("features")
            .or_else(|| value.get("events"))
            .and_then(|v| v.as_array())
            .map_or(0, |a| a.len() as u64);
        (value, n)
    };
    let text = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
    out.write_all(text.as_bytes())?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(n)
}
