//! Exports in the shape of the export contract (shared/DESIGN.md).
//!
//! Each kind has one row type whose field names and order are the contract's;
//! JSONL writes it as is, CSV flattens it into the contract's columns (lists
//! and objects as compact JSON in their cell). Rows are streamed from the
//! store, so an export never holds the archive in memory.
use crate::EngineError;
use annals_model::event::{Count, Event};
use annals_model::know::{Entity, Mention};
use annals_model::notes::{CslItem, Marker, Note};
use annals_model::time::Timex;
use annals_model::Document;
use annals_store::Store;
use serde::Serialize;
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
}

impl ExportKind {
    /// Every kind.
    pub const ALL: [ExportKind; 7] = [
        ExportKind::Documents,
        ExportKind::Markers,
        ExportKind::Notes,
        ExportKind::Entities,
        ExportKind::Mentions,
        ExportKind::Timexes,
        ExportKind::Events,
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
            ExportKind::Entities => &[
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
}

impl ExportFormat {
    /// The format with this name (`jsonl`, `csv`).
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "jsonl" | "json" => Some(ExportFormat::Jsonl),
            "csv" => Some(ExportFormat::Csv),
            _ => None,
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

/// Writes every stored value of `kind` to `out`; returns the number of rows.
pub(crate) fn export(
    store: &dyn Store,
    kind: ExportKind,
    format: ExportFormat,
    out: &mut dyn Write,
) -> Result<u64, EngineError> {
    let mut w = match format {
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
    match kind {
        ExportKind::Documents => store.for_each_document(&mut |d: Document| {
            n += 1;
            w.row(&DocumentRow::new(&d))
        })?,
        ExportKind::Markers => store.for_each_marker(&mut |m: Marker| {
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
        ExportKind::Entities => store.for_each_entity(&mut |(e, mentions): (Entity, u64)| {
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
        })?,
        ExportKind::Mentions => store.for_each_mention(&mut |m: Mention| {
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
