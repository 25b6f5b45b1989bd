//! `caseboard layout`, run as the real binary: new nodes are placed and nothing else moves (to
//! the bit), `--all` moves every unpinned node and leaves pinned ones, the change is one entry in
//! the case's history, a case with nothing to place is left byte for byte, and bad input is a
//! clear error that writes nothing.

use caseboard::model::Case;
use std::path::Path;
use std::process::{Command, Output};

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .env("CASEBOARD_INVESTIGATOR", "layout test")
        .output()
        .expect("binary runs")
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).expect("one line of JSON")
}

fn load(path: &Path) -> Case {
    caseboard::case_file::load(path).expect("loads")
}

/// The demo case with ten nodes' positions taken away and one node pinned.
fn demo_with_unplaced(path: &Path) -> (Case, Vec<caseboard::model::NodeId>) {
    let mut case = caseboard::sources::demo::demo_case();
    let ids: Vec<_> = case.nodes.keys().cloned().collect();
    let unplaced: Vec<_> = ids.iter().skip(5).step_by(4).take(10).cloned().collect();
    for id in &unplaced {
        case.layout.positions.remove(id);
    }
    case.layout.pinned.insert(ids[0].clone());
    caseboard::case_file::save(&case, path).expect("saved");
    (case, unplaced)
}

#[test]
fn new_nodes_are_placed_and_nothing_else_moves() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("case.ron");
    let (before, unplaced) = demo_with_unplaced(&file);
    let out = json(&caseboard(&["layout", file.to_str().unwrap()]));
    assert_eq!(out["placed"], 10, "{out}");
    assert_eq!(out["settled"], true, "{out}");
    let after = load(&file);
    for id in &unplaced {
        let p = after.layout.positions.get(id).expect("placed");
        assert!(p[0].is_finite() && p[1].is_finite());
    }
    for (id, p) in &before.layout.positions {
        assert_eq!(&after.layout.positions[id], p, "{id} must not move");
    }
    let last = after.history.last().expect("a history entry");
    assert_eq!(last.what, "lay out 10 new nodes");
    assert_eq!(last.by, "layout test");

    // Nothing left to place: the file is not touched.
    let bytes = std::fs::read(&file).expect("read");
    let out = json(&caseboard(&["layout", file.to_str().unwrap()]));
    assert_eq!(out["placed"], 0);
    assert_eq!(std::fs::read(&file).expect("read"), bytes, "byte for byte");
}

#[test]
fn all_moves_every_unpinned_node_into_another_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("case.ron");
    let out_file = dir.path().join("out.ron");
    let (before, _) = demo_with_unplaced(&file);
    let original = std::fs::read(&file).expect("read");
    let out = json(&caseboard(&[
        "layout",
        file.to_str().unwrap(),
        "--all",
        "--ticks",
        "5000",
        "-o",
        out_file.to_str().unwrap(),
    ]));
    assert!(out["placed"].as_u64().unwrap() > 30, "{out}");
    assert_eq!(
        std::fs::read(&file).expect("read"),
        original,
        "input untouched"
    );
    let after = load(&out_file);
    let pinned = before.layout.pinned.iter().next().expect("a pinned node");
    assert_eq!(
        after.layout.positions[pinned], before.layout.positions[pinned],
        "a pinned node stays"
    );
    assert!(after.layout.pinned.contains(pinned), "and stays pinned");
    let moved = before
        .layout
        .positions
        .iter()
        .filter(|(id, p)| after.layout.positions[*id] != **p)
        .count();
    assert!(moved > 20, "re-layout moved {moved}");
}

#[test]
fn bad_input_is_a_clear_error_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.ron");
    let out_file = dir.path().join("out.ron");
    let o = caseboard(&[
        "layout",
        missing.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(!String::from_utf8_lossy(&o.stderr).trim().is_empty());
    assert!(!out_file.exists());
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: 2, nodes: {").expect("write");
    let o = caseboard(&["layout", broken.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "bad input");
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read"),
        "(format: 2, nodes: {"
    );
}
