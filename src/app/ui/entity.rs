//! The inspector's entity section for a node whose chain a GraphSense source serves: a button
//! to look up the node's entity, then what GraphSense says of it (id, size, balance,
//! transactions, best tag) and "Show entity", which adds its addresses as one cluster. Reads
//! the lookups and pushes commands; the jobs run elsewhere (`app/entity.rs`).

use super::super::command::Command;
use super::super::entity::{EntityLookup, SHOWN_MEMBERS};
use crate::model::NodeId;
use crate::model::amount::format_units_grouped;

/// Draws the section for `node` with its lookup, if any.
pub fn entity_ui(
    ui: &mut egui::Ui,
    node: &NodeId,
    lookup: Option<&EntityLookup>,
    commands: &mut Vec<Command>,
) {
    ui.separator();
    match lookup {
        None => {
            let text = if node.is_entity() {
                "GraphSense entity: details"
            } else {
                "Look up GraphSense entity"
            };
            if ui
                .button(text)
                .on_hover_text(
                    "The cluster GraphSense's multi-input heuristic puts this address in: \
                     its size, balance and best tag",
                )
                .clicked()
            {
                commands.push(Command::LookUpEntity(node.clone()));
            }
        }
        Some(EntityLookup::Loading) => {
            ui.horizontal(|ui| {
                super::busy::busy_ui(ui);
                ui.label("Looking up the entity…");
            });
        }
        Some(EntityLookup::Unknown) => {
            ui.weak("GraphSense knows no entity for this address");
        }
        Some(EntityLookup::Failed(why)) => {
            ui.colored_label(
                egui::Color32::from_rgb(239, 83, 80),
                format!("Entity lookup failed: {why}"),
            );
            if ui.small_button("Retry").clicked() {
                commands.push(Command::LookUpEntity(node.clone()));
            }
        }
        Some(EntityLookup::Found(facts)) => {
            ui.strong(format!("GraphSense entity {}", facts.id));
            let (symbol, decimals) = facts.chain.native_asset();
            egui::Grid::new("inspector_entity")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Addresses");
                    ui.label(facts.addresses.to_string());
                    ui.end_row();
                    ui.label("Balance");
                    ui.label(format!(
                        "{} {symbol}",
                        format_units_grouped(facts.balance, decimals)
                    ));
                    ui.end_row();
                    ui.label("Transactions");
                    ui.label(facts.transactions.to_string());
                    ui.end_row();
                    ui.label("Best tag");
                    match &facts.best_tag {
                        Some(tag) => ui.label(format!(
                            "{} ({} · {})",
                            tag.label, tag.category, tag.confidence
                        )),
                        None => ui.weak(format!("none of {} tags", facts.tag_count)),
                    };
                    ui.end_row();
                });
            let shown = SHOWN_MEMBERS.min(usize::try_from(facts.addresses).unwrap_or(usize::MAX));
            ui.horizontal(|ui| {
                if !node.is_entity()
                    && ui
                        .button("Show as one node")
                        .on_hover_text(
                            "Adds the entity as one node standing for its addresses, with an \
                             arrow from this address; expand it to see the entities it paid \
                             and was paid by",
                        )
                        .clicked()
                {
                    commands.push(Command::ShowEntityNode(node.clone()));
                }
                if ui
                    .button("Show its addresses")
                    .on_hover_text(format!(
                        "Adds {shown} of its addresses around this node and groups them as a \
                         cluster (confidence: heuristic); one undoable step"
                    ))
                    .clicked()
                {
                    commands.push(Command::ShowEntity(node.clone()));
                }
            });
        }
    }
}
