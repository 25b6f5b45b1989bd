//! The pure domain of Caseboard: what a case is made of.
//!
//! Facts (nodes, transfers), judgements (tags, clusters) and view (positions, zoom) live in one
//! [`Case`]; every change to it goes through [`action::apply`]. Nothing here knows about a
//! screen, a network or a file format.

pub mod action;
mod action_annotations;
mod action_fragment;
#[cfg(test)]
mod action_tests;
pub mod address;
pub mod amount;
pub mod annotation;
pub mod case;
pub mod cashaddr;
pub mod chain;
pub mod conflict;
pub mod counterparty;
pub mod document;
pub mod filter;
pub mod finding_record;
pub mod history;
pub mod node;
pub mod node_rank;
pub mod start;
pub mod tag;
#[cfg(test)]
mod test_support;
pub mod transfer;
pub mod tron_address;
pub mod utxo_address;
#[cfg(test)]
mod utxo_address_tests;

pub use action::{Action, ActionError, Fragment, apply};
pub use amount::{Asset, format_units, format_units_short, parse_units};
pub use annotation::{
    Annotations, Arrow, ArrowEnd, ArrowId, EdgeKey, Highlight, HopEvidence, Note, NoteId,
};
pub use case::{Case, CaseMeta, CaseView, Cluster, ClusterId, LayoutState, SourceConfig};
pub use chain::Chain;
pub use conflict::{Conflict, ConflictId, ConflictKind, Resolution};
pub use counterparty::{ClusterFacts, Counterparty, CounterpartyPage, Direction, TransactionFacts};
pub use document::{Document, SavePoint};
pub use filter::GraphFilter;
pub use finding_record::{Dismissal, FindingRecords};
pub use history::HistoryEntry;
pub use node::{Node, NodeId, NodeIdError, NodeKind};
pub use tag::{Category, Confidence, Tag};
pub use transfer::{Transfer, TransferId};
