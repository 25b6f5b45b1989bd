//! What a data source answers about one node: its counterparties, grouped per hop, and which
//! side of the node was asked about. Domain vocabulary shared by `sources` (which produce it)
//! and `analysis` (which plans expansions from it), so analysis never imports a source.

use crate::model::{Node, NodeId, Tag, Transfer};

/// Which side of a node to expand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum Direction {
    /// Who sent value to the node.
    In,
    /// Where the node sent value.
    Out,
    /// Both.
    Both,
}

impl Direction {
    /// Lower-case name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Direction::In => "incoming",
            Direction::Out => "outgoing",
            Direction::Both => "both directions",
        }
    }

    /// True if this direction includes incoming value.
    pub fn includes_in(self) -> bool {
        matches!(self, Direction::In | Direction::Both)
    }

    /// True if this direction includes outgoing value.
    pub fn includes_out(self) -> bool {
        matches!(self, Direction::Out | Direction::Both)
    }
}

/// One counterparty of a node and everything needed to draw the hop to it: for an account
/// chain the other address and the transfers between them; for a UTXO chain the transaction
/// node with its inputs and outputs.
#[derive(Debug, Clone, PartialEq)]
pub struct Counterparty {
    /// The node one hop away.
    pub key: NodeId,
    /// Value of the hop (sum of its transfers, scaled by [`Transfer::ranking_value`]).
    pub value: u128,
    /// Nodes this hop brings (the counterparty and, for UTXO, the transaction's other ends).
    pub nodes: Vec<Node>,
    /// Transfers of this hop.
    pub transfers: Vec<Transfer>,
    /// What the source itself says about `key` (GraphSense's tags, origin `graphsense`); added
    /// with the node when it is new. Empty for sources without attribution.
    pub tags: Vec<Tag>,
}

/// One part of a node's history: its counterparties and where to go on from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CounterpartyPage {
    /// Counterparties found in this part.
    pub counterparties: Vec<Counterparty>,
    /// Cursor for the next (older) part; `None` when the history is complete.
    pub resume: Option<String>,
    /// What this part knowingly did not read or could not read (a read cap was reached, one
    /// sub-request failed, the source cannot see some kinds of transfers), one sentence each,
    /// for the expanded node and the notice. Empty when the part is complete as far as it goes.
    pub gaps: Vec<String>,
}

/// What one account-chain transaction, read by its hash, moved: its transfers (native,
/// internal, token) and the address nodes at their ends.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TransactionFacts {
    /// The ends of the transfers (each once).
    pub nodes: Vec<Node>,
    /// Every transfer the transaction made that the source can see.
    pub transfers: Vec<Transfer>,
    /// What could not be read (e.g. internal transfers on a node without traces).
    pub gaps: Vec<String>,
}

/// A cluster of addresses as a backend computed it (GraphSense's entity: addresses its
/// multi-input heuristic says one wallet controls), as the inspector shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterFacts {
    /// The chain of its addresses.
    pub chain: crate::model::Chain,
    /// The backend's id of the cluster.
    pub id: u64,
    /// The address that names it.
    pub root_address: NodeId,
    /// How many addresses it has.
    pub addresses: u64,
    /// Its balance in native base units.
    pub balance: u128,
    /// All it ever received, in native base units.
    pub total_received: u128,
    /// Transactions in and out.
    pub transactions: u64,
    /// How many tags its addresses carry.
    pub tag_count: u64,
    /// The backend's best tag for it.
    pub best_tag: Option<Tag>,
}
