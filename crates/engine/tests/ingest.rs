//! Ingest behaviour, end to end over a real SQLite store in a temp folder:
//! bad inputs are reported by name and never stop the run, re-runs are
//! idempotent, changed files replace their documents, failed runs change nothing.
use annals_engine::{
    Derived, Engine, EngineError, ExportFormat, ExportKind, FailureKind, FileStatus, IngestOptions,
    IngestReport, Silent, SqliteStore, StageOutput, Stages, Store, StoreError,
};
use annals_model::event::{Event, EventEvidence, EventType, Modality};
use annals_model::know::{Entity, EntityKind, Mention};
use annals_model::notes::{CslItem, Marker, Note, NoteKind};
use annals_model::time::{Timex, TimexType};
use annals_model::{Document, PartKind, Severity, Source, Span};
use annals_store::{
    DateOverride, EntityDecision, EventDecision, LinkCheck, MentionRef, SourceData, SourceRecord,
};
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const ESSAYS: &str = include_str!("data/essays.txt");
const DISPATCHES: &str = include_str!("data/dispatches.txt");
const TRUNCATED_WXR: &str = include_str!("data/truncated-export.xml");

/// A temp folder holding an archive folder and a store beside it.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new() -> Self {
        let f = Fixture {
            dir: tempfile::tempdir().unwrap(),
        };
        std::fs::create_dir(f.archive()).unwrap();
        f
    }
    fn archive(&self) -> PathBuf {
        self.dir.path().join("archive")
    }
    fn db(&self) -> PathBuf {
        self.dir.path().join("annals.db")
    }
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.archive().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }
    fn engine(&self) -> Engine {
        Engine::open(&self.db()).unwrap()
    }
    fn ingest(&self, paths: &[PathBuf]) -> IngestReport {
        self.engine()
            .ingest(paths, &IngestOptions::default(), &Silent)
            .unwrap()
    }
    fn ingest_archive(&self) -> IngestReport {
        self.ingest(&[self.archive()])
    }
    fn export(&self, kind: ExportKind) -> String {
        let mut out = Vec::new();
        self.engine()
            .export(kind, ExportFormat::Jsonl, &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }
    fn titles(&self) -> Vec<String> {
        self.engine()
            .list_documents()
            .unwrap()
            .into_iter()
            .filter_map(|d| d.title)
            .collect()
    }
}

fn name_ends(path: &str, name: &str) -> bool {
    path.ends_with(name)
}

/// The good files of the fixtures went in whatever else happened.
fn assert_good_files_ingested(f: &Fixture, r: &IngestReport) {
    let essays = r
        .files
        .iter()
        .find(|o| name_ends(&o.path, "essays.txt"))
        .expect("essays.txt looked at");
    assert_eq!(essays.status, FileStatus::Added, "{r:#?}");
    assert!(essays.documents >= 2, "{r:#?}");
    assert!(
        f.titles()
            .iter()
            .any(|t| t == "Water, Power and the Upstream Problem"),
        "{:?}",
        f.titles()
    );
}

/// Checks that `r` failed exactly the file `name` with `kind` (and `line`).
fn assert_failed(r: &IngestReport, name: &str, kind: FailureKind, line: Option<u32>) {
    let f = r
        .failures
        .iter()
        .find(|f| name_ends(&f.path, name))
        .unwrap_or_else(|| panic!("{name} not failed: {r:#?}"));
    assert_eq!(f.kind, kind, "{f:?}");
    assert_eq!(f.line, line, "{f:?}");
    assert!(
        f.to_string().contains(name),
        "the message names the file: {f}"
    );
    assert_eq!(r.failed, r.failures.len() as u64);
    assert!(r.has_errors());
}

#[test]
fn a_missing_path_is_reported_and_the_rest_ingests() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    let missing = f.dir.path().join("no-such-file.txt");
    let r = f.ingest(&[f.archive(), missing]);
    assert_failed(&r, "no-such-file.txt", FailureKind::NotFound, None);
    assert_good_files_ingested(&f, &r);
}

#[cfg(unix)]
#[test]
fn a_dangling_link_is_reported_and_the_rest_ingests() {
    // Permissions 000 do not stop root (CI runs as root); a dangling link does.
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    std::os::unix::fs::symlink(f.dir.path().join("gone.txt"), f.archive().join("link.txt"))
        .unwrap();
    let r = f.ingest_archive();
    assert_failed(&r, "link.txt", FailureKind::NotFound, None);
    assert_good_files_ingested(&f, &r);
}

#[test]
fn invalid_utf8_is_reported_with_its_line() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write("latin1.txt", b"A title\n\nA caf\xe9 by the river.\n");
    let r = f.ingest_archive();
    assert_failed(&r, "latin1.txt", FailureKind::InvalidUtf8, Some(3));
    assert_good_files_ingested(&f, &r);
}

#[test]
fn a_binary_file_is_reported() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write(
        "photo.txt",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 13, 0xff, 0xd8, 0, 1, 2, 3],
    );
    let r = f.ingest_archive();
    assert_failed(&r, "photo.txt", FailureKind::Binary, None);
    assert_good_files_ingested(&f, &r);
}

#[test]
fn an_empty_file_is_reported() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write("empty.txt", b"");
    f.write("blank.txt", b"\n\n  \n");
    let r = f.ingest_archive();
    assert_failed(&r, "empty.txt", FailureKind::Empty, None);
    assert_failed(&r, "blank.txt", FailureKind::Empty, None);
    assert_good_files_ingested(&f, &r);
}

#[test]
fn a_fifty_megabyte_line_is_refused_quickly() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    {
        let file = std::fs::File::create(f.archive().join("dump.txt")).unwrap();
        let mut w = std::io::BufWriter::new(file);
        w.write_all(b"A title\n\n").unwrap();
        let chunk = "word ".repeat(1 << 16);
        let mut written = 0;
        while written < 50 * 1024 * 1024 {
            w.write_all(chunk.as_bytes()).unwrap();
            written += chunk.len();
        }
        w.write_all(b"\n").unwrap();
    }
    let started = std::time::Instant::now();
    let r = f.ingest_archive();
    let took = started.elapsed();
    assert_failed(&r, "dump.txt", FailureKind::LineTooLong, Some(3));
    assert_good_files_ingested(&f, &r);
    assert!(took.as_secs_f64() < 10.0, "took {took:?}");
}

#[test]
fn a_truncated_wordpress_export_is_an_error_naming_the_file() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write("dispatches.txt", DISPATCHES.as_bytes());
    f.write("truncated-export.xml", TRUNCATED_WXR.as_bytes());
    let r = f.ingest_archive();
    // Either refused as a whole or read as far as it goes with an error
    // diagnostic; in both cases the file is named and the run has errors.
    let failed = r
        .failures
        .iter()
        .any(|x| name_ends(&x.path, "truncated-export.xml"));
    let error_diag = r
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && name_ends(&d.source, "truncated-export.xml"));
    assert!(
        failed || error_diag,
        "no error names the truncated export: {r:#?}"
    );
    assert!(r.has_errors());
    assert_good_files_ingested(&f, &r);
    assert!(f.titles().iter().any(|t| t == "The Scramble for Berths"));
}

#[test]
fn hidden_files_and_the_store_itself_are_skipped() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write(".notes.txt", DISPATCHES.as_bytes());
    std::fs::create_dir(f.archive().join(".git")).unwrap();
    f.write(".git/config.txt", DISPATCHES.as_bytes());
    // The store inside the archive folder it reads.
    let mut engine = Engine::open(&f.archive().join("annals.db")).unwrap();
    let r = engine
        .ingest(&[f.archive()], &IngestOptions::default(), &Silent)
        .unwrap();
    let paths: Vec<&str> = r.files.iter().map(|o| o.path.as_str()).collect();
    assert_eq!(paths.len(), 1, "{paths:?}");
    assert!(paths[0].ends_with("essays.txt"));
    assert!(!r.has_errors(), "{r:#?}");
}

#[test]
fn a_second_run_on_the_same_files_changes_nothing() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write("dispatches.txt", DISPATCHES.as_bytes());
    let first = f.ingest_archive();
    assert_eq!((first.added, first.unchanged, first.failed), (2, 0, 0));
    let before = f.export(ExportKind::Documents);
    let second = f.ingest_archive();
    assert_eq!(
        (
            second.added,
            second.replaced,
            second.unchanged,
            second.failed
        ),
        (0, 0, 2, 0)
    );
    assert_eq!(second.documents, 0);
    assert_eq!(f.export(ExportKind::Documents), before);
}

#[test]
fn a_changed_file_replaces_its_documents() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write("dispatches.txt", DISPATCHES.as_bytes());
    f.ingest_archive();
    assert_eq!(f.titles().len(), 3);
    // The second essay goes; the first is retitled.
    let cut = ESSAYS.find("Another essay").unwrap();
    let edited = ESSAYS[..cut].replace(
        "River Ports and the New Caravan Trade",
        "River Ports Revisited",
    );
    f.write("essays.txt", edited.as_bytes());
    let r = f.ingest_archive();
    assert_eq!((r.added, r.replaced, r.unchanged), (0, 1, 1));
    let titles = f.titles();
    assert!(
        titles.contains(&"River Ports Revisited".to_string()),
        "{titles:?}"
    );
    assert!(
        !titles
            .iter()
            .any(|t| t.contains("Caravan") || t.contains("Upstream")),
        "{titles:?}"
    );
    assert!(titles.contains(&"The Scramble for Berths".to_string()));
    let exported = f.export(ExportKind::Documents);
    assert_eq!(exported.lines().count(), 2, "{exported}");
}

#[test]
fn a_failed_file_keeps_what_was_stored_for_it() {
    let f = Fixture::new();
    let path = f.write("essays.txt", ESSAYS.as_bytes());
    f.ingest_archive();
    let before = f.export(ExportKind::Documents);
    // The file is damaged later: the run reports it and keeps the old documents.
    let mut damaged = ESSAYS.as_bytes().to_vec();
    damaged.extend_from_slice(b"\n\xff\xfe\n");
    std::fs::write(&path, damaged).unwrap();
    let r = f.ingest_archive();
    // The bad bytes follow the text, a blank line, and a newline.
    assert_failed(
        &r,
        "essays.txt",
        FailureKind::InvalidUtf8,
        Some(ESSAYS.lines().count() as u32 + 2),
    );
    assert_eq!(f.export(ExportKind::Documents), before);
}

/// A store whose runs fail at commit, after every file was written: the
/// stand-in for a run killed before it finished.
struct FailingStore(SqliteStore);

struct FailingRun<'a>(Box<dyn annals_store::Run + 'a>);

/// Both wrappers read through to the store they wrap.
macro_rules! read_through {
    ($t:ty) => {
        impl annals_store::Reader for $t {
            fn document(&self, id: &str) -> annals_store::Result<Option<Document>> {
                self.0.document(id)
            }
            fn source_text(&self, path: &str) -> annals_store::Result<Option<String>> {
                self.0.source_text(path)
            }
            fn source_record(&self, path: &str) -> annals_store::Result<Option<SourceRecord>> {
                self.0.source_record(path)
            }
            fn markers_of(&self, doc: &str) -> annals_store::Result<Vec<Marker>> {
                self.0.markers_of(doc)
            }
            fn notes_of(&self, doc: &str) -> annals_store::Result<Vec<Note>> {
                self.0.notes_of(doc)
            }
            fn mentions_of(&self, doc: &str) -> annals_store::Result<Vec<Mention>> {
                self.0.mentions_of(doc)
            }
            fn timexes_of(&self, doc: &str) -> annals_store::Result<Vec<Timex>> {
                self.0.timexes_of(doc)
            }
            fn events_of(&self, doc: &str) -> annals_store::Result<Vec<Event>> {
                self.0.events_of(doc)
            }
            fn entity(&self, id: &str) -> annals_store::Result<Option<(Entity, u64)>> {
                self.0.entity(id)
            }
            fn mentions_of_entity(&self, id: &str) -> annals_store::Result<Vec<Mention>> {
                self.0.mentions_of_entity(id)
            }
            fn event(&self, id: &str) -> annals_store::Result<Option<Event>> {
                self.0.event(id)
            }
            fn event_claims(&self) -> annals_store::Result<Vec<Event>> {
                self.0.event_claims()
            }
            fn entity_claims(&self) -> annals_store::Result<Vec<Entity>> {
                self.0.entity_claims()
            }
            fn entity_decisions(&self) -> annals_store::Result<Vec<EntityDecision>> {
                self.0.entity_decisions()
            }
            fn event_decisions(&self) -> annals_store::Result<Vec<EventDecision>> {
                self.0.event_decisions()
            }
            fn date_overrides(&self) -> annals_store::Result<Vec<DateOverride>> {
                self.0.date_overrides()
            }
            fn link_check(&self, url: &str) -> annals_store::Result<Option<LinkCheck>> {
                self.0.link_check(url)
            }
        }
    };
}

read_through!(FailingRun<'_>);
read_through!(FailingStore);

impl annals_store::Run for FailingRun<'_> {
    fn source(&self, path: &str) -> annals_store::Result<Option<SourceRecord>> {
        self.0.source(path)
    }
    fn document_owner(&self, id: &str) -> annals_store::Result<Option<String>> {
        self.0.document_owner(id)
    }
    fn replace_source(&mut self, data: SourceData) -> annals_store::Result<()> {
        self.0.replace_source(data)
    }
    fn mention_refs(&self) -> annals_store::Result<Vec<MentionRef>> {
        self.0.mention_refs()
    }
    fn set_mention_entities(
        &mut self,
        changes: &[(i64, String, EntityKind)],
    ) -> annals_store::Result<()> {
        self.0.set_mention_entities(changes)
    }
    fn replace_entities(&mut self, entities: &[Entity]) -> annals_store::Result<()> {
        self.0.replace_entities(entities)
    }
    fn clear_events(&mut self) -> annals_store::Result<()> {
        self.0.clear_events()
    }
    fn add_events(&mut self, events: &[Event]) -> annals_store::Result<()> {
        self.0.add_events(events)
    }
    fn update_document(&mut self, doc: &Document) -> annals_store::Result<()> {
        self.0.update_document(doc)
    }
    fn replace_timexes_of(&mut self, doc: &str, timexes: &[Timex]) -> annals_store::Result<()> {
        self.0.replace_timexes_of(doc, timexes)
    }
    fn replace_event_claims_of(&mut self, doc: &str, claims: &[Event]) -> annals_store::Result<()> {
        self.0.replace_event_claims_of(doc, claims)
    }
    fn add_entity_decision(&mut self, d: &EntityDecision) -> annals_store::Result<()> {
        self.0.add_entity_decision(d)
    }
    fn add_event_decision(&mut self, d: &EventDecision) -> annals_store::Result<()> {
        self.0.add_event_decision(d)
    }
    fn set_date_override(&mut self, doc: &str, date: Option<&str>) -> annals_store::Result<()> {
        self.0.set_date_override(doc, date)
    }
    fn clear_date_override(&mut self, doc: &str) -> annals_store::Result<()> {
        self.0.clear_date_override(doc)
    }
    fn put_link_check(&mut self, check: &LinkCheck) -> annals_store::Result<()> {
        self.0.put_link_check(check)
    }
    fn commit(self: Box<Self>, _: annals_store::RunSummary) -> Result<(), StoreError> {
        Err(StoreError::Io(std::io::Error::other("killed")))
    }
}

impl Store for FailingStore {
    fn begin_run(&mut self) -> Result<Box<dyn annals_store::Run + '_>, StoreError> {
        Ok(Box::new(FailingRun(self.0.begin_run()?)))
    }
    fn sources(&self) -> Result<Vec<annals_store::SourceRecord>, StoreError> {
        self.0.sources()
    }
    fn stats(&self) -> Result<annals_store::StoreStats, StoreError> {
        self.0.stats()
    }
    fn content_version(&self) -> Result<i64, StoreError> {
        self.0.content_version()
    }
    fn list_documents(&self) -> Result<Vec<annals_store::DocumentSummary>, StoreError> {
        self.0.list_documents()
    }
    fn get_document(&self, id: &str) -> Result<Option<Document>, StoreError> {
        self.0.get_document(id)
    }
    fn diagnostics(&self, s: Option<&str>) -> Result<Vec<annals_model::Diagnostic>, StoreError> {
        self.0.diagnostics(s)
    }
    fn for_each_document(&self, sink: annals_store::Sink<'_, Document>) -> Result<(), StoreError> {
        self.0.for_each_document(sink)
    }
    fn for_each_marker(&self, sink: annals_store::Sink<'_, Marker>) -> Result<(), StoreError> {
        self.0.for_each_marker(sink)
    }
    fn for_each_note(&self, sink: annals_store::Sink<'_, Note>) -> Result<(), StoreError> {
        self.0.for_each_note(sink)
    }
    fn for_each_entity(
        &self,
        sink: annals_store::Sink<'_, (Entity, u64)>,
    ) -> Result<(), StoreError> {
        self.0.for_each_entity(sink)
    }
    fn for_each_mention(&self, sink: annals_store::Sink<'_, Mention>) -> Result<(), StoreError> {
        self.0.for_each_mention(sink)
    }
    fn for_each_timex(&self, sink: annals_store::Sink<'_, Timex>) -> Result<(), StoreError> {
        self.0.for_each_timex(sink)
    }
    fn for_each_event(&self, sink: annals_store::Sink<'_, Event>) -> Result<(), StoreError> {
        self.0.for_each_event(sink)
    }
}

#[test]
fn a_run_that_fails_before_commit_leaves_the_previous_state() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.ingest_archive();
    let before = f.export(ExportKind::Documents);
    // A new file and a changed one, in a run that dies at the end.
    f.write("dispatches.txt", DISPATCHES.as_bytes());
    f.write(
        "essays.txt",
        ESSAYS.replace("River Ports", "Lake Ports").as_bytes(),
    );
    let mut failing =
        Engine::with_store(Box::new(FailingStore(SqliteStore::open(&f.db()).unwrap())));
    let err = failing
        .ingest(&[f.archive()], &IngestOptions::default(), &Silent)
        .unwrap_err();
    assert!(
        matches!(err, EngineError::Store(StoreError::Io(_))),
        "{err:?}"
    );
    drop(failing);
    assert_eq!(f.export(ExportKind::Documents), before);
    // The next good run picks both files up.
    let r = f.ingest_archive();
    assert_eq!((r.added, r.replaced), (1, 1));
}

#[test]
fn a_run_against_a_locked_store_fails_and_changes_nothing() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.ingest_archive();
    let before = f.export(ExportKind::Documents);
    f.write("dispatches.txt", DISPATCHES.as_bytes());
    // Another writer holds the store.
    let other = rusqlite_lock(&f.db());
    let err = f
        .engine()
        .ingest(&[f.archive()], &IngestOptions::default(), &Silent)
        .unwrap_err();
    assert!(
        matches!(err, EngineError::Store(StoreError::Busy)),
        "{err:?}"
    );
    drop(other);
    assert_eq!(f.export(ExportKind::Documents), before);
}

/// Holds the write lock of the store at `db` until dropped.
fn rusqlite_lock(db: &Path) -> impl Drop {
    struct Lock {
        _run: Box<dyn annals_store::Run + 'static>,
    }
    impl Drop for Lock {
        fn drop(&mut self) {}
    }
    // A leaked store keeps its run (and the lock) for the lifetime of the Lock.
    let store: &'static mut SqliteStore = Box::leak(Box::new(SqliteStore::open(db).unwrap()));
    Lock {
        _run: store.begin_run().unwrap(),
    }
}

#[test]
fn ids_stay_unique_across_files() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.write("essays-copy.txt", ESSAYS.as_bytes());
    let r = f.ingest_archive();
    assert_eq!(r.added, 2);
    let ids: Vec<String> = f
        .engine()
        .list_documents()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert_eq!(ids.len(), 4);
}

#[test]
fn documents_export_follows_the_contract() {
    let f = Fixture::new();
    f.write("essays.txt", ESSAYS.as_bytes());
    f.ingest_archive();
    let out = f.export(ExportKind::Documents);
    let engine = f.engine();
    for (line, summary) in out.lines().zip(engine.list_documents().unwrap()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for key in [
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
        ] {
            assert!(v.get(key).is_some(), "{key} missing in {line}");
        }
        let doc = engine.get_document(&summary.id).unwrap().document;
        // One entry per part, in order, with its kind and lines.
        let parts = v["parts"].as_array().unwrap();
        assert_eq!(parts.len(), doc.parts.len());
        for (p, part) in parts.iter().zip(&doc.parts) {
            assert_eq!(p["kind"], part.kind.as_str());
            assert_eq!(p["lines"], serde_json::json!(part.lines));
        }
        assert_eq!(v["lines"], serde_json::json!(doc.lines));
        assert!(doc.parts.iter().any(|p| p.kind == PartKind::Body));
    }
    let mut csv = Vec::new();
    engine
        .export(ExportKind::Documents, ExportFormat::Csv, &mut csv)
        .unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert!(csv.starts_with(
        "id,source,title,standfirst,outlet,authors,date,date_evidence,category,lines,parts"
    ));
    assert_eq!(csv.lines().count(), out.lines().count() + 1);
}

/// Stages that find one of each thing in the first body part of every document.
struct OneOfEach;

impl Stages for OneOfEach {
    fn run(&self, source: &Source, documents: &[Document]) -> StageOutput {
        let mut d = Derived::default();
        for doc in documents {
            let Some(body) = doc.parts_of(PartKind::Body).next() else {
                continue;
            };
            let span = Span::new(body.span.line, body.span.start, body.span.start + 5);
            let text: String = body.text.chars().take(5).collect();
            d.markers.push(Marker {
                doc: doc.id.clone(),
                span,
                marker: "1".into(),
                note: Some(1),
            });
            d.notes.push(Note {
                doc: doc.id.clone(),
                number: 1,
                kind: NoteKind::Numbered,
                span,
                raw: text.clone(),
                references: vec![CslItem {
                    kind: "webpage".into(),
                    title: Some(text.clone()),
                    ..Default::default()
                }],
                comment: None,
                refers_to: None,
            });
            let entity = format!("place:{}", doc.id);
            d.entities.push(Entity {
                id: entity.clone(),
                kind: EntityKind::Place,
                name: text.clone(),
                aliases: vec![],
                lat: Some(1.5),
                lon: Some(2.5),
                country: None,
                origin: "text".into(),
            });
            d.mentions.push(Mention {
                doc: doc.id.clone(),
                span,
                text: text.clone(),
                entity,
                kind: EntityKind::Place,
                confidence: 0.5,
            });
            d.timexes.push(Timex {
                doc: doc.id.clone(),
                span,
                text: text.clone(),
                kind: TimexType::Date,
                value: "2020".into(),
                anchor: None,
            });
            d.events.push(Event {
                id: format!("{}-e1", doc.id),
                kind: EventType::Agreement,
                date: Some("2020".into()),
                date_text: None,
                place: None,
                place_entity: None,
                actors: vec!["A".into()],
                targets: vec![],
                killed: None,
                injured: None,
                claimed_by: None,
                modality: Modality::Asserted,
                evidence: vec![EventEvidence {
                    doc: doc.id.clone(),
                    span,
                    text,
                    notes: vec![1],
                }],
                conflicts_with: vec![],
                merge_reasons: vec![],
                claims: vec![],
            });
        }
        let _ = source;
        StageOutput {
            derived: d,
            diagnostics: vec![],
        }
    }
}

#[test]
fn stage_outputs_are_stored_exported_and_replaced_with_their_documents() {
    let f = Fixture::new();
    let path = f.write("essays.txt", ESSAYS.as_bytes());
    let run = |f: &Fixture| {
        let mut e = f.engine();
        e.set_stages(Box::new(OneOfEach));
        e.ingest(&[f.archive()], &IngestOptions::default(), &Silent)
            .unwrap()
    };
    run(&f);
    let contract: [(ExportKind, &[&str]); 6] = [
        (
            ExportKind::Markers,
            &["doc", "line", "start", "end", "marker", "note"],
        ),
        (
            ExportKind::Notes,
            &["doc", "number", "line", "raw", "csl", "refers_to"],
        ),
        (
            ExportKind::Entities,
            &["id", "type", "name", "aliases", "lat", "lon", "mentions"],
        ),
        (
            ExportKind::Mentions,
            &["doc", "line", "start", "end", "text", "entity", "type"],
        ),
        (
            ExportKind::Timexes,
            &[
                "doc", "line", "start", "end", "text", "type", "value", "anchor",
            ],
        ),
        (
            ExportKind::Events,
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
        ),
    ];
    for (kind, keys) in contract {
        let out = f.export(kind);
        assert_eq!(out.lines().count(), 2, "{}: {out}", kind.as_str());
        for line in out.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            for k in keys {
                assert!(
                    v.get(k).is_some(),
                    "{}: {k} missing in {line}",
                    kind.as_str()
                );
            }
        }
    }
    let entities = f.export(ExportKind::Entities);
    assert!(entities.contains("\"mentions\":1"), "{entities}");
    let events = f.export(ExportKind::Events);
    assert!(events.contains("\"evidence\":[{\"doc\":"), "{events}");

    // Only one essay left: its derived rows stay, the other's go.
    let cut = ESSAYS.find("Another essay").unwrap();
    std::fs::write(&path, &ESSAYS[..cut]).unwrap();
    run(&f);
    for kind in [
        ExportKind::Markers,
        ExportKind::Notes,
        ExportKind::Entities,
        ExportKind::Mentions,
        ExportKind::Timexes,
        ExportKind::Events,
    ] {
        assert_eq!(f.export(kind).lines().count(), 1, "{}", kind.as_str());
    }
}

#[test]
fn show_gives_a_document_with_its_diagnostics() {
    let f = Fixture::new();
    // A URL written with a doubled bracket is kept and reported.
    let damaged = ESSAYS.replace(
        "the ports that line it tell the story.",
        "the ports that line it tell the story, as <<http://example.org/ports> put it.",
    );
    f.write("essays.txt", damaged.as_bytes());
    let r = f.ingest_archive();
    let engine = f.engine();
    let first = &engine.list_documents().unwrap()[0];
    let view = engine.get_document(&first.id).unwrap();
    assert_eq!(view.document.id, first.id);
    assert_eq!(
        view.diagnostics.len(),
        r.diagnostics
            .iter()
            .filter(|d| d.line.is_some_and(|l| l <= first.lines[1]))
            .count()
    );
    assert!(matches!(
        engine.get_document("no-such-id"),
        Err(EngineError::NotFound(_))
    ));
}
