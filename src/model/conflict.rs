//! Merge conflicts: judgements two investigators made differently, kept in the case until the
//! investigator resolves them.
//!
//! A merge never drops either side silently: where both sides changed the same judgement in
//! different ways, the merged case keeps one version in place (mine) and records both here.
//! Resolving a conflict applies the chosen side and removes the record (see
//! [`super::action::Action::ResolveConflict`]).

use super::annotation::{Note, NoteId};
use super::case::{Cluster, ClusterId};
use super::node::NodeId;
use super::tag::Tag;
use serde::{Deserialize, Serialize};

/// Id of a conflict, unique within a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConflictId(pub u64);

/// What the two sides disagree on; each side is the whole judgement as that side has it
/// (`None` = that side deleted it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ConflictKind {
    /// The tags of a node say different categories.
    Tags {
        node: NodeId,
        mine: Vec<Tag>,
        theirs: Vec<Tag>,
    },
    /// A cluster edited (or deleted) differently on both sides.
    Cluster {
        id: ClusterId,
        mine: Option<Cluster>,
        theirs: Option<Cluster>,
    },
    /// A note changed (or deleted) differently on both sides.
    Note {
        id: NoteId,
        mine: Option<Note>,
        theirs: Option<Note>,
    },
}

/// One recorded disagreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    /// Id.
    pub id: ConflictId,
    /// Who "theirs" is (the other file's contributors or name), for the list.
    #[serde(default)]
    pub theirs_label: String,
    /// The disagreement.
    pub kind: ConflictKind,
}

impl Conflict {
    /// One line for the conflicts list.
    pub fn describe(&self) -> String {
        match &self.kind {
            ConflictKind::Tags { node, .. } => format!("tags of {node} disagree"),
            ConflictKind::Cluster { id, mine, theirs } => {
                let label = mine
                    .as_ref()
                    .or(theirs.as_ref())
                    .map_or_else(String::new, |c| c.label.clone());
                format!("cluster {} \"{label}\" changed on both sides", id.0)
            }
            ConflictKind::Note { id, .. } => format!("note {} changed on both sides", id.0),
        }
    }
}
