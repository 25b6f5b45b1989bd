//! The Findings panel: what analysis proposes, grouped by kind, strongest first, each with its
//! method, confidence and one-line explanation, and what the investigator can do with it:
//! Apply (highlights, a note and, for some kinds, a tag or cluster — one undoable action),
//! Dismiss (remembered in the case), Zoom to and Select its evidence. Reads the state and pushes
//! commands; the detectors run in a job (`app::findings`).

use super::super::command::Command;
use super::super::findings::FindingsState;
use crate::analysis::findings::apply::{apply_action, dismiss_action};
use crate::analysis::findings::{Finding, FindingKind};
use crate::model::{Action, Case};

/// Most findings of one kind drawn (the rest are counted; the command line lists all).
const MAX_ROWS_PER_KIND: usize = 200;

/// Draws the Findings panel.
pub fn findings_panel_ui(
    ui: &mut egui::Ui,
    case: &Case,
    revision: u64,
    state: &mut FindingsState,
    selection: &std::collections::BTreeSet<crate::model::NodeId>,
    investigator: &str,
    commands: &mut Vec<Command>,
) {
    super::paths::paths_section_ui(ui, case, state, selection, commands);
    super::taint::taint_section_ui(ui, case, state, selection, investigator, commands);
    ui.horizontal(|ui| {
        if ui
            .button("Find patterns")
            .on_hover_text("Run every detector over the case (Ctrl+Shift+A)")
            .clicked()
        {
            commands.push(Command::RunAnalysis);
        }
        ui.checkbox(&mut state.show_dismissed, "Show dismissed");
    });
    ui.checkbox(
        &mut state.trace_prefer_payment,
        "Trace: on Bitcoin, follow payments, not the detected change",
    )
    .on_hover_text("Used by Trace from here (right-click a node)");
    if let Some((start, steps)) = &state.last_trace {
        last_trace_ui(ui, start, steps, commands);
    }
    let Some(computed) = state.revision else {
        ui.label(
            egui::RichText::new(
                "Nothing analysed yet. Find patterns looks for fan-out splits, peel chains, \
                 mixer deposits, swap and bridge hops, consolidations, pass-throughs and, on \
                 whole Bitcoin transactions, CoinJoins, change and co-spending.",
            )
            .weak(),
        );
        return;
    };
    if computed != revision {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "The case changed since this run: find patterns again to update.",
        );
    }
    let dismissed = &case.findings.dismissed;
    let visible: Vec<(usize, &Finding, bool)> = state
        .findings
        .iter()
        .enumerate()
        .map(|(i, f)| (i, f, dismissed.contains_key(state.fingerprint(i))))
        .filter(|(_, _, gone)| state.show_dismissed || !gone)
        .collect();
    ui.label(
        egui::RichText::new(format!(
            "{} finding(s), {} dismissed · {:.2} s",
            visible.iter().filter(|v| !v.2).count(),
            state.findings.len() - visible.iter().filter(|v| !v.2).count(),
            state.took_secs
        ))
        .small(),
    );
    if visible.is_empty() {
        ui.label(egui::RichText::new("No findings.").weak());
        return;
    }
    let now = crate::util::now_unix();
    egui::ScrollArea::vertical().show(ui, |ui| {
        for kind in FindingKind::ALL {
            let rows: Vec<&(usize, &Finding, bool)> =
                visible.iter().filter(|v| v.1.kind == kind).collect();
            if rows.is_empty() {
                continue;
            }
            egui::CollapsingHeader::new(format!("{} ({})", kind.title(), rows.len()))
                .id_salt(("findings", kind.name()))
                .default_open(true)
                .show(ui, |ui| {
                    for &&(i, finding, gone) in rows.iter().take(MAX_ROWS_PER_KIND) {
                        finding_row_ui(ui, case, finding, gone, i, investigator, now, commands);
                    }
                    if rows.len() > MAX_ROWS_PER_KIND {
                        ui.label(
                            egui::RichText::new(format!(
                                "… and {} more (caseboard analyze lists all)",
                                rows.len() - MAX_ROWS_PER_KIND
                            ))
                            .weak(),
                        );
                    }
                });
        }
    });
}

#[allow(clippy::too_many_arguments)]
fn finding_row_ui(
    ui: &mut egui::Ui,
    case: &Case,
    finding: &Finding,
    dismissed: bool,
    row: usize,
    investigator: &str,
    now: i64,
    commands: &mut Vec<Command>,
) {
    ui.push_id(("finding", row), |ui| {
        let text = egui::RichText::new(&finding.summary);
        ui.label(if dismissed {
            text.weak().strikethrough()
        } else {
            text
        });
        ui.label(
            egui::RichText::new(format!(
                "{} · confidence {} · {} node(s), {} transfer(s)",
                finding.method,
                finding.confidence,
                finding.nodes.len(),
                finding.transfers.len()
            ))
            .small()
            .weak(),
        )
        .on_hover_text(params_text(finding));
        ui.horizontal(|ui| {
            let present: Vec<_> = finding
                .nodes
                .iter()
                .filter(|n| case.nodes.contains_key(*n))
                .cloned()
                .collect();
            if dismissed {
                if ui.small_button("Restore").clicked() {
                    commands.push(Command::Apply(Action::SetDismissal {
                        fingerprint: finding.fingerprint(),
                        dismissal: None,
                    }));
                }
            } else {
                if ui
                    .add_enabled(!present.is_empty(), egui::Button::new("Apply").small())
                    .on_hover_text(
                        "Highlight the evidence and note the finding on the canvas (undoable)",
                    )
                    .clicked()
                    && let Some(action) = apply_action(case, finding, investigator, now)
                {
                    commands.push(Command::Apply(action));
                }
                if ui
                    .small_button("Dismiss")
                    .on_hover_text("Set aside; the case remembers it")
                    .clicked()
                {
                    commands.push(Command::Apply(dismiss_action(finding, investigator, now)));
                }
            }
            if ui.small_button("Zoom to").clicked() {
                commands.push(Command::ZoomTo(present.clone()));
            }
            if ui.small_button("Select").clicked() {
                commands.push(Command::Select(present));
            }
        });
        ui.add_space(4.0);
    });
}

/// Most trace steps listed.
const MAX_TRACE_ROWS: usize = 300;

/// The last trace's steps: hop, node (click selects it) and why it was followed or not.
fn last_trace_ui(
    ui: &mut egui::Ui,
    start: &crate::model::NodeId,
    steps: &[crate::sources::trace::TraceStep],
    commands: &mut Vec<Command>,
) {
    let short = crate::model::address::short_form(&start.display_value());
    egui::CollapsingHeader::new(format!("Last trace from {short} ({} steps)", steps.len()))
        .id_salt("last_trace")
        .default_open(false)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("trace_steps")
                .max_height(220.0)
                .show(ui, |ui| {
                    for step in steps.iter().take(MAX_TRACE_ROWS) {
                        ui.horizontal(|ui| {
                            ui.label(egui::RichText::new(format!("{:>2}", step.hop)).monospace());
                            let node =
                                crate::model::address::short_form(&step.node.display_value());
                            if ui.link(node).clicked() {
                                commands.push(Command::Select(vec![step.node.clone()]));
                            }
                            ui.label(egui::RichText::new(&step.reason).small());
                        });
                    }
                    if steps.len() > MAX_TRACE_ROWS {
                        ui.label(format!("… and {} more", steps.len() - MAX_TRACE_ROWS));
                    }
                });
        });
}

/// "min_peels = 3, min_pass_percent = 80" for the hover text.
fn params_text(finding: &Finding) -> String {
    let params: Vec<String> = finding
        .params
        .iter()
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    format!("Parameters: {}", params.join(", "))
}
