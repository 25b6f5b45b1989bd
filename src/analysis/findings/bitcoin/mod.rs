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
//! * `coinjoin.rs`, `whirlpool.rs`: Whirlpool mixes (`coinjoin_whirlpool@1`) and tx0 premixes
//!   (`whirlpool_tx0@1`), Wasabi 1.x (`coinjoin_wasabi1@1`), Wasabi 2.0
//!   (`coinjoin_wasabi2@1`), JoinMarket (`coinjoin_joinmarket@1`). Constants after GraphSense
//!   (graphsense-lib `heuristics_service.py`): Whirlpool pools 100k / 1M / 5M / 50M sat with
//!   coordinator fees 5k / 50k / 175k / 1.75M, 5–10 inputs = outputs (GraphSense: 5–8), new
//!   entrants' inputs d + 100 … d + 110,000 sat, at least one new entrant and one remix; tx0:
//!   one `OP_RETURN`, ≤ 70 premix outputs of d + ε, one fee output in 0.5–3 × the pool fee,
//!   at most two other outputs; Wasabi 1.x: ≥ 10 inputs, 0.1 BTC ± 0.005 (doubled per
//!   level), ≥ 3 participants, ≤ 7 inputs per participant; Wasabi 2.0: ≥ 20 inputs, no output
//!   under 5,000 sat, ≥ 3 tiers of repeated values covering about half the outputs, mostly
//!   standard denominations (2^k, 3^k, 2·3^k, 10^k, 2·10^k, 5·10^k; Caseboard's addition);
//!   both: no end brings more than 1/10 of the inputs; JoinMarket: most frequent non-dust
//!   (> 2,730 sat) value repeated n ≥ 2 times (GraphSense: 3), n ≥ half the outputs, ≤ the
//!   distinct inputs, at least one change. The constants go into each finding's `params`.
//! * `co_spend.rs`: co-spend clusters (`co_spend@1`), CoinJoin inputs left out.
//! * `change.rs`: change outputs by a vote of sub-heuristics (`change@1`).

mod change;
mod co_spend;
mod coinjoin;
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
            let verdict = coinjoin::classify(view)?;
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

/// Multi-input clusters, CoinJoins excluded.
pub fn co_spends(index: &CaseIndex) -> Vec<Finding> {
    co_spend::clusters(index, &tx_view::whole_txs(index))
}

/// Change outputs of whole non-CoinJoin transactions.
pub fn changes(index: &CaseIndex) -> Vec<Finding> {
    tx_view::whole_txs(index)
        .iter()
        .filter(|view| coinjoin::classify(view).is_none())
        .filter_map(|view| change::change_of(index, view))
        .collect()
}
