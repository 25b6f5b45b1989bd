//! One pass over a case that every detector shares: transfers in time order (block height, then
//! time, then id, as taint orders them), each node's transfers in and out in that order, each
//! transfer's USD value (exact cents, from the price book) and each node's category.
//!
//! Building it is O(transfers · log transfers); detectors then read slices, never the maps.
//! [`CaseIndex::around`] indexes one node's neighbourhood only (the node, its counterparties
//! and their transfers): enough to read one Bitcoin transaction, as the trace does per hop.

use crate::analysis::dense::Numbering;
use crate::model::{Case, Category, NodeId, Transfer};
use crate::prices::{AssetKey, PriceBook};
use std::collections::BTreeSet;

/// The shared view detectors read.
pub struct CaseIndex<'a> {
    /// The case.
    pub case: &'a Case,
    /// Node ids, dense (`u32` positions below refer to this; see [`CaseIndex::nodes`]).
    numbering: Numbering<'a>,
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
        let transfers = crate::analysis::taint::time_ordered(case);
        CaseIndex::over(case, Numbering::of_case(case), transfers, prices)
    }

    /// Indexes only `node`'s neighbourhood: `node`, the nodes it has transfers with, every
    /// transfer of those, and the transfers' other ends. What a detector reads of one
    /// transaction (its legs, its ends and their other transfers, in the same relative order)
    /// is then the same as in [`CaseIndex::build`], at the cost of two passes over the
    /// transfers instead of indexing and valuing the whole case.
    pub fn around(case: &'a Case, node: &NodeId, prices: &PriceBook) -> CaseIndex<'a> {
        let mut near: BTreeSet<&'a NodeId> = BTreeSet::new();
        if let Some((id, _)) = case.nodes.get_key_value(node) {
            near.insert(id);
        }
        for t in case.transfers.values() {
            if &t.from == node {
                near.insert(&t.to);
            }
            if &t.to == node {
                near.insert(&t.from);
            }
        }
        let mut transfers: Vec<&Transfer> = case
            .transfers
            .values()
            .filter(|t| near.contains(&t.from) || near.contains(&t.to))
            .collect();
        transfers.sort_unstable_by(|a, b| crate::analysis::taint::time_order(a, b));
        let mut ids = near;
        for &t in &transfers {
            ids.insert(&t.from);
            ids.insert(&t.to);
        }
        // As in `build`, only the case's nodes count (a transfer to a missing node has no ends),
        // numbered by the case's own ids.
        let nodes = ids
            .into_iter()
            .filter_map(|id| case.nodes.get_key_value(id).map(|(key, _)| key))
            .collect();
        CaseIndex::over(case, Numbering::of_ids(nodes), transfers, prices)
    }

    /// Indexes `transfers` (time ordered) between the `numbering`'s nodes.
    fn over(
        case: &'a Case,
        numbering: Numbering<'a>,
        transfers: Vec<&'a Transfer>,
        prices: &PriceBook,
    ) -> CaseIndex<'a> {
        let count = numbering.len();
        let mut outgoing = vec![Vec::new(); count];
        let mut incoming = vec![Vec::new(); count];
        let mut ends = Vec::with_capacity(transfers.len());
        let mut usd_cents = Vec::with_capacity(transfers.len());
        let mut asset = Vec::with_capacity(transfers.len());
        for (i, t) in transfers.iter().enumerate() {
            // A valid case has both ends; an invalid one is analysed as far as it goes.
            let (Some(from), Some(to)) = (numbering.get(&t.from), numbering.get(&t.to)) else {
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
        let category = numbering
            .ids
            .iter()
            .map(|id| case.display_category(id).cloned())
            .collect();
        CaseIndex {
            case,
            numbering,
            transfers,
            usd_cents,
            asset,
            ends,
            outgoing,
            incoming,
            category,
        }
    }

    /// Node ids by dense position.
    pub fn nodes(&self) -> &[&'a NodeId] {
        &self.numbering.ids
    }

    /// The dense position of `id`.
    pub fn position(&self, id: &NodeId) -> Option<u32> {
        self.numbering.get(id)
    }

    /// The node at `position`.
    pub fn node(&self, position: u32) -> &'a NodeId {
        self.numbering.ids[position as usize]
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
