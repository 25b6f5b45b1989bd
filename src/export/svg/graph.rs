//! The graph part of the SVG: cluster hulls, edges with arrow heads and highlight bands, nodes
//! with badges and conflict marks (their labels are placed in [`super::labels`]).

use super::*;
use crate::export::scene::glyphs::{Glyph, Primitive, dark_on};

/// Draws the cluster outlines (their names are placed with the other labels, see
/// [`super::labels`]).
pub(super) fn hulls(out: &mut Out, scene: &Scene, f: &Frame) {
    let u = f.u;
    for hull in &scene.hulls {
        let outline = hull.outline(|q| f.map(q), HULL_MARGIN_PX * u);
        if outline.len() < 3 {
            continue;
        }
        let points: Vec<String> = outline
            .iter()
            .map(|q| format!("{},{}", num(q[0]), num(q[1])))
            .collect();
        let colour = hex(hull.rgb);
        out.line(format_args!(
            r#"<polygon class="hull" points="{}" fill="{colour}" fill-opacity="0.11" stroke="{colour}" stroke-opacity="0.78" stroke-width="{}" stroke-linejoin="round"/>"#,
            points.join(" "),
            num(1.5 * u)
        ));
    }
}

/// Attributes that outline text in the background colour, so it reads over lines.
pub(super) fn halo(p: &Palette, u: f32) -> String {
    format!(
        r#" stroke="{}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke""#,
        p.background,
        num(3.0 * u)
    )
}

pub(super) fn edges(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette) {
    let u = f.u;
    // Highlight bands first, centre to centre, under every edge (as on the canvas), wider than
    // the edge by the band width so they show on both sides of a thick one.
    for edge in &scene.edges {
        if let Some(rgb) = edge.highlight {
            let width_px = (edge.width * f.zoom.clamp(0.4, 2.0)).max(0.6) * u + EDGE_BAND_PX * u;
            let (a, b) = (f.map(edge.from), f.map(edge.to));
            out.line(format_args!(
                r#"<line class="edge-highlight" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-opacity="0.55" stroke-width="{}" stroke-linecap="round"/>"#,
                num(a[0]),
                num(a[1]),
                num(b[0]),
                num(b[1]),
                hex(rgb),
                num(width_px)
            ));
        }
    }
    for edge in &scene.edges {
        let a = f.map(edge.from);
        let b = f.map(edge.to);
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-3 {
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
        let (colour, opacity) = (p.edge, p.edge_opacity);
        // The line stops inside the arrow head, so the two do not overlap (and darken).
        let line_end = if tip_ref >= 3.0 && seg > 0.0 {
            [
                p1[0] - dir[0] * tip_ref * u * 0.8,
                p1[1] - dir[1] * tip_ref * u * 0.8,
            ]
        } else {
            p1
        };
        out.line(format_args!(
            r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-opacity="{}" stroke-width="{}"/>"#,
            num(p0[0]),
            num(p0[1]),
            num(line_end[0]),
            num(line_end[1]),
            opacity,
            num(width)
        ));
        if tip_ref >= 3.0 {
            let tip = tip_ref * u;
            let back = [-dir[0] * tip, -dir[1] * tip];
            let side = [-back[1] * 0.45, back[0] * 0.45];
            out.line(format_args!(
                r#"<polygon points="{},{} {},{} {},{}" fill="{colour}" fill-opacity="{}"/>"#,
                num(p1[0]),
                num(p1[1]),
                num(p1[0] + back[0] + side[0]),
                num(p1[1] + back[1] + side[1]),
                num(p1[0] + back[0] - side[0]),
                num(p1[1] + back[1] - side[1]),
                opacity
            ));
        }
    }
}

pub(super) fn nodes(out: &mut Out, scene: &Scene, f: &Frame, _p: &Palette) {
    let u = f.u;
    for node in &scene.nodes {
        let c = f.map(node.pos);
        let r = f.node_radius(node.radius);
        out.line(format_args!(
            r#"<g class="node"><title>{}</title>"#,
            escape(&node.full_label)
        ));
        if let Some(rgb) = node.highlight {
            out.line(format_args!(
                r#"<circle class="highlight" cx="{}" cy="{}" r="{}" fill="{}" fill-opacity="0.45" stroke="{}" stroke-width="{}"/>"#,
                num(c[0]),
                num(c[1]),
                num(r + HALO_PX * u),
                hex(rgb),
                hex(rgb),
                num(2.0 * u)
            ));
        }
        let stroke = format!(
            r##"stroke="#000000" stroke-opacity="0.63" stroke-width="{}""##,
            num(u)
        );
        match node.shape {
            MarkShape::Circle => out.line(format_args!(
                r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                num(c[0]),
                num(c[1]),
                num(r),
                hex(node.fill)
            )),
            MarkShape::Square => out.line(format_args!(
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" {stroke}/>"#,
                num(c[0] - r),
                num(c[1] - r),
                num(2.0 * r),
                num(2.0 * r),
                num(2.0 * u),
                hex(node.fill)
            )),
        }
        if let Some(g) = node.glyph
            && r >= GLYPH_MIN_RADIUS_PX * u
        {
            glyph(out, g, c, r, node.fill);
        }
        if node.badges.attributed {
            badge(out, [c[0] + r * 0.75, c[1] + r * 0.75], u, node.fill);
        }
        if node.badges.conflict {
            conflict_mark(out, c, r, u);
        }
        if node.badges.pinned {
            out.line(format_args!(
                r##"<circle cx="{}" cy="{}" r="{}" fill="#ffd700"/>"##,
                num(c[0] + r * 0.8),
                num(c[1] - r * 0.8),
                num(2.5 * u)
            ));
        }
        out.line(format_args!("</g>"));
    }
}

/// The "known to a pack" badge: a white-rimmed dot.
pub(super) fn badge(out: &mut Out, at: [f32; 2], u: f32, fill: [u8; 3]) {
    out.line(format_args!(
        r##"<circle cx="{}" cy="{}" r="{}" fill="#ffffff"/><circle cx="{}" cy="{}" r="{}" fill="{}"/>"##,
        num(at[0]),
        num(at[1]),
        num(3.5 * u),
        num(at[0]),
        num(at[1]),
        num(2.2 * u),
        hex(fill)
    ));
}

/// The conflict ring around a node of radius `r` at `c`, and its `!` mark.
pub(super) fn conflict_mark(out: &mut Out, c: [f32; 2], r: f32, u: f32) {
    let orange = hex(CONFLICT_RGB);
    out.line(format_args!(
        r#"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{orange}" stroke-width="{}"/>"#,
        num(c[0]),
        num(c[1]),
        num(r + 2.5 * u),
        num(2.0 * u)
    ));
    let mark = [c[0] - r * 0.9, c[1] - r * 0.9];
    out.line(format_args!(
        r#"<circle cx="{}" cy="{}" r="{}" fill="{orange}"/>"#,
        num(mark[0]),
        num(mark[1]),
        num(5.0 * u)
    ));
    out.text(
        mark[0],
        mark[1] + 3.3 * u,
        9.0 * u,
        "#000000",
        "middle",
        r#" font-weight="bold""#,
        "!",
    );
}

/// Smallest node radius that carries its category glyph, reference pixels (as the canvas).
const GLYPH_MIN_RADIUS_PX: f32 = 5.0;

/// A category glyph (see `export::scene::glyphs`) inside a node of radius `r` at `c` filled
/// with `fill`: dark on light fills, white on dark ones.
pub(super) fn glyph(out: &mut Out, g: Glyph, c: [f32; 2], r: f32, fill: [u8; 3]) {
    let colour = if dark_on(fill) {
        r##"fill="#000000" fill-opacity="0.78""##
    } else {
        r##"fill="#ebebeb" fill-opacity="0.92""##
    };
    // Unit-circle coordinates need more than the one decimal `num` gives.
    let n = |v: f32| format!("{:.3}", if v.is_finite() { v } else { 0.0 });
    out.line(format_args!(
        r#"<g class="glyph" transform="translate({} {}) scale({})" {colour}>"#,
        num(c[0]),
        num(c[1]),
        n(r)
    ));
    for prim in g.primitives() {
        match *prim {
            Primitive::Rect {
                centre,
                half,
                degrees,
            } => out.line(format_args!(
                r#"<rect x="{}" y="{}" width="{}" height="{}" transform="translate({} {}) rotate({})"/>"#,
                n(-half[0]),
                n(-half[1]),
                n(2.0 * half[0]),
                n(2.0 * half[1]),
                n(centre[0]),
                n(centre[1]),
                n(degrees)
            )),
            Primitive::Ring { radius, width } => {
                let circle = |rr: f32| {
                    format!(
                        "M {} 0 A {} {} 0 1 0 {} 0 A {} {} 0 1 0 {} 0 Z",
                        n(rr),
                        n(rr),
                        n(rr),
                        n(-rr),
                        n(rr),
                        n(rr),
                        n(rr)
                    )
                };
                out.line(format_args!(
                    r#"<path fill-rule="evenodd" d="{} {}"/>"#,
                    circle(radius + width / 2.0),
                    circle(radius - width / 2.0)
                ));
            }
            Primitive::Disc { centre, radius } => out.line(format_args!(
                r#"<circle cx="{}" cy="{}" r="{}"/>"#,
                n(centre[0]),
                n(centre[1]),
                n(radius)
            )),
            Primitive::Polygon(corners) => {
                let points: Vec<String> = corners
                    .iter()
                    .map(|q| format!("{},{}", n(q[0]), n(q[1])))
                    .collect();
                out.line(format_args!(r#"<polygon points="{}"/>"#, points.join(" ")));
            }
        }
    }
    out.line(format_args!("</g>"));
}
