//! Where to put a node that has just been added next to an existing one:
//! children of one parent go on a ring at about the ideal edge length, or on
//! a Vogel (golden-angle) spiral when there are many, with a small seeded
//! jitter so the simulation never starts from a perfectly symmetric state.

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
}
