//! Where tainted money ended: of the nodes a taint run reached, the known services (exchange,
//! mixer, bridge, DeFi, other service) and the unexplored leaves (no outgoing transfer in the
//! case), each with its tainted amount per asset and, where priced, its USD value (valued at
//! the time of the node's last incoming transfer of that asset). Sorted by USD, largest first,
//! then by node id; unpriced ends after priced ones.

use super::taint::{TaintResult, TaintedAmount};
use crate::model::{Case, Category, NodeId};
use crate::prices::PriceBook;

/// Why a node is an end of the tainted money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EndKind {
    /// A node whose category says it is a service.
    Service(Category),
    /// A node with no outgoing transfer in the case (not followed further).
    Leaf,
}

/// One place the tainted money ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaintEnd {
    /// The node.
    pub node: NodeId,
    /// Service or leaf.
    pub kind: EndKind,
    /// Tainted amount received, per asset (sorted by asset key).
    pub amounts: Vec<TaintedAmount>,
    /// USD value of the priced amounts (`None` when none is priced).
    pub usd: Option<crate::prices::Usd>,
}

/// The ends of `result` in `case`.
pub fn taint_ends(case: &Case, result: &TaintResult, prices: &PriceBook) -> Vec<TaintEnd> {
    let mut has_out: std::collections::HashSet<&NodeId> = std::collections::HashSet::new();
    let mut last_in: std::collections::HashMap<(&NodeId, crate::prices::AssetKey), i64> =
        std::collections::HashMap::new();
    for t in case.transfers.values() {
        has_out.insert(&t.from);
        if let Some(time) = t.time {
            let slot = last_in
                .entry((&t.to, crate::prices::AssetKey::of(&t.asset)))
                .or_insert(time);
            *slot = (*slot).max(time);
        }
    }
    let mut ends: Vec<TaintEnd> = result
        .iter()
        .filter_map(|(node, assets)| {
            let category = case.display_category(node);
            let kind = if category.is_some_and(Category::is_service) {
                EndKind::Service(category.cloned().unwrap_or(Category::Unknown))
            } else if !has_out.contains(node) {
                EndKind::Leaf
            } else {
                return None;
            };
            let mut usd: Option<crate::prices::Usd> = None;
            for (key, tainted) in assets {
                let time = last_in.get(&(node, key.clone())).copied();
                if let Some(v) = prices.value(&tainted.asset, tainted.amount, time) {
                    usd = Some(usd.map_or(v.usd, |u| u.saturating_add(v.usd)));
                }
            }
            Some(TaintEnd {
                node: node.clone(),
                kind,
                amounts: assets.values().cloned().collect(),
                usd,
            })
        })
        .collect();
    ends.sort_by(|a, b| {
        b.usd
            .is_some()
            .cmp(&a.usd.is_some())
            .then_with(|| b.usd.cmp(&a.usd))
            .then_with(|| a.node.cmp(&b.node))
    });
    ends
}
