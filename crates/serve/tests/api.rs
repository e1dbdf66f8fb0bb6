//! The API and pages in-process (tower `oneshot`), over the fixture archive.
mod common;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::*;
use http_body_util::BodyExt;
use tower::ServiceExt;

async fn call(
    st: &std::sync::Arc<annals_serve::AppState>,
    req: Request<Body>,
) -> (StatusCode, axum::http::HeaderMap, String) {
    let res = annals_serve::router(st.clone()).oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

async fn get(st: &std::sync::Arc<annals_serve::AppState>, uri: &str) -> (StatusCode, String) {
    let (s, _, b) = call(st, Request::get(uri).body(Body::empty()).unwrap()).await;
    (s, b)
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let f = fixture();
    let st = state(&f, false, None);
    let (s, h, body) = call(&st, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(s, StatusCode::OK);
    let csp = h.get("content-security-policy").unwrap().to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert_eq!(h.get("x-content-type-options").unwrap(), "nosniff");
    assert!(body.contains("Rails over the Pamirs"));
    assert!(!body.contains("<script>"), "no inline script on any page");
}

#[tokio::test]
async fn search_finds_phrases_with_highlights_grouped_by_document() {
    let f = fixture();
    let st = state(&f, false, None);
    let (s, body) = get(&st, "/api/search?q=%22railway%20plan%22").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let groups = v["results"]["groups"].as_array().unwrap();
    assert!(groups.iter().any(|g| g["doc"] == ESSAY));
    let hit = &groups.iter().find(|g| g["doc"] == ESSAY).unwrap()["hits"][0];
    assert!(hit["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["hit"] == true));
    // A filter narrows.
    let (_, body) = get(&st, "/api/search?q=railway&outlet=Steppe%20Review").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["results"]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["doc"] == ESSAY));
    // The page shows marks and escapes the payload text it finds.
    let (s, page) = get(&st, "/search?q=script").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<mark>"));
    assert!(page.contains("&lt;"), "payload shown as text");
    assert!(!page.contains("<script>window"));
    assert!(!page.contains("<img src=x"));
}

#[tokio::test]
async fn document_page_links_markers_to_their_references() {
    let f = fixture();
    let st = state(&f, false, None);
    let (s, page) = get(&st, &format!("/doc/{ESSAY}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("class=\"mk\""), "note markers are links");
    assert!(page.contains("role=\"tooltip\""));
    assert!(
        page.contains("Rails to Kashgar"),
        "the reference shows in the tooltip"
    );
    assert!(page.contains("id=\"note-1\""));
    assert!(page.contains("href=\"https://example.org/rails\""));
    assert!(
        !page.contains("href=\"javascript:"),
        "only http, https and mailto become links"
    );
    let (s, json) = get(&st, &format!("/api/documents/{ESSAY}")).await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["notes"].as_array().unwrap().len(), 3);
    assert!(!v["markers"].as_array().unwrap().is_empty());
    let (s, page) = get(&st, &format!("/doc/{PAYLOADS}")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("&lt;script&gt;window.__xss=1&lt;/script&gt;"));
    assert!(!page.contains("<iframe"));
    assert!(!page.contains("<svg onload"));
}

#[tokio::test]
async fn timeline_map_entities_sources_and_openapi() {
    let f = fixture();
    let st = state(&f, false, None);
    let (s, page) = get(&st, "/timeline").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<svg") && page.contains("class=\"dot"));
    let (_, page) = get(&st, "/timeline?type=attack").await;
    assert!(page.contains("attack") && !page.contains(">statement</td>"));
    let (s, page) = get(&st, "/map").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("class=\"land\"") && page.contains("class=\"place\""));
    let (s, json) = get(&st, "/api/entities").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kabul = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "Kabul")
        .expect("Kabul is an entity");
    let id = kabul["id"].as_str().unwrap();
    let (s, page) = get(&st, &format!("/entity/{}", annals_serve::links::enc(id))).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("<h1>Kabul</h1>") && page.contains("<mark>Kabul</mark>"));
    let (s, page) = get(&st, "/sources").await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("example.org"));
    let (s, json) = get(&st, "/api/openapi.json").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["paths"]["/api/search"].is_object());
    let (s, json) = get(&st, "/api/events?type=attack").await;
    assert_eq!(s, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let evs = v["events"].as_array().unwrap();
    assert!(
        !evs.is_empty() && evs.iter().all(|e| e["kind"] == "attack"),
        "{evs:?}"
    );
}

#[tokio::test]
async fn nothing_outside_the_assets_is_served() {
    let f = fixture();
    let st = state(&f, false, None);
    for uri in [
        "/static/../Cargo.toml",
        "/static/%2E%2E%2FCargo.toml",
        "/static/style.css/../../x",
        "/doc/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/nope",
        "/api/documents/none",
    ] {
        let (s, body) = get(&st, uri).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{uri}");
        assert!(!body.contains("[package]"));
    }
    let (s, css) = get(&st, "/static/style.css").await;
    assert_eq!(s, StatusCode::OK);
    assert!(css.contains(".tip"));
}

#[tokio::test]
async fn changes_need_a_token_and_are_off_when_read_only() {
    let f = fixture();
    let post = |tok: Option<&str>| {
        let mut r = Request::post("/api/reload");
        if let Some(t) = tok {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.body(Body::empty()).unwrap()
    };
    let none = state(&f, false, None);
    assert_eq!(call(&none, post(Some("x"))).await.0, StatusCode::FORBIDDEN);
    let ro = state(&f, true, Some("s3cret"));
    assert_eq!(
        call(&ro, post(Some("s3cret"))).await.0,
        StatusCode::FORBIDDEN
    );
    let st = state(&f, false, Some("s3cret"));
    assert_eq!(call(&st, post(None)).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(
        call(&st, post(Some("wrong!"))).await.0,
        StatusCode::UNAUTHORIZED
    );
    let (s, _, body) = call(&st, post(Some("s3cret"))).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    // Bodies over the limit are refused before any handler runs.
    let big = Request::post("/api/reload")
        .header("authorization", "Bearer s3cret")
        .header("content-length", (annals_serve::BODY_LIMIT + 1).to_string())
        .body(Body::from(vec![b'x'; annals_serve::BODY_LIMIT + 1]))
        .unwrap();
    assert_eq!(call(&st, big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
}

#[test]
fn publish_writes_a_static_site() {
    let f = fixture();
    let engine = annals_engine::Engine::open(&f.db).unwrap();
    let snap = annals_serve::data::Snapshot::load(&engine).unwrap();
    let out = f.dir.path().join("site");
    let rep = annals_serve::publish::publish(&snap, &out).unwrap();
    assert!(rep.pages >= 8 && rep.passages > 0);
    for p in [
        "index.html",
        "search.html",
        "timeline.html",
        "map.html",
        "search-index.json",
        "static/style.css",
    ] {
        assert!(out.join(p).exists(), "{p}");
    }
    let doc = std::fs::read_to_string(out.join(format!("doc/{ESSAY}.html"))).unwrap();
    assert!(doc.contains("href=\"../static/style.css\""));
    let pay = std::fs::read_to_string(out.join(format!("doc/{PAYLOADS}.html"))).unwrap();
    assert!(pay.contains("&lt;script&gt;") && !pay.contains("<script>window"));
}

#[test]
fn the_index_follows_the_store() {
    let f = fixture();
    let _ = annals_serve::Room::load(&f.db).unwrap();
    let dir = annals_index::index_dir_for(&f.db);
    let mut e = annals_engine::Engine::open(&f.db).unwrap();
    assert_eq!(
        annals_index::sync(e.store(), &dir).unwrap(),
        annals_index::SyncOutcome::Fresh
    );
    let extra = f.dir.path().join("extra.md");
    std::fs::write(
        &extra,
        "# Quince orchards\n\nThe quince orchards of Isfara were flooded in 2019.\n",
    )
    .unwrap();
    e.ingest(
        &[extra],
        &annals_engine::IngestOptions::default(),
        &annals_engine::Silent,
    )
    .unwrap();
    assert!(matches!(
        annals_index::sync(e.store(), &dir).unwrap(),
        annals_index::SyncOutcome::Rebuilt { .. }
    ));
    let ix = annals_index::SearchIndex::open(&dir).unwrap();
    let r = ix
        .search(&annals_index::SearchRequest {
            q: "quince".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(r.total_docs, 1);
}

#[tokio::test]
async fn token_holders_merge_entities_and_set_dates_and_the_room_follows() {
    let f = fixture();
    let post = |uri: &str, tok: Option<&str>, body: serde_json::Value| {
        let mut r = Request::post(uri).header("content-type", "application/json");
        if let Some(t) = tok {
            r = r.header("authorization", format!("Bearer {t}"));
        }
        r.body(Body::from(body.to_string())).unwrap()
    };
    let st = state(&f, false, Some("s3cret"));
    let (_, json) = get(&st, "/api/entities").await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<String> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.len() >= 2);
    let (keep, absorb) = (ids[0].clone(), ids[1].clone());
    let body = serde_json::json!({"keep": keep, "absorb": absorb});
    // No token, read-only: refused, nothing changes.
    assert_eq!(
        call(&st, post("/api/entities/merge", None, body.clone()))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let ro = state(&f, true, Some("s3cret"));
    assert_eq!(
        call(
            &ro,
            post("/api/entities/merge", Some("s3cret"), body.clone())
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    let (s, _, b) = call(&st, post("/api/entities/merge", Some("s3cret"), body)).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, json) = get(&st, "/api/entities").await;
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let now: Vec<&str> = v["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(now.contains(&keep.as_str()) && !now.contains(&absorb.as_str()));
    assert_eq!(now.len(), ids.len() - 1);
    // Dates: set, shown at once; an unknown document is a 404.
    let uri = format!("/api/documents/{ESSAY}/date");
    let (s, _, b) = call(
        &st,
        post(
            &uri,
            Some("s3cret"),
            serde_json::json!({"date": "2019-03-04"}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let (_, json) = get(&st, &format!("/api/documents/{ESSAY}")).await;
    assert!(json.contains("2019-03-04"), "{json}");
    let (s, _, _) = call(
        &st,
        post(
            "/api/documents/no-such-doc/date",
            Some("s3cret"),
            serde_json::json!({"date": null}),
        ),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_ingest_through_the_api_is_searchable_when_it_returns() {
    let f = fixture();
    let st = state(&f, false, Some("s3cret"));
    let (_, body) = get(&st, "/api/search?q=quokkaberry").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["results"]["groups"].as_array().unwrap().is_empty());
    let new = f.dir.path().join("new-post.md");
    std::fs::write(
        &new,
        "---\ntitle: A Note on Orchards\ndate: 2020-05-01\n---\n\nThe quokkaberry orchards of the valley were sold in 2019.\n",
    )
    .unwrap();
    let req = Request::post("/api/ingest")
        .header("content-type", "application/json")
        .header("authorization", "Bearer s3cret")
        .body(Body::from(serde_json::json!({"paths": [new]}).to_string()))
        .unwrap();
    let (s, _, b) = call(&st, req).await;
    assert_eq!(s, StatusCode::OK, "{b}");
    let v: serde_json::Value = serde_json::from_str(&b).unwrap();
    assert_eq!(v["added"], 1, "{b}");
    let (_, body) = get(&st, "/api/search?q=quokkaberry").await;
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        v["results"]["groups"].as_array().unwrap().len(),
        1,
        "{body}"
    );
}

/// The index built from the store attaches each part's entities and the types
/// of the events it is evidence for (read per document while the index streams).
#[tokio::test]
async fn search_facets_carry_entities_and_event_types_from_the_store() {
    let f = fixture();
    let st = state(&f, false, None);
    let (s, body) = get(&st, "/api/search?q=railway").await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    let facets = &v["results"]["facets"];
    assert!(!facets["entity"].as_array().unwrap().is_empty(), "{facets}");
    assert!(
        !facets["event_type"].as_array().unwrap().is_empty(),
        "{facets}"
    );
}
