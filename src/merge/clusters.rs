//! Clusters. Ids are allocated independently on each side, so an equal id alone does not mean
//! the same cluster: with a base, an id present in base is the same cluster on both sides and
//! is merged three-way; without one, an equal id with an equal label is the same cluster, and
//! so is an equal label under another id not matched yet (a cluster an earlier merge renumbered,
//! in place or still waiting in one of mine's conflicts: merging the same copy twice adds
//! nothing twice). Same clusters with equal other fields get their members unioned; a
//! different category, confidence, source or note is a conflict with mine in place. Every other
//! cluster of theirs is new and keeps its id when the id is free, else it is renumbered past
//! the largest id in use.
//!
//! Afterwards no node may be in two clusters: a node claimed by several keeps the cluster mine
//! puts it in (else the lowest id), it is taken out of the others, and each cluster that lost
//! members gets a [`ConflictKind::Cluster`] holding theirs' full version (a cluster left empty
//! is not kept in place).

use super::MergeReport;
use super::ids::{Choice, IdAlloc, Renumbering, choose};
use crate::model::{Case, Cluster, ClusterId, ConflictKind, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// The clusters being built, with what the membership check needs.
struct Building {
    placed: BTreeMap<ClusterId, Cluster>,
    /// Theirs' version of each placed or conflicting cluster that theirs has, under its merged id.
    theirs_version: BTreeMap<ClusterId, Cluster>,
    /// Conflicts by cluster id: (mine / in place, theirs).
    conflicts: BTreeMap<ClusterId, (Option<Cluster>, Option<Cluster>)>,
    /// Clusters new from theirs.
    added: BTreeSet<ClusterId>,
    /// Mine's clusters given theirs' version or members.
    updated: BTreeSet<ClusterId>,
}

/// Merges clusters into `out.clusters`; returns how theirs' cluster ids were renumbered.
pub(super) fn merge_clusters(
    mine: &Case,
    theirs: &Case,
    base: Option<&Case>,
    out: &mut Case,
    report: &mut MergeReport,
    conflicts: &mut Vec<ConflictKind>,
) -> Renumbering {
    let base_ids: BTreeSet<u64> = base
        .map(|b| b.clusters.keys().map(|id| id.0).collect())
        .unwrap_or_default();
    let mut used: BTreeSet<u64> = mine.clusters.keys().map(|id| id.0).collect();
    used.extend(&base_ids);
    used.extend(mine.conflicts.values().filter_map(|c| match &c.kind {
        ConflictKind::Cluster { id, .. } => Some(id.0),
        _ => None,
    }));
    let alloc = IdAlloc::new(used, theirs.clusters.keys().map(|id| id.0));
    let mut ids = Renumbering {
        map: BTreeMap::new(),
        shared: base_ids,
        alloc,
    };
    let mut b = Building {
        placed: BTreeMap::new(),
        theirs_version: BTreeMap::new(),
        conflicts: BTreeMap::new(),
        added: BTreeSet::new(),
        updated: BTreeSet::new(),
    };
    match base {
        Some(base) => with_base(mine, theirs, base, &mut b, &mut ids, report),
        None => without_base(mine, theirs, &mut b, &mut ids),
    }
    resolve_membership(mine, &mut b);
    report.clusters_added += b
        .added
        .iter()
        .filter(|id| b.placed.contains_key(id))
        .count();
    report.clusters_updated += b
        .updated
        .iter()
        .filter(|id| {
            b.placed
                .get(id)
                .is_some_and(|c| mine.clusters.get(id) != Some(c))
        })
        .count();
    for (id, (m, t)) in std::mem::take(&mut b.conflicts) {
        conflicts.push(ConflictKind::Cluster {
            id,
            mine: m,
            theirs: t,
        });
    }
    out.clusters = b.placed;
    ids
}

/// `cluster` under another id.
fn renumbered(cluster: &Cluster, id: ClusterId) -> Cluster {
    Cluster {
        id,
        ..cluster.clone()
    }
}

/// Places theirs' cluster as a new one (its id kept when free).
fn add_theirs(cluster: &Cluster, b: &mut Building, ids: &mut Renumbering) {
    let id = ClusterId(ids.alloc.keep_or_fresh(cluster.id.0));
    ids.map.insert(cluster.id.0, id.0);
    let placed = renumbered(cluster, id);
    b.theirs_version.insert(id, placed.clone());
    b.placed.insert(id, placed);
    b.added.insert(id);
}

fn with_base(
    mine: &Case,
    theirs: &Case,
    base: &Case,
    b: &mut Building,
    ids: &mut Renumbering,
    report: &mut MergeReport,
) {
    for (id, base_cluster) in &base.clusters {
        let m = mine.clusters.get(id);
        let t = theirs.clusters.get(id);
        if let Some(t) = t {
            ids.map.insert(id.0, id.0);
            b.theirs_version.insert(*id, t.clone());
        }
        match choose(Some(base_cluster), m, t) {
            Choice::Mine => {
                if let Some(m) = m {
                    b.placed.insert(*id, m.clone());
                }
            }
            Choice::Theirs => match t {
                Some(t) => {
                    b.placed.insert(*id, t.clone());
                    b.updated.insert(*id);
                }
                None => report.deletions_applied += 1,
            },
            Choice::Conflict => {
                if let Some(m) = m {
                    b.placed.insert(*id, m.clone());
                }
                b.conflicts.insert(*id, (m.cloned(), t.cloned()));
            }
        }
    }
    for (id, m) in &mine.clusters {
        if !base.clusters.contains_key(id) {
            b.placed.insert(*id, m.clone());
        }
    }
    for (id, t) in &theirs.clusters {
        if !base.clusters.contains_key(id) {
            add_theirs(t, b, ids);
        }
    }
}

/// Equal apart from the members.
fn same_judgement(a: &Cluster, b: &Cluster) -> bool {
    a.label == b.label
        && a.category == b.category
        && a.confidence == b.confidence
        && a.source == b.source
        && a.note == b.note
}

fn without_base(mine: &Case, theirs: &Case, b: &mut Building, ids: &mut Renumbering) {
    b.placed = mine.clusters.clone();
    // Clusters of theirs that mine holds only in an open conflict (not in place), by id.
    let pending: BTreeMap<ClusterId, &Cluster> = mine
        .conflicts
        .values()
        .filter_map(|c| match &c.kind {
            ConflictKind::Cluster {
                id,
                theirs: Some(t),
                ..
            } if !mine.clusters.contains_key(id) => Some((*id, t)),
            _ => None,
        })
        .collect();
    // Theirs' cluster → mine's same cluster: equal id and label first, then an equal label
    // under another id (a cluster an earlier merge renumbered, in place or in a conflict).
    let mut pairs: BTreeMap<ClusterId, ClusterId> = BTreeMap::new();
    for (id, t) in &theirs.clusters {
        if mine.clusters.get(id).is_some_and(|m| m.label == t.label) {
            pairs.insert(*id, *id);
        }
    }
    for (id, t) in &theirs.clusters {
        if pairs.contains_key(id) {
            continue;
        }
        let taken: BTreeSet<ClusterId> = pairs.values().copied().collect();
        let other = mine
            .clusters
            .values()
            .chain(pending.values().copied())
            .find(|m| m.label == t.label && !taken.contains(&m.id));
        if let Some(m) = other {
            pairs.insert(*id, m.id);
        }
    }
    for (id, t) in &theirs.clusters {
        let Some(mine_id) = pairs.get(id).copied() else {
            add_theirs(t, b, ids);
            continue;
        };
        ids.map.insert(id.0, mine_id.0);
        let t = renumbered(t, mine_id);
        b.theirs_version.insert(mine_id, t.clone());
        let Some(m) = mine.clusters.get(&mine_id) else {
            // Still waiting in mine's conflict: list it there again (once), do not place it.
            b.conflicts.insert(mine_id, (None, Some(t)));
            continue;
        };
        if *m == t {
            continue;
        }
        if same_judgement(m, &t) {
            if let Some(placed) = b.placed.get_mut(&m.id) {
                placed.members.extend(t.members.iter().cloned());
                b.updated.insert(m.id);
            }
        } else {
            b.conflicts.insert(m.id, (Some(m.clone()), Some(t)));
        }
    }
}

/// Leaves every node in at most one cluster (see the module doc).
fn resolve_membership(mine: &Case, b: &mut Building) {
    let mut mine_owner: BTreeMap<&NodeId, ClusterId> = BTreeMap::new();
    for cluster in mine.clusters.values() {
        for member in &cluster.members {
            mine_owner.entry(member).or_insert(cluster.id);
        }
    }
    let mut claims: BTreeMap<NodeId, Vec<ClusterId>> = BTreeMap::new();
    for cluster in b.placed.values() {
        for member in &cluster.members {
            claims.entry(member.clone()).or_default().push(cluster.id);
        }
    }
    let mut losers: BTreeSet<ClusterId> = BTreeSet::new();
    for (node, claimants) in claims {
        if claimants.len() < 2 {
            continue;
        }
        let winner = mine_owner
            .get(&node)
            .filter(|owner| claimants.contains(owner))
            .or(claimants.first())
            .copied();
        for loser in claimants.into_iter().filter(|c| Some(*c) != winner) {
            if let Some(cluster) = b.placed.get_mut(&loser) {
                cluster.members.remove(&node);
            }
            losers.insert(loser);
        }
    }
    for loser in losers {
        if b.placed.get(&loser).is_some_and(|c| c.members.is_empty()) {
            b.placed.remove(&loser);
        }
        let in_place = b.placed.get(&loser).cloned();
        let theirs = b.theirs_version.get(&loser).cloned();
        let entry = b.conflicts.entry(loser).or_insert((None, theirs));
        entry.0 = in_place;
    }
}
