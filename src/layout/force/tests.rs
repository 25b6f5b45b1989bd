//! Behavioural tests of the force simulation: settling, pinning,
//! determinism, degenerate inputs, layout quality, collisions. Timings are
//! in `cargo bench --bench scale`, not here.

use super::super::test_support::{dist, placed_positions, random_graph, random_positions};
use super::super::{edge_length_spread, place_near};
use super::*;

fn all_finite(layout: &ForceLayout) -> bool {
    layout
        .positions()
        .iter()
        .all(|p| p[0].is_finite() && p[1].is_finite())
}

fn tree_layout(n: usize, extra: usize, seed: u64) -> (ForceLayout, Vec<(u32, u32)>) {
    let edges = random_graph(n, extra, seed);
    let mut layout = ForceLayout::new(LayoutParams::default(), seed);
    layout.set_graph(random_positions(n, 400.0, seed), vec![false; n], &edges);
    (layout, edges)
}

fn bits(positions: &[[f32; 2]]) -> Vec<[u32; 2]> {
    positions
        .iter()
        .map(|p| [p[0].to_bits(), p[1].to_bits()])
        .collect()
}

#[test]
fn random_tree_settles_and_then_idles() {
    let (mut layout, edges) = tree_layout(200, 40, 1);
    let ticks = layout.run_until_settled(1000);
    println!("settled after {ticks} ticks, alpha {}", layout.alpha());
    assert!(ticks < 1000 && layout.is_settled());
    let before = bits(layout.positions());
    let report = layout.tick();
    assert_eq!(
        report,
        TickReport {
            moved: false,
            max_displacement: 0.0,
            settled: true
        }
    );
    assert_eq!(bits(layout.positions()), before);
    assert_eq!(layout.run_until_settled(10), 0);
    let spread = edge_length_spread(layout.positions(), &edges);
    println!("edge length spread {spread}");
    assert!(spread < 0.6, "edge length spread {spread}");
}

#[test]
fn reheat_restarts_a_settled_layout() {
    let (mut layout, _) = tree_layout(50, 5, 2);
    layout.run_until_settled(1000);
    assert!(layout.is_settled());
    layout.set_position(0, [500.0, 500.0], false);
    assert_eq!(layout.positions()[0], [500.0, 500.0]);
    assert!(!layout.tick().moved, "no work until reheated");
    layout.reheat(0.5);
    assert!(!layout.is_settled() && layout.alpha() >= 0.5);
    assert!(layout.tick().moved);
    assert_ne!(layout.positions()[0], [500.0, 500.0]);
    layout.run_until_settled(1000);
    assert!(layout.is_settled());
    layout.reheat(f32::NAN);
    assert!(layout.is_settled());
}

#[test]
fn pinned_nodes_never_move_while_others_do() {
    let n = 120;
    let edges = random_graph(n, 30, 3);
    let start = random_positions(n, 300.0, 3);
    let pinned: Vec<bool> = (0..n).map(|i| i % 7 == 0).collect();
    let mut layout = ForceLayout::new(LayoutParams::default(), 3);
    layout.set_graph(start.clone(), pinned.clone(), &edges);
    layout.set_position(5, [1.0, 1.0], true);
    layout.run_until_settled(400);
    let moved = (0..n)
        .filter(|&i| !pinned[i] && i != 5)
        .filter(|&i| dist(layout.positions()[i], start[i]) > 1.0)
        .count();
    for i in (0..n).filter(|&i| pinned[i]) {
        assert_eq!(
            layout.positions()[i].map(f32::to_bits),
            start[i].map(f32::to_bits),
            "node {i}"
        );
    }
    assert_eq!(layout.positions()[5], [1.0, 1.0]);
    assert!(layout.is_pinned(5) && !layout.is_pinned(6) && !layout.is_pinned(10_000));
    let free = (0..n).filter(|&i| !pinned[i] && i != 5).count();
    assert!(moved * 10 >= free * 9, "{moved} of {free} free nodes moved");

    // Unpinning lets a node move again.
    layout.set_pinned(5, false);
    layout.reheat(0.3);
    layout.run_until_settled(50);
    assert_ne!(layout.positions()[5], [1.0, 1.0]);
}

#[test]
fn same_seed_is_bit_identical_and_other_seeds_differ() {
    // Half of the nodes start on one spot, so the seed decides how they split.
    let n = 150;
    let edges = random_graph(n, 20, 4);
    let mut start = random_positions(n, 300.0, 4);
    for p in start.iter_mut().step_by(2) {
        *p = [10.0, 10.0];
    }
    let run = |seed: u64| {
        let mut layout = ForceLayout::new(LayoutParams::default(), seed);
        layout.set_graph(start.clone(), vec![false; n], &edges);
        layout.run_until_settled(1000);
        bits(layout.positions())
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a, run(8));
}

#[test]
fn degenerate_graphs_stay_finite() {
    let mut empty = ForceLayout::new(LayoutParams::default(), 0);
    assert!(empty.is_settled());
    assert_eq!(empty.tick(), TickReport::IDLE);
    empty.set_graph(Vec::new(), vec![true; 3], &[(0, 1), (5, 5)]);
    assert_eq!(empty.run_until_settled(100), 0);
    assert_eq!(empty.node_count(), 0);
    empty.set_position(0, [1.0, 1.0], true);
    empty.set_pinned(3, true);

    let mut one = ForceLayout::new(LayoutParams::default(), 0);
    one.set_graph(vec![[3.0, 4.0]], Vec::new(), &[(0, 0), (0, 1)]);
    one.run_until_settled(1000);
    assert!(all_finite(&one) && one.is_settled());
    assert!(dist(one.positions()[0], [3.0, 4.0]) < 1e-3);

    for (positions, edges) in [
        (vec![[0.0, 0.0], [0.0, 0.0]], vec![(0u32, 1u32)]),
        (vec![[0.0, 0.0], [0.0, 0.0]], vec![]),
        (vec![[-5.0, 2.0], [7.0, 1.0]], vec![(1, 0), (0, 1), (1, 1)]),
        (
            vec![[1e30, -1e30], [f32::NAN, 0.0], [f32::INFINITY, 2.0]],
            vec![(0, 1), (1, 2)],
        ),
        (vec![[0.0, 0.0]; 100], random_graph(100, 10, 5)),
        (
            vec![[42.0, 42.0]; 300],
            vec![(0, 999), (u32::MAX, 1), (7, 7), (3, 4), (4, 3), (3, 4)],
        ),
    ] {
        let n = positions.len();
        let mut layout = ForceLayout::new(LayoutParams::default(), 9);
        layout.set_graph(positions, vec![false; n], &edges);
        for _ in 0..300 {
            let report = layout.tick();
            assert!(report.max_displacement.is_finite());
        }
        assert!(all_finite(&layout), "{:?}", layout.positions());
        let p = layout.positions();
        for i in 0..n {
            for j in i + 1..n {
                assert!(
                    dist(p[i], p[j]) > 1.0,
                    "nodes {i} and {j} of {n} still together"
                );
            }
        }
        let ticks = layout.run_until_settled(2000);
        assert!(
            layout.is_settled(),
            "{n} nodes not settled after {ticks} more ticks"
        );
    }
}

#[test]
fn hostile_parameters_are_tamed() {
    let params = LayoutParams {
        ideal_edge_length: -1.0,
        repulsion: f32::NAN,
        gravity: f32::INFINITY,
        theta: -3.0,
        alpha_decay: f32::NAN,
        alpha_min: 5.0,
        velocity_decay: 9.0,
        max_step: f32::NEG_INFINITY,
        settle_displacement: -1.0,
        min_separation: f32::INFINITY,
    };
    let mut layout = ForceLayout::new(params, 1);
    layout.set_graph(
        random_positions(30, 100.0, 1),
        Vec::new(),
        &random_graph(30, 5, 1),
    );
    layout.run_until_settled(100);
    assert!(all_finite(&layout));
    let mut layout = ForceLayout::new(
        LayoutParams {
            alpha_decay: 0.0,
            settle_displacement: 0.0,
            ..Default::default()
        },
        1,
    );
    layout.set_graph(
        random_positions(30, 100.0, 1),
        Vec::new(),
        &random_graph(30, 5, 1),
    );
    assert_eq!(layout.run_until_settled(50), 50, "bounded by max_ticks");
    assert!(all_finite(&layout));
}

#[test]
fn random_operation_sequences_never_break() {
    let mut rng = super::super::rng::TestRng::new(2024);
    let specials = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        1e30,
        -1e30,
        0.0,
        -0.0,
        5.0,
    ];
    let mut layout = ForceLayout::new(LayoutParams::default(), 5);
    for step in 0..400 {
        let n = layout.node_count();
        match rng.below(6) {
            0 => {
                let n = rng.below(40);
                let positions = (0..n)
                    .map(|_| match rng.below(4) {
                        0 => [specials[rng.below(8)], specials[rng.below(8)]],
                        1 => [1.0, 1.0],
                        _ => [rng.next_f32() * 200.0, rng.next_f32() * 200.0],
                    })
                    .collect();
                let pinned = (0..rng.below(50)).map(|_| rng.below(5) == 0).collect();
                let edges: Vec<(u32, u32)> = (0..rng.below(80))
                    .map(|_| (rng.below(n + 3) as u32, rng.below(n + 3) as u32))
                    .collect();
                layout.set_graph(positions, pinned, &edges);
            }
            1 => {
                let p = [specials[rng.below(8)], rng.next_f32() * 100.0];
                layout.set_position(rng.below(n + 2), p, rng.below(2) == 0);
            }
            2 => layout.set_pinned(rng.below(n + 2), rng.below(2) == 0),
            3 => layout.reheat([f32::NAN, -1.0, 0.0, 0.3, 1.0, 7.0][rng.below(6)]),
            _ => {
                let report = layout.tick();
                assert!(report.max_displacement.is_finite());
            }
        }
        assert!(all_finite(&layout), "step {step}: {:?}", layout.positions());
        assert!(layout.alpha().is_finite() && (0.0..=1.0).contains(&layout.alpha()));
    }
}

#[test]
fn connected_nodes_end_closer_than_unconnected_ones() {
    let (mut layout, edges) = tree_layout(200, 40, 6);
    layout.run_until_settled(1000);
    let p = layout.positions();
    let mut adjacent = std::collections::BTreeSet::new();
    for &(a, b) in &edges {
        adjacent.insert((a.min(b), a.max(b)));
    }
    let edge_mean = adjacent
        .iter()
        .map(|&(a, b)| dist(p[a as usize], p[b as usize]))
        .sum::<f32>()
        / adjacent.len() as f32;
    let (mut sum, mut count) = (0.0f32, 0usize);
    for a in 0..p.len() as u32 {
        for b in a + 1..p.len() as u32 {
            if !adjacent.contains(&(a, b)) {
                sum += dist(p[a as usize], p[b as usize]);
                count += 1;
            }
        }
    }
    let other_mean = sum / count as f32;
    println!("mean edge length {edge_mean}, mean non-adjacent distance {other_mean}");
    assert!(edge_mean * 3.0 < other_mean, "{edge_mean} vs {other_mean}");
    assert!(
        edge_mean > 30.0 && edge_mean < 150.0,
        "edge length {edge_mean} far from ideal"
    );
}

#[test]
fn hub_spreads_its_leaves() {
    let leaves = 300;
    let n = leaves + 1;
    let edges: Vec<(u32, u32)> = (1..n as u32).map(|i| (0, i)).collect();
    let mut positions = vec![[0.0f32, 0.0]];
    positions.extend((0..leaves).map(|i| place_near([0.0, 0.0], i, leaves, 11)));
    let mut layout = ForceLayout::new(LayoutParams::default(), 11);
    layout.set_graph(positions, vec![false; n], &edges);
    layout.run_until_settled(1000);
    let p = layout.positions();
    let mut min_leaf = f32::INFINITY;
    for i in 1..n {
        for j in i + 1..n {
            min_leaf = min_leaf.min(dist(p[i], p[j]));
        }
    }
    let mean_radius = (1..n).map(|i| dist(p[i], p[0])).sum::<f32>() / leaves as f32;
    println!("hub: min leaf distance {min_leaf}, mean leaf radius {mean_radius}");
    assert!(min_leaf > 15.0, "leaves crushed together: {min_leaf}");
    assert!(
        mean_radius > 120.0 && mean_radius < 800.0,
        "mean radius {mean_radius}"
    );
}

#[test]
fn new_children_placed_near_parent_stay_near_it() {
    let (mut layout, mut edges) = tree_layout(100, 10, 12);
    layout.run_until_settled(1000);
    let mut positions = layout.positions().to_vec();
    let parent = positions[0];
    for i in 0..5 {
        positions.push(place_near(parent, i, 5, 12));
        edges.push((0, 100 + i as u32));
    }
    layout.set_graph(positions, Vec::new(), &edges);
    layout.reheat(0.3);
    layout.run_until_settled(1000);
    let p = layout.positions();
    for i in 100..105 {
        assert!(dist(p[i], p[0]) < 200.0, "child {i} drifted to {:?}", p[i]);
    }
}

#[test]
fn grown_tree_gets_readable_edge_lengths_and_spacing() {
    // Nodes placed next to their parent as the app does, then laid out.
    let n = 500;
    let edges = random_graph(n, 0, 13);
    let mut layout = ForceLayout::new(LayoutParams::default(), 13);
    layout.set_graph(placed_positions(n, &edges), vec![false; n], &edges);
    layout.run_until_settled(1000);
    let p = layout.positions();
    let mut lengths: Vec<f32> = edges
        .iter()
        .map(|&(a, b)| dist(p[a as usize], p[b as usize]))
        .collect();
    lengths.sort_by(f32::total_cmp);
    let median = lengths[lengths.len() / 2];
    let mut nearest = vec![f32::INFINITY; n];
    for i in 0..n {
        for j in i + 1..n {
            let d = dist(p[i], p[j]);
            nearest[i] = nearest[i].min(d);
            nearest[j] = nearest[j].min(d);
        }
    }
    nearest.sort_by(f32::total_cmp);
    let spread = edge_length_spread(p, &edges);
    println!(
        "grown tree: median edge {median:.1}, spread {spread:.3}, nearest neighbour min {:.1} median {:.1}",
        nearest[0],
        nearest[n / 2]
    );
    assert!(
        median > 45.0 && median < 120.0,
        "median edge length {median}"
    );
    assert!(nearest[0] > 5.0, "overlapping nodes: {}", nearest[0]);
    assert!(
        nearest[n / 2] > 25.0,
        "crowded: median nearest neighbour {}",
        nearest[n / 2]
    );
}

#[test]
fn threads_do_not_change_the_layout() {
    // Above the size where a tick runs on several threads, with several collision blocks.
    let n = (super::super::parallel::PARALLEL_MIN_BODIES + 100).max(12_000);
    let edges = random_graph(n, n / 3, 21);
    let run = |threads: usize| {
        let mut layout = ForceLayout::new(LayoutParams::default(), 21);
        layout.set_max_threads(threads);
        layout.set_graph(random_positions(n, 3_000.0, 21), vec![false; n], &edges);
        for _ in 0..6 {
            layout.tick();
        }
        bits(layout.positions())
    };
    let one = run(1);
    assert_eq!(run(2), one);
    assert_eq!(run(4), one);
}

#[test]
fn a_hubs_leaves_do_not_overlap() {
    // 80 leaves seeded on top of each other around their hub.
    let n = 81;
    let positions: Vec<[f32; 2]> = (0..n)
        .map(|i| [(i % 3) as f32 * 0.5, (i % 5) as f32 * 0.5])
        .collect();
    let edges: Vec<(u32, u32)> = (1..n as u32).map(|leaf| (0, leaf)).collect();
    let params = LayoutParams::default();
    let mut layout = ForceLayout::new(params, 5);
    layout.set_graph(positions, Vec::new(), &edges);
    layout.run_until_settled(2000);
    let p = layout.positions();
    let mut closest = f32::INFINITY;
    for i in 0..n {
        for j in i + 1..n {
            let d = ((p[i][0] - p[j][0]).powi(2) + (p[i][1] - p[j][1]).powi(2)).sqrt();
            closest = closest.min(d);
        }
    }
    assert!(
        closest >= 0.9 * params.min_separation,
        "closest pair {closest} apart, separation {}",
        params.min_separation
    );
}
