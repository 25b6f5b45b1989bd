//! Multi-input (co-spend) clustering: the ends spent together as inputs of one whole,
//! non-CoinJoin transaction are taken to belong to one wallet, and clusters that share an end
//! merge across transactions (union-find over the case's node positions). One finding per
//! cluster of two or more ends, confidence [`CONFIDENCE`]. CoinJoins (their inputs belong to
//! several people) and transactions that are not whole are left out.

use super::super::{CaseIndex, Finding, FindingKind};
use super::coinjoin::is_mix;
use super::tx_view::{MAX_LEGS, TxView};
use petgraph::unionfind::UnionFind;
use std::collections::{BTreeMap, HashMap};

/// Confidence of a co-spend cluster.
pub(super) const CONFIDENCE: u8 = 70;

/// Co-spend clusters over `views` (the whole transactions of the case).
pub(super) fn clusters(index: &CaseIndex, views: &[TxView]) -> Vec<Finding> {
    let mut sets: UnionFind<usize> = UnionFind::new(index.nodes().len());
    let mut spending: Vec<&TxView> = Vec::new();
    for view in views {
        if view.distinct_inputs() < 2 || is_mix(index, view) {
            continue;
        }
        let first = view.inputs[0].end as usize;
        for leg in &view.inputs[1..] {
            // Positions come from the index, so they are in range; a bad one is skipped.
            let _ = sets.try_union(first, leg.end as usize);
        }
        spending.push(view);
    }
    // Root → (member positions, input transfer positions, transactions).
    let mut groups: HashMap<usize, (Vec<u32>, Vec<u32>, usize)> = HashMap::new();
    for view in &spending {
        let Some(root) = sets.try_find(view.inputs[0].end as usize) else {
            continue;
        };
        let group = groups.entry(root).or_default();
        group.0.extend(view.inputs.iter().map(|l| l.end));
        group.1.extend(view.inputs.iter().map(|l| l.transfer));
        group.2 += 1;
    }
    let mut found = Vec::new();
    for (_, (members, mut transfers, txs)) in groups {
        let mut nodes: Vec<_> = members.iter().map(|&p| index.node(p).clone()).collect();
        nodes.sort();
        nodes.dedup();
        if nodes.len() < 2 {
            continue;
        }
        transfers.sort_unstable();
        transfers.dedup();
        let params = BTreeMap::from([
            ("min_inputs", "2".to_owned()),
            ("max_legs_per_tx", MAX_LEGS.to_string()),
            ("excludes", "coinjoins, partial txs".to_owned()),
        ]);
        found.push(Finding {
            kind: FindingKind::CoSpend,
            method: "co_spend@1",
            params,
            confidence: CONFIDENCE,
            summary: format!(
                "{} addresses spent together in {txs} transaction{}: likely one wallet",
                nodes.len(),
                if txs == 1 { "" } else { "s" }
            ),
            nodes,
            transfers: transfers
                .iter()
                .map(|&t| index.transfer(t).id.clone())
                .collect(),
        });
    }
    found.sort_by(|a, b| a.nodes.cmp(&b.nodes));
    found
}
