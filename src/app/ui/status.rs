//! The status bar: the notices entry, case size, source, layout state, running jobs with
//! cancel. The toasts are drawn by `ui::notices`.

use super::super::command::Command;
use super::super::jobs::Jobs;
use super::super::notices::Notices;
use super::super::settings::Settings;
use crate::model::Case;

/// Draws the status bar; the expansion limit it edits goes back as a command.
#[allow(clippy::too_many_arguments)]
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    case: &Case,
    settings: &Settings,
    layout_settled: bool,
    filtered: (usize, usize),
    jobs: &Jobs,
    notices: &mut Notices,
    commands: &mut Vec<Command>,
) {
    ui.horizontal(|ui| {
        super::notices::notices_button_ui(ui, notices);
        ui.separator();
        ui.label(format!(
            "{} nodes · {} transfers · {} clusters",
            case.nodes.len(),
            case.transfers.len(),
            case.clusters.len()
        ));
        ui.separator();
        if case.chain_sources.is_empty() {
            ui.label(format!("Source: {}", case.source.name()));
        } else {
            let per_chain: Vec<String> = case
                .chain_sources
                .iter()
                .map(|(chain, source)| format!("{chain}: {}", source.name()))
                .collect();
            ui.label(format!("Sources: {}", per_chain.join(" · ")))
                .on_hover_text(format!("Other chains: {}", case.source.name()));
        }
        ui.separator();
        let filter = &case.view.filter;
        if filter.is_active() {
            let what = if filter.dim { "dimmed" } else { "hidden" };
            ui.label(
                egui::RichText::new(format!(
                    "Filter: {} — {} transfers, {} nodes {what}",
                    filter.describe(),
                    filtered.0,
                    filtered.1
                ))
                .color(ui.visuals().warn_fg_color),
            );
            if ui.small_button("Clear").clicked() {
                commands.push(Command::SetFilter(crate::model::GraphFilter {
                    dim: filter.dim,
                    ..Default::default()
                }));
            }
            ui.separator();
        }
        ui.label(format!("Limit {} per expansion", settings.expansion_limit));
        let mut limit = settings.expansion_limit;
        ui.add(egui::DragValue::new(&mut limit).range(1..=10_000).speed(1))
            .on_hover_text("Counterparties one expansion adds at most (largest by USD first; by share of their asset where unpriced)");
        if limit != settings.expansion_limit {
            commands.push(Command::SetExpansionLimit(limit));
        }
        ui.separator();
        if layout_settled {
            ui.label("Layout settled");
        } else {
            ui.label("Layout settling…");
        }
        for job in jobs.running() {
            ui.separator();
            super::busy::busy_ui(ui);
            let transfers = job.control.transfers_seen();
            let progress = if let Some(stage) = job.control.stage() {
                format!("{} s, {stage}", job.started.elapsed().as_secs())
            } else if transfers > 0 {
                format!(
                    "{} s, {} requests, {transfers} transfers so far",
                    job.started.elapsed().as_secs(),
                    job.control.steps_done()
                )
            } else {
                format!(
                    "{} s, {} requests",
                    job.started.elapsed().as_secs(),
                    job.control.steps_done()
                )
            };
            ui.label(format!("{} ({progress})", job.label));
            if ui.small_button("Cancel").clicked() {
                commands.push(Command::CancelJob(job.key.clone()));
            }
        }
    });
}
