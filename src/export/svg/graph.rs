//! The graph part of the picture: cluster hulls, edges with arrow heads and highlight bands,
//! nodes with badges and conflict marks (their labels are placed in [`super::labels`]). Drawn
//! through [`Draw`], so the SVG and the PNG painter get the same shapes.

use super::*;
use crate::export::draw::{Draw, Look, Paint, Stroke};
use crate::export::scene::glyphs::{Glyph, dark_on};

/// Draws the whole body: hulls, then edges, then nodes.
pub(super) fn body(d: &mut impl Draw, scene: &Scene, f: &Frame, p: &Palette) {
    hulls(d, scene, f);
    edges(d, scene, f, p);
    nodes(d, scene, f);
}

/// Draws the cluster outlines (their names are placed with the other labels, see
/// [`super::labels`]).
fn hulls(d: &mut impl Draw, scene: &Scene, f: &Frame) {
    let u = f.u;
    for hull in &scene.hulls {
        let outline = hull.outline(|q| f.map(q), HULL_MARGIN_PX * u);
        if outline.len() < 3 {
            continue;
        }
        let look = Look::filled(Paint::new(hull.rgb, 0.11))
            .with_stroke(Stroke {
                paint: Paint::new(hull.rgb, 0.78),
                width: 1.5 * u,
                round: true,
            })
            .class("hull");
        d.polygon(&outline, look);
    }
}

/// Attributes that outline text in the background colour, so it reads over lines.
pub(super) fn halo(p: &Palette, u: f32) -> String {
    format!(
        r#" stroke="{}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke""#,
        hex(p.background),
        num(3.0 * u)
    )
}

fn edges(d: &mut impl Draw, scene: &Scene, f: &Frame, p: &Palette) {
    let u = f.u;
    // Highlight bands first, centre to centre, under every edge (as on the canvas), wider than
    // the edge by the band width so they show on both sides of a thick one.
    for edge in &scene.edges {
        if let Some(rgb) = edge.highlight {
            let width_px = (edge.width * f.zoom.clamp(0.4, 2.0)).max(0.6) * u + EDGE_BAND_PX * u;
            let band = Stroke {
                paint: Paint::new(rgb, 0.55),
                width: width_px,
                round: true,
            };
            d.line(
                f.map(edge.from),
                f.map(edge.to),
                Look::outlined(band).class("edge-highlight"),
            );
        }
    }
    let paint = Paint::new(p.edge, p.edge_opacity);
    for edge in &scene.edges {
        let a = f.map(edge.from);
        let b = f.map(edge.to);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-3 || !len.is_finite() {
            continue;
        }
        let dir = [dx / len, dy / len];
        let p0 = [
            a[0] + dir[0] * edge.from_radius * f.k,
            a[1] + dir[1] * edge.from_radius * f.k,
        ];
        let p1 = [
            b[0] - dir[0] * edge.to_radius * f.k,
            b[1] - dir[1] * edge.to_radius * f.k,
        ];
        let width_ref = (edge.width * f.zoom.clamp(0.4, 2.0)).max(0.6);
        let width = width_ref * u;
        let seg = ((p1[0] - p0[0]).powi(2) + (p1[1] - p0[1]).powi(2)).sqrt();
        let tip_ref = (6.0 + width_ref * 1.5).min(seg / u * 0.5);
        // The line stops inside the arrow head, so the two do not overlap (and darken).
        let line_end = if tip_ref >= 3.0 && seg > 0.0 {
            [
                p1[0] - dir[0] * tip_ref * u * 0.8,
                p1[1] - dir[1] * tip_ref * u * 0.8,
            ]
        } else {
            p1
        };
        let stroke = Stroke {
            paint,
            width,
            round: false,
        };
        d.line(p0, line_end, Look::outlined(stroke));
        if tip_ref >= 3.0 {
            let tip = tip_ref * u;
            let back = [-dir[0] * tip, -dir[1] * tip];
            let side = [-back[1] * 0.45, back[0] * 0.45];
            let head = [
                p1,
                [p1[0] + back[0] + side[0], p1[1] + back[1] + side[1]],
                [p1[0] + back[0] - side[0], p1[1] + back[1] - side[1]],
            ];
            d.polygon(&head, Look::filled(paint));
        }
    }
}

fn nodes(d: &mut impl Draw, scene: &Scene, f: &Frame) {
    let u = f.u;
    let outline = Stroke {
        paint: Paint::new([0, 0, 0], 0.63),
        width: u,
        round: false,
    };
    for node in &scene.nodes {
        let c = f.map(node.pos);
        let r = f.node_radius(node.radius);
        d.begin_node(&node.full_label);
        if let Some(rgb) = node.highlight {
            let look = Look::filled(Paint::new(rgb, 0.45))
                .with_stroke(Stroke {
                    paint: Paint::solid(rgb),
                    width: 2.0 * u,
                    round: false,
                })
                .class("highlight");
            d.circle(c, r + HALO_PX * u, look);
        }
        let look = Look::filled(Paint::solid(node.fill)).with_stroke(outline);
        match node.shape {
            MarkShape::Circle => d.circle(c, r, look),
            MarkShape::Square => d.rect([c[0] - r, c[1] - r], [2.0 * r, 2.0 * r], 2.0 * u, look),
        }
        if let Some(g) = node.glyph
            && r >= GLYPH_MIN_RADIUS_PX * u
        {
            glyph(d, g, c, r, node.fill);
        }
        if node.badges.attributed {
            badge(d, [c[0] + r * 0.75, c[1] + r * 0.75], u, node.fill);
        }
        if node.badges.conflict {
            conflict_mark(d, c, r, u);
        }
        if node.badges.pinned {
            d.circle(
                [c[0] + r * 0.8, c[1] - r * 0.8],
                2.5 * u,
                Look::filled(Paint::solid([0xff, 0xd7, 0x00])),
            );
        }
        d.end_node();
    }
}

/// The "known to a pack" badge: a white-rimmed dot.
pub(super) fn badge(d: &mut impl Draw, at: [f32; 2], u: f32, fill: [u8; 3]) {
    d.circle(at, 3.5 * u, Look::filled(Paint::solid([0xff; 3])));
    d.circle(at, 2.2 * u, Look::filled(Paint::solid(fill)));
}

/// The conflict ring around a node of radius `r` at `c`, and its `!` mark (drawn as a bar and
/// a dot, so it needs no font).
pub(super) fn conflict_mark(d: &mut impl Draw, c: [f32; 2], r: f32, u: f32) {
    let orange = Paint::solid(CONFLICT_RGB);
    let ring = Stroke {
        paint: orange,
        width: 2.0 * u,
        round: false,
    };
    d.circle(c, r + 2.5 * u, Look::outlined(ring));
    let mark = [c[0] - r * 0.9, c[1] - r * 0.9];
    d.circle(mark, 5.0 * u, Look::filled(orange));
    let black = Look::filled(Paint::solid([0, 0, 0]));
    d.rect(
        [mark[0] - 0.8 * u, mark[1] - 3.6 * u],
        [1.6 * u, 4.6 * u],
        0.0,
        black,
    );
    d.circle([mark[0], mark[1] + 2.6 * u], 0.9 * u, black);
}

/// Smallest node radius that carries its category glyph, reference pixels (as the canvas).
const GLYPH_MIN_RADIUS_PX: f32 = 5.0;

/// A category glyph (see `export::scene::glyphs`) inside a node of radius `r` at `c` filled
/// with `fill`: dark on light fills, white on dark ones.
pub(super) fn glyph(d: &mut impl Draw, g: Glyph, c: [f32; 2], r: f32, fill: [u8; 3]) {
    let paint = if dark_on(fill) {
        Paint::new([0, 0, 0], 0.78)
    } else {
        Paint::new([0xeb; 3], 0.92)
    };
    d.glyph(g, c, r, paint);
}
