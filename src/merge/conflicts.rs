//! The conflicts of the merged case: mine's open conflicts stay (unless, with a base, theirs
//! resolved one that mine left untouched), theirs' open conflicts are carried over with their
//! cluster and note ids renumbered like theirs' clusters and notes (one theirs left as it was
//! in base is not carried: mine's state of it stands), and this merge's new disagreements are
//! added. A disagreement already listed (same node, cluster or note, same version of theirs)
//! is not listed twice.

use super::MergeReport;
use super::ids::{IdAlloc, Renumbering};
use crate::model::{Case, Cluster, ClusterId, Conflict, ConflictId, ConflictKind, Note, NoteId};
use std::collections::BTreeMap;

/// The conflict list being built.
pub(super) struct ConflictList {
    list: BTreeMap<ConflictId, Conflict>,
    alloc: IdAlloc,
}

impl ConflictList {
    /// Mine's conflicts, less those theirs resolved (with a base).
    pub(super) fn from_mine(
        mine: &Case,
        theirs: &Case,
        base: Option<&Case>,
        report: &mut MergeReport,
    ) -> ConflictList {
        let mut list = BTreeMap::new();
        for (id, conflict) in &mine.conflicts {
            let resolved_by_theirs = base.is_some_and(|b| {
                b.conflicts.get(id) == Some(conflict) && theirs.conflicts.get(id) != Some(conflict)
            });
            if resolved_by_theirs {
                report.deletions_applied += 1;
            } else {
                list.insert(*id, conflict.clone());
            }
        }
        let past = theirs
            .conflicts
            .keys()
            .chain(base.into_iter().flat_map(|b| b.conflicts.keys()))
            .map(|id| id.0);
        let alloc = IdAlloc::new(mine.conflicts.keys().map(|id| id.0), past);
        ConflictList { list, alloc }
    }

    /// True when a conflict about this disagreement is listed: the same node, cluster or note
    /// with the same version of theirs.
    fn listed(&self, kind: &ConflictKind) -> bool {
        self.list.values().any(|c| same_disagreement(&c.kind, kind))
    }

    /// Carries theirs' open conflicts over.
    pub(super) fn carry_theirs(
        &mut self,
        theirs: &Case,
        base: Option<&Case>,
        clusters: &mut Renumbering,
        notes: &mut Renumbering,
        report: &mut MergeReport,
    ) {
        for (id, conflict) in &theirs.conflicts {
            if base.is_some_and(|b| b.conflicts.get(id) == Some(conflict)) {
                continue;
            }
            let kind = renumber_kind(&conflict.kind, clusters, notes);
            if self.listed(&kind) {
                continue;
            }
            let new_id = ConflictId(self.alloc.keep_or_fresh(id.0));
            self.list.insert(
                new_id,
                Conflict {
                    id: new_id,
                    theirs_label: conflict.theirs_label.clone(),
                    kind,
                },
            );
            report.conflicts_carried += 1;
        }
    }

    /// Records a disagreement found by this merge (once).
    pub(super) fn record(
        &mut self,
        kind: ConflictKind,
        theirs_label: &str,
        report: &mut MergeReport,
    ) {
        if self.listed(&kind) {
            return;
        }
        let id = ConflictId(self.alloc.fresh());
        self.list.insert(
            id,
            Conflict {
                id,
                theirs_label: theirs_label.to_owned(),
                kind,
            },
        );
        report.conflicts += 1;
    }

    /// The finished list.
    pub(super) fn finish(self) -> BTreeMap<ConflictId, Conflict> {
        self.list
    }
}

/// Theirs' conflict with cluster and note ids as they are in the merged case.
fn renumber_kind(
    kind: &ConflictKind,
    clusters: &mut Renumbering,
    notes: &mut Renumbering,
) -> ConflictKind {
    match kind {
        ConflictKind::Tags { .. } | ConflictKind::Transfer { .. } => kind.clone(),
        ConflictKind::Cluster { id, mine, theirs } => {
            let id = ClusterId(clusters.theirs_id(id.0));
            let with_id = |c: &Option<Cluster>| c.as_ref().map(|c| Cluster { id, ..c.clone() });
            ConflictKind::Cluster {
                id,
                mine: with_id(mine),
                theirs: with_id(theirs),
            }
        }
        ConflictKind::Note { id, mine, theirs } => {
            let id = NoteId(notes.theirs_id(id.0));
            let with_id = |n: &Option<Note>| n.as_ref().map(|n| Note { id, ..n.clone() });
            ConflictKind::Note {
                id,
                mine: with_id(mine),
                theirs: with_id(theirs),
            }
        }
    }
}

/// The same subject with the same version of theirs (mine's version may have moved on, e.g. by
/// the union of tags an earlier merge made).
fn same_disagreement(a: &ConflictKind, b: &ConflictKind) -> bool {
    match (a, b) {
        (
            ConflictKind::Tags { node, theirs, .. },
            ConflictKind::Tags {
                node: node_b,
                theirs: theirs_b,
                ..
            },
        ) => node == node_b && theirs == theirs_b,
        (
            ConflictKind::Cluster { id, theirs, .. },
            ConflictKind::Cluster {
                id: id_b,
                theirs: theirs_b,
                ..
            },
        ) => id == id_b && theirs == theirs_b,
        (
            ConflictKind::Note { id, theirs, .. },
            ConflictKind::Note {
                id: id_b,
                theirs: theirs_b,
                ..
            },
        ) => id == id_b && theirs == theirs_b,
        (
            ConflictKind::Transfer { id, theirs, .. },
            ConflictKind::Transfer {
                id: id_b,
                theirs: theirs_b,
                ..
            },
        ) => id == id_b && theirs == theirs_b,
        _ => false,
    }
}
