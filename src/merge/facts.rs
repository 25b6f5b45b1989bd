//! Facts: nodes and transfers are unioned by id. Where both sides hold the same id, mine is kept
//! and the optional fields mine lacks are filled in from theirs, so the result does not depend
//! on which side is "mine" unless the two sides recorded different values for the same field.
//! A transfer both sides hold with different ends, asset, amount or transaction is a fact
//! disagreement (one side's source was wrong): mine stays and a conflict records theirs.

use super::MergeReport;
use crate::model::{Case, ConflictKind, Node, Transfer};

/// Unions `mine`'s and `theirs`' nodes and transfers into `out`; transfers whose facts differ
/// go to `found` as conflicts.
pub(super) fn merge_facts(
    mine: &Case,
    theirs: &Case,
    out: &mut Case,
    report: &mut MergeReport,
    found: &mut Vec<ConflictKind>,
) {
    out.nodes = mine.nodes.clone();
    for (id, node) in &theirs.nodes {
        match out.nodes.get_mut(id) {
            Some(kept) => {
                if fill_node(kept, node) {
                    report.nodes_filled += 1;
                }
            }
            None => {
                out.nodes.insert(id.clone(), node.clone());
                report.nodes_added += 1;
            }
        }
    }
    out.transfers = mine.transfers.clone();
    for (id, transfer) in &theirs.transfers {
        match out.transfers.get_mut(id) {
            Some(kept) => {
                if let Some(conflict) = ConflictKind::transfer_facts(kept, transfer) {
                    found.push(conflict);
                }
                if fill_transfer(kept, transfer) {
                    report.transfers_filled += 1;
                }
            }
            None => {
                out.transfers.insert(id.clone(), transfer.clone());
                report.transfers_added += 1;
            }
        }
    }
}

/// Copies `value` into `slot` when `slot` is empty; true when it did.
fn fill<T: Clone>(slot: &mut Option<T>, value: &Option<T>) -> bool {
    if slot.is_none() && value.is_some() {
        slot.clone_from(value);
        true
    } else {
        false
    }
}

/// Fills balance, transaction count and provenance that `node` lacks; true when any was.
fn fill_node(node: &mut Node, other: &Node) -> bool {
    let balance = fill(&mut node.balance, &other.balance);
    let tx_count = fill(&mut node.tx_count, &other.tx_count);
    let provenance = fill(&mut node.provenance, &other.provenance);
    balance || tx_count || provenance
}

/// Fills block height, time and provenance that `transfer` lacks; true when any was.
fn fill_transfer(transfer: &mut Transfer, other: &Transfer) -> bool {
    let height = fill(&mut transfer.block_height, &other.block_height);
    let time = fill(&mut transfer.time, &other.time);
    let provenance = fill(&mut transfer.provenance, &other.provenance);
    height || time || provenance
}
