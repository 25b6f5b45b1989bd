//! The annotation and conflict actions: set or clear one note, arrow, highlight or conflict
//! record, each returning the previous value as its inverse. Checks come first, so a refused
//! action changes nothing: a note's anchor, an arrow's ends and a highlighted node or edge must
//! exist, and text and positions must be usable.

use super::action::{Action, ActionError};
use super::annotation::{Arrow, ArrowEnd, ArrowId, EdgeKey, Highlight, Note, NoteId};
use super::case::Case;
use super::conflict::{Conflict, ConflictId};
use super::node::NodeId;

/// What a highlight is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HighlightTarget {
    /// A node.
    Node(NodeId),
    /// All transfers from one node to another (one canvas edge).
    Edge(EdgeKey),
}

/// Longest note text accepted (characters).
pub const MAX_NOTE_CHARS: usize = 4_000;

pub(super) fn set_note(
    case: &mut Case,
    id: NoteId,
    note: Option<Note>,
) -> Result<Action, ActionError> {
    if let Some(note) = &note {
        if note.id != id {
            return Err(ActionError::BadAnnotation(format!(
                "note {} stored under {}",
                note.id.0, id.0
            )));
        }
        if note.text.trim().is_empty() {
            return Err(ActionError::BadAnnotation("a note needs text".to_owned()));
        }
        if note.text.chars().count() > MAX_NOTE_CHARS {
            return Err(ActionError::BadAnnotation(format!(
                "a note holds at most {MAX_NOTE_CHARS} characters"
            )));
        }
        if !note.position.iter().all(|v| v.is_finite()) {
            return Err(ActionError::BadAnnotation(
                "the note's position is not a finite number".to_owned(),
            ));
        }
        if let Some(anchor) = &note.anchor
            && !case.nodes.contains_key(anchor)
        {
            return Err(ActionError::UnknownNode(anchor.clone()));
        }
    } else if case
        .annotations
        .arrows
        .values()
        .any(|a| a.from == ArrowEnd::Note(id) || a.to == ArrowEnd::Note(id))
    {
        return Err(ActionError::BadAnnotation(format!(
            "note {} still has arrows; remove them first",
            id.0
        )));
    }
    let notes = &mut case.annotations.notes;
    let old = match note {
        Some(note) => notes.insert(id, note),
        None => notes.remove(&id),
    };
    Ok(Action::SetNote { id, note: old })
}

pub(super) fn set_arrow(
    case: &mut Case,
    id: ArrowId,
    arrow: Option<Arrow>,
) -> Result<Action, ActionError> {
    if let Some(arrow) = &arrow {
        if arrow.id != id {
            return Err(ActionError::BadAnnotation(format!(
                "arrow {} stored under {}",
                arrow.id.0, id.0
            )));
        }
        if arrow.from == arrow.to {
            return Err(ActionError::BadAnnotation(
                "an arrow needs two different ends".to_owned(),
            ));
        }
        for end in [&arrow.from, &arrow.to] {
            match end {
                ArrowEnd::Node(node) if !case.nodes.contains_key(node) => {
                    return Err(ActionError::UnknownNode(node.clone()));
                }
                ArrowEnd::Note(note) if !case.annotations.notes.contains_key(note) => {
                    return Err(ActionError::BadAnnotation(format!(
                        "note {} is not in the case",
                        note.0
                    )));
                }
                _ => {}
            }
        }
    }
    let arrows = &mut case.annotations.arrows;
    let old = match arrow {
        Some(arrow) => arrows.insert(id, arrow),
        None => arrows.remove(&id),
    };
    Ok(Action::SetArrow { id, arrow: old })
}

pub(super) fn set_highlight(
    case: &mut Case,
    target: HighlightTarget,
    color: Option<Highlight>,
) -> Result<Action, ActionError> {
    let a = &mut case.annotations;
    let old = match &target {
        HighlightTarget::Node(node) => {
            if color.is_some() && !case.nodes.contains_key(node) {
                return Err(ActionError::UnknownNode(node.clone()));
            }
            match color {
                Some(c) => a.node_highlights.insert(node.clone(), c),
                None => a.node_highlights.remove(node),
            }
        }
        HighlightTarget::Edge(edge) => {
            if color.is_some() {
                for end in [&edge.from, &edge.to] {
                    if !case.nodes.contains_key(end) {
                        return Err(ActionError::UnknownNode(end.clone()));
                    }
                }
            }
            match color {
                Some(c) => a.edge_highlights.insert(edge.clone(), c),
                None => a.edge_highlights.remove(edge),
            }
        }
    };
    Ok(Action::SetHighlight { target, color: old })
}

pub(super) fn set_conflict(
    case: &mut Case,
    id: ConflictId,
    conflict: Option<Conflict>,
) -> Result<Action, ActionError> {
    if let Some(conflict) = &conflict
        && conflict.id != id
    {
        return Err(ActionError::BadAnnotation(format!(
            "conflict {} stored under {}",
            conflict.id.0, id.0
        )));
    }
    let old = match conflict {
        Some(conflict) => case.conflicts.insert(id, conflict),
        None => case.conflicts.remove(&id),
    };
    Ok(Action::SetConflict { id, conflict: old })
}

/// Removes a note with the arrows attached to it, as one action.
pub fn remove_note(case: &Case, id: NoteId) -> Action {
    let mut actions: Vec<Action> = case
        .annotations
        .arrows
        .values()
        .filter(|a| a.from == ArrowEnd::Note(id) || a.to == ArrowEnd::Note(id))
        .map(|a| Action::SetArrow {
            id: a.id,
            arrow: None,
        })
        .collect();
    actions.push(Action::SetNote { id, note: None });
    Action::Batch {
        label: "delete note".to_owned(),
        actions,
    }
}
