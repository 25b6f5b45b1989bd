//! The audit trail: who changed what in a case, and when.
//!
//! Every applied action appends one [`HistoryEntry`] (undo appends one too: the trail records
//! what happened, it is never rewritten). Entries are plain text so a reviewer can read them
//! in the file and in the History panel; a merge keeps both sides' entries.

use serde::{Deserialize, Serialize};

/// One change to the case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// Unix seconds.
    pub at: i64,
    /// Investigator's name from settings ("" when not set).
    pub by: String,
    /// What changed ("expand eth:0x… (outgoing): +12 nodes, +15 transfers").
    pub what: String,
}
