//! Dense numbering of a case's nodes (`u32` positions) for the analyses that walk many
//! transfers: looking a transfer's end up by the address of its shared id text is one small
//! hash, where hashing the id text itself costs a pass over 40-odd bytes. Ids that do not share
//! the node's text (a case built by hand) are found by their text instead, so the numbering is
//! exact either way.

use crate::model::{Case, NodeId};
use std::collections::HashMap;

/// Node ↔ position.
pub struct Numbering<'a> {
    by_address: HashMap<usize, u32>,
    by_id: HashMap<&'a NodeId, u32>,
    /// Ids by position (the case's node order).
    pub ids: Vec<&'a NodeId>,
}

impl<'a> Numbering<'a> {
    /// Numbers the nodes of `case` in its order.
    pub fn of_case(case: &'a Case) -> Numbering<'a> {
        Numbering::of_ids(case.nodes.keys().collect())
    }

    /// Numbers `ids` (distinct) in the order given. For the fast lookup they should be the
    /// case's own node ids (its `nodes` keys), whose text the transfers share.
    pub fn of_ids(ids: Vec<&'a NodeId>) -> Numbering<'a> {
        let mut by_address = HashMap::with_capacity(ids.len());
        let mut by_id = HashMap::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            by_address.insert(id.as_str().as_ptr() as usize, i as u32);
            by_id.insert(*id, i as u32);
        }
        Numbering {
            by_address,
            by_id,
            ids,
        }
    }

    /// The position of `id` (`None`: not a node of the case).
    pub fn get(&self, id: &NodeId) -> Option<u32> {
        match self.by_address.get(&(id.as_str().as_ptr() as usize)) {
            // The same text in memory is the same id; check it, cheaply, to be exact.
            Some(&i) if self.ids[i as usize].as_str().len() == id.as_str().len() => Some(i),
            _ => self.by_id.get(id).copied(),
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when the case has no nodes.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}
