//! The transactions behind a relation edge (GraphSense's pre-aggregated `from → to`), fetched
//! when the investigator asks, in place of the relation: one action that removes the relation
//! transfers `from → to` and inserts the transactions' nodes and transfers (placed around the
//! ends the case has), undone in one step. When the source lists nothing, the relation stays.

use super::by_hash::transaction_action;
use crate::model::address::short_form;
use crate::model::{Action, Case, NodeId, TransactionFacts, TransferId};

/// The action replacing the relation `from → to` with `facts`, or why there is none.
pub fn relation_action(
    case: &Case,
    from: &NodeId,
    to: &NodeId,
    facts: TransactionFacts,
) -> Result<Action, String> {
    let chain = from
        .chain()
        .ok_or_else(|| format!("{from} names no chain"))?;
    if facts.transfers.is_empty() {
        return Err("the source listed no transactions for this relation; it stays".to_owned());
    }
    let relations: Vec<TransferId> = case
        .transfers
        .values()
        .filter(|t| t.relation_txs.is_some() && t.from == *from && t.to == *to)
        .map(|t| t.id.clone())
        .collect();
    let ends = format!(
        "{} to {}",
        short_form(&from.display_value()),
        short_form(&to.display_value())
    );
    let count = facts
        .transfers
        .iter()
        .map(|t| &t.tx_hash)
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let mut actions = Vec::new();
    if !relations.is_empty() {
        actions.push(Action::Remove {
            label: format!("remove the relation {ends}"),
            nodes: Vec::new(),
            transfers: relations,
        });
    }
    if let Some(Action::Insert { fragment, .. }) =
        transaction_action(case, chain, from.value(), facts)
    {
        actions.push(Action::Insert {
            label: format!(
                "add {} of {ends}",
                crate::util::plural(count, "transaction", "transactions")
            ),
            fragment,
        });
    }
    if actions.is_empty() {
        return Err("nothing new: the case has these transactions already".to_owned());
    }
    Ok(Action::Batch {
        label: format!("fetch the transactions of {ends}"),
        actions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Chain, Node, Transfer, apply};

    fn transfer(
        id: &str,
        from: &NodeId,
        to: &NodeId,
        amount: u128,
        relation: Option<u64>,
    ) -> Transfer {
        Transfer {
            id: TransferId::from(id),
            from: from.clone(),
            to: to.clone(),
            asset: Asset::native(Chain::ETHEREUM),
            amount,
            tx_hash: if relation.is_some() {
                String::new()
            } else {
                "ab".repeat(32)
            },
            block_height: None,
            time: None,
            provenance: None,
            relation_txs: relation,
            memo: None,
        }
    }

    #[test]
    fn the_relation_is_replaced_by_its_transactions_in_one_step() {
        let a = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
        let b = NodeId::parse("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").expect("id");
        let mut case = Case::default();
        for (n, x) in [(&a, 0.0), (&b, 100.0)] {
            case.nodes.insert(n.clone(), Node::address(n.clone()));
            case.layout.positions.insert(n.clone(), [x, 0.0]);
        }
        let relation = transfer("eth:relation:a>b:native", &a, &b, 30, Some(2));
        case.transfers.insert(relation.id.clone(), relation);
        let facts = TransactionFacts {
            nodes: vec![Node::address(a.clone()), Node::address(b.clone())],
            transfers: vec![
                transfer("eth:1:native", &a, &b, 10, None),
                transfer("eth:2:native", &a, &b, 20, None),
            ],
            gaps: Vec::new(),
        };
        let action = relation_action(&case, &a, &b, facts).expect("action");
        let before = case.clone();
        let inverse = apply(&mut case, action).expect("applies");
        assert_eq!(case.transfers.len(), 2);
        assert!(case.transfers.values().all(|t| t.relation_txs.is_none()));
        apply(&mut case, inverse).expect("undo");
        assert_eq!(case, before);
        let empty = relation_action(&case, &a, &b, TransactionFacts::default());
        assert!(empty.is_err());
    }
}
