//! The force simulation itself: owns positions, velocities and pinned flags,
//! and advances them one tick at a time (Barnes–Hut repulsion weighted by
//! node mass, springs along edges, gravity toward the centroid, short-range
//! collision so no two nodes overlap, d3-style
//! alpha cooling with velocity decay and a per-tick step clamp). A settled
//! layout does no work until it is reheated.

use super::coincident::separate_coincident;
use super::collide::Collider;
use super::graph::Springs;
use super::parallel::{in_pool, threads_for};
use super::params::LayoutParams;
use super::quadtree::QuadTree;
use super::rng::{direction, hash_index, pair_direction};

/// Positions are kept inside `±WORLD_LIMIT` so squared distances stay finite.
const WORLD_LIMIT: f32 = 1.0e7;
/// Repulsion distance floor and coincidence spacing, as fractions of the
/// ideal edge length.
const MIN_DISTANCE_FRACTION: f32 = 0.02;
const SEPARATION_FRACTION: f32 = 0.1;
/// Share of an overlap the collision pass removes per tick (d3's `forceCollide` strength).
const COLLISION_STRENGTH: f32 = 0.7;

/// What one call to [`ForceLayout::tick`] did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TickReport {
    /// Whether any node changed position.
    pub moved: bool,
    /// Largest distance any node moved during the tick.
    pub max_displacement: f32,
    /// Whether the layout is settled after the tick.
    pub settled: bool,
}

impl TickReport {
    const IDLE: Self = Self {
        moved: false,
        max_displacement: 0.0,
        settled: true,
    };
}

/// Deterministic force-directed layout of one graph.
#[derive(Debug)]
pub struct ForceLayout {
    params: LayoutParams,
    seed: u64,
    positions: Vec<[f32; 2]>,
    velocities: Vec<[f32; 2]>,
    pinned: Vec<bool>,
    springs: Springs,
    tree: QuadTree,
    collider: Collider,
    field: Vec<[f32; 2]>,
    scratch: Vec<u32>,
    alpha: f32,
    settled: bool,
    needs_separation: bool,
    max_threads: usize,
}

impl ForceLayout {
    /// An empty layout at alpha 1 (hot). Invalid parameters are replaced by
    /// defaults or clamped into range.
    pub fn new(params: LayoutParams, seed: u64) -> Self {
        Self {
            params: params.sanitized(),
            seed,
            positions: Vec::new(),
            velocities: Vec::new(),
            pinned: Vec::new(),
            springs: Springs::default(),
            tree: QuadTree::new(),
            collider: Collider::default(),
            field: Vec::new(),
            scratch: Vec::new(),
            alpha: 1.0,
            settled: false,
            needs_separation: false,
            max_threads: super::parallel::MAX_THREADS,
        }
    }

    /// Limits the threads a tick uses (at least one; by default all cores, at most four).
    /// The positions do not depend on it, only the time a tick takes.
    pub fn set_max_threads(&mut self, threads: usize) {
        self.max_threads = threads.clamp(1, super::parallel::MAX_THREADS);
    }

    /// The (sanitised) parameters in use.
    pub fn params(&self) -> LayoutParams {
        self.params
    }

    /// Replaces the parameters (sanitised); does not reheat.
    pub fn set_params(&mut self, params: LayoutParams) {
        self.params = params.sanitized();
    }

    /// Replace the graph; positions (warm start) and pinned flags index the
    /// nodes 0..n; edges are (from, to) indices. Resets velocities, keeps
    /// alpha and the settled state unless reheated (call [`Self::reheat`]
    /// after adding nodes).
    ///
    /// Non-finite positions are replaced by seeded points near the origin;
    /// missing pinned flags count as unpinned, extra ones are dropped;
    /// self-loops, duplicates and out-of-range edges are ignored. Nodes that
    /// share a position are fanned out deterministically on the next tick.
    pub fn set_graph(&mut self, positions: Vec<[f32; 2]>, pinned: Vec<bool>, edges: &[(u32, u32)]) {
        let n = positions.len();
        let spread = self.params.ideal_edge_length;
        self.positions = positions;
        for (i, p) in self.positions.iter_mut().enumerate() {
            if !(p[0].is_finite() && p[1].is_finite()) {
                let d = direction(hash_index(self.seed, i as u64));
                *p = [d[0] * spread, d[1] * spread];
            }
            *p = clamp_to_world(*p);
        }
        self.pinned = pinned;
        self.pinned.resize(n, false);
        self.velocities.clear();
        self.velocities.resize(n, [0.0; 2]);
        self.field.clear();
        self.field.resize(n, [0.0; 2]);
        self.springs.rebuild(n, edges);
        self.needs_separation = n > 1;
    }

    /// Number of nodes in the current graph.
    pub fn node_count(&self) -> usize {
        self.positions.len()
    }

    /// Number of distinct usable edges in the current graph.
    pub fn edge_count(&self) -> usize {
        self.springs.edges.len()
    }

    /// Current node positions, indexed like the graph given to `set_graph`.
    pub fn positions(&self) -> &[[f32; 2]] {
        &self.positions
    }

    /// Whether node `index` is pinned (false when out of range).
    pub fn is_pinned(&self, index: usize) -> bool {
        self.pinned.get(index).copied().unwrap_or(false)
    }

    /// Move one node (e.g. the user dragged it) and optionally pin it.
    /// Its velocity is cleared. Out-of-range indices and non-finite
    /// positions are ignored. Does not reheat.
    pub fn set_position(&mut self, index: usize, position: [f32; 2], pinned: bool) {
        if !(position[0].is_finite() && position[1].is_finite()) {
            return;
        }
        if let (Some(p), Some(v), Some(pin)) = (
            self.positions.get_mut(index),
            self.velocities.get_mut(index),
            self.pinned.get_mut(index),
        ) {
            *p = clamp_to_world(position);
            *v = [0.0; 2];
            *pin = pinned;
        }
    }

    /// Pins or unpins one node; out-of-range indices are ignored.
    pub fn set_pinned(&mut self, index: usize, pinned: bool) {
        if let (Some(pin), Some(v)) = (self.pinned.get_mut(index), self.velocities.get_mut(index)) {
            *pin = pinned;
            *v = [0.0; 2];
        }
    }

    /// Restarts the simulation: raises alpha to at least `alpha` (clamped to
    /// at most 1) and un-settles the layout. Requests below `alpha_min`
    /// (including NaN) change nothing.
    pub fn reheat(&mut self, alpha: f32) {
        if alpha.is_nan() || alpha < self.params.alpha_min {
            return;
        }
        self.alpha = self.alpha.max(alpha.min(1.0));
        self.settled = false;
    }

    /// Current temperature; forces are scaled by it.
    pub fn alpha(&self) -> f32 {
        self.alpha
    }

    /// Stops the simulation as if it had settled (positions loaded from a saved case are
    /// already at rest); [`Self::reheat`] starts it again.
    pub fn stop(&mut self) {
        self.alpha = 0.0;
        self.settled = true;
    }

    /// Whether ticking would do nothing (also true for an empty graph).
    pub fn is_settled(&self) -> bool {
        self.settled || self.positions.is_empty()
    }

    /// One simulation tick. Returns what happened. Once settled this returns
    /// immediately without touching any node.
    pub fn tick(&mut self) -> TickReport {
        if self.is_settled() {
            return TickReport::IDLE;
        }
        let threads = threads_for(self.positions.len(), self.max_threads);
        if threads > 1
            && let Some(report) = in_pool(threads, || self.tick_on(threads))
        {
            return report;
        }
        self.tick_on(1)
    }

    /// [`Self::tick`] on `threads` threads (inside their pool when more than one).
    fn tick_on(&mut self, threads: usize) -> TickReport {
        let p = self.params;
        let min_dist = (p.ideal_edge_length * MIN_DISTANCE_FRACTION).max(1e-3);
        if self.needs_separation {
            let spacing = p.ideal_edge_length * SEPARATION_FRACTION;
            separate_coincident(
                &mut self.positions,
                &self.pinned,
                spacing,
                self.seed,
                &mut self.scratch,
            );
            self.needs_separation = false;
        }
        self.alpha -= self.alpha * p.alpha_decay;
        let alpha = self.alpha;

        let repulsion = alpha * p.repulsion;
        self.build_grids(repulsion > 0.0, threads);
        self.apply_repulsion(repulsion, min_dist, threads);
        self.apply_springs(alpha, min_dist);
        self.apply_gravity(alpha * p.gravity);
        self.collider
            .apply(&mut self.velocities, COLLISION_STRENGTH, self.seed, threads);
        let max_displacement = self.integrate();

        self.settled = self.alpha < p.alpha_min || max_displacement < p.settle_displacement;
        TickReport {
            moved: max_displacement > 0.0,
            max_displacement,
            settled: self.settled,
        }
    }

    /// Run up to `max_ticks` or until settled; returns ticks run.
    pub fn run_until_settled(&mut self, max_ticks: usize) -> usize {
        let mut ticks = 0;
        while ticks < max_ticks && !self.is_settled() {
            self.tick();
            ticks += 1;
        }
        ticks
    }

    /// Builds the Barnes–Hut tree (when there is repulsion) and sorts the nodes into the
    /// collision grid: both read the positions only, so a large graph builds them side by side.
    fn build_grids(&mut self, repulsion: bool, threads: usize) {
        let (tree, collider) = (&mut self.tree, &mut self.collider);
        let (positions, pinned, mass) = (&self.positions, &self.pinned, &self.springs.mass);
        let (theta, separation) = (self.params.theta, self.params.min_separation);
        let mut build_tree = move || {
            if repulsion {
                tree.build(positions, mass, theta);
            }
        };
        if threads > 1 {
            rayon::join(build_tree, || {
                collider.prepare(positions, pinned, separation)
            });
        } else {
            collider.prepare(positions, pinned, separation);
            build_tree();
        }
    }

    /// Adds `strength · Σ_j m_j (p_i − p_j) / d²` to every free node's velocity (the tree
    /// is built by [`Self::build_grids`]).
    fn apply_repulsion(&mut self, strength: f32, min_dist: f32, threads: usize) {
        if strength <= 0.0 {
            return;
        }
        self.tree
            .repulsion_field_on(&mut self.field, &self.pinned, min_dist, self.seed, threads);
        for ((v, f), &pin) in self
            .velocities
            .iter_mut()
            .zip(&self.field)
            .zip(&self.pinned)
        {
            if !pin {
                v[0] += f[0] * strength;
                v[1] += f[1] * strength;
            }
        }
    }

    /// d3-style link force: each spring corrects the predicted distance of
    /// its ends toward the ideal length, split by degree (a pinned end passes
    /// the whole correction to the free end).
    fn apply_springs(&mut self, alpha: f32, min_dist: f32) {
        let ideal = self.params.ideal_edge_length;
        let s = &self.springs;
        for ((&[a, b], &strength), &bias) in s.edges.iter().zip(&s.strength).zip(&s.bias) {
            let (a, b) = (a as usize, b as usize);
            let (share_b, share_a) = match (self.pinned[a], self.pinned[b]) {
                (true, true) => continue,
                (true, false) => (1.0, 0.0),
                (false, true) => (0.0, 1.0),
                (false, false) => (bias, 1.0 - bias),
            };
            let (pa, pb) = (self.positions[a], self.positions[b]);
            let (va, vb) = (self.velocities[a], self.velocities[b]);
            let mut dx = (pb[0] + vb[0]) - (pa[0] + va[0]);
            let mut dy = (pb[1] + vb[1]) - (pa[1] + va[1]);
            let mut len = (dx * dx + dy * dy).sqrt();
            if len < 1e-6 {
                let d = pair_direction(self.seed, b, a);
                dx = d[0] * min_dist;
                dy = d[1] * min_dist;
                len = min_dist;
            }
            let k = (len - ideal) / len * alpha * strength;
            let (fx, fy) = (dx * k, dy * k);
            self.velocities[b][0] -= fx * share_b;
            self.velocities[b][1] -= fy * share_b;
            self.velocities[a][0] += fx * share_a;
            self.velocities[a][1] += fy * share_a;
        }
    }

    /// Linear pull of every free node toward the centroid of all nodes.
    fn apply_gravity(&mut self, strength: f32) {
        if strength <= 0.0 || self.positions.is_empty() {
            return;
        }
        let mut sum = [0.0f64; 2];
        for p in &self.positions {
            sum[0] += f64::from(p[0]);
            sum[1] += f64::from(p[1]);
        }
        let n = self.positions.len() as f64;
        let c = [(sum[0] / n) as f32, (sum[1] / n) as f32];
        for ((v, p), &pin) in self
            .velocities
            .iter_mut()
            .zip(&self.positions)
            .zip(&self.pinned)
        {
            if !pin {
                v[0] += (c[0] - p[0]) * strength;
                v[1] += (c[1] - p[1]) * strength;
            }
        }
    }

    /// Applies velocity decay and the step clamp, moves free nodes and
    /// returns the largest displacement.
    fn integrate(&mut self) -> f32 {
        let keep = 1.0 - self.params.velocity_decay;
        let max_step = self.params.max_step;
        let mut max_displacement = 0.0f32;
        for ((p, v), &pin) in self
            .positions
            .iter_mut()
            .zip(&mut self.velocities)
            .zip(&self.pinned)
        {
            if pin {
                *v = [0.0; 2];
                continue;
            }
            let mut vx = v[0] * keep;
            let mut vy = v[1] * keep;
            let mut speed = (vx * vx + vy * vy).sqrt();
            if !speed.is_finite() {
                (vx, vy, speed) = (0.0, 0.0, 0.0);
            } else if speed > max_step {
                let s = max_step / speed;
                (vx, vy, speed) = (vx * s, vy * s, max_step);
            }
            *v = [vx, vy];
            let old = *p;
            *p = clamp_to_world([p[0] + vx, p[1] + vy]);
            if *p != old {
                max_displacement = max_displacement.max(speed);
            }
        }
        max_displacement
    }
}

fn clamp_to_world(p: [f32; 2]) -> [f32; 2] {
    [
        p[0].clamp(-WORLD_LIMIT, WORLD_LIMIT),
        p[1].clamp(-WORLD_LIMIT, WORLD_LIMIT),
    ]
}

#[cfg(test)]
mod tests;
