//! The clusters panel: every cluster with its category colour and size, and what can be done
//! with it (select members, zoom to, edit, add the selection, remove).

use super::super::command::Command;
use crate::model::action::Action;
use crate::model::{Case, NodeId};
use std::collections::BTreeSet;

/// Draws the clusters panel.
pub fn clusters_panel_ui(
    ui: &mut egui::Ui,
    case: &Case,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    if ui
        .add_enabled(
            !selection.is_empty(),
            egui::Button::new("Tag selection as cluster…"),
        )
        .clicked()
    {
        commands.push(Command::ShowClusterDialog(None));
    }
    if case.clusters.is_empty() {
        ui.label(egui::RichText::new("No clusters yet. Select nodes, then tag them.").weak());
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for cluster in case.clusters.values() {
            ui.horizontal(|ui| {
                super::category_swatch_ui(ui, &cluster.category);
                ui.label(egui::RichText::new(&cluster.label).strong());
            });
            ui.label(
                egui::RichText::new(format!(
                    "{} · {} · {} node(s)",
                    cluster.category,
                    cluster.confidence.name(),
                    cluster.members.len()
                ))
                .small(),
            );
            ui.horizontal_wrapped(|ui| {
                let members: Vec<NodeId> = cluster.members.iter().cloned().collect();
                if ui.small_button("Select").clicked() {
                    commands.push(Command::Select(members.clone()));
                }
                if ui.small_button("Zoom to").clicked() {
                    commands.push(Command::ZoomTo(members));
                }
                if ui.small_button("Edit…").clicked() {
                    commands.push(Command::ShowClusterDialog(Some(cluster.id)));
                }
                let movable: Vec<NodeId> = selection
                    .iter()
                    .filter(|id| !cluster.members.contains(*id))
                    .cloned()
                    .collect();
                if ui
                    .add_enabled(
                        !movable.is_empty(),
                        egui::Button::new("Add selection").small(),
                    )
                    .on_hover_text("Move the selected nodes into this cluster (from any other)")
                    .clicked()
                {
                    commands.push(Command::Apply(Action::SetMembership {
                        changes: movable
                            .into_iter()
                            .map(|id| (id, Some(cluster.id)))
                            .collect(),
                    }));
                }
                if ui
                    .small_button("Remove")
                    .on_hover_text("Delete the cluster; its nodes stay")
                    .clicked()
                {
                    commands.push(Command::Apply(Action::DeleteCluster(cluster.id)));
                }
            });
            ui.separator();
        }
    });
}
