//! The find box (Ctrl+F): type an address (full, a prefix or the canvas's short `0x12…ab`
//! form), a transaction hash, a label or note text; the hits are listed best first. Up and Down
//! move through them, Enter (or a click) selects the hit's nodes and zooms to them, Escape
//! closes. The search itself is [`crate::analysis::search::find`]; it runs again only when the
//! query or the case changes.

use super::super::command::Command;
use crate::analysis::search::{Hit, find};
use crate::model::Case;

/// Hits listed at most.
const MAX_HITS: usize = 50;

/// The find box's state.
#[derive(Default)]
pub struct FindPanel {
    open: bool,
    query: String,
    hits: Vec<Hit>,
    cursor: usize,
    searched: Option<(String, u64)>,
    focus_pending: bool,
}

impl FindPanel {
    /// Opens the box with the cursor in the query field.
    pub fn open(&mut self) {
        self.open = true;
        self.focus_pending = true;
    }

    /// Closes the box (the query stays for next time).
    pub fn close(&mut self) {
        self.open = false;
    }

    /// True while the box is shown.
    pub fn is_open(&self) -> bool {
        self.open
    }

    /// Draws the box (if open) over the canvas.
    pub fn find_ui(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        revision: u64,
        commands: &mut Vec<Command>,
    ) {
        if !self.open {
            return;
        }
        let (up, down, enter, escape) = ctx.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowUp),
                i.consume_key(egui::Modifiers::NONE, egui::Key::ArrowDown),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
            )
        });
        if escape {
            self.open = false;
            return;
        }
        let mut chosen = None;
        let mut open = true;
        egui::Window::new("Find")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .default_width(420.0)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| {
                let field = ui.add(
                    egui::TextEdit::singleline(&mut self.query)
                        .hint_text("address, 0x12…ab, tx hash, label or note text")
                        .desired_width(f32::INFINITY),
                );
                if self.focus_pending {
                    field.request_focus();
                    self.focus_pending = false;
                }
                let key = (self.query.clone(), revision);
                if self.searched.as_ref() != Some(&key) {
                    self.hits = find(case, &self.query, MAX_HITS);
                    self.cursor = 0;
                    self.searched = Some(key);
                }
                if down && self.cursor + 1 < self.hits.len() {
                    self.cursor += 1;
                }
                if up {
                    self.cursor = self.cursor.saturating_sub(1);
                }
                if enter && !self.hits.is_empty() {
                    chosen = Some(self.cursor);
                }
                if self.hits.is_empty() && !self.query.trim().is_empty() {
                    ui.label(egui::RichText::new("Nothing found.").weak());
                }
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        for (i, hit) in self.hits.iter().enumerate() {
                            let text = format!("{} · {}", hit.kind.name(), hit.text);
                            let row = ui.selectable_label(i == self.cursor, text);
                            if i == self.cursor {
                                row.scroll_to_me(None);
                            }
                            if row.clicked() {
                                chosen = Some(i);
                            }
                        }
                    });
                ui.label(
                    egui::RichText::new("Up/Down move · Enter selects and zooms · Esc closes")
                        .weak(),
                );
            });
        if let Some(hit) = chosen.and_then(|i| self.hits.get(i)) {
            commands.push(Command::Select(hit.nodes.clone()));
            commands.push(Command::ZoomTo(hit.nodes.clone()));
        }
        self.open = open;
    }
}
