//! The rules use ASCII `\b` for speed: non-ASCII letters next to a match must
//! still behave like Unicode word boundaries, and punctuation like `’` must not.

fn texts(s: &str) -> Vec<String> {
    annals_time::tag(s, Some("1998-08-08"))
        .into_iter()
        .map(|t| t.text)
        .collect()
}

#[test]
fn non_ascii_letter_glued_to_a_name_blocks_it() {
    assert!(texts("They met at the Marché Central.").is_empty());
    assert!(texts("Le Mayé quartet played.").is_empty());
    assert!(texts("Ésunday schedules vary.").is_empty());
}

#[test]
fn curly_apostrophe_and_accents_nearby_are_fine() {
    assert_eq!(texts("Monday’s meeting at the café"), vec!["Monday"]);
    assert_eq!(
        texts("José arrived on May 5, 1998 in Zürich."),
        vec!["May 5, 1998"]
    );
    assert_eq!(texts("«March 1998» was cold."), vec!["March 1998"]);
}
