//! The taint overlay: a red halo under every node a taint run reached, its strength the
//! tainted share of what the node received (the largest share over its assets, each asset on
//! its own: never units across assets), and a red band under every edge that carried tainted
//! money, its width growing with the tainted USD value (log; by the tainted share of the edge's
//! amount where unpriced). Drawn under the graph like highlights; view only.

use super::view::Transform;
use crate::model::{Case, NodeId};
use egui::{Color32, Pos2, Shape, Stroke};

/// Most nodes drawn (a huge run keeps the frame short; the Taint section lists them all).
const MAX_OVERLAY_NODES: usize = 50_000;
/// Colour of the overlay.
const TAINT: Color32 = Color32::from_rgb(255, 64, 64);

/// Per reached node, the tainted share (0–1) of what it received; the edges between them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaintOverlay {
    /// Node → share.
    pub shares: std::collections::HashMap<NodeId, f32>,
    /// Edges that carried tainted money, with their width weight (0–1).
    pub edges: Vec<(NodeId, NodeId, f32)>,
}

impl TaintOverlay {
    /// The overlay of a taint result over `case`: each node's share is, per asset, tainted
    /// received over all received, the largest over its assets; each edge's weight grows with
    /// its tainted USD value (`per_transfer`: tainted amount by transfer, in id order).
    pub fn of(
        case: &Case,
        result: &crate::analysis::taint::TaintResult,
        per_transfer: &[u128],
        prices: &crate::prices::PriceBook,
    ) -> TaintOverlay {
        use crate::prices::AssetKey;
        let mut received: std::collections::HashMap<(&NodeId, AssetKey), u128> =
            std::collections::HashMap::new();
        for t in case.transfers.values() {
            if result.contains_key(&t.to) {
                let sum = received.entry((&t.to, AssetKey::of(&t.asset))).or_insert(0);
                *sum = sum.saturating_add(t.amount);
            }
        }
        let mut shares = std::collections::HashMap::new();
        for (node, assets) in result {
            let share = assets
                .iter()
                .map(|(key, tainted)| {
                    let all = received.get(&(node, key.clone())).copied().unwrap_or(0);
                    if all == 0 {
                        0.0
                    } else {
                        (tainted.amount.min(all) as f64 / all as f64) as f32
                    }
                })
                .fold(0.0f32, f32::max);
            shares.insert(node.clone(), share);
        }
        // Per edge: tainted USD (cents) where priced, else the largest tainted share.
        let mut per_edge: std::collections::HashMap<(&NodeId, &NodeId), (u128, f32)> =
            std::collections::HashMap::new();
        for (t, &tainted) in case.transfers.values().zip(per_transfer) {
            if tainted == 0 {
                continue;
            }
            let entry = per_edge.entry((&t.from, &t.to)).or_insert((0, 0.0));
            match prices.value(&t.asset, tainted, t.time) {
                Some(v) => entry.0 = entry.0.saturating_add(v.usd.cents()),
                None if t.amount > 0 => {
                    let share = (tainted.min(t.amount) as f64 / t.amount as f64) as f32;
                    entry.1 = entry.1.max(share);
                }
                None => {}
            }
        }
        let edges = per_edge
            .into_iter()
            .map(|((from, to), (cents, share))| {
                // $100 → 0, $100M → 1, on a log scale.
                let by_usd = if cents == 0 {
                    0.0
                } else {
                    (((cents as f64).log10() - 4.0) / 6.0).clamp(0.05, 1.0) as f32
                };
                (from.clone(), to.clone(), by_usd.max(share * 0.5))
            })
            .collect();
        TaintOverlay { shares, edges }
    }
}

fn to_screen(view: &Transform, p: [f32; 2]) -> Pos2 {
    view.to_screen_xy(p)
}

/// The overlay's shapes for this frame.
pub fn taint_shapes(case: &Case, view: &Transform, overlay: &TaintOverlay) -> Shape {
    let mut shapes = Vec::new();
    let radius = view
        .size_to_screen(super::display::ADDRESS_RADIUS)
        .max(super::display::MIN_SCREEN_RADIUS);
    for (from, to, share) in overlay.edges.iter().take(MAX_OVERLAY_NODES) {
        let (Some(from), Some(to)) = (
            case.layout.positions.get(from),
            case.layout.positions.get(to),
        ) else {
            continue;
        };
        let share = *share;
        shapes.push(Shape::line_segment(
            [to_screen(view, *from), to_screen(view, *to)],
            Stroke::new(
                2.0 + 10.0 * share,
                TAINT.gamma_multiply(0.15 + 0.45 * share),
            ),
        ));
    }
    for (node, share) in overlay.shares.iter().take(MAX_OVERLAY_NODES) {
        let Some(p) = case.layout.positions.get(node) else {
            continue;
        };
        shapes.push(Shape::circle_filled(
            to_screen(view, *p),
            radius + 4.0 + 8.0 * share,
            TAINT.gamma_multiply(0.2 + 0.6 * share),
        ));
    }
    Shape::Vec(shapes)
}
