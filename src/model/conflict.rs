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
use super::transfer::{Transfer, TransferId};
use serde::{Deserialize, Serialize};

/// Id of a conflict, unique within a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConflictId(pub u64);

/// What the two sides disagree on; each side is the whole judgement as that side has it
/// (`None` = that side deleted it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    /// A fact disagreement: the same transfer id with different ends, asset, amount or
    /// transaction on the two sides (one side's source was wrong). Mine stays in the case.
    Transfer {
        id: TransferId,
        mine: Box<Transfer>,
        theirs: Box<Transfer>,
    },
}

impl ConflictKind {
    /// The transfer conflict for two versions of one transfer id, when their facts (ends,
    /// asset, amount, transaction) differ; `None` when they agree (fields one side lacks, like
    /// a block height, are not a disagreement).
    pub fn transfer_facts(mine: &Transfer, theirs: &Transfer) -> Option<ConflictKind> {
        let same = mine.from == theirs.from
            && mine.to == theirs.to
            && mine.asset == theirs.asset
            && mine.amount == theirs.amount
            && mine.tx_hash == theirs.tx_hash;
        (!same).then(|| ConflictKind::Transfer {
            id: mine.id.clone(),
            mine: Box::new(mine.clone()),
            theirs: Box::new(theirs.clone()),
        })
    }
}

/// One recorded disagreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
            ConflictKind::Transfer { id, .. } => {
                format!("transfer {id} recorded differently on both sides")
            }
        }
    }
}

/// How the investigator resolves a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// Keep what is in place (mine).
    KeepMine,
    /// Replace it with theirs.
    TakeTheirs,
    /// Keep both (tags only: the merged tag list already holds both sides' tags).
    KeepBoth,
}

/// The action that resolves conflict `id` as chosen, and removes its record — one undoable
/// step. `None` if there is no such conflict or the choice does not apply (`KeepBoth` on a
/// cluster or note).
pub fn resolve(case: &super::Case, id: ConflictId, choice: Resolution) -> Option<super::Action> {
    use super::Action;
    let conflict = case.conflicts.get(&id)?;
    let clear = Action::SetConflict { id, conflict: None };
    let mut actions = Vec::new();
    match (&conflict.kind, choice) {
        (_, Resolution::KeepMine) => {}
        (ConflictKind::Tags { .. }, Resolution::KeepBoth) => {}
        (_, Resolution::KeepBoth) => return None,
        (
            ConflictKind::Transfer {
                id: tid, theirs, ..
            },
            Resolution::TakeTheirs,
        ) => {
            let ends_known =
                case.nodes.contains_key(&theirs.from) && case.nodes.contains_key(&theirs.to);
            if !ends_known {
                return None;
            }
            if case.transfers.contains_key(tid) {
                actions.push(Action::Remove {
                    label: "take their transfer".to_owned(),
                    nodes: Vec::new(),
                    transfers: vec![tid.clone()],
                });
            }
            actions.push(Action::Insert {
                label: "take their transfer".to_owned(),
                fragment: super::action::Fragment {
                    transfers: vec![Transfer {
                        id: tid.clone(),
                        ..(**theirs).clone()
                    }],
                    ..Default::default()
                },
            });
        }
        (ConflictKind::Tags { node, theirs, .. }, Resolution::TakeTheirs) => {
            if case.nodes.contains_key(node) {
                actions.push(Action::SetTags {
                    label: "take their tags".to_owned(),
                    entries: vec![(node.clone(), theirs.clone())],
                });
            }
        }
        (
            ConflictKind::Cluster {
                id: cid, theirs, ..
            },
            Resolution::TakeTheirs,
        ) => {
            take_their_cluster(case, *cid, theirs.as_ref(), &mut actions);
        }
        (
            ConflictKind::Note {
                id: nid, theirs, ..
            },
            Resolution::TakeTheirs,
        ) => match theirs {
            Some(note)
                if case.annotations.notes.contains_key(nid)
                    || note
                        .anchor
                        .as_ref()
                        .is_none_or(|a| case.nodes.contains_key(a)) =>
            {
                actions.push(Action::SetNote {
                    id: *nid,
                    note: Some(Note {
                        id: *nid,
                        ..note.clone()
                    }),
                });
            }
            Some(_) => {}
            None => {
                if case.annotations.notes.contains_key(nid) {
                    actions.push(super::action::remove_note(case, *nid));
                }
            }
        },
    }
    actions.push(clear);
    let label = match choice {
        Resolution::KeepMine => "keep mine",
        Resolution::TakeTheirs => "take theirs",
        Resolution::KeepBoth => "keep both",
    };
    Some(Action::Batch {
        label: format!("resolve conflict: {} ({label})", conflict.describe()),
        actions,
    })
}

/// Replaces mine's cluster `id` with theirs (or deletes it when theirs deleted it): members
/// theirs claims are taken out of other clusters first, so no node ends up in two.
fn take_their_cluster(
    case: &super::Case,
    id: ClusterId,
    theirs: Option<&Cluster>,
    actions: &mut Vec<super::Action>,
) {
    use super::Action;
    let mut gone: Vec<ClusterId> = vec![id];
    if let Some(t) = theirs {
        gone.push(t.id);
    }
    gone.sort();
    gone.dedup();
    for cid in &gone {
        if case.clusters.contains_key(cid) {
            actions.push(Action::DeleteCluster(*cid));
        }
    }
    let Some(t) = theirs else {
        return;
    };
    let members: std::collections::BTreeSet<NodeId> = t
        .members
        .iter()
        .filter(|m| case.nodes.contains_key(*m))
        .cloned()
        .collect();
    let moves: Vec<(NodeId, Option<ClusterId>)> = members
        .iter()
        .filter(|m| case.cluster_of(m).is_some_and(|c| !gone.contains(&c.id)))
        .map(|m| (m.clone(), None))
        .collect();
    if !moves.is_empty() {
        actions.push(Action::SetMembership { changes: moves });
    }
    if !members.is_empty() {
        actions.push(Action::CreateCluster(Cluster {
            members,
            ..t.clone()
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Case, Category, Confidence, Node, apply};

    fn node(n: u8) -> NodeId {
        NodeId::parse(&format!("eth:0x{:040x}", 0x7000 + u32::from(n))).expect("id")
    }

    fn cluster(id: u64, label: &str, members: &[u8]) -> Cluster {
        Cluster {
            id: ClusterId(id),
            label: label.into(),
            category: Category::Exchange,
            confidence: Confidence::ServiceData,
            source: String::new(),
            note: String::new(),
            members: members.iter().map(|n| node(*n)).collect(),
        }
    }

    fn case_with(conflict: ConflictKind) -> Case {
        let mut case = Case::new("t", 0);
        for n in 1..=4 {
            case.nodes.insert(node(n), Node::address(node(n)));
        }
        case.clusters
            .insert(ClusterId(1), cluster(1, "mine", &[1, 2]));
        case.conflicts.insert(
            ConflictId(1),
            Conflict {
                id: ConflictId(1),
                theirs_label: "bob".into(),
                kind: conflict,
            },
        );
        case
    }

    #[test]
    fn taking_their_cluster_replaces_mine_without_double_membership() {
        let mut case = case_with(ConflictKind::Cluster {
            id: ClusterId(1),
            mine: Some(cluster(1, "mine", &[1, 2])),
            theirs: Some(cluster(2, "theirs", &[2, 3])),
        });
        case.clusters
            .insert(ClusterId(3), cluster(3, "other", &[3]));
        let before = case.clone();
        let action = resolve(&case, ConflictId(1), Resolution::TakeTheirs).expect("applies");
        let inverse = apply(&mut case, action).expect("resolves");
        assert!(case.validate().is_empty(), "{:?}", case.validate());
        assert!(case.conflicts.is_empty());
        assert_eq!(
            case.cluster_of(&node(2)).map(|c| c.label.as_str()),
            Some("theirs")
        );
        assert_eq!(
            case.cluster_of(&node(3)).map(|c| c.label.as_str()),
            Some("theirs")
        );
        assert!(case.cluster_of(&node(1)).is_none());
        apply(&mut case, inverse).expect("undo");
        assert_eq!(case, before);
    }

    #[test]
    fn keep_mine_only_clears_and_keep_both_is_for_tags() {
        let mut case = case_with(ConflictKind::Tags {
            node: node(4),
            mine: vec![],
            theirs: vec![crate::model::Tag::new(
                "x",
                Category::Mixer,
                Confidence::Heuristic,
                "",
            )],
        });
        let mut mine = case.clone();
        let keep = resolve(&case, ConflictId(1), Resolution::KeepMine).expect("action");
        apply(&mut mine, keep).expect("resolves");
        assert!(mine.conflicts.is_empty() && mine.tags.is_empty());
        let take = resolve(&case, ConflictId(1), Resolution::TakeTheirs).expect("action");
        apply(&mut case, take).expect("resolves");
        assert_eq!(case.tags[&node(4)].len(), 1);
        assert!(
            resolve(&case, ConflictId(1), Resolution::KeepMine).is_none(),
            "gone"
        );
        let note_case = case_with(ConflictKind::Note {
            id: NoteId(1),
            mine: None,
            theirs: None,
        });
        assert!(resolve(&note_case, ConflictId(1), Resolution::KeepBoth).is_none());
    }
}
