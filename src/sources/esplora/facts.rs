//! Esplora transactions into model facts, exactly like the demo ledger does it.
//!
//! A transaction is a node `btc-tx:<txid>` with legs `input address → tx` (`btc:<txid>:in<i>`)
//! and `tx → output address` (`btc:<txid>:out<i>`) in BTC base units (satoshi, 8 decimals).
//! An input or output with value but no address (P2PK, bare multisig, non-standard, or an
//! address Caseboard cannot read) is a leg to a script end `btc:script:<txid>:<vout>` (the
//! output, named the same from the input that spends it), so every satoshi in and out is on a
//! leg. The transaction node's provenance `request` text after ` — ` is its summary: the
//! totals and the fee (`in 12210 sat, out 10000 sat, fee 2210 sat`; the fee is not a leg) or
//! `coinbase`, `unconfirmed`, and the ends without an address
//! (`vout 1 op_return without address, 0 sat`). The text of an `OP_RETURN` output (a
//! THORChain memo) is every leg's `memo` and is said in the summary. Amounts are summed in
//! `u128`; no float is ever involved.

use super::api::{Output, Tx, TxStatus};
use crate::model::address::parse_bitcoin_address;
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
use std::collections::HashSet;

/// How many unaddressed inputs/outputs a note lists before it says "and N more".
const LISTED_UNADDRESSED: usize = 5;

/// Characters of a server-given text (script type, unreadable address) quoted at most.
const MAX_QUOTED_CHARS: usize = 100;

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
    /// Per input: its leg, or `None` for a coinbase input (or a zero-value unaddressed one).
    pub(super) inputs: Vec<Option<Leg>>,
    /// Per output: its leg, or `None` for a zero-value output without an address.
    pub(super) outputs: Vec<Option<Leg>>,
    /// The nodes of all ends (addresses and script ends), first seen first, without repeats.
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
        provenance: Some(Box::new(provenance.clone())),
        relation_txs: None,
        memo: None,
    }
}

/// Describes an end without an address for the note: `vout 1 op_return without address, 0 sat`.
fn unaddressed(side: &str, index: usize, output: &Output, unreadable: bool) -> String {
    let kind = script_kind(output);
    match (&output.scriptpubkey_address, unreadable) {
        (Some(address), true) => {
            let shown: String = address.chars().take(MAX_QUOTED_CHARS).collect();
            format!(
                "{side} {index} unrecognised address {shown:?} ({kind}), {} sat",
                output.value
            )
        }
        _ => format!(
            "{side} {index} {kind} without address, {} sat",
            output.value
        ),
    }
}

/// The script type Esplora names (`p2pk`, `multisig`, `op_return`, `nonstandard`), shortened.
fn script_kind(output: &Output) -> String {
    let kind = output
        .scriptpubkey_type
        .as_deref()
        .unwrap_or("unknown script");
    kind.chars().take(MAX_QUOTED_CHARS).collect()
}

/// The script end of an output without a readable address: the pseudo-endpoint
/// `btc:script:<txid>:<vout>` that carries its value (`None` for a zero-value output, such as
/// an `OP_RETURN`, which has no value to account for and stays in the summary only).
fn script_end(
    txid: Option<&str>,
    vout: Option<u32>,
    output: &Output,
    provenance: &Provenance,
) -> Option<Node> {
    if output.value == 0 {
        return None;
    }
    let (txid, vout) = (txid?, vout?);
    let id = NodeId::script_output(Chain::Bitcoin, txid, vout).ok()?;
    let mut node = Node::address(id);
    let mut note = provenance.clone();
    note.request = format!(
        "{} — output {vout} of {}: {} script without address",
        note.request,
        txid.to_ascii_lowercase(),
        script_kind(output)
    );
    node.provenance = Some(Box::new(note));
    Some(node)
}

/// The far end of one input or output: its address or script end, remembered among the
/// transaction's nodes, or `None` (noted in the summary instead).
struct Ends {
    nodes: Vec<Node>,
    seen: HashSet<NodeId>,
    provenance: Provenance,
}

impl Ends {
    fn end(&mut self, output: &Output, outpoint: (Option<&str>, Option<u32>)) -> Option<NodeId> {
        let node = match address_of(output) {
            Some(id) => {
                let mut node = Node::address(id);
                node.provenance = Some(Box::new(self.provenance.clone()));
                node
            }
            None => script_end(outpoint.0, outpoint.1, output, &self.provenance)?,
        };
        let id = node.id.clone();
        if self.seen.insert(id.clone()) {
            self.nodes.push(node);
        }
        Some(id)
    }
}

/// Builds the facts of `tx` stamped with `stamp`; an inconsistent transaction (no prevout on
/// a normal input, outputs worth more than inputs, a confirmed one without height) is an error
/// message.
///
/// Every satoshi is accounted for: each input and output with value is a leg to its address
/// or, without a readable address, to its script end ([`NodeId::script_output`]); the summary
/// in the node's provenance gives the totals in and out, the fee, and lists the ends without
/// an address.
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
    let mut ends = Ends {
        nodes: Vec::new(),
        seen: HashSet::new(),
        provenance: provenance.clone(),
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
        if address_of(prevout).is_none() {
            unaddressed_notes.push(unaddressed(
                "vin",
                i,
                prevout,
                prevout.scriptpubkey_address.is_some(),
            ));
        }
        let leg = ends
            .end(prevout, (vin.txid.as_deref(), vin.vout))
            .map(|id| {
                let transfer = leg_transfer(
                    &txid,
                    &format!("in{i}"),
                    id.clone(),
                    tx_node_id.clone(),
                    u128::from(prevout.value),
                    &tx.status,
                    &provenance,
                );
                Leg {
                    address: id,
                    transfer,
                }
            });
        if leg.is_none() && prevout.value > 0 {
            // Value that could be named neither by address nor by outpoint would be lost.
            return Err(format!(
                "tx {txid}: input {i} ({} sat) has neither a readable address nor a readable \
                 outpoint",
                prevout.value
            ));
        }
        inputs.push(leg);
    }
    let mut output_sum: u128 = 0;
    let mut outputs = Vec::with_capacity(tx.vout.len());
    for (i, output) in tx.vout.iter().enumerate() {
        output_sum += u128::from(output.value);
        if address_of(output).is_none() {
            unaddressed_notes.push(unaddressed(
                "vout",
                i,
                output,
                output.scriptpubkey_address.is_some(),
            ));
        }
        let vout = u32::try_from(i).ok();
        let leg = ends.end(output, (Some(&txid), vout)).map(|id| {
            let transfer = leg_transfer(
                &txid,
                &format!("out{i}"),
                tx_node_id.clone(),
                id.clone(),
                u128::from(output.value),
                &tx.status,
                &provenance,
            );
            Leg {
                address: id,
                transfer,
            }
        });
        if leg.is_none() && output.value > 0 {
            return Err(format!(
                "tx {txid}: output {i} ({} sat) could not be named",
                output.value
            ));
        }
        outputs.push(leg);
    }
    if coinbase {
        notes.push(format!("coinbase; out {output_sum} sat"));
    } else {
        let fee = input_sum.checked_sub(output_sum).ok_or_else(|| {
            format!("tx {txid}: outputs ({output_sum} sat) exceed inputs ({input_sum} sat)")
        })?;
        notes.push(format!(
            "in {input_sum} sat, out {output_sum} sat, fee {fee} sat"
        ));
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
    // The first OP_RETURN output that is text is the transaction's memo, on every leg.
    let memo = tx
        .vout
        .iter()
        .filter(|o| o.scriptpubkey_type.as_deref() == Some("op_return"))
        .find_map(|o| crate::sources::memos::op_return_text(o.scriptpubkey.as_deref()?));
    if let Some(memo) = &memo {
        for leg in inputs.iter_mut().chain(outputs.iter_mut()).flatten() {
            leg.transfer.memo = Some(memo.clone());
        }
        notes.push(format!("memo {:?}", crate::util::clip(memo, 80)));
    }
    let mut node = Node::transaction(tx_node_id);
    let mut tx_provenance = provenance.clone();
    tx_provenance.request = format!("{} — {}", tx_provenance.request, notes.join("; "));
    node.provenance = Some(Box::new(tx_provenance));
    Ok(TxFacts {
        txid,
        node,
        inputs,
        outputs,
        addresses: ends.nodes,
    })
}

/// The node id of an output's address, if it has one Caseboard reads.
fn address_of(output: &Output) -> Option<NodeId> {
    output.scriptpubkey_address.as_deref().and_then(address_id)
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
    fn odd_ends_are_script_ends_and_noted() {
        let prevout = json!({"scriptpubkey_address": GOOD, "scriptpubkey_type": "v0_p2wpkh", "value": 10_000});
        let mut outputs = vec![
            json!({"scriptpubkey_address": "tb1qnotmainnet", "scriptpubkey_type": "v0_p2wpkh", "value": 100}),
        ];
        for _ in 0..6 {
            outputs.push(json!({"scriptpubkey_type": "p2pk", "value": 1}));
        }
        outputs.push(json!({"scriptpubkey_type": "op_return", "value": 0}));
        let t = tx(
            json!([{"is_coinbase": false, "prevout": prevout}]),
            json!(outputs),
            json!({"confirmed": true, "block_height": 5, "block_time": 99}),
        );
        let facts = tx_facts(&t, &stamp()).expect("facts");
        assert_eq!(facts.transfers().len(), 8, "every end with value has a leg");
        assert!(
            facts.outputs[7].is_none(),
            "the zero-value OP_RETURN has none"
        );
        let txid = "ab".repeat(32);
        let script = facts.outputs[3].as_ref().expect("leg");
        assert_eq!(script.address.as_str(), format!("btc:script:{txid}:3"));
        assert_eq!(script.transfer.amount, 1);
        let script_node = facts.address_node(&script.address).expect("script node");
        assert_eq!(script_node.kind, crate::model::NodeKind::Address);
        assert!(
            script_node
                .provenance
                .expect("prov")
                .request
                .ends_with(&format!("output 3 of {txid}: p2pk script without address"))
        );
        let request = facts.node.provenance.expect("prov").request;
        assert_eq!(
            request,
            "GET /tx/x — in 10000 sat, out 106 sat, fee 9894 sat; \
             vout 0 unrecognised address \"tb1qnotmainnet\" (v0_p2wpkh), 100 sat; \
             vout 1 p2pk without address, 1 sat; vout 2 p2pk without address, 1 sat; \
             vout 3 p2pk without address, 1 sat; vout 4 p2pk without address, 1 sat; \
             and 3 more ends without address"
        );
        let leg = &facts.inputs[0].as_ref().expect("leg").transfer;
        assert_eq!(
            (leg.amount, leg.block_height, leg.time),
            (10_000, Some(5), Some(99))
        );
    }

    fn recorded(name: &str) -> Tx {
        let path = format!(
            "{}/tests/fixtures/esplora/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        let body = std::fs::read(&path).expect("recorded answer");
        serde_json::from_slice(&body).expect("recorded tx")
    }

    /// In legs − out legs = the fee Esplora itself reports, for real transactions.
    fn assert_accounts_for_all_value(name: &str, esplora_fee: u128) -> TxFacts {
        let facts = tx_facts(&recorded(name), &stamp()).expect("facts");
        let sum = |legs: &[Option<Leg>]| -> u128 {
            legs.iter().flatten().map(|l| l.transfer.amount).sum()
        };
        assert_eq!(
            sum(&facts.inputs) - sum(&facts.outputs),
            esplora_fee,
            "{name}"
        );
        let request = facts.node.provenance.clone().expect("prov").request;
        assert!(
            request.contains(&format!(", fee {esplora_fee} sat")),
            "{request}"
        );
        facts
    }

    #[test]
    fn block_170_p2pk_value_is_on_script_ends() {
        let facts = assert_accounts_for_all_value("tx_block170.json", 0);
        let txid = "f4184fc596403b9d638783cf57adfe4c75c605f6356fbc91338530e9831e9e16";
        let ends: Vec<(String, u128)> = facts
            .transfers()
            .iter()
            .map(|t| {
                let end = if t.from.is_transaction() {
                    &t.to
                } else {
                    &t.from
                };
                (end.to_string(), t.amount)
            })
            .collect();
        assert_eq!(
            ends,
            vec![
                (
                    "btc:script:0437cd7f8525ceed2324359c2d0ba26006d92d856a9c20fa0241106ee5a597c9:0"
                        .to_owned(),
                    5_000_000_000
                ),
                (format!("btc:script:{txid}:0"), 1_000_000_000),
                (format!("btc:script:{txid}:1"), 4_000_000_000),
            ]
        );
        for node in &facts.addresses {
            assert_eq!(
                crate::model::NodeId::parse(node.id.as_str()).as_ref(),
                Ok(&node.id),
                "script ends round-trip through the case file's id check"
            );
        }
    }

    #[test]
    fn block_850000_non_standard_ends_are_accounted_for() {
        let facts = assert_accounts_for_all_value("tx_b10c_block850000.json", 71_294);
        // p2pk and bare multisig in and out are script ends; the P2A output
        // (`bc1pfeessrawgf`, valid bech32m) is an address; only the zero-value OP_RETURN has
        // no leg.
        let scripts = facts.addresses.iter().filter(|n| n.id.is_script()).count();
        assert_eq!(scripts, 4);
        assert_eq!(facts.outputs.iter().filter(|l| l.is_none()).count(), 1);
        // Its OP_RETURN is a message followed by binary bytes: not a memo.
        assert!(
            facts
                .inputs
                .iter()
                .chain(&facts.outputs)
                .flatten()
                .all(|l| l.transfer.memo.is_none())
        );
        let facts = assert_accounts_for_all_value("tx_f859_op_return.json", 11_586);
        assert!(facts.outputs[0].is_none());
        // Its OP_RETURN says `annex`: every leg carries it, and the summary says it.
        let legs: Vec<_> = facts
            .inputs
            .iter()
            .chain(&facts.outputs)
            .flatten()
            .collect();
        assert!(!legs.is_empty());
        assert!(
            legs.iter()
                .all(|l| l.transfer.memo.as_deref() == Some("annex"))
        );
        let request = &facts.node.provenance.as_ref().expect("provenance").request;
        assert!(request.contains("memo \"annex\""), "{request}");
    }

    #[test]
    fn a_thorchain_deposit_carries_its_memo_on_every_leg() {
        // Shaped as THORChain asks (vault at vout 0, change at 1, the memo at 2).
        let memo = "=:ETH.ETH:0x388C818CA8B9251b393131C08a736A67ccB19297";
        let hex: String = memo.bytes().map(|b| format!("{b:02x}")).collect();
        let inputs = json!([{"txid": "aa".repeat(32), "vout": 0,
            "prevout": {"scriptpubkey_address": GOOD, "value": 100_000}}]);
        let outputs = json!([
            {"scriptpubkey_address": GOOD, "value": 60_000},
            {"scriptpubkey_address": GOOD, "value": 39_000},
            {"scriptpubkey_type": "op_return", "scriptpubkey": format!("6a{:02x}{hex}", memo.len()), "value": 0}
        ]);
        let facts = tx_facts(
            &tx(
                inputs,
                outputs,
                json!({"confirmed": true, "block_height": 5, "block_time": 9}),
            ),
            &stamp(),
        )
        .expect("facts");
        let legs: Vec<_> = facts
            .inputs
            .iter()
            .chain(&facts.outputs)
            .flatten()
            .collect();
        assert_eq!(legs.len(), 3);
        assert!(
            legs.iter()
                .all(|l| l.transfer.memo.as_deref() == Some(memo))
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
