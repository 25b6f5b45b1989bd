//! Builds the egui_graphs graph shown on the canvas from the case.
//!
//! Parallel transfers between the same two nodes become one edge whose width reflects their
//! summed value. Node colour follows the cluster's category, else the highest-confidence tag.
//! The look itself (fills, labels, widths) comes from `crate::export::scene`, shared with the
//! SVG/PNG export; this file only converts it to egui types.

use super::display::{EdgeShape, EdgeVisual, NodeShape, NodeVisual};
use crate::export::scene::{aggregated_edges, edge_width_for, node_style};
use crate::model::{Case, NodeId};
use egui::{Color32, Pos2};
use petgraph::Directed;
use petgraph::stable_graph::{DefaultIx, NodeIndex};
use std::collections::HashMap;

/// The graph type the canvas draws.
pub type CaseGraph =
    egui_graphs::Graph<NodeVisual, EdgeVisual, Directed, DefaultIx, NodeShape, EdgeShape>;

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
    for (from, to, value) in aggregated_edges(case) {
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

/// Visual properties of one node from the case's judgements (the look is decided once, in
/// [`crate::export::scene::node_style`], for the canvas and the exports alike).
pub fn node_visual(case: &Case, id: &NodeId, is_transaction: bool) -> NodeVisual {
    let style = node_style(case, id, is_transaction);
    let [r, g, b] = style.fill;
    NodeVisual {
        id: id.clone(),
        short_label: style.short_label,
        full_label: style.full_label,
        is_transaction,
        fill: Color32::from_rgb(r, g, b),
        emphasised: style.emphasised,
        tag_label: style.tag_label,
        pinned: style.pinned,
        attributed: style.attributed,
        conflict: style.conflict,
    }
}
