//! The Review panel: merge conflicts waiting for a decision (each with both sides and Keep
//! mine / Take theirs / Keep both), and the notes on the canvas (zoom to, edit, delete).

use super::super::command::Command;
use crate::model::{Case, ConflictKind, Resolution, Tag};

/// Draws the review panel.
pub fn review_panel_ui(ui: &mut egui::Ui, case: &Case, commands: &mut Vec<Command>) {
    egui::ScrollArea::vertical().show(ui, |ui| {
        ui.strong(format!("Conflicts ({})", case.conflicts.len()));
        if case.conflicts.is_empty() {
            ui.weak("None. A merge records here what two investigators judged differently.");
        }
        for conflict in case.conflicts.values() {
            ui.group(|ui| {
                ui.label(egui::RichText::new(conflict.describe()).strong());
                if !conflict.theirs_label.is_empty() {
                    ui.small(format!("theirs: {}", conflict.theirs_label));
                }
                sides_ui(ui, &conflict.kind);
                ui.horizontal_wrapped(|ui| {
                    let mut choose = |choice| {
                        commands.push(Command::ResolveConflict {
                            id: conflict.id,
                            choice,
                        });
                    };
                    if ui.small_button("Keep mine").clicked() {
                        choose(Resolution::KeepMine);
                    }
                    if ui.small_button("Take theirs").clicked() {
                        choose(Resolution::TakeTheirs);
                    }
                    if matches!(conflict.kind, ConflictKind::Tags { .. })
                        && ui
                            .small_button("Keep both")
                            .on_hover_text("Both sides' tags stay on the node")
                            .clicked()
                    {
                        choose(Resolution::KeepBoth);
                    }
                    if let ConflictKind::Tags { node, .. } = &conflict.kind
                        && ui.small_button("Zoom to").clicked()
                    {
                        commands.push(Command::Select(vec![node.clone()]));
                        commands.push(Command::ZoomTo(vec![node.clone()]));
                    }
                });
            });
        }
        ui.separator();
        ui.strong(format!("Notes ({})", case.annotations.notes.len()));
        if case.annotations.notes.is_empty() {
            ui.weak("Right-click a node or the background to add a note.");
        }
        for note in case.annotations.notes.values() {
            ui.horizontal(|ui| {
                let first = note.text.lines().next().unwrap_or_default();
                ui.label(first).on_hover_text(&note.text);
            });
            ui.horizontal(|ui| {
                if let Some(anchor) = &note.anchor
                    && ui.small_button("Zoom to").clicked()
                {
                    commands.push(Command::ZoomTo(vec![anchor.clone()]));
                }
                if ui.small_button("Edit…").clicked() {
                    commands.push(Command::EditNote(note.id));
                }
                if ui.small_button("Delete").clicked() {
                    commands.push(Command::DeleteNote(note.id));
                }
            });
        }
    });
}

fn tags_text(tags: &[Tag]) -> String {
    if tags.is_empty() {
        return "no tags".to_owned();
    }
    tags.iter()
        .map(|t| format!("{} ({})", t.label, t.category))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Mine and theirs side by side, in words.
fn sides_ui(ui: &mut egui::Ui, kind: &ConflictKind) {
    let (mine, theirs) = match kind {
        ConflictKind::Tags { mine, theirs, .. } => (tags_text(mine), tags_text(theirs)),
        ConflictKind::Cluster { mine, theirs, .. } => {
            let show = |c: &Option<crate::model::Cluster>| match c {
                Some(c) => format!(
                    "\"{}\" {} · {} node(s)",
                    c.label,
                    c.category,
                    c.members.len()
                ),
                None => "deleted".to_owned(),
            };
            (show(mine), show(theirs))
        }
        ConflictKind::Note { mine, theirs, .. } => {
            let show = |n: &Option<crate::model::Note>| match n {
                Some(n) => format!("\"{}\"", n.text),
                None => "deleted".to_owned(),
            };
            (show(mine), show(theirs))
        }
        ConflictKind::Transfer { mine, theirs, .. } => {
            let show = |t: &crate::model::Transfer| {
                let contract = t.asset.contract.as_deref().unwrap_or("native");
                format!(
                    "{} → {}: {} ({contract}), tx {}",
                    t.from,
                    t.to,
                    t.asset.display(t.amount),
                    t.tx_hash
                )
            };
            (show(mine), show(theirs))
        }
    };
    egui::Grid::new(ui.next_auto_id())
        .num_columns(2)
        .show(ui, |ui| {
            ui.weak("mine");
            ui.label(mine);
            ui.end_row();
            ui.weak("theirs");
            ui.label(theirs);
            ui.end_row();
        });
}
