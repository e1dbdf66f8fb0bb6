//! The SQLite implementation of [`Store`].
use crate::schema::{MIGRATIONS, SCHEMA_VERSION};
use crate::{
    parse_format, DocumentSummary, Result, Run, RunSummary, Sink, SourceData, SourceRecord, Store,
    StoreError, StoreStats,
};
use annals_model::event::{Event, EventEvidence};
use annals_model::know::{Entity, EntityKind, Mention};
use annals_model::notes::{Marker, Note};
use annals_model::time::{Timex, TimexType};
use annals_model::{Diagnostic, Document, OffsetMap, Part, PartKind, Severity, Span};
use rusqlite::{
    params, Connection, ErrorCode, OptionalExtension, Transaction, TransactionBehavior,
};
use std::collections::HashSet;
use std::path::Path;
use std::time::Duration;

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy) | Some(ErrorCode::DatabaseLocked) => StoreError::Busy,
            _ => StoreError::Backend(Box::new(e)),
        }
    }
}

/// A store in one SQLite file (WAL mode: readers are not blocked by a run).
pub struct SqliteStore {
    conn: Connection,
}

/// How long a writer waits for another writer before giving up with
/// [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_millis(1500);

impl SqliteStore {
    /// Opens (or creates) the store at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let conn = Connection::open(path)?;
        Self::init(conn, true)
    }

    /// A store that lives in memory only (tests, dry runs).
    pub fn open_in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, false)
    }

    fn init(mut conn: Connection, wal: bool) -> Result<Self> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        if wal {
            let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(StoreError::Corrupt(format!(
                    "cannot switch the database to WAL mode (got {mode})"
                )));
            }
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")?;
        migrate(&mut conn)?;
        Ok(SqliteStore { conn })
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &T) -> Result<String> {
    Ok(serde_json::to_string(v)?)
}

fn unjson<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    Ok(serde_json::from_str(s)?)
}

fn severity_str(s: Severity) -> &'static str {
    match s {
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

fn timex_type(s: &str) -> Option<TimexType> {
    [
        TimexType::Date,
        TimexType::Time,
        TimexType::Duration,
        TimexType::Set,
    ]
    .into_iter()
    .find(|t| t.as_str() == s)
}

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {value:?}"))
}

/// Runs `sql`, decodes each row with `decode` and hands it to `sink`.
fn stream<T>(
    conn: &Connection,
    sql: &str,
    mut decode: impl FnMut(&rusqlite::Row<'_>) -> Result<T>,
    sink: Sink<'_, T>,
) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        sink(decode(row)?)?;
    }
    Ok(())
}

fn span(row: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Span> {
    Ok(Span::new(
        row.get(at)?,
        row.get::<_, i64>(at + 1)? as usize,
        row.get::<_, i64>(at + 2)? as usize,
    ))
}

fn read_source(conn: &Connection, path: &str) -> Result<Option<SourceRecord>> {
    let row = conn
        .query_row(
            "SELECT path, hash, format, size, lines, ingested_at FROM sources WHERE path = ?1",
            [path],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, u32>(4)?,
                    r.get::<_, String>(5)?,
                ))
            },
        )
        .optional()?;
    row.map(|(path, hash, format, size, lines, at)| {
        Ok(SourceRecord {
            path,
            hash,
            format: parse_format(&format).ok_or_else(|| corrupt("format", &format))?,
            size: size as u64,
            lines,
            ingested_at: Some(at),
        })
    })
    .transpose()
}

/// Parts of one document, in order.
fn read_parts(conn: &Connection, doc: &str) -> Result<Vec<Part>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, text, line, start, \"end\", first_line, last_line, map FROM parts WHERE doc = ?1 ORDER BY ord",
    )?;
    let mut rows = stmt.query([doc])?;
    let mut parts = Vec::new();
    while let Some(r) = rows.next()? {
        let kind: String = r.get(0)?;
        let map: String = r.get(7)?;
        parts.push(Part {
            kind: PartKind::parse(&kind).ok_or_else(|| corrupt("part kind", &kind))?,
            text: r.get(1)?,
            span: span(r, 2)?,
            lines: [r.get(5)?, r.get(6)?],
            map: OffsetMap::from_anchors(unjson(&map)?),
        });
    }
    Ok(parts)
}

fn decode_document(conn: &Connection, json_text: &str) -> Result<Document> {
    let mut doc: Document = unjson(json_text)?;
    doc.parts = read_parts(conn, &doc.id)?;
    Ok(doc)
}

impl Store for SqliteStore {
    fn begin_run(&mut self) -> Result<Box<dyn Run + '_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let run_id = {
            tx.execute(
                "INSERT INTO runs (started_at) VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                [],
            )?;
            tx.last_insert_rowid()
        };
        Ok(Box::new(SqliteRun {
            tx,
            run_id,
            touched_events: false,
        }))
    }

    fn sources(&self) -> Result<Vec<SourceRecord>> {
        let paths: Vec<String> = self
            .conn
            .prepare("SELECT path FROM sources ORDER BY path")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(paths.len());
        for p in paths {
            out.extend(read_source(&self.conn, &p)?);
        }
        Ok(out)
    }

    fn stats(&self) -> Result<StoreStats> {
        let count = |sql: &str| -> Result<u64> {
            Ok(self.conn.query_row(sql, [], |r| r.get::<_, i64>(0))? as u64)
        };
        let parts_by_kind = self
            .conn
            .prepare("SELECT kind, count(*) FROM parts GROUP BY kind ORDER BY kind")?
            .query_map([], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(StoreStats {
            sources: count("SELECT count(*) FROM sources")?,
            documents: count("SELECT count(*) FROM documents")?,
            parts_by_kind,
            diagnostics: count("SELECT count(*) FROM diagnostics")?,
        })
    }

    fn list_documents(&self) -> Result<Vec<DocumentSummary>> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, d.source, d.title, d.outlet, d.authors, d.date, d.first_line, d.last_line,
                    (SELECT count(*) FROM parts p WHERE p.doc = d.id)
             FROM documents d ORDER BY d.source, d.ord",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let authors: String = r.get(4)?;
            out.push(DocumentSummary {
                id: r.get(0)?,
                source: r.get(1)?,
                title: r.get(2)?,
                outlet: r.get(3)?,
                authors: unjson(&authors)?,
                date: r.get(5)?,
                lines: [r.get(6)?, r.get(7)?],
                parts: r.get::<_, i64>(8)? as u64,
            });
        }
        Ok(out)
    }

    fn get_document(&self, id: &str) -> Result<Option<Document>> {
        let text: Option<String> = self
            .conn
            .query_row("SELECT json FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        text.map(|t| decode_document(&self.conn, &t)).transpose()
    }

    fn diagnostics(&self, source: Option<&str>) -> Result<Vec<Diagnostic>> {
        let mut stmt = self.conn.prepare(
            "SELECT source, line, severity, code, message FROM diagnostics
             WHERE ?1 IS NULL OR source = ?1 ORDER BY source, line IS NOT NULL, line, id",
        )?;
        let mut rows = stmt.query([source])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let sev: String = r.get(2)?;
            out.push(Diagnostic {
                source: r.get(0)?,
                line: r.get(1)?,
                severity: match sev.as_str() {
                    "warning" => Severity::Warning,
                    "error" => Severity::Error,
                    other => return Err(corrupt("severity", other)),
                },
                code: r.get(3)?,
                message: r.get(4)?,
            });
        }
        Ok(out)
    }

    fn for_each_document(&self, sink: Sink<'_, Document>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT json FROM documents ORDER BY source, ord",
            |r| decode_document(&self.conn, &r.get::<_, String>(0)?),
            sink,
        )
    }

    fn for_each_marker(&self, sink: Sink<'_, Marker>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT m.doc, m.line, m.start, m.\"end\", m.marker, m.note FROM markers m
             JOIN documents d ON d.id = m.doc ORDER BY d.source, d.ord, m.start, m.id",
            |r| {
                Ok(Marker {
                    doc: r.get(0)?,
                    span: span(r, 1)?,
                    marker: r.get(4)?,
                    note: r.get(5)?,
                })
            },
            sink,
        )
    }

    fn for_each_note(&self, sink: Sink<'_, Note>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT n.json FROM notes n JOIN documents d ON d.id = n.doc ORDER BY d.source, d.ord, n.start, n.id",
            |r| unjson(&r.get::<_, String>(0)?),
            sink,
        )
    }

    fn for_each_entity(&self, sink: Sink<'_, (Entity, u64)>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT e.id, e.kind, e.name, e.aliases, e.lat, e.lon, e.country, e.origin,
                    (SELECT count(*) FROM mentions m WHERE m.entity = e.id)
             FROM entities e ORDER BY e.id",
            |r| {
                let kind: String = r.get(1)?;
                let aliases: String = r.get(3)?;
                let entity = Entity {
                    id: r.get(0)?,
                    kind: EntityKind::parse(&kind).ok_or_else(|| corrupt("entity kind", &kind))?,
                    name: r.get(2)?,
                    aliases: unjson(&aliases)?,
                    lat: r.get(4)?,
                    lon: r.get(5)?,
                    country: r.get(6)?,
                    origin: r.get(7)?,
                };
                Ok((entity, r.get::<_, i64>(8)? as u64))
            },
            sink,
        )
    }

    fn for_each_mention(&self, sink: Sink<'_, Mention>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT m.doc, m.line, m.start, m.\"end\", m.text, m.entity, m.kind, m.confidence FROM mentions m
             JOIN documents d ON d.id = m.doc ORDER BY d.source, d.ord, m.start, m.id",
            |r| {
                let kind: String = r.get(6)?;
                Ok(Mention {
                    doc: r.get(0)?,
                    span: span(r, 1)?,
                    text: r.get(4)?,
                    entity: r.get(5)?,
                    kind: EntityKind::parse(&kind).ok_or_else(|| corrupt("entity kind", &kind))?,
                    confidence: r.get::<_, f64>(7)? as f32,
                })
            },
            sink,
        )
    }

    fn for_each_timex(&self, sink: Sink<'_, Timex>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT t.doc, t.line, t.start, t.\"end\", t.text, t.kind, t.value, t.anchor FROM timexes t
             JOIN documents d ON d.id = t.doc ORDER BY d.source, d.ord, t.start, t.id",
            |r| {
                let kind: String = r.get(5)?;
                Ok(Timex {
                    doc: r.get(0)?,
                    span: span(r, 1)?,
                    text: r.get(4)?,
                    kind: timex_type(&kind).ok_or_else(|| corrupt("timex type", &kind))?,
                    value: r.get(6)?,
                    anchor: r.get(7)?,
                })
            },
            sink,
        )
    }

    fn for_each_event(&self, sink: Sink<'_, Event>) -> Result<()> {
        let mut evidence = self.conn.prepare(
            "SELECT doc, line, start, \"end\", text, notes FROM event_evidence WHERE event = ?1 ORDER BY id",
        )?;
        stream(
            &self.conn,
            "SELECT json FROM events ORDER BY id",
            |r| {
                let mut event: Event = unjson(&r.get::<_, String>(0)?)?;
                let mut rows = evidence.query([&event.id])?;
                while let Some(e) = rows.next()? {
                    let notes: String = e.get(5)?;
                    event.evidence.push(EventEvidence {
                        doc: e.get(0)?,
                        span: span(e, 1)?,
                        text: e.get(4)?,
                        notes: unjson(&notes)?,
                    });
                }
                Ok(event)
            },
            sink,
        )
    }
}

/// One ingest run: a write transaction on the store's connection.
struct SqliteRun<'c> {
    tx: Transaction<'c>,
    run_id: i64,
    /// Whether events may have lost evidence (pruned at commit).
    touched_events: bool,
}

impl SqliteRun<'_> {
    fn insert_documents(&self, data: &mut SourceData) -> Result<HashSet<String>> {
        let tx = &self.tx;
        let mut doc_stmt = tx.prepare_cached(
            "INSERT INTO documents (id, source, ord, title, standfirst, outlet, authors, date, date_evidence,
                                    category, first_line, last_line, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        )?;
        let mut part_stmt = tx.prepare_cached(
            "INSERT INTO parts (doc, ord, kind, first_line, last_line, line, start, \"end\", text, map)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        let mut ids = HashSet::new();
        for (ord, doc) in data.documents.iter_mut().enumerate() {
            // The parts go to their own table; the document's JSON keeps the rest.
            let parts = std::mem::take(&mut doc.parts);
            doc_stmt.execute(params![
                doc.id,
                data.record.path,
                ord as i64,
                doc.title,
                doc.standfirst,
                doc.outlet,
                json(&doc.authors)?,
                doc.date,
                doc.date_evidence.as_ref().map(|e| e.text.as_str()),
                doc.category,
                doc.lines[0],
                doc.lines[1],
                json(&*doc)?,
            ])?;
            for (i, p) in parts.iter().enumerate() {
                part_stmt.execute(params![
                    doc.id,
                    i as i64,
                    p.kind.as_str(),
                    p.lines[0],
                    p.lines[1],
                    p.span.line,
                    p.span.start as i64,
                    p.span.end as i64,
                    p.text,
                    json(&p.map.anchors())?,
                ])?;
            }
            doc.parts = parts;
            ids.insert(doc.id.clone());
        }
        Ok(ids)
    }

    fn insert_derived(&mut self, data: &SourceData, docs: &HashSet<String>) -> Result<()> {
        let d = &data.derived;
        let tx = &self.tx;
        let mut stmt = tx.prepare_cached(
            "INSERT INTO markers (doc, line, start, \"end\", marker, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for m in &d.markers {
            stmt.execute(params![
                m.doc,
                m.span.line,
                m.span.start as i64,
                m.span.end as i64,
                m.marker,
                m.note
            ])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO notes (doc, number, kind, line, start, \"end\", raw, csl, json, refers_to)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )?;
        for n in &d.notes {
            let kind = serde_json::to_value(n.kind)?;
            let csl = n.references.first().map(json).transpose()?;
            stmt.execute(params![
                n.doc,
                n.number,
                kind.as_str().unwrap_or_default(),
                n.span.line,
                n.span.start as i64,
                n.span.end as i64,
                n.raw,
                csl,
                json(n)?,
                n.refers_to,
            ])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO entities (id, kind, name, aliases, lat, lon, country, origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, aliases = excluded.aliases,
                 lat = excluded.lat, lon = excluded.lon, country = excluded.country, origin = excluded.origin",
        )?;
        for e in &d.entities {
            stmt.execute(params![
                e.id,
                e.kind.as_str(),
                e.name,
                json(&e.aliases)?,
                e.lat,
                e.lon,
                e.country,
                e.origin
            ])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (doc, line, start, \"end\", text, entity, kind, confidence)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for m in &d.mentions {
            stmt.execute(params![
                m.doc,
                m.span.line,
                m.span.start as i64,
                m.span.end as i64,
                m.text,
                m.entity,
                m.kind.as_str(),
                m.confidence as f64,
            ])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO timexes (doc, line, start, \"end\", text, kind, value, anchor)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for t in &d.timexes {
            stmt.execute(params![
                t.doc,
                t.span.line,
                t.span.start as i64,
                t.span.end as i64,
                t.text,
                t.kind.as_str(),
                t.value,
                t.anchor,
            ])?;
        }
        let mut ev_stmt = tx.prepare_cached(
            "INSERT INTO events (id, kind, date, date_text, place, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, date = excluded.date,
                 date_text = excluded.date_text, place = excluded.place, json = excluded.json",
        )?;
        let mut evidence_stmt = tx.prepare_cached(
            "INSERT INTO event_evidence (event, doc, line, start, \"end\", text, notes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        )?;
        for e in &d.events {
            let without_evidence = Event {
                evidence: Vec::new(),
                ..e.clone()
            };
            ev_stmt.execute(params![
                e.id,
                e.kind.as_str(),
                e.date,
                e.date_text,
                e.place,
                json(&without_evidence)?,
            ])?;
            // Evidence in other sources' documents is stored with those sources.
            for ev in e.evidence.iter().filter(|ev| docs.contains(&ev.doc)) {
                evidence_stmt.execute(params![
                    e.id,
                    ev.doc,
                    ev.span.line,
                    ev.span.start as i64,
                    ev.span.end as i64,
                    ev.text,
                    json(&ev.notes)?,
                ])?;
            }
        }
        if !d.events.is_empty() || !d.mentions.is_empty() {
            self.touched_events = true;
        }
        Ok(())
    }
}

impl Run for SqliteRun<'_> {
    fn source(&self, path: &str) -> Result<Option<SourceRecord>> {
        read_source(&self.tx, path)
    }

    fn document_owner(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row("SELECT source FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn replace_source(&mut self, mut data: SourceData) -> Result<()> {
        let r = &data.record;
        // Cascades to documents and everything derived from them.
        let removed = self
            .tx
            .execute("DELETE FROM sources WHERE path = ?1", [&r.path])?;
        if removed > 0 {
            self.touched_events = true;
        }
        self.tx.execute(
            "INSERT INTO sources (path, hash, format, size, lines, ingested_at)
             VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            params![r.path, r.hash, r.format.as_str(), r.size as i64, r.lines],
        )?;
        let docs = self.insert_documents(&mut data)?;
        {
            let mut stmt = self.tx.prepare_cached(
                "INSERT INTO diagnostics (source, line, severity, code, message) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for d in &data.diagnostics {
                stmt.execute(params![
                    data.record.path,
                    d.line,
                    severity_str(d.severity),
                    d.code,
                    d.message
                ])?;
            }
        }
        self.insert_derived(&data, &docs)
    }

    fn commit(self: Box<Self>, summary: RunSummary) -> Result<()> {
        if self.touched_events {
            // Archive-wide rows that no document supports any more.
            self.tx.execute(
                "DELETE FROM events WHERE id NOT IN (SELECT event FROM event_evidence)",
                [],
            )?;
            self.tx.execute(
                "DELETE FROM entities WHERE id NOT IN (SELECT entity FROM mentions)",
                [],
            )?;
        }
        self.tx.execute(
            "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                 added = ?2, replaced = ?3, unchanged = ?4, failed = ?5 WHERE id = ?1",
            params![
                self.run_id,
                summary.added as i64,
                summary.replaced as i64,
                summary.unchanged as i64,
                summary.failed as i64
            ],
        )?;
        self.tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_at_the_latest_version_and_reopens_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        drop(store);
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn a_store_from_a_newer_annals_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        drop(conn);
        assert!(matches!(
            SqliteStore::open(&path),
            Err(StoreError::TooNew { .. })
        ));
    }

    #[test]
    fn a_dropped_run_changes_nothing() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        {
            let mut run = store.begin_run().unwrap();
            let record = SourceRecord {
                path: "a.txt".into(),
                hash: "h".into(),
                format: annals_model::Format::PlainText,
                size: 1,
                lines: 1,
                ingested_at: None,
            };
            run.replace_source(SourceData {
                record,
                documents: vec![],
                diagnostics: vec![],
                derived: Default::default(),
            })
            .unwrap();
            assert!(run.source("a.txt").unwrap().is_some());
        }
        assert!(store.sources().unwrap().is_empty());
    }
}
