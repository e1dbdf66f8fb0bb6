//! Matching every name of the packs in one pass (Aho-Corasick), case-sensitively and on word
//! boundaries, leftmost-longest. A second automaton holds upper-cased names so that
//! headlines in capitals (`TALIBAN TAKE KABUL`) still match; its matches are only kept
//! where the text itself is in capitals.
use crate::pack::Knowledge;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use std::collections::HashMap;

/// One meaning a surface form can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sense {
    /// Index of the entry in [`Knowledge::entries`].
    pub entry: u32,
    /// True when the surface is an adjective or demonym of the entry (`Kazakh`).
    pub adjective: bool,
}

/// A name found in the text.
#[derive(Debug, Clone, PartialEq)]
pub struct GazMatch {
    /// Byte range.
    pub bs: usize,
    /// Byte end.
    pub be: usize,
    /// Every sense of the matched surface, strongest first.
    pub senses: Vec<Sense>,
    /// True when found only through the capitals automaton.
    pub caps: bool,
}

/// The compiled name matcher.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    exact: AhoCorasick,
    exact_senses: Vec<Vec<Sense>>,
    caps: AhoCorasick,
    caps_senses: Vec<Vec<Sense>>,
}

fn add(
    map: &mut HashMap<String, usize>,
    pats: &mut Vec<String>,
    senses: &mut Vec<Vec<Sense>>,
    s: &str,
    sense: Sense,
) {
    let id = *map.entry(s.to_string()).or_insert_with(|| {
        pats.push(s.to_string());
        senses.push(Vec::new());
        pats.len() - 1
    });
    if !senses[id].contains(&sense) {
        senses[id].push(sense);
    }
}

impl Gazetteer {
    /// Compiles every name, alias and adjective of `kb`.
    pub fn new(kb: &Knowledge) -> Gazetteer {
        let (mut pats, mut senses, mut map) = (Vec::new(), Vec::new(), HashMap::new());
        let (mut cpats, mut csenses, mut cmap) = (Vec::new(), Vec::new(), HashMap::new());
        for (i, e) in kb.entries.iter().enumerate() {
            let names = std::iter::once(&e.name)
                .chain(e.aliases.iter())
                .map(|n| (n, false));
            let adjs = e.adjectives.iter().map(|n| (n, true));
            for (n, adjective) in names.chain(adjs) {
                let n = n.trim();
                if n.chars().count() < 2 || n.starts_with("the ") {
                    continue;
                }
                let sense = Sense {
                    entry: i as u32,
                    adjective,
                };
                add(&mut map, &mut pats, &mut senses, n, sense);
                if n.chars().any(|c| c.is_lowercase()) && n.chars().count() >= 3 {
                    add(
                        &mut cmap,
                        &mut cpats,
                        &mut csenses,
                        &n.to_uppercase(),
                        sense,
                    );
                }
            }
        }
        // strongest sense first: hand-written before generated, then by population
        let rank = |s: &Sense| {
            let e = &kb.entries[s.entry as usize];
            (
                e.weak,
                s.adjective,
                std::cmp::Reverse(e.population.unwrap_or(0)),
            )
        };
        for v in senses.iter_mut().chain(csenses.iter_mut()) {
            v.sort_by_key(rank);
        }
        let build = |p: &[String]| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Anchored)
                .build(p)
                .expect("pack names compile")
        };
        Gazetteer {
            exact: build(&pats),
            exact_senses: senses,
            caps: build(&cpats),
            caps_senses: csenses,
        }
    }

    /// Every pack name in `text`, word-bounded, leftmost-longest, not overlapping.
    pub fn find(&self, text: &str) -> Vec<GazMatch> {
        let starts: Vec<usize> = crate::tokenize::tokenize(text)
            .iter()
            .map(|t| t.bs)
            .collect();
        self.find_at(text, &starts)
    }

    /// Like [`Gazetteer::find`], but names may only start at the given byte offsets (token
    /// starts, in increasing order): one anchored search per token instead of a scan of
    /// every position.
    pub fn find_at(&self, text: &str, starts: &[usize]) -> Vec<GazMatch> {
        let bounded_end = |e: usize| {
            !text[e..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric())
        };
        let mut out = Vec::new();
        let mut last_end = 0;
        for &s in starts {
            if s < last_end {
                continue;
            }
            let input = Input::new(text).range(s..).anchored(Anchored::Yes);
            let exact = self
                .exact
                .find(input.clone())
                .filter(|m| bounded_end(m.end()));
            let caps = if text.as_bytes()[s].is_ascii_uppercase() {
                self.caps.find(input).filter(|m| {
                    bounded_end(m.end()) && !text[s..m.end()].chars().any(|c| c.is_lowercase())
                })
            } else {
                None
            };
            let (m, is_caps) = match (exact, caps) {
                (Some(e), Some(c)) if c.end() > e.end() => (c, true),
                (Some(e), _) => (e, false),
                (None, Some(c)) => (c, true),
                (None, None) => continue,
            };
            let senses = if is_caps {
                &self.caps_senses
            } else {
                &self.exact_senses
            };
            out.push(GazMatch {
                bs: m.start(),
                be: m.end(),
                senses: senses[m.pattern().as_usize()].clone(),
                caps: is_caps,
            });
            last_end = m.end();
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::Pack;

    #[test]
    fn longest_word_bounded_matches() {
        let p = Pack::parse(
            "t",
            "id\tname\taliases\tadjectives\nplace:kabul\tKabul\t\t\norg:ku\tKabul University\t\t\nplace:kz\tKazakhstan\t\tKazakh\n",
        )
        .unwrap();
        let kb = Knowledge::from_packs(&[p]);
        let g = Gazetteer::new(&kb);
        let t = "Kabul University, Kabuli, KABUL and the Kazakh side";
        let got: Vec<(&str, bool)> = g.find(t).iter().map(|m| (&t[m.bs..m.be], m.caps)).collect();
        assert_eq!(
            got,
            vec![
                ("Kabul University", false),
                ("KABUL", true),
                ("Kazakh", false)
            ]
        );
    }
}
