//! The History panel: the case's audit trail, newest first (who, when, what), its
//! contributors, and the name this investigator's changes are recorded under.

use super::super::command::Command;
use crate::model::Case;

/// Entries shown at most (the file keeps them all).
const SHOWN_ENTRIES: usize = 500;

/// Panel state: the name being typed.
#[derive(Debug, Default)]
pub struct HistoryPanel {
    name: Option<String>,
}

impl HistoryPanel {
    /// Draws the panel.
    pub fn history_panel_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        investigator: &str,
        autosave_secs: u64,
        commands: &mut Vec<Command>,
    ) {
        let name = self.name.get_or_insert_with(|| investigator.to_owned());
        ui.horizontal(|ui| {
            ui.label("Your name");
            let field = ui
                .add(
                    egui::TextEdit::singleline(name)
                        .desired_width(140.0)
                        .hint_text("e.g. Alice Moreau"),
                )
                .on_hover_text("Recorded with every change you make (kept in your settings)");
            if field.lost_focus() && name.trim() != investigator {
                commands.push(Command::SetInvestigator(name.trim().to_owned()));
            }
        });
        let mut secs = autosave_secs;
        ui.horizontal(|ui| {
            ui.label("Autosave every");
            let changed = ui
                .add(egui::DragValue::new(&mut secs).range(0..=3600).suffix(" s"))
                .on_hover_text(
                    "Unsaved work is written to a recovery file beside the case; 0 turns it off",
                )
                .changed();
            if changed {
                commands.push(Command::SetAutosave(secs));
            }
        });
        if !case.meta.contributors.is_empty() {
            let names: Vec<&str> = case.meta.contributors.iter().map(String::as_str).collect();
            ui.small(format!("Contributors: {}", names.join(", ")));
        }
        ui.separator();
        ui.strong(format!("History ({})", case.history.len()));
        if case.history.is_empty() {
            ui.weak("Every change to the case is listed here.");
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            for entry in case.history.iter().rev().take(SHOWN_ENTRIES) {
                let when = time::OffsetDateTime::from_unix_timestamp(entry.at)
                    .ok()
                    .and_then(|t| {
                        t.format(time::macros::format_description!(
                            "[year]-[month]-[day] [hour]:[minute]"
                        ))
                        .ok()
                    })
                    .unwrap_or_else(|| entry.at.to_string());
                let by = if entry.by.is_empty() {
                    "(unnamed)"
                } else {
                    entry.by.as_str()
                };
                ui.label(egui::RichText::new(format!("{when} · {by}")).small().weak());
                ui.label(&entry.what);
            }
        });
    }
}
