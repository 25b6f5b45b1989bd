//! The canvas's context menus: on a node (expand, tag, pin, copy, annotate, remove) and on
//! the background (note, fit, select all, tag, load, re-run layout). They only push commands.

use super::super::command::Command;
use crate::model::{Action, NodeId};
use crate::sources::Direction;
use std::collections::BTreeSet;

/// The menu of a right-clicked node.
pub fn node_menu_ui(
    ui: &mut egui::Ui,
    node: &NodeId,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    ui.label(
        egui::RichText::new(crate::model::address::short_form(&node.display_value())).strong(),
    );
    ui.separator();
    for (label, direction) in [
        ("Expand incoming", Direction::In),
        ("Expand outgoing", Direction::Out),
        ("Expand both", Direction::Both),
    ] {
        if ui.button(label).clicked() {
            commands.push(Command::Expand {
                node: node.clone(),
                direction,
            });
            ui.close();
        }
    }
    if ui.button("Expand with options…").clicked() {
        commands.push(Command::ShowExpandDialog(node.clone()));
        ui.close();
    }
    if ui
        .button("Load more")
        .on_hover_text("The next counterparties after those shown (both directions)")
        .clicked()
    {
        commands.push(Command::LoadMore {
            node: node.clone(),
            direction: Direction::Both,
        });
        ui.close();
    }
    if ui
        .button("Trace from here")
        .on_hover_text(
            "Follow the largest onward flows hop by hop (8 hops, 200 requests), stopping at \
             exchanges, mixers, bridges and CoinJoins; one undoable step",
        )
        .clicked()
    {
        commands.push(Command::TraceFrom(node.clone()));
        ui.close();
    }
    ui.separator();
    let targets: Vec<NodeId> = if selection.contains(node) {
        selection.iter().cloned().collect()
    } else {
        vec![node.clone()]
    };
    if ui.button("Tag as cluster…").clicked() {
        commands.push(Command::Select(targets.clone()));
        commands.push(Command::ShowClusterDialog(None));
        ui.close();
    }
    if ui.button("Pin").clicked() {
        commands.push(Command::SetPinned {
            nodes: targets.clone(),
            pinned: true,
        });
        ui.close();
    }
    if ui.button("Unpin").clicked() {
        commands.push(Command::SetPinned {
            nodes: targets.clone(),
            pinned: false,
        });
        ui.close();
    }
    if ui.button("Copy address").clicked() {
        commands.push(Command::Copy(node.display_value().into_owned()));
        ui.close();
    }
    ui.separator();
    annotate_menu_ui(ui, node, selection, commands);
    ui.separator();
    if ui.button("Remove from case").clicked() {
        commands.push(Command::Select(targets));
        commands.push(Command::RemoveSelected);
        ui.close();
    }
}

/// Note, arrow and highlight entries of a node's context menu.
fn annotate_menu_ui(
    ui: &mut egui::Ui,
    node: &NodeId,
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    if ui.button("Add note…").clicked() {
        commands.push(Command::NewNote {
            anchor: Some(node.clone()),
            position: [24.0, -48.0],
        });
        ui.close();
    }
    if ui.button("Draw arrow from here").clicked() {
        commands.push(Command::StartArrow(crate::model::ArrowEnd::Node(
            node.clone(),
        )));
        ui.close();
    }
    ui.menu_button("Highlight", |ui| {
        for color in crate::model::Highlight::ALL {
            if ui.button(color.name()).clicked() {
                commands.push(Command::Apply(Action::SetHighlight {
                    target: crate::model::action::HighlightTarget::Node(node.clone()),
                    color: Some(color),
                }));
                ui.close();
            }
        }
        if ui.button("clear").clicked() {
            commands.push(Command::Apply(Action::SetHighlight {
                target: crate::model::action::HighlightTarget::Node(node.clone()),
                color: None,
            }));
            ui.close();
        }
    });
    let others = selection.iter().any(|s| s != node);
    ui.add_enabled_ui(others, |ui| {
        ui.menu_button("Highlight edges to selection", |ui| {
            for color in crate::model::Highlight::ALL {
                if ui.button(color.name()).clicked() {
                    commands.push(Command::HighlightEdges {
                        node: node.clone(),
                        color: Some(color),
                    });
                    ui.close();
                }
            }
            if ui.button("clear").clicked() {
                commands.push(Command::HighlightEdges {
                    node: node.clone(),
                    color: None,
                });
                ui.close();
            }
        })
        .response
        .on_disabled_hover_text("Select the other ends first (shift-click)");
    });
}

/// The menu of a right-click on the background.
pub fn background_menu_ui(
    ui: &mut egui::Ui,
    context_pos: [f32; 2],
    selection: &BTreeSet<NodeId>,
    commands: &mut Vec<Command>,
) {
    if ui.button("Add note here…").clicked() {
        commands.push(Command::NewNote {
            anchor: None,
            position: context_pos,
        });
        ui.close();
    }
    if ui.button("Fit to view").clicked() {
        commands.push(Command::ZoomTo(Vec::new()));
        ui.close();
    }
    if ui.button("Select all").clicked() {
        commands.push(Command::SelectAll);
        ui.close();
    }
    if !selection.is_empty() && ui.button("Tag selection as cluster…").clicked() {
        commands.push(Command::ShowClusterDialog(None));
        ui.close();
    }
    if ui.button("Load addresses…").clicked() {
        commands.push(Command::ShowAddAddresses);
        ui.close();
    }
    if !selection.is_empty() && ui.button("Re-layout selection").clicked() {
        commands.push(Command::RelayoutSelection);
        ui.close();
    }
    if ui.button("Re-layout everything").clicked() {
        commands.push(Command::Relayout);
        ui.close();
    }
}
