//! Draws the graph's bulk into one mesh: edges, then node marks, culled to the visible
//! rectangle and thinned by level of detail.
//!
//! - Nodes and edges off screen are skipped.
//! - An edge shorter on screen than its two end nodes' radii is hidden under them: skipped.
//! - Edges thinner than a pixel are drawn a pixel wide and faded in proportion.
//! - Where edges would pile up into a solid sheet (zoomed out on a big case), all unselected
//!   edges fade together, down to an eighth, so the structure shows through.
//! - Arrow heads only on edges long enough on screen to show them, and, where the edges are
//!   faded into a haze, only on selected ones: a haze of heads shows no direction, and at
//!   100,000 nodes they were a fifth of the first frame (five triangles each, on a CPU
//!   rasteriser).
//! - Badges and pin dots only on nodes large enough to carry them (always when selected);
//!   category glyphs only on nodes at least 5 points in radius.
//!
//! - Nodes and edges the graph filter takes away are skipped, or drawn faintly when the user
//!   chose to dim them.
//!
//! Also collects which visible nodes want a label, most important first, and which edges are
//! long enough on screen to carry their money label, largest first.

use super::display::{
    CONFLICT, EDGE, EdgeVisual, LABEL_ZOOM, NodeVisual, PIN, SELECTED_OUTLINE, SELECTION,
    SELECTION_GAP_PX, Shown,
};
use super::mesh::MeshWriter;
use super::sprites::{Atlas, Sprite};
use egui::epaint::Mesh;
use egui::{Color32, Pos2, Rect, Vec2};
use std::sync::Arc;

/// Shortest edge on screen that gets an arrow head, points.
const ARROW_MIN_LEN_PX: f32 = 18.0;
/// Smallest node radius on screen that carries badges and pin dots, points.
const BADGE_MIN_RADIUS_PX: f32 = 3.5;
/// Smallest node radius on screen that carries its category glyph, points.
const GLYPH_MIN_RADIUS_PX: f32 = 5.0;
/// Room around the visible rectangle for rings and badges, points.
const CULL_MARGIN_PX: f32 = 12.0;
/// Shortest edge on screen that may carry its label, points.
const EDGE_LABEL_MIN_LEN_PX: f32 = 80.0;
/// Most edges offered a label per frame (the largest; the label pass places fewer).
const EDGE_LABEL_OFFER_CAP: usize = 600;

/// Node labels offered to the label pass per kind (selected, tagged, others), heaviest first:
/// four times what one frame places ([`super::labels::LABEL_CAP`]), so crowding still leaves
/// enough candidates.
const LABEL_OFFER_CAP: usize = 4 * super::labels::LABEL_CAP;
/// How near an edge's stroke the pointer picks it, points.
const EDGE_PICK_SLACK_PX: f32 = 3.0;
/// How faint filtered nodes and edges are drawn when dimmed.
const DIMMED: f32 = 0.18;
/// Share of the screen unselected edges may cover before they are faded.
const EDGE_COVERAGE_TARGET: f32 = 0.6;
/// The most edges are faded (their colour times this).
const MIN_EDGE_FADE: f32 = 0.12;
/// Faded below this (their strokes would cover more than the screen), unselected edges
/// carry no arrow head.
const ARROW_MIN_FADE: f32 = 0.5;

/// A node as the bulk drawing needs it, packed so an edge reads each end in one place.
#[derive(Debug, Clone, Copy)]
pub struct ScreenNode {
    /// Centre on screen.
    pub pos: Pos2,
    /// Radius on screen.
    pub radius: f32,
    /// Selected.
    pub selected: bool,
}

/// Everything the bulk drawing reads.
pub struct Scene<'a> {
    /// Node looks.
    pub nodes: &'a [NodeVisual],
    /// Edges.
    pub edges: &'a [EdgeVisual],
    /// Nodes on screen, by index.
    pub screen: &'a [ScreenNode],
    /// Screen points per canvas unit.
    pub zoom: f32,
    /// What is visible (the canvas rectangle).
    pub clip: Rect,
}

/// The bulk mesh and the label wishes of one view.
pub struct Bulk {
    /// Edges and node marks.
    pub mesh: Arc<Mesh>,
    /// Visible selected nodes (labelled first), the heaviest flows first, at most
    /// [`LABEL_OFFER_CAP`].
    pub selected_label: Vec<u32>,
    /// Visible tagged nodes, the heaviest flows first (zoomed out, not a cluster's members:
    /// the cluster's one name stands for them), at most [`LABEL_OFFER_CAP`].
    pub tagged_label: Vec<u32>,
    /// Visible other nodes, labelled where there is room (zoomed in), heaviest flows first,
    /// at most [`LABEL_OFFER_CAP`].
    pub may_label: Vec<u32>,
    /// Edges long enough to carry a label, largest first: edge index and the label's centre.
    pub edge_labels: Vec<(u32, Pos2)>,
}

/// Buffers the bulk drawing reuses from frame to frame.
#[derive(Default)]
pub struct Scratch {
    /// The last mesh, once painted (its buffers are refilled).
    pub mesh: Mesh,
    /// The visible edges of this frame.
    edges: Vec<EdgeGeometry>,
}

impl Scratch {
    /// The edge drawn under screen point `pos` in the last mesh (nearest within a few points
    /// of its stroke), by edge index; dimmed edges are not picked.
    pub fn pick_edge(&self, pos: Pos2) -> Option<u32> {
        let mut best: Option<(u32, f32)> = None;
        for g in self.edges.iter().filter(|g| !g.dimmed) {
            let along = (pos - g.start).dot(g.dir).clamp(0.0, g.length);
            let distance = (g.start + g.dir * along - pos).length();
            if distance <= g.width / 2.0 + EDGE_PICK_SLACK_PX
                && best.is_none_or(|(_, d)| distance < d)
            {
                best = Some((g.index, distance));
            }
        }
        best.map(|(i, _)| i)
    }
}

/// Draws the scene's edges and nodes into a mesh.
pub fn bulk(atlas: &Atlas, scene: &Scene, scratch: &mut Scratch) -> Bulk {
    let mut w = MeshWriter::reusing(
        atlas,
        std::mem::take(&mut scratch.mesh),
        scene.nodes.len() * 4 + scene.edges.len() * 6,
    );
    edges(&mut w, scene, &mut scratch.edges);
    let edge_labels = edge_label_offers(scene, &scratch.edges);
    let view = scene.clip.expand(CULL_MARGIN_PX);
    let mut selected_labels = Vec::new();
    let mut tagged_labels = Vec::new();
    let mut may_label = Vec::new();
    let label_all = scene.zoom >= LABEL_ZOOM;
    for (i, (node, at)) in scene.nodes.iter().zip(scene.screen).enumerate() {
        if node.shown == Shown::Hidden || !view.expand(at.radius).contains(at.pos) {
            continue;
        }
        if node.shown == Shown::Dimmed {
            let faint = NodeVisual {
                fill: node.fill.gamma_multiply(DIMMED),
                glyph_color: node.glyph_color.gamma_multiply(DIMMED),
                ..node.clone()
            };
            node_marks(&mut w, &faint, at.pos, at.radius, at.selected);
            continue;
        }
        node_marks(&mut w, node, at.pos, at.radius, at.selected);
        if at.selected {
            selected_labels.push(i as u32);
        } else if node.emphasised && (label_all || !node.clustered) {
            tagged_labels.push(i as u32);
        } else if label_all {
            may_label.push(i as u32);
        }
    }
    let heaviest_first = |a: &u32, b: &u32| {
        let weight = |i: &u32| scene.nodes[*i as usize].weight;
        weight(b).total_cmp(&weight(a)).then(a.cmp(b))
    };
    // At most LABEL_CAP labels fit a frame: offering every selected node of a 100k-node
    // selection cost more than the rest of the frame. The heaviest few are offered.
    for list in [&mut selected_labels, &mut tagged_labels, &mut may_label] {
        if list.len() > LABEL_OFFER_CAP {
            list.select_nth_unstable_by(LABEL_OFFER_CAP, heaviest_first);
            list.truncate(LABEL_OFFER_CAP);
        }
        list.sort_by(heaviest_first);
    }
    Bulk {
        mesh: Arc::new(w.finish()),
        selected_label: selected_labels,
        tagged_label: tagged_labels,
        may_label,
        edge_labels,
    }
}

/// The edges that may carry a label: drawn, not dimmed, long enough; the widest (most
/// valuable) first, at most [`EDGE_LABEL_OFFER_CAP`].
fn edge_label_offers(scene: &Scene, visible: &[EdgeGeometry]) -> Vec<(u32, Pos2)> {
    let mut offers: Vec<(f32, u32, Pos2)> = visible
        .iter()
        .filter(|g| !g.dimmed && g.length >= EDGE_LABEL_MIN_LEN_PX)
        .map(|g| {
            let mid = g.start + (g.end - g.start) * 0.5;
            (scene.edges[g.index as usize].width, g.index, mid)
        })
        .filter(|(_, _, mid)| scene.clip.contains(*mid))
        .collect();
    let by_width =
        |a: &(f32, u32, Pos2), b: &(f32, u32, Pos2)| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1));
    if offers.len() > EDGE_LABEL_OFFER_CAP {
        offers.select_nth_unstable_by(EDGE_LABEL_OFFER_CAP, by_width);
        offers.truncate(EDGE_LABEL_OFFER_CAP);
    }
    offers.sort_by(by_width);
    offers.into_iter().map(|(_, i, mid)| (i, mid)).collect()
}

/// Where an edge is drawn on screen: from the rim of one node to the rim of the other.
struct EdgeGeometry {
    index: u32,
    dimmed: bool,
    start: Pos2,
    end: Pos2,
    dir: Vec2,
    length: f32,
    width: f32,
    selected: bool,
}

/// The on-screen geometry of `edge`, or `None` if it is off screen or hidden under its own
/// end nodes.
#[inline]
fn edge_geometry(index: u32, edge: &EdgeVisual, scene: &Scene) -> Option<EdgeGeometry> {
    let (a, b) = (
        scene.screen[edge.from as usize],
        scene.screen[edge.to as usize],
    );
    let hidden = |i: u32| scene.nodes[i as usize].shown == Shown::Hidden;
    if hidden(edge.from) || hidden(edge.to) {
        return None;
    }
    let d = b.pos - a.pos;
    // `length()` calls libm's hypot: slow in a loop over every edge.
    let len = d.length_sq().sqrt();
    if len.is_nan() || len <= a.radius + b.radius {
        return None;
    }
    let width = edge.screen_width(scene.zoom);
    if !scene
        .clip
        .intersects(Rect::from_two_pos(a.pos, b.pos).expand(width + edge.lane.abs()))
    {
        return None;
    }
    let dir = d / len;
    // Lanes are measured in one frame for both directions (lower index → higher index).
    let side = if edge.from < edge.to { 1.0 } else { -1.0 };
    let shift = Vec2::new(-dir.y, dir.x) * edge.lane * side;
    Some(EdgeGeometry {
        index,
        dimmed: edge.dimmed,
        start: a.pos + dir * a.radius + shift,
        end: b.pos - dir * b.radius + shift,
        dir,
        length: len - a.radius - b.radius,
        width,
        selected: a.selected || b.selected,
    })
}

/// Length of the part of segment `a`–`b` inside `clip` (Liang–Barsky).
fn clipped_length(a: Pos2, b: Pos2, clip: Rect) -> f32 {
    let d = b - a;
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-d.x, a.x - clip.min.x),
        (d.x, clip.max.x - a.x),
        (-d.y, a.y - clip.min.y),
        (d.y, clip.max.y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return 0.0;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t1 > t0 {
        d.length_sq().sqrt() * (t1 - t0)
    } else {
        0.0
    }
}

/// Collects the visible edges into `visible` and returns how much to fade the unselected
/// ones, so that where they pile up when zoomed out they thin into a haze instead of a solid
/// sheet: the share of the screen their strokes would cover, inverted, between
/// [`MIN_EDGE_FADE`] and 1.
fn visible_edges(scene: &Scene, visible: &mut Vec<EdgeGeometry>) -> f32 {
    visible.clear();
    let mut covered = 0.0;
    for (i, edge) in scene.edges.iter().enumerate() {
        if let Some(g) = edge_geometry(i as u32, edge, scene) {
            let on_screen = if scene.clip.contains(g.start) && scene.clip.contains(g.end) {
                g.length
            } else {
                clipped_length(g.start, g.end, scene.clip)
            };
            covered += on_screen * g.width.max(1.0);
            visible.push(g);
        }
    }
    let area = (scene.clip.width() * scene.clip.height()).max(1.0);
    (EDGE_COVERAGE_TARGET * area / covered.max(1.0)).clamp(MIN_EDGE_FADE, 1.0)
}

fn edges(w: &mut MeshWriter, scene: &Scene, visible: &mut Vec<EdgeGeometry>) {
    let fade = visible_edges(scene, visible);
    let faded = EDGE.gamma_multiply(fade);
    let dimmed = EDGE.gamma_multiply(fade * DIMMED);
    let unselected_arrows = fade >= ARROW_MIN_FADE;
    for g in visible.iter() {
        let color = match (g.dimmed, g.selected) {
            (true, _) => dimmed,
            (false, true) => SELECTION,
            (false, false) => faded,
        };
        if g.length >= ARROW_MIN_LEN_PX && (g.selected || unselected_arrows) {
            let tip = (6.0 + g.width * 1.5).min(g.length * 0.4);
            let back = g.end - g.dir * tip;
            let side = Vec2::new(-g.dir.y, g.dir.x) * tip * 0.45;
            w.line(g.start, back, g.width, color);
            w.arrow_head(g.end, back + side, back - side, color);
        } else {
            w.line(g.start, g.end, g.width, color);
        }
    }
}

/// The marks of one node: selection ring, body with rim, selected outline, badge, conflict
/// ring and mark, pin dot.
pub fn node_marks(w: &mut MeshWriter, node: &NodeVisual, centre: Pos2, r: f32, selected: bool) {
    if selected {
        let ring_centre = r + SELECTION_GAP_PX;
        w.sprite(Sprite::Ring15, centre, ring_centre + 0.75, SELECTION);
    }
    if node.is_transaction {
        w.sprite(Sprite::SquareRim, centre, r + 1.0, node.fill);
        if selected {
            w.sprite(Sprite::SquareRing25, centre, r + 2.5, SELECTED_OUTLINE);
        }
    } else {
        w.sprite(Sprite::DiscRim, centre, r + 0.5, node.fill);
        if selected {
            w.sprite(Sprite::Ring25, centre, r + 1.25, SELECTED_OUTLINE);
        }
    }
    if let Some(glyph) = node.glyph
        && r >= GLYPH_MIN_RADIUS_PX
    {
        w.sprite(Sprite::glyph(glyph), centre, r, node.glyph_color);
    }
    let decorated = selected || r >= BADGE_MIN_RADIUS_PX;
    if node.attributed && decorated {
        // Badge: a small white-rimmed dot at the lower right, "known to a pack".
        let badge = centre + Vec2::splat(r * 0.75);
        w.sprite(Sprite::Disc, badge, 3.5, Color32::WHITE);
        w.sprite(Sprite::Disc, badge, 2.2, node.fill);
    }
    if node.conflict {
        w.sprite(Sprite::Ring20, centre, r + 3.5, CONFLICT);
        w.sprite(
            Sprite::Conflict,
            centre - Vec2::splat(r * 0.9),
            5.0,
            CONFLICT,
        );
    }
    if node.pinned && decorated {
        w.sprite(
            Sprite::Disc,
            centre + Vec2::new(r * 0.8, -r * 0.8),
            2.5,
            PIN,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scene_bulk(screen: &[Pos2], selected: &[bool], zoom: f32, edges: &[EdgeVisual]) -> Bulk {
        let ctx = egui::Context::default();
        let atlas = Atlas::new(&ctx);
        let nodes: Vec<NodeVisual> = (0..screen.len())
            .map(|i| NodeVisual::test_address(i, i == 1, None))
            .collect();
        let screen: Vec<ScreenNode> = (0..screen.len())
            .map(|i| ScreenNode {
                pos: screen[i],
                radius: nodes[i].screen_radius(zoom),
                selected: selected[i],
            })
            .collect();
        bulk(
            &atlas,
            &Scene {
                nodes: &nodes,
                edges,
                screen: &screen,
                zoom,
                clip: Rect::from_min_size(Pos2::ZERO, Vec2::new(400.0, 300.0)),
            },
            &mut Scratch::default(),
        )
    }

    #[test]
    fn off_screen_nodes_and_hidden_edges_are_not_drawn() {
        // Node 2 is off screen; the edge 0→1 is shorter than the two radii (under the nodes).
        let screen = [
            Pos2::new(100.0, 100.0),
            Pos2::new(103.0, 100.0),
            Pos2::new(900.0, 100.0),
        ];
        let edges = [EdgeVisual::test_edge(0, 1), EdgeVisual::test_edge(0, 2)];
        let b = scene_bulk(&screen, &[false; 3], 0.05, &edges);
        // Two bodies (4 vertices each) and the long edge (line: 4 vertices, arrow: 6).
        assert_eq!(b.mesh.vertices.len(), 2 * 4 + 4 + 6);
        assert!(b.selected_label.is_empty());
        assert_eq!(
            b.tagged_label,
            vec![1],
            "the tagged node always asks for a label"
        );
        assert!(b.may_label.is_empty(), "zoomed out: no other labels");
    }

    #[test]
    fn edges_faded_into_a_haze_carry_no_arrow_heads_unless_selected() {
        // 200 nodes on two columns, every left node sending to every right one through the
        // middle of a 400×300 screen: 10,000 long strokes pile up far past the screen's area.
        let mut screen = Vec::new();
        for i in 0..100 {
            screen.push(Pos2::new(20.0, 3.0 * i as f32));
        }
        for i in 0..100 {
            screen.push(Pos2::new(380.0, 3.0 * i as f32));
        }
        let mut edges = Vec::new();
        for from in 0..100u32 {
            for to in 100..200u32 {
                edges.push(EdgeVisual::test_edge(from, to));
            }
        }
        let mut selected = vec![false; 200];
        let none = scene_bulk(&screen, &selected, 0.05, &edges);
        assert_eq!(
            none.mesh.vertices.len(),
            200 * 4 + edges.len() * 4,
            "a body per node, a line per edge, no heads"
        );
        selected[0] = true;
        let one = scene_bulk(&screen, &selected, 0.05, &edges);
        // The selected node adds its selection ring and outline (two sprites).
        assert_eq!(
            one.mesh.vertices.len(),
            200 * 4 + 2 * 4 + edges.len() * 4 + 100 * 6,
            "the selected node's 100 edges keep their heads"
        );
        // A few edges (no haze) keep theirs.
        let few = scene_bulk(&screen, &[false; 200], 0.05, &edges[..3]);
        assert_eq!(few.mesh.vertices.len(), 200 * 4 + 3 * (4 + 6));
    }

    #[test]
    fn zoomed_in_every_visible_node_may_be_labelled_selected_first() {
        let screen = [
            Pos2::new(50.0, 50.0),
            Pos2::new(150.0, 50.0),
            Pos2::new(250.0, 50.0),
        ];
        let b = scene_bulk(&screen, &[false, false, true], 1.0, &[]);
        assert_eq!((b.selected_label, b.tagged_label), (vec![2], vec![1]));
        assert_eq!(b.may_label, vec![0]);
    }

    #[test]
    fn clipped_length_counts_only_the_visible_part() {
        let clip = Rect::from_min_size(Pos2::ZERO, Vec2::new(100.0, 100.0));
        let inside = clipped_length(Pos2::new(10.0, 10.0), Pos2::new(40.0, 50.0), clip);
        assert!((inside - 50.0).abs() < 1e-3);
        let across = clipped_length(Pos2::new(-50.0, 50.0), Pos2::new(150.0, 50.0), clip);
        assert!((across - 100.0).abs() < 1e-3);
        assert_eq!(
            clipped_length(Pos2::new(-50.0, -5.0), Pos2::new(150.0, -5.0), clip),
            0.0
        );
    }
}
