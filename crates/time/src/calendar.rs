//! Proleptic Gregorian arithmetic on plain integers and the calendar points
//! TIMEX3 values name. Small enough that a date crate would add more than it saves.

use std::fmt;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    ((y + i64::from(m <= 2)) as i32, m, d)
}

/// Day of the week, 0 = Monday .. 6 = Sunday.
pub fn weekday(y: i32, m: u8, d: u8) -> u8 {
    (days_from_civil(y, m, d) + 3).rem_euclid(7) as u8
}

/// Number of days in a month.
pub fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// ISO 8601 week-numbering year and week of a date.
pub fn iso_week(y: i32, m: u8, d: u8) -> (i32, u8) {
    let days = days_from_civil(y, m, d);
    // Thursday of the same ISO week decides the year.
    let thursday = days - i64::from(weekday(y, m, d)) + 3;
    let (ty, _, _) = civil_from_days(thursday);
    let jan1 = days_from_civil(ty, 1, 1);
    (ty, ((thursday - jan1) / 7 + 1) as u8)
}

/// A season as TIMEX3 abbreviates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Season {
    /// SP
    Spring,
    /// SU
    Summer,
    /// FA
    Fall,
    /// WI
    Winter,
}

impl Season {
    fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }

    /// The season a month mostly falls in (northern hemisphere).
    pub fn of_month(m: u8) -> Season {
        match m {
            3..=5 => Season::Spring,
            6..=8 => Season::Summer,
            9..=11 => Season::Fall,
            _ => Season::Winter,
        }
    }

    /// Middle month, used for ordering against an anchor.
    pub fn mid_month(self) -> u8 {
        match self {
            Season::Spring => 4,
            Season::Summer => 7,
            Season::Fall => 10,
            Season::Winter => 1,
        }
    }
}

/// A calendar point at some granularity: what a DATE value denotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    /// `19` = the 1900s.
    Century(i32),
    /// `199` = the 1990s (written `199X`).
    Decade(i32),
    /// A year.
    Year(i32),
    /// Half year 1 or 2.
    Half(i32, u8),
    /// Quarter 1..4.
    Quarter(i32, u8),
    /// A season of a year.
    Season(i32, Season),
    /// A month.
    Month(i32, u8),
    /// ISO week-year and week.
    Week(i32, u8),
    /// A day.
    Day(i32, u8, u8),
}

/// The unit a shift is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks.
    Week,
    /// Months.
    Month,
    /// Quarters.
    Quarter,
    /// Years.
    Year,
    /// Decades.
    Decade,
    /// Centuries.
    Century,
}

impl Point {
    /// The (first) year the point falls in.
    pub fn year(self) -> i32 {
        match self {
            Point::Century(c) => c * 100,
            Point::Decade(d) => d * 10,
            Point::Year(y)
            | Point::Half(y, _)
            | Point::Quarter(y, _)
            | Point::Season(y, _)
            | Point::Month(y, _)
            | Point::Week(y, _)
            | Point::Day(y, _, _) => y,
        }
    }

    /// The month, where the point has one (quarters and seasons give a representative month).
    pub fn month(self) -> Option<u8> {
        match self {
            Point::Month(_, m) | Point::Day(_, m, _) => Some(m),
            _ => None,
        }
    }

    /// A representative first day, for arithmetic.
    fn first_day(self) -> (i32, u8, u8) {
        match self {
            Point::Century(c) => (c * 100, 1, 1),
            Point::Decade(d) => (d * 10, 1, 1),
            Point::Year(y) => (y, 1, 1),
            Point::Half(y, h) => (y, if h == 1 { 1 } else { 7 }, 1),
            Point::Quarter(y, q) => (y, (q - 1) * 3 + 1, 1),
            Point::Season(y, s) => (y, s.mid_month(), 1),
            Point::Month(y, m) => (y, m, 1),
            Point::Week(y, w) => {
                let jan4 = days_from_civil(y, 1, 4);
                let monday = jan4 - i64::from(weekday(y, 1, 4)) + 7 * (i64::from(w) - 1);
                civil_from_days(monday)
            }
            Point::Day(y, m, d) => (y, m, d),
        }
    }

    /// The point `n` units away, at the granularity that unit names
    /// (`a year later` → a year; `a month later` → a month, when the anchor has one).
    pub fn shift(self, unit: Unit, n: i32) -> Point {
        let (y, m, d) = self.first_day();
        match unit {
            Unit::Century => Point::Century(y.div_euclid(100) + n),
            Unit::Decade => Point::Decade(y.div_euclid(10) + n),
            Unit::Year => match self {
                Point::Quarter(y, q) => Point::Quarter(y + n, q),
                Point::Half(y, h) => Point::Half(y + n, h),
                Point::Season(y, s) => Point::Season(y + n, s),
                _ => Point::Year(y + n),
            },
            Unit::Quarter => {
                let q0 = (y * 4 + i32::from((m - 1) / 3)) + n;
                Point::Quarter(q0.div_euclid(4), (q0.rem_euclid(4) + 1) as u8)
            }
            Unit::Month => match self {
                Point::Century(_) | Point::Decade(_) | Point::Year(_) | Point::Half(..) => {
                    Point::Year(y + (n.signum() * ((n.abs() + 6) / 12)))
                }
                _ => {
                    let m0 = y * 12 + i32::from(m) - 1 + n;
                    Point::Month(m0.div_euclid(12), (m0.rem_euclid(12) + 1) as u8)
                }
            },
            Unit::Week => match self {
                Point::Day(..) | Point::Week(..) => {
                    let days = days_from_civil(y, m, d) + 7 * i64::from(n);
                    let (ny, nm, nd) = civil_from_days(days);
                    let (wy, w) = iso_week(ny, nm, nd);
                    Point::Week(wy, w)
                }
                Point::Month(..) => Point::Month(y, m).shift(Unit::Month, (n + 2) / 4 * n.signum()),
                other => other,
            },
            Unit::Day => match self {
                Point::Day(..) => {
                    let (ny, nm, nd) = civil_from_days(days_from_civil(y, m, d) + i64::from(n));
                    Point::Day(ny, nm, nd)
                }
                other => other,
            },
        }
    }

    /// The point truncated to a coarser granularity.
    pub fn at(self, unit: Unit) -> Point {
        let (y, m, d) = self.first_day();
        match unit {
            Unit::Century => Point::Century(y.div_euclid(100)),
            Unit::Decade => Point::Decade(y.div_euclid(10)),
            Unit::Year => Point::Year(y),
            Unit::Quarter => match self {
                Point::Quarter(..) => self,
                Point::Month(..) | Point::Day(..) | Point::Week(..) => {
                    Point::Quarter(y, (m - 1) / 3 + 1)
                }
                _ => self,
            },
            Unit::Month => match self {
                Point::Day(..) | Point::Week(..) => Point::Month(y, m),
                _ => self,
            },
            Unit::Week => match self {
                Point::Day(..) => {
                    let (wy, w) = iso_week(y, m, d);
                    Point::Week(wy, w)
                }
                _ => self,
            },
            Unit::Day => self,
        }
    }

    /// True for day-precise points.
    pub fn is_day(self) -> bool {
        matches!(self, Point::Day(..))
    }
}

impl fmt::Display for Point {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Point::Century(c) => write!(f, "{c:02}"),
            Point::Decade(d) => write!(f, "{d:03}X"),
            Point::Year(y) => write!(f, "{y:04}"),
            Point::Half(y, h) => write!(f, "{y:04}-H{h}"),
            Point::Quarter(y, q) => write!(f, "{y:04}-Q{q}"),
            Point::Season(y, s) => write!(f, "{y:04}-{}", s.code()),
            Point::Month(y, m) => write!(f, "{y:04}-{m:02}"),
            Point::Week(y, w) => write!(f, "{y:04}-W{w:02}"),
            Point::Day(y, m, d) => write!(f, "{y:04}-{m:02}-{d:02}"),
        }
    }
}

/// Parses an ISO anchor: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` (anything after the day is ignored).
pub fn parse_iso(s: &str) -> Option<Point> {
    let s = s.trim();
    let b = s.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<i32> {
        let t = s.get(r)?;
        if t.bytes().all(|c| c.is_ascii_digit()) && !t.is_empty() {
            t.parse().ok()
        } else {
            None
        }
    };
    let y = num(0..4)?;
    if b.len() == 4 {
        return Some(Point::Year(y));
    }
    if b.get(4) != Some(&b'-') {
        return None;
    }
    let m = num(5..7)? as u8;
    if !(1..=12).contains(&m) {
        return None;
    }
    if b.len() == 7 {
        return Some(Point::Month(y, m));
    }
    if b.get(7) != Some(&b'-') {
        return None;
    }
    let d = num(8..10)? as u8;
    if d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(Point::Day(y, m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_days() {
        for z in [-800_000i64, -1, 0, 1, 10_000, 20_000, 40_000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
        assert_eq!(weekday(1998, 8, 8), 5); // a Saturday
        assert_eq!(iso_week(1989, 10, 31), (1989, 44));
        assert_eq!(iso_week(2021, 1, 1), (2020, 53));
    }

    #[test]
    fn shifts_keep_granularity() {
        assert_eq!(
            Point::Month(2012, 6).shift(Unit::Month, 1).to_string(),
            "2012-07"
        );
        assert_eq!(
            Point::Quarter(1989, 3).shift(Unit::Year, -1).to_string(),
            "1988-Q3"
        );
        assert_eq!(
            Point::Day(2000, 3, 1).shift(Unit::Day, -1).to_string(),
            "2000-02-29"
        );
        assert_eq!(
            Point::Month(2012, 6).shift(Unit::Year, 1).to_string(),
            "2013"
        );
        assert_eq!(
            Point::Day(1989, 10, 31).shift(Unit::Week, -1).to_string(),
            "1989-W43"
        );
    }
}
