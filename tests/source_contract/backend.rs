//! What every backend gives the contract: a source built against its own seeded local
//! server or node, the answers that scenario implies, and where faults can be injected.

use crate::support::mock_http::MockServer;
use caseboard::model::NodeId;
use caseboard::sources::{DataSource, Direction};
use std::collections::BTreeSet;

/// One data-source backend under the contract: it seeds its own local server or node with a
/// known scenario and builds its sources against it.
pub trait Backend {
    /// Starts the server or node, seeds it, and builds the sources and the expected answers.
    fn start() -> Seeded;
}

/// A started backend: sources, what they must answer, and where faults can be injected.
/// Fields drop in order: the sources before the server or node they talk to.
pub struct Seeded {
    /// Short name for failure messages ("esplora", "blockscout", …).
    pub name: &'static str,
    /// The source under test, reading the whole history of a node in one call.
    pub source: Box<dyn DataSource>,
    /// A source over the same data that reads at most one page per call, if the backend
    /// reads in pages (so a long history needs several calls).
    pub capped: Option<Box<dyn DataSource>>,
    /// The answers the seeded scenario implies.
    pub expect: Expect,
    /// The mock server the sources talk to (`None`: no transport, like the demo world).
    pub transport: Option<Transport>,
    /// What must outlive the sources and the server (a node process): only held, never read.
    #[allow(dead_code)]
    pub keep: Option<Box<dyn std::any::Any>>,
}

/// Where a backend's requests go and which of them a fault should hit.
pub struct Transport {
    /// The server every request of the source reaches (a proxy in front of a real node).
    pub server: MockServer,
    /// HTTP method of the history requests.
    pub method: &'static str,
    /// Path prefix of the history requests.
    pub prefix: &'static str,
    /// Text that must never appear in an error or a debug print (an API key).
    pub secret: Option<&'static str>,
}

/// What the seeded scenario says the source must answer.
pub struct Expect {
    /// A node the source knows, with history in both directions.
    pub known: NodeId,
    /// Its balance in base units, where the scenario fixes it.
    pub balance: Option<u128>,
    /// Counterparty keys of `known` that sent to it.
    pub keys_in: BTreeSet<NodeId>,
    /// Counterparty keys of `known` that it paid.
    pub keys_out: BTreeSet<NodeId>,
    /// A well-formed node of a chain this source does not serve.
    pub foreign: NodeId,
    /// True when the capped source must need more than one call for `known` (the scenario's
    /// history is longer than one page).
    pub pages: bool,
}

impl Expect {
    /// The keys the source must give for `direction`.
    pub fn keys(&self, direction: Direction) -> BTreeSet<NodeId> {
        let mut keys = BTreeSet::new();
        if direction.includes_in() {
            keys.extend(self.keys_in.iter().cloned());
        }
        if direction.includes_out() {
            keys.extend(self.keys_out.iter().cloned());
        }
        keys
    }
}

/// Parses a node id the scenario wrote out.
pub fn id(text: &str) -> NodeId {
    NodeId::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}
