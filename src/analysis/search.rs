//! Find anything in a case: an address (full, any case, a prefix, or the short `0x12…ab` form
//! the canvas shows), a transaction hash (or its start), a tag or cluster label, or note text.
//!
//! Matching ignores case. Results are ranked exact first, then prefix, then anywhere inside,
//! and within a rank by kind and text, so the same query always lists the same hits. The query
//! is cut to [`MAX_QUERY_CHARS`] characters and at most `limit` hits are returned; one linear
//! pass over the case, no byte slicing of the (untrusted) texts.

use crate::model::{Case, NodeId};
use std::collections::BTreeSet;

/// Longest query read, characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// What a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HitKind {
    /// A node's address or id.
    Address,
    /// A transaction hash (the hit selects both ends of its transfers).
    Transaction,
    /// A tag's or a cluster's label.
    Label,
    /// A note's text.
    Note,
}

impl HitKind {
    /// Name shown in the results list.
    pub fn name(self) -> &'static str {
        match self {
            HitKind::Address => "address",
            HitKind::Transaction => "transaction",
            HitKind::Label => "label",
            HitKind::Note => "note",
        }
    }
}

/// One thing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// What it is.
    pub kind: HitKind,
    /// The text that matched (clipped for the list).
    pub text: String,
    /// The nodes to select and zoom to.
    pub nodes: Vec<NodeId>,
    /// 0 exact, 1 prefix (or short form), 2 inside.
    pub rank: u8,
}

/// How `text` matches the lower-case `query`: 0 exact, 1 prefix, 2 inside.
fn rank_of(text: &str, query: &str, short: Option<(&str, &str)>) -> Option<u8> {
    let lower = text.to_lowercase();
    if lower == query {
        return Some(0);
    }
    if lower.starts_with(query) {
        return Some(1);
    }
    if let Some((head, tail)) = short
        && lower.starts_with(head)
        && lower.ends_with(tail)
    {
        return Some(1);
    }
    lower.contains(query).then_some(2)
}

/// The short form's two ends (`0x12…ab` or `0x12...ab` → `("0x12", "ab")`).
fn short_form_ends(query: &str) -> Option<(&str, &str)> {
    let (head, tail) = query.split_once('…').or_else(|| query.split_once("..."))?;
    (!head.is_empty() && !tail.is_empty()).then_some((head, tail))
}

/// Up to `limit` hits for `query` in `case`, best first.
pub fn find(case: &Case, query: &str, limit: usize) -> Vec<Hit> {
    let query: String = query.trim().chars().take(MAX_QUERY_CHARS).collect();
    let query = query.to_lowercase();
    if query.is_empty() || limit == 0 {
        return Vec::new();
    }
    let short = short_form_ends(&query);
    let mut hits = Vec::new();
    for id in case.nodes.keys() {
        let best = [id.as_str(), id.value()]
            .iter()
            .filter_map(|text| rank_of(text, &query, short))
            .min();
        if let Some(rank) = best {
            hits.push(hit(HitKind::Address, id.as_str(), vec![id.clone()], rank));
        }
    }
    let mut seen_tx: BTreeSet<&str> = BTreeSet::new();
    for t in case.transfers.values() {
        let hash = t.tx_hash.as_str();
        let bare = hash.strip_prefix("0x").unwrap_or(hash);
        let Some(rank) = [hash, bare]
            .iter()
            .filter_map(|text| rank_of(text, &query, None))
            .min()
        else {
            continue;
        };
        if seen_tx.insert(hash) {
            let mut nodes: Vec<NodeId> = case
                .transfers
                .values()
                .filter(|other| other.tx_hash == t.tx_hash)
                .flat_map(|other| [other.from.clone(), other.to.clone()])
                .collect();
            nodes.sort();
            nodes.dedup();
            hits.push(hit(HitKind::Transaction, hash, nodes, rank));
        }
    }
    for (id, tags) in &case.tags {
        for tag in tags {
            if let Some(rank) = rank_of(&tag.label, &query, None) {
                hits.push(hit(HitKind::Label, &tag.label, vec![id.clone()], rank));
            }
        }
    }
    for cluster in case.clusters.values() {
        if let Some(rank) = rank_of(&cluster.label, &query, None) {
            let members: Vec<NodeId> = cluster.members.iter().cloned().collect();
            hits.push(hit(HitKind::Label, &cluster.label, members, rank));
        }
    }
    for note in case.annotations.notes.values() {
        if let Some(rank) = rank_of(&note.text, &query, None) {
            let nodes = note.anchor.iter().cloned().collect();
            hits.push(hit(HitKind::Note, &note.text, nodes, rank));
        }
    }
    hits.sort_by(|a, b| (a.rank, a.kind, &a.text).cmp(&(b.rank, b.kind, &b.text)));
    hits.truncate(limit);
    hits
}

fn hit(kind: HitKind, text: &str, nodes: Vec<NodeId>, rank: u8) -> Hit {
    let one_line = text.lines().next().unwrap_or("");
    Hit {
        kind,
        text: crate::util::clip(one_line, 80).into_owned(),
        nodes,
        rank,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Category, Chain, Confidence, Tag};

    fn id(n: u8) -> NodeId {
        NodeId::parse(&format!("eth:0x{n:02x}{}", "ab".repeat(19))).expect("id")
    }

    fn case() -> Case {
        let mut case = Case::new("find", 0);
        let eth = Asset::native(Chain::ETHEREUM);
        case.put_test_transfer("0xfeed01", (id(0x12), id(0x34)), eth.clone(), 1, None);
        case.put_test_transfer("leg2", (id(0x34), id(0x56)), eth, 1, None);
        let leg2 = crate::model::TransferId::from("leg2");
        case.transfers.get_mut(&leg2).expect("leg2").tx_hash = "0xfeed01".to_owned();
        case.tags.insert(
            id(0x56),
            vec![Tag::new(
                "Binance 14",
                Category::Exchange,
                Confidence::Ownership,
                "test",
            )],
        );
        case.annotations.notes.insert(
            crate::model::NoteId(1),
            crate::model::Note {
                id: crate::model::NoteId(1),
                text: "Peel chain starts — über 40 hops\nsecond line".to_owned(),
                anchor: Some(id(0x34)),
                position: [0.0, 0.0],
                author: String::new(),
                modified: 0,
            },
        );
        case
    }

    #[test]
    fn addresses_by_full_prefix_and_short_form() {
        let case = case();
        let full = find(
            &case,
            &id(0x12).value().to_uppercase().replace("0X", "0x"),
            10,
        );
        assert_eq!(full[0].kind, HitKind::Address);
        assert_eq!((full[0].rank, &full[0].nodes), (0, &vec![id(0x12)]));
        let prefix = find(&case, "0x34ab", 10);
        assert_eq!(prefix[0].nodes, vec![id(0x34)]);
        assert_eq!(prefix[0].rank, 1);
        for short in ["0x56ab…abab", "0x56ab...abab"] {
            let hits = find(&case, short, 10);
            assert_eq!(hits.len(), 1, "{short}: {hits:?}");
            assert_eq!(hits[0].nodes, vec![id(0x56)]);
        }
    }

    #[test]
    fn a_transaction_selects_both_ends_of_its_transfers() {
        let hits = find(&case(), "feed01", 10);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].kind, HitKind::Transaction);
        assert_eq!(hits[0].nodes, vec![id(0x12), id(0x34), id(0x56)]);
    }

    #[test]
    fn labels_and_notes_any_case_unicode_and_bounded() {
        let case = case();
        let label = find(&case, "binance", 10);
        assert_eq!(
            (label[0].kind, label[0].text.as_str()),
            (HitKind::Label, "Binance 14")
        );
        let note = find(&case, "ÜBER 40", 10);
        assert_eq!(note[0].kind, HitKind::Note);
        assert_eq!(
            note[0].text, "Peel chain starts — über 40 hops",
            "first line only"
        );
        assert_eq!(note[0].nodes, vec![id(0x34)]);
        assert!(find(&case, "   ", 10).is_empty());
        assert!(find(&case, "ab", 0).is_empty());
        assert_eq!(find(&case, "ab", 2).len(), 2, "at most the limit");
        let long: String = "é".repeat(10_000);
        assert!(
            find(&case, &long, 10).is_empty(),
            "a long multi-byte query is cut, no panic"
        );
        // Exact before prefix before inside.
        let ranks: Vec<u8> = find(&case, "0x", 10).iter().map(|h| h.rank).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    }
}
