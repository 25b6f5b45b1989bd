//! What the case remembers about analysis: findings the investigator dismissed, so a detector
//! run does not propose them again. A finding is recorded by its fingerprint (kind, method and
//! evidence; see `analysis::findings::Finding::fingerprint`) with what it said, who dismissed
//! it and when, so a reviewer can see what was set aside. Applied findings need no record here:
//! they live on as tags, clusters and notes with the method in their source.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest fingerprint accepted (kind name + ':' + 16 hex digits fits easily).
pub const MAX_FINGERPRINT_CHARS: usize = 64;

/// One dismissed finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dismissal {
    /// The finding's method, `peel_chain@1`.
    pub method: String,
    /// What the finding said.
    pub summary: String,
    /// Investigator who dismissed it.
    #[serde(default)]
    pub by: String,
    /// Unix seconds.
    #[serde(default)]
    pub at: i64,
}

/// The case's analysis records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingRecords {
    /// Dismissed findings by fingerprint.
    #[serde(default)]
    pub dismissed: BTreeMap<String, Dismissal>,
}

impl FindingRecords {
    /// True when nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.dismissed.is_empty()
    }
}

/// True when `fingerprint` has the shape fingerprints have: a kind name, ':', hex digits.
pub fn is_fingerprint(fingerprint: &str) -> bool {
    let Some((kind, hash)) = fingerprint.split_once(':') else {
        return false;
    };
    fingerprint.chars().count() <= MAX_FINGERPRINT_CHARS
        && !kind.is_empty()
        && kind.chars().all(|c| c.is_ascii_lowercase() || c == '_')
        && !hash.is_empty()
        && hash.chars().all(|c| c.is_ascii_hexdigit())
}
