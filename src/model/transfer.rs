//! Value moving between two nodes: one leg of a transaction.
//!
//! A Bitcoin transaction is `input address → tx node` and `tx node → output address` legs; an
//! account-chain transfer is `address → address`. The [`TransferId`] names the leg inside its
//! transaction, so fetching the same transaction twice never duplicates it.

use super::amount::{Asset, base_units};
use super::node::{NodeId, Provenance};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Stable id of a transfer: `<chain prefix>:<tx hash>:<leg>` (leg e.g. `in0`, `out1`, `log3`,
/// `native`, `trace0.1`).
///
/// The text is shared, as a [`NodeId`]'s is: the case's map of transfers keys each one by its
/// id, and every flow and finding that names a transfer clones the id; a clone copies a
/// pointer, not the text. It is written and read as a plain string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransferId(Arc<str>);

impl TransferId {
    /// Builds the id of one leg of a transaction.
    pub fn new(chain_prefix: &str, tx_hash: &str, leg: &str) -> TransferId {
        TransferId::from(format!(
            "{chain_prefix}:{}:{leg}",
            tx_hash.to_ascii_lowercase()
        ))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for TransferId {
    fn from(text: String) -> TransferId {
        TransferId(Arc::from(text))
    }
}

impl From<&str> for TransferId {
    fn from(text: &str) -> TransferId {
        TransferId(Arc::from(text))
    }
}

impl std::borrow::Borrow<str> for TransferId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for TransferId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for TransferId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(TransferId::from)
    }
}

impl fmt::Display for TransferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One movement of value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// Stable id.
    pub id: TransferId,
    /// Sender node.
    pub from: NodeId,
    /// Receiver node.
    pub to: NodeId,
    /// What moved.
    pub asset: Asset,
    /// How much, in base units of `asset` (exact).
    #[serde(with = "base_units")]
    pub amount: u128,
    /// Transaction hash.
    pub tx_hash: String,
    /// Block height, `None` when unconfirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_height: Option<u64>,
    /// Unix seconds of the block, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<i64>,
    /// Where this fact came from (boxed: a transfer without one stays 64 bytes smaller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Box<Provenance>>,
    /// For a pre-aggregated relation (GraphSense `neighbors`): how many transactions it sums.
    /// `amount` is then their total and `tx_hash` is empty; `None` for one transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation_txs: Option<u64>,
    /// The text the transaction carried, when the source read one (a Bitcoin `OP_RETURN`, the
    /// memo argument of a bridge router's deposit call): a THORChain memo names where a bridge
    /// pays out. At most [`MAX_MEMO_CHARS`] characters, printable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memo: Option<String>,
}

/// Longest memo kept on a transfer (THORChain's own limit is 250 bytes).
pub const MAX_MEMO_CHARS: usize = 250;

/// `bytes` as a memo: UTF-8, at most [`MAX_MEMO_CHARS`] characters, no control characters,
/// not empty after trimming; `None` otherwise (binary data is not a memo).
pub fn memo_of(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?.trim();
    (!text.is_empty()
        && text.chars().count() <= MAX_MEMO_CHARS
        && !text.chars().any(char::is_control))
    .then(|| text.to_owned())
}

impl Transfer {
    /// For a pre-aggregated relation, how it reads: "relation of 12 transactions".
    pub fn relation_text(&self) -> Option<String> {
        self.relation_txs.map(|txs| {
            format!(
                "relation of {}",
                crate::util::plural(txs, "transaction", "transactions")
            )
        })
    }

    /// The amount scaled to 18 decimals, for ranking transfers of different assets by value
    /// (saturating; exact for every asset with ≤ 18 decimals).
    pub fn ranking_value(&self) -> u128 {
        let scale = 18u32.saturating_sub(u32::from(self.asset.decimals));
        self.amount.saturating_mul(10u128.saturating_pow(scale))
    }
}

#[cfg(test)]
mod tests {
    /// A 300,000-node case holds 450,000 transfers and 300,000 nodes, each a B-tree entry:
    /// their provenance is boxed (72 bytes inline, though generated and many merged cases
    /// carry none), which keeps a transfer at 240 bytes instead of 304 and a node at 112
    /// instead of 176 (64-bit targets).
    #[cfg(target_pointer_width = "64")]
    #[test]
    fn transfers_and_nodes_stay_small_in_memory() {
        assert!(std::mem::size_of::<super::Transfer>() <= 240);
        assert!(std::mem::size_of::<crate::model::Node>() <= 112);
    }
}
