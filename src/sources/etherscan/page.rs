//! What one Etherscan/Blockscout expansion gathered besides its legs, and what it says about
//! what it did not read: the genesis allocation, the read caps ([`ReadCaps`]: `txlist` rows
//! count against `max_transactions`, `txlistinternal` and `tokentx` rows against `max_logs`,
//! every answer's bytes against `max_bytes`), the page limit per list, and an address the
//! server has no history for. Each becomes one sentence of the page's gaps.

use super::facts::{Genesis, Kind, Leg};
use crate::sources::limits::ReadCaps;

/// Everything an expansion read, before it becomes counterparties.
#[derive(Debug, Default)]
pub(super) struct Reading {
    pub(super) legs: Vec<Leg>,
    pub(super) genesis: Vec<Genesis>,
    /// Rows read from `txlist`.
    pub(super) transactions: u64,
    /// Rows read from `txlistinternal` and `tokentx`.
    pub(super) logs: u64,
    /// Answer bytes read.
    pub(super) bytes: u64,
    pub(super) gaps: Vec<String>,
}

impl Reading {
    /// Counts a page of `rows` rows of `kind` and `bytes` bytes.
    pub(super) fn count(&mut self, kind: Kind, rows: usize, bytes: usize) {
        let rows = u64::try_from(rows).unwrap_or(u64::MAX);
        match kind {
            Kind::Native => self.transactions = self.transactions.saturating_add(rows),
            Kind::Internal | Kind::Token => self.logs = self.logs.saturating_add(rows),
        }
        self.bytes = self
            .bytes
            .saturating_add(u64::try_from(bytes).unwrap_or(u64::MAX));
    }

    /// Which cap stops list `kind` before its next page, in words, if one does.
    pub(super) fn cap_reached(&self, kind: Kind, caps: &ReadCaps) -> Option<String> {
        if self.bytes >= caps.max_bytes {
            return Some(format!(
                "{} bytes of answers were read, the most one expansion may (max_bytes)",
                self.bytes
            ));
        }
        match kind {
            Kind::Native if self.transactions >= caps.max_transactions => Some(format!(
                "{} transactions were read, the most one expansion may (max_transactions)",
                self.transactions
            )),
            Kind::Internal | Kind::Token if self.logs >= caps.max_logs => Some(format!(
                "{} internal and token transfers were read, the most one expansion may (max_logs)",
                self.logs
            )),
            _ => None,
        }
    }

    /// Notes that list `kind` stopped after `block` for `reason`.
    pub(super) fn stopped(&mut self, kind: Kind, block: Option<u64>, reason: &str) {
        let after = block.map_or_else(String::new, |b| format!(" after block {b}"));
        self.gaps.push(format!(
            "{reason}: {} rows{after} were not read (this source reads a history from its \
             oldest transfer; a node or a narrower case can go further)",
            kind.action()
        ));
    }

    /// True when no list had a single row (not even a dropped one).
    pub(super) fn is_empty(&self) -> bool {
        self.transactions == 0 && self.logs == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_stop_the_right_lists() {
        let caps = ReadCaps {
            max_transactions: 2,
            max_logs: 3,
            max_bytes: 1000,
        };
        let mut reading = Reading::default();
        assert!(reading.is_empty());
        reading.count(Kind::Native, 2, 10);
        assert!(!reading.is_empty());
        assert!(
            reading
                .cap_reached(Kind::Native, &caps)
                .expect("txs")
                .contains("max_transactions")
        );
        assert_eq!(reading.cap_reached(Kind::Token, &caps), None);
        reading.count(Kind::Internal, 3, 10);
        assert!(reading.cap_reached(Kind::Token, &caps).is_some());
        reading.count(Kind::Token, 0, 980);
        assert!(
            reading
                .cap_reached(Kind::Native, &caps)
                .expect("bytes")
                .contains("max_bytes")
        );
        reading.stopped(Kind::Token, Some(7), "cap");
        assert!(reading.gaps[0].starts_with("cap: tokentx rows after block 7 were not read"));
    }
}
