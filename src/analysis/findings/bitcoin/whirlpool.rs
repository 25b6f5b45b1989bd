//! Whirlpool (Samourai / Sparrow / Ashigaru) recognisers: the mix itself (5–10 inputs, as many
//! outputs of exactly one pool denomination, new entrants paying the pool denomination plus a
//! miner-fee allowance, remixes paying exactly the denomination) and the tx0 premix (one
//! `OP_RETURN`, premix outputs of denomination + ε, one coordinator fee output, an optional
//! change). Constants after GraphSense's `heuristics_service.py` (pools and fees, ε window,
//! tx0 premix cap); GraphSense caps a mix at 8 participants, Caseboard at 10. Confidence: a
//! mix 85 (exact pool values and the ε window leave little room; GraphSense says 60 before it
//! checks the inputs' lineage, which a case rarely holds), a tx0 60 (as GraphSense).

use super::coinjoin::{Verdict, all_addressed, btc, frequencies, most_frequent, sat};
use super::tx_view::TxView;
use std::collections::BTreeMap;

/// Whirlpool pools: (denomination, coordinator fee), satoshi.
pub(super) const WHIRLPOOL_POOLS: [(u128, u128); 4] = [
    (100_000, 5_000),
    (1_000_000, 50_000),
    (5_000_000, 175_000),
    (50_000_000, 1_750_000),
];
/// A Whirlpool mix has this many inputs and as many outputs, at least…
pub(super) const WHIRLPOOL_MIN_PARTICIPANTS: usize = 5;
/// …and at most (5 classic; surge cycles and newer coordinators up to 10; GraphSense: 8).
pub(super) const WHIRLPOOL_MAX_PARTICIPANTS: usize = 10;
/// A new entrant's input is the denomination plus this much miner-fee allowance, at least…
pub(super) const WHIRLPOOL_EPSILON_MIN: u128 = 100;
/// …and at most.
pub(super) const WHIRLPOOL_EPSILON_MAX: u128 = 110_000;
/// Most premix outputs of one tx0.
pub(super) const WHIRLPOOL_TX0_MAX_PREMIX: usize = 70;

/// A Whirlpool mix: every output exactly one pool's denomination, inputs the denomination
/// (remixes) or the denomination + ε (new entrants), all ends distinct.
pub(super) fn whirlpool(view: &TxView) -> Option<Verdict> {
    let n = view.inputs.len();
    let range = WHIRLPOOL_MIN_PARTICIPANTS..=WHIRLPOOL_MAX_PARTICIPANTS;
    if !range.contains(&n)
        || view.outputs.len() != n
        || !all_addressed(view)
        || view.distinct_inputs() != n
        || view.distinct_outputs() != n
    {
        return None;
    }
    for (d, _) in WHIRLPOOL_POOLS {
        if view.outputs.iter().any(|o| o.amount != d) {
            continue;
        }
        let fits = |v: u128| {
            v == d || (d + WHIRLPOOL_EPSILON_MIN..=d + WHIRLPOOL_EPSILON_MAX).contains(&v)
        };
        if !view.inputs.iter().all(|i| fits(i.amount)) {
            continue;
        }
        let new = view.inputs.iter().filter(|i| i.amount > d).count();
        if new == 0 || new == n {
            continue;
        }
        let params = BTreeMap::from([
            ("pool_denomination_sat", d.to_string()),
            (
                "participants",
                format!("{WHIRLPOOL_MIN_PARTICIPANTS}..={WHIRLPOOL_MAX_PARTICIPANTS}"),
            ),
            (
                "epsilon_sat",
                format!("{WHIRLPOOL_EPSILON_MIN}..={WHIRLPOOL_EPSILON_MAX}"),
            ),
            ("new_entrants", new.to_string()),
            ("remixes", (n - new).to_string()),
        ]);
        return Some(Verdict {
            method: "coinjoin_whirlpool@1",
            confidence: 85,
            params,
            summary: format!(
                "Whirlpool {} pool mix: {n} in ({new} new entrants, {} remixes), {n} equal outputs of {}",
                btc(d),
                n - new,
                sat(d)
            ),
            mix: true,
        });
    }
    None
}

/// A Whirlpool tx0: one `OP_RETURN`, premix outputs of one pool's denomination + ε, exactly one
/// output in the coordinator fee window, at most two outputs besides the premixes.
pub(super) fn whirlpool_tx0(view: &TxView) -> Option<Verdict> {
    if view.op_returns != 1 || view.outputs.len() < 2 || !all_addressed(view) {
        return None;
    }
    for (d, f) in WHIRLPOOL_POOLS {
        let window = d + WHIRLPOOL_EPSILON_MIN..=d + WHIRLPOOL_EPSILON_MAX;
        let Some((premix, n)) = most_frequent(&frequencies(view, |v| window.contains(&v))) else {
            continue;
        };
        if n > WHIRLPOOL_TX0_MAX_PREMIX || n.saturating_add(2) < view.outputs.len() {
            continue;
        }
        let fees: Vec<u128> = view
            .outputs
            .iter()
            .map(|o| o.amount)
            .filter(|&v| v.saturating_mul(2) >= f && v <= f.saturating_mul(3))
            .collect();
        let [fee] = fees[..] else {
            continue;
        };
        let params = BTreeMap::from([
            ("pool_denomination_sat", d.to_string()),
            ("pool_fee_sat", f.to_string()),
            ("fee_window", "0.5..=3 x pool fee".to_owned()),
            ("premix_outputs", n.to_string()),
            ("max_premix", WHIRLPOOL_TX0_MAX_PREMIX.to_string()),
        ]);
        return Some(Verdict {
            method: "whirlpool_tx0@1",
            confidence: 60,
            params,
            summary: format!(
                "Whirlpool tx0 (premix) for the {} pool: {n} premix outputs of {}, coordinator fee {}",
                btc(d),
                sat(premix),
                sat(fee)
            ),
            mix: false,
        });
    }
    None
}
