//! What one expansion of the `evm-rpc` source may still read: the [`ReadCaps`] (logs and
//! bytes) plus a bound on the `eth_getLogs` / `trace_filter` windows asked, so a node that
//! reports an enormous tip or answers with enormous lists cannot keep one expansion going.
//! Every walk of a job shares one [`Budget`]; a walk stops at the first window the budget no
//! longer allows, and the job returns what it read with a resume cursor and a gap.

use crate::sources::limits::ReadCaps;
use serde_json::Value;
use std::cell::Cell;

/// Block windows (`eth_getLogs` / `trace_filter` requests, refusals included) one expansion
/// asks at most unless set otherwise: a full walk of Ethereum mainnet from block 0 in both
/// directions at 10,000 blocks a window needs about 4,800.
pub const DEFAULT_MAX_WINDOWS: u64 = 10_000;

/// How much of the caps one job has used.
#[derive(Debug)]
pub(super) struct Budget {
    caps: ReadCaps,
    max_windows: u64,
    windows: Cell<u64>,
    logs: Cell<u64>,
    bytes: Cell<u64>,
}

impl Budget {
    /// A fresh budget under `caps` and `max_windows`.
    pub(super) fn new(caps: ReadCaps, max_windows: u64) -> Budget {
        Budget {
            caps,
            max_windows: max_windows.max(1),
            windows: Cell::new(0),
            logs: Cell::new(0),
            bytes: Cell::new(0),
        }
    }

    /// Counts one window asked.
    pub(super) fn add_window(&self) {
        self.windows.set(self.windows.get().saturating_add(1));
    }

    /// Counts the bytes of an answer (its JSON text, measured without copying it).
    pub(super) fn add_answer(&self, answer: &Value) {
        self.bytes
            .set(self.bytes.get().saturating_add(json_size(answer)));
    }

    /// Counts `count` logs (or traces) kept.
    pub(super) fn add_logs(&self, count: usize) {
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        self.logs.set(self.logs.get().saturating_add(count));
    }

    /// Logs kept so far.
    pub(super) fn logs_read(&self) -> u64 {
        self.logs.get()
    }

    /// Logs that may still be kept.
    pub(super) fn logs_left(&self) -> u64 {
        self.caps.max_logs.saturating_sub(self.logs.get())
    }

    /// Why no further window may be asked, if a cap is reached.
    pub(super) fn exhausted(&self) -> Option<String> {
        if self.windows.get() >= self.max_windows {
            return Some(format!(
                "{} block-range requests (eth_getLogs / trace_filter) were asked, the most one expansion may",
                self.max_windows
            ));
        }
        if self.logs.get() >= self.caps.max_logs {
            return Some(format!(
                "{} logs and traces were read, the most one expansion may (max_logs)",
                self.logs.get()
            ));
        }
        if self.bytes.get() >= self.caps.max_bytes {
            return Some(format!(
                "{} bytes of answers were read, the most one expansion may (max_bytes {})",
                self.bytes.get(),
                self.caps.max_bytes
            ));
        }
        None
    }
}

/// The length of `value` as compact JSON text, counted by a writer that keeps nothing.
pub(super) fn json_size(value: &Value) -> u64 {
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 = self
                .0
                .saturating_add(u64::try_from(buf.len()).unwrap_or(u64::MAX));
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing a `Value` to a sink that never fails cannot fail.
    let _ = serde_json::to_writer(&mut count, value);
    count.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_cap_ends_the_budget() {
        let caps = ReadCaps {
            max_transactions: 10,
            max_logs: 3,
            max_bytes: 100,
        };
        let budget = Budget::new(caps, 2);
        assert_eq!(budget.exhausted(), None);
        budget.add_window();
        budget.add_window();
        assert!(
            budget
                .exhausted()
                .expect("windows")
                .contains("2 block-range")
        );
        let budget = Budget::new(caps, 10);
        budget.add_logs(3);
        assert_eq!(budget.logs_left(), 0);
        assert!(budget.exhausted().expect("logs").contains("max_logs"));
        let budget = Budget::new(caps, 10);
        budget.add_answer(&json!(["x".repeat(200)]));
        assert!(budget.exhausted().expect("bytes").contains("max_bytes 100"));
        assert_eq!(json_size(&json!({"a": [1, 2]})), 11);
    }
}
