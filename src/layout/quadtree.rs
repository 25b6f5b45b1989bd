//! Barnes–Hut quadtree construction, stored flat: bodies are sorted by
//! Morton code, cells live in one `Vec` in depth-first order and each cell
//! records the index just past its subtree (`next`), so a query is a single
//! forward scan with no stack and no per-cell allocation. All buffers are
//! kept between builds. The force query itself lives in `field.rs`.

use super::morton::{self, LEVELS, Quantizer};
use super::params::MAX_THETA;

/// Most bodies a cell may hold before it is split.
const LEAF_CAPACITY: usize = 16;

/// One tree cell: its mass-weighted centre, total mass, the squared distance
/// beyond which it may be treated as a point mass, and its body range.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Cell {
    pub(super) x: f32,
    pub(super) y: f32,
    pub(super) mass: f32,
    /// A point farther than `sqrt(open2)` from `(x, y)` may treat the cell
    /// as a point mass; no point inside the cell ever is.
    pub(super) open2: f32,
    /// Index of the first cell after this cell's subtree (`index + 1` for a leaf).
    pub(super) next: u32,
    /// Range of sorted bodies inside the cell.
    pub(super) start: u32,
    pub(super) end: u32,
}

/// Running totals of a set of bodies while the tree is being built.
#[derive(Clone, Copy, Debug)]
struct Summary {
    min: [f32; 2],
    max: [f32; 2],
    moment: [f64; 2],
    mass: f64,
}

impl Summary {
    const EMPTY: Self = Self {
        min: [f32::INFINITY; 2],
        max: [f32::NEG_INFINITY; 2],
        moment: [0.0; 2],
        mass: 0.0,
    };

    fn add(&mut self, p: [f32; 2], mass: f32) {
        self.min = [self.min[0].min(p[0]), self.min[1].min(p[1])];
        self.max = [self.max[0].max(p[0]), self.max[1].max(p[1])];
        let m = f64::from(mass);
        self.moment[0] += f64::from(p[0]) * m;
        self.moment[1] += f64::from(p[1]) * m;
        self.mass += m;
    }

    fn merge(&mut self, other: &Self) {
        self.min = [self.min[0].min(other.min[0]), self.min[1].min(other.min[1])];
        self.max = [self.max[0].max(other.max[0]), self.max[1].max(other.max[1])];
        self.moment[0] += other.moment[0];
        self.moment[1] += other.moment[1];
        self.mass += other.mass;
    }
}

/// Reusable Barnes–Hut tree.
#[derive(Debug, Default)]
pub(crate) struct QuadTree {
    pub(super) cells: Vec<Cell>,
    codes: Vec<u64>,
    /// Original index of each sorted body.
    pub(super) order: Vec<u32>,
    tmp_codes: Vec<u64>,
    tmp_order: Vec<u32>,
    /// Body positions and masses in Morton order.
    pub(super) bx: Vec<f32>,
    pub(super) by: Vec<f32>,
    pub(super) bm: Vec<f32>,
    inv_theta: f32,
    /// Interaction-list buffers reused by the force query, one per thread.
    pub(super) scratch: Vec<super::walk::InteractionList>,
    /// Field of every body in sorted order, reused by the force query.
    pub(super) sorted_field: Vec<[f32; 2]>,
}

impl QuadTree {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    /// Rebuilds the tree over `positions` with per-body `masses` (extra
    /// entries of the longer slice are ignored). `theta` ≤ 0 gives an exact
    /// all-pairs sum; it is clamped to at most `MAX_THETA`.
    pub(crate) fn build(&mut self, positions: &[[f32; 2]], masses: &[f32], theta: f32) {
        let n = positions.len().min(masses.len()).min(u32::MAX as usize);
        let positions = &positions[..n];
        self.cells.clear();
        self.inv_theta = if theta.is_finite() && theta > 1e-6 {
            1.0 / theta.min(MAX_THETA)
        } else {
            f32::INFINITY
        };
        let quantizer = Quantizer::covering(positions);
        self.codes.clear();
        self.codes
            .extend(positions.iter().map(|&p| quantizer.code(p)));
        self.order.clear();
        self.order.extend(0..n as u32);
        morton::radix_sort(
            &mut self.codes,
            &mut self.order,
            &mut self.tmp_codes,
            &mut self.tmp_order,
        );
        self.bx.clear();
        self.by.clear();
        self.bm.clear();
        for &i in &self.order {
            let i = i as usize;
            self.bx.push(positions[i][0]);
            self.by.push(positions[i][1]);
            self.bm.push(masses[i]);
        }
        if n > 0 {
            self.build_range(0, n, 0);
        }
    }

    /// Appends the subtree over sorted bodies `lo..hi`, whose codes agree on
    /// every quadrant above `level`, and returns its summary.
    fn build_range(&mut self, lo: usize, hi: usize, level: u32) -> Summary {
        let index = self.cells.len();
        self.cells.push(Cell::default());
        let mut level = level;
        // Skip levels where every body falls into the same quadrant: a cell
        // with a single child would only cost time during queries.
        while level < LEVELS
            && hi - lo > LEAF_CAPACITY
            && morton::quadrant(self.codes[lo], level)
                == morton::quadrant(self.codes[hi - 1], level)
        {
            level += 1;
        }
        let mut summary = Summary::EMPTY;
        if hi - lo <= LEAF_CAPACITY || level >= LEVELS {
            for k in lo..hi {
                summary.add([self.bx[k], self.by[k]], self.bm[k]);
            }
        } else {
            let mut start = lo;
            while start < hi {
                let quad = morton::quadrant(self.codes[start], level);
                let len =
                    self.codes[start..hi].partition_point(|&c| morton::quadrant(c, level) <= quad);
                let end = start + len.max(1);
                let child = self.build_range(start, end, level + 1);
                summary.merge(&child);
                start = end;
            }
        }
        let center = [
            0.5 * (summary.min[0] + summary.max[0]),
            0.5 * (summary.min[1] + summary.max[1]),
        ];
        let com = if summary.mass > 0.0 {
            [
                (summary.moment[0] / summary.mass) as f32,
                (summary.moment[1] / summary.mass) as f32,
            ]
        } else {
            center
        };
        let size = (summary.max[0] - summary.min[0]).max(summary.max[1] - summary.min[1]);
        let open2 = if self.inv_theta.is_finite() {
            // Beyond `size / theta` from the box plus the centre-of-mass offset,
            // no body inside the box can pass the test (theta < √2).
            let offset = (com[0] - center[0]).hypot(com[1] - center[1]);
            let open = size * self.inv_theta + offset;
            open * open
        } else {
            f32::INFINITY
        };
        let next = self.cells.len() as u32;
        self.cells[index] = Cell {
            x: com[0],
            y: com[1],
            mass: summary.mass as f32,
            open2,
            next,
            start: lo as u32,
            end: hi as u32,
        };
        summary
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::random_positions;
    use super::*;

    /// Checks every structural invariant the force query relies on.
    fn check_tree(tree: &QuadTree, positions: &[[f32; 2]], masses: &[f32]) {
        let n = positions.len();
        assert_eq!(tree.order.len(), n);
        let mut seen = vec![false; n];
        for &o in &tree.order {
            assert!(!seen[o as usize]);
            seen[o as usize] = true;
        }
        if n == 0 {
            assert!(tree.cells.is_empty());
            return;
        }
        let root = tree.cells[0];
        assert_eq!(
            (root.start, root.end, root.next as usize),
            (0, n as u32, tree.cells.len())
        );
        let total: f32 = masses.iter().sum();
        assert!((root.mass - total).abs() <= total * 1e-5);
        for (i, c) in tree.cells.iter().enumerate() {
            let next = c.next as usize;
            assert!(next > i && next <= tree.cells.len());
            let (start, end) = (c.start as usize, c.end as usize);
            assert!(start < end && end <= n);
            if next == i + 1 {
                continue;
            }
            // Children tile the parent's body range in order.
            let mut child = i + 1;
            let mut covered = start;
            while child < next {
                assert_eq!(tree.cells[child].start as usize, covered);
                covered = tree.cells[child].end as usize;
                child = tree.cells[child].next as usize;
            }
            assert_eq!(covered, end);
            // No body inside the cell may pass the opening test.
            for k in start..end {
                let d2 = (tree.bx[k] - c.x).powi(2) + (tree.by[k] - c.y).powi(2);
                assert!(d2 <= c.open2);
            }
        }
    }

    #[test]
    fn tree_invariants_hold() {
        let mut tree = QuadTree::new();
        for (n, theta) in [
            (0, 0.9),
            (1, 0.9),
            (9, 0.9),
            (1000, 0.9),
            (1000, 1.4),
            (500, 0.0),
        ] {
            let positions = random_positions(n, 1000.0, n as u64);
            let masses: Vec<f32> = (0..n).map(|i| 1.0 + (i % 5) as f32).collect();
            tree.build(&positions, &masses, theta);
            check_tree(&tree, &positions, &masses);
        }
        let coincident = vec![[5.0f32, -5.0]; 100];
        let masses = vec![2.0f32; 100];
        tree.build(&coincident, &masses, 0.9);
        check_tree(&tree, &coincident, &masses);
        let mut clustered = random_positions(200, 1e-3, 3);
        clustered.push([1e7, 1e7]);
        let masses = vec![1.0f32; 201];
        tree.build(&clustered, &masses, 0.9);
        check_tree(&tree, &clustered, &masses);
    }
}
