//! Training the tagger on CoNLL-style JSONL (`{"tokens", "tags"}` a line, IOB2 over
//! PER/ORG/LOC/MISC). The features include the gazetteer's view of each sentence, so the
//! tagger learns how far to trust the packs.
use crate::features::label_index;
use crate::model::{NerModel, Trainer};
use crate::recognize::Recognizer;
use crate::tokenize::from_pieces;
use serde::Deserialize;

/// One training sentence.
#[derive(Debug, Clone, Deserialize)]
pub struct Sentence {
    /// The tokens.
    pub tokens: Vec<String>,
    /// IOB2 tags, one per token.
    pub tags: Vec<String>,
    /// The set's own fine-grained IOB2 tags, when it has them.
    #[serde(default)]
    pub fine: Vec<String>,
}

impl Sentence {
    /// True when a fine tag of one of `types` occurs (used to leave such sentences out).
    pub fn has_fine(&self, types: &[String]) -> bool {
        self.fine
            .iter()
            .any(|f| f.get(2..).is_some_and(|t| types.iter().any(|x| x == t)))
    }
}

/// Reads sentences from JSONL text; lines that are not sentences are skipped.
pub fn read_sentences(jsonl: &str) -> Vec<Sentence> {
    jsonl
        .lines()
        .filter_map(|l| serde_json::from_str::<Sentence>(l).ok())
        .filter(|s| !s.tokens.is_empty() && s.tokens.len() == s.tags.len())
        .collect()
}

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainConfig {
    /// Passes over the data.
    pub epochs: usize,
    /// Table size in bits.
    pub bits: u32,
    /// Averaged weights smaller than this are dropped.
    pub prune: f32,
    /// Seed of the shuffle between epochs.
    pub seed: u64,
    /// Every n-th sentence is also trained on in capitals (0: never).
    pub caps_every: usize,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 4,
            bits: 19,
            prune: 0.05,
            seed: 7,
            caps_every: 8,
        }
    }
}

/// Trains a tagger with `rec`'s packs and lexicon providing features; `progress` is called
/// after each epoch with (epoch, token error rate).
pub fn train(
    rec: &Recognizer,
    data: &[Sentence],
    cfg: &TrainConfig,
    mut progress: impl FnMut(usize, f64),
) -> NerModel {
    // headlines in capitals are rare in the training sets; add capitalised copies of some
    // sentences so the tagger learns what capitals do and do not say
    let upper: Vec<Sentence> = data
        .iter()
        .enumerate()
        .filter(|(i, _)| cfg.caps_every > 0 && i % cfg.caps_every == 0)
        .map(|(_, s)| Sentence {
            tokens: s.tokens.iter().map(|t| t.to_uppercase()).collect(),
            tags: s.tags.clone(),
            fine: vec![],
        })
        .collect();
    let prepared: Vec<_> = data
        .iter()
        .chain(upper.iter())
        .map(|s| {
            let (text, toks) = from_pieces(&s.tokens);
            let a = rec.analyze(&text, toks);
            let gold: Vec<u8> = s.tags.iter().map(|t| label_index(t)).collect();
            (a.infos, a.caps, gold)
        })
        .collect();
    let mut order: Vec<usize> = (0..prepared.len()).collect();
    let mut trainer = Trainer::new(cfg.bits);
    let mut rng = cfg.seed.max(1);
    for epoch in 0..cfg.epochs {
        // xorshift shuffle
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        let (mut wrong, mut total) = (0usize, 0usize);
        for &i in &order {
            let (infos, caps, gold) = &prepared[i];
            wrong += trainer.train_sentence(infos, caps, gold);
            total += gold.len();
        }
        progress(epoch + 1, wrong as f64 / total.max(1) as f64);
    }
    trainer.finish(cfg.prune)
}
