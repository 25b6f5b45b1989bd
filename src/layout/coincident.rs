//! Deterministic separation of nodes that share exactly the same position
//! (for example a batch of new nodes all dropped on one spot): every group
//! of coincident nodes is fanned out on a small seeded spiral so forces have
//! a direction to act along. Pinned nodes are never moved.

use std::f32::consts::TAU;

use super::rng::{GOLDEN_ANGLE, hash_index, signed_unit_f32, unit_f32};

/// Moves all but one node of every group of coincident nodes onto a spiral of
/// spacing about `spacing` around the shared point. The node kept in place is
/// the group's first pinned node, or else its lowest index. `scratch` is a
/// reusable buffer.
pub(crate) fn separate_coincident(
    positions: &mut [[f32; 2]],
    pinned: &[bool],
    spacing: f32,
    seed: u64,
    scratch: &mut Vec<u32>,
) {
    let key = |p: [f32; 2]| ((p[0] + 0.0).to_bits(), (p[1] + 0.0).to_bits());
    scratch.clear();
    scratch.extend(0..positions.len() as u32);
    scratch.sort_unstable_by_key(|&i| (key(positions[i as usize]), i));
    let is_pinned = |i: usize| pinned.get(i).copied().unwrap_or(false);
    let mut start = 0;
    while start < scratch.len() {
        let here = key(positions[scratch[start] as usize]);
        let end = start + scratch[start..].partition_point(|&i| key(positions[i as usize]) == here);
        if end - start > 1 {
            let group = &scratch[start..end];
            let anchor = group
                .iter()
                .copied()
                .find(|&i| is_pinned(i as usize))
                .unwrap_or(group[0]) as usize;
            let origin = positions[anchor];
            let turn = unit_f32(hash_index(seed, anchor as u64)) * TAU;
            let mut rank = 0u32;
            for &i in group {
                let i = i as usize;
                if i == anchor || is_pinned(i) {
                    continue;
                }
                rank += 1;
                let h = hash_index(seed, i as u64);
                let radius = spacing * (rank as f32).sqrt() * (1.0 + 0.1 * signed_unit_f32(h));
                let angle =
                    turn + rank as f32 * GOLDEN_ANGLE + 0.1 * signed_unit_f32(h.rotate_left(29));
                positions[i] = [
                    origin[0] + radius * angle.cos(),
                    origin[1] + radius * angle.sin(),
                ];
            }
        }
        start = end.max(start + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min_pair_distance(points: &[[f32; 2]]) -> f32 {
        let mut best = f32::INFINITY;
        for (i, a) in points.iter().enumerate() {
            for b in &points[i + 1..] {
                best = best.min((a[0] - b[0]).hypot(a[1] - b[1]));
            }
        }
        best
    }

    #[test]
    fn fans_out_groups_and_keeps_singletons_and_pins() {
        let mut p = vec![
            [1.0, 1.0],
            [5.0, 5.0],
            [1.0, 1.0],
            [1.0, 1.0],
            [9.0, 0.0],
            [-0.0, 20.0],
            [0.0, 20.0],
        ];
        let pinned = [false, false, false, true, false, false, false];
        let mut scratch = Vec::new();
        separate_coincident(&mut p, &pinned, 3.0, 1, &mut scratch);
        assert_eq!(p[3], [1.0, 1.0], "pinned anchor stays");
        assert_eq!(p[1], [5.0, 5.0]);
        assert_eq!(p[4], [9.0, 0.0]);
        assert!(min_pair_distance(&p) > 1.0, "{p:?}");
        assert!(p.iter().all(|q| q[0].is_finite() && q[1].is_finite()));
    }

    #[test]
    fn is_deterministic_and_seeded() {
        let base = vec![[2.0f32, 2.0]; 50];
        let run = |seed| {
            let mut p = base.clone();
            separate_coincident(&mut p, &[], 3.0, seed, &mut Vec::new());
            p
        };
        assert_eq!(run(4), run(4));
        assert_ne!(run(4), run(5));
        assert!(min_pair_distance(&run(4)) > 0.5);
    }
}
