//! One pass over a case that every detector shares: transfers in time order (block height, then
//! time, then id, as taint orders them), each node's transfers in and out in that order, each
//! transfer's USD value (exact cents, from the price book) and each node's category.
//!
//! Building it is O(transfers · log transfers); detectors then read slices, never the maps.

use crate::model::{Case, Category, NodeId, Transfer};
use crate::prices::{AssetKey, PriceBook};
use std::collections::HashMap;

/// The shared view detectors read.
pub struct CaseIndex<'a> {
    /// The case.
    pub case: &'a Case,
    /// Node ids, dense (`u32` positions below refer to this).
    pub nodes: Vec<&'a NodeId>,
    positions: HashMap<&'a NodeId, u32>,
    /// Transfers in time order.
    pub transfers: Vec<&'a Transfer>,
    /// Per transfer (same order): USD cents at its time, when priced.
    pub usd_cents: Vec<Option<u128>>,
    /// Per transfer: its asset key (chain + contract).
    pub asset: Vec<AssetKey>,
    /// Per transfer: positions of its ends (from, to).
    pub ends: Vec<(u32, u32)>,
    /// Per node: positions (into `transfers`) of transfers out, in time order.
    pub outgoing: Vec<Vec<u32>>,
    /// Per node: positions of transfers in, in time order.
    pub incoming: Vec<Vec<u32>>,
    /// Per node: the category that colours it (cluster, else tags).
    pub category: Vec<Option<Category>>,
}

impl<'a> CaseIndex<'a> {
    /// Indexes `case`, valuing transfers with `prices`.
    pub fn build(case: &'a Case, prices: &PriceBook) -> CaseIndex<'a> {
        let nodes: Vec<&NodeId> = case.nodes.keys().collect();
        let positions: HashMap<&NodeId, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, id)| (*id, i as u32))
            .collect();
        let transfers = crate::analysis::taint::time_ordered(case);
        let mut outgoing = vec![Vec::new(); nodes.len()];
        let mut incoming = vec![Vec::new(); nodes.len()];
        let mut ends = Vec::with_capacity(transfers.len());
        let mut usd_cents = Vec::with_capacity(transfers.len());
        let mut asset = Vec::with_capacity(transfers.len());
        for (i, t) in transfers.iter().enumerate() {
            // A valid case has both ends; an invalid one is analysed as far as it goes.
            let (Some(&from), Some(&to)) = (positions.get(&t.from), positions.get(&t.to)) else {
                ends.push((u32::MAX, u32::MAX));
                usd_cents.push(None);
                asset.push(AssetKey::of(&t.asset));
                continue;
            };
            outgoing[from as usize].push(i as u32);
            incoming[to as usize].push(i as u32);
            ends.push((from, to));
            usd_cents.push(prices.transfer_value(t).map(|v| v.usd.cents()));
            asset.push(AssetKey::of(&t.asset));
        }
        let category = nodes
            .iter()
            .map(|id| case.display_category(id).cloned())
            .collect();
        CaseIndex {
            case,
            nodes,
            positions,
            transfers,
            usd_cents,
            asset,
            ends,
            outgoing,
            incoming,
            category,
        }
    }

    /// The dense position of `id`.
    pub fn position(&self, id: &NodeId) -> Option<u32> {
        self.positions.get(id).copied()
    }

    /// The node at `position`.
    pub fn node(&self, position: u32) -> &'a NodeId {
        self.nodes[position as usize]
    }

    /// True when the node at `position` is a transaction node.
    pub fn is_transaction(&self, position: u32) -> bool {
        self.node(position).is_transaction()
    }

    /// The category of the node at `position`.
    pub fn category_of(&self, position: u32) -> Option<&Category> {
        self.category[position as usize].as_ref()
    }

    /// True when the node is a known service: exchange, mixer, bridge, DeFi or other service.
    pub fn is_service(&self, position: u32) -> bool {
        self.category_of(position).is_some_and(Category::is_service)
    }

    /// Unix seconds of the transfer at `i` (None when unknown).
    pub fn time(&self, i: u32) -> Option<i64> {
        self.transfers[i as usize].time
    }

    /// The transfer at `i`.
    pub fn transfer(&self, i: u32) -> &'a Transfer {
        self.transfers[i as usize]
    }
}
