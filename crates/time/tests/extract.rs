//! Document-level extraction: spans in the source, narrative carried across
//! parts, and the document-date guess. The archive here is invented.

use annals_model::{Document, Format, OffsetMap, Part, PartKind, Source, Span};
use annals_time::{extract, infer_document_date, DateBasis};

/// Builds a plain-text source and a document whose parts are the given lines.
fn doc(title: &str, parts: &[(PartKind, &str)]) -> (Source, Document) {
    let text: String = parts.iter().map(|(_, t)| format!("{t}\n")).collect();
    let source = Source::new("invented.txt", text, Format::PlainText);
    let mut offset = 0;
    let mut out = Vec::new();
    for (i, (kind, t)) in parts.iter().enumerate() {
        let n = t.chars().count();
        out.push(Part {
            kind: *kind,
            text: t.to_string(),
            span: Span::new(i as u32 + 1, offset, offset + n),
            lines: [i as u32 + 1, i as u32 + 1],
            map: OffsetMap::identity(offset),
        });
        offset += n + 1;
    }
    let document = Document {
        id: "invented".into(),
        source: "invented.txt".into(),
        title: Some(title.into()),
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
        lines: [1, parts.len() as u32],
        parts: out,
    };
    (source, document)
}

#[test]
fn extract_maps_spans_and_keeps_the_narrative_across_paragraphs() {
    let (source, d) = doc(
        "Dams on the Vakhsh",
        &[
            (PartKind::Title, "Dams on the Vakhsh"),
            (
                PartKind::Body,
                "The consortium was formed in February 2012.",
            ),
            (PartKind::Caption, "Engineers at the site, 3 March 2019."),
            (PartKind::Body, "That June, the first loan was signed."),
        ],
    );
    let tx = extract(&source, &d, None);
    let got: Vec<_> = tx
        .iter()
        .map(|t| (t.text.as_str(), t.value.as_str(), t.anchor.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("February 2012", "2012-02", None),
            ("3 March 2019", "2019-03-03", None),
            ("That June", "2012-06", Some("narrative:2012-02")),
        ]
    );
    // Spans point into the source text.
    for t in &tx {
        let s: String = source
            .text
            .chars()
            .skip(t.span.start)
            .take(t.span.len())
            .collect();
        assert_eq!(s, t.text);
        assert_eq!(source.line_of(t.span.start), t.span.line);
    }
}

#[test]
fn byline_date_is_a_confident_guess_and_anchors_deictic_expressions() {
    let (source, d) = doc(
        "Recruiters in the Valley",
        &[
            (PartKind::Title, "Recruiters in the Valley"),
            (PartKind::Byline, "By A. Writer, October 8, 2020"),
            (PartKind::Body, "Last month the network lost its leader."),
        ],
    );
    let g = infer_document_date(&source, &d).expect("a guess");
    assert_eq!(
        (g.value.as_str(), g.basis),
        ("2020-10-08", DateBasis::Byline)
    );
    assert!(g.confidence >= 0.8);
    let tx = extract(&source, &d, None);
    let last = tx
        .iter()
        .find(|t| t.text == "Last month")
        .expect("last month");
    assert_eq!(
        (last.value.as_str(), last.anchor.as_deref()),
        ("2020-09", Some("guess:2020-10-08"))
    );
}

#[test]
fn without_direct_evidence_the_guess_is_a_lower_bound() {
    let (source, d) = doc(
        "A Corridor Stalls",
        &[
            (PartKind::Title, "A Corridor Stalls"),
            (
                PartKind::Body,
                "Construction began in May 2015 and stopped on 12 March 2021.",
            ),
            (
                PartKind::Notes,
                "1. Ministry statement, accessed 14 September 2022.",
            ),
        ],
    );
    let g = infer_document_date(&source, &d).expect("a guess");
    assert_eq!(
        (g.value.as_str(), g.basis),
        ("2022-09-14", DateBasis::NotesAccessed)
    );
    assert!(g.confidence < 0.8);
    assert_eq!(g.evidence_text, "14 September 2022");
}

#[test]
fn own_url_in_link_references_dates_the_article() {
    let (source, d) = doc(
        "China Weighs Its Options in Kabul",
        &[
            (PartKind::Title, "China Weighs Its Options in Kabul"),
            (PartKind::Body, "In 2016 the first caravans crossed."),
            (
                PartKind::LinkReferences,
                "[3]: https://example.org/2022/07/31/china-weighs-options-kabul/",
            ),
        ],
    );
    let g = infer_document_date(&source, &d).expect("a guess");
    assert_eq!(
        (g.value.as_str(), g.basis),
        ("2022-07-31", DateBasis::OwnUrl)
    );
}

#[test]
fn stated_dates_need_no_guess() {
    let (source, mut d) = doc("T", &[(PartKind::Body, "In 2016 it began.")]);
    d.date = Some("2021-01".into());
    assert!(infer_document_date(&source, &d).is_none());
}
