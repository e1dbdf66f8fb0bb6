//! Time expressions (owned by the time stage).
use crate::Span;
use serde::{Deserialize, Serialize};

/// The TIMEX3 type of a time expression.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    /// A calendar date or period: `26 April 1996`, `the 1990s`, `last Friday`.
    Date,
    /// A time of day.
    Time,
    /// A length of time: `two years`, `21-year`.
    Duration,
    /// A recurring time: `every year`, `annually`.
    Set,
}

impl TimexType {
    /// The TIMEX3 name (`DATE`, `TIME`, `DURATION`, `SET`).
    pub fn as_str(&self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

/// A time expression and its normalised TIMEX3 value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timex {
    /// Document id.
    pub doc: String,
    /// Where it is in the source.
    pub span: Span,
    /// The expression as written.
    pub text: String,
    /// DATE, TIME, DURATION or SET.
    pub kind: TimexType,
    /// TIMEX3 value: `2014`, `2014-04`, `2022-04-26`, `201X`, `2020-W40`, `P2Y`, `PRESENT_REF`...
    pub value: String,
    /// What a relative value was resolved against (e.g. `dct:2022-07-31`,
    /// `narrative:2012-02`), or None for absolute expressions.
    pub anchor: Option<String>,
}
