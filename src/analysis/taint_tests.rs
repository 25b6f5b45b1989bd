//! Taint models on hand-computed cases.

use super::*;
use crate::model::{Chain, Node, TransferId};

fn id(n: u8) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", n)).expect("valid id")
}

fn add(case: &mut Case, tid: &str, from: u8, to: u8, amount: u128, height: u64) {
    for n in [from, to] {
        case.nodes.insert(id(n), Node::address(id(n)));
    }
    let t = Transfer {
        id: TransferId(tid.to_string()),
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
        block_height: Some(height),
        time: None,
        provenance: None,
    };
    case.transfers.insert(t.id.clone(), t);
}

/// Source 1 → 2 (60 tainted), clean 3 → 2 (40), then 2 → 4 (50); ids out of time order.
fn sample() -> Case {
    let mut case = Case::new("t", 0);
    add(&mut case, "z", 1, 2, 60, 10);
    add(&mut case, "a", 3, 2, 40, 11);
    add(&mut case, "m", 2, 4, 50, 12);
    case
}

fn got(r: &TaintResult, n: u8) -> u128 {
    r.get(&id(n))
        .map_or(0, |m| m.values().map(|v| v.amount).sum())
}

#[test]
fn three_models_hand_computed() {
    let case = sample();
    let src = BTreeSet::from([id(1)]);
    let p = taint(&case, &src, TaintModel::Poison);
    assert_eq!((got(&p, 2), got(&p, 4)), (60, 50));
    let h = taint(&case, &src, TaintModel::Haircut);
    // 50 × 60 / 100 = 30.
    assert_eq!((got(&h, 2), got(&h, 4)), (60, 30));
    let f = taint(&case, &src, TaintModel::Fifo);
    // The oldest lot (60 tainted) covers all 50.
    assert_eq!((got(&f, 2), got(&f, 4)), (60, 50));
    assert!(!h.contains_key(&id(3)));
}

#[test]
fn haircut_rounds_down_and_mul_div_is_exact() {
    let mut case = Case::new("t", 0);
    add(&mut case, "1", 1, 2, 1, 1);
    add(&mut case, "2", 3, 2, 2, 2);
    add(&mut case, "3", 2, 4, 2, 3);
    let h = taint(&case, &BTreeSet::from([id(1)]), TaintModel::Haircut);
    assert_eq!(got(&h, 4), 0); // floor(2 × 1 / 3) = 0
    assert_eq!(mul_div(u128::MAX, u128::MAX - 1, u128::MAX), u128::MAX - 1);
    assert_eq!(mul_div(1 << 100, 1 << 100, 1 << 101), 1 << 99);
}
