//! Layout quality numbers for reporting and tests: how evenly edge lengths
//! are spread (coefficient of variation), normalised stress (how well
//! drawn distances follow graph distances, at the best uniform scale), and
//! crowding (how close the closest nodes sit, against the typical edge). All
//! are scale-free, so layouts of different engines compare directly.

/// Coefficient of variation (standard deviation / mean) of the lengths of
/// the usable edges: in range, not self-loops, with finite endpoints.
/// 0 means every edge has the same length; 0 is also returned when there is
/// no usable edge or every usable edge has zero length.
pub fn edge_length_spread(positions: &[[f32; 2]], edges: &[(u32, u32)]) -> f32 {
    let (mut count, mut sum, mut sum_sq) = (0u64, 0.0f64, 0.0f64);
    for &(a, b) in edges {
        if a == b {
            continue;
        }
        let (Some(p), Some(q)) = (positions.get(a as usize), positions.get(b as usize)) else {
            continue;
        };
        let len = (f64::from(p[0]) - f64::from(q[0])).hypot(f64::from(p[1]) - f64::from(q[1]));
        if len.is_finite() {
            count += 1;
            sum += len;
            sum_sq += len * len;
        }
    }
    if count == 0 || sum <= 0.0 {
        return 0.0;
    }
    let n = count as f64;
    let mean = sum / n;
    let variance = (sum_sq / n - mean * mean).max(0.0);
    (variance.sqrt() / mean) as f32
}

/// Crowding of a layout: the 10th-percentile distance from a node to its nearest other node,
/// over the median edge length. Higher is better: 0 means at least a tenth of the nodes sit on
/// top of another node; about 1 means even the most crowded tenth keeps an edge's length apart.
/// Nodes with non-finite positions are skipped; 0 without a usable edge or with fewer than two
/// nodes. Nearest neighbours come from a uniform grid (cells of the median edge length), so the
/// cost is about linear.
pub fn crowding(positions: &[[f32; 2]], edges: &[(u32, u32)]) -> f32 {
    let mut lengths: Vec<f64> = edges
        .iter()
        .filter(|(a, b)| a != b)
        .filter_map(|&(a, b)| {
            let (p, q) = (positions.get(a as usize)?, positions.get(b as usize)?);
            let len = (f64::from(p[0]) - f64::from(q[0])).hypot(f64::from(p[1]) - f64::from(q[1]));
            len.is_finite().then_some(len)
        })
        .collect();
    let points: Vec<[f64; 2]> = positions
        .iter()
        .filter(|p| p[0].is_finite() && p[1].is_finite())
        .map(|p| [f64::from(p[0]), f64::from(p[1])])
        .collect();
    if lengths.is_empty() || points.len() < 2 {
        return 0.0;
    }
    let mid = lengths.len() / 2;
    let median = *lengths.select_nth_unstable_by(mid, f64::total_cmp).1;
    if median <= 0.0 {
        return 0.0;
    }
    let cell = median;
    let key = |p: &[f64; 2]| ((p[0] / cell).floor() as i64, (p[1] / cell).floor() as i64);
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> =
        std::collections::HashMap::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        grid.entry(key(p)).or_default().push(i);
    }
    let mut nearest: Vec<f64> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (cx, cy) = key(p);
            let mut best = f64::INFINITY;
            // Rings of cells until the best found is closer than the ring's inner edge.
            for ring in 0i64..64 {
                if best <= (ring - 1).max(0) as f64 * cell {
                    break;
                }
                for dx in -ring..=ring {
                    for dy in -ring..=ring {
                        if dx.abs() != ring && dy.abs() != ring {
                            continue;
                        }
                        for &j in grid.get(&(cx + dx, cy + dy)).into_iter().flatten() {
                            if j != i {
                                let q = &points[j];
                                best = best.min((p[0] - q[0]).hypot(p[1] - q[1]));
                            }
                        }
                    }
                }
            }
            if best.is_finite() { best } else { 64.0 * cell }
        })
        .collect();
    let tenth = nearest.len() / 10;
    let p10 = *nearest.select_nth_unstable_by(tenth, f64::total_cmp).1;
    (p10 / median) as f32
}

/// Normalised stress of a layout: over the node pairs `(s, j)` where `s` is one of up to
/// `sources` source nodes (spread evenly over the indices) and `j` is reachable from `s`,
/// `Σ ((c·|p_s − p_j| − d_sj) / d_sj)² / pairs` at the scale `c` that minimises it, with `d` the
/// hop distance along `edges` (undirected). 0 means drawn distances are exactly proportional to
/// hop distances; 1 is the value of putting every node on one point. Pairs with a non-finite
/// position are skipped; 0 when there is no pair.
pub fn normalized_stress(positions: &[[f32; 2]], edges: &[(u32, u32)], sources: usize) -> f32 {
    let n = positions.len();
    if n < 2 || sources == 0 {
        return 0.0;
    }
    let mut degree = vec![0u32; n + 1];
    let usable = |&&(a, b): &&(u32, u32)| a != b && (a as usize) < n && (b as usize) < n;
    for &(a, b) in edges.iter().filter(usable) {
        degree[a as usize + 1] += 1;
        degree[b as usize + 1] += 1;
    }
    for i in 0..n {
        degree[i + 1] += degree[i];
    }
    let offsets = degree;
    let mut fill = offsets.clone();
    let mut targets = vec![0u32; offsets[n] as usize];
    for &(a, b) in edges.iter().filter(usable) {
        targets[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
        targets[fill[b as usize] as usize] = a;
        fill[b as usize] += 1;
    }
    let finite = |p: [f32; 2]| p[0].is_finite() && p[1].is_finite();
    let (mut pairs, mut sum_ratio, mut sum_ratio_sq) = (0u64, 0.0f64, 0.0f64);
    let mut hops = vec![u32::MAX; n];
    let mut queue = Vec::with_capacity(n);
    let count = sources.min(n);
    for k in 0..count {
        let source = k * n / count;
        hops.fill(u32::MAX);
        hops[source] = 0;
        queue.clear();
        queue.push(source as u32);
        let mut head = 0;
        while let Some(&v) = queue.get(head) {
            head += 1;
            let next = hops[v as usize] + 1;
            for &w in &targets[offsets[v as usize] as usize..offsets[v as usize + 1] as usize] {
                if hops[w as usize] == u32::MAX {
                    hops[w as usize] = next;
                    queue.push(w);
                }
            }
        }
        let p = positions[source];
        if !finite(p) {
            continue;
        }
        for &j in &queue[1..] {
            let q = positions[j as usize];
            if !finite(q) {
                continue;
            }
            let drawn =
                (f64::from(p[0]) - f64::from(q[0])).hypot(f64::from(p[1]) - f64::from(q[1]));
            let ratio = drawn / f64::from(hops[j as usize]);
            pairs += 1;
            sum_ratio += ratio;
            sum_ratio_sq += ratio * ratio;
        }
    }
    if pairs == 0 || sum_ratio_sq <= 0.0 {
        return if pairs == 0 { 0.0 } else { 1.0 };
    }
    // Σ (c·r − 1)² is smallest at c = Σr / Σr², where it is pairs − (Σr)² / Σr².
    let best = pairs as f64 - sum_ratio * sum_ratio / sum_ratio_sq;
    (best / pairs as f64).max(0.0) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crowding_is_the_tenth_nearest_distance_over_the_median_edge() {
        // A 10 × 10 grid with spacing 2, edges along rows: every nearest distance is 2, the
        // median edge 2: crowding 1.
        let p: Vec<[f32; 2]> = (0..100)
            .map(|i| [(i % 10) as f32 * 2.0, (i / 10) as f32 * 2.0])
            .collect();
        let edges: Vec<(u32, u32)> = (0..100u32)
            .filter(|i| i % 10 != 9)
            .map(|i| (i, i + 1))
            .collect();
        assert!((crowding(&p, &edges) - 1.0).abs() < 1e-6);
        // Stack a fifth of the nodes onto others: the 10th percentile becomes 0.
        let mut stacked = p.clone();
        for i in 0..20 {
            stacked[i * 5] = stacked[i * 5 + 1];
        }
        assert_eq!(crowding(&stacked, &edges), 0.0);
        // Far-apart clusters still find their neighbours; nothing usable gives 0.
        let far = [[0.0, 0.0], [1.0, 0.0], [1e6, 0.0], [1e6 + 1.0, 0.0]];
        assert!((crowding(&far, &[(0, 1), (2, 3)]) - 1.0).abs() < 1e-6);
        assert_eq!(crowding(&far, &[]), 0.0);
        assert_eq!(crowding(&[[f32::NAN, 0.0]; 3], &[(0, 1)]), 0.0);
    }

    #[test]
    fn equal_lengths_have_zero_spread() {
        let p = [[0.0, 0.0], [3.0, 4.0], [6.0, 0.0]];
        assert!(edge_length_spread(&p, &[(0, 1), (1, 2)]) < 1e-6);
    }

    #[test]
    fn known_spread() {
        // Lengths 1 and 3: mean 2, standard deviation 1.
        let p = [[0.0, 0.0], [1.0, 0.0], [4.0, 0.0]];
        assert!((edge_length_spread(&p, &[(0, 1), (1, 2)]) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn ignores_unusable_edges() {
        let p = [[0.0, 0.0], [1.0, 0.0], [f32::NAN, 0.0]];
        assert_eq!(edge_length_spread(&p, &[(0, 0), (0, 9), (0, 2)]), 0.0);
        assert_eq!(edge_length_spread(&[], &[]), 0.0);
        assert!(edge_length_spread(&p, &[(0, 1), (5, 1)]) < 1e-6);
    }

    #[test]
    fn stress_is_zero_for_a_straight_path_and_scale_free() {
        let edges = [(0, 1), (1, 2), (2, 3)];
        let line: Vec<[f32; 2]> = (0..4).map(|i| [i as f32 * 7.0, 0.0]).collect();
        assert!(normalized_stress(&line, &edges, 4) < 1e-6);
        let folded = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let s = normalized_stress(&folded, &edges, 4);
        let scaled: Vec<[f32; 2]> = folded.iter().map(|p| [p[0] * 50.0, p[1] * 50.0]).collect();
        assert!(s > 0.01 && (s - normalized_stress(&scaled, &edges, 4)).abs() < 1e-5);
        let heap = [[3.0f32, 3.0]; 4];
        assert_eq!(normalized_stress(&heap, &edges, 4), 1.0);
        assert_eq!(normalized_stress(&heap, &[], 4), 0.0);
        assert_eq!(normalized_stress(&[], &edges, 4), 0.0);
    }
}
