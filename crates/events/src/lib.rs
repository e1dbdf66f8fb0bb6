//! annals-events: dated event claims read from sentences, merged into events.
//!
//! The stage takes what the other stages found (mentions, time expressions, note
//! markers) as model values and depends on nothing else, so it can be run and
//! tested on its own. Two steps:
//! - [`extract`] reads one claim per event told in a clause: type from trigger
//!   words (data/triggers.tsv), date from the clause's time expression or the one
//!   that governs it, who/whom/where, casualty figures as stated, who claims it,
//!   and whether it is asserted, hypothetical, planned or denied; bare months take
//!   the narrative's year (the anchor pass), dates that name an event
//!   (9/11) are tellings of it, and each account of a toll is a claim of its own;
//! - [`merge`] joins tellings of one real-world event (shared names and wording,
//!   a retelling in the next sentence, a definite reference such as "the 2001
//!   attacks", one named event) and keeps conflicting accounts apart with
//!   `conflicts_with`; [`apply_decisions`] replays a user's merges and splits.
//!
//! [`eval`] scores events against gold; [`to_geojson`] and [`to_timelinejs`]
//! write them for maps and time lines.
#![deny(missing_docs)]

mod anchor;
mod args;
pub mod eval;
mod export;
mod extract;
pub mod lexicon;
mod merge;

pub use args::{casualties, claimed_by};
pub use export::{to_geojson, to_timelinejs};
pub use extract::{extract, is_calendar};
pub use merge::{apply_decisions, dates_compatible, merge, Decisions};
