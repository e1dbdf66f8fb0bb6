//! The reading room: server-rendered pages and a JSON API over an archive's
//! store and search index, and the same pages written out as a static site.
//!
//! Key decisions:
//! - **A snapshot per committed run.** [`Room::load`] reads the store once
//!   into memory ([`data::Snapshot`]) and opens the search index generation
//!   that matches it; requests share it read-only. A reload swaps the whole
//!   room at once, so a page never mixes two runs.
//! - **Escaping by construction.** Pages are maud templates (every value is
//!   escaped); SVG is drawn the same way; URLs from archive text become links
//!   only when they are http, https or mailto. Scripts are files of our own
//!   served from `/static/`, and the Content-Security-Policy forbids inline
//!   script, inline style and every other origin.
//! - **Nothing from disk by request path.** Assets are compiled in; an unknown
//!   path is a 404, so no path can reach outside them.
//! - **Mutations need a token** and are off with `read_only`.
#![deny(missing_docs)]

mod api;
pub mod data;
pub mod links;
pub mod pages;
pub mod publish;
pub mod svg;
mod world;

use annals_engine::Engine;
use annals_index::SearchIndex;
use axum::http::{header, HeaderValue};
use axum::Router;
use data::Snapshot;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

/// Why the reading room could not start or reload.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The store failed.
    #[error(transparent)]
    Engine(#[from] annals_engine::EngineError),
    /// The search index failed.
    #[error(transparent)]
    Index(#[from] annals_index::IndexError),
    /// A file or socket failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// What the server needs to know.
#[derive(Debug, Clone)]
pub struct Config {
    /// The store file.
    pub db: PathBuf,
    /// Refuse every request that would change data.
    pub read_only: bool,
    /// The token mutating requests must carry (none: mutations are off).
    pub token: Option<String>,
}

/// An archive as the server shows it: a snapshot and its search index.
pub struct Room {
    /// The data.
    pub snap: Snapshot,
    /// The search index (None if it could not be opened).
    pub index: Option<SearchIndex>,
    /// What went wrong without stopping the room (for the front end to print).
    pub warnings: Vec<String>,
}

impl Room {
    /// Opens the store, brings the index in step with it and reads both.
    pub fn load(db: &Path) -> Result<Room, ServeError> {
        let engine = Engine::open(db)?;
        let dir = annals_index::index_dir_for(db);
        // A store on a read-only disk still serves: with the index it has, or
        // without search.
        let mut warnings = Vec::new();
        let synced = annals_index::sync(engine.store(), &dir);
        let index = match (SearchIndex::open(&dir), synced) {
            (Ok(ix), Ok(_)) => Some(ix),
            (Ok(ix), Err(e)) => {
                warnings.push(format!("the search index could not be brought up to date ({e}); searching the last one built"));
                Some(ix)
            }
            (Err(e), _) => {
                warnings.push(format!("no search index ({e}); search is off"));
                None
            }
        };
        let snap = Snapshot::load(&engine)?;
        Ok(Room {
            snap,
            index,
            warnings,
        })
    }
}

/// Shared server state.
pub struct AppState {
    room: RwLock<Arc<Room>>,
    cfg: Config,
}

impl AppState {
    /// State over a loaded room.
    pub fn new(room: Room, cfg: Config) -> Arc<AppState> {
        Arc::new(AppState {
            room: RwLock::new(Arc::new(room)),
            cfg,
        })
    }

    /// The current room.
    pub fn room(&self) -> Arc<Room> {
        self.room.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn swap(&self, room: Room) {
        *self.room.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(room);
    }
}

/// The Content-Security-Policy of every response.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The largest request body accepted.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The router with every page, the API and the security layers.
pub fn router(state: Arc<AppState>) -> Router {
    use tower_http::set_header::SetResponseHeaderLayer as H;
    api::routes()
        .with_state(state)
        .layer(tower_http::limit::RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(20),
        ))
        .layer(H::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(H::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(H::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(H::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
}

/// Serves until Ctrl-C on an already bound listener; `ready` is called with
/// the address once requests are accepted.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
) -> Result<(), ServeError> {
    tokio::spawn(follow_store(state.clone()));
    let app = router(state);
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The modification times of the store's files (the database and its WAL).
fn store_stamp(db: &Path) -> Vec<Option<std::time::SystemTime>> {
    let mut wal = db.as_os_str().to_owned();
    wal.push("-wal");
    [db.to_path_buf(), PathBuf::from(wal)]
        .iter()
        .map(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok())
        .collect()
}

/// Reloads the room when another process (an `annals ingest`) committed to
/// the store: checks the files' times every few seconds; a failed load keeps
/// the room as it was.
async fn follow_store(state: Arc<AppState>) {
    let db = state.cfg.db.clone();
    let mut seen = store_stamp(&db);
    loop {
        tokio::time::sleep(Duration::from_secs(3)).await;
        let now = store_stamp(&db);
        if now == seen {
            continue;
        }
        seen = now;
        let d = db.clone();
        if let Ok(Ok(room)) = tokio::task::spawn_blocking(move || Room::load(&d)).await {
            state.swap(room);
        }
    }
}

/// The stylesheet.
pub const STYLE_CSS: &str = include_str!("../assets/style.css");
/// The page script (conveniences only; every page works without it).
pub const APP_JS: &str = include_str!("../assets/app.js");
/// The static site's search script.
pub const SEARCH_JS: &str = include_str!("../assets/search.js");
