//! The open case with its history: the single place where actions are applied.
//!
//! Every change goes through [`Document::apply`], which records the inverse for undo, clears the
//! redo stack, bumps the revision and appends an entry to the case's audit trail (who, when,
//! what; undo and redo are entries too — the trail is never rewritten). "Unsaved changes" compares
//! positions in the history, not a flag: every step has a number, the position is the number of
//! the newest step not undone, and a save remembers the position it wrote ([`SavePoint`]), so
//! undoing or redoing back to the saved state is clean again. Changes outside the history (the
//! filter, a restored recovery file) stay unsaved until the next save.
//!
//! The case is read-only outside this door: [`Document::case`] hands out `&Case`, and the only
//! writes that bypass an [`Action`] are view state that is never undone or audited — the
//! canvas's zoom and pan ([`Document::set_view`]), the graph filter ([`Document::set_filter`]) and the positions the layout engine computes
//! ([`Document::update_positions`]). The app and the command line both change cases through a
//! `Document`, so a change made on the command line leaves the same history entry.

use crate::model::{Action, ActionError, Case, CaseView, NodeId, apply};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One undoable step: what was done and how to take it back.
#[derive(Debug, Clone)]
struct Step {
    description: String,
    inverse: Action,
    /// Unique number of the change (kept by undo and redo: it names the change, not the move).
    id: u64,
}

/// What a save wrote: the revision (for "changed since?") and the history position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavePoint {
    revision: u64,
    position: u64,
}

/// The open case, its file and its history.
#[derive(Debug)]
pub struct Document {
    /// The case on screen (read-only outside: see the module doc).
    case: Case,
    /// Where it was loaded from or last saved to.
    pub path: Option<PathBuf>,
    undo: Vec<Step>,
    redo: Vec<Step>,
    revision: u64,
    /// The history position last saved (or loaded).
    saved_position: u64,
    /// The revision last saved (or loaded).
    saved_revision: u64,
    /// The revision of the last change outside the history (filter, restored work, touch).
    loose_change_revision: Option<u64>,
    /// Number given to the next step.
    next_step_id: u64,
    /// Id of the newest step dropped from the undo history (0 = none dropped).
    trimmed_position: u64,
    /// Bumped when the node/transfer sets change, so the canvas rebuilds only then.
    structure_revision: u64,
    /// Investigator recorded in the audit trail.
    author: String,
}

/// Undo history depth; older steps are dropped.
const MAX_HISTORY_STEPS: usize = 500;

impl Document {
    /// A document for a case that is "saved" as it is (freshly opened or the demo).
    pub fn new(case: Case, path: Option<PathBuf>) -> Document {
        Document {
            case,
            path,
            undo: Vec::new(),
            redo: Vec::new(),
            revision: 0,
            saved_position: 0,
            saved_revision: 0,
            loose_change_revision: None,
            next_step_id: 1,
            trimmed_position: 0,
            structure_revision: 0,
            author: String::new(),
        }
    }

    /// The case, read-only: every change goes through [`Document::apply`].
    pub fn case(&self) -> &Case {
        &self.case
    }

    /// The case as it should be written to a file now (its last-changed time set).
    pub fn case_to_save(&self) -> Case {
        let mut case = self.case.clone();
        case.meta.modified = crate::util::now_unix();
        case
    }

    /// Gives the case up (headless use: the command line writes it out).
    pub fn into_case(self) -> Case {
        self.case
    }

    /// Stores the canvas's zoom and pan: view state, saved with the case but not an undoable
    /// change and not a modification.
    pub fn set_view(&mut self, view: CaseView) {
        if self.case.view != view {
            self.case.view = view;
        }
    }

    /// Sets what the graph shows. The filter is view state (not undoable, not audited: it
    /// narrows the picture, never the facts), but it is saved with the case, so changing it
    /// counts as an unsaved change and is not lost on close.
    pub fn set_filter(&mut self, filter: crate::model::GraphFilter) {
        if self.case.view.filter != filter {
            self.case.view.filter = filter;
            self.revision = self.revision.wrapping_add(1);
            self.loose_change_revision = Some(self.revision);
        }
    }

    /// Lets the layout engine read the case and write node positions (view state, like the
    /// zoom: not undoable, not audited). `positions` is the case's own map, lent for the call.
    pub fn update_positions<R>(
        &mut self,
        update: impl FnOnce(&Case, &mut BTreeMap<NodeId, [f32; 2]>) -> R,
    ) -> R {
        let mut positions = std::mem::take(&mut self.case.layout.positions);
        let result = update(&self.case, &mut positions);
        self.case.layout.positions = positions;
        result
    }

    /// Sets the investigator's name recorded with every change from now on.
    pub fn set_author(&mut self, author: &str) {
        if self.author != author.trim() {
            author.trim().clone_into(&mut self.author);
        }
    }

    fn record(&mut self, what: String) {
        let now = crate::util::now_unix();
        self.case.record(&self.author, now, what);
    }

    /// Applies `action` through the one door; on error the case is unchanged.
    pub fn apply(&mut self, action: Action) -> Result<(), ActionError> {
        let description = action.describe();
        let inverse = apply(&mut self.case, action)?;
        self.record(description.clone());
        let id = self.next_step_id;
        self.next_step_id += 1;
        self.undo.push(Step {
            description,
            inverse,
            id,
        });
        if self.undo.len() > MAX_HISTORY_STEPS {
            let dropped = self.undo.remove(0);
            self.trimmed_position = dropped.id;
        }
        self.redo.clear();
        self.bump();
        Ok(())
    }

    /// Undoes the last action; returns its description.
    pub fn undo(&mut self) -> Option<String> {
        let (undo, redo) = (&mut self.undo, &mut self.redo);
        let done = replay(&mut self.case, undo, redo);
        if let Some(what) = &done {
            self.record(format!("undo {what}"));
            self.bump();
        }
        done
    }

    /// Redoes the last undone action; returns its description.
    pub fn redo(&mut self) -> Option<String> {
        let (undo, redo) = (&mut self.undo, &mut self.redo);
        let done = replay(&mut self.case, redo, undo);
        if let Some(what) = &done {
            self.record(format!("redo {what}"));
            self.bump();
        }
        done
    }

    /// Description of what Undo would undo.
    pub fn undo_description(&self) -> Option<&str> {
        self.undo.last().map(|s| s.description.as_str())
    }

    /// Description of what Redo would redo.
    pub fn redo_description(&self) -> Option<&str> {
        self.redo.last().map(|s| s.description.as_str())
    }

    /// Marks the document as differing from its file (restored unsaved work).
    pub fn mark_unsaved(&mut self) {
        self.revision = self.revision.wrapping_add(1);
        self.structure_revision = self.structure_revision.wrapping_add(1);
        self.loose_change_revision = Some(self.revision);
    }

    /// The history position: the id of the newest step not undone (or of the newest step
    /// dropped from the history, 0 at the start).
    fn position(&self) -> u64 {
        self.undo.last().map_or(self.trimmed_position, |s| s.id)
    }

    /// True if the case differs from the last save or load: the history is at another
    /// position, or something outside the history changed since.
    pub fn is_modified(&self) -> bool {
        self.position() != self.saved_position
            || self
                .loose_change_revision
                .is_some_and(|r| r > self.saved_revision)
    }

    /// What a save started now writes; give it to [`Document::mark_saved`] when it is done.
    pub fn save_point(&self) -> SavePoint {
        SavePoint {
            revision: self.revision,
            position: self.position(),
        }
    }

    /// Revision counter; changes with every applied, undone or redone action.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// Revision of the graph structure and appearance (used by the canvas to rebuild).
    pub fn structure_revision(&self) -> u64 {
        self.structure_revision
    }

    /// Marks the state at `point` as saved to `path`.
    pub fn mark_saved(&mut self, point: SavePoint, path: PathBuf) {
        self.saved_revision = point.revision;
        self.saved_position = point.position;
        self.path = Some(path);
    }

    /// Marks the case as modified without an action (e.g. view-only changes worth saving).
    pub fn touch(&mut self) {
        self.bump();
        self.loose_change_revision = Some(self.revision);
    }

    fn bump(&mut self) {
        self.revision += 1;
        self.structure_revision += 1;
    }

    /// Name for the title bar: the case title, else the file name, else "Untitled case".
    pub fn display_name(&self) -> String {
        if !self.case.meta.title.trim().is_empty() {
            return self.case.meta.title.clone();
        }
        self.path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Untitled case".to_owned())
    }
}

/// Applies the newest step of `from` and pushes its inverse onto `to`. If an inverse cannot be
/// applied (it always applies to the state it was made from), `from` is dropped rather than
/// leaving a half-undone case.
fn replay(case: &mut Case, from: &mut Vec<Step>, to: &mut Vec<Step>) -> Option<String> {
    let step = from.pop()?;
    match apply(case, step.inverse) {
        Ok(inverse) => {
            to.push(Step {
                description: step.description.clone(),
                inverse,
                id: step.id,
            });
            Some(step.description)
        }
        Err(_) => {
            from.clear();
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn retitle(doc: &mut Document, title: &str) {
        doc.apply(Action::SetMeta {
            title: title.to_owned(),
            description: String::new(),
        })
        .expect("applied");
    }

    #[test]
    fn undo_and_redo_back_to_the_saved_state_are_clean() {
        let mut doc = Document::new(Case::new("one", 0), None);
        retitle(&mut doc, "two");
        doc.mark_saved(doc.save_point(), PathBuf::from("case.ron"));
        assert!(!doc.is_modified());
        doc.undo();
        assert!(doc.is_modified(), "undone past the save");
        doc.redo();
        assert!(!doc.is_modified(), "redone back to the saved state");
        retitle(&mut doc, "three");
        assert!(doc.is_modified());
        doc.undo();
        assert!(!doc.is_modified(), "undone back to the saved state");
        doc.undo();
        retitle(&mut doc, "other");
        assert!(doc.is_modified(), "a new branch is not the saved state");
    }

    #[test]
    fn a_save_of_an_older_state_and_loose_changes_stay_unsaved() {
        let mut doc = Document::new(Case::new("one", 0), None);
        retitle(&mut doc, "two");
        let point = doc.save_point();
        retitle(&mut doc, "three");
        doc.mark_saved(point, PathBuf::from("case.ron"));
        assert!(doc.is_modified(), "changed while the save ran");
        doc.undo();
        assert!(!doc.is_modified());
        doc.set_filter(crate::model::GraphFilter {
            dim: !doc.case().view.filter.dim,
            ..Default::default()
        });
        assert!(doc.is_modified(), "the filter is saved with the case");
        doc.mark_saved(doc.save_point(), PathBuf::from("case.ron"));
        assert!(!doc.is_modified());
    }
}
