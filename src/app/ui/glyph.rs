//! A category's glyph as egui shapes (for swatches in panels and the legend); the canvas's
//! nodes draw the same geometry from their sprite atlas.

use crate::export::scene::glyphs::{Glyph, Primitive};
use egui::{Color32, Pos2, Shape, Stroke, Vec2};

/// The shapes of `glyph` in a node of radius `r` at `centre`.
pub fn glyph_shapes(glyph: Glyph, centre: Pos2, r: f32, color: Color32) -> Vec<Shape> {
    let at = |p: [f32; 2]| centre + Vec2::new(p[0], p[1]) * r;
    glyph
        .primitives()
        .iter()
        .map(|prim| match *prim {
            Primitive::Rect {
                centre: c,
                half,
                degrees,
            } => {
                let (sin, cos) = degrees.to_radians().sin_cos();
                let corners = [[-1.0, -1.0], [1.0, -1.0], [1.0, 1.0], [-1.0, 1.0]].map(
                    |[sx, sy]: [f32; 2]| {
                        let (x, y) = (sx * half[0], sy * half[1]);
                        at([c[0] + x * cos - y * sin, c[1] + x * sin + y * cos])
                    },
                );
                Shape::convex_polygon(corners.to_vec(), color, Stroke::NONE)
            }
            Primitive::Ring { radius, width } => {
                Shape::circle_stroke(centre, radius * r, Stroke::new(width * r, color))
            }
            Primitive::Disc { centre: c, radius } => Shape::circle_filled(at(c), radius * r, color),
            Primitive::Polygon(corners) => Shape::convex_polygon(
                corners.iter().map(|q| at(*q)).collect(),
                color,
                Stroke::NONE,
            ),
        })
        .collect()
}
