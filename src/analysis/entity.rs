//! A backend's cluster (GraphSense's entity: addresses its multi-input heuristic says one wallet
//! controls) brought into the case when the investigator asks — as one node that stands for
//! its addresses (`btc:entity:<id>`, with an annotation arrow from the address it was found
//! from; it expands entity to entity), or as its addresses (as many as were
//! fetched) as nodes placed around the address it was found from, and one Caseboard cluster
//! holding them — labelled with the entity's id and best tag, confidence `heuristic` — so the
//! canvas draws its hull. One action (insert + create cluster), undone in one step. Addresses
//! already in another cluster stay there (a node belongs to one cluster) and are counted.

use crate::layout::place_near;
use crate::model::{
    Action, Case, Category, Cluster, ClusterFacts, Confidence, Fragment, Node, NodeId,
};
use std::collections::BTreeSet;

/// The action that adds the entity `facts` (found from `anchor`) as one node next to it, with
/// an annotation arrow from the address to its entity; the node expands entity to entity.
pub fn entity_node_action(
    case: &Case,
    anchor: &NodeId,
    facts: &ClusterFacts,
    provenance: Option<crate::model::node::Provenance>,
) -> Result<Action, String> {
    let id = NodeId::entity(facts.chain, facts.id);
    if case.nodes.contains_key(&id) {
        return Err(format!("entity {} is on the canvas already", facts.id));
    }
    let anchor_pos = position_of(case, anchor)?;
    let mut node = Node::address(id.clone());
    node.balance = Some(facts.balance);
    node.tx_count = Some(facts.transactions);
    node.provenance = provenance.map(Box::new);
    let mut fragment = Fragment::default();
    fragment
        .positions
        .push((id.clone(), [anchor_pos[0] + 120.0, anchor_pos[1] - 80.0]));
    fragment.nodes.push(node);
    if let Some(tag) = &facts.best_tag {
        fragment.tags.push((id.clone(), vec![tag.clone()]));
    }
    fragment.arrows.push(crate::model::Arrow {
        id: case.annotations.next_arrow_id(),
        from: crate::model::ArrowEnd::Node(anchor.clone()),
        to: crate::model::ArrowEnd::Node(id),
        hop: None,
    });
    Ok(Action::Insert {
        label: format!("show GraphSense entity {} as one node", facts.id),
        fragment,
    })
}

/// The action that adds `members` of the entity `facts` (found from `anchor`) and a cluster of
/// them, or why there is nothing to do.
pub fn entity_cluster_action(
    case: &Case,
    anchor: &NodeId,
    facts: &ClusterFacts,
    members: Vec<Node>,
    source_name: &str,
) -> Result<Action, String> {
    let anchor_pos = position_of(case, anchor)?;
    let mut fragment = Fragment::default();
    let new: Vec<Node> = members
        .iter()
        .filter(|n| !case.nodes.contains_key(&n.id) && n.id.chain() == Some(facts.chain))
        .cloned()
        .collect();
    let count = new.len();
    for (i, node) in new.into_iter().enumerate() {
        let seed = node
            .id
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
        fragment
            .positions
            .push((node.id.clone(), place_near(anchor_pos, i, count, seed)));
        fragment.nodes.push(node);
    }
    let in_case =
        |id: &NodeId| case.nodes.contains_key(id) || fragment.nodes.iter().any(|n| n.id == *id);
    let candidates: BTreeSet<NodeId> = members
        .iter()
        .map(|n| n.id.clone())
        .chain(std::iter::once(anchor.clone()))
        .filter(|id| in_case(id))
        .collect();
    let elsewhere = candidates
        .iter()
        .filter(|id| case.cluster_of(id).is_some())
        .count();
    let cluster_members: BTreeSet<NodeId> = candidates
        .into_iter()
        .filter(|id| case.cluster_of(id).is_none())
        .collect();
    if cluster_members.is_empty() {
        return Err(format!(
            "the entity's addresses in the case are all in clusters already ({elsewhere})"
        ));
    }
    let best = facts.best_tag.as_ref();
    let label = match best {
        Some(tag) => format!("GraphSense entity {} · {}", facts.id, tag.label),
        None => format!("GraphSense entity {}", facts.id),
    };
    let (symbol, decimals) = facts.chain.native_asset();
    let mut note = format!(
        "{} in all, {} in this cluster; balance {} {symbol}; {}",
        crate::util::plural(facts.addresses, "address", "addresses"),
        cluster_members.len(),
        crate::model::amount::format_units(facts.balance, decimals),
        crate::util::plural(facts.transactions, "transaction", "transactions"),
    );
    if elsewhere > 0 {
        note.push_str(&format!("; {elsewhere} already in other clusters"));
    }
    let cluster = Cluster {
        id: case.next_cluster_id(),
        label,
        category: best.map_or(Category::Unknown, |t| t.category.clone()),
        confidence: Confidence::Heuristic,
        source: format!("{source_name}: entity {} (multi-input heuristic)", facts.id),
        note,
        members: cluster_members,
    };
    let mut actions = Vec::new();
    if !fragment.nodes.is_empty() {
        actions.push(Action::Insert {
            label: format!(
                "add {} of GraphSense entity {}",
                crate::util::plural(count, "address", "addresses"),
                facts.id
            ),
            fragment,
        });
    }
    actions.push(Action::CreateCluster(cluster));
    Ok(Action::Batch {
        label: format!("show GraphSense entity {}", facts.id),
        actions,
    })
}

/// Where `anchor` is on the canvas, or why there is nothing to place next to it.
fn position_of(case: &Case, anchor: &NodeId) -> Result<[f32; 2], String> {
    case.layout
        .positions
        .get(anchor)
        .copied()
        .ok_or_else(|| format!("{anchor} is not on the canvas"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Chain, Tag, apply};

    fn id(text: &str) -> NodeId {
        NodeId::parse(text).expect("id")
    }

    #[test]
    fn the_entity_becomes_a_cluster_of_its_addresses_undone_in_one_step() {
        let anchor = id("btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
        let other = id("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        let clustered = id("btc:1dice8EMZmqKvrGE4Qc9bUFf9PX3xaYDp");
        let mut case = Case::default();
        for (n, pos) in [(&anchor, [0.0, 0.0]), (&clustered, [50.0, 0.0])] {
            case.nodes.insert(n.clone(), Node::address(n.clone()));
            case.layout.positions.insert(n.clone(), pos);
        }
        case.clusters.insert(
            crate::model::ClusterId(1),
            Cluster {
                id: crate::model::ClusterId(1),
                label: "mine".into(),
                category: Category::Exchange,
                confidence: Confidence::Ownership,
                source: String::new(),
                note: String::new(),
                members: [clustered.clone()].into(),
            },
        );
        let facts = ClusterFacts {
            chain: Chain::Bitcoin,
            id: 17_642_138,
            root_address: anchor.clone(),
            addresses: 12,
            balance: 150_000_000,
            total_received: 0,
            transactions: 50,
            tag_count: 1,
            best_tag: Some(Tag::new(
                "poloniex.com",
                Category::Exchange,
                Confidence::Ownership,
                "x",
            )),
        };
        let members = vec![
            Node::address(anchor.clone()),
            Node::address(other.clone()),
            Node::address(clustered.clone()),
        ];
        let action = entity_cluster_action(&case, &anchor, &facts, members, "graphsense:test")
            .expect("action");
        let before = case.clone();
        let inverse = apply(&mut case, action).expect("applies");
        assert!(case.nodes.contains_key(&other));
        let cluster = &case.clusters[&crate::model::ClusterId(2)];
        assert_eq!(cluster.label, "GraphSense entity 17642138 · poloniex.com");
        assert_eq!(cluster.members, [anchor.clone(), other.clone()].into());
        assert_eq!(cluster.category, Category::Exchange);
        assert_eq!(cluster.confidence, Confidence::Heuristic);
        assert!(
            cluster
                .note
                .contains("12 addresses in all, 2 in this cluster; balance 1.5 BTC"),
            "{}",
            cluster.note
        );
        assert!(cluster.note.contains("1 already in other clusters"));
        apply(&mut case, inverse).expect("undo");
        assert_eq!(case, before);

        let action = entity_node_action(&case, &anchor, &facts, None).expect("node");
        let inverse = apply(&mut case, action).expect("applies");
        let entity = NodeId::entity(Chain::Bitcoin, 17_642_138);
        assert_eq!(case.nodes[&entity].balance, Some(150_000_000));
        assert_eq!(case.tags[&entity][0].label, "poloniex.com");
        assert_eq!(case.annotations.arrows.len(), 1, "address → its entity");
        assert!(
            entity_node_action(&case, &anchor, &facts, None).is_err(),
            "once"
        );
        apply(&mut case, inverse).expect("undo");
        assert_eq!(case, before);
    }
}
