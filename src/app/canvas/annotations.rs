//! The annotation layer of the canvas: highlights under the graph, notes and arrows over it.
//!
//! Notes are text boxes at their canvas position (an anchored note follows its node, with a
//! thin leader line); they can be dragged (one undoable move when released), double-clicked to
//! edit, and right-clicked for Edit / Draw arrow / Delete. Arrows join notes and nodes. An
//! arrow is drawn by choosing "Draw arrow from here" on a note or node and then clicking the
//! other end (Escape cancels). Colours and sizes here are the canvas look; the exported picture
//! draws the same annotations from the same case.

use super::super::command::Command;
use super::view::Transform;
use crate::model::{Action, ArrowEnd, Case, Highlight, Note, NoteId};
use egui::{Align2, Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use std::collections::BTreeMap;

/// Width at which note text wraps, screen pixels.
const NOTE_WRAP_PX: f32 = 220.0;
/// Padding inside a note box, screen pixels.
const NOTE_PAD_PX: f32 = 6.0;
/// Note text size.
const NOTE_FONT_PX: f32 = 13.0;
/// Note background and border.
const NOTE_FILL: Color32 = Color32::from_rgb(255, 249, 196);
const NOTE_TEXT: Color32 = Color32::from_rgb(33, 33, 33);
const NOTE_BORDER: Color32 = Color32::from_rgb(251, 192, 45);

/// A generous estimate of a note box's size on screen, points, without laying the text out
/// (for fitting the view before the first frame draws the note).
pub(super) fn note_box_estimate(text: &str) -> Vec2 {
    let glyph_px = NOTE_FONT_PX * 0.62;
    let wrap_chars = (NOTE_WRAP_PX / glyph_px).max(1.0) as usize;
    let (mut widest, mut lines) = (0usize, 0usize);
    for line in text.lines() {
        let chars = line.chars().count();
        widest = widest.max(chars.min(wrap_chars));
        lines += chars.div_ceil(wrap_chars).max(1);
    }
    Vec2::new(
        widest as f32 * glyph_px + 2.0 * NOTE_PAD_PX,
        lines.max(1) as f32 * NOTE_FONT_PX * 1.3 + 2.0 * NOTE_PAD_PX,
    )
}
/// Arrow colour and width: teal and dashed, with an open head and a dot at the tail, so an
/// annotation never reads as a transfer (grey-blue, solid, filled head).
const ARROW_COLOR: Color32 = Color32::from_rgb(38, 198, 218);
const ARROW_WIDTH_PX: f32 = 2.0;
/// Dash and gap of an arrow's line, screen pixels.
const ARROW_DASH_PX: (f32, f32) = (8.0, 5.0);
/// Extra radius of a node highlight halo, screen pixels.
const HALO_PX: f32 = 9.0;

/// Annotation state that lives across frames.
#[derive(Debug, Default)]
pub struct AnnotationLayer {
    /// Note being dragged and how far, in screen pixels.
    drag: Option<(NoteId, Vec2)>,
    /// Tail of an arrow being drawn.
    arrow_from: Option<ArrowEnd>,
    /// Note boxes of the last frame (screen), for hit tests.
    boxes: BTreeMap<NoteId, Rect>,
}

/// Screen position of a canvas point.
fn to_screen(view: &Transform, p: [f32; 2]) -> Pos2 {
    view.to_screen_xy(p)
}

fn color(h: Highlight) -> Color32 {
    let [r, g, b] = h.rgb();
    Color32::from_rgb(r, g, b)
}

impl AnnotationLayer {
    /// Starts drawing an arrow from `end`.
    pub fn start_arrow(&mut self, end: ArrowEnd) {
        self.arrow_from = Some(end);
    }

    /// Forgets a pending arrow.
    pub fn cancel_arrow(&mut self) {
        self.arrow_from = None;
    }

    /// The notes' boxes as drawn last frame, screen points (labels keep out of them).
    pub fn note_boxes(&self) -> impl Iterator<Item = Rect> + '_ {
        self.boxes.values().copied()
    }

    /// True while an arrow waits for its head.
    pub fn drawing_arrow(&self) -> bool {
        self.arrow_from.is_some()
    }

    /// Highlights (halos and edge bands), painted under the graph.
    pub fn highlight_shapes(case: &Case, view: &Transform) -> Shape {
        let mut shapes = Vec::new();
        let a = &case.annotations;
        for (edge, h) in &a.edge_highlights {
            let (Some(from), Some(to)) = (
                case.layout.positions.get(&edge.from),
                case.layout.positions.get(&edge.to),
            ) else {
                continue;
            };
            let c = color(*h);
            shapes.push(Shape::line_segment(
                [to_screen(view, *from), to_screen(view, *to)],
                Stroke::new(10.0, c.gamma_multiply(0.55)),
            ));
        }
        let node_radius = view
            .size_to_screen(super::ADDRESS_RADIUS)
            .max(super::display::MIN_SCREEN_RADIUS);
        for (node, h) in &a.node_highlights {
            let Some(p) = case.layout.positions.get(node) else {
                continue;
            };
            let c = color(*h);
            let center = to_screen(view, *p);
            shapes.push(Shape::circle_filled(
                center,
                node_radius + HALO_PX,
                c.gamma_multiply(0.45),
            ));
            shapes.push(Shape::circle_stroke(
                center,
                node_radius + HALO_PX,
                Stroke::new(2.0, c),
            ));
        }
        Shape::Vec(shapes)
    }

    /// Where a note's box is this frame (screen), with its laid-out text.
    fn layout_note(
        &self,
        ui: &egui::Ui,
        note: &Note,
        case: &Case,
        view: &Transform,
        canvas_rect: Rect,
    ) -> (Rect, std::sync::Arc<egui::Galley>) {
        let mut top_left = to_screen(view, note.canvas_position(&case.layout.positions));
        if let Some((id, delta)) = self.drag
            && id == note.id
        {
            top_left += delta;
        }
        let galley = ui.ctx().fonts_mut(|f| {
            f.layout(
                note.text.clone(),
                FontId::proportional(NOTE_FONT_PX),
                NOTE_TEXT,
                NOTE_WRAP_PX,
            )
        });
        let rect = Rect::from_min_size(top_left, galley.size() + Vec2::splat(2.0 * NOTE_PAD_PX));
        (
            keep_inside(rect, canvas_rect.shrink(NOTE_MARGIN_PX)),
            galley,
        )
    }

    /// Draws notes and arrows over the graph and handles their interaction.
    #[allow(clippy::too_many_arguments)]
    pub fn notes_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        view: &Transform,
        canvas_rect: Rect,
        hovered_node: Option<crate::model::NodeId>,
        canvas_clicked: bool,
        commands: &mut Vec<Command>,
    ) {
        let painter = ui.painter_at(canvas_rect);
        let mut boxes = BTreeMap::new();
        let mut laid_out = Vec::new();
        for note in case.annotations.notes.values() {
            let (rect, galley) = self.layout_note(ui, note, case, view, canvas_rect);
            boxes.insert(note.id, rect);
            laid_out.push((note, rect, galley));
        }
        self.boxes = boxes;
        let end_point = |end: &ArrowEnd| -> Option<(Pos2, Option<Rect>)> {
            match end {
                ArrowEnd::Node(node) => case
                    .layout
                    .positions
                    .get(node)
                    .map(|p| (to_screen(view, *p), None)),
                ArrowEnd::Note(id) => self.boxes.get(id).map(|r| (r.center(), Some(*r))),
            }
        };
        let node_radius = view
            .size_to_screen(super::ADDRESS_RADIUS)
            .max(super::display::MIN_SCREEN_RADIUS);
        for arrow in case.annotations.arrows.values() {
            if let (Some(from), Some(to)) = (end_point(&arrow.from), end_point(&arrow.to)) {
                draw_arrow(&painter, from, to, node_radius);
                // An applied bridge hop says what it is, at its middle.
                if arrow.hop.is_some() {
                    painter.text(
                        from.0 + (to.0 - from.0) * 0.5,
                        egui::Align2::CENTER_BOTTOM,
                        "bridge hop",
                        egui::FontId::proportional(12.0),
                        ARROW_COLOR,
                    );
                }
            }
        }
        // Leader lines from anchored notes to their nodes.
        for (note, rect, _) in &laid_out {
            if let Some(p) = note
                .anchor
                .as_ref()
                .and_then(|a| case.layout.positions.get(a))
            {
                let node = to_screen(view, *p);
                let corner = nearest_point(*rect, node);
                painter.line_segment(
                    [corner, node],
                    Stroke::new(1.0, NOTE_BORDER.gamma_multiply(0.8)),
                );
            }
        }
        for (note, rect, galley) in laid_out {
            painter.rect(
                rect,
                CornerRadius::same(4),
                NOTE_FILL,
                Stroke::new(1.0, NOTE_BORDER),
                StrokeKind::Inside,
            );
            painter.galley(rect.min + Vec2::splat(NOTE_PAD_PX), galley, NOTE_TEXT);
            self.note_interaction_ui(ui, note, rect, view, commands);
        }
        self.pending_arrow_ui(
            ui,
            &painter,
            case,
            view,
            hovered_node,
            canvas_clicked,
            commands,
        );
    }

    fn note_interaction_ui(
        &mut self,
        ui: &mut egui::Ui,
        note: &Note,
        rect: Rect,
        view: &Transform,
        commands: &mut Vec<Command>,
    ) {
        let response = ui
            .interact(
                rect,
                egui::Id::new(("note", note.id.0)),
                egui::Sense::click_and_drag(),
            )
            .on_hover_text("Drag to move · double-click to edit · right-click for more");
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::WidgetType::Label,
                true,
                format!("Note: {}", note.text),
            )
        });
        if response.clicked() && self.arrow_from.is_some() {
            self.finish_arrow_to(ArrowEnd::Note(note.id), commands);
            return;
        }
        if response.drag_started() {
            self.drag = Some((note.id, Vec2::ZERO));
        }
        if response.dragged()
            && let Some((id, delta)) = &mut self.drag
            && *id == note.id
        {
            *delta += response.drag_delta();
        }
        if response.drag_stopped()
            && let Some((id, delta)) = self.drag.take()
            && id == note.id
            && delta != Vec2::ZERO
        {
            let moved = delta / view.zoom.max(1e-6);
            let mut changed = note.clone();
            changed.position = [note.position[0] + moved.x, note.position[1] + moved.y];
            commands.push(Command::Apply(Action::SetNote {
                id: note.id,
                note: Some(changed),
            }));
        }
        if response.double_clicked() {
            commands.push(Command::EditNote(note.id));
        }
        response.context_menu(|ui| {
            if ui.button("Edit note…").clicked() {
                commands.push(Command::EditNote(note.id));
                ui.close();
            }
            if ui.button("Draw arrow from here").clicked() {
                self.arrow_from = Some(ArrowEnd::Note(note.id));
                ui.close();
            }
            if ui.button("Delete note").clicked() {
                commands.push(Command::DeleteNote(note.id));
                ui.close();
            }
        });
    }

    fn finish_arrow_to(&mut self, to: ArrowEnd, commands: &mut Vec<Command>) {
        if let Some(from) = self.arrow_from.take()
            && from != to
        {
            commands.push(Command::DrawArrow { from, to });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn pending_arrow_ui(
        &mut self,
        ui: &egui::Ui,
        painter: &egui::Painter,
        case: &Case,
        view: &Transform,
        hovered_node: Option<crate::model::NodeId>,
        canvas_clicked: bool,
        commands: &mut Vec<Command>,
    ) {
        let Some(from) = self.arrow_from.clone() else {
            return;
        };
        if ui.input(|i| i.key_pressed(egui::Key::Escape)) {
            self.arrow_from = None;
            return;
        }
        let start = match &from {
            ArrowEnd::Node(node) => case.layout.positions.get(node).map(|p| to_screen(view, *p)),
            ArrowEnd::Note(id) => self.boxes.get(id).map(|r| r.center()),
        };
        let (Some(start), Some(pointer)) = (start, ui.input(|i| i.pointer.latest_pos())) else {
            return;
        };
        painter.line_segment([start, pointer], Stroke::new(ARROW_WIDTH_PX, ARROW_COLOR));
        painter.text(
            pointer + Vec2::new(12.0, 12.0),
            Align2::LEFT_TOP,
            "click a node or note · Esc cancels",
            FontId::proportional(12.0),
            ARROW_COLOR,
        );
        ui.ctx().request_repaint();
        if canvas_clicked {
            match hovered_node {
                Some(node) => self.finish_arrow_to(ArrowEnd::Node(node), commands),
                None => self.arrow_from = None,
            }
        }
    }
}

/// The point of `rect`'s outline nearest to `p` (where a leader line meets the box).
fn nearest_point(rect: Rect, p: Pos2) -> Pos2 {
    Pos2::new(
        p.x.clamp(rect.left(), rect.right()),
        p.y.clamp(rect.top(), rect.bottom()),
    )
}

/// An arrow between two ends, shortened to stop at a note's box or a node's circle.
fn draw_arrow(
    painter: &egui::Painter,
    (from, from_box): (Pos2, Option<Rect>),
    (to, to_box): (Pos2, Option<Rect>),
    node_radius: f32,
) {
    let dir = (to - from).normalized();
    if !dir.x.is_finite() || !dir.y.is_finite() {
        return;
    }
    let start = match from_box {
        Some(r) => exit_point(r, from, dir),
        None => from + dir * node_radius,
    };
    let end = match to_box {
        Some(r) => exit_point(r, to, -dir),
        None => to - dir * (node_radius + 2.0),
    };
    if (end - start).dot(dir) <= 0.0 {
        return;
    }
    let stroke = Stroke::new(ARROW_WIDTH_PX, ARROW_COLOR);
    painter.extend(Shape::dashed_line(
        &[start, end],
        stroke,
        ARROW_DASH_PX.0,
        ARROW_DASH_PX.1,
    ));
    painter.circle_filled(start, 3.0, ARROW_COLOR);
    // An open chevron head, wider than a transfer's filled triangle.
    let head = 12.0;
    let side = Vec2::new(-dir.y, dir.x) * head * 0.6;
    painter.add(Shape::line(
        vec![end - dir * head + side, end, end - dir * head - side],
        Stroke::new(ARROW_WIDTH_PX + 0.5, ARROW_COLOR),
    ));
}

/// Space kept between a note and the canvas's edge, screen pixels.
const NOTE_MARGIN_PX: f32 = 4.0;

/// A note box partly out of the visible canvas (under a side panel, past the window's edge)
/// moved just enough to be whole inside `bounds`; one wholly outside stays where it is (its
/// place is elsewhere on the graph). A box bigger than `bounds` keeps its top-left corner in.
fn keep_inside(rect: Rect, bounds: Rect) -> Rect {
    if !rect.intersects(bounds) {
        return rect;
    }
    let shift = |low: f32, high: f32, min: f32, max: f32| {
        if high > max {
            (max - high).max(min - low)
        } else if low < min {
            min - low
        } else {
            0.0
        }
    };
    rect.translate(Vec2::new(
        shift(rect.left(), rect.right(), bounds.left(), bounds.right()),
        shift(rect.top(), rect.bottom(), bounds.top(), bounds.bottom()),
    ))
}

/// Where a ray from `center` (inside `rect`) in direction `dir` leaves the rectangle.
fn exit_point(rect: Rect, center: Pos2, dir: Vec2) -> Pos2 {
    let half = rect.size() / 2.0;
    let tx = if dir.x.abs() > 1e-6 {
        half.x / dir.x.abs()
    } else {
        f32::MAX
    };
    let ty = if dir.y.abs() > 1e-6 {
        half.y / dir.y.abs()
    } else {
        f32::MAX
    };
    center + dir * tx.min(ty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_note_at_the_edge_is_moved_inside_the_canvas() {
        let canvas = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(800.0, 600.0));
        let note = |x: f32, y: f32| Rect::from_min_size(Pos2::new(x, y), Vec2::new(200.0, 60.0));
        // Past the right edge (under the inspector): pulled in, same size.
        let moved = keep_inside(note(700.0, 100.0), canvas);
        assert_eq!(moved, note(600.0, 100.0));
        // Past the bottom-left corner.
        assert_eq!(keep_inside(note(-50.0, 580.0), canvas), note(0.0, 540.0));
        // Inside: untouched; wholly outside: left where the graph puts it.
        assert_eq!(keep_inside(note(10.0, 10.0), canvas), note(10.0, 10.0));
        assert_eq!(keep_inside(note(900.0, 10.0), canvas), note(900.0, 10.0));
        // Wider than the canvas: its left edge stays in.
        let wide = Rect::from_min_size(Pos2::new(-10.0, 0.0), Vec2::new(1000.0, 60.0));
        assert_eq!(keep_inside(wide, canvas).left(), 0.0);
    }
}
