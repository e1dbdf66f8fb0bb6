//! The fixture archive (testdata/: a Markdown essay with notes and events, and
//! an HTML page whose text carries script payloads) ingested into a temporary store.
#![allow(dead_code)]
use annals_engine::{Engine, IngestOptions, Silent};
use annals_serve::{AppState, Config, Room};
use std::path::PathBuf;
use std::sync::Arc;

pub const ESSAY: &str = "rails-over-the-pamirs";
pub const PAYLOADS: &str = "letters-about-the-pamir-railway";

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub db: PathBuf,
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("annals.db");
    let data = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/testdata"));
    let mut e = Engine::open(&db).unwrap();
    let r = e
        .ingest(&[data], &IngestOptions::default(), &Silent)
        .unwrap();
    assert_eq!(r.failed, 0);
    Fixture { dir, db }
}

pub fn state(f: &Fixture, read_only: bool, token: Option<&str>) -> Arc<AppState> {
    let room = Room::load(&f.db).unwrap();
    AppState::new(
        room,
        Config {
            db: f.db.clone(),
            read_only,
            token: token.map(str::to_string),
        },
    )
}
