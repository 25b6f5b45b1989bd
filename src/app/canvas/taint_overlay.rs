//! The taint overlay: a red halo under every node a taint run reached, its strength the
//! tainted share of what the node received (the largest share over its assets, each asset on
//! its own: never units across assets), and a red band under every edge between two reached
//! nodes, as wide as the weaker end's share. Drawn under the graph like highlights; view only.

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
    /// Edges between two reached nodes, with the weaker end's share.
    pub edges: Vec<(NodeId, NodeId, f32)>,
}

impl TaintOverlay {
    /// The overlay of a taint result over `case`: each node's share is, per asset, tainted
    /// received over all received, the largest over its assets.
    pub fn of(case: &Case, result: &crate::analysis::taint::TaintResult) -> TaintOverlay {
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
        let mut seen = std::collections::HashSet::new();
        let mut edges = Vec::new();
        for t in case.transfers.values() {
            if let (Some(a), Some(b)) = (shares.get(&t.from), shares.get(&t.to))
                && seen.insert((&t.from, &t.to))
            {
                edges.push((t.from.clone(), t.to.clone(), a.min(*b)));
            }
        }
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
