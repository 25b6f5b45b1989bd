//! Clean edge list for the simulation: drops self-loops and out-of-range
//! indices, merges duplicate and reversed edges, and precomputes node mass
//! (`1 + degree`) plus each spring's d3-style strength and bias.

/// Leaf springs are no stiffer than springs between two nodes of this degree.
const LEAF_STIFFNESS_DEGREE: f32 = 2.0;

/// Springs and masses derived from a caller's edge list.
#[derive(Clone, Debug, Default)]
pub(crate) struct Springs {
    /// Unique undirected edges `[a, b]` with `a < b < node_count`, sorted.
    pub(crate) edges: Vec<[u32; 2]>,
    /// Spring stiffness per edge: `1 / max(min(deg a, deg b), min(max(deg a, deg b), 2))`,
    /// d3's `1 / min(degree)` with leaf springs capped at 1/2. A hub's springs are as stiff
    /// as its leaves', so its leaves settle in a disc whose size follows from repulsion
    /// alone (not a far-flung ring, as with springs that soften with the hub's degree); a
    /// node's total stiffness stays at most 1, as in d3, which keeps the sequential
    /// (Gauss–Seidel) spring pass stable.
    pub(crate) strength: Vec<f32>,
    /// Share of each spring correction applied to `b` (the rest goes to `a`):
    /// `degree a / (degree a + degree b)`, so hubs move less than leaves.
    pub(crate) bias: Vec<f32>,
    /// Per-node mass `1 + degree`.
    pub(crate) mass: Vec<f32>,
}

impl Springs {
    /// Rebuilds from `edges` for a graph of `node_count` nodes.
    pub(crate) fn rebuild(&mut self, node_count: usize, edges: &[(u32, u32)]) {
        self.edges.clear();
        self.edges.extend(edges.iter().filter_map(|&(a, b)| {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            (lo != hi && (hi as usize) < node_count).then_some([lo, hi])
        }));
        self.edges.sort_unstable();
        self.edges.dedup();

        let mut degree = vec![0u32; node_count];
        for &[a, b] in &self.edges {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        self.mass.clear();
        self.mass.extend(degree.iter().map(|&d| 1.0 + d as f32));
        self.strength.clear();
        self.bias.clear();
        for &[a, b] in &self.edges {
            let (da, db) = (degree[a as usize] as f32, degree[b as usize] as f32);
            // d3's `1 / min(degree)`, except that a leaf's spring is no stiffer than a
            // degree-2 node's: stiff enough that a hub's leaves stay in a compact disc
            // around it, soft enough that they spread over the disc instead of a ring.
            let stiffness_degree = da.min(db).max(da.max(db).min(LEAF_STIFFNESS_DEGREE));
            self.strength.push(1.0 / stiffness_degree.max(1.0));
            self.bias.push(da / (da + db).max(1.0));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleans_edges_and_counts_degree() {
        let mut s = Springs::default();
        s.rebuild(
            4,
            &[
                (0, 1),
                (1, 0),
                (0, 1),
                (2, 2),
                (3, 9),
                (u32::MAX, 0),
                (1, 2),
                (0, 3),
            ],
        );
        assert_eq!(s.edges, vec![[0, 1], [0, 3], [1, 2]]);
        assert_eq!(s.mass, vec![3.0, 3.0, 2.0, 2.0]);
        assert_eq!(s.strength, vec![0.5, 0.5, 0.5]);
        assert_eq!(s.bias, vec![0.5, 2.0 / 3.0, 2.0 / 3.0]);
        // A star's leaves (degree 1) get 1/2, not d3's 1; a clique of degree-3 nodes 1/3.
        s.rebuild(6, &[(0, 1), (0, 2), (0, 3), (0, 4), (0, 5)]);
        assert_eq!(s.strength, vec![0.5; 5]);
        s.rebuild(4, &[(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]);
        assert_eq!(s.strength, vec![1.0 / 3.0; 6]);
    }

    #[test]
    fn empty_graph() {
        let mut s = Springs::default();
        s.rebuild(0, &[(0, 1)]);
        assert!(s.edges.is_empty() && s.mass.is_empty());
    }
}
