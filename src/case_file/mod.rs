//! Case files: a [`Case`] on disk as pretty, deterministic RON that diffs cleanly in git.
//!
//! A file starts with `format: 2` ([`FORMAT_VERSION`]); a file from a newer Caseboard is refused
//! before the rest of it is read, and a format-1 file (before annotations, history, conflicts,
//! per-chain sources and the content hash) is migrated on load and the [`LoadReport`] says so.
//! The second field is the content hash (see `integrity`). Nodes, transfers and clusters are lists sorted by id, maps are
//! written in key order and amounts are decimal strings of base units, so saving the same case
//! twice gives the same bytes and load → save → load gives an equal case. Loading checks
//! everything (size, UTF-8, syntax, nesting depth, duplicate ids, canonical node ids, cross
//! references) and on any problem returns a [`CaseFileError`] naming the file, line and column;
//! it never panics and changes nothing. Saving runs the same checks, then writes atomically
//! (temporary sibling, fsync, rename), so a failed save leaves the previous file intact.
//! Large cases stay fast (100k nodes, about 110 MB, load and save well under a second): saving
//! streams the text through a buffered writer while hashing it (`fast_write` formats the
//! nodes, transfers and positions directly, byte for byte as `ron` would), and loading reads
//! a file whose hash verifies with a strict reader for those sections on two threads
//! (`fast_read`), falling back to `ron` for anything else; node ids then share one allocation
//! per node. `load_report_with_progress` reports the stage (reading, parsing, checking).
//! `tests/fixtures/case_file/minimal.ron` is a commented example; in short (abridged, the real
//! output puts one field per line):
//!
//! ```text
//! (
//!     format: 2,
//!     content_hash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
//!     meta: (title: "Bybit hack", description: "", created: 1740147180, modified: 1740150000),
//!     source: Demo,
//!     nodes: [(id: "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", kind: Address), …],
//!     transfers: [(id: "btc:…:out0", from: "…", to: "…", asset: (…), amount: "5000000000", …)],
//!     tags: {"btc:…": [(label: "…", category: exchange, confidence: authority_data, …)]},
//!     clusters: [(id: 1, label: "…", …, members: ["…"])],
//!     layout: (positions: {"btc:…": (0.1, -2.5)}, pinned: ["btc:…"]),
//!     view: (zoom: 1.0, pan: (0.0, 0.0)),
//!     annotations: (notes: {1: (id: 1, text: "…", anchor: Some("btc:…"), …)}, …),
//!     conflicts: [],
//!     history: [(at: 1740150000, by: "alice", what: "expand …")],
//! )
//! ```

mod check;
mod error;
mod fast_read;
mod fast_write;
mod format;
mod integrity;
mod load;
#[cfg(test)]
mod reader_props;
mod save;
mod texts;

pub use error::{CaseFileError, CaseFileErrorKind};
pub use integrity::{Integrity, LoadReport};
pub use load::{
    LoadStage, RECURSION_LIMIT, load, load_bytes, load_report, load_report_with_progress, load_str,
    load_str_report,
};
pub use save::{save, save_private};

use crate::model::Case;
use std::path::Path;

/// The case-file format this build writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;

/// Largest case file accepted (1 GiB, far above a 100k-node case); larger input is refused
/// before it is read.
pub const MAX_FILE_BYTES: u64 = 1 << 30;

/// The case as case-file text (what [`save`] writes). Refuses a case that [`load`] would refuse.
pub fn to_ron_string(case: &Case) -> Result<String, CaseFileError> {
    save::to_ron_string_for(case, Path::new(""))
}

/// One-line JSON summary for scripts:
/// `{"format":2,"nodes":N,"transfers":N,"clusters":N,"tags":N}` (tags = total tag count).
pub fn summary_json(case: &Case) -> String {
    let tags: usize = case.tags.values().map(Vec::len).sum();
    format!(
        "{{\"format\":{FORMAT_VERSION},\"nodes\":{},\"transfers\":{},\"clusters\":{},\"tags\":{tags}}}",
        case.nodes.len(),
        case.transfers.len(),
        case.clusters.len(),
    )
}
