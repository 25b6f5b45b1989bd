//! The note dialog: write or edit the text of a note on the canvas (pinned to a node or free).
//! Ctrl+Enter saves; an empty note cannot be saved.

use super::super::command::Command;
use crate::model::{Action, Case, NodeId, Note, NoteId};

/// Dialog state.
pub struct NoteDialog {
    /// The note edited (`None` = a new one).
    editing: Option<NoteId>,
    anchor: Option<NodeId>,
    position: [f32; 2],
    text: String,
    author: String,
    focused: bool,
}

impl NoteDialog {
    /// A dialog for a new note.
    pub fn create(anchor: Option<NodeId>, position: [f32; 2], author: &str) -> NoteDialog {
        NoteDialog {
            editing: None,
            anchor,
            position,
            text: String::new(),
            author: author.to_owned(),
            focused: false,
        }
    }

    /// A dialog on an existing note.
    pub fn edit(note: &Note, author: &str) -> NoteDialog {
        NoteDialog {
            editing: Some(note.id),
            anchor: note.anchor.clone(),
            position: note.position,
            text: note.text.clone(),
            author: if author.is_empty() {
                note.author.clone()
            } else {
                author.to_owned()
            },
            focused: false,
        }
    }

    fn action(&self, case: &Case) -> Action {
        let id = self
            .editing
            .unwrap_or_else(|| case.annotations.next_note_id());
        Action::SetNote {
            id,
            note: Some(Note {
                id,
                text: self.text.trim_end().to_owned(),
                anchor: self.anchor.clone(),
                position: self.position,
                author: self.author.clone(),
                modified: crate::util::now_unix(),
            }),
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
        let modal = egui::Modal::new(egui::Id::new("note_dialog")).show(ctx, |ui| {
            ui.set_width(420.0);
            ui.heading(if self.editing.is_some() {
                "Edit note"
            } else {
                "New note"
            });
            match &self.anchor {
                Some(node) => ui.label(format!(
                    "Pinned to {}",
                    crate::model::address::short_form(&node.display_value())
                )),
                None => ui.label("Placed freely on the canvas"),
            };
            // Read before the text field, which would take the key for a new line.
            let save_keys =
                ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
            let field = ui.add(
                egui::TextEdit::multiline(&mut self.text)
                    .desired_rows(5)
                    .desired_width(f32::INFINITY)
                    .hint_text("What happened here…"),
            );
            if !self.focused {
                field.request_focus();
                self.focused = true;
            }
            let ready = !self.text.trim().is_empty();
            match super::confirm_cancel_ui(ui, "Save note", ready) {
                super::DialogAnswer::Confirm => {
                    commands.push(Command::Apply(self.action(case)));
                    keep_open = false;
                }
                super::DialogAnswer::Cancel => keep_open = false,
                super::DialogAnswer::Pending if ready && save_keys => {
                    commands.push(Command::Apply(self.action(case)));
                    keep_open = false;
                }
                super::DialogAnswer::Pending => {}
            }
            ui.weak("Ctrl+Enter saves");
        });
        if modal.should_close() {
            keep_open = false;
        }
        keep_open
    }
}
