//! Snapshot tests of the plain-text reader on small archives written for the
//! purpose (`testdata/plain/*.txt`). Each input has a `.expected.json` beside it,
//! reviewed by hand; run with `UPDATE_EXPECT=1` to rewrite them after a change
//! and review the diff.
use annals_model::Evidence;
use annals_read::ReadOutput;
use serde_json::{json, Value};

fn evidence(e: &Option<Evidence>) -> Value {
    match e {
        Some(e) => {
            json!({"text": e.text, "line": e.span.line, "start": e.span.start, "end": e.span.end})
        }
        None => Value::Null,
    }
}

/// What a reader's output says, in a form worth reading in a review.
fn render(out: &ReadOutput) -> Value {
    let docs: Vec<Value> = out
        .documents
        .iter()
        .map(|d| {
            json!({
                "id": d.id,
                "lines": d.lines,
                "title": d.title,
                "standfirst": d.standfirst,
                "category": d.category,
                "outlet": d.outlet,
                "outlet_evidence": evidence(&d.outlet_evidence),
                "authors": d.authors,
                "authors_evidence": evidence(&d.authors_evidence),
                "date": d.date,
                "date_evidence": evidence(&d.date_evidence),
                "url": d.url,
                "parts": d.parts.iter().map(|p| format!("{} {}-{}", p.kind.as_str(), p.lines[0], p.lines[1])).collect::<Vec<_>>(),
            })
        })
        .collect();
    let diags: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}: {}", d.line.unwrap_or(0), d.code, d.message))
        .collect();
    json!({"documents": docs, "diagnostics": diags})
}

/// Reads `testdata/plain/<name>.txt` and compares with `<name>.expected.json`.
fn check(name: &str) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/plain");
    let input = std::fs::read(format!("{dir}/{name}.txt")).expect("fixture");
    let out = annals_read::read_bytes(&format!("{name}.txt"), &input).expect("readable");
    // Parts are verbatim: the span of each part is its text.
    let text: Vec<char> = String::from_utf8(input).unwrap().chars().collect();
    for d in &out.documents {
        for p in &d.parts {
            assert_eq!(
                text[p.span.start..p.span.end].iter().collect::<String>(),
                p.text,
                "{name}: part at line {}",
                p.lines[0]
            );
        }
    }
    let got = serde_json::to_string_pretty(&render(&out)).unwrap() + "\n";
    let path = format!("{dir}/{name}.expected.json");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        got == want,
        "{name}: output differs from {path} (UPDATE_EXPECT=1 rewrites it):\n{got}"
    );
}

#[test]
fn archive_with_every_part_kind() {
    check("archive");
}

#[test]
fn archive_without_header_or_preambles() {
    check("variants");
}

/// Windows line endings change offsets but not lines, parts or fields.
#[test]
fn crlf_reads_like_lf() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/plain");
    for name in ["archive", "variants"] {
        let lf = std::fs::read_to_string(format!("{dir}/{name}.txt")).unwrap();
        let crlf = lf.replace('\n', "\r\n");
        let a = annals_read::read_bytes("a.txt", lf.as_bytes()).unwrap();
        let b = annals_read::read_bytes("a.txt", crlf.as_bytes()).unwrap();
        let shape = |o: &ReadOutput| {
            o.documents
                .iter()
                .map(|d| {
                    (
                        d.title.clone(),
                        d.authors.clone(),
                        d.date.clone(),
                        d.parts
                            .iter()
                            .map(|p| (p.kind, p.lines, p.text.replace('\r', "")))
                            .collect::<Vec<_>>(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(shape(&a), shape(&b), "{name}");
        let chars: Vec<char> = crlf.chars().collect();
        for d in &b.documents {
            for p in &d.parts {
                assert_eq!(
                    chars[p.span.start..p.span.end].iter().collect::<String>(),
                    p.text
                );
                assert!(!p.text.ends_with('\r'));
            }
        }
    }
}

/// Odd inputs never make the reader panic, and parts stay verbatim.
#[test]
fn odd_inputs_never_panic() {
    let pieces = [
        "Archive for the ‘X’ Category",
        "A Title Without a Stop",
        "A short piece for Foreign Policy that I wrote, posting it here.",
        "“A quotation set apart from the text, long enough to count.”",
        "Region: May 2020",
        "By Jane Doe",
        "Jane Doe | May 2, 2021",
        "Notes",
        "1. A note.",
        "2.",
        "[1]: https://example.org/2020/01/02/a-title-without-a-stop",
        "[2]:",
        "For more, go to the site.",
        "Jane Doe is a senior fellow at an institute.",
        "Notes on contributors",
        "\u{a0}",
        "é\u{a0}ü ∑ 漢字 — “”",
        "<<http://broken",
        "word.Word and more.Text",
        "",
        "\r",
    ];
    // A small deterministic generator: every input is a different mix.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..400 {
        let mut text = String::new();
        let n = 1 + (seed % 24) as usize;
        for _ in 0..n {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            text.push_str(pieces[(seed % pieces.len() as u64) as usize]);
            text.push_str(if seed.is_multiple_of(3) { "\n" } else { "\n\n" });
        }
        if let Ok(out) = annals_read::read_bytes("odd.txt", text.as_bytes()) {
            let chars: Vec<char> = text.chars().collect();
            for d in &out.documents {
                assert!(d.lines[0] <= d.lines[1], "{text:?}");
                for p in &d.parts {
                    assert_eq!(
                        chars[p.span.start..p.span.end].iter().collect::<String>(),
                        p.text,
                        "{text:?}"
                    );
                }
            }
        }
    }
}
