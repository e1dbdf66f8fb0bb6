//! Behaviour of the who/where stage on sentences written for these tests.
use annals_know::{apply_decisions, Decisions, KnowOutput, Pack, Recognizer};
use annals_model::know::EntityKind;
use annals_model::{Document, Format, OffsetMap, Part, PartKind, Source, Span};
use std::sync::OnceLock;

fn rec() -> &'static Recognizer {
    static R: OnceLock<Recognizer> = OnceLock::new();
    R.get_or_init(Recognizer::builtin)
}

/// Tags `text` and compares with `expect`: one `kind text [entity]` line per name found
/// (adjectives such as `Chinese` are left out unless `adjectives` is set).
fn check_with(r: &Recognizer, text: &str, expect: &str, adjectives: bool) {
    let got: Vec<String> = r
        .tag(text)
        .into_iter()
        .filter(|t| adjectives || t.how != annals_know::How::Adjective)
        .map(|t| {
            let chars: String = text.chars().skip(t.start).take(t.end - t.start).collect();
            assert_eq!(chars, t.text, "offsets are characters");
            match t.entity {
                Some(e) => format!("{} {} [{}]", t.kind.as_str(), t.text, e),
                None => format!("{} {}", t.kind.as_str(), t.text),
            }
        })
        .collect();
    let want: Vec<String> = expect
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    assert_eq!(got, want, "\n{text}\ngot:\n{}", got.join("\n"));
}

fn check(text: &str, expect: &str) {
    check_with(rec(), text, expect, false)
}

#[test]
fn known_names_get_pack_ids() {
    check(
        "Foreign Minister Wang Yi flew to Kabul, where he met Taliban officials and discussed CPEC.",
        "person Wang Yi [person:wang-yi]
         place Kabul [place:kabul]
         organisation Taliban [org:taliban]
         project CPEC [project:cpec]",
    );
    check(
        "The Shanghai Cooperation Organization met in Bishkek as ISKP threatened Tajikistan.",
        "organisation Shanghai Cooperation Organization [org:sco]
         place Bishkek [place:bishkek]
         organisation ISKP [org:iskp]
         place Tajikistan [place:tajikistan]",
    );
}

#[test]
fn headlines_in_capitals_still_match() {
    check(
        "TALIBAN FIGHTERS ENTER KABUL AS CHINA WATCHES",
        "organisation TALIBAN [org:taliban]\nplace KABUL [place:kabul]\nplace CHINA [place:china]",
    );
}

#[test]
fn unknown_names_are_found_by_context() {
    // invented people and bodies: no pack knows them
    check(
        "Governor Zhyrgal Dyushenkulov said the Osh Institute of Irrigation Studies would open in the spring.",
        "person Zhyrgal Dyushenkulov
         organisation Osh Institute of Irrigation Studies",
    );
    check(
        "Engineers from the Tashtemir Hydropower Dam visited Karshi province.",
        "project Tashtemir Hydropower Dam\nplace Karshi",
    );
    check(
        "Analyst Tursunbek Abdrakhmanov disagreed.",
        "person Tursunbek Abdrakhmanov",
    );
}

#[test]
fn a_longer_name_of_another_kind_beats_a_place_inside_it() {
    check(
        "She studied at Kabul Polytechnic University before the war.",
        "organisation Kabul Polytechnic University",
    );
}

#[test]
fn adjectives_point_at_their_country() {
    check_with(
        rec(),
        "The Kazakh government denied it.",
        "other Kazakh [place:kazakhstan]",
        true,
    );
}

#[test]
fn user_packs_add_names() {
    let dir = std::env::temp_dir().join(format!("annals-know-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mine.tsv");
    std::fs::write(
        &path,
        "# a user's pack\nid\tkind\tname\taliases\tlat\tlon\tcountry\norg:kyzyl-jar\torganisation\tKyzyl-Jar Herders' Union\tKJHU\t\t\tKG\n",
    )
    .unwrap();
    let r = Recognizer::with_packs(vec![Pack::from_path(&path).unwrap()]);
    check_with(
        &r,
        "The KJHU protested.",
        "organisation KJHU [org:kyzyl-jar]",
        false,
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// A source and one document whose body paragraphs are `paras`.
fn doc(id: &str, paras: &[&str]) -> (Source, Document) {
    let text = paras.join("\n\n");
    let src = Source::new(format!("{id}.txt"), text.clone(), Format::PlainText);
    let mut parts = Vec::new();
    let mut off = 0;
    for (i, p) in paras.iter().enumerate() {
        let n = p.chars().count();
        let line = (2 * i + 1) as u32;
        parts.push(Part {
            kind: PartKind::Body,
            text: p.to_string(),
            span: Span::new(line, off, off + n),
            lines: [line, line],
            map: OffsetMap::identity(off),
        });
        off += n + 2;
    }
    let d = Document {
        id: id.into(),
        source: src.path.clone(),
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
        lines: [1, (2 * paras.len()) as u32],
        parts,
    };
    (src, d)
}

fn extract(docs: &[(Source, Document)]) -> KnowOutput {
    let pairs: Vec<(&Source, &Document)> = docs.iter().map(|(s, d)| (s, d)).collect();
    rec().extract(&pairs)
}

/// The entity a surface was resolved to, and all surfaces of that entity.
fn entity_of(out: &KnowOutput, surface: &str) -> String {
    out.mentions
        .iter()
        .find(|m| m.text == surface)
        .unwrap_or_else(|| {
            panic!(
                "no mention {surface:?} in {:?}",
                out.mentions.iter().map(|m| &m.text).collect::<Vec<_>>()
            )
        })
        .entity
        .clone()
}

#[test]
fn aliases_resolve_to_one_entity_across_documents() {
    let docs = vec![
        doc(
            "a",
            &[
                "President Xi Jinping opened the Shanghai Cooperation Organisation summit. Xi spoke of Uyghur militants.",
                "Analysts in Bishkek doubted the SCO could act.",
            ],
        ),
        doc("b", &["The Shanghai Cooperation Organization said President Xi and Uighur groups were discussed."]),
    ];
    let out = extract(&docs);
    assert_eq!(entity_of(&out, "Xi Jinping"), "person:xi-jinping");
    assert_eq!(entity_of(&out, "Xi"), "person:xi-jinping");
    assert!(
        out.mentions.iter().filter(|m| m.text == "Xi").count() >= 2,
        "President Xi"
    );
    assert_eq!(
        entity_of(&out, "Shanghai Cooperation Organisation"),
        "org:sco"
    );
    assert_eq!(
        entity_of(&out, "Shanghai Cooperation Organization"),
        "org:sco"
    );
    assert_eq!(entity_of(&out, "SCO"), "org:sco");
    assert_eq!(entity_of(&out, "Uyghur"), entity_of(&out, "Uighur"));
    // spans point into the source
    let m = out.mentions.iter().find(|m| m.text == "Bishkek").unwrap();
    assert_eq!(m.doc, "a");
    assert_eq!(m.span.line, 3);
    let src = &docs[0].0.text;
    let at: String = src
        .chars()
        .skip(m.span.start)
        .take(m.span.end - m.span.start)
        .collect();
    assert_eq!(at, "Bishkek");
    let sco = out.entities.iter().find(|e| e.id == "org:sco").unwrap();
    assert_eq!(sco.kind, EntityKind::Organisation);
    let bishkek = out
        .entities
        .iter()
        .find(|e| e.id == "place:bishkek")
        .unwrap();
    assert!(bishkek.lat.is_some() && bishkek.lon.is_some());
}

#[test]
fn acronyms_defined_in_the_text_and_surnames_follow_their_full_name() {
    let docs = vec![doc(
        "c",
        &["The Naryn Valley Water Authority (NVWA) was founded by Kubanychbek Sydykov in 2019. Later the NVWA split, and Sydykov resigned."],
    )];
    let out = extract(&docs);
    let full = entity_of(&out, "Naryn Valley Water Authority");
    assert_eq!(entity_of(&out, "NVWA"), full);
    assert!(full.starts_with("org:"), "{full}");
    let person = entity_of(&out, "Kubanychbek Sydykov");
    assert_eq!(person, "person:kubanychbek-sydykov");
    assert_eq!(entity_of(&out, "Sydykov"), person);
}

#[test]
fn homonym_places_follow_the_document_region() {
    let pk = extract(&[doc(
        "pk",
        &["Floods hit Sindh, Pakistan, and the city of Hyderabad was cut off from Karachi."],
    )]);
    assert_eq!(entity_of(&pk, "Hyderabad"), "place:hyderabad-pk");
    let ind = extract(&[doc(
        "in",
        &["Investors in India praised Hyderabad and Bangalore, where Indian firms grow."],
    )]);
    assert_eq!(entity_of(&ind, "Hyderabad"), "place:hyderabad");
}

#[test]
fn a_national_adjective_before_a_state_noun_names_the_state() {
    let out = extract(&[doc(
        "k",
        &["The Kazakh government and Chinese culture were discussed."],
    )]);
    assert_eq!(entity_of(&out, "Kazakh"), "place:kazakhstan");
    assert!(
        out.mentions.iter().all(|m| m.text != "Chinese"),
        "an adjective alone is not a mention"
    );
}

#[test]
fn decisions_survive_re_extraction() {
    let docs = vec![doc("d", &["Abdulla Oripov met Dilshod Nazarov in Tashkent. Oripov later praised the Tashkent Institute of Finance."])];
    let fresh = || extract(&docs);
    let a = fresh();
    let oripov = entity_of(&a, "Abdulla Oripov");
    let nazarov = entity_of(&a, "Dilshod Nazarov");
    let d = Decisions {
        merges: vec![(oripov.clone(), nazarov.clone())],
        splits: vec![(oripov.clone(), "Oripov".into())],
    };
    for _ in 0..2 {
        let mut out = fresh();
        apply_decisions(&mut out, &d);
        assert_eq!(entity_of(&out, "Dilshod Nazarov"), oripov, "merged");
        assert!(out.entities.iter().all(|e| e.id != nazarov));
        assert_ne!(entity_of(&out, "Oripov"), oripov, "split off");
        assert!(out
            .entities
            .iter()
            .any(|e| e.id == entity_of(&out, "Oripov")));
    }
}

#[test]
fn jsonl_in_jsonl_out() {
    let input = "{\"id\": \"s1\", \"text\": \"Europol warned Madrid.\"}\nnot json\n";
    let mut out = Vec::new();
    let skipped = rec().tag_jsonl(input.as_bytes(), &mut out).unwrap();
    assert_eq!(skipped, 1);
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["id"], "s1");
    let m = &v["mentions"];
    assert_eq!(m[0]["text"], "Europol");
    assert_eq!(m[0]["type"], "organisation");
    assert_eq!(m[0]["entity"], "org:europol");
    assert_eq!(
        (m[1]["start"].as_u64(), m[1]["end"].as_u64()),
        (Some(15), Some(21))
    );
    assert_eq!(m[1]["entity"], "place:madrid");
}

#[test]
fn seed_archive_entities() {
    let shared = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared"));
    if !shared.exists() {
        eprintln!("skipping: ../shared not found");
        return;
    }
    let path = shared.join("corpus/000_3e54375e224fbbf8.txt");
    let bytes = std::fs::read(&path).expect("corpus");
    let read = annals_read::read_bytes(&path.display().to_string(), &bytes).expect("read");
    let docs: Vec<_> = read.documents.iter().map(|d| (&read.source, d)).collect();
    let out = rec().extract(&docs);
    let r = annals_know::eval::eval_entities(
        &shared.join("eval/seed-dev/entities.jsonl"),
        &out.entities,
        &out.mentions,
    )
    .expect("gold");
    eprintln!("{r}");
    assert!(r.recall >= 0.90, "recall {:.3}", r.recall);
    assert!(r.grouping >= 0.90, "grouping {:.3}", r.grouping);
    for m in &out.mentions {
        let at: String = read
            .source
            .text
            .chars()
            .skip(m.span.start)
            .take(m.span.end - m.span.start)
            .collect();
        assert_eq!(at, m.text, "mention span points at its text");
    }
}

#[test]
fn names_inside_urls_are_not_names_even_after_a_no_break_space() {
    check(
        "See\u{a0}https://example.org/Kabul/Herat-News and Kabul.",
        "place Kabul [place:kabul]",
    );
}

#[test]
fn title_case_runs_of_cited_titles_yield_only_known_names() {
    check(
        "‘Mobile Vendor Market Share Grows Again In Kyrgyzstan During Spring’, 2021.",
        "place Kyrgyzstan [place:kyrgyzstan]",
    );
}

#[test]
fn any_text_is_tagged_without_panic() {
    let text =
        "‘Gen. Fang’s\u{a0}visit2 to Ürümqi — U.S.-led (SCO) al-Qaeda’s 9/11… www.x.org/Kabul É. ";
    let chars: Vec<char> = text.chars().collect();
    for s in 0..chars.len() {
        for e in s..=chars.len() {
            let t: String = chars[s..e].iter().collect();
            for tag in rec().tag(&t) {
                assert!(tag.start < tag.end && tag.end <= e - s, "{t:?}: {tag:?}");
            }
        }
    }
    assert!(rec().tag("").is_empty());
}

#[test]
fn results_lines_name_teams() {
    // a line of names and scores, no prose: the cities are teams; a country stays a place
    check("Kabul 2 Herat 1", "organisation Kabul\norganisation Herat");
    check(
        "Afghanistan 3 Zorbania 0",
        "place Afghanistan [place:afghanistan]\norganisation Zorbania",
    );
    // in prose a city before a number is still a city
    check("Kabul 2 days later was calm.", "place Kabul [place:kabul]");
}

#[test]
fn event_heads_name_events_over_places() {
    check(
        "He won the Herat Open and then the Kabul Marathon.",
        "event_name Herat Open\nevent_name Kabul Marathon",
    );
}

#[test]
fn initials_and_given_names_make_people() {
    check(
        "The report was written by J. Okonkwo and colleagues.",
        "person J. Okonkwo",
    );
}

#[test]
fn a_text_reads_a_surname_as_its_person_throughout() {
    check(
        "Analyst Tursunbek Qaderov spoke first. Later, Qaderov left the hall.",
        "person Tursunbek Qaderov\nperson Qaderov",
    );
}

#[test]
fn an_unknown_acronym_in_prose_is_a_body() {
    check("Fighters of the ZRQ attacked the post.", "organisation ZRQ");
    // but not among other capitals or beside a number
    check("Output rose to 100 MLN tonnes.", "");
}

#[test]
fn a_blank_line_ends_a_sentence() {
    let toks = annals_know::tokenize::tokenize("TALIBAN ADVANCE\n\nFighters moved");
    let starts: Vec<bool> = toks.iter().map(|t| t.sent_start).collect();
    assert_eq!(starts, vec![true, false, true, false]);
}

#[test]
fn datelines_open_with_a_place() {
    check("HERAT 2021-08-15", "place HERAT [place:herat]");
    check("ZORBAGRAD, March 3", "place ZORBAGRAD");
}

#[test]
fn name_participle_compounds_point_at_the_name() {
    check_with(
        rec(),
        "The Iran-backed militia met Zorbania-based donors.",
        "other Iran-backed [place:iran]\nother Zorbania-based",
        true,
    );
}
