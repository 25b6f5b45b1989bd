//! Builds the egui_graphs graph shown on the canvas from the case.
//!
//! Parallel transfers between the same two nodes become one edge whose width reflects their
//! summed value. Node colour follows the cluster's category, else the highest-confidence tag.

use super::display::{EdgeShape, EdgeVisual, NodeShape, NodeVisual, edge_width_for};
use crate::model::address::short_form;
use crate::model::{Case, NodeId};
use egui::{Color32, Pos2};
use petgraph::Directed;
use petgraph::stable_graph::{DefaultIx, NodeIndex};
use std::collections::{BTreeMap, HashMap};

/// The graph type the canvas draws.
pub type CaseGraph =
    egui_graphs::Graph<NodeVisual, EdgeVisual, Directed, DefaultIx, NodeShape, EdgeShape>;

/// Fill of a node no one has judged yet.
const NEUTRAL_ADDRESS: Color32 = Color32::from_rgb(96, 125, 139);
/// Fill of a transaction node.
const TRANSACTION_FILL: Color32 = Color32::from_rgb(69, 90, 100);

/// Builds the canvas graph; returns it and the index of every node id.
pub fn build_graph(case: &Case) -> (CaseGraph, HashMap<NodeId, NodeIndex>) {
    let mut graph = CaseGraph::new();
    let mut index_of = HashMap::with_capacity(case.nodes.len());
    for (id, node) in &case.nodes {
        let visual = node_visual(case, id, node.kind == crate::model::NodeKind::Transaction);
        let pos = case.layout.positions.get(id).copied().unwrap_or([0.0, 0.0]);
        let label = visual.short_label.clone();
        let idx = graph.add_node_custom(visual, |n| {
            n.set_location(Pos2::new(pos[0], pos[1]));
            n.set_label(label);
        });
        index_of.insert(id.clone(), idx);
    }
    let mut edge_values: BTreeMap<(&NodeId, &NodeId), u128> = BTreeMap::new();
    for t in case.transfers.values() {
        let slot = edge_values.entry((&t.from, &t.to)).or_default();
        *slot = slot.saturating_add(t.ranking_value());
    }
    for ((from, to), value) in edge_values {
        if let (Some(&a), Some(&b)) = (index_of.get(from), index_of.get(to)) {
            graph.add_edge(
                a,
                b,
                EdgeVisual {
                    width: edge_width_for(value),
                },
            );
        }
    }
    (graph, index_of)
}

/// Visual properties of one node from the case's judgements.
pub fn node_visual(case: &Case, id: &NodeId, is_transaction: bool) -> NodeVisual {
    let category = case.display_category(id);
    let tags = case.tags.get(id).map(Vec::as_slice).unwrap_or_default();
    let fill = match category {
        Some(c) => {
            let [r, g, b] = c.rgb();
            Color32::from_rgb(r, g, b)
        }
        None if is_transaction => TRANSACTION_FILL,
        None => NEUTRAL_ADDRESS,
    };
    let value = id.value();
    let tag_label = case.cluster_of(id).map(|c| c.label.clone()).or_else(|| {
        case.tags
            .get(id)?
            .iter()
            .max_by_key(|t| t.confidence.level())
            .map(|t| t.label.clone())
    });
    let base = if is_transaction {
        format!("tx {}", short_form(value))
    } else {
        short_form(value)
    };
    let short_label = match &tag_label {
        Some(label) => format!("{base} · {label}"),
        None => base,
    };
    let full_label = match &tag_label {
        Some(label) => format!("{} · {label}", id.as_str()),
        None => id.as_str().to_owned(),
    };
    NodeVisual {
        id: id.clone(),
        short_label,
        full_label,
        is_transaction,
        fill,
        emphasised: category.is_some(),
        tag_label,
        pinned: case.layout.pinned.contains(id),
        attributed: tags.iter().any(|t| t.pack.is_some()),
        conflict: crate::attribution::conflict(tags).is_some(),
    }
}
