//! Collecting a source's answers into one [`Counterparty`] per key: value summed, nodes and
//! transfers not repeated, first-seen order kept. Shared by the sources so each only decides
//! what a hop is.

use super::Counterparty;
use crate::model::{Node, NodeId, Transfer};
use std::collections::HashMap;

/// Counterparties being collected.
#[derive(Debug, Default)]
pub struct CounterpartyGroups {
    by_key: HashMap<NodeId, usize>,
    list: Vec<Counterparty>,
}

impl CounterpartyGroups {
    /// Adds value, nodes and transfers to the counterparty `key`, creating it if new. Nodes
    /// and transfers already in it are not repeated.
    pub fn add(&mut self, key: NodeId, value: u128, nodes: Vec<Node>, transfers: Vec<Transfer>) {
        if let Some(&at) = self.by_key.get(&key)
            && let Some(existing) = self.list.get_mut(at)
        {
            existing.value = existing.value.saturating_add(value);
            for node in nodes {
                if !existing.nodes.iter().any(|n| n.id == node.id) {
                    existing.nodes.push(node);
                }
            }
            for transfer in transfers {
                if !existing.transfers.iter().any(|t| t.id == transfer.id) {
                    existing.transfers.push(transfer);
                }
            }
            return;
        }
        self.by_key.insert(key.clone(), self.list.len());
        self.list.push(Counterparty {
            key,
            value,
            nodes,
            transfers,
        });
    }

    /// True if a counterparty `key` is already there.
    pub fn contains(&self, key: &NodeId) -> bool {
        self.by_key.contains_key(key)
    }

    /// The counterparties in first-seen order.
    pub fn finish(self) -> Vec<Counterparty> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Chain, TransferId};

    #[test]
    fn merges_by_key_without_repeats() {
        let a = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
        let b = NodeId::parse("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").expect("id");
        let t = Transfer {
            id: TransferId::new("eth", &"1".repeat(64), "native"),
            from: a.clone(),
            to: b.clone(),
            asset: Asset::native(Chain::ETHEREUM),
            amount: 5,
            tx_hash: "1".repeat(64),
            block_height: None,
            time: None,
            provenance: None,
        };
        let mut groups = CounterpartyGroups::default();
        groups.add(
            b.clone(),
            5,
            vec![Node::address(b.clone())],
            vec![t.clone()],
        );
        groups.add(b.clone(), 7, vec![Node::address(b.clone())], vec![t]);
        assert!(groups.contains(&b) && !groups.contains(&a));
        let list = groups.finish();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].value, 12);
        assert_eq!((list[0].nodes.len(), list[0].transfers.len()), (1, 1));
    }
}
