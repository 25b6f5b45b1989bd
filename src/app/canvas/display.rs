//! How nodes and edges look on the canvas: our own egui_graphs `DisplayNode`/`DisplayEdge`.
//!
//! Colour by category, shape by kind (circle = address, rounded square = transaction), labels
//! in a fixed screen size so they stay readable at any zoom (short address; the full one on
//! hover), shown only where they fit (zoomed in, or for selected, hovered and tagged nodes).
//! Edges grow with value on a log scale and carry an arrow for direction.

use crate::model::NodeId;
use egui::epaint::{CircleShape, RectShape, TextShape};
use egui::{Color32, CornerRadius, FontId, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2};
use egui_graphs::{DisplayEdge, DisplayNode, DrawContext, EdgeProps, Node, NodeProps};
use petgraph::{EdgeType, stable_graph::IndexType};

// Sizes shared with the SVG/PNG export, so the two pictures agree: node radii, the label size
// in screen pixels (independent of zoom), the zoom above which every node gets its short label,
// and the smallest on-screen radius (zoomed-out nodes stay visible and clickable).
pub use crate::export::scene::ADDRESS_RADIUS;
use crate::export::scene::{
    CONFLICT_RGB, LABEL_PX, LABEL_ZOOM, MIN_SCREEN_RADIUS, TRANSACTION_HALF,
};

/// Colour of the conflict ring and mark.
const CONFLICT: Color32 = Color32::from_rgb(CONFLICT_RGB[0], CONFLICT_RGB[1], CONFLICT_RGB[2]);

/// What the canvas needs to draw one node (the egui_graphs node payload).
#[derive(Debug, Clone)]
pub struct NodeVisual {
    /// Case node id.
    pub id: NodeId,
    /// Short label (`bc1qar…5mdq`).
    pub short_label: String,
    /// Full label for hover (full address or txid, plus tag label).
    pub full_label: String,
    /// Transaction node (drawn as a square).
    pub is_transaction: bool,
    /// Fill colour (category, or neutral).
    pub fill: Color32,
    /// Tagged or clustered: label always shown.
    pub emphasised: bool,
    /// The tag or cluster label, shown alone when zoomed out.
    pub tag_label: Option<String>,
    /// Pinned by the user.
    pub pinned: bool,
    /// Matched by an attribution pack (drawn with a badge).
    pub attributed: bool,
    /// Its tags disagree and no own tag resolves it (drawn with a warning mark).
    pub conflict: bool,
}

/// What the canvas needs to draw one edge (aggregated transfers between two nodes).
#[derive(Debug, Clone)]
pub struct EdgeVisual {
    /// Stroke width in screen pixels at zoom 1.
    pub width: f32,
}

/// Our node shape.
#[derive(Debug, Clone)]
pub struct NodeShape {
    pos: Pos2,
    selected: bool,
    dragged: bool,
    hovered: bool,
    visual: NodeVisual,
}

impl From<NodeProps<NodeVisual>> for NodeShape {
    fn from(props: NodeProps<NodeVisual>) -> Self {
        NodeShape {
            pos: props.location(),
            selected: props.selected,
            dragged: props.dragged,
            hovered: props.hovered,
            visual: props.payload,
        }
    }
}

impl NodeShape {
    fn canvas_radius(&self) -> f32 {
        if self.visual.is_transaction {
            TRANSACTION_HALF
        } else {
            ADDRESS_RADIUS
        }
    }
}

impl<E: Clone, Ty: EdgeType, Ix: IndexType> DisplayNode<NodeVisual, E, Ty, Ix> for NodeShape {
    fn closest_boundary_point(&self, dir: Vec2) -> Pos2 {
        self.pos + dir.normalized() * self.canvas_radius()
    }

    fn shapes(&mut self, ctx: &DrawContext) -> Vec<Shape> {
        let center = ctx.meta.canvas_to_screen_pos(self.pos);
        let radius = ctx
            .meta
            .canvas_to_screen_size(self.canvas_radius())
            .max(MIN_SCREEN_RADIUS);
        let interacted = self.selected || self.dragged || self.hovered;
        let stroke = if self.selected {
            Stroke::new(2.5, Color32::WHITE)
        } else if self.hovered {
            Stroke::new(1.5, Color32::from_gray(230))
        } else {
            Stroke::new(1.0, Color32::from_black_alpha(160))
        };
        let mut shapes = Vec::with_capacity(4);
        if self.selected {
            shapes.push(Shape::circle_stroke(
                center,
                radius + 4.0,
                Stroke::new(1.5, Color32::from_rgb(255, 215, 0)),
            ));
        }
        if self.visual.is_transaction {
            let rect = Rect::from_center_size(center, Vec2::splat(radius * 2.0));
            shapes.push(
                RectShape::new(
                    rect,
                    CornerRadius::same(2),
                    self.visual.fill,
                    stroke,
                    StrokeKind::Outside,
                )
                .into(),
            );
        } else {
            shapes.push(
                CircleShape {
                    center,
                    radius,
                    fill: self.visual.fill,
                    stroke,
                }
                .into(),
            );
        }
        if self.visual.attributed {
            // Badge: a small white-rimmed dot at the lower right, "known to a pack".
            let badge = center + Vec2::new(radius * 0.75, radius * 0.75);
            shapes.push(Shape::circle_filled(badge, 3.5, Color32::WHITE));
            shapes.push(Shape::circle_filled(badge, 2.2, self.visual.fill));
        }
        if self.visual.conflict {
            shapes.push(Shape::circle_stroke(
                center,
                radius + 2.5,
                Stroke::new(2.0, CONFLICT),
            ));
            let mark = center + Vec2::new(-radius * 0.9, -radius * 0.9);
            shapes.push(Shape::circle_filled(mark, 5.0, CONFLICT));
            let galley = ctx.ctx.fonts_mut(|f| {
                f.layout_no_wrap("!".to_owned(), FontId::proportional(9.0), Color32::BLACK)
            });
            let pos = mark - galley.size() / 2.0;
            shapes.push(TextShape::new(pos, galley, Color32::BLACK).into());
        }
        if self.visual.pinned {
            let pin = center + Vec2::new(radius * 0.8, -radius * 0.8);
            shapes.push(Shape::circle_filled(
                pin,
                2.5,
                Color32::from_rgb(255, 215, 0),
            ));
        }

        let show_label = interacted || self.visual.emphasised || ctx.meta.zoom >= LABEL_ZOOM;
        if show_label {
            let zoomed_out = ctx.meta.zoom < LABEL_ZOOM && !self.selected;
            let text = if self.hovered {
                self.visual.full_label.clone()
            } else if zoomed_out && let Some(tag) = &self.visual.tag_label {
                tag.clone()
            } else {
                self.visual.short_label.clone()
            };
            let text_color = ctx.ctx.global_style().visuals.text_color();
            let galley = ctx
                .ctx
                .fonts_mut(|f| f.layout_no_wrap(text, FontId::proportional(LABEL_PX), text_color));
            let label_pos = Pos2::new(center.x - galley.size().x / 2.0, center.y + radius + 3.0);
            if self.hovered {
                let bg = Rect::from_min_size(label_pos, galley.size()).expand(3.0);
                shapes.push(Shape::rect_filled(
                    bg,
                    CornerRadius::same(3),
                    ctx.ctx.global_style().visuals.extreme_bg_color,
                ));
            }
            shapes.push(TextShape::new(label_pos, galley, text_color).into());
        }
        shapes
    }

    fn update(&mut self, state: &NodeProps<NodeVisual>) {
        self.pos = state.location();
        self.selected = state.selected;
        self.dragged = state.dragged;
        self.hovered = state.hovered;
        self.visual = state.payload.clone();
    }

    fn is_inside(&self, pos: Pos2) -> bool {
        // A little slack so small nodes are easy to hit.
        (pos - self.pos).length() <= self.canvas_radius() + 2.0
    }
}

/// Our edge shape: a straight line with an arrow head, width by value.
#[derive(Debug, Clone)]
pub struct EdgeShape {
    width: f32,
    selected: bool,
}

impl From<EdgeProps<EdgeVisual>> for EdgeShape {
    fn from(props: EdgeProps<EdgeVisual>) -> Self {
        EdgeShape {
            width: props.payload.width,
            selected: props.selected,
        }
    }
}

impl<Ty: EdgeType, Ix: IndexType> DisplayEdge<NodeVisual, EdgeVisual, Ty, Ix, NodeShape>
    for EdgeShape
{
    fn shapes(
        &mut self,
        start: &Node<NodeVisual, EdgeVisual, Ty, Ix, NodeShape>,
        end: &Node<NodeVisual, EdgeVisual, Ty, Ix, NodeShape>,
        ctx: &DrawContext,
    ) -> Vec<Shape> {
        let a = start.location();
        let b = end.location();
        let dir = b - a;
        if dir.length() < 1e-3 {
            return Vec::new();
        }
        let dir = dir.normalized();
        let from = DisplayNode::<NodeVisual, EdgeVisual, Ty, Ix>::closest_boundary_point(
            start.display(),
            dir,
        );
        let to = DisplayNode::<NodeVisual, EdgeVisual, Ty, Ix>::closest_boundary_point(
            end.display(),
            -dir,
        );
        let p0 = ctx.meta.canvas_to_screen_pos(from);
        let p1 = ctx.meta.canvas_to_screen_pos(to);
        let zoom_factor = ctx.meta.zoom.clamp(0.4, 2.0);
        let width = (self.width * zoom_factor).max(0.6);
        let highlighted = self.selected || start.selected() || end.selected();
        let color = if highlighted {
            Color32::from_rgb(255, 215, 0)
        } else {
            Color32::from_rgba_unmultiplied(170, 180, 200, 150)
        };
        let mut shapes = vec![Shape::line_segment([p0, p1], Stroke::new(width, color))];
        let screen_len = (p1 - p0).length();
        let tip = (6.0 + width * 1.5).min(screen_len * 0.5);
        if tip >= 3.0 {
            let back = -(p1 - p0).normalized() * tip;
            let side = Vec2::new(-back.y, back.x) * 0.45;
            shapes.push(Shape::convex_polygon(
                vec![p1, p1 + back + side, p1 + back - side],
                color,
                Stroke::NONE,
            ));
        }
        shapes
    }

    fn update(&mut self, state: &EdgeProps<EdgeVisual>) {
        self.width = state.payload.width;
        self.selected = state.selected;
    }

    fn is_inside(
        &self,
        _start: &Node<NodeVisual, EdgeVisual, Ty, Ix, NodeShape>,
        _end: &Node<NodeVisual, EdgeVisual, Ty, Ix, NodeShape>,
        _pos: Pos2,
    ) -> bool {
        // Edges are not clickable; a click beside a node falls through to the background.
        false
    }
}
