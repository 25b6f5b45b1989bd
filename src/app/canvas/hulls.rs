//! Outlines around clusters: an inflated convex hull in the category colour, painted under the
//! nodes. The cluster's name is offered to the label pass (`labels`), which places it with the
//! node labels so that no two overlap.
//!
//! The hull of the members' centres is taken first; only its corners get the ring of points
//! that inflates it, so a cluster of thousands costs one hull of its centres.

use super::view::Transform;
use crate::layout::convex_hull;
use crate::model::Case;
use egui::{Color32, Pos2, Rect, Shape, Stroke};

/// Screen-space margin around cluster members.
const HULL_MARGIN_PX: f32 = 18.0;

/// Points on the ring around each member.
const RING_POINTS: usize = 16;

/// A cluster's name, offered to the label pass: above the outline's top, else below its bottom.
pub struct HullName {
    /// `label (category)`.
    pub text: String,
    /// Highest point of the outline, screen.
    pub top: Pos2,
    /// Lowest point of the outline, screen.
    pub bottom: Pos2,
    /// Category colour.
    pub color: Color32,
    /// Members (larger clusters are named first).
    pub members: usize,
}

/// Shapes for every cluster's outline, and the clusters' names, largest cluster first.
pub fn hull_shapes(case: &Case, view: &Transform, canvas_rect: Rect) -> (Shape, Vec<HullName>) {
    let mut shapes = Vec::new();
    let mut names = Vec::new();
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
        let by_y = |a: &&Pos2, b: &&Pos2| a.y.total_cmp(&b.y);
        let (Some(&top), Some(&bottom)) =
            (outline.iter().min_by(by_y), outline.iter().max_by(by_y))
        else {
            continue;
        };
        names.push(HullName {
            text: format!("{} ({})", cluster.label, cluster.category),
            top,
            bottom,
            color: Color32::from_rgb(r, g, b),
            members: cluster.members.len(),
        });
        shapes.push(Shape::convex_polygon(
            outline,
            Color32::from_rgba_unmultiplied(r, g, b, 28),
            Stroke::new(1.5, Color32::from_rgba_unmultiplied(r, g, b, 200)),
        ));
    }
    names.sort_by_key(|n| std::cmp::Reverse(n.members));
    (Shape::Vec(shapes), names)
}
