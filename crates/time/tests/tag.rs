//! Behaviour of the tagger, one readable expectation per case.
//!
//! Each expectation lists the expressions found, in order, as
//! `text=TYPE:value[MOD]@anchor` separated by ` | `; an empty string means none.

use annals_time::tag;

fn render(text: &str, dct: Option<&str>) -> String {
    tag(text, dct)
        .iter()
        .map(|t| {
            let mut s = format!("{}={}:{}", t.text, t.kind.as_str(), t.value);
            if let Some(m) = &t.modifier {
                s.push_str(&format!("[{m}]"));
            }
            if let Some(a) = &t.anchor {
                s.push_str(&format!("@{a}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

#[track_caller]
fn check(text: &str, dct: &str, expect: &str) {
    let dct = (!dct.is_empty()).then_some(dct);
    assert_eq!(
        render(text, dct),
        expect,
        "\n  text: {text}\n  dct: {dct:?}"
    );
}

#[test]
fn absolute_dates() {
    check(
        "The charter was signed on 26 April 1996 in Shanghai.",
        "",
        "26 April 1996=DATE:1996-04-26",
    );
    check(
        "The charter was signed on April 26, 1996.",
        "",
        "April 26, 1996=DATE:1996-04-26",
    );
    check(
        "Beijing hosted the forum in April 2019.",
        "",
        "April 2019=DATE:2019-04",
    );
    check("The corridor was announced in 2014.", "", "2014=DATE:2014");
    check(
        "The memorandum of Nov. 17, 2020 set new quotas.",
        "",
        "Nov. 17, 2020=DATE:2020-11-17",
    );
    check(
        "The attack came on July 31, 2014, at dawn.",
        "",
        "July 31, 2014=DATE:2014-07-31",
    );
    check(
        "It began on September 11, 2001.",
        "",
        "September 11, 2001=DATE:2001-09-11",
    );
    check(
        "A report dated 2019-05-31 was leaked.",
        "",
        "2019-05-31=DATE:2019-05-31",
    );
    check(
        "The 1999/2000 season was the worst.",
        "",
        "1999/2000=DATE:1999/2000",
    );
}

#[test]
fn decades_centuries_seasons_and_parts() {
    check("Militancy grew in the 1990s.", "", "the 1990s=DATE:199X");
    check(
        "Trade boomed in the early 2010s.",
        "",
        "the early 2010s=DATE:201X[START]",
    );
    check(
        "By the mid-2010s the port was idle.",
        "",
        "the mid-2010s=DATE:201X[MID]",
    );
    check(
        "Work stopped in late July 2015.",
        "",
        "late July 2015=DATE:2015-07[END]",
    );
    check(
        "Talks resumed in spring 2019.",
        "",
        "spring 2019=DATE:2019-SP",
    );
    check(
        "Empires fell in the 20th century.",
        "",
        "the 20th century=DATE:19",
    );
    check(
        "Profit rose in the third quarter of 1984.",
        "",
        "the third quarter of 1984=DATE:1984-Q3",
    );
    check(
        "Sales fell at the end of 1994.",
        "",
        "the end of 1994=DATE:1994[END]",
    );
}

#[test]
fn deictic_expressions_use_the_document_date() {
    let dct = "2022-07-31";
    check(
        "Reports from last November said so.",
        dct,
        "last November=DATE:2021-11@dct:2022-07-31",
    );
    check(
        "Earlier this year the embassy closed.",
        dct,
        "Earlier this year=DATE:2022[START]@dct:2022-07-31",
    );
    check(
        "Shipments doubled this month.",
        dct,
        "this month=DATE:2022-07@dct:2022-07-31",
    );
    check(
        "The envoy left yesterday.",
        dct,
        "yesterday=DATE:2022-07-30@dct:2022-07-31",
    );
    check(
        "Talks continue today.",
        dct,
        "today=DATE:2022-07-31@dct:2022-07-31",
    );
    check("The group is now weaker.", dct, "now=DATE:PRESENT_REF");
    check("The group recently split.", dct, "recently=DATE:PAST_REF");
    check(
        "Output fell last year and will rise next year.",
        dct,
        "last year=DATE:2021@dct:2022-07-31 | next year=DATE:2023@dct:2022-07-31",
    );
    check(
        "The base opened two years ago.",
        dct,
        "two years ago=DATE:2020@dct:2022-07-31",
    );
    check(
        "Prices rose last week.",
        dct,
        "last week=DATE:2022-W29@dct:2022-07-31",
    );
}

#[test]
fn weekdays_lean_to_the_past_unless_the_clause_looks_ahead() {
    // 2021-08-25 is a Wednesday.
    let dct = "2021-08-25";
    check(
        "Last Friday a convoy was attacked.",
        dct,
        "Last Friday=DATE:2021-08-20@dct:2021-08-25",
    );
    check(
        "The minister said Monday that talks had failed.",
        dct,
        "Monday=DATE:2021-08-23@dct:2021-08-25",
    );
    check(
        "The delegation will arrive Friday.",
        dct,
        "Friday=DATE:2021-08-27@dct:2021-08-25",
    );
}

#[test]
fn bare_months_lean_to_the_past() {
    let dct = "2022-10-15";
    check(
        "In January the ministry announced a review.",
        dct,
        "January=DATE:2022-01@dct:2022-10-15",
    );
    check(
        "The summit will be held in January.",
        dct,
        "January=DATE:2023-01@dct:2022-10-15",
    );
    check(
        "In November the talks resumed.",
        "2022-10-15",
        "November=DATE:2022-11@dct:2022-10-15",
    );
    check(
        "Dividends are payable Dec. 15.",
        "1989-11-02",
        "Dec. 15=DATE:1989-12-15@dct:1989-11-02",
    );
}

#[test]
fn anaphoric_chains_follow_the_narrative() {
    check(
        "In May 2012, the council met in Beijing. That June, the leaders signed a declaration. Just over a month later, the envoy returned.",
        "",
        "May 2012=DATE:2012-05 | That June=DATE:2012-06@narrative:2012-05 | Just over a month later=DATE:2012-07[MORE_THAN]@narrative:2012-06",
    );
    check(
        "The project was launched in March 2016. The following month, the first convoy left. A year later it stalled.",
        "",
        "March 2016=DATE:2016-03 | The following month=DATE:2016-04@narrative:2016-03 | A year later=DATE:2017@narrative:2016-04",
    );
    check(
        "Xi toured the region in July 2014.\n\nHe returned that September and, in the same year, opened a fund.",
        "",
        "July 2014=DATE:2014-07 | that September=DATE:2014-09@narrative:2014-07 | the same year=DATE:2014@narrative:2014-09",
    );
    check(
        "By May 2015 the dam was finished. In July the first turbines ran.",
        "",
        "May 2015=DATE:2015-05 | July=DATE:2015-07@narrative:2015-05",
    );
}

#[test]
fn durations() {
    check(
        "The war lasted two decades.",
        "",
        "two decades=DURATION:P20Y",
    );
    check("It ended a 21-year presence.", "", "21-year=DURATION:P21Y");
    check(
        "Attacks rose over the past decade.",
        "",
        "the past decade=DURATION:P10Y",
    );
    check(
        "The talks took five months.",
        "",
        "five months=DURATION:P5M",
    );
    check(
        "The siege lasted 5 1/2 hours.",
        "",
        "5 1/2 hours=DURATION:PT5H30M",
    );
    check(
        "It took several years to build.",
        "",
        "several years=DURATION:PXY",
    );
    check(
        "He was held for more than three weeks.",
        "",
        "more than three weeks=DURATION:P3W[MORE_THAN]",
    );
    check("A 44-year-old man was arrested.", "", "");
}

#[test]
fn sets() {
    check("The forum meets every year.", "", "every year=SET:P1Y");
    check("The report is published annually.", "", "annually=SET:P1Y");
    check("Patrols run daily.", "", "daily=SET:P1D");
}

#[test]
fn times_of_day() {
    check(
        "The bomb exploded at 10:35 a.m. Friday.",
        "1998-08-08",
        "10:35 a.m. Friday=TIME:1998-08-07T10:35@dct:1998-08-08",
    );
}

#[test]
fn quarters_and_year_ago_comparisons() {
    check(
        "Net income fell in the third quarter, compared with $4 million a year ago.",
        "1989-10-26",
        "the third quarter=DATE:1989-Q3@dct:1989-10-26 | a year ago=DATE:1988-Q3@dct:1989-10-26",
    );
}

#[test]
fn numbers_that_are_not_years() {
    check("The bid was $2015 per share.", "", "");
    check("About 2,000 people fled.", "", "");
    check("Some 2000 troops crossed the border.", "", "");
    check("Huawei sold 5G gear.", "", "");
    check("Under Resolution 2178 states must act.", "", "");
}

#[test]
fn words_that_are_not_months() {
    check("May God protect them, he said.", "", "");
    check("Protesters march on the capital.", "", "");
    check("They may march again.", "", "");
}

#[test]
fn event_names_and_labelled_years() {
    // "9/11" names an event, not a date: left to the entity stage.
    check("After 9/11 the alliance changed.", "", "");
    // An exercise named with its year still dates it.
    check(
        "The Vostok-2018 exercise was the largest.",
        "",
        "2018=DATE:2018",
    );
}

#[test]
fn no_anchor_leaves_values_underspecified() {
    check("Last year the mission ended.", "", "Last year=DATE:XXXX");
    check(
        "Two years ago the mission ended.",
        "",
        "Two years ago=DATE:PAST_REF",
    );
}
