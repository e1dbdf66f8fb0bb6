//! The database schema as an ordered list of migrations.
//!
//! `PRAGMA user_version` holds the number of migrations applied. A migration is
//! never edited once released: a change to the schema is a new entry at the end
//! of [`MIGRATIONS`], so every existing database can be brought forward in order.

/// Every migration, oldest first. Index `i` brings a database from version `i`
/// to version `i + 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1: the foundation.
    r#"
CREATE TABLE sources (
    path        TEXT PRIMARY KEY,
    hash        TEXT NOT NULL,          -- blake3 of the file's bytes, hex
    format      TEXT NOT NULL,          -- plain_text, markdown, html, wxr
    size        INTEGER NOT NULL,       -- bytes
    lines       INTEGER NOT NULL,
    ingested_at TEXT NOT NULL           -- RFC 3339, UTC
);

CREATE TABLE documents (
    id            TEXT PRIMARY KEY,
    source        TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    ord           INTEGER NOT NULL,     -- position in its source
    title         TEXT,
    standfirst    TEXT,
    outlet        TEXT,
    authors       TEXT NOT NULL,        -- JSON array of strings
    date          TEXT,
    date_evidence TEXT,
    category      TEXT,
    first_line    INTEGER NOT NULL,
    last_line     INTEGER NOT NULL,
    json          TEXT NOT NULL         -- the whole model::Document without its parts
);
CREATE INDEX documents_source ON documents(source, ord);

CREATE TABLE parts (
    doc        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ord        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    first_line INTEGER NOT NULL,
    last_line  INTEGER NOT NULL,
    line       INTEGER NOT NULL,        -- span
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    map        TEXT NOT NULL,           -- JSON [[text_offset, source_offset], ...]
    PRIMARY KEY (doc, ord)
) WITHOUT ROWID;

CREATE TABLE diagnostics (
    id       INTEGER PRIMARY KEY,
    source   TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    line     INTEGER,
    severity TEXT NOT NULL,
    code     TEXT NOT NULL,
    message  TEXT NOT NULL
);
CREATE INDEX diagnostics_source ON diagnostics(source, line);

-- Stage outputs. Rows that belong to a document go when the document goes.
CREATE TABLE markers (
    id     INTEGER PRIMARY KEY,
    doc    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    line   INTEGER NOT NULL,
    start  INTEGER NOT NULL,
    "end"  INTEGER NOT NULL,
    marker TEXT NOT NULL,
    note   INTEGER
);
CREATE INDEX markers_doc ON markers(doc);

CREATE TABLE notes (
    id        INTEGER PRIMARY KEY,
    doc       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number    INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    line      INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    raw       TEXT NOT NULL,
    csl       TEXT,                     -- JSON: the first reference (CSL-JSON), or NULL
    json      TEXT NOT NULL,            -- the whole model::notes::Note
    refers_to INTEGER
);
CREATE INDEX notes_doc ON notes(doc, number);

CREATE TABLE entities (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    name    TEXT NOT NULL,
    aliases TEXT NOT NULL,              -- JSON array
    lat     REAL,
    lon     REAL,
    country TEXT,
    origin  TEXT NOT NULL
);

CREATE TABLE mentions (
    id         INTEGER PRIMARY KEY,
    doc        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    line       INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    text       TEXT NOT NULL,
    entity     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    confidence REAL NOT NULL
);
CREATE INDEX mentions_doc ON mentions(doc);
CREATE INDEX mentions_entity ON mentions(entity);

CREATE TABLE timexes (
    id     INTEGER PRIMARY KEY,
    doc    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    line   INTEGER NOT NULL,
    start  INTEGER NOT NULL,
    "end"  INTEGER NOT NULL,
    text   TEXT NOT NULL,
    kind   TEXT NOT NULL,
    value  TEXT NOT NULL,
    anchor TEXT
);
CREATE INDEX timexes_doc ON timexes(doc);

CREATE TABLE events (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    date      TEXT,
    date_text TEXT,
    place     TEXT,
    json      TEXT NOT NULL             -- the whole model::event::Event without evidence
);

CREATE TABLE event_evidence (
    id    INTEGER PRIMARY KEY,
    event TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    doc   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    line  INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text  TEXT NOT NULL,
    notes TEXT NOT NULL                 -- JSON array of note numbers
);
CREATE INDEX event_evidence_event ON event_evidence(event);
CREATE INDEX event_evidence_doc ON event_evidence(doc);

-- A user's decisions. Keyed by ids, not foreign keys: they must outlive a
-- re-ingest that deletes and recreates the rows they talk about.
CREATE TABLE entity_decisions (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    entity     TEXT NOT NULL,
    other      TEXT,                    -- merge: the entity folded into `entity`
    alias      TEXT,                    -- split: the alias taken out
    note       TEXT,
    decided_at TEXT NOT NULL
);

CREATE TABLE event_decisions (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('merge', 'split')),
    event      TEXT NOT NULL,
    other      TEXT,
    evidence   TEXT,                    -- split: "doc:start" of the evidence taken out
    note       TEXT,
    decided_at TEXT NOT NULL
);

CREATE TABLE date_overrides (
    doc        TEXT PRIMARY KEY,
    date       TEXT,
    note       TEXT,
    decided_at TEXT NOT NULL
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    added       INTEGER NOT NULL DEFAULT 0,
    replaced    INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);
"#,
    // 2: what the archive-wide passes need: source texts (to re-run stages
    // after a user decision without the file), per-source entity claims and
    // per-document event claims (merged archive-wide into `entities` and
    // `events`), the raw entity of each mention (decisions are replayed on
    // it), the claims an event decision names, and cached link checks.
    r#"
CREATE TABLE source_texts (
    path TEXT PRIMARY KEY REFERENCES sources(path) ON DELETE CASCADE,
    text TEXT NOT NULL
);

CREATE TABLE entity_claims (
    id     INTEGER PRIMARY KEY,
    source TEXT NOT NULL REFERENCES sources(path) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    json   TEXT NOT NULL                -- model::know::Entity as the know stage made it
);
CREATE INDEX entity_claims_entity ON entity_claims(entity);

ALTER TABLE mentions ADD COLUMN raw_entity TEXT;  -- the stage's entity, before decisions

CREATE TABLE event_claims (
    id   INTEGER PRIMARY KEY,
    doc  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    json TEXT NOT NULL                  -- model::event::Event holding one telling
);
CREATE INDEX event_claims_doc ON event_claims(doc);

ALTER TABLE event_decisions ADD COLUMN claims TEXT;  -- JSON array of claim ids

CREATE TABLE link_checks (
    url        TEXT PRIMARY KEY,
    ok         INTEGER NOT NULL,
    detail     TEXT,
    checked_at TEXT NOT NULL
);
"#,
    // 3: event claims grouped by type and year (the archive-wide merge loads
    // one group at a time); virtual columns read from the JSON, indexed.
    r#"
ALTER TABLE event_claims ADD COLUMN kind TEXT
    GENERATED ALWAYS AS (json_extract(json, '$.kind')) VIRTUAL;
ALTER TABLE event_claims ADD COLUMN date4 TEXT
    GENERATED ALWAYS AS (substr(json_extract(json, '$.date'), 1, 4)) VIRTUAL;
CREATE INDEX event_claims_group ON event_claims(kind, date4);
"#,
    // 4: whether a run changed anything (`Store::content_version`); runs
    // recorded before are taken as changing.
    r#"
ALTER TABLE runs ADD COLUMN changed INTEGER NOT NULL DEFAULT 1;
"#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;
