//! "Tag as cluster…": label, category (built-in or custom), GraphSense confidence, source and
//! note for the selected nodes, or editing an existing cluster. Nodes already in another
//! cluster are only moved when the user ticks the box that says so.

use super::super::command::Command;
use crate::model::action::ClusterFields;
use crate::model::{Action, Case, Category, Cluster, ClusterId, Confidence, NodeId};
use std::collections::BTreeSet;

/// Dialog state.
pub struct ClusterDialog {
    editing: Option<ClusterId>,
    members: Vec<NodeId>,
    label: String,
    category: Category,
    custom_category: String,
    confidence: Confidence,
    source: String,
    note: String,
    move_members: bool,
    error: Option<String>,
    focused: bool,
}

impl ClusterDialog {
    /// A dialog creating a cluster from `members`.
    pub fn create(members: Vec<NodeId>, investigator: &str) -> ClusterDialog {
        ClusterDialog {
            editing: None,
            members,
            label: String::new(),
            category: Category::Unknown,
            custom_category: String::new(),
            confidence: Confidence::ForensicInvestigation,
            source: if investigator.is_empty() {
                String::new()
            } else {
                format!("judged by {investigator}")
            },
            note: String::new(),
            move_members: false,
            error: None,
            focused: false,
        }
    }

    /// A dialog editing `cluster`.
    pub fn edit(cluster: &Cluster) -> ClusterDialog {
        let (category, custom_category) = match &cluster.category {
            Category::Custom(name) => (Category::Custom(name.clone()), name.clone()),
            other => (other.clone(), String::new()),
        };
        ClusterDialog {
            editing: Some(cluster.id),
            members: cluster.members.iter().cloned().collect(),
            label: cluster.label.clone(),
            category,
            custom_category,
            confidence: cluster.confidence,
            source: cluster.source.clone(),
            note: cluster.note.clone(),
            move_members: false,
            error: None,
            focused: false,
        }
    }

    /// Draws the dialog; returns false when it should close.
    pub fn show_ui(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        commands: &mut Vec<Command>,
    ) -> bool {
        let mut keep_open = true;
        let clustered_elsewhere: Vec<(NodeId, String)> = self
            .members
            .iter()
            .filter_map(|id| {
                let c = case.cluster_of(id)?;
                (Some(c.id) != self.editing).then(|| (id.clone(), c.label.clone()))
            })
            .collect();
        let modal = egui::Modal::new(egui::Id::new("cluster_dialog")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading(if self.editing.is_some() {
                "Edit cluster"
            } else {
                "Tag as cluster"
            });
            ui.label(format!("{} node(s)", self.members.len()));
            self.fields_ui(ui);
            if !clustered_elsewhere.is_empty() && self.editing.is_none() {
                ui.separator();
                ui.colored_label(
                    egui::Color32::from_rgb(255, 183, 77),
                    format!(
                        "{} of these nodes are already in another cluster:",
                        clustered_elsewhere.len()
                    ),
                );
                for (id, label) in clustered_elsewhere.iter().take(8) {
                    ui.label(format!(
                        "• {} in \"{label}\"",
                        crate::model::address::short_form(&id.display_value())
                    ));
                }
                ui.checkbox(&mut self.move_members, "Move them into this cluster");
            }
            if let Some(err) = &self.error {
                ui.colored_label(egui::Color32::from_rgb(239, 83, 80), err);
            }
            ui.horizontal(|ui| {
                if ui.button("OK").clicked() {
                    match self.action(case, &clustered_elsewhere) {
                        Ok(action) => {
                            commands.push(Command::Apply(action));
                            keep_open = false;
                        }
                        Err(message) => self.error = Some(message),
                    }
                }
                if ui.button("Cancel").clicked() {
                    keep_open = false;
                }
            });
        });
        if modal.should_close() {
            keep_open = false;
        }
        keep_open
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui) {
        egui::Grid::new("cluster_fields")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label("Label");
                let label = ui.add(
                    egui::TextEdit::singleline(&mut self.label)
                        .id(egui::Id::new("cluster_label"))
                        .hint_text("e.g. Lazarus peel chain"),
                );
                if !self.focused {
                    label.request_focus();
                    self.focused = true;
                }
                ui.end_row();
                ui.label("Category");
                ui.horizontal(|ui| {
                    egui::ComboBox::from_id_salt("cluster_category")
                        .selected_text(match &self.category {
                            Category::Custom(_) => "custom…".to_owned(),
                            c => c.name().to_owned(),
                        })
                        .show_ui(ui, |ui| {
                            for c in Category::BUILT_IN {
                                let name = c.name().to_owned();
                                ui.selectable_value(&mut self.category, c, name);
                            }
                            ui.selectable_value(
                                &mut self.category,
                                Category::Custom(String::new()),
                                "custom…",
                            );
                        });
                    if matches!(self.category, Category::Custom(_)) {
                        ui.text_edit_singleline(&mut self.custom_category);
                    }
                });
                ui.end_row();
                ui.label("Confidence");
                super::confidence_combo_ui(ui, "cluster_confidence", &mut self.confidence);
                ui.end_row();
                ui.label("Source / reason");
                ui.text_edit_singleline(&mut self.source);
                ui.end_row();
                ui.label("Note");
                ui.text_edit_multiline(&mut self.note);
                ui.end_row();
            });
    }

    fn chosen_category(&self) -> Result<Category, String> {
        match &self.category {
            Category::Custom(_) => Category::from_name(&self.custom_category)
                .ok_or_else(|| "Name the custom category".to_owned()),
            other => Ok(other.clone()),
        }
    }

    fn action(
        &self,
        case: &Case,
        clustered_elsewhere: &[(NodeId, String)],
    ) -> Result<Action, String> {
        let label = self.label.trim().to_owned();
        if label.is_empty() {
            return Err("A cluster needs a label".to_owned());
        }
        let category = self.chosen_category()?;
        let fields = ClusterFields {
            label: label.clone(),
            category: category.clone(),
            confidence: self.confidence,
            source: self.source.trim().to_owned(),
            note: self.note.trim().to_owned(),
        };
        if let Some(id) = self.editing {
            return Ok(Action::EditCluster { id, fields });
        }
        let moving: BTreeSet<&NodeId> = clustered_elsewhere.iter().map(|(id, _)| id).collect();
        if !moving.is_empty() && !self.move_members {
            return Err(
                "Some nodes are in another cluster: tick \"Move them\" or change the selection"
                    .to_owned(),
            );
        }
        let cluster = Cluster {
            id: case.next_cluster_id(),
            label: label.clone(),
            category,
            confidence: self.confidence,
            source: fields.source,
            note: fields.note,
            members: self.members.iter().cloned().collect(),
        };
        if moving.is_empty() {
            return Ok(Action::CreateCluster(cluster));
        }
        Ok(Action::Batch {
            label: format!("create cluster \"{label}\""),
            actions: vec![
                Action::SetMembership {
                    changes: moving.into_iter().map(|id| (id.clone(), None)).collect(),
                },
                Action::CreateCluster(cluster),
            ],
        })
    }
}
