//! Clean edge list for the simulation: drops self-loops and out-of-range
//! indices, merges duplicate and reversed edges, and precomputes node mass
//! (`1 + degree`) plus each spring's d3-style strength and bias.

/// Springs and masses derived from a caller's edge list.
#[derive(Clone, Debug, Default)]
pub(crate) struct Springs {
    /// Unique undirected edges `[a, b]` with `a < b < node_count`, sorted.
    pub(crate) edges: Vec<[u32; 2]>,
    /// Spring stiffness per edge: `1 / sqrt(degree a · degree b)`. Springs to
    /// hubs are soft, so a hub's many leaves can spread out instead of being
    /// held on one crowded ring; a node's total stiffness stays below 1/2,
    /// which keeps the sequential (Gauss–Seidel) spring pass stable.
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
            self.strength.push(1.0 / (da * db).sqrt().max(1.0));
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
        let r2 = 1.0 / 2f32.sqrt();
        assert_eq!(s.strength, vec![0.5, r2, r2]);
        assert_eq!(s.bias, vec![0.5, 2.0 / 3.0, 2.0 / 3.0]);
    }

    #[test]
    fn empty_graph() {
        let mut s = Springs::default();
        s.rebuild(0, &[(0, 1)]);
        assert!(s.edges.is_empty() && s.mass.is_empty());
    }
}
