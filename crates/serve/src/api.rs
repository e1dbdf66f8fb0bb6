//! Routes: each page and the JSON behind it.
use crate::links::Links;
use crate::pages::{self, TimelineFilter};
use crate::{AppState, Room};
use annals_index::{Filters, SearchRequest};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Json, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use serde_json::json;
use std::sync::Arc;

type St = State<Arc<AppState>>;

pub(crate) fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/", get(home))
        .route("/search", get(search_page))
        .route("/archive", get(archive_page))
        .route("/doc/{id}", get(doc_page))
        .route("/entities", get(entities_page))
        .route("/entity/{id}", get(entity_page))
        .route("/timeline", get(timeline_page))
        .route("/map", get(map_page))
        .route("/sources", get(sources_page))
        .route("/static/{name}", get(asset))
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(api_stats))
        .route("/api/search", get(api_search))
        .route("/api/documents", get(api_documents))
        .route("/api/documents/{id}", get(api_document))
        .route("/api/entities", get(api_entities))
        .route("/api/entities/{id}", get(api_entity))
        .route("/api/events", get(api_events))
        .route("/api/sources", get(api_sources))
        .route("/api/reload", post(api_reload))
        .route("/api/ingest", post(api_ingest))
        .route("/api/entities/merge", post(api_merge_entities))
        .route("/api/entities/{id}/split", post(api_split_entity))
        .route("/api/events/merge", post(api_merge_events))
        .route("/api/events/{id}/split", post(api_split_event))
        .route("/api/documents/{id}/date", post(api_set_date))
        .fallback(fallback)
}

fn page(m: maud::Markup) -> Response {
    Html(m.into_string()).into_response()
}

fn missing(what: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(pages::not_found(&Links::server(), what).into_string()),
    )
        .into_response()
}

async fn fallback() -> Response {
    missing("There is no page at this address.")
}

async fn home(State(st): St) -> Response {
    page(pages::home(&st.room().snap, &Links::server()))
}

#[derive(Deserialize, Default)]
pub(crate) struct ArchiveQ {
    #[serde(default)]
    by: Option<String>,
}

async fn archive_page(State(st): St, Query(q): Query<ArchiveQ>) -> Response {
    page(pages::archive(
        &st.room().snap,
        &Links::server(),
        q.by.as_deref().unwrap_or("category"),
    ))
}

async fn doc_page(State(st): St, Path(id): Path<String>) -> Response {
    let room = st.room();
    match room.snap.doc(&id) {
        Some(d) => page(pages::document(&room.snap, &Links::server(), d)),
        None => missing("No document has this id."),
    }
}

async fn entities_page(State(st): St) -> Response {
    page(pages::entities(&st.room().snap, &Links::server()))
}

async fn entity_page(State(st): St, Path(id): Path<String>) -> Response {
    match pages::entity(&st.room().snap, &Links::server(), &id) {
        Some(m) => page(m),
        None => missing("No entity has this id."),
    }
}

async fn timeline_page(State(st): St, Query(f): Query<TimelineFilter>) -> Response {
    page(pages::timeline(&st.room().snap, &Links::server(), &f))
}

async fn map_page(State(st): St) -> Response {
    page(pages::map(&st.room().snap, &Links::server()))
}

async fn sources_page(State(st): St) -> Response {
    page(pages::sources(&st.room().snap, &Links::server()))
}

async fn asset(Path(name): Path<String>) -> Response {
    let (body, ty) = match name.as_str() {
        "style.css" => (crate::STYLE_CSS, "text/css; charset=utf-8"),
        "app.js" => (crate::APP_JS, "text/javascript; charset=utf-8"),
        "search.js" => (crate::SEARCH_JS, "text/javascript; charset=utf-8"),
        _ => return missing("No such asset."),
    };
    (
        [
            (header::CONTENT_TYPE, ty),
            (header::CACHE_CONTROL, "max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// Query parameters of a search (page and API alike).
#[derive(Deserialize, Default, Debug)]
pub(crate) struct SearchQ {
    #[serde(default)]
    q: String,
    kind: Option<String>,
    outlet: Option<String>,
    category: Option<String>,
    entity: Option<String>,
    event_type: Option<String>,
    doc: Option<String>,
    year: Option<String>,
    from: Option<String>,
    to: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
    facets: Option<String>,
}

impl SearchQ {
    fn request(&self) -> SearchRequest {
        let ne = |o: &Option<String>| o.clone().filter(|s| !s.trim().is_empty());
        let num = |o: &Option<String>| o.as_deref().and_then(|s| s.trim().parse::<u64>().ok());
        let year = num(&self.year);
        SearchRequest {
            q: self.q.chars().take(1000).collect(),
            filters: Filters {
                doc: ne(&self.doc),
                kind: ne(&self.kind),
                outlet: ne(&self.outlet),
                category: ne(&self.category),
                entity: ne(&self.entity),
                event_type: ne(&self.event_type),
                year_from: year.or(num(&self.from)),
                year_to: year.or(num(&self.to)),
            },
            offset: num(&self.offset).unwrap_or(0).min(10_000) as usize,
            limit: num(&self.limit).unwrap_or(20).clamp(1, 100) as usize,
            hits_per_doc: 3,
            facets: self.facets.as_deref() != Some("false"),
        }
    }
}

fn run_search(room: &Room, req: &SearchRequest) -> Result<annals_index::SearchResults, String> {
    match &room.index {
        Some(ix) => ix.search(req).map_err(|e| e.to_string()),
        None => Err("The search index is not available.".into()),
    }
}

async fn search_page(State(st): St, Query(q): Query<SearchQ>) -> Response {
    let room = st.room();
    let req = q.request();
    let empty = req.q.trim().is_empty() && req.filters == Filters::default();
    let (res, err) = if empty {
        (None, None)
    } else {
        match run_search(&room, &req) {
            Ok(r) => (Some(r), None),
            Err(e) => (None, Some(e)),
        }
    };
    page(pages::search(
        &room.snap,
        &Links::server(),
        &req,
        res.as_ref(),
        err.as_deref(),
    ))
}

async fn api_search(State(st): St, Query(q): Query<SearchQ>) -> Response {
    let room = st.room();
    let req = q.request();
    match run_search(&room, &req) {
        Ok(r) => Json(json!({"request": req, "results": r})).into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"error": e}))).into_response(),
    }
}

async fn api_stats(State(st): St) -> Response {
    let room = st.room();
    let s = &room.snap;
    Json(json!({
        "store": s.stats,
        "entities": s.entities.len(),
        "events": s.events.len(),
        "markers": s.markers.values().map(Vec::len).sum::<usize>(),
        "notes": s.notes.values().map(Vec::len).sum::<usize>(),
        "mentions": s.mentions.values().map(Vec::len).sum::<usize>(),
        "indexed_parts": room.index.as_ref().map(|i| i.len()),
    }))
    .into_response()
}

#[derive(Deserialize, Default)]
pub(crate) struct DocsQ {
    by: Option<String>,
}

async fn api_documents(State(st): St, Query(q): Query<DocsQ>) -> Response {
    let room = st.room();
    let s = &room.snap;
    let summary = |d: &annals_model::Document| json!({"id": d.id, "title": d.title, "outlet": d.outlet, "authors": d.authors, "date": d.date, "category": d.category, "source": d.source, "lines": d.lines, "parts": d.parts.len()});
    match q.by.as_deref() {
        Some(by) => {
            let g = pages::archive_groups(s, by);
            let groups: Vec<_> = g
                .iter()
                .map(|(k, v)| json!({"key": k, "documents": v.iter().map(|d| summary(d)).collect::<Vec<_>>()}))
                .collect();
            Json(json!({"by": by, "groups": groups})).into_response()
        }
        None => Json(json!({"documents": s.docs.iter().map(summary).collect::<Vec<_>>()}))
            .into_response(),
    }
}

fn not_found_json(what: &str) -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"error": what}))).into_response()
}

async fn api_document(State(st): St, Path(id): Path<String>) -> Response {
    let room = st.room();
    let s = &room.snap;
    let Some(d) = s.doc(&id) else {
        return not_found_json("no document with this id");
    };
    let empty = Vec::new();
    Json(json!({
        "document": d,
        "markers": s.markers.get(&id).unwrap_or(&empty),
        "notes": s.notes.get(&id),
        "mentions": s.mentions.get(&id),
        "events": s.events_in(&id),
        "diagnostics": s.diagnostics.get(&id),
    }))
    .into_response()
}

async fn api_entities(State(st): St) -> Response {
    let room = st.room();
    let v: Vec<_> = room
        .snap
        .entities
        .values()
        .map(|(e, n)| json!({"id": e.id, "type": e.kind, "name": e.name, "aliases": e.aliases, "lat": e.lat, "lon": e.lon, "mentions": n}))
        .collect();
    Json(json!({"entities": v})).into_response()
}

async fn api_entity(State(st): St, Path(id): Path<String>) -> Response {
    let room = st.room();
    let s = &room.snap;
    let Some((e, n)) = s.entities.get(&id) else {
        return not_found_json("no entity with this id");
    };
    let mentions: Vec<_> = s
        .mentions_of
        .get(&id)
        .into_iter()
        .flatten()
        .filter_map(|(d, i)| s.mentions.get(d)?.get(*i))
        .collect();
    Json(json!({"entity": e, "mentions_count": n, "mentions": mentions, "events": s.events_of(e)}))
        .into_response()
}

async fn api_events(State(st): St, Query(f): Query<TimelineFilter>) -> Response {
    let room = st.room();
    Json(json!({"filter": f, "events": pages::filter_events(&room.snap, &f)})).into_response()
}

async fn api_sources(State(st): St) -> Response {
    Json(pages::sources_report(&st.room().snap)).into_response()
}

/// The token a request carries (`Authorization: Bearer …` or `X-Annals-Token`).
fn token_of(h: &HeaderMap) -> Option<&str> {
    if let Some(v) = h.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        return v.strip_prefix("Bearer ");
    }
    h.get("x-annals-token").and_then(|v| v.to_str().ok())
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Checks that a mutating request may run.
fn authorise(st: &AppState, h: &HeaderMap) -> Result<(), Box<Response>> {
    let deny = |code: StatusCode, msg: &str| {
        Err(Box::new(
            (code, Json(json!({ "error": msg }))).into_response(),
        ))
    };
    if st.cfg.read_only {
        return deny(StatusCode::FORBIDDEN, "the server is read-only");
    }
    let Some(want) = st.cfg.token.as_deref() else {
        return deny(
            StatusCode::FORBIDDEN,
            "no token configured: changes are off",
        );
    };
    match token_of(h) {
        Some(t) if same(t, want) => Ok(()),
        _ => deny(StatusCode::UNAUTHORIZED, "a valid token is required"),
    }
}

/// Re-reads the store (after an ingest by another process) and swaps the room.
async fn api_reload(State(st): St, h: HeaderMap) -> Response {
    if let Err(r) = authorise(&st, &h) {
        return *r;
    }
    let db = st.cfg.db.clone();
    match tokio::task::spawn_blocking(move || Room::load(&db)).await {
        Ok(Ok(room)) => {
            let docs = room.snap.docs.len();
            st.swap(room);
            Json(json!({"reloaded": true, "documents": docs})).into_response()
        }
        Ok(Err(e)) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

/// Runs one change on the store (on a blocking thread, with its own engine),
/// then reloads the room so every page shows it. Errors in the request are
/// 400, unknown ids 404.
async fn mutate<F>(st: Arc<AppState>, h: &HeaderMap, change: F) -> Response
where
    F: FnOnce(&mut annals_engine::Engine) -> Result<serde_json::Value, annals_engine::EngineError>
        + Send
        + 'static,
{
    use annals_engine::EngineError as E;
    if let Err(r) = authorise(&st, h) {
        return *r;
    }
    let db = st.cfg.db.clone();
    let done = tokio::task::spawn_blocking(move || {
        let mut engine = annals_engine::Engine::open(&db)
            .map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let value = change(&mut engine).map_err(|e| {
            let code = match e {
                E::NotFound(_) | E::Unknown(..) => StatusCode::NOT_FOUND,
                E::Invalid(_) => StatusCode::BAD_REQUEST,
                _ => StatusCode::INTERNAL_SERVER_ERROR,
            };
            (code, e.to_string())
        })?;
        drop(engine);
        let room =
            Room::load(&db).map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        Ok::<_, (StatusCode, String)>((value, room))
    })
    .await;
    match done {
        Ok(Ok((value, room))) => {
            st.swap(room);
            Json(value).into_response()
        }
        Ok(Err((code, msg))) => (code, Json(json!({ "error": msg }))).into_response(),
        Err(e) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(json!({"error": e.to_string()})),
        )
            .into_response(),
    }
}

#[derive(Deserialize)]
struct IngestBody {
    /// Files or folders on the server's machine.
    paths: Vec<std::path::PathBuf>,
}

/// Ingests files or folders the server can read (one transaction, as
/// `annals ingest`); the room shows them when it returns (the reload in
/// [`mutate`] brings the search index in step).
async fn api_ingest(State(st): St, h: HeaderMap, Json(b): Json<IngestBody>) -> Response {
    mutate(st, &h, move |e| {
        let report = e.ingest(&b.paths, &annals_engine::IngestOptions::default(), &annals_engine::Silent)?;
        Ok(json!({
            "added": report.added,
            "replaced": report.replaced,
            "unchanged": report.unchanged,
            "documents": report.documents,
            "failed": report.failures.iter().map(|f| json!({"path": f.path, "line": f.line, "error": f.message})).collect::<Vec<_>>(),
        }))
    })
    .await
}

#[derive(Deserialize)]
struct PairBody {
    keep: String,
    absorb: String,
}

async fn api_merge_entities(State(st): St, h: HeaderMap, Json(b): Json<PairBody>) -> Response {
    mutate(st, &h, move |e| {
        e.merge_entities(&b.keep, &b.absorb)?;
        Ok(json!({"merged": [b.keep, b.absorb]}))
    })
    .await
}

async fn api_merge_events(State(st): St, h: HeaderMap, Json(b): Json<PairBody>) -> Response {
    mutate(st, &h, move |e| {
        e.merge_events(&b.keep, &b.absorb)?;
        Ok(json!({"merged": [b.keep, b.absorb]}))
    })
    .await
}

#[derive(Deserialize, Default)]
struct SplitBody {
    /// What to split off (aliases of an entity, claim ids of an event); empty: all but the first.
    #[serde(default)]
    parts: Vec<String>,
}

async fn api_split_entity(
    State(st): St,
    Path(id): Path<String>,
    h: HeaderMap,
    Json(b): Json<SplitBody>,
) -> Response {
    mutate(st, &h, move |e| {
        Ok(json!({"split": e.split_entity(&id, &b.parts)?}))
    })
    .await
}

async fn api_split_event(
    State(st): St,
    Path(id): Path<String>,
    h: HeaderMap,
    Json(b): Json<SplitBody>,
) -> Response {
    mutate(st, &h, move |e| {
        Ok(json!({"split": e.split_event(&id, &b.parts)?}))
    })
    .await
}

#[derive(Deserialize)]
struct DateBody {
    /// ISO date, or null: the document has none.
    date: Option<String>,
}

async fn api_set_date(
    State(st): St,
    Path(id): Path<String>,
    h: HeaderMap,
    Json(b): Json<DateBody>,
) -> Response {
    mutate(st, &h, move |e| {
        e.set_document_date(&id, b.date.as_deref())?;
        Ok(json!({"doc": id, "date": b.date}))
    })
    .await
}

async fn openapi() -> Response {
    Json(openapi_doc()).into_response()
}

/// The OpenAPI description of `/api/…`.
pub(crate) fn openapi_doc() -> serde_json::Value {
    let q = |name: &str, desc: &str| json!({"name": name, "in": "query", "required": false, "schema": {"type": "string"}, "description": desc});
    let p = |name: &str| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}});
    let ok = |desc: &str| json!({"200": {"description": desc, "content": {"application/json": {"schema": {"type": "object"}}}}});
    json!({
        "openapi": "3.0.3",
        "info": {"title": "annals reading room API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Read-only JSON behind every page of the reading room; POST endpoints need a token and are off in --read-only."},
        "paths": {
            "/api/stats": {"get": {"summary": "Totals", "responses": ok("Counts of documents, entities, events, notes")}},
            "/api/search": {"get": {"summary": "Full-text search, grouped by document, with facets and highlighted snippets",
                "parameters": [q("q", "Query: words, \"phrases\", OR, -word, field:value"), q("kind", "Part kind"), q("outlet", "Outlet"), q("category", "Category"),
                               q("entity", "Entity id"), q("event_type", "Event type"), q("doc", "Document id"), q("year", "Year"), q("from", "First year"), q("to", "Last year"),
                               q("offset", "Documents to skip"), q("limit", "Documents to return (1-100)"), q("facets", "false to skip facet counts")],
                "responses": ok("Results")}},
            "/api/documents": {"get": {"summary": "Documents, optionally grouped", "parameters": [q("by", "category, outlet, author or year")], "responses": ok("Documents")}},
            "/api/documents/{id}": {"get": {"summary": "One document with markers, notes, mentions, events, diagnostics", "parameters": [p("id")], "responses": ok("The document")}},
            "/api/entities": {"get": {"summary": "Every entity with its mention count", "responses": ok("Entities")}},
            "/api/entities/{id}": {"get": {"summary": "One entity with mentions and events", "parameters": [p("id")], "responses": ok("The entity")}},
            "/api/events": {"get": {"summary": "Events by date", "parameters": [q("type", "Event type"), q("entity", "Entity id or name"), q("place", "Place name"), q("from", "From date"), q("to", "To date")], "responses": ok("Events")}},
            "/api/sources": {"get": {"summary": "Notes audit; references by outlet and domain; diagnostics by code", "responses": ok("Report")}},
            "/api/reload": {"post": {"summary": "Re-read the store and index (needs the token)", "security": [{"bearer": []}], "responses": ok("Reloaded")}},
            "/api/ingest": {"post": {"summary": "Ingest files or folders on the server's machine: {\"paths\": [..]} (needs the token)", "security": [{"bearer": []}], "responses": ok("Files read and failed")}},
            "/api/entities/merge": {"post": {"summary": "Merge entity `absorb` into `keep`: {\"keep\",\"absorb\"} (needs the token; kept across re-ingest)", "security": [{"bearer": []}], "responses": ok("Merged")}},
            "/api/entities/{id}/split": {"post": {"summary": "Split aliases off an entity: {\"parts\": [aliases]} (needs the token)", "parameters": [p("id")], "security": [{"bearer": []}], "responses": ok("Split")}},
            "/api/events/merge": {"post": {"summary": "Merge two events: {\"keep\",\"absorb\"} (needs the token; kept across re-ingest)", "security": [{"bearer": []}], "responses": ok("Merged")}},
            "/api/events/{id}/split": {"post": {"summary": "Split claims off an event: {\"parts\": [claim ids]} (needs the token)", "parameters": [p("id")], "security": [{"bearer": []}], "responses": ok("Split")}},
            "/api/documents/{id}/date": {"post": {"summary": "Set a document's date: {\"date\": \"2021-05-01\" or null} (needs the token)", "parameters": [p("id")], "security": [{"bearer": []}], "responses": ok("Set")}},
            "/api/openapi.json": {"get": {"summary": "This document", "responses": ok("OpenAPI")}}
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}}
    })
}
