//! Token features for the sequence tagger, hashed into a fixed table so that tagging
//! allocates nothing per token: each token's lowercase form, shape, affixes, cue-word
//! classes and gazetteer match are hashed once, and feature ids are mixes of those hashes.
use crate::tokenize::Tok;
use std::collections::HashMap;

/// Cue-word classes (bit flags) from `data/lexicon.tsv`.
pub mod lex {
    /// Comes before a person's name (`President`, `Mullah`).
    pub const TITLE: u16 = 1;
    /// Heads or ends an organisation's name (`Ministry`, `Party`).
    pub const ORGHEAD: u16 = 2;
    /// Follows a place name (`province`, `valley`).
    pub const PLACEHEAD: u16 = 4;
    /// Comes before a place (`in`, `near`).
    pub const PLACEPREP: u16 = 8;
    /// Month and day names.
    pub const TIME: u16 = 16;
    /// Small words inside names (`of`, `al`).
    pub const CONNECTOR: u16 = 32;
    /// Function words that never begin or end a name (`the`, `at`, `said`).
    pub const STOP: u16 = 64;
    /// A common given name or Chinese surname (`Ahmad`, `Wang`).
    pub const NAME: u16 = 128;
    /// Ends the name of a project or facility (`Dam`, `Airport`).
    pub const FACILITY: u16 = 256;
    /// Ends the name of an event or contest (`Open`, `Cup`, `War`).
    pub const EVENT: u16 = 512;
    /// A common word, often seen in lower case (`shares`, `earlier`).
    pub const COMMON: u16 = 1024;
    /// Classes only the rules use (the tagger is trained without them).
    pub const RULES_ONLY: u16 = EVENT;
}

/// FNV-1a over bytes.
#[inline]
pub fn fnv(h: u64, bytes: &[u8]) -> u64 {
    let mut h = h;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

const FNV0: u64 = 0xcbf29ce484222325;

#[inline]
fn mix(a: u64, b: u64) -> u64 {
    let mut x = a ^ b.wrapping_mul(0x9E3779B97F4A7C15);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x
}

/// Hash of a word's lowercase form (no allocation).
pub fn lower_hash(word: &str) -> u64 {
    let mut h = FNV0;
    for c in word.chars() {
        if c.is_ascii() {
            h = fnv(h, &[c.to_ascii_lowercase() as u8]);
        } else {
            for l in c.to_lowercase() {
                let mut buf = [0u8; 4];
                h = fnv(h, l.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    h
}

/// The cue-word lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    map: HashMap<u64, u16>,
}

impl Lexicon {
    /// The built-in lexicon.
    pub fn builtin() -> Lexicon {
        Lexicon::parse(include_str!("../data/lexicon.tsv"))
    }

    /// Parses `word<TAB>class` lines.
    pub fn parse(text: &str) -> Lexicon {
        let mut map = HashMap::new();
        for line in text.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut it = line.split('\t');
            let (Some(w), Some(c)) = (it.next(), it.next()) else {
                continue;
            };
            let bit = match c.trim() {
                "title" => lex::TITLE,
                "orghead" => lex::ORGHEAD,
                "placehead" => lex::PLACEHEAD,
                "placeprep" => lex::PLACEPREP,
                "time" => lex::TIME,
                "connector" => lex::CONNECTOR,
                "stop" => lex::STOP,
                "name" => lex::NAME,
                "facility" => lex::FACILITY,
                "event" => lex::EVENT,
                "common" => lex::COMMON,
                _ => 0,
            };
            *map.entry(lower_hash(w.trim())).or_insert(0) |= bit;
        }
        Lexicon { map }
    }

    /// The classes of a word, by its lowercase hash.
    pub fn get(&self, lower: u64) -> u16 {
        self.map.get(&lower).copied().unwrap_or(0)
    }
}

/// Coarse shape of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Shape {
    /// `kabul`
    Lower = 1,
    /// `Kabul`
    InitCap = 2,
    /// `SCO`
    AllCaps = 3,
    /// `2014`
    Digits = 4,
    /// `iPhone`, `McDonald`, `al-Qaeda`
    Mixed = 5,
    /// `,`
    Punct = 6,
    /// `5G`, `COVID-19`
    AlphaNum = 7,
}

/// What the features need to know about one token, computed once.
#[derive(Debug, Clone, Copy)]
pub struct TokInfo {
    /// Hash of the lowercase form.
    pub lower: u64,
    /// Hash of the exact form.
    pub exact: u64,
    /// Hash of the collapsed shape (`Xx`, `X.X.`, `x-Xx`).
    pub shape_hash: u64,
    /// Coarse shape.
    pub shape: Shape,
    /// Hashes of the lowercase prefixes of 1..=4 characters (0 when shorter).
    pub pre: [u64; 4],
    /// Hashes of the lowercase suffixes of 1..=4 characters.
    pub suf: [u64; 4],
    /// Length in characters (capped at 255).
    pub len: u8,
    /// Cue-word classes.
    pub lex: u16,
    /// Gazetteer code (0 none; see `Recognizer`).
    pub gaz: u8,
    /// First token of its sentence.
    pub sent_start: bool,
}

/// Computes the token info of `word`.
pub fn tok_info(word: &str, tok: &Tok, lexicon: &Lexicon) -> TokInfo {
    let mut lower = FNV0;
    let mut shape_h = FNV0;
    let mut last_class = 0u8;
    let (mut up, mut low, mut dig, mut other, mut n) = (0u32, 0u32, 0u32, 0u32, 0usize);
    let mut pre = [0u64; 4];
    let mut ring = ['\0'; 4];
    let mut first_upper = false;
    for c in word.chars() {
        let lc = if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        };
        let mut buf = [0u8; 4];
        lower = fnv(lower, lc.encode_utf8(&mut buf).as_bytes());
        if n < 4 {
            pre[n] = lower;
        }
        ring[n % 4] = lc;
        let class = if c.is_uppercase() {
            if n == 0 {
                first_upper = true;
            }
            up += 1;
            b'X'
        } else if c.is_lowercase() {
            low += 1;
            b'x'
        } else if c.is_numeric() {
            dig += 1;
            b'd'
        } else {
            other += 1;
            if c.is_ascii() {
                c as u8
            } else {
                b'~'
            }
        };
        if class != last_class {
            shape_h = fnv(shape_h, &[class]);
            last_class = class;
        }
        n += 1;
    }
    let mut suf = [0u64; 4];
    for (k, s) in suf.iter_mut().enumerate() {
        if n > k {
            let mut h = FNV0;
            for j in (0..=k).rev() {
                let c = ring[(n - 1 - j) % 4];
                let mut buf = [0u8; 4];
                h = fnv(h, c.encode_utf8(&mut buf).as_bytes());
            }
            *s = h;
        }
    }
    let shape = if up + low + dig == 0 {
        Shape::Punct
    } else if dig > 0 && up + low == 0 {
        Shape::Digits
    } else if dig > 0 {
        Shape::AlphaNum
    } else if low == 0 {
        Shape::AllCaps
    } else if up == 0 {
        Shape::Lower
    } else if first_upper && up == 1 && other == 0 {
        Shape::InitCap
    } else {
        Shape::Mixed
    };
    TokInfo {
        lower,
        exact: fnv(FNV0, word.as_bytes()),
        shape_hash: shape_h,
        shape,
        pre,
        suf,
        len: n.min(255) as u8,
        lex: lexicon.get(lower),
        gaz: 0,
        sent_start: tok.sent_start,
    }
}

/// Number of labels: O, then B/I for PER, ORG, LOC, MISC.
pub const NLABELS: usize = 9;
/// Label names, in index order.
pub const LABELS: [&str; NLABELS] = [
    "O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC",
];

/// The index of a label name (unknown → O).
pub fn label_index(s: &str) -> u8 {
    LABELS.iter().position(|l| *l == s).unwrap_or(0) as u8
}

const BOS: u64 = 0x5151;
const EOS: u64 = 0x7373;

/// Sentence-level context: whether every word of the sentence is in capitals (headlines).
pub fn caps_sentences(infos: &[TokInfo]) -> Vec<bool> {
    let mut out = vec![false; infos.len()];
    let mut s = 0;
    while s < infos.len() {
        let mut e = s + 1;
        while e < infos.len() && !infos[e].sent_start {
            e += 1;
        }
        let words = infos[s..e]
            .iter()
            .filter(|t| !matches!(t.shape, Shape::Punct | Shape::Digits))
            .count();
        let caps = infos[s..e]
            .iter()
            .filter(|t| matches!(t.shape, Shape::AllCaps))
            .count();
        let flag = words >= 3 && caps * 10 >= words * 7;
        for o in &mut out[s..e] {
            *o = flag;
        }
        s = e;
    }
    out
}

/// Appends the feature hashes of token `i` to `out` (cleared first). `prev`, `prev2` are the
/// labels already chosen for the two tokens before (greedy left-to-right decoding).
pub fn features(
    infos: &[TokInfo],
    caps: &[bool],
    i: usize,
    prev: u8,
    prev2: u8,
    out: &mut Vec<u64>,
) {
    out.clear();
    let t = &infos[i];
    let at = |k: isize| -> Option<&TokInfo> {
        let j = i as isize + k;
        if j < 0 || j as usize >= infos.len() {
            return None;
        }
        // stay inside the sentence
        if k < 0 && (i as isize + k + 1..=i as isize).any(|x| infos[x as usize].sent_start) {
            return None;
        }
        if k > 0 && (i as isize + 1..=j).any(|x| infos[x as usize].sent_start) {
            return None;
        }
        Some(&infos[j as usize])
    };
    let w = |k: isize| {
        at(k)
            .map(|x| x.lower)
            .unwrap_or(if k < 0 { BOS } else { EOS })
    };
    let sh = |k: isize| {
        at(k)
            .map(|x| x.shape_hash)
            .unwrap_or(if k < 0 { BOS } else { EOS })
    };
    // event heads are a cue of the rules only: the tagger was trained without them
    let lx = |k: isize| {
        at(k)
            .map(|x| (x.lex & !lex::RULES_ONLY) as u64)
            .unwrap_or(99)
    };
    let gz = |k: isize| at(k).map(|x| x.gaz as u64).unwrap_or(99);
    let mut f = |tmpl: u64, v: u64| out.push(mix(tmpl, v));
    let sc = t.shape as u64;
    let cap = caps[i] as u64;
    let p = prev as u64;
    f(1, 0);
    f(2, t.lower);
    f(3, w(-1));
    f(4, w(1));
    f(5, w(-2));
    f(6, w(2));
    f(7, t.shape_hash);
    f(8, sh(-1));
    f(9, sh(1));
    for k in 0..4 {
        if t.pre[k] != 0 && (t.len as usize) > k + 1 {
            f(10 + k as u64, t.pre[k]);
        }
        if t.suf[k] != 0 && (t.len as usize) > k + 1 {
            f(14 + k as u64, t.suf[k]);
        }
    }
    if t.shape != Shape::Lower {
        f(18, t.exact);
    }
    f(19, sc * 4 + (t.sent_start as u64) * 2 + cap);
    f(20, t.gaz as u64 * 2 + cap);
    f(21, gz(-1));
    f(22, gz(1));
    f(23, lx(-1));
    f(24, (t.lex & !lex::RULES_ONLY) as u64 * 16 + sc);
    f(25, lx(1));
    f(26, p);
    f(27, p * 64 + sc);
    f(28, mix(p, t.lower));
    f(29, mix(w(-1), t.shape_hash));
    f(30, mix(t.shape_hash, sh(1)));
    f(31, (t.len.min(12) as u64) * 8 + sc);
    f(32, p * 16 + prev2 as u64);
    f(33, mix(t.gaz as u64, sh(-1) ^ sh(1)));
    f(34, mix(lx(-1), t.shape_hash) ^ (p << 3));
    f(35, mix(w(-1), t.lower));
    f(36, mix(t.lower, w(1)));
    if cap == 1 {
        f(37, t.lower);
    }
}
