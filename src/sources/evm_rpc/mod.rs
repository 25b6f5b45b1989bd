//! [`EvmRpcSource`]: any Ethereum JSON-RPC node (the investigator's own Geth/Erigon/Reth/
//! Nethermind, anvil, or a hosted endpoint) as a data source. A user's own node leaks nothing
//! of the investigation to a third party.
//!
//! # What the node can do
//! Detected once, lazily, at the first job (or by [`EvmRpcSource::detect`] /
//! [`EvmRpcSource::test_connection`]) and kept in the source: `eth_chainId` (checked against
//! the expected chain id, and naming the node ids' chain: 1 → `eth:`, else `evm<id>:`),
//! `eth_blockNumber`, `trace_filter` (asked for one block; "method not found" or a plan that
//! lacks it → absent) and Otterscan (`ots_getApiLevel`). A probe answered with another error
//! counts as absent for that job only and is asked again at the next one.
//! [`EvmRpcSource::native_support`] tells the app which way native transfers are read.
//!
//! # What it answers
//! * `counterparties(address, dir)`: one [`Counterparty`] per other address (key = its node
//!   id), its value the sum of [`crate::model::Transfer::ranking_value`], with all legs with it
//!   in that direction:
//!   * ERC-20 transfers by `eth_getLogs` (module `logs`) over `start_block..=tip`, in chunks
//!     of [`DEFAULT_CHUNK_BLOCKS`], a chunk the node refuses as too large being split (module
//!     `ranges`). Token symbol and decimals by `eth_call` of `symbol()` (string or bytes32)
//!     and `decimals()`, kept per contract; a token that does not answer is shown as its
//!     short address with 0 decimals, and its transfers say so.
//!   * Native ETH, and inner calls that move ETH, by `trace_filter` or Otterscan (module
//!     `native`). A node with neither lists no native transfers: every node the job returns
//!     says so in its provenance, and [`EvmRpcSource::native_support`] returns
//!     [`NativeSupport::None`] so the app can warn.
//!   * Block times from the log (`blockTimestamp`, newer nodes) or `eth_getBlockByNumber`,
//!     kept per block (and in the response cache once 64 blocks deep).
//! * `lookup(address)`: `eth_getBalance` (wei, exact) and `eth_getTransactionCount` at the
//!   tip. The count is the nonce — transactions the address *sent*; its provenance says so.
//!
//! Transaction node ids (`eth-tx:…`) are not used on account chains: `lookup` answers `None`
//! and `counterparties` [`SourceError::UnknownNode`]. A transaction read by its hash (a case
//! started from one) gives its transfers and their ends instead (module `by_hash`).
//!
//! # Provenance, errors
//! Every node and transfer records the source name (`evm-rpc:<host:port>`), the JSON-RPC
//! method with a summary of its parameters (`eth_getLogs(Transfer to=0x…, blocks 0..=7)`;
//! never the URL, whose path may hold an API key), when that answer arrived and the tip at
//! job start. JSON-RPC error objects, non-JSON, wrong shapes, a wrong chain id and malformed
//! logs are [`SourceError::BadAnswer`]s naming the source, the request and what was wrong; a
//! job returns everything or nothing. Logs a contract emitted oddly (a value above
//! `u128::MAX`, a dirty address topic) are skipped and listed in the nodes' provenance.

mod budget;
pub(crate) mod by_hash;
mod collect;
mod cursor;
pub(crate) mod facts;
mod height;
pub(crate) mod hex;
pub(crate) mod logs;
mod metadata;
mod native;
mod page;
#[cfg(test)]
mod parser_props;
mod ranges;
mod rpc;

pub use budget::DEFAULT_MAX_WINDOWS;

/// `url` as it may be stored or shown: query keys, credentials and key-like path segments
/// (`/v3/<key>`) replaced by `REDACTED`.
pub fn public_url(url: &str) -> String {
    rpc::shown(url)
}

use crate::model::node::Provenance;
use crate::model::{Chain, Node, NodeId, NodeKind};
use crate::sources::http::{HttpClient, HttpConfig, ResponseCache};
use crate::sources::limits::ReadCaps;
use crate::sources::{
    Counterparty, CounterpartyPage, DataSource, Direction, JobControl, SourceError,
};
use collect::Collected;
use facts::{Groups, JobStamp, TokenInfo};
use rpc::{CallError, Rpc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// Blocks per `eth_getLogs` / `trace_filter` request unless set otherwise (the common hosted
/// cap; a node that wants fewer is answered by splitting).
pub const DEFAULT_CHUNK_BLOCKS: u64 = 10_000;

/// Traces per `trace_filter` page (`count`).
pub const DEFAULT_TRACE_PAGE_SIZE: u64 = 500;

/// Most `trace_filter` pages read for one chunk, or Otterscan pages for one address.
const MAX_PAGES: u64 = 100_000;

/// Skipped-log notes listed by name before "and N more".
const LISTED_NOTES: usize = 5;

/// The note every node of a job carries when the node cannot list native transfers.
pub const NO_NATIVE_NOTE: &str = "native ETH and internal transfers are not listed: this node has neither trace_filter nor Otterscan (ots_*)";

/// The note on an inner transfer read through Otterscan.
const OTS_INNER_NOTE: &str = "inner call read by ots_traceTransaction, which reports no per-call errors: a call undone by a revert inside a successful transaction cannot be told apart";

/// How a source reads native (ETH) transfers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NativeSupport {
    /// Not known yet: detected at the first job, [`EvmRpcSource::detect`] or
    /// [`EvmRpcSource::test_connection`].
    NotDetected,
    /// `trace_filter`: top-level and inner value transfers.
    TraceFilter,
    /// Otterscan `ots_*`: top-level and inner value transfers.
    Otterscan,
    /// Neither: native transfers are not listed, only ERC-20 transfers.
    None,
}

/// What a node can do, as detected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capabilities {
    /// `eth_chainId`.
    pub chain_id: u64,
    /// `trace_filter` answers.
    pub trace_filter: bool,
    /// `ots_getApiLevel`, if Otterscan's namespace answers.
    pub otterscan_api_level: Option<u64>,
    /// Why a probe was not conclusive (then the capabilities are not kept).
    pub notes: Vec<String>,
}

impl Capabilities {
    /// The chain the node serves.
    pub fn chain(&self) -> Chain {
        Chain::Evm {
            chain_id: self.chain_id,
        }
    }

    /// How native transfers are read: trace_filter first, then Otterscan.
    pub fn native_support(&self) -> NativeSupport {
        if self.trace_filter {
            NativeSupport::TraceFilter
        } else if self.otterscan_api_level.is_some() {
            NativeSupport::Otterscan
        } else {
            NativeSupport::None
        }
    }
}

/// What the source keeps between jobs (shared by clones).
#[derive(Debug, Default)]
struct State {
    capabilities: Option<Capabilities>,
    tokens: HashMap<String, TokenInfo>,
    block_times: HashMap<u64, i64>,
    /// Blocks per request a method is limited to, as the node stated when it refused more.
    span_limits: HashMap<&'static str, u64>,
}

/// An EVM chain through one JSON-RPC node (see the module doc).
#[derive(Debug, Clone)]
pub struct EvmRpcSource {
    rpc: Rpc,
    name: String,
    expected_chain_id: Option<u64>,
    chunk_blocks: u64,
    start_block: u64,
    trace_page_size: u64,
    read_caps: ReadCaps,
    max_windows: u64,
    state: Arc<Mutex<State>>,
}

impl EvmRpcSource {
    /// A source for the node at `url` (`http`/`https`; an API key may be part of the path, as
    /// in `https://mainnet.infura.io/v3/<key>`, and is never shown). With `expected_chain_id`
    /// a node serving another chain is refused. Named `evm-rpc:<host[:port]>`.
    pub fn new(
        url: &str,
        expected_chain_id: Option<u64>,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Self, SourceError> {
        let endpoint = rpc::split_url(url).map_err(|message| SourceError::BadAnswer {
            source_name: "evm-rpc".to_owned(),
            message,
        })?;
        let name = if endpoint.authority.is_empty() {
            "evm-rpc".to_owned()
        } else {
            format!("evm-rpc:{}", endpoint.authority)
        };
        let rpc = Rpc::new(&name, &endpoint, config, cache)?;
        Ok(EvmRpcSource {
            rpc,
            name,
            expected_chain_id,
            chunk_blocks: DEFAULT_CHUNK_BLOCKS,
            start_block: 0,
            trace_page_size: DEFAULT_TRACE_PAGE_SIZE,
            read_caps: ReadCaps::default(),
            max_windows: DEFAULT_MAX_WINDOWS,
            state: Arc::new(Mutex::new(State::default())),
        })
    }

    /// Sets the most blocks per `eth_getLogs` / `trace_filter` request (at least 1).
    pub fn with_chunk_blocks(mut self, blocks: u64) -> Self {
        self.chunk_blocks = blocks.max(1);
        self
    }

    /// Sets the first block searched (default 0), e.g. a token's deployment block.
    pub fn with_start_block(mut self, block: u64) -> Self {
        self.start_block = block;
        self
    }

    /// Sets the traces per `trace_filter` page (at least 1).
    pub fn with_trace_page_size(mut self, count: u64) -> Self {
        self.trace_page_size = count.max(1);
        self
    }

    /// Sets what one expansion may read (logs and traces, answer bytes); when a cap is
    /// reached the page keeps what was read, says so in its gaps and returns a cursor.
    pub fn with_read_caps(mut self, caps: ReadCaps) -> Self {
        self.read_caps = caps;
        self
    }

    /// Sets the most `eth_getLogs` / `trace_filter` requests (and Otterscan history pages)
    /// one expansion asks (at least 1; default [`DEFAULT_MAX_WINDOWS`]).
    pub fn with_max_windows(mut self, windows: u64) -> Self {
        self.max_windows = windows.max(1);
        self
    }

    /// The HTTP client (for [`HttpClient::requests_sent`]).
    pub fn client(&self) -> &HttpClient {
        self.rpc.client()
    }

    /// The capabilities detected so far, if any.
    pub fn capabilities(&self) -> Option<Capabilities> {
        self.state().capabilities.clone()
    }

    /// How native transfers are read; [`NativeSupport::NotDetected`] before the first job,
    /// [`EvmRpcSource::detect`] or [`EvmRpcSource::test_connection`].
    pub fn native_support(&self) -> NativeSupport {
        self.capabilities()
            .map_or(NativeSupport::NotDetected, |c| c.native_support())
    }

    /// Detects what the node can do (or returns what was detected before).
    pub fn detect(&self, control: &JobControl) -> Result<Capabilities, SourceError> {
        self.detect_with_tip(control).map(|(caps, _)| caps)
    }

    /// Detects afresh and describes the node: `"chain 31337, block 7, traces: trace_filter,
    /// otterscan: yes"`; with neither, `"… traces: none, otterscan: no — native ETH transfers
    /// will not be listed"`.
    pub fn test_connection(&self, control: &JobControl) -> Result<String, SourceError> {
        self.state().capabilities = None;
        let (caps, tip) = self.detect_with_tip(control)?;
        let traces = if caps.trace_filter {
            "trace_filter"
        } else {
            "none"
        };
        let otterscan = if caps.otterscan_api_level.is_some() {
            "yes"
        } else {
            "no"
        };
        let mut text = format!(
            "chain {}, block {tip}, traces: {traces}, otterscan: {otterscan}",
            caps.chain_id
        );
        if caps.native_support() == NativeSupport::None {
            text.push_str(" — native ETH transfers will not be listed");
        }
        for note in &caps.notes {
            text.push_str(&format!(" ({note})"));
        }
        Ok(text)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn bad(&self, what: &str, message: &str) -> SourceError {
        self.rpc.bad(what, message)
    }

    /// Calls `method` and returns its result; a JSON-RPC error is a [`SourceError`].
    fn call(
        &self,
        method: &str,
        params: Value,
        what: &str,
        control: &JobControl,
    ) -> Result<Value, SourceError> {
        self.rpc
            .call(method, params, what, control)
            .map_err(|e| self.rpc.fail(what, e))
    }

    /// Calls a method whose result is a hex string.
    fn call_text(
        &self,
        method: &str,
        params: Value,
        what: &str,
        control: &JobControl,
    ) -> Result<String, SourceError> {
        match self.call(method, params, what, control)? {
            Value::String(text) => Ok(text),
            other => Err(self.bad(
                what,
                &format!("expected a hex string, found {}", hex::kind(&other)),
            )),
        }
    }

    /// `eth_blockNumber`, refused when chain `chain_id` cannot have that many blocks.
    fn tip(&self, chain_id: u64, control: &JobControl) -> Result<u64, SourceError> {
        let what = "eth_blockNumber()";
        let text = self.call_text("eth_blockNumber", json!([]), what, control)?;
        let tip = hex::quantity_u64(&text).map_err(|m| self.bad(what, &m))?;
        height::check_tip(chain_id, tip, crate::util::now_unix())
            .map_err(|m| self.bad(what, &m))?;
        Ok(tip)
    }

    /// The capabilities (detected now if not yet known) and the tip at this moment.
    fn detect_with_tip(&self, control: &JobControl) -> Result<(Capabilities, u64), SourceError> {
        if let Some(caps) = self.capabilities() {
            let tip = self.tip(caps.chain_id, control)?;
            return Ok((caps, tip));
        }
        let what = "eth_chainId()";
        let text = self.call_text("eth_chainId", json!([]), what, control)?;
        let chain_id = hex::quantity_u64(&text).map_err(|m| self.bad(what, &m))?;
        if let Some(expected) = self.expected_chain_id
            && expected != chain_id
        {
            return Err(self.bad(
                what,
                &format!(
                    "the node serves chain {chain_id} ({}), but this source is set up for chain {expected} ({})",
                    Chain::Evm { chain_id },
                    Chain::Evm { chain_id: expected }
                ),
            ));
        }
        let tip = self.tip(chain_id, control)?;
        let mut notes = Vec::new();
        let block = hex::to_quantity(tip);
        let probe = json!([{
            "fromBlock": block,
            "toBlock": block,
            "fromAddress": ["0x0000000000000000000000000000000000000000"],
        }]);
        let trace_filter = self.probe("trace_filter", probe, control, &mut notes)?;
        let otterscan = self.probe("ots_getApiLevel", json!([]), control, &mut notes)?;
        let otterscan_api_level = match otterscan {
            Some(level) => Some(level.as_u64().ok_or_else(|| {
                self.bad(
                    "ots_getApiLevel()",
                    &format!("expected a number, found {}", hex::kind(&level)),
                )
            })?),
            None => None,
        };
        let caps = Capabilities {
            chain_id,
            trace_filter: trace_filter.is_some(),
            otterscan_api_level,
            notes,
        };
        if caps.notes.is_empty() {
            self.state().capabilities = Some(caps.clone());
        }
        tracing::info!(
            "{}: chain {chain_id}, tip {tip}, trace_filter {}, otterscan {:?}",
            self.name,
            caps.trace_filter,
            caps.otterscan_api_level
        );
        Ok((caps, tip))
    }

    /// Asks `method` to see whether the node has it: `Some(result)` if it answers, `None` if
    /// it answers with an error (a note is added unless the error says the method is missing).
    fn probe(
        &self,
        method: &str,
        params: Value,
        control: &JobControl,
        notes: &mut Vec<String>,
    ) -> Result<Option<Value>, SourceError> {
        let what = format!("{method} probe");
        match self.rpc.call(method, params, &what, control) {
            Ok(result) => Ok(Some(result)),
            Err(CallError::Node(error)) => {
                if !error.is_method_missing() {
                    notes.push(self.rpc.scrub(&format!(
                        "{what} answered {}; treated as absent for now",
                        error.describe()
                    )));
                }
                Ok(None)
            }
            Err(CallError::Source(error)) => Err(error),
        }
    }

    /// The lower-case address of an EVM address node this source may serve.
    fn address_of(&self, node: &NodeId) -> Result<String, SourceError> {
        let unsupported = || SourceError::UnsupportedChain {
            source_name: self.name.clone(),
            node: node.clone(),
        };
        match node.chain() {
            Some(Chain::Evm { chain_id }) => {
                if self.expected_chain_id.is_some_and(|e| e != chain_id) {
                    return Err(unsupported());
                }
            }
            _ => return Err(unsupported()),
        }
        if node.is_transaction() {
            return Err(SourceError::UnknownNode {
                source_name: self.name.clone(),
                node: node.clone(),
            });
        }
        Ok(node.value().to_ascii_lowercase())
    }

    /// Detects, and checks the node's chain is the node id's.
    fn start_job(
        &self,
        node: &NodeId,
        control: &JobControl,
    ) -> Result<(Capabilities, u64), SourceError> {
        control.check()?;
        let (caps, tip) = self.detect_with_tip(control)?;
        match node.chain() {
            Some(chain) if chain == caps.chain() => Ok((caps, tip)),
            // Two EVM chains: say both numbers and what to do.
            Some(Chain::Evm { chain_id }) => Err(self.bad(
                "eth_chainId()",
                &format!(
                    "{node} is on chain {chain_id} ({}), but this node serves chain {} ({}): \
                     give {} its own source (Data sources → Use for this chain, or \
                     --source-for {}=evm-rpc=URL)",
                    Chain::Evm { chain_id },
                    caps.chain_id,
                    caps.chain(),
                    Chain::Evm { chain_id }.id_prefix(),
                    Chain::Evm { chain_id }.id_prefix(),
                ),
            )),
            _ => Err(SourceError::UnsupportedChain {
                source_name: self.name.clone(),
                node: node.clone(),
            }),
        }
    }

    /// Turns collected legs into counterparties of `node`.
    fn build(
        &self,
        node: &NodeId,
        direction: Direction,
        stamp: &JobStamp,
        mut collected: Collected,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        collected
            .legs
            .sort_by(|a, b| (a.block, &a.tx_hash, &a.leg).cmp(&(b.block, &b.tx_hash, &b.leg)));
        let mut tokens: HashMap<String, TokenInfo> = HashMap::new();
        for contract in collected.legs.iter().filter_map(|l| l.contract.as_ref()) {
            if !tokens.contains_key(contract) {
                let info = self.token_info(contract, control)?;
                tokens.insert(contract.clone(), info);
            }
        }
        let mut groups = Groups::default();
        for leg in &collected.legs {
            let time = match leg.time {
                Some(time) => time,
                None => self.block_time(leg.block, stamp.tip, control)?,
            };
            let token = leg.contract.as_ref().and_then(|c| tokens.get(c));
            let (from, to, transfer) = stamp
                .transfer(leg, token, Some(time))
                .map_err(|m| self.bad(&leg.request, &m))?;
            if direction.includes_out() && &from == node {
                groups.add(to.clone(), transfer.clone());
            }
            if direction.includes_in() && &to == node {
                groups.add(from, transfer);
            }
        }
        let provenance = self.job_provenance(node, direction, stamp, &collected);
        Ok(groups.finish(&provenance))
    }

    /// The provenance of the nodes a job returns: what was asked, and the job's notes.
    fn job_provenance(
        &self,
        node: &NodeId,
        direction: Direction,
        stamp: &JobStamp,
        collected: &Collected,
    ) -> Provenance {
        let request = format!(
            "counterparties({node}, {}): {}, blocks {}..={}",
            direction.name(),
            collected.methods.join(", "),
            self.start_block,
            stamp.tip
        );
        let mut notes: Vec<String> = collected.notes.iter().take(LISTED_NOTES).cloned().collect();
        if collected.notes.len() > LISTED_NOTES {
            notes.push(format!(
                "and {} more skipped logs",
                collected.notes.len() - LISTED_NOTES
            ));
        }
        let notes: Vec<&str> = notes.iter().map(String::as_str).collect();
        stamp.provenance(&request, crate::util::now_unix(), &notes)
    }
}

impl DataSource for EvmRpcSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        let address = match self.address_of(node) {
            Ok(address) => address,
            Err(SourceError::UnknownNode { .. }) => return Ok(None),
            Err(other) => return Err(other),
        };
        let (_, tip) = self.start_job(node, control)?;
        let block = hex::to_quantity(tip);
        let what = format!("eth_getBalance({address}, block {tip})");
        let text = self.call_text("eth_getBalance", json!([address, block]), &what, control)?;
        let balance = hex::quantity_u128(&text).map_err(|m| self.bad(&what, &m))?;
        let what_count = format!("eth_getTransactionCount({address}, block {tip})");
        let text = self.call_text(
            "eth_getTransactionCount",
            json!([address, block]),
            &what_count,
            control,
        )?;
        let nonce = hex::quantity_u64(&text).map_err(|m| self.bad(&what_count, &m))?;
        control.step();
        Ok(Some(Node {
            id: node.clone(),
            kind: NodeKind::Address,
            balance: Some(balance),
            tx_count: Some(nonce),
            provenance: Some(Box::new(Provenance {
                source: self.name.clone(),
                request: format!(
                    "{what} + {what_count} — balance in wei; the transaction count is the nonce: transactions this address sent (transfers it received are not counted)"
                ),
                fetched_at: crate::util::now_unix(),
                block_height: Some(tip),
            })),
            gaps: Vec::new(),
        }))
    }

    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        self.read_page(node, direction, None, control)
            .map(|page| page.counterparties)
    }

    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.read_page(node, direction, resume, control)
    }

    fn transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<crate::sources::TransactionFacts, SourceError> {
        self.read_transaction(chain, hash, control)
    }
}

#[cfg(test)]
mod tests;
