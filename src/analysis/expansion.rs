//! Turns a source's counterparties into the new facts of one expansion.
//!
//! The counterparties are ranked honestly across assets — USD where priced, share of the
//! asset's total where not, never raw units across assets (see [`super::ranking`]) — the best
//! are kept up to the limit and the rest counted and summed per asset as left out; only nodes
//! and transfers the case does not have yet are added, so expanding the same node twice adds
//! nothing. New nodes are placed near their parent so they appear where the user is looking and
//! the layout only has to settle them. Nodes the case has only in part (a transaction reached
//! through one leg) are refreshed when the page brings them whole, and the expanded node keeps
//! what this expansion could not read (its gaps), so the case says it, not only a notice.

pub use super::expand_options::ExpandOptions;
use super::ranking::{LeftOutAsset, rank_counterparties};
use crate::layout::{away_direction, place_away, place_near};
use crate::model::Counterparty;
use crate::model::{Action, Case, Fragment, Node, NodeId};
use crate::prices::PriceBook;
use std::collections::{BTreeMap, BTreeSet};

/// Default number of counterparties one expansion adds.
pub const DEFAULT_LIMIT: usize = 50;

/// The outcome of one expansion, before it is applied.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpansionPlan {
    /// New facts to insert.
    pub fragment: Fragment,
    /// Counterparties the source reported in total.
    pub total_counterparties: usize,
    /// Counterparties left out because of the limit (not counting those the case already
    /// shows in full).
    pub omitted: usize,
    /// What the `omitted` counterparties moved with the node, per asset, heaviest first (USD
    /// where priced, share where not; see [`super::ranking`]).
    pub left_out: Vec<LeftOutAsset>,
    /// Counterparties left out by the minimum value, the time range or "load more".
    pub filtered_out: usize,
    /// Nodes the case has in part (see [`Node::is_partial`]) that the page brings whole: their
    /// new facts, with the gaps the case recorded for them.
    pub refreshed: Vec<Node>,
}

impl ExpansionPlan {
    /// `173 left out: 4.27M SAI, 101,740 DAI, 12.5 ETH (≈ $1.2M)`, or `None` when nothing was
    /// left out by the limit.
    pub fn left_out_text(&self) -> Option<String> {
        (self.omitted > 0).then(|| super::ranking::format_left_out(self.omitted, &self.left_out))
    }

    /// The one action that applies this plan to `case`: the new facts, the refreshed nodes,
    /// and `gaps` (what the source could not read this time) recorded on the expanded node
    /// `parent`, replacing what its previous expansion recorded. `None` when nothing changes.
    pub fn into_action(
        self,
        case: &Case,
        parent: &NodeId,
        gaps: &[String],
        label: String,
    ) -> Option<Action> {
        let mut actions = Vec::new();
        if !self.fragment.is_empty() {
            actions.push(Action::Insert {
                label: label.clone(),
                fragment: self.fragment,
            });
        }
        let mut parent_refreshed = false;
        for mut node in self.refreshed {
            if &node.id == parent {
                node.gaps = gaps.to_vec();
                parent_refreshed = true;
            }
            actions.push(Action::RefreshNode {
                label: label.clone(),
                node,
            });
        }
        if !parent_refreshed
            && let Some(current) = case.nodes.get(parent)
            && current.gaps != gaps
        {
            actions.push(Action::RefreshNode {
                label: label.clone(),
                node: Node {
                    gaps: gaps.to_vec(),
                    ..current.clone()
                },
            });
        }
        match actions.len() {
            0 => None,
            1 => actions.pop(),
            _ => Some(Action::Batch { label, actions }),
        }
    }
}

/// Filters `counterparties` by `options` (see [`ExpandOptions::filter`]), ranks the rest across
/// assets with `prices` ([`super::ranking`]: USD where priced, share where not, ties by id, so
/// the result is deterministic), keeps the top `options.limit`, and returns what of them is new
/// to `case`, positioned around `parent`, with what was left out per asset. "Load more" ranks
/// the same counterparties the same way and then skips those the case shows in full.
pub fn plan_expansion(
    case: &Case,
    parent: &NodeId,
    counterparties: Vec<Counterparty>,
    options: &ExpandOptions,
    prices: &PriceBook,
) -> ExpansionPlan {
    let total = counterparties.len();
    let ranking_options = ExpandOptions {
        more: false,
        ..options.clone()
    };
    let (counterparties, mut filtered_out) = ranking_options.filter(case, counterparties);
    let mut page = rank_counterparties(parent, counterparties, prices);
    let mut ranked = std::mem::take(&mut page.entries);
    if options.more {
        let before = ranked.len();
        ranked.retain(|r| !super::expand_options::shown_in_full(case, &r.counterparty));
        filtered_out += before - ranked.len();
    }
    let left_out_ranked = ranked.split_off(options.limit.min(ranked.len()));
    let omitted_ranked: Vec<_> = left_out_ranked
        .iter()
        .filter(|r| !super::expand_options::shown_in_full(case, &r.counterparty))
        .collect();
    let omitted = omitted_ranked.len();
    let left_out = page.left_out_by_asset(omitted_ranked);
    let counterparties: Vec<Counterparty> = ranked.into_iter().map(|r| r.counterparty).collect();

    let parent_pos = case
        .layout
        .positions
        .get(parent)
        .copied()
        .unwrap_or([0.0, 0.0]);
    let mut fragment = Fragment::default();
    let mut added_nodes: BTreeSet<NodeId> = BTreeSet::new();
    let mut added_transfers = BTreeSet::new();
    let mut refreshed: Vec<Node> = Vec::new();
    // Hop keys first, so they ring the parent; their companions (a UTXO transaction's other
    // inputs and outputs) ring the hop node.
    let mut hop_positions: BTreeMap<NodeId, [f32; 2]> = BTreeMap::new();
    let new_keys: Vec<&NodeId> = counterparties
        .iter()
        .map(|c| &c.key)
        .filter(|k| !case.nodes.contains_key(*k))
        .collect();
    let seed = seed_of(parent);
    // New nodes go on the side of the parent away from the nodes around it (a ring when
    // there is no such side, as around a hub in the middle).
    let away = if new_keys.is_empty() {
        None
    } else {
        away_direction(case.layout.positions.values().copied(), parent_pos)
    };
    for (i, key) in new_keys.iter().enumerate() {
        let pos = match away {
            Some(away) => place_away(parent_pos, away, i, new_keys.len(), seed),
            None => place_near(parent_pos, i, new_keys.len(), seed),
        };
        hop_positions.insert((*key).clone(), pos);
    }

    for cp in counterparties {
        let hop_pos = hop_positions
            .get(&cp.key)
            .copied()
            .or_else(|| case.layout.positions.get(&cp.key).copied())
            .unwrap_or(parent_pos);
        let companions: Vec<_> = cp
            .nodes
            .iter()
            .filter(|n| {
                n.id != cp.key && !case.nodes.contains_key(&n.id) && !added_nodes.contains(&n.id)
            })
            .map(|n| n.id.clone())
            .collect();
        let companion_count = companions.len();
        // The source's own tags about a node that is new to the case come in with it.
        if !cp.tags.is_empty()
            && !case.nodes.contains_key(&cp.key)
            && !added_nodes.contains(&cp.key)
            && cp.nodes.iter().any(|n| n.id == cp.key)
        {
            fragment.tags.push((cp.key.clone(), cp.tags));
        }
        for node in cp.nodes {
            if let Some(current) = case.nodes.get(&node.id) {
                if current.is_partial()
                    && !node.is_partial()
                    && node.kind == current.kind
                    && !refreshed.iter().any(|r: &Node| r.id == node.id)
                {
                    refreshed.push(Node {
                        gaps: current.gaps.clone(),
                        ..node
                    });
                }
                continue;
            }
            if !added_nodes.insert(node.id.clone()) {
                continue;
            }
            let pos = if node.id == cp.key {
                hop_pos
            } else {
                let index = companions.iter().position(|c| c == &node.id).unwrap_or(0);
                place_near(hop_pos, index, companion_count, seed_of(&node.id))
            };
            fragment.positions.push((node.id.clone(), pos));
            fragment.nodes.push(node);
        }
        for t in cp.transfers {
            if case.transfers.contains_key(&t.id) || !added_transfers.insert(t.id.clone()) {
                continue;
            }
            fragment.transfers.push(t);
        }
    }
    // A transfer can only be added if both its ends are in the case after the expansion.
    fragment.transfers.retain(|t| {
        [&t.from, &t.to]
            .iter()
            .all(|end| case.nodes.contains_key(*end) || added_nodes.contains(*end))
    });
    ExpansionPlan {
        fragment,
        total_counterparties: total,
        omitted,
        left_out,
        filtered_out,
        refreshed,
    }
}

/// A stable per-node seed (FNV-1a of the id) so placement is deterministic.
fn seed_of(id: &NodeId) -> u64 {
    id.as_str().bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Chain, Node, Transfer, TransferId};

    fn eth(n: u8) -> NodeId {
        NodeId::parse(&format!("eth:0x{:040x}", u128::from(n) + 0x1000)).expect("valid id")
    }

    fn hop(from: &NodeId, to: u8, amount: u128) -> Counterparty {
        let to_id = eth(to);
        let hash = format!("{:064x}", u128::from(to) * 7 + 1);
        Counterparty {
            key: to_id.clone(),
            value: amount,
            nodes: vec![Node::address(to_id.clone())],
            transfers: vec![Transfer {
                id: TransferId::new("eth", &hash, "native"),
                from: from.clone(),
                to: to_id,
                asset: Asset::native(Chain::ETHEREUM),
                amount,
                tx_hash: hash,
                block_height: Some(1),
                time: None,
                provenance: None,
                relation_txs: None,
                memo: None,
            }],
            tags: Vec::new(),
        }
    }

    fn case_with(root: &NodeId) -> Case {
        let mut case = Case::new("t", 0);
        case.nodes.insert(root.clone(), Node::address(root.clone()));
        case.layout.positions.insert(root.clone(), [10.0, 20.0]);
        case
    }

    #[test]
    fn keeps_largest_and_counts_the_rest() {
        let root = eth(0);
        let case = case_with(&root);
        let cps = (1..=10)
            .map(|i| hop(&root, i, u128::from(i) * 100))
            .collect();
        let plan = plan_expansion(
            &case,
            &root,
            cps,
            &ExpandOptions::with_limit(3),
            &PriceBook::empty(),
        );
        assert_eq!(plan.total_counterparties, 10);
        assert_eq!(plan.omitted, 7);
        let ids: Vec<_> = plan.fragment.nodes.iter().map(|n| n.id.clone()).collect();
        assert_eq!(ids, vec![eth(10), eth(9), eth(8)]);
        assert_eq!(plan.fragment.transfers.len(), 3);
        for (_, pos) in &plan.fragment.positions {
            let d = ((pos[0] - 10.0).powi(2) + (pos[1] - 20.0).powi(2)).sqrt();
            assert!(
                d > 1.0 && d < 500.0,
                "placed near the parent, got distance {d}"
            );
        }
    }

    #[test]
    fn new_nodes_land_on_the_side_away_from_the_rest() {
        let root = eth(0);
        let mut case = case_with(&root);
        // The case so far lies west of the root (at 10, 20).
        for k in 1..=6u8 {
            let id = eth(100 + k);
            case.nodes.insert(id.clone(), Node::address(id.clone()));
            let x = 10.0 - 50.0 * f32::from(k);
            case.layout.positions.insert(id, [x, 20.0 + f32::from(k)]);
        }
        let cps = (1..=8).map(|i| hop(&root, i, 100)).collect();
        let plan = plan_expansion(
            &case,
            &root,
            cps,
            &ExpandOptions::with_limit(8),
            &PriceBook::empty(),
        );
        assert_eq!(plan.fragment.positions.len(), 8);
        for (id, pos) in &plan.fragment.positions {
            assert!(pos[0] > 10.0, "{id} lands east of its parent: {pos:?}");
        }
    }

    #[test]
    fn second_expansion_adds_nothing() {
        let root = eth(0);
        let mut case = case_with(&root);
        let cps: Vec<_> = (1..=5).map(|i| hop(&root, i, 100)).collect();
        let plan = plan_expansion(
            &case,
            &root,
            cps.clone(),
            &ExpandOptions::with_limit(50),
            &PriceBook::empty(),
        );
        assert_eq!(plan.fragment.nodes.len(), 5);
        crate::model::apply(
            &mut case,
            crate::model::Action::Insert {
                label: "expand".into(),
                fragment: plan.fragment,
            },
        )
        .expect("applies");
        let again = plan_expansion(
            &case,
            &root,
            cps,
            &ExpandOptions::with_limit(50),
            &PriceBook::empty(),
        );
        assert!(again.fragment.is_empty());
        assert_eq!(again.omitted, 0);
    }

    #[test]
    fn gaps_go_on_the_expanded_node_and_undo_takes_them_back() {
        let root = eth(0);
        let mut case = case_with(&root);
        let gaps = vec!["cap: 100,000 logs read; older ones not read".to_owned()];
        let plan = plan_expansion(
            &case,
            &root,
            vec![hop(&root, 1, 5)],
            &ExpandOptions::with_limit(50),
            &PriceBook::empty(),
        );
        let action = plan
            .into_action(&case, &root, &gaps, "expand".into())
            .expect("something to apply");
        let before = case.clone();
        let inverse = crate::model::apply(&mut case, action).expect("applies");
        assert_eq!(case.nodes[&root].gaps, gaps);
        assert!(case.nodes.contains_key(&eth(1)));
        crate::model::apply(&mut case, inverse).expect("undo applies");
        assert_eq!(case, before, "one undo step takes both back");

        // Nothing new and the same gaps: nothing to do; no gaps this time: they are cleared.
        let mut with_gaps = before.clone();
        with_gaps.nodes.get_mut(&root).expect("root").gaps = gaps.clone();
        let empty = || ExpansionPlan::default();
        assert_eq!(
            empty().into_action(&with_gaps, &root, &gaps, "e".into()),
            None
        );
        let clear = empty()
            .into_action(&with_gaps, &root, &[], "e".into())
            .expect("clears");
        crate::model::apply(&mut with_gaps, clear).expect("applies");
        assert!(with_gaps.nodes[&root].gaps.is_empty());
    }

    #[test]
    fn a_transaction_known_in_part_is_refreshed_when_it_comes_whole() {
        let root = eth(0);
        let mut case = case_with(&root);
        let tx = NodeId::transaction(Chain::Bitcoin, &"ab".repeat(32)).expect("txid");
        let summary = |request: &str| crate::model::node::Provenance {
            source: "esplora".into(),
            request: request.into(),
            fetched_at: 1,
            block_height: None,
        };
        let mut partial = Node::transaction(tx.clone());
        partial.provenance = Some(Box::new(summary(
            "GET /tx/ab/outspends — spends vout 0 of cd; its other legs not fetched",
        )));
        partial.gaps = vec!["an earlier gap".into()];
        case.nodes.insert(tx.clone(), partial.clone());
        let mut whole = Node::transaction(tx.clone());
        whole.provenance = Some(Box::new(summary("GET /tx/ab — 2 in, 3 out, fee 1,000 sat")));
        let cp = Counterparty {
            key: tx.clone(),
            value: 1,
            nodes: vec![whole.clone()],
            transfers: vec![],
            tags: Vec::new(),
        };
        let plan = plan_expansion(
            &case,
            &root,
            vec![cp.clone(), cp],
            &ExpandOptions::with_limit(50),
            &PriceBook::empty(),
        );
        assert_eq!(plan.refreshed.len(), 1, "once, however often it comes");
        assert_eq!(plan.refreshed[0].provenance, whole.provenance);
        assert_eq!(
            plan.refreshed[0].gaps, partial.gaps,
            "its own gaps are kept"
        );
        let action = plan
            .into_action(&case, &root, &[], "expand".into())
            .expect("a refresh");
        crate::model::apply(&mut case, action).expect("applies");
        assert!(!case.nodes[&tx].is_partial());

        // A whole node is never replaced by a partial one.
        let again = plan_expansion(
            &case,
            &root,
            vec![Counterparty {
                key: tx.clone(),
                value: 1,
                nodes: vec![partial],
                transfers: vec![],
                tags: Vec::new(),
            }],
            &ExpandOptions::with_limit(50),
            &PriceBook::empty(),
        );
        assert!(again.refreshed.is_empty());
    }
}
