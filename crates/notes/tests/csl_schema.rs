//! CSL-JSON output checked against the structure the CSL-JSON schema
//! (`csl-data.json`, CSL 1.0.1) requires: an array of objects with `type` (one of
//! the CSL types) and `id`, only CSL variables as keys, names as objects of
//! name parts, dates as `date-parts` (one or two arrays of one to three parts).
use annals_model::notes::{CslDate, CslItem, CslName};
use annals_notes::to_csl_json;
use serde_json::Value;

const TYPES: &[&str] = &[
    "article",
    "article-journal",
    "article-magazine",
    "article-newspaper",
    "bill",
    "book",
    "broadcast",
    "chapter",
    "classic",
    "collection",
    "dataset",
    "document",
    "entry",
    "entry-dictionary",
    "entry-encyclopedia",
    "figure",
    "graphic",
    "hearing",
    "interview",
    "legal_case",
    "legislation",
    "manuscript",
    "map",
    "motion_picture",
    "musical_score",
    "pamphlet",
    "paper-conference",
    "patent",
    "performance",
    "periodical",
    "personal_communication",
    "post",
    "post-weblog",
    "regulation",
    "report",
    "review",
    "review-book",
    "software",
    "song",
    "speech",
    "standard",
    "thesis",
    "treaty",
    "webpage",
];
const NAME_VARS: &[&str] = &[
    "author",
    "chair",
    "collection-editor",
    "compiler",
    "composer",
    "container-author",
    "contributor",
    "curator",
    "director",
    "editor",
    "editorial-director",
    "executive-producer",
    "interviewer",
    "illustrator",
    "organizer",
    "original-author",
    "performer",
    "producer",
    "recipient",
    "reviewed-author",
    "translator",
];
const DATE_VARS: &[&str] = &[
    "accessed",
    "available-date",
    "container",
    "event-date",
    "issued",
    "original-date",
    "submitted",
];
const STRING_OR_NUMBER: &[&str] = &[
    "id",
    "chapter-number",
    "citation-number",
    "collection-number",
    "edition",
    "first-reference-note-number",
    "issue",
    "locator",
    "number",
    "number-of-pages",
    "number-of-volumes",
    "page",
    "page-first",
    "part",
    "printing",
    "supplement",
    "volume",
];
const STRINGS: &[&str] = &[
    "language",
    "journalAbbreviation",
    "shortTitle",
    "abstract",
    "annote",
    "archive",
    "archive_collection",
    "archive_location",
    "archive-place",
    "authority",
    "call-number",
    "citation-label",
    "collection-title",
    "container-title",
    "container-title-short",
    "dimensions",
    "division",
    "DOI",
    "event",
    "event-place",
    "genre",
    "ISAN",
    "ISBN",
    "ISCI",
    "ISMN",
    "ISRC",
    "ISSN",
    "ISWC",
    "jurisdiction",
    "keyword",
    "medium",
    "note",
    "original-publisher",
    "original-publisher-place",
    "original-title",
    "part-title",
    "PMCID",
    "PMID",
    "publisher",
    "publisher-place",
    "references",
    "reviewed-title",
    "scale",
    "section",
    "source",
    "status",
    "title",
    "title-short",
    "translated-title",
    "translated-title-short",
    "URL",
    "version",
    "year-suffix",
    "type",
];
const NAME_PARTS: &[&str] = &[
    "family",
    "given",
    "dropping-particle",
    "non-dropping-particle",
    "suffix",
    "comma-suffix",
    "static-ordering",
    "literal",
    "parse-names",
];

fn validate(v: &Value) -> Vec<String> {
    let mut errs = Vec::new();
    let Some(items) = v.as_array() else {
        return vec!["top level is not an array".into()];
    };
    for (i, it) in items.iter().enumerate() {
        let Some(obj) = it.as_object() else {
            errs.push(format!("item {i} is not an object"));
            continue;
        };
        for req in ["type", "id"] {
            if !obj.contains_key(req) {
                errs.push(format!("item {i}: missing {req}"));
            }
        }
        if let Some(t) = obj.get("type") {
            if !t.as_str().is_some_and(|t| TYPES.contains(&t)) {
                errs.push(format!("item {i}: type {t} not a CSL type"));
            }
        }
        for (k, val) in obj {
            let k = k.as_str();
            if NAME_VARS.contains(&k) {
                let ok = val.as_array().is_some_and(|a| {
                    a.iter().all(|n| {
                        n.as_object().is_some_and(|o| {
                            o.iter().all(|(nk, nv)| {
                                NAME_PARTS.contains(&nk.as_str())
                                    && (nv.is_string() || nv.is_number() || nv.is_boolean())
                            })
                        })
                    })
                });
                if !ok {
                    errs.push(format!("item {i}: {k} is not a list of names: {val}"));
                }
            } else if DATE_VARS.contains(&k) {
                let ok = val.is_string()
                    || val.as_object().is_some_and(|o| {
                        o.iter().all(|(dk, dv)| match dk.as_str() {
                            "date-parts" => dv.as_array().is_some_and(|outer| {
                                (1..=2).contains(&outer.len())
                                    && outer.iter().all(|p| {
                                        p.as_array().is_some_and(|p| {
                                            (1..=3).contains(&p.len())
                                                && p.iter().all(|x| x.is_number() || x.is_string())
                                        })
                                    })
                            }),
                            "season" | "circa" => true,
                            "literal" | "raw" | "edtf" => dv.is_string(),
                            _ => false,
                        })
                    });
                if !ok {
                    errs.push(format!("item {i}: {k} is not a CSL date: {val}"));
                }
            } else if STRING_OR_NUMBER.contains(&k) {
                if !(val.is_string() || val.is_number()) {
                    errs.push(format!("item {i}: {k} must be a string or number"));
                }
            } else if STRINGS.contains(&k) {
                if !val.is_string() {
                    errs.push(format!("item {i}: {k} must be a string"));
                }
            } else if k == "categories" {
                if !val
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string))
                {
                    errs.push(format!("item {i}: categories must be strings"));
                }
            } else if k != "custom" {
                errs.push(format!("item {i}: {k} is not a CSL variable"));
            }
        }
    }
    errs
}

fn full_item() -> CslItem {
    let d = |p: Vec<i32>| {
        Some(CslDate {
            date_parts: vec![p],
            raw: None,
        })
    };
    CslItem {
        id: None,
        kind: "speech".into(),
        author: vec![CslName {
            family: Some("Sultanova".into()),
            given: Some("Dana".into()),
            literal: None,
        }],
        editor: vec![CslName {
            family: None,
            given: None,
            literal: Some("Steppe Institute".into()),
        }],
        title: Some("A Title".into()),
        original_title: Some("Translated".into()),
        container_title: Some("Journal".into()),
        collection_title: Some("Series".into()),
        issued: d(vec![2020, 5]),
        accessed: d(vec![2023, 1, 12]),
        url: Some("https://example.org".into()),
        doi: Some("10.1000/xyz".into()),
        volume: Some("3".into()),
        issue: Some("2".into()),
        page: Some("1–9".into()),
        publisher: Some("Press".into()),
        publisher_place: Some("Almaty".into()),
        number: Some("12".into()),
        edition: Some("2".into()),
        genre: Some("speech".into()),
        event_title: Some("Forum".into()),
        note: Some("n".into()),
    }
}

#[test]
fn every_field_serialises_as_a_csl_variable() {
    let v = to_csl_json(&[
        full_item(),
        CslItem {
            kind: String::new(),
            ..Default::default()
        },
    ]);
    assert_eq!(validate(&v), Vec::<String>::new(), "{v:#}");
}

#[test]
fn the_check_catches_bad_output() {
    let bad = serde_json::json!([{"type": "blogpost", "author": ["Smith"], "issued": {"date-parts": [[2020, 1, 2, 3]]}, "foo": 1}]);
    let errs = validate(&bad);
    assert_eq!(errs.len(), 5, "{errs:?}");
}

#[test]
fn parsed_notes_export_valid_csl() {
    for note in [
        "Ministry of Transport of the Republic of Kazakhstan, ‘Temir zhol’ [‘The Railway’], 4 June 2018, <https://transport.example.kz/news/4410>, accessed 12 January 2023.",
        "Li Wenhao, ‘Building Bridges’, speech given at the Eurasian Forum, Astana, 12 June 2019.",
        "Karimova, N. (2014). Cotton and the state in Uzbekistan. Journal of Agrarian Change, 14(2), 233-251.",
        "Author interview, customs official, Khorgos, 2018.",
    ] {
        let (items, _, _) = annals_notes::refs::parse_note(note);
        let v = to_csl_json(&items);
        assert_eq!(validate(&v), Vec::<String>::new(), "{note}\n{v:#}");
    }
}
