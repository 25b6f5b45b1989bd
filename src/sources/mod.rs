//! Data sources: where facts about addresses and transactions come from.
//!
//! Every backend implements [`DataSource`] with blocking calls that run on job threads, never
//! on the UI thread. A source answers "who sent to / received from this node" as
//! [`Counterparty`] groups; [`crate::analysis::expansion`] turns those into the new facts of an
//! expansion, keeping the largest counterparties when there are more than the limit.

pub mod coingecko;
pub mod demo;
pub mod esplora;
pub mod etherscan;
pub mod evm_rpc;
pub mod factory;
pub mod gaps;
pub mod graphsense;
pub mod groups;
pub mod http;
pub mod limits;
pub mod memos;
pub mod router;
pub mod settings_file;
pub mod trace;
pub mod trongrid;

use crate::model::{Chain, Node, NodeId};
pub use crate::model::{ClusterFacts, Counterparty, CounterpartyPage, Direction, TransactionFacts};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Progress and cancellation shared between a job and the UI.
#[derive(Debug, Default, Clone)]
pub struct JobControl {
    cancelled: Arc<AtomicBool>,
    steps_done: Arc<AtomicU64>,
    transfers_seen: Arc<AtomicU64>,
    /// What the job is doing now, in words ("parsing 114.3 MB"), for jobs without requests.
    stage: Arc<Mutex<Option<String>>>,
}

impl JobControl {
    /// Asks the job to stop at its next check.
    pub fn cancel(&self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }

    /// True once cancel was asked.
    pub fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }

    /// Records one more unit of work (page, transfer batch).
    pub fn step(&self) {
        self.steps_done.fetch_add(1, Ordering::Relaxed);
    }

    /// Units of work done so far.
    pub fn steps_done(&self) -> u64 {
        self.steps_done.load(Ordering::Relaxed)
    }

    /// Records `count` more transfers (or, for Bitcoin, transactions) read from the source.
    pub fn add_transfers(&self, count: usize) {
        self.transfers_seen
            .fetch_add(u64::try_from(count).unwrap_or(u64::MAX), Ordering::Relaxed);
    }

    /// Transfers read so far (for the jobs panel: "1,240 transfers so far").
    pub fn transfers_seen(&self) -> u64 {
        self.transfers_seen.load(Ordering::Relaxed)
    }

    /// Says what the job is doing now; the status bar shows it instead of request counts.
    pub fn set_stage(&self, stage: impl Into<String>) {
        if let Ok(mut slot) = self.stage.lock() {
            *slot = Some(stage.into());
        }
    }

    /// What the job said it is doing, if it said anything.
    pub fn stage(&self) -> Option<String> {
        self.stage.lock().ok().and_then(|slot| slot.clone())
    }

    /// Returns `Err(Cancelled)` if cancel was asked.
    pub fn check(&self) -> Result<(), SourceError> {
        if self.is_cancelled() {
            Err(SourceError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// Sleeps `duration`, waking every [`CANCEL_POLL`] to honour cancellation: the one
    /// cancellable wait of every source (rate limits, backoff, pacing).
    pub fn sleep(&self, duration: std::time::Duration) -> Result<(), SourceError> {
        let deadline = std::time::Instant::now() + duration;
        loop {
            self.check()?;
            let now = std::time::Instant::now();
            if now >= deadline {
                return Ok(());
            }
            std::thread::sleep((deadline - now).min(CANCEL_POLL));
        }
    }
}

/// How often a cancellable wait looks at the cancel flag.
pub(crate) const CANCEL_POLL: std::time::Duration = std::time::Duration::from_millis(50);

/// The time range of an expansion: transfers from `since_unix` to `until_unix` (unix
/// seconds, both inclusive; `None` = open on that side).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TimeRange {
    /// Earliest time, unix seconds.
    pub since_unix: Option<i64>,
    /// Latest time, unix seconds.
    pub until_unix: Option<i64>,
}

impl TimeRange {
    /// True when neither side is set.
    pub fn is_open(&self) -> bool {
        self.since_unix.is_none() && self.until_unix.is_none()
    }
}

/// Why a source could not answer. Messages name the source and never contain secrets.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The source has never seen this node.
    #[error("{source_name}: {node} is not known to this source")]
    UnknownNode { source_name: String, node: NodeId },
    /// The source cannot serve this chain.
    #[error(
        "{source_name}: cannot serve {node} ({} is not a chain this source serves)",
        chain_name(node)
    )]
    UnsupportedChain { source_name: String, node: NodeId },
    /// The user cancelled the job.
    #[error("cancelled")]
    Cancelled,
    /// The source answered something unusable.
    #[error("{source_name}: {message}")]
    BadAnswer {
        source_name: String,
        message: String,
    },
}

/// The chain a node is on, by name, for messages ("Litecoin", "EVM chain 137").
fn chain_name(node: &NodeId) -> String {
    node.chain()
        .map_or_else(|| "its chain".to_owned(), |chain| chain.to_string())
}

/// A backend that knows addresses, their transfers and transactions.
pub trait DataSource: Send + Sync {
    /// Name shown to the user and recorded in provenance.
    fn name(&self) -> &str;

    /// Looks up a node (balance, tx count). `Ok(None)` if the source has never seen it.
    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError>;

    /// Lists all counterparties of `node` in `direction`, unranked and unlimited.
    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError>;

    /// Like [`DataSource::counterparties`], for sources that read a long history in bounded
    /// parts: starts at `resume` (a cursor an earlier call returned; `None` = the newest
    /// history) and returns the counterparties of that part with the cursor to go on from
    /// (`None` when the history is complete). Sources that always read the whole history
    /// keep this default, which never returns a cursor and refuses one.
    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        if resume.is_some() {
            return Err(no_more_to_load(self.name()));
        }
        Ok(CounterpartyPage {
            counterparties: self.counterparties(node, direction, control)?,
            resume: None,
            gaps: Vec::new(),
        })
    }

    /// Like [`DataSource::counterparties_page`], for an expansion limited to `range`. Sources
    /// whose server can filter by time ask it for the range only (TronGrid's
    /// `min_timestamp`/`max_timestamp`); the others keep this default, which reads as
    /// `counterparties_page` does. Either way the caller still filters what it got
    /// ([`crate::analysis::expand_options::ExpandOptions::filter`]), so a source that ignores
    /// the range shows no transfer outside it.
    fn counterparties_page_within(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        range: TimeRange,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        let _ = range;
        self.counterparties_page(node, direction, resume, control)
    }

    /// Reads one account-chain transaction by its hash (`0x` + 64 hex on EVM chains): every
    /// transfer it made and their ends. Sources that cannot keep this default, which says so
    /// without asking anything.
    fn transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        let _ = (hash, control);
        Err(no_transaction_by_hash(self.name(), chain))
    }

    /// The cluster `node` belongs to as this source computed it (GraphSense's entity).
    /// Sources that compute no clusters keep this default: `Ok(None)`, without asking anything.
    fn cluster_of(
        &self,
        node: &NodeId,
        control: &JobControl,
    ) -> Result<Option<ClusterFacts>, SourceError> {
        let _ = (node, control);
        Ok(None)
    }

    /// The transactions behind a pre-aggregated relation `from → to` (a transfer with
    /// [`crate::model::Transfer::relation_txs`]), as transfers and their ends. Sources that
    /// list transactions, not relations, keep this default, which says so.
    fn relation_transactions(
        &self,
        from: &NodeId,
        to: &NodeId,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        let _ = (from, to, control);
        Err(SourceError::BadAnswer {
            source_name: self.name().to_owned(),
            message: "this source lists transactions, not relations".to_owned(),
        })
    }

    /// Up to `limit` addresses of `cluster` (as [`DataSource::cluster_of`] gave it), as
    /// nodes. Sources that compute no clusters keep this default, which says so.
    fn cluster_members(
        &self,
        cluster: &ClusterFacts,
        limit: usize,
        control: &JobControl,
    ) -> Result<Vec<Node>, SourceError> {
        let _ = (cluster, limit, control);
        Err(SourceError::BadAnswer {
            source_name: self.name().to_owned(),
            message: "this source computes no clusters (GraphSense does)".to_owned(),
        })
    }
}

/// What a transaction read by hash gives when it failed: nothing moved, and a gap that says so
/// (`why`: the receipt's or the contract's status).
pub(crate) fn failed_transaction(source_name: &str, hash: &str, why: &str) -> TransactionFacts {
    TransactionFacts {
        gaps: vec![format!(
            "{source_name}: transaction {hash} failed ({why}): it moved nothing"
        )],
        ..TransactionFacts::default()
    }
}

/// `Err` naming `shown` when an answer says it is about another transaction than `asked`
/// (compared without case and surrounding space); an answer that names none passes.
pub(crate) fn same_transaction(
    shown: &str,
    answered: Option<&str>,
    asked: &str,
) -> Result<(), String> {
    match answered.map(str::trim) {
        Some(said) if !said.eq_ignore_ascii_case(asked.trim()) => Err(format!(
            "{shown}: the answer is about transaction {}, not the one asked for",
            crate::util::quote_short(said)
        )),
        _ => Ok(()),
    }
}

/// The answer of a source that cannot read an account-chain transaction by its hash.
pub(crate) fn no_transaction_by_hash(source_name: &str, chain: Chain) -> SourceError {
    SourceError::BadAnswer {
        source_name: source_name.to_owned(),
        message: format!(
            "cannot read a {chain} transaction by its hash; an Ethereum node source (evm-rpc) \
             or Etherscan can, for EVM chains, and TronGrid for TRON — or start from the \
             transaction's sender or receiver"
        ),
    }
}

/// The answer to "load more" from a source that reads a node's whole history at once.
pub(crate) fn no_more_to_load(source_name: &str) -> SourceError {
    SourceError::BadAnswer {
        source_name: source_name.to_owned(),
        message: "this source reads the whole history at once; there is no more to load".to_owned(),
    }
}
