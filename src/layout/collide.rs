//! Short-range collision (d3's `forceCollide`): nodes closer than a minimum separation are
//! pushed apart, so the leaves of a hub spread into a readable disc instead of piling onto each
//! other. Long-range repulsion falls off as `1/d` and cannot do this on its own without pushing
//! the whole graph apart.
//!
//! Nodes are bucketed in a uniform grid of cells one separation wide (sorted by cell with the
//! layout's radix sort), so each node only meets the nodes of its own and neighbouring cells:
//! O(n) per tick for a graph whose nodes are spread out. The sorted nodes are cut into blocks of
//! whole grid columns; a block resolves its pairs one after another in a fixed order, the even
//! blocks run before the odd ones, and two blocks of one set never touch the same node — so a
//! large graph's pass runs on several threads and the result still depends only on the input
//! (and the seed, for coincident nodes).

use super::morton::radix_sort;
use super::parallel::run_blocks;
use super::rng::pair_direction;

/// Grid coordinates are kept within this many bits per axis (cells beyond are merged, which
/// costs time, never correctness: every pair in a cell is still checked).
const AXIS_BITS: u32 = 21;
const AXIS_MAX: i64 = (1 << AXIS_BITS) - 1;
/// Nodes in one block of the pass (at least; a block ends where a grid column does).
const BLOCK_NODES: usize = 2_048;

/// Reusable buffers of the collision pass: the nodes sorted by grid cell, with their
/// positions, pinned flags and (during a pass) velocities in that order.
#[derive(Debug, Default)]
pub(crate) struct Collider {
    keys: Vec<u64>,
    order: Vec<u32>,
    tmp_keys: Vec<u64>,
    tmp_order: Vec<u32>,
    positions: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    velocities: Vec<[f32; 2]>,
    /// The blocks' spans of sorted nodes (whole columns, in key order).
    spans: Vec<BlockSpan>,
    separation: f32,
}

/// Where a block lies among the sorted nodes: its own cells are `start..own_end`; up to
/// `touch_end` runs the next block's first column, which its last column meets.
#[derive(Clone, Copy, Debug)]
struct BlockSpan {
    start: usize,
    own_end: usize,
    touch_end: usize,
}

/// One block of the pass: the block's own cells and the next block's first column, which
/// its last column meets.
struct Block<'a> {
    keys: &'a [u64],
    order: &'a [u32],
    positions: &'a [[f32; 2]],
    pinned: &'a [bool],
    velocities: &'a mut [[f32; 2]],
    /// Cells starting before this index are the block's own.
    own: usize,
}

impl Collider {
    /// Sorts the nodes into cells one `separation` wide by their positions and splits the
    /// sorted nodes into blocks. Reads the positions only, so it may run beside the
    /// Barnes–Hut tree's build; [`Self::apply`] then works on what it sorted.
    pub(crate) fn prepare(&mut self, positions: &[[f32; 2]], pinned: &[bool], separation: f32) {
        self.separation = separation;
        self.keys.clear();
        self.order.clear();
        self.positions.clear();
        self.pinned.clear();
        self.spans.clear();
        let usable = separation.is_finite() && separation > 0.0;
        if positions.len() < 2 || !usable {
            return;
        }
        self.sort_into_cells(positions, separation);
        for &i in &self.order {
            self.positions.push(positions[i as usize]);
            self.pinned
                .push(pinned.get(i as usize).copied().unwrap_or(false));
        }
        let n = self.keys.len();
        let mut start = 0;
        while start < n {
            let own_end = column_end(&self.keys, (start + BLOCK_NODES).min(n) - 1);
            let touch_end = if own_end < n {
                column_end(&self.keys, own_end)
            } else {
                n
            };
            self.spans.push(BlockSpan {
                start,
                own_end,
                touch_end,
            });
            start = own_end;
        }
    }

    /// Adds to the velocities what moves every pair of nodes whose predicted positions
    /// (position + velocity) are closer than the separation given to [`Self::prepare`] a
    /// `strength` share of the way apart (split evenly; a pinned node passes its share to the
    /// other). Pairs are resolved one after another within a block; the even blocks run
    /// first, then the odd ones, each set on up to `threads` threads (blocks of one set never
    /// share a node), so the result does not depend on the number of threads.
    pub(crate) fn apply(
        &mut self,
        velocities: &mut [[f32; 2]],
        strength: f32,
        seed: u64,
        threads: usize,
    ) {
        let n = self.order.len();
        if n < 2 || velocities.len() != n || !(strength.is_finite() && strength > 0.0) {
            return;
        }
        self.velocities.clear();
        self.velocities
            .extend(self.order.iter().map(|&i| velocities[i as usize]));
        let separation2 = self.separation * self.separation;
        let mut workers = vec![(); threads.max(1)];
        for parity in [0, 1] {
            let blocks = self.blocks(parity);
            run_blocks(blocks, &mut workers, |(), block| {
                resolve_block(block, separation2, strength, seed);
            });
        }
        for (&i, v) in self.order.iter().zip(&self.velocities) {
            velocities[i as usize] = *v;
        }
    }

    /// The blocks of one parity (every other block), as disjoint slices of the sorted nodes.
    fn blocks(&mut self, parity: usize) -> Vec<Block<'_>> {
        let mut blocks = Vec::new();
        let mut rest: &mut [[f32; 2]] = &mut self.velocities;
        let mut offset = 0;
        for span in self.spans.iter().skip(parity).step_by(2) {
            let BlockSpan {
                start,
                own_end,
                touch_end,
            } = *span;
            let (_, tail) = std::mem::take(&mut rest).split_at_mut(start - offset);
            let (velocities, tail) = tail.split_at_mut(touch_end - start);
            rest = tail;
            offset = touch_end;
            blocks.push(Block {
                keys: &self.keys[start..touch_end],
                order: &self.order[start..touch_end],
                positions: &self.positions[start..touch_end],
                pinned: &self.pinned[start..touch_end],
                velocities,
                own: own_end - start,
            });
        }
        blocks
    }

    /// Fills `keys`/`order` with the nodes sorted by grid cell (column-major key).
    fn sort_into_cells(&mut self, positions: &[[f32; 2]], separation: f32) {
        let (mut min_x, mut min_y) = (f32::INFINITY, f32::INFINITY);
        for p in positions {
            min_x = min_x.min(p[0]);
            min_y = min_y.min(p[1]);
        }
        let cell = |v: f32, min: f32| (((v - min) / separation).floor() as i64).clamp(0, AXIS_MAX);
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

/// The sorted index just past the grid column that sorted node `from` is in.
fn column_end(keys: &[u64], from: usize) -> usize {
    let column = keys[from] >> AXIS_BITS;
    from + keys[from..].partition_point(|&k| k >> AXIS_BITS == column)
}

fn key_of(cx: u64, cy: u64) -> u64 {
    (cx.min(AXIS_MAX as u64) << AXIS_BITS) | cy.min(AXIS_MAX as u64)
}

/// Resolves every pair of one block whose first cell is the block's own, in key order.
fn resolve_block(block: Block<'_>, separation2: f32, strength: f32, seed: u64) {
    let keys = block.keys;
    let n = keys.len();
    let cells_end = block.own;
    let mut pass = Pass {
        block,
        separation2,
        strength,
        seed,
    };
    // Walking the cells in key order, the next column's three cells move forward only:
    // a cursor finds them without searching.
    let mut right = 0;
    let mut start = 0;
    while start < cells_end {
        let key = keys[start];
        let mut end = start + 1;
        while end < n && keys[end] == key {
            end += 1;
        }
        let (cx, cy) = (key >> AXIS_BITS, key & AXIS_MAX as u64);
        for i in start..end {
            for j in i + 1..end {
                pass.resolve(i, j);
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
        for j in (end..above).chain(right..right_end) {
            for i in start..end {
                pass.resolve(i, j);
            }
        }
        start = end;
    }
}

/// One block's pass, on sorted indices within the block.
struct Pass<'a> {
    block: Block<'a>,
    separation2: f32,
    strength: f32,
    seed: u64,
}

impl Pass<'_> {
    fn resolve(&mut self, i: usize, j: usize) {
        let b = &mut self.block;
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
            let dir = pair_direction(self.seed, b.order[i] as usize, b.order[j] as usize);
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
        pass_on(positions, pinned, separation, 1.0, 1)
    }

    fn pass_on(
        positions: &[[f32; 2]],
        pinned: &[bool],
        separation: f32,
        strength: f32,
        threads: usize,
    ) -> Vec<[f32; 2]> {
        let mut velocities = vec![[0.0; 2]; positions.len()];
        let mut collider = Collider::default();
        collider.prepare(positions, pinned, separation);
        collider.apply(&mut velocities, strength, 7, threads);
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
    fn threads_give_bit_identical_pushes_across_many_blocks() {
        let mut rng = super::super::rng::TestRng::new(5);
        // Dense enough that most nodes have neighbours; ten blocks and more.
        let positions: Vec<[f32; 2]> = (0..30_000)
            .map(|_| [rng.next_f32() * 1500.0, rng.next_f32() * 1500.0])
            .collect();
        let pinned: Vec<bool> = (0..positions.len()).map(|i| i % 17 == 0).collect();
        let one = pass_on(&positions, &pinned, 12.0, 0.7, 1);
        assert!(one.iter().filter(|v| **v != [0.0, 0.0]).count() > positions.len() / 2);
        for threads in [2, 3, 4] {
            assert_eq!(pass_on(&positions, &pinned, 12.0, 0.7, threads), one);
        }
    }

    #[test]
    fn matches_all_pairs_across_blocks() {
        let mut rng = super::super::rng::TestRng::new(9);
        let positions: Vec<[f32; 2]> = (0..6_000)
            .map(|_| [rng.next_f32() * 900.0, rng.next_f32() * 900.0])
            .collect();
        let pinned = vec![false; positions.len()];
        let grid = pass_on(&positions, &pinned, 6.0, 1e-6, 2);
        for (i, p) in positions.iter().enumerate() {
            let close = positions
                .iter()
                .enumerate()
                .any(|(j, q)| j != i && ((p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)) < 36.0);
            assert_eq!(close, grid[i] != [0.0, 0.0], "node {i}");
        }
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
        let grid = pass_on(&positions, &pinned, 12.0, 1e-6, 1);
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
