//! Convex hulls for drawing outlines around clusters of nodes: Andrew's
//! monotone chain hull and an inflation step that grows a hull (or a lone
//! point or pair) by a margin so the outline clears the node glyphs.

use std::f32::consts::{PI, TAU};

/// Vertices of the polygon drawn around a single point.
const POINT_POLYGON_SIDES: usize = 12;
/// Vertices on each rounded end of the capsule drawn around two points.
const CAPSULE_END_VERTICES: usize = 6;

/// Convex hull of `points` in counter-clockwise order (y up), starting at the
/// lowest-x (then lowest-y) point. Non-finite points are ignored, duplicates
/// merged and collinear points dropped, so 0, 1 or 2 distinct points come
/// back as they are (sorted) and a collinear set gives its two end points.
pub fn convex_hull(points: &[[f32; 2]]) -> Vec<[f32; 2]> {
    let mut pts: Vec<[f32; 2]> = points
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| [p[0] + 0.0, p[1] + 0.0]) // fold -0.0 into 0.0
        .collect();
    pts.sort_unstable_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    pts.dedup();
    if pts.len() <= 2 {
        return pts;
    }
    // Lower chain left to right, then upper chain right to left; `<= 0`
    // drops collinear points. A fully collinear set ends up as its two ends.
    let mut hull: Vec<[f32; 2]> = Vec::with_capacity(pts.len() + 1);
    for &p in &pts {
        while hull.len() >= 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
            hull.pop();
        }
        hull.push(p);
    }
    let lower_len = hull.len() + 1;
    for &p in pts.iter().rev().skip(1) {
        while hull.len() >= lower_len && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
        {
            hull.pop();
        }
        hull.push(p);
    }
    hull.pop(); // the start point closes the upper chain
    hull
}

/// Twice the signed area of triangle `o, a, b` (positive when counter-clockwise).
fn cross(o: [f32; 2], a: [f32; 2], b: [f32; 2]) -> f64 {
    let (ox, oy) = (f64::from(o[0]), f64::from(o[1]));
    (f64::from(a[0]) - ox) * (f64::from(b[1]) - oy)
        - (f64::from(a[1]) - oy) * (f64::from(b[0]) - ox)
}

/// Grows a hull by `margin` (negative or non-finite margins count as 0):
/// every vertex is pushed away from the vertex centroid by `margin`. The
/// input is re-hulled first, so any point set works; a single point becomes
/// a 12-gon of radius `margin` and two points a capsule around the segment.
/// The result is counter-clockwise.
pub fn inflate_hull(hull: &[[f32; 2]], margin: f32) -> Vec<[f32; 2]> {
    let margin = if margin.is_finite() {
        margin.max(0.0)
    } else {
        0.0
    };
    let hull = convex_hull(hull);
    match hull[..] {
        [] => Vec::new(),
        [p] => (0..POINT_POLYGON_SIDES)
            .map(|k| offset(p, TAU * k as f32 / POINT_POLYGON_SIDES as f32, margin))
            .collect(),
        [a, b] => {
            let axis = (b[1] - a[1]).atan2(b[0] - a[0]);
            let step = PI / (CAPSULE_END_VERTICES - 1) as f32;
            let around_b = (0..CAPSULE_END_VERTICES)
                .map(|k| offset(b, axis - PI / 2.0 + step * k as f32, margin));
            let around_a = (0..CAPSULE_END_VERTICES)
                .map(|k| offset(a, axis + PI / 2.0 + step * k as f32, margin));
            around_b.chain(around_a).collect()
        }
        _ => {
            let n = hull.len() as f64;
            let cx = (hull.iter().map(|p| f64::from(p[0])).sum::<f64>() / n) as f32;
            let cy = (hull.iter().map(|p| f64::from(p[1])).sum::<f64>() / n) as f32;
            hull.iter()
                .map(|&p| {
                    let (dx, dy) = (p[0] - cx, p[1] - cy);
                    let len = dx.hypot(dy);
                    if len > 0.0 {
                        [p[0] + dx / len * margin, p[1] + dy / len * margin]
                    } else {
                        p
                    }
                })
                .collect()
        }
    }
}

fn offset(p: [f32; 2], angle: f32, radius: f32) -> [f32; 2] {
    [p[0] + radius * angle.cos(), p[1] + radius * angle.sin()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_area(poly: &[[f32; 2]]) -> f64 {
        let n = poly.len();
        (0..n)
            .map(|i| {
                let (a, b) = (poly[i], poly[(i + 1) % n]);
                f64::from(a[0]) * f64::from(b[1]) - f64::from(b[0]) * f64::from(a[1])
            })
            .sum::<f64>()
            / 2.0
    }

    fn is_convex_ccw(poly: &[[f32; 2]]) -> bool {
        let n = poly.len();
        (0..n).all(|i| cross(poly[i], poly[(i + 1) % n], poly[(i + 2) % n]) > 0.0)
    }

    #[test]
    fn square_with_interior_points() {
        let pts = [
            [1.0, 1.0],
            [0.0, 0.0],
            [2.0, 0.5],
            [0.0, 2.0],
            [2.0, 0.0],
            [1.0, 0.0], // on an edge
            [0.5, 1.5],
            [2.0, 2.0],
            [1.0, 1.0],
        ];
        assert_eq!(
            convex_hull(&pts),
            vec![[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]]
        );
    }

    #[test]
    fn small_and_degenerate_sets() {
        assert!(convex_hull(&[]).is_empty());
        assert_eq!(convex_hull(&[[3.0, 4.0]]), vec![[3.0, 4.0]]);
        assert_eq!(
            convex_hull(&[[3.0, 4.0], [3.0, 4.0], [3.0, 4.0]]),
            vec![[3.0, 4.0]]
        );
        assert_eq!(
            convex_hull(&[[5.0, 0.0], [1.0, 1.0]]),
            vec![[1.0, 1.0], [5.0, 0.0]]
        );
        let line = [[0.0, 0.0], [3.0, 3.0], [1.0, 1.0], [2.0, 2.0], [3.0, 3.0]];
        assert_eq!(convex_hull(&line), vec![[0.0, 0.0], [3.0, 3.0]]);
        let vertical = [[1.0, 5.0], [1.0, -2.0], [1.0, 0.0]];
        assert_eq!(convex_hull(&vertical), vec![[1.0, -2.0], [1.0, 5.0]]);
        let with_nan = [
            [f32::NAN, 0.0],
            [0.0, 0.0],
            [1.0, 0.0],
            [0.0, f32::INFINITY],
            [0.0, 1.0],
        ];
        assert_eq!(
            convex_hull(&with_nan),
            vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]]
        );
    }

    #[test]
    fn hull_of_circle_points_keeps_them_all_ccw() {
        let pts: Vec<[f32; 2]> = (0..40)
            .map(|k| {
                let a = TAU * k as f32 / 40.0;
                [100.0 * a.cos(), 100.0 * a.sin()]
            })
            .collect();
        let hull = convex_hull(&pts);
        assert_eq!(hull.len(), 40);
        assert!(is_convex_ccw(&hull));
    }

    #[test]
    fn inflating_a_square_moves_each_vertex_out_by_the_margin() {
        let square = convex_hull(&[[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]]);
        let grown = inflate_hull(&square, 3.0);
        assert_eq!(grown.len(), 4);
        for (g, s) in grown.iter().zip(&square) {
            assert!(((g[0] - s[0]).hypot(g[1] - s[1]) - 3.0).abs() < 1e-4);
            assert!((g[0] - 2.0).hypot(g[1] - 2.0) > (s[0] - 2.0).hypot(s[1] - 2.0));
        }
        assert!(is_convex_ccw(&grown));
        assert!(signed_area(&grown) > signed_area(&square));
    }

    #[test]
    fn inflating_points_and_pairs_gives_polygons_around_them() {
        let one = inflate_hull(&[[5.0, 5.0]], 2.0);
        assert_eq!(one.len(), 12);
        assert!(
            one.iter()
                .all(|p| ((p[0] - 5.0).hypot(p[1] - 5.0) - 2.0).abs() < 1e-4)
        );
        assert!(is_convex_ccw(&one));

        let two = inflate_hull(&[[0.0, 0.0], [10.0, 0.0]], 2.0);
        assert_eq!(two.len(), 12);
        assert!(signed_area(&two) > 0.0);
        for p in &two {
            let d = if p[0] < 0.0 {
                p[0].hypot(p[1])
            } else if p[0] > 10.0 {
                (p[0] - 10.0).hypot(p[1])
            } else {
                p[1].abs()
            };
            assert!((d - 2.0).abs() < 1e-3, "{p:?}");
        }
        assert!(two.iter().any(|p| p[0] < -1.9) && two.iter().any(|p| p[0] > 11.9));

        assert!(inflate_hull(&[], 2.0).is_empty());
        let collinear = inflate_hull(&[[0.0, 0.0], [1.0, 0.0], [2.0, 0.0]], 1.0);
        assert_eq!(collinear.len(), 12);
        let bad_margin = inflate_hull(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]], f32::NAN);
        assert_eq!(
            bad_margin,
            convex_hull(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
        );
    }
}
