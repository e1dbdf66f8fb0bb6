use super::*;

fn unit(doc: &str, part: u32, kind: &str, text: &str, outlet: &str, year: u64) -> IndexDoc {
    IndexDoc {
        doc: doc.into(),
        part,
        kind: kind.into(),
        title: format!("Title of {doc}"),
        text: text.into(),
        outlet: Some(outlet.into()),
        category: Some("Journals".into()),
        year: Some(year),
        line: part + 1,
        entities: if text.contains("Kabul") {
            vec!["place:kabul".into()]
        } else {
            vec![]
        },
        event_types: if text.contains("attack") {
            vec!["attack".into()]
        } else {
            vec![]
        },
    }
}

fn fixture(dir: &Path) -> SearchIndex {
    let units = vec![
        unit(
            "a",
            0,
            "body",
            "The pipeline from Turkmenistan crosses the desert.",
            "Outlet One",
            2014,
        ),
        unit(
            "a",
            1,
            "body",
            "An attack near Kabul delayed the pipeline works.",
            "Outlet One",
            2014,
        ),
        unit(
            "a",
            2,
            "notes",
            "1. Smith, Pipelines of Asia (2012).",
            "Outlet One",
            2014,
        ),
        unit(
            "b",
            0,
            "body",
            "Desert roads and a pipeline plan were discussed in Kabul.",
            "Outlet Two",
            2019,
        ),
        unit(
            "b",
            1,
            "body",
            "Nothing about the subject here.",
            "Outlet Two",
            2019,
        ),
    ];
    build(dir, "fp1", units).unwrap();
    SearchIndex::open(dir).unwrap()
}

fn req(q: &str) -> SearchRequest {
    SearchRequest {
        q: q.into(),
        ..Default::default()
    }
}

#[test]
fn words_rank_and_group_by_document() {
    let t = tempfile::tempdir().unwrap();
    let ix = fixture(t.path());
    let r = ix.search(&req("pipeline")).unwrap();
    assert_eq!(r.total_parts, 4, "stemming matches pipeline/pipelines");
    assert_eq!(r.total_docs, 2);
    let a = r.groups.iter().find(|g| g.doc == "a").unwrap();
    assert_eq!(a.hits.len(), 3);
    assert!(a.hits.iter().all(|h| h.snippet.iter().any(|s| s.hit)));
}

#[test]
fn phrases_and_booleans() {
    let t = tempfile::tempdir().unwrap();
    let ix = fixture(t.path());
    let r = ix.search(&req("\"pipeline works\"")).unwrap();
    assert_eq!(r.total_parts, 1);
    assert_eq!(r.groups[0].hits[0].part, 1);
    let r = ix.search(&req("pipeline -kabul")).unwrap();
    assert_eq!(r.total_parts, 2);
    let r = ix.search(&req("turkmenistan OR discussed")).unwrap();
    assert_eq!(r.total_parts, 2);
    let r = ix
        .search(&req("outlet:\"Outlet Two\" AND pipeline"))
        .unwrap();
    assert_eq!(r.total_docs, 1);
    assert_eq!(r.groups[0].doc, "b");
}

#[test]
fn filters_and_facets() {
    let t = tempfile::tempdir().unwrap();
    let ix = fixture(t.path());
    let mut q = req("pipeline");
    q.filters.year_from = Some(2015);
    let r = ix.search(&q).unwrap();
    assert_eq!(r.total_parts, 1);
    let mut q = req("");
    q.filters.entity = Some("place:kabul".into());
    let r = ix.search(&q).unwrap();
    assert_eq!(r.total_parts, 2, "filter alone lists every part it holds");
    let r = ix.search(&req("pipeline")).unwrap();
    let outlets = facet_map(&r.facets.outlet);
    assert_eq!(outlets.get("Outlet One"), Some(&3));
    assert_eq!(outlets.get("Outlet Two"), Some(&1));
    assert_eq!(facet_map(&r.facets.year).get("2019"), Some(&1));
    assert_eq!(facet_map(&r.facets.event_type).get("attack"), Some(&1));
    assert_eq!(facet_map(&r.facets.kind).get("notes"), Some(&1));
}

#[test]
fn bad_query_syntax_is_a_warning_not_an_error() {
    let t = tempfile::tempdir().unwrap();
    let ix = fixture(t.path());
    let r = ix.search(&req("pipeline AND (")).unwrap();
    assert!(r.total_parts >= 1);
    let r = ix.search(&req("nosuchfield:x")).unwrap();
    assert_eq!(r.total_parts, 0);
}

#[test]
fn a_new_generation_replaces_the_old_atomically() {
    let t = tempfile::tempdir().unwrap();
    let old = fixture(t.path());
    build(
        t.path(),
        "fp2",
        vec![unit("c", 0, "body", "Fresh words only.", "O", 2020)],
    )
    .unwrap();
    // An open reader keeps answering from its generation.
    assert_eq!(old.search(&req("pipeline")).unwrap().total_docs, 2);
    let new = SearchIndex::open(t.path()).unwrap();
    assert_eq!(new.fingerprint(), "fp2");
    assert_eq!(new.search(&req("pipeline")).unwrap().total_parts, 0);
    assert_eq!(new.search(&req("fresh")).unwrap().total_parts, 1);
    assert_eq!(current_fingerprint(t.path()).as_deref(), Some("fp2"));
    let gens = std::fs::read_dir(t.path())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .count();
    assert_eq!(gens, 1, "old generations are removed");
}

#[test]
fn a_missing_index_is_reported() {
    let t = tempfile::tempdir().unwrap();
    assert!(matches!(
        SearchIndex::open(&t.path().join("x")),
        Err(IndexError::Missing(_))
    ));
    assert_eq!(year_of("2014-04-02"), Some(2014));
    assert_eq!(year_of("201X"), None);
}

#[test]
fn snippet_segments_keep_text_raw() {
    let s = segments("a <b> pipe c", std::slice::from_ref(&(6..10)));
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].text, "a <b> ");
    assert!(s[1].hit);
}

/// One document whose many parts outrank everything else must not crowd the
/// page: more top parts are ranked until the page has its documents, and
/// counts cover every match, not only the parts ranked.
#[test]
fn a_document_with_many_matching_parts_does_not_crowd_the_page() {
    let t = tempfile::tempdir().unwrap();
    let mut units = Vec::new();
    for p in 0..250 {
        units.push(unit(
            "big",
            p,
            "body",
            &format!("Harbour harbour harbour dues, clause {p}."),
            "Outlet One",
            2014,
        ));
    }
    for d in 0..25 {
        let doc = format!("small{d:02}");
        units.push(unit(
            &doc,
            0,
            "body",
            "A harbour was named once among many other words here.",
            "Outlet Two",
            2015,
        ));
        units.push(unit(
            &doc,
            1,
            "body",
            "Nothing relevant.",
            "Outlet Two",
            2015,
        ));
    }
    build(t.path(), "fp", units).unwrap();
    let ix = SearchIndex::open(t.path()).unwrap();
    for q in ["harbour", "\"harbour dues\" OR harbour"] {
        let r = ix.search(&req(q)).unwrap();
        assert_eq!(r.total_parts, 275, "{q}");
        assert_eq!(r.total_docs, 26, "{q}");
        assert_eq!(r.groups.len(), 20, "{q}");
        assert_eq!(r.groups[0].doc, "big", "{q}");
        assert_eq!(r.groups[0].matched_parts, 250, "{q}");
        assert_eq!(r.groups[0].hits.len(), 3, "{q}");
        assert!(r.groups[0]
            .hits
            .windows(2)
            .all(|w| w[0].score >= w[1].score));
        assert!(r.groups[1..].iter().all(|g| g.matched_parts == 1), "{q}");
        assert_eq!(facet_map(&r.facets.outlet).get("Outlet One"), Some(&250));
        assert_eq!(facet_map(&r.facets.year).get("2015"), Some(&25));
        // The next page starts where this one ended.
        let next = ix
            .search(&SearchRequest {
                offset: 20,
                ..req(q)
            })
            .unwrap();
        assert_eq!(next.groups.len(), 6, "{q}");
        let first: Vec<&str> = r.groups.iter().map(|g| g.doc.as_str()).collect();
        assert!(next.groups.iter().all(|g| !first.contains(&g.doc.as_str())));
    }
}
