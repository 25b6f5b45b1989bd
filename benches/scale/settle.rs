//! CPU the layout spends settling after one drag (at 10k and 50k nodes) and after a 50-node
//! expansion into a 10k case ("don't move my graph"): the driver as the app runs it, on a case
//! opened at rest, measured as this process's CPU time (all threads, `/proc/self/stat`, 10 ms
//! resolution) from the first dragged frame (or the insert) until the layout is settled again.

use caseboard::generate::generate_case;
use caseboard::layout::LayoutDriver;
use caseboard::model::{Case, NodeId};
use std::collections::BTreeMap;
use std::time::Duration;

/// This process's user + system CPU time in seconds.
pub(crate) fn cpu_secs() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |k: usize| {
        fields
            .get(k)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

fn sync(driver: &mut LayoutDriver, case: &mut Case, revision: u64) {
    let mut positions = std::mem::take(&mut case.layout.positions);
    driver.sync(case, &mut positions, revision);
    case.layout.positions = positions;
}

fn settle(driver: &mut LayoutDriver, case: &mut Case) {
    while !driver.is_settled() {
        driver.step(&mut case.layout.positions, None);
        std::thread::sleep(Duration::from_micros(200));
    }
    driver.step(&mut case.layout.positions, None);
}

fn opened(nodes: usize) -> (Case, LayoutDriver) {
    let mut case = generate_case(nodes, 1);
    let mut driver = LayoutDriver::default();
    sync(&mut driver, &mut case, 1);
    (case, driver)
}

/// The node with the most neighbours (a hub: the worst case to drag).
fn hub(case: &Case) -> NodeId {
    let mut degree: BTreeMap<&NodeId, usize> = BTreeMap::new();
    for t in case.transfers.values() {
        *degree.entry(&t.from).or_default() += 1;
        *degree.entry(&t.to).or_default() += 1;
    }
    let (id, _) = degree.into_iter().max_by_key(|(_, d)| *d).expect("edges");
    id.clone()
}

/// CPU seconds of one drag of the biggest hub across 30 frames, its drop (the app's pinning
/// move) and the layout settling afterwards.
pub fn drag_settle_cpu_s(nodes: usize) -> f64 {
    let (mut case, mut driver) = opened(nodes);
    let node = hub(&case);
    let start = case.layout.positions[&node];
    let before = cpu_secs();
    let mut end = start;
    for frame in 1..=30 {
        end = [
            start[0] + 10.0 * frame as f32,
            start[1] + 4.0 * frame as f32,
        ];
        let mut positions = std::mem::take(&mut case.layout.positions);
        driver.hold(&mut positions, &node, end);
        case.layout.positions = positions;
        driver.step(&mut case.layout.positions, Some(&node));
    }
    case.layout.positions.insert(node.clone(), end);
    case.layout.pinned.insert(node);
    sync(&mut driver, &mut case, 2);
    settle(&mut driver, &mut case);
    cpu_secs() - before
}

/// CPU seconds from inserting 50 new neighbours of a node (placed at it, as an expansion
/// places them) until the layout is settled again.
pub fn expand_settle_cpu_s(nodes: usize) -> f64 {
    let (mut case, mut driver) = opened(nodes);
    let parent = hub(&case);
    let (insert, _) = caseboard::generate::new_leaves(&case, &parent, 50, 0xbeef_0000);
    let before = cpu_secs();
    caseboard::model::apply(&mut case, insert).expect("inserts");
    sync(&mut driver, &mut case, 2);
    settle(&mut driver, &mut case);
    cpu_secs() - before
}
