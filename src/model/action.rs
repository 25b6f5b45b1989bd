//! The one door for change: every edit to a [`Case`] is an [`Action`] applied by [`apply`].
//!
//! `apply` checks the action against the case first and only then mutates, so a refused action
//! leaves the case untouched. It returns the exact inverse action, which is how undo and redo
//! work: undoing an expansion removes what it added and nothing else. Positions moved by the
//! running layout are view state and are written directly; a user's drag is an action.

pub use super::action_annotations::{HighlightTarget, remove_note};
use super::annotation::{Arrow, ArrowId, EdgeKey, Highlight, Note, NoteId};
use super::case::{Case, Cluster, ClusterId, SourceConfig};
use super::conflict::{Conflict, ConflictId};
use super::finding_record::Dismissal;
use super::node::{Node, NodeId};
use super::tag::{Category, Confidence, Tag};
use super::transfer::{Transfer, TransferId};
use std::collections::BTreeMap;

/// A self-contained piece of a case: new nodes and everything attached to them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fragment {
    /// Nodes to add (must not exist yet).
    pub nodes: Vec<Node>,
    /// Transfers to add (must not exist yet; ends must exist in the case or in `nodes`).
    pub transfers: Vec<Transfer>,
    /// Positions for the new nodes.
    pub positions: Vec<(NodeId, [f32; 2])>,
    /// New nodes that are pinned.
    pub pinned: Vec<NodeId>,
    /// Tags of the new nodes.
    pub tags: Vec<(NodeId, Vec<Tag>)>,
    /// Cluster memberships of the new nodes (clusters must exist).
    pub memberships: Vec<(NodeId, ClusterId)>,
    /// Notes anchored to the new nodes (restored by undoing a removal).
    pub notes: Vec<Note>,
    /// Arrows to the new nodes or notes.
    pub arrows: Vec<Arrow>,
    /// Highlights of the new nodes.
    pub node_highlights: Vec<(NodeId, Highlight)>,
    /// Highlights of edges touching the new nodes.
    pub edge_highlights: Vec<(EdgeKey, Highlight)>,
    /// Conflict records naming the new nodes.
    pub conflicts: Vec<Conflict>,
}

impl Fragment {
    /// True when the fragment adds nothing.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.transfers.is_empty()
    }
}

/// The editable fields of a cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterFields {
    pub label: String,
    pub category: Category,
    pub confidence: Confidence,
    pub source: String,
    pub note: String,
}

impl ClusterFields {
    fn of(cluster: &Cluster) -> ClusterFields {
        ClusterFields {
            label: cluster.label.clone(),
            category: cluster.category.clone(),
            confidence: cluster.confidence,
            source: cluster.source.clone(),
            note: cluster.note.clone(),
        }
    }
}

/// Where a node is and whether it is pinned (`position: None` = no stored position).
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub node: NodeId,
    pub position: Option<[f32; 2]>,
    pub pinned: bool,
}

/// A change to a case.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Add nodes and transfers (add addresses, expand, undo of a removal).
    Insert { label: String, fragment: Fragment },
    /// Remove nodes (with every transfer touching them, their tags, positions and cluster
    /// memberships) and transfers.
    Remove {
        label: String,
        nodes: Vec<NodeId>,
        transfers: Vec<TransferId>,
    },
    /// Create a cluster; its members must exist and be in no other cluster.
    CreateCluster(Cluster),
    /// Delete a cluster (its members stay in the case).
    DeleteCluster(ClusterId),
    /// Change a cluster's label, category, confidence, source or note.
    EditCluster {
        id: ClusterId,
        fields: ClusterFields,
    },
    /// Move nodes into a cluster or out of any (`None`): the explicit way to move a node.
    SetMembership {
        changes: Vec<(NodeId, Option<ClusterId>)>,
    },
    /// Move and/or pin nodes.
    Place {
        label: String,
        placements: Vec<Placement>,
    },
    /// Replace the tags of nodes.
    SetTags {
        label: String,
        entries: Vec<(NodeId, Vec<Tag>)>,
    },
    /// Change the case title and description.
    SetMeta { title: String, description: String },
    /// Change which data source expands the case.
    SetSource(SourceConfig),
    /// Set (`Some`) or clear (`None`, back to the default) the source of one chain.
    SetChainSource {
        chain: String,
        source: Option<SourceConfig>,
    },
    /// Add, change or delete (`None`) a note. A note with arrows cannot be deleted alone
    /// (see [`remove_note`]).
    SetNote { id: NoteId, note: Option<Note> },
    /// Add, change or delete (`None`) an arrow.
    SetArrow { id: ArrowId, arrow: Option<Arrow> },
    /// Set or clear the highlight of a node or edge.
    SetHighlight {
        target: HighlightTarget,
        color: Option<Highlight>,
    },
    /// Record or clear (`None`, when resolved) a merge conflict.
    SetConflict {
        id: ConflictId,
        conflict: Option<Conflict>,
    },
    /// Dismiss a finding (`Some`) or take a dismissal back (`None`).
    SetDismissal {
        fingerprint: String,
        dismissal: Option<Dismissal>,
    },
    /// Replace the facts of a node already in the case (balance, transaction count,
    /// provenance, gaps), as a later fetch of it read them; its id and kind stay.
    RefreshNode { label: String, node: Node },
    /// Replace the whole case (a merge); the inverse puts the previous case back.
    ReplaceCase { label: String, case: Box<Case> },
    /// Several actions as one undo step.
    Batch { label: String, actions: Vec<Action> },
}

/// Why an action was refused. The case is unchanged when this is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    #[error("node {0} is already in the case")]
    NodeExists(NodeId),
    #[error("node {0} is not in the case")]
    UnknownNode(NodeId),
    #[error("transfer {0} is already in the case")]
    TransferExists(TransferId),
    #[error("transfer {0} is not in the case")]
    UnknownTransfer(TransferId),
    #[error("transfer {transfer} names node {node}, which is not in the case")]
    DanglingTransfer { transfer: TransferId, node: NodeId },
    #[error("cluster {0:?} is not in the case")]
    UnknownCluster(ClusterId),
    #[error("cluster {0:?} already exists")]
    ClusterExists(ClusterId),
    #[error("node {node} is already in cluster \"{cluster}\"; move it explicitly")]
    AlreadyClustered { node: NodeId, cluster: String },
    #[error("a cluster needs at least one member")]
    EmptyCluster,
    #[error("a cluster needs a label")]
    EmptyLabel,
    #[error("position of {0} is not a finite number")]
    BadPosition(NodeId),
    #[error("{0:?} is not a chain (btc, eth, evm<chain id>)")]
    UnknownChain(String),
    #[error("{0}")]
    BadAnnotation(String),
    #[error("the new case is inconsistent: {0}")]
    InconsistentCase(String),
    #[error(
        "{cause}; undoing the parts already applied failed too ({rollback}): the case may be partly changed, please report"
    )]
    RollbackFailed {
        cause: Box<ActionError>,
        rollback: Box<ActionError>,
    },
}

impl Action {
    /// Short description for menus and the status bar ("Expand …", "Tag cluster …").
    pub fn describe(&self) -> String {
        match self {
            Action::Insert { label, .. }
            | Action::Remove { label, .. }
            | Action::Place { label, .. }
            | Action::SetTags { label, .. }
            | Action::RefreshNode { label, .. }
            | Action::ReplaceCase { label, .. }
            | Action::Batch { label, .. } => label.clone(),
            Action::CreateCluster(c) => format!("create cluster \"{}\"", c.label),
            Action::DeleteCluster(_) => "delete cluster".to_owned(),
            Action::EditCluster { fields, .. } => format!("edit cluster \"{}\"", fields.label),
            Action::SetMembership { changes } => {
                format!("move {} node(s) between clusters", changes.len())
            }
            Action::SetMeta { .. } => "edit case details".to_owned(),
            Action::SetSource(source) => format!("use source {}", source.name()),
            Action::SetNote { note, .. } => match note {
                Some(note) => format!("note \"{}\"", first_line(&note.text)),
                None => "delete note".to_owned(),
            },
            Action::SetArrow { arrow, .. } => match arrow {
                Some(_) => "draw arrow".to_owned(),
                None => "delete arrow".to_owned(),
            },
            Action::SetHighlight { target, color } => {
                let what = match target {
                    HighlightTarget::Node(node) => node.to_string(),
                    HighlightTarget::Edge(edge) => format!("{} → {}", edge.from, edge.to),
                };
                match color {
                    Some(color) => format!("highlight {what} {}", color.name()),
                    None => format!("clear highlight of {what}"),
                }
            }
            Action::SetConflict { conflict, id } => match conflict {
                Some(c) => format!("record conflict: {}", c.describe()),
                None => format!("resolve conflict {}", id.0),
            },
            Action::SetDismissal {
                fingerprint,
                dismissal,
            } => match dismissal {
                Some(d) => format!("dismiss finding {} ({})", fingerprint, d.method),
                None => format!("restore finding {fingerprint}"),
            },
            Action::SetChainSource { chain, source } => match source {
                Some(source) => format!("use source {} for {chain}", source.name()),
                None => format!("use the default source for {chain}"),
            },
        }
    }
}

/// Applies `action` to `case`. On success returns the inverse action; on error the case is
/// unchanged.
pub fn apply(case: &mut Case, action: Action) -> Result<Action, ActionError> {
    match action {
        Action::Insert { label, fragment } => super::action_fragment::insert(case, label, fragment),
        Action::Remove {
            label,
            nodes,
            transfers,
        } => super::action_fragment::remove(case, label, nodes, transfers),
        Action::CreateCluster(cluster) => create_cluster(case, cluster),
        Action::DeleteCluster(id) => {
            let cluster = case
                .clusters
                .remove(&id)
                .ok_or(ActionError::UnknownCluster(id))?;
            Ok(Action::CreateCluster(cluster))
        }
        Action::EditCluster { id, fields } => {
            if fields.label.trim().is_empty() {
                return Err(ActionError::EmptyLabel);
            }
            let cluster = case
                .clusters
                .get_mut(&id)
                .ok_or(ActionError::UnknownCluster(id))?;
            let old = ClusterFields::of(cluster);
            cluster.label = fields.label;
            cluster.category = fields.category;
            cluster.confidence = fields.confidence;
            cluster.source = fields.source;
            cluster.note = fields.note;
            Ok(Action::EditCluster { id, fields: old })
        }
        Action::SetMembership { changes } => set_membership(case, changes),
        Action::Place { label, placements } => place(case, label, placements),
        Action::SetTags { label, entries } => {
            for (node, _) in &entries {
                if !case.nodes.contains_key(node) {
                    return Err(ActionError::UnknownNode(node.clone()));
                }
            }
            let mut old = Vec::with_capacity(entries.len());
            for (node, tags) in entries {
                let previous = if tags.is_empty() {
                    case.tags.remove(&node)
                } else {
                    case.tags.insert(node.clone(), tags)
                };
                old.push((node, previous.unwrap_or_default()));
            }
            old.reverse();
            Ok(Action::SetTags {
                label,
                entries: old,
            })
        }
        Action::SetMeta { title, description } => {
            let old_title = std::mem::replace(&mut case.meta.title, title);
            let old_description = std::mem::replace(&mut case.meta.description, description);
            Ok(Action::SetMeta {
                title: old_title,
                description: old_description,
            })
        }
        Action::SetSource(source) => Ok(Action::SetSource(std::mem::replace(
            &mut case.source,
            source,
        ))),
        Action::SetChainSource { chain, source } => {
            if crate::model::Chain::from_id_prefix(&chain).is_none() {
                return Err(ActionError::UnknownChain(chain));
            }
            let old = match source {
                Some(source) => case.chain_sources.insert(chain.clone(), source),
                None => case.chain_sources.remove(&chain),
            };
            Ok(Action::SetChainSource { chain, source: old })
        }
        Action::SetNote { id, note } => super::action_annotations::set_note(case, id, note),
        Action::SetArrow { id, arrow } => super::action_annotations::set_arrow(case, id, arrow),
        Action::SetHighlight { target, color } => {
            super::action_annotations::set_highlight(case, target, color)
        }
        Action::SetConflict { id, conflict } => {
            super::action_annotations::set_conflict(case, id, conflict)
        }
        Action::SetDismissal {
            fingerprint,
            dismissal,
        } => {
            if !super::finding_record::is_fingerprint(&fingerprint) {
                return Err(ActionError::BadAnnotation(format!(
                    "not a finding fingerprint: {:?}",
                    fingerprint.chars().take(80).collect::<String>()
                )));
            }
            let old = match dismissal {
                Some(d) => case.findings.dismissed.insert(fingerprint.clone(), d),
                None => case.findings.dismissed.remove(&fingerprint),
            };
            Ok(Action::SetDismissal {
                fingerprint,
                dismissal: old,
            })
        }
        Action::RefreshNode { label, node } => refresh_node(case, label, node),
        Action::ReplaceCase { label, case: new } => {
            if let Some(problem) = new.validate().into_iter().next() {
                return Err(ActionError::InconsistentCase(problem.to_string()));
            }
            let old = std::mem::replace(case, *new);
            Ok(Action::ReplaceCase {
                label,
                case: Box::new(old),
            })
        }
        Action::Batch { label, actions } => {
            let mut inverses = Vec::with_capacity(actions.len());
            for action in actions {
                match apply(case, action) {
                    Ok(inverse) => inverses.push(inverse),
                    Err(err) => {
                        // Roll back what was applied so the case is unchanged. An inverse
                        // always applies to the state it was made from; if one ever does not,
                        // the case is no longer what it was, and that must be said.
                        for inverse in inverses.into_iter().rev() {
                            if let Err(rollback) = apply(case, inverse) {
                                return Err(ActionError::RollbackFailed {
                                    cause: Box::new(err),
                                    rollback: Box::new(rollback),
                                });
                            }
                        }
                        return Err(err);
                    }
                }
            }
            inverses.reverse();
            Ok(Action::Batch {
                label,
                actions: inverses,
            })
        }
    }
}

fn create_cluster(case: &mut Case, cluster: Cluster) -> Result<Action, ActionError> {
    if case.clusters.contains_key(&cluster.id) {
        return Err(ActionError::ClusterExists(cluster.id));
    }
    if cluster.members.is_empty() {
        return Err(ActionError::EmptyCluster);
    }
    if cluster.label.trim().is_empty() {
        return Err(ActionError::EmptyLabel);
    }
    for member in &cluster.members {
        if !case.nodes.contains_key(member) {
            return Err(ActionError::UnknownNode(member.clone()));
        }
        if let Some(other) = case.cluster_of(member) {
            return Err(ActionError::AlreadyClustered {
                node: member.clone(),
                cluster: other.label.clone(),
            });
        }
    }
    let id = cluster.id;
    case.clusters.insert(id, cluster);
    Ok(Action::DeleteCluster(id))
}

/// Replaces the facts of a node in the case; its id must be known and its kind unchanged. The
/// inverse puts the previous facts back.
fn refresh_node(case: &mut Case, label: String, node: Node) -> Result<Action, ActionError> {
    let Some(current) = case.nodes.get_mut(&node.id) else {
        return Err(ActionError::UnknownNode(node.id));
    };
    if current.kind != node.kind {
        return Err(ActionError::InconsistentCase(format!(
            "node {} would change kind",
            node.id
        )));
    }
    let previous = std::mem::replace(current, node);
    Ok(Action::RefreshNode {
        label,
        node: previous,
    })
}

fn set_membership(
    case: &mut Case,
    changes: Vec<(NodeId, Option<ClusterId>)>,
) -> Result<Action, ActionError> {
    for (node, target) in &changes {
        if !case.nodes.contains_key(node) {
            return Err(ActionError::UnknownNode(node.clone()));
        }
        if let Some(cluster) = target
            && !case.clusters.contains_key(cluster)
        {
            return Err(ActionError::UnknownCluster(*cluster));
        }
    }
    let mut old = Vec::with_capacity(changes.len());
    for (node, target) in changes {
        let previous = case.cluster_of(&node).map(|c| c.id);
        for cluster in case.clusters.values_mut() {
            cluster.members.remove(&node);
        }
        if let Some(cluster) = target.and_then(|id| case.clusters.get_mut(&id)) {
            cluster.members.insert(node.clone());
        }
        old.push((node, previous));
    }
    old.reverse();
    Ok(Action::SetMembership { changes: old })
}

fn place(
    case: &mut Case,
    label: String,
    placements: Vec<Placement>,
) -> Result<Action, ActionError> {
    for p in &placements {
        if !case.nodes.contains_key(&p.node) {
            return Err(ActionError::UnknownNode(p.node.clone()));
        }
        if p.position
            .is_some_and(|pos| !pos.iter().all(|v| v.is_finite()))
        {
            return Err(ActionError::BadPosition(p.node.clone()));
        }
    }
    let mut old = Vec::with_capacity(placements.len());
    for p in placements {
        old.push(Placement {
            node: p.node.clone(),
            position: case.layout.positions.get(&p.node).copied(),
            pinned: case.layout.pinned.contains(&p.node),
        });
        match p.position {
            Some(pos) => {
                case.layout.positions.insert(p.node.clone(), pos);
            }
            None => {
                case.layout.positions.remove(&p.node);
            }
        }
        if p.pinned {
            case.layout.pinned.insert(p.node);
        } else {
            case.layout.pinned.remove(&p.node);
        }
    }
    old.reverse();
    Ok(Action::Place {
        label,
        placements: old,
    })
}

/// Nodes grouped by cluster id, for callers that need membership lookups in bulk.
pub fn memberships(case: &Case) -> BTreeMap<NodeId, ClusterId> {
    case.clusters
        .values()
        .flat_map(|c| c.members.iter().map(move |m| (m.clone(), c.id)))
        .collect()
}

/// The first line of `text`, shortened for menus.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    let mut short: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        short.push('…');
    }
    short
}
