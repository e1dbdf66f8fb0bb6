//! The patterns: one regex per family of expressions, each with a normaliser that
//! turns its captures into a TIMEX3 value given the document time and the
//! narrative's current time. Regexes are compiled once; every rule runs over the
//! whole text and the tagger keeps the leftmost-longest non-overlapping matches.

use crate::calendar::{
    civil_from_days, days_from_civil, days_in_month, weekday, Point, Season, Unit,
};
use crate::lexicon::*;
use annals_model::time::TimexType;
use regex::{Captures, Regex};
use std::sync::LazyLock;

/// Everything a normaliser may look at besides its captures.
pub(crate) struct Ctx<'a> {
    /// Document creation time and its label (`dct`, `guess`).
    pub dct: Option<(Point, &'a str)>,
    /// The narrative's current time: the last calendar date the text mentioned.
    pub narrative: Option<Point>,
    /// The narrative time was set by an expression naming its year, close by
    /// (same paragraph or within two sentences): bare months take its year.
    pub recent: bool,
    /// The sentence speaks of the future (`will`, `next`, `is scheduled`).
    pub future: bool,
    /// The last fiscal quarter the text named: `a year ago` in an earnings report means that quarter a year before.
    pub quarter: Option<Point>,
    /// The sentence reads as past narration (`said`, `was`, `had`) near the match.
    pub past: bool,
    /// The whole text and the match's byte range, for context checks.
    pub text: &'a str,
    /// Byte start of the match.
    pub start: usize,
    /// Byte end of the match.
    pub end: usize,
}

impl Ctx<'_> {
    /// The anchor for deictic expressions: the document time, else the narrative time.
    fn deictic(&self) -> Option<(Point, String)> {
        if let Some((p, label)) = self.dct {
            return Some((p, format!("{label}:{p}")));
        }
        self.narrative.map(|p| (p, format!("narrative:{p}")))
    }

    /// The anchor for anaphoric expressions: the narrative time, else the document time.
    fn story(&self) -> Option<(Point, String)> {
        if let Some(p) = self.narrative {
            return Some((p, format!("narrative:{p}")));
        }
        self.dct.map(|(p, label)| (p, format!("{label}:{p}")))
    }

    /// The word before the match, lowercased.
    fn prev_word(&self) -> String {
        let before = self.text[..self.start].trim_end();
        let w: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '.' || *c == '-' || *c == '$')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        w.to_lowercase()
    }

    /// The word after the match, lowercased.
    fn next_word(&self) -> String {
        let after = self.text[self.end..].trim_start();
        after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '%')
            .collect::<String>()
            .to_lowercase()
    }

    fn char_before(&self) -> Option<char> {
        self.text[..self.start].chars().next_back()
    }

    fn char_after(&self) -> Option<char> {
        self.text[self.end..].chars().next()
    }

    /// Year for a month (and day) with no year written: the narrative's when it
    /// was just set by an expression writing its year, else the one around the
    /// document date. Reporting text leans to the past (a bare `January` read in
    /// October is the January before), except for a date at most two months
    /// ahead (`payable Dec. 15`), or when the clause speaks of the future.
    fn year_for_month(&self, m: u8, day: Option<u8>) -> Option<(i32, String)> {
        if self.recent {
            if let Some(n) = self.narrative {
                if !matches!(n, Point::Century(_) | Point::Decade(_)) {
                    return Some((n.year(), format!("narrative:{n}")));
                }
            }
        }
        if let Some((d, label)) = self.dct {
            let y = d.year();
            let y = match (d, day) {
                (Point::Day(_, dm, dd), Some(day)) => {
                    let here = days_from_civil(y, dm, dd);
                    let this = days_from_civil(y, m, day.min(days_in_month(y, m)));
                    if this <= here {
                        let next = days_from_civil(y + 1, m, day.min(days_in_month(y + 1, m)));
                        if self.future && !self.past && next - here <= 330 {
                            y + 1
                        } else {
                            y
                        }
                    } else if this - here <= 62 || (self.future && !self.past) {
                        y
                    } else {
                        y - 1
                    }
                }
                _ => match d.month() {
                    Some(dm) if m > dm => {
                        if !self.past && (self.future || m - dm <= 2) {
                            y
                        } else {
                            y - 1
                        }
                    }
                    Some(dm) if m < dm && self.future && !self.past => y + 1,
                    _ => y,
                },
            };
            return Some((y, format!("{label}:{d}")));
        }
        self.narrative.map(|n| (n.year(), format!("narrative:{n}")))
    }
}

/// A normalised expression.
#[derive(Debug, Clone)]
pub(crate) struct Norm {
    pub kind: TimexType,
    pub value: String,
    pub anchor: Option<String>,
    /// The calendar point, for DATEs: becomes the narrative time.
    pub point: Option<Point>,
    /// The expression writes its year (`May 2015`), so bare months after it take that year.
    pub explicit: bool,
    /// TIMEX3 mod (START, MID, END, APPROX, MORE_THAN...).
    pub modifier: Option<&'static str>,
    /// Bytes to drop from the start of the match (`for years` → `years`).
    pub trim: usize,
    /// Becomes the narrative time (comparisons such as `year-earlier` do not).
    pub sticky: bool,
}

impl Norm {
    fn date(p: Point, anchor: Option<String>) -> Norm {
        Norm {
            kind: TimexType::Date,
            value: p.to_string(),
            anchor,
            point: Some(p),
            explicit: false,
            modifier: None,
            trim: 0,
            sticky: true,
        }
    }

    fn absolute(p: Point) -> Norm {
        Norm {
            explicit: true,
            ..Norm::date(p, None)
        }
    }

    fn plain(kind: TimexType, value: impl Into<String>) -> Norm {
        Norm {
            kind,
            value: value.into(),
            anchor: None,
            point: None,
            explicit: false,
            modifier: None,
            trim: 0,
            sticky: true,
        }
    }

    fn with_mod(mut self, m: Option<&'static str>) -> Norm {
        if m.is_some() {
            self.modifier = m;
        }
        self
    }
}

type Handler = fn(&Captures, &Ctx) -> Option<Norm>;

/// One pattern and its normaliser.
pub(crate) struct Rule {
    pub name: &'static str,
    pub re: Regex,
    pub handle: Handler,
}

fn g<'t>(c: &Captures<'t>, name: &str) -> Option<&'t str> {
    c.name(name).map(|m| m.as_str())
}

fn mod_of(word: Option<&str>) -> Option<&'static str> {
    let w = word?.to_ascii_lowercase();
    let w = w.trim_start_matches("the ").trim();
    Some(match w {
        s if s.starts_with("early")
            || s.starts_with("earlier")
            || s.starts_with("beginning")
            || s.starts_with("start") =>
        {
            "START"
        }
        s if s.starts_with("mid") || s.starts_with("middle") => "MID",
        s if s.starts_with("late") || s.starts_with("end") => "END",
        _ => return None,
    })
}

fn year_of(s: &str) -> Option<i32> {
    s.trim().parse().ok()
}

fn valid_day(y: i32, m: u8, d: u8) -> bool {
    (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
}

// ---- absolute dates -------------------------------------------------------

fn h_full_date(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let m = month_num(g(c, "mon")?)?;
    let d: u8 = g(c, "day")?.parse().ok()?;
    if let Some(y) = g(c, "year").and_then(year_of) {
        return valid_day(y, m, d).then(|| Norm::absolute(Point::Day(y, m, d)));
    }
    if !(1..=31).contains(&d) {
        return None;
    }
    match ctx.year_for_month(m, Some(d)) {
        Some((y, a)) if valid_day(y, m, d) => Some(Norm::date(Point::Day(y, m, d), Some(a))),
        Some(_) => None,
        None => Some(Norm::plain(TimexType::Date, format!("XXXX-{m:02}-{d:02}"))),
    }
}

fn h_month(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let word = g(c, "mon")?;
    let m = month_num(word)?;
    let md = mod_of(g(c, "mod").or(g(c, "pos")));
    if let Some(y) = g(c, "year").and_then(year_of) {
        return Some(Norm::absolute(Point::Month(y, m)).with_mod(md));
    }
    // A bare month name: abbreviations need their dot, and names that are also
    // words or given names (May, March, June, April, August) need a cue before them.
    let bare_abbrev = word.len() <= 4
        && !word.ends_with('.')
        && !word.eq_ignore_ascii_case("may")
        && !word.eq_ignore_ascii_case("june")
        && !word.eq_ignore_ascii_case("july");
    if bare_abbrev {
        return None;
    }
    let ambiguous = matches!(
        word.to_ascii_lowercase().as_str(),
        "may" | "march" | "june" | "april" | "august"
    );
    if ambiguous && md.is_none() && !MONTH_CUES.contains(&ctx.prev_word().as_str()) {
        return None;
    }
    if word.chars().all(|ch| ch.is_ascii_uppercase())
        && ctx.next_word().chars().any(|ch| ch.is_lowercase())
    {
        // "MARCH" in a headline is fine, but keep all-caps only with a cue too
        if !MONTH_CUES.contains(&ctx.prev_word().as_str()) {
            return None;
        }
    }
    Some(match ctx.year_for_month(m, None) {
        Some((y, a)) => Norm::date(Point::Month(y, m), Some(a)).with_mod(md),
        None => Norm::plain(TimexType::Date, format!("XXXX-{m:02}")).with_mod(md),
    })
}

fn h_iso(c: &Captures, _ctx: &Ctx) -> Option<Norm> {
    let y = year_of(g(c, "y")?)?;
    let m: u8 = g(c, "m")?.parse().ok()?;
    let d: u8 = g(c, "d")?.parse().ok()?;
    valid_day(y, m, d).then(|| Norm::absolute(Point::Day(y, m, d)))
}

fn h_numeric(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let m: u8 = g(c, "m")?.parse().ok()?;
    let d: u8 = g(c, "d")?.parse().ok()?;
    let ys = g(c, "y")?;
    let mut y: i32 = ys.parse().ok()?;
    if ys.len() == 2 {
        y += if y > 30 { 1900 } else { 2000 };
    }
    if matches!(ctx.char_after(), Some('/')) {
        return None;
    }
    valid_day(y, m, d).then(|| Norm::absolute(Point::Day(y, m, d)))
}

fn h_year_range(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let y1 = year_of(g(c, "y1")?)?;
    let y2s = g(c, "y2")?;
    let y2 = if y2s.len() == 2 {
        y1 / 100 * 100 + y2s.parse::<i32>().ok()?
    } else {
        y2s.parse().ok()?
    };
    if y2 != y1 + 1 || matches!(ctx.char_after(), Some('/')) {
        return None;
    }
    Some(Norm {
        value: format!("{y1}/{y2}"),
        explicit: true,
        ..Norm::date(Point::Year(y1), None)
    })
}

fn h_decade(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let md = mod_of(g(c, "mod"));
    let dec = if let Some(d) = g(c, "dec") {
        d.parse::<i32>().ok()? / 10
    } else if let Some(d2) = g(c, "d2") {
        let v: i32 = d2.parse().ok()?;
        // '90s: the century of the document, or the last century for decades still ahead.
        let cy = ctx.dct.map(|(p, _)| p.year()).unwrap_or(2000);
        let base = cy / 100 * 100;
        (if base + v > cy {
            base - 100 + v
        } else {
            base + v
        }) / 10
    } else {
        g(c, "the")?;
        const W: [&str; 8] = [
            "twenties",
            "thirties",
            "forties",
            "fifties",
            "sixties",
            "seventies",
            "eighties",
            "nineties",
        ];
        let w = g(c, "word")?.to_ascii_lowercase();
        let i = W.iter().position(|x| *x == w)? as i32;
        if ctx.prev_word() == "their" || ctx.prev_word() == "his" || ctx.prev_word() == "her" {
            return None;
        }
        190 + 2 + i
    };
    Some(
        Norm {
            explicit: true,
            ..Norm::date(Point::Decade(dec), None)
        }
        .with_mod(md),
    )
}

fn h_century(c: &Captures, _ctx: &Ctx) -> Option<Norm> {
    let n: i32 = if let Some(n) = g(c, "n") {
        n.parse().ok()?
    } else {
        match g(c, "w")?.to_ascii_lowercase().replace(' ', "-").as_str() {
            "seventeenth" => 17,
            "eighteenth" => 18,
            "nineteenth" => 19,
            "twentieth" => 20,
            "twenty-first" => 21,
            _ => return None,
        }
    };
    Some(
        Norm {
            explicit: true,
            ..Norm::date(Point::Century(n - 1), None)
        }
        .with_mod(mod_of(g(c, "mod"))),
    )
}

fn h_season(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let s = season(g(c, "s")?)?;
    let md = mod_of(g(c, "mod"));
    if let Some(y) = g(c, "year").and_then(year_of) {
        return Some(Norm::absolute(Point::Season(y, s)).with_mod(md));
    }
    let rel = g(c, "rel").map(|r| {
        r.to_ascii_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let rel = rel.as_deref();
    if rel.is_none() || (g(c, "s")?.eq_ignore_ascii_case("fall") && rel == Some("the")) {
        return None;
    }
    let point_rel = |anchor: Point, dir: i32| -> Point {
        let am = anchor.month().unwrap_or(7);
        let y = anchor.year();
        let cur = Season::of_month(am) == s;
        match dir {
            -1 if cur || s.mid_month() > am => Point::Season(y - 1, s),
            1 if cur || s.mid_month() < am => Point::Season(y + 1, s),
            _ => Point::Season(y, s),
        }
    };
    let (p, a) = match rel {
        Some("last") | Some("this past") => {
            let (d, a) = ctx.deictic()?;
            (point_rel(d, -1), a)
        }
        Some("next") | Some("this coming") => {
            let (d, a) = ctx.deictic()?;
            (point_rel(d, 1), a)
        }
        Some("this") => {
            let (d, a) = ctx.deictic()?;
            (Point::Season(d.year(), s), a)
        }
        _ => {
            let (n, a) = ctx.story()?;
            (Point::Season(n.year(), s), a)
        }
    };
    Some(Norm::date(p, Some(a)).with_mod(md))
}

fn ordinal(w: &str) -> Option<u8> {
    Some(match w.to_ascii_lowercase().as_str() {
        "first" | "1st" => 1,
        "second" | "2nd" => 2,
        "third" | "3rd" => 3,
        "fourth" | "4th" | "final" | "last" => 4,
        _ => return None,
    })
}

fn h_quarter(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let mut q = ordinal(g(c, "ord")?)?;
    let half = g(c, "u")?.to_ascii_lowercase().starts_with("half");
    if half && q > 2 {
        if g(c, "ord")?.eq_ignore_ascii_case("last") {
            q = 2;
        } else {
            return None;
        }
    }
    let det = g(c, "det")
        .map(|d| d.to_ascii_lowercase())
        .unwrap_or_default();
    let adj = g(c, "adj")
        .map(|d| d.to_ascii_lowercase())
        .unwrap_or_default();
    let explicit = g(c, "y2").or(g(c, "y1")).or(g(c, "y3")).and_then(year_of);
    let (y, anchor) = if let Some(y) = explicit {
        (y, None)
    } else if det.starts_with("this year") || det.starts_with("last year") {
        let (d, a) = ctx.deictic()?;
        (d.year(), Some(a))
    } else if let Some((n, a)) = ctx
        .narrative
        .filter(|_| ctx.recent)
        .map(|n| (n, format!("narrative:{n}")))
    {
        (n.year(), Some(a))
    } else if let Some((d, a)) = ctx.deictic() {
        (d.year(), Some(a))
    } else {
        return Some(Norm::plain(
            TimexType::Date,
            format!("XXXX-{}{q}", if half { "H" } else { "Q" }),
        ));
    };
    let back =
        i32::from(det.starts_with("last year") || adj.starts_with("year-") || adj == "prior-year");
    let p = if half {
        Point::Half(y - back, q)
    } else {
        Point::Quarter(y - back, q)
    };
    Some(Norm {
        explicit: explicit.is_some(),
        sticky: back == 0,
        ..Norm::date(p, anchor)
    })
}

/// The quarter a report published at `d` most likely speaks of: the last complete one.
fn latest_quarter(d: Point) -> Point {
    match d {
        Point::Quarter(..) => d,
        _ => match d.month() {
            Some(_) => d.at(Unit::Quarter).shift(Unit::Quarter, -1),
            None => d,
        },
    }
}

fn h_period(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let adj = g(c, "adj").unwrap_or("").to_ascii_lowercase();
    let unit = g(c, "u").unwrap_or("period").to_ascii_lowercase();
    let narrative_q = ctx.quarter;
    let base = || -> Option<(Point, String)> {
        if let Some(n) = narrative_q {
            return Some((n, format!("narrative:{n}")));
        }
        let (d, a) = ctx.deictic()?;
        Some((latest_quarter(d), a))
    };
    if let Ok(y) = adj.parse::<i32>() {
        return Some(match narrative_q {
            Some(Point::Quarter(_, q)) if unit == "quarter" => Norm::absolute(Point::Quarter(y, q)),
            _ => Norm::absolute(Point::Year(y)),
        });
    }
    let (p, a) = match adj.as_str() {
        "current" | "this" => {
            let (d, a) = ctx.deictic()?;
            (
                if unit == "year" {
                    d.at(Unit::Year)
                } else {
                    d.at(Unit::Quarter)
                },
                a,
            )
        }
        "year-ago" | "year-earlier" | "prior-year" => {
            let (b, a) = base()?;
            (b.shift(Unit::Year, -1), a)
        }
        _ => base()?,
    };
    if unit == "period" && !matches!(p, Point::Quarter(..)) && adj.is_empty() {
        return None;
    }
    Some(Norm {
        sticky: !adj.starts_with("year-") && adj != "prior-year",
        ..Norm::date(p, Some(a))
    })
}

fn h_year(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let y = year_of(g(c, "year")?)?;
    // Amounts and labels that look like years: $2015, 2015.5, 2,015, 2000 people, Resolution 2178.
    if let Some(ch) = ctx.char_before() {
        if matches!(
            ch,
            '$' | '£' | '€' | '¥' | '#' | '.' | ',' | '/' | ':' | '+' | '№'
        ) || ch.is_alphanumeric()
        {
            return None;
        }
    }
    if let Some(ch) = ctx.char_after() {
        if matches!(ch, '%' | '/' | ':') || ch.is_alphanumeric() && ch != 's' {
            return None;
        }
        let rest = &ctx.text[ctx.end..];
        let mut it = rest.chars();
        if matches!(it.next(), Some('.' | ',')) && it.next().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        if ch == '-'
            && rest[1..].chars().next().is_some_and(|c| c.is_ascii_digit())
            && !rest[1..].starts_with(['0', '1', '2'])
        {
            return None;
        }
    }
    let explicit_pre = g(c, "mod").is_some() || g(c, "pos").is_some() || g(c, "fiscal").is_some();
    if !explicit_pre {
        let pw = ctx.prev_word();
        if NO_YEAR_BEFORE.contains(pw.as_str()) || pw.ends_with('$') {
            return None;
        }
        if COUNT_NOUNS.contains(ctx.next_word().as_str()) {
            return None;
        }
    }
    let pos = g(c, "pos").map(|p| p.to_ascii_lowercase());
    let p = match pos.as_deref() {
        Some(p) if p.contains("first half") => Point::Half(y, 1),
        Some(p) if p.contains("second half") => Point::Half(y, 2),
        Some(p) => match p.split_whitespace().nth(1).and_then(season) {
            Some(s) => Point::Season(y, s),
            None => Point::Year(y),
        },
        None => Point::Year(y),
    };
    let md = if matches!(p, Point::Year(_)) {
        mod_of(g(c, "mod").or(pos.as_deref()))
    } else {
        None
    };
    Some(Norm::absolute(p).with_mod(md))
}

// ---- relative dates ------------------------------------------------------------

fn weekday_from(anchor: Point, wd: u8, dir: i32) -> Option<Point> {
    let Point::Day(y, m, d) = anchor else {
        return None;
    };
    let awd = i32::from(weekday(y, m, d));
    let wd = i32::from(wd);
    let days = days_from_civil(y, m, d);
    let delta = match dir {
        // on or before the anchor
        0 => -((awd - wd).rem_euclid(7)),
        // strictly before
        -1 => {
            let k = (awd - wd).rem_euclid(7);
            -(if k == 0 { 7 } else { k })
        }
        // strictly after
        _ => {
            let k = (wd - awd).rem_euclid(7);
            if k == 0 {
                7
            } else {
                k
            }
        }
    };
    let (ny, nm, nd) = civil_from_days(days + i64::from(delta));
    Some(Point::Day(ny, nm, nd))
}

fn pod_code(w: Option<&str>) -> Option<&'static str> {
    Some(match w?.to_ascii_lowercase().as_str() {
        "morning" => "MO",
        "afternoon" => "AF",
        "evening" => "EV",
        "night" => "NI",
        _ => return None,
    })
}

fn h_weekday(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let wd = weekday_num(g(c, "wd")?)?;
    let pod = pod_code(g(c, "pod"));
    let md = mod_of(g(c, "mod"));
    let anchor = match ctx.dct {
        Some((p @ Point::Day(..), label)) => Some((p, format!("{label}:{p}"))),
        _ => ctx
            .narrative
            .filter(|n| n.is_day())
            .map(|n| (n, format!("narrative:{n}"))),
    };
    let Some((a, label)) = anchor else {
        return Some(Norm::plain(TimexType::Date, format!("XXXX-WXX-{}", wd + 1)).with_mod(md));
    };
    let p = weekday_from(a, wd, if ctx.future && !ctx.past { 1 } else { 0 })?;
    let n = Norm::date(p, Some(label)).with_mod(md);
    // The part of day stays out of the value: newswire gold mostly gives the day alone.
    let _ = pod;
    Some(n)
}

fn h_deictic(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let rel = g(c, "rel")?.to_ascii_lowercase();
    let rel = rel.split_whitespace().collect::<Vec<_>>().join(" ");
    let dir = match rel.as_str() {
        "last" | "this past" | "past" => -1,
        "next" | "coming" | "this coming" => 1,
        _ => 0,
    };
    let md = mod_of(g(c, "mod"));
    let u = g(c, "u")?;
    let lu = u.to_ascii_lowercase();
    let Some((d, a)) = ctx.deictic() else {
        return Some(Norm::plain(TimexType::Date, underspecified(&lu)).with_mod(md));
    };
    let p = if let Some(m) = month_num(&lu).filter(|_| lu.len() >= 3 && lu != "mar" && lu != "sun")
    {
        let y = d.year();
        match (dir, d.month()) {
            (-1, Some(dm)) => Point::Month(if m < dm { y } else { y - 1 }, m),
            (1, Some(dm)) => Point::Month(if m > dm { y } else { y + 1 }, m),
            (-1, None) => Point::Month(y - 1, m),
            (1, None) => Point::Month(y + 1, m),
            _ => Point::Month(y, m),
        }
    } else if let Some(wd) = weekday_num(&lu) {
        match weekday_from(d, wd, if dir == 0 { 1 } else { dir }) {
            Some(p) => p,
            None => return Some(Norm::plain(TimexType::Date, format!("XXXX-WXX-{}", wd + 1))),
        }
    } else if let Some(s) = season(&lu) {
        let am = d.month().unwrap_or(7);
        let y = d.year();
        let cur = Season::of_month(am) == s;
        match dir {
            -1 if cur || s.mid_month() > am => Point::Season(y - 1, s),
            1 if cur || s.mid_month() < am => Point::Season(y + 1, s),
            _ => Point::Season(y, s),
        }
    } else {
        match lu.as_str() {
            "year" => Point::Year(d.year() + dir),
            "month" => {
                if d.month().is_none() {
                    return Some(Norm::plain(TimexType::Date, format!("{}-XX", d.year())));
                }
                d.at(Unit::Month).shift(Unit::Month, dir)
            }
            "week" | "weekend" => {
                if !d.is_day() {
                    return Some(Norm::plain(TimexType::Date, format!("{}-WXX", d.year())));
                }
                let w = d.at(Unit::Week).shift(Unit::Week, dir);
                if lu == "weekend" {
                    let mut n = Norm::date(w, Some(a)).with_mod(md);
                    n.value = format!("{w}-WE");
                    return Some(n);
                }
                w
            }
            "quarter" => {
                d.month()?;
                d.at(Unit::Quarter).shift(Unit::Quarter, dir)
            }
            "decade" => Point::Decade(d.year().div_euclid(10) + dir),
            "century" => Point::Century(d.year().div_euclid(100) + dir),
            _ => return None,
        }
    };
    Some(Norm::date(p, Some(a)).with_mod(md))
}

fn h_anaphoric(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let det = g(c, "det")?.to_ascii_lowercase();
    let dir = if det.contains("following") || det.contains("next") || det.contains("after") {
        1
    } else if det.contains("previous")
        || det.contains("prior")
        || det.contains("preceding")
        || det.contains("before")
    {
        -1
    } else {
        0
    };
    let md = mod_of(g(c, "adv"));
    let lu = g(c, "u")?.to_ascii_lowercase();
    let Some((n, a)) = ctx.story() else {
        return Some(Norm::plain(TimexType::Date, underspecified(&lu)).with_mod(md));
    };
    let p = if let Some(m) = month_num(&lu).filter(|_| lu.len() >= 3) {
        let y = n.year();
        match (dir, n.month()) {
            (-1, Some(nm)) => Point::Month(if m < nm { y } else { y - 1 }, m),
            (1, Some(nm)) => Point::Month(if m > nm { y } else { y + 1 }, m),
            // "that June" after "May 2012": the June of that year.
            _ => Point::Month(y, m),
        }
    } else if let Some(wd) = weekday_num(&lu) {
        weekday_from(n, wd, if dir == 0 { 0 } else { dir })?
    } else if let Some(s) = season(&lu) {
        Point::Season(n.year() + dir, s)
    } else {
        match lu.as_str() {
            "year" => Point::Year(n.year() + dir),
            "month" => {
                n.month()?;
                n.at(Unit::Month).shift(Unit::Month, dir)
            }
            "week" => {
                if !n.is_day() {
                    return None;
                }
                n.at(Unit::Week).shift(Unit::Week, dir)
            }
            "day" => {
                if !n.is_day() {
                    return None;
                }
                n.shift(Unit::Day, dir)
            }
            _ => return None,
        }
    };
    Some(Norm::date(p, Some(a)).with_mod(md))
}

fn h_relday(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let w = g(c, "w")?.to_ascii_lowercase();
    let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
    let pod = pod_code(g(c, "pod"));
    let md = mod_of(g(c, "mod"));
    let shift = match w.as_str() {
        "yesterday" => -1,
        "tomorrow" => 1,
        "the day before yesterday" => -2,
        "the day after tomorrow" => 2,
        _ => 0,
    };
    let anchor = match ctx.dct {
        Some((p @ Point::Day(..), label)) => Some((p, format!("{label}:{p}"))),
        _ => ctx
            .narrative
            .filter(|n| n.is_day() && shift != 0)
            .map(|n| (n, format!("narrative:{n}"))),
    };
    let Some((d, a)) = anchor else {
        return Some(if shift == 0 {
            Norm::plain(TimexType::Date, "PRESENT_REF")
        } else {
            Norm::plain(TimexType::Date, "XXXX-XX-XX")
        });
    };
    let p = d.shift(Unit::Day, shift);
    let mut n = Norm::date(p, Some(a)).with_mod(md);
    if let Some(pc) = pod {
        n.value = format!("{p}T{pc}");
        n.kind = TimexType::Time;
    }
    Some(n)
}

fn h_this_pod(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let pc = pod_code(g(c, "pod"))?;
    let Some((p @ Point::Day(..), label)) = ctx.dct else {
        return Some(Norm::plain(TimexType::Time, format!("XXXX-XX-XXT{pc}")));
    };
    Some(Norm {
        kind: TimexType::Time,
        value: format!("{p}T{pc}"),
        ..Norm::date(p, Some(format!("{label}:{p}")))
    })
}

fn h_ref(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let w = c.get(0)?.as_str().to_ascii_lowercase();
    let value = if w.contains("past") || w == "recently" || w == "lately" || w == "recent" {
        if w == "the past" && !matches!(ctx.prev_word().as_str(), "in" | "than" | "of") {
            return None;
        }
        "PAST_REF"
    } else if w.contains("future")
        || w == "soon"
        || w.contains("term")
        || w.starts_with("the coming")
    {
        "FUTURE_REF"
    } else {
        "PRESENT_REF"
    };
    Some(Norm::plain(TimexType::Date, value))
}

fn h_time(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let (mut h, min): (u32, u32) = if let Some(nm) = g(c, "nm") {
        (
            if nm.eq_ignore_ascii_case("noon") {
                12
            } else {
                24
            },
            0,
        )
    } else {
        (
            g(c, "h")?.parse().ok()?,
            g(c, "min").map(|m| m.parse().unwrap_or(0)).unwrap_or(0),
        )
    };
    if let Some(ap) = g(c, "ap") {
        let pm = ap.to_ascii_lowercase().starts_with('p');
        if h > 12 || h == 0 {
            return None;
        }
        if pm && h < 12 {
            h += 12;
        }
        if !pm && h == 12 {
            h = 0;
        }
    }
    let day_word = g(c, "wd").map(|w| w.to_ascii_lowercase());
    let anchor = match ctx.dct {
        Some((p @ Point::Day(..), label)) => Some((p, format!("{label}:{p}"))),
        _ => ctx
            .narrative
            .filter(|n| n.is_day())
            .map(|n| (n, format!("narrative:{n}"))),
    };
    let tstr = if h == 24 {
        "24:00".to_string()
    } else {
        format!("{h:02}:{min:02}")
    };
    let Some((d, a)) = anchor else {
        return Some(Norm::plain(TimexType::Time, format!("XXXX-XX-XXT{tstr}")));
    };
    let day = match day_word.as_deref() {
        Some("yesterday") => d.shift(Unit::Day, -1),
        Some("tomorrow") => d.shift(Unit::Day, 1),
        Some(w) => match weekday_num(w) {
            Some(wd) => weekday_from(d, wd, if ctx.future && !ctx.past { 1 } else { 0 })?,
            None => d,
        },
        None => ctx.narrative.filter(|n| n.is_day()).unwrap_or(d),
    };
    Some(Norm {
        kind: TimexType::Time,
        value: format!("{day}T{tstr}"),
        point: None,
        ..Norm::date(day, Some(a))
    })
}

fn fmt_qty(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round() as i64)
    } else {
        format!("{v}")
    }
}

/// TIMEX3 duration value of `n` units (`P2Y`, `PT5H30M`, `PXM`).
fn duration_value(q: Qty, unit_word: &str) -> Option<String> {
    let (_, mult, letter) = unit(unit_word)?;
    let Qty::Exact(n) = q else {
        let l = match unit_word.to_ascii_lowercase().trim_end_matches('s') {
            "decade" => "DE",
            "century" | "centurie" => "CE",
            "quarter" => "Q",
            _ => letter,
        };
        return Some(if let Some(t) = l.strip_prefix('T') {
            format!("PTX{t}")
        } else {
            format!("PX{l}")
        });
    };
    let total = n * mult;
    let frac = total - total.trunc();
    let main = total.trunc();
    let sub = match letter {
        "Y" if frac > 0.0 => Some(format!("{}M", (frac * 12.0).round() as i64)),
        "M" if frac > 0.0 => Some(format!("{}D", (frac * 30.0).round() as i64)),
        "D" if frac > 0.0 => Some(format!("T{}H", (frac * 24.0).round() as i64)),
        "TH" if frac > 0.0 => Some(format!("{}M", (frac * 60.0).round() as i64)),
        _ => None,
    };
    if frac > 0.0 && sub.is_none() {
        return Some(format!("P{}{letter}", fmt_qty(total)));
    }
    let head = if main > 0.0 {
        fmt_qty(main)
    } else {
        String::new()
    };
    Some(match letter.strip_prefix('T') {
        Some(t) => {
            if head.is_empty() {
                format!("PT{}", sub.unwrap_or_default())
            } else {
                format!("PT{head}{t}{}", sub.unwrap_or_default())
            }
        }
        None => {
            if head.is_empty() {
                format!("P{}", sub.unwrap_or_default())
            } else {
                format!("P{head}{letter}{}", sub.unwrap_or_default())
            }
        }
    })
}

fn duration_mod(pre: Option<&str>) -> Option<&'static str> {
    let p = pre?.to_ascii_lowercase();
    Some(if p.contains("more than") || p.contains("over") {
        "MORE_THAN"
    } else if p.contains("less than")
        || p.contains("fewer than")
        || p.contains("under")
        || p.contains("almost")
    {
        "LESS_THAN"
    } else if p.contains("at least") {
        "EQUAL_OR_MORE"
    } else if p.contains("up to") || p.contains("nearly") {
        "EQUAL_OR_LESS"
    } else if p.contains("about")
        || p.contains("around")
        || p.contains("approximately")
        || p.contains("roughly")
    {
        "APPROX"
    } else {
        return None;
    })
}

const A_CUES: &[&str] = &[
    "for", "in", "within", "than", "after", "about", "nearly", "almost", "over", "only", "just",
    "least", "once", "twice", "spent", "took", "takes", "lasted", "last", "lasting", "during",
    "barely", "roughly", "around",
];

fn h_duration(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    if g(c, "old").is_some() {
        return None;
    }
    let nword = g(c, "n")?;
    let q = number(nword)?;
    let uw = g(c, "u")?;
    let pre = g(c, "pre");
    let suf = g(c, "suf").map(|s| s.to_ascii_lowercase());
    let is_a = matches!(nword.to_ascii_lowercase().as_str(), "a" | "an");
    if is_a
        && pre.is_none()
        && suf.is_none()
        && g(c, "long").is_none()
        && !A_CUES.contains(&ctx.prev_word().as_str())
    {
        return None;
    }
    // A number glued to a unit with a hyphen is an adjective (21-year), fine; a
    // bare number after a currency sign is an amount.
    if matches!(ctx.char_before(), Some('$' | '£' | '€')) {
        return None;
    }
    // Fractions, not periods: "three-quarters of", "a quarter of the vote".
    if uw.to_ascii_lowercase().starts_with("quarter")
        && (c.get(0)?.as_str().contains('-') || ctx.next_word() == "of")
    {
        return None;
    }
    let (u, _, _) = unit(uw)?;
    let md = duration_mod(pre);
    match suf.as_deref() {
        Some(s) => {
            let sign = if s == "ago" || s == "earlier" { -1 } else { 1 };
            let anchor = if s == "ago" || s.contains("now") || s == "hence" {
                ctx.deictic()
            } else {
                ctx.story()
            };
            let Some((anchor, a)) = anchor else {
                return Some(Norm::plain(
                    TimexType::Date,
                    if sign < 0 { "PAST_REF" } else { "FUTURE_REF" },
                ));
            };
            let Qty::Exact(n) = q else {
                let v = if sign < 0 { "PAST_REF" } else { "FUTURE_REF" };
                // "a few months later": the narrative's year is the best one can say.
                let coarse = match u {
                    Unit::Day | Unit::Week => anchor.at(Unit::Month),
                    Unit::Month | Unit::Quarter => Point::Year(anchor.year()),
                    _ => return Some(Norm::plain(TimexType::Date, v)),
                };
                if s == "ago" {
                    return Some(Norm::plain(TimexType::Date, v));
                }
                return Some(Norm::date(coarse, Some(a)));
            };
            let n = n.round() as i32;
            let p = match u {
                // "a year ago" in an earnings report: the same quarter a year before.
                Unit::Year => match (anchor, ctx.quarter) {
                    (Point::Quarter(..), _) if sign < 0 => anchor.shift(Unit::Year, -n),
                    (_, Some(q)) if sign < 0 && q.year() == anchor.year() => {
                        q.shift(Unit::Year, -n)
                    }
                    _ => Point::Year(anchor.year() + sign * n),
                },
                Unit::Decade => Point::Year(anchor.year() + sign * n * 10),
                Unit::Century => Point::Year(anchor.year() + sign * n * 100),
                Unit::Quarter => {
                    if anchor.month().is_none() && !matches!(anchor, Point::Quarter(..)) {
                        Point::Year(anchor.year())
                    } else {
                        anchor.at(Unit::Quarter).shift(Unit::Quarter, sign * n)
                    }
                }
                Unit::Month => match anchor {
                    Point::Month(..) | Point::Day(..) | Point::Week(..) => {
                        anchor.at(Unit::Month).shift(Unit::Month, sign * n)
                    }
                    _ => Point::Year(anchor.year()),
                },
                Unit::Week => match anchor {
                    Point::Day(..) | Point::Week(..) => anchor.shift(Unit::Week, sign * n),
                    _ => anchor,
                },
                Unit::Day => {
                    let lw = uw.to_ascii_lowercase();
                    if lw.starts_with("hour")
                        || lw.starts_with("minute")
                        || lw.starts_with("second")
                    {
                        return Some(
                            Norm::plain(TimexType::Duration, duration_value(q, uw)?).with_mod(md),
                        );
                    }
                    match anchor {
                        Point::Day(..) => anchor.shift(Unit::Day, sign * n),
                        _ => anchor,
                    }
                }
            };
            let sticky = !matches!(p, Point::Quarter(..));
            Some(Norm {
                sticky,
                ..Norm::date(p, Some(a)).with_mod(md)
            })
        }
        None => Some(Norm::plain(TimexType::Duration, duration_value(q, uw)?).with_mod(md)),
    }
}

fn h_past_unit(c: &Captures, _ctx: &Ctx) -> Option<Norm> {
    Some(Norm::plain(
        TimexType::Duration,
        duration_value(Qty::Exact(1.0), g(c, "u")?)?,
    ))
}

fn h_plural_unit(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    let pre = g(c, "pre")?.to_ascii_lowercase();
    let uw = g(c, "u")?;
    let mut n = Norm::plain(TimexType::Duration, duration_value(Qty::Vague, uw)?);
    if pre == "for" || pre == "in" {
        if pre == "in"
            && !matches!(
                ctx.prev_word().as_str(),
                "first" | "time" | "best" | "worst" | "highest" | "lowest" | "once"
            )
        {
            return None;
        }
        n.trim = c.name("u")?.start() - c.get(0)?.start();
    }
    Some(n)
}

fn h_set(c: &Captures, _ctx: &Ctx) -> Option<Norm> {
    if let Some(adv) = g(c, "adv") {
        let v = match adv.to_ascii_lowercase().as_str() {
            "daily" | "nightly" => "P1D",
            "weekly" => "P1W",
            "monthly" => "P1M",
            "yearly" | "annually" => "P1Y",
            "hourly" => "PT1H",
            "quarterly" => "P3M",
            "biannually" => "P6M",
            "biennially" => "P2Y",
            _ => return None,
        };
        return Some(Norm::plain(TimexType::Set, v));
    }
    let uw = g(c, "u").or(g(c, "u2"))?;
    if let Some(wd) = weekday_num(uw) {
        return Some(Norm::plain(TimexType::Set, format!("XXXX-WXX-{}", wd + 1)));
    }
    if let Some(m) = month_num(uw).filter(|_| uw.len() > 3) {
        return Some(Norm::plain(TimexType::Set, format!("XXXX-{m:02}")));
    }
    let q = g(c, "n").and_then(number).unwrap_or(Qty::Exact(1.0));
    let mut v = duration_value(q, uw)?;
    if uw.to_ascii_lowercase().starts_with("quarter") && q == Qty::Exact(1.0) {
        v = "P1Q".into();
    }
    Some(Norm::plain(TimexType::Set, v))
}

// ---- the rule table ---------------------------------------------------------------

fn rule(name: &'static str, pat: &str, handle: Handler) -> Rule {
    let pat = pat
        .replace("{MONTH}", MONTH_RE)
        .replace("{MONTHANY}", MONTH_ANYCASE_RE)
        .replace("{WEEKDAY}", WEEKDAY_RE)
        .replace("{NUM}", NUM_RE)
        .replace("{UNIT}", UNIT_RE)
        .replace("{SEASON}", SEASON_RE)
        .replace("{YEAR}", r"(?:1[6-9]|20)\d\d");
    // ASCII word boundaries keep the lazy DFA usable on text with non-ASCII
    // characters (Unicode `\b` makes it fall back to the backtracker, ~5× slower);
    // `tagger::run` drops matches glued to a non-ASCII letter, which Unicode `\b` did.
    let pat = pat.replace(r"\b", r"(?-u:\b)");
    Rule {
        name,
        re: Regex::new(&pat).unwrap_or_else(|e| panic!("rule {name}: {e}")),
        handle,
    }
}

/// All rules, most specific first (ties on span go to the earlier rule).
pub(crate) static RULES: LazyLock<Vec<Rule>> = LazyLock::new(|| {
    vec![
        rule(
            "iso",
            r"\b(?P<y>{YEAR})-(?P<m>0[1-9]|1[0-2])-(?P<d>[0-3]\d)\b",
            h_iso,
        ),
        rule(
            "numeric",
            r"\b(?P<m>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/(?P<y>{YEAR}|\d\d)\b",
            h_numeric,
        ),
        rule(
            "full_date",
            r"(?i)(?:\b(?P<wd>{WEEKDAY}),?\s+(?:the\s+)?)?\b(?P<mon>{MONTH})\s*(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>{YEAR})\b)?",
            h_full_date,
        ),
        rule(
            "day_month",
            r"(?i)(?:\b(?P<wd>{WEEKDAY}),?\s+)?(?:\bthe\s+)?\b(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH})(?:,?\s+(?P<year>{YEAR})\b)?",
            h_full_date,
        ),
        rule(
            "month",
            r"(?i)(?:\b(?P<mod>early|mid|late)(?:\s+|-)|\b(?P<pos>(?:the\s+)?(?:beginning|start|middle|end)\s+of)\s+)?\b(?P<mon>{MONTH})(?:,?\s+(?:of\s+)?(?P<year>{YEAR})\b)?",
            h_month,
        ),
        rule(
            "year_range",
            r"\b(?P<y1>{YEAR})\s*/\s*(?P<y2>{YEAR}|\d\d)\b",
            h_year_range,
        ),
        rule(
            "decade",
            r"(?i)\b(?P<the>the\s+)?(?:(?P<mod>early|mid|late)(?:\s+|-))?(?:(?P<dec>(?:1[0-9]|20)\d0)'?s\b|'(?P<d2>\d0)s\b|(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b)",
            h_decade,
        ),
        rule(
            "century",
            r"(?i)\b(?:the\s+)?(?:(?P<mod>early|mid|late)(?:\s+|-))?(?:(?P<n>1\d|2[01])(?:st|nd|rd|th)|(?P<w>seventeenth|eighteenth|nineteenth|twentieth|twenty[-\s]first))[\s-]+century\b",
            h_century,
        ),
        rule(
            "season",
            r"(?i)\b(?:(?P<rel>this\s+past|this\s+coming|this|last|next|that|the)\s+)?(?:(?P<mod>early|late|mid)(?:\s+|-))?(?P<s>{SEASON})\b(?:\s+(?:of\s+)?(?P<year>{YEAR})\b)?",
            h_season,
        ),
        rule(
            "quarter",
            r"(?i)\b(?:(?P<det>the|this\s+year's|last\s+year's|its|their|a)\s+)?(?:(?P<y1>{YEAR})\s+|(?:fiscal|FY)\s*(?:(?P<y3>{YEAR})\s+)?)?(?:(?P<adj>flat|strong|weak|latest|current|year-ago|year-earlier|prior-year|comparable|fiscal)\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th|final|last)[\s-]+(?P<u>quarter|half)\b(?:\s+of\s+(?:fiscal\s+)?(?P<y2>{YEAR})\b)?",
            h_quarter,
        ),
        rule(
            "period",
            r"(?i)\b(?:the\s+)?(?:(?P<adj>latest|current|recent|year-ago|year-earlier|prior-year|{YEAR})\s+)(?P<u>quarter|period)\b|\bthe\s+(?P<u2>quarter)\b|\b(?P<adj2>year-ago|year-earlier)\b",
            h_period_any,
        ),
        rule(
            "year",
            r"(?i)(?:\b(?P<mod>early|mid|late)(?:\s+|-)|\b(?P<pos>(?:the\s+)?(?:beginning|start|middle|end|first\s+half|second\s+half|spring|summer|autumn|fall|winter)\s+of)\s+|\b(?P<fiscal>fiscal(?:\s+year)?|FY)\s*)?\b(?P<year>{YEAR})\b",
            h_year,
        ),
        rule(
            "anaphoric",
            r"(?i)\b(?:(?P<adv>earlier|later|early|late)\s+(?:in\s+)?)?(?P<det>that|the\s+same|the\s+following|the\s+next|the\s+previous|the\s+prior|the\s+preceding)\s+(?P<u>year|month|week|day|summer|spring|autumn|fall|winter|{MONTHANY}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            h_anaphoric,
        ),
        rule(
            "deictic",
            r"(?i)\b(?:(?P<mod>early|earlier|late|later|mid)\s+)?(?P<rel>this\s+past|this\s+coming|last|next|this|coming)\s+(?P<u>week|weekend|month|year|quarter|decade|century|{SEASON}|{MONTHANY}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
            h_deictic,
        ),
        rule(
            "past_unit",
            r"(?i)\b(?:the\s+(?:past|last)|past)\s+(?P<u>year|month|week|decade|century)\b",
            h_past_unit,
        ),
        rule(
            "relday",
            r"(?i)\b(?:(?P<mod>early|late|earlier|later)\s+)?(?P<w>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|yesterday|today|tomorrow|tonight)\b(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?",
            h_relday,
        ),
        rule(
            "this_pod",
            r"(?i)\bthis\s+(?P<pod>morning|afternoon|evening)\b",
            h_this_pod,
        ),
        rule(
            "ref",
            r"(?i)\b(?:right\s+now|now|currently|at\s+present|presently|nowadays|these\s+days|at\s+the\s+moment|recently|lately|recent|the\s+past|the\s+(?:near\s+|distant\s+|foreseeable\s+)?future|soon|the\s+near\s+term)\b",
            h_ref,
        ),
        rule(
            "time",
            r"(?i)\b(?:(?P<h>[01]?\d|2[0-3])(?::(?P<min>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b|a\.m\b|p\.m\b)|(?P<nm>noon|midnight)\b)(?:\s+(?-i:[A-Z]{2,4}T)\b)?(?:\s+(?P<wd>{WEEKDAY}|today|yesterday|tomorrow))?",
            h_time,
        ),
        rule(
            "duration",
            r"(?i)\b(?:(?P<pre>(?:(?:the\s+)?(?:past|last|next|first|coming|previous|following|final|remaining|initial|same)|more\s+than|less\s+than|fewer\s+than|at\s+least|up\s+to|nearly|almost|about|around|approximately|roughly|over|just\s+over|just\s+under|under|within|another)(?:\s+(?:the\s+)?(?:past|last|next|first|coming))?)\s+)?(?P<n>{NUM})(?:\s+(?:more|additional|full|straight|consecutive|trading|business|working|long))?(?:\s+|-)(?P<u>{UNIT})(?P<long>-long)?\b(?P<old>-old)?(?:\s+(?P<suf>ago|earlier|later|from\s+now|hence)\b)?",
            h_duration,
        ),
        rule(
            "plural_unit",
            r"(?i)\b(?P<pre>recent|the\s+(?:past|last|coming|next)(?:\s+(?:few|several))?|coming|for|in)\s+(?P<u>years|months|weeks|days|decades|centuries|hours|minutes)\b",
            h_plural_unit,
        ),
        rule(
            "the_unit",
            r"(?i)\b(?:the\s+(?P<adj>full\s+|current\s+|current\s+fiscal\s+|fiscal\s+)?(?P<u>year|week|weekend)\b(?P<dash>-)?|(?P<u2>day|decades?|years?|months?|weeks?)-long\b)",
            h_the_unit,
        ),
        rule(
            "set",
            r"(?i)\b(?:(?:every|each|per)\s+(?:(?P<n>{NUM})\s+)?(?P<u>{UNIT}|{WEEKDAY}|{MONTH})|(?P<adv>daily|weekly|monthly|yearly|annually|hourly|quarterly|biannually|biennially|nightly)|(?:once|twice|three\s+times|\d+\s+times)\s+(?:a|per|every)\s+(?P<u2>{UNIT}))\b",
            h_set,
        ),
        rule(
            "weekday",
            r"(?i)(?:\b(?P<mod>early|late)\s+)?\b(?P<wd>{WEEKDAY})(?:\s+(?P<pod>morning|afternoon|evening|night)\b)?",
            h_weekday,
        ),
    ]
});

fn h_period_any(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    if c.name("u2").is_some() || c.name("adj2").is_some() {
        // "the quarter" / bare "year-ago": rewrite through h_period's logic
        let adj = g(c, "adj2").unwrap_or("");
        let narrative_q = ctx.quarter;
        let (b, a) = match narrative_q {
            Some(n) => (n, format!("narrative:{n}")),
            None => {
                let (d, a) = ctx.deictic()?;
                (latest_quarter(d), a)
            }
        };
        let p = if adj.is_empty() {
            b
        } else if matches!(b, Point::Quarter(..)) {
            b.shift(Unit::Year, -1)
        } else {
            Point::Year(b.year() - 1)
        };
        return Some(Norm {
            sticky: adj.is_empty(),
            ..Norm::date(p, Some(a))
        });
    }
    h_period(c, ctx)
}

fn h_the_unit(c: &Captures, ctx: &Ctx) -> Option<Norm> {
    if let Some(u2) = g(c, "u2") {
        let q = if u2.ends_with('s') {
            Qty::Vague
        } else {
            Qty::Exact(1.0)
        };
        return Some(Norm::plain(TimexType::Duration, duration_value(q, u2)?));
    }
    if g(c, "dash").is_some()
        || ctx
            .next_word()
            .chars()
            .next()
            .is_some_and(|ch| ch.is_ascii_digit())
    {
        return None;
    }
    let u = g(c, "u")?.to_ascii_lowercase();
    let adj = g(c, "adj").map(|a| a.to_ascii_lowercase());
    match u.as_str() {
        // "the fiscal year", "the full year": the document's year.
        "year" if adj.is_some() => {
            let (d, a) = ctx.deictic()?;
            Some(Norm::date(Point::Year(d.year()), Some(a)))
        }
        "year" => {
            if matches!(
                ctx.next_word().as_str(),
                "before" | "after" | "earlier" | "ago" | "of" | "when" | "in"
            ) {
                return None;
            }
            Some(Norm::plain(TimexType::Duration, "P1Y"))
        }
        "week" if adj.is_none() => {
            let (d, a) = ctx.deictic()?;
            Some(Norm {
                value: format!("{}-WXX", d.year()),
                point: None,
                ..Norm::date(d, Some(a))
            })
        }
        "weekend" if adj.is_none() => Some(Norm::plain(TimexType::Duration, "P2D")),
        _ => None,
    }
}

/// The TIMEX3 value of a unit whose anchor is unknown (`XXXX`, `XXXX-11`, `XXXX-WXX-5`).
fn underspecified(unit_word: &str) -> String {
    if let Some(m) = month_num(unit_word).filter(|_| unit_word.len() >= 3) {
        return format!("XXXX-{m:02}");
    }
    if let Some(wd) = weekday_num(unit_word) {
        return format!("XXXX-WXX-{}", wd + 1);
    }
    if let Some(s) = season(unit_word) {
        return Point::Season(0, s).to_string().replacen("0000", "XXXX", 1);
    }
    match unit_word {
        "month" => "XXXX-XX".into(),
        "week" | "weekend" => "XXXX-WXX".into(),
        "day" => "XXXX-XX-XX".into(),
        "quarter" => "XXXX-QX".into(),
        "decade" => "XXX".into(),
        "century" => "XX".into(),
        _ => "XXXX".into(),
    }
}
