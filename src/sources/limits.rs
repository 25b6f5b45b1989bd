//! How much one expansion may read from a source, whatever the source answers: a hostile or
//! simply enormous history must not take the machine's memory or the user's afternoon. Each
//! source checks these caps while it reads and, when one is reached, stops reading, keeps
//! what it has, and says what was left unread (a gap on the page, with a cursor for "Load
//! more" where the source can resume).

use serde::{Deserialize, Serialize};

/// Caps on what one expansion (one `counterparties_page` call) may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReadCaps {
    /// Transactions read at most (UTXO and account chains).
    pub max_transactions: u64,
    /// Log entries (token transfers, internal transfers) read at most.
    pub max_logs: u64,
    /// Response bytes read at most, summed over every request of the expansion.
    pub max_bytes: u64,
}

impl Default for ReadCaps {
    fn default() -> ReadCaps {
        ReadCaps {
            max_transactions: 25_000,
            max_logs: 100_000,
            // 64 MiB of fat transactions made one expansion peak at 434 MiB (bench
            // `expansion_memory`); 32 MiB keeps it under the 300 MB bar.
            max_bytes: 32 * 1024 * 1024,
        }
    }
}
