//! The SQLite implementation of [`Store`].
use crate::schema::{MIGRATIONS, SCHEMA_VERSION};
use crate::{
    parse_format, ClaimOrder, DateOverride, DecisionAction, DocTags, DocumentSummary,
    EntityDecision, EventDecision, LinkCheck, MentionRef, Reader, Result, Run, RunSummary, Sink,
    SourceData, SourceRecord, Store, StoreError, StoreStats,
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

const MARKER_SQL: &str =
    "SELECT m.doc, m.line, m.start, m.\"end\", m.marker, m.note FROM markers m";
const MENTION_SQL: &str =
    "SELECT m.doc, m.line, m.start, m.\"end\", m.text, m.entity, m.kind, m.confidence FROM mentions m";
const TIMEX_SQL: &str =
    "SELECT t.doc, t.line, t.start, t.\"end\", t.text, t.kind, t.value, t.anchor FROM timexes t";
const ENTITY_SQL: &str =
    "SELECT e.id, e.kind, e.name, e.aliases, e.lat, e.lon, e.country, e.origin,
        (SELECT count(*) FROM mentions m WHERE m.entity = e.id) FROM entities e";

fn decode_marker(r: &rusqlite::Row<'_>) -> Result<Marker> {
    Ok(Marker {
        doc: r.get(0)?,
        span: span(r, 1)?,
        marker: r.get(4)?,
        note: r.get(5)?,
    })
}

fn decode_mention(r: &rusqlite::Row<'_>) -> Result<Mention> {
    let kind: String = r.get(6)?;
    Ok(Mention {
        doc: r.get(0)?,
        span: span(r, 1)?,
        text: r.get(4)?,
        entity: r.get(5)?,
        kind: EntityKind::parse(&kind).ok_or_else(|| corrupt("entity kind", &kind))?,
        confidence: r.get::<_, f64>(7)? as f32,
    })
}

fn decode_timex(r: &rusqlite::Row<'_>) -> Result<Timex> {
    let kind: String = r.get(5)?;
    Ok(Timex {
        doc: r.get(0)?,
        span: span(r, 1)?,
        text: r.get(4)?,
        kind: timex_type(&kind).ok_or_else(|| corrupt("timex type", &kind))?,
        value: r.get(6)?,
        anchor: r.get(7)?,
    })
}

fn decode_entity(r: &rusqlite::Row<'_>) -> Result<(Entity, u64)> {
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
}

/// An event row's JSON with its evidence attached.
fn decode_event(conn: &Connection, json_text: &str) -> Result<Event> {
    let mut event: Event = unjson(json_text)?;
    let mut stmt = conn.prepare_cached(
        "SELECT doc, line, start, \"end\", text, notes FROM event_evidence WHERE event = ?1 ORDER BY id",
    )?;
    let mut rows = stmt.query([&event.id])?;
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
}

/// Runs `sql` with one parameter and decodes every row.
fn collect<T>(
    conn: &Connection,
    sql: &str,
    param: &str,
    decode: impl Fn(&rusqlite::Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query([param])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(decode(r)?);
    }
    Ok(out)
}

fn action(s: &str) -> Result<DecisionAction> {
    match s {
        "merge" => Ok(DecisionAction::Merge),
        "split" => Ok(DecisionAction::Split),
        other => Err(corrupt("decision action", other)),
    }
}

/// Gives the [`Reader`] queries a connection: the store's or a run's transaction.
trait HasConn {
    fn conn(&self) -> &Connection;
}

impl HasConn for SqliteStore {
    fn conn(&self) -> &Connection {
        &self.conn
    }
}

impl HasConn for SqliteRun<'_> {
    fn conn(&self) -> &Connection {
        &self.tx
    }
}

impl<T: HasConn> Reader for T {
    fn document(&self, id: &str) -> Result<Option<Document>> {
        let conn = self.conn();
        let text: Option<String> = conn
            .query_row("SELECT json FROM documents WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        text.map(|t| decode_document(conn, &t)).transpose()
    }

    fn source_text(&self, path: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT text FROM source_texts WHERE path = ?1",
                [path],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn source_record(&self, path: &str) -> Result<Option<SourceRecord>> {
        read_source(self.conn(), path)
    }

    fn markers_of(&self, doc: &str) -> Result<Vec<Marker>> {
        collect(
            self.conn(),
            &format!("{MARKER_SQL} WHERE m.doc = ?1 ORDER BY m.start, m.id"),
            doc,
            decode_marker,
        )
    }

    fn notes_of(&self, doc: &str) -> Result<Vec<Note>> {
        collect(
            self.conn(),
            "SELECT json FROM notes WHERE doc = ?1 ORDER BY start, id",
            doc,
            |r| unjson(&r.get::<_, String>(0)?),
        )
    }

    fn mentions_of(&self, doc: &str) -> Result<Vec<Mention>> {
        collect(
            self.conn(),
            &format!("{MENTION_SQL} WHERE m.doc = ?1 ORDER BY m.start, m.id"),
            doc,
            decode_mention,
        )
    }

    fn timexes_of(&self, doc: &str) -> Result<Vec<Timex>> {
        collect(
            self.conn(),
            &format!("{TIMEX_SQL} WHERE t.doc = ?1 ORDER BY t.start, t.id"),
            doc,
            decode_timex,
        )
    }

    fn events_of(&self, doc: &str) -> Result<Vec<Event>> {
        let conn = self.conn();
        let jsons = collect(
            conn,
            "SELECT json FROM events WHERE id IN (SELECT event FROM event_evidence WHERE doc = ?1) ORDER BY id",
            doc,
            |r| Ok(r.get::<_, String>(0)?),
        )?;
        jsons.iter().map(|j| decode_event(conn, j)).collect()
    }

    fn entity(&self, id: &str) -> Result<Option<(Entity, u64)>> {
        Ok(collect(
            self.conn(),
            &format!("{ENTITY_SQL} WHERE e.id = ?1"),
            id,
            decode_entity,
        )?
        .pop())
    }

    fn mentions_of_entity(&self, id: &str) -> Result<Vec<Mention>> {
        collect(
            self.conn(),
            &format!(
                "{MENTION_SQL} JOIN documents d ON d.id = m.doc WHERE m.entity = ?1 ORDER BY d.source, d.ord, m.start, m.id"
            ),
            id,
            decode_mention,
        )
    }

    fn event(&self, id: &str) -> Result<Option<Event>> {
        let conn = self.conn();
        let text: Option<String> = conn
            .query_row("SELECT json FROM events WHERE id = ?1", [id], |r| r.get(0))
            .optional()?;
        text.map(|t| decode_event(conn, &t)).transpose()
    }

    fn tags_of(&self, doc: &str) -> Result<DocTags> {
        let pairs = |sql: &str| -> Result<Vec<(usize, String)>> {
            let mut stmt = self.conn().prepare_cached(sql)?;
            let rows = stmt.query_map([doc], |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)))?;
            Ok(rows.collect::<std::result::Result<_, _>>()?)
        };
        Ok((
            pairs("SELECT start, entity FROM mentions WHERE doc = ?1 ORDER BY start, id")?,
            pairs(
                "SELECT ev.start, e.kind FROM event_evidence ev JOIN events e ON e.id = ev.event
                 WHERE ev.doc = ?1 ORDER BY e.id, ev.id",
            )?,
        ))
    }

    fn event_claim_groups(&self) -> Result<Vec<(String, Option<String>)>> {
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT DISTINCT kind, date4 FROM event_claims ORDER BY kind, date4")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn event_claims_in(&self, kind: &str, date4: Option<&str>) -> Result<Vec<(ClaimOrder, Event)>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT c.json, d.source, d.ord, c.id FROM event_claims c JOIN documents d ON d.id = c.doc
             WHERE c.kind = ?1 AND c.date4 IS ?2 ORDER BY d.source, d.ord, c.id",
        )?;
        let mut rows = stmt.query(params![kind, date4])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let key: ClaimOrder = (r.get(1)?, r.get(2)?, r.get(3)?);
            out.push((key, unjson(&r.get::<_, String>(0)?)?));
        }
        Ok(out)
    }

    fn event_claims(&self) -> Result<Vec<Event>> {
        collect(
            self.conn(),
            "SELECT c.json FROM event_claims c JOIN documents d ON d.id = c.doc
             WHERE ?1 = ?1 ORDER BY d.source, d.ord, c.id",
            "",
            |r| unjson(&r.get::<_, String>(0)?),
        )
    }

    fn entity_claims(&self) -> Result<Vec<Entity>> {
        collect(
            self.conn(),
            "SELECT json FROM entity_claims WHERE ?1 = ?1 ORDER BY source, id",
            "",
            |r| unjson(&r.get::<_, String>(0)?),
        )
    }

    fn entity_decisions(&self) -> Result<Vec<EntityDecision>> {
        collect(
            self.conn(),
            "SELECT action, entity, other, alias, note, decided_at FROM entity_decisions
             WHERE ?1 = ?1 ORDER BY id",
            "",
            |r| {
                Ok(EntityDecision {
                    action: action(&r.get::<_, String>(0)?)?,
                    entity: r.get(1)?,
                    other: r.get(2)?,
                    alias: r.get(3)?,
                    note: r.get(4)?,
                    decided_at: r.get(5)?,
                })
            },
        )
    }

    fn event_decisions(&self) -> Result<Vec<EventDecision>> {
        collect(
            self.conn(),
            "SELECT action, event, other, claims, note, decided_at FROM event_decisions
             WHERE ?1 = ?1 ORDER BY id",
            "",
            |r| {
                let claims: Option<String> = r.get(3)?;
                Ok(EventDecision {
                    action: action(&r.get::<_, String>(0)?)?,
                    event: r.get(1)?,
                    other: r.get(2)?,
                    claims: claims.map(|c| unjson(&c)).transpose()?.unwrap_or_default(),
                    note: r.get(4)?,
                    decided_at: r.get(5)?,
                })
            },
        )
    }

    fn date_overrides(&self) -> Result<Vec<DateOverride>> {
        collect(
            self.conn(),
            "SELECT doc, date, decided_at FROM date_overrides WHERE ?1 = ?1 ORDER BY doc",
            "",
            |r| {
                Ok(DateOverride {
                    doc: r.get(0)?,
                    date: r.get(1)?,
                    decided_at: r.get(2)?,
                })
            },
        )
    }

    fn link_check(&self, url: &str) -> Result<Option<LinkCheck>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT url, ok, detail, checked_at FROM link_checks WHERE url = ?1",
                [url],
                |r| {
                    Ok(LinkCheck {
                        url: r.get(0)?,
                        ok: r.get::<_, i64>(1)? != 0,
                        detail: r.get(2)?,
                        checked_at: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }
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
        let baseline: i64 = tx.query_row("SELECT total_changes()", [], |r| r.get(0))?;
        Ok(Box::new(SqliteRun {
            tx,
            run_id,
            touched_events: false,
            baseline,
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

    fn content_version(&self) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT coalesce(max(id), 0) FROM runs WHERE changed = 1 AND finished_at IS NOT NULL",
            [],
            |r| r.get(0),
        )?)
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
            markers: count("SELECT count(*) FROM markers")?,
            notes: count("SELECT count(*) FROM notes")?,
            entities: count("SELECT count(*) FROM entities")?,
            mentions: count("SELECT count(*) FROM mentions")?,
            timexes: count("SELECT count(*) FROM timexes")?,
            events: count("SELECT count(*) FROM events")?,
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
            &format!("{MARKER_SQL} JOIN documents d ON d.id = m.doc ORDER BY d.source, d.ord, m.start, m.id"),
            decode_marker,
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
            &format!("{ENTITY_SQL} ORDER BY e.id"),
            decode_entity,
            sink,
        )
    }

    fn for_each_mention(&self, sink: Sink<'_, Mention>) -> Result<()> {
        stream(
            &self.conn,
            &format!("{MENTION_SQL} JOIN documents d ON d.id = m.doc ORDER BY d.source, d.ord, m.start, m.id"),
            decode_mention,
            sink,
        )
    }

    fn for_each_timex(&self, sink: Sink<'_, Timex>) -> Result<()> {
        stream(
            &self.conn,
            &format!("{TIMEX_SQL} JOIN documents d ON d.id = t.doc ORDER BY d.source, d.ord, t.start, t.id"),
            decode_timex,
            sink,
        )
    }

    fn for_each_event(&self, sink: Sink<'_, Event>) -> Result<()> {
        stream(
            &self.conn,
            "SELECT json FROM events ORDER BY id",
            |r| decode_event(&self.conn, &r.get::<_, String>(0)?),
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
    /// `total_changes()` when the run began: a run that wrote nothing is
    /// committed as unchanged (see [`Store::content_version`]).
    baseline: i64,
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
            "INSERT INTO entity_claims (source, entity, json) VALUES (?1, ?2, ?3)",
        )?;
        for e in &d.entities {
            stmt.execute(params![data.record.path, e.id, json(e)?])?;
        }
        let mut stmt = tx.prepare_cached(
            "INSERT INTO mentions (doc, line, start, \"end\", text, entity, kind, confidence, raw_entity)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?6)",
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
        insert_timexes(tx, &d.timexes)?;
        let mut stmt = tx.prepare_cached("INSERT INTO event_claims (doc, json) VALUES (?1, ?2)")?;
        for e in &d.events {
            // A claim belongs to the document of its (first) evidence.
            let Some(doc) = e
                .evidence
                .first()
                .map(|ev| &ev.doc)
                .filter(|d| docs.contains(*d))
            else {
                continue;
            };
            stmt.execute(params![doc, json(e)?])?;
        }
        if !d.events.is_empty() || !d.mentions.is_empty() {
            self.touched_events = true;
        }
        Ok(())
    }
}

fn insert_timexes(tx: &Connection, timexes: &[Timex]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO timexes (doc, line, start, \"end\", text, kind, value, anchor)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    for t in timexes {
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
    Ok(())
}

fn document_row_update(tx: &Connection, doc: &Document) -> Result<usize> {
    let without_parts = Document {
        parts: Vec::new(),
        ..doc.clone()
    };
    Ok(tx.execute(
        "UPDATE documents SET title = ?2, standfirst = ?3, outlet = ?4, authors = ?5, date = ?6,
             date_evidence = ?7, category = ?8, json = ?9 WHERE id = ?1",
        params![
            doc.id,
            doc.title,
            doc.standfirst,
            doc.outlet,
            json(&doc.authors)?,
            doc.date,
            doc.date_evidence.as_ref().map(|e| e.text.as_str()),
            doc.category,
            json(&without_parts)?,
        ],
    )?)
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
        self.tx.execute(
            "INSERT INTO source_texts (path, text) VALUES (?1, ?2)",
            params![data.record.path, data.text],
        )?;
        self.insert_derived(&data, &docs)
    }

    fn mention_refs(&self) -> Result<Vec<MentionRef>> {
        let mut stmt = self.tx.prepare(
            "SELECT m.doc, m.line, m.start, m.\"end\", m.text, coalesce(m.raw_entity, m.entity), m.kind,
                    m.confidence, m.id, m.entity
             FROM mentions m JOIN documents d ON d.id = m.doc ORDER BY d.source, d.ord, m.start, m.id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(MentionRef {
                mention: decode_mention(r)?,
                row: r.get(8)?,
                current: r.get(9)?,
            });
        }
        Ok(out)
    }

    fn set_mention_entities(&mut self, changes: &[(i64, String, EntityKind)]) -> Result<()> {
        let mut stmt = self
            .tx
            .prepare_cached("UPDATE mentions SET entity = ?2, kind = ?3 WHERE id = ?1")?;
        for (row, entity, kind) in changes {
            stmt.execute(params![row, entity, kind.as_str()])?;
        }
        Ok(())
    }

    fn replace_entities(&mut self, entities: &[Entity]) -> Result<()> {
        self.tx.execute("DELETE FROM entities", [])?;
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO entities (id, kind, name, aliases, lat, lon, country, origin)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, aliases = excluded.aliases,
                 lat = excluded.lat, lon = excluded.lon, country = excluded.country, origin = excluded.origin",
        )?;
        for e in entities {
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
        Ok(())
    }

    fn clear_events(&mut self) -> Result<()> {
        // Cascades to the evidence.
        self.tx.execute("DELETE FROM events", [])?;
        Ok(())
    }

    fn add_events(&mut self, events: &[Event]) -> Result<()> {
        let mut ev_stmt = self.tx.prepare_cached(
            "INSERT INTO events (id, kind, date, date_text, place, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, date = excluded.date,
                 date_text = excluded.date_text, place = excluded.place, json = excluded.json",
        )?;
        let mut evidence_stmt = self.tx.prepare_cached(
            "INSERT INTO event_evidence (event, doc, line, start, \"end\", text, notes)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE EXISTS (SELECT 1 FROM documents WHERE id = ?2)",
        )?;
        for e in events {
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
            for ev in &e.evidence {
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
        Ok(())
    }

    fn update_document(&mut self, doc: &Document) -> Result<()> {
        document_row_update(&self.tx, doc)?;
        Ok(())
    }

    fn replace_timexes_of(&mut self, doc: &str, timexes: &[Timex]) -> Result<()> {
        self.tx
            .execute("DELETE FROM timexes WHERE doc = ?1", [doc])?;
        insert_timexes(&self.tx, timexes)
    }

    fn replace_event_claims_of(&mut self, doc: &str, claims: &[Event]) -> Result<()> {
        self.tx
            .execute("DELETE FROM event_claims WHERE doc = ?1", [doc])?;
        let mut stmt = self
            .tx
            .prepare_cached("INSERT INTO event_claims (doc, json) VALUES (?1, ?2)")?;
        for c in claims {
            stmt.execute(params![doc, json(c)?])?;
        }
        Ok(())
    }

    fn add_entity_decision(&mut self, d: &EntityDecision) -> Result<()> {
        self.tx.execute(
            "INSERT INTO entity_decisions (action, entity, other, alias, note, decided_at)
             VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            params![d.action.as_str(), d.entity, d.other, d.alias, d.note],
        )?;
        Ok(())
    }

    fn add_event_decision(&mut self, d: &EventDecision) -> Result<()> {
        self.tx.execute(
            "INSERT INTO event_decisions (action, event, other, evidence, note, claims, decided_at)
             VALUES (?1, ?2, ?3, NULL, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
            params![
                d.action.as_str(),
                d.event,
                d.other,
                d.note,
                json(&d.claims)?
            ],
        )?;
        Ok(())
    }

    fn set_date_override(&mut self, doc: &str, date: Option<&str>) -> Result<()> {
        self.tx.execute(
            "INSERT INTO date_overrides (doc, date, decided_at)
             VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (doc) DO UPDATE SET date = excluded.date, decided_at = excluded.decided_at",
            params![doc, date],
        )?;
        Ok(())
    }

    fn clear_date_override(&mut self, doc: &str) -> Result<()> {
        self.tx
            .execute("DELETE FROM date_overrides WHERE doc = ?1", [doc])?;
        Ok(())
    }

    fn put_link_check(&mut self, c: &LinkCheck) -> Result<()> {
        self.tx.execute(
            "INSERT INTO link_checks (url, ok, detail, checked_at)
             VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
             ON CONFLICT (url) DO UPDATE SET ok = excluded.ok, detail = excluded.detail,
                 checked_at = excluded.checked_at",
            params![c.url, c.ok as i64, c.detail],
        )?;
        Ok(())
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
        let now: i64 = self
            .tx
            .query_row("SELECT total_changes()", [], |r| r.get(0))?;
        self.tx.execute(
            "UPDATE runs SET finished_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'),
                 added = ?2, replaced = ?3, unchanged = ?4, failed = ?5, changed = ?6 WHERE id = ?1",
            params![
                self.run_id,
                summary.added as i64,
                summary.replaced as i64,
                summary.unchanged as i64,
                summary.failed as i64,
                now > self.baseline,
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
    fn the_content_version_moves_only_with_a_run_that_wrote() {
        let mut store = SqliteStore::open_in_memory().unwrap();
        let v0 = store.content_version().unwrap();
        let run = store.begin_run().unwrap();
        run.commit(RunSummary::default()).unwrap();
        assert_eq!(store.content_version().unwrap(), v0, "an empty run");
        let mut run = store.begin_run().unwrap();
        run.set_date_override("doc", Some("2020-01-01")).unwrap();
        run.commit(RunSummary::default()).unwrap();
        let v1 = store.content_version().unwrap();
        assert!(v1 > v0);
        let run = store.begin_run().unwrap();
        run.commit(RunSummary::default()).unwrap();
        assert_eq!(store.content_version().unwrap(), v1);
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
                text: String::new(),
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
