//! Auto-flagging: pack tags onto nodes entering a case, and what the packs say about a case.
//!
//! [`flag_fragment`] adds matching tags to an expansion before it is inserted (one undo step
//! with the expansion); [`flag_case`] builds the one `SetTags` action that tags nodes already in
//! the case (after a pack was enabled). Both add only tags a node does not carry yet, so they
//! can run any number of times. A pack tag counts as carried when the node has a tag from the
//! same pack with the same label, category and source (a later edit of its note or confidence
//! does not bring the pack's version back).
//!
//! Several packs may tag a node, and the investigator may too. [`conflict`] reports packs that
//! disagree about what a node is (an exchange and a DPRK perpetrator) until the investigator
//! rules by adding a tag of their own.

use super::index::AttributionIndex;
use super::taxonomy::disagree;
use crate::model::{Action, Case, Category, Confidence, Fragment, NodeId, Tag};
use std::collections::{BTreeMap, HashMap};

/// True when `carried` already holds `tag` from its pack.
fn carries(carried: &[Tag], tag: &Tag) -> bool {
    carried.iter().any(|t| {
        t.pack == tag.pack
            && t.label == tag.label
            && t.category == tag.category
            && t.source == tag.source
    })
}

/// Adds matching pack tags to the fragment's new nodes (in `fragment.tags`), not duplicating
/// tags they already carry.
pub fn flag_fragment(index: &AttributionIndex, fragment: &mut Fragment) {
    if index.is_empty() {
        return;
    }
    let mut slot: HashMap<NodeId, usize> = HashMap::with_capacity(fragment.tags.len());
    for (i, (node, _)) in fragment.tags.iter().enumerate() {
        slot.entry(node.clone()).or_insert(i);
    }
    for node in &fragment.nodes {
        let found = index.lookup(&node.id);
        if found.is_empty() {
            continue;
        }
        let i = *slot.entry(node.id.clone()).or_insert_with(|| {
            fragment.tags.push((node.id.clone(), Vec::new()));
            fragment.tags.len() - 1
        });
        let tags = &mut fragment.tags[i].1;
        for tag in found {
            if !carries(tags, tag) {
                tags.push(tag.clone());
            }
        }
    }
}

/// For nodes already in the case: the `SetTags` action adding the pack tags they don't carry
/// yet (`None` if there is nothing to add).
pub fn flag_case(index: &AttributionIndex, case: &Case) -> Option<Action> {
    if index.is_empty() {
        return None;
    }
    let mut entries = Vec::new();
    let mut added = 0;
    for id in case.nodes.keys() {
        let found = index.lookup(id);
        if found.is_empty() {
            continue;
        }
        let mut tags = case.tags.get(id).cloned().unwrap_or_default();
        let before = tags.len();
        for tag in found {
            if !carries(&tags, tag) {
                tags.push(tag.clone());
            }
        }
        if tags.len() > before {
            added += tags.len() - before;
            entries.push((id.clone(), tags));
        }
    }
    if entries.is_empty() {
        return None;
    }
    let nodes = entries.len();
    Some(Action::SetTags {
        label: format!(
            "flag {nodes} node{} from attribution packs ({added} tag{})",
            plural(nodes),
            plural(added)
        ),
        entries,
    })
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// One pack tag on one node of a case.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    /// The node.
    pub node: NodeId,
    /// Id of the pack.
    pub pack: String,
    /// The tag's label.
    pub label: String,
    /// The tag's category.
    pub category: Category,
    /// The tag's confidence.
    pub confidence: Confidence,
}

/// Every pack tag on every node of the case, sorted by node, pack, label.
pub fn hits(case: &Case) -> Vec<Hit> {
    let mut hits: Vec<Hit> = case
        .tags
        .iter()
        .flat_map(|(node, tags)| {
            tags.iter().filter_map(move |tag| {
                tag.pack.as_ref().map(|pack| Hit {
                    node: node.clone(),
                    pack: pack.clone(),
                    label: tag.label.clone(),
                    category: tag.category.clone(),
                    confidence: tag.confidence,
                })
            })
        })
        .collect();
    hits.sort();
    hits
}

/// Flagged nodes per category, most first, then by name: `2 dprk_attributed, 1 sanctioned`.
/// A node counts once per category however many packs say so. Empty for no hits.
pub fn hit_summary(hits: &[Hit]) -> String {
    let mut nodes: BTreeMap<&str, Vec<&NodeId>> = BTreeMap::new();
    for hit in hits {
        nodes
            .entry(hit.category.name())
            .or_default()
            .push(&hit.node);
    }
    let mut counts: Vec<(usize, &str)> = nodes
        .into_iter()
        .map(|(name, mut ids)| {
            ids.sort_unstable();
            ids.dedup();
            (ids.len(), name)
        })
        .collect();
    counts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    counts
        .iter()
        .map(|(n, name)| format!("{n} {name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Categories of a node's tags that disagree about what it is (see
/// [`taxonomy::disagree`](super::taxonomy::disagree)), sorted; `None` when they agree or when the
/// investigator has ruled with a tag of their own (`pack == None`).
pub fn conflict(tags: &[Tag]) -> Option<Vec<Category>> {
    if tags.iter().any(|t| t.pack.is_none()) {
        return None;
    }
    let mut categories: Vec<&Category> = tags.iter().map(|t| &t.category).collect();
    categories.sort();
    categories.dedup();
    let disagreeing: Vec<Category> = categories
        .iter()
        .filter(|a| categories.iter().any(|b| disagree(a, b)))
        .map(|c| (*c).clone())
        .collect();
    if disagreeing.is_empty() {
        None
    } else {
        Some(disagreeing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack_tag(pack: &str, label: &str, category: Category) -> Tag {
        let mut tag = Tag::new(
            label,
            category,
            Confidence::AuthorityData,
            "https://example.org",
        );
        tag.pack = Some(pack.to_owned());
        tag
    }

    #[test]
    fn conflicts_need_two_kinds_of_entity_and_no_ruling() {
        let exchange = pack_tag("a", "Bybit", Category::Exchange);
        let dprk = pack_tag("b", "Lazarus", Category::DprkAttributed);
        let sanctioned = pack_tag("c", "OFAC", Category::Sanctioned);
        assert_eq!(conflict(&[]), None);
        assert_eq!(conflict(std::slice::from_ref(&exchange)), None);
        assert_eq!(conflict(&[dprk.clone(), sanctioned.clone()]), None);
        assert_eq!(
            conflict(&[exchange.clone(), dprk.clone(), sanctioned.clone()]),
            Some(vec![Category::Exchange, Category::DprkAttributed])
        );
        let own = Tag::new(
            "checked: Bybit hot wallet",
            Category::Exchange,
            Confidence::ManualTransaction,
            "",
        );
        assert_eq!(conflict(&[exchange, dprk, own]), None);
    }

    #[test]
    fn summary_counts_nodes_per_category() {
        let node =
            |n: u8| NodeId::parse(&format!("eth:0x{}", format!("{n:02x}").repeat(20))).unwrap();
        let hit = |n: u8, pack: &str, category: Category| Hit {
            node: node(n),
            pack: pack.to_owned(),
            label: "x".to_owned(),
            category,
            confidence: Confidence::AuthorityData,
        };
        let hits = vec![
            hit(1, "fbi", Category::DprkAttributed),
            hit(1, "lazarus", Category::DprkAttributed),
            hit(2, "fbi", Category::DprkAttributed),
            hit(3, "ofac", Category::Sanctioned),
            hit(4, "bybit", Category::Exchange),
        ];
        assert_eq!(
            hit_summary(&hits),
            "2 dprk_attributed, 1 exchange, 1 sanctioned"
        );
        assert_eq!(hit_summary(&[]), "");
    }
}
