//! The averaged-perceptron sequence tagger: greedy left-to-right decoding over BIO labels,
//! weights in a hashed table of `2^bits` rows × 9 labels, shipped as 16-bit integers so the
//! model file stays small and scoring is integer arithmetic.
use crate::features::{features, Shape, TokInfo, NLABELS};

/// Why a weight file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not a weight file of this version.
    #[error("not an annals NER weight file")]
    BadMagic,
    /// The file ends early.
    #[error("truncated NER weight file")]
    Truncated,
}

const MAGIC: &[u8; 8] = b"ANNER01\0";

/// A trained tagger.
#[derive(Debug, Clone)]
pub struct NerModel {
    bits: u32,
    mask: u64,
    /// weights[row * NLABELS + label]
    weights: Vec<i16>,
    scale: f32,
}

/// Whether label `l` may follow label `prev` (I-X only after B-X or I-X).
#[inline]
pub fn allowed(prev: u8, l: u8) -> bool {
    if l == 0 || l % 2 == 1 {
        return true;
    }
    prev == l || prev == l - 1
}

impl NerModel {
    /// An untrained model (tags everything O).
    pub fn empty(bits: u32) -> NerModel {
        NerModel {
            bits,
            mask: (1u64 << bits) - 1,
            weights: vec![0; (1usize << bits) * NLABELS],
            scale: 1.0,
        }
    }

    /// Table size in bits.
    pub fn bits(&self) -> u32 {
        self.bits
    }

    /// Reads a weight file (see [`NerModel::to_bytes`]); an empty input gives an empty model.
    pub fn from_bytes(b: &[u8]) -> Result<NerModel, ModelError> {
        if b.is_empty() {
            return Ok(NerModel::empty(4));
        }
        if b.len() < 20 || &b[..8] != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let u32_at = |o: usize| -> Result<u32, ModelError> {
            b.get(o..o + 4)
                .map(|s| u32::from_le_bytes(s.try_into().unwrap()))
                .ok_or(ModelError::Truncated)
        };
        let bits = u32_at(8)?;
        let scale = f32::from_bits(u32_at(12)?);
        let nnz = u32_at(16)? as usize;
        let mut m = NerModel::empty(bits);
        m.scale = scale;
        let rec = 4 + 2 * NLABELS;
        let mut o = 20;
        for _ in 0..nnz {
            let row = u32_at(o)? as usize;
            let s = b.get(o + 4..o + rec).ok_or(ModelError::Truncated)?;
            if row >= (1 << bits) {
                return Err(ModelError::Truncated);
            }
            for l in 0..NLABELS {
                m.weights[row * NLABELS + l] = i16::from_le_bytes([s[2 * l], s[2 * l + 1]]);
            }
            o += rec;
        }
        Ok(m)
    }

    /// Serialises: magic, bits, scale, number of non-zero rows, then (row, 9 × i16) records.
    pub fn to_bytes(&self) -> Vec<u8> {
        let rows: Vec<usize> = (0..1usize << self.bits)
            .filter(|r| {
                self.weights[r * NLABELS..(r + 1) * NLABELS]
                    .iter()
                    .any(|&w| w != 0)
            })
            .collect();
        let mut out = Vec::with_capacity(20 + rows.len() * (4 + 2 * NLABELS));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.bits.to_le_bytes());
        out.extend_from_slice(&self.scale.to_bits().to_le_bytes());
        out.extend_from_slice(&(rows.len() as u32).to_le_bytes());
        for r in rows {
            out.extend_from_slice(&(r as u32).to_le_bytes());
            for l in 0..NLABELS {
                out.extend_from_slice(&self.weights[r * NLABELS + l].to_le_bytes());
            }
        }
        out
    }

    /// Labels for a sentence or text, greedy left to right; also returns each token's margin
    /// (best minus second-best score, in weight units) as a confidence signal.
    pub fn tag(&self, infos: &[TokInfo], caps: &[bool]) -> (Vec<u8>, Vec<f32>) {
        let mut labels = Vec::with_capacity(infos.len());
        let mut margins = Vec::with_capacity(infos.len());
        let mut feats = Vec::with_capacity(48);
        let (mut prev, mut prev2) = (0u8, 0u8);
        for i in 0..infos.len() {
            if infos[i].sent_start {
                prev = 0;
                prev2 = 0;
            }
            if skip(&infos[i], prev) {
                labels.push(0);
                margins.push(f32::MAX);
                prev2 = prev;
                prev = 0;
                continue;
            }
            features(infos, caps, i, prev, prev2, &mut feats);
            let mut scores = [0i32; NLABELS];
            for &h in &feats {
                let row = ((h & self.mask) as usize) * NLABELS;
                let w = &self.weights[row..row + NLABELS];
                for l in 0..NLABELS {
                    scores[l] += w[l] as i32;
                }
            }
            let (best, margin) = best_allowed(&scores, prev);
            labels.push(best);
            margins.push(margin as f32 * self.scale);
            prev2 = prev;
            prev = best;
        }
        (labels, margins)
    }
}

/// Tokens that cannot begin a name (lowercase words, punctuation, numbers) are O without
/// scoring when no name is open: the recogniser drops names that start with them anyway,
/// and skipping them is most of the tagger's speed.
#[inline]
fn skip(t: &TokInfo, prev: u8) -> bool {
    prev == 0 && matches!(t.shape, Shape::Lower | Shape::Punct | Shape::Digits) && t.gaz == 0
}

fn best_allowed<T: Copy + PartialOrd + std::ops::Sub<Output = T> + Default>(
    scores: &[T; NLABELS],
    prev: u8,
) -> (u8, T) {
    let mut best = 0u8;
    let mut second: Option<T> = None;
    for l in 1..NLABELS as u8 {
        if !allowed(prev, l) {
            continue;
        }
        if scores[l as usize] > scores[best as usize] {
            second = Some(scores[best as usize]);
            best = l;
        } else if !matches!(second, Some(s) if s >= scores[l as usize]) {
            second = Some(scores[l as usize]);
        }
    }
    let m = second
        .map(|s| scores[best as usize] - s)
        .unwrap_or_default();
    (best, m)
}

/// Trains an averaged perceptron (float weights, lazy averaging).
pub struct Trainer {
    bits: u32,
    mask: u64,
    w: Vec<f32>,
    acc: Vec<f32>,
    c: f32,
}

impl Trainer {
    /// A trainer with a `2^bits`-row table.
    pub fn new(bits: u32) -> Trainer {
        let n = (1usize << bits) * NLABELS;
        Trainer {
            bits,
            mask: (1u64 << bits) - 1,
            w: vec![0.0; n],
            acc: vec![0.0; n],
            c: 1.0,
        }
    }

    /// One pass over one sentence with gold labels; returns the number of tokens wrong.
    pub fn train_sentence(&mut self, infos: &[TokInfo], caps: &[bool], gold: &[u8]) -> usize {
        let mut feats = Vec::with_capacity(48);
        let (mut prev, mut prev2) = (0u8, 0u8);
        let mut wrong = 0;
        for i in 0..infos.len() {
            if infos[i].sent_start {
                prev = 0;
                prev2 = 0;
            }
            if skip(&infos[i], prev) {
                self.c += 1.0;
                prev2 = prev;
                prev = 0;
                continue;
            }
            features(infos, caps, i, prev, prev2, &mut feats);
            let mut scores = [0f32; NLABELS];
            for &h in &feats {
                let row = ((h & self.mask) as usize) * NLABELS;
                for (l, s) in scores.iter_mut().enumerate() {
                    *s += self.w[row + l];
                }
            }
            let (guess, _) = best_allowed(&scores, prev);
            let g = gold[i];
            if guess != g {
                wrong += 1;
                for &h in &feats {
                    let row = ((h & self.mask) as usize) * NLABELS;
                    self.w[row + g as usize] += 1.0;
                    self.acc[row + g as usize] += self.c;
                    self.w[row + guess as usize] -= 1.0;
                    self.acc[row + guess as usize] -= self.c;
                }
            }
            self.c += 1.0;
            // condition on the predicted label, as at tagging time
            prev2 = prev;
            prev = guess;
        }
        wrong
    }

    /// The averaged weights, quantised to 16 bits; weights whose magnitude is below
    /// `prune` (in averaged units) are dropped to keep the file small.
    pub fn finish(&self, prune: f32) -> NerModel {
        let avg: Vec<f32> = self
            .w
            .iter()
            .zip(&self.acc)
            .map(|(w, a)| w - a / self.c)
            .collect();
        let max = avg.iter().fold(0f32, |m, x| m.max(x.abs())).max(1e-6);
        let scale = max / 32000.0;
        let weights = avg
            .iter()
            .map(|&x| {
                if x.abs() < prune {
                    0
                } else {
                    (x / scale).round().clamp(-32767.0, 32767.0) as i16
                }
            })
            .collect();
        NerModel {
            bits: self.bits,
            mask: self.mask,
            weights,
            scale,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inside_labels_need_a_beginning() {
        assert!(allowed(0, 1));
        assert!(!allowed(0, 2));
        assert!(allowed(1, 2));
        assert!(allowed(2, 2));
        assert!(!allowed(3, 2));
    }

    #[test]
    fn weight_files_round_trip() {
        let mut m = NerModel::empty(6);
        m.weights[5 * NLABELS + 3] = -7;
        m.scale = 0.5;
        let back = NerModel::from_bytes(&m.to_bytes()).unwrap();
        assert_eq!(back.weights, m.weights);
        assert_eq!(back.scale, 0.5);
    }
}
