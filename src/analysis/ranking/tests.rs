//! Hand-computed rankings: prices from the bundled tables on 2025-02-21 (ETH $2,659.65551758,
//! BTC $96,125.546875; DAI pinned at $1 by contract).

use super::*;
use crate::analysis::expansion::{ExpandOptions, plan_expansion};
use crate::model::{Action, Case, Chain, Node, TransferId, apply};

/// 2025-02-21 12:00:00 UTC.
const NOON: i64 = 1_740_096_000 + 43_200;
const E18: u128 = 1_000_000_000_000_000_000;
/// 1 ETH on 2025-02-21, in 10⁻⁸ USD.
const ETH_USD: u128 = 265_965_551_758;

fn eth(n: u32) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", u128::from(n) + 0x1000)).expect("valid id")
}

fn btc(n: usize) -> NodeId {
    let addresses = [
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
    ];
    NodeId::parse(&format!("btc:{}", addresses[n])).expect("valid id")
}

fn token(symbol: &str, decimals: u8, n: u32) -> Asset {
    Asset::token(
        Chain::ETHEREUM,
        symbol,
        decimals,
        &format!("0x{:040x}", 0xdead_0000_u64 + u64::from(n)),
    )
}

fn dai() -> Asset {
    Asset::token(
        Chain::ETHEREUM,
        "DAI",
        18,
        "0x6b175474e89094c44da98b954eedeac495271d0f",
    )
}

/// One hop between `parent` and `other`: `amount` of `asset`, leaving `parent` when
/// `outgoing`; `n` makes the transaction hash unique.
fn hop(parent: &NodeId, other: NodeId, asset: Asset, amount: u128, n: u32) -> Counterparty {
    let hash = format!("{:064x}", u128::from(n) * 7 + 1);
    let transfer = Transfer {
        id: TransferId::new(&asset.chain.id_prefix(), &hash, "0"),
        from: parent.clone(),
        to: other.clone(),
        asset,
        amount,
        tx_hash: hash,
        block_height: Some(1),
        time: Some(NOON),
        provenance: None,
        relation_txs: None,
        memo: None,
    };
    Counterparty {
        key: other.clone(),
        value: transfer.ranking_value(),
        nodes: vec![Node::address(other)],
        transfers: vec![transfer],
        tags: Vec::new(),
    }
}

/// The same hop with the money coming in to `parent`.
fn incoming(parent: &NodeId, other: NodeId, asset: Asset, amount: u128, n: u32) -> Counterparty {
    let mut cp = hop(parent, other, asset, amount, n);
    for t in &mut cp.transfers {
        std::mem::swap(&mut t.from, &mut t.to);
    }
    cp
}

fn case_with(root: &NodeId) -> Case {
    let mut case = Case::new("t", 0);
    case.nodes.insert(root.clone(), Node::address(root.clone()));
    case
}

fn keys(page: &RankedPage) -> Vec<NodeId> {
    page.entries
        .iter()
        .map(|r| r.counterparty.key.clone())
        .collect()
}

fn kept(plan: &crate::analysis::expansion::ExpansionPlan) -> Vec<NodeId> {
    plan.fragment.nodes.iter().map(|n| n.id.clone()).collect()
}

#[test]
fn nameless_one_decimal_token_cannot_crowd_out_priced_flows() {
    let root = eth(0);
    let nameless = token("", 1, 1);
    // 60 counterparties of 500M units of a nameless 1-decimal token each ...
    let mut cps: Vec<Counterparty> = (0..60)
        .map(|i| {
            hop(
                &root,
                eth(100 + i),
                nameless.clone(),
                5_000_000_000,
                100 + i,
            )
        })
        .collect();
    // ... and 10, 5 and 1 ETH, 100,000 and 50,000 DAI.
    cps.push(hop(
        &root,
        eth(1),
        Asset::native(Chain::ETHEREUM),
        10 * E18,
        1,
    ));
    cps.push(hop(
        &root,
        eth(2),
        Asset::native(Chain::ETHEREUM),
        5 * E18,
        2,
    ));
    cps.push(incoming(
        &root,
        eth(3),
        Asset::native(Chain::ETHEREUM),
        E18,
        3,
    ));
    cps.push(hop(&root, eth(4), dai(), 100_000 * E18, 4));
    cps.push(incoming(&root, eth(5), dai(), 50_000 * E18, 5));
    // On the old 18-decimal raw scale each token hop outweighs 10 ETH.
    assert!(cps[0].value > cps[60].value);

    let page = rank_counterparties(&root, cps.clone(), PriceBook::bundled_ref());
    assert_eq!(&keys(&page)[..5], &[eth(4), eth(5), eth(1), eth(2), eth(3)]);
    let scores: Vec<u128> = page.entries.iter().map(|r| r.score).collect();
    // Priced hops score their exact USD.
    assert_eq!(
        &scores[..5],
        &[
            100_000 * 100_000_000,
            50_000 * 100_000_000,
            10 * ETH_USD,
            5 * ETH_USD,
            ETH_USD
        ]
    );
    // A token hop holds 1/60 of the token's flow, weighted as the mean priced asset:
    // (16 ETH + 150,000 DAI) / 2 = (4,255,448,828,128 + 15,000,000,000,000) / 2
    // = 9,627,724,414,064; / 60 = 160,462,073,567 (rounded down): about $1,604.62.
    assert!(scores[5..].iter().all(|s| *s == 160_462_073_567));
    // Ties among the token hops fall to the node id.
    assert_eq!(page.entries[5].counterparty.key, eth(100));

    let plan = plan_expansion(
        &case_with(&root),
        &root,
        cps,
        &ExpandOptions::with_limit(5),
        PriceBook::bundled_ref(),
    );
    assert_eq!(kept(&plan), vec![eth(4), eth(5), eth(1), eth(2), eth(3)]);
    assert_eq!(plan.omitted, 60);
    assert_eq!(plan.left_out.len(), 1);
    assert_eq!(plan.left_out[0].amount, 300_000_000_000);
    assert_eq!(plan.left_out[0].usd, None);
    assert_eq!(
        plan.left_out_text().as_deref(),
        Some("60 left out: 30B token 0x0000…0001")
    );
}

/// The demo bridge, in small: ETH deposits come in, BTC payouts go out.
fn bridge_page(root: &NodeId) -> Vec<Counterparty> {
    let eth_native = Asset::native(Chain::ETHEREUM);
    let btc_native = Asset::native(Chain::Bitcoin);
    let mut cps: Vec<Counterparty> = (1..=6u32)
        .map(|i| incoming(root, eth(i), eth_native.clone(), u128::from(i) * E18, i))
        .collect();
    for (i, sat) in [10_000_000u128, 5_000_000, 3_000_000, 1_000_000]
        .into_iter()
        .enumerate()
    {
        let n = 20 + u32::try_from(i).expect("small");
        cps.push(hop(root, btc(i), btc_native.clone(), sat, n));
    }
    cps
}

#[test]
fn bridge_keeps_eth_deposits_and_btc_payouts_by_usd() {
    let root = eth(0);
    let cps = bridge_page(&root);
    // USD: 6 ETH 15,957.93; 5 ETH 13,298.27; 4 ETH 10,638.62; 0.1 BTC 9,612.55; 3 ETH 7,978.96;
    // 2 ETH 5,319.31; 0.05 BTC 4,806.27; 0.03 BTC 2,883.76; 1 ETH 2,659.65; 0.01 BTC 961.25.
    let page = rank_counterparties(&root, cps.clone(), PriceBook::bundled_ref());
    assert_eq!(
        keys(&page),
        vec![
            eth(6),
            eth(5),
            eth(4),
            btc(0),
            eth(3),
            eth(2),
            btc(1),
            btc(2),
            eth(1),
            btc(3)
        ]
    );
    assert_eq!(page.entries[3].score, 961_255_468_750);

    let plan = plan_expansion(
        &case_with(&root),
        &root,
        cps,
        &ExpandOptions::with_limit(6),
        PriceBook::bundled_ref(),
    );
    // The raw scale would have kept the six ETH deposits and hidden every payout.
    assert_eq!(
        kept(&plan),
        vec![eth(6), eth(5), eth(4), btc(0), eth(3), eth(2)]
    );
    assert_eq!(plan.omitted, 4);
    // Left out: 0.09 BTC = 4,806.27734375 + 2,883.76640625 + 961.25546875 = $8,651.29921875,
    // and 1 ETH = $2,659.65551758; together $11,310.95: "$11.3k".
    let btc_left = &plan.left_out[0];
    assert_eq!(btc_left.asset.symbol, "BTC");
    assert_eq!(btc_left.amount, 9_000_000);
    assert_eq!(btc_left.page_amount, 19_000_000);
    assert_eq!(btc_left.usd, Some(Usd(865_129_921_875)));
    assert_eq!(plan.left_out[1].usd, Some(Usd(ETH_USD)));
    assert_eq!(
        plan.left_out_text().as_deref(),
        Some("4 left out: 0.09 BTC, 1 ETH (≈ $11.3k)")
    );
}

#[test]
fn load_more_takes_the_next_by_the_same_ranking() {
    let root = eth(0);
    let mut case = case_with(&root);
    let book = PriceBook::bundled_ref();
    let order = keys(&rank_counterparties(&root, bridge_page(&root), book));
    let first = plan_expansion(
        &case,
        &root,
        bridge_page(&root),
        &ExpandOptions::with_limit(4),
        book,
    );
    assert_eq!(kept(&first), order[..4].to_vec());
    apply(
        &mut case,
        Action::Insert {
            label: "expand".into(),
            fragment: first.fragment,
        },
    )
    .expect("applies");
    let more = ExpandOptions {
        more: true,
        ..ExpandOptions::with_limit(4)
    };
    let second = plan_expansion(&case, &root, bridge_page(&root), &more, book);
    assert_eq!(kept(&second), order[4..8].to_vec());
    assert_eq!(second.filtered_out, 4);
    assert_eq!(second.omitted, 2);
}

#[test]
fn unpriced_page_ranks_by_share() {
    let root = eth(0);
    let (a, b) = (token("AAA", 6, 1), token("BBB", 18, 2));
    let cps = vec![
        hop(&root, eth(1), a.clone(), 900_000_000, 1),
        hop(&root, eth(2), a, 100_000_000, 2),
        hop(&root, eth(3), b.clone(), 50 * E18, 3),
        hop(&root, eth(4), b.clone(), 30 * E18, 4),
        incoming(&root, eth(5), b, 20 * E18, 5),
    ];
    // Raw units on the 18-decimal scale would put both AAA hops (900 and 100 units) first.
    let page = rank_counterparties(&root, cps, PriceBook::bundled_ref());
    assert_eq!(keys(&page), vec![eth(1), eth(3), eth(4), eth(5), eth(2)]);
    let scores: Vec<u128> = page.entries.iter().map(|r| r.score).collect();
    // Shares 0.9, 0.5, 0.3, 0.2, 0.1 of 10¹⁸.
    assert_eq!(
        scores,
        vec![9 * E18 / 10, E18 / 2, 3 * E18 / 10, E18 / 5, E18 / 10]
    );
}

#[test]
fn ranking_is_deterministic_and_dust_ties_fall_to_share_then_id() {
    let root = eth(0);
    let eth_native = Asset::native(Chain::ETHEREUM);
    let cps = vec![
        hop(&root, eth(1), eth_native.clone(), 1, 1),
        hop(&root, eth(2), eth_native.clone(), 2, 2),
        hop(&root, eth(4), eth_native.clone(), 5, 4),
        hop(&root, eth(3), eth_native, 5, 3),
    ];
    let book = PriceBook::bundled_ref();
    let forward = rank_counterparties(&root, cps.clone(), book);
    // Every hop is worth $0 at 10⁻⁸ USD: the larger amount first, equal amounts by id.
    assert!(forward.entries.iter().all(|r| r.score == 0));
    assert_eq!(keys(&forward), vec![eth(3), eth(4), eth(2), eth(1)]);
    let mut reversed = cps;
    reversed.reverse();
    assert_eq!(
        keys(&rank_counterparties(&root, reversed, book)),
        keys(&forward)
    );
}

#[test]
fn a_utxo_hop_counts_only_its_legs_with_the_node() {
    let root = btc(0);
    let btc_native = Asset::native(Chain::Bitcoin);
    // A transaction node's hop carries other inputs and outputs too; only the node's leg
    // (0.01 BTC) counts, not the 5 BTC between two strangers.
    let mut cp = hop(&root, btc(1), btc_native.clone(), 1_000_000, 1);
    let mut stranger = hop(&btc(2), btc(3), btc_native, 500_000_000, 2);
    cp.transfers.append(&mut stranger.transfers);
    let parts = hop_parts(&root, &cp, PriceBook::bundled_ref());
    assert_eq!(
        parts.values().map(|p| p.amount).collect::<Vec<_>>(),
        vec![1_000_000]
    );
}

#[test]
fn left_out_text_names_the_heaviest_assets() {
    let item = |asset: Asset, amount: u128, usd: Option<Usd>, weight: u128| LeftOutAsset {
        asset,
        amount,
        page_amount: amount,
        usd,
        weight,
    };
    let eth_native = Asset::native(Chain::ETHEREUM);
    let twelve_and_a_half = Usd::of(12 * E18 + E18 / 2, 18, Usd(ETH_USD)).expect("fits");
    // 12.5 × 2,659.65551758 = 33,245.69396975; + 101,740 DAI = 134,985.69…: "$134k".
    assert_eq!(twelve_and_a_half, Usd(3_324_569_396_975));
    let list = vec![
        item(token("SAI", 18, 9), 4_271_234 * E18, None, 3),
        item(dai(), 101_740 * E18, Some(Usd(10_174_000_000_000)), 2),
        item(eth_native, 12 * E18 + E18 / 2, Some(twelve_and_a_half), 1),
    ];
    assert_eq!(
        format_left_out(173, &list),
        "173 left out: 4.27M SAI, 101,740 DAI, 12.5 ETH (≈ $134k where priced)"
    );
    assert_eq!(
        format_left_out(2, &list[1..]),
        "2 left out: 101,740 DAI, 12.5 ETH (≈ $134k)"
    );
    let many: Vec<LeftOutAsset> = (0..6)
        .map(|n| item(token(&format!("T{n}"), 0, n), 1_500, None, 1))
        .collect();
    assert_eq!(
        format_left_out(9, &many),
        "9 left out: 1,500 T0, 1,500 T1, 1,500 T2, 1,500 T3, …"
    );
    assert_eq!(format_left_out(3, &[]), "3 left out");
}

#[test]
fn wide_arithmetic_is_exact() {
    assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX), Some(u128::MAX));
    assert_eq!(mul_div(1 << 127, 4, 8), Some(1 << 126));
    assert_eq!(
        mul_div(10u128.pow(30), 10u128.pow(20), 10u128.pow(25)),
        Some(10u128.pow(25))
    );
    assert_eq!(mul_div(u128::MAX, 3, 2), None);
    assert_eq!(mul_div(1, 1, 0), None);
    assert_eq!(
        mul_div(u128::MAX, u128::MAX - 1, u128::MAX),
        Some(u128::MAX - 1)
    );
    assert_eq!(cmp_fractions((1, 3), (2, 6)), Ordering::Equal);
    assert_eq!(
        cmp_fractions((u128::MAX, u128::MAX - 1), (1, 1)),
        Ordering::Greater
    );
}
