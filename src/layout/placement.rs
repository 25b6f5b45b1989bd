//! Where to put a node that has just been added next to an existing one:
//! children of one parent go on a ring at about the ideal edge length, or on
//! a Vogel (golden-angle) spiral when there are many, with a small seeded
//! jitter so the simulation never starts from a perfectly symmetric state.
//!
//! Where the parent has placed nodes around it, the children go on the side away from them
//! instead ([`away_direction`], [`place_away`]): in fanned rows facing outwards, so an
//! expansion grows the picture at its edge rather than into the nodes already there.

use std::f32::consts::TAU;

use super::params::DEFAULT_IDEAL_EDGE_LENGTH;
use super::rng::{GOLDEN_ANGLE, hash_index, signed_unit_f32, unit_f32};

/// Up to this many siblings share one ring; more go on a spiral.
const RING_CAPACITY: usize = 12;
/// Jitter per axis, as a fraction of the edge length.
const JITTER_FRACTION: f32 = 0.05;
/// Spiral spacing between neighbouring children, as a fraction of the edge length.
const SPIRAL_SPACING_FRACTION: f32 = 0.5;

/// Position for child `sibling_index` of `sibling_count` children of a node at
/// `parent`, at about the default ideal edge length (60 units). Use the same
/// `seed` for all siblings (e.g. derived from the parent's id).
pub fn place_near(
    parent: [f32; 2],
    sibling_index: usize,
    sibling_count: usize,
    seed: u64,
) -> [f32; 2] {
    place_near_with_length(
        parent,
        sibling_index,
        sibling_count,
        seed,
        DEFAULT_IDEAL_EDGE_LENGTH,
    )
}

/// [`place_near`] with an explicit edge length (non-positive or non-finite
/// lengths fall back to the default). Non-finite parent coordinates count
/// as 0. Siblings with distinct indices get distinct positions.
pub fn place_near_with_length(
    parent: [f32; 2],
    sibling_index: usize,
    sibling_count: usize,
    seed: u64,
    edge_length: f32,
) -> [f32; 2] {
    let length = if edge_length.is_finite() && edge_length > 0.0 {
        edge_length
    } else {
        DEFAULT_IDEAL_EDGE_LENGTH
    };
    let finite_or_zero = |v: f32| if v.is_finite() { v } else { 0.0 };
    let parent = [finite_or_zero(parent[0]), finite_or_zero(parent[1])];
    let count = sibling_count.max(sibling_index.saturating_add(1));
    let base_angle = unit_f32(hash_index(seed, u64::MAX)) * TAU;
    let (radius, angle) = if count <= RING_CAPACITY {
        (
            length,
            base_angle + TAU * sibling_index as f32 / count as f32,
        )
    } else {
        // Vogel spiral starting at the edge length: each child gets about the
        // same area, so neighbours stay about `spacing` apart.
        let spacing = length * SPIRAL_SPACING_FRACTION;
        let area_per_child = spacing * spacing / std::f32::consts::PI;
        let radius = (length * length + sibling_index as f32 * area_per_child).sqrt();
        (radius, base_angle + sibling_index as f32 * GOLDEN_ANGLE)
    };
    let h = hash_index(seed, sibling_index as u64);
    let jitter = length * JITTER_FRACTION;
    [
        parent[0] + radius * angle.cos() + jitter * signed_unit_f32(h),
        parent[1] + radius * angle.sin() + jitter * signed_unit_f32(h.rotate_left(32)),
    ]
}

/// How far around a parent its placed neighbourhood reaches, in edge lengths.
const NEIGHBOURHOOD_EDGES: f32 = 6.0;
/// Half the angle a fan of children may span, radians (a little under 90°).
const FAN_HALF_ANGLE: f32 = 1.4;
/// Gap between the rows of a fan, as a fraction of the edge length.
const FAN_ROW_FRACTION: f32 = 0.6;
/// At most this many placed nodes are looked at (bounds the work on a huge case).
const NEIGHBOURHOOD_SCAN_CAP: usize = 1_000_000;

/// The unit direction pointing from the placed nodes near `parent` (within six edge lengths)
/// to `parent` — "away from the rest" — or `None` when nothing is near or they surround it
/// evenly. `placed` are the positions already on the canvas (the parent's own may be among
/// them; it is skipped).
pub fn away_direction(
    placed: impl IntoIterator<Item = [f32; 2]>,
    parent: [f32; 2],
) -> Option<[f32; 2]> {
    let reach = DEFAULT_IDEAL_EDGE_LENGTH * NEIGHBOURHOOD_EDGES;
    let (mut sum, mut count) = ([0.0f64; 2], 0u32);
    for p in placed.into_iter().take(NEIGHBOURHOOD_SCAN_CAP) {
        let d = [p[0] - parent[0], p[1] - parent[1]];
        let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
        if !len.is_finite() || len < 1e-3 || len > reach {
            continue;
        }
        // Each neighbour pulls by its direction: near or far, one vote each.
        sum[0] += f64::from(d[0] / len);
        sum[1] += f64::from(d[1] / len);
        count += 1;
    }
    if count == 0 {
        return None;
    }
    let mean = [sum[0] / f64::from(count), sum[1] / f64::from(count)];
    let len = (mean[0] * mean[0] + mean[1] * mean[1]).sqrt();
    // Neighbours all around (a hub in the middle): no side is "away".
    (len > 0.2).then(|| [(-mean[0] / len) as f32, (-mean[1] / len) as f32])
}

/// Position for child `sibling_index` of `sibling_count` children of a node at `parent`, on
/// the side `away` points to (a unit vector): rows of fans facing outwards, the first at the
/// ideal edge length, neighbours about half an edge apart, with a small seeded jitter.
pub fn place_away(
    parent: [f32; 2],
    away: [f32; 2],
    sibling_index: usize,
    sibling_count: usize,
    seed: u64,
) -> [f32; 2] {
    let length = DEFAULT_IDEAL_EDGE_LENGTH;
    let finite_or_zero = |v: f32| if v.is_finite() { v } else { 0.0 };
    let parent = [finite_or_zero(parent[0]), finite_or_zero(parent[1])];
    let facing = finite_or_zero(away[1]).atan2(finite_or_zero(away[0]));
    let count = sibling_count.max(sibling_index.saturating_add(1));
    // Find the row of this child: each row holds as many as fit half an edge apart.
    let (mut row, mut first) = (0usize, 0usize);
    let (radius, in_row, row_len) = loop {
        let radius = length * (1.0 + FAN_ROW_FRACTION * row as f32);
        let step = (length * SPIRAL_SPACING_FRACTION) / radius;
        let capacity = ((2.0 * FAN_HALF_ANGLE / step) as usize + 1).max(1);
        let row_len = capacity.min(count - first);
        if sibling_index < first + row_len || row > 10_000 {
            break (radius, sibling_index - first, row_len);
        }
        first += row_len;
        row += 1;
    };
    let step = (length * SPIRAL_SPACING_FRACTION) / radius;
    let angle = facing + (in_row as f32 - (row_len as f32 - 1.0) / 2.0) * step;
    let h = hash_index(seed, sibling_index as u64);
    let jitter = length * JITTER_FRACTION;
    [
        parent[0] + radius * angle.cos() + jitter * signed_unit_f32(h),
        parent[1] + radius * angle.sin() + jitter * signed_unit_f32(h.rotate_left(32)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
        (a[0] - b[0]).hypot(a[1] - b[1])
    }

    #[test]
    fn children_are_distinct_and_near_the_parent() {
        let parent = [100.0, -40.0];
        for count in [1, 2, 3, 5, 12, 13, 40, 300] {
            let points: Vec<[f32; 2]> = (0..count)
                .map(|i| place_near(parent, i, count, 77))
                .collect();
            let max_radius = 60.0 * (1.0 + count as f32 * 0.25 / std::f32::consts::PI).sqrt() + 5.0;
            for p in &points {
                let d = dist(*p, parent);
                assert!(p[0].is_finite() && p[1].is_finite());
                assert!(d > 50.0 && d < max_radius, "count {count}: distance {d}");
            }
            for (i, a) in points.iter().enumerate() {
                for b in &points[i + 1..] {
                    assert!(dist(*a, *b) > 10.0, "count {count}: {a:?} vs {b:?}");
                }
            }
        }
    }

    #[test]
    fn small_families_sit_on_a_ring() {
        for i in 0..6 {
            let d = dist(place_near([0.0, 0.0], i, 6, 3), [0.0, 0.0]);
            assert!((d - 60.0).abs() < 6.0, "{d}");
        }
    }

    #[test]
    fn deterministic_and_seeded() {
        assert_eq!(
            place_near([1.0, 2.0], 3, 7, 9),
            place_near([1.0, 2.0], 3, 7, 9)
        );
        assert_ne!(
            place_near([1.0, 2.0], 3, 7, 9),
            place_near([1.0, 2.0], 3, 7, 10)
        );
    }

    #[test]
    fn odd_inputs_stay_finite() {
        for p in [
            place_near([f32::NAN, f32::INFINITY], 0, 0, 0),
            place_near([0.0, 0.0], usize::MAX, 1, 0),
            place_near_with_length([0.0, 0.0], 2, 3, 0, -1.0),
            place_near_with_length([0.0, 0.0], 2, 3, 0, f32::NAN),
        ] {
            assert!(p[0].is_finite() && p[1].is_finite(), "{p:?}");
        }
        let d = dist(
            place_near_with_length([0.0, 0.0], 0, 1, 0, 10.0),
            [0.0, 0.0],
        );
        assert!((d - 10.0).abs() < 1.0, "{d}");
    }

    #[test]
    fn children_go_on_the_side_away_from_the_rest() {
        // The rest lies to the left of the parent (a chain coming in from the west).
        let parent = [100.0, 50.0];
        let rest: Vec<[f32; 2]> = (1..8).map(|k| [100.0 - 40.0 * k as f32, 50.0]).collect();
        let away = away_direction(rest.iter().copied().chain([parent]), parent).expect("a side");
        assert!(away[0] > 0.99, "{away:?}");
        for count in [1, 5, 12, 50] {
            let kids: Vec<[f32; 2]> = (0..count)
                .map(|i| place_away(parent, away, i, count, 7))
                .collect();
            for (i, k) in kids.iter().enumerate() {
                assert!(
                    k[0] > parent[0],
                    "child {i} of {count} on the far side: {k:?}"
                );
                let d = dist(*k, parent);
                assert!((40.0..400.0).contains(&d), "child {i} of {count}: {d}");
                for other in &kids[..i] {
                    assert!(dist(*k, *other) > 15.0, "children {count} apart");
                }
            }
        }
        // A hub in the middle of its neighbours has no "away" side; nothing near, neither.
        let around: Vec<[f32; 2]> = (0..12)
            .map(|k| {
                let a = TAU * k as f32 / 12.0;
                [60.0 * a.cos(), 60.0 * a.sin()]
            })
            .collect();
        assert_eq!(away_direction(around, [0.0, 0.0]), None);
        assert_eq!(away_direction([[5000.0, 0.0]], [0.0, 0.0]), None);
        assert_eq!(away_direction([[f32::NAN, 0.0]], [0.0, 0.0]), None);
    }
}
