//! Each node's place in the case's id order, found by the address of its id's text.
//!
//! A case names a node with one shared text everywhere (its key, the ends of its transfers,
//! its position), so a mention is found by one number hashed instead of its whole id hashed
//! and compared; a mention whose text is not shared is found by its text. The place is the
//! node's index in [`Case::nodes`](super::Case) order, so ordering by places orders by ids.
//! (Grouping 450,000 transfers into flows hashed and compared ids most of its time.)

use super::{Node, NodeId};
use crate::util::FastMap;
use std::cell::OnceCell;
use std::collections::BTreeMap;

/// The places of a case's nodes, for as long as the case is borrowed.
pub struct NodeRanks<'c> {
    nodes: &'c BTreeMap<NodeId, Node>,
    by_address: FastMap<usize, u32>,
    /// Built the first time a mention's text is not the node's own.
    by_text: OnceCell<FastMap<&'c str, u32>>,
}

impl<'c> NodeRanks<'c> {
    /// Places of `nodes` (more than four billion nodes are not placed).
    pub fn new(nodes: &'c BTreeMap<NodeId, Node>) -> NodeRanks<'c> {
        let by_address = nodes
            .keys()
            .zip(0..u32::MAX)
            .map(|(id, rank)| (address(id), rank))
            .collect();
        NodeRanks {
            nodes,
            by_address,
            by_text: OnceCell::new(),
        }
    }

    /// The place of the node `id` names, or `None` if it is not a node of the case.
    #[inline]
    pub fn get(&self, id: &NodeId) -> Option<u32> {
        // The text lives while the case is borrowed: its address names one id meanwhile.
        if let Some(rank) = self.by_address.get(&address(id)) {
            return Some(*rank);
        }
        self.by_text
            .get_or_init(|| {
                self.nodes
                    .keys()
                    .zip(0..u32::MAX)
                    .map(|(id, rank)| (id.as_str(), rank))
                    .collect()
            })
            .get(id.as_str())
            .copied()
    }
}

fn address(id: &NodeId) -> usize {
    id.as_str().as_ptr() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_follow_id_order_whether_the_text_is_shared_or_not() {
        let ids: Vec<NodeId> = [
            "btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            "eth:0x00000000219ab540356cBB839Cbe05303d7705Fa",
            "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        ]
        .iter()
        .map(|t| NodeId::parse(t).expect("valid id"))
        .collect();
        let nodes: BTreeMap<NodeId, Node> = ids
            .iter()
            .map(|id| (id.clone(), Node::address(id.clone())))
            .collect();
        let ranks = NodeRanks::new(&nodes);
        // Shared text (a clone) and a fresh copy of the same text find the same place.
        assert_eq!(ranks.get(&ids[2].clone()), Some(0));
        let fresh = NodeId::parse(ids[2].as_str()).expect("valid id");
        assert_ne!(fresh.as_str().as_ptr(), ids[2].as_str().as_ptr());
        assert_eq!(ranks.get(&fresh), Some(0));
        assert_eq!(ranks.get(&ids[0]), Some(1));
        assert_eq!(ranks.get(&ids[1]), Some(2));
        let stranger = NodeId::parse("btc:1CounterpartyXXXXXXXXXXXXXXXUWLpVr").expect("valid id");
        assert_eq!(ranks.get(&stranger), None);
    }
}
