//! The attribution packs the app knows (bundled and imported), which are active, and the
//! index built from the active ones. Packs are parsed on a job thread; the index is rebuilt
//! only when the set of active packs changes.

use crate::attribution::{AttributionIndex, AttributionPack};
use std::collections::BTreeSet;

/// Loaded packs and the index of the active ones.
#[derive(Default)]
pub struct AttributionState {
    packs: Vec<AttributionPack>,
    index: AttributionIndex,
    loaded: bool,
}

impl AttributionState {
    /// Replaces the packs (after loading) and rebuilds the index from those not `disabled`.
    pub fn set_packs(&mut self, packs: Vec<AttributionPack>, disabled: &BTreeSet<String>) {
        self.packs = packs;
        self.loaded = true;
        self.rebuild(disabled);
    }

    /// Adds or replaces (same id) one imported pack.
    pub fn add_pack(&mut self, pack: AttributionPack, disabled: &BTreeSet<String>) {
        self.packs.retain(|p| p.info.id != pack.info.id);
        self.packs.push(pack);
        self.rebuild(disabled);
    }

    /// Rebuilds the index from the packs not `disabled`.
    pub fn rebuild(&mut self, disabled: &BTreeSet<String>) {
        self.index =
            AttributionIndex::build(self.packs.iter().filter(|p| !disabled.contains(&p.info.id)));
    }

    /// All packs, bundled first.
    pub fn packs(&self) -> &[AttributionPack] {
        &self.packs
    }

    /// The index of the active packs.
    pub fn index(&self) -> &AttributionIndex {
        &self.index
    }

    /// True once the packs were loaded.
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Title of a pack by id (for the inspector), else the id.
    pub fn pack_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.packs
            .iter()
            .find(|p| p.info.id == id)
            .map_or(id, |p| p.info.title.as_str())
    }
}
