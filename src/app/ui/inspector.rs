//! The inspector: everything known about the selected node — chain, full address, kind,
//! balance, tags, cluster, provenance and its transfers with exact amounts.

use super::super::attribution::AttributionState;
use super::super::command::Command;
use crate::attribution::conflict;
use crate::model::address::short_form;
use crate::model::amount::format_units_grouped;
use crate::model::{Case, Node, NodeId, NodeKind};
use crate::sources::Direction;
use crate::util::format_time;
use std::collections::BTreeSet;

/// Most transfer rows listed for one node.
const MAX_TRANSFER_ROWS: usize = 300;

/// Draws the inspector for the current selection.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    case: &Case,
    attribution: &AttributionState,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
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
                egui::ScrollArea::vertical()
                    .show(ui, |ui| node_ui(ui, case, attribution, node, commands));
            }
        }
        n => multi_selection_ui(ui, case, selection, n, commands),
    }
}

fn multi_selection_ui(
    ui: &mut egui::Ui,
    case: &Case,
    selection: &BTreeSet<NodeId>,
    count: usize,
    commands: &mut Vec<Command>,
) {
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
        for id in selection {
            let cluster = case.cluster_of(id).map(|c| c.label.as_str()).unwrap_or("");
            if ui
                .link(format!("{} {cluster}", short_form(id.value())))
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
        ui.add(egui::Label::new(egui::RichText::new(node.id.value()).monospace()).wrap());
    });
    ui.horizontal(|ui| {
        if ui
            .button("📋 Copy")
            .on_hover_text("Copy the full address")
            .clicked()
        {
            commands.push(Command::Copy(node.id.value().to_owned()));
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
    ui.separator();
    transfers_ui(ui, case, &node.id, commands);
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
    }
    if ui.small_button("Add my tag…").clicked() {
        commands.push(Command::ShowOwnTagDialog(id.clone()));
    }
}

fn transfers_ui(ui: &mut egui::Ui, case: &Case, id: &NodeId, commands: &mut Vec<Command>) {
    let transfers: Vec<_> = case.transfers_of(id).collect();
    ui.label(egui::RichText::new(format!("Transfers ({})", transfers.len())).strong());
    // Wide rows scroll sideways instead of widening the panel over the canvas.
    egui::ScrollArea::horizontal()
        .id_salt("transfers_scroll")
        .show(ui, |ui| {
            egui::Grid::new("inspector_transfers")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    ui.label("");
                    ui.label("Counterparty");
                    ui.label("Amount");
                    ui.label("Time");
                    ui.label("Tx");
                    ui.end_row();
                    for t in transfers.iter().take(MAX_TRANSFER_ROWS) {
                        let outgoing = &t.from == id;
                        let other = if outgoing { &t.to } else { &t.from };
                        if outgoing {
                            ui.colored_label(egui::Color32::from_rgb(239, 154, 154), "out");
                        } else {
                            ui.colored_label(egui::Color32::from_rgb(165, 214, 167), "in");
                        }
                        if ui
                            .link(short_form(other.value()))
                            .on_hover_text(other.as_str())
                            .clicked()
                        {
                            commands.push(Command::Select(vec![other.clone()]));
                        }
                        ui.label(format!(
                            "{} {}",
                            format_units_grouped(t.amount, t.asset.decimals),
                            t.asset.symbol
                        ))
                        .on_hover_text(format!(
                            "{} base units ({} decimals){}",
                            t.amount,
                            t.asset.decimals,
                            t.asset
                                .contract
                                .as_ref()
                                .map(|c| format!("\ncontract {c}"))
                                .unwrap_or_default()
                        ));
                        ui.label(
                            t.time
                                .map(format_time)
                                .unwrap_or_else(|| "unconfirmed".to_owned()),
                        )
                        .on_hover_text(
                            t.block_height
                                .map(|h| format!("block {h}"))
                                .unwrap_or_default(),
                        );
                        if ui
                            .link(short_form(&t.tx_hash))
                            .on_hover_text(format!("{}\n(click to copy)", t.tx_hash))
                            .clicked()
                        {
                            commands.push(Command::Copy(t.tx_hash.clone()));
                        }
                        ui.end_row();
                    }
                });
        });
    if transfers.len() > MAX_TRANSFER_ROWS {
        ui.label(format!(
            "… and {} more",
            transfers.len() - MAX_TRANSFER_ROWS
        ));
    }
}
