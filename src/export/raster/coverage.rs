//! Small shapes painted by coverage computed per pixel, blended straight into premultiplied
//! RGBA bytes: discs and rings (node marks and their outlines) and small convex polygons (thin
//! edge lines and arrow heads). A pixel's coverage is its centre's signed distance to the
//! shape's border plus half a pixel, clamped to 0..1 — the usual distance anti-aliasing, within
//! a few levels of an exact area — so a shape costs the pixels it touches and nothing more.
//! tiny-skia's supersampled scan costs about twenty microseconds for each such shape whatever
//! its size; a picture of a big case has a few hundred thousand of them.
//!
//! Every loop is bounded by the band's pixels: shapes are clipped to the band before any pixel
//! is visited.

use crate::export::draw::Paint;

/// Premultiplied RGBA bytes of one band of the picture.
pub struct Target<'a> {
    pub data: &'a mut [u8],
    pub width: usize,
    pub height: usize,
}

/// A paint ready to blend: straight colour 0..=255 and opacity 0..=1.
#[derive(Clone, Copy)]
struct Ink {
    rgb: [f32; 3],
    opacity: f32,
}

impl Ink {
    fn of(p: Paint) -> Ink {
        let opacity = if p.opacity.is_finite() {
            p.opacity.clamp(0.0, 1.0)
        } else {
            1.0
        };
        Ink {
            rgb: p.rgb.map(f32::from),
            opacity,
        }
    }
}

impl Target<'_> {
    /// Source-over of `ink` at `coverage` onto pixel (x, y), which must be inside.
    fn blend(&mut self, x: usize, y: usize, ink: Ink, coverage: f32) {
        let a = ink.opacity * coverage;
        if a <= 0.0 {
            return;
        }
        let at = (y * self.width + x) * 4;
        let Some(px) = self.data.get_mut(at..at + 4) else {
            return;
        };
        let keep = 1.0 - a;
        for (channel, source) in px.iter_mut().zip(ink.rgb) {
            *channel = (source * a + f32::from(*channel) * keep + 0.5).min(255.0) as u8;
        }
        px[3] = (255.0 * a + f32::from(px[3]) * keep + 0.5).min(255.0) as u8;
    }

    /// Rows `y0..y1` and columns `x0..x1` of the band that a box from `lo` to `hi` (pixels,
    /// widened by a pixel for the soft border) touches; `None` when it misses the band.
    fn clip(&self, lo: [f32; 2], hi: [f32; 2]) -> Option<(usize, usize, usize, usize)> {
        let (w, h) = (self.width as f32, self.height as f32);
        let x0 = (lo[0] - 1.0).floor().max(0.0);
        let y0 = (lo[1] - 1.0).floor().max(0.0);
        let x1 = (hi[0] + 1.0).ceil().min(w);
        let y1 = (hi[1] + 1.0).ceil().min(h);
        let finite = [x0, y0, x1, y1].iter().all(|v| v.is_finite());
        (finite && x0 < x1 && y0 < y1).then_some((
            x0 as usize,
            y0 as usize,
            x1 as usize,
            y1 as usize,
        ))
    }

    /// A disc of radius `r` at `c` (pixels); with `inner`, only the ring from `inner` to `r`.
    pub fn ring(&mut self, c: [f32; 2], r: f32, inner: Option<f32>, paint: Paint) {
        if !(r > 0.0 && r.is_finite()) {
            return;
        }
        let Some((x0, y0, x1, y1)) = self.clip([c[0] - r, c[1] - r], [c[0] + r, c[1] + r]) else {
            return;
        };
        let ink = Ink::of(paint);
        let inner = inner.filter(|i| *i > 0.0);
        for y in y0..y1 {
            let dy = y as f32 + 0.5 - c[1];
            for x in x0..x1 {
                let dx = x as f32 + 0.5 - c[0];
                let d = (dx * dx + dy * dy).sqrt();
                let mut coverage = (r + 0.5 - d).clamp(0.0, 1.0);
                if let Some(i) = inner {
                    coverage = coverage.min((d - i + 0.5).clamp(0.0, 1.0));
                }
                self.blend(x, y, ink, coverage);
            }
        }
    }

    /// A convex polygon through `corners` (pixels, either winding).
    pub fn convex(&mut self, corners: &[[f32; 2]], paint: Paint) {
        const MOST_CORNERS: usize = 8;
        if corners.len() < 3 || corners.len() > MOST_CORNERS {
            return;
        }
        // Inward unit normals and offsets: inside where n·p + k ≥ 0 for every side.
        let area2: f32 = (0..corners.len())
            .map(|i| {
                let (a, b) = (corners[i], corners[(i + 1) % corners.len()]);
                a[0] * b[1] - b[0] * a[1]
            })
            .sum();
        if !area2.is_finite() || area2 == 0.0 {
            return;
        }
        let sign = area2.signum();
        let mut sides = [([0.0f32; 2], 0.0f32); MOST_CORNERS];
        for (i, side) in sides.iter_mut().enumerate().take(corners.len()) {
            let (a, b) = (corners[i], corners[(i + 1) % corners.len()]);
            let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
            let len = ex.hypot(ey);
            if len <= 1e-6 {
                // A repeated corner: a side that excludes nothing.
                *side = ([0.0, 0.0], f32::MAX);
                continue;
            }
            let n = [-ey / len * sign, ex / len * sign];
            *side = (n, -(n[0] * a[0] + n[1] * a[1]));
        }
        let sides = &sides[..corners.len()];
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for q in corners {
            lo = [lo[0].min(q[0]), lo[1].min(q[1])];
            hi = [hi[0].max(q[0]), hi[1].max(q[1])];
        }
        let Some((x0, y0, x1, y1)) = self.clip(lo, hi) else {
            return;
        };
        let ink = Ink::of(paint);
        for y in y0..y1 {
            // The columns this row can touch: the polygon's extent over the row, widened by
            // the soft border (a long thin diagonal touches a few pixels per row).
            let (row_lo, row_hi) = (y as f32 - 0.5, y as f32 + 1.5);
            let (mut xs_lo, mut xs_hi) = (f32::MAX, f32::MIN);
            for i in 0..corners.len() {
                let (a, b) = (corners[i], corners[(i + 1) % corners.len()]);
                let (ya, yb) = (a[1].min(b[1]), a[1].max(b[1]));
                if yb < row_lo || ya > row_hi {
                    continue;
                }
                if (b[1] - a[1]).abs() < 1e-6 {
                    xs_lo = xs_lo.min(a[0].min(b[0]));
                    xs_hi = xs_hi.max(a[0].max(b[0]));
                    continue;
                }
                for t_y in [row_lo.max(ya), row_hi.min(yb)] {
                    let x = a[0] + (b[0] - a[0]) * (t_y - a[1]) / (b[1] - a[1]);
                    xs_lo = xs_lo.min(x);
                    xs_hi = xs_hi.max(x);
                }
            }
            if xs_lo > xs_hi {
                continue;
            }
            let cx0 = ((xs_lo - 1.0).floor().max(x0 as f32)) as usize;
            let cx1 = ((xs_hi + 1.0).ceil().min(x1 as f32)) as usize;
            let py = y as f32 + 0.5;
            for x in cx0..cx1 {
                let px = x as f32 + 0.5;
                let inside = sides
                    .iter()
                    .map(|(n, k)| n[0] * px + n[1] * py + k)
                    .fold(f32::MAX, f32::min);
                self.blend(x, y, ink, (inside + 0.5).clamp(0.0, 1.0));
            }
        }
    }
}

/// Whether `corners` (at most eight) make a convex polygon with some area.
pub fn is_convex(corners: &[[f32; 2]]) -> bool {
    let n = corners.len();
    if !(3..=8).contains(&n) {
        return false;
    }
    let mut sign = 0.0f32;
    for i in 0..n {
        let (a, b, c) = (corners[i], corners[(i + 1) % n], corners[(i + 2) % n]);
        let cross = (b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]);
        if !cross.is_finite() {
            return false;
        }
        if cross != 0.0 {
            if sign != 0.0 && cross.signum() != sign {
                return false;
            }
            sign = cross.signum();
        }
    }
    sign != 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use resvg::tiny_skia::{self, FillRule, PathBuilder, Pixmap, Transform};

    /// Paints with tiny-skia (the reference) and with coverage, returns the largest and the
    /// mean difference of any channel.
    fn compare(reference: impl Fn(&mut Pixmap), ours: impl Fn(&mut Target<'_>)) -> (u8, f64) {
        let (w, h) = (64u32, 64u32);
        let mut a = Pixmap::new(w, h).expect("pixmap");
        a.fill(tiny_skia::Color::WHITE);
        let mut b = a.clone();
        reference(&mut a);
        ours(&mut Target {
            data: b.data_mut(),
            width: w as usize,
            height: h as usize,
        });
        let diffs: Vec<u8> = a
            .data()
            .iter()
            .zip(b.data())
            .map(|(x, y)| x.abs_diff(*y))
            .collect();
        let worst = diffs.iter().copied().max().unwrap_or(0);
        let mean = diffs.iter().map(|&d| f64::from(d)).sum::<f64>() / diffs.len() as f64;
        (worst, mean)
    }

    fn fill(pixmap: &mut Pixmap, path: &tiny_skia::Path, rgba: [u8; 4], rule: FillRule) {
        let mut paint = tiny_skia::Paint::default();
        paint.set_color_rgba8(rgba[0], rgba[1], rgba[2], rgba[3]);
        paint.anti_alias = true;
        pixmap.fill_path(path, &paint, rule, Transform::identity(), None);
    }

    #[test]
    fn discs_and_rings_match_tiny_skia_within_a_few_levels() {
        for (c, r) in [
            ([20.3, 30.7], 5.2),
            ([32.0, 32.0], 2.5),
            ([10.5, 50.1], 11.0),
        ] {
            let (worst, mean) = compare(
                |p| {
                    let path = PathBuilder::from_circle(c[0], c[1], r).expect("circle");
                    fill(p, &path, [60, 120, 200, 255], FillRule::Winding);
                },
                |t| t.ring(c, r, None, Paint::solid([60, 120, 200])),
            );
            assert!(
                worst <= 48 && mean < 0.6,
                "disc r {r}: worst {worst}, mean {mean}"
            );
            let (worst, mean) = compare(
                |p| {
                    let mut pb = PathBuilder::new();
                    pb.push_circle(c[0], c[1], r + 1.0);
                    pb.push_circle(c[0], c[1], r - 1.0);
                    let path = pb.finish().expect("ring");
                    fill(p, &path, [0, 0, 0, 160], FillRule::EvenOdd);
                },
                |t| {
                    t.ring(
                        c,
                        r + 1.0,
                        Some(r - 1.0),
                        Paint::new([0, 0, 0], 160.0 / 255.0),
                    )
                },
            );
            assert!(
                worst <= 48 && mean < 0.6,
                "ring r {r}: worst {worst}, mean {mean}"
            );
        }
    }

    #[test]
    fn thin_lines_and_triangles_match_tiny_skia_within_a_few_levels() {
        let shapes: [&[[f32; 2]]; 3] = [
            // A 1.3-pixel line at a shallow angle, a steep one, and an arrow head.
            &[[3.0, 10.0], [60.0, 24.0], [59.7, 25.3], [2.7, 11.3]],
            &[[30.0, 2.0], [31.4, 2.1], [27.4, 61.1], [26.0, 61.0]],
            &[[40.0, 40.0], [32.0, 44.0], [34.0, 35.0]],
        ];
        for corners in shapes {
            let (worst, mean) = compare(
                |p| {
                    let mut pb = PathBuilder::new();
                    pb.move_to(corners[0][0], corners[0][1]);
                    for q in &corners[1..] {
                        pb.line_to(q[0], q[1]);
                    }
                    pb.close();
                    let path = pb.finish().expect("polygon");
                    fill(p, &path, [125, 138, 154, 191], FillRule::Winding);
                },
                |t| t.convex(corners, Paint::new([125, 138, 154], 191.0 / 255.0)),
            );
            assert!(
                worst <= 64 && mean < 1.0,
                "{corners:?}: worst {worst}, mean {mean}"
            );
        }
    }

    #[test]
    fn shapes_off_the_band_or_absurd_change_nothing() {
        let mut data = vec![7u8; 16 * 16 * 4];
        let mut t = Target {
            data: &mut data,
            width: 16,
            height: 16,
        };
        t.ring([-100.0, 5.0], 3.0, None, Paint::solid([0; 3]));
        t.ring([5.0, 5.0], f32::NAN, None, Paint::solid([0; 3]));
        t.ring([f32::INFINITY, 5.0], 3.0, None, Paint::solid([0; 3]));
        t.convex(&[[0.0, 0.0], [1.0, 1.0]], Paint::solid([0; 3]));
        t.convex(
            &[[50.0, 50.0], [60.0, 50.0], [55.0, 60.0]],
            Paint::solid([0; 3]),
        );
        t.convex(
            &[[f32::NAN, 0.0], [1.0, 0.0], [0.0, 1.0]],
            Paint::solid([0; 3]),
        );
        assert!(data.iter().all(|&b| b == 7));
    }
}
