//! Starting positions for a generated case, so the force layout warm-starts from something
//! close to rest instead of a heap at the origin. Hubs (high-degree nodes) and the roots of the
//! other connected components each own a disc sized by the nodes that belong to them; the discs
//! are packed on a sunflower spiral, largest first. Every other node is placed next to the node
//! it was reached from in a breadth-first search from all roots at once (children of one parent
//! on a ring or spiral, see [`crate::layout::place_near_with_length`]).

use crate::layout::place_near_with_length;
use std::collections::VecDeque;

/// Rest length of an edge the positions are scaled to (the layout's default ideal length).
const EDGE_LENGTH: f32 = 60.0;
/// A node with at least this many neighbours is a root of its own disc.
const HUB_DEGREE: usize = 40;
/// Disc radius per square root of the nodes in it.
const DISC_RADIUS_PER_SQRT_NODE: f32 = 32.0;
/// Golden angle in radians (sunflower packing).
const GOLDEN_ANGLE: f32 = 2.399_963_2;

/// Positions for `node_count` nodes linked by `edges` (index pairs; duplicates, self-loops and
/// out-of-range pairs are ignored). Deterministic for a given `seed`; every position is finite.
pub(super) fn initial_positions(
    node_count: usize,
    edges: &[(u32, u32)],
    seed: u64,
) -> Vec<[f32; 2]> {
    let adjacency = Adjacency::new(node_count, edges);
    let (roots, component_size) = roots(&adjacency);

    // Breadth-first search from every root at once: each node joins the first root to reach it.
    let mut parent = vec![u32::MAX; node_count];
    let mut owner = vec![u32::MAX; node_count];
    let mut order = Vec::with_capacity(node_count);
    let mut queue = VecDeque::new();
    for &r in &roots {
        if owner[r as usize] == u32::MAX {
            owner[r as usize] = r;
            queue.push_back(r);
        }
    }
    while let Some(v) = queue.pop_front() {
        order.push(v);
        for &w in adjacency.neighbours(v) {
            if owner[w as usize] == u32::MAX {
                owner[w as usize] = owner[v as usize];
                parent[w as usize] = v;
                queue.push_back(w);
            }
        }
    }

    // Discs: sized by the nodes each root owns, packed largest first.
    let mut members = vec![0usize; node_count];
    for &o in &owner {
        if let Some(m) = members.get_mut(o as usize) {
            *m += 1;
        }
    }
    let mut disc_roots: Vec<u32> = roots
        .iter()
        .copied()
        .filter(|&r| owner[r as usize] == r)
        .collect();
    // The largest component's discs first (innermost), each component's largest disc first.
    disc_roots.sort_by_key(|&r| {
        (
            std::cmp::Reverse(component_size[r as usize]),
            std::cmp::Reverse(members[r as usize]),
            r,
        )
    });
    let mut positions = vec![[0.0f32; 2]; node_count];
    let mut area = 0.0f32;
    for (k, &r) in disc_roots.iter().enumerate() {
        let radius = DISC_RADIUS_PER_SQRT_NODE * (members[r as usize] as f32).sqrt() + EDGE_LENGTH;
        let distance = if k == 0 {
            0.0
        } else {
            (area / std::f32::consts::PI).sqrt() + radius
        };
        area += std::f32::consts::PI * (2.0 * radius).powi(2);
        let angle = k as f32 * GOLDEN_ANGLE;
        positions[r as usize] = [distance * angle.cos(), distance * angle.sin()];
    }

    // Children next to their parent, in search order (a parent is always placed first).
    let mut child_count = vec![0u32; node_count];
    let mut grandchildren = vec![0u32; node_count];
    for &v in &order {
        let p = parent[v as usize];
        if p != u32::MAX {
            child_count[p as usize] += 1;
        }
    }
    for &v in &order {
        let p = parent[v as usize];
        if p != u32::MAX {
            grandchildren[p as usize] += child_count[v as usize];
        }
    }
    let mut placed = vec![0u32; node_count];
    for &v in &order {
        let p = parent[v as usize];
        if p == u32::MAX {
            continue;
        }
        let p = p as usize;
        let children = child_count[p] as usize;
        // Children that have children of their own need room: the spiral is spread wider.
        let crowd = grandchildren[p] as f32 / children.max(1) as f32;
        let length = EDGE_LENGTH * (1.0 + crowd).sqrt();
        positions[v as usize] = place_near_with_length(
            positions[p],
            placed[p] as usize,
            children,
            seed ^ p as u64,
            length,
        );
        placed[p] += 1;
    }
    positions
}

/// Roots of the discs: hubs by falling degree, then the highest-degree node of every
/// connected component that has no hub; and for every root, the size of its component.
fn roots(adjacency: &Adjacency) -> (Vec<u32>, Vec<u32>) {
    let n = adjacency.node_count();
    let mut hubs: Vec<u32> = (0..n as u32)
        .filter(|&v| adjacency.degree(v) >= HUB_DEGREE)
        .collect();
    hubs.sort_by_key(|&v| (std::cmp::Reverse(adjacency.degree(v)), v));
    // Components by union-find; a component's root is its highest-degree node.
    let mut link: Vec<u32> = (0..n as u32).collect();
    fn find(link: &mut [u32], mut v: u32) -> u32 {
        while link[v as usize] != v {
            let up = link[link[v as usize] as usize];
            link[v as usize] = up;
            v = up;
        }
        v
    }
    for v in 0..n as u32 {
        for &w in adjacency.neighbours(v) {
            let (a, b) = (find(&mut link, v), find(&mut link, w));
            if a != b {
                link[a.max(b) as usize] = a.min(b);
            }
        }
    }
    let mut best = vec![u32::MAX; n];
    let mut has_hub = vec![false; n];
    for &h in &hubs {
        let c = find(&mut link, h) as usize;
        has_hub[c] = true;
    }
    for v in 0..n as u32 {
        let c = find(&mut link, v) as usize;
        let better = best[c] == u32::MAX || adjacency.degree(v) > adjacency.degree(best[c]);
        if better {
            best[c] = v;
        }
    }
    let mut roots = hubs;
    roots.extend(
        (0..n)
            .filter(|&c| best[c] != u32::MAX && !has_hub[c])
            .map(|c| best[c]),
    );
    let mut size_of_component = vec![0u32; n];
    for v in 0..n as u32 {
        size_of_component[find(&mut link, v) as usize] += 1;
    }
    let mut component_size = vec![0u32; n];
    for &r in &roots {
        component_size[r as usize] = size_of_component[find(&mut link, r) as usize];
    }
    (roots, component_size)
}

/// Undirected neighbour lists in one flat array (compressed rows).
struct Adjacency {
    offsets: Vec<u32>,
    targets: Vec<u32>,
}

impl Adjacency {
    fn new(node_count: usize, edges: &[(u32, u32)]) -> Adjacency {
        let mut pairs: Vec<(u32, u32)> = edges
            .iter()
            .filter(|&&(a, b)| a != b && (a as usize) < node_count && (b as usize) < node_count)
            .flat_map(|&(a, b)| [(a, b), (b, a)])
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut offsets = vec![0u32; node_count + 1];
        for &(a, _) in &pairs {
            offsets[a as usize + 1] += 1;
        }
        for i in 0..node_count {
            offsets[i + 1] += offsets[i];
        }
        Adjacency {
            offsets,
            targets: pairs.into_iter().map(|(_, b)| b).collect(),
        }
    }

    fn node_count(&self) -> usize {
        self.offsets.len() - 1
    }

    fn neighbours(&self, v: u32) -> &[u32] {
        let v = v as usize;
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    fn degree(&self, v: u32) -> usize {
        self.neighbours(v).len()
    }
}
