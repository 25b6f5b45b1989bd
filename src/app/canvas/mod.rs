//! The graph canvas: our own widget that draws only what matters, for cases of a few nodes
//! and of tens of thousands alike, with one look and one interaction model.
//!
//! Each frame it copies positions from the case (one pass in id order), draws edges and node
//! marks culled to the screen into a single mesh of sprite quads and textured line quads
//! (rebuilt only when positions, view or selection changed), places labels where they are
//! readable, and answers the pointer through a spatial grid. On top: cluster hulls and
//! highlights underneath, notes and arrows over it, shift-click and rectangle selection, node
//! drag (the node stays pinned), double-click to expand, context menus, fit/zoom-to, and a
//! legend of the categories on screen in the bottom-left corner.
//!
//! The case stays the truth: the drawable graph is rebuilt from it when its structure changes,
//! and every user change leaves as a [`Command`].

mod annotations;
mod build;
mod display;
mod edge_tooltip;
mod grid;
mod hulls;
mod interaction;
mod labels;
mod legend;
mod menus;
mod mesh;
mod paint;
mod sprites;
mod sync;
pub mod taint_overlay;
mod view;

pub use build::{CaseGraph, build_graph, node_visual};
pub use display::{ADDRESS_RADIUS, EdgeVisual, NodeVisual};
pub use sync::PreparedGraph;
pub use view::{Transform, View};

use super::command::Command;
use crate::model::{Case, NodeId};
use display::HOVER_OUTLINE;
use egui::{Pos2, Rect, Sense, Shape, Vec2};
use interaction::Gesture;
use sprites::{Atlas, Sprite};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The canvas's background in the dark and the light theme.
pub fn background(visuals: &egui::Visuals) -> egui::Color32 {
    let [r, g, b] = if visuals.dark_mode {
        display::CANVAS_DARK_RGB
    } else {
        display::CANVAS_LIGHT_RGB
    };
    egui::Color32::from_rgb(r, g, b)
}

/// What the bulk mesh was drawn for; a frame with the same key reuses it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct BulkKey {
    build: u64,
    positions: u64,
    selection: u64,
    transform: Transform,
    clip: Rect,
}

/// The bulk mesh of the last view and its label wishes.
struct BulkCache {
    key: BulkKey,
    bulk: paint::Bulk,
}

/// Canvas state that lives across frames.
#[derive(Default)]
pub struct Canvas {
    graph: CaseGraph,
    built_revision: Option<u64>,
    built_filter: crate::model::GraphFilter,
    build_generation: u64,
    /// Node positions (canvas units), by graph index.
    positions: Vec<Pos2>,
    positions_generation: u64,
    /// The graph build whose nodes are exactly the case's position keys, in order.
    positions_aligned: Option<u64>,
    /// Nodes on screen, by graph index (scratch for the bulk drawing).
    screen: Vec<paint::ScreenNode>,
    /// Buffers the bulk drawing reuses.
    scratch: paint::Scratch,
    /// Selected flag by graph index, and the selection it was made from.
    selected: Vec<bool>,
    /// The revision of the selection `selected` shows (`None`: none shown yet).
    shown_selection: Option<u64>,
    selection_generation: u64,
    grid: grid::Grid,
    grid_key: Option<(u64, u64)>,
    /// Zoom and pan; `None` until the first frame fits the graph.
    view: Option<View>,
    zoom_request: Option<Vec<NodeId>>,
    view_request: Option<(f32, [f32; 2])>,
    /// Nodes the view should take in too (after an expansion).
    include_request: Option<Vec<NodeId>>,
    /// Where the view is easing to, and the view the last easing step set (a user's pan or
    /// zoom in between cancels the easing).
    easing: Option<(View, View)>,
    gesture: Gesture,
    hovered: Option<usize>,
    /// The edge under the pointer (when no node is), by edge index.
    hovered_edge: Option<u32>,
    context_node: Option<NodeId>,
    /// Canvas position of the last right-click (for "Add note here").
    context_pos: [f32; 2],
    last_rect: Option<Rect>,
    annotations: annotations::AnnotationLayer,
    atlas: Option<Atlas>,
    bulk: Option<BulkCache>,
    /// The taint overlay shown under the graph (view only).
    taint_overlay: Option<std::sync::Arc<taint_overlay::TaintOverlay>>,
    /// Categories of the nodes on screen, for the legend (collected at rebuild).
    legend: Vec<crate::model::Category>,
    /// The boxes of the labels drawn in the last frame, screen points.
    label_rects: Vec<Rect>,
    /// Their texts, in the same order.
    label_texts: Vec<Arc<egui::Galley>>,
    /// Where the legend was drawn last frame (labels keep out of it).
    legend_rect: Option<Rect>,
}

impl Canvas {
    /// Asks the next frame to zoom to these nodes (all if empty).
    pub fn request_zoom_to(&mut self, nodes: Vec<NodeId>) {
        self.zoom_request = Some(nodes);
    }

    /// True when the view is not moving on its own: no zoom, restore or take-in asked for and
    /// no easing under way.
    pub fn is_still(&self) -> bool {
        self.easing.is_none()
            && self.include_request.is_none()
            && self.zoom_request.is_none()
            && self.view_request.is_none()
    }

    /// Asks the view to take in these nodes as well, easing there over a few frames; nothing
    /// happens if they are on screen already.
    pub fn request_include(&mut self, nodes: Vec<NodeId>) {
        self.include_request = Some(nodes);
    }

    /// Asks the next frame to restore a saved zoom and pan; a never-saved (default) view is
    /// fitted to the graph instead.
    pub fn request_view(&mut self, zoom: f32, pan: [f32; 2]) {
        if zoom == 1.0 && pan == [0.0, 0.0] {
            self.zoom_request = Some(Vec::new());
        } else {
            self.view_request = Some((zoom, pan));
        }
    }

    /// Shows (or, with `None`, hides) a taint overlay under the graph.
    pub fn set_taint_overlay(
        &mut self,
        overlay: Option<std::sync::Arc<taint_overlay::TaintOverlay>>,
    ) {
        self.taint_overlay = overlay;
    }

    /// True when a taint overlay is shown.
    pub fn shows_taint(&self) -> bool {
        self.taint_overlay.is_some()
    }

    /// Forces a rebuild on the next frame (new case).
    pub fn reset(&mut self) {
        *self = Canvas::default();
    }

    /// Screen rectangle of the canvas in the last frame.
    pub fn rect(&self) -> Option<Rect> {
        self.last_rect
    }

    /// What the canvas currently draws for `node` (tests and tooltips).
    pub fn visual(&self, node: &NodeId) -> Option<&NodeVisual> {
        self.graph.nodes.get(*self.graph.index_of.get(node)?)
    }

    /// Starts drawing an arrow from a note or node.
    pub fn start_arrow(&mut self, end: crate::model::ArrowEnd) {
        self.annotations.start_arrow(end);
    }

    /// Stops drawing an arrow, if one was pending.
    pub fn cancel_arrow(&mut self) {
        self.annotations.cancel_arrow();
    }

    /// The node being dragged, if any (the layout holds it still).
    pub fn dragged_node(&self) -> Option<&NodeId> {
        match &self.gesture {
            Gesture::Node(drag) => Some(&drag.node),
            _ => None,
        }
    }

    /// Dragged node's live position (the layout holds it there while dragging).
    pub fn dragged_position(&self) -> Option<(NodeId, [f32; 2])> {
        match &self.gesture {
            Gesture::Node(drag) => Some((drag.node.clone(), [drag.position.x, drag.position.y])),
            _ => None,
        }
    }

    /// The view's canvas ↔ screen transform in the last frame.
    pub fn transform(&self) -> Option<Transform> {
        Some(self.view?.transform(self.last_rect?))
    }

    /// The graph it draws (tests compare it with a direct build).
    pub fn graph(&self) -> &CaseGraph {
        &self.graph
    }

    /// How many graphs the canvas has taken since it was reset (tests check that an opened
    /// case is drawn from the graph its job prepared, not built again on the UI thread).
    pub fn graphs_taken(&self) -> u64 {
        self.build_generation
    }

    /// Rebuilds the drawable graph on the next frame (the prices changed).
    pub fn invalidate(&mut self) {
        self.built_revision = None;
    }

    /// The boxes of the labels drawn in the last frame (node, cluster and edge labels; not the
    /// hovered node's tooltip), screen points. None overlaps another.
    pub fn label_rects(&self) -> &[Rect] {
        &self.label_rects
    }

    /// The texts of the labels drawn in the last frame, in the order of [`Self::label_rects`].
    pub fn label_texts(&self) -> Vec<&str> {
        self.label_texts.iter().map(|g| g.text()).collect()
    }

    /// Categories the legend lists: those of the nodes the filter lets through.
    pub fn legend(&self) -> &[crate::model::Category] {
        &self.legend
    }

    /// What the filter takes away in the graph on screen: (transfers, nodes).
    pub fn filtered_counts(&self) -> (usize, usize) {
        (self.graph.filtered_transfers, self.graph.filtered_nodes)
    }

    /// Draws the canvas and returns the commands the user gave through it.
    #[allow(clippy::too_many_arguments)]
    pub fn canvas_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        structure_revision: u64,
        selection: &crate::app::selection::Selection,
        prices: &crate::prices::PriceBook,
        replay_until: Option<i64>,
        commands: &mut Vec<Command>,
    ) {
        self.rebuild_if_needed(case, structure_revision, prices, replay_until);
        self.sync_positions(case);
        self.sync_selection(selection);

        let rect = ui.available_rect_before_wrap();
        self.last_rect = Some(rect);
        let response = ui.allocate_rect(rect, Sense::click_and_drag());
        response.widget_info(|| {
            egui::WidgetInfo::labeled(egui::WidgetType::Other, true, "Graph canvas")
        });
        self.apply_view_requests(case, rect.size());
        if self.ease_view() {
            ui.ctx().request_repaint();
        }
        self.navigate(ui, &response);
        let drawing_arrow = self.annotations.drawing_arrow();
        let before = self.transform_in(rect);
        self.pointer_ui(
            ui,
            &response,
            &before,
            case,
            selection,
            drawing_arrow,
            commands,
        );
        self.sync_dragged();
        let t = self.transform_in(rect);

        let painter = ui.painter_at(rect);
        if let Some(overlay) = &self.taint_overlay {
            painter.add(taint_overlay::taint_shapes(case, &t, overlay));
        }
        painter.add(annotations::AnnotationLayer::highlight_shapes(case, &t));
        let (hull_outlines, hull_names) = hulls::hull_shapes(case, &t, rect);
        painter.add(hull_outlines);
        self.paint_graph_ui(ui, &painter, &t, rect, &hull_names);
        self.rect_overlay_ui(ui);

        self.hovered_edge = match (&self.gesture, self.hovered, response.hover_pos()) {
            (Gesture::Idle, None, Some(pos)) => self.scratch.pick_edge(pos),
            _ => None,
        };
        if let Some(flow) = self
            .hovered_edge
            .and_then(|e| self.graph.edges.get(e as usize))
            .and_then(|e| self.graph.flows.get(e.flow as usize))
        {
            response.clone().on_hover_ui_at_pointer(|ui| {
                edge_tooltip::flow_tooltip_ui(ui, case, &flow.0, prices);
            });
        }
        let hovered = self.hovered.map(|i| self.graph.nodes[i].id.clone());
        self.annotations
            .notes_ui(ui, case, &t, rect, hovered, response.clicked(), commands);
        self.context_menu_ui(&response, selection, commands);
        self.legend_rect = legend::legend_ui(ui.ctx(), rect, &self.legend);

        // The view is saved with the case: it goes back through the document like any change.
        if let Some(view) = self.view {
            let (zoom, pan) = (view.zoom, [view.pan.x, view.pan.y]);
            if zoom != case.view.zoom || pan != case.view.pan {
                commands.push(Command::SetView(crate::model::CaseView {
                    zoom,
                    pan,
                    filter: case.view.filter.clone(),
                }));
            }
        }
    }

    fn transform_in(&self, rect: Rect) -> Transform {
        self.view
            .unwrap_or(View {
                zoom: 1.0,
                pan: Vec2::ZERO,
            })
            .transform(rect)
    }

    fn apply_view_requests(&mut self, case: &Case, size: Vec2) {
        if let Some((zoom, pan)) = self.view_request.take() {
            if zoom.is_finite() && zoom > 0.0 && pan.iter().all(|v| v.is_finite()) {
                self.view = Some(View {
                    zoom: zoom.clamp(view::MIN_ZOOM, view::MAX_ZOOM),
                    pan: Vec2::new(pan[0], pan[1]),
                });
            } else {
                self.zoom_request = Some(Vec::new());
            }
        }
        if let Some(nodes) = self.zoom_request.take()
            && let Some(fitted) = fit(case, &nodes, size)
        {
            self.view = Some(fitted);
        }
        if self.view.is_none() {
            self.view = Some(fit(case, &[], size).unwrap_or(View {
                zoom: 1.0,
                pan: size / 2.0,
            }));
        }
        if let Some(nodes) = self.include_request.take()
            && let Some(current) = self.view
            && let Some(target) = View::including(current, &node_bounds(case, &nodes), size)
        {
            self.easing = Some((target, current));
        }
    }

    /// One easing step toward the target view; true while still easing.
    fn ease_view(&mut self) -> bool {
        let (Some((target, last)), Some(current)) = (self.easing, self.view) else {
            return false;
        };
        if current != last {
            // The user moved the view: theirs wins.
            self.easing = None;
            return false;
        }
        let next = current.eased_toward(target, 0.3);
        self.view = Some(next);
        if next == target {
            self.easing = None;
            false
        } else {
            self.easing = Some((target, next));
            true
        }
    }

    /// Draws edges and nodes (cached mesh), labels, and the hovered node on top.
    fn paint_graph_ui(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        t: &Transform,
        clip: Rect,
        hull_names: &[hulls::HullName],
    ) {
        let atlas = self.atlas.get_or_insert_with(|| Atlas::new(ui.ctx()));
        let key = BulkKey {
            build: self.build_generation,
            positions: self.positions_generation,
            selection: self.selection_generation,
            transform: *t,
            clip,
        };
        if self.bulk.as_ref().is_none_or(|c| c.key != key) {
            // Last frame's mesh has been painted: its buffers are free again.
            if let Some(old) = self.bulk.take()
                && let Ok(mesh) = Arc::try_unwrap(old.bulk.mesh)
            {
                self.scratch.mesh = mesh;
            }
            self.screen.clear();
            self.screen.extend(
                self.positions
                    .iter()
                    .zip(&self.graph.nodes)
                    .zip(&self.selected)
                    .map(|((p, node), &selected)| paint::ScreenNode {
                        pos: t.to_screen(*p),
                        radius: node.screen_radius(t.zoom),
                        selected,
                    }),
            );
            let scene = paint::Scene {
                nodes: &self.graph.nodes,
                edges: &self.graph.edges,
                screen: &self.screen,
                zoom: t.zoom,
                clip,
            };
            self.bulk = Some(BulkCache {
                key,
                bulk: paint::bulk(atlas, &scene, &mut self.scratch),
            });
        }
        let Some(cache) = &self.bulk else {
            return;
        };
        painter.add(Shape::Mesh(cache.bulk.mesh.clone()));
        let edge_labels: Vec<(Pos2, &str)> = cache
            .bulk
            .edge_labels
            .iter()
            .filter_map(|&(edge, mid)| {
                let flow = self.graph.edges.get(edge as usize)?.flow;
                Some((mid, self.graph.flow_label(flow as usize)?))
            })
            .collect();
        // Labels keep out of the legend and the notes (as drawn last frame).
        let avoid: Vec<Rect> = self
            .legend_rect
            .into_iter()
            .chain(self.annotations.note_boxes())
            .collect();
        let input = labels::LabelInput {
            bulk: &cache.bulk,
            nodes: &self.graph.nodes,
            positions: &self.positions,
            selected: &self.selected,
            hull_names,
            edge_labels: &edge_labels,
            avoid: &avoid,
        };
        let pass = labels::label_shapes(ui.ctx(), &input, t, clip);
        painter.extend(pass.shapes);
        self.label_rects = pass.rects;
        self.label_texts = pass.texts;
        if let Some(i) = self.hovered {
            let node = &self.graph.nodes[i];
            let centre = t.to_screen(self.positions[i]);
            let r = node.screen_radius(t.zoom);
            let selected = self.selected[i];
            let mut w = mesh::MeshWriter::new(atlas, 32);
            paint::node_marks(&mut w, node, centre, r, selected);
            if !selected {
                let (kind, outer) = if node.is_transaction {
                    (Sprite::SquareRing15, r + 1.5)
                } else {
                    (Sprite::Ring15, r + 0.75)
                };
                w.sprite(kind, centre, outer, HOVER_OUTLINE);
            }
            painter.add(Shape::Mesh(Arc::new(w.finish())));
            painter.extend(labels::hover_label_shapes(
                ui.ctx(),
                node,
                centre,
                r,
                t.zoom,
                selected,
            ));
        }
    }

    fn context_menu_ui(
        &mut self,
        response: &egui::Response,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        let context_node = self.context_node.clone();
        let context_pos = self.context_pos;
        response.context_menu(|ui| match &context_node {
            Some(node) => menus::node_menu_ui(ui, node, selection, commands),
            None => menus::background_menu_ui(ui, context_pos, selection, commands),
        });
    }
}

/// The view that shows `nodes` (all when empty) in a canvas of `size`; `None` if none of them
/// has a position.
/// The canvas-unit bounds of `nodes` (nothing if none has a position).
fn node_bounds(case: &Case, nodes: &[NodeId]) -> Rect {
    let mut bounds = Rect::NOTHING;
    for p in nodes.iter().filter_map(|id| case.layout.positions.get(id)) {
        if p[0].is_finite() && p[1].is_finite() {
            bounds.extend_with(Pos2::new(p[0], p[1]));
        }
    }
    bounds
}

fn fit(case: &Case, nodes: &[NodeId], size: Vec2) -> Option<View> {
    let mut bounds = Rect::NOTHING;
    let mut add = |p: &[f32; 2]| {
        if p[0].is_finite() && p[1].is_finite() {
            bounds.extend_with(Pos2::new(p[0], p[1]));
        }
    };
    if nodes.is_empty() {
        case.layout.positions.values().for_each(&mut add);
    } else {
        nodes
            .iter()
            .filter_map(|id| case.layout.positions.get(id))
            .for_each(&mut add);
    }
    if !bounds.is_finite() {
        return None;
    }
    let margin = ADDRESS_RADIUS * 6.0;
    let mut view = View::fit(bounds, margin, size);
    if nodes.is_empty() && !case.annotations.notes.is_empty() {
        // Notes are boxes of a fixed screen size at a canvas position: fit their corners, then
        // their far corners at the zoom that gives (twice, as fitting them zooms out a little).
        let notes: Vec<([f32; 2], Vec2)> = case
            .annotations
            .notes
            .values()
            .map(|n| {
                let p = n.canvas_position(&case.layout.positions);
                (p, annotations::note_box_estimate(&n.text))
            })
            .filter(|(p, _)| p[0].is_finite() && p[1].is_finite())
            .collect();
        for _ in 0..2 {
            let mut with_notes = bounds;
            for (p, box_px) in &notes {
                let corner = Pos2::new(p[0], p[1]);
                with_notes.extend_with(corner);
                with_notes.extend_with(corner + *box_px / view.zoom);
            }
            view = View::fit(with_notes, margin, size);
        }
    }
    Some(view)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::annotation::{Note, NoteId};

    #[test]
    fn fitting_everything_keeps_notes_on_screen() {
        let mut case = Case::new("fit", 0);
        let a = NodeId::parse("eth:0x47666fab8bd0ac7003bce3f5c3585383f09486e2").expect("id");
        let b = NodeId::parse("eth:0x1db92e2eebc8e0c075a02bea49a2935bcd2dfcf4").expect("id");
        case.layout.positions.insert(a.clone(), [0.0, 0.0]);
        case.layout.positions.insert(b, [100.0, 50.0]);
        let size = Vec2::new(800.0, 600.0);
        let without = fit(&case, &[], size).expect("fits");
        let text = "Drained 401,347 ETH\n21 Feb 2025 — a long second line of the note";
        case.annotations.notes.insert(
            NoteId(1),
            Note {
                id: NoteId(1),
                text: text.to_owned(),
                anchor: Some(a),
                position: [140.0, -60.0],
                author: String::new(),
                modified: 0,
            },
        );
        let view = fit(&case, &[], size).expect("fits");
        assert!(view.zoom < without.zoom, "the note widens the view");
        let screen = |p: [f32; 2]| Pos2::new(p[0], p[1]).to_vec2() * view.zoom + view.pan;
        let corner = screen([140.0, -60.0]);
        let far = corner + annotations::note_box_estimate(text);
        for p in [corner, far] {
            assert!(
                p.x >= 0.0 && p.y >= 0.0 && p.x <= size.x && p.y <= size.y,
                "{p:?} outside {size:?}"
            );
        }
    }
}
