//! Data-driven tests of note parsing on invented notes in policy style.
use super::*;
use crate::refs::model::names_text;

fn show(it: &CslItem) -> String {
    let mut out = vec![format!("type={}", it.kind)];
    let mut push = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push(format!("{k}={v}"));
        }
    };
    let persons = it.author.iter().all(|a| a.literal.is_none());
    push(
        if persons { "author" } else { "org" },
        (!it.author.is_empty()).then(|| names_text(&it.author)),
    );
    push("title", it.title.clone());
    push("trans", it.original_title.clone());
    push("container", it.container_title.clone());
    push("publisher", it.publisher.clone());
    push("number", it.number.clone());
    push("volume", it.volume.clone());
    push("issue", it.issue.clone());
    push("page", it.page.clone());
    push("event", it.event_title.clone());
    push("date", it.issued.as_ref().and_then(|d| d.iso()));
    push("url", it.url.clone());
    push("accessed", it.accessed.as_ref().and_then(|d| d.iso()));
    out.join(" | ")
}

fn check(note: &str, expect: &[&str], comment: Option<&str>) {
    let (items, c, _) = parse_note(note);
    let got: Vec<String> = items.iter().map(show).collect();
    assert_eq!(got, expect, "\nnote: {note}");
    assert_eq!(c.as_deref(), comment, "\nnote: {note}");
}

#[test]
fn ministry_with_translated_title() {
    check(
        "Ministry of Transport of the Republic of Uzbekistan, ‘Yangi temir yo’l liniyasi ochildi’ [‘A New Railway Line Has Opened’], 3 May 2019, <https://mintrans.example.uz/news/1234>, accessed 2 February 2023.",
        &["type=webpage | org=Ministry of Transport of the Republic of Uzbekistan | title=Yangi temir yo’l liniyasi ochildi | trans=A New Railway Line Has Opened | date=2019-05-03 | url=https://mintrans.example.uz/news/1234 | accessed=2023-02-02"],
        None,
    );
}

#[test]
fn news_outlet_is_the_container() {
    check(
        "Reuters, ‘Kyrgyz Border Clash Leaves Dozens Dead’, 16 September 2022, <https://www.reuters.com/world/asia-pacific/x-2022-09-16/>, accessed 1 October 2022.",
        &["type=article-newspaper | title=Kyrgyz Border Clash Leaves Dozens Dead | container=Reuters | date=2022-09-16 | url=https://www.reuters.com/world/asia-pacific/x-2022-09-16/ | accessed=2022-10-01"],
        None,
    );
}

#[test]
fn persons_and_journal_with_volume_in_brackets() {
    check(
        "Aigerim Sadykova and Tomas Lindqvist, ‘Water Diplomacy on the Syr Darya’, Central Asian Survey (Vol. 31, No. 2, June 2015), pp. 112–130.",
        &["type=article-journal | author=Aigerim Sadykova; Tomas Lindqvist | title=Water Diplomacy on the Syr Darya | container=Central Asian Survey | volume=31 | issue=2 | page=112–130 | date=2015-06"],
        None,
    );
}

#[test]
fn report_series_with_number_and_broken_url_bracket() {
    check(
        "Marta Kowalczyk, ‘Rail Corridors and Their Discontents’, Eastern Studies Working Paper No. 58, 4 April 2021, <<http://example.org/papers/wp58.pdf>, accessed 9 May 2022.",
        &["type=report | author=Marta Kowalczyk | title=Rail Corridors and Their Discontents | container=Eastern Studies Working Paper | number=58 | date=2021-04-04 | url=http://example.org/papers/wp58.pdf | accessed=2022-05-09"],
        None,
    );
}

#[test]
fn commentary_then_see_citation() {
    check(
        "The committee met twice: once in Tashkent; once in Almaty. See Eurasian Development Agency, ‘Annual Review’, 2020, <https://eda.example.org/review2020>, accessed 3 March 2021.",
        &["type=webpage | org=Eurasian Development Agency | title=Annual Review | date=2020 | url=https://eda.example.org/review2020 | accessed=2021-03-03"],
        Some("The committee met twice: once in Tashkent; once in Almaty."),
    );
}

#[test]
fn several_references_separated_by_semicolons() {
    check(
        "Xinhua, ‘Rail Link Opens’, 2 May 2018, <http://example.cn/a>, accessed 1 June 2022; TASS, ‘Talks in Moscow’, 3 May 2018.",
        &[
            "type=article-newspaper | title=Rail Link Opens | container=Xinhua | date=2018-05-02 | url=http://example.cn/a | accessed=2022-06-01",
            "type=article-newspaper | title=Talks in Moscow | container=TASS | date=2018-05-03",
        ],
        None,
    );
}

#[test]
fn speech_with_event() {
    check(
        "Li Wenhao, ‘Building Bridges Across the Steppe’, speech given at the Eurasian Forum, Astana, 12 June 2019.",
        &["type=speech | author=Li Wenhao | title=Building Bridges Across the Steppe | event=speech given at the Eurasian Forum, Astana | date=2019-06-12"],
        None,
    );
}

#[test]
fn pure_commentary_and_interview() {
    check(
        "The figure excludes informal trade, which local traders put at twice as much.",
        &[],
        Some("The figure excludes informal trade, which local traders put at twice as much."),
    );
    check(
        "Author interview, customs official, Khorgos, 2018.",
        &["type=interview | date=2018"],
        Some("Author interview, customs official, Khorgos, 2018."),
    );
}

#[test]
fn cross_reference() {
    let (items, _, r) = parse_note("As discussed in note 12.");
    assert!(items.is_empty());
    assert_eq!(r, Some(12));
}

#[test]
fn short_form_with_family_name() {
    check(
        "Kowalczyk, ‘Rail Corridors and Their Discontents’.",
        &["type=document | author=Kowalczyk | title=Rail Corridors and Their Discontents"],
        None,
    );
}

#[test]
fn dates_in_many_forms() {
    for (s, iso) in [
        ("11 November 2000", "2000-11-11"),
        ("November 11, 2000", "2000-11-11"),
        ("Nov. 2012", "2012-11"),
        ("(1999)", "1999"),
        ("2020-04-05", "2020-04-05"),
    ] {
        assert_eq!(
            parse_date(s).and_then(|d| d.iso()).as_deref(),
            Some(iso),
            "{s}"
        );
    }
    assert!(parse_date("No. 14").is_none());
}

#[test]
fn urls_are_cleaned() {
    assert_eq!(clean_url("<<http://example.org/a>"), "http://example.org/a");
    assert_eq!(
        clean_url("<https://example.org/a_(b)>."),
        "https://example.org/a_(b)"
    );
}

#[test]
fn other_styles_go_to_the_model() {
    // a journal reference in author-date style: the model, not the rules
    let it = parse("Karimova, N. (2014). Cotton and the state in Uzbekistan. Journal of Agrarian Change, 14(2), 233-251.");
    assert_eq!(it.issued.and_then(|d| d.iso()).as_deref(), Some("2014"));
    assert!(
        it.title
            .as_deref()
            .is_some_and(|t| t.starts_with("Cotton and the state")),
        "{:?}",
        it.title
    );
    assert_eq!(it.page.as_deref(), Some("233-251"));
}

#[test]
fn books_in_note_style() {
    check(
        "Timur Dadabaev, Great Games on the Steppe, Revisited (Almaty: Steppe Press, 2016), p. 45.",
        &["type=book | author=Timur Dadabaev | title=Great Games on the Steppe, Revisited | publisher=Steppe Press | page=45 | date=2016"],
        None,
    );
    check(
        "Anna Petrova, Lev Orlov and Kamila Yusupova, Water and Power (London: Hurst, 2019).",
        &["type=book | author=Anna Petrova; Lev Orlov; Kamila Yusupova | title=Water and Power | publisher=Hurst | date=2019"],
        None,
    );
}

#[test]
fn unquoted_title_before_a_bare_url_goes_to_the_model() {
    let (items, c, _) = parse_note("See Nodira Karimova, The Cotton Question, Tashkent Policy Centre, 2019, available at https://tpc.example.uz/cotton.");
    assert_eq!(c, None);
    assert_eq!(items.len(), 1);
    let it = &items[0];
    assert_eq!(it.url.as_deref(), Some("https://tpc.example.uz/cotton"));
    assert_eq!(it.title.as_deref(), Some("The Cotton Question"));
    assert_eq!(names_text(&it.author), "Nodira Karimova");
}
