//! Outlines around clusters: an inflated convex hull in the category colour with the cluster's
//! label, painted under the nodes.
//!
//! The hull of the members' centres is taken first; only its corners get the ring of points
//! that inflates it, so a cluster of thousands costs one hull of its centres.

use super::view::Transform;
use crate::layout::convex_hull;
use crate::model::Case;
use egui::{Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2};

/// Screen-space margin around cluster members.
const HULL_MARGIN_PX: f32 = 18.0;

/// Points on the ring around each member.
const RING_POINTS: usize = 16;

/// Shapes for every cluster's outline and label.
pub fn hull_shapes(ui: &egui::Ui, case: &Case, view: &Transform, canvas_rect: Rect) -> Shape {
    let mut shapes = Vec::new();
    for cluster in case.clusters.values() {
        let centres: Vec<[f32; 2]> = cluster
            .members
            .iter()
            .filter_map(|id| case.layout.positions.get(id))
            .map(|p| {
                let c = view.to_screen_xy(*p);
                [c.x, c.y]
            })
            .collect();
        let corners = if centres.len() > 2 {
            convex_hull(&centres)
        } else {
            centres
        };
        // Each corner contributes a ring of points, so one or two members still get a round
        // outline and the margin is even all around.
        let points: Vec<[f32; 2]> = corners
            .iter()
            .flat_map(|c| {
                (0..RING_POINTS).map(move |k| {
                    let angle = std::f32::consts::TAU * k as f32 / RING_POINTS as f32;
                    [
                        c[0] + HULL_MARGIN_PX * angle.cos(),
                        c[1] + HULL_MARGIN_PX * angle.sin(),
                    ]
                })
            })
            .collect();
        if points.is_empty() {
            continue;
        }
        let hull = convex_hull(&points);
        if hull.len() < 3 {
            continue;
        }
        let [r, g, b] = cluster.category.rgb();
        let outline: Vec<Pos2> = hull.iter().map(|p| Pos2::new(p[0], p[1])).collect();
        if !canvas_rect.intersects(Rect::from_points(&outline)) {
            continue;
        }
        let top = outline
            .iter()
            .copied()
            .fold(Pos2::new(0.0, f32::MAX), |best, p| {
                if p.y < best.y { p } else { best }
            });
        shapes.push(Shape::convex_polygon(
            outline.clone(),
            Color32::from_rgba_unmultiplied(r, g, b, 28),
            Stroke::new(1.5, Color32::from_rgba_unmultiplied(r, g, b, 200)),
        ));
        let text_color = Color32::from_rgb(r, g, b);
        let galley = ui.ctx().fonts_mut(|f| {
            f.layout_no_wrap(
                format!("{} ({})", cluster.label, cluster.category),
                FontId::proportional(13.0),
                text_color,
            )
        });
        let pos = top - Vec2::new(galley.size().x / 2.0, galley.size().y + 2.0);
        shapes.push(Shape::galley(pos, galley, text_color));
    }
    Shape::Vec(shapes)
}
