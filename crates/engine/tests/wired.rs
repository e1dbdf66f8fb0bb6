//! The stages wired into ingest: every kind of value lands in the store and
//! goes out in the contract's shape; user decisions survive re-ingest; the
//! notes audit checks links against a local server, never the internet.
use annals_engine::{
    Engine, EngineError, EventFilter, ExportFormat, ExportKind, HttpLinkChecker, IngestOptions,
    LinkCheckOptions, LinkChecker, Silent,
};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wired");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

/// An archive folder made from the fixtures (`{BASE}` in them becomes
/// `base`, the address of a link server) and a store path.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(base: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("archive")).unwrap();
        for name in ["roads.md", "retold.md"] {
            let text = std::fs::read_to_string(Path::new(DATA).join(name)).unwrap();
            std::fs::write(
                dir.path().join("archive").join(name),
                text.replace("{BASE}", base),
            )
            .unwrap();
        }
        Fixture { dir }
    }
    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("a.db")
    }
    fn engine(&self) -> Engine {
        Engine::open(&self.db()).unwrap()
    }
    fn ingest(&self) -> annals_engine::IngestReport {
        self.engine()
            .ingest(&[self.archive()], &IngestOptions::default(), &Silent)
            .unwrap()
    }
    fn rows(&self, kind: ExportKind) -> Vec<Value> {
        let mut out = Vec::new();
        self.engine()
            .export(kind, ExportFormat::Jsonl, &mut out)
            .unwrap();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }
    fn export(&self, kind: ExportKind, format: ExportFormat) -> String {
        let mut out = Vec::new();
        self.engine()
            .export_doc(kind, format, None, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }
    /// Appends a paragraph to a file, so the next ingest replaces it.
    fn touch(&self, name: &str) {
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(self.archive().join(name))
            .unwrap();
        writeln!(f, "\nA closing line added later.").unwrap();
    }
}

fn has_fields(row: &Value, fields: &[&str]) {
    for f in fields {
        assert!(row.get(f).is_some(), "no field {f} in {row}");
    }
}

#[test]
fn ingest_stores_every_kind_and_exports_the_contract_fields() {
    let f = Fixture::new("http://127.0.0.1:9");
    let r = f.ingest();
    assert_eq!(r.added, 2, "{r:?}");
    let markers = f.rows(ExportKind::Markers);
    assert_eq!(markers.len(), 3);
    has_fields(
        &markers[0],
        &["doc", "line", "start", "end", "marker", "note"],
    );
    assert_eq!(markers[0]["note"], 1);
    let notes = f.rows(ExportKind::Notes);
    assert_eq!(notes.len(), 4);
    has_fields(
        &notes[0],
        &["doc", "number", "line", "raw", "csl", "refers_to"],
    );
    assert_eq!(notes[1]["csl"]["type"], "book");
    assert!(notes[0]["csl"]["URL"].as_str().unwrap().ends_with("/ok"));
    let entities = f.rows(ExportKind::Entities);
    for e in &entities {
        has_fields(
            e,
            &["id", "type", "name", "aliases", "lat", "lon", "mentions"],
        );
    }
    let kabul = entities
        .iter()
        .find(|e| e["name"] == "Kabul")
        .expect("Kabul");
    assert_eq!(kabul["type"], "place");
    assert!(kabul["lat"].is_f64() && kabul["mentions"].as_u64().unwrap() >= 4);
    let mentions = f.rows(ExportKind::Mentions);
    has_fields(
        &mentions[0],
        &["doc", "line", "start", "end", "text", "entity", "type"],
    );
    // Every mention points to an exported entity.
    for m in &mentions {
        assert!(entities.iter().any(|e| e["id"] == m["entity"]), "{m}");
    }
    let timexes = f.rows(ExportKind::Timexes);
    has_fields(
        &timexes[0],
        &[
            "doc", "line", "start", "end", "text", "type", "value", "anchor",
        ],
    );
    let last_june = timexes.iter().find(|t| t["text"] == "Last June").unwrap();
    assert_eq!(last_june["value"], "2022-06");
    assert_eq!(last_june["anchor"], "dct:2023-04-10");
    let events = f.rows(ExportKind::Events);
    for e in &events {
        has_fields(
            e,
            &[
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
            ],
        );
        has_fields(&e["evidence"][0], &["doc", "line", "start", "end", "text"]);
    }
    // The bombing told in both files is one event with evidence from each.
    let bombing = events
        .iter()
        .find(|e| e["type"] == "attack" && e["date"] == "2023-03-12")
        .expect("the bombing");
    let docs: Vec<&str> = bombing["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["doc"].as_str().unwrap())
        .collect();
    assert!(
        docs.contains(&"roads-to-kabul") && docs.contains(&"a-spring-of-bombs"),
        "{docs:?}"
    );
    assert_eq!(bombing["killed"], 14);
}

#[test]
fn other_formats_hold_the_same_values() {
    let f = Fixture::new("http://127.0.0.1:9");
    f.ingest();
    let csl: Value =
        serde_json::from_str(&f.export(ExportKind::Notes, ExportFormat::CslJson)).unwrap();
    let items = csl.as_array().unwrap();
    assert_eq!(items.len(), 4);
    assert_eq!(items[0]["id"], "roads-to-kabul-1");
    assert!(f
        .export(ExportKind::Notes, ExportFormat::Bibtex)
        .contains("@book{roads-to-kabul-2"));
    assert!(f
        .export(ExportKind::Notes, ExportFormat::Ris)
        .contains("TY  - BOOK"));
    let places: Value =
        serde_json::from_str(&f.export(ExportKind::Places, ExportFormat::GeoJson)).unwrap();
    assert_eq!(places["type"], "FeatureCollection");
    assert!(places["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["properties"]["name"] == "Kabul"));
    let events: Value =
        serde_json::from_str(&f.export(ExportKind::Events, ExportFormat::GeoJson)).unwrap();
    assert!(!events["features"].as_array().unwrap().is_empty());
    let tl: Value =
        serde_json::from_str(&f.export(ExportKind::Events, ExportFormat::TimelineJs)).unwrap();
    assert!(!tl["events"].as_array().unwrap().is_empty());
    let csv = f.export(ExportKind::Entities, ExportFormat::Csv);
    assert!(csv.starts_with("id,type,name,aliases,lat,lon,mentions"));
    // A kind a format cannot hold is refused.
    let mut out = Vec::new();
    let err = f
        .engine()
        .export_doc(
            ExportKind::Entities,
            ExportFormat::TimelineJs,
            None,
            &mut out,
        )
        .unwrap_err();
    assert!(matches!(err, EngineError::Invalid(_)), "{err:?}");
    // One document only.
    let mut out = Vec::new();
    f.engine()
        .export_doc(
            ExportKind::Timexes,
            ExportFormat::Jsonl,
            Some("a-spring-of-bombs"),
            &mut out,
        )
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 3);
    assert!(!text.contains("roads-to-kabul"));
}

#[test]
fn read_apis_answer_by_document_entity_and_filter() {
    let f = Fixture::new("http://127.0.0.1:9");
    f.ingest();
    let e = f.engine();
    assert_eq!(e.markers("roads-to-kabul").unwrap().len(), 3);
    assert_eq!(e.notes("roads-to-kabul").unwrap().len(), 4);
    assert!(!e.mentions("a-spring-of-bombs").unwrap().is_empty());
    assert_eq!(e.timexes("a-spring-of-bombs").unwrap().len(), 3);
    assert!(matches!(e.markers("nope"), Err(EngineError::NotFound(_))));
    let entities = e.entities().unwrap();
    assert_eq!(entities[0].entity.name, "Kabul", "most mentioned first");
    let kabul = e.entity("kabul").unwrap();
    assert_eq!(kabul.mentions.len() as u64, kabul.entity.mentions);
    assert_eq!(kabul.documents.len(), 2);
    let in_kabul = e
        .events(&EventFilter {
            place: Some("Kabul".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(in_kabul
        .iter()
        .all(|v| v.place.as_deref().unwrap_or("").starts_with("Kabul")));
    assert!(in_kabul.len() >= 2);
    let april = e
        .events(&EventFilter {
            from: Some("2023-04".into()),
            to: Some("2023-04-30".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(!april.is_empty());
    assert!(april
        .iter()
        .all(|v| v.date.as_deref().unwrap().starts_with("2023-04")));
    // Sorted by date.
    let all = e.events(&EventFilter::default()).unwrap();
    let dates: Vec<&str> = all.iter().filter_map(|v| v.date.as_deref()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    let putin = e
        .events(&EventFilter {
            entity: Some("Vladimir Putin".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(putin.len() >= 2, "{putin:?}");
    let audit = e.notes_audit(None).unwrap();
    assert_eq!(audit.notes, 4);
    assert!(
        audit.findings.iter().any(|f| f.code == "uncited-note"),
        "{:?}",
        audit.findings
    );
    assert!(e.diagnostics(None).is_ok());
}

#[test]
fn user_decisions_survive_re_ingest() {
    let f = Fixture::new("http://127.0.0.1:9");
    f.ingest();
    let mut e = f.engine();
    // Entities: fold Moscow into Tashkent (a test of the mechanism, not of geography).
    let before = e.entity("place:tashkent").unwrap().entity.mentions;
    e.merge_entities("place:tashkent", "place:moscow").unwrap();
    assert_eq!(
        e.entity("place:tashkent").unwrap().entity.mentions,
        before + 1
    );
    assert!(e.entity("place:moscow").is_err());
    // Events: split the bombing told twice.
    let bombing = e
        .events(&EventFilter::default())
        .unwrap()
        .into_iter()
        .find(|v| v.claims.len() == 2)
        .expect("a merged event");
    let split = e.split_event(&bombing.id, &[]).unwrap();
    assert_eq!(split.len(), 1);
    // A document's date.
    e.set_document_date("roads-to-kabul", Some("2024-01-15"))
        .unwrap();
    let check = |e: &Engine| {
        assert!(e.entity("place:moscow").is_err(), "merge kept");
        assert_eq!(
            e.entity("place:tashkent").unwrap().entity.mentions,
            before + 1
        );
        let events = e.events(&EventFilter::default()).unwrap();
        assert!(events.iter().all(|v| v.claims.len() < 2), "split kept");
        assert!(events
            .iter()
            .any(|v| v.claims.iter().any(|c| c.id == split[0])));
        let doc = e.get_document("roads-to-kabul").unwrap().document;
        assert_eq!(doc.date.as_deref(), Some("2024-01-15"));
        let t = e.timexes("roads-to-kabul").unwrap();
        let june = t.iter().find(|t| t.text == "Last June").unwrap();
        assert_eq!(june.value, "2023-06");
        assert_eq!(june.anchor.as_deref(), Some("dct:2024-01-15"));
    };
    check(&e);
    drop(e);
    // Both files change: everything is read again, the decisions are replayed.
    f.touch("roads.md");
    f.touch("retold.md");
    let r = f.ingest();
    assert_eq!(r.replaced, 2);
    check(&f.engine());
    let mut out = Vec::new();
    f.engine()
        .export(ExportKind::Documents, ExportFormat::Jsonl, &mut out)
        .unwrap();
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("\"date\":\"2024-01-15\""));
}

#[test]
fn decisions_about_unknown_things_are_refused() {
    let f = Fixture::new("http://127.0.0.1:9");
    f.ingest();
    let mut e = f.engine();
    assert!(matches!(
        e.merge_entities("place:kabul", "place:atlantis"),
        Err(EngineError::Unknown("entity", _))
    ));
    assert!(matches!(
        e.split_event("ev:nothing", &[]),
        Err(EngineError::Unknown("event", _))
    ));
    assert!(matches!(
        e.set_document_date("roads-to-kabul", Some("March 2023")),
        Err(EngineError::Invalid(_))
    ));
    assert!(matches!(
        e.set_document_date("nope", Some("2023")),
        Err(EngineError::NotFound(_))
    ));
}

#[test]
fn an_unchanged_archive_is_left_as_it_was() {
    let f = Fixture::new("http://127.0.0.1:9");
    f.ingest();
    let kinds = [
        ExportKind::Entities,
        ExportKind::Mentions,
        ExportKind::Events,
    ];
    let before: Vec<Vec<Value>> = kinds.iter().map(|k| f.rows(*k)).collect();
    let r = f.ingest();
    assert_eq!((r.added, r.replaced, r.unchanged), (0, 0, 2));
    let after: Vec<Vec<Value>> = kinds.iter().map(|k| f.rows(*k)).collect();
    assert_eq!(before, after);
}

#[test]
fn a_bad_file_is_reported_and_the_others_are_extracted() {
    let f = Fixture::new("http://127.0.0.1:9");
    std::fs::write(f.archive().join("broken.txt"), b"\x00\x01\x02binary\x00").unwrap();
    let r = f.ingest();
    assert_eq!((r.added, r.failed), (2, 1), "{r:?}");
    assert_eq!(r.failures[0].path.rsplit('/').next(), Some("broken.txt"));
    assert_eq!(f.rows(ExportKind::Markers).len(), 3);
    assert!(!f.rows(ExportKind::Events).is_empty());
}

/// Serves `/ok` (200), `/moved` (301 to `/ok`) and anything else as 404,
/// counting requests.
fn link_server() -> (String, &'static AtomicUsize) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let hits: &'static AtomicUsize = Box::leak(Box::new(AtomicUsize::new(0)));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            hits.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap_or(0);
            // Headers up to the blank line.
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let answer = match path.as_str() {
                "/ok" => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                "/moved" => "HTTP/1.1 301 Moved Permanently\r\nLocation: /ok\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
                _ => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_string(),
            };
            let _ = stream.write_all(answer.as_bytes());
        }
    });
    (base, hits)
}

struct Refuse;

impl LinkChecker for Refuse {
    fn check(&self, url: &str) -> Result<(), String> {
        panic!("{url} should have come from the cache")
    }
}

#[test]
fn the_link_check_finds_dead_links_follows_redirects_and_caches() {
    let (base, hits) = link_server();
    let f = Fixture::new(&base);
    f.ingest();
    let mut e = f.engine();
    let checker = HttpLinkChecker::new(Duration::from_secs(5));
    let opts = LinkCheckOptions {
        concurrency: 2,
        recheck: false,
    };
    let audit = e.notes_audit_with_links(None, &checker, &opts).unwrap();
    assert_eq!(audit.links_checked, Some(3));
    let dead: Vec<&str> = audit
        .findings
        .iter()
        .filter(|f| f.code == "dead-link")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert!(
        dead[0].contains("/gone") && dead[0].contains("404"),
        "{dead:?}"
    );
    assert!(
        hits.load(Ordering::SeqCst) >= 4,
        "the redirect was followed"
    );
    // The answers are in the store: no request the second time.
    let again = e.notes_audit_with_links(None, &Refuse, &opts).unwrap();
    assert_eq!(again.findings, audit.findings);
}

#[test]
fn the_seed_archive_scores_against_its_gold() {
    let shared = Path::new(SHARED);
    let corpus = shared.join("corpus/000_3e54375e224fbbf8.txt");
    let gold = shared.join("eval/seed-dev");
    if !corpus.exists() || !gold.exists() {
        eprintln!("skipped: {} not found", shared.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut e = Engine::open(&dir.path().join("seed.db")).unwrap();
    e.ingest(&[corpus], &IngestOptions::default(), &Silent)
        .unwrap();
    let m = e.eval_markers(&gold.join("markers.jsonl"), None).unwrap();
    assert!(m.recall > 0.8, "{m}");
    let n = e.eval_notes(&gold.join("notes.jsonl"), None).unwrap();
    assert!(n.matched as f64 > 0.8 * n.gold as f64, "{n}");
    let ev = e.eval_events(&gold.join("events.jsonl"), None).unwrap();
    assert_eq!(
        ev.docs.len(),
        5,
        "stored ids map to the five dev documents: {ev}"
    );
    let en = e.eval_entities(&gold.join("entities.jsonl")).unwrap();
    assert!(en.recall > 0.5, "{en}");
}
