//! The markup readers (Markdown, HTML, WXR) against hand-checked snapshots.
//!
//! Each fixture `testdata/<format>/<name>` has `<name>.expected.json`: the
//! documents (id, title, authors, date, category...) and each part's kind,
//! lines and text. Run with `UPDATE_EXPECT=1` to rewrite the snapshots after a
//! deliberate change, then read the diff before committing it.
use std::path::{Path, PathBuf};

use annals_model::{Document, Format, PartKind, Severity, Source};
use annals_read::{read_bytes, ReadOutput};
use serde_json::{json, Value};

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

fn read(path: &Path) -> ReadOutput {
    let bytes = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_str().unwrap();
    read_bytes(name, &bytes).unwrap()
}

/// What a snapshot records of one document.
fn summary(doc: &Document) -> Value {
    json!({
        "id": doc.id,
        "title": doc.title,
        "standfirst": doc.standfirst,
        "outlet": doc.outlet,
        "authors": doc.authors,
        "date": doc.date,
        "date_evidence": doc.date_evidence.as_ref().map(|e| json!({"text": e.text, "line": e.span.line})),
        "category": doc.category,
        "tags": doc.tags,
        "url": doc.url,
        "lines": doc.lines,
        "parts": doc.parts.iter().map(|p| json!({"kind": p.kind.as_str(), "lines": p.lines, "text": p.text})).collect::<Vec<_>>(),
    })
}

fn snapshot(out: &ReadOutput) -> Value {
    json!({
        "format": out.source.format.as_str(),
        "documents": out.documents.iter().map(summary).collect::<Vec<_>>(),
        "diagnostics": out.diagnostics.iter().map(|d| json!({"line": d.line, "code": d.code, "severity": d.severity})).collect::<Vec<_>>(),
    })
}

fn fixtures(format: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(testdata().join(format))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.to_str().unwrap().ends_with(".expected.json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures for {format}");
    files
}

/// Compares every fixture of a format with its snapshot.
fn check_snapshots(format: &str, want: Format) {
    for path in fixtures(format) {
        let out = read(&path);
        assert_eq!(out.source.format, want, "{}", path.display());
        check_spans(&out);
        let got = snapshot(&out);
        let expect_path = PathBuf::from(format!("{}.expected.json", path.display()));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(
                &expect_path,
                serde_json::to_string_pretty(&got).unwrap() + "\n",
            )
            .unwrap();
            continue;
        }
        let expect: Value =
            serde_json::from_str(&std::fs::read_to_string(&expect_path).unwrap_or_else(|_| {
                panic!(
                    "missing {}: run with UPDATE_EXPECT=1 and check it by hand",
                    expect_path.display()
                )
            }))
            .unwrap();
        assert_eq!(
            got,
            expect,
            "{} differs from its snapshot:\n{}",
            path.display(),
            serde_json::to_string_pretty(&got).unwrap()
        );
    }
}

/// Every part's span lies in the source, its lines are the span's lines, and
/// every character of its text maps to the same character in the source,
/// except where the text cannot be verbatim: a decoded entity (maps to its
/// `&`), collapsed whitespace (maps to whitespace, or to the `<br>` it stands for), an escape, and the `N. `
/// that numbers a note (maps to the note's label or first character).
fn check_spans(out: &ReadOutput) {
    check_spans_with(out, true)
}

/// [`check_spans`]; `mostly_verbatim` also asks that at least 80% of a part's
/// characters be copies (true of prose, not of markup soup).
fn check_spans_with(out: &ReadOutput, mostly_verbatim: bool) {
    let src: Vec<char> = out.source.text.chars().collect();
    let source: &Source = &out.source;
    for doc in &out.documents {
        assert!(
            doc.lines[0] <= doc.lines[1],
            "{}: lines {:?}",
            doc.id,
            doc.lines
        );
        for p in &doc.parts {
            let what = format!("{} {:?} {:?}", doc.id, p.kind, p.text);
            assert!(
                p.span.start < p.span.end && p.span.end <= src.len(),
                "{what}: span {:?}",
                p.span
            );
            assert_eq!(p.span.line, source.line_of(p.span.start), "{what}");
            assert_eq!(
                p.lines,
                [source.line_of(p.span.start), source.line_of(p.span.end - 1)],
                "{what}"
            );
            assert!(
                doc.lines[0] <= p.lines[0] && p.lines[1] <= doc.lines[1],
                "{what} outside document lines"
            );
            let synthetic = if p.kind == PartKind::Notes {
                p.text
                    .find(". ")
                    .map(|b| p.text[..b + 2].chars().count())
                    .unwrap_or(0)
            } else {
                0
            };
            let mut verbatim = 0;
            for (i, c) in p.text.chars().enumerate() {
                let at = p.map.to_source(i);
                assert!(
                    at >= p.span.start && at < p.span.end,
                    "{what}: char {i} maps outside the span"
                );
                let s = src[at];
                let ok = c == s
                    || (c.is_whitespace() && (s.is_whitespace() || s == '<' || !mostly_verbatim))
                    || s == '&'
                    || s == '\\'
                    || i < synthetic;
                assert!(ok, "{what}: char {i} {c:?} maps to {s:?} at {at}");
                verbatim += usize::from(c == s && i >= synthetic);
            }
            assert!(
                !mostly_verbatim || verbatim * 10 >= (p.text.chars().count() - synthetic) * 8,
                "{what}: mostly not verbatim"
            );
        }
    }
}

#[test]
fn markdown_fixtures_match_snapshots() {
    check_snapshots("markdown", Format::Markdown);
}

#[test]
fn html_fixtures_match_snapshots() {
    check_snapshots("html", Format::Html);
}

#[test]
fn wxr_fixtures_match_snapshots() {
    check_snapshots("wxr", Format::Wxr);
}

/// Reads `text` as file `name` and describes each document as
/// `id: kind kind ...`, for short expectations.
fn check(name: &str, text: &str, expect: &[&str]) {
    let out = read_bytes(name, text.as_bytes()).unwrap();
    check_spans(&out);
    let got: Vec<String> = out
        .documents
        .iter()
        .map(|d| {
            let kinds: Vec<&str> = d.parts.iter().map(|p| p.kind.as_str()).collect();
            format!("{}: {}", d.id, kinds.join(" "))
        })
        .collect();
    assert_eq!(got, expect, "{name}");
}

#[test]
fn markdown_shapes() {
    check(
        "toml.md",
        "+++\ntitle = \"Dushanbe after the Flood\"\ndate = 2020-07-03\n+++\n\nBy Rustam Ali\n\n> Water rose faster than the plans.\n\nBody text.[^a]\n\n[^a]: A note.\n",
        &["dushanbe-after-the-flood: byline standfirst body notes"],
    );
    check(
        "lists.md",
        "# Ten Years of the SCO Bank Idea\n\nThe idea came back in 2010.\n\n- a first point\n- a second\n\n## Endnotes\n\n1. First note, 2011.\n2. Second note.\n",
        &["ten-years-of-the-sco-bank: title body body body notes_heading notes notes"],
    );
    check(
        "caption.md",
        "# Osh Airport Reopens\n\n![Runway](osh.jpg)\n\n*The runway at Osh, May 2021.*\n\nFlights resumed on 3 May 2021.\n\n![](a.jpg)\n\n*A caption for a picture without alt text.*\n\n*Italics after a body paragraph: body.*\n",
        &["osh-airport-reopens: title caption body caption body"],
    );
    let out = read_bytes(
        "m.md",
        b"# T\n\nIt *was* said.[^12] Then `code` and \\*stars\\*.\n\n[^12]: Source.\n",
    )
    .unwrap();
    let d = &out.documents[0];
    assert_eq!(d.parts[1].text, "It was said.[^12] Then code and *stars*.");
    assert_eq!(d.parts[2].text, "12. Source.");
}

#[test]
fn html_shapes() {
    check(
        "archive.html",
        "<html><body><nav><a href=/>Home</a></nav>\
         <article><h2>Kabul Airport, One Year On</h2><p>The first paragraph is long enough to count as an article body for the reader here.</p></article>\
         <article><h2>Gwadar's Empty Berths</h2><p class=byline>By Sana Mir</p><p>Another article body paragraph that is long enough to be counted as text.</p></article>\
         </body></html>",
        &["kabul-airport-one-year-on: title body", "gwadars-empty-berths: title byline body"],
    );
    check(
        "dense.html",
        "<html><body><div id=menu><p>Home</p></div><div class=content><h1>Turkmen Gas to the East</h1><p>Paragraph one about pipelines.<sup><a href=\"#fn1\">1</a></sup></p><p>Paragraph two, with more words than the menu has.</p>\
         <div class=footnotes><p id=fn1>1. A note with a source, 2019.</p></div></div></body></html>",
        &["turkmen-gas-to-the-east: title body body notes"],
    );
    check(
        "hgroup.html",
        "<html><body><article><p class=kicker>Asia: May 2024</p><hgroup><h1>Gwadar’s Long Wait</h1><h2>The port China built is still waiting for ships.</h2></hgroup>\
         <p>Body text about the port, long enough to count as an article body paragraph here.</p><h2>Security first</h2><p>More.</p></article></body></html>",
        &["gwadars-long-wait: kicker title standfirst body section_heading body"],
    );
    // Substack: each note a div holding its number link and its content.
    check(
        "substack.html",
        "<html><body><article><h1>Pipelines and Patience</h1><div class=\"body markup\"><p>Text with a marker.<a class=\"footnote-anchor\" id=\"footnote-anchor-1\" href=\"#footnote-1\">1</a> More text on the Caspian pipeline.</p></div>\
         <div class=\"footnote\"><a id=\"footnote-1\" href=\"#footnote-anchor-1\" class=\"footnote-number\">1</a>\n<div class=\"footnote-content\"><p>Gazprom annual report, 2020.</p></div></div>\
         <div class=\"footnote\"><a id=\"footnote-2\" href=\"#footnote-anchor-2\" class=\"footnote-number\">2</a>\n<div class=\"footnote-content\"><p>Ibid.</p><p>Second paragraph.</p></div></div></article></body></html>",
        &["pipelines-and-patience: title body notes notes"],
    );
    let html = "<html><body><article><h1>T</h1><p>Body text long enough for an article of its own here.</p><div class=footnotes><div class=footnote><a href=#a>1</a> <div><p>One.</p></div></div><div class=footnote><a href=#b>2</a> <div><p>Two.</p></div></div></div></article></body></html>";
    let out = read_bytes("s.html", html.as_bytes()).unwrap();
    let notes: Vec<&str> = out.documents[0]
        .parts_of(PartKind::Notes)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(notes, vec!["1. One.", "2. Two."]);
}

#[test]
fn truncated_export_keeps_complete_items() {
    let full = std::fs::read_to_string(testdata().join("wxr/borderlands.xml")).unwrap();
    // Cut inside the last post's content.
    let cut_at = full.find("The city council").unwrap();
    let cut = &full[..cut_at];
    let cut_line = cut.lines().count() as u32;
    let out = read_bytes("cut.xml", cut.as_bytes()).unwrap();
    let ids: Vec<&str> = out.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, vec!["tashkents-rail-gamble"]);
    let trunc: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "truncated-export")
        .collect();
    assert_eq!(trunc.len(), 1, "{:?}", out.diagnostics);
    assert_eq!(trunc[0].severity, Severity::Error);
    assert_eq!(trunc[0].line, Some(cut_line));
    assert!(trunc[0].to_string().contains("cut.xml"), "{}", trunc[0]);
    assert!(
        trunc[0].message.contains(&format!("line {cut_line}")),
        "{}",
        trunc[0].message
    );
    // The malformed item is reported as well, and still skipped.
    let bad_line = full[..full.find("</wp:bogus>").unwrap()].lines().count() as u32;
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "malformed-item" && d.line == Some(bad_line)));

    // Cut inside a CDATA section of the first post: nothing complete.
    let cut = &full[..full.find("Financing remains").unwrap()];
    let out = read_bytes("cut2.xml", cut.as_bytes()).unwrap();
    assert!(out.documents.is_empty());
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.code == "truncated-export" && d.severity == Severity::Error));

    // Cut between items: the posts are all there, the missing end is reported.
    let cut = &full[..full.rfind("</channel>").unwrap()];
    let out = read_bytes("cut3.xml", cut.as_bytes()).unwrap();
    assert_eq!(out.documents.len(), 2);
    assert!(out.diagnostics.iter().any(|d| d.code == "truncated-export"));
}

#[test]
fn example_archive_reads_without_errors() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/archive");
    let mut formats = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let out = read(&path);
        formats.push(out.source.format);
        let errors: Vec<String> = out
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", path.display());
        if out.source.format != Format::PlainText {
            // The plain-text reader is checked by its own tests.
            check_spans(&out);
            assert!(
                !out.documents.is_empty(),
                "{}: no documents",
                path.display()
            );
            for d in &out.documents {
                assert!(
                    d.title.is_some() && d.date.is_some(),
                    "{}: {} lacks title or date",
                    path.display(),
                    d.id
                );
                assert!(
                    d.parts.iter().any(|p| p.kind == PartKind::Notes),
                    "{}: {} has no notes",
                    path.display(),
                    d.id
                );
            }
        }
    }
    for f in [
        Format::PlainText,
        Format::Markdown,
        Format::Html,
        Format::Wxr,
    ] {
        assert!(formats.contains(&f), "examples/archive lacks a {f:?} file");
    }
}

/// Damaged input (a file cut anywhere) never makes a reader panic, and what
/// it still reads keeps its spans honest.
#[test]
fn readers_survive_files_cut_anywhere() {
    let mut files: Vec<PathBuf> = ["markdown", "html", "wxr"]
        .iter()
        .flat_map(|f| fixtures(f))
        .collect();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/archive");
    files.extend(
        std::fs::read_dir(examples)
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let ext = name.rsplit('.').next().unwrap();
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(b, _)| b)
            .step_by(23)
            .skip(1)
            .collect();
        for b in bounds {
            let cut = &text[..b];
            if cut.trim().is_empty() {
                continue;
            }
            // Keep the extension so that a cut front matter is still Markdown.
            let out = read_bytes(&format!("cut.{ext}"), cut.as_bytes()).unwrap();
            check_spans(&out);
        }
    }
}

/// Markup soup (unbalanced tags, stray entities, broken CDATA, footnote
/// syntax in odd places) never makes a reader panic, and spans stay honest.
#[test]
fn readers_survive_markup_soup() {
    const PIECES: &[&str] = &[
        "<p>",
        "</p>",
        "<div class=\"footnotes\">",
        "</div>",
        "<li id=\"fn3\">",
        "<ol>",
        "</ol>",
        "<br>",
        "<sup><a href=\"#fn1\">1</a></sup>",
        "&amp;",
        "&#8217;",
        "&bogus;",
        "&",
        "<",
        ">",
        "<![CDATA[",
        "]]>",
        "<!--",
        "-->",
        "<h2>Notes</h2>",
        "<h1>",
        "</h1>",
        "Almaty",
        " ",
        "\n",
        "\n\n",
        "é—“",
        "[^1]",
        "[^1]: note",
        "[1]: https://a.example",
        "# ",
        "## Notes\n",
        "*",
        "_",
        "`",
        "> ",
        "1. ",
        "<item>",
        "</item>",
        "<title>",
        "</title>",
        "<content:encoded>",
        "</content:encoded>",
        "[caption]",
        "[/caption]",
        "<script>",
        "</script>",
        "<figure><figcaption>",
        "---\n",
        "+++\n",
    ];
    let mut seed: u64 = 0x5eed_cafe;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let wxr_head = "<?xml version=\"1.0\"?><rss xmlns:wp=\"http://wordpress.org/export/1.2/\"><channel><title>B</title>\n";
    for round in 0..400 {
        let len = 5 + (next() % 60) as usize;
        let body: String = (0..len)
            .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
            .collect();
        let (name, text) = match round % 3 {
            0 => ("soup.md", body),
            1 => ("soup.html", format!("<html><body>{body}</body></html>")),
            _ => (
                "soup.xml",
                format!("{wxr_head}<item><title>T</title><wp:post_type>post</wp:post_type><content:encoded>{body}</content:encoded></item>"),
            ),
        };
        let out = read_bytes(name, text.as_bytes()).unwrap();
        eprintln!("ROUND {round} {text:?}");
        check_spans_with(&out, false);
    }
}
