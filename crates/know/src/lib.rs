//! annals-know: who and where. Finds the people, organisations, places, projects and named
//! events of an archive, resolves their aliases to one entity each, and gives places
//! coordinates.
//!
//! The key decision: **facts live in packs, methods in code**. Names, aliases, demonyms,
//! roles and coordinates come from tab-separated pack files (`packs/`, compiled in; users add
//! their own with [`Pack::from_path`]). The code has three methods that work together:
//! a gazetteer over every pack name ([`gazetteer`]), an averaged-perceptron sequence tagger
//! for names the packs do not know, trained on openly licensed NER sets (`data/ner.weights`,
//! see `data/ATTRIBUTION.md` and `examples/train_ner.rs`), and contextual rules (titles,
//! organisational and place head words, coordination). Resolution ([`Recognizer::extract`])
//! then groups mentions across the archive into stable ids (`person:xi-jinping`,
//! `place:kabul`, `org:sco`), and [`apply_decisions`] replays a user's merges and splits.
//!
//! Invariants: offsets are characters; tagging allocates nothing per token in the tagger's
//! hot path (hashed features); the stage never fails on text, only on unreadable pack files.
#![deny(missing_docs)]

pub mod eval;
pub mod features;
pub mod gazetteer;
pub mod model;
pub mod pack;
mod recognize;
mod resolve;
pub mod tokenize;
pub mod train;

pub use model::{ModelError, NerModel};
pub use pack::{Knowledge, Pack, PackEntry, PackError};
pub use recognize::{conll_class, How, Recognizer, Tagged};
pub use resolve::{apply_decisions, normalise, slug, Decisions, KnowOutput, PARTS};
