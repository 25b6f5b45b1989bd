//! Helpers for unit tests across the crate: a case built transfer by transfer.

use super::{Asset, Case, Node, NodeId, Transfer, TransferId};

impl Case {
    /// Adds a transfer named `name` (its id and tx hash) from `from` to `to`, adding both ends
    /// as address nodes if missing; block height 1.
    pub(crate) fn put_test_transfer(
        &mut self,
        name: &str,
        (from, to): (NodeId, NodeId),
        asset: Asset,
        amount: u128,
        time: Option<i64>,
    ) {
        for id in [&from, &to] {
            self.nodes
                .entry(id.clone())
                .or_insert_with(|| Node::address(id.clone()));
        }
        let t = Transfer {
            id: TransferId::from(name),
            from,
            to,
            asset,
            amount,
            tx_hash: name.to_owned(),
            block_height: Some(1),
            time,
            provenance: None,
            relation_txs: None,
            memo: None,
        };
        self.transfers.insert(t.id.clone(), t);
    }
}
