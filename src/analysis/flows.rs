//! Flows: the money on the graph's edges, and what the graph filter lets through.
//!
//! A flow is every transfer from one node to another in one asset (by chain + contract, never
//! by symbol), summed exactly in base units and valued in USD at the UTC day of each transfer.
//! The canvas draws one edge per flow, the hover lists its transfers, the exports label it.
//!
//! [`flow_view`] applies a [`GraphFilter`] in four steps: single transfers (time range, assets,
//! dust, direction relative to the focus nodes), nodes (categories), whole flows (minimum USD —
//! unpriced flows are filtered while a minimum is set, as their value is unknown — and minimum
//! amounts per asset), then leaves (nodes left with one counterparty,
//! untagged). What the filter takes away is returned beside what it keeps, so the canvas can
//! draw it faintly ("dim") or not at all. The filter narrows the picture, never the facts.

use crate::model::filter::FlowDirection;
use crate::model::node_rank::NodeRanks;
use crate::model::{Asset, Case, Chain, GraphFilter, NodeId, Transfer, TransferId};
use crate::prices::{AssetKey, PriceBook, USD_SCALE, Usd};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Every transfer from one node to another in one asset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// The asset (symbol and decimals as the first transfer had them).
    pub asset: Asset,
    /// Summed base units (saturating: no real flow comes near 2^128).
    pub amount: u128,
    /// USD at the time of each priced transfer, summed (`None` when none was priced).
    pub usd: Option<Usd>,
    /// Transfers without a price (their USD is missing from `usd`).
    pub unpriced: usize,
    /// Earliest and latest transfer time, when known.
    pub first_time: Option<i64>,
    /// Latest transfer time.
    pub last_time: Option<i64>,
    /// The transfers, in time order (unknown times last), ties by id.
    pub transfers: Vec<TransferId>,
}

impl Flow {
    /// The edge label: `288.4 ETH ×3 ≈ $775k` (no `×` for one transfer, no `≈` unpriced).
    pub fn label(&self) -> String {
        let mut text = format!(
            "{} {}",
            crate::model::format_units_short(self.amount, self.asset.decimals),
            crate::util::clip(&self.asset.symbol, 12)
        );
        if self.transfers.len() > 1 {
            text.push_str(&format!(" ×{}", self.transfers.len()));
        }
        if let Some(usd) = self.usd {
            text.push_str(" ≈ ");
            if self.unpriced > 0 {
                text.push('≥');
            }
            text.push_str(&usd.short());
        }
        text
    }
}

/// What the graph shows under a filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlowView {
    /// Flows the filter keeps, ordered by sender, receiver, chain and contract.
    pub shown: Vec<Flow>,
    /// Flows of the transfers the filter takes away (drawn faintly when dimming).
    pub filtered: Vec<Flow>,
    /// Nodes the filter takes away.
    pub hidden_nodes: BTreeSet<NodeId>,
    /// Transfers the filter takes away.
    pub filtered_transfers: usize,
}

/// The flows of `case` under `filter`, valued with `prices`.
pub fn flow_view(case: &Case, prices: &PriceBook, filter: &GraphFilter) -> FlowView {
    let assets = wanted_assets(filter);
    let categories: BTreeSet<&str> = filter.categories.iter().map(String::as_str).collect();
    let node_passes = |id: &NodeId| {
        categories.is_empty()
            || case
                .display_category(id)
                .is_some_and(|c| categories.contains(c.name()))
    };
    let dust = filter.dust_usd_cents.map(cents_to_usd);
    let focus: HashSet<&NodeId> = filter.focus.iter().collect();
    let direction_passes = |t: &Transfer| match filter.direction {
        _ if focus.is_empty() => true,
        None => true,
        Some(FlowDirection::Into) => focus.contains(&t.to),
        Some(FlowDirection::OutOf) => focus.contains(&t.from),
        Some(FlowDirection::Touching) => focus.contains(&t.from) || focus.contains(&t.to),
    };
    let ranks = NodeRanks::new(&case.nodes);
    let mut kept = Groups::default();
    let mut dropped = Groups::default();
    for t in case.transfers.values() {
        let value = prices.transfer_usd(t);
        let keep = in_time(filter, t)
            && assets.as_ref().is_none_or(|a| {
                a.iter().any(|(chain, contract)| {
                    *chain == t.asset.chain && contract.as_deref() == t.asset.contract.as_deref()
                })
            })
            && !matches!((dust, value), (Some(d), Some(v)) if v < d)
            && node_passes(&t.from)
            && node_passes(&t.to)
            && direction_passes(t);
        if keep { &mut kept } else { &mut dropped }.add(t, value, &ranks);
    }
    let mut shown = Vec::new();
    let mut filtered = dropped.into_flows();
    let min_usd = filter.min_usd_cents.map(cents_to_usd);
    for flow in kept.into_flows() {
        let under_usd =
            min_usd.is_some_and(|min| flow.unpriced > 0 || flow.usd.is_none_or(|u| u < min));
        if under_usd || under_asset_minimum(filter, &flow) {
            filtered.push(flow);
        } else {
            shown.push(flow);
        }
    }
    let mut hidden_nodes: BTreeSet<NodeId> = case
        .nodes
        .keys()
        .filter(|id| !node_passes(id))
        .cloned()
        .collect();
    if filter.hide_leaves {
        let leaves = leaves(case, &shown);
        let (keep, leaf_flows): (Vec<Flow>, Vec<Flow>) = shown
            .into_iter()
            .partition(|f| !leaves.contains(&f.from) && !leaves.contains(&f.to));
        shown = keep;
        filtered.extend(leaf_flows);
        hidden_nodes.extend(leaves);
    }
    if filter.is_active() {
        // A node whose every transfer is filtered away goes with them; a node without any
        // transfer (just added, not expanded yet) stays unless its category is filtered.
        let touched: HashSet<&NodeId> = shown.iter().flat_map(|f| [&f.from, &f.to]).collect();
        let with_transfers: HashSet<&NodeId> = case
            .transfers
            .values()
            .flat_map(|t| [&t.from, &t.to])
            .collect();
        // A node picked by category stays, edges or not: the user asked for it.
        let picked = |id: &NodeId| !categories.is_empty() && node_passes(id);
        for id in with_transfers {
            if !touched.contains(id) && !picked(id) {
                hidden_nodes.insert(id.clone());
            }
        }
    }
    filtered.sort_by(|a, b| flow_order(a).cmp(&flow_order(b)));
    let filtered_transfers = filtered.iter().map(|f| f.transfers.len()).sum();
    FlowView {
        shown,
        filtered,
        hidden_nodes,
        filtered_transfers,
    }
}

/// True when the filter sets a minimum for the flow's asset and the flow carries less (a
/// minimum with more decimals than the asset has cannot be met by a smaller amount: it is
/// compared rounded up to the asset's precision).
fn under_asset_minimum(filter: &GraphFilter, flow: &Flow) -> bool {
    if filter.asset_minimums.is_empty() {
        return false;
    }
    let text = AssetKey::of(&flow.asset).to_string();
    let Some(min) = filter.asset_minimums.get(&text) else {
        return false;
    };
    match crate::model::parse_units(min, flow.asset.decimals) {
        Ok(min) => flow.amount < min,
        // More precise than the asset: any amount below the next whole base unit is less.
        Err(crate::model::amount::AmountError::TooPrecise { .. }) => {
            let cut: String = {
                let (int, frac) = min.split_once('.').unwrap_or((min, ""));
                let keep: String = frac
                    .chars()
                    .take(usize::from(flow.asset.decimals))
                    .collect();
                format!("{int}.{keep}")
            };
            crate::model::parse_units(&cut, flow.asset.decimals).is_ok_and(|m| flow.amount <= m)
        }
        Err(_) => false,
    }
}

/// `cents` as exact USD.
fn cents_to_usd(cents: u64) -> Usd {
    Usd(u128::from(cents) * (USD_SCALE / 100))
}

fn in_time(filter: &GraphFilter, t: &Transfer) -> bool {
    if filter.since_unix.is_none() && filter.until_unix.is_none() {
        return true;
    }
    t.time.is_some_and(|time| {
        filter.since_unix.is_none_or(|s| time >= s) && filter.until_unix.is_none_or(|u| time <= u)
    })
}

/// The filter's assets as (chain, contract); `None` = every asset. Entries that are not an
/// asset key are ignored (the filter panel only writes valid ones).
fn wanted_assets(filter: &GraphFilter) -> Option<Vec<(Chain, Option<String>)>> {
    if filter.assets.is_empty() {
        return None;
    }
    Some(
        filter
            .assets
            .iter()
            .filter_map(|text| {
                let key = AssetKey::parse(text).ok()?;
                Some((Chain::from_id_prefix(&key.chain)?, key.contract))
            })
            .collect(),
    )
}

/// Untagged nodes with exactly one counterparty among `flows`.
fn leaves(case: &Case, flows: &[Flow]) -> BTreeSet<NodeId> {
    let mut neighbours: HashMap<&NodeId, HashSet<&NodeId>> = HashMap::new();
    for f in flows {
        neighbours.entry(&f.from).or_default().insert(&f.to);
        neighbours.entry(&f.to).or_default().insert(&f.from);
    }
    neighbours
        .into_iter()
        .filter(|(id, n)| n.len() == 1 && case.display_category(id).is_none())
        .map(|(id, _)| id.clone())
        .collect()
}

type FlowKey<'a> = (&'a NodeId, &'a NodeId, Chain, Option<&'a str>);

fn flow_order(f: &Flow) -> FlowKey<'_> {
    (&f.from, &f.to, f.asset.chain, f.asset.contract.as_deref())
}

/// Transfers grouped into flows as they are read: a flow's index by its key, the flows, and
/// every member as (flow index, time, id), sorted once at the end. (A map from key to a growing
/// flow with its own list of members cost a second and a half at 450,000 transfers.) Flows are
/// keyed and ordered by their ends' places in the case ([`NodeRanks`]): two numbers instead of
/// two ids hashed, compared and sorted.
#[derive(Default)]
struct Groups<'a> {
    index: crate::util::FastMap<PlaceKey<'a>, u32>,
    flows: Vec<Flow>,
    /// The places of each flow's sender and receiver.
    places: Vec<(u32, u32)>,
    members: Vec<(u32, Option<i64>, &'a TransferId)>,
    /// Ends that are not nodes of the case (a case being checked), numbered past the nodes;
    /// while there are any, flows are ordered by their ids.
    strangers: crate::util::FastMap<&'a NodeId, u32>,
}

/// A flow's key: its ends' places, chain and contract.
type PlaceKey<'a> = (u32, u32, Chain, Option<&'a str>);

impl<'a> Groups<'a> {
    fn place(&mut self, id: &'a NodeId, ranks: &NodeRanks<'_>) -> u32 {
        if let Some(rank) = ranks.get(id) {
            return rank;
        }
        let next = u32::MAX - u32::try_from(self.strangers.len()).unwrap_or(u32::MAX);
        *self.strangers.entry(id).or_insert(next)
    }

    fn add(&mut self, t: &'a Transfer, usd: Option<Usd>, ranks: &NodeRanks<'_>) {
        let places = (self.place(&t.from, ranks), self.place(&t.to, ranks));
        let key = (
            places.0,
            places.1,
            t.asset.chain,
            t.asset.contract.as_deref(),
        );
        let flows = &mut self.flows;
        let Ok(next) = u32::try_from(flows.len()) else {
            // Four billion flows do not fit in memory long before this.
            return;
        };
        let index = *self.index.entry(key).or_insert_with(|| {
            flows.push(Flow {
                from: t.from.clone(),
                to: t.to.clone(),
                asset: t.asset.clone(),
                amount: 0,
                usd: None,
                unpriced: 0,
                first_time: None,
                last_time: None,
                transfers: Vec::new(),
            });
            self.places.push(places);
            next
        });
        let flow = &mut flows[index as usize];
        flow.amount = flow.amount.saturating_add(t.amount);
        match usd {
            Some(v) => flow.usd = Some(flow.usd.unwrap_or(Usd(0)).saturating_add(v)),
            None => flow.unpriced += 1,
        }
        if let Some(time) = t.time {
            flow.first_time = Some(flow.first_time.map_or(time, |f| f.min(time)));
            flow.last_time = Some(flow.last_time.map_or(time, |l| l.max(time)));
        }
        self.members.push((index, t.time, &t.id));
    }

    /// The flows ordered by sender, receiver, chain and contract, each with its transfers in
    /// time order (unknown times last), ties by id.
    fn into_flows(self) -> Vec<Flow> {
        let Groups {
            index,
            mut flows,
            places,
            mut members,
            strangers,
        } = self;
        drop(index);
        members.sort_unstable_by(|a, b| {
            (a.0, a.1.is_none(), a.1, a.2.as_str()).cmp(&(b.0, b.1.is_none(), b.1, b.2.as_str()))
        });
        for group in members.chunk_by(|a, b| a.0 == b.0) {
            let flow = &mut flows[group[0].0 as usize];
            flow.transfers = group.iter().map(|(_, _, id)| (*id).clone()).collect();
        }
        drop(members);
        if !strangers.is_empty() {
            flows.sort_unstable_by(|a, b| flow_order(a).cmp(&flow_order(b)));
            return flows;
        }
        // Places follow id order: sort the flows' numbers, then move each flow once.
        let key = |i: u32| {
            let (f, (from, to)) = (&flows[i as usize], places[i as usize]);
            (from, to, f.asset.chain, f.asset.contract.as_deref())
        };
        let mut order: Vec<u32> = (0..u32::try_from(flows.len()).unwrap_or(u32::MAX)).collect();
        order.sort_unstable_by(|a, b| key(*a).cmp(&key(*b)));
        let mut slots: Vec<Option<Flow>> = flows.into_iter().map(Some).collect();
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i as usize).and_then(Option::take))
            .collect()
    }
}

#[cfg(test)]
#[path = "flows_tests.rs"]
mod tests;
