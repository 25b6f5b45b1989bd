//! The graph part of the SVG: cluster hulls and their names, edges with arrow heads and
//! highlight bands, nodes with badges and conflict marks, and the labels placed where they
//! cover nothing (the `Taken` rectangles).

use super::*;

pub(super) struct HullLabel {
    pub(super) x: f32,
    pub(super) baseline: f32,
    pub(super) text: String,
    pub(super) rgb: [u8; 3],
    pub(super) rect: [f32; 4],
}

pub(super) const HULL_LABEL_PX: f32 = 13.0;

/// Draws the cluster outlines; returns their labels, drawn later above everything else.
pub(super) fn hulls(out: &mut Out, scene: &Scene, f: &Frame) -> Vec<HullLabel> {
    let u = f.u;
    let mut labels = Vec::new();
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
        let top =
            outline.iter().copied().fold(
                [0.0, f32::MAX],
                |best, q| if q[1] < best[1] { q } else { best },
            );
        let size = HULL_LABEL_PX * u;
        let baseline = top[1] - 5.0 * u;
        let w = text_width_px(&hull.label, size, false);
        labels.push(HullLabel {
            x: top[0],
            baseline,
            text: hull.label.clone(),
            rgb: hull.rgb,
            rect: [
                top[0] - w / 2.0,
                baseline - size * 0.8,
                top[0] + w / 2.0,
                baseline + size * 0.25,
            ],
        });
    }
    labels
}

pub(super) fn draw_hull_labels(out: &mut Out, labels: &[HullLabel], f: &Frame, p: &Palette) {
    for label in labels {
        out.text(
            label.x,
            label.baseline,
            HULL_LABEL_PX * f.u,
            &hex(scaled(label.rgb, p.hull_text_factor)),
            "middle",
            &format!(r#" class="hull-label" font-weight="bold"{}"#, halo(p, f.u)),
            &label.text,
        );
    }
}

/// Rectangles already covered by text, in a grid of square cells for quick look-up.
pub(super) struct Taken {
    pub(super) cell: f32,
    pub(super) rects: Vec<[f32; 4]>,
    pub(super) grid: std::collections::HashMap<(i64, i64), Vec<usize>>,
}

impl Taken {
    pub(super) fn new(cell: f32) -> Taken {
        Taken {
            cell: cell.max(1.0),
            rects: Vec::new(),
            grid: std::collections::HashMap::new(),
        }
    }

    pub(super) fn cells(&self, r: [f32; 4]) -> impl Iterator<Item = (i64, i64)> + use<> {
        let to_cell = |v: f32| (v / self.cell).floor().clamp(-1e6, 1e6) as i64;
        let (x0, y0, x1, y1) = (to_cell(r[0]), to_cell(r[1]), to_cell(r[2]), to_cell(r[3]));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    pub(super) fn is_free(&self, r: [f32; 4]) -> bool {
        self.cells(r).all(|c| {
            self.grid.get(&c).is_none_or(|ids| {
                ids.iter().all(|&i| {
                    let o = self.rects[i];
                    r[2] <= o[0] || o[2] <= r[0] || r[3] <= o[1] || o[3] <= r[1]
                })
            })
        })
    }

    pub(super) fn add(&mut self, r: [f32; 4]) {
        let id = self.rects.len();
        self.rects.push(r);
        let cells: Vec<(i64, i64)> = self.cells(r).collect();
        for c in cells {
            self.grid.entry(c).or_default().push(id);
        }
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

/// Node labels as the canvas shows them at this zoom (every short label when zoomed in, only
/// tagged nodes' tag labels when zoomed out), below the node. Where a label would cover another,
/// the tag label alone is tried, then both above the node, then the label is left out (the SVG
/// keeps every full label as a tooltip). Highlighted nodes are labelled first, then tagged ones,
/// then by the number of edges.
pub(super) fn labels(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette, taken: &mut Taken) {
    let u = f.u;
    let size = LABEL_PX * u;
    let zoomed_out = f.zoom < LABEL_ZOOM;
    let halo = halo(p, u);
    let mut order: Vec<&SceneNode> = scene
        .nodes
        .iter()
        .filter(|n| n.emphasised || !zoomed_out)
        .collect();
    order.sort_by_key(|n| (n.highlight.is_none(), !n.emphasised, usize::MAX - n.degree));
    for node in order {
        let first = match (&node.tag_label, zoomed_out) {
            (Some(tag), true) => tag.as_str(),
            _ => node.label.as_str(),
        };
        let c = f.map(node.pos);
        let r = f.node_radius(node.radius);
        let below = c[1] + r + 3.0 * u;
        let above = c[1] - r - 3.0 * u - size * 1.05;
        let texts: Vec<&str> = std::iter::once(first)
            .chain(node.tag_label.as_deref().filter(|t| *t != first))
            .collect();
        let candidates = [below, above]
            .into_iter()
            .flat_map(|top| texts.iter().map(move |t| (*t, top)));
        let rect_of = |text: &str, top: f32| {
            let w = text_width_px(text, size, false);
            [c[0] - w / 2.0, top, c[0] + w / 2.0, top + size * 1.05]
        };
        let Some((text, top, rect)) = candidates
            .map(|(t, top)| (t, top, rect_of(t, top)))
            .find(|(_, _, rect)| taken.is_free(*rect))
        else {
            continue;
        };
        taken.add(rect);
        out.text(
            c[0],
            top + size * 0.8,
            size,
            p.text,
            "middle",
            &format!(r#" class="label"{halo}"#),
            text,
        );
    }
}
