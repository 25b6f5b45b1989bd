//! Keeps the canvas's copy of the case current: the drawable graph rebuilt when the case's
//! structure or filter changes, positions copied every frame (one pass, and no id comparisons once the
//! keys are known to match), the dragged node held under the pointer, and the selection as a
//! flag per node.

use super::interaction::Gesture;
use super::{Canvas, build_graph};
use crate::model::{Case, GraphFilter};
use crate::prices::PriceBook;
use egui::Pos2;

/// The canvas's drawable graph of a case under a filter, with the legend it shows: what a
/// rebuild computes, also built by the open job away from the UI thread.
pub struct PreparedGraph {
    graph: super::build::CaseGraph,
    legend: Vec<crate::model::Category>,
    filter: GraphFilter,
}

impl PreparedGraph {
    /// Builds the graph of `case` under `filter`, valued with `prices`.
    pub fn build(case: &Case, prices: &PriceBook, filter: GraphFilter) -> PreparedGraph {
        let graph = build_graph(case, prices, &filter);
        let legend = super::legend::legend_categories(
            case,
            graph
                .nodes
                .iter()
                .filter(|n| n.shown != super::display::Shown::Hidden)
                .map(|n| &n.id),
        );
        PreparedGraph {
            graph,
            legend,
            filter,
        }
    }
}

impl Canvas {
    /// Rebuilds the drawable graph when the case's structure, the filter or the prices
    /// changed (`revision` is the structure revision). During a replay the filter ends at the
    /// replay's time (`replay_until`).
    pub(super) fn rebuild_if_needed(
        &mut self,
        case: &Case,
        revision: u64,
        prices: &PriceBook,
        replay_until: Option<i64>,
    ) {
        let own = &case.view.filter;
        let same_filter = match replay_until {
            None => self.built_filter == *own,
            Some(until) => {
                self.built_filter.until_unix == Some(replay_cutoff(own, until))
                    && GraphFilter {
                        until_unix: own.until_unix,
                        ..self.built_filter.clone()
                    } == *own
            }
        };
        if self.built_revision != Some(revision) || !same_filter {
            let mut filter = own.clone();
            if let Some(until) = replay_until {
                filter.until_unix = Some(replay_cutoff(own, until));
            }
            self.rebuild(case, revision, prices, filter);
        }
    }

    fn rebuild(&mut self, case: &Case, revision: u64, prices: &PriceBook, filter: GraphFilter) {
        self.install_prepared(PreparedGraph::build(case, prices, filter), revision);
    }

    /// Takes a graph built elsewhere (the open job) as the graph of structure `revision`.
    pub fn install_prepared(&mut self, prepared: PreparedGraph, revision: u64) {
        let PreparedGraph {
            graph,
            legend,
            filter,
        } = prepared;
        self.graph = graph;
        self.legend = legend;
        self.built_revision = Some(revision);
        self.built_filter = filter;
        self.build_generation += 1;
        self.positions = vec![Pos2::ZERO; self.graph.nodes.len()];
        self.selected = vec![false; self.graph.nodes.len()];
        self.shown_selection = None;
        self.selection_generation += 1;
        self.hovered = None;
        if let Gesture::Node(drag) = &mut self.gesture {
            match self.graph.index_of.get(&drag.node) {
                Some(&index) => drag.index = index,
                None => self.gesture = Gesture::Idle,
            }
        }
    }

    /// Copies positions from the case in one pass (both are in id order). Once the case's
    /// position keys are known to be exactly the graph's nodes, later frames pair them up by
    /// order without comparing ids, as long as the count and the first and last ids agree
    /// (keys only change with the structure, which rebuilds the graph).
    pub(super) fn sync_positions(&mut self, case: &Case) {
        let positions = &case.layout.positions;
        let nodes = &self.graph.nodes;
        let ends_agree = || {
            positions.first_key_value().map(|(k, _)| k) == nodes.first().map(|n| &n.id)
                && positions.last_key_value().map(|(k, _)| k) == nodes.last().map(|n| &n.id)
        };
        let aligned = self.positions_aligned == Some(self.build_generation)
            && positions.len() == nodes.len()
            && ends_agree();
        let mut changed = false;
        let mut store = |slot: &mut Pos2, p: &[f32; 2]| {
            if slot.x.to_bits() != p[0].to_bits() || slot.y.to_bits() != p[1].to_bits() {
                *slot = Pos2::new(p[0], p[1]);
                changed = true;
            }
        };
        if aligned {
            for (slot, p) in self.positions.iter_mut().zip(positions.values()) {
                store(slot, p);
            }
        } else {
            let mut matched = 0;
            let mut order = nodes.iter().enumerate().peekable();
            for (id, p) in positions {
                while let Some((_, node)) = order.peek()
                    && node.id < *id
                {
                    order.next();
                }
                if let Some(&(i, node)) = order.peek()
                    && node.id == *id
                {
                    store(&mut self.positions[i], p);
                    matched += 1;
                    order.next();
                }
            }
            if matched == nodes.len() && positions.len() == nodes.len() {
                self.positions_aligned = Some(self.build_generation);
            }
        }
        if changed {
            self.positions_generation += 1;
        }
        self.sync_dragged();
    }

    /// A dragged node is where the pointer holds it, whatever the case says.
    pub(super) fn sync_dragged(&mut self) {
        if let Gesture::Node(drag) = &self.gesture
            && let Some(slot) = self.positions.get_mut(drag.index)
            && *slot != drag.position
        {
            *slot = drag.position;
            self.positions_generation += 1;
        }
    }

    pub(super) fn sync_selection(&mut self, selection: &crate::app::selection::Selection) {
        if self.shown_selection == Some(selection.revision()) {
            return;
        }
        self.selected.iter_mut().for_each(|s| *s = false);
        for id in selection.iter() {
            if let Some(&i) = self.graph.index_of.get(id) {
                self.selected[i] = true;
            }
        }
        self.shown_selection = Some(selection.revision());
        self.selection_generation += 1;
    }
}

/// The end of a replayed filter: the replay's time, or the filter's own end if earlier.
fn replay_cutoff(own: &GraphFilter, replay_until: i64) -> i64 {
    own.until_unix.map_or(replay_until, |u| u.min(replay_until))
}
