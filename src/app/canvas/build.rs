//! What the canvas draws, built from the case when its structure changes: one entry per node
//! (in id order) with its look, and the edges between them by index.
//!
//! Parallel transfers between the same two nodes become one edge whose width reflects their
//! summed value. Node colour follows the cluster's category, else the highest-confidence tag.
//! The look itself (fills, labels, widths) comes from `crate::export::scene`, shared with the
//! SVG/PNG export; this file only converts it to egui types.

use super::display::{EdgeVisual, NodeVisual};
use crate::export::scene::{aggregated_edges, edge_width_for, node_style};
use crate::model::{Case, NodeId, NodeKind};
use egui::Color32;
use std::collections::HashMap;

/// The drawable graph of a case.
#[derive(Debug, Default)]
pub struct CaseGraph {
    /// Node looks, in the case's id order.
    pub nodes: Vec<NodeVisual>,
    /// Edges by node index.
    pub edges: Vec<EdgeVisual>,
    /// Index of every node id in `nodes`.
    pub index_of: HashMap<NodeId, usize>,
}

/// Builds the drawable graph of `case`.
pub fn build_graph(case: &Case) -> CaseGraph {
    let nodes: Vec<NodeVisual> = case
        .nodes
        .iter()
        .map(|(id, node)| node_visual(case, id, node.kind == NodeKind::Transaction))
        .collect();
    let index_of: HashMap<NodeId, usize> = case
        .nodes
        .keys()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();
    let edges = aggregated_edges(case)
        .into_iter()
        .filter_map(|(from, to, value)| {
            Some(EdgeVisual {
                from: u32::try_from(*index_of.get(from)?).ok()?,
                to: u32::try_from(*index_of.get(to)?).ok()?,
                width: edge_width_for(value),
            })
        })
        .collect();
    CaseGraph {
        nodes,
        edges,
        index_of,
    }
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
