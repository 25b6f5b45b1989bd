//! The graph canvas: egui_graphs' `GraphView` with our own node/edge display, plus what
//! investigators need on top of it: shift-click and rectangle selection, a context menu,
//! cluster hulls under the nodes, fit/zoom-to, and dragged nodes that stay pinned.
//!
//! The case stays the truth: the egui_graphs graph is rebuilt from it when its structure
//! changes, positions are copied in every frame, and every user change leaves as a
//! [`Command`].

mod annotations;
mod build;
mod display;
mod hulls;

pub use build::{CaseGraph, build_graph, node_visual};
pub use display::{ADDRESS_RADIUS, NodeVisual};

use super::command::Command;
use crate::model::action::Placement;
use crate::model::{Action, Case, NodeId};
use crate::sources::Direction;
use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use egui_graphs::{
    GraphChange, GraphView, Layout, LayoutState, MetadataFrame, SettingsInteraction,
    SettingsNavigation, SettingsStyle,
};
use petgraph::stable_graph::NodeIndex;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// egui_graphs layout plug-in that leaves positions alone: our own engine
/// ([`crate::layout`]) moves nodes, outside the frame's critical path.
#[derive(Debug, Default)]
struct ExternalLayout;

/// State of [`ExternalLayout`] (none).
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct ExternalLayoutState;

impl LayoutState for ExternalLayoutState {}

impl Layout<ExternalLayoutState> for ExternalLayout {
    fn from_state(_state: ExternalLayoutState) -> impl Layout<ExternalLayoutState> {
        ExternalLayout
    }

    fn next<N, E, Ty, Ix, Dn, De>(
        &mut self,
        _g: &mut egui_graphs::Graph<N, E, Ty, Ix, Dn, De>,
        _ui: &egui::Ui,
    ) where
        N: Clone,
        E: Clone,
        Ty: petgraph::EdgeType,
        Ix: petgraph::stable_graph::IndexType,
        Dn: egui_graphs::DisplayNode<N, E, Ty, Ix>,
        De: egui_graphs::DisplayEdge<N, E, Ty, Ix, Dn>,
    {
    }

    fn state(&self) -> ExternalLayoutState {
        ExternalLayoutState
    }
}

/// A node being dragged: where it started (for undo).
#[derive(Debug, Clone)]
struct Drag {
    node: NodeId,
    start: Option<[f32; 2]>,
    was_pinned: bool,
}

/// Canvas state that lives across frames.
#[derive(Default)]
pub struct Canvas {
    graph: CaseGraph,
    index_of: HashMap<NodeId, NodeIndex>,
    built_revision: Option<u64>,
    zoom_request: Option<Vec<NodeId>>,
    view_request: Option<(f32, [f32; 2])>,
    rect_select_origin: Option<Pos2>,
    context_node: Option<NodeId>,
    drag: Option<Drag>,
    last_rect: Option<Rect>,
    shown_selection: BTreeSet<NodeId>,
    frames_shown: u64,
    annotations: annotations::AnnotationLayer,
    /// Canvas position of the last right-click (for "Add note here").
    context_pos: [f32; 2],
}

impl Canvas {
    /// Asks the next frame to zoom to these nodes (all if empty).
    pub fn request_zoom_to(&mut self, nodes: Vec<NodeId>) {
        self.zoom_request = Some(nodes);
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
        let idx = self.index_of.get(node)?;
        self.graph.node(*idx).map(|n| n.payload())
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
        self.drag.as_ref().map(|d| &d.node)
    }

    /// Draws the canvas and returns the commands the user gave through it.
    pub fn canvas_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &mut Case,
        structure_revision: u64,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        if self.built_revision != Some(structure_revision) {
            let (graph, index_of) = build_graph(case);
            self.graph = graph;
            self.index_of = index_of;
            self.built_revision = Some(structure_revision);
            self.shown_selection.clear();
        }
        self.copy_positions(case);
        self.push_selection(selection);

        let shift = ui.input(|i| i.modifiers.shift);
        let rect = ui.available_rect_before_wrap();
        self.last_rect = Some(rect);
        // egui_graphs fits the graph on its own first frame; requests wait until after it.
        if self.frames_shown > 0 {
            self.apply_view_requests(ui, case, rect);
        } else if self.view_request.is_some() || self.zoom_request.is_some() {
            ui.ctx().request_repaint();
        }
        self.frames_shown += 1;

        // Hulls are reserved before the graph so they paint underneath it.
        let hull_slot = ui.painter().add(Shape::Noop);

        // While rectangle-selecting, nodes under the pointer must not be grabbed.
        let rect_selecting = shift || self.rect_select_origin.is_some();
        let interactions = SettingsInteraction::new()
            .with_dragging_enabled(!rect_selecting)
            .with_hover_enabled(true)
            .with_node_clicking_enabled(true)
            .with_node_selection_enabled(true)
            .with_node_selection_multi_enabled(shift);
        let navigation = SettingsNavigation::new()
            .with_fit_to_screen_enabled(false)
            .with_zoom_and_pan_enabled(!rect_selecting)
            .with_zoom_speed(0.08);
        let response = GraphView::<ExternalLayoutState, ExternalLayout>::new()
            .with_interactions(&interactions)
            .with_navigations(&navigation)
            .with_styles(&SettingsStyle::new())
            .show(ui, &mut self.graph);

        let meta = MetadataFrame::new(None).load(ui);
        let drawing_arrow = self.annotations.drawing_arrow();
        let hovered = self.graph.hovered_node().and_then(|idx| self.id_of(idx));
        if !drawing_arrow {
            self.handle_changes(&response.changes, case, selection, commands);
        }
        self.rectangle_select_ui(ui, &response.response, &meta, shift, selection, commands);
        self.annotations.notes_ui(
            ui,
            case,
            &meta,
            response.response.rect,
            hovered,
            response.response.clicked(),
            commands,
        );
        self.context_menu_ui(&response.response, &meta, selection, commands);
        ui.painter().set(
            hull_slot,
            Shape::Vec(vec![
                annotations::AnnotationLayer::highlight_shapes(case, &meta, response.response.rect),
                hulls::hull_shapes(ui, case, &meta, response.response.rect),
            ]),
        );

        case.view.zoom = meta.zoom;
        case.view.pan = [meta.pan.x, meta.pan.y];
    }

    fn copy_positions(&mut self, case: &Case) {
        let dragged = self.drag.as_ref().map(|d| d.node.clone());
        for (id, idx) in &self.index_of {
            if Some(id) == dragged.as_ref() {
                continue;
            }
            if let (Some(pos), Some(node)) =
                (case.layout.positions.get(id), self.graph.node_mut(*idx))
            {
                let p = Pos2::new(pos[0], pos[1]);
                if node.location() != p {
                    node.set_location(p);
                }
            }
        }
    }

    fn push_selection(&mut self, selection: &BTreeSet<NodeId>) {
        if &self.shown_selection == selection {
            return;
        }
        for (id, idx) in &self.index_of {
            if let Some(node) = self.graph.node_mut(*idx) {
                node.set_selected(selection.contains(id));
            }
        }
        let selected: Vec<NodeIndex> = selection
            .iter()
            .filter_map(|id| self.index_of.get(id).copied())
            .collect();
        self.graph.set_selected_nodes(selected);
        self.shown_selection = selection.clone();
    }

    fn apply_view_requests(&mut self, ui: &mut egui::Ui, case: &Case, rect: Rect) {
        if let Some((zoom, pan)) = self.view_request.take() {
            let mut meta = MetadataFrame::new(None).load(ui);
            meta.zoom = zoom;
            meta.pan = Vec2::new(pan[0], pan[1]);
            meta.save(ui);
        }
        let Some(nodes) = self.zoom_request.take() else {
            return;
        };
        let points: Vec<[f32; 2]> = if nodes.is_empty() {
            case.layout.positions.values().copied().collect()
        } else {
            nodes
                .iter()
                .filter_map(|id| case.layout.positions.get(id).copied())
                .collect()
        };
        if points.is_empty() {
            return;
        }
        let (mut min, mut max) = (Pos2::new(f32::MAX, f32::MAX), Pos2::new(f32::MIN, f32::MIN));
        for p in &points {
            min = min.min(Pos2::new(p[0], p[1]));
            max = max.max(Pos2::new(p[0], p[1]));
        }
        let margin = ADDRESS_RADIUS * 6.0;
        let bounds = Rect::from_min_max(min, max).expand(margin);
        let zoom = (rect.width() / bounds.width())
            .min(rect.height() / bounds.height())
            .clamp(0.02, 4.0);
        let mut meta = MetadataFrame::new(None).load(ui);
        meta.zoom = zoom;
        meta.pan = rect.size() / 2.0 - bounds.center().to_vec2() * zoom;
        meta.save(ui);
    }

    fn id_of(&self, idx: NodeIndex) -> Option<NodeId> {
        self.graph.node(idx).map(|n| n.payload().id.clone())
    }

    fn handle_changes(
        &mut self,
        changes: &[GraphChange],
        case: &Case,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        let mut selection_touched = false;
        for change in changes {
            match change {
                GraphChange::NodeDoubleClicked { node } => {
                    if let Some(id) = self.id_of(*node) {
                        commands.push(Command::Expand {
                            node: id,
                            direction: Direction::Both,
                        });
                    }
                }
                GraphChange::NodeDragStarted { node } => {
                    if let Some(id) = self.id_of(*node) {
                        self.drag = Some(Drag {
                            start: case.layout.positions.get(&id).copied(),
                            was_pinned: case.layout.pinned.contains(&id),
                            node: id,
                        });
                    }
                }
                GraphChange::NodeDragEnded { node } => {
                    if let (Some(drag), Some(n)) = (self.drag.take(), self.graph.node(*node)) {
                        let end = n.location();
                        let moved = drag.start != Some([end.x, end.y]);
                        if moved || !drag.was_pinned {
                            commands.push(Command::Apply(Action::Place {
                                label: format!(
                                    "move {}",
                                    crate::model::address::short_form(drag.node.value())
                                ),
                                placements: vec![Placement {
                                    node: drag.node,
                                    position: Some([end.x, end.y]),
                                    pinned: true,
                                }],
                            }));
                        }
                    }
                }
                GraphChange::NodeSelected { .. } | GraphChange::NodeDeselected { .. } => {
                    selection_touched = true;
                }
                _ => {}
            }
        }
        if selection_touched {
            let now: BTreeSet<NodeId> = self
                .graph
                .nodes_iter()
                .filter(|(_, n)| n.selected())
                .map(|(_, n)| n.payload().id.clone())
                .collect();
            if &now != selection {
                self.shown_selection = now.clone();
                commands.push(Command::Select(now.into_iter().collect()));
            }
        }
    }

    /// Dragged node's live position (the layout holds it there while dragging).
    pub fn dragged_position(&self) -> Option<(NodeId, [f32; 2])> {
        let drag = self.drag.as_ref()?;
        let idx = self.index_of.get(&drag.node)?;
        let pos = self.graph.node(*idx)?.location();
        Some((drag.node.clone(), [pos.x, pos.y]))
    }

    fn rectangle_select_ui(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        meta: &MetadataFrame,
        shift: bool,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        if response.drag_started_by(egui::PointerButton::Primary) && shift && self.drag.is_none() {
            self.rect_select_origin = ui.input(|i| i.pointer.press_origin());
        }
        let Some(origin) = self.rect_select_origin else {
            return;
        };
        let Some(current) = ui.input(|i| i.pointer.latest_pos()) else {
            return;
        };
        let screen_rect = Rect::from_two_pos(origin, current);
        ui.painter().rect(
            screen_rect,
            0.0,
            Color32::from_rgba_unmultiplied(255, 215, 0, 25),
            Stroke::new(1.0, Color32::from_rgb(255, 215, 0)),
            StrokeKind::Inside,
        );
        if response.drag_stopped() || !ui.input(|i| i.pointer.primary_down()) {
            self.rect_select_origin = None;
            let local_offset = response.rect.left_top().to_vec2();
            let mut chosen: BTreeSet<NodeId> = selection.clone();
            for (_, node) in self.graph.nodes_iter() {
                let screen = meta.canvas_to_screen_pos(node.location()) + local_offset;
                if screen_rect.contains(screen) {
                    chosen.insert(node.payload().id.clone());
                }
            }
            commands.push(Command::Select(chosen.into_iter().collect()));
        }
    }

    fn context_menu_ui(
        &mut self,
        response: &egui::Response,
        meta: &MetadataFrame,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        if response.secondary_clicked() {
            self.context_node = self.graph.hovered_node().and_then(|idx| self.id_of(idx));
            if let Some(pos) = response.interact_pointer_pos() {
                let p = meta.screen_to_canvas_pos(pos - response.rect.left_top().to_vec2());
                self.context_pos = [p.x, p.y];
            }
        }
        let context_node = self.context_node.clone();
        let context_pos = self.context_pos;
        response.context_menu(|ui| match &context_node {
            Some(node) => node_menu_ui(ui, node, selection, commands),
            None => background_menu_ui(ui, context_pos, selection, commands),
        });
    }
}

fn node_menu_ui(
    ui: &mut egui::Ui,
    node: &NodeId,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    ui.label(egui::RichText::new(crate::model::address::short_form(node.value())).strong());
    ui.separator();
    for (label, direction) in [
        ("Expand incoming", Direction::In),
        ("Expand outgoing", Direction::Out),
        ("Expand both", Direction::Both),
    ] {
        if ui.button(label).clicked() {
            commands.push(Command::Expand {
                node: node.clone(),
                direction,
            });
            ui.close();
        }
    }
    if ui.button("Expand with options…").clicked() {
        commands.push(Command::ShowExpandDialog(node.clone()));
        ui.close();
    }
    if ui
        .button("Load more")
        .on_hover_text("The next counterparties after those shown (both directions)")
        .clicked()
    {
        commands.push(Command::LoadMore {
            node: node.clone(),
            direction: Direction::Both,
        });
        ui.close();
    }
    ui.separator();
    let targets: Vec<NodeId> = if selection.contains(node) {
        selection.iter().cloned().collect()
    } else {
        vec![node.clone()]
    };
    if ui.button("Tag as cluster…").clicked() {
        commands.push(Command::Select(targets.clone()));
        commands.push(Command::ShowClusterDialog(None));
        ui.close();
    }
    if ui.button("Pin").clicked() {
        commands.push(Command::SetPinned {
            nodes: targets.clone(),
            pinned: true,
        });
        ui.close();
    }
    if ui.button("Unpin").clicked() {
        commands.push(Command::SetPinned {
            nodes: targets.clone(),
            pinned: false,
        });
        ui.close();
    }
    if ui.button("Copy address").clicked() {
        commands.push(Command::Copy(node.value().to_owned()));
        ui.close();
    }
    ui.separator();
    annotate_menu_ui(ui, node, selection, commands);
    ui.separator();
    if ui.button("Remove from case").clicked() {
        commands.push(Command::Select(targets));
        commands.push(Command::RemoveSelected);
        ui.close();
    }
}

/// Note, arrow and highlight entries of a node's context menu.
fn annotate_menu_ui(
    ui: &mut egui::Ui,
    node: &NodeId,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    if ui.button("Add note…").clicked() {
        commands.push(Command::NewNote {
            anchor: Some(node.clone()),
            position: [24.0, -48.0],
        });
        ui.close();
    }
    if ui.button("Draw arrow from here").clicked() {
        commands.push(Command::StartArrow(crate::model::ArrowEnd::Node(
            node.clone(),
        )));
        ui.close();
    }
    ui.menu_button("Highlight", |ui| {
        for color in crate::model::Highlight::ALL {
            if ui.button(color.name()).clicked() {
                commands.push(Command::Apply(Action::SetHighlight {
                    target: crate::model::action::HighlightTarget::Node(node.clone()),
                    color: Some(color),
                }));
                ui.close();
            }
        }
        if ui.button("clear").clicked() {
            commands.push(Command::Apply(Action::SetHighlight {
                target: crate::model::action::HighlightTarget::Node(node.clone()),
                color: None,
            }));
            ui.close();
        }
    });
    let others = selection.iter().any(|s| s != node);
    ui.add_enabled_ui(others, |ui| {
        ui.menu_button("Highlight edges to selection", |ui| {
            for color in crate::model::Highlight::ALL {
                if ui.button(color.name()).clicked() {
                    commands.push(Command::HighlightEdges {
                        node: node.clone(),
                        color: Some(color),
                    });
                    ui.close();
                }
            }
            if ui.button("clear").clicked() {
                commands.push(Command::HighlightEdges {
                    node: node.clone(),
                    color: None,
                });
                ui.close();
            }
        })
        .response
        .on_disabled_hover_text("Select the other ends first (shift-click)");
    });
}

fn background_menu_ui(
    ui: &mut egui::Ui,
    context_pos: [f32; 2],
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    if ui.button("Add note here…").clicked() {
        commands.push(Command::NewNote {
            anchor: None,
            position: context_pos,
        });
        ui.close();
    }
    if ui.button("Fit to view").clicked() {
        commands.push(Command::ZoomTo(Vec::new()));
        ui.close();
    }
    if ui.button("Select all").clicked() {
        commands.push(Command::SelectAll);
        ui.close();
    }
    if !selection.is_empty() && ui.button("Tag selection as cluster…").clicked() {
        commands.push(Command::ShowClusterDialog(None));
        ui.close();
    }
    if ui.button("Load addresses…").clicked() {
        commands.push(Command::ShowAddAddresses);
        ui.close();
    }
    if ui.button("Re-run layout").clicked() {
        commands.push(Command::Relayout);
        ui.close();
    }
}
