//! The checks a case passes before it is accepted from a file or written to one.
//!
//! Every node id anywhere in the case must parse with [`NodeId::parse`] and already be in its
//! canonical form, and [`Case::validate`] must find no broken cross-reference. Save runs the same
//! checks as load, so Caseboard never writes a file it would refuse to read back. Text fields
//! are checked last (see `texts`: no NUL, no nameless custom category).

use super::error::{CaseFileErrorKind, Place};
use crate::model::{Case, NodeId};
use std::collections::HashSet;

/// Cases with at least this many nodes are checked on two threads (ids on one,
/// cross-references on the other).
const PARALLEL_MIN_NODES: usize = 5_000;

/// Checks node ids, then cross-references; the first bad id, or all problems.
pub(crate) fn check_case(case: &Case) -> Result<(), CaseFileErrorKind> {
    let problems = if case.nodes.len() >= PARALLEL_MIN_NODES {
        std::thread::scope(|scope| {
            let validated = scope.spawn(|| case.validate());
            let ids = check_node_ids(case);
            // A panicking validation counts as "no problems found"; the ids decide.
            let problems = validated.join().unwrap_or_default();
            ids.map(|()| problems)
        })?
    } else {
        check_node_ids(case)?;
        case.validate()
    };
    if problems.is_empty() {
        super::texts::check_texts(case)
    } else {
        Err(CaseFileErrorKind::Invalid(
            problems.iter().map(ToString::to_string).collect(),
        ))
    }
}

/// Re-parses every node id in the case (each distinct id once).
fn check_node_ids(case: &Case) -> Result<(), CaseFileErrorKind> {
    let mut seen = Seen::with_capacity(case.nodes.len());
    for (key, node) in &case.nodes {
        seen.check(key, Place::Node)?;
        seen.check(&node.id, Place::Node)?;
    }
    for t in case.transfers.values() {
        seen.check(&t.from, Place::TransferFrom(t.id.as_str()))?;
        seen.check(&t.to, Place::TransferTo(t.id.as_str()))?;
    }
    for id in case.tags.keys() {
        seen.check(id, Place::Tags)?;
    }
    for cluster in case.clusters.values() {
        for id in &cluster.members {
            seen.check(id, Place::Cluster(cluster.id.0))?;
        }
    }
    for id in case.layout.positions.keys() {
        seen.check(id, Place::Position)?;
    }
    for id in &case.layout.pinned {
        seen.check(id, Place::Pinned)?;
    }
    for id in case.annotation_node_ids() {
        seen.check(id, Place::Annotation)?;
    }
    Ok(())
}

/// Ids already found valid (a bad one ends the check at once), so each is parsed once. The
/// reader shares one text between a node and every mention of it, so most ids are found by the
/// address of their text (one number hashed) before their text is hashed.
struct Seen<'c> {
    texts: HashSet<&'c str, foldhash::fast::RandomState>,
    addresses: HashSet<usize, foldhash::fast::RandomState>,
}

impl<'c> Seen<'c> {
    fn with_capacity(capacity: usize) -> Seen<'c> {
        Seen {
            texts: HashSet::with_capacity_and_hasher(capacity, Default::default()),
            addresses: HashSet::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    fn check(&mut self, id: &'c NodeId, place: Place<'_>) -> Result<(), CaseFileErrorKind> {
        // The text lives as long as `'c`, so its address names it for the whole check.
        let address = id.as_str().as_ptr() as usize;
        if self.addresses.contains(&address) {
            return Ok(());
        }
        if !self.texts.contains(id.as_str()) {
            check_node_id(id, place)?;
            self.texts.insert(id.as_str());
        }
        self.addresses.insert(address);
        Ok(())
    }
}

/// One id: must parse, and parsing must give it back unchanged.
fn check_node_id(id: &NodeId, place: Place<'_>) -> Result<(), CaseFileErrorKind> {
    let invalid = |reason: String| CaseFileErrorKind::InvalidNodeId {
        id: id.as_str().to_owned(),
        place: place.to_string().into(),
        reason: reason.into(),
    };
    match NodeId::parse(id.as_str()) {
        Ok(parsed) if parsed == *id => Ok(()),
        Ok(parsed) => Err(invalid(format!(
            "not in canonical form (should be {parsed})"
        ))),
        Err(e) => Err(invalid(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;

    fn id(text: &str) -> NodeId {
        NodeId::parse(text).expect("valid id")
    }

    #[test]
    fn accepts_a_valid_case() {
        let mut case = Case::new("t", 0);
        let a = id("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        case.nodes.insert(a.clone(), Node::address(a));
        assert_eq!(check_case(&case), Ok(()));
    }

    #[test]
    fn refuses_non_canonical_ids_and_names_the_place() {
        let mut case = Case::new("t", 0);
        let a = id("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
        case.nodes.insert(a.clone(), Node::address(a.clone()));
        let upper: NodeId = ron::from_str("\"eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\"")
            .expect("unchecked id");
        case.layout.pinned.insert(upper);
        match check_case(&case) {
            Err(CaseFileErrorKind::InvalidNodeId { place, reason, .. }) => {
                assert_eq!(&*place, "the pinned nodes");
                assert!(reason.contains("canonical"), "{reason}");
                assert!(
                    reason.contains("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
                    "{reason}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}
