//! Short-range collision (d3's `forceCollide`): nodes closer than a minimum separation are
//! pushed apart, so the leaves of a hub spread into a readable disc instead of piling onto each
//! other. Long-range repulsion falls off as `1/d` and cannot do this on its own without pushing
//! the whole graph apart.
//!
//! Nodes are bucketed in a uniform grid of cells one separation wide (sorted by cell with the
//! layout's radix sort), so each node only meets the nodes of its own and neighbouring cells:
//! O(n) per tick for a graph whose nodes are spread out. The pass is sequential and visits pairs
//! in a fixed order, so the result depends only on the input (and the seed, for coincident
//! nodes).

use super::morton::radix_sort;
use super::rng::pair_direction;

/// Grid coordinates are kept within this many bits per axis (cells beyond are merged, which
/// costs time, never correctness: every pair in a cell is still checked).
const AXIS_BITS: u32 = 21;
const AXIS_MAX: i64 = (1 << AXIS_BITS) - 1;

/// Reusable buffers of the collision pass.
#[derive(Debug, Default)]
pub(crate) struct Collider {
    keys: Vec<u64>,
    order: Vec<u32>,
    tmp_keys: Vec<u64>,
    tmp_order: Vec<u32>,
}

/// What a collision pass works on.
pub(crate) struct Bodies<'a> {
    pub(crate) positions: &'a [[f32; 2]],
    pub(crate) velocities: &'a mut [[f32; 2]],
    pub(crate) pinned: &'a [bool],
}

impl Collider {
    /// Adds to the velocities what moves every pair of nodes whose predicted positions
    /// (position + velocity) are closer than `separation` a `strength` share of the way apart
    /// (split evenly; a pinned node passes its share to the other).
    pub(crate) fn apply(&mut self, bodies: Bodies<'_>, separation: f32, strength: f32, seed: u64) {
        let n = bodies.positions.len();
        let usable = |v: f32| v.is_finite() && v > 0.0;
        if n < 2 || !usable(separation) || !usable(strength) {
            return;
        }
        self.sort_into_cells(bodies.positions, separation);
        let keys = &self.keys;
        let order = &self.order;
        let mut pass = Pass {
            bodies,
            separation2: separation * separation,
            strength,
            seed,
        };
        // Walking the cells in key order, the next column's three cells move forward only:
        // a cursor finds them without searching.
        let mut right = 0;
        let mut start = 0;
        while start < n {
            let key = keys[start];
            let mut end = start + 1;
            while end < n && keys[end] == key {
                end += 1;
            }
            let (cx, cy) = (key >> AXIS_BITS, key & AXIS_MAX as u64);
            let cell = &order[start..end];
            for (k, &i) in cell.iter().enumerate() {
                for &j in &cell[k + 1..] {
                    pass.resolve(i as usize, j as usize);
                }
            }
            // Half of the neighbourhood, so each pair of cells is met once: the cell above
            // (same column, the next run of keys if occupied) and the three cells of the next
            // column.
            let mut above = end;
            while above < n && keys[above] == key_of(cx, cy + 1) {
                above += 1;
            }
            let (lo, hi) = (key_of(cx + 1, cy.saturating_sub(1)), key_of(cx + 1, cy + 1));
            while right < n && keys[right] < lo {
                right += 1;
            }
            let mut right_end = right;
            // (The last column has no next one: its key would clamp onto itself.)
            while cx < AXIS_MAX as u64 && right_end < n && keys[right_end] <= hi {
                right_end += 1;
            }
            for &j in order[end..above].iter().chain(&order[right..right_end]) {
                for &i in cell {
                    pass.resolve(i as usize, j as usize);
                }
            }
            start = end;
        }
    }

    /// Fills `keys`/`order` with the nodes sorted by grid cell (column-major key).
    fn sort_into_cells(&mut self, positions: &[[f32; 2]], separation: f32) {
        let (mut min_x, mut min_y) = (f32::INFINITY, f32::INFINITY);
        for p in positions {
            min_x = min_x.min(p[0]);
            min_y = min_y.min(p[1]);
        }
        let cell = |v: f32, min: f32| (((v - min) / separation).floor() as i64).clamp(0, AXIS_MAX);
        self.keys.clear();
        self.order.clear();
        for (i, p) in positions.iter().enumerate() {
            let key = key_of(cell(p[0], min_x) as u64, cell(p[1], min_y) as u64);
            self.keys.push(key);
            self.order.push(i as u32);
        }
        radix_sort(
            &mut self.keys,
            &mut self.order,
            &mut self.tmp_keys,
            &mut self.tmp_order,
        );
    }
}

fn key_of(cx: u64, cy: u64) -> u64 {
    (cx.min(AXIS_MAX as u64) << AXIS_BITS) | cy.min(AXIS_MAX as u64)
}

/// One collision pass over the bodies.
struct Pass<'a> {
    bodies: Bodies<'a>,
    separation2: f32,
    strength: f32,
    seed: u64,
}

impl Pass<'_> {
    fn resolve(&mut self, i: usize, j: usize) {
        let b = &mut self.bodies;
        let (share_i, share_j) = match (b.pinned[i], b.pinned[j]) {
            (true, true) => return,
            (true, false) => (0.0, 1.0),
            (false, true) => (1.0, 0.0),
            (false, false) => (0.5, 0.5),
        };
        let (pi, pj) = (b.positions[i], b.positions[j]);
        let (vi, vj) = (b.velocities[i], b.velocities[j]);
        let mut dx = (pi[0] + vi[0]) - (pj[0] + vj[0]);
        let mut dy = (pi[1] + vi[1]) - (pj[1] + vj[1]);
        let mut d2 = dx * dx + dy * dy;
        if d2 >= self.separation2 || !d2.is_finite() {
            return;
        }
        if d2 < 1e-12 {
            let dir = pair_direction(self.seed, i, j);
            let tiny = self.separation2.sqrt() * 1e-3;
            (dx, dy) = (dir[0] * tiny, dir[1] * tiny);
            d2 = tiny * tiny;
        }
        let d = d2.sqrt();
        let push = (self.separation2.sqrt() - d) / d * self.strength;
        let (fx, fy) = (dx * push, dy * push);
        b.velocities[i][0] += fx * share_i;
        b.velocities[i][1] += fy * share_i;
        b.velocities[j][0] -= fx * share_j;
        b.velocities[j][1] -= fy * share_j;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pass(positions: &[[f32; 2]], pinned: &[bool], separation: f32) -> Vec<[f32; 2]> {
        pass_with(positions, pinned, separation, 1.0)
    }

    fn pass_with(
        positions: &[[f32; 2]],
        pinned: &[bool],
        separation: f32,
        strength: f32,
    ) -> Vec<[f32; 2]> {
        let mut velocities = vec![[0.0; 2]; positions.len()];
        Collider::default().apply(
            Bodies {
                positions,
                velocities: &mut velocities,
                pinned,
            },
            separation,
            strength,
            7,
        );
        velocities
    }

    #[test]
    fn close_pairs_are_pushed_apart_and_far_ones_left_alone() {
        let positions = [[0.0, 0.0], [4.0, 0.0], [100.0, 100.0]];
        let v = pass(&positions, &[false; 3], 10.0);
        // Overlap 6, split evenly: each moves 3 away from the other.
        assert!((v[0][0] + 3.0).abs() < 1e-4, "{v:?}");
        assert!((v[1][0] - 3.0).abs() < 1e-4, "{v:?}");
        assert_eq!(v[2], [0.0, 0.0]);
    }

    #[test]
    fn neighbours_across_cell_borders_meet() {
        // Every pair of these straddles a grid line in some direction (separation 10).
        let positions = [[9.5, 9.5], [10.5, 10.5], [10.5, 8.5], [8.5, 10.5]];
        let v = pass(&positions, &[false; 4], 10.0);
        for (i, vi) in v.iter().enumerate() {
            assert!(vi[0] != 0.0 || vi[1] != 0.0, "node {i} untouched: {v:?}");
        }
        // Momentum is conserved when nothing is pinned.
        let sum = v
            .iter()
            .fold([0.0f32; 2], |s, x| [s[0] + x[0], s[1] + x[1]]);
        assert!(sum[0].abs() < 1e-4 && sum[1].abs() < 1e-4, "{sum:?}");
    }

    #[test]
    fn pinned_nodes_stay_and_coincident_nodes_separate() {
        let positions = [[5.0, 5.0], [5.0, 5.0], [5.0, 5.0]];
        let v = pass(&positions, &[true, false, false], 2.0);
        assert_eq!(v[0], [0.0, 0.0]);
        assert!(v.iter().all(|x| x[0].is_finite() && x[1].is_finite()));
        assert_ne!(v[1], v[2]);
        assert_eq!(
            pass(&positions, &[true, false, false], 2.0),
            v,
            "deterministic"
        );
    }

    #[test]
    fn matches_all_pairs_on_a_random_cloud() {
        let mut rng = super::super::rng::TestRng::new(3);
        let positions: Vec<[f32; 2]> = (0..400)
            .map(|_| {
                [
                    rng.next_f32() * 200.0 - 100.0,
                    rng.next_f32() * 200.0 - 100.0,
                ]
            })
            .collect();
        let pinned = vec![false; positions.len()];
        // A feeble push, so no push moves a pair in or out of range: the grid must find
        // exactly the pairs brute force finds (every node with a close neighbour moves).
        let grid = pass_with(&positions, &pinned, 12.0, 1e-6);
        for (i, p) in positions.iter().enumerate() {
            let close = positions
                .iter()
                .enumerate()
                .any(|(j, q)| j != i && ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)) < 144.0);
            let moved = grid[i] != [0.0, 0.0];
            assert_eq!(close, moved, "node {i}");
        }
    }
}
