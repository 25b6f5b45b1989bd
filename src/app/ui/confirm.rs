//! "Save changes?" before an action would discard unsaved work.

use super::super::command::Command;

/// What the user chose.
pub enum Choice {
    /// Still open.
    Pending,
    /// Keep the case, do nothing.
    Cancel,
    /// Throw the changes away and run the command.
    Discard(Command),
    /// Save first, then run the command.
    Save(Command),
}

/// The dialog, holding the command waiting for an answer.
pub struct DiscardDialog {
    pending: Command,
}

impl DiscardDialog {
    /// Asks before running `pending`.
    pub fn new(pending: Command) -> DiscardDialog {
        DiscardDialog { pending }
    }

    /// Draws the dialog; returns the choice.
    pub fn dialog_ui(&mut self, ctx: &egui::Context, case_name: &str) -> Choice {
        let mut choice = Choice::Pending;
        let modal = egui::Modal::new(egui::Id::new("discard_dialog")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!("\"{case_name}\" has changes that are not saved."));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    choice = Choice::Save(self.pending.clone());
                }
                if ui.button("Discard changes").clicked() {
                    choice = Choice::Discard(self.pending.clone());
                }
                if ui.button("Cancel").clicked() {
                    choice = Choice::Cancel;
                }
            });
        });
        if modal.should_close() && matches!(choice, Choice::Pending) {
            choice = Choice::Cancel;
        }
        choice
    }
}
