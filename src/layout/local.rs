//! Settling a few nodes among many that stay where the user left them ("don't move my
//! graph"): new nodes after an expansion, or a selection the user asks to re-lay out. The
//! moving nodes and their surroundings — their neighbours along edges and every node within a
//! few edge lengths of them — become a small graph of their own, in which only the moving
//! nodes are free; everything else keeps its position to the bit. Far-away nodes are left out
//! (their pull on a few nodes is negligible against the local springs), so a settle costs what
//! the neighbourhood costs, not what the whole case costs. Gravity is off: a local centroid
//! would pull the new nodes into the middle of their neighbours.

use super::force::ForceLayout;
use super::params::LayoutParams;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Surroundings are taken within this many ideal edge lengths of the moving nodes.
const CONTEXT_RADIUS_EDGES: f32 = 4.0;
/// At most this many surrounding nodes are taken (the nearest win when there are more).
const MAX_CONTEXT_NODES: usize = 20_000;
/// Alpha a local settle starts at.
pub(super) const LOCAL_ALPHA: f32 = 0.6;

/// A settle of a few nodes in their neighbourhood, ticked a frame at a time.
#[derive(Debug)]
pub(super) struct LocalSettle {
    engine: ForceLayout,
    /// The driver's index of each local node; the first `moving` are the free ones.
    global_of: Vec<usize>,
    moving: usize,
}

impl LocalSettle {
    /// A settle of the nodes `moving` (driver indices) among `positions`, with `edges` the
    /// whole graph's edges and `pinned` its pinned flags (a pinned node never moves). `None`
    /// when no node can move.
    pub(super) fn new(
        params: LayoutParams,
        seed: u64,
        moving: &[usize],
        positions: &[[f32; 2]],
        pinned: &[bool],
        edges: &[(u32, u32)],
    ) -> Option<LocalSettle> {
        let n = positions.len();
        let mut local_of: HashMap<usize, usize> = HashMap::new();
        let mut global_of: Vec<usize> = Vec::new();
        for &i in moving {
            if i < n && !pinned.get(i).copied().unwrap_or(false) && !local_of.contains_key(&i) {
                local_of.insert(i, global_of.len());
                global_of.push(i);
            }
        }
        let free = global_of.len();
        if free == 0 {
            return None;
        }
        // Neighbours along edges, then everything near the moving nodes.
        for &(a, b) in edges {
            let (a, b) = (a as usize, b as usize);
            if a >= n || b >= n {
                continue;
            }
            let moves = |x: usize, local_of: &HashMap<usize, usize>| {
                local_of.get(&x).is_some_and(|&l| l < free)
            };
            if moves(a, &local_of) {
                add(&mut local_of, &mut global_of, b);
            }
            if moves(b, &local_of) {
                add(&mut local_of, &mut global_of, a);
            }
        }
        let radius = params.ideal_edge_length * CONTEXT_RADIUS_EDGES;
        let (mut lo, mut hi) = ([f32::MAX; 2], [f32::MIN; 2]);
        for &i in &global_of[..free] {
            let p = positions[i];
            lo = [lo[0].min(p[0] - radius), lo[1].min(p[1] - radius)];
            hi = [hi[0].max(p[0] + radius), hi[1].max(p[1] + radius)];
        }
        let mut near: Vec<(f32, usize)> = positions
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                !local_of.contains_key(i)
                    && (lo[0]..=hi[0]).contains(&p[0])
                    && (lo[1]..=hi[1]).contains(&p[1])
            })
            .map(|(i, p)| {
                let d = global_of[..free]
                    .iter()
                    .map(|&m| {
                        let q = positions[m];
                        (p[0] - q[0]).powi(2) + (p[1] - q[1]).powi(2)
                    })
                    .fold(f32::MAX, f32::min);
                (d, i)
            })
            .filter(|(d, _)| *d <= radius * radius)
            .collect();
        if near.len() > MAX_CONTEXT_NODES {
            near.select_nth_unstable_by(MAX_CONTEXT_NODES, |a, b| a.0.total_cmp(&b.0));
            near.truncate(MAX_CONTEXT_NODES);
        }
        near.sort_unstable_by_key(|&(_, i)| i);
        for (_, i) in near {
            add(&mut local_of, &mut global_of, i);
        }
        let local_positions: Vec<[f32; 2]> = global_of.iter().map(|&i| positions[i]).collect();
        let local_pinned: Vec<bool> = (0..global_of.len()).map(|l| l >= free).collect();
        let local_edges: Vec<(u32, u32)> = edges
            .iter()
            .filter_map(|&(a, b)| {
                let a = *local_of.get(&(a as usize))?;
                let b = *local_of.get(&(b as usize))?;
                // Springs between two fixed nodes do nothing.
                (a < free || b < free).then_some((a as u32, b as u32))
            })
            .collect();
        let mut engine = ForceLayout::new(
            LayoutParams {
                gravity: 0.0,
                ..params
            },
            seed,
        );
        engine.set_max_threads(1);
        engine.set_graph(local_positions, local_pinned, &local_edges);
        engine.reheat(LOCAL_ALPHA);
        Some(LocalSettle {
            engine,
            global_of,
            moving: free,
        })
    }

    /// Ticks for at most `budget` (or until settled); true if a node moved.
    pub(super) fn step(&mut self, budget: Duration) -> bool {
        let start = Instant::now();
        let mut moved = false;
        while !self.engine.is_settled() {
            moved |= self.engine.tick().moved;
            if start.elapsed() >= budget {
                break;
            }
        }
        moved
    }

    /// Ticks until settled or `max_ticks` (headless use); returns ticks run.
    pub(super) fn run(&mut self, max_ticks: usize) -> usize {
        self.engine.run_until_settled(max_ticks)
    }

    /// True once the moving nodes have come to rest.
    pub(super) fn is_settled(&self) -> bool {
        self.engine.is_settled()
    }

    /// The moving nodes' driver indices and current positions.
    pub(super) fn moves(&self) -> impl Iterator<Item = (usize, [f32; 2])> + '_ {
        self.global_of[..self.moving]
            .iter()
            .zip(self.engine.positions())
            .map(|(&i, &p)| (i, p))
    }

    /// Number of nodes in the local graph (moving and fixed).
    #[cfg(test)]
    pub(super) fn size(&self) -> (usize, usize) {
        (self.moving, self.global_of.len())
    }
}

fn add(local_of: &mut HashMap<usize, usize>, global_of: &mut Vec<usize>, i: usize) {
    if let std::collections::hash_map::Entry::Vacant(slot) = local_of.entry(i) {
        slot.insert(global_of.len());
        global_of.push(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A star of 20 leaves around node 0 at rest, plus a far-away pair, plus 5 new leaves of
    /// node 0 placed on top of it.
    fn star() -> (Vec<[f32; 2]>, Vec<(u32, u32)>) {
        let mut positions = vec![[0.0, 0.0]];
        let mut edges = Vec::new();
        for k in 0..20u32 {
            let a = k as f32 / 20.0 * std::f32::consts::TAU;
            positions.push([60.0 * a.cos(), 60.0 * a.sin()]);
            edges.push((0, k + 1));
        }
        positions.push([5_000.0, 5_000.0]);
        positions.push([5_060.0, 5_000.0]);
        edges.push((21, 22));
        for k in 0..5u32 {
            positions.push([1.0 + k as f32, 1.0]);
            edges.push((0, 23 + k));
        }
        (positions, edges)
    }

    #[test]
    fn only_the_moving_nodes_move_and_far_nodes_are_left_out() {
        let (positions, edges) = star();
        let moving: Vec<usize> = (23..28).collect();
        let pinned = vec![false; positions.len()];
        let mut settle = LocalSettle::new(
            LayoutParams::default(),
            7,
            &moving,
            &positions,
            &pinned,
            &edges,
        )
        .expect("something moves");
        let (free, total) = settle.size();
        assert_eq!(free, 5);
        assert_eq!(total, 26, "the star, not the far pair");
        let ticks = settle.run(5_000);
        assert!(settle.is_settled() && ticks < 5_000);
        let moves: Vec<(usize, [f32; 2])> = settle.moves().collect();
        assert_eq!(
            moves.iter().map(|m| m.0).collect::<Vec<_>>(),
            moving,
            "only the new nodes are reported"
        );
        for (i, p) in moves {
            let d = (p[0].powi(2) + p[1].powi(2)).sqrt();
            assert!(d > 20.0, "node {i} left its parent's spot: {d}");
            assert!(d < 300.0, "node {i} stays near its parent: {d}");
        }
    }

    #[test]
    fn pinned_or_unknown_nodes_do_not_move() {
        let (positions, edges) = star();
        let mut pinned = vec![false; positions.len()];
        pinned[23] = true;
        assert!(
            LocalSettle::new(
                LayoutParams::default(),
                7,
                &[23, 999],
                &positions,
                &pinned,
                &edges
            )
            .is_none()
        );
    }
}
