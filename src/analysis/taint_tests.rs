//! Taint models on hand-computed cases (one asset, mixed assets over several hops, against time
//! order), rounding, conservation on random trees, and where the tainted money ended.

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
        block_height: Some(height),
        time: None,
        provenance: None,
        relation_txs: None,
        memo: None,
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

/// `add` in ETH (native, 18 decimals) instead of the token.
fn add_eth(case: &mut Case, tid: &str, from: u8, to: u8, amount: u128, height: u64) {
    add(case, tid, from, to, amount, height);
    let t = case
        .transfers
        .get_mut(&TransferId::from(tid))
        .expect("just added");
    t.asset = Asset::native(Chain::ETHEREUM);
}

fn got_asset(r: &TaintResult, n: u8, eth: bool) -> u128 {
    r.get(&id(n)).map_or(0, |m| {
        m.values()
            .filter(|v| (v.asset.contract.is_none()) == eth)
            .map(|v| v.amount)
            .sum()
    })
}

/// Source 1 pays 2 both a token (60) and ETH (10); clean 3 pays 2 40 tokens; 2 pays 4 and 5
/// 50 tokens each; 4 pays 6 25 tokens. Transfer ids run against time order.
fn mixed() -> Case {
    let mut case = Case::new("t", 0);
    add(&mut case, "t9", 1, 2, 60, 1);
    add_eth(&mut case, "t8", 1, 2, 10, 1);
    add(&mut case, "t7", 3, 2, 40, 2);
    add(&mut case, "t6", 2, 4, 50, 3);
    add(&mut case, "t5", 2, 5, 50, 4);
    add(&mut case, "t4", 4, 6, 25, 5);
    case
}

#[test]
fn mixed_assets_over_several_hops_hand_computed() {
    let case = mixed();
    let src = BTreeSet::from([id(1)]);
    // Haircut: 2 holds 100 tokens, 60 tainted → 4 gets ⌊50·60/100⌋ = 30; 2 then holds 50 with
    // 30 tainted → 5 gets ⌊50·30/50⌋ = 30; 4 holds 50 with 30 tainted → 6 gets 15. ETH apart.
    let h = taint(&case, &src, TaintModel::Haircut);
    assert_eq!(
        [2, 4, 5, 6].map(|n| got_asset(&h, n, false)),
        [60, 30, 30, 15]
    );
    assert_eq!(got_asset(&h, 2, true), 10);
    assert_eq!(got_asset(&h, 4, true), 0, "no ETH moved on");
    // FIFO: 2's lots are 60 tainted then 40 clean → 4 gets 50 tainted, 5 gets 10 of 50;
    // 4's one lot is all tainted → 6 gets 25.
    let f = taint(&case, &src, TaintModel::Fifo);
    assert_eq!(
        [2, 4, 5, 6].map(|n| got_asset(&f, n, false)),
        [60, 50, 10, 25]
    );
    // Poison: everything after contact.
    let p = taint(&case, &src, TaintModel::Poison);
    assert_eq!(
        [2, 4, 5, 6].map(|n| got_asset(&p, n, false)),
        [60, 50, 50, 25]
    );
    assert_eq!(got_asset(&p, 2, true), 10);
}

#[test]
fn money_only_moves_forward_in_time() {
    // 2 pays 4 (height 1) before the source pays 2 (height 2): 4 gets nothing, in any model.
    let mut case = Case::new("t", 0);
    add(&mut case, "a", 2, 4, 30, 1);
    add(&mut case, "b", 1, 2, 60, 2);
    add(&mut case, "c", 2, 5, 30, 3);
    let src = BTreeSet::from([id(1)]);
    for model in TaintModel::ALL {
        let r = taint(&case, &src, model);
        assert_eq!(got(&r, 4), 0, "{model:?}");
        assert_eq!(got(&r, 2), 60, "{model:?}");
        assert!(got(&r, 5) > 0, "{model:?}");
    }
}

/// Deterministic xorshift.
fn next(x: &mut u64) -> u64 {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    *x
}

#[test]
fn tainted_out_of_a_node_never_exceeds_tainted_in() {
    // Random trees: node k (2..40) receives from one parent < k (several transfers, random
    // heights) and from its own clean feeder (100 + k). A child receives only from its parent
    // (and its feeder), so what the children got tainted is what left the parent tainted.
    let mut x = 0x5eed_u64;
    for round in 0..200 {
        let mut case = Case::new("t", 0);
        let mut parent_of = BTreeMap::new();
        let mut n = 0;
        for k in 2u8..40 {
            let parent = 1 + (next(&mut x) % u64::from(k - 1)) as u8;
            parent_of.insert(k, parent);
            for _ in 0..1 + next(&mut x) % 3 {
                n += 1;
                let amount = u128::from(next(&mut x) % 1_000);
                add(
                    &mut case,
                    &format!("p{n}"),
                    parent,
                    k,
                    amount,
                    next(&mut x) % 50,
                );
            }
            n += 1;
            let clean = u128::from(next(&mut x) % 1_000);
            add(
                &mut case,
                &format!("c{n}"),
                100 + k,
                k,
                clean,
                next(&mut x) % 50,
            );
        }
        let src = BTreeSet::from([id(1)]);
        for model in [TaintModel::Haircut, TaintModel::Fifo] {
            let r = taint(&case, &src, model);
            for k in 2u8..40 {
                let out: u128 = parent_of
                    .iter()
                    .filter(|(_, p)| **p == k)
                    .map(|(c, _)| got(&r, *c))
                    .sum();
                assert!(
                    out <= got(&r, k),
                    "round {round} {model:?}: node {k} passed on {out} tainted of {} received",
                    got(&r, k)
                );
            }
        }
    }
}

#[test]
fn ends_are_services_and_leaves_with_usd() {
    let mut case = mixed();
    case.tags.insert(
        id(5),
        vec![crate::model::Tag::new(
            "Exchange",
            crate::model::Category::Exchange,
            crate::model::Confidence::ServiceData,
            "t",
        )],
    );
    let src = BTreeSet::from([id(1)]);
    let r = taint(&case, &src, TaintModel::Haircut);
    let ends =
        crate::analysis::taint_ends::taint_ends(&case, &r, &crate::prices::PriceBook::bundled());
    let nodes: Vec<&NodeId> = ends.iter().map(|e| &e.node).collect();
    // 5 is an exchange (it also has no outgoing), 6 a leaf; 2 and 4 pass money on.
    assert_eq!(nodes.len(), 2, "{ends:?}");
    assert!(nodes.contains(&&id(5)) && nodes.contains(&&id(6)));
    let exchange = ends.iter().find(|e| e.node == id(5)).expect("5");
    assert!(matches!(
        exchange.kind,
        crate::analysis::taint_ends::EndKind::Service(crate::model::Category::Exchange)
    ));
    assert_eq!(exchange.amounts[0].amount, 30);
}

/// Source 1 and clean 3 fund 2 with 5 ETH each; 2 swaps its 10 ETH at the venue 8 for 26,000
/// tokens (the payout's id sorts before the deposit's, same block); 2 pays 4 all the tokens.
fn swapped() -> (Case, Vec<HopLink>) {
    let mut case = Case::new("t", 0);
    add_eth(&mut case, "f1", 1, 2, 5, 1);
    add_eth(&mut case, "f2", 3, 2, 5, 2);
    add(&mut case, "venue-stock", 9, 8, 1_000_000, 1);
    add_eth(&mut case, "z-deposit", 2, 8, 10, 5);
    add(&mut case, "a-payout", 8, 2, 26_000, 5);
    add(&mut case, "spend", 2, 4, 26_000, 6);
    let links = vec![HopLink {
        deposit: TransferId::from("z-deposit"),
        payout: TransferId::from("a-payout"),
    }];
    (case, links)
}

#[test]
fn taint_crosses_a_swap_by_its_share_of_value() {
    let (case, links) = swapped();
    let src = BTreeSet::from([id(1)]);
    // Per asset only, the tokens are clean: the venue's token stock was.
    let plain = taint(&case, &src, TaintModel::Haircut);
    assert_eq!(got_asset(&plain, 4, false), 0);
    // Across the hop: the deposit was half tainted (5 of 10 ETH), so the payout carries
    // ⌊26,000 × 5 / 10⌋ = 13,000, and all of it moves on to 4.
    let h = taint_through(&case, &src, TaintModel::Haircut, &links);
    assert_eq!(got_asset(&h, 8, true), 5, "the venue got 5 tainted ETH");
    assert_eq!(got_asset(&h, 2, false), 13_000);
    assert_eq!(got_asset(&h, 4, false), 13_000);
    // FIFO: the oldest ETH lot (5 tainted) leaves first, the deposit is half tainted again;
    // 2's token lots are 13,000 tainted then 13,000 clean, and 4 gets all 26,000: 13,000.
    let f = taint_through(&case, &src, TaintModel::Fifo, &links);
    assert_eq!(got_asset(&f, 2, false), 13_000);
    assert_eq!(got_asset(&f, 4, false), 13_000);
    // Poison: contact taints everything after.
    let p = taint_through(&case, &src, TaintModel::Poison, &links);
    assert_eq!(got_asset(&p, 4, false), 26_000);
    // A link naming a transfer that is not there changes nothing.
    let bogus = vec![HopLink {
        deposit: TransferId::from("nope"),
        payout: TransferId::from("a-payout"),
    }];
    assert_eq!(
        taint_through(&case, &src, TaintModel::Haircut, &bogus),
        plain
    );
}

#[test]
fn per_transfer_amounts_are_what_each_transfer_carried() {
    let case = mixed();
    let mut per = Vec::new();
    let src = BTreeSet::from([id(1)]);
    let r = taint_detailed(&case, &src, TaintModel::Haircut, &[], Some(&mut per));
    assert_eq!(r, taint(&case, &src, TaintModel::Haircut));
    // Id order: t4 (4→6), t5 (2→5), t6 (2→4), t7 (3→2, clean), t8 (1→2 ETH), t9 (1→2).
    assert_eq!(per, vec![15, 30, 30, 0, 10, 60]);
}
