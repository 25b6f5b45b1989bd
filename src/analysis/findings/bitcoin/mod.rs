//! Bitcoin heuristics over whole transactions: CoinJoin detection, change detection and
//! multi-input (co-spend) clustering.
//!
//! A Bitcoin transaction in a case is a transaction node (`btc-tx:<txid>`) with input legs
//! `end → tx` and output legs `tx → end`, an end being an address or a script end
//! (`btc:script:<txid>:<vout>`). The heuristics need the WHOLE transaction: a transaction the
//! case holds only partly (the Esplora source marks one reached through a single leg with
//! "its other legs not fetched"; or its legs do not add up to the totals in its summary) is
//! not enough data and gives no finding, as do coinbase transactions, other chains, and
//! transactions with more than [`tx_view::MAX_LEGS`] legs (the case is untrusted input).
//! The fee is inputs − outputs. All amounts are exact satoshi (`u128`).
//!
//! * `tx_view.rs`: a whole transaction read from the [`CaseIndex`].
//! * `coinjoin.rs`, `whirlpool.rs`: CoinJoin recognisers, first match wins. Constants after
//!   GraphSense (graphsense-lib `heuristics_service.py`), all in each finding's `params`:
//!   - Whirlpool mix (`coinjoin_whirlpool@1`): pools 100k / 1M / 5M / 50M sat (coordinator
//!     fees 5k / 50k / 175k / 1.75M); 5–10 inputs and as many outputs (GraphSense: 5–8), all
//!     distinct; every output exactly the pool value; inputs d or d + 100 … d + 110,000 sat;
//!     at least one new entrant and one remix.
//!   - Whirlpool tx0 premix (`whirlpool_tx0@1`, not a mix: its inputs may be clustered): one
//!     `OP_RETURN`, ≤ 70 premix outputs of d + ε, exactly one fee output in 0.5–3 × the pool
//!     fee, at most two outputs besides the premixes.
//!   - Wasabi 1.x (`coinjoin_wasabi1@1`): ≥ 10 inputs; outputs at 0.1 BTC ± 0.005 and its
//!     doublings; ≥ 3 participants, ≤ 7 inputs each; under 20 inputs, not an even N-way
//!     split; more confidence when an output pays a known zkSNACKs coordinator address.
//!   - Wasabi 2.0 (`coinjoin_wasabi2@1`): ≥ 20 inputs; no output under 5,000 sat; ≥ 3 tiers
//!     of repeated values covering about half the outputs, mostly standard denominations
//!     (2^k, 3^k, 2·3^k, 10^k, 2·10^k, 5·10^k; Caseboard's addition). Wasabi 1.x and 2.0: no
//!     end brings more than 1/10 of the inputs.
//!   - JoinMarket (`coinjoin_joinmarket@1`): the most frequent non-dust (> 2,730 sat) value
//!     repeated n ≥ 2 times (GraphSense: 3; n = 2 is weak, also a STONEWALLx2), n ≥ half the
//!     outputs and ≤ the distinct inputs, at least one change output.
//! * `co_spend.rs`: co-spend clusters (`co_spend@1`), CoinJoin inputs left out.
//! * `change.rs`: change outputs by a vote of sub-heuristics (`change@1`).
//! * `tests.rs` (real transactions, sources cited there), `synthetic_tests.rs` (hand-built).

mod change;
mod co_spend;
mod coinjoin;
#[cfg(test)]
mod synthetic_tests;
#[cfg(test)]
mod tests;
mod tx_view;
mod whirlpool;

use super::{CaseIndex, Finding, FindingKind};

/// CoinJoin transactions (Whirlpool, Wasabi 1.x / 2.0, JoinMarket) and Whirlpool tx0s.
pub fn coinjoins(index: &CaseIndex) -> Vec<Finding> {
    tx_view::whole_txs(index)
        .iter()
        .filter_map(|view| {
            let verdict = coinjoin::classify(index, view)?;
            Some(Finding {
                kind: FindingKind::CoinJoin,
                method: verdict.method,
                params: verdict.params,
                confidence: verdict.confidence,
                nodes: coinjoin::evidence_nodes(index, view),
                transfers: view
                    .all_transfers()
                    .iter()
                    .map(|&t| index.transfer(t).id.clone())
                    .collect(),
                summary: verdict.summary,
            })
        })
        .collect()
}

/// What the heuristics read in one Bitcoin transaction (for the trace).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TxReading {
    /// The CoinJoin method that recognised it, if any.
    pub coinjoin: Option<&'static str>,
    /// The output the change heuristics single out, if any (not for a CoinJoin).
    pub change: Option<crate::model::NodeId>,
}

/// Reads the transaction node `tx` (nothing when it is not a whole Bitcoin transaction).
pub fn read_tx(index: &CaseIndex, tx: &crate::model::NodeId) -> TxReading {
    let Some(view) = index.position(tx).and_then(|p| tx_view::whole_tx(index, p)) else {
        return TxReading::default();
    };
    if let Some(verdict) = coinjoin::classify(index, &view) {
        return TxReading {
            coinjoin: Some(verdict.method),
            change: None,
        };
    }
    TxReading {
        coinjoin: None,
        change: change::change_of(index, &view).and_then(|f| f.nodes.get(1).cloned()),
    }
}

/// Multi-input clusters, CoinJoins excluded.
pub fn co_spends(index: &CaseIndex) -> Vec<Finding> {
    co_spend::clusters(index, &tx_view::whole_txs(index))
}

/// Change outputs of whole non-CoinJoin transactions.
pub fn changes(index: &CaseIndex) -> Vec<Finding> {
    tx_view::whole_txs(index)
        .iter()
        .filter(|view| coinjoin::classify(index, view).is_none())
        .filter_map(|view| change::change_of(index, view))
        .collect()
}
