//! What the canvas draws, built from the case when its structure changes: one entry per node
//! (in id order) with its look, and the edges between them by index.
//!
//! Every transfer from one node to another in one asset becomes one edge (a flow, see
//! [`crate::analysis::flows`]) that carries its amount and USD value as a label; its width
//! grows with the USD value on a log scale, or, unpriced, with its share of the asset's largest
//! flow. Flows between the same two nodes run side by side in lanes. The graph filter decides
//! which edges and nodes are shown, dimmed or hidden. Node colour follows the cluster's
//! category, else the highest-confidence tag. A node's weight (which labels win where they
//! compete) is the width of its widest shown edge, services where money goes (exchange, mixer,
//! bridge, router, sanctioned) first.
//! The look itself (fills, labels, widths) comes from `crate::export::scene`, shared with the
//! SVG/PNG export; this file only converts it to egui types.

use super::display::{EdgeVisual, NodeVisual, Shown};
use crate::analysis::flows::{Flow, flow_view};
use crate::export::scene::glyphs::Glyph;
use crate::export::scene::{flow_width, largest_by_asset, node_style};
use crate::model::{Case, GraphFilter, NodeId, NodeKind};
use crate::prices::PriceBook;
use egui::Color32;
use std::sync::OnceLock;

/// The drawable graph of a case.
#[derive(Debug, Default)]
pub struct CaseGraph {
    /// Node looks, in the case's id order.
    pub nodes: Vec<NodeVisual>,
    /// Edges by node index, one per flow (`EdgeVisual::flow` indexes `flows`).
    pub edges: Vec<EdgeVisual>,
    /// The flows the edges stand for, with their label texts (made when first drawn: see
    /// [`CaseGraph::flow_label`]).
    pub flows: Vec<(Flow, OnceLock<String>)>,
    /// Index of every node id in `nodes`.
    pub index_of: crate::util::FastMap<NodeId, usize>,
    /// Transfers the filter takes away, and nodes it hides (for the status bar).
    pub filtered_transfers: usize,
    /// Nodes the filter takes away.
    pub filtered_nodes: usize,
}

/// Label weight of a service where money goes (above any flow width).
const SERVICE_LABEL_WEIGHT: f32 = 1000.0;
/// A glyph on a light fill.
const GLYPH_DARK: Color32 = Color32::from_rgba_premultiplied(0, 0, 0, 200);
/// A glyph on a dark fill.
const GLYPH_LIGHT: Color32 = Color32::from_rgba_premultiplied(235, 235, 235, 235);

/// Screen points between two lanes of flows joining the same nodes.
const LANE_PX: f32 = 5.0;

/// Cases with at least this many nodes have their nodes' looks made on a second thread.
const PARALLEL_MIN_NODES: usize = 20_000;

/// Every node's look, in id order, and the index of every id.
fn node_looks(case: &Case) -> (Vec<NodeVisual>, crate::util::FastMap<NodeId, usize>) {
    let nodes = case
        .nodes
        .iter()
        .map(|(id, node)| node_visual(case, id, node.kind == NodeKind::Transaction))
        .collect();
    let index_of = case
        .nodes
        .keys()
        .enumerate()
        .map(|(i, id)| (id.clone(), i))
        .collect();
    (nodes, index_of)
}

/// Builds the drawable graph of `case` under `filter` (the case's own, or the timeline's
/// replay of it), valued with `prices`.
pub fn build_graph(case: &Case, prices: &PriceBook, filter: &GraphFilter) -> CaseGraph {
    // The flows and the nodes' looks do not depend on each other: on a big case, the looks
    // are made on a second thread while the flows are grouped.
    let (view, (mut nodes, index_of)) = if case.nodes.len() >= PARALLEL_MIN_NODES {
        std::thread::scope(|scope| {
            let looks = scope.spawn(|| node_looks(case));
            let view = flow_view(case, prices, filter);
            // A panic there is repeated here, where it is reported like any other.
            (view, looks.join().unwrap_or_else(|_| node_looks(case)))
        })
    } else {
        (flow_view(case, prices, filter), node_looks(case))
    };
    let hidden = &view.hidden_nodes;
    if !hidden.is_empty() {
        for (visual, id) in nodes.iter_mut().zip(case.nodes.keys()) {
            if hidden.contains(id) {
                visual.shown = if filter.dim {
                    Shown::Dimmed
                } else {
                    Shown::Hidden
                };
            }
        }
    }
    let largest = largest_by_asset(&view.shown);
    let widths: Vec<f32> = view
        .shown
        .iter()
        .chain(&view.filtered)
        .map(|f| {
            let key = (f.asset.chain, f.asset.contract.as_deref());
            flow_width(f, largest.get(&key).copied().unwrap_or(0))
        })
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
        flows.push((flow, OnceLock::new()));
    }
    assign_lanes(&mut edges);
    let mut widest = vec![0.0f32; nodes.len()];
    for e in edges.iter().filter(|e| !e.dimmed) {
        for end in [e.from, e.to] {
            widest[end as usize] = widest[end as usize].max(e.width);
        }
    }
    for (node, width) in nodes.iter_mut().zip(widest) {
        node.weight += width;
    }
    CaseGraph {
        nodes,
        edges,
        flows,
        index_of,
        filtered_transfers: view.filtered_transfers,
        filtered_nodes: hidden.len(),
    }
}

impl CaseGraph {
    /// The label of flow `index` (`288.4 ETH ×3 ≈ $775k`), made the first time it is asked for.
    pub fn flow_label(&self, index: usize) -> Option<&str> {
        let (flow, label) = self.flows.get(index)?;
        Some(label.get_or_init(|| flow.label()).as_str())
    }
}

/// Spreads edges joining the same two nodes (either way) side by side, centred on the line.
fn assign_lanes(edges: &mut [EdgeVisual]) {
    // Sorted by pair, then by edge index (the order lanes are given in): one sort instead of a
    // map of lists, which cost a fifth of a second at 450,000 edges.
    let mut by_pair: Vec<(u32, u32, usize)> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| (e.from.min(e.to), e.from.max(e.to), i))
        .collect();
    by_pair.sort_unstable();
    for members in by_pair.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        if members.len() < 2 {
            continue;
        }
        let middle = (members.len() - 1) as f32 / 2.0;
        for (k, &(_, _, i)) in members.iter().enumerate() {
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
        labels: std::sync::OnceLock::new(),
        is_transaction,
        fill: Color32::from_rgb(r, g, b),
        glyph: style.glyph,
        glyph_color: if crate::export::scene::glyphs::dark_on(style.fill) {
            GLYPH_DARK
        } else {
            GLYPH_LIGHT
        },
        emphasised: style.emphasised,
        tag_label: style.tag_label,
        clustered: style.clustered,
        // Where the money goes (exchanges, mixers, bridges, routers, sanctioned services) is
        // labelled before the many addresses of one actor.
        weight: if style.glyph.is_some_and(Glyph::is_service) {
            SERVICE_LABEL_WEIGHT
        } else {
            0.0
        },
        pinned: style.pinned,
        attributed: style.attributed,
        conflict: style.conflict,
        shown: Shown::Normal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Chain};

    fn id(n: u8) -> NodeId {
        NodeId::parse(&format!("eth:0x{:040x}", u128::from(n) + 0x1000)).expect("id")
    }

    /// 1 → 2 in ETH (twice) and in USDT, 2 → 1 in ETH, 2 → 3 in ETH, on 2025-02-21.
    fn case() -> Case {
        let mut case = Case::new("build", 0);
        let usdt = Asset::token(
            Chain::ETHEREUM,
            "USDT",
            6,
            "0xdac17f958d2ee523a2206206994597c13d831ec7",
        );
        let eth = Asset::native(Chain::ETHEREUM);
        let legs = [
            ("a", 1, 2, eth.clone(), 10u128.pow(18)),
            ("b", 1, 2, eth.clone(), 10u128.pow(18)),
            ("c", 1, 2, usdt, 768_851_000_000),
            ("d", 2, 1, eth.clone(), 10u128.pow(17)),
            ("e", 2, 3, eth, 10u128.pow(15)),
        ];
        for (name, from, to, asset, amount) in legs {
            let time = Some(1_740_096_000);
            case.put_test_transfer(name, (id(from), id(to)), asset, amount, time);
        }
        case
    }

    #[test]
    fn one_edge_per_flow_with_its_label_and_lanes_for_parallel_flows() {
        let graph = build_graph(&case(), PriceBook::bundled_ref(), &GraphFilter::default());
        let labels: Vec<&str> = (0..graph.flows.len())
            .filter_map(|i| graph.flow_label(i))
            .collect();
        assert_eq!(
            labels,
            [
                "2 ETH ×2 ≈ $5.3k",
                "768,851 USDT ≈ $768k",
                "0.1 ETH ≈ $265",
                "0.001 ETH ≈ $2.65"
            ]
        );
        assert_eq!(graph.edges.len(), 4);
        // Three flows join 1 and 2 (two one way, one back): lanes −5, 0, +5; 2 → 3 alone: 0.
        let lanes: Vec<f32> = graph.edges.iter().map(|e| e.lane).collect();
        assert_eq!(lanes, [-5.0, 0.0, 5.0, 0.0]);
        assert!(
            graph.edges[1].width > graph.edges[0].width,
            "$768k is wider than $5.3k"
        );
        assert!(graph.nodes.iter().all(|n| n.shown == Shown::Normal));
    }

    #[test]
    fn the_filter_hides_or_dims() {
        let mut case = case();
        case.view.filter = GraphFilter {
            min_usd_cents: Some(10_000),
            ..GraphFilter::default()
        };
        let hidden = build_graph(&case, PriceBook::bundled_ref(), &case.view.filter);
        assert_eq!(hidden.edges.len(), 3, "the $2.65 edge goes");
        assert_eq!(hidden.nodes[2].shown, Shown::Hidden, "and node 3 with it");
        assert_eq!((hidden.filtered_transfers, hidden.filtered_nodes), (1, 1));
        case.view.filter.dim = true;
        let dimmed = build_graph(&case, PriceBook::bundled_ref(), &case.view.filter);
        assert_eq!(dimmed.edges.len(), 4);
        assert!(dimmed.edges[3].dimmed && !dimmed.edges[0].dimmed);
        assert_eq!(dimmed.nodes[2].shown, Shown::Dimmed);
    }
}
