//! Bitcoin heuristics over whole transactions: CoinJoin detection, change detection and
//! multi-input (co-spend) clustering. (Being written: see the `heuristics` branch.)

use super::{CaseIndex, Finding};

/// CoinJoin transactions (Whirlpool, Wasabi 1.x / 2.0, JoinMarket).
pub fn coinjoins(_index: &CaseIndex) -> Vec<Finding> {
    Vec::new()
}

/// Multi-input clusters, CoinJoins excluded.
pub fn co_spends(_index: &CaseIndex) -> Vec<Finding> {
    Vec::new()
}

/// Change outputs.
pub fn changes(_index: &CaseIndex) -> Vec<Finding> {
    Vec::new()
}
