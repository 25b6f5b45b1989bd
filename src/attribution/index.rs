//! The index of the active packs: canonical node id → every tag the packs put on it.
//!
//! Node ids are canonical (EVM addresses lower-case, bech32 lower-case, base58 as written), so a
//! plain hash lookup matches EVM addresses case-insensitively and Bitcoin addresses exactly.
//! The hash map holds only the id and a slot number; the tags sit in one vector of slots, most
//! holding a single tag inline. Identical tags (a pack listing an address twice) are kept once.
//! Building clones every tag once; with many tags the cloning runs on several threads.

use super::pack::{AttributionPack, PackEntry};
use crate::model::{NodeId, Tag};
use std::collections::HashMap;

/// Entries before it is worth cloning tags on several threads.
const PARALLEL_THRESHOLD: usize = 100_000;

/// Tags of one node: usually one, held inline (boxing it would cost an allocation per node
/// for the rare node with several).
#[derive(Debug, Clone)]
#[allow(clippy::large_enum_variant)]
enum Slot {
    One(Tag),
    Many(Vec<Tag>),
}

impl Slot {
    fn as_slice(&self) -> &[Tag] {
        match self {
            Slot::One(tag) => std::slice::from_ref(tag),
            Slot::Many(tags) => tags,
        }
    }

    fn push(&mut self, tag: Tag) {
        if self.as_slice().contains(&tag) {
            return;
        }
        let previous = std::mem::replace(self, Slot::Many(Vec::new()));
        let mut tags = match previous {
            Slot::One(first) => vec![first],
            Slot::Many(tags) => tags,
        };
        tags.push(tag);
        *self = Slot::Many(tags);
    }
}

/// Hash index from canonical node id to the tags of the packs it was built from.
#[derive(Debug, Clone, Default)]
pub struct AttributionIndex {
    /// Node → slot number.
    map: HashMap<NodeId, u32>,
    /// The slots, in runs of `run` (one run per thread that filled them).
    runs: Vec<Vec<Slot>>,
    run: usize,
    tags: usize,
}

/// Runs `work` over `parts`, on a thread each when there are several.
fn in_parallel<T: Send, R: Send>(parts: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    if parts.len() < 2 {
        return parts.into_iter().map(work).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = parts
            .into_iter()
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

impl AttributionIndex {
    /// Builds the index from `packs` (pass only the enabled ones), in the order given.
    pub fn build<'a>(packs: impl IntoIterator<Item = &'a AttributionPack>) -> AttributionIndex {
        let entries: Vec<&PackEntry> = packs.into_iter().flat_map(|p| p.entries.iter()).collect();
        // Ids first, remembering the entry that opens each slot and the entries that join one.
        let mut map: HashMap<NodeId, u32> = HashMap::with_capacity(entries.len());
        let mut firsts: Vec<usize> = Vec::with_capacity(entries.len());
        let mut joins: Vec<(usize, usize)> = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            match map.get(&entry.node) {
                Some(&slot) => joins.push((slot as usize, i)),
                None => {
                    // More than 4 billion nodes would not fit in memory anyway.
                    let slot = u32::try_from(firsts.len()).unwrap_or(u32::MAX);
                    map.insert(entry.node.clone(), slot);
                    firsts.push(i);
                }
            }
        }
        // Then the tags, cloned straight into their slots, a run per thread.
        let threads = if entries.len() < PARALLEL_THRESHOLD {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .min(8)
        };
        let run = firsts.len().div_ceil(threads).max(1);
        let entries = &entries;
        let mut runs = in_parallel(firsts.chunks(run).collect(), |part: &[usize]| {
            part.iter()
                .map(|&i| Slot::One(entries[i].tag.clone()))
                .collect::<Vec<Slot>>()
        });
        for (slot, i) in joins {
            if let Some(slot) = runs.get_mut(slot / run).and_then(|r| r.get_mut(slot % run)) {
                slot.push(entries[i].tag.clone());
            }
        }
        let tags = runs.iter().flatten().map(|s| s.as_slice().len()).sum();
        AttributionIndex {
            map,
            runs,
            run,
            tags,
        }
    }

    /// Every tag on `node` (several packs possible), empty if none.
    pub fn lookup(&self, node: &NodeId) -> &[Tag] {
        self.map
            .get(node)
            .and_then(|&slot| {
                let slot = slot as usize;
                self.runs
                    .get(slot.checked_div(self.run)?)?
                    .get(slot % self.run)
            })
            .map_or(&[], Slot::as_slice)
    }

    /// Number of tagged nodes.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when no node is tagged.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Number of tags over all nodes.
    pub fn tag_count(&self) -> usize {
        self.tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::parse_tags_csv;
    use crate::model::{Category, Confidence};

    #[test]
    fn lookups_merge_packs_and_drop_identical_tags() {
        let a = parse_tags_csv(
            "address,chain,label\n\
             1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,genesis\n\
             1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,genesis\n\
             0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed,ETH,eth\n",
            "a.csv",
        )
        .unwrap();
        let b = parse_tags_csv(
            "address,chain,label,category\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,genesis,exchange\n",
            "b.csv",
        )
        .unwrap();
        let index = AttributionIndex::build([&a, &b]);
        assert_eq!(index.len(), 2);
        assert_eq!(index.tag_count(), 3);
        let genesis = NodeId::parse("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").unwrap();
        let tags = index.lookup(&genesis);
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].pack.as_deref(), Some("a"));
        assert_eq!(tags[1].category, Category::Exchange);
        assert_eq!(tags[0].confidence, Confidence::Unknown);
        let eth = NodeId::parse("eth:0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED").unwrap();
        assert_eq!(index.lookup(&eth)[0].label, "eth");
        let other = NodeId::parse("evm56:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").unwrap();
        assert!(
            index.lookup(&other).is_empty(),
            "another chain is another node"
        );
        assert!(AttributionIndex::default().is_empty());
        assert!(
            AttributionIndex::build(std::iter::empty())
                .lookup(&genesis)
                .is_empty()
        );
    }
}
