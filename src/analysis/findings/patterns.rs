//! Laundering shapes over the case graph: fan-out split, peel chain, consolidation and fast
//! pass-through. Every detector works per asset (chain + contract) and in time order.
//!
//! Parameters (in each finding's `params`):
//! - **fan_out@1**: one sender pays at least `FAN_MIN` distinct fresh recipients (their first
//!   transfer in the case is this one) within `FAN_WINDOW_SECS`. Known services (exchange, mixer,
//!   bridge, DeFi, service) are not senders: paying many customers is their business. Account
//!   chains only for now: a Bitcoin batch (one transaction, many outputs) is not yet read as a
//!   split.
//!   Confidence 60, 85 when at least 80 % of the payments are equal within 1 %.
//! - **peel_chain@1**: a run of hops where each node passes at least `PEEL_PASS_PERCENT` of what
//!   it received on to one next node, later than it received, and at least `PEEL_MIN_PEELS` of
//!   the hops leave a smaller part elsewhere (the peel). Bitcoin transaction nodes are hops
//!   too, so `address → tx → address` chains count. Confidence from the number of peels.
//! - **consolidation@1**: at least `CONSOLIDATE_MIN` distinct senders, each passing on at least
//!   `PEEL_PASS_PERCENT` of what it held, pay one receiver that is not a known service, within
//!   `FAN_WINDOW_SECS`.
//! - **pass_through@1**: a transit address (≤ 2 transfers in, ≤ 2 out) sends on at least
//!   `PASS_PERCENT` of what it received within `PASS_WINDOW_SECS`, not into a known service.
//!
//! Hand-written rather than petgraph: these are per-node scans over time-ordered adjacency, not
//! graph algorithms petgraph has.

use super::{CaseIndex, Finding, FindingKind};
use crate::model::Category;
use std::collections::{BTreeMap, BTreeSet, HashSet};

const FAN_MIN: usize = 10;
const FAN_WINDOW_SECS: i64 = 24 * 3_600;
const PEEL_PASS_PERCENT: u128 = 80;
const PEEL_MIN_PEELS: usize = 3;
/// Longest chain followed (a bound on outside data).
const PEEL_MAX_HOPS: usize = 1_000;
const CONSOLIDATE_MIN: usize = 10;
const PASS_PERCENT: u128 = 95;
const PASS_WINDOW_SECS: i64 = 6 * 3_600;

fn param(value: impl ToString) -> String {
    value.to_string()
}

/// Transfers of `list` in `asset` (positions).
fn of_asset<'x>(
    index: &'x CaseIndex,
    list: &'x [u32],
    asset: u32,
) -> impl Iterator<Item = u32> + 'x {
    let key = &index.asset[asset as usize];
    list.iter()
        .copied()
        .filter(move |&t| &index.asset[t as usize] == key)
}

/// One sender paying many fresh recipients in a short time.
pub fn fan_out(index: &CaseIndex) -> Vec<Finding> {
    let mut found = Vec::new();
    for (node, outgoing) in index.outgoing.iter().enumerate() {
        let node = node as u32;
        if outgoing.len() < FAN_MIN || index.is_service(node) || index.is_transaction(node) {
            continue;
        }
        // Fresh recipients: this transfer is the first one they received.
        let fresh: Vec<u32> = outgoing
            .iter()
            .copied()
            .filter(|&t| {
                let to = index.ends[t as usize].1;
                index.incoming[to as usize].first() == Some(&t)
                    && to != node
                    && !index.is_transaction(to)
            })
            .collect();
        // The densest window of fresh payments (two pointers over time order).
        let mut best: Option<(usize, usize)> = None;
        let mut start = 0;
        for end in 0..fresh.len() {
            let Some(end_time) = index.time(fresh[end]) else {
                continue;
            };
            while start < end
                && index
                    .time(fresh[start])
                    .is_none_or(|s| end_time - s > FAN_WINDOW_SECS)
            {
                start += 1;
            }
            if best.is_none_or(|(s, e)| end + 1 - start > e - s) {
                best = Some((start, end + 1));
            }
        }
        let Some((s, e)) = best else { continue };
        let window = &fresh[s..e];
        let recipients: BTreeSet<u32> = window.iter().map(|&t| index.ends[t as usize].1).collect();
        if recipients.len() < FAN_MIN {
            continue;
        }
        let equal = equal_share_percent(index, window);
        let confidence = if equal >= 80 { 85 } else { 60 };
        let first = index.transfer(window[0]);
        let mut nodes = vec![index.node(node).clone()];
        nodes.extend(recipients.iter().map(|&r| index.node(r).clone()));
        found.push(Finding {
            kind: FindingKind::FanOut,
            method: "fan_out@1",
            params: BTreeMap::from([
                ("min_recipients", param(FAN_MIN)),
                ("window_secs", param(FAN_WINDOW_SECS)),
            ]),
            confidence,
            nodes,
            transfers: window
                .iter()
                .map(|&t| index.transfer(t).id.clone())
                .collect(),
            summary: format!(
                "{} split {} to {} fresh addresses within {}{}",
                crate::model::address::short_form(index.node(node).value()),
                first.asset.display_short(
                    window
                        .iter()
                        .map(|&t| index.transfer(t).amount)
                        .fold(0u128, u128::saturating_add)
                ),
                recipients.len(),
                span_text(index, window),
                if equal >= 80 { ", in equal parts" } else { "" }
            ),
        });
    }
    found
}

/// Percent of `transfers` whose amount is within 1 % of the most common amount.
fn equal_share_percent(index: &CaseIndex, transfers: &[u32]) -> usize {
    let mut amounts: Vec<u128> = transfers
        .iter()
        .map(|&t| index.transfer(t).amount)
        .collect();
    amounts.sort_unstable();
    let Some(&median) = amounts.get(amounts.len() / 2) else {
        return 0;
    };
    let tolerance = median / 100;
    let close = amounts
        .iter()
        .filter(|&&a| a.abs_diff(median) <= tolerance)
        .count();
    close * 100 / amounts.len().max(1)
}

/// "3 h 20 min" between the first and last of `transfers`.
fn span_text(index: &CaseIndex, transfers: &[u32]) -> String {
    let times: Vec<i64> = transfers.iter().filter_map(|&t| index.time(t)).collect();
    let (Some(min), Some(max)) = (times.iter().min(), times.iter().max()) else {
        return "an unknown time".into();
    };
    let secs = max - min;
    if secs >= 3_600 {
        format!("{} h {} min", secs / 3_600, secs % 3_600 / 60)
    } else {
        format!("{} min", secs / 60 + 1)
    }
}

/// What a node passes on: its largest outgoing transfer in the asset of its largest incoming,
/// when that is at least `PEEL_PASS_PERCENT` of what it received in that asset before it.
/// Returns (the forwarding transfer, peels: other outgoing transfers of that asset after the
/// first receipt).
fn forward_of(index: &CaseIndex, node: u32) -> Option<(u32, Vec<u32>)> {
    let incoming = &index.incoming[node as usize];
    let &largest_in = incoming.iter().max_by_key(|&&t| index.transfer(t).amount)?;
    let outgoing: Vec<u32> = of_asset(index, &index.outgoing[node as usize], largest_in).collect();
    let &forward = outgoing.iter().max_by_key(|&&t| index.transfer(t).amount)?;
    if forward < largest_in || index.ends[forward as usize].1 == node {
        return None;
    }
    let received: u128 = of_asset(index, incoming, largest_in)
        .filter(|&t| t < forward)
        .map(|t| index.transfer(t).amount)
        .fold(0u128, u128::saturating_add);
    let amount = index.transfer(forward).amount;
    if received == 0 || amount.saturating_mul(100) < received.saturating_mul(PEEL_PASS_PERCENT) {
        return None;
    }
    if amount > received.saturating_add(received / 100) {
        return None; // passes on more than it got: it had other money; not a hop
    }
    let peels = outgoing.into_iter().filter(|&t| t != forward).collect();
    Some((forward, peels))
}

/// Runs of hops that each pass most of the value on and peel a small part off.
pub fn peel_chains(index: &CaseIndex) -> Vec<Finding> {
    let count = index.nodes().len();
    let forwards: Vec<Option<(u32, Vec<u32>)>> = (0..count as u32)
        .map(|n| {
            if index.is_service(n) {
                None
            } else {
                forward_of(index, n)
            }
        })
        .collect();
    // A chain starts at a hop that no hop forwards into.
    let mut forwarded_into = vec![false; count];
    for f in forwards.iter().flatten() {
        forwarded_into[index.ends[f.0 as usize].1 as usize] = true;
    }
    let mut found = Vec::new();
    for start in 0..count {
        if forwarded_into[start] || forwards[start].is_none() {
            continue;
        }
        let mut chain = vec![start as u32];
        let mut transfers = Vec::new();
        let mut peels = 0usize;
        let mut seen = HashSet::from([start as u32]);
        let mut current = start as u32;
        while let Some((forward, side)) = &forwards[current as usize] {
            if chain.len() > PEEL_MAX_HOPS {
                break;
            }
            transfers.push(*forward);
            // Peels: smaller parts left behind (a Bitcoin tx's other outputs, an account's
            // later spends of what it kept).
            if !side.is_empty() {
                peels += 1;
                transfers.extend(side.iter().copied());
            }
            let next = index.ends[*forward as usize].1;
            if !seen.insert(next) {
                break;
            }
            chain.push(next);
            current = next;
        }
        if peels < PEEL_MIN_PEELS {
            continue;
        }
        transfers.sort_unstable();
        let confidence = match peels {
            0..=4 => 60,
            5..=7 => 80,
            _ => 90,
        };
        let addresses = chain.iter().filter(|&&n| !index.is_transaction(n)).count();
        let first = index.transfer(transfers[0]);
        found.push(Finding {
            kind: FindingKind::PeelChain,
            method: "peel_chain@1",
            params: BTreeMap::from([
                ("min_pass_percent", param(PEEL_PASS_PERCENT)),
                ("min_peels", param(PEEL_MIN_PEELS)),
            ]),
            confidence,
            nodes: chain.iter().map(|&n| index.node(n).clone()).collect(),
            transfers: transfers
                .iter()
                .map(|&t| index.transfer(t).id.clone())
                .collect(),
            summary: format!(
                "{} peel chain from {}: {} addresses, {} peels",
                first.asset.display_short(first.amount),
                crate::model::address::short_form(index.node(chain[0]).value()),
                addresses,
                peels
            ),
        });
    }
    found
}

/// Many senders, each passing on nearly all it held, into one receiver.
pub fn consolidation(index: &CaseIndex) -> Vec<Finding> {
    let mut found = Vec::new();
    for (node, incoming) in index.incoming.iter().enumerate() {
        let node = node as u32;
        if incoming.len() < CONSOLIDATE_MIN || index.is_service(node) || index.is_transaction(node)
        {
            continue;
        }
        let sweeps: Vec<u32> = incoming
            .iter()
            .copied()
            .filter(|&t| {
                let from = index.ends[t as usize].0;
                !index.is_service(from) && forward_of(index, from).is_some_and(|(f, _)| f == t)
            })
            .collect();
        let senders: BTreeSet<u32> = sweeps.iter().map(|&t| index.ends[t as usize].0).collect();
        if senders.len() < CONSOLIDATE_MIN {
            continue;
        }
        let times: Vec<i64> = sweeps.iter().filter_map(|&t| index.time(t)).collect();
        let spread = times
            .iter()
            .max()
            .zip(times.iter().min())
            .map(|(a, b)| a - b);
        if spread.is_none_or(|s| s > FAN_WINDOW_SECS) {
            continue;
        }
        let mut nodes = vec![index.node(node).clone()];
        nodes.extend(senders.iter().map(|&s| index.node(s).clone()));
        found.push(Finding {
            kind: FindingKind::Consolidation,
            method: "consolidation@1",
            params: BTreeMap::from([
                ("min_senders", param(CONSOLIDATE_MIN)),
                ("window_secs", param(FAN_WINDOW_SECS)),
            ]),
            confidence: 60,
            nodes,
            transfers: sweeps
                .iter()
                .map(|&t| index.transfer(t).id.clone())
                .collect(),
            summary: format!(
                "{} addresses emptied into {} within {}",
                senders.len(),
                crate::model::address::short_form(index.node(node).value()),
                span_text(index, &sweeps)
            ),
        });
    }
    found
}

/// Transit addresses: in and out again within hours with nearly the same value.
pub fn pass_through(index: &CaseIndex) -> Vec<Finding> {
    let mut found = Vec::new();
    for node in 0..index.nodes().len() as u32 {
        let (incoming, outgoing) = (
            &index.incoming[node as usize],
            &index.outgoing[node as usize],
        );
        if incoming.is_empty()
            || outgoing.is_empty()
            || incoming.len() > 2
            || outgoing.len() > 2
            || index.is_transaction(node)
            || index.is_service(node)
        {
            continue;
        }
        let Some((forward, _)) = forward_of(index, node) else {
            continue;
        };
        let to = index.ends[forward as usize].1;
        if index.is_service(to) || matches!(index.category_of(to), Some(Category::Exchange)) {
            continue;
        }
        let received: u128 = of_asset(index, incoming, forward)
            .map(|t| index.transfer(t).amount)
            .fold(0u128, u128::saturating_add);
        let amount = index.transfer(forward).amount;
        if amount.saturating_mul(100) < received.saturating_mul(PASS_PERCENT) {
            continue;
        }
        let first_in = incoming[0];
        let (Some(t_in), Some(t_out)) = (index.time(first_in), index.time(forward)) else {
            continue;
        };
        if t_out - t_in > PASS_WINDOW_SECS {
            continue;
        }
        found.push(Finding {
            kind: FindingKind::PassThrough,
            method: "pass_through@1",
            params: BTreeMap::from([
                ("min_pass_percent", param(PASS_PERCENT)),
                ("window_secs", param(PASS_WINDOW_SECS)),
            ]),
            confidence: 50,
            nodes: vec![index.node(node).clone(), index.node(to).clone()],
            transfers: vec![
                index.transfer(first_in).id.clone(),
                index.transfer(forward).id.clone(),
            ],
            summary: format!(
                "{} passed {} on within {}",
                crate::model::address::short_form(index.node(node).value()),
                index.transfer(forward).asset.display_short(amount),
                span_text(index, &[first_in, forward])
            ),
        });
    }
    found
}
