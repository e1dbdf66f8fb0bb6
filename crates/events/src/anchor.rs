//! Narrative re-anchoring of month dates without a year.
//!
//! Analytical writing tells a story in the past: once a paragraph has said
//! "in 2001", a later "On December 22" or "In July" means that year, not the
//! year of publication (HeidelTime's narrative vs news distinction). The time
//! stage may anchor such a bare month to the document date or leave its year
//! open; this pass gives it the year of the narrative when the same or the
//! previous paragraph of prose states one. "since 1966" bounds a period and
//! does not move the narrative ("earlier that year" after "... since 1966"
//! still means the year told before it).
use annals_model::time::{Timex, TimexType};

/// A time expression with where it stands.
pub(crate) struct Placed<'a> {
    pub tx: &'a Timex,
    /// Ordinal of the prose paragraph it stands in (body, preamble...), or None
    /// for captions and other parts that do not carry the narrative.
    pub para: Option<usize>,
    /// The few words before it in its sentence.
    pub before: String,
}

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Words that tie an expression to the time of writing ("last November").
const DEICTIC: &[&str] = &[
    "last",
    "next",
    "this",
    "ago",
    "past",
    "coming",
    "yesterday",
    "today",
    "tomorrow",
    "recent",
    "recently",
    "now",
    "current",
];

fn year_of(value: &str) -> Option<i32> {
    let y = value.get(..4)?;
    y.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| y.parse().ok())
        .flatten()
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
        .collect()
}

/// A bound, not a point of the story: "since 1966", "until 2014".
fn is_bound(before: &str) -> bool {
    matches!(
        words(before).last().map(String::as_str),
        Some("since" | "until" | "till" | "before")
    )
}

/// New `(value, anchor)` for each item, in the given order (sorted by position).
pub(crate) fn reanchor(items: &[Placed]) -> Vec<(String, Option<String>)> {
    // the narrative year and the paragraph that set it
    let mut narrative: Option<(i32, usize)> = None;
    // the last explicit year, and whether it was a bound ("since 1966")
    let mut last_explicit: Option<(i32, bool)> = None;
    let mut out = Vec::with_capacity(items.len());
    for it in items {
        let t = it.tx;
        let mut value = t.value.clone();
        let mut anchor = t.anchor.clone();
        if t.kind != TimexType::Date {
            out.push((value, anchor));
            continue;
        }
        let near = |para: Option<usize>| match (narrative, para) {
            (Some((y, p)), Some(q)) if q <= p + 1 => Some(y),
            _ => None,
        };
        let w = words(&t.text);
        let has_month = w.iter().any(|x| MONTHS.contains(&x.as_str()));
        let deictic = w.iter().any(|x| DEICTIC.contains(&x.as_str()));
        let a = t.anchor.as_deref().unwrap_or("");
        let month_level = value
            .get(..4)
            .is_some_and(|y| y.bytes().all(|b| b.is_ascii_digit() || b == b'X'))
            && value.as_bytes().get(4) == Some(&b'-')
            && value
                .get(5..7)
                .is_some_and(|m| m.bytes().all(|b| b.is_ascii_digit()));
        if t.anchor.is_none() && year_of(&value).is_some() {
            // an explicit date: moves the narrative unless it only bounds a period
            let bound = is_bound(&it.before);
            let y = year_of(&value).unwrap();
            last_explicit = Some((y, bound));
            if !bound {
                if let Some(p) = it.para {
                    narrative = Some((y, p));
                }
            }
        } else if has_month
            && !deictic
            && month_level
            && (value.starts_with("XXXX") || a.starts_with("dct:") || a.starts_with("guess:"))
        {
            // "On December 22" after "in 2001": the year of the story
            if let Some(y) = near(it.para) {
                value.replace_range(..4, &format!("{y:04}"));
                anchor = Some(format!("narrative:{y:04}"));
            }
        } else if a.starts_with("narrative:") {
            // anchored on a bound ("since 1966"): take the story's year instead
            if let (Some((by, true)), Some(y)) = (last_explicit, near(it.para)) {
                if year_of(&value) == Some(by) && y != by {
                    value.replace_range(..4, &format!("{y:04}"));
                    anchor = Some(format!("narrative:{y:04}"));
                }
            }
        }
        if t.anchor.is_some() && !deictic {
            if let (Some(y), Some(p)) = (year_of(&value), it.para) {
                if !a.starts_with("dct:") && !a.starts_with("guess:") || anchor != t.anchor {
                    narrative = Some((y, p));
                }
            }
        }
        out.push((value, anchor));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use annals_model::Span;

    fn tx(text: &str, value: &str, anchor: Option<&str>) -> Timex {
        Timex {
            doc: "d".into(),
            span: Span::new(1, 0, 1),
            text: text.into(),
            kind: TimexType::Date,
            value: value.into(),
            anchor: anchor.map(String::from),
        }
    }

    fn run(items: &[(Timex, Option<usize>, &str)]) -> Vec<String> {
        let placed: Vec<Placed> = items
            .iter()
            .map(|(t, p, b)| Placed {
                tx: t,
                para: *p,
                before: b.to_string(),
            })
            .collect();
        reanchor(&placed).into_iter().map(|(v, _)| v).collect()
    }

    #[test]
    fn bare_month_takes_the_story_year_not_the_publication_year() {
        let v = run(&[
            (tx("1998", "1998", None), Some(0), "back in "),
            (
                tx("December 22", "2023-12-22", Some("dct:2024-03")),
                Some(0),
                "On ",
            ),
            (tx("July", "XXXX-07", None), Some(1), "In "),
        ]);
        assert_eq!(v, vec!["1998", "1998-12-22", "1998-07"]);
    }

    #[test]
    fn deictic_and_distant_months_are_left_alone() {
        let v = run(&[
            (tx("2010", "2010", None), Some(0), "in "),
            (
                tx("last November", "2023-11", Some("dct:2024-03")),
                Some(0),
                "since ",
            ),
            (tx("in June", "2023-06", Some("dct:2024-03")), Some(3), ""),
            (tx("October", "2023-10", Some("guess:2024-01")), None, "in "),
        ]);
        assert_eq!(v, vec!["2010", "2023-11", "2023-06", "2023-10"]);
    }

    #[test]
    fn a_bound_does_not_move_the_story() {
        let v = run(&[
            (tx("March 2009", "2009-03", None), Some(0), "in "),
            (
                tx("1970", "1970", None),
                Some(0),
                "the first such trip since ",
            ),
            (
                tx("earlier that year", "1970", Some("narrative:1970")),
                Some(1),
                "But ",
            ),
            (tx("In August", "2024-08", Some("dct:2024-09")), Some(1), ""),
        ]);
        assert_eq!(v, vec!["2009-03", "1970", "2009", "2009-08"]);
    }
}
