//! The case: everything an investigator sees, in one value.
//!
//! Maps are `BTreeMap`/`BTreeSet` so iteration and serialisation order are deterministic (two
//! saves of the same case are byte-identical and diff cleanly). [`Case::validate`] checks the
//! cross-references that serde cannot (transfers naming unknown nodes, a node in two clusters).

use super::annotation::Annotations;
use super::conflict::{Conflict, ConflictId};
use super::history::HistoryEntry;
use super::node::{Node, NodeId};
use super::tag::{Category, Confidence, Tag};
use super::transfer::{Transfer, TransferId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Title, description and dates of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CaseMeta {
    /// Case title, shown in the window title.
    pub title: String,
    /// Free-text description.
    #[serde(default)]
    pub description: String,
    /// Unix seconds when the case was created.
    #[serde(default)]
    pub created: i64,
    /// Unix seconds when the case was last saved.
    #[serde(default)]
    pub modified: i64,
    /// Investigators who changed the case (names from their settings).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub contributors: BTreeSet<String>,
}

/// Id of a cluster, unique within a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClusterId(pub u64);

/// A named group of nodes that the investigator judges to be one actor, with one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cluster {
    /// Id.
    pub id: ClusterId,
    /// Label shown on the canvas.
    pub label: String,
    /// Category (colours members).
    pub category: Category,
    /// Confidence of the judgement.
    pub confidence: Confidence,
    /// Source or reason.
    #[serde(default)]
    pub source: String,
    /// Free-text note.
    #[serde(default)]
    pub note: String,
    /// Members (a node belongs to at most one cluster).
    pub members: BTreeSet<NodeId>,
}

/// Node positions in canvas units and the nodes the user pinned.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LayoutState {
    /// Position of each node, keyed by id.
    pub positions: BTreeMap<NodeId, [f32; 2]>,
    /// Nodes the layout must not move.
    #[serde(default)]
    pub pinned: BTreeSet<NodeId>,
}

/// Zoom and pan of the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseView {
    /// Screen pixels per canvas unit.
    pub zoom: f32,
    /// Screen offset of the canvas origin.
    pub pan: [f32; 2],
    /// What the graph shows (saved with the view; absent in older files = no filter).
    #[serde(default, skip_serializing_if = "is_no_filter")]
    pub filter: super::GraphFilter,
}

fn is_no_filter(filter: &super::GraphFilter) -> bool {
    *filter == super::GraphFilter::default()
}

impl Default for CaseView {
    fn default() -> Self {
        CaseView {
            zoom: 1.0,
            pan: [0.0, 0.0],
            filter: super::GraphFilter::default(),
        }
    }
}

/// Which data source expands this case. Never holds secrets: API keys live in the user's
/// settings or environment, and URLs are stored with key-like parts redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub enum SourceConfig {
    /// The embedded offline demo ledger.
    #[default]
    Demo,
    /// Bitcoin through an Esplora REST API (electrs, mempool.space, Blockstream).
    Esplora { url: String },
    /// Any Ethereum JSON-RPC node (the user's own node leaks nothing to a third party).
    EvmRpc { url: String },
    /// Etherscan API V2 for an EVM chain (the key comes from settings or the environment).
    Etherscan { chain_id: u64 },
    /// A Blockscout instance's Etherscan-compatible API (no key).
    Blockscout { url: String, chain_id: u64 },
    /// TRON through the TronGrid v1 API (TronGrid itself or a server answering its paths; the
    /// key comes from settings or the environment).
    Tron { url: String },
    /// A GraphSense REST API (a team's own instance or the hosted one): Bitcoin, Ethereum and
    /// TRON relations, entities and tags (the key comes from settings or the environment).
    GraphSense { url: String },
}

impl SourceConfig {
    /// Short name for the status bar.
    pub fn name(&self) -> String {
        match self {
            SourceConfig::Demo => "demo ledger (offline, synthetic)".to_owned(),
            SourceConfig::Esplora { url } => format!("Esplora {url}"),
            SourceConfig::EvmRpc { url } => format!("Ethereum RPC {url}"),
            SourceConfig::Etherscan { chain_id } => format!("Etherscan (chain {chain_id})"),
            SourceConfig::Blockscout { url, .. } => format!("Blockscout {url}"),
            SourceConfig::Tron { url } => format!("TronGrid {url}"),
            SourceConfig::GraphSense { url } => format!("GraphSense {url}"),
        }
    }

    /// True when queries leave the machine for a public third-party service.
    pub fn is_public_service(&self) -> bool {
        match self {
            SourceConfig::Demo => false,
            SourceConfig::Etherscan { .. } => true,
            SourceConfig::Esplora { url }
            | SourceConfig::EvmRpc { url }
            | SourceConfig::Blockscout { url, .. }
            | SourceConfig::Tron { url }
            | SourceConfig::GraphSense { url } => {
                !(url.contains("://127.")
                    || url.contains("://localhost")
                    || url.contains("://[::1]"))
            }
        }
    }
}

/// The whole case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Case {
    /// Metadata.
    pub meta: CaseMeta,
    /// Nodes by id.
    pub nodes: BTreeMap<NodeId, Node>,
    /// Transfers by id.
    pub transfers: BTreeMap<TransferId, Transfer>,
    /// Tags on nodes (several opinions per node allowed).
    #[serde(default)]
    pub tags: BTreeMap<NodeId, Vec<Tag>>,
    /// Clusters by id.
    #[serde(default)]
    pub clusters: BTreeMap<ClusterId, Cluster>,
    /// Positions and pins.
    #[serde(default)]
    pub layout: LayoutState,
    /// Zoom and pan.
    #[serde(default)]
    pub view: CaseView,
    /// Data source used to expand the case (the default for every chain).
    #[serde(default)]
    pub source: SourceConfig,
    /// Sources for particular chains, by node-id prefix (`btc`, `eth`, `evm137`); a chain
    /// not listed uses [`Case::source`].
    #[serde(default)]
    pub chain_sources: BTreeMap<String, SourceConfig>,
    /// Notes, arrows and highlights.
    #[serde(default)]
    pub annotations: Annotations,
    /// Merge conflicts waiting for the investigator.
    #[serde(default)]
    pub conflicts: BTreeMap<ConflictId, Conflict>,
    /// The audit trail, oldest first.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// Analysis records: dismissed findings.
    #[serde(default)]
    pub findings: super::FindingRecords,
}

/// A broken cross-reference inside a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseProblem {
    /// A node stored under another id than its own.
    #[error("node stored under {key} has id {id}")]
    NodeKeyMismatch { key: NodeId, id: NodeId },
    /// A transfer stored under another id than its own.
    #[error("transfer stored under {key} has id {id}")]
    TransferKeyMismatch { key: TransferId, id: TransferId },
    /// A transfer naming a node that is not in the case.
    #[error("transfer {transfer} names unknown node {node}")]
    TransferUnknownNode { transfer: TransferId, node: NodeId },
    /// A tag on a node that is not in the case.
    #[error("tags name unknown node {0}")]
    TagUnknownNode(NodeId),
    /// A cluster stored under another id than its own.
    #[error("cluster stored under {key:?} has id {id:?}")]
    ClusterKeyMismatch { key: ClusterId, id: ClusterId },
    /// A cluster member that is not in the case.
    #[error("cluster {cluster:?} names unknown node {node}")]
    ClusterUnknownNode { cluster: ClusterId, node: NodeId },
    /// A node in two clusters.
    #[error("node {node} is in two clusters ({first:?} and {second:?})")]
    NodeInTwoClusters {
        node: NodeId,
        first: ClusterId,
        second: ClusterId,
    },
    /// A position for a node that is not in the case.
    #[error("layout has a position for unknown node {0}")]
    PositionUnknownNode(NodeId),
    /// A position that is NaN or infinite.
    #[error("layout position of {0} is not a finite number")]
    PositionNotFinite(NodeId),
    /// A pinned node that is not in the case.
    #[error("layout pins unknown node {0}")]
    PinnedUnknownNode(NodeId),
    /// Zoom not positive and finite, or pan not finite.
    #[error("view zoom/pan is not a positive finite number")]
    BadView,
    /// A per-chain source under a key that names no chain.
    #[error("chain_sources has {0:?}, which is not a chain (btc, eth, evm<chain id>)")]
    UnknownChain(String),
    /// A note, arrow, highlight or conflict naming a node that is not in the case.
    #[error("{what} names unknown node {node}")]
    AnnotationUnknownNode { what: String, node: NodeId },
    /// An arrow naming a note that is not in the case.
    #[error("arrow {arrow} names unknown note {note}")]
    ArrowUnknownNote { arrow: u64, note: u64 },
    /// A note, arrow or conflict stored under another id than its own, or a bad position.
    #[error("{0}")]
    BadAnnotation(String),
}

impl Case {
    /// An empty case with a title.
    pub fn new(title: &str, now: i64) -> Case {
        Case {
            meta: CaseMeta {
                title: title.to_owned(),
                created: now,
                modified: now,
                ..CaseMeta::default()
            },
            ..Case::default()
        }
    }

    /// The cluster a node belongs to, if any.
    pub fn cluster_of(&self, node: &NodeId) -> Option<&Cluster> {
        self.clusters.values().find(|c| c.members.contains(node))
    }

    /// Transfers touching `node` (either end), in id order.
    pub fn transfers_of<'a>(&'a self, node: &'a NodeId) -> impl Iterator<Item = &'a Transfer> + 'a {
        self.transfers
            .values()
            .filter(move |t| &t.from == node || &t.to == node)
    }

    /// The source that serves `chain` (its id prefix, `btc`/`eth`/`evm137`).
    pub fn source_for_chain(&self, chain_prefix: &str) -> &SourceConfig {
        self.chain_sources.get(chain_prefix).unwrap_or(&self.source)
    }

    /// True when some chain of the case is read from the offline demo ledger.
    pub fn uses_demo_source(&self) -> bool {
        self.source == SourceConfig::Demo
            || self
                .chain_sources
                .values()
                .any(|s| *s == SourceConfig::Demo)
    }

    /// The chains of the case's nodes, as id prefixes, sorted.
    pub fn chain_prefixes(&self) -> BTreeSet<String> {
        let mut chains = BTreeSet::new();
        let mut last: Option<super::chain::Chain> = None;
        for id in self.nodes.keys() {
            if let Some(chain) = id.chain()
                && last != Some(chain)
            {
                chains.insert(chain.id_prefix());
                last = Some(chain);
            }
        }
        chains
    }

    /// The next unused cluster id.
    pub fn next_cluster_id(&self) -> ClusterId {
        ClusterId(self.clusters.keys().next_back().map_or(1, |id| id.0 + 1))
    }

    /// The category that colours a node: its cluster's; else what its tags give it
    /// ([`super::tag::tags_category`]: the investigator's own latest tag, which resolves
    /// disagreements between packs; else the highest-confidence tag).
    pub fn display_category(&self, node: &NodeId) -> Option<&Category> {
        if let Some(cluster) = self.cluster_of(node) {
            return Some(&cluster.category);
        }
        super::tag::tags_category(self.tags.get(node)?)
    }

    /// Checks every cross-reference; returns all problems found (empty = valid).
    pub fn validate(&self) -> Vec<CaseProblem> {
        let mut problems = Vec::new();
        // Mentions are found by the address of their shared text (a big case's transfers,
        // positions and members name nodes hundreds of thousands of times).
        let ranks = super::node_rank::NodeRanks::new(&self.nodes);
        let is_node = |id: &NodeId| ranks.get(id).is_some();
        for (key, node) in &self.nodes {
            if key != &node.id {
                problems.push(CaseProblem::NodeKeyMismatch {
                    key: key.clone(),
                    id: node.id.clone(),
                });
            }
        }
        for (key, t) in &self.transfers {
            if key != &t.id {
                problems.push(CaseProblem::TransferKeyMismatch {
                    key: key.clone(),
                    id: t.id.clone(),
                });
            }
            for end in [&t.from, &t.to] {
                if !is_node(end) {
                    problems.push(CaseProblem::TransferUnknownNode {
                        transfer: t.id.clone(),
                        node: end.clone(),
                    });
                }
            }
        }
        for node in self.tags.keys() {
            if !is_node(node) {
                problems.push(CaseProblem::TagUnknownNode(node.clone()));
            }
        }
        let mut owner: BTreeMap<&NodeId, ClusterId> = BTreeMap::new();
        for (key, cluster) in &self.clusters {
            if key != &cluster.id {
                problems.push(CaseProblem::ClusterKeyMismatch {
                    key: *key,
                    id: cluster.id,
                });
            }
            for member in &cluster.members {
                if !is_node(member) {
                    problems.push(CaseProblem::ClusterUnknownNode {
                        cluster: cluster.id,
                        node: member.clone(),
                    });
                }
                if let Some(first) = owner.insert(member, cluster.id) {
                    problems.push(CaseProblem::NodeInTwoClusters {
                        node: member.clone(),
                        first,
                        second: cluster.id,
                    });
                }
            }
        }
        for (node, pos) in &self.layout.positions {
            if !is_node(node) {
                problems.push(CaseProblem::PositionUnknownNode(node.clone()));
            }
            if !pos.iter().all(|v| v.is_finite()) {
                problems.push(CaseProblem::PositionNotFinite(node.clone()));
            }
        }
        for node in &self.layout.pinned {
            if !is_node(node) {
                problems.push(CaseProblem::PinnedUnknownNode(node.clone()));
            }
        }
        self.validate_annotations(&mut problems);
        for chain in self.chain_sources.keys() {
            if super::chain::Chain::from_id_prefix(chain).is_none() {
                problems.push(CaseProblem::UnknownChain(chain.clone()));
            }
        }
        let view_ok = self.view.zoom.is_finite()
            && self.view.zoom > 0.0
            && self.view.pan.iter().all(|v| v.is_finite());
        if !view_ok {
            problems.push(CaseProblem::BadView);
        }
        problems
    }
}

impl Case {
    /// Every node id an annotation or conflict names, with what names it.
    fn annotation_nodes(&self) -> Vec<(String, &NodeId)> {
        let a = &self.annotations;
        let mut named = Vec::new();
        for note in a.notes.values() {
            if let Some(anchor) = &note.anchor {
                named.push((format!("note {}", note.id.0), anchor));
            }
        }
        for arrow in a.arrows.values() {
            for end in [&arrow.from, &arrow.to] {
                if let super::annotation::ArrowEnd::Node(node) = end {
                    named.push((format!("arrow {}", arrow.id.0), node));
                }
            }
        }
        for node in a.node_highlights.keys() {
            named.push(("a highlight".to_owned(), node));
        }
        for edge in a.edge_highlights.keys() {
            named.push(("an edge highlight".to_owned(), &edge.from));
            named.push(("an edge highlight".to_owned(), &edge.to));
        }
        for conflict in self.conflicts.values() {
            if let super::conflict::ConflictKind::Tags { node, .. } = &conflict.kind {
                named.push((format!("conflict {}", conflict.id.0), node));
            }
        }
        named
    }

    fn validate_annotations(&self, problems: &mut Vec<CaseProblem>) {
        for (what, node) in self.annotation_nodes() {
            if !self.nodes.contains_key(node) {
                problems.push(CaseProblem::AnnotationUnknownNode {
                    what,
                    node: node.clone(),
                });
            }
        }
        let a = &self.annotations;
        for (key, note) in &a.notes {
            if key != &note.id {
                problems.push(CaseProblem::BadAnnotation(format!(
                    "note stored under {} has id {}",
                    key.0, note.id.0
                )));
            }
            if !note.position.iter().all(|v| v.is_finite()) {
                problems.push(CaseProblem::BadAnnotation(format!(
                    "note {} has a position that is not a finite number",
                    note.id.0
                )));
            }
        }
        for (key, arrow) in &a.arrows {
            if key != &arrow.id {
                problems.push(CaseProblem::BadAnnotation(format!(
                    "arrow stored under {} has id {}",
                    key.0, arrow.id.0
                )));
            }
            for end in [&arrow.from, &arrow.to] {
                if let super::annotation::ArrowEnd::Note(note) = end
                    && !a.notes.contains_key(note)
                {
                    problems.push(CaseProblem::ArrowUnknownNote {
                        arrow: arrow.id.0,
                        note: note.0,
                    });
                }
            }
        }
        for (key, conflict) in &self.conflicts {
            if key != &conflict.id {
                problems.push(CaseProblem::BadAnnotation(format!(
                    "conflict stored under {} has id {}",
                    key.0, conflict.id.0
                )));
            }
        }
    }

    /// Every node id the annotations and conflicts name (for the case-file id checks).
    pub fn annotation_node_ids(&self) -> impl Iterator<Item = &NodeId> {
        self.annotation_nodes().into_iter().map(|(_, node)| node)
    }
}
