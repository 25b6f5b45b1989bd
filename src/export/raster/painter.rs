//! The PNG painter: draws the graph body's shapes ([`Draw`]) straight into a tiny-skia pixmap,
//! anti-aliased, with the same geometry and paint rules as the SVG (non-zero fill, fill then
//! outline, butt or round ends) — so a picture of any size is painted without an SVG document.
//! A few hundred thousand small shapes are the common case, so the painter avoids what costs
//! there: small discs, rings, thin lines and arrow heads are painted by coverage computed per
//! pixel (`super::coverage`); larger shapes go to tiny-skia, with coordinates mapped here,
//! butt-ended lines and circle outlines filled instead of stroked, and one path's storage
//! reused.

use super::coverage::{Target, is_convex};
use crate::export::draw::{Draw, Look, Paint, Stroke};
use crate::export::scene::glyphs::{Glyph, Primitive};
use resvg::tiny_skia::{
    self, FillRule, LineCap, LineJoin, Path, PathBuilder, PixmapMut, Rect, Transform,
};

/// Largest radius, pixels, of a circle painted by coverage (`super::coverage`) instead of
/// tiny-skia's scan.
const SMALL_CIRCLE_PX: f32 = 24.0;
/// Widest line, pixels, painted by coverage.
const THIN_LINE_PX: f32 = 4.0;
/// Largest side, pixels, of a filled convex polygon (an arrow head) painted by coverage.
const SMALL_POLYGON_PX: f32 = 32.0;

/// Cubic Bézier handle length for a quarter circle of radius 1.
const KAPPA: f32 = 0.552_284_8;

/// Paints shapes given in viewBox pixels onto a pixmap, mapping them to its pixels itself (so
/// tiny-skia never copies a path to transform it). Lines with butt ends are filled as
/// quadrilaterals and outlines of circles as rings, which costs a fraction of stroking them.
pub struct Painter<'a> {
    pixmap: PixmapMut<'a>,
    scale: f32,
    offset: [f32; 2],
    /// The pixmap's area in viewBox pixels: shapes wholly outside are skipped without
    /// building a path.
    visible: [f32; 4],
    /// A path's storage, reused from shape to shape.
    spare: Option<PathBuilder>,
}

impl<'a> Painter<'a> {
    /// A painter on `pixmap`; a viewBox point `p` lands on pixel `p × scale + offset`.
    pub fn new(pixmap: PixmapMut<'a>, scale: f32, offset: [f32; 2]) -> Painter<'a> {
        let scale = if scale > 0.0 && scale.is_finite() {
            scale
        } else {
            1.0
        };
        let (w, h) = (pixmap.width() as f32, pixmap.height() as f32);
        let visible = [
            -offset[0] / scale,
            -offset[1] / scale,
            (w - offset[0]) / scale,
            (h - offset[1]) / scale,
        ];
        Painter {
            pixmap,
            scale,
            offset,
            visible,
            spare: None,
        }
    }

    fn map(&self, p: [f32; 2]) -> (f32, f32) {
        (
            p[0] * self.scale + self.offset[0],
            p[1] * self.scale + self.offset[1],
        )
    }

    /// Whether a shape within `reach` of `centre` can touch the picture.
    fn in_view(&self, centre: [f32; 2], reach: f32) -> bool {
        let [x0, y0, x1, y1] = self.visible;
        centre[0] + reach >= x0
            && centre[0] - reach <= x1
            && centre[1] + reach >= y0
            && centre[1] - reach <= y1
    }

    /// The pixmap's bytes, for shapes painted by coverage.
    fn target(&mut self) -> Target<'_> {
        let (width, height) = (self.pixmap.width() as usize, self.pixmap.height() as usize);
        Target {
            data: self.pixmap.data_mut(),
            width,
            height,
        }
    }

    fn builder(&mut self) -> PathBuilder {
        self.spare.take().unwrap_or_default()
    }

    /// Fills `path` (pixel coordinates) and keeps its storage for the next shape.
    fn fill(&mut self, path: Path, p: Paint, rule: FillRule) {
        self.pixmap
            .fill_path(&path, &paint(p), rule, Transform::identity(), None);
        self.spare = Some(path.clear());
    }

    /// Fills `path` (pixel coordinates) with `look.fill`, then outlines it with `look.stroke`
    /// (its width in viewBox pixels), as SVG paints a shape; keeps its storage.
    fn fill_and_stroke(&mut self, path: Path, look: Look) {
        if let Some(fill) = look.fill {
            self.pixmap.fill_path(
                &path,
                &paint(fill),
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        if let Some(stroke) = look.stroke {
            let scaled = Stroke {
                width: stroke.width * self.scale,
                ..stroke
            };
            self.stroke_path(&path, scaled, Transform::identity());
        }
        self.spare = Some(path.clear());
    }

    /// A closed polygon through viewBox `points`, in pixels.
    fn polygon_in_pixels(&mut self, points: &[[f32; 2]]) -> Option<Path> {
        let (first, rest) = points.split_first()?;
        let mut pb = self.builder();
        let (x, y) = self.map(*first);
        pb.move_to(x, y);
        for q in rest {
            let (x, y) = self.map(*q);
            pb.line_to(x, y);
        }
        pb.close();
        pb.finish()
    }

    fn stroke_path(&mut self, path: &Path, stroke: Stroke, transform: Transform) {
        if !(stroke.width > 0.0 && stroke.width.is_finite()) {
            return;
        }
        let (cap, join) = if stroke.round {
            (LineCap::Round, LineJoin::Round)
        } else {
            (LineCap::Butt, LineJoin::Miter)
        };
        let outline = tiny_skia::Stroke {
            width: stroke.width,
            line_cap: cap,
            line_join: join,
            ..tiny_skia::Stroke::default()
        };
        self.pixmap
            .stroke_path(path, &paint(stroke.paint), &outline, transform, None);
    }

    /// A glyph primitive's path in the unit circle, filled through `at`.
    fn fill_transformed(&mut self, path: &Path, p: Paint, rule: FillRule, at: Transform) {
        self.pixmap.fill_path(path, &paint(p), rule, at, None);
    }
}

/// A tiny-skia paint of `p`, anti-aliased.
fn paint(p: Paint) -> tiny_skia::Paint<'static> {
    let mut paint = tiny_skia::Paint::default();
    let [r, g, b] = p.rgb.map(|c| f32::from(c) / 255.0);
    let alpha = if p.opacity.is_finite() {
        p.opacity.clamp(0.0, 1.0)
    } else {
        1.0
    };
    if let Some(colour) = tiny_skia::Color::from_rgba(r, g, b, alpha) {
        paint.set_color(colour);
    }
    paint.anti_alias = true;
    paint
}

fn polygon_path(points: &[[f32; 2]]) -> Option<Path> {
    let (first, rest) = points.split_first()?;
    let mut pb = PathBuilder::new();
    pb.move_to(first[0], first[1]);
    for q in rest {
        pb.line_to(q[0], q[1]);
    }
    pb.close();
    pb.finish()
}

/// A rectangle with corners rounded by `corner` (clamped to half the shorter side, as SVG).
fn rounded_rect_path(min: [f32; 2], size: [f32; 2], corner: f32) -> Option<Path> {
    let [x, y] = min;
    let [w, h] = size;
    let r = corner.min(w / 2.0).min(h / 2.0).max(0.0);
    if r <= 0.0 {
        return Some(PathBuilder::from_rect(Rect::from_xywh(x, y, w, h)?));
    }
    let k = r * KAPPA;
    let mut pb = PathBuilder::new();
    pb.move_to(x + r, y);
    pb.line_to(x + w - r, y);
    pb.cubic_to(x + w - r + k, y, x + w, y + r - k, x + w, y + r);
    pb.line_to(x + w, y + h - r);
    pb.cubic_to(x + w, y + h - r + k, x + w - r + k, y + h, x + w - r, y + h);
    pb.line_to(x + r, y + h);
    pb.cubic_to(x + r - k, y + h, x, y + h - r + k, x, y + h - r);
    pb.line_to(x, y + r);
    pb.cubic_to(x, y + r - k, x + r - k, y, x + r, y);
    pb.close();
    pb.finish()
}

impl Draw for Painter<'_> {
    fn polygon(&mut self, points: &[[f32; 2]], look: Look) {
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for q in points {
            lo = [lo[0].min(q[0]), lo[1].min(q[1])];
            hi = [hi[0].max(q[0]), hi[1].max(q[1])];
        }
        let reach = look.stroke.map_or(0.0, |s| s.width);
        let centre = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        let half = (hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0;
        if !self.in_view(centre, half + reach) {
            return;
        }
        if let (Some(fill), None) = (look.fill, look.stroke)
            && 2.0 * half * self.scale <= SMALL_POLYGON_PX
            && points.len() <= 8
        {
            let mut corners = [[0.0f32; 2]; 8];
            for (c, q) in corners.iter_mut().zip(points) {
                let (x, y) = self.map(*q);
                *c = [x, y];
            }
            let corners = &corners[..points.len()];
            if is_convex(corners) {
                self.target().convex(corners, fill);
                return;
            }
        }
        let Some(path) = self.polygon_in_pixels(points) else {
            return;
        };
        self.fill_and_stroke(path, look);
    }

    fn line(&mut self, from: [f32; 2], to: [f32; 2], look: Look) {
        let Some(stroke) = look.stroke else {
            return;
        };
        let (dx, dy) = (to[0] - from[0], to[1] - from[1]);
        let length = dx.hypot(dy);
        let mid = [(from[0] + to[0]) / 2.0, (from[1] + to[1]) / 2.0];
        let visible = length.is_finite()
            && stroke.width.is_finite()
            && self.in_view(mid, (length + stroke.width) / 2.0);
        if !visible {
            return;
        }
        if stroke.round || length <= 0.0 {
            let mut pb = self.builder();
            let (x0, y0) = self.map(from);
            let (x1, y1) = self.map(to);
            pb.move_to(x0, y0);
            pb.line_to(x1, y1);
            if let Some(path) = pb.finish() {
                let scaled = Stroke {
                    width: stroke.width * self.scale,
                    ..stroke
                };
                self.stroke_path(&path, scaled, Transform::identity());
                self.spare = Some(path.clear());
            }
            return;
        }
        // A butt-ended line is the quadrilateral around it.
        let half = stroke.width / 2.0;
        let side = [-dy / length * half, dx / length * half];
        let corners = [
            [from[0] + side[0], from[1] + side[1]],
            [to[0] + side[0], to[1] + side[1]],
            [to[0] - side[0], to[1] - side[1]],
            [from[0] - side[0], from[1] - side[1]],
        ];
        if stroke.width * self.scale <= THIN_LINE_PX {
            let pixels = corners.map(|q| {
                let (x, y) = self.map(q);
                [x, y]
            });
            self.target().convex(&pixels, stroke.paint);
            return;
        }
        if let Some(path) = self.polygon_in_pixels(&corners) {
            self.fill(path, stroke.paint, FillRule::Winding);
        }
    }

    fn circle(&mut self, centre: [f32; 2], radius: f32, look: Look) {
        let reach = radius + look.stroke.map_or(0.0, |s| s.width);
        let visible = radius > 0.0 && radius.is_finite() && self.in_view(centre, reach);
        if !visible {
            return;
        }
        let (cx, cy) = self.map(centre);
        let r = radius * self.scale;
        if r <= SMALL_CIRCLE_PX {
            if let Some(fill) = look.fill {
                self.target().ring([cx, cy], r, None, fill);
            }
            if let Some(stroke) = look.stroke
                && stroke.width > 0.0
                && stroke.width.is_finite()
            {
                let half = stroke.width * self.scale / 2.0;
                let inner = (r > half).then_some(r - half);
                self.target().ring([cx, cy], r + half, inner, stroke.paint);
            }
            return;
        }
        if let Some(fill) = look.fill {
            let mut pb = self.builder();
            pb.push_circle(cx, cy, r);
            if let Some(path) = pb.finish() {
                self.fill(path, fill, FillRule::Winding);
            }
        }
        // An outline centred on the circle is the ring between two circles.
        if let Some(stroke) = look.stroke
            && stroke.width > 0.0
            && stroke.width.is_finite()
        {
            let half = stroke.width * self.scale / 2.0;
            let mut pb = self.builder();
            pb.push_circle(cx, cy, r + half);
            if r > half {
                pb.push_circle(cx, cy, r - half);
            }
            if let Some(path) = pb.finish() {
                self.fill(path, stroke.paint, FillRule::EvenOdd);
            }
        }
    }

    fn rect(&mut self, min: [f32; 2], size: [f32; 2], corner: f32, look: Look) {
        let centre = [min[0] + size[0] / 2.0, min[1] + size[1] / 2.0];
        let reach = size[0].max(size[1]) + look.stroke.map_or(0.0, |s| s.width);
        if !self.in_view(centre, reach) {
            return;
        }
        let (x, y) = self.map(min);
        let pixels = [size[0] * self.scale, size[1] * self.scale];
        if let Some(path) = rounded_rect_path([x, y], pixels, corner * self.scale) {
            self.fill_and_stroke(path, look);
        }
    }

    fn glyph(&mut self, glyph: Glyph, c: [f32; 2], r: f32, paint: Paint) {
        if !self.in_view(c, r) {
            return;
        }
        let (cx, cy) = self.map(c);
        let base = Transform::from_row(r * self.scale, 0.0, 0.0, r * self.scale, cx, cy);
        for prim in glyph.primitives() {
            match *prim {
                Primitive::Rect {
                    centre,
                    half,
                    degrees,
                } => {
                    let at = base
                        .pre_translate(centre[0], centre[1])
                        .pre_concat(Transform::from_rotate(degrees));
                    if let Some(rect) =
                        Rect::from_xywh(-half[0], -half[1], 2.0 * half[0], 2.0 * half[1])
                    {
                        let path = PathBuilder::from_rect(rect);
                        self.fill_transformed(&path, paint, FillRule::Winding, at);
                    }
                }
                Primitive::Ring { radius, width } => {
                    let mut pb = PathBuilder::new();
                    pb.push_circle(0.0, 0.0, radius + width / 2.0);
                    pb.push_circle(0.0, 0.0, (radius - width / 2.0).max(0.0));
                    if let Some(path) = pb.finish() {
                        self.fill_transformed(&path, paint, FillRule::EvenOdd, base);
                    }
                }
                Primitive::Disc { centre, radius } => {
                    if let Some(path) = PathBuilder::from_circle(centre[0], centre[1], radius) {
                        self.fill_transformed(&path, paint, FillRule::Winding, base);
                    }
                }
                Primitive::Polygon(corners) => {
                    if let Some(path) = polygon_path(corners) {
                        self.fill_transformed(&path, paint, FillRule::Winding, base);
                    }
                }
            }
        }
    }
}
