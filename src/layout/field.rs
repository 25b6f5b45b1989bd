//! Barnes–Hut force query over a built [`QuadTree`]. Bodies are processed in groups of
//! consecutive Morton-order bodies: one tree walk per group (`walk.rs`) builds an interaction
//! list (far cells as point masses, near leaves body by body, read in place), which is then
//! applied to all bodies of the group in fixed-width lanes that the compiler vectorises (eight
//! a vector on x86-64 CPUs with AVX2, chosen when the query runs; four with SSE2; the same
//! bits either way). A cell is far for the group only if it is far for every body of the
//! group, so the result is at least as accurate as per-body Barnes–Hut.

use super::parallel::run_blocks;
#[cfg(test)]
use super::parallel::threads_for;
use super::quadtree::QuadTree;
use super::rng::pair_direction;
use super::walk::{GroupBox, InteractionList, NearLeaf};

/// Bodies handled together (one SIMD-friendly lane per body).
const LANES: usize = 16;
/// Below this squared distance two bodies count as coincident.
const COINCIDENT_D2: f32 = 1e-12;
/// Groups in one block of work handed to a thread.
const BLOCK_GROUPS: usize = 16;

/// Settings of one force query.
struct Query<'a> {
    /// Bodies (by original index) whose field is not needed.
    skip: &'a [bool],
    min_dist: f32,
    seed: u64,
}

impl Query<'_> {
    fn skips(&self, original_index: u32) -> bool {
        self.skip
            .get(original_index as usize)
            .copied()
            .unwrap_or(false)
    }
}

impl QuadTree {
    /// [`Self::repulsion_field_on`] on as many threads as pay.
    #[cfg(test)]
    pub(crate) fn repulsion_field(
        &mut self,
        out: &mut [[f32; 2]],
        skip: &[bool],
        min_dist: f32,
        seed: u64,
    ) {
        let threads = threads_for(self.order.len(), super::parallel::MAX_THREADS);
        self.repulsion_field_on(out, skip, min_dist, seed, threads);
    }

    /// For every body whose original index is not flagged in `skip`, writes
    /// into `out[index]` the repulsive field `Σ_j m_j (p_i − p_j) / d_ij²`
    /// (distance floored at `min_dist`). Coincident bodies push each other
    /// apart along a seeded pseudo-random direction instead.
    ///
    /// Runs on `threads` threads (at least one), taking blocks of whole groups in turn:
    /// a body's sum depends only on its group, so the result is bit-identical whatever the
    /// number of threads.
    pub(crate) fn repulsion_field_on(
        &mut self,
        out: &mut [[f32; 2]],
        skip: &[bool],
        min_dist: f32,
        seed: u64,
        threads: usize,
    ) {
        let min_dist = if min_dist.is_finite() {
            min_dist.max(1e-6)
        } else {
            1e-6
        };
        let query = Query {
            skip,
            min_dist,
            seed,
        };
        let n = self.order.len();
        let groups = n.div_ceil(LANES);
        let threads = threads.clamp(1, groups.max(1));
        let mut sorted = std::mem::take(&mut self.sorted_field);
        sorted.clear();
        sorted.resize(n, [0.0; 2]);
        let mut scratches = std::mem::take(&mut self.scratch);
        scratches.resize_with(threads, InteractionList::default);
        {
            let tree = &*self;
            let query = &query;
            // Blocks of whole groups, taken in turn by whichever thread is free: the work per
            // group varies with the density around it, so fixed halves would not balance.
            let blocks: Vec<(usize, &mut [[f32; 2]])> = sorted
                .chunks_mut(BLOCK_GROUPS * LANES)
                .enumerate()
                .map(|(b, chunk)| (b * BLOCK_GROUPS * LANES, chunk))
                .collect();
            run_blocks(blocks, &mut scratches, |scratch, (start, chunk)| {
                tree.field_chunk(start, chunk, scratch, query);
            });
        }
        for (&original, field) in self.order.iter().zip(&sorted) {
            if !query.skips(original)
                && let Some(slot) = out.get_mut(original as usize)
            {
                *slot = *field;
            }
        }
        self.sorted_field = sorted;
        self.scratch = scratches;
    }

    /// Fields of sorted bodies `start..start + out.len()` into `out`, group by group.
    fn field_chunk(
        &self,
        start: usize,
        out: &mut [[f32; 2]],
        list: &mut InteractionList,
        query: &Query,
    ) {
        let end = start + out.len();
        let mut group = start;
        while group < end {
            let group_end = (group + LANES).min(end);
            if !(group..group_end).all(|k| query.skips(self.order[k])) {
                let bounds =
                    GroupBox::around(&self.bx[group..group_end], &self.by[group..group_end]);
                self.group_list(&bounds, list);
                self.apply_group(
                    group,
                    group_end,
                    list,
                    &mut out[group - start..group_end - start],
                    query,
                );
            }
            group = group_end;
        }
    }

    /// Applies the interaction list to sorted bodies `lo..hi` (at most `LANES`),
    /// writing body `lo + l`'s field to `out[l]`.
    fn apply_group(
        &self,
        lo: usize,
        hi: usize,
        list: &InteractionList,
        out: &mut [[f32; 2]],
        query: &Query,
    ) {
        let min_d2 = query.min_dist * query.min_dist;
        let count = hi - lo;
        // Unused lanes repeat the first body; their results are dropped.
        let mut px = [self.bx[lo]; LANES];
        let mut py = [self.by[lo]; LANES];
        px[..count].copy_from_slice(&self.bx[lo..hi]);
        py[..count].copy_from_slice(&self.by[lo..hi]);
        let bodies = Bodies {
            x: &self.bx,
            y: &self.by,
            m: &self.bm,
        };
        let (mut ax, mut ay, close) = interaction_sums(&px, &py, list, bodies, min_d2);
        for l in 0..count {
            let k = lo + l;
            if query.skips(self.order[k]) {
                continue;
            }
            if close[l] > 1.0 {
                // Besides itself, the body sits on top of another one.
                let push = self.coincident_push(k, &list.near, query);
                ax[l] += push[0];
                ay[l] += push[1];
            }
            if let Some(slot) = out.get_mut(l) {
                *slot = [ax[l], ay[l]];
            }
        }
    }

    /// Seeded push on sorted body `k` from every other body coincident with it
    /// in the opened leaves, as strong as a body at `min_dist` would push.
    fn coincident_push(&self, k: usize, near: &[NearLeaf], query: &Query) -> [f32; 2] {
        let (px, py) = (self.bx[k], self.by[k]);
        let me = self.order[k] as usize;
        let mut push = [0.0f32; 2];
        for leaf in near {
            for j in leaf.start as usize..leaf.end as usize {
                let d2 = (px - self.bx[j]).powi(2) + (py - self.by[j]).powi(2);
                if j != k && d2 <= COINCIDENT_D2 {
                    let dir = pair_direction(query.seed, me, self.order[j] as usize);
                    let w = self.bm[j] / query.min_dist;
                    push[0] += dir[0] * w;
                    push[1] += dir[1] * w;
                }
            }
        }
        push
    }
}

/// The tree's bodies in sorted order, where the opened leaves' entries are read.
#[derive(Clone, Copy)]
struct Bodies<'a> {
    x: &'a [f32],
    y: &'a [f32],
    m: &'a [f32],
}

/// Every lane's field from the interaction list: `(Σ dx·w, Σ dy·w, bodies within
/// [`COINCIDENT_D2`])`, the entries taken in the order the walk met them. On x86-64 machines
/// with AVX2 the same code runs compiled for eight lanes a vector instead of SSE2's four: the
/// same operations in the same order, so the sums are bit-identical either way (no fused
/// multiply-add is enabled).
fn interaction_sums(
    px: &[f32; LANES],
    py: &[f32; LANES],
    list: &InteractionList,
    bodies: Bodies,
    min_d2: f32,
) -> Sums {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above; nothing else is required.
        return unsafe { interaction_sums_avx2(px, py, list, bodies, min_d2) };
    }
    interaction_sums_portable(px, py, list, bodies, min_d2)
}

/// Per lane: the field's x and y, and how many bodies sit on the lane's body.
type Sums = ([f32; LANES], [f32; LANES], [f32; LANES]);

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn interaction_sums_avx2(
    px: &[f32; LANES],
    py: &[f32; LANES],
    list: &InteractionList,
    bodies: Bodies,
    min_d2: f32,
) -> Sums {
    interaction_sums_portable(px, py, list, bodies, min_d2)
}

/// Branch-free so it vectorises. A body's own entry adds exactly zero (dx = dy = 0); it is
/// counted in `close`, so `close > 1` flags a coincident neighbour.
#[inline(always)]
fn interaction_sums_portable(
    px: &[f32; LANES],
    py: &[f32; LANES],
    list: &InteractionList,
    bodies: Bodies,
    min_d2: f32,
) -> Sums {
    let mut sums = ([0.0f32; LANES], [0.0f32; LANES], [0.0f32; LANES]);
    let far = |from: usize, to: usize| {
        let to = to.min(list.xs.len()).min(list.ys.len()).min(list.ms.len());
        let from = from.min(to);
        (&list.xs[from..to], &list.ys[from..to], &list.ms[from..to])
    };
    let mut far_done = 0;
    for leaf in &list.near {
        let far_before = leaf.far_before as usize;
        let (xs, ys, ms) = far(far_done, far_before);
        add_entries(px, py, xs, ys, ms, min_d2, &mut sums);
        far_done = far_before;
        let (start, end) = (leaf.start as usize, leaf.end as usize);
        if let (Some(xs), Some(ys), Some(ms)) = (
            bodies.x.get(start..end),
            bodies.y.get(start..end),
            bodies.m.get(start..end),
        ) {
            add_entries(px, py, xs, ys, ms, min_d2, &mut sums);
        }
    }
    let (xs, ys, ms) = far(far_done, usize::MAX);
    add_entries(px, py, xs, ys, ms, min_d2, &mut sums);
    sums
}

/// Adds the entries `(xs[k], ys[k], ms[k])` to every lane's sums, one entry after another.
#[inline(always)]
fn add_entries(
    px: &[f32; LANES],
    py: &[f32; LANES],
    xs: &[f32],
    ys: &[f32],
    ms: &[f32],
    min_d2: f32,
    (ax, ay, close): &mut Sums,
) {
    for ((&x, &y), &m) in xs.iter().zip(ys).zip(ms) {
        for l in 0..LANES {
            let dx = px[l] - x;
            let dy = py[l] - y;
            let d2 = dx * dx + dy * dy;
            let w = m / if d2 > min_d2 { d2 } else { min_d2 };
            ax[l] += dx * w;
            ay[l] += dy * w;
            close[l] += if d2 <= COINCIDENT_D2 { 1.0 } else { 0.0 };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::rng::TestRng;
    use super::*;

    /// Exact O(n²) oracle for `repulsion_field` (non-coincident bodies).
    fn exact_field(positions: &[[f32; 2]], masses: &[f32], min_dist: f32) -> Vec<[f64; 2]> {
        let min_d2 = f64::from(min_dist).powi(2);
        positions
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut a = [0.0f64; 2];
                for (j, (q, &m)) in positions.iter().zip(masses).enumerate() {
                    if i == j {
                        continue;
                    }
                    let dx = f64::from(p[0]) - f64::from(q[0]);
                    let dy = f64::from(p[1]) - f64::from(q[1]);
                    let w = f64::from(m) / (dx * dx + dy * dy).max(min_d2);
                    a[0] += dx * w;
                    a[1] += dy * w;
                }
                a
            })
            .collect()
    }

    fn random_bodies(n: usize, seed: u64) -> (Vec<[f32; 2]>, Vec<f32>) {
        let mut rng = TestRng::new(seed);
        // Clustered configuration: a few dense blobs plus uniform background.
        let centers: Vec<[f32; 2]> = (0..5)
            .map(|_| [rng.next_f32() * 1000.0, rng.next_f32() * 1000.0])
            .collect();
        let positions = (0..n)
            .map(|i| {
                if i % 2 == 0 {
                    let c = centers[rng.below(centers.len())];
                    [c[0] + rng.next_f32() * 80.0, c[1] + rng.next_f32() * 80.0]
                } else {
                    [rng.next_f32() * 1000.0, rng.next_f32() * 1000.0]
                }
            })
            .collect();
        let masses = (0..n).map(|_| 1.0 + rng.below(10) as f32).collect();
        (positions, masses)
    }

    fn relative_errors(theta: f32, n: usize, seed: u64) -> Vec<f64> {
        let (positions, masses) = random_bodies(n, seed);
        let mut tree = QuadTree::new();
        tree.build(&positions, &masses, theta);
        let mut approx = vec![[0.0f32; 2]; n];
        tree.repulsion_field(&mut approx, &[], 1.0, 9);
        let exact = exact_field(&positions, &masses, 1.0);
        let mut errors: Vec<f64> = approx
            .iter()
            .zip(&exact)
            .map(|(a, e)| {
                let ex = (f64::from(a[0]) - e[0]).hypot(f64::from(a[1]) - e[1]);
                ex / e[0].hypot(e[1]).max(1e-12)
            })
            .collect();
        errors.sort_by(f64::total_cmp);
        errors
    }

    #[test]
    fn barnes_hut_matches_exact_forces_at_theta_half() {
        let errors = relative_errors(0.5, 500, 11);
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        let p99 = errors[errors.len() * 99 / 100];
        let max = errors[errors.len() - 1];
        println!("theta 0.5: mean {mean:.5} p99 {p99:.5} max {max:.5}");
        assert!(mean < 0.01, "mean relative error {mean}");
        assert!(p99 < 0.03, "p99 relative error {p99}");
        assert!(max < 0.05, "max relative error {max}");
    }

    #[test]
    fn barnes_hut_default_theta_is_still_close() {
        let errors = relative_errors(0.9, 500, 12);
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        println!("theta 0.9: mean {mean:.5}");
        assert!(mean < 0.05, "mean relative error {mean}");
    }

    #[test]
    fn theta_zero_is_exact() {
        let errors = relative_errors(0.0, 300, 13);
        assert!(errors.iter().all(|&e| e < 1e-4), "{:?}", errors.last());
    }

    #[test]
    fn skipped_bodies_are_left_untouched() {
        let (positions, masses) = random_bodies(50, 1);
        let mut tree = QuadTree::new();
        tree.build(&positions, &masses, 0.9);
        let mut out = vec![[7.0f32; 2]; 50];
        let skip: Vec<bool> = (0..50).map(|i| i % 3 == 0).collect();
        tree.repulsion_field(&mut out, &skip, 1.0, 0);
        for (i, f) in out.iter().enumerate() {
            assert_eq!(*f == [7.0, 7.0], i % 3 == 0);
        }
    }

    #[test]
    fn coincident_bodies_push_apart_symmetrically() {
        let positions = vec![[3.0f32, 3.0]; 20];
        let masses = vec![1.0f32; 20];
        let mut tree = QuadTree::new();
        tree.build(&positions, &masses, 0.9);
        let mut out = vec![[0.0f32; 2]; 20];
        tree.repulsion_field(&mut out, &[], 1.0, 5);
        let mut total = [0.0f32; 2];
        for f in &out {
            assert!(f[0].is_finite() && f[1].is_finite());
            assert!(f[0] != 0.0 || f[1] != 0.0);
            total = [total[0] + f[0], total[1] + f[1]];
        }
        assert!(total[0].abs() < 1e-3 && total[1].abs() < 1e-3, "{total:?}");
    }

    #[test]
    fn threads_give_bit_identical_fields() {
        let (mut positions, masses) = random_bodies(5_000, 21);
        positions[7] = positions[3]; // a coincident pair
        let skip: Vec<bool> = (0..5_000).map(|i| i % 11 == 0).collect();
        let mut tree = QuadTree::new();
        tree.build(&positions, &masses, 0.9);
        let run = |tree: &mut QuadTree, threads: usize| {
            let mut out = vec![[9.0f32; 2]; 5_000];
            tree.repulsion_field_on(&mut out, &skip, 1.0, 4, threads);
            out.iter()
                .map(|f| [f[0].to_bits(), f[1].to_bits()])
                .collect::<Vec<_>>()
        };
        let one = run(&mut tree, 1);
        for threads in [2, 3, 4, 64] {
            assert_eq!(run(&mut tree, threads), one, "{threads} threads");
        }
        let mut out = vec![[9.0f32; 2]; 5_000];
        tree.repulsion_field(&mut out, &skip, 1.0, 4);
        assert_eq!(out[0], [9.0, 9.0], "skipped body untouched");
        assert_ne!(out[1], [9.0, 9.0]);
    }

    #[test]
    fn the_wide_path_gives_the_portable_bits() {
        let (positions, masses) = random_bodies(3_000, 31);
        let mut tree = QuadTree::new();
        tree.build(&positions, &masses, 0.9);
        let mut list = InteractionList::default();
        for lo in (0..3_000).step_by(LANES * 37) {
            let bounds = GroupBox::around(&tree.bx[lo..lo + LANES], &tree.by[lo..lo + LANES]);
            tree.group_list(&bounds, &mut list);
            let px: [f32; LANES] = std::array::from_fn(|l| tree.bx[lo + l]);
            let py: [f32; LANES] = std::array::from_fn(|l| tree.by[lo + l]);
            let bits = |s: Sums| {
                s.0.iter()
                    .chain(&s.1)
                    .chain(&s.2)
                    .map(|v| v.to_bits())
                    .collect::<Vec<_>>()
            };
            let bodies = Bodies {
                x: &tree.bx,
                y: &tree.by,
                m: &tree.bm,
            };
            let portable = bits(interaction_sums_portable(&px, &py, &list, bodies, 1.0));
            assert_eq!(
                bits(interaction_sums(&px, &py, &list, bodies, 1.0)),
                portable,
                "group at {lo}"
            );
            assert!(portable.iter().any(|&b| b != 0));
        }
    }

    #[test]
    fn empty_and_single_trees() {
        let mut tree = QuadTree::new();
        tree.build(&[], &[], 0.9);
        tree.repulsion_field(&mut [], &[], 1.0, 0);
        tree.repulsion_field_on(&mut [], &[], 1.0, 0, 2);
        tree.build(&[[1.0, 2.0]], &[1.0], 0.9);
        let mut out = [[5.0f32; 2]];
        tree.repulsion_field(&mut out, &[], 1.0, 0);
        assert_eq!(out, [[0.0, 0.0]]);
    }
}
