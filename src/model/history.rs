//! The audit trail: who changed what in a case, and when.
//!
//! Every applied action appends one [`HistoryEntry`] (undo appends one too: the trail records
//! what happened, it is never rewritten). Entries are plain text so a reviewer can read them
//! in the file and in the History panel; a merge keeps both sides' entries.

use serde::{Deserialize, Serialize};

/// One change to the case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryEntry {
    /// Unix seconds.
    pub at: i64,
    /// Investigator's name from settings ("" when not set).
    pub by: String,
    /// What changed ("expand eth:0x… (outgoing): +12 nodes, +15 transfers").
    pub what: String,
}

/// Most entries a case keeps; the oldest are dropped beyond this (a long investigation with
/// many drags stays well under it, and the file stays small).
pub const MAX_HISTORY_ENTRIES: usize = 20_000;

impl super::Case {
    /// Appends "`by` did `what` at `at`" to the audit trail and lists `by` as a contributor.
    pub fn record(&mut self, by: &str, at: i64, what: impl Into<String>) {
        let by = by.trim();
        if !by.is_empty() && !self.meta.contributors.contains(by) {
            self.meta.contributors.insert(by.to_owned());
        }
        self.history.push(HistoryEntry {
            at,
            by: by.to_owned(),
            what: what.into(),
        });
        if self.history.len() > MAX_HISTORY_ENTRIES {
            let excess = self.history.len() - MAX_HISTORY_ENTRIES;
            self.history.drain(..excess);
        }
    }

    /// When the case last changed (Unix seconds): its newest history entry, else (a case
    /// without history) the time it was last saved, else when it was created; 0 = unknown.
    pub fn last_changed(&self) -> i64 {
        self.history
            .last()
            .map(|entry| entry.at)
            .filter(|&at| at > 0)
            .unwrap_or(if self.meta.modified > 0 {
                self.meta.modified
            } else {
                self.meta.created
            })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Case;

    #[test]
    fn records_entries_and_contributors() {
        let mut case = Case::new("t", 0);
        case.record("alice", 10, "expand x");
        case.record("", 11, "tag y");
        case.record("alice", 12, "undo tag y");
        assert_eq!(case.history.len(), 3);
        assert_eq!(case.history[1].by, "");
        assert_eq!(case.meta.contributors.iter().collect::<Vec<_>>(), ["alice"]);
        assert_eq!(case.last_changed(), 12);
    }

    #[test]
    fn last_changed_falls_back_to_saved_then_created() {
        let mut case = Case::new("t", 100);
        assert_eq!(case.last_changed(), 100);
        case.meta.modified = 0;
        assert_eq!(case.last_changed(), 100);
        case.meta.modified = 200;
        assert_eq!(case.last_changed(), 200);
    }
}
