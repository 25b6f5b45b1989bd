//! What the canvas draws, built from the case when its structure changes: one entry per node
//! (in id order) with its look, and the edges between them by index.
//!
//! Every transfer from one node to another in one asset becomes one edge (a flow, see
//! [`crate::analysis::flows`]) that carries its amount and USD value as a label; its width
//! grows with the USD value on a log scale, or, unpriced, with its share of the asset's largest
//! flow. Flows between the same two nodes run side by side in lanes. The graph filter decides
//! which edges and nodes are shown, dimmed or hidden. Node colour follows the cluster's
//! category, else the highest-confidence tag.
//! The look itself (fills, labels, widths) comes from `crate::export::scene`, shared with the
//! SVG/PNG export; this file only converts it to egui types.

use super::display::{EdgeVisual, NodeVisual, Shown};
use crate::analysis::flows::{Flow, flow_view};
use crate::export::scene::node_style;
use crate::model::{Case, NodeId, NodeKind};
use crate::prices::{PriceBook, USD_SCALE};
use egui::Color32;
use std::collections::HashMap;

/// The drawable graph of a case.
#[derive(Debug, Default)]
pub struct CaseGraph {
    /// Node looks, in the case's id order.
    pub nodes: Vec<NodeVisual>,
    /// Edges by node index, one per flow (`EdgeVisual::flow` indexes `flows`).
    pub edges: Vec<EdgeVisual>,
    /// The flows the edges stand for, with their label texts.
    pub flows: Vec<(Flow, String)>,
    /// Index of every node id in `nodes`.
    pub index_of: HashMap<NodeId, usize>,
    /// Transfers the filter takes away, and nodes it hides (for the status bar).
    pub filtered_transfers: usize,
    /// Nodes the filter takes away.
    pub filtered_nodes: usize,
}

/// Screen points between two lanes of flows joining the same nodes.
const LANE_PX: f32 = 5.0;

/// Builds the drawable graph of `case` under its view's filter, valued with `prices`.
pub fn build_graph(case: &Case, prices: &PriceBook) -> CaseGraph {
    let filter = &case.view.filter;
    let view = flow_view(case, prices, filter);
    let hidden = &view.hidden_nodes;
    let nodes: Vec<NodeVisual> = case
        .nodes
        .iter()
        .map(|(id, node)| {
            let mut visual = node_visual(case, id, node.kind == NodeKind::Transaction);
            if hidden.contains(id) {
                visual.shown = if filter.dim { Shown::Dimmed } else { Shown::Hidden };
            }
            visual
        })
        .collect();
    let index_of: HashMap<NodeId, usize> = case
        .nodes
        .keys()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();
    let largest = largest_by_asset(&view.shown);
    let widths: Vec<f32> = view
        .shown
        .iter()
        .chain(&view.filtered)
        .map(|f| flow_width(f, &largest))
        .collect();
    drop(largest);
    let dim_filtered = filter.dim;
    let mut flows = Vec::with_capacity(view.shown.len() + view.filtered.len());
    let mut edges = Vec::with_capacity(flows.capacity());
    let dimmed = view.filtered.into_iter().filter(|_| dim_filtered);
    for ((flow, shown), width) in view
        .shown
        .into_iter()
        .map(|f| (f, true))
        .chain(dimmed.map(|f| (f, false)))
        .zip(widths)
    {
        let (Some(&from), Some(&to)) = (index_of.get(&flow.from), index_of.get(&flow.to)) else {
            continue;
        };
        let (Ok(from), Ok(to), Ok(index)) = (
            u32::try_from(from),
            u32::try_from(to),
            u32::try_from(flows.len()),
        ) else {
            continue;
        };
        edges.push(EdgeVisual {
            from,
            to,
            width,
            flow: index,
            lane: 0.0,
            dimmed: !shown,
        });
        let label = flow.label();
        flows.push((flow, label));
    }
    assign_lanes(&mut edges);
    CaseGraph {
        nodes,
        edges,
        flows,
        index_of,
        filtered_transfers: view.filtered_transfers,
        filtered_nodes: hidden.len(),
    }
}

/// The largest flow of each asset (by chain + contract), for widths of unpriced flows.
fn largest_by_asset(flows: &[Flow]) -> HashMap<(crate::model::Chain, Option<&str>), u128> {
    let mut largest = HashMap::new();
    for f in flows {
        let slot = largest
            .entry((f.asset.chain, f.asset.contract.as_deref()))
            .or_insert(0u128);
        *slot = (*slot).max(f.amount);
    }
    largest
}

/// Width in points at zoom 1: one point plus 0.7 per decade above $100 (at most 7);
/// unpriced, five points for the asset's largest flow, one less per decade below it.
fn flow_width(
    flow: &Flow,
    largest: &HashMap<(crate::model::Chain, Option<&str>), u128>,
) -> f32 {
    let decades = |v: u128| v.checked_ilog10().map_or(0, |d| d + 1) as f32;
    match flow.usd {
        Some(usd) => (1.0 + 0.7 * (decades(usd.0 / USD_SCALE) - 2.0).max(0.0)).min(7.0),
        None => {
            let max = largest
                .get(&(flow.asset.chain, flow.asset.contract.as_deref()))
                .copied()
                .unwrap_or(flow.amount);
            (5.0 - (decades(max) - decades(flow.amount))).clamp(1.0, 5.0)
        }
    }
}

/// Spreads edges joining the same two nodes (either way) side by side, centred on the line.
fn assign_lanes(edges: &mut [EdgeVisual]) {
    let mut by_pair: HashMap<(u32, u32), Vec<usize>> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        by_pair
            .entry((e.from.min(e.to), e.from.max(e.to)))
            .or_default()
            .push(i);
    }
    for members in by_pair.values().filter(|m| m.len() > 1) {
        let middle = (members.len() - 1) as f32 / 2.0;
        for (k, &i) in members.iter().enumerate() {
            edges[i].lane = (k as f32 - middle) * LANE_PX;
        }
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
        shown: Shown::Normal,
    }
}
