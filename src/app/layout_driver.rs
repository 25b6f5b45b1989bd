//! Runs the force layout for the open case: keeps the engine's graph in step with the case,
//! ticks it within a per-frame time budget, and writes settled positions back into the case.
//!
//! Positions the layout computes are view state, written straight into `case.layout`; only a
//! user's drag is an [`crate::model::Action`]. When the layout has settled it does nothing, so
//! an idle case costs no CPU for layout.

use crate::layout::{ForceLayout, LayoutParams, place_near};
use crate::model::{Case, NodeId};
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// Wall time the layout may use per frame.
const FRAME_BUDGET: Duration = Duration::from_millis(6);

/// Alpha used when nodes were added.
const REHEAT_ALPHA_ADDED: f32 = 0.6;

/// Alpha used when a node was moved or removed.
const REHEAT_ALPHA_NUDGE: f32 = 0.15;

/// Layout engine bound to a case's node ids.
pub struct LayoutDriver {
    engine: ForceLayout,
    ids: Vec<NodeId>,
    index_of: HashMap<NodeId, usize>,
    synced_revision: Option<u64>,
}

impl Default for LayoutDriver {
    fn default() -> Self {
        LayoutDriver {
            engine: ForceLayout::new(LayoutParams::default(), 0x5eed),
            ids: Vec::new(),
            index_of: HashMap::new(),
            synced_revision: None,
        }
    }
}

impl LayoutDriver {
    /// Rebuilds the engine's graph from `case` if `revision` changed. Nodes without a position
    /// are seeded next to a neighbour; the layout is reheated only if something changed shape.
    pub fn sync(&mut self, case: &mut Case, revision: u64) {
        if self.synced_revision == Some(revision) {
            return;
        }
        let first_sync = self.synced_revision.is_none();
        self.synced_revision = Some(revision);
        let old_count = self.ids.len();
        let old_ids: Vec<NodeId> = std::mem::take(&mut self.ids);

        self.ids = case.nodes.keys().cloned().collect();
        self.index_of = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let edges: Vec<(u32, u32)> = case
            .transfers
            .values()
            .filter_map(|t| {
                let a = *self.index_of.get(&t.from)?;
                let b = *self.index_of.get(&t.to)?;
                Some((u32::try_from(a).ok()?, u32::try_from(b).ok()?))
            })
            .collect();

        let seeded = seed_missing_positions(case, &self.ids, &edges);
        let positions: Vec<[f32; 2]> = self
            .ids
            .iter()
            .map(|id| case.layout.positions.get(id).copied().unwrap_or([0.0, 0.0]))
            .collect();
        let moved_by_action = !first_sync
            && old_ids.len() == self.ids.len()
            && old_ids == self.ids
            && positions
                .iter()
                .zip(self.engine.positions())
                .any(|(a, b)| a != b);
        let pinned: Vec<bool> = self
            .ids
            .iter()
            .map(|id| case.layout.pinned.contains(id))
            .collect();
        self.engine.set_graph(positions, pinned, &edges);

        if first_sync && seeded == 0 {
            // A loaded case is shown exactly as it was saved.
            self.engine.stop();
        } else if seeded > 0 || (!first_sync && self.ids.len() > old_count) {
            self.engine.reheat(REHEAT_ALPHA_ADDED);
        } else if !first_sync && (self.ids.len() < old_count || moved_by_action) {
            self.engine.reheat(REHEAT_ALPHA_NUDGE);
        }
    }

    /// Ticks within the frame budget and writes positions into `case`, except `held` (a node
    /// being dragged). Returns true if anything moved (the caller repaints).
    pub fn step(&mut self, case: &mut Case, held: Option<&NodeId>) -> bool {
        if self.engine.is_settled() {
            return false;
        }
        let start = Instant::now();
        let mut moved = false;
        while start.elapsed() < FRAME_BUDGET {
            let report = self.engine.tick();
            moved |= report.moved;
            if report.settled {
                break;
            }
        }
        if moved {
            for (id, pos) in self.ids.iter().zip(self.engine.positions()) {
                if Some(id) == held {
                    continue;
                }
                if let Some(slot) = case.layout.positions.get_mut(id) {
                    *slot = *pos;
                } else {
                    case.layout.positions.insert(id.clone(), *pos);
                }
            }
        }
        moved
    }

    /// Moves one node while the user drags it (held in place for the simulation).
    pub fn hold(&mut self, id: &NodeId, position: [f32; 2]) {
        if let Some(&i) = self.index_of.get(id) {
            self.engine.set_position(i, position, true);
            if self.engine.is_settled() {
                self.engine.reheat(REHEAT_ALPHA_NUDGE);
            }
        }
    }

    /// Runs until settled (headless use: CLI, tests); returns ticks run.
    pub fn settle(&mut self, case: &mut Case, max_ticks: usize) -> usize {
        let ticks = self.engine.run_until_settled(max_ticks);
        for (id, pos) in self.ids.iter().zip(self.engine.positions()) {
            case.layout.positions.insert(id.clone(), *pos);
        }
        ticks
    }

    /// True once the layout has stopped moving.
    pub fn is_settled(&self) -> bool {
        self.engine.is_settled()
    }

    /// Restarts the simulation (toolbar "Re-layout").
    pub fn reheat(&mut self) {
        self.engine.reheat(1.0);
    }
}

/// Gives every node without a position a place next to an already placed neighbour (or the
/// origin). Returns how many were seeded.
fn seed_missing_positions(case: &mut Case, ids: &[NodeId], edges: &[(u32, u32)]) -> usize {
    let missing: Vec<usize> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !case.layout.positions.contains_key(*id))
        .map(|(i, _)| i)
        .collect();
    if missing.is_empty() {
        return 0;
    }
    let mut neighbours: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for &(a, b) in edges {
        let (a, b) = (a as usize, b as usize);
        neighbours[a].push(b);
        neighbours[b].push(a);
    }
    for (k, &i) in missing.iter().enumerate() {
        let parent = neighbours[i]
            .iter()
            .find_map(|&n| case.layout.positions.get(&ids[n]).copied())
            .unwrap_or([0.0, 0.0]);
        let pos = place_near(parent, k, missing.len(), i as u64);
        case.layout.positions.insert(ids[i].clone(), pos);
    }
    missing.len()
}
