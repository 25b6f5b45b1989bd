//! Case merge: two investigators' copies of a case combined into one, optionally against the
//! common base both started from, without silently dropping either side's work.
//!
//! - **Facts** (nodes, transfers, their provenance) are unioned by id. Where both hold the same
//!   id, mine is kept and the fields mine lacks (balance, tx count, provenance; block height,
//!   time, provenance of a transfer) are filled in from theirs, so for facts the merge is
//!   commutative whenever the sides do not record different values for one field. Facts are
//!   never deleted, even when one side deleted a node after the base. The same transfer id
//!   with different ends, asset, amount or transaction on the two sides keeps mine and records
//!   a [`Conflict`] (a fact disagreement is evidence that one side's source was wrong).
//! - **Judgements** (tags, clusters, notes, arrows) of both sides are kept. With a base, a change
//!   made on one side only wins without asking, deletions included; without a base nothing is
//!   deleted. Where the two disagree — a node given different categories, a cluster or note
//!   changed differently on both sides — mine stays in place and a [`Conflict`] naming theirs
//!   ([`MergeOptions::theirs_label`]) is recorded for the investigator to resolve. Tag lists are
//!   unioned (see `tags`); cluster, note and arrow ids are allocated independently on each side,
//!   so theirs' new ones are renumbered where they collide (see `clusters` and `notes`), and a
//!   node claimed by two clusters stays in mine's and the other cluster records a conflict.
//! - **Everything else**: highlights, positions and per-chain sources are mine, filled in from
//!   theirs; pins are unioned; view, title, description and source are mine; contributors are
//!   unioned (plus the investigator merging); both histories are kept (sorted by time, exact
//!   duplicates once) and one entry describing the merge is appended; both sides' open
//!   conflicts are carried over, renumbered as needed; a finding either side dismissed stays
//!   dismissed.
//!
//! [`merge`] is a pure function: given valid cases (as [`crate::case_file::load`] returns them)
//! it returns a case that [`Case::validate`] accepts, and a [`MergeReport`] counting what
//! happened.

mod clusters;
mod conflicts;
mod facts;
mod ids;
mod notes;
mod tags;
#[cfg(test)]
mod tests;

use crate::model::{Case, ConflictKind, HistoryEntry};
use std::collections::BTreeSet;

/// Who and what the merge is for.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MergeOptions {
    /// Short name of theirs, shown with each conflict and in the history (a file name, or the
    /// investigators who worked on it).
    pub theirs_label: String,
    /// Investigator doing the merge ("" when unknown).
    pub by: String,
    /// Unix seconds of the merge (the history entry and the case's modified time).
    pub at: i64,
}

/// What a merge did, counted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MergeReport {
    /// Nodes only theirs had.
    pub nodes_added: usize,
    /// Nodes both had, where mine lacked a field theirs filled in.
    pub nodes_filled: usize,
    /// Transfers only theirs had.
    pub transfers_added: usize,
    /// Transfers both had, where mine lacked a field theirs filled in.
    pub transfers_filled: usize,
    /// Tags in the merged case that mine did not have.
    pub tags_added: usize,
    /// Clusters new from theirs.
    pub clusters_added: usize,
    /// Mine's clusters replaced by theirs' version (changed only there), or given theirs'
    /// members (no base).
    pub clusters_updated: usize,
    /// Notes new from theirs.
    pub notes_added: usize,
    /// Mine's notes replaced by theirs' version (changed only there).
    pub notes_updated: usize,
    /// Arrows new from theirs.
    pub arrows_added: usize,
    /// Arrows dropped because a note they point at is not in the merged case.
    pub arrows_dropped: usize,
    /// Conflicts this merge recorded.
    pub conflicts: usize,
    /// Theirs' open conflicts carried over.
    pub conflicts_carried: usize,
    /// Mine's tags, clusters, notes, arrows and conflicts deleted because theirs deleted (or
    /// resolved) them and mine had left them as in base.
    pub deletions_applied: usize,
}

impl MergeReport {
    /// One line: `+N nodes, +M transfers, +T tags, +C clusters, +K notes, X conflicts`, then
    /// only the other counts that are not zero.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "+{} nodes, +{} transfers, +{} tags, +{} clusters, +{} notes, {} conflicts",
            self.nodes_added,
            self.transfers_added,
            self.tags_added,
            self.clusters_added,
            self.notes_added,
            self.conflicts
        );
        let extras = [
            (self.conflicts_carried, "conflicts carried over"),
            (self.deletions_applied, "deletions applied"),
            (self.nodes_filled, "nodes filled in"),
            (self.transfers_filled, "transfers filled in"),
            (self.clusters_updated, "clusters updated"),
            (self.notes_updated, "notes updated"),
            (self.arrows_added, "arrows added"),
            (self.arrows_dropped, "arrows dropped (note gone)"),
        ];
        for (count, what) in extras {
            if count > 0 {
                line.push_str(&format!(", {count} {what}"));
            }
        }
        line
    }
}

/// The merged case and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct MergeOutcome {
    /// The merged case.
    pub case: Case,
    /// Counts.
    pub report: MergeReport,
}

/// Merges `theirs` into `mine`, against their common `base` when known (see the module doc).
pub fn merge(
    mine: &Case,
    theirs: &Case,
    base: Option<&Case>,
    options: &MergeOptions,
) -> MergeOutcome {
    let mut report = MergeReport::default();
    let mut out = Case {
        meta: mine.meta.clone(),
        view: mine.view.clone(),
        source: mine.source.clone(),
        ..Case::default()
    };
    let mut found: Vec<ConflictKind> = Vec::new();
    facts::merge_facts(mine, theirs, &mut out, &mut report, &mut found);
    tags::merge_tags(mine, theirs, base, &mut out, &mut report, &mut found);
    let mut cluster_ids =
        clusters::merge_clusters(mine, theirs, base, &mut out, &mut report, &mut found);
    let mut note_ids = notes::merge_notes(mine, theirs, base, &mut out, &mut report, &mut found);
    notes::merge_arrows(mine, theirs, base, &note_ids, &mut out, &mut report);
    merge_rest(mine, theirs, &mut out);

    let mut list = conflicts::ConflictList::from_mine(mine, theirs, base, &mut report);
    list.carry_theirs(theirs, base, &mut cluster_ids, &mut note_ids, &mut report);
    for kind in found {
        list.record(kind, &options.theirs_label, &mut report);
    }
    out.conflicts = list.finish();

    merge_meta(mine, theirs, options, &mut out);
    out.history = merged_history(mine, theirs);
    // A finding either side dismissed stays dismissed (mine's record kept where both did).
    for (fingerprint, dismissal) in &theirs.findings.dismissed {
        out.findings
            .dismissed
            .entry(fingerprint.clone())
            .or_insert_with(|| dismissal.clone());
    }
    let label = if options.theirs_label.is_empty() {
        "theirs"
    } else {
        options.theirs_label.as_str()
    };
    out.history.push(HistoryEntry {
        at: options.at,
        by: options.by.clone(),
        what: format!(
            "merge {label}: +{} nodes, +{} transfers, {} conflicts",
            report.nodes_added, report.transfers_added, report.conflicts
        ),
    });
    MergeOutcome { case: out, report }
}

/// Highlights, positions, pins and per-chain sources: mine, filled in from theirs.
fn merge_rest(mine: &Case, theirs: &Case, out: &mut Case) {
    fn fill<K: Ord + Clone, V: Clone>(
        mine: &std::collections::BTreeMap<K, V>,
        theirs: &std::collections::BTreeMap<K, V>,
    ) -> std::collections::BTreeMap<K, V> {
        let mut out = mine.clone();
        for (key, value) in theirs {
            out.entry(key.clone()).or_insert_with(|| value.clone());
        }
        out
    }
    let (m, t) = (&mine.annotations, &theirs.annotations);
    out.annotations.node_highlights = fill(&m.node_highlights, &t.node_highlights);
    out.annotations.edge_highlights = fill(&m.edge_highlights, &t.edge_highlights);
    out.layout.positions = fill(&mine.layout.positions, &theirs.layout.positions);
    out.layout.pinned = mine
        .layout
        .pinned
        .union(&theirs.layout.pinned)
        .cloned()
        .collect();
    out.chain_sources = fill(&mine.chain_sources, &theirs.chain_sources);
}

/// Title, description and view stay mine; created is the earlier of the two (0 = unknown),
/// modified is the merge time, contributors are unioned with the investigator merging.
fn merge_meta(mine: &Case, theirs: &Case, options: &MergeOptions, out: &mut Case) {
    let created = [mine.meta.created, theirs.meta.created]
        .into_iter()
        .filter(|t| *t != 0)
        .min()
        .unwrap_or(0);
    out.meta.created = created;
    out.meta.modified = options.at;
    out.meta
        .contributors
        .extend(theirs.meta.contributors.iter().cloned());
    if !options.by.is_empty() {
        out.meta.contributors.insert(options.by.clone());
    }
}

/// Both histories, sorted by time (stable: mine's entries first within a second, each side's
/// own order kept), exact duplicates once.
fn merged_history(mine: &Case, theirs: &Case) -> Vec<HistoryEntry> {
    let mut seen: BTreeSet<&HistoryEntry> = BTreeSet::new();
    let mut all: Vec<&HistoryEntry> = mine
        .history
        .iter()
        .chain(&theirs.history)
        .filter(|entry| seen.insert(entry))
        .collect();
    all.sort_by_key(|entry| entry.at);
    all.into_iter().cloned().collect()
}
