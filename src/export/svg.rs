//! Scene → SVG: the annotated picture of a case as a small, hand-written, well-formed SVG.
//!
//! The picture is `width_px` wide (the viewBox; `scale` multiplies the width/height attributes
//! only). From the top: the case title and a summary line; the graph, fitted to the space, with
//! cluster hulls, edges with arrow heads, highlight halos, nodes with their badges and labels,
//! notes as rounded text boxes (anchored ones joined to their node by a leader line) and the
//! investigator's arrows; a legend box of the categories used at the right; a footer with the
//! source of the data and the dates. The graph is drawn as the canvas draws it at the zoom that
//! fits it, magnified by `width_px / 1200` so text stays legible at print resolution; labels
//! that would cover one another fall back to the tag label or are left out (each node keeps its
//! full label as an SVG tooltip). Every text is escaped, and characters XML cannot carry are
//! dropped.

use super::font::{SVG_FONT_FAMILY, text_width_px, truncate_to_width, wrap_text};
use super::scene::{
    ArrowPoint, CONFLICT_RGB, EDGE_BAND_PX, HALO_PX, HULL_MARGIN_PX, LABEL_PX, LABEL_ZOOM,
    LegendMark, MIN_SCREEN_RADIUS, MarkShape, NEUTRAL_ADDRESS_RGB, NOTE_BORDER_RGB, NOTE_FILL_RGB,
    NOTE_FONT_PX, NOTE_PAD_PX, NOTE_TEXT_RGB, NOTE_WRAP_PX, Scene, SceneNode, SceneNote,
    SceneOptions, Theme,
};
use std::fmt::Write as _;

/// Width of the reference frame: sizes are the canvas's pixels times `width / REF_WIDTH_PX`.
const REF_WIDTH_PX: f32 = 1200.0;
/// Largest zoom the graph is drawn at (so a small graph does not become huge nodes).
const MAX_ZOOM: f32 = 2.5;
/// The graph area is at most this many times as tall as the picture is wide.
const MAX_GRAPH_ASPECT: f32 = 1.5;
/// Most lines of one note.
const NOTE_MAX_LINES: usize = 40;

/// Colours of a theme.
struct Palette {
    background: &'static str,
    text: &'static str,
    muted: &'static str,
    rule: &'static str,
    edge: &'static str,
    edge_opacity: f32,
    arrow: &'static str,
    panel_fill: &'static str,
    /// Hull labels are the category colour times this (darker on paper, so yellow reads).
    hull_text_factor: f32,
}

const PAPER: Palette = Palette {
    background: "#ffffff",
    text: "#1d232a",
    muted: "#5f6b76",
    rule: "#d0d5da",
    edge: "#7d8a9a",
    edge_opacity: 0.75,
    arrow: "#263238",
    panel_fill: "#f7f8f9",
    hull_text_factor: 0.6,
};

const DARK: Palette = Palette {
    background: "#1b1d22",
    text: "#d4d7dc",
    muted: "#8c939c",
    rule: "#3a3f47",
    edge: "#aab4c8",
    edge_opacity: 0.59,
    arrow: "#ffecb3",
    panel_fill: "#23272e",
    hull_text_factor: 1.0,
};

/// Where everything goes, in pixels of the viewBox.
struct Frame {
    /// Pixels per reference pixel.
    u: f32,
    width: f32,
    height: f32,
    margin: f32,
    title_baseline: f32,
    summary_baseline: f32,
    /// Graph area: x0, y0, x1, y1.
    graph: [f32; 4],
    legend: Option<LegendBox>,
    footer_top: f32,
    /// Pixels per canvas unit.
    k: f32,
    /// The canvas zoom this picture corresponds to.
    zoom: f32,
    /// Pixel position of the scene's bounds.min.
    origin: [f32; 2],
    bounds_min: [f32; 2],
}

struct LegendBox {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    labels: Vec<String>,
}

impl Frame {
    fn map(&self, p: [f32; 2]) -> [f32; 2] {
        [
            self.origin[0] + (p[0] - self.bounds_min[0]) * self.k,
            self.origin[1] + (p[1] - self.bounds_min[1]) * self.k,
        ]
    }

    /// On-picture radius of a node of canvas radius `r` (never below the canvas minimum).
    fn node_radius(&self, r: f32) -> f32 {
        (r * self.zoom).max(MIN_SCREEN_RADIUS) * self.u
    }
}

const LEGEND_FONT: f32 = 14.0;
const LEGEND_ROW: f32 = 26.0;
const LEGEND_PAD: f32 = 14.0;
const LEGEND_HEADING: f32 = 24.0;
const LEGEND_SWATCH: f32 = 16.0;

fn frame(scene: &Scene, options: &SceneOptions) -> Frame {
    let width = options.effective_width_px() as f32;
    let u = width / REF_WIDTH_PX;
    let margin = 32.0 * u;
    let title_baseline = margin + 28.0 * u;
    let summary_baseline = title_baseline + 26.0 * u;
    let header_h = summary_baseline + 24.0 * u;

    let legend_max_text = width * 0.3;
    let labels: Vec<String> = scene
        .legend
        .iter()
        .map(|e| truncate_to_width(&e.label, LEGEND_FONT * u, legend_max_text, false))
        .collect();
    let legend_text_w = labels
        .iter()
        .map(|l| text_width_px(l, LEGEND_FONT * u, false))
        .chain(std::iter::once(text_width_px("Legend", 15.0 * u, true)))
        .fold(0.0f32, f32::max);
    let legend = (!labels.is_empty()).then(|| {
        let w = 2.0 * LEGEND_PAD * u + (LEGEND_SWATCH + 10.0) * u + legend_text_w;
        let h = 2.0 * LEGEND_PAD * u + LEGEND_HEADING * u + labels.len() as f32 * LEGEND_ROW * u;
        LegendBox {
            x: width - margin - w,
            y: header_h,
            w,
            h,
            labels,
        }
    });

    let x0 = margin;
    let x1 = match &legend {
        Some(l) => l.x - 24.0 * u,
        None => width - margin,
    };
    let pad = 56.0 * u;
    let [bw, bh] = scene.bounds.size();
    let avail_w = (x1 - x0 - 2.0 * pad).max(50.0 * u);
    let avail_h = (MAX_GRAPH_ASPECT * width - 2.0 * pad).max(50.0 * u);
    let k = (avail_w / bw)
        .min(avail_h / bh)
        .min(MAX_ZOOM * u)
        .max(f32::MIN_POSITIVE);
    let min_graph_h = legend.as_ref().map_or(0.0, |l| l.h).max(300.0 * u);
    let graph_h = (bh * k + 2.0 * pad).max(min_graph_h);
    let y0 = header_h;
    let origin = [
        x0 + ((x1 - x0) - bw * k) / 2.0,
        y0 + (graph_h - bh * k) / 2.0,
    ];
    let footer_top = y0 + graph_h + 16.0 * u;
    // Whole pixels, so a PNG of the SVG's size has exactly the viewBox's proportions.
    let height = (footer_top + 26.0 * u + 22.0 * u + margin * 0.8).ceil();
    Frame {
        u,
        width,
        height,
        margin,
        title_baseline,
        summary_baseline,
        graph: [x0, y0, x1, y0 + graph_h],
        legend,
        footer_top,
        k,
        zoom: k / u,
        origin,
        bounds_min: scene.bounds.min,
    }
}

/// A number for an attribute: one decimal, `0` for anything not finite.
fn num(v: f32) -> String {
    if !v.is_finite() {
        return "0".to_owned();
    }
    let text = format!("{v:.1}");
    match text.strip_suffix(".0") {
        Some("-0") => "0".to_owned(),
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

fn scaled(rgb: [u8; 3], factor: f32) -> [u8; 3] {
    rgb.map(|c| (f32::from(c) * factor).round().clamp(0.0, 255.0) as u8)
}

/// True for a character XML 1.0 can carry.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r')
        || ('\u{20}'..='\u{D7FF}').contains(&c)
        || ('\u{E000}'..='\u{FFFD}').contains(&c)
        || c >= '\u{10000}'
}

/// `text` escaped for XML content and attribute values; characters XML forbids are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| xml_char(*c)) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes SVG into a string (writing to a `String` cannot fail).
struct Out(String);

impl Out {
    fn line(&mut self, text: std::fmt::Arguments<'_>) {
        let _ = self.0.write_fmt(text);
        self.0.push('\n');
    }

    /// A `<text>` element; `extra` are further attributes.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        fill: &str,
        anchor: &str,
        extra: &str,
        content: &str,
    ) {
        self.line(format_args!(
            r#"<text x="{}" y="{}" font-size="{}" fill="{fill}" text-anchor="{anchor}"{extra}>{}</text>"#,
            num(x),
            num(y),
            num(size),
            escape(content)
        ));
    }
}

/// Renders a scene as SVG text (see the module doc).
pub fn scene_to_svg(scene: &Scene, options: &SceneOptions) -> String {
    let palette = match options.theme {
        Theme::Paper => &PAPER,
        Theme::Dark => &DARK,
    };
    let f = frame(scene, options);
    let scale = options.effective_scale();
    let mut out = Out(String::with_capacity(4096 + scene.nodes.len() * 400));
    out.line(format_args!(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    out.line(format_args!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" viewBox="0 0 {} {}" font-family="{}">"#,
        num((f.width * scale).round()),
        num((f.height * scale).round()),
        num(f.width),
        num(f.height),
        escape(SVG_FONT_FAMILY)
    ));
    out.line(format_args!("<title>{}</title>", escape(&scene.title)));
    out.line(format_args!(
        r#"<rect x="0" y="0" width="{}" height="{}" fill="{}"/>"#,
        num(f.width),
        num(f.height),
        palette.background
    ));
    header(&mut out, scene, &f, palette);
    out.line(format_args!(r#"<g id="graph">"#));
    let hull_labels = hulls(&mut out, scene, &f);
    edges(&mut out, scene, &f, palette);
    nodes(&mut out, scene, &f, palette);
    let laid = layout_notes(scene, &f);
    // Labels go where they do not cover a note, a cluster's name or another label.
    let mut taken = Taken::new(64.0 * f.u);
    for note in &laid {
        taken.add([note.b.x, note.b.y, note.b.x + note.b.w, note.b.y + note.b.h]);
    }
    for label in &hull_labels {
        taken.add(label.rect);
    }
    labels(&mut out, scene, &f, palette, &mut taken);
    draw_hull_labels(&mut out, &hull_labels, &f, palette);
    let boxes = draw_notes(&mut out, &laid, &f);
    arrows(&mut out, scene, &f, palette, &boxes);
    if scene.nodes.is_empty() {
        let [x0, y0, x1, y1] = f.graph;
        out.text(
            (x0 + x1) / 2.0,
            (y0 + y1) / 2.0,
            18.0 * f.u,
            palette.muted,
            "middle",
            "",
            "This case has no nodes yet.",
        );
    }
    out.line(format_args!("</g>"));
    legend(&mut out, scene, &f, palette);
    footer(&mut out, scene, &f, palette);
    out.line(format_args!("</svg>"));
    out.0
}

fn header(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette) {
    let u = f.u;
    let title = if scene.title.is_empty() {
        "Untitled case"
    } else {
        &scene.title
    };
    let title = truncate_to_width(title, 30.0 * u, f.width - 2.0 * f.margin, true);
    out.text(
        f.margin,
        f.title_baseline,
        30.0 * u,
        p.text,
        "start",
        r#" font-weight="bold" id="title""#,
        &title,
    );
    let summary = truncate_to_width(
        &scene.summary_line,
        15.0 * u,
        f.width - 2.0 * f.margin,
        false,
    );
    out.text(
        f.margin,
        f.summary_baseline,
        15.0 * u,
        p.muted,
        "start",
        "",
        &summary,
    );
}

fn footer(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette) {
    let u = f.u;
    out.line(format_args!(
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>"#,
        num(f.margin),
        num(f.footer_top),
        num(f.width - f.margin),
        num(f.footer_top),
        p.rule,
        num(u)
    ));
    let credit = format!("Caseboard {}", env!("CARGO_PKG_VERSION"));
    let credit_w = text_width_px(&credit, 12.0 * u, false);
    let room = f.width - 2.0 * f.margin - credit_w - 24.0 * u;
    let source = truncate_to_width(&scene.source_line, 14.0 * u, room, false);
    let baseline = f.footer_top + 26.0 * u;
    out.text(
        f.margin,
        baseline,
        14.0 * u,
        p.text,
        "start",
        r#" id="source""#,
        &source,
    );
    out.text(
        f.width - f.margin,
        baseline,
        12.0 * u,
        p.muted,
        "end",
        "",
        &credit,
    );
    if !scene.date_line.is_empty() {
        let date = truncate_to_width(&scene.date_line, 13.0 * u, room, false);
        out.text(
            f.margin,
            baseline + 22.0 * u,
            13.0 * u,
            p.muted,
            "start",
            r#" id="date""#,
            &date,
        );
    }
}

/// A cluster's name above its outline.
struct HullLabel {
    x: f32,
    baseline: f32,
    text: String,
    rgb: [u8; 3],
    rect: [f32; 4],
}

const HULL_LABEL_PX: f32 = 13.0;

/// Draws the cluster outlines; returns their labels, drawn later above everything else.
fn hulls(out: &mut Out, scene: &Scene, f: &Frame) -> Vec<HullLabel> {
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

fn draw_hull_labels(out: &mut Out, labels: &[HullLabel], f: &Frame, p: &Palette) {
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
struct Taken {
    cell: f32,
    rects: Vec<[f32; 4]>,
    grid: std::collections::HashMap<(i64, i64), Vec<usize>>,
}

impl Taken {
    fn new(cell: f32) -> Taken {
        Taken {
            cell: cell.max(1.0),
            rects: Vec::new(),
            grid: std::collections::HashMap::new(),
        }
    }

    fn cells(&self, r: [f32; 4]) -> impl Iterator<Item = (i64, i64)> + use<> {
        let to_cell = |v: f32| (v / self.cell).floor().clamp(-1e6, 1e6) as i64;
        let (x0, y0, x1, y1) = (to_cell(r[0]), to_cell(r[1]), to_cell(r[2]), to_cell(r[3]));
        (x0..=x1).flat_map(move |x| (y0..=y1).map(move |y| (x, y)))
    }

    fn is_free(&self, r: [f32; 4]) -> bool {
        self.cells(r).all(|c| {
            self.grid.get(&c).is_none_or(|ids| {
                ids.iter().all(|&i| {
                    let o = self.rects[i];
                    r[2] <= o[0] || o[2] <= r[0] || r[3] <= o[1] || o[3] <= r[1]
                })
            })
        })
    }

    fn add(&mut self, r: [f32; 4]) {
        let id = self.rects.len();
        self.rects.push(r);
        let cells: Vec<(i64, i64)> = self.cells(r).collect();
        for c in cells {
            self.grid.entry(c).or_default().push(id);
        }
    }
}

/// Attributes that outline text in the background colour, so it reads over lines.
fn halo(p: &Palette, u: f32) -> String {
    format!(
        r#" stroke="{}" stroke-width="{}" stroke-linejoin="round" paint-order="stroke""#,
        p.background,
        num(3.0 * u)
    )
}

fn edges(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette) {
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

fn nodes(out: &mut Out, scene: &Scene, f: &Frame, _p: &Palette) {
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
fn badge(out: &mut Out, at: [f32; 2], u: f32, fill: [u8; 3]) {
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
fn conflict_mark(out: &mut Out, c: [f32; 2], r: f32, u: f32) {
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
fn labels(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette, taken: &mut Taken) {
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

/// A note's box on the picture.
#[derive(Debug, Clone, Copy)]
struct NoteBox {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

impl NoteBox {
    fn centre(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }

    /// Where the ray from the centre towards `dir` (unit) leaves the box, plus `gap`.
    fn exit(&self, dir: [f32; 2], gap: f32) -> [f32; 2] {
        let c = self.centre();
        let tx = if dir[0].abs() > 1e-6 {
            (self.w / 2.0) / dir[0].abs()
        } else {
            f32::MAX
        };
        let ty = if dir[1].abs() > 1e-6 {
            (self.h / 2.0) / dir[1].abs()
        } else {
            f32::MAX
        };
        let t = tx.min(ty) + gap;
        [c[0] + dir[0] * t, c[1] + dir[1] * t]
    }
}

/// A note with its box and wrapped lines.
struct LaidNote<'a> {
    b: NoteBox,
    lines: Vec<String>,
    note: &'a SceneNote,
}

/// Sizes each note's box to its wrapped text and keeps it inside the graph area.
fn layout_notes<'a>(scene: &'a Scene, f: &Frame) -> Vec<LaidNote<'a>> {
    let u = f.u;
    let size = NOTE_FONT_PX * u;
    let line_h = size * 1.35;
    let pad = NOTE_PAD_PX * u;
    scene
        .notes
        .iter()
        .map(|note| {
            let lines = wrap_text(&note.text, size, NOTE_WRAP_PX * u, NOTE_MAX_LINES);
            let author = note.author.trim();
            let author_w = if author.is_empty() {
                0.0
            } else {
                text_width_px(&format!("— {author}"), 11.0 * u, false).min(NOTE_WRAP_PX * u)
            };
            let text_w = lines
                .iter()
                .map(|l| text_width_px(l, size, false))
                .fold(author_w, f32::max);
            let w = text_w + 2.0 * pad;
            let h = lines.len() as f32 * line_h
                + 2.0 * pad
                + if author.is_empty() { 0.0 } else { 16.0 * u };
            let at = f.map(note.pos);
            let [x0, y0, x1, y1] = f.graph;
            let x = at[0].min(x1 - w).max(x0);
            let y = at[1].min(y1 - h).max(y0);
            LaidNote {
                b: NoteBox { x, y, w, h },
                lines,
                note,
            }
        })
        .collect()
}

/// Draws the notes (anchor lines first, so every box covers them); returns their boxes.
fn draw_notes(out: &mut Out, laid: &[LaidNote<'_>], f: &Frame) -> Vec<NoteBox> {
    let u = f.u;
    let size = NOTE_FONT_PX * u;
    let line_h = size * 1.35;
    let pad = NOTE_PAD_PX * u;
    for LaidNote { b, note, .. } in laid {
        if let Some((pos, radius)) = note.anchor {
            let c = f.map(pos);
            let target = [c[0].clamp(b.x, b.x + b.w), c[1].clamp(b.y, b.y + b.h)];
            let (dx, dy) = (target[0] - c[0], target[1] - c[1]);
            let len = (dx * dx + dy * dy).sqrt();
            let r = f.node_radius(radius) + 2.0 * u;
            if len <= r {
                continue;
            }
            let start = [c[0] + dx / len * r, c[1] + dy / len * r];
            out.line(format_args!(
                r#"<line class="anchor" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-opacity="0.8" stroke-width="{}"/>"#,
                num(start[0]),
                num(start[1]),
                num(target[0]),
                num(target[1]),
                hex(NOTE_BORDER_RGB),
                num(1.5 * u)
            ));
        }
    }
    for LaidNote { b, lines, note } in laid {
        out.line(format_args!(
            r#"<g class="note"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" stroke="{}" stroke-width="{}"/>"#,
            num(b.x),
            num(b.y),
            num(b.w),
            num(b.h),
            num(4.0 * u),
            hex(NOTE_FILL_RGB),
            hex(NOTE_BORDER_RGB),
            num(u)
        ));
        for (i, line) in lines.iter().enumerate() {
            out.text(
                b.x + pad,
                b.y + pad + size * 0.8 + i as f32 * line_h,
                size,
                &hex(NOTE_TEXT_RGB),
                "start",
                "",
                line,
            );
        }
        let author = note.author.trim();
        if !author.is_empty() {
            let author =
                truncate_to_width(&format!("— {author}"), 11.0 * u, NOTE_WRAP_PX * u, false);
            out.text(
                b.x + pad,
                b.y + pad + lines.len() as f32 * line_h + 12.0 * u,
                11.0 * u,
                "#5f6b76",
                "start",
                "",
                &author,
            );
        }
        out.line(format_args!("</g>"));
    }
    laid.iter().map(|l| l.b).collect()
}

fn arrows(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette, boxes: &[NoteBox]) {
    let u = f.u;
    let centre = |point: &ArrowPoint| -> Option<[f32; 2]> {
        match point {
            ArrowPoint::Node { pos, .. } => Some(f.map(*pos)),
            ArrowPoint::Note(i) => boxes.get(*i).map(NoteBox::centre),
        }
    };
    let gap = 3.0 * u;
    let edge_of = |point: &ArrowPoint, dir: [f32; 2]| -> Option<[f32; 2]> {
        match point {
            ArrowPoint::Node { pos, radius } => {
                let c = f.map(*pos);
                let r = f.node_radius(*radius) + gap;
                Some([c[0] + dir[0] * r, c[1] + dir[1] * r])
            }
            ArrowPoint::Note(i) => boxes.get(*i).map(|b| b.exit(dir, gap)),
        }
    };
    for arrow in &scene.arrows {
        let (Some(a), Some(b)) = (centre(&arrow.from), centre(&arrow.to)) else {
            continue;
        };
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = (dx * dx + dy * dy).sqrt();
        if len < 1e-3 {
            continue;
        }
        let dir = [dx / len, dy / len];
        let (Some(start), Some(end)) = (
            edge_of(&arrow.from, dir),
            edge_of(&arrow.to, [-dir[0], -dir[1]]),
        ) else {
            continue;
        };
        // Ends that crossed (boxes overlapping) draw nothing.
        if (end[0] - start[0]) * dir[0] + (end[1] - start[1]) * dir[1] <= 0.0 {
            continue;
        }
        let head = 14.0 * u;
        let line_end = [end[0] - dir[0] * head * 0.8, end[1] - dir[1] * head * 0.8];
        out.line(format_args!(
            r#"<g class="arrow"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}" stroke-linecap="round"/>"#,
            num(start[0]),
            num(start[1]),
            num(line_end[0]),
            num(line_end[1]),
            p.arrow,
            num(2.5 * u)
        ));
        let back = [-dir[0] * head, -dir[1] * head];
        let side = [-back[1] * 0.4, back[0] * 0.4];
        out.line(format_args!(
            r#"<polygon points="{},{} {},{} {},{}" fill="{}"/></g>"#,
            num(end[0]),
            num(end[1]),
            num(end[0] + back[0] + side[0]),
            num(end[1] + back[1] + side[1]),
            num(end[0] + back[0] - side[0]),
            num(end[1] + back[1] - side[1]),
            p.arrow
        ));
    }
}

fn legend(out: &mut Out, scene: &Scene, f: &Frame, p: &Palette) {
    let Some(l) = &f.legend else {
        return;
    };
    let u = f.u;
    out.line(format_args!(
        r#"<g id="legend"><rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" stroke="{}" stroke-width="{}"/>"#,
        num(l.x),
        num(l.y),
        num(l.w),
        num(l.h),
        num(8.0 * u),
        p.panel_fill,
        p.rule,
        num(u)
    ));
    let left = l.x + LEGEND_PAD * u;
    out.text(
        left,
        l.y + LEGEND_PAD * u + 15.0 * u,
        15.0 * u,
        p.text,
        "start",
        r#" font-weight="bold""#,
        "Legend",
    );
    let stroke = format!(
        r##"stroke="#000000" stroke-opacity="0.63" stroke-width="{}""##,
        num(u)
    );
    for (i, (entry, label)) in scene.legend.iter().zip(&l.labels).enumerate() {
        let row_mid = l.y + LEGEND_PAD * u + LEGEND_HEADING * u + (i as f32 + 0.5) * LEGEND_ROW * u;
        let cx = left + LEGEND_SWATCH * u / 2.0;
        let r = 7.0 * u;
        match entry.mark {
            LegendMark::Circle => out.line(format_args!(
                r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                num(cx),
                num(row_mid),
                num(r),
                hex(entry.rgb)
            )),
            LegendMark::Square => out.line(format_args!(
                r#"<rect x="{}" y="{}" width="{}" height="{}" rx="{}" fill="{}" {stroke}/>"#,
                num(cx - r * 0.8),
                num(row_mid - r * 0.8),
                num(r * 1.6),
                num(r * 1.6),
                num(2.0 * u),
                hex(entry.rgb)
            )),
            LegendMark::Badge => {
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                    num(cx),
                    num(row_mid),
                    num(r),
                    hex(NEUTRAL_ADDRESS_RGB)
                ));
                badge(out, [cx + r * 0.75, row_mid + r * 0.75], u, entry.rgb);
            }
            LegendMark::Conflict => {
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="{}" {stroke}/>"#,
                    num(cx),
                    num(row_mid),
                    num(r * 0.8),
                    hex(NEUTRAL_ADDRESS_RGB)
                ));
                out.line(format_args!(
                    r#"<circle cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="{}"/>"#,
                    num(cx),
                    num(row_mid),
                    num(r * 0.8 + 2.5 * u),
                    hex(entry.rgb),
                    num(2.0 * u)
                ));
            }
        }
        out.text(
            left + (LEGEND_SWATCH + 10.0) * u,
            row_mid + LEGEND_FONT * u * 0.36,
            LEGEND_FONT * u,
            p.text,
            "start",
            r#" class="legend-entry""#,
            label,
        );
    }
    out.line(format_args!("</g>"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_what_xml_cannot_carry() {
        assert_eq!(
            escape(r#"<a & "b" 'c'>"#),
            "&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}d\ne"), "abcd e");
        assert_eq!(escape("Müller · → 中"), "Müller · → 中");
    }

    #[test]
    fn numbers_are_short_and_always_finite() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.25), "1.2");
        assert_eq!(num(-0.01), "0");
        assert_eq!(num(f32::NAN), "0");
        assert_eq!(num(f32::INFINITY), "0");
    }

    #[test]
    fn note_box_exit_points_lie_on_the_border() {
        let b = NoteBox {
            x: 0.0,
            y: 0.0,
            w: 100.0,
            h: 20.0,
        };
        assert_eq!(b.exit([1.0, 0.0], 0.0), [100.0, 10.0]);
        assert_eq!(b.exit([0.0, -1.0], 2.0), [50.0, -2.0]);
    }
}
