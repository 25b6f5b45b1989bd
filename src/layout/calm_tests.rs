//! "Don't move my graph": a drag moves the dragged node and its leaves only, an expansion
//! settles only the new nodes, and only Re-layout moves everything — on the UI thread and on
//! the worker alike, checked to the bit.

use super::LayoutDriver;
use crate::generate::generate_case;
use crate::model::{Case, NodeId, apply};
use std::collections::BTreeMap;
use std::time::Duration;

fn sync(driver: &mut LayoutDriver, case: &mut Case, revision: u64) {
    let mut positions = std::mem::take(&mut case.layout.positions);
    driver.sync(case, &mut positions, revision);
    case.layout.positions = positions;
}

fn settle(driver: &mut LayoutDriver, case: &mut Case) {
    for _ in 0..200_000 {
        driver.step(&mut case.layout.positions, None);
        if driver.is_settled() {
            driver.step(&mut case.layout.positions, None);
            return;
        }
        std::thread::sleep(Duration::from_micros(100));
    }
    panic!("layout did not settle");
}

/// A settled generated case (as if opened from a file) and its driver.
fn settled_case(nodes: usize, worker: bool) -> (Case, LayoutDriver) {
    let mut case = generate_case(nodes, 3);
    let mut driver = LayoutDriver::with_worker_min_nodes(if worker { 100 } else { usize::MAX });
    sync(&mut driver, &mut case, 1);
    assert!(driver.is_settled(), "a loaded case is shown as saved");
    (case, driver)
}

/// The node with most edges to nodes that have no other edge (so it has leaves to drag).
fn node_with_leaves(case: &Case) -> NodeId {
    let mut degree: BTreeMap<&NodeId, usize> = BTreeMap::new();
    for t in case.transfers.values() {
        *degree.entry(&t.from).or_default() += 1;
        *degree.entry(&t.to).or_default() += 1;
    }
    let mut leaves: BTreeMap<&NodeId, usize> = BTreeMap::new();
    for t in case.transfers.values() {
        if degree[&t.to] == 1 {
            *leaves.entry(&t.from).or_default() += 1;
        }
        if degree[&t.from] == 1 {
            *leaves.entry(&t.to).or_default() += 1;
        }
    }
    let (node, _) = leaves
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .expect("a node with leaves");
    node.clone()
}

fn drag_moves_only_the_node_and_its_leaves(worker: bool) {
    let (mut case, mut driver) = settled_case(600, worker);
    let node = node_with_leaves(&case);
    let leaves: Vec<NodeId> = case
        .transfers
        .values()
        .filter_map(|t| {
            let other = if t.from == node {
                &t.to
            } else if t.to == node {
                &t.from
            } else {
                return None;
            };
            let edges = case
                .transfers
                .values()
                .filter(|u| &u.from == other || &u.to == other)
                .count();
            (edges == 1).then(|| other.clone())
        })
        .collect();
    assert!(!leaves.is_empty());
    let before = case.layout.positions.clone();
    let start = before[&node];
    // Three frames of dragging, then the drop (the app's Place action pins the node there).
    for step in 1..=3 {
        let target = [
            start[0] + 100.0 * step as f32,
            start[1] - 40.0 * step as f32,
        ];
        let mut positions = std::mem::take(&mut case.layout.positions);
        driver.hold(&mut positions, &node, target);
        case.layout.positions = positions;
        driver.step(&mut case.layout.positions, Some(&node));
    }
    let end = [start[0] + 300.0, start[1] - 120.0];
    case.layout.positions.insert(node.clone(), end);
    case.layout.pinned.insert(node.clone());
    sync(&mut driver, &mut case, 2);
    settle(&mut driver, &mut case);
    for (id, pos) in &case.layout.positions {
        if id == &node {
            assert_eq!(*pos, end);
        } else if leaves.contains(id) {
            let was = before[id];
            assert_eq!(
                *pos,
                [was[0] + 300.0, was[1] - 120.0],
                "leaf {id} moved along"
            );
        } else {
            assert_eq!(pos, &before[id], "{id} must not move (worker: {worker})");
        }
    }
}

#[test]
fn a_drag_moves_only_the_node_and_its_leaves_inline() {
    drag_moves_only_the_node_and_its_leaves(false);
}

#[test]
fn a_drag_moves_only_the_node_and_its_leaves_on_the_worker() {
    drag_moves_only_the_node_and_its_leaves(true);
}

/// Adds `count` new leaves of `parent` placed at the parent (as an expansion does, roughly).
fn expand(case: &mut Case, parent: &NodeId, count: u32) -> Vec<NodeId> {
    let (action, ids) = crate::generate::new_leaves(case, parent, count, 0xfeed_0000);
    apply(case, action).expect("applies");
    ids
}

fn expansion_settles_only_the_new_nodes(worker: bool) {
    let (mut case, mut driver) = settled_case(600, worker);
    let parent = case
        .nodes
        .keys()
        .find(|id| id.value().starts_with("0x"))
        .cloned()
        .expect("an eth node");
    let before = case.layout.positions.clone();
    let new = expand(&mut case, &parent, 50);
    sync(&mut driver, &mut case, 2);
    assert!(!driver.is_settled());
    settle(&mut driver, &mut case);
    for (id, pos) in &before {
        assert_eq!(
            &case.layout.positions[id], pos,
            "{id} must not move (worker: {worker})"
        );
    }
    let at = before[&parent];
    for id in &new {
        let p = case.layout.positions[id];
        let d = ((p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2)).sqrt();
        assert!(
            (10.0..400.0).contains(&d),
            "{id} settled {d} from its parent"
        );
    }
    // Re-layout is the one thing that moves everything.
    driver.reheat();
    settle(&mut driver, &mut case);
    let moved = before
        .iter()
        .filter(|(id, p)| case.layout.positions[*id] != **p)
        .count();
    assert!(
        moved > before.len() / 2,
        "Re-layout moved {moved} of {}",
        before.len()
    );
}

#[test]
fn an_expansion_settles_only_the_new_nodes_inline() {
    expansion_settles_only_the_new_nodes(false);
}

#[test]
fn an_expansion_settles_only_the_new_nodes_on_the_worker() {
    expansion_settles_only_the_new_nodes(true);
}
