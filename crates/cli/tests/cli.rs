//! The `annals` binary as a user runs it: arguments, output, exit codes.
use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../engine/tests/data");
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

fn annals() -> Command {
    Command::cargo_bin("annals").unwrap()
}

/// A temp folder with an archive of two good files and a store path.
fn archive() -> (TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let arch = dir.path().join("archive");
    std::fs::create_dir(&arch).unwrap();
    for name in ["essays.txt", "dispatches.txt"] {
        std::fs::copy(Path::new(DATA).join(name), arch.join(name)).unwrap();
    }
    let db = dir.path().join("test.db");
    (dir, arch, db)
}

fn ingest(arch: &Path, db: &Path) {
    annals()
        .arg("ingest")
        .arg(arch)
        .arg("--db")
        .arg(db)
        .arg("--quiet")
        .assert()
        .success();
}

fn json_out(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn ingest_prints_a_summary_and_succeeds() {
    let (_d, arch, db) = archive();
    annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "2 files: 2 added, 0 replaced, 0 unchanged, 0 failed",
        ))
        .stdout(predicate::str::contains("3 documents"))
        .stdout(predicate::str::contains("parts: "));
    // Again: nothing to do.
    annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 added, 0 replaced, 2 unchanged"));
}

#[test]
fn ingest_fails_with_status_1_naming_the_bad_file() {
    let (_d, arch, db) = archive();
    std::fs::write(arch.join("broken.txt"), b"Title\n\nbad \xff byte\n").unwrap();
    annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "2 added, 0 replaced, 0 unchanged, 1 failed",
        ))
        .stderr(predicate::str::contains("broken.txt:3: invalid UTF-8"));
}

#[test]
fn ingest_json_reports_every_file() {
    let (_d, arch, db) = archive();
    let out = annals()
        .arg("ingest")
        .arg(&arch)
        .arg("--db")
        .arg(&db)
        .arg("--json")
        .assert()
        .success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["added"], 2);
    assert_eq!(v["documents"], 3);
    assert_eq!(v["files"].as_array().unwrap().len(), 2);
    assert_eq!(v["files"][0]["status"], "added");
}

#[test]
fn ls_lists_documents_with_their_titles() {
    let (_d, arch, db) = archive();
    ingest(&arch, &db);
    annals()
        .args(["ls", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains("The Scramble for Berths"))
        .stdout(predicate::str::contains(
            "Water, Power and the Upstream Problem",
        ))
        .stdout(predicate::str::contains("3 documents"));
    let v = json_out(annals().args(["ls", "--json", "--db"]).arg(&db));
    assert_eq!(v.as_array().unwrap().len(), 3);
}

#[test]
fn read_commands_refuse_a_missing_store() {
    let dir = tempfile::tempdir().unwrap();
    annals()
        .args(["ls", "--db"])
        .arg(dir.path().join("none.db"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no store at"));
    assert!(!dir.path().join("none.db").exists());
}

#[test]
fn show_prints_fields_and_parts_with_lines() {
    let (_d, arch, db) = archive();
    ingest(&arch, &db);
    let docs = json_out(annals().args(["ls", "--json", "--db"]).arg(&db));
    let id = docs
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["title"] == "The Scramble for Berths")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    annals()
        .args(["show", &id, "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("The Scramble for Berths\n"))
        .stdout(predicate::str::contains("parts:"))
        .stdout(predicate::str::is_match(r"\n +5  title +The Scramble for Berths").unwrap())
        .stdout(predicate::str::is_match(r"\n +3  preamble ").unwrap());
    let v = json_out(annals().args(["show", &id, "--json", "--db"]).arg(&db));
    assert_eq!(v["document"]["id"], id.as_str());
    annals()
        .args(["show", "no-such-doc", "--db"])
        .arg(&db)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no-such-doc"));
}

#[test]
fn export_documents_writes_jsonl_and_csv() {
    let (d, arch, db) = archive();
    ingest(&arch, &db);
    let out = annals()
        .args(["export", "documents", "--db"])
        .arg(&db)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 3);
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(v["parts"].as_array().is_some_and(|p| !p.is_empty()));
        assert!(v["lines"].as_array().is_some_and(|l| l.len() == 2));
    }
    let csv = d.path().join("docs.csv");
    annals()
        .args(["export", "documents", "--format", "csv", "--out"])
        .arg(&csv)
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stderr(predicate::str::contains("3 documents written"));
    let csv = std::fs::read_to_string(csv).unwrap();
    assert!(csv.starts_with("id,source,title,"));
    // Empty stage tables export nothing, successfully.
    annals()
        .args(["export", "events", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stdout("");
}

#[test]
fn eval_segments_finds_the_ten_posts_of_the_seed_archive() {
    let shared = Path::new(SHARED);
    if !shared.join("corpus").exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("seed.db");
    annals()
        .arg("ingest")
        .arg(shared.join("corpus/000_3e54375e224fbbf8.txt"))
        .arg("--db")
        .arg(&db)
        .arg("--quiet")
        .assert()
        .success();
    let gold = shared.join("eval/seed-dev/documents.json");
    annals()
        .args(["eval", "segments", "--gold"])
        .arg(&gold)
        .arg("--db")
        .arg(&db)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "documents: expected 10, found 10, matched 10",
        ));
    let v = json_out(
        annals()
            .args(["eval", "segments", "--json", "--gold"])
            .arg(&gold)
            .arg("--db")
            .arg(&db),
    );
    assert_eq!(v["documents"]["matched"], 10);
    let share = |field: &str| {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["field"] == field)
            .unwrap()["share"]
            .as_f64()
            .unwrap()
    };
    // The plain reader gets every title and body paragraph of the seed archive.
    // TODO(lead): tighten to every field once the reader's remaining misses are fixed.
    assert_eq!(share("title"), 1.0);
    assert_eq!(share("body_lines"), 1.0);
}
