//! `caseboard layout`: the layout without the window. Opens the case, settles the nodes that
//! have no position among the others (or, with `--all`, every unpinned node, as Re-layout
//! everything does), and writes the new positions as one `Place` action through the door, so
//! the case's history says who laid it out and one undo in the app puts every node back.
//! Prints one JSON line: how many nodes it placed, the ticks run, and whether it settled. When
//! nothing moved, the case file is left untouched.

use super::{CliError, door};
use crate::layout::LayoutDriver;
use crate::model::Action;
use crate::model::action::Placement;
use std::path::Path;

/// Lays out `case_path` (see the module doc) and writes it to `output` (default: in place).
pub(crate) fn run_layout(
    case_path: &Path,
    output: Option<&Path>,
    max_ticks: usize,
    all: bool,
) -> Result<(), CliError> {
    let mut doc = door::open(case_path)?;
    let case = doc.case();
    let mut positions = case.layout.positions.clone();
    // On this thread, whatever the size: the command has nothing else to do.
    let mut driver = LayoutDriver::with_worker_min_nodes(usize::MAX);
    driver.sync(case, &mut positions, 1);
    if all {
        driver.reheat();
    }
    let ticks = driver.settle(&mut positions, max_ticks);
    let settled = driver.is_settled();
    let placements: Vec<Placement> = case
        .nodes
        .keys()
        .filter_map(|id| {
            let new = *positions.get(id)?;
            let finite = new[0].is_finite() && new[1].is_finite();
            (finite && case.layout.positions.get(id) != Some(&new)).then(|| Placement {
                node: id.clone(),
                position: Some(new),
                pinned: case.layout.pinned.contains(id),
            })
        })
        .collect();
    let placed = placements.len();
    if placed > 0 {
        let label = if all {
            format!("re-layout everything ({placed} nodes moved)")
        } else {
            format!("lay out {placed} new nodes")
        };
        door::apply(&mut doc, Action::Place { label, placements })?;
    }
    match (placed, output) {
        (0, None) => {} // Nothing moved: the file stays as it is.
        (0, Some(out)) => crate::case_file::save(doc.case(), out)?,
        (_, out) => door::save(&doc, out.unwrap_or(case_path))?,
    }
    println!(
        "{}",
        serde_json::json!({ "placed": placed, "ticks": ticks, "settled": settled })
    );
    Ok(())
}
