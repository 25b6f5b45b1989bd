//! The Attribution panel: hits in the case ("2 dprk_attributed, 1 sanctioned", click to select
//! and zoom), the packs with their source, date and licence, switches to turn each on or off,
//! import of a TagPack/CSV and export of the case's own tags.

use super::super::attribution::AttributionState;
use super::super::command::Command;
use crate::attribution::{hit_summary, hits};
use crate::model::Case;
use crate::model::address::short_form;
use std::collections::BTreeSet;

/// Draws the panel.
pub fn attribution_panel_ui(
    ui: &mut egui::Ui,
    case: &Case,
    state: &AttributionState,
    disabled: &BTreeSet<String>,
    commands: &mut Vec<Command>,
) {
    let hits = hits(case);
    ui.label(egui::RichText::new("Hits in this case").strong());
    if hits.is_empty() {
        ui.label(egui::RichText::new("No node matches an active pack.").weak());
    } else {
        ui.label(hit_summary(&hits));
    }
    egui::ScrollArea::vertical()
        .id_salt("attribution_hits")
        .max_height(ui.available_height() * 0.45)
        .show(ui, |ui| {
            for hit in &hits {
                ui.horizontal(|ui| {
                    super::category_swatch_ui(ui, &hit.category);
                    let text = format!("{} {}", short_form(&hit.node.display_value()), hit.label);
                    if ui
                        .link(text)
                        .on_hover_text(format!(
                            "{}\n{} · {} · {}",
                            hit.node,
                            hit.category,
                            hit.confidence,
                            state.pack_title(&hit.pack)
                        ))
                        .clicked()
                    {
                        commands.push(Command::Select(vec![hit.node.clone()]));
                        commands.push(Command::ZoomTo(vec![hit.node.clone()]));
                    }
                });
            }
        });
    ui.separator();
    ui.label(egui::RichText::new("Packs").strong());
    if !state.is_loaded() {
        ui.horizontal(|ui| {
            super::busy::busy_ui(ui);
            ui.label("Loading…");
        });
    }
    egui::ScrollArea::vertical()
        .id_salt("attribution_packs")
        .show(ui, |ui| {
            for pack in state.packs() {
                let info = &pack.info;
                let mut enabled = !disabled.contains(&info.id);
                let response = ui
                    .checkbox(&mut enabled, &info.title)
                    .on_hover_text(format!(
                        "{}\n{} tags{}\nSource: {}\nDate: {}\nLicence: {}\nBy: {}",
                        info.description,
                        pack.entries.len(),
                        if pack.unsupported > 0 {
                            format!(" (+{} on chains not read yet)", pack.unsupported)
                        } else {
                            String::new()
                        } + &if pack.skipped.is_empty() {
                            String::new()
                        } else {
                            format!(", {} skipped (invalid address)", pack.skipped.len())
                        },
                        info.source,
                        info.date,
                        info.licence,
                        info.creator
                    ));
                if response.changed() {
                    commands.push(Command::SetPackEnabled {
                        id: info.id.clone(),
                        enabled,
                    });
                }
                ui.label(
                    egui::RichText::new(format!(
                        "{} tags · {} · {}",
                        pack.entries.len(),
                        info.date,
                        info.licence
                    ))
                    .small()
                    .weak(),
                );
                if state.is_idle_demo_pack(&info.id) {
                    ui.label(
                        egui::RichText::new("Tags only cases read from the demo ledger")
                            .small()
                            .weak(),
                    );
                }
            }
            ui.separator();
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button("Import pack…")
                    .on_hover_text("GraphSense TagPack (.yaml) or CSV")
                    .clicked()
                {
                    commands.push(Command::ImportPackDialog);
                }
                if ui
                    .button("Export my tags…")
                    .on_hover_text("The case's own tags as a GraphSense TagPack")
                    .clicked()
                {
                    commands.push(Command::ExportTagPackDialog);
                }
            });
        });
}
