//! Pointer input on the canvas: wheel and pinch zoom around the pointer, background drag to
//! pan, node drag (the node ends pinned, one undoable move), click and shift-click selection,
//! shift-drag rectangle selection, double-click to expand, and which node is hovered.
//!
//! Picking asks the spatial grid for the few nodes near the pointer (or inside the rectangle)
//! instead of scanning every node; the grid is rebuilt only after positions change.

use super::super::command::Command;
use super::Canvas;
use super::display::{ADDRESS_RADIUS, MIN_SCREEN_RADIUS};
use super::grid::Grid;
use super::view::Transform;
use crate::model::action::Placement;
use crate::model::{Action, Case, NodeId};
use crate::sources::Direction;
use egui::{Color32, CursorIcon, PointerButton, Pos2, Rect, Response, Stroke, StrokeKind, Vec2};
use std::collections::BTreeSet;

/// Extra reach of a node for the pointer, screen points (small nodes stay easy to hit).
const PICK_SLACK_PX: f32 = 2.0;
/// Zoom factor per point of wheel scrolling (a wheel notch is about 50 points: ~10 %).
const WHEEL_ZOOM_PER_POINT: f32 = 0.002;
/// Fill and outline of the selection rectangle.
const RECT_FILL: Color32 = Color32::from_rgba_premultiplied(25, 21, 0, 25);
const RECT_STROKE: Color32 = Color32::from_rgb(255, 215, 0);

/// A node being dragged.
#[derive(Debug, Clone)]
pub(super) struct Drag {
    /// The node.
    pub node: NodeId,
    /// Its index in the canvas graph.
    pub index: usize,
    /// Where it started (for the undo of the move).
    pub start: Option<[f32; 2]>,
    /// Whether it was pinned before.
    pub was_pinned: bool,
    /// Node position minus the pointer's, canvas units (the node does not jump to the pointer).
    pub grab: Vec2,
    /// Where it is now, canvas units.
    pub position: Pos2,
}

/// What a primary-button drag on the canvas is doing.
#[derive(Debug, Clone, Default)]
pub(super) enum Gesture {
    /// Nothing.
    #[default]
    Idle,
    /// Moving the view.
    Pan,
    /// Moving a node.
    Node(Drag),
    /// Selecting a rectangle from this screen point.
    Rect(Pos2),
}

impl Canvas {
    /// The spatial grid for the current positions (rebuilt if they changed).
    fn grid(&mut self) -> &Grid {
        let key = (self.build_generation, self.positions_generation);
        if self.grid_key != Some(key) {
            self.grid = Grid::build(&self.positions);
            self.grid_key = Some(key);
        }
        &self.grid
    }

    /// The node drawn under screen point `pos`, nearest first.
    pub(super) fn pick(&mut self, pos: Pos2, t: &Transform) -> Option<usize> {
        let zoom = t.zoom;
        let reach = ((ADDRESS_RADIUS * zoom).max(MIN_SCREEN_RADIUS) + PICK_SLACK_PX) / zoom;
        let at = t.to_canvas(pos);
        let area = Rect::from_center_size(at, Vec2::splat(2.0 * reach));
        let mut best: Option<(usize, f32)> = None;
        let mut candidates = Vec::new();
        self.grid().for_each_near(area, |i| candidates.push(i));
        for i in candidates {
            if self.graph.nodes[i].shown == super::display::Shown::Hidden {
                continue;
            }
            let distance = (self.positions[i] - at).length() * zoom;
            let radius = self.graph.nodes[i].screen_radius(zoom) + PICK_SLACK_PX;
            if distance <= radius && best.is_none_or(|(_, d)| distance < d) {
                best = Some((i, distance));
            }
        }
        best.map(|(i, _)| i)
    }

    /// Wheel or pinch zooms around the pointer; sideways scrolling pans.
    pub(super) fn navigate(&mut self, ui: &egui::Ui, response: &Response) {
        let Some(pointer) = response.hover_pos() else {
            return;
        };
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta, i.zoom_delta()));
        let factor = pinch * (scroll.y * WHEEL_ZOOM_PER_POINT).exp();
        if let Some(view) = &mut self.view {
            if factor != 1.0 {
                view.zoom_around(factor, pointer - response.rect.min);
            }
            view.pan.x += scroll.x;
        }
    }

    /// Drags, clicks and hover. `t` is this frame's transform (before any pan it causes).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn pointer_ui(
        &mut self,
        ui: &egui::Ui,
        response: &Response,
        t: &Transform,
        case: &Case,
        selection: &BTreeSet<NodeId>,
        drawing_arrow: bool,
        commands: &mut Vec<Command>,
    ) {
        let shift = ui.input(|i| i.modifiers.shift);
        self.start_gesture(ui, response, t, case, shift, drawing_arrow);
        self.continue_gesture(ui, response, t, selection, commands);
        self.hovered = match &self.gesture {
            Gesture::Node(drag) => Some(drag.index),
            Gesture::Pan | Gesture::Rect(_) => None,
            Gesture::Idle => response.hover_pos().and_then(|p| self.pick(p, t)),
        };
        match &self.gesture {
            Gesture::Node(_) | Gesture::Pan => ui.ctx().set_cursor_icon(CursorIcon::Grabbing),
            _ if self.hovered.is_some() => ui.ctx().set_cursor_icon(CursorIcon::PointingHand),
            _ => {}
        }
        if !drawing_arrow {
            self.clicks(ui, response, t, selection, shift, commands);
        }
        if response.secondary_clicked()
            && let Some(pos) = response.interact_pointer_pos()
        {
            self.context_node = self.pick(pos, t).map(|i| self.graph.nodes[i].id.clone());
            let p = t.to_canvas(pos);
            self.context_pos = [p.x, p.y];
        }
    }

    fn start_gesture(
        &mut self,
        ui: &egui::Ui,
        response: &Response,
        t: &Transform,
        case: &Case,
        shift: bool,
        drawing_arrow: bool,
    ) {
        if response.drag_started_by(PointerButton::Middle) {
            self.gesture = Gesture::Pan;
            return;
        }
        if !response.drag_started_by(PointerButton::Primary) {
            return;
        }
        let Some(origin) = ui
            .input(|i| i.pointer.press_origin())
            .or_else(|| response.interact_pointer_pos())
        else {
            return;
        };
        if shift {
            self.gesture = Gesture::Rect(origin);
            return;
        }
        let grabbed = if drawing_arrow {
            None
        } else {
            self.pick(origin, t)
        };
        self.gesture = match grabbed {
            Some(index) => {
                let node = self.graph.nodes[index].id.clone();
                let position = self.positions[index];
                Gesture::Node(Drag {
                    start: case.layout.positions.get(&node).copied(),
                    was_pinned: case.layout.pinned.contains(&node),
                    grab: position - t.to_canvas(origin),
                    node,
                    index,
                    position,
                })
            }
            None => Gesture::Pan,
        };
    }

    fn continue_gesture(
        &mut self,
        ui: &egui::Ui,
        response: &Response,
        t: &Transform,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        let released = response.drag_stopped() || !ui.input(|i| i.pointer.any_down());
        let pointer = ui.input(|i| i.pointer.latest_pos());
        match &mut self.gesture {
            Gesture::Idle => {}
            Gesture::Pan => {
                if let Some(view) = &mut self.view {
                    view.pan += response.drag_delta();
                }
                if released {
                    self.gesture = Gesture::Idle;
                }
            }
            Gesture::Node(drag) => {
                if let Some(p) = pointer {
                    drag.position = t.to_canvas(p) + drag.grab;
                }
                if released {
                    let Gesture::Node(drag) = std::mem::take(&mut self.gesture) else {
                        return;
                    };
                    finish_drag(drag, commands);
                }
            }
            Gesture::Rect(origin) => {
                let origin = *origin;
                if released {
                    self.gesture = Gesture::Idle;
                    if let Some(p) = pointer {
                        self.select_rect(Rect::from_two_pos(origin, p), t, selection, commands);
                    }
                }
            }
        }
    }

    /// Adds the nodes whose centre is inside `screen_rect` to the selection.
    fn select_rect(
        &mut self,
        screen_rect: Rect,
        t: &Transform,
        selection: &BTreeSet<NodeId>,
        commands: &mut Vec<Command>,
    ) {
        let area = t.rect_to_canvas(screen_rect);
        let mut inside = Vec::new();
        self.grid().for_each_near(area, |i| inside.push(i));
        let mut chosen = selection.clone();
        for i in inside {
            if area.contains(self.positions[i]) {
                chosen.insert(self.graph.nodes[i].id.clone());
            }
        }
        commands.push(Command::Select(chosen.into_iter().collect()));
    }

    fn clicks(
        &mut self,
        ui: &egui::Ui,
        response: &Response,
        t: &Transform,
        selection: &BTreeSet<NodeId>,
        shift: bool,
        commands: &mut Vec<Command>,
    ) {
        let Some(pos) = response.interact_pointer_pos() else {
            return;
        };
        if response.double_clicked() {
            if let Some(i) = self.pick(pos, t) {
                commands.push(Command::Expand {
                    node: self.graph.nodes[i].id.clone(),
                    direction: Direction::Both,
                });
            }
            return;
        }
        if !response.clicked() {
            return;
        }
        let clicked = self.pick(pos, t).map(|i| self.graph.nodes[i].id.clone());
        let now: BTreeSet<NodeId> = match (clicked, shift) {
            (Some(node), true) => {
                let mut now = selection.clone();
                if !now.remove(&node) {
                    now.insert(node);
                }
                now
            }
            (Some(node), false) => BTreeSet::from([node]),
            (None, true) => return,
            (None, false) => BTreeSet::new(),
        };
        if &now != selection {
            commands.push(Command::Select(now.into_iter().collect()));
        }
        ui.ctx().request_repaint();
    }

    /// The selection rectangle being drawn, over the graph.
    pub(super) fn rect_overlay_ui(&self, ui: &egui::Ui) {
        let Gesture::Rect(origin) = self.gesture else {
            return;
        };
        let Some(current) = ui.input(|i| i.pointer.latest_pos()) else {
            return;
        };
        ui.painter().rect(
            Rect::from_two_pos(origin, current),
            0.0,
            RECT_FILL,
            Stroke::new(1.0, RECT_STROKE),
            StrokeKind::Inside,
        );
    }
}

/// The undoable move that ends a node drag: the node stays where it was dropped, pinned.
fn finish_drag(drag: Drag, commands: &mut Vec<Command>) {
    let end = [drag.position.x, drag.position.y];
    let moved = drag.start != Some(end);
    if moved || !drag.was_pinned {
        commands.push(Command::Apply(Action::Place {
            label: format!(
                "move {}",
                crate::model::address::short_form(&drag.node.display_value())
            ),
            placements: vec![Placement {
                node: drag.node,
                position: Some(end),
                pinned: true,
            }],
        }));
    }
}
