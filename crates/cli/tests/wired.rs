//! The commands over the wired stages, as a user types them.
use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const WIRED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/data/wired");
const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

/// The two wired fixtures (links to a closed local port) in an archive folder.
fn ingested() -> (TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let arch = dir.path().join("archive");
    std::fs::create_dir(&arch).unwrap();
    for name in ["roads.md", "retold.md"] {
        let text = std::fs::read_to_string(Path::new(WIRED).join(name)).unwrap();
        std::fs::write(
            arch.join(name),
            text.replace("{BASE}", "http://127.0.0.1:9"),
        )
        .unwrap();
    }
    let db = dir.path().join("a.db");
    annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .arg("-q")
        .assert()
        .success();
    (dir, arch, db)
}

fn run(args: &[&str], db: &Path) -> String {
    let out = annals()
        .args(args)
        .arg("--db")
        .arg(db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// What `annals ARGS` writes to stdout when fed `input` (it must succeed).
fn piped(args: &[&str], input: &str) -> Vec<u8> {
    annals()
        .args(args)
        .write_stdin(input)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}

fn json(args: &[&str], db: &Path) -> Value {
    serde_json::from_str(&run(args, db)).unwrap()
}

#[test]
fn every_kind_exports_with_its_contract_fields() {
    let (_d, _a, db) = ingested();
    let fields: &[(&str, &[&str])] = &[
        (
            "documents",
            &[
                "id", "source", "title", "outlet", "authors", "date", "lines", "parts",
            ],
        ),
        (
            "markers",
            &["doc", "line", "start", "end", "marker", "note"],
        ),
        (
            "notes",
            &["doc", "number", "line", "raw", "csl", "refers_to"],
        ),
        (
            "entities",
            &["id", "type", "name", "aliases", "lat", "lon", "mentions"],
        ),
        (
            "mentions",
            &["doc", "line", "start", "end", "text", "entity", "type"],
        ),
        (
            "timexes",
            &[
                "doc", "line", "start", "end", "text", "type", "value", "anchor",
            ],
        ),
        (
            "events",
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
    for (kind, names) in fields {
        let text = run(&["export", kind], &db);
        assert!(text.lines().count() > 0, "{kind}");
        for line in text.lines() {
            let row: Value = serde_json::from_str(line).unwrap();
            for n in *names {
                assert!(row.get(n).is_some(), "{kind}: no {n} in {row}");
            }
        }
    }
    assert!(run(&["export", "notes", "--format", "bibtex"], &db).contains("@book{"));
    assert!(run(
        &[
            "export",
            "notes",
            "--format",
            "ris",
            "--doc",
            "roads-to-kabul"
        ],
        &db
    )
    .contains("TY  - "));
    let csl = json(&["export", "notes", "--format", "csl-json"], &db);
    assert_eq!(csl.as_array().unwrap().len(), 4);
    assert_eq!(
        json(&["export", "places", "--format", "geojson"], &db)["type"],
        "FeatureCollection"
    );
    assert!(json(&["export", "events", "--format", "timelinejs"], &db)["events"].is_array());
    annals()
        .args(["export", "entities", "--format", "timelinejs", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be exported as timelinejs"));
}

#[test]
fn the_timeline_puts_the_date_first_and_the_evidence_line_after() {
    let (_d, _a, db) = ingested();
    let text = run(&["timeline", "--place", "Kabul"], &db);
    let first = text.lines().next().expect("an event in Kabul");
    assert!(first.starts_with("2023-03-12"), "{first}");
    assert!(first.contains("attack") && first.contains(":13"), "{first}");
    let events = json(
        &[
            "timeline",
            "--json",
            "--type",
            "meeting_visit",
            "--from",
            "2023-04",
        ],
        &db,
    );
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["date"], "2023-04-03");
    annals()
        .args(["timeline", "--type", "picnic", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown event type"));
}

#[test]
fn decisions_from_the_command_line_are_kept_by_the_next_ingest() {
    let (_d, arch, db) = ingested();
    run(
        &["entities", "merge", "place:tashkent", "place:moscow"],
        &db,
    );
    // The SCO is named in full in one file and by its acronym in the other.
    let sco = json(&["entities", "show", "org:sco", "--json"], &db);
    assert_eq!(sco["entity"]["mentions"], 2, "{sco}");
    let split = json(
        &["entities", "split", "org:sco", "--alias", "SCO", "--json"],
        &db,
    );
    assert_eq!(split["split"], serde_json::json!(["SCO"]));
    annals()
        .args([
            "entities", "split", "org:sco", "--alias", "Shanghai", "--db",
        ])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no mention of org:sco is written"));
    let events = json(&["timeline", "--json"], &db);
    let merged = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["claims"].as_array().is_some_and(|c| c.len() == 2))
        .expect("a merged event")["id"]
        .as_str()
        .unwrap()
        .to_string();
    run(&["events", "split", &merged], &db);
    run(&["docs", "set-date", "a-spring-of-bombs", "2023-06"], &db);
    // The files change; the decisions hold.
    for name in ["roads.md", "retold.md"] {
        let p = arch.join(name);
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(&p, format!("{text}\nOne more line.\n")).unwrap();
    }
    annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .arg("-q")
        .assert()
        .success();
    let entities = run(&["export", "entities"], &db);
    assert!(!entities.contains("\"place:moscow\""));
    let sco = json(&["entities", "show", "org:sco", "--json"], &db);
    assert_eq!(sco["entity"]["mentions"], 1, "the split holds: {sco}");
    let events = json(&["timeline", "--json"], &db);
    assert!(events
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["claims"].as_array().is_none_or(|c| c.len() < 2)));
    let docs = run(&["export", "documents"], &db);
    assert!(docs.contains("\"date\":\"2023-06\""));
    annals()
        .args(["docs", "set-date", "a-spring-of-bombs", "June", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a date"));
}

#[test]
fn the_notes_audit_prints_findings_and_statistics() {
    let (_d, _a, db) = ingested();
    let text = run(&["audit", "notes"], &db);
    assert!(text.contains("4 notes, 3 markers"), "{text}");
    assert!(text.contains("uncited-note"), "{text}");
    let audit = json(&["audit", "notes", "--json"], &db);
    assert_eq!(audit["notes"], 4);
    assert!(audit["by_year"].is_object());
}

#[test]
fn stage_tools_read_stdin_and_write_json_lines() {
    let out = piped(
        &["refs", "parse"],
        "Cooley, Alexander. Great Games, Local Rules. Oxford: Oxford University Press, 2012.\n",
    );
    let item: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(item["issued"]["date-parts"][0][0], 2012);
    let out = piped(
        &["time", "tag"],
        "{\"id\":\"a\",\"dct\":\"2023-04-10\",\"text\":\"Talks resumed on 3 April 2023.\"}\n",
    );
    let line: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(line["id"], "a");
    assert_eq!(line["timexes"][0]["value"], "2023-04-03");
    let out = piped(
        &["entities", "tag"],
        "{\"id\":7,\"text\":\"Vladimir Putin arrived in Tashkent.\"}\n",
    );
    let line: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(line["id"], 7);
    let texts: Vec<&str> = line["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert!(texts.contains(&"Tashkent"), "{texts:?}");
}

#[test]
fn entities_tag_time_reads_names_and_times_in_one_pass() {
    let input = "{\"id\":\"a\",\"dct\":\"2023-04-10\",\"text\":\"Vladimir Putin arrived in Tashkent on 3 April 2023.\"}\nnot json\n";
    let run = |args: &[&str]| -> Value {
        let out = piped(args, input);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        serde_json::from_str(text.trim()).unwrap()
    };
    let both = run(&["entities", "tag", "--time"]);
    assert_eq!(both["id"], "a");
    assert_eq!(both["timexes"][0]["value"], "2023-04-03");
    // the same mentions and timexes as the two commands give on their own
    assert_eq!(both["mentions"], run(&["entities", "tag"])["mentions"]);
    let times = piped(&["time", "tag"], input.lines().next().unwrap());
    let times: Value = serde_json::from_slice(&times).unwrap();
    assert_eq!(both["timexes"], times["timexes"]);
}

#[test]
fn gold_only_evaluations_print_scores() {
    for (what, file, needle) in [
        ("refs", "refs.jsonl", "\"micro\""),
        ("timex", "timex.jsonl", "\"gold\""),
        ("ner", "ner.jsonl", "\"overall\""),
    ] {
        annals()
            .args(["eval", what, "--json", "--gold"])
            .arg(Path::new(DATA).join(file))
            .assert()
            .success()
            .stdout(predicate::str::contains(needle));
    }
    annals()
        .args(["eval", "timex", "--gold", "no-such-file.jsonl"])
        .assert()
        .code(2);
}

#[test]
fn store_evaluations_on_the_seed() {
    let corpus = Path::new(SHARED).join("corpus/000_3e54375e224fbbf8.txt");
    let gold = Path::new(SHARED).join("eval/seed-dev");
    if !corpus.exists() || !gold.exists() {
        eprintln!("skipped: {SHARED} not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.db");
    annals()
        .arg("ingest")
        .arg(&corpus)
        .arg("--db")
        .arg(&db)
        .arg("-q")
        .assert()
        .success();
    for what in ["markers", "notes", "entities", "events"] {
        let gold_file = gold.join(format!("{what}.jsonl"));
        let out = annals()
            .args(["eval", what, "--json", "--gold"])
            .arg(&gold_file)
            .arg("--db")
            .arg(&db)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let report: Value = serde_json::from_slice(&out).unwrap();
        assert!(report.is_object(), "{what}");
    }
}

/// Serves `/ok` and `/moved` (to `/ok`); anything else is 404.
fn link_server() -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            reader.read_line(&mut request).unwrap_or(0);
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 2 {
                line.clear();
            }
            let status = match request.split_whitespace().nth(1) {
                Some("/ok") => "200 OK\r\n",
                Some("/moved") => "301 Moved Permanently\r\nLocation: /ok\r\n",
                _ => "404 Not Found\r\n",
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}Content-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    base
}

#[test]
fn audit_check_links_reports_the_dead_link_of_a_local_server() {
    let base = link_server();
    let dir = tempfile::tempdir().unwrap();
    let arch = dir.path().join("archive");
    std::fs::create_dir(&arch).unwrap();
    let text = std::fs::read_to_string(Path::new(WIRED).join("roads.md")).unwrap();
    std::fs::write(arch.join("roads.md"), text.replace("{BASE}", &base)).unwrap();
    let db = dir.path().join("a.db");
    annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .arg("-q")
        .assert()
        .success();
    let audit = json(
        &[
            "audit",
            "notes",
            "--check-links",
            "--timeout",
            "5",
            "--json",
        ],
        &db,
    );
    assert_eq!(audit["links_checked"], 3);
    let dead: Vec<&Value> = audit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "dead-link")
        .collect();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert!(dead[0]["message"].as_str().unwrap().contains("/gone"));
}
