//! A transaction read by its hash (a case started from an Ethereum transaction) into the one
//! action that adds it: the ends of its transfers the case does not have yet, placed around
//! the ends it has (or around the case's centre), and the transfers it does not have yet.
//! Nothing new — the transaction is already in the case — is no action at all.

use crate::layout::place_near;
use crate::model::address::short_form;
use crate::model::{Action, Case, Chain, Fragment, TransactionFacts};

/// The action adding what `facts` has that `case` does not (`None` when nothing is new).
pub fn transaction_action(
    case: &Case,
    chain: Chain,
    hash: &str,
    facts: TransactionFacts,
) -> Option<Action> {
    let mut fragment = Fragment::default();
    for node in facts.nodes {
        if !case.nodes.contains_key(&node.id) && !fragment.nodes.iter().any(|n| n.id == node.id) {
            fragment.nodes.push(node);
        }
    }
    for transfer in facts.transfers {
        if !case.transfers.contains_key(&transfer.id)
            && !fragment.transfers.iter().any(|t| t.id == transfer.id)
        {
            fragment.transfers.push(transfer);
        }
    }
    if fragment.nodes.is_empty() && fragment.transfers.is_empty() {
        return None;
    }
    let centre = centre(case, &fragment);
    let count = fragment.nodes.len();
    let seed = hash
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    for (i, node) in fragment.nodes.iter().enumerate() {
        fragment
            .positions
            .push((node.id.clone(), place_near(centre, i, count, seed)));
    }
    Some(Action::Insert {
        label: format!("read {chain} transaction {}", short_form(hash)),
        fragment,
    })
}

/// Where the new ends go: around the ends the case has, else around its centre.
fn centre(case: &Case, fragment: &Fragment) -> [f32; 2] {
    let known: Vec<[f32; 2]> = fragment
        .transfers
        .iter()
        .flat_map(|t| [&t.from, &t.to])
        .filter_map(|id| case.layout.positions.get(id).copied())
        .collect();
    let points: Vec<[f32; 2]> = if known.is_empty() {
        case.layout.positions.values().copied().collect()
    } else {
        known
    };
    if points.is_empty() {
        return [0.0, 0.0];
    }
    let n = points.len() as f32;
    let (x, y) = points
        .iter()
        .fold((0.0f32, 0.0f32), |(x, y), p| (x + p[0], y + p[1]));
    [x / n, y / n]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Node, NodeId, Transfer, TransferId};

    #[test]
    fn adds_only_what_is_new_once() {
        let hash = format!("0x{}", "ab".repeat(32));
        let a = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
        let b = NodeId::parse("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").expect("id");
        let transfer = Transfer {
            id: TransferId::new("eth", &hash, "native"),
            from: a.clone(),
            to: b.clone(),
            asset: Asset::native(Chain::ETHEREUM),
            amount: 7,
            tx_hash: hash.clone(),
            block_height: Some(1),
            time: Some(1),
            provenance: None,
            relation_txs: None,
            memo: None,
        };
        let facts = TransactionFacts {
            nodes: vec![Node::address(a.clone()), Node::address(b.clone())],
            transfers: vec![transfer],
            gaps: Vec::new(),
        };
        let mut case = Case::new("t", 0);
        let action = transaction_action(&case, Chain::ETHEREUM, &hash, facts.clone())
            .expect("something new");
        crate::model::apply(&mut case, action).expect("applies");
        assert_eq!((case.nodes.len(), case.transfers.len()), (2, 1));
        assert!(case.validate().is_empty());
        assert_eq!(
            transaction_action(&case, Chain::ETHEREUM, &hash, facts),
            None
        );
    }
}
