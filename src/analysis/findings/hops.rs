//! Hops through services: mixer deposits and withdrawals, swap hops and bridge hops.
//!
//! Parameters (in each finding's `params`):
//! - **mixer_deposit@1** / **mixer_withdrawal@1**: transfers into / out of a node whose
//!   category is mixer (from its cluster or tags), grouped per counterparty. Confidence 90: the
//!   evidence is the tag, which the investigator can see and question.
//! - **swap_hop@1**: a node sends one asset to a counterparty and receives a different asset
//!   back from the same counterparty within `SWAP_WINDOW_SECS` (same transaction or soon after);
//!   when both legs are priced their USD values differ by at most `MATCH_PERCENT`. The swapper
//!   is the end with fewer transfers (a venue has many). Confidence
//!   85 in one transaction, 70 otherwise; +10 when the counterparty is tagged DeFi or exchange.
//! - **bridge_hop@2**: value enters a node tagged bridge on one chain and, within
//!   `BRIDGE_WINDOW_SECS` after, a node tagged bridge (or a Bitcoin transaction one of whose
//!   inputs is tagged bridge) pays out on another chain an amount whose USD value is within
//!   `MATCH_PERCENT` of the deposit's. Unpriced legs cannot be matched and give no finding.
//!   Each payout matches one deposit; the bridge's rate is calibrated on the unambiguous
//!   pairs (see [`bridge_hops`]). Confidence 85 when unambiguous or within 0.2 % of the
//!   calibrated rate, else 65.

use super::{CaseIndex, Finding, FindingKind};
use crate::model::Category;
use std::collections::{BTreeMap, HashSet};

const SWAP_WINDOW_SECS: i64 = 6 * 3_600;
const BRIDGE_WINDOW_SECS: i64 = 6 * 3_600;
const MATCH_PERCENT: u128 = 10;
/// Most payouts compared per deposit (bounds a bridge with many legs).
const BRIDGE_MAX_CANDIDATES: usize = 2_000;
/// Rate differences below this many basis points count as equal when matching bridge legs.
const RATE_STEP_BPS: u128 = 25;

fn short(index: &CaseIndex, node: u32) -> String {
    crate::model::address::short_form(index.node(node).value())
}

fn is_mixer(index: &CaseIndex, node: u32) -> bool {
    matches!(index.category_of(node), Some(Category::Mixer))
}

fn is_bridge(index: &CaseIndex, node: u32) -> bool {
    matches!(index.category_of(node), Some(Category::Bridge))
}

/// True when two USD values (cents) are within `MATCH_PERCENT` of the larger.
fn usd_match(a: u128, b: u128, percent: u128) -> bool {
    let larger = a.max(b);
    a.abs_diff(b).saturating_mul(100) <= larger.saturating_mul(percent)
}

/// Deposits into mixers, one finding per depositor and mixer.
pub fn mixer_deposits(index: &CaseIndex) -> Vec<Finding> {
    mixer_legs(index, true)
}

/// Withdrawals from mixers, one finding per recipient and mixer.
pub fn mixer_withdrawals(index: &CaseIndex) -> Vec<Finding> {
    mixer_legs(index, false)
}

fn mixer_legs(index: &CaseIndex, deposits: bool) -> Vec<Finding> {
    let mut groups: BTreeMap<(u32, u32), Vec<u32>> = BTreeMap::new();
    for (mixer, _) in index.nodes().iter().enumerate() {
        let mixer = mixer as u32;
        if !is_mixer(index, mixer) {
            continue;
        }
        let legs = if deposits {
            &index.incoming[mixer as usize]
        } else {
            &index.outgoing[mixer as usize]
        };
        for &t in legs {
            let (from, to) = index.ends[t as usize];
            let other = if deposits { from } else { to };
            if !is_mixer(index, other) {
                groups.entry((other, mixer)).or_default().push(t);
            }
        }
    }
    let (kind, method, verb) = if deposits {
        (FindingKind::MixerDeposit, "mixer_deposit@1", "deposited")
    } else {
        (
            FindingKind::MixerWithdrawal,
            "mixer_withdrawal@1",
            "withdrew",
        )
    };
    groups
        .into_iter()
        .map(|((other, mixer), legs)| {
            let first = index.transfer(legs[0]);
            let total = legs
                .iter()
                .filter(|&&t| index.transfer(t).asset == first.asset)
                .map(|&t| index.transfer(t).amount)
                .fold(0u128, u128::saturating_add);
            Finding {
                kind,
                method,
                params: BTreeMap::from([("mixer_category", "mixer".to_string())]),
                confidence: 90,
                nodes: vec![index.node(other).clone(), index.node(mixer).clone()],
                transfers: legs.iter().map(|&t| index.transfer(t).id.clone()).collect(),
                summary: format!(
                    "{} {verb} {} in {} transfer{} {} mixer {}",
                    short(index, other),
                    first.asset.display_short(total),
                    legs.len(),
                    if legs.len() == 1 { "" } else { "s" },
                    if deposits { "into" } else { "from" },
                    short(index, mixer)
                ),
            }
        })
        .collect()
}

/// One asset out to a counterparty, another asset back from it soon after.
pub fn swap_hops(index: &CaseIndex) -> Vec<Finding> {
    let mut found = Vec::new();
    for node in 0..index.nodes().len() as u32 {
        if index.is_transaction(node) || index.is_service(node) {
            continue;
        }
        let mut used = HashSet::new();
        for &out in &index.outgoing[node as usize] {
            let counterparty = index.ends[out as usize].1;
            let Some(t_out) = index.time(out) else {
                continue;
            };
            let sent = index.transfer(out);
            let back = index.incoming[node as usize].iter().copied().find(|&i| {
                let came = index.transfer(i);
                !used.contains(&i)
                    && index.ends[i as usize].0 == counterparty
                    && index.asset[i as usize] != index.asset[out as usize]
                    && index
                        .time(i)
                        .is_some_and(|t| t >= t_out && t - t_out <= SWAP_WINDOW_SECS)
                    && match (index.usd_cents[out as usize], index.usd_cents[i as usize]) {
                        (Some(a), Some(b)) => usd_match(a, b, MATCH_PERCENT),
                        _ => came.tx_hash == sent.tx_hash,
                    }
            });
            let Some(back) = back else { continue };
            // Both ends see "one asset out, another back"; the swapper is the end with fewer
            // transfers (the venue has many), ties to the one that sent first.
            let degree =
                |n: u32| index.incoming[n as usize].len() + index.outgoing[n as usize].len();
            let (mine, theirs) = (degree(node), degree(counterparty));
            if mine > theirs || (mine == theirs && back < out) {
                continue;
            }
            used.insert(back);
            let came = index.transfer(back);
            let same_tx = came.tx_hash == sent.tx_hash;
            let known_venue = matches!(
                index.category_of(counterparty),
                Some(Category::Defi | Category::Exchange)
            );
            found.push(Finding {
                kind: FindingKind::SwapHop,
                method: "swap_hop@1",
                params: BTreeMap::from([
                    ("window_secs", SWAP_WINDOW_SECS.to_string()),
                    ("usd_match_percent", MATCH_PERCENT.to_string()),
                ]),
                confidence: if same_tx { 85 } else { 70 } + if known_venue { 10 } else { 0 },
                nodes: vec![index.node(node).clone(), index.node(counterparty).clone()],
                transfers: vec![sent.id.clone(), came.id.clone()],
                summary: format!(
                    "{} swapped {} for {} through {}",
                    short(index, node),
                    sent.asset.display_short(sent.amount),
                    came.asset.display_short(came.amount),
                    short(index, counterparty)
                ),
            });
        }
    }
    found
}

/// Payout legs: transfers out of a bridge node, or out of a transaction one of whose inputs
/// comes from a bridge node, to a non-bridge node.
fn bridge_payouts(index: &CaseIndex) -> Vec<u32> {
    let mut payouts = Vec::new();
    for node in 0..index.nodes().len() as u32 {
        let pays = is_bridge(index, node)
            || (index.is_transaction(node)
                && index.incoming[node as usize]
                    .iter()
                    .any(|&t| is_bridge(index, index.ends[t as usize].0)));
        if !pays {
            continue;
        }
        for &t in &index.outgoing[node as usize] {
            let to = index.ends[t as usize].1;
            if !is_bridge(index, to) && !index.is_transaction(to) {
                payouts.push(t);
            }
        }
    }
    payouts.sort_unstable();
    payouts
}

/// Every deposit into a bridge (transfer position) with its candidate payouts: on another
/// chain, within the window after it, USD within `MATCH_PERCENT`; each with its value ratio
/// (payout USD / deposit USD in basis points).
fn bridge_candidates(index: &CaseIndex, payouts: &[u32]) -> Vec<(u32, Vec<(usize, u128)>)> {
    let mut deposits = Vec::new();
    for (t, &(from, to)) in index.ends.iter().enumerate() {
        let t = t as u32;
        if to == u32::MAX || !is_bridge(index, to) || is_bridge(index, from) {
            continue;
        }
        let (Some(t_in), Some(usd_in)) = (index.time(t), index.usd_cents[t as usize]) else {
            continue;
        };
        if usd_in == 0 {
            continue;
        }
        let chain_in = &index.transfer(t).asset.chain;
        // Payouts are in time order: start at the first one not before the deposit.
        let first = payouts.partition_point(|&p| index.time(p).is_none_or(|x| x < t_in));
        let mut candidates = Vec::new();
        for (k, &p) in payouts
            .iter()
            .enumerate()
            .skip(first)
            .take(BRIDGE_MAX_CANDIDATES)
        {
            let Some(t_out) = index.time(p) else { break };
            if t_out - t_in > BRIDGE_WINDOW_SECS {
                break;
            }
            if &index.transfer(p).asset.chain == chain_in {
                continue;
            }
            let Some(usd_out) = index.usd_cents[p as usize] else {
                continue;
            };
            if usd_match(usd_in, usd_out, MATCH_PERCENT) {
                candidates.push((k, usd_out.saturating_mul(10_000) / usd_in));
            }
        }
        if !candidates.is_empty() {
            deposits.push((t, candidates));
        }
    }
    deposits
}

/// Deposits into a bridge on one chain matched with payouts on another.
///
/// A bridge pays at its own rate, which differs from the day's price tables by its fee and
/// spread, so value alone matches poorly where many deposits are alike. The rate is
/// calibrated first: per UTC day, the median value ratio of deposits with exactly one
/// candidate. Then every
/// candidate pair is ranked by its distance from that rate (in `RATE_STEP_BPS` steps), then by
/// the wait, and taken greedily, each deposit and each payout once.
pub fn bridge_hops(index: &CaseIndex) -> Vec<Finding> {
    let payouts = bridge_payouts(index);
    let deposits = bridge_candidates(index, &payouts);
    // The rate per UTC day of the deposit (prices are daily closes, so the bridge's rate
    // against them moves day by day), from the unambiguous deposits; the overall median where
    // a day has none.
    let day_of = |t: u32| index.time(t).unwrap_or(0).div_euclid(86_400);
    let mut by_day: BTreeMap<i64, Vec<u128>> = BTreeMap::new();
    for (t, candidates) in &deposits {
        if let [(_, ratio)] = candidates.as_slice() {
            by_day.entry(day_of(*t)).or_default().push(*ratio);
        }
    }
    let mut all: Vec<u128> = by_day.values().flatten().copied().collect();
    all.sort_unstable();
    let overall = all.get(all.len() / 2).copied().unwrap_or(10_000);
    let expected_on = |day: i64| {
        by_day.get(&day).map_or(overall, |ratios| {
            let mut ratios = ratios.clone();
            ratios.sort_unstable();
            ratios[ratios.len() / 2]
        })
    };
    // Global greedy over every candidate pair: closest to the calibrated rate (in steps of
    // `RATE_STEP_BPS`), then the shortest wait, then the earliest; each deposit and each
    // payout used once.
    let mut pairs: Vec<(u128, i64, usize, usize, u128)> = Vec::new();
    for (d, (t, candidates)) in deposits.iter().enumerate() {
        for &(k, ratio) in candidates {
            let wait = index.time(payouts[k]).unwrap_or(i64::MAX) - index.time(*t).unwrap_or(0);
            let expected = expected_on(day_of(*t));
            pairs.push((
                ratio.abs_diff(expected) / RATE_STEP_BPS,
                wait,
                d,
                k,
                expected,
            ));
        }
    }
    pairs.sort_unstable();
    let mut deposit_done = vec![false; deposits.len()];
    let mut taken = vec![false; payouts.len()];
    let mut chosen = Vec::new();
    for (_, _, d, k, expected) in pairs {
        if deposit_done[d] || taken[k] {
            continue;
        }
        deposit_done[d] = true;
        taken[k] = true;
        chosen.push((d, k, expected));
    }
    chosen.sort_unstable();
    let mut found = Vec::new();
    for (d, k, expected) in chosen {
        let (t, candidates) = (&deposits[d].0, &deposits[d].1);
        let t = *t;
        let p = payouts[k];
        let (deposit, payout) = (index.transfer(t), index.transfer(p));
        let from = index.ends[t as usize].0;
        let recipient = index.ends[p as usize].1;
        let t_in = index.time(t).unwrap_or_default();
        let ratio = candidates
            .iter()
            .find(|c| c.0 == k)
            .map_or(expected, |c| c.1);
        let off_bps = ratio.abs_diff(expected);
        found.push(Finding {
            kind: FindingKind::BridgeHop,
            method: "bridge_hop@2",
            params: BTreeMap::from([
                ("window_secs", BRIDGE_WINDOW_SECS.to_string()),
                ("usd_match_percent", MATCH_PERCENT.to_string()),
                ("calibrated_ratio_bps", expected.to_string()),
            ]),
            confidence: if candidates.len() == 1 || off_bps <= 20 {
                85
            } else {
                65
            },
            nodes: hop_nodes(index, t, p),
            transfers: vec![deposit.id.clone(), payout.id.clone()],
            summary: format!(
                "{} bridged {} to {} as {} ({} min later)",
                short(index, from),
                deposit.asset.display_short(deposit.amount),
                short(index, recipient),
                payout.asset.display_short(payout.amount),
                (index.time(p).unwrap_or(t_in) - t_in) / 60
            ),
        });
    }
    found
}

/// The evidence nodes of a hop from the deposit `d` to the payout `p`: depositor, venue on
/// the way in, venue on the way out, recipient.
pub(super) fn hop_nodes(index: &CaseIndex, d: u32, p: u32) -> Vec<crate::model::NodeId> {
    let (from, to) = index.ends[d as usize];
    let (payer, recipient) = index.ends[p as usize];
    [from, to, payer, recipient]
        .into_iter()
        .map(|n| index.node(n).clone())
        .collect()
}
