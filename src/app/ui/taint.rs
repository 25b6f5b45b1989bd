//! The Taint section of the Findings tab: choose the sources (from the selection) and a model
//! (poison, haircut, FIFO), compute in a job, and read where the tainted money ended — each
//! exchange, mixer, bridge or other service reached and each unexplored leaf, with the tainted
//! amount per asset and USD. "Record in case" saves the model, the sources and that summary as
//! a note on the first source and highlights the ends (one undoable action), so a colleague
//! reproduces it (`caseboard taint … --model …`). The run is drawn on the canvas (red halos by
//! tainted share, bands on the edges between reached nodes) until "Show on canvas" is unticked.

use super::super::command::Command;
use super::super::findings::{FindingsState, TaintRun};
use crate::analysis::taint::TaintModel;
use crate::analysis::taint_ends::EndKind;
use crate::model::action::HighlightTarget;
use crate::model::{Action, Case, Highlight, NodeId, Note};
use std::collections::BTreeSet;

/// Most ends listed.
const MAX_END_ROWS: usize = 200;

/// Draws the Taint section.
pub fn taint_section_ui(
    ui: &mut egui::Ui,
    case: &Case,
    state: &mut FindingsState,
    selection: &BTreeSet<NodeId>,
    investigator: &str,
    commands: &mut Vec<Command>,
) {
    egui::CollapsingHeader::new("Taint")
        .id_salt("taint_section")
        .default_open(false)
        .show(ui, |ui| {
            super::paths::node_set_ui(ui, "Sources", &mut state.taint_from, selection);
            let model = state.taint_model.get_or_insert(TaintModel::Haircut);
            ui.horizontal(|ui| {
                for m in TaintModel::ALL {
                    ui.radio_value(model, m, m.name());
                }
            });
            let model = *model;
            let mut through = !state.taint_per_asset_only;
            ui.checkbox(&mut through, "Through swap and bridge hops")
                .on_hover_text(
                    "A payout of a swap or bridge hop the detectors find carries the tainted \
                     share of its deposit, by value",
                );
            state.taint_per_asset_only = !through;
            if ui
                .add_enabled(
                    !state.taint_from.is_empty(),
                    egui::Button::new("Compute taint"),
                )
                .on_hover_text(
                    "Poison: any contact taints all. Haircut: each transfer carries the tainted \
                     share of the balance it spends (rounded down). FIFO: first in, first out.",
                )
                .clicked()
            {
                commands.push(Command::ComputeTaint {
                    from: state.taint_from.clone(),
                    model,
                    through_hops: through,
                });
            }
            if let Some(run) = &state.taint {
                let hidden = state.taint_overlay_hidden;
                taint_result_ui(ui, case, run, hidden, investigator, commands);
            }
        });
}

fn taint_result_ui(
    ui: &mut egui::Ui,
    case: &Case,
    run: &TaintRun,
    state_overlay_hidden: bool,
    investigator: &str,
    commands: &mut Vec<Command>,
) {
    let hops = run
        .hops
        .map(|n| format!(", across {n} swap/bridge hop(s)"))
        .unwrap_or_default();
    let mut shown = !state_overlay_hidden;
    if ui
        .checkbox(&mut shown, "Show on canvas")
        .on_hover_text("Red halos by tainted share of what each node received; bands on edges")
        .changed()
    {
        commands.push(Command::ShowTaintOverlay(shown));
    }
    ui.label(format!(
        "{}{hops}: {} node(s) reached; where it ended ({}):",
        run.model.name(),
        run.reached,
        run.ends.len()
    ));
    if ui
        .button("Record in case")
        .on_hover_text(
            "A note with the model, sources and where the money ended; highlights the ends",
        )
        .clicked()
        && let Some(action) = record_action(case, run, investigator)
    {
        commands.push(Command::Apply(action));
    }
    egui::ScrollArea::vertical()
        .id_salt("taint_ends")
        .max_height(260.0)
        .show(ui, |ui| {
            for end in run.ends.iter().take(MAX_END_ROWS) {
                ui.horizontal_wrapped(|ui| {
                    let kind = match &end.kind {
                        EndKind::Service(category) => category.to_string(),
                        EndKind::Leaf => "leaf".to_owned(),
                    };
                    ui.label(egui::RichText::new(kind).small().weak());
                    if ui
                        .link(crate::model::address::short_form(&end.node.display_value()))
                        .clicked()
                    {
                        commands.push(Command::Select(vec![end.node.clone()]));
                    }
                    ui.label(amounts_text(end));
                });
            }
            if run.ends.len() > MAX_END_ROWS {
                ui.label(format!("… and {} more", run.ends.len() - MAX_END_ROWS));
            }
        });
}

fn amounts_text(end: &crate::analysis::taint_ends::TaintEnd) -> String {
    let amounts: Vec<String> = end
        .amounts
        .iter()
        .map(|a| a.asset.display_short(a.amount))
        .collect();
    let usd = end
        .usd
        .map(|u| format!(" ≈ {}", u.short()))
        .unwrap_or_default();
    format!("{}{usd}", amounts.join(", "))
}

/// The note and highlights that record a taint run in the case.
fn record_action(case: &Case, run: &TaintRun, investigator: &str) -> Option<Action> {
    let anchor = run.sources.iter().find(|n| case.nodes.contains_key(*n))?;
    let sources: Vec<String> = run.sources.iter().map(|n| n.to_string()).collect();
    let through = match run.hops {
        Some(n) => format!(" through {n} swap/bridge hops (--through-hops)"),
        None => String::new(),
    };
    let mut lines = vec![format!(
        "Taint ({}@1) from {}{through}: {} nodes reached. Ends:",
        run.model.name(),
        sources.join(", "),
        run.reached
    )];
    for end in run.ends.iter().take(20) {
        let kind = match &end.kind {
            EndKind::Service(category) => category.to_string(),
            EndKind::Leaf => "leaf".to_owned(),
        };
        lines.push(format!(
            "{kind} {}: {}",
            crate::model::address::short_form(&end.node.display_value()),
            amounts_text(end)
        ));
    }
    if run.ends.len() > 20 {
        lines.push(format!("… and {} more", run.ends.len() - 20));
    }
    let note_id = case.annotations.next_note_id();
    let mut actions = vec![Action::SetNote {
        id: note_id,
        note: Some(Note {
            id: note_id,
            text: lines.join("\n"),
            anchor: Some(anchor.clone()),
            position: [40.0, 80.0],
            author: investigator.to_owned(),
            modified: crate::util::now_unix(),
        }),
    }];
    actions.extend(
        run.ends
            .iter()
            .filter(|e| case.nodes.contains_key(&e.node))
            .take(2_000)
            .map(|e| Action::SetHighlight {
                target: HighlightTarget::Node(e.node.clone()),
                color: Some(Highlight::Red),
            }),
    );
    Some(Action::Batch {
        label: format!("record taint ({}@1)", run.model.name()),
        actions,
    })
}
