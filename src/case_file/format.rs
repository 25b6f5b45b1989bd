//! The on-disk shape of a case file (format 1), separate from the in-memory [`Case`].
//!
//! Writing borrows the case ([`CaseFileRef`]), so saving neither clones nor changes it. Nodes,
//! transfers and clusters are lists sorted by id (taken from the case's `BTreeMap`s) and maps
//! are written in key order, so the output is deterministic. Reading fills [`CaseFileData`],
//! refusing a repeated id or map key while parsing (plain serde would keep the last one
//! silently), so the error can point at its line; the remaining checks follow in `load`.

use super::error::CaseFileErrorKind;
use crate::model::{
    Annotations, Case, CaseMeta, CaseView, Cluster, ClusterId, Conflict, ConflictId,
    FindingRecords, HistoryEntry, Node, NodeId, SourceConfig, Tag, Transfer, TransferId,
};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::Serializer;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::btree_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::marker::PhantomData;

/// Name of the top-level struct (RON allows, but Caseboard does not write, `CaseFile(…)`).
pub(crate) const TOP_NAME: &str = "CaseFile";

/// A case as written: borrowed from the [`Case`], field order = file order.
#[derive(Serialize)]
#[serde(rename = "CaseFile")]
pub(crate) struct CaseFileRef<'a> {
    pub format: u32,
    /// SHA-256 of the file without this line (see `integrity`); empty while it is computed.
    pub content_hash: &'a str,
    pub meta: &'a CaseMeta,
    pub source: &'a SourceConfig,
    pub chain_sources: &'a BTreeMap<String, SourceConfig>,
    #[serde(serialize_with = "values_as_seq")]
    pub nodes: &'a BTreeMap<NodeId, Node>,
    #[serde(serialize_with = "values_as_seq")]
    pub transfers: &'a BTreeMap<TransferId, Transfer>,
    pub tags: &'a BTreeMap<NodeId, Vec<Tag>>,
    #[serde(serialize_with = "values_as_seq")]
    pub clusters: &'a BTreeMap<ClusterId, Cluster>,
    pub layout: LayoutRef<'a>,
    pub view: &'a CaseView,
    pub annotations: &'a Annotations,
    #[serde(serialize_with = "values_as_seq")]
    pub conflicts: &'a BTreeMap<ConflictId, Conflict>,
    pub history: &'a [HistoryEntry],
    pub findings: &'a FindingRecords,
}

/// The layout as written.
#[derive(Serialize)]
pub(crate) struct LayoutRef<'a> {
    pub positions: &'a BTreeMap<NodeId, [f32; 2]>,
    pub pinned: &'a BTreeSet<NodeId>,
}

impl<'a> CaseFileRef<'a> {
    /// Borrows `case` for writing in the current format.
    pub fn new(case: &'a Case) -> CaseFileRef<'a> {
        CaseFileRef {
            format: super::FORMAT_VERSION,
            content_hash: "",
            meta: &case.meta,
            source: &case.source,
            chain_sources: &case.chain_sources,
            nodes: &case.nodes,
            transfers: &case.transfers,
            tags: &case.tags,
            clusters: &case.clusters,
            layout: LayoutRef {
                positions: &case.layout.positions,
                pinned: &case.layout.pinned,
            },
            view: &case.view,
            annotations: &case.annotations,
            conflicts: &case.conflicts,
            history: &case.history,
            findings: &case.findings,
        }
    }
}

fn values_as_seq<K, V: Serialize, S: Serializer>(
    map: &&BTreeMap<K, V>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(map.values())
}

/// A format-1 or format-2 case as read (format 1 is format 2 without the fields marked
/// "format 2", which then take their defaults): ids unique (checked while parsing, so a
/// duplicate is reported at its place in the text), nothing else checked yet.
#[derive(Deserialize)]
#[serde(rename = "CaseFile", deny_unknown_fields)]
pub(crate) struct CaseFileData {
    #[allow(dead_code)] // checked by the format probe before this is read
    pub format: u32,
    /// Format 2; checked on the raw text by `integrity::check`, not from here.
    #[allow(dead_code)]
    #[serde(default)]
    pub content_hash: String,
    pub meta: CaseMeta,
    #[serde(default)]
    pub source: SourceConfig,
    /// Format 2.
    #[serde(default)]
    pub chain_sources: BTreeMap<String, SourceConfig>,
    #[serde(default, deserialize_with = "unique_list")]
    pub nodes: BTreeMap<NodeId, Node>,
    #[serde(default, deserialize_with = "unique_list")]
    pub transfers: BTreeMap<TransferId, Transfer>,
    #[serde(default, deserialize_with = "unique_tags")]
    pub tags: BTreeMap<NodeId, Vec<Tag>>,
    #[serde(default, deserialize_with = "unique_list")]
    pub clusters: BTreeMap<ClusterId, Cluster>,
    #[serde(default)]
    pub layout: LayoutData,
    #[serde(default)]
    pub view: CaseView,
    /// Format 2.
    #[serde(default)]
    pub annotations: Annotations,
    /// Format 2.
    #[serde(default, deserialize_with = "unique_list")]
    pub conflicts: BTreeMap<ConflictId, Conflict>,
    /// Format 2.
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    /// Format 2 (added later; absent = nothing dismissed).
    #[serde(default)]
    pub findings: FindingRecords,
}

/// The layout as read.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(crate) struct LayoutData {
    #[serde(default, deserialize_with = "unique_positions")]
    pub positions: BTreeMap<NodeId, [f32; 2]>,
    #[serde(default)]
    pub pinned: BTreeSet<NodeId>,
}

thread_local! {
    /// The duplicate that stopped the current parse on this thread, so the caller can report
    /// it as [`CaseFileErrorKind::Duplicate`] rather than as a syntax error.
    static DUPLICATE: RefCell<Option<CaseFileErrorKind>> = const { RefCell::new(None) };
}

/// Forgets any duplicate recorded by an earlier parse on this thread.
pub(crate) fn clear_duplicate() {
    DUPLICATE.with(|d| d.borrow_mut().take());
}

/// The duplicate that stopped the parse, if `message` is the error it raised.
pub(crate) fn take_duplicate(message: &str) -> Option<CaseFileErrorKind> {
    DUPLICATE
        .with(|d| d.borrow_mut().take())
        .filter(|kind| kind.to_string() == message)
}

fn duplicate<E: de::Error>(what: &'static str, id: String) -> E {
    let kind = CaseFileErrorKind::Duplicate { what, id };
    let error = E::custom(&kind);
    DUPLICATE.with(|d| *d.borrow_mut() = Some(kind));
    error
}

/// An item of a list that must not repeat its id.
pub(crate) trait Keyed {
    type Key: Ord;
    /// What the id is called in messages.
    const WHAT: &'static str;
    fn key(&self) -> Self::Key;
    fn show(key: &Self::Key) -> String;
}

impl Keyed for Node {
    type Key = NodeId;
    const WHAT: &'static str = "node id";
    fn key(&self) -> NodeId {
        self.id.clone()
    }
    fn show(key: &NodeId) -> String {
        key.to_string()
    }
}

impl Keyed for Transfer {
    type Key = TransferId;
    const WHAT: &'static str = "transfer id";
    fn key(&self) -> TransferId {
        self.id.clone()
    }
    fn show(key: &TransferId) -> String {
        key.to_string()
    }
}

impl Keyed for Conflict {
    type Key = ConflictId;
    const WHAT: &'static str = "conflict id";
    fn key(&self) -> ConflictId {
        self.id
    }
    fn show(key: &ConflictId) -> String {
        key.0.to_string()
    }
}

impl Keyed for Cluster {
    type Key = ClusterId;
    const WHAT: &'static str = "cluster id";
    fn key(&self) -> ClusterId {
        self.id
    }
    fn show(key: &ClusterId) -> String {
        key.0.to_string()
    }
}

/// Reads a list into a map by id, refusing a repeated id.
fn unique_list<'de, D, T>(deserializer: D) -> Result<BTreeMap<T::Key, T>, D::Error>
where
    D: Deserializer<'de>,
    T: Keyed + Deserialize<'de>,
{
    struct List<T>(PhantomData<T>);

    impl<'de, T: Keyed + Deserialize<'de>> Visitor<'de> for List<T> {
        type Value = BTreeMap<T::Key, T>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a list of items with unique ids")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut map = BTreeMap::new();
            while let Some(item) = seq.next_element::<T>()? {
                match map.entry(item.key()) {
                    Entry::Occupied(e) => return Err(duplicate(T::WHAT, T::show(e.key()))),
                    Entry::Vacant(e) => {
                        e.insert(item);
                    }
                }
            }
            Ok(map)
        }
    }

    deserializer.deserialize_seq(List(PhantomData))
}

fn unique_tags<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<NodeId, Vec<Tag>>, D::Error> {
    unique_map(deserializer, "tags entry for node")
}

fn unique_positions<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<NodeId, [f32; 2]>, D::Error> {
    unique_map(deserializer, "layout position for node")
}

/// Reads a map keyed by node id, refusing a repeated key (plain serde keeps the last silently).
fn unique_map<'de, D, V>(
    deserializer: D,
    what: &'static str,
) -> Result<BTreeMap<NodeId, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Map<V> {
        what: &'static str,
        value: PhantomData<V>,
    }

    impl<'de, V: Deserialize<'de>> Visitor<'de> for Map<V> {
        type Value = BTreeMap<NodeId, V>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a map keyed by node id")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
            let mut map = BTreeMap::new();
            while let Some((key, value)) = access.next_entry::<NodeId, V>()? {
                match map.entry(key) {
                    Entry::Occupied(e) => {
                        return Err(duplicate(self.what, e.key().to_string()));
                    }
                    Entry::Vacant(e) => {
                        e.insert(value);
                    }
                }
            }
            Ok(map)
        }
    }

    deserializer.deserialize_map(Map {
        what,
        value: PhantomData,
    })
}
