//! Tags: per node, the union of both sides' tag lists (equal tags once). With a base the merge
//! is per tag: a tag one side deleted and the other kept unchanged is deleted, a tag added on
//! either side is kept. When the two sides' tags give the node different categories (the one
//! [`Case::display_category`] colours it with, cluster aside: the one rule
//! [`crate::model::tag::tags_category`]) a [`ConflictKind::Tags`] is recorded. A cluster's
//! category is not a tag judgement; clusters are compared on their own.

use super::MergeReport;
use crate::model::tag::tags_category as tag_category;
use crate::model::{Case, ConflictKind, NodeId, Tag};
use std::collections::BTreeSet;

/// Merges the tags of every node into `out.tags`; disagreements go to `conflicts`.
pub(super) fn merge_tags(
    mine: &Case,
    theirs: &Case,
    base: Option<&Case>,
    out: &mut Case,
    report: &mut MergeReport,
    conflicts: &mut Vec<ConflictKind>,
) {
    let nodes: BTreeSet<&NodeId> = mine.tags.keys().chain(theirs.tags.keys()).collect();
    let none: Vec<Tag> = Vec::new();
    out.tags.clear();
    for node in nodes {
        let m = mine.tags.get(node).unwrap_or(&none);
        let t = theirs.tags.get(node).unwrap_or(&none);
        let b = base.map(|b| b.tags.get(node).map_or(none.as_slice(), Vec::as_slice));
        let merged = merge_lists(m, t, b);
        if !same_tags(m, t) && categories_disagree(m, t, b) {
            conflicts.push(ConflictKind::Tags {
                node: node.clone(),
                mine: m.clone(),
                theirs: t.clone(),
            });
        }
        report.tags_added += merged.iter().filter(|tag| !m.contains(tag)).count();
        report.deletions_applied += m.iter().filter(|tag| !merged.contains(tag)).count();
        if !merged.is_empty() {
            out.tags.insert(node.clone(), merged);
        }
    }
}

/// The same tags, in any order.
fn same_tags(a: &[Tag], b: &[Tag]) -> bool {
    a.len() == b.len() && a.iter().all(|t| b.contains(t)) && b.iter().all(|t| a.contains(t))
}

/// One node's tag list: union without a base, per-tag three-way merge with one.
fn merge_lists(mine: &[Tag], theirs: &[Tag], base: Option<&[Tag]>) -> Vec<Tag> {
    let mut out = mine.to_vec();
    match base {
        None => {
            for tag in theirs {
                if !out.contains(tag) {
                    out.push(tag.clone());
                }
            }
            out
        }
        Some(base) => {
            if same_tags(mine, theirs) || same_tags(theirs, base) {
                return out;
            }
            if same_tags(mine, base) {
                return theirs.to_vec();
            }
            // Mine's tags that theirs kept or that mine added, then theirs' additions.
            out.retain(|tag| theirs.contains(tag) || !base.contains(tag));
            for tag in theirs {
                if !base.contains(tag) && !out.contains(tag) {
                    out.push(tag.clone());
                }
            }
            out
        }
    }
}

/// True when the two sides' tags give the node different categories. Without a base both must
/// give it one; with a base, both must have moved it away from base's category (a change on
/// one side only is not a disagreement).
fn categories_disagree(mine: &[Tag], theirs: &[Tag], base: Option<&[Tag]>) -> bool {
    let m = tag_category(mine);
    let t = tag_category(theirs);
    match base {
        None => matches!((m, t), (Some(m), Some(t)) if m != t),
        Some(base) => {
            let b = tag_category(base);
            m != t && m != b && t != b
        }
    }
}
