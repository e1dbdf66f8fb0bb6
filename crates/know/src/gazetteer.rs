//! Matching every name of the packs, case-sensitively and on word boundaries,
//! leftmost-longest, at token starts. A second set holds upper-cased names so that
//! headlines in capitals (`TALIBAN TAKE KABUL`) still match; its matches are only kept
//! where the text itself is in capitals.
//!
//! Names only ever start at token starts, so the matcher is an anchored longest-prefix
//! lookup in the sorted list of names ([`NameSet`]): no failure links or automaton to build,
//! which made building the gazetteer most of the start-up of `annals entities tag`.
use crate::pack::Knowledge;

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

/// Distinct names in byte order, packed in one buffer, with their senses: the longest name
/// that is a prefix of a text is found by narrowing the range of names byte by byte
/// (two binary searches per byte over a range that shrinks fast).
#[derive(Debug, Clone, Default)]
struct NameSet {
    /// The names, concatenated in byte order.
    bytes: Vec<u8>,
    /// Name `i` is `bytes[ends[i]..ends[i + 1]]`.
    ends: Vec<u32>,
    /// Names whose first two bytes are `b0, b1` are `first[p]..first[p + 1]` with
    /// `p = b0 * 256 + b1` (every name has two bytes or more): one look-up rejects most
    /// tokens and narrows the others.
    first: Vec<u32>,
    /// The senses of name `i`, strongest first, are `senses[sense_ends[i]..sense_ends[i + 1]]`.
    senses: Vec<Sense>,
    sense_ends: Vec<u32>,
}

/// The bucket of the first two bytes of a name (it has two or more).
fn pair_index(b: &[u8]) -> usize {
    (b[0] as usize) << 8 | b[1] as usize
}

/// The first eight bytes of a name as a big-endian number: comparing it orders names as
/// their bytes do, without a call to `memcmp` for most comparisons of the sort.
fn prefix_key(s: &str) -> u64 {
    let mut k = [0u8; 8];
    let n = s.len().min(8);
    k[..n].copy_from_slice(&s.as_bytes()[..n]);
    u64::from_be_bytes(k)
}

impl NameSet {
    /// Builds the set from (name, sense) pairs in pack order; a name's senses keep the
    /// order of their first occurrence before `rank` sorts them (stably).
    fn build<K: Ord>(pairs: Vec<(&str, Sense)>, rank: impl Fn(&Sense) -> K) -> NameSet {
        let mut keyed: Vec<(u64, &str, Sense)> = pairs
            .into_iter()
            .map(|(n, s)| (prefix_key(n), n, s))
            .collect();
        // equal names keep pack order (the sort is stable)
        keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let total: usize = keyed.iter().map(|p| p.1.len()).sum();
        let mut set = NameSet {
            bytes: Vec::with_capacity(total),
            ends: Vec::with_capacity(keyed.len() + 1),
            first: vec![0; 65537],
            senses: Vec::with_capacity(keyed.len()),
            sense_ends: Vec::with_capacity(keyed.len() + 1),
        };
        set.ends.push(0);
        set.sense_ends.push(0);
        let mut prev: Option<&str> = None;
        for (_, name, sense) in keyed {
            if prev != Some(name) {
                if prev.is_some() {
                    set.close_senses(&rank);
                }
                set.bytes.extend_from_slice(name.as_bytes());
                set.ends.push(set.bytes.len() as u32);
                set.first[pair_index(name.as_bytes()) + 1] += 1;
                prev = Some(name);
            }
            let from = *set.sense_ends.last().expect("pushed above") as usize;
            if !set.senses[from..].contains(&sense) {
                set.senses.push(sense);
            }
        }
        if prev.is_some() {
            set.close_senses(&rank);
        }
        for p in 0..65536 {
            set.first[p + 1] += set.first[p];
        }
        set
    }

    /// Ends the senses of the last name, sorting them strongest first.
    fn close_senses<K: Ord>(&mut self, rank: impl Fn(&Sense) -> K) {
        let from = *self.sense_ends.last().expect("starts with 0") as usize;
        self.senses[from..].sort_by_key(rank);
        self.sense_ends.push(self.senses.len() as u32);
    }

    /// The senses of name `i`.
    fn senses_of(&self, i: usize) -> &[Sense] {
        &self.senses[self.sense_ends[i] as usize..self.sense_ends[i + 1] as usize]
    }

    fn name(&self, i: usize) -> &[u8] {
        &self.bytes[self.ends[i] as usize..self.ends[i + 1] as usize]
    }

    /// The longest name that is a prefix of `hay`: (name index, length in bytes).
    fn longest_prefix(&self, hay: &[u8]) -> Option<(usize, usize)> {
        if hay.len() < 2 {
            return None;
        }
        let p = pair_index(hay);
        let (mut lo, mut hi) = (self.first[p] as usize, self.first[p + 1] as usize);
        let mut best = None;
        let mut k = 2;
        while lo < hi {
            // every name in lo..hi starts with hay[..k]; the one of length k sorts first
            if self.name(lo).len() == k {
                best = Some((lo, k));
                lo += 1;
            }
            let Some(&b) = hay.get(k) else { break };
            let below = |i: usize, incl: bool| {
                let c = self.name(i)[k];
                c < b || (incl && c == b)
            };
            let l = lo + partition(hi - lo, |j| below(lo + j, false));
            let h = lo + partition(hi - lo, |j| below(lo + j, true));
            lo = l;
            hi = h;
            k += 1;
        }
        best
    }
}

/// The first `j` in `0..n` for which `pred(j)` is false (`pred` true then false).
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// The compiled name matcher.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    exact: NameSet,
    caps: NameSet,
}

impl Gazetteer {
    /// Compiles every name, alias and adjective of `kb`.
    pub fn new(kb: &Knowledge) -> Gazetteer {
        let mut exact: Vec<(&str, Sense)> = Vec::new();
        let mut upper: Vec<(String, Sense)> = Vec::new();
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
                exact.push((n, sense));
                if n.chars().any(|c| c.is_lowercase()) && n.chars().count() >= 3 {
                    upper.push((n.to_uppercase(), sense));
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
        let caps = upper.iter().map(|(n, s)| (n.as_str(), *s)).collect();
        Gazetteer {
            exact: NameSet::build(exact, rank),
            caps: NameSet::build(caps, rank),
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
    /// starts, in increasing order): one anchored lookup per token instead of a scan of
    /// every position. A name must be the longest one at its start and end on a word
    /// boundary.
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
            let hay = &text.as_bytes()[s..];
            let exact = self
                .exact
                .longest_prefix(hay)
                .map(|(id, len)| (id, s + len))
                .filter(|&(_, e)| bounded_end(e));
            let caps = if hay[0].is_ascii_uppercase() {
                self.caps
                    .longest_prefix(hay)
                    .map(|(id, len)| (id, s + len))
                    .filter(|&(_, e)| {
                        bounded_end(e) && !text[s..e].chars().any(|c| c.is_lowercase())
                    })
            } else {
                None
            };
            let ((id, end), set, is_caps) = match (exact, caps) {
                (Some(e), Some(c)) if c.1 > e.1 => (c, &self.caps, true),
                (Some(e), _) => (e, &self.exact, false),
                (None, Some(c)) => (c, &self.caps, true),
                (None, None) => continue,
            };
            out.push(GazMatch {
                bs: s,
                be: end,
                senses: set.senses_of(id).to_vec(),
                caps: is_caps,
            });
            last_end = end;
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
