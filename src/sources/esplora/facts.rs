//! Esplora transactions into model facts, exactly like the demo ledger does it.
//!
//! A transaction is a node `btc-tx:<txid>` with legs `input address → tx` (`btc:<txid>:in<i>`)
//! and `tx → output address` (`btc:<txid>:out<i>`) in BTC base units (satoshi, 8 decimals).
//! What has no leg is still accounted for, in the transaction node's provenance `request`
//! text after ` — `: a coinbase input (`coinbase`), inputs and outputs without an address
//! (`vout 1 op_return without address, 0 sat`), the fee (`fee 2210 sat`, inputs − outputs,
//! not a leg) and `unconfirmed`. Amounts are summed in `u128`; no float is ever involved.

use super::api::{Output, Tx, TxStatus};
use crate::model::address::parse_bitcoin_address;
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
use std::collections::HashSet;

/// How many unaddressed inputs/outputs a note lists before it says "and N more".
const LISTED_UNADDRESSED: usize = 5;

/// Where facts of one answer came from.
#[derive(Debug, Clone)]
pub(super) struct Stamp {
    pub(super) source: String,
    pub(super) request: String,
    pub(super) fetched_at: i64,
    pub(super) tip: Option<u64>,
}

impl Stamp {
    pub(super) fn provenance(&self) -> Provenance {
        Provenance {
            source: self.source.clone(),
            request: self.request.clone(),
            fetched_at: self.fetched_at,
            block_height: self.tip,
        }
    }
}

/// One leg of a transaction with the address at its far end.
#[derive(Debug, Clone)]
pub(super) struct Leg {
    pub(super) address: NodeId,
    pub(super) transfer: Transfer,
}

/// A transaction as facts.
#[derive(Debug, Clone)]
pub(super) struct TxFacts {
    pub(super) txid: String,
    pub(super) node: Node,
    /// Per input: its leg, or `None` for a coinbase or unaddressed input.
    pub(super) inputs: Vec<Option<Leg>>,
    /// Per output: its leg, or `None` for an output without an address.
    pub(super) outputs: Vec<Option<Leg>>,
    /// The address nodes of all ends, first seen first, without repeats.
    pub(super) addresses: Vec<Node>,
}

/// The node id of a Bitcoin address as Esplora writes it, if Caseboard can read it.
pub(super) fn address_id(text: &str) -> Option<NodeId> {
    parse_bitcoin_address(text)
        .ok()
        .map(|parsed| NodeId::address(Chain::Bitcoin, &parsed))
}

/// The node id of a transaction, or a message saying what is wrong with the txid.
pub(super) fn tx_id(txid: &str) -> Result<NodeId, String> {
    NodeId::transaction(Chain::Bitcoin, txid).map_err(|e| e.to_string())
}

/// A Bitcoin leg `from → to` of transaction `txid`.
pub(super) fn leg_transfer(
    txid: &str,
    leg: &str,
    from: NodeId,
    to: NodeId,
    amount_sat: u128,
    status: &TxStatus,
    provenance: &Provenance,
) -> Transfer {
    Transfer {
        id: TransferId::new("btc", txid, leg),
        from,
        to,
        asset: Asset::native(Chain::Bitcoin),
        amount: amount_sat,
        tx_hash: txid.to_ascii_lowercase(),
        block_height: if status.confirmed {
            status.block_height
        } else {
            None
        },
        time: if status.confirmed {
            status.block_time
        } else {
            None
        },
        provenance: Some(provenance.clone()),
    }
}

/// Describes an end without an address for the note: `vout 1 op_return without address, 0 sat`.
fn unaddressed(side: &str, index: usize, output: &Output, unreadable: bool) -> String {
    let kind = output
        .scriptpubkey_type
        .as_deref()
        .unwrap_or("unknown script");
    match (&output.scriptpubkey_address, unreadable) {
        (Some(address), true) => format!(
            "{side} {index} unrecognised address {address:?} ({kind}), {} sat",
            output.value
        ),
        _ => format!(
            "{side} {index} {kind} without address, {} sat",
            output.value
        ),
    }
}

/// Builds the facts of `tx` stamped with `stamp`; an inconsistent transaction (no prevout on
/// a normal input, outputs worth more than inputs, a confirmed one without height) is an error
/// message.
pub(super) fn tx_facts(tx: &Tx, stamp: &Stamp) -> Result<TxFacts, String> {
    let txid = tx.txid.to_ascii_lowercase();
    let tx_node_id = tx_id(&txid)?;
    if tx.status.confirmed && tx.status.block_height.is_none() {
        return Err(format!("tx {txid} is confirmed but has no block_height"));
    }
    let provenance = stamp.provenance();
    let mut notes: Vec<String> = Vec::new();
    let mut unaddressed_notes: Vec<String> = Vec::new();
    let mut coinbase = false;
    let mut input_sum: u128 = 0;
    let mut inputs = Vec::with_capacity(tx.vin.len());
    let mut addresses: Vec<Node> = Vec::new();
    let mut seen: HashSet<NodeId> = HashSet::new();
    let mut remember = |id: &NodeId, addresses: &mut Vec<Node>| {
        if seen.insert(id.clone()) {
            let mut node = Node::address(id.clone());
            node.provenance = Some(provenance.clone());
            addresses.push(node);
        }
    };
    for (i, vin) in tx.vin.iter().enumerate() {
        let prevout = match (&vin.prevout, vin.is_coinbase) {
            (_, true) => {
                coinbase = true;
                inputs.push(None);
                continue;
            }
            (Some(prevout), false) => prevout,
            (None, false) => {
                return Err(format!(
                    "tx {txid}: input {i} has no prevout and is not a coinbase input"
                ));
            }
        };
        input_sum += u128::from(prevout.value);
        let id = prevout.scriptpubkey_address.as_deref().and_then(address_id);
        match id {
            Some(id) => {
                remember(&id, &mut addresses);
                let transfer = leg_transfer(
                    &txid,
                    &format!("in{i}"),
                    id.clone(),
                    tx_node_id.clone(),
                    u128::from(prevout.value),
                    &tx.status,
                    &provenance,
                );
                inputs.push(Some(Leg {
                    address: id,
                    transfer,
                }));
            }
            None => {
                unaddressed_notes.push(unaddressed(
                    "vin",
                    i,
                    prevout,
                    prevout.scriptpubkey_address.is_some(),
                ));
                inputs.push(None);
            }
        }
    }
    let mut output_sum: u128 = 0;
    let mut outputs = Vec::with_capacity(tx.vout.len());
    for (i, output) in tx.vout.iter().enumerate() {
        output_sum += u128::from(output.value);
        let id = output.scriptpubkey_address.as_deref().and_then(address_id);
        match id {
            Some(id) => {
                remember(&id, &mut addresses);
                let transfer = leg_transfer(
                    &txid,
                    &format!("out{i}"),
                    tx_node_id.clone(),
                    id.clone(),
                    u128::from(output.value),
                    &tx.status,
                    &provenance,
                );
                outputs.push(Some(Leg {
                    address: id,
                    transfer,
                }));
            }
            None => {
                unaddressed_notes.push(unaddressed(
                    "vout",
                    i,
                    output,
                    output.scriptpubkey_address.is_some(),
                ));
                outputs.push(None);
            }
        }
    }
    if coinbase {
        notes.push("coinbase".to_owned());
    } else {
        let fee = input_sum.checked_sub(output_sum).ok_or_else(|| {
            format!("tx {txid}: outputs ({output_sum} sat) exceed inputs ({input_sum} sat)")
        })?;
        notes.push(format!("fee {fee} sat"));
    }
    if !tx.status.confirmed {
        notes.push("unconfirmed".to_owned());
    }
    let more = unaddressed_notes.len().saturating_sub(LISTED_UNADDRESSED);
    unaddressed_notes.truncate(LISTED_UNADDRESSED);
    notes.extend(unaddressed_notes);
    if more > 0 {
        notes.push(format!("and {more} more ends without address"));
    }
    let mut node = Node::transaction(tx_node_id);
    let mut tx_provenance = provenance.clone();
    tx_provenance.request = format!("{} — {}", tx_provenance.request, notes.join("; "));
    node.provenance = Some(tx_provenance);
    Ok(TxFacts {
        txid,
        node,
        inputs,
        outputs,
        addresses,
    })
}

impl TxFacts {
    /// The address node of `id` among this transaction's ends.
    pub(super) fn address_node(&self, id: &NodeId) -> Option<Node> {
        self.addresses.iter().find(|n| &n.id == id).cloned()
    }

    /// All legs, inputs first.
    pub(super) fn transfers(&self) -> Vec<Transfer> {
        self.inputs
            .iter()
            .chain(self.outputs.iter())
            .flatten()
            .map(|leg| leg.transfer.clone())
            .collect()
    }
}

pub(super) type Groups = crate::sources::groups::CounterpartyGroups;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stamp() -> Stamp {
        Stamp {
            source: "esplora:test".to_owned(),
            request: "GET /tx/x".to_owned(),
            fetched_at: 1,
            tip: Some(10),
        }
    }

    fn tx(vin: serde_json::Value, vout: serde_json::Value, status: serde_json::Value) -> Tx {
        serde_json::from_value(
            json!({"txid": "ab".repeat(32), "vin": vin, "vout": vout, "status": status}),
        )
        .expect("tx shape")
    }

    const GOOD: &str = "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";

    #[test]
    fn odd_ends_are_noted_not_linked() {
        let prevout = json!({"scriptpubkey_address": GOOD, "scriptpubkey_type": "v0_p2wpkh", "value": 10_000});
        let mut outputs = vec![
            json!({"scriptpubkey_address": "tb1qnotmainnet", "scriptpubkey_type": "v0_p2wpkh", "value": 100}),
        ];
        for _ in 0..6 {
            outputs.push(json!({"scriptpubkey_type": "p2pk", "value": 1}));
        }
        let t = tx(
            json!([{"is_coinbase": false, "prevout": prevout}]),
            json!(outputs),
            json!({"confirmed": true, "block_height": 5, "block_time": 99}),
        );
        let facts = tx_facts(&t, &stamp()).expect("facts");
        assert_eq!(facts.transfers().len(), 1, "only the input has an address");
        assert!(facts.outputs.iter().all(Option::is_none));
        let request = facts.node.provenance.expect("prov").request;
        assert_eq!(
            request,
            "GET /tx/x — fee 9894 sat; vout 0 unrecognised address \"tb1qnotmainnet\" (v0_p2wpkh), 100 sat; \
             vout 1 p2pk without address, 1 sat; vout 2 p2pk without address, 1 sat; \
             vout 3 p2pk without address, 1 sat; vout 4 p2pk without address, 1 sat; \
             and 2 more ends without address"
        );
        let leg = &facts.inputs[0].as_ref().expect("leg").transfer;
        assert_eq!(
            (leg.amount, leg.block_height, leg.time),
            (10_000, Some(5), Some(99))
        );
    }

    #[test]
    fn inconsistent_transactions_are_refused() {
        let out = json!([{"scriptpubkey_address": GOOD, "value": 5}]);
        let confirmed = json!({"confirmed": true, "block_height": 5});
        let err = tx_facts(
            &tx(json!([{"prevout": null}]), out.clone(), confirmed.clone()),
            &stamp(),
        )
        .unwrap_err();
        assert!(err.contains("input 0 has no prevout"), "{err}");
        let small = json!([{"prevout": {"scriptpubkey_address": GOOD, "value": 4}}]);
        let err = tx_facts(&tx(small, out.clone(), confirmed), &stamp()).unwrap_err();
        assert!(
            err.contains("outputs (5 sat) exceed inputs (4 sat)"),
            "{err}"
        );
        let err = tx_facts(
            &tx(
                json!([{"is_coinbase": true}]),
                out,
                json!({"confirmed": true}),
            ),
            &stamp(),
        )
        .unwrap_err();
        assert!(err.contains("confirmed but has no block_height"), "{err}");
    }
}
