//! The inspector: everything known about the selected node — chain, full address, kind,
//! balance, what its last expansion could not read, tags (with the actor a tag names),
//! cluster, provenance — above the table of its transfers
//! (`transfers_table`); for several selected nodes, the money of the selection
//! (`selection_summary`). The facts scroll in the top part; the table keeps the rest of the
//! panel and scrolls on its own, so its last row is never hidden under the facts.

use super::super::attribution::AttributionState;
use super::super::command::Command;
use super::selection_summary::{SelectionSummary, selection_summary_ui};
use super::transfers_table::{TransfersTable, transfers_table_ui};
use crate::attribution::conflict;
use crate::model::address::short_form;
use crate::model::amount::format_units_grouped;
use crate::model::{Case, Node, NodeId, NodeKind};
use crate::prices::PriceBook;
use crate::sources::Direction;
use crate::util::format_time;
use std::collections::BTreeSet;

/// Height kept for the transfer table below a node's facts.
const MIN_TABLE_HEIGHT: f32 = 200.0;

/// What the inspector reads.
pub struct InspectorEnv<'a> {
    /// The open case.
    pub case: &'a Case,
    /// The case's revision (the inspector's tables are rebuilt when it changes).
    pub revision: u64,
    /// Prices for the USD values.
    pub prices: &'a PriceBook,
    /// Packs, for where a tag came from.
    pub attribution: &'a AttributionState,
    /// Entity lookups by node (GraphSense).
    pub entities: &'a super::super::entity::EntityLookups,
    /// True when the node's chain is served by a source that computes entities.
    pub serves_entities: &'a dyn Fn(&NodeId) -> bool,
}

/// The inspector's own UI state (table order, cached rows and summary); never in the case.
#[derive(Debug, Default)]
pub struct InspectorState {
    /// The transfer table of the selected node.
    pub transfers: TransfersTable,
    /// The money of a multi-node selection.
    pub summary: SelectionSummary,
}

/// Draws the inspector for the current selection.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    env: &InspectorEnv<'_>,
    state: &mut InspectorState,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    let case = env.case;
    ui.heading("Inspector");
    ui.separator();
    match selection.len() {
        0 => {
            ui.label("Select a node to inspect it.");
            ui.label(
                egui::RichText::new("Double-click a node to expand it; right-click for more.")
                    .weak(),
            );
        }
        1 => {
            if let Some(node) = selection.iter().next().and_then(|id| case.nodes.get(id)) {
                let facts_height = (ui.available_height() - MIN_TABLE_HEIGHT).max(120.0);
                egui::ScrollArea::vertical()
                    .id_salt("inspector_facts_scroll")
                    .max_height(facts_height)
                    .auto_shrink([false, true])
                    .show(ui, |ui| {
                        node_ui(ui, case, env.attribution, node, commands);
                        if node.kind == NodeKind::Address && (env.serves_entities)(&node.id) {
                            super::entity::entity_ui(
                                ui,
                                &node.id,
                                env.entities.get(&node.id),
                                commands,
                            );
                        }
                    });
                ui.separator();
                transfers_table_ui(
                    ui,
                    &mut state.transfers,
                    case,
                    &node.id,
                    env.revision,
                    env.prices,
                    commands,
                );
            }
        }
        n => multi_selection_ui(ui, env, &mut state.summary, selection, n, commands),
    }
}

fn multi_selection_ui(
    ui: &mut egui::Ui,
    env: &InspectorEnv<'_>,
    summary: &mut SelectionSummary,
    selection: &BTreeSet<NodeId>,
    count: usize,
    commands: &mut Vec<Command>,
) {
    let case = env.case;
    ui.label(format!("{count} nodes selected"));
    ui.horizontal(|ui| {
        if ui.button("Tag as cluster…").clicked() {
            commands.push(Command::ShowClusterDialog(None));
        }
        if ui.button("Expand all").clicked() {
            commands.push(Command::ExpandSelected(Direction::Both));
        }
        if ui.button("Zoom to").clicked() {
            commands.push(Command::ZoomTo(selection.iter().cloned().collect()));
        }
    });
    ui.separator();
    egui::ScrollArea::vertical().show(ui, |ui| {
        selection_summary_ui(ui, summary, case, selection, env.revision, env.prices);
        ui.separator();
        ui.label(egui::RichText::new("Selected nodes").strong());
        for id in selection {
            let cluster = case.cluster_of(id).map(|c| c.label.as_str()).unwrap_or("");
            if ui
                .link(format!("{} {cluster}", short_form(&id.display_value())))
                .on_hover_text(id.as_str())
                .clicked()
            {
                commands.push(Command::Select(vec![id.clone()]));
            }
        }
    });
}

fn node_ui(
    ui: &mut egui::Ui,
    case: &Case,
    attribution: &AttributionState,
    node: &Node,
    commands: &mut Vec<Command>,
) {
    let chain = node.chain();
    egui::Grid::new("inspector_facts")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Chain");
            ui.label(chain.to_string());
            ui.end_row();
            ui.label("Kind");
            ui.label(match node.kind {
                NodeKind::Address if node.id.is_entity() => {
                    "entity (GraphSense's cluster of addresses)"
                }
                NodeKind::Address => "address",
                NodeKind::Transaction => "transaction",
            });
            ui.end_row();
            let (symbol, decimals) = chain.native_asset();
            if let Some(balance) = node.balance {
                ui.label("Balance");
                ui.label(format!(
                    "{} {symbol}",
                    format_units_grouped(balance, decimals)
                ))
                .on_hover_text(format!("{balance} base units"));
                ui.end_row();
            }
            if let Some(count) = node.tx_count {
                ui.label("Transactions");
                ui.label(count.to_string());
                ui.end_row();
            }
        });
    ui.horizontal(|ui| {
        ui.add(egui::Label::new(egui::RichText::new(node.id.display_value()).monospace()).wrap());
    });
    gaps_ui(ui, node);
    ui.horizontal(|ui| {
        if ui
            .button("📋 Copy")
            .on_hover_text("Copy the full address")
            .clicked()
        {
            commands.push(Command::Copy(node.id.display_value().into_owned()));
        }
        if ui
            .button("Expand")
            .on_hover_text("Both directions")
            .clicked()
        {
            commands.push(Command::Expand {
                node: node.id.clone(),
                direction: Direction::Both,
            });
        }
        if ui.button("Zoom to").clicked() {
            commands.push(Command::ZoomTo(vec![node.id.clone()]));
        }
    });
    judgements_ui(ui, case, attribution, &node.id, commands);
    if let Some(p) = &node.provenance {
        ui.collapsing("Provenance", |ui| {
            ui.label(format!("Source: {}", p.source));
            ui.label(format!("Request: {}", p.request));
            ui.label(format!("Fetched: {}", format_time(p.fetched_at)));
            if let Some(h) = p.block_height {
                ui.label(format!("Chain height then: {h}"));
            }
        });
    }
}

/// What the node's last expansion could not read, so the case says it and not only a notice.
fn gaps_ui(ui: &mut egui::Ui, node: &Node) {
    if node.gaps.is_empty() {
        return;
    }
    let warn = egui::Color32::from_rgb(255, 167, 38);
    ui.colored_label(warn, "⚠ Not read in the last expansion:")
        .on_hover_text("Expand again, or use Load more, to read on from where it stopped");
    for gap in &node.gaps {
        ui.add(egui::Label::new(egui::RichText::new(format!("• {gap}")).small()).wrap());
    }
}

/// Who a tag's `actor` is (from the ActorPacks): name, jurisdictions, reference, aliases.
fn actor_ui(ui: &mut egui::Ui, actor: &crate::attribution::Actor) {
    let mut line = format!("actor: {}", actor.label);
    if !actor.jurisdictions.is_empty() {
        line.push_str(&format!(" ({})", actor.jurisdictions.join(", ")));
    }
    let mut hover = format!("ActorPack id: {}", actor.id);
    if !actor.uri.is_empty() {
        hover.push_str(&format!("\n{}", actor.uri));
    }
    if !actor.categories.is_empty() {
        hover.push_str(&format!("\ncategories: {}", actor.categories.join(", ")));
    }
    if !actor.aliases.is_empty() {
        hover.push_str(&format!("\nalso known as: {}", actor.aliases.join(", ")));
    }
    ui.label(egui::RichText::new(line).small())
        .on_hover_text(hover);
}

fn judgements_ui(
    ui: &mut egui::Ui,
    case: &Case,
    attribution: &AttributionState,
    id: &NodeId,
    commands: &mut Vec<Command>,
) {
    ui.separator();
    match case.cluster_of(id) {
        Some(cluster) => {
            ui.horizontal(|ui| {
                ui.label("Cluster:");
                let [r, g, b] = cluster.category.rgb();
                ui.colored_label(
                    egui::Color32::from_rgb(r, g, b),
                    format!("{} ({})", cluster.label, cluster.category),
                );
                if ui.small_button("Edit").clicked() {
                    commands.push(Command::ShowClusterDialog(Some(cluster.id)));
                }
            });
        }
        None => {
            ui.label(egui::RichText::new("In no cluster").weak());
        }
    }
    let tags = case.tags.get(id).map(Vec::as_slice).unwrap_or_default();
    if tags.is_empty() {
        ui.label(egui::RichText::new("No tags").weak());
    }
    if let Some(categories) = conflict(tags) {
        let names: Vec<&str> = categories.iter().map(|c| c.name()).collect();
        ui.colored_label(
            egui::Color32::from_rgb(255, 167, 38),
            format!(
                "⚠ Conflict: {} — add your own tag to resolve",
                names.join(" vs ")
            ),
        );
    }
    for tag in tags {
        ui.horizontal_wrapped(|ui| {
            super::category_swatch_ui(ui, &tag.category);
            ui.label(egui::RichText::new(&tag.label).strong());
            ui.label(format!("{} · {}", tag.category, tag.confidence));
        });
        let origin = match &tag.pack {
            Some(pack) => format!("pack: {}", attribution.pack_title(pack)),
            None if tag.author.is_empty() => "investigator".to_owned(),
            None => format!("investigator: {}", tag.author),
        };
        ui.label(egui::RichText::new(origin).small().weak())
            .on_hover_text(format!("source: {}\n{}", tag.source, tag.note));
        if let Some(actor) = attribution.actors().actor_of(tag) {
            actor_ui(ui, actor);
        }
    }
    if ui.small_button("Add my tag…").clicked() {
        commands.push(Command::ShowOwnTagDialog(id.clone()));
    }
}
