//! Scene → SVG: the annotated picture of a case as a small, hand-written, well-formed SVG.
//!
//! The picture is `width_px` wide (the viewBox; `scale` multiplies the width/height attributes
//! only). From the top: the case title and a summary line; the graph, fitted to the space, with
//! cluster hulls, edges with arrow heads, highlight halos, nodes with their badges and labels,
//! notes as rounded text boxes (anchored ones joined to their node by a leader line) and the
//! investigator's arrows; a legend box of the categories used at the right; a footer with the
//! source of the data and the dates. The graph is drawn as the canvas draws it at the zoom that
//! fits it, magnified by `width_px / 1200` so text stays legible at print resolution; labels
//! never cover one another and stay inside the picture (see `labels`; each node keeps its full
//! label as an SVG tooltip). Every text is escaped, and characters XML cannot carry are
//! dropped.

use super::font::{SVG_FONT_FAMILY, text_width_px, truncate_to_width, wrap_text};
use super::scene::{
    ArrowPoint, CONFLICT_RGB, EDGE_BAND_PX, HALO_PX, HULL_MARGIN_PX, LABEL_PX, LABEL_ZOOM,
    LegendMark, MIN_SCREEN_RADIUS, MarkShape, NEUTRAL_ADDRESS_RGB, NOTE_BORDER_RGB, NOTE_FILL_RGB,
    NOTE_FONT_PX, NOTE_PAD_PX, NOTE_TEXT_RGB, NOTE_WRAP_PX, Scene, SceneNode, SceneNote,
    SceneOptions, Theme,
};

mod graph;
mod labels;
mod legend;
mod notes;
mod writer;

use labels::{draw_labels, place_labels};
use legend::legend;
#[cfg(test)]
use notes::NoteBox;
use notes::{arrows, draw_notes, layout_notes};
use writer::Out;

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
    background: [u8; 3],
    text: &'static str,
    muted: &'static str,
    rule: &'static str,
    edge: [u8; 3],
    edge_opacity: f32,
    arrow: &'static str,
    panel_fill: &'static str,
    /// Hull labels are the category colour times this (darker on paper, so yellow reads).
    hull_text_factor: f32,
}

const PAPER: Palette = Palette {
    background: [0xff, 0xff, 0xff],
    text: "#1d232a",
    muted: "#5f6b76",
    rule: "#d0d5da",
    edge: [0x7d, 0x8a, 0x9a],
    edge_opacity: 0.75,
    arrow: "#00838f",
    panel_fill: "#f7f8f9",
    hull_text_factor: 0.6,
};

const DARK: Palette = Palette {
    background: [0x1b, 0x1d, 0x22],
    text: "#d4d7dc",
    muted: "#8c939c",
    rule: "#3a3f47",
    edge: [0xaa, 0xb4, 0xc8],
    edge_opacity: 0.59,
    arrow: "#26c6da",
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

/// Renders a scene as SVG text (see the module doc).
pub fn scene_to_svg(scene: &Scene, options: &SceneOptions) -> String {
    let palette = palette(options.theme);
    let f = frame(scene, options);
    let mut out = Out(String::with_capacity(4096 + scene.nodes.len() * 400));
    write_svg(&mut out, scene, options, &f, palette, true);
    out.0
}

fn palette(theme: Theme) -> &'static Palette {
    match theme {
        Theme::Paper => &PAPER,
        Theme::Dark => &DARK,
    }
}

/// The picture in two parts, for painting without an SVG document of the whole graph: the
/// graph body (hulls, edges, nodes — about five shapes per node) is drawn straight onto a
/// [`Draw`](crate::export::draw::Draw), and everything else — header, labels, notes, arrows,
/// legend, footer, a bounded number of elements whatever the case's size — is an SVG
/// document with a transparent background, to be painted over it.
pub struct Layers<'a> {
    /// Header, labels, notes, arrows, legend and footer, transparent elsewhere.
    pub overlay_svg: String,
    /// The picture's background colour (under the body).
    pub background: [u8; 3],
    /// The viewBox size, pixels.
    pub view_box: [f32; 2],
    /// The picture's size in pixels (the viewBox times the options' scale, rounded).
    pub size_px: [f32; 2],
    scene: &'a Scene,
    frame: Frame,
    palette: &'static Palette,
}

impl Layers<'_> {
    /// Draws the graph body in viewBox coordinates.
    pub fn draw_body(&self, d: &mut impl crate::export::draw::Draw) {
        graph::body(d, self.scene, &self.frame, self.palette);
    }
}

/// Splits the picture of `scene` into [`Layers`].
pub fn layers<'a>(scene: &'a Scene, options: &SceneOptions) -> Layers<'a> {
    let palette = palette(options.theme);
    let frame = frame(scene, options);
    let mut out = Out(String::with_capacity(16_384));
    write_svg(&mut out, scene, options, &frame, palette, false);
    let scale = options.effective_scale();
    Layers {
        overlay_svg: out.0,
        background: palette.background,
        view_box: [frame.width, frame.height],
        size_px: [
            (frame.width * scale).round(),
            (frame.height * scale).round(),
        ],
        scene,
        frame,
        palette,
    }
}

/// Writes the SVG document; without `body` it leaves out the background and the graph body
/// (see [`Layers`]).
fn write_svg(
    out: &mut Out,
    scene: &Scene,
    options: &SceneOptions,
    f: &Frame,
    palette: &Palette,
    body: bool,
) {
    let scale = options.effective_scale();
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
    if body {
        out.line(format_args!(
            r#"<rect x="0" y="0" width="{}" height="{}" fill="{}"/>"#,
            num(f.width),
            num(f.height),
            hex(palette.background)
        ));
    }
    header(out, scene, f, palette);
    out.line(format_args!(r#"<g id="graph">"#));
    if body {
        graph::body(out, scene, f, palette);
    }
    let laid = layout_notes(scene, f);
    // Labels go where they cover no note and no other label.
    let note_boxes: Vec<[f32; 4]> = laid
        .iter()
        .map(|n| [n.b.x, n.b.y, n.b.x + n.b.w, n.b.y + n.b.h])
        .collect();
    draw_labels(out, &place_labels(scene, f, &note_boxes), f, palette);
    let boxes = draw_notes(out, &laid, f);
    arrows(out, scene, f, palette, &boxes);
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
    legend(out, scene, f, palette);
    footer(out, scene, f, palette);
    out.line(format_args!("</svg>"));
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
