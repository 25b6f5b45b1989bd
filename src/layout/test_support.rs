//! Test-only graph generators shared by the layout tests: seeded random
//! trees with extra cross edges and random warm-start positions.

use super::rng::TestRng;

/// Edges of a random tree on `n` nodes (each node links to a random earlier
/// one) plus `extra` random extra edges (which may duplicate or self-loop).
pub(crate) fn random_graph(n: usize, extra: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = TestRng::new(seed);
    let mut edges: Vec<(u32, u32)> = (1..n).map(|i| (rng.below(i) as u32, i as u32)).collect();
    if n > 0 {
        edges.extend((0..extra).map(|_| (rng.below(n) as u32, rng.below(n) as u32)));
    }
    edges
}

/// `n` random positions in a square of the given side centred on the origin.
pub(crate) fn random_positions(n: usize, side: f32, seed: u64) -> Vec<[f32; 2]> {
    let mut rng = TestRng::new(seed ^ 0x5EED);
    (0..n)
        .map(|_| [(rng.next_f32() - 0.5) * side, (rng.next_f32() - 0.5) * side])
        .collect()
}

/// Euclidean distance.
pub(crate) fn dist(a: [f32; 2], b: [f32; 2]) -> f32 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Warm-start positions the way the app places new nodes: node 0 at the
/// origin and every other node next to its tree parent (the first `n - 1`
/// edges of [`random_graph`]) via `place_near`.
pub(crate) fn placed_positions(n: usize, edges: &[(u32, u32)]) -> Vec<[f32; 2]> {
    let tree = &edges[..n.saturating_sub(1).min(edges.len())];
    let mut child_count = vec![0usize; n];
    for &(parent, _) in tree {
        child_count[parent as usize] += 1;
    }
    let mut placed = vec![0usize; n];
    let mut positions = vec![[0.0f32; 2]; n];
    for &(parent, child) in tree {
        let (p, c) = (parent as usize, child as usize);
        positions[c] = super::place_near(positions[p], placed[p], child_count[p], p as u64);
        placed[p] += 1;
    }
    positions
}
