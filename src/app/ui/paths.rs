//! The Paths section of the Findings tab: choose where paths start and end (each from the
//! selection: one node or a set), find the fewest-hop and highest-value time-respecting paths
//! (a job), read them hop by hop with their bottleneck amount and USD, and highlight one on the
//! canvas (an undoable action), select or zoom to it. With no path, it says why.

use super::super::command::Command;
use super::super::findings::FindingsState;
use crate::analysis::paths::FoundPath;
use crate::model::action::HighlightTarget;
use crate::model::{Action, Case, EdgeKey, Highlight, NodeId};
use std::collections::BTreeSet;

/// Draws the Paths section.
pub fn paths_section_ui(
    ui: &mut egui::Ui,
    case: &Case,
    state: &mut FindingsState,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Paths")
        .id_salt("paths_section")
        .default_open(false)
        .show(ui, |ui| {
            node_set_ui(ui, "From", &mut state.path_from, selection);
            node_set_ui(ui, "To", &mut state.path_to, selection);
            let ready = !state.path_from.is_empty() && !state.path_to.is_empty();
            if ui
                .add_enabled(ready, egui::Button::new("Find paths"))
                .on_hover_text(
                    "Up to 5 paths of at most 8 hops, each hop not earlier than the one before",
                )
                .clicked()
            {
                commands.push(Command::FindPaths {
                    from: state.path_from.clone(),
                    to: state.path_to.clone(),
                });
            }
            let Some(result) = &state.paths else { return };
            if result.paths.is_empty() {
                let reason = result.reason.map_or("none found", |r| r.describe());
                ui.label(format!("No path: {reason}."));
                return;
            }
            if result.truncated {
                ui.label(
                    egui::RichText::new("The search hit its cap: more paths may exist.").weak(),
                );
            }
            for (i, path) in result.paths.iter().enumerate() {
                ui.push_id(("path", i), |ui| path_row_ui(ui, case, i, path, commands));
            }
        });
}

/// One "From: 3 nodes [Use selection]" row: the chosen nodes (one by its short form, several
/// counted) and a button that replaces them with the selection. Paths and Taint share it.
pub(super) fn node_set_ui(
    ui: &mut egui::Ui,
    label: &str,
    nodes: &mut Vec<NodeId>,
    selection: &BTreeSet<NodeId>,
) {
    ui.horizontal(|ui| {
        ui.label(format!("{label}:"));
        let text = match nodes.as_slice() {
            [] => "nothing yet".to_owned(),
            [one] => crate::model::address::short_form(&one.display_value()),
            many => format!("{} nodes", many.len()),
        };
        ui.label(egui::RichText::new(text).strong());
        if ui
            .add_enabled(
                !selection.is_empty(),
                egui::Button::new("Use selection").small(),
            )
            .clicked()
        {
            *nodes = selection.iter().cloned().collect();
        }
    });
}

fn path_row_ui(
    ui: &mut egui::Ui,
    case: &Case,
    i: usize,
    path: &FoundPath,
    commands: &mut Vec<Command>,
) {
    let value: Vec<String> = path
        .value
        .iter()
        .map(|v| v.asset.display_short(v.amount))
        .collect();
    let usd = path
        .usd
        .map(|u| format!(" ≈ {}", u.short()))
        .unwrap_or_default();
    ui.label(
        egui::RichText::new(format!(
            "#{} · {} hop(s) · {}{usd}",
            i + 1,
            path.hops.len(),
            value.join(", ")
        ))
        .strong(),
    );
    let route: Vec<String> = path
        .nodes
        .iter()
        .map(|n| crate::model::address::short_form(&n.display_value()))
        .collect();
    // ASCII: the small font has no arrow glyph.
    ui.label(egui::RichText::new(route.join(" > ")).small());
    ui.horizontal(|ui| {
        let present: Vec<NodeId> = path
            .nodes
            .iter()
            .filter(|n| case.nodes.contains_key(*n))
            .cloned()
            .collect();
        if ui
            .small_button("Highlight")
            .on_hover_text("Highlight the route on the canvas (undoable)")
            .clicked()
        {
            commands.push(Command::Apply(highlight_route(case, path)));
        }
        if ui.small_button("Select").clicked() {
            commands.push(Command::Select(present.clone()));
        }
        if ui.small_button("Zoom to").clicked() {
            commands.push(Command::ZoomTo(present));
        }
    });
    ui.add_space(4.0);
}

/// One action that highlights the path's nodes and edges.
fn highlight_route(case: &Case, path: &FoundPath) -> Action {
    let mut actions: Vec<Action> = path
        .nodes
        .iter()
        .filter(|n| case.nodes.contains_key(*n))
        .map(|n| Action::SetHighlight {
            target: HighlightTarget::Node(n.clone()),
            color: Some(Highlight::Green),
        })
        .collect();
    let edges: BTreeSet<EdgeKey> = path
        .hops
        .iter()
        .filter_map(|id| case.transfers.get(id))
        .map(|t| EdgeKey {
            from: t.from.clone(),
            to: t.to.clone(),
        })
        .collect();
    actions.extend(edges.into_iter().map(|edge| Action::SetHighlight {
        target: HighlightTarget::Edge(edge),
        color: Some(Highlight::Green),
    }));
    Action::Batch {
        label: format!("highlight a path of {} hop(s)", path.hops.len()),
        actions,
    }
}
