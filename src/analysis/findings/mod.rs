//! Findings: what analysis proposes and the investigator decides on.
//!
//! A [`Finding`] names its kind, the method and version that produced it (`peel_chain@1`), the
//! parameters it ran with, a confidence (0–100), the nodes and transfers that are its evidence
//! and a one-line explanation. Detectors never change the case; applying a finding is an action
//! built by `apply.rs`, and a dismissed finding is remembered in the case by its fingerprint so
//! it does not come back. Detectors are pure and deterministic: the same case gives the same
//! findings in the same order.
//!
//! - `index.rs`: one pass over the case (per node: transfers in and out in time order, category).
//! - `patterns.rs`, `hops.rs`, `bridge_memo.rs`: laundering patterns over the case graph.
//! - `bitcoin/`: heuristics over whole Bitcoin transactions (CoinJoin, change, co-spend).

pub mod apply;
pub mod bitcoin;
mod bridge_memo;
mod hops;
mod index;
mod patterns;

pub use index::CaseIndex;

#[cfg(test)]
mod tests;

use crate::model::{NodeId, TransferId};
use std::collections::BTreeMap;
use std::fmt;

/// What a finding says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    PeelChain,
    FanOut,
    Consolidation,
    PassThrough,
    MixerDeposit,
    MixerWithdrawal,
    BridgeHop,
    SwapHop,
    CoinJoin,
    CoSpend,
    Change,
}

impl FindingKind {
    /// Every kind, in the order the Findings panel lists them.
    pub const ALL: [FindingKind; 11] = [
        FindingKind::FanOut,
        FindingKind::PeelChain,
        FindingKind::MixerDeposit,
        FindingKind::MixerWithdrawal,
        FindingKind::SwapHop,
        FindingKind::BridgeHop,
        FindingKind::PassThrough,
        FindingKind::Consolidation,
        FindingKind::CoinJoin,
        FindingKind::CoSpend,
        FindingKind::Change,
    ];

    /// The name used on the command line and in JSON (`peel_chain`).
    pub fn name(self) -> &'static str {
        match self {
            FindingKind::PeelChain => "peel_chain",
            FindingKind::FanOut => "fan_out",
            FindingKind::Consolidation => "consolidation",
            FindingKind::PassThrough => "pass_through",
            FindingKind::MixerDeposit => "mixer_deposit",
            FindingKind::MixerWithdrawal => "mixer_withdrawal",
            FindingKind::BridgeHop => "bridge_hop",
            FindingKind::SwapHop => "swap_hop",
            FindingKind::CoinJoin => "coinjoin",
            FindingKind::CoSpend => "co_spend",
            FindingKind::Change => "change",
        }
    }

    /// The kind named `name`, if any.
    pub fn from_name(name: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// A short human title ("Peel chain").
    pub fn title(self) -> &'static str {
        match self {
            FindingKind::PeelChain => "Peel chain",
            FindingKind::FanOut => "Fan-out split",
            FindingKind::Consolidation => "Consolidation",
            FindingKind::PassThrough => "Fast pass-through",
            FindingKind::MixerDeposit => "Mixer deposit",
            FindingKind::MixerWithdrawal => "Mixer withdrawal",
            FindingKind::BridgeHop => "Bridge hop",
            FindingKind::SwapHop => "Swap hop",
            FindingKind::CoinJoin => "CoinJoin",
            FindingKind::CoSpend => "Co-spend cluster",
            FindingKind::Change => "Change output",
        }
    }
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One proposal of an analysis method, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// What it says.
    pub kind: FindingKind,
    /// Method name and version, `peel_chain@1`.
    pub method: &'static str,
    /// The parameters the method ran with (name → value as text), sorted.
    pub params: BTreeMap<&'static str, String>,
    /// 0–100.
    pub confidence: u8,
    /// The nodes that are the evidence; the first is the finding's subject (the split source,
    /// the chain's first hop, the mixer depositor, the transaction).
    pub nodes: Vec<NodeId>,
    /// The transfers that are the evidence, in time order.
    pub transfers: Vec<TransferId>,
    /// One line a person reads.
    pub summary: String,
}

impl Finding {
    /// A stable fingerprint: kind, method and evidence (not the wording, not the confidence).
    /// A dismissed finding is remembered by it; FNV-1a 64, hex, so the case file stays small
    /// and the value is the same on every machine.
    pub fn fingerprint(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes {
                hash ^= u64::from(b);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
            hash ^= 0xff;
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        };
        feed(self.kind.name().as_bytes());
        feed(self.method.as_bytes());
        for node in &self.nodes {
            feed(node.as_str().as_bytes());
        }
        for transfer in &self.transfers {
            feed(transfer.as_str().as_bytes());
        }
        format!("{}:{hash:016x}", self.kind.name())
    }
}

/// The swap and bridge hops of the case as links taint can move across (deposit → payout).
pub fn hop_links(index: &CaseIndex) -> Vec<crate::analysis::taint::HopLink> {
    hops::swap_hops(index)
        .into_iter()
        .chain(bridge_memo::bridge_hops(index))
        .filter_map(|f| match f.transfers.as_slice() {
            [deposit, payout] => Some(crate::analysis::taint::HopLink {
                deposit: deposit.clone(),
                payout: payout.clone(),
            }),
            _ => None,
        })
        .collect()
}

/// Bounds on one run of the detectors (outside data: the case can be anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisLimits {
    /// At most this many findings of one kind (the strongest first).
    pub max_findings_per_kind: usize,
}

impl Default for AnalysisLimits {
    fn default() -> Self {
        AnalysisLimits {
            max_findings_per_kind: 5_000,
        }
    }
}

/// Runs the detectors of `kinds` (all when empty) over `index`; findings sorted by kind (in
/// [`FindingKind::ALL`] order), then confidence (highest first), then subject.
pub fn detect(index: &CaseIndex, kinds: &[FindingKind], limits: AnalysisLimits) -> Vec<Finding> {
    let wanted = |k: FindingKind| kinds.is_empty() || kinds.contains(&k);
    let mut all = Vec::new();
    for kind in FindingKind::ALL {
        if !wanted(kind) {
            continue;
        }
        let mut found = match kind {
            FindingKind::FanOut => patterns::fan_out(index),
            FindingKind::Consolidation => patterns::consolidation(index),
            FindingKind::PeelChain => patterns::peel_chains(index),
            FindingKind::PassThrough => patterns::pass_through(index),
            FindingKind::MixerDeposit => hops::mixer_deposits(index),
            FindingKind::MixerWithdrawal => hops::mixer_withdrawals(index),
            FindingKind::SwapHop => hops::swap_hops(index),
            FindingKind::BridgeHop => bridge_memo::bridge_hops(index),
            FindingKind::CoinJoin => bitcoin::coinjoins(index),
            FindingKind::CoSpend => bitcoin::co_spends(index),
            FindingKind::Change => bitcoin::changes(index),
        };
        found.sort_by(|a, b| {
            b.confidence
                .cmp(&a.confidence)
                .then_with(|| a.nodes.cmp(&b.nodes))
                .then_with(|| a.transfers.cmp(&b.transfers))
        });
        found.truncate(limits.max_findings_per_kind);
        all.extend(found);
    }
    all
}
