//! Unique ids for event claims and merged events, one rule for every place
//! that hands them out: a source's claims as the stages read them, and the
//! archive pass that meets every source's claims group by group.
use annals_model::event::Event;
use annals_store::ClaimOrder;
use std::collections::HashSet;

/// The ids given out so far, as 64-bit hashes: the archive pass keeps one of
/// these for the whole archive without holding every id.
#[derive(Default)]
pub(crate) struct Ids(HashSet<u64>);

fn id_hash(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

impl Ids {
    /// Two claims read from one sentence as different types share the
    /// sentence's id: the later one is named by its type too (`-2`, `-3`… if
    /// that is taken as well).
    pub(crate) fn claim(&mut self, c: &mut Event) {
        if !self.0.insert(id_hash(&c.id)) {
            let base = format!("{}:{}", c.id, c.kind.as_str());
            let mut id = base.clone();
            let mut n = 2;
            while self.0.contains(&id_hash(&id)) {
                id = format!("{base}-{n}");
                n += 1;
            }
            self.0.insert(id_hash(&id));
            c.id = id;
        }
    }

    /// [`Ids::claim`] over a group of claims as the store lists them.
    pub(crate) fn claims(
        &mut self,
        mut claims: Vec<(ClaimOrder, Event)>,
    ) -> Vec<(ClaimOrder, Event)> {
        for (_, c) in &mut claims {
            self.claim(c);
        }
        claims
    }

    /// A merged event whose id is taken gets `-2`, `-3`…
    pub(crate) fn events(&mut self, events: &mut [Event]) {
        for e in events {
            if !self.0.insert(id_hash(&e.id)) {
                let base = e.id.clone();
                let mut n = 2;
                while self.0.contains(&id_hash(&format!("{base}-{n}"))) {
                    n += 1;
                }
                e.id = format!("{base}-{n}");
                self.0.insert(id_hash(&e.id));
            }
        }
    }
}
