//! The notes stage on invented documents: markers among other numbers, notes,
//! repeats, audit, exports.
use annals_model::notes::NoteKind;
use annals_model::{Document, Format, OffsetMap, Part, PartKind, Source, Span};
use annals_notes::{audit, extract, to_bibtex, to_csl_json, to_ris};

/// A document from a text: paragraphs separated by blank lines; the first is
/// the title, `Notes` starts the notes, `[n]:` lines are link references.
fn document(path: &str, text: &str) -> (Source, Document) {
    let source = Source::new(path, text.to_string(), Format::PlainText);
    let mut parts = Vec::new();
    let mut in_notes = false;
    let mut offset = 0usize;
    for para in text.split("\n\n") {
        let len = para.chars().count();
        let lead = para.chars().take_while(|c| *c == '\n').count();
        let start = offset + lead;
        let body = para.trim_matches('\n');
        let end = start + body.chars().count();
        if !body.is_empty() {
            let kind = if parts.is_empty() {
                PartKind::Title
            } else if body == "Notes" {
                in_notes = true;
                PartKind::NotesHeading
            } else if body.starts_with('[') && body.contains("]: ") {
                PartKind::LinkReferences
            } else if in_notes {
                PartKind::Notes
            } else {
                PartKind::Body
            };
            let l1 = source.line_of(start);
            let l2 = source.line_of(end.saturating_sub(1));
            parts.push(Part {
                kind,
                text: body.to_string(),
                span: Span::new(l1, start, end),
                lines: [l1, l2],
                map: OffsetMap::identity(start),
            });
        }
        offset += len + 2;
    }
    let doc = Document {
        id: "steppe".into(),
        source: path.into(),
        title: None,
        standfirst: None,
        outlet: None,
        outlet_evidence: None,
        authors: vec![],
        authors_evidence: None,
        date: None,
        date_evidence: None,
        category: None,
        tags: vec![],
        url: None,
        lines: [1, source.line_count()],
        parts,
    };
    (source, doc)
}

fn slice(source: &Source, start: usize, end: usize) -> String {
    source.text.chars().skip(start).take(end - start).collect()
}

#[test]
fn markers_in_order_and_no_false_markers() {
    let (source, doc) = document("steppe.txt", include_str!("data/steppe_article.txt"));
    let out = extract(&source, &doc);
    let got: Vec<(String, Option<u32>)> = out
        .markers
        .iter()
        .map(|m| (slice(&source, m.span.start, m.span.end), m.note))
        .collect();
    let expect: Vec<(String, Option<u32>)> = (1..=7).map(|n| (n.to_string(), Some(n))).collect();
    assert_eq!(got, expect);
    // each marker's context is the clause it ends
    let ctx: Vec<String> = out
        .markers
        .iter()
        .map(|m| slice(&source, m.span.start - 6, m.span.end))
        .collect();
    assert_eq!(
        ctx,
        vec![
            "egion.1",
            "rust’.2",
            " 2016,3",
            "tanova4",
            " 2018.5",
            "used’.6",
            " 2020.7"
        ]
    );
}

#[test]
fn notes_references_and_repeats() {
    let (source, doc) = document("steppe.txt", include_str!("data/steppe_article.txt"));
    let out = extract(&source, &doc);
    assert_eq!(out.notes.len(), 7);
    assert!(out.notes.iter().all(|n| n.kind == NoteKind::Numbered));
    let n1 = &out.notes[0].references[0];
    assert_eq!(n1.original_title.as_deref(), Some("The Railway Corridor"));
    assert_eq!(
        out.notes[1].references[0].container_title.as_deref(),
        Some("The Diplomat")
    );
    assert_eq!(
        out.notes[3].references[0].url.as_deref(),
        Some("http://steppe.example.org/spp12.pdf")
    );
    let refers: Vec<Option<u32>> = out.notes.iter().map(|n| n.refers_to).collect();
    assert_eq!(refers, vec![None, None, None, None, Some(4), Some(1), None]);
    // the note span starts at its number
    let n2 = &out.notes[1];
    assert!(slice(&source, n2.span.start, n2.span.end).starts_with("2. Aigerim"));
}

#[test]
fn no_notes_means_no_glued_markers() {
    let text =
        "A Title\n\nThe plan was agreed in 2018.5 Officials met the G20 envoy at visit2 talks.\n";
    let (source, doc) = document("plain.txt", text);
    let out = extract(&source, &doc);
    assert!(out.markers.is_empty());
    assert!(out.notes.is_empty());
}

#[test]
fn link_references_with_bracket_markers() {
    let text = "A Title\n\nThe envoy said so [1] and the ministry agreed.[2] Later reports[1] repeated it.\n\n[1]: https://www.reuters.com/world/asia/envoy-visit-idUSKBN2AB3CD20210305\n\n[2]: https://example.gov/statement\n";
    let (source, doc) = document("links.txt", text);
    let out = extract(&source, &doc);
    let got: Vec<(String, Option<u32>)> = out
        .markers
        .iter()
        .map(|m| (m.marker.clone(), m.note))
        .collect();
    assert_eq!(
        got,
        vec![
            ("[1]".into(), Some(1)),
            ("[2]".into(), Some(2)),
            ("[1]".into(), Some(1))
        ]
    );
    assert_eq!(out.notes.len(), 2);
    assert!(out.notes.iter().all(|n| n.kind == NoteKind::LinkReference));
    let r = &out.notes[0].references[0];
    assert_eq!(r.container_title.as_deref(), Some("Reuters"));
    assert_eq!(
        r.issued.as_ref().and_then(|d| d.iso()).as_deref(),
        Some("2021-03-05")
    );
    assert_eq!(
        out.notes[1].references[0].container_title.as_deref(),
        Some("example.gov")
    );
}

#[test]
fn audit_flags_what_an_editor_would_fix() {
    let (source, doc) = document("steppe.txt", include_str!("data/steppe_article.txt"));
    let out = extract(&source, &doc);
    let codes: Vec<String> = audit(&out.notes, &out.markers)
        .into_iter()
        .map(|f| format!("{}:{}", f.line, f.code))
        .collect();
    assert!(
        codes.iter().any(|c| c.ends_with("malformed-url")),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|c| c.ends_with("duplicate-note")),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.ends_with("marker-without-note")),
        "{codes:?}"
    );
    assert!(
        !codes.iter().any(|c| c.ends_with("uncited-note")),
        "{codes:?}"
    );
}

#[test]
fn exports_carry_the_references() {
    let (source, doc) = document("steppe.txt", include_str!("data/steppe_article.txt"));
    let out = extract(&source, &doc);
    let items: Vec<_> = out
        .notes
        .iter()
        .flat_map(|n| n.references.clone())
        .collect();
    let csl = to_csl_json(&items);
    assert_eq!(csl.as_array().map(Vec::len), Some(items.len()));
    assert_eq!(csl[1]["container-title"], "The Diplomat");
    assert_eq!(csl[1]["issued"]["date-parts"][0][0], 2018);
    let bib = to_bibtex(&items);
    assert!(bib.contains("@article{sadykova2018_2,"), "{bib}");
    assert!(bib.contains("journal = {The Diplomat}"));
    let ris = to_ris(&items);
    assert!(
        ris.contains("TY  - NEWS\nAU  - Sadykova, Aigerim\nTI  - A Corridor of Trust?"),
        "{ris}"
    );
    assert_eq!(ris.matches("ER  - ").count(), items.len());
}

#[test]
fn markdown_footnotes_through_the_reader() {
    let md = "# Water and Power\n\nThe dam was finished in 2019.[^1] Its reservoir holds 5 billion cubic metres, as the G7 noted.[^2]\n\n[^1]: Ministry of Energy of the Republic of Tajikistan, ‘Rogun Update’, 3 May 2019, <https://energy.example.tj/rogun>, accessed 4 April 2023.\n\n[^2]: Ibid.\n";
    let out = annals_read::read_bytes("water.md", md.as_bytes()).expect("read");
    let doc = &out.documents[0];
    let o = extract(&out.source, doc);
    let got: Vec<(String, Option<u32>)> = o
        .markers
        .iter()
        .map(|m| (m.marker.clone(), m.note))
        .collect();
    assert_eq!(
        got,
        vec![("[^1]".into(), Some(1)), ("[^2]".into(), Some(2))]
    );
    assert_eq!(
        o.notes.len(),
        2,
        "{:?}",
        doc.parts
            .iter()
            .map(|p| (p.kind, p.text.clone()))
            .collect::<Vec<_>>()
    );
    assert!(o.notes.iter().all(|n| n.kind == NoteKind::Footnote));
    assert_eq!(o.notes[1].refers_to, Some(1));
    let m = &o.markers[0];
    assert_eq!(slice(&out.source, m.span.start, m.span.end), "[^1]");
    assert_eq!(
        o.notes[0].references[0].url.as_deref(),
        Some("https://energy.example.tj/rogun")
    );
}

#[test]
fn a_notes_block_with_wrapped_lines() {
    let text = "A Title\n\nFirst claim.1 Second claim.2 Third claim.3\n\nNotes\n\n1. Nurlan Abenov, ‘Grain Exports Rise’, Kursiv, 12 May\n2019. Figures are provisional.\n2. Op. cit.\n3. Abenov, ‘Grain Exports Rise’.\n";
    let (source, doc) = document("block.txt", text);
    let out = extract(&source, &doc);
    let numbers: Vec<u32> = out.notes.iter().map(|n| n.number).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    assert!(
        out.notes[0].raw.ends_with("provisional."),
        "{}",
        out.notes[0].raw
    );
    assert_eq!(
        out.notes[0].references[0].container_title.as_deref(),
        Some("Kursiv")
    );
    assert_eq!(out.notes[2].refers_to, Some(1));
    assert_eq!(out.markers.len(), 3);
}

#[test]
fn named_markdown_footnotes() {
    let md = "# Ports\n\nThe port opened in 2021.[^gwadar] Traffic stayed low.[^1]\n\n[^1]: Reuters, ‘Port Traffic Lags’, 2 June 2022.\n\n[^gwadar]: Zahid Hussain, ‘A Port in Waiting’, Dawn, 4 April 2021.\n";
    let out = annals_read::read_bytes("ports.md", md.as_bytes()).expect("read");
    let o = extract(&out.source, &out.documents[0]);
    let notes: Vec<(u32, String)> = o
        .notes
        .iter()
        .map(|n| (n.number, n.references[0].title.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        notes,
        vec![
            (1, "Port Traffic Lags".to_string()),
            (2, "A Port in Waiting".to_string())
        ]
    );
    let got: Vec<(String, Option<u32>)> = o
        .markers
        .iter()
        .map(|m| (m.marker.clone(), m.note))
        .collect();
    assert_eq!(
        got,
        vec![("[^gwadar]".into(), Some(2)), ("[^1]".into(), Some(1))]
    );
}

#[test]
fn audit_of_urls_order_and_stats() {
    let text = "A Title\n\nOne.1 Two.3 Three.2 Four.4\n\nNotes\n\n1. Ministry of Energy, ‘Plan’, 2 May 2020, <https://energy.example.org/plan>.\n\n2. Reuters, ‘Plan Approved’, 3 May 2020, <https://energy.example.org/plan>, accessed 1 June 2021.\n\n3. Reuters, ‘Second Look’, 2021.\n\n4. Kamila Yusupova, ‘Energy Futures’, Steppe Review, 2019.\n";
    let (source, doc) = document("audit.txt", text);
    let out = extract(&source, &doc);
    let codes: Vec<String> = audit(&out.notes, &out.markers)
        .into_iter()
        .map(|f| f.code)
        .collect();
    assert!(
        codes.contains(&"url-without-access-date".to_string()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"same-url-several-notes".to_string()),
        "{codes:?}"
    );
    // "Two.3 Three.2": one of them cannot be in sequence and is reported
    assert_eq!(out.markers.len(), 3);
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.code == "marker-out-of-order"),
        "{:?}",
        out.diagnostics
    );
    struct Dead;
    impl annals_notes::LinkChecker for Dead {
        fn check(&self, _url: &str) -> Result<(), String> {
            Err("404".into())
        }
    }
    let dead = annals_notes::audit_links(&out.notes, &Dead);
    assert_eq!(dead.len(), 1, "one distinct URL");
    let (by_domain, by_year) = annals_notes::citation_stats(&out.notes);
    assert_eq!(by_domain.get("energy.example.org"), Some(&2));
    assert_eq!(by_year.get(&2020), Some(&2));
}

#[test]
fn short_forms_with_an_ellipsis_and_acronyms() {
    let text = "A Title\n\nOne.1 Two.2 Three.3 Four.4\n\nNotes\n\n1. Collective Security Treaty Organization (CSTO), ‘Joint Exercise Concludes in Tajikistan’, 20 October 2021, <https://csto.example.org/news/881>, accessed 3 March 2023.\n\n2. Dana Sultanova, ‘Security Follows the Money: Rail, Roads and Regiments’, Steppe Policy Papers No. 12, May 2018.\n\n3. Sultanova, ‘Security Follows the Money …’.\n\n4. CSTO, ‘Joint Exercise Concludes in Tajikistan’.\n";
    let (source, doc) = document("short.txt", text);
    let out = extract(&source, &doc);
    let refers: Vec<Option<u32>> = out.notes.iter().map(|n| n.refers_to).collect();
    assert_eq!(refers, vec![None, None, Some(2), Some(1)]);
}
