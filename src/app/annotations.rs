//! Annotations: the note dialog, deleting a note with its arrows, drawing arrows and
//! highlighting the edges between a node and the selection.

use super::CaseboardApp;
use super::command::Command;
use super::ui::note_dialog::NoteDialog;
use crate::model::action::HighlightTarget;
use crate::model::{Action, Arrow, ArrowEnd, EdgeKey, Highlight, NodeId, NoteId};

impl CaseboardApp {
    /// Handles the annotation commands; gives any other command back.
    pub(super) fn annotation_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::NewNote { anchor, position } => self.new_note(anchor, position),
            Command::EditNote(id) => self.edit_note(id),
            Command::DeleteNote(id) => self.delete_note(id),
            Command::StartArrow(end) => self.canvas.start_arrow(end),
            Command::DrawArrow { from, to } => self.draw_arrow(from, to),
            Command::HighlightEdges { node, color } => self.highlight_edges(node, color),
            other => return Some(other),
        }
        None
    }

    fn new_note(&mut self, anchor: Option<NodeId>, position: [f32; 2]) {
        if let Some(node) = &anchor
            && !self.doc.case().nodes.contains_key(node)
        {
            return;
        }
        self.dialogs.note = Some(NoteDialog::create(
            anchor,
            position,
            &self.settings.investigator,
        ));
    }

    fn edit_note(&mut self, id: NoteId) {
        if let Some(note) = self.doc.case().annotations.notes.get(&id) {
            self.dialogs.note = Some(NoteDialog::edit(note, &self.settings.investigator));
        }
    }

    fn delete_note(&mut self, id: NoteId) {
        if self.doc.case().annotations.notes.contains_key(&id) {
            let action = crate::model::action::remove_note(self.doc.case(), id);
            self.apply_or_warn(action);
        }
    }

    fn draw_arrow(&mut self, from: ArrowEnd, to: ArrowEnd) {
        let id = self.doc.case().annotations.next_arrow_id();
        self.apply_or_warn(Action::SetArrow {
            id,
            arrow: Some(Arrow::plain(id, from, to)),
        });
    }

    /// Highlights every edge (either direction) between `node` and a selected node.
    fn highlight_edges(&mut self, node: NodeId, color: Option<Highlight>) {
        let case = self.doc.case();
        let mut edges = std::collections::BTreeSet::new();
        for t in case.transfers_of(&node) {
            let other = if t.from == node { &t.to } else { &t.from };
            if self.selection.contains(other) && other != &node {
                edges.insert(EdgeKey {
                    from: t.from.clone(),
                    to: t.to.clone(),
                });
            }
        }
        if edges.is_empty() {
            self.notices
                .info("No transfers between this node and the selected nodes");
            return;
        }
        let actions = edges
            .into_iter()
            .map(|edge| Action::SetHighlight {
                target: HighlightTarget::Edge(edge),
                color,
            })
            .collect();
        self.apply_or_warn(Action::Batch {
            label: match color {
                Some(c) => format!("highlight edges {}", c.name()),
                None => "clear edge highlights".to_owned(),
            },
            actions,
        });
    }

    fn apply_or_warn(&mut self, action: Action) {
        if let Err(err) = self.doc.apply(action) {
            self.notices.warn(format!("Not done: {err}"));
        }
    }
}
