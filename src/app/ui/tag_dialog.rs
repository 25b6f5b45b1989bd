//! "Add my tag…": the investigator's own judgement on one node. An own tag resolves a conflict
//! between packs and decides the node's colour.

use super::super::command::Command;
use crate::model::{Action, Case, Category, Confidence, NodeId, Tag};

/// Dialog state.
pub struct TagDialog {
    node: NodeId,
    label: String,
    category: Category,
    confidence: Confidence,
    source: String,
    note: String,
    author: String,
    focused: bool,
}

impl TagDialog {
    /// A dialog for `node`, authored by `investigator`.
    pub fn new(node: NodeId, investigator: &str) -> TagDialog {
        TagDialog {
            node,
            label: String::new(),
            category: Category::Unknown,
            confidence: Confidence::ForensicInvestigation,
            source: String::new(),
            note: String::new(),
            author: investigator.to_owned(),
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
        let modal = egui::Modal::new(egui::Id::new("own_tag_dialog")).show(ctx, |ui| {
            ui.set_width(440.0);
            ui.heading("Add my tag");
            ui.label(egui::RichText::new(self.node.as_str()).monospace().small());
            egui::Grid::new("own_tag_fields")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Label");
                    let label = ui.text_edit_singleline(&mut self.label);
                    if !self.focused {
                        label.request_focus();
                        self.focused = true;
                    }
                    ui.end_row();
                    ui.label("Category");
                    egui::ComboBox::from_id_salt("own_tag_category")
                        .selected_text(self.category.name().to_owned())
                        .show_ui(ui, |ui| {
                            for c in Category::BUILT_IN {
                                let name = c.name().to_owned();
                                ui.selectable_value(&mut self.category, c, name);
                            }
                        });
                    ui.end_row();
                    ui.label("Confidence");
                    super::confidence_combo_ui(ui, "own_tag_confidence", &mut self.confidence);
                    ui.end_row();
                    ui.label("Source / reason");
                    ui.text_edit_singleline(&mut self.source);
                    ui.end_row();
                    ui.label("Note");
                    ui.text_edit_multiline(&mut self.note);
                    ui.end_row();
                });
            let ready = !self.label.trim().is_empty();
            match super::confirm_cancel_ui(ui, "Add tag", ready) {
                super::DialogAnswer::Confirm => {
                    commands.push(Command::Apply(self.action(case)));
                    keep_open = false;
                }
                super::DialogAnswer::Cancel => keep_open = false,
                super::DialogAnswer::Pending => {}
            }
        });
        if modal.should_close() {
            keep_open = false;
        }
        keep_open
    }

    fn action(&self, case: &Case) -> Action {
        let mut tags = case.tags.get(&self.node).cloned().unwrap_or_default();
        tags.push(Tag {
            author: self.author.clone(),
            created: crate::util::now_unix(),
            note: self.note.trim().to_owned(),
            ..Tag::new(
                self.label.trim(),
                self.category.clone(),
                self.confidence,
                self.source.trim(),
            )
        });
        Action::SetTags {
            label: format!(
                "tag {}",
                crate::model::address::short_form(&self.node.display_value())
            ),
            entries: vec![(self.node.clone(), tags)],
        }
    }
}
