//! Inserting and removing fragments, the two actions behind expansion, load, delete and their
//! undo: every id and reference is checked against the case before anything changes, and the
//! inverse (the exact fragment removed, or the ids inserted) is returned.

use super::action::{Action, ActionError, Fragment};
use super::annotation::{ArrowEnd, ArrowId, NoteId};
use super::case::Case;
use super::conflict::ConflictId;
use super::node::NodeId;
use super::transfer::TransferId;
use std::collections::BTreeSet;

/// The annotation parts of an insert: new ids, ends that exist (in the case or the fragment).
fn check_fragment_annotations(
    case: &Case,
    fragment: &Fragment,
    known: &dyn Fn(&NodeId) -> bool,
) -> Result<(), ActionError> {
    let exists = |what: String| Err(ActionError::BadAnnotation(format!("{what} already exists")));
    let new_notes: BTreeSet<NoteId> = fragment.notes.iter().map(|n| n.id).collect();
    for note in &fragment.notes {
        if case.annotations.notes.contains_key(&note.id) {
            return exists(format!("note {}", note.id.0));
        }
        if let Some(anchor) = &note.anchor
            && !known(anchor)
        {
            return Err(ActionError::UnknownNode(anchor.clone()));
        }
    }
    for arrow in &fragment.arrows {
        if case.annotations.arrows.contains_key(&arrow.id) {
            return exists(format!("arrow {}", arrow.id.0));
        }
        for end in [&arrow.from, &arrow.to] {
            let ok = match end {
                ArrowEnd::Node(node) => known(node),
                ArrowEnd::Note(note) => {
                    new_notes.contains(note) || case.annotations.notes.contains_key(note)
                }
            };
            if !ok {
                return Err(ActionError::BadAnnotation(format!(
                    "arrow {} names a missing end",
                    arrow.id.0
                )));
            }
        }
    }
    let highlighted = fragment.node_highlights.iter().map(|(n, _)| n).chain(
        fragment
            .edge_highlights
            .iter()
            .flat_map(|(e, _)| [&e.from, &e.to]),
    );
    for node in highlighted {
        if !known(node) {
            return Err(ActionError::UnknownNode(node.clone()));
        }
    }
    for conflict in &fragment.conflicts {
        if case.conflicts.contains_key(&conflict.id) {
            return exists(format!("conflict {}", conflict.id.0));
        }
    }
    Ok(())
}

pub(super) fn insert(
    case: &mut Case,
    label: String,
    fragment: Fragment,
) -> Result<Action, ActionError> {
    let mut new_nodes = BTreeSet::new();
    for node in &fragment.nodes {
        if case.nodes.contains_key(&node.id) || !new_nodes.insert(node.id.clone()) {
            return Err(ActionError::NodeExists(node.id.clone()));
        }
    }
    let known = |id: &NodeId| new_nodes.contains(id) || case.nodes.contains_key(id);
    let mut new_transfers = BTreeSet::new();
    for t in &fragment.transfers {
        if case.transfers.contains_key(&t.id) || !new_transfers.insert(t.id.clone()) {
            return Err(ActionError::TransferExists(t.id.clone()));
        }
        for end in [&t.from, &t.to] {
            if !known(end) {
                return Err(ActionError::DanglingTransfer {
                    transfer: t.id.clone(),
                    node: end.clone(),
                });
            }
        }
    }
    for (node, pos) in &fragment.positions {
        if !new_nodes.contains(node) {
            return Err(ActionError::UnknownNode(node.clone()));
        }
        if !pos.iter().all(|v| v.is_finite()) {
            return Err(ActionError::BadPosition(node.clone()));
        }
    }
    for node in fragment
        .pinned
        .iter()
        .chain(fragment.tags.iter().map(|(n, _)| n))
    {
        if !new_nodes.contains(node) {
            return Err(ActionError::UnknownNode(node.clone()));
        }
    }
    for (node, cluster) in &fragment.memberships {
        if !new_nodes.contains(node) {
            return Err(ActionError::UnknownNode(node.clone()));
        }
        if !case.clusters.contains_key(cluster) {
            return Err(ActionError::UnknownCluster(*cluster));
        }
    }

    check_fragment_annotations(case, &fragment, &known)?;

    let node_ids: Vec<NodeId> = fragment.nodes.iter().map(|n| n.id.clone()).collect();
    let transfer_ids: Vec<TransferId> = fragment.transfers.iter().map(|t| t.id.clone()).collect();
    for node in fragment.nodes {
        case.nodes.insert(node.id.clone(), node);
    }
    for t in fragment.transfers {
        case.transfers.insert(t.id.clone(), t);
    }
    for (node, pos) in fragment.positions {
        case.layout.positions.insert(node, pos);
    }
    case.layout.pinned.extend(fragment.pinned);
    for (node, tags) in fragment.tags {
        if !tags.is_empty() {
            case.tags.insert(node, tags);
        }
    }
    for (node, cluster) in fragment.memberships {
        if let Some(c) = case.clusters.get_mut(&cluster) {
            c.members.insert(node);
        }
    }
    let a = &mut case.annotations;
    for note in fragment.notes {
        a.notes.insert(note.id, note);
    }
    for arrow in fragment.arrows {
        a.arrows.insert(arrow.id, arrow);
    }
    a.node_highlights.extend(fragment.node_highlights);
    a.edge_highlights.extend(fragment.edge_highlights);
    for conflict in fragment.conflicts {
        case.conflicts.insert(conflict.id, conflict);
    }
    Ok(Action::Remove {
        label,
        nodes: node_ids,
        transfers: transfer_ids,
    })
}

pub(super) fn remove(
    case: &mut Case,
    label: String,
    nodes: Vec<NodeId>,
    transfers: Vec<TransferId>,
) -> Result<Action, ActionError> {
    for node in &nodes {
        if !case.nodes.contains_key(node) {
            return Err(ActionError::UnknownNode(node.clone()));
        }
    }
    for t in &transfers {
        if !case.transfers.contains_key(t) {
            return Err(ActionError::UnknownTransfer(t.clone()));
        }
    }
    let node_set: BTreeSet<&NodeId> = nodes.iter().collect();
    let mut transfer_set: BTreeSet<TransferId> = transfers.into_iter().collect();
    for t in case.transfers.values() {
        if node_set.contains(&t.from) || node_set.contains(&t.to) {
            transfer_set.insert(t.id.clone());
        }
    }

    let mut fragment = Fragment::default();
    for id in &transfer_set {
        if let Some(t) = case.transfers.remove(id) {
            fragment.transfers.push(t);
        }
    }
    let mut seen = BTreeSet::new();
    for id in nodes {
        if !seen.insert(id.clone()) {
            continue;
        }
        if let Some(node) = case.nodes.remove(&id) {
            fragment.nodes.push(node);
        }
        if let Some(pos) = case.layout.positions.remove(&id) {
            fragment.positions.push((id.clone(), pos));
        }
        if case.layout.pinned.remove(&id) {
            fragment.pinned.push(id.clone());
        }
        if let Some(tags) = case.tags.remove(&id) {
            fragment.tags.push((id.clone(), tags));
        }
        for cluster in case.clusters.values_mut() {
            if cluster.members.remove(&id) {
                fragment.memberships.push((id.clone(), cluster.id));
            }
        }
    }
    let removed: BTreeSet<NodeId> = fragment.nodes.iter().map(|n| n.id.clone()).collect();
    take_annotations(case, &removed, &mut fragment);
    Ok(Action::Insert { label, fragment })
}

/// Moves the annotations and conflict records that name a removed node into `fragment`.
fn take_annotations(case: &mut Case, gone: &BTreeSet<NodeId>, fragment: &mut Fragment) {
    let a = &mut case.annotations;
    let note_ids: Vec<NoteId> = a
        .notes
        .values()
        .filter(|n| n.anchor.as_ref().is_some_and(|x| gone.contains(x)))
        .map(|n| n.id)
        .collect();
    let arrow_ids: Vec<ArrowId> = a
        .arrows
        .values()
        .filter(|arrow| {
            [&arrow.from, &arrow.to].iter().any(|end| match end {
                ArrowEnd::Node(node) => gone.contains(node),
                ArrowEnd::Note(note) => note_ids.contains(note),
            })
        })
        .map(|arrow| arrow.id)
        .collect();
    fragment.arrows = arrow_ids
        .iter()
        .filter_map(|id| a.arrows.remove(id))
        .collect();
    fragment.notes = note_ids
        .iter()
        .filter_map(|id| a.notes.remove(id))
        .collect();
    a.node_highlights.retain(|node, color| {
        let keep = !gone.contains(node);
        if !keep {
            fragment.node_highlights.push((node.clone(), *color));
        }
        keep
    });
    a.edge_highlights.retain(|edge, color| {
        let keep = !gone.contains(&edge.from) && !gone.contains(&edge.to);
        if !keep {
            fragment.edge_highlights.push((edge.clone(), *color));
        }
        keep
    });
    let conflict_ids: Vec<ConflictId> = case
        .conflicts
        .values()
        .filter(|c| match &c.kind {
            super::conflict::ConflictKind::Tags { node, .. } => gone.contains(node),
            _ => false,
        })
        .map(|c| c.id)
        .collect();
    fragment.conflicts = conflict_ids
        .iter()
        .filter_map(|id| case.conflicts.remove(id))
        .collect();
}
