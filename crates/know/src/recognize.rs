//! The recogniser: pack names found by the gazetteer, names the packs do not know found by
//! the sequence tagger, and a few contextual rules (titles, organisational head words, place
//! head words, coordination) that fix the tagger's kind or find what it missed.
//!
//! Precedence, in one sentence: a trusted pack name wins over the tagger unless the tagger
//! found a longer name of another kind around it (`Kabul University` over `Kabul`); the
//! generated city list is trusted only where the tagger or a place cue agrees.
use crate::features::{caps_sentences, lex, tok_info, Lexicon, Shape, TokInfo};
use crate::gazetteer::{GazMatch, Gazetteer, Sense};
use crate::model::NerModel;
use crate::pack::{Knowledge, Pack};
use crate::tokenize::{tokenize, Tok};
use annals_model::know::EntityKind;
use serde::Serialize;
use std::sync::{Arc, OnceLock};

/// How a name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// A name or alias of a pack entry.
    Pack,
    /// An adjective or demonym of a pack entry (`Kazakh`): points at it without naming it.
    Adjective,
    /// The statistical tagger.
    Model,
    /// A contextual rule (title, head word, place cue, coordination).
    Context,
}

/// A name found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tagged {
    /// Start, in characters.
    pub start: usize,
    /// End (exclusive), in characters.
    pub end: usize,
    /// The text as written.
    pub text: String,
    /// What it names.
    pub kind: EntityKind,
    /// Pack id, when the name is a known one.
    pub entity: Option<String>,
    /// How sure (0..=1).
    pub confidence: f32,
    /// How it was found.
    pub how: How,
    /// Every pack entry the surface can name, strongest first (homonyms, for resolution).
    #[serde(skip)]
    pub senses: Vec<String>,
}

/// The weights shipped with the crate (see `examples/train_ner.rs` and data/ATTRIBUTION.md).
static WEIGHTS: &[u8] = include_bytes!("../data/ner.weights");

/// Recognises names in text.
#[derive(Debug, Clone)]
pub struct Recognizer {
    kb: Arc<Knowledge>,
    gaz: Arc<Gazetteer>,
    lexicon: Arc<Lexicon>,
    model: Arc<NerModel>,
}

#[derive(Debug, Clone)]
struct Cand {
    ts: usize,
    te: usize,
    kind: EntityKind,
    senses: Vec<Sense>,
    conf: f32,
    how: How,
}

/// Everything the recogniser computes about a text, shared by tagging and training.
pub(crate) struct Analysis {
    pub toks: Vec<Tok>,
    pub infos: Vec<TokInfo>,
    pub caps: Vec<bool>,
    /// Gazetteer matches aligned to tokens: (first token, end token, match).
    pub gaz: Vec<(usize, usize, GazMatch)>,
}

fn kind_index(k: EntityKind) -> u8 {
    match k {
        EntityKind::Person => 0,
        EntityKind::Organisation => 1,
        EntityKind::Place => 2,
        EntityKind::Project => 3,
        EntityKind::EventName => 4,
        EntityKind::Other => 5,
    }
}

/// The tagger's label kind (1 PER, 2 ORG, 3 LOC, 4 MISC) as an entity kind.
fn label_kind(l: u8) -> EntityKind {
    match l.div_ceil(2) {
        1 => EntityKind::Person,
        2 => EntityKind::Organisation,
        3 => EntityKind::Place,
        _ => EntityKind::Other,
    }
}

/// CoNLL class of a kind: PER, ORG, LOC, MISC.
pub fn conll_class(k: EntityKind) -> &'static str {
    match k {
        EntityKind::Person => "PER",
        EntityKind::Organisation => "ORG",
        EntityKind::Place => "LOC",
        _ => "MISC",
    }
}

/// True when bytes `bs..be` lie inside a URL or e-mail address (the whitespace-delimited
/// chunk around them has `://`, `www.` or `@`): path segments are not names.
fn in_url(text: &str, bs: usize, be: usize) -> bool {
    let start = text[..bs]
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let end = text[be..]
        .find(char::is_whitespace)
        .map(|i| be + i)
        .unwrap_or(text.len());
    let chunk = &text[start..end];
    chunk.contains("://") || chunk.contains("www.") || (chunk.contains('@') && chunk.contains('.'))
}

impl Recognizer {
    /// The world and field packs with the shipped tagger. Built once per process; clones
    /// share the packs, gazetteer and weights.
    pub fn builtin() -> Recognizer {
        static BUILTIN: OnceLock<Recognizer> = OnceLock::new();
        BUILTIN
            .get_or_init(|| Recognizer::with_model(Pack::builtin(), Self::shipped_model()))
            .clone()
    }

    /// The built-in packs plus `extra` (merged after them, so they can add aliases to built-in
    /// entries by id, or new entries).
    pub fn with_packs(extra: Vec<Pack>) -> Recognizer {
        let mut packs = Pack::builtin();
        packs.extend(extra);
        Recognizer::with_model(packs, Self::shipped_model())
    }

    /// Exactly these packs and this tagger.
    pub fn with_model(packs: Vec<Pack>, model: NerModel) -> Recognizer {
        let kb = Knowledge::from_pack_vec(packs);
        let gaz = Gazetteer::new(&kb);
        Recognizer {
            kb: Arc::new(kb),
            gaz: Arc::new(gaz),
            lexicon: Arc::new(Lexicon::builtin()),
            model: Arc::new(model),
        }
    }

    /// The tagger shipped in `data/ner.weights`.
    pub fn shipped_model() -> NerModel {
        NerModel::from_bytes(WEIGHTS).unwrap_or_else(|_| NerModel::empty(4))
    }

    /// The merged pack knowledge.
    pub fn knowledge(&self) -> &Knowledge {
        &self.kb
    }

    /// Replaces the tagger (training, experiments).
    pub fn set_model(&mut self, model: NerModel) {
        self.model = Arc::new(model);
    }

    pub(crate) fn analyze(&self, text: &str, toks: Vec<Tok>) -> Analysis {
        let mut infos: Vec<TokInfo> = toks
            .iter()
            .map(|t| tok_info(&text[t.bs..t.be], t, &self.lexicon))
            .collect();
        let caps = caps_sentences(&infos);
        let mut gaz = Vec::new();
        let starts: Vec<usize> = toks.iter().map(|t| t.bs).collect();
        for m in self.gaz.find_at(text, &starts) {
            let Ok(ts) = toks.binary_search_by_key(&m.bs, |t| t.bs) else {
                continue;
            };
            let Some(te) = toks[ts..]
                .iter()
                .position(|t| t.be == m.be)
                .map(|k| ts + k + 1)
            else {
                continue;
            };
            if toks[ts..te].iter().any(|t| t.be > m.be) {
                continue;
            }
            let s = m.senses[0];
            let e = &self.kb.entries[s.entry as usize];
            let base = 1 + kind_index(e.kind()) * 2;
            let code = base + 12 * (e.weak as u8) + 24 * (s.adjective as u8) + 48 * (m.caps as u8);
            for (k, info) in infos[ts..te].iter_mut().enumerate() {
                info.gaz = code + (k > 0) as u8;
            }
            gaz.push((ts, te, m));
        }
        Analysis {
            toks,
            infos,
            caps,
            gaz,
        }
    }

    /// Tags a text: every name found, in order, not overlapping.
    pub fn tag(&self, text: &str) -> Vec<Tagged> {
        let a = self.analyze(text, tokenize(text));
        let (labels, margins) = self.model.tag(&a.infos, &a.caps);
        let mut cands = self.combine(text, &a, &labels, &margins);
        self.agree(text, &a, &mut cands);
        cands
            .into_iter()
            .filter(|c| !in_url(text, a.toks[c.ts].bs, a.toks[c.te - 1].be))
            .map(|c| {
                let (cs, ce) = (a.toks[c.ts].cs, a.toks[c.te - 1].ce);
                let (bs, be) = (a.toks[c.ts].bs, a.toks[c.te - 1].be);
                let senses: Vec<String> = c
                    .senses
                    .iter()
                    .map(|s| self.kb.entries[s.entry as usize].id.clone())
                    .collect();
                Tagged {
                    start: cs,
                    end: ce,
                    text: text[bs..be].to_string(),
                    kind: c.kind,
                    entity: senses.first().cloned(),
                    confidence: c.conf,
                    how: c.how,
                    senses,
                }
            })
            .collect()
    }

    fn combine(&self, text: &str, a: &Analysis, labels: &[u8], margins: &[f32]) -> Vec<Cand> {
        let infos = &a.infos;
        let n = infos.len();
        let word = |i: usize| &text[a.toks[i].bs..a.toks[i].be];
        let capitalised = |i: usize| {
            matches!(
                infos[i].shape,
                Shape::InitCap | Shape::AllCaps | Shape::Mixed
            )
        };
        // 1. tagger spans
        let mut model: Vec<Cand> = Vec::new();
        let mut i = 0;
        while i < n {
            let l = labels[i];
            if l == 0 || l.is_multiple_of(2) {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n && labels[j] == l + 1 {
                j += 1;
            }
            let m = margins[i..j].iter().cloned().fold(f32::MAX, f32::min);
            let conf = 0.5 + 0.45 * (1.0 - (-m / 4.0).exp());
            // trim function words and numbers at the edges before comparing with pack names
            let edge = |k: usize| {
                infos[k].lex & lex::STOP != 0
                    || matches!(infos[k].shape, Shape::Punct | Shape::Digits)
            };
            // a name is capitalised words, with small connectors inside ("Bank of China"):
            // split the tagger's span at anything else
            // ("Braves and Cubs" are two names; packs know "Trinidad and Tobago")
            let connector = |k: usize| infos[k].lex & lex::CONNECTOR != 0 && word(k) != "and";
            // nor do numbers, month and day names ("CNBC Friday", "Blackpool 0 Wycombe")
            let inner = |k: usize| {
                (connector(k) || (infos[k].shape != Shape::Lower && infos[k].lex & lex::STOP == 0))
                    && (infos[k].shape != Shape::Punct
                        || matches!(word(k), "&" | "." | "-" | "'s" | "’s"))
                    && infos[k].shape != Shape::Digits
                    && infos[k].lex & lex::TIME == 0
            };
            let mut k = i;
            while k < j {
                while k < j && !inner(k) {
                    k += 1;
                }
                let mut e = k;
                while e < j && inner(e) {
                    e += 1;
                }
                let (mut ts, mut te) = (k, e);
                while ts < te && (edge(ts) || connector(ts) && infos[ts].shape == Shape::Lower) {
                    ts += 1;
                }
                while te > ts
                    && (edge(te - 1) || connector(te - 1) && infos[te - 1].shape == Shape::Lower)
                {
                    te -= 1;
                }
                if ts < te && infos[ts].shape != Shape::Lower {
                    model.push(Cand {
                        ts,
                        te,
                        kind: label_kind(l),
                        senses: vec![],
                        conf,
                        how: How::Model,
                    });
                }
                k = e.max(k + 1);
            }
            i = j;
        }
        let overlaps = |c: &Cand, ts: usize, te: usize| c.ts < te && ts < c.te;
        // 2. pack names
        let mut out: Vec<Cand> = Vec::new();
        for (ts, te, m) in &a.gaz {
            let (ts, te) = (*ts, *te);
            let s = m.senses[0];
            let e = &self.kb.entries[s.entry as usize];
            let agrees = model.iter().any(|c| overlaps(c, ts, te));
            let acronym = word(ts).chars().all(|c| !c.is_lowercase()) && te - ts == 1;
            let trusted = if s.adjective {
                true
            } else if e.weak {
                let prep =
                    ts > 0 && infos[ts - 1].lex & lex::PLACEPREP != 0 && !infos[ts].sent_start;
                let head = te < n && infos[te].lex & lex::PLACEHEAD != 0;
                (agrees && !infos[ts].sent_start) || prep || head
            } else if a.caps[ts] && acronym && !m.caps {
                agrees
            } else {
                true
            };
            if !trusted {
                continue;
            }
            let ambiguous = m.senses.iter().filter(|x| !x.adjective).count() > 1;
            let (kind, how, conf) = if s.adjective {
                (EntityKind::Other, How::Adjective, 0.9)
            } else {
                let conf = if e.weak {
                    0.7
                } else if ambiguous {
                    0.85
                } else {
                    0.95
                };
                (e.kind(), How::Pack, conf)
            };
            out.push(Cand {
                ts,
                te,
                kind,
                senses: m.senses.clone(),
                conf,
                how,
            });
        }
        // 3. tagger spans against pack names
        for mc in model {
            let hit: Vec<usize> = (0..out.len())
                .filter(|&k| overlaps(&out[k], mc.ts, mc.te))
                .collect();
            if hit.is_empty() {
                out.push(mc);
                continue;
            }
            let contains_all = hit
                .iter()
                .all(|&k| out[k].ts >= mc.ts && out[k].te <= mc.te);
            let longer = hit.iter().all(|&k| out[k].te - out[k].ts < mc.te - mc.ts);
            let other_kind = hit
                .iter()
                .all(|&k| out[k].kind != mc.kind || out[k].how == How::Adjective);
            let head = infos[mc.te - 1].lex & (lex::ORGHEAD | lex::PLACEHEAD) != 0
                && capitalised(mc.te - 1);
            let extra_capitalised = (mc.ts..mc.te).all(|i| {
                hit.iter().any(|&k| out[k].ts <= i && i < out[k].te)
                    || capitalised(i)
                    || (i > mc.ts && i + 1 < mc.te && infos[i].lex & lex::CONNECTOR != 0)
            });
            // only places, adjectives and generated names may be swallowed ("Kabul University",
            // "Chinese Embassy"); a known person or organisation is never part of a longer name
            let swallowable = hit.iter().all(|&k| {
                let c = &out[k];
                c.how == How::Adjective
                    || c.kind == EntityKind::Place
                    || c.senses
                        .first()
                        .is_some_and(|s| self.kb.entries[s.entry as usize].weak)
            });
            if contains_all
                && longer
                && extra_capitalised
                && swallowable
                && !a.caps[mc.ts]
                && (other_kind || head)
            {
                let mut keep = Vec::with_capacity(out.len());
                for (k, c) in out.drain(..).enumerate() {
                    if !hit.contains(&k) {
                        keep.push(c);
                    }
                }
                out = keep;
                out.push(mc);
            }
        }
        out.sort_by_key(|c| c.ts);
        // 3b. a national adjective right before a known organisation is part of its name
        //     ("Afghan National Directorate of Security")
        let mut k = 1;
        while k < out.len() {
            let (p, c) = (&out[k - 1], &out[k]);
            if p.how == How::Adjective
                && c.how == How::Pack
                && c.kind == EntityKind::Organisation
                && p.te == c.ts
                && capitalised(c.ts)
                && !a.caps[c.ts]
            {
                out[k].ts = out[k - 1].ts;
                out.remove(k - 1);
            } else {
                k += 1;
            }
        }
        let covered = |out: &[Cand], i: usize| out.iter().any(|c| c.ts <= i && i < c.te);
        // 4. contextual rules (not in all-capital headlines, where capitals say nothing)
        let name_tok = |i: usize| {
            capitalised(i)
                && infos[i].lex
                    & (lex::TIME | lex::ORGHEAD | lex::PLACEHEAD | lex::TITLE | lex::STOP)
                    == 0
        };
        // 4a. titles: "Foreign Minister Qin Gang", "Gen. Fang", "Mullah Baradar"
        for i in 0..n.saturating_sub(1) {
            if a.caps[i] || infos[i].lex & lex::TITLE == 0 {
                continue;
            }
            let mut j = i + 1;
            while j < n && j - i <= 3 && name_tok(j) && !infos[j].sent_start {
                j += 1;
            }
            if j == i + 1 {
                continue;
            }
            // a name continues with a lower connector only in "al-", "bin" forms; stop here
            let hit: Vec<usize> = (0..out.len())
                .filter(|&k| overlaps(&out[k], i + 1, j))
                .collect();
            if hit
                .iter()
                .any(|&k| out[k].how == How::Pack && out[k].kind != EntityKind::Person)
            {
                continue;
            }
            if hit
                .iter()
                .any(|&k| out[k].ts < i + 1 && out[k].kind == EntityKind::Person)
            {
                continue;
            }
            let inside = hit.iter().all(|&k| out[k].ts >= i && out[k].te <= j);
            if !inside {
                continue;
            }
            // keep a pack person as it is
            if hit.len() == 1 && out[hit[0]].how == How::Pack {
                continue;
            }
            out.retain(|c| !overlaps(c, i + 1, j));
            out.push(Cand {
                ts: i + 1,
                te: j,
                kind: EntityKind::Person,
                senses: vec![],
                conf: 0.75,
                how: How::Context,
            });
        }
        out.sort_by_key(|c| c.ts);
        // 4b. organisational head words: "Ministry of Commerce", "Karachi University"
        let mut i = 0;
        while i < n {
            if a.caps[i]
                || !capitalised(i)
                || infos[i].lex & (lex::CONNECTOR | lex::PLACEPREP | lex::TIME | lex::STOP) != 0
            {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            loop {
                if j < n && capitalised(j) && !infos[j].sent_start && infos[j].lex & lex::TIME == 0
                {
                    j += 1;
                } else if j + 1 < n
                    && infos[j].lex & lex::CONNECTOR != 0
                    && infos[j].shape == Shape::Lower
                    && capitalised(j + 1)
                    && !matches!(word(j), "and" | "on")
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let has_head = (i..j)
                .any(|k| infos[k].lex & lex::ORGHEAD != 0 && infos[k].shape == Shape::InitCap);
            let facility =
                infos[j - 1].lex & lex::FACILITY != 0 && infos[j - 1].shape == Shape::InitCap;
            let kind = if facility {
                EntityKind::Project
            } else {
                EntityKind::Organisation
            };
            if j - i >= 2 && (has_head || facility) {
                let hit: Vec<usize> = (0..out.len())
                    .filter(|&k| overlaps(&out[k], i, j))
                    .collect();
                let inside = hit.iter().all(|&k| out[k].ts >= i && out[k].te <= j);
                let same = hit.len() == 1 && out[hit[0]].ts == i && out[hit[0]].te == j;
                let pack_org = hit.iter().any(|&k| {
                    out[k].how == How::Pack
                        && (matches!(out[k].kind, EntityKind::Organisation | EntityKind::Project)
                            || (out[k].ts == i && out[k].te == j))
                });
                if inside && !pack_org {
                    if same {
                        out[hit[0]].kind = kind;
                    } else {
                        out.retain(|c| !overlaps(c, i, j));
                        out.push(Cand {
                            ts: i,
                            te: j,
                            kind,
                            senses: vec![],
                            conf: 0.7,
                            how: How::Context,
                        });
                    }
                }
            }
            i = j;
        }
        out.sort_by_key(|c| c.ts);
        // 4c. place head words: "Logar province" (name only), "Ili Valley" (whole name)
        for i in 1..n {
            if a.caps[i] || infos[i].lex & lex::PLACEHEAD == 0 || infos[i].lex & lex::ORGHEAD != 0 {
                continue;
            }
            let ts = i - 1;
            if !name_tok(ts) || infos[ts].sent_start && infos[i].shape == Shape::Lower {
                continue;
            }
            let te = if infos[i].shape == Shape::InitCap {
                i + 1
            } else {
                i
            };
            let hit: Vec<usize> = (0..out.len())
                .filter(|&k| overlaps(&out[k], ts, te))
                .collect();
            if hit.iter().any(|&k| {
                matches!(out[k].how, How::Pack | How::Adjective) || out[k].ts < ts || out[k].te > te
            }) {
                continue;
            }
            out.retain(|c| !overlaps(c, ts, te));
            out.push(Cand {
                ts,
                te,
                kind: EntityKind::Place,
                senses: vec![],
                conf: 0.65,
                how: How::Context,
            });
        }
        out.sort_by_key(|c| c.ts);
        // 4c'. personal names: "Sun Yuxi", "Ahmad Zia Massoud" (a given name or Chinese surname
        //      followed by capitalised words) are people, whatever the tagger said
        //      An initial before a surname ("C. Lewis", "A.J. Smith") is as good a cue.
        let initial = |i: usize| {
            let w = word(i).as_bytes();
            w.len() >= 2
                && w.len() <= 6
                && w.chunks(2)
                    .all(|c| c.len() == 2 && c[0].is_ascii_uppercase() && c[1] == b'.')
        };
        let mut i = 0;
        while i < n {
            let cue = (infos[i].lex & lex::NAME != 0 && infos[i].shape == Shape::InitCap)
                || (initial(i) && i + 1 < n && infos[i + 1].shape == Shape::InitCap);
            if a.caps[i] || !cue || infos[i].lex & lex::STOP != 0 {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n
                && j - i < 4
                && name_tok(j)
                && infos[j].lex & lex::FACILITY == 0
                && !infos[j].sent_start
            {
                j += 1;
            }
            if j - i >= 2 {
                let hit: Vec<usize> = (0..out.len())
                    .filter(|&k| overlaps(&out[k], i, j))
                    .collect();
                let free = hit
                    .iter()
                    .all(|&k| out[k].how == How::Model && out[k].ts >= i && out[k].te <= j);
                let already = hit.len() == 1 && out[hit[0]].kind == EntityKind::Person;
                if free && !already {
                    out.retain(|c| !overlaps(c, i, j));
                    out.push(Cand {
                        ts: i,
                        te: j,
                        kind: EntityKind::Person,
                        senses: vec![],
                        conf: 0.7,
                        how: How::Context,
                    });
                }
            }
            i = j;
        }
        out.sort_by_key(|c| c.ts);
        // 4c''. two or three plain capitalised words the tagger called "other" (its training
        //      sets are full of titles of works) are mostly a person's name in prose
        for c in out.iter_mut() {
            if c.how == How::Model
                && c.kind == EntityKind::Other
                && (2..=3).contains(&(c.te - c.ts))
                && !a.caps[c.ts]
                && (c.ts..c.te).all(|k| {
                    infos[k].shape == Shape::InitCap && infos[k].lex == 0 && infos[k].gaz == 0
                })
            {
                c.kind = EntityKind::Person;
            }
        }
        // 4d. coordination with known places and people: "Osh, Batken and Jalal-Abad"
        for _ in 0..2 {
            let mut add = Vec::new();
            for c in &out {
                if !matches!(c.kind, EntityKind::Place | EntityKind::Person)
                    || c.how == How::Adjective
                {
                    continue;
                }
                for (k, step) in [(c.te, 1isize), (c.ts, -1)] {
                    // neighbour token across ", " or "and"/"or"
                    let conj = if step > 0 { k } else { k.wrapping_sub(1) };
                    if conj >= n || !matches!(word(conj), "," | "and" | "or") {
                        continue;
                    }
                    let o = if step > 0 {
                        conj + 1
                    } else {
                        conj.wrapping_sub(1)
                    };
                    if o >= n
                        || a.caps[o]
                        || !name_tok(o)
                        || infos[o].sent_start
                        || covered(&out, o)
                    {
                        continue;
                    }
                    let next_cap = o + 1 < n && capitalised(o + 1);
                    let prev_cap = o > 0 && capitalised(o - 1) && o - 1 != conj;
                    if next_cap || prev_cap {
                        continue;
                    }
                    add.push(Cand {
                        ts: o,
                        te: o + 1,
                        kind: c.kind,
                        senses: vec![],
                        conf: 0.55,
                        how: How::Context,
                    });
                }
            }
            if add.is_empty() {
                break;
            }
            for c in add {
                if !covered(&out, c.ts) {
                    out.push(c);
                }
            }
            out.sort_by_key(|c| c.ts);
        }
        // 4e. results lines ("Lotte 6 Hyundai 2", "CHICAGO 72 58 .554"): in a line of numbers
        //     and names without running prose, a name right before a score is a team, an
        //     organisation, even when it is a city; countries stay places (national sides) and
        //     given name + surname stays a person (golf and athletics results)
        let teams = self.results_teams(text, a, &mut out);
        out.sort_by_key(|c| c.ts);
        // 4f. event heads: a capitalised name ending in one is an event or contest, whatever
        //     place or body it names ("Hong Kong Open", "UEFA Cup", "Korean War"); also in
        //     capitals, where the head word is as clear
        let mut events = Vec::new();
        let mut i = 0;
        while i < n {
            if !capitalised(i) || infos[i].lex & (lex::STOP | lex::TIME | lex::PLACEPREP) != 0 {
                i += 1;
                continue;
            }
            let mut j = i + 1;
            while j < n
                && capitalised(j)
                && !infos[j].sent_start
                && infos[j].lex & (lex::STOP | lex::TIME | lex::PLACEPREP) == 0
            {
                j += 1;
            }
            if let Some(k) = (i + 1..j).rev().find(|&k| infos[k].lex & lex::EVENT != 0) {
                let (ts, te) = (i.max((k + 1).saturating_sub(5)), k + 1);
                let hit: Vec<usize> = (0..out.len())
                    .filter(|&h| overlaps(&out[h], ts, te))
                    .collect();
                // (the tagger's spans in capitals are dropped later anyway)
                let inside = hit.iter().all(|&h| {
                    (out[h].ts >= ts && out[h].te <= te)
                        || (out[h].how == How::Model && a.caps[out[h].ts])
                });
                let person = hit
                    .iter()
                    .any(|&h| out[h].how == How::Pack && out[h].kind == EntityKind::Person);
                if inside && !person {
                    out.retain(|c| !overlaps(c, ts, te));
                    out.push(Cand {
                        ts,
                        te,
                        kind: EntityKind::EventName,
                        senses: vec![],
                        conf: 0.65,
                        how: How::Context,
                    });
                    events.push((ts, te));
                }
            }
            i = j;
        }
        out.sort_by_key(|c| c.ts);
        // 4g. a known place followed by plain capitalised words nobody claimed names something
        //     of that place, mostly a body: a company, a team, a newspaper ("Chittagong
        //     Cement", "Baltimore Orioles")
        let mut taken = vec![false; n];
        for c in &out {
            taken[c.ts..c.te].fill(true);
        }
        let mut k = 0;
        while k < out.len() {
            let c = &out[k];
            let free = |i: usize| {
                i < n
                    && infos[i].shape == Shape::InitCap
                    && !infos[i].sent_start
                    && infos[i].gaz == 0
                    && infos[i].lex
                        & (lex::STOP
                            | lex::TIME
                            | lex::TITLE
                            | lex::PLACEHEAD
                            | lex::PLACEPREP
                            | lex::EVENT
                            | lex::NAME)
                        == 0
                    && !taken[i]
            };
            if c.how == How::Pack && c.kind == EntityKind::Place && !a.caps[c.ts] && free(c.te) {
                let mut te = c.te + 1;
                while te < c.te + 2 && free(te) {
                    te += 1;
                }
                let c = &mut out[k];
                taken[c.te..te].fill(true);
                c.te = te;
                c.kind = EntityKind::Organisation;
                c.senses.clear();
                c.how = How::Context;
                c.conf = 0.6;
            }
            k += 1;
        }
        // 4h. an unknown acronym in running text (two to five capitals, not a cue word, not
        //     claimed) is mostly a body's name ("the NLD", "KDP fighters")
        {
            let mut add = Vec::new();
            for i in 0..n {
                if a.caps[i]
                    || infos[i].shape != Shape::AllCaps
                    || !(2..=5).contains(&infos[i].len)
                    || infos[i].lex != 0
                    || infos[i].gaz != 0
                    || !word(i).bytes().all(|b| b.is_ascii_uppercase())
                    || covered(&out, i)
                    // among other capitals or by a number it is a heading or a unit ("100 MLN")
                    || (i > 0
                        && !infos[i].sent_start
                        && matches!(infos[i - 1].shape, Shape::AllCaps | Shape::Digits))
                    || (i + 1 < n
                        && !infos[i + 1].sent_start
                        && matches!(infos[i + 1].shape, Shape::AllCaps | Shape::Digits))
                {
                    continue;
                }
                add.push(Cand {
                    ts: i,
                    te: i + 1,
                    kind: EntityKind::Organisation,
                    senses: vec![],
                    conf: 0.5,
                    how: How::Context,
                });
            }
            out.extend(add);
            out.sort_by_key(|c| c.ts);
        }
        // 4i. a person's name grows over given names before it ("Naina Yeltsin") and, when it
        //     ends in a given name, over the surname after it ("Alfonso Rios"); a pack person
        //     so grown is someone else
        {
            let plain = |i: usize| {
                infos[i].shape == Shape::InitCap
                    && !a.caps[i]
                    && infos[i].lex & (lex::STOP | lex::TIME | lex::TITLE) == 0
            };
            // a token nobody claimed, or a lone word the tagger guessed
            let mut owner: Vec<Option<usize>> = vec![None; n];
            for (k, c) in out.iter().enumerate() {
                owner[c.ts..c.te].fill(Some(k));
            }
            let free = |out: &[Cand], i: usize| {
                owner[i].is_none_or(|o| out[o].how == How::Model && out[o].te - out[o].ts == 1)
            };
            let mut grown: Vec<(usize, usize, usize)> = Vec::new();
            let mut k = 0;
            while k < out.len() {
                if out[k].kind != EntityKind::Person || a.caps[out[k].ts] {
                    k += 1;
                    continue;
                }
                let (mut ts, mut te) = (out[k].ts, out[k].te);
                while ts > 0
                    && !infos[ts].sent_start
                    && plain(ts - 1)
                    && infos[ts - 1].lex & lex::NAME != 0
                    && free(&out, ts - 1)
                {
                    ts -= 1;
                }
                if te < n
                    && infos[te - 1].lex & lex::NAME != 0
                    && !infos[te].sent_start
                    && plain(te)
                    && infos[te].lex & (lex::ORGHEAD | lex::PLACEHEAD | lex::FACILITY | lex::EVENT)
                        == 0
                    && infos[te].gaz == 0
                    && free(&out, te)
                {
                    te += 1;
                }
                if (ts, te) != (out[k].ts, out[k].te) {
                    grown.push((k, ts, te));
                }
                k += 1;
            }
            if !grown.is_empty() {
                let mut drop = vec![false; out.len()];
                for &(k, ts, te) in &grown {
                    for j in owner[ts..te].iter().flatten() {
                        if *j != k && !grown.iter().any(|g| g.0 == *j) {
                            drop[*j] = true;
                        }
                    }
                    let c = &mut out[k];
                    c.ts = ts;
                    c.te = te;
                    c.senses.clear();
                    c.how = How::Context;
                    c.conf = 0.6;
                }
                let mut j = 0;
                out.retain(|_| {
                    j += 1;
                    !drop[j - 1]
                });
                out.sort_by_key(|c| c.ts);
            }
        }
        // 4j. datelines: a sentence that opens with a name and a date ("BONN 1996-08-28",
        //     "KABUL, March 3 -") opens with the place the story was filed from
        let mut s0 = 0;
        while s0 < n {
            let mut e0 = s0 + 1;
            while e0 < n && !infos[e0].sent_start {
                e0 += 1;
            }
            let mut k = s0;
            while k < e0 && k - s0 < 3 && matches!(infos[k].shape, Shape::AllCaps | Shape::InitCap)
            {
                k += 1;
            }
            let mut d = k;
            if d < e0 && word(d) == "," {
                d += 1;
            }
            let iso = |i: usize| {
                let w = word(i).as_bytes();
                w.len() == 10
                    && w[4] == b'-'
                    && w[7] == b'-'
                    && w[..4].iter().all(u8::is_ascii_digit)
            };
            let date = d < e0
                && (iso(d)
                    || (infos[d].lex & lex::TIME != 0
                        && d + 1 < e0
                        && infos[d + 1].shape == Shape::Digits));
            if k > s0 && date && (s0..k).all(|i| infos[i].lex & (lex::STOP | lex::TIME) == 0) {
                let (ts, te) = (s0, k);
                let pack = a
                    .gaz
                    .iter()
                    .find(|g| g.0 == ts && g.1 == te && !g.2.senses[0].adjective)
                    .map(|g| g.2.senses.clone());
                out.retain(|c| !(c.ts < te && ts < c.te));
                out.push(Cand {
                    ts,
                    te,
                    kind: EntityKind::Place,
                    how: if pack.is_some() {
                        How::Pack
                    } else {
                        How::Context
                    },
                    conf: if pack.is_some() { 0.8 } else { 0.6 },
                    senses: pack.unwrap_or_default(),
                });
                out.sort_by_key(|c| c.ts);
            }
            s0 = e0;
        }
        // 4k. compounds of a name and a participle ("Iran-backed", "Taliban-led", "New
        //     York-based") describe, they do not name: an adjective of the name's entry when a
        //     pack knows it, else an "other" name
        for i in 0..n {
            let w = word(i);
            let Some(h) = w.rfind('-') else { continue };
            let tail = &w[h + 1..];
            if h == 0
                || a.caps[i]
                || !w.starts_with(|c: char| c.is_uppercase())
                || !matches!(
                    tail,
                    "based"
                        | "backed"
                        | "led"
                        | "born"
                        | "owned"
                        | "made"
                        | "run"
                        | "registered"
                        | "controlled"
                        | "ruled"
                        | "bound"
                        | "origin"
                        | "speaking"
                        | "dominated"
                        | "sponsored"
                        | "funded"
                        | "allied"
                        | "held"
                        | "occupied"
                        | "supported"
                        | "brokered"
                        | "linked"
                        | "aligned"
                        | "friendly"
                        | "style"
                )
            {
                continue;
            }
            let claimed = |k: usize| {
                out.iter()
                    .any(|c| c.ts <= k && k < c.te && !(c.how == How::Model && c.te - c.ts == 1))
            };
            if claimed(i) {
                continue;
            }
            let mut ts = i;
            while ts > 0
                && !infos[ts].sent_start
                && infos[ts - 1].shape == Shape::InitCap
                && infos[ts - 1].lex & (lex::STOP | lex::TITLE) == 0
                && !claimed(ts - 1)
                && ts + 3 > i
            {
                ts -= 1;
            }
            let (bs, be) = (a.toks[ts].bs, a.toks[i].bs + h);
            let senses: Vec<Sense> = self
                .gaz
                .find_at(&text[bs..be], &[0])
                .into_iter()
                .find(|m| m.bs == 0 && m.be == be - bs)
                .map(|m| m.senses)
                .unwrap_or_default();
            out.retain(|c| !(c.ts <= i && ts < c.te));
            out.push(Cand {
                ts,
                te: i + 1,
                kind: EntityKind::Other,
                how: if senses.is_empty() {
                    How::Context
                } else {
                    How::Adjective
                },
                conf: 0.7,
                senses,
            });
            out.sort_by_key(|c| c.ts);
        }
        // 5. tidy spans: no leading article, title or number, no trailing possessive or number;
        //    names the tagger or the rules found must start and end with a capitalised word
        let loose = |c: &Cand| c.how != How::Pack || a.caps[c.ts];
        let weak_edge = |i: usize| {
            infos[i].lex & lex::STOP != 0 || matches!(infos[i].shape, Shape::Punct | Shape::Digits)
        };
        for c in &mut out {
            // "Photo by Odd Andersen": a function word inside a found name ends what came before
            if loose(c) {
                if let Some(k) = (c.ts + 1..c.te.saturating_sub(1))
                    .rev()
                    .find(|&k| infos[k].lex & lex::STOP != 0 && infos[k].lex & lex::CONNECTOR == 0)
                {
                    c.ts = k + 1;
                }
            }
            while c.te - c.ts > 1 {
                let title = c.kind == EntityKind::Person
                    && infos[c.ts].lex & lex::TITLE != 0
                    && c.how != How::Pack;
                if (loose(c) && weak_edge(c.ts)) || title {
                    c.ts += 1;
                } else {
                    break;
                }
            }
            while c.te - c.ts > 1
                && (matches!(word(c.te - 1), "’s" | "'s" | "," | "." | "-")
                    || (loose(c) && weak_edge(c.te - 1)))
            {
                c.te -= 1;
            }
        }
        // runs of six or more title-case words (a cited article's title: "Mobile Vendor Market
        // Share in Kyrgyzstan Grows") say little about names: only a name covering the run stays
        let mut run_of = vec![(0usize, 0usize); n];
        let mut i = 0;
        while i < n {
            if !capitalised(i) {
                i += 1;
                continue;
            }
            let (mut j, mut caps_count) = (i, 0);
            // small words of titles may stand between the capitalised ones, one at a time
            let small = |k: usize| {
                infos[k].shape == Shape::Lower
                    && (infos[k].lex & lex::CONNECTOR != 0
                        || matches!(
                            word(k),
                            "in" | "to"
                                | "a"
                                | "an"
                                | "at"
                                | "with"
                                | "from"
                                | "by"
                                | "as"
                                | "over"
                        ))
            };
            while j < n && (capitalised(j) || (small(j) && j > i && capitalised(j - 1))) {
                caps_count += capitalised(j) as usize;
                j += 1;
            }
            while j > i && !capitalised(j - 1) {
                j -= 1;
            }
            if caps_count >= 6 {
                for r in &mut run_of[i..j] {
                    *r = (i, j);
                }
            }
            i = j.max(i + 1);
        }
        // a common word opening a sentence is capitalised for that reason only ("Shares of
        // ...", "Earlier Karimov said"): not a name, nor the start of one
        let opener = |i: usize| {
            infos[i].sent_start
                && infos[i].lex & lex::COMMON != 0
                && infos[i].lex & lex::NAME == 0
                && infos[i].gaz == 0
        };
        for c in &mut out {
            if matches!(c.how, How::Model | How::Context) && opener(c.ts) && c.te - c.ts > 1 {
                c.ts += 1;
            }
        }
        out.retain(|c| {
            if matches!(c.how, How::Model | How::Context) && opener(c.ts) {
                return false;
            }
            if !loose(c) {
                return true;
            }
            let (rs, re) = run_of[c.ts];
            // (lines in capitals are headlines, not cited titles: the rule below is theirs)
            if re > rs
                && !a.caps[c.ts]
                && !(c.ts <= rs && c.te >= re)
                && matches!(c.how, How::Model | How::Context)
            {
                return false;
            }
            // in a headline in capitals the tagger is mostly wrong (measured: 13 of 221 right)
            if a.caps[c.ts]
                && c.how != How::Pack
                && c.how != How::Adjective
                && !teams.contains(&(c.ts, c.te))
                && !events.contains(&(c.ts, c.te))
            {
                return false;
            }
            let only_cues = (c.ts..c.te).all(|k| {
                infos[k].lex & (lex::TITLE | lex::ORGHEAD | lex::PLACEHEAD | lex::TIME) != 0
            });
            !only_cues
                && !weak_edge(c.ts)
                && infos[c.ts].shape != Shape::Lower
                && (infos[c.te - 1].shape != Shape::Lower || c.te - c.ts == 1)
        });
        out
    }

    /// One text, one reading of a name: a single word that is the surname of a person named
    /// in full elsewhere in the text is that person ("Adam Hollioake ... Hollioake"), and names
    /// the tagger read differently in different places take the kind most of them got.
    fn agree(&self, text: &str, a: &Analysis, out: &mut Vec<Cand>) {
        let infos = &a.infos;
        let word = |i: usize| &text[a.toks[i].bs..a.toks[i].be];
        let mut surnames: Vec<&str> = out
            .iter()
            .filter(|c| c.kind == EntityKind::Person && c.te - c.ts >= 2)
            .map(|c| word(c.te - 1))
            .filter(|w| w.chars().count() > 2 && w.chars().next().is_some_and(char::is_uppercase))
            .collect();
        surnames.sort_unstable();
        surnames.dedup();
        let loose = |c: &Cand| {
            matches!(c.how, How::Model | How::Context)
                || (c.how == How::Pack
                    && c.senses
                        .first()
                        .is_some_and(|s| self.kb.entries[s.entry as usize].weak))
        };
        if !surnames.is_empty() {
            for c in out.iter_mut() {
                if c.te - c.ts == 1
                    && c.kind != EntityKind::Person
                    && loose(c)
                    && surnames.binary_search(&word(c.ts)).is_ok()
                {
                    c.kind = EntityKind::Person;
                    c.senses.clear();
                    c.how = How::Context;
                }
            }
            let mut covered = vec![false; infos.len()];
            for c in out.iter() {
                covered[c.ts..c.te].fill(true);
            }
            let mut add = Vec::new();
            for (i, info) in infos.iter().enumerate() {
                if covered[i]
                    || a.caps[i]
                    || info.shape != Shape::InitCap
                    || info.lex & (lex::STOP | lex::TIME | lex::TITLE) != 0
                    || surnames.binary_search(&word(i)).is_err()
                {
                    continue;
                }
                // not inside a longer capitalised run the recogniser chose to leave alone
                let run = |k: usize| {
                    !infos[k].sent_start
                        && matches!(infos[k].shape, Shape::InitCap | Shape::AllCaps)
                };
                if (i + 1 < infos.len() && run(i + 1)) || (i > 0 && !info.sent_start && run(i - 1))
                {
                    continue;
                }
                add.push(Cand {
                    ts: i,
                    te: i + 1,
                    kind: EntityKind::Person,
                    senses: vec![],
                    conf: 0.6,
                    how: How::Context,
                });
            }
            if !add.is_empty() {
                out.extend(add);
                out.sort_by_key(|c| c.ts);
            }
        }
        // majority kind of the tagger's readings of one surface
        let mut model: Vec<(&str, usize)> = out
            .iter()
            .enumerate()
            .filter(|(_, c)| c.how == How::Model)
            .map(|(k, c)| (&text[a.toks[c.ts].bs..a.toks[c.te - 1].be], k))
            .collect();
        if model.len() < 2 {
            return;
        }
        model.sort_unstable();
        const KINDS: [EntityKind; 6] = [
            EntityKind::Person,
            EntityKind::Organisation,
            EntityKind::Place,
            EntityKind::Project,
            EntityKind::EventName,
            EntityKind::Other,
        ];
        for group in model.chunk_by(|x, y| x.0 == y.0).filter(|g| g.len() > 1) {
            let mut v = [0f32; 6];
            for &(_, k) in group {
                v[kind_index(out[k].kind) as usize] += out[k].conf;
            }
            let best = (0..6).max_by(|&x, &y| v[x].total_cmp(&v[y])).unwrap_or(0);
            for &(_, k) in group {
                out[k].kind = KINDS[best];
            }
        }
    }

    /// Step 4e of [`Recognizer::combine`]: finds the teams of results lines, replaces what
    /// overlapped them in `out`, and returns their spans.
    fn results_teams(&self, text: &str, a: &Analysis, out: &mut Vec<Cand>) -> Vec<(usize, usize)> {
        let infos = &a.infos;
        let n = infos.len();
        let word = |i: usize| &text[a.toks[i].bs..a.toks[i].be];
        let capitalised = |i: usize| {
            matches!(
                infos[i].shape,
                Shape::InitCap | Shape::AllCaps | Shape::Mixed
            ) && infos[i].lex & (lex::STOP | lex::TIME) == 0
        };
        let score = |i: usize| {
            let w = word(i);
            !w.is_empty() && w.len() <= 3 && w.bytes().all(|b| b.is_ascii_digit())
        };
        let mut teams = Vec::new();
        let mut s = 0;
        while s < n {
            let mut e = s + 1;
            while e < n && !infos[e].sent_start {
                e += 1;
            }
            let numbers = (s..e).filter(|&k| infos[k].shape == Shape::Digits).count();
            let prose = (s..e).any(|k| infos[k].shape == Shape::Lower && infos[k].len > 2);
            if prose || numbers * 10 < (e - s) * 3 {
                s = e;
                continue;
            }
            for k in s + 1..e {
                if !score(k) || !capitalised(k - 1) {
                    continue;
                }
                let te = k;
                let mut ts = k - 1;
                while ts > s && capitalised(ts - 1) && te - ts < 4 {
                    ts -= 1;
                }
                let hit: Vec<usize> = (0..out.len())
                    .filter(|&j| out[j].ts < te && ts < out[j].te)
                    .collect();
                let keep = hit.iter().any(|&j| {
                    let c = &out[j];
                    c.ts < ts
                        || c.te > te
                        || (c.how == How::Pack
                            && (c.kind == EntityKind::Person
                                || c.senses.first().is_some_and(|x| {
                                    self.kb.entries[x.entry as usize].is_country()
                                })))
                });
                if keep {
                    continue;
                }
                let person = te - ts >= 2 && infos[ts].lex & lex::NAME != 0;
                out.retain(|c| !(c.ts < te && ts < c.te));
                out.push(Cand {
                    ts,
                    te,
                    kind: if person {
                        EntityKind::Person
                    } else {
                        EntityKind::Organisation
                    },
                    senses: vec![],
                    conf: 0.6,
                    how: How::Context,
                });
                teams.push((ts, te));
            }
            s = e;
        }
        teams
    }

    /// The names of one text as the JSON array [`Recognizer::tag_jsonl`] writes
    /// (`[{"start","end","text","type","entity","confidence"}]`), for callers that write
    /// their own lines (`annals entities tag --time`).
    pub fn mentions_json(&self, text: &str) -> serde_json::Value {
        let mentions: Vec<serde_json::Value> = self
            .tag(text)
            .into_iter()
            .map(|t| {
                serde_json::json!({
                    "start": t.start, "end": t.end, "text": t.text,
                    "type": t.kind.as_str(), "entity": t.entity, "confidence": t.confidence,
                })
            })
            .collect();
        serde_json::Value::Array(mentions)
    }

    /// Reads `{"id","text"}` lines and writes `{"id","mentions":[{"start","end","text","type","entity"}]}`
    /// lines (offsets in characters; adjectives such as `Chinese` come as type `other` with
    /// their country's id). Returns how many input lines were not such objects and were skipped.
    pub fn tag_jsonl(
        &self,
        input: impl std::io::BufRead,
        mut output: impl std::io::Write,
    ) -> std::io::Result<usize> {
        #[derive(serde::Deserialize)]
        struct In {
            id: serde_json::Value,
            text: String,
        }
        let mut skipped = 0;
        for line in input.lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let Ok(rec) = serde_json::from_str::<In>(&line) else {
                skipped += 1;
                continue;
            };
            let out =
                serde_json::json!({ "id": rec.id, "mentions": self.mentions_json(&rec.text) });
            writeln!(output, "{out}")?;
        }
        Ok(skipped)
    }
}
