//! Path search on small hand-built cases.

use super::*;
use crate::model::{Asset, Chain, Node};

fn id(n: u8) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", n)).expect("valid id")
}

fn add(case: &mut Case, tid: &str, from: u8, to: u8, amount: u128, height: Option<u64>) {
    for n in [from, to] {
        case.nodes.insert(id(n), Node::address(id(n)));
    }
    let t = Transfer {
        id: TransferId::from(tid),
        from: id(from),
        to: id(to),
        asset: Asset {
            chain: Chain::Evm { chain_id: 1 },
            symbol: "TOK".into(),
            decimals: 6,
            contract: Some("0x00000000000000000000000000000000000000aa".into()),
        },
        amount,
        tx_hash: tid.into(),
        block_height: height,
        time: None,
        provenance: None,
        relation_txs: None,
        memo: None,
    };
    case.transfers.insert(t.id.clone(), t);
}

fn run(case: &Case, from: u8, to: u8, q: PathQuery) -> PathResult {
    find_paths(
        case,
        &BTreeSet::from([id(from)]),
        &BTreeSet::from([id(to)]),
        q,
        &PriceBook::empty(),
    )
}

#[test]
fn finds_time_respecting_paths_fewest_and_richest() {
    let mut case = Case::new("t", 0);
    add(&mut case, "z1", 1, 2, 100, Some(10));
    add(&mut case, "a2", 2, 4, 90, Some(11));
    add(&mut case, "m1", 1, 3, 500, Some(10));
    add(&mut case, "m2", 3, 5, 400, Some(12));
    add(&mut case, "m3", 5, 4, 300, Some(12));
    let r = run(&case, 1, 4, PathQuery::default());
    assert_eq!(r.reason, None);
    assert_eq!(r.paths.len(), 2);
    assert_eq!(
        r.paths[0].hops,
        vec![TransferId::from("z1"), TransferId::from("a2")]
    );
    assert_eq!(r.paths[0].value[0].amount, 90);
    assert_eq!(r.paths[1].hops.len(), 3);
    assert_eq!(r.paths[1].value[0].amount, 300);
    assert_eq!(r.paths[1].nodes, vec![id(1), id(3), id(5), id(4)]);
    // k = 1: only the fewest-hop one.
    let r = run(
        &case,
        1,
        4,
        PathQuery {
            k: 1,
            ..PathQuery::default()
        },
    );
    assert_eq!(r.paths.len(), 1);
    assert_eq!(r.paths[0].hops.len(), 2);
}

#[test]
fn explains_why_there_is_no_path() {
    let mut case = Case::new("t", 0);
    add(&mut case, "a", 1, 2, 100, Some(20));
    add(&mut case, "b", 2, 3, 100, Some(10));
    add(&mut case, "c", 3, 4, 100, None);
    let r = run(&case, 1, 3, PathQuery::default());
    assert!(r.paths.is_empty());
    assert_eq!(r.reason, Some(NoPathReason::OnlyAgainstTimeOrder));
    let r = run(&case, 3, 1, PathQuery::default());
    assert_eq!(r.reason, Some(NoPathReason::NoDirectedRoute));
    let r = run(
        &case,
        2,
        4,
        PathQuery {
            max_hops: 1,
            ..PathQuery::default()
        },
    );
    assert_eq!(r.reason, Some(NoPathReason::BeyondHopLimit));
    // Unknown order is allowed.
    let r = run(&case, 2, 4, PathQuery::default());
    assert_eq!(r.paths.len(), 1);
}

#[test]
fn state_cap_bounds_the_search() {
    let mut case = Case::new("t", 0);
    for a in 1..=6u8 {
        for b in 1..=6u8 {
            if a != b {
                add(&mut case, &format!("{a}-{b}"), a, b, 1, None);
            }
        }
    }
    // A complete graph of six nodes: far more than 50 simple paths from 1 to 6.
    let capped = PathQuery {
        max_states: 50,
        k: 1_000,
        ..PathQuery::default()
    };
    let r = run(&case, 1, 6, capped);
    assert!(r.truncated);
    assert!(r.paths.len() < 50);
    // A target nothing reaches is ruled out before the search (the backward pass), so the
    // cap is not what answers.
    let r = run(&case, 1, 7, capped);
    assert!(!r.truncated);
    assert_eq!(r.reason, Some(NoPathReason::NoDirectedRoute));
}
