//! Collecting a source's answers into one [`Counterparty`] per key: value summed, nodes and
//! transfers not repeated, first-seen order kept. Shared by the sources so each only decides
//! what a hop is; also what the account-chain sources share: grouping by other address, the
//! stable fingerprint that names a leg an API gives no position for, and token symbols fit to
//! show.

use super::{Counterparty, Direction};
use crate::model::address::short_form;
use crate::model::{Node, NodeId, Transfer};

/// Longest token symbol kept (symbols are chosen by whoever deployed the token).
const MAX_SYMBOL_CHARS: usize = 24;
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
            tags: Vec::new(),
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

/// An account chain's counterparties: `transfers` of `address` grouped by the other address,
/// in first-seen order, keeping only the wanted direction (self-transfers move nothing to
/// anyone and are left out). Each counterparty's node carries its first transfer's
/// provenance.
pub fn account_counterparties(
    address: &NodeId,
    direction: Direction,
    transfers: Vec<Transfer>,
) -> Vec<Counterparty> {
    let mut by_key: HashMap<NodeId, usize> = HashMap::new();
    let mut list: Vec<Counterparty> = Vec::new();
    for transfer in transfers {
        let other = if &transfer.from == address && &transfer.to == address {
            continue;
        } else if &transfer.from == address && direction.includes_out() {
            transfer.to.clone()
        } else if &transfer.to == address && direction.includes_in() {
            transfer.from.clone()
        } else {
            continue;
        };
        let value = transfer.ranking_value();
        match by_key.get(&other).and_then(|&at| list.get_mut(at)) {
            Some(existing) => {
                existing.value = existing.value.saturating_add(value);
                existing.transfers.push(transfer);
            }
            None => {
                let mut node = Node::address(other.clone());
                node.provenance = transfer.provenance.clone();
                by_key.insert(other.clone(), list.len());
                list.push(Counterparty {
                    key: other,
                    value,
                    nodes: vec![node],
                    transfers: vec![transfer],
                    tags: Vec::new(),
                });
            }
        }
    }
    list
}

/// 64-bit FNV-1a (stable across platforms and Rust versions).
fn fnv1a_64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// The leg part of a transfer id for a leg without a position from the API: a fingerprint of
/// what the leg is (`identity`) plus how many identical legs came before it in its
/// transaction.
pub fn fingerprint(identity: &str, occurrence: u32) -> String {
    format!(
        "{:016x}",
        fnv1a_64(format!("{identity}|{occurrence}").as_bytes())
    )
}

/// A token symbol fit to show: printable, trimmed, at most [`MAX_SYMBOL_CHARS`]; the short
/// contract address when there is none.
pub fn clean_symbol(symbol: Option<&str>, contract: &str) -> String {
    let cleaned: String = symbol
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        return short_form(contract);
    }
    cleaned.chars().take(MAX_SYMBOL_CHARS).collect()
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
            relation_txs: None,
            memo: None,
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
