//! The selected nodes, with a revision that moves whenever they may have changed: the canvas
//! redraws its selection marks when the revision moved instead of comparing every id of a
//! 100,000-node selection each frame. Reading is the set itself (`Deref`); any mutable access
//! (`DerefMut`, [`Selection::set`]) moves the revision, so no change goes unseen.

use crate::model::NodeId;
use std::collections::BTreeSet;
use std::ops::{Deref, DerefMut};

/// The selected nodes and their revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    nodes: BTreeSet<NodeId>,
    revision: u64,
}

impl Selection {
    /// Replaces the selection.
    pub fn set(&mut self, nodes: BTreeSet<NodeId>) {
        self.nodes = nodes;
        self.revision += 1;
    }

    /// Moves whenever the selection may have changed (never moves back).
    pub fn revision(&self) -> u64 {
        self.revision
    }
}

impl From<BTreeSet<NodeId>> for Selection {
    fn from(nodes: BTreeSet<NodeId>) -> Selection {
        Selection { nodes, revision: 1 }
    }
}

impl Deref for Selection {
    type Target = BTreeSet<NodeId>;

    fn deref(&self) -> &BTreeSet<NodeId> {
        &self.nodes
    }
}

impl DerefMut for Selection {
    fn deref_mut(&mut self) -> &mut BTreeSet<NodeId> {
        self.revision += 1;
        &mut self.nodes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_moves_the_revision() {
        let mut selection = Selection::default();
        let start = selection.revision();
        let id = NodeId::parse("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").expect("id");
        selection.insert(id.clone());
        assert!(selection.revision() > start);
        let after_insert = selection.revision();
        assert!(selection.contains(&id), "reading does not move it");
        assert_eq!(selection.revision(), after_insert);
        selection.set(BTreeSet::new());
        assert!(selection.revision() > after_insert && selection.is_empty());
    }
}
