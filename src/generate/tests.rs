//! Tests of the synthetic case generator: exact node counts, determinism, validity, the
//! transfer ratio, canonical ids, realistic structure, and a round trip through a case file.

use super::generate_case;
use crate::model::{Category, Chain, NodeId, NodeKind};
use std::collections::HashMap;

#[test]
fn node_count_is_exact_for_any_size() {
    for n in [0, 1, 2, 3, 5, 17, 64, 100, 999, 2_500, 12_345] {
        let case = generate_case(n, 7);
        assert_eq!(case.nodes.len(), n, "nodes for {n}");
        assert_eq!(case.layout.positions.len(), n, "positions for {n}");
        assert!(case.validate().is_empty(), "{n}: {:?}", case.validate());
    }
}

#[test]
fn same_seed_same_case_other_seed_other_case() {
    let a = generate_case(3_000, 42);
    assert_eq!(a, generate_case(3_000, 42));
    let b = generate_case(3_000, 43);
    assert_ne!(a.nodes.keys().next(), b.nodes.keys().next());
    assert_ne!(a, b);
}

#[test]
fn about_one_and_a_half_transfers_per_node() {
    for n in [1_000, 20_000] {
        let case = generate_case(n, 3);
        let ratio = case.transfers.len() as f64 / case.nodes.len() as f64;
        assert!((1.45..=1.55).contains(&ratio), "{n}: {ratio}");
    }
}

#[test]
fn ids_are_canonical_and_amounts_exact() {
    let case = generate_case(5_000, 11);
    let mut chains = HashMap::new();
    for (id, node) in &case.nodes {
        let parsed = NodeId::parse(id.as_str()).expect("valid id");
        assert_eq!(&parsed, id, "canonical");
        assert_eq!(
            node.kind == NodeKind::Transaction,
            id.is_transaction(),
            "{id}"
        );
        *chains.entry(id.chain()).or_insert(0) += 1;
    }
    assert!(chains[&Some(Chain::Bitcoin)] > 500, "{chains:?}");
    assert!(chains[&Some(Chain::ETHEREUM)] > 2_000, "{chains:?}");
    for t in case.transfers.values() {
        assert!(t.amount > 0, "{}", t.id);
        assert!(t.time.is_some() && t.block_height.is_some());
        assert_eq!(t.tx_hash.len(), 64);
        assert_eq!(t.from.chain(), t.to.chain(), "{}", t.id);
        assert!(t.id.as_str().contains(&t.tx_hash));
    }
    assert!(
        case.layout
            .positions
            .values()
            .all(|p| p[0].is_finite() && p[1].is_finite())
    );
}

#[test]
fn has_hubs_a_mixer_peel_chains_and_tags() {
    let case = generate_case(20_000, 5);
    let mut degree: HashMap<&NodeId, usize> = HashMap::new();
    for t in case.transfers.values() {
        *degree.entry(&t.from).or_default() += 1;
        *degree.entry(&t.to).or_default() += 1;
    }
    let tagged = |category: Category| {
        case.tags
            .iter()
            .filter(|(_, tags)| tags.iter().any(|t| t.category == category))
            .map(|(id, _)| id)
            .collect::<Vec<_>>()
    };
    let exchanges = tagged(Category::Exchange);
    assert!(exchanges.len() >= 2, "{exchanges:?}");
    let biggest = exchanges
        .iter()
        .map(|id| degree.get(id).copied().unwrap_or(0))
        .max()
        .unwrap_or(0);
    assert!(
        biggest > 1_000,
        "largest exchange hub has {biggest} transfers"
    );
    let mixers = tagged(Category::Mixer);
    assert_eq!(mixers.len(), 1);
    assert!(
        degree[mixers[0]] > 300,
        "mixer degree {}",
        degree[mixers[0]]
    );
    assert!(!tagged(Category::DprkAttributed).is_empty());
    assert!(!tagged(Category::Victim).is_empty());
    // Nodes with exactly two transfers (one in, one out) are the links of chains.
    let links = degree.values().filter(|&&d| d == 2).count();
    assert!(links > 1_000, "{links}");
}

#[test]
fn round_trips_through_a_case_file() {
    let case = generate_case(2_000, 9);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("generated.ron");
    crate::case_file::save(&case, &path).expect("saves");
    let (loaded, report) = crate::case_file::load_report(&path).expect("loads");
    assert_eq!(loaded, case);
    assert_eq!(report.integrity, crate::case_file::Integrity::Verified);
}
