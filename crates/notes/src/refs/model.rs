//! A linear-chain sequence labeller for references: an averaged structured
//! perceptron with first-order label transitions and Viterbi decoding.
//!
//! Tokens are whitespace-separated words (AnyStyle's unit); labels are
//! AnyStyle's (author, title, journal, container-title, date, volume, pages,
//! publisher, location, url, doi, ...). Features describe the word, its shape,
//! its punctuation, its neighbours, and where it sits (position, inside
//! quotes or parentheses, how many full stops came before), which is what
//! separates a title from a container in styles without quotes.
//!
//! The trained weights ship in `data/refs-model.bin` (trained on AnyStyle's
//! core set, BSD-2; see `data/ATTRIBUTION.md`); retrain with
//! `cargo run --release -p annals-notes --example train_refs`.
use super::names::{parse_names, NameStyle};
use annals_model::notes::{CslItem, CslName};
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::LazyLock;

/// The shipped model's bytes.
static MODEL_BYTES: &[u8] = include_bytes!("../../data/refs-model.bin");

static MODEL: LazyLock<Option<Model>> = LazyLock::new(|| Model::from_bytes(MODEL_BYTES));

/// The shipped model, if one was built in.
pub fn shipped() -> Option<&'static Model> {
    MODEL.as_ref()
}

/// A trained labeller.
#[derive(Debug, Clone)]
pub struct Model {
    /// Label names, by index.
    pub labels: Vec<String>,
    /// `trans[ctx * (L + 1) * L + prev * L + cur]`; row `L` is the start
    /// state; `ctx` is 1 where the previous word ends in punctuation (see
    /// [`boundaries`]), so that changing field mid-phrase costs what it should.
    trans: Vec<f32>,
    /// Feature hash → (label, weight) pairs.
    weights: HashMap<u64, Vec<(u8, f32)>>,
}

/// A word of a reference with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    /// The word as written.
    pub text: &'a str,
    /// Byte offset where it starts.
    pub start: usize,
}

/// Whitespace tokens of a reference.
pub fn tokens(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (b, c) in s.char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push(Token {
                    text: &s[st..b],
                    start: st,
                });
            }
        } else if start.is_none() {
            start = Some(b);
        }
    }
    if let Some(st) = start {
        out.push(Token {
            text: &s[st..],
            start: st,
        });
    }
    out
}

fn h(s: &str) -> u64 {
    let mut x = DefaultHasher::new();
    s.hash(&mut x);
    x.finish()
}

fn core(w: &str) -> String {
    w.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

fn shape(w: &str) -> String {
    let mut out = String::new();
    let mut last = '\0';
    for c in w.chars() {
        let s = if c.is_uppercase() {
            'A'
        } else if c.is_lowercase() {
            'a'
        } else if c.is_ascii_digit() {
            '9'
        } else {
            c
        };
        if s != last || !matches!(s, 'A' | 'a' | '9') {
            out.push(s);
        }
        last = s;
    }
    out
}

const MONTH_WORDS: [&str; 23] = [
    "jan",
    "feb",
    "mar",
    "apr",
    "may",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "january",
    "february",
    "march",
    "april",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
];

/// For each token, 1 when a field may plausibly start there: the previous
/// word ends in punctuation or this one opens a bracket or quote.
pub fn boundaries(toks: &[Token<'_>]) -> Vec<usize> {
    toks.iter()
        .enumerate()
        .map(|(i, t)| {
            let prev_ends = i > 0
                && toks[i - 1]
                    .text
                    .ends_with(['.', ',', ';', ':', '?', '!', '”', '"', '’', ')', ']', '»']);
            let opens = t.text.starts_with(['(', '[', '“', '"', '‘', '«']);
            usize::from(prev_ends || opens)
        })
        .collect()
}

/// Feature hashes of every token.
pub fn features(toks: &[Token<'_>]) -> Vec<Vec<u64>> {
    let n = toks.len();
    let cores: Vec<String> = toks.iter().map(|t| core(t.text)).collect();
    let shapes: Vec<String> = toks.iter().map(|t| shape(t.text)).collect();
    // context state: inside double quotes, parentheses depth, stops before
    let mut in_quote = vec![false; n];
    let mut in_paren = vec![false; n];
    let mut stops_before = vec![0usize; n];
    let mut year_before = vec![false; n];
    let mut since_stop = vec![0usize; n];
    let mut seen_year = false;
    let mut since = 0usize;
    let mut q = false;
    let mut p = 0i32;
    let mut stops = 0usize;
    for (i, t) in toks.iter().enumerate() {
        let starts_q = t.text.starts_with(['“', '"', '‘', '«']);
        if starts_q {
            q = true;
        }
        if t.text.starts_with('(') || t.text.starts_with('[') {
            p += 1;
        }
        in_quote[i] = q;
        in_paren[i] = p > 0;
        stops_before[i] = stops;
        year_before[i] = seen_year;
        since_stop[i] = since;
        since += 1;
        if cores[i].len() >= 4
            && cores[i].len() <= 5
            && (cores[i].starts_with("19") || cores[i].starts_with("20"))
            && cores[i][..4].chars().all(|c| c.is_ascii_digit())
        {
            seen_year = true;
        }
        if t.text.ends_with(['.', ':', ';']) || t.text.ends_with(['”', '"']) {
            since = 0;
        }
        let body = t.text.trim_end_matches([',', '.', ';', ':']);
        if body.ends_with(['”', '"', '’', '»']) && (!starts_q || body.chars().count() > 1) {
            q = false;
        }
        if t.text.contains(')') || t.text.contains(']') {
            p = (p - 1).max(0);
        }
        if t.text.ends_with('.')
            && !(t.text.chars().count() <= 3
                && t.text.chars().next().is_some_and(|c| c.is_uppercase()))
        {
            stops += 1;
        }
    }
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let w = toks[i].text;
        let c = &cores[i];
        let mut f: Vec<String> = Vec::with_capacity(40);
        f.push("b".into());
        f.push(format!("w={c}"));
        f.push(format!("s={}", shapes[i]));
        let first = w.chars().next().unwrap_or(' ');
        let last = w.chars().last().unwrap_or(' ');
        f.push(format!(
            "f={}",
            if first.is_alphanumeric() {
                shape(&first.to_string())
            } else {
                first.to_string()
            }
        ));
        f.push(format!(
            "l={}",
            if last.is_alphanumeric() {
                shape(&last.to_string())
            } else {
                last.to_string()
            }
        ));
        let cl: Vec<char> = c.chars().collect();
        if cl.len() >= 3 {
            f.push(format!("p3={}", cl[..3].iter().collect::<String>()));
            f.push(format!(
                "x3={}",
                cl[cl.len() - 3..].iter().collect::<String>()
            ));
        }
        let digits = w.chars().filter(|c| c.is_ascii_digit()).count();
        f.push(format!("nd={}", digits.min(5)));
        if c.len() == 4
            && c.chars().all(|c| c.is_ascii_digit())
            && (c.starts_with("19") || c.starts_with("20") || c.starts_with("18"))
        {
            f.push("year".into());
        }
        if w.contains("http") || w.contains("www.") {
            f.push("url".into());
        }
        if w.to_lowercase().contains("doi") || w.starts_with("10.") {
            f.push("doi".into());
        }
        if MONTH_WORDS.contains(&c.as_str()) {
            f.push("month".into());
        }
        if w.contains('–') || (w.contains('-') && digits > 0) {
            f.push("range".into());
        }
        if w.chars().count() <= 3 && first.is_uppercase() && w.ends_with('.') {
            f.push("initial".into());
        }
        f.push(format!("pos={}", (i * 8 / n.max(1)).min(7)));
        if i == 0 {
            f.push("first".into());
        }
        if i + 1 == n {
            f.push("last".into());
        }
        f.push(format!("q={}", in_quote[i]));
        f.push(format!("par={}", in_paren[i]));
        f.push(format!("st={}", stops_before[i].min(4)));
        f.push(format!("st={}|s={}", stops_before[i].min(4), shapes[i]));
        f.push(format!("yb={}", year_before[i]));
        f.push(format!(
            "yb={}|st={}",
            year_before[i],
            stops_before[i].min(4)
        ));
        f.push(format!("ss={}", since_stop[i].min(3)));
        f.push(format!("ss={}|s={}", since_stop[i].min(3), shapes[i]));
        if cl.len() >= 4 {
            f.push(format!(
                "x4={}",
                cl[cl.len() - 4..].iter().collect::<String>()
            ));
        }
        for d in [-2i32, -1, 1, 2] {
            let j = i as i32 + d;
            if j < 0 || j >= n as i32 {
                f.push(format!("{d}:none"));
                continue;
            }
            let j = j as usize;
            f.push(format!("{d}:w={}", cores[j]));
            if d.abs() == 1 {
                f.push(format!("{d}:s={}", shapes[j]));
                let lj = toks[j].text.chars().last().unwrap_or(' ');
                if !lj.is_alphanumeric() {
                    f.push(format!("{d}:l={lj}"));
                }
            }
        }
        if i > 0 {
            f.push(format!("w={c}|-1:w={}", cores[i - 1]));
            f.push(format!("s={}|-1:s={}", shapes[i], shapes[i - 1]));
        }
        out.push(f.iter().map(|s| h(s)).collect());
    }
    out
}

impl Model {
    fn n(&self) -> usize {
        self.labels.len()
    }

    fn emissions(&self, feats: &[Vec<u64>]) -> Vec<Vec<f32>> {
        let l = self.n();
        feats
            .iter()
            .map(|fs| {
                let mut e = vec![0f32; l];
                for f in fs {
                    if let Some(ws) = self.weights.get(f) {
                        for &(k, w) in ws {
                            e[k as usize] += w;
                        }
                    }
                }
                e
            })
            .collect()
    }

    /// The best label index for every token, given its features and
    /// [`boundaries`].
    pub fn decode(&self, feats: &[Vec<u64>], ctx: &[usize]) -> Vec<usize> {
        viterbi(&self.emissions(feats), &self.trans, self.n(), ctx)
    }

    /// Labels the tokens of `text` and returns `(label, segment text)` runs.
    pub fn label(&self, text: &str) -> Vec<(String, String)> {
        let toks = tokens(text);
        if toks.is_empty() {
            return Vec::new();
        }
        let labels = self.decode(&features(&toks), &boundaries(&toks));
        let mut out: Vec<(String, String)> = Vec::new();
        for (t, l) in toks.iter().zip(labels) {
            let name = &self.labels[l];
            match out.last_mut() {
                Some((last, seg)) if last == name => {
                    seg.push(' ');
                    seg.push_str(t.text);
                }
                _ => out.push((name.clone(), t.text.to_string())),
            }
        }
        out
    }

    /// Serialises the model (little-endian binary).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(b"ANRM2");
        b.push(self.labels.len() as u8);
        for l in &self.labels {
            b.push(l.len() as u8);
            b.extend_from_slice(l.as_bytes());
        }
        for t in &self.trans {
            b.extend_from_slice(&t.to_le_bytes());
        }
        let mut keys: Vec<&u64> = self.weights.keys().collect();
        keys.sort();
        b.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            let ws = &self.weights[k];
            b.extend_from_slice(&k.to_le_bytes());
            b.push(ws.len() as u8);
            for &(l, w) in ws {
                b.push(l);
                // weights are stored as f16-like i16 with a fixed scale
                let q = (w * 64.0).round().clamp(i16::MIN as f32, i16::MAX as f32) as i16;
                b.extend_from_slice(&q.to_le_bytes());
            }
        }
        b
    }

    /// Reads a model written by [`Model::to_bytes`]; `None` for an empty or
    /// foreign file.
    pub fn from_bytes(b: &[u8]) -> Option<Model> {
        let mut r = Reader { b, i: 0 };
        if r.take(5)? != b"ANRM2" {
            return None;
        }
        let nl = r.u8()? as usize;
        let mut labels = Vec::with_capacity(nl);
        for _ in 0..nl {
            let len = r.u8()? as usize;
            labels.push(String::from_utf8(r.take(len)?.to_vec()).ok()?);
        }
        let mut trans = Vec::with_capacity(2 * (nl + 1) * nl);
        for _ in 0..2 * (nl + 1) * nl {
            trans.push(f32::from_le_bytes(r.take(4)?.try_into().ok()?));
        }
        let nf = u32::from_le_bytes(r.take(4)?.try_into().ok()?) as usize;
        let mut weights = HashMap::with_capacity(nf);
        for _ in 0..nf {
            let k = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
            let n = r.u8()? as usize;
            let mut ws = Vec::with_capacity(n);
            for _ in 0..n {
                let l = r.u8()?;
                let q = i16::from_le_bytes(r.take(2)?.try_into().ok()?);
                ws.push((l, q as f32 / 64.0));
            }
            weights.insert(k, ws);
        }
        Some(Model {
            labels,
            trans,
            weights,
        })
    }
}

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.b.get(self.i..self.i + n)?;
        self.i += n;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
}

fn viterbi(em: &[Vec<f32>], trans: &[f32], l: usize, ctx: &[usize]) -> Vec<usize> {
    let n = em.len();
    if n == 0 {
        return Vec::new();
    }
    let block = (l + 1) * l;
    let mut score = vec![vec![0f32; l]; n];
    let mut back = vec![vec![0usize; l]; n];
    for k in 0..l {
        score[0][k] = em[0][k] + trans[l * l + k];
    }
    for i in 1..n {
        let base = ctx[i] * block;
        for k in 0..l {
            let mut best = f32::NEG_INFINITY;
            let mut bk = 0;
            for p in 0..l {
                let s = score[i - 1][p] + trans[base + p * l + k];
                if s > best {
                    best = s;
                    bk = p;
                }
            }
            score[i][k] = best + em[i][k];
            back[i][k] = bk;
        }
    }
    let mut k = (0..l)
        .max_by(|&a, &b| score[n - 1][a].total_cmp(&score[n - 1][b]))
        .unwrap_or(0);
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = k;
        if i > 0 {
            k = back[i][k];
        }
    }
    out
}

/// Trains a model: an averaged structured perceptron over `(tokens, labels)`
/// sequences. Deterministic (fixed shuffling seed).
pub fn train(seqs: &[(Vec<String>, Vec<String>)], epochs: usize, min_count: u32) -> Model {
    let mut labels: Vec<String> = Vec::new();
    let mut label_ix: HashMap<String, usize> = HashMap::new();
    for (_, ls) in seqs {
        for l in ls {
            if !label_ix.contains_key(l) {
                label_ix.insert(l.clone(), labels.len());
                labels.push(l.clone());
            }
        }
    }
    let l = labels.len();
    // feature ids
    let mut fid: HashMap<u64, usize> = HashMap::new();
    let mut counts: Vec<u32> = Vec::new();
    type Seq = (Vec<Vec<usize>>, Vec<usize>, Vec<usize>);
    let data: Vec<Seq> = seqs
        .iter()
        .map(|(ws, ls)| {
            let text = ws.join(" ");
            let toks = tokens(&text);
            let fs = features(&toks)
                .into_iter()
                .map(|fv| {
                    fv.into_iter()
                        .map(|hh| {
                            let next = fid.len();
                            let id = *fid.entry(hh).or_insert(next);
                            if id == counts.len() {
                                counts.push(0);
                            }
                            counts[id] += 1;
                            id
                        })
                        .collect()
                })
                .collect();
            (
                fs,
                ls.iter().map(|x| label_ix[x]).collect(),
                boundaries(&toks),
            )
        })
        .collect();
    let nf = fid.len();
    let mut w = vec![0f32; nf * l];
    let mut u = vec![0f32; nf * l];
    let block = (l + 1) * l;
    let mut t = vec![0f32; 2 * block];
    let mut tu = vec![0f32; 2 * block];
    let mut c = 1f32;
    let mut order: Vec<usize> = (0..data.len()).collect();
    let mut seed = 0x2545F4914F6CDD1Du64;
    for _ in 0..epochs {
        for i in (1..order.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            order.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for &si in &order {
            let (fs, gold, ctx) = &data[si];
            let em: Vec<Vec<f32>> = fs
                .iter()
                .map(|fv| {
                    let mut e = vec![0f32; l];
                    for &f in fv {
                        for k in 0..l {
                            e[k] += w[f * l + k];
                        }
                    }
                    e
                })
                .collect();
            let pred = viterbi(&em, &t, l, ctx);
            if &pred != gold {
                for i in 0..gold.len() {
                    let (g, p) = (gold[i], pred[i]);
                    if g != p {
                        for &f in &fs[i] {
                            w[f * l + g] += 1.0;
                            u[f * l + g] += c;
                            w[f * l + p] -= 1.0;
                            u[f * l + p] -= c;
                        }
                    }
                    let (gp, pp) = if i == 0 {
                        (l, l)
                    } else {
                        (gold[i - 1], pred[i - 1])
                    };
                    if gp != pp || g != p {
                        let base = if i == 0 { 0 } else { ctx[i] * block };
                        t[base + gp * l + g] += 1.0;
                        tu[base + gp * l + g] += c;
                        t[base + pp * l + p] -= 1.0;
                        tu[base + pp * l + p] -= c;
                    }
                }
            }
            c += 1.0;
        }
    }
    // average and prune
    let mut weights = HashMap::new();
    let inv: HashMap<usize, u64> = fid.iter().map(|(k, v)| (*v, *k)).collect();
    for f in 0..nf {
        if counts[f] < min_count {
            continue;
        }
        let mut ws = Vec::new();
        for k in 0..l {
            let a = w[f * l + k] - u[f * l + k] / c;
            if a.abs() >= 1.0 / 64.0 {
                ws.push((k as u8, a));
            }
        }
        if !ws.is_empty() {
            weights.insert(inv[&f], ws);
        }
    }
    let trans: Vec<f32> = t.iter().zip(&tu).map(|(a, b)| a - b / c).collect();
    Model {
        labels,
        trans,
        weights,
    }
}

// ---------------------------------------------------------------- fields

fn clean(s: &str) -> String {
    let t = s.trim().trim_end_matches([',', ';', ':', '.']).trim();
    let t = t
        .trim_start_matches(['(', '['])
        .trim_end_matches([')', ']']);
    t.trim().to_string()
}

fn unquote(s: &str) -> String {
    let t = clean(s);
    let t = t.trim_matches(|c| matches!(c, '“' | '”' | '"' | '‘' | '’' | '«' | '»'));
    t.trim().trim_end_matches([',', '.']).trim().to_string()
}

/// Turns labelled segments into a CSL item.
pub fn item_from_segments(segs: &[(String, String)]) -> CslItem {
    let mut it = CslItem::default();
    let mut journal = false;
    for (label, seg) in segs {
        match label.as_str() {
            "author" if it.author.is_empty() => it.author = parse_names(seg, NameStyle::Auto),
            "editor" if it.editor.is_empty() => it.editor = parse_names(seg, NameStyle::Auto),
            "title" if it.title.is_none() => it.title = Some(unquote(seg)),
            "journal" | "container-title" if it.container_title.is_none() => {
                journal |= label == "journal";
                let c = unquote(seg);
                let c = c
                    .strip_prefix("In ")
                    .or_else(|| c.strip_prefix("in "))
                    .map(str::to_string)
                    .unwrap_or(c);
                it.container_title = Some(c.trim_end_matches(':').trim().to_string());
            }
            "collection-title" if it.collection_title.is_none() => {
                it.collection_title = Some(clean(seg))
            }
            "date" if it.issued.is_none() => it.issued = super::find_date(seg),
            "volume" if it.volume.is_none() => {
                let (v, i) = split_volume(seg);
                it.volume = v;
                it.issue = i;
            }
            "pages" if it.page.is_none() => {
                let p = clean(seg);
                let p = p
                    .trim_start_matches("pp.")
                    .trim_start_matches("pp")
                    .trim_start_matches("p.")
                    .trim();
                it.page = Some(p.to_string());
            }
            "publisher" if it.publisher.is_none() => it.publisher = Some(clean(seg)),
            "location" if it.publisher_place.is_none() => it.publisher_place = Some(clean(seg)),
            "url" if it.url.is_none() => {
                it.url = Some(super::clean_url(
                    seg.split_whitespace().last().unwrap_or(seg),
                ))
            }
            "doi" if it.doi.is_none() => {
                let d = clean(seg);
                let d = d
                    .trim_start_matches("https://doi.org/")
                    .trim_start_matches("http://dx.doi.org/");
                let d = d
                    .strip_prefix("doi:")
                    .or_else(|| d.strip_prefix("DOI:"))
                    .or_else(|| d.strip_prefix("DOI "))
                    .unwrap_or(d);
                it.doi = Some(d.trim().to_string());
            }
            "edition" if it.edition.is_none() => it.edition = Some(clean(seg)),
            "genre" if it.genre.is_none() => it.genre = Some(clean(seg)),
            "note" if it.note.is_none() => it.note = Some(clean(seg)),
            _ => {}
        }
    }
    it.kind = if journal {
        "article-journal"
    } else if it.container_title.is_some() && (!it.editor.is_empty() || it.page.is_some()) {
        "chapter"
    } else if it.publisher.is_some() || it.publisher_place.is_some() {
        "book"
    } else if it.url.is_some() {
        "webpage"
    } else {
        "document"
    }
    .to_string();
    it
}

/// `12(3)`, `vol. 36, no. 9`, `10, 39` → (volume, issue).
fn split_volume(seg: &str) -> (Option<String>, Option<String>) {
    let nums: Vec<String> = seg
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "vol" | "volume" | "no" | "nr" | "issue" | "iss" | "n" | "v" | "bd" | "heft" | "t"
            )
        })
        .map(str::to_string)
        .collect();
    match nums.len() {
        0 => (Some(clean(seg)), None),
        1 => (Some(nums[0].clone()), None),
        _ => (Some(nums[0].clone()), Some(nums[1..].join("-"))),
    }
}

/// Parses a reference with the shipped model (or, without one, keeps the
/// whole text as the title).
pub fn parse_with_model(text: &str) -> CslItem {
    match shipped() {
        Some(m) => item_from_segments(&m.label(text)),
        None => CslItem {
            kind: "document".into(),
            title: Some(text.trim().to_string()),
            ..Default::default()
        },
    }
}

/// A name list for display in tests and reports.
pub fn names_text(v: &[CslName]) -> String {
    v.iter()
        .map(|n| match (&n.literal, &n.given, &n.family) {
            (Some(l), _, _) => l.clone(),
            (None, Some(g), Some(f)) => format!("{g} {f}"),
            (None, None, Some(f)) => f.clone(),
            _ => String::new(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}
