//! Editing the case and the selection: undo and redo, applying actions the panels built,
//! selecting, removing and pinning nodes, the tag and cluster dialogs, and the canvas's view
//! (zoom, pan, re-layout). Every change to the case goes through the document's door.

use super::CaseboardApp;
use super::command::Command;
use super::ui;
use crate::model::Action;
use crate::model::action::Placement;

impl CaseboardApp {
    /// Handles the editing, selection and view commands; gives any other command back.
    pub(super) fn editing_command(
        &mut self,
        ctx: &egui::Context,
        command: Command,
    ) -> Option<Command> {
        match command {
            Command::Undo => match self.doc.undo() {
                Some(what) => self.notices.info(format!("Undid {what}")),
                None => self.notices.info("Nothing to undo"),
            },
            Command::Redo => match self.doc.redo() {
                Some(what) => self.notices.info(format!("Redid {what}")),
                None => self.notices.info("Nothing to redo"),
            },
            Command::Apply(action) => self.apply_action(action),
            Command::Select(nodes) => {
                if nodes.is_empty() {
                    // Escape (or a click on the background) also ends a pending arrow.
                    self.canvas.cancel_arrow();
                }
                let nodes = nodes
                    .into_iter()
                    .filter(|id| self.doc.case().nodes.contains_key(id))
                    .collect();
                self.selection.set(nodes);
            }
            Command::SelectAll => {
                self.selection
                    .set(self.doc.case().nodes.keys().cloned().collect());
            }
            Command::RemoveSelected => self.remove_selected(),
            Command::SetPinned { nodes, pinned } => self.set_pinned(&nodes, pinned),
            Command::ShowClusterDialog(edit) => self.open_cluster_dialog(edit),
            Command::ShowOwnTagDialog(node) => {
                self.dialogs.own_tag = Some(ui::tag_dialog::TagDialog::new(
                    node,
                    &self.settings.investigator,
                ));
            }
            Command::ShowAddAddresses => {
                self.dialogs.add_addresses = Some(ui::add_addresses::AddAddressesDialog::default());
            }
            Command::ShowShortcuts => self.dialogs.shortcuts = true,
            Command::ShowStory => self.dialogs.story = true,
            Command::CloseStory { for_good: false } => self.dialogs.story = false,
            Command::CancelJob(key) => self.jobs.cancel(&key),
            Command::ZoomTo(nodes) => self.canvas.request_zoom_to(nodes),
            Command::SetView(view) => self.doc.set_view(view),
            Command::SetFilter(filter) => self.doc.set_filter(filter),
            Command::Relayout => self.layout.reheat(),
            Command::RelayoutSelection => {
                let nodes: Vec<_> = self.selection.iter().cloned().collect();
                if nodes.is_empty() {
                    self.notices
                        .info("Select the nodes to lay out again first".to_owned());
                } else {
                    self.layout.relayout_nodes(&nodes);
                }
            }
            Command::ToggleTimeline => self.show_timeline = !self.show_timeline,
            Command::ShowFind => self.find.open(),
            Command::Copy(text) => ctx.copy_text(text),
            other => return Some(other),
        }
        None
    }

    /// Applies an action through the door (new nodes get the active packs' tags first).
    pub(super) fn apply_action(&mut self, action: Action) {
        let action = self.flag_action(action);
        let what = action.describe();
        if let Err(err) = self.doc.apply(action) {
            self.notices.error(format!("Could not {what}: {err}"), None);
        }
        let case = self.doc.case();
        self.selection.retain(|id| case.nodes.contains_key(id));
    }

    fn set_pinned(&mut self, nodes: &[crate::model::NodeId], pinned: bool) {
        let case = self.doc.case();
        let placements = nodes
            .iter()
            .filter(|id| case.nodes.contains_key(*id))
            .map(|id| Placement {
                node: id.clone(),
                position: case.layout.positions.get(id).copied(),
                pinned,
            })
            .collect();
        let label = if pinned { "pin nodes" } else { "unpin nodes" };
        self.commands.push(Command::Apply(Action::Place {
            label: label.to_owned(),
            placements,
        }));
    }

    fn remove_selected(&mut self) {
        if self.selection.is_empty() {
            return;
        }
        let nodes: Vec<_> = self.selection.iter().cloned().collect();
        let label = format!("remove {} node(s)", nodes.len());
        self.commands.push(Command::Apply(Action::Remove {
            label,
            nodes,
            transfers: Vec::new(),
        }));
        self.selection.clear();
    }

    fn open_cluster_dialog(&mut self, edit: Option<crate::model::ClusterId>) {
        let dialog = match edit.and_then(|id| self.doc.case().clusters.get(&id)) {
            Some(cluster) => ui::cluster_dialog::ClusterDialog::edit(cluster),
            None if self.selection.is_empty() => {
                self.notices
                    .info("Select the nodes to tag first (click, shift-click, shift-drag)");
                return;
            }
            None => ui::cluster_dialog::ClusterDialog::create(
                self.selection.iter().cloned().collect(),
                &self.settings.investigator,
            ),
        };
        self.dialogs.cluster = Some(dialog);
    }
}
