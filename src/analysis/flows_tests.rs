//! Tests of flows and the graph filter, with values checked by hand against the bundled
//! ETH table (2025-02-21 close: $2,659.65551758).

use super::*;
use crate::model::Tag;

const DAY: i64 = 1_740_096_000; // 2025-02-21 00:00:00 UTC

fn id(n: u8) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", u128::from(n) + 0x1000)).expect("id")
}

fn usdt() -> Asset {
    Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdac17f958d2ee523a2206206994597c13d831ec7",
    )
}

fn fake_usdt() -> Asset {
    Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0x9999999999999999999999999999999999999999",
    )
}

fn put(case: &mut Case, name: &str, from: u8, to: u8, asset: Asset, amount: u128, time: i64) {
    case.put_test_transfer(name, (id(from), id(to)), asset, amount, Some(time));
}

fn eth(whole: u128) -> u128 {
    whole * 10u128.pow(18)
}

/// 1 → 2: 2 ETH and 1 ETH on 2025-02-21 (last second and first second), 5 USDT, 7 fake USDT;
/// 2 → 3: 0.001 ETH; 3 → 4: 1 ETH the next day.
fn case() -> Case {
    let mut case = Case::new("flows", 0);
    let native = Asset::native(Chain::ETHEREUM);
    put(&mut case, "a", 1, 2, native.clone(), eth(2), DAY + 86_399);
    put(&mut case, "b", 1, 2, native.clone(), eth(1), DAY);
    put(&mut case, "c", 1, 2, usdt(), 5_000_000, DAY + 60);
    put(&mut case, "d", 1, 2, fake_usdt(), 7_000_000, DAY + 60);
    put(
        &mut case,
        "e",
        2,
        3,
        native.clone(),
        eth(1) / 1000,
        DAY + 120,
    );
    put(&mut case, "f", 3, 4, native, eth(1), DAY + 86_400);
    case
}

#[test]
fn a_flow_is_one_asset_by_contract_summed_exactly_and_valued_per_day() {
    let view = flow_view(&case(), PriceBook::bundled_ref(), &GraphFilter::default());
    assert_eq!(
        view.shown.len(),
        5,
        "ETH, USDT and the fake USDT are three flows 1 → 2"
    );
    assert!(view.filtered.is_empty() && view.hidden_nodes.is_empty());
    let eth_flow = view
        .shown
        .iter()
        .find(|f| f.from == id(1) && f.asset.contract.is_none())
        .expect("1 → 2 in ETH");
    assert_eq!(eth_flow.amount, eth(3));
    // 3 ETH at $2,659.65551758: both transfers fall on 2025-02-21 (00:00:00 and 23:59:59).
    assert_eq!(eth_flow.usd, Some(Usd(797_896_655_274)));
    assert_eq!(eth_flow.label(), "3 ETH ×2 ≈ $7.9k");
    let order: Vec<&str> = eth_flow.transfers.iter().map(TransferId::as_str).collect();
    assert_eq!(order, ["b", "a"], "time order");
    assert_eq!(eth_flow.first_time, Some(DAY));
    assert_eq!(eth_flow.last_time, Some(DAY + 86_399));
    let fake = view
        .shown
        .iter()
        .find(|f| f.asset == fake_usdt())
        .expect("fake");
    assert_eq!(fake.usd, None, "a copied symbol gets no price");
    assert_eq!(
        fake.label(),
        "7 USDT",
        "no price is shown as none, never $0"
    );
    let real = view.shown.iter().find(|f| f.asset == usdt()).expect("usdt");
    assert_eq!(real.label(), "5 USDT ≈ $5.00");
    // The next day's close prices 3 → 4 (2025-02-22).
    let next = view.shown.iter().find(|f| f.from == id(3)).expect("3 → 4");
    let (_, close, _) = PriceBook::bundled_ref()
        .price_at(&next.asset, DAY + 86_400)
        .expect("priced");
    assert_ne!(close, Usd(265_965_551_758), "valued on its own day");
    assert_eq!(next.usd, Some(close));
}

#[test]
fn the_time_range_is_inclusive_to_the_second() {
    let filter = GraphFilter {
        since_unix: Some(DAY + 60),
        until_unix: Some(DAY + 86_399),
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &filter);
    let eth_flow = view
        .shown
        .iter()
        .find(|f| f.from == id(1) && f.asset.contract.is_none())
        .expect("eth");
    assert_eq!(
        eth_flow.amount,
        eth(2),
        "00:00:00 is before the range, 23:59:59 in it"
    );
    assert_eq!(view.filtered_transfers, 2, "b and f");
    assert!(view.hidden_nodes.contains(&id(4)), "4 has nothing left");
    assert!(!view.hidden_nodes.contains(&id(3)));
}

#[test]
fn a_minimum_value_filters_small_and_unpriced_edges_and_dust_filters_transfers() {
    let filter = GraphFilter {
        min_usd_cents: Some(100_000),
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &filter);
    let shown: Vec<(u8, String)> = view
        .shown
        .iter()
        .map(|f| (if f.from == id(1) { 1 } else { 3 }, f.label()))
        .collect();
    assert_eq!(
        shown.len(),
        2,
        "3 ETH 1 → 2 and 1 ETH 3 → 4 pass $1,000: {shown:?}"
    );
    assert!(view.filtered.iter().any(|f| f.asset == fake_usdt()));
    assert!(view.hidden_nodes.is_empty(), "every node keeps an edge");

    let dust = GraphFilter {
        dust_usd_cents: Some(10_00),
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &dust);
    // $5 USDT and the $2.66 ETH 2 → 3 are dust; the unpriced fake is kept (value unknown).
    assert_eq!(view.filtered_transfers, 2);
    assert!(view.shown.iter().any(|f| f.asset == fake_usdt()));
    assert!(!view.hidden_nodes.contains(&id(3)), "3 still sends to 4");
}

#[test]
fn assets_categories_and_leaves() {
    let only_usdt = GraphFilter {
        assets: vec!["eth:0xdac17f958d2ee523a2206206994597c13d831ec7".to_owned()],
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &only_usdt);
    assert_eq!(view.shown.len(), 1);
    assert_eq!(view.shown[0].asset, usdt());
    assert_eq!(
        view.hidden_nodes,
        [id(3), id(4)].into_iter().collect(),
        "3 and 4 only moved ETH"
    );

    let mut tagged = case();
    let tag = Tag::new(
        "Binance",
        crate::model::Category::Exchange,
        crate::model::Confidence::Ownership,
        "test",
    );
    tagged.tags.insert(id(4), vec![tag]);
    let leaves = GraphFilter {
        hide_leaves: true,
        ..GraphFilter::default()
    };
    let view = flow_view(&tagged, PriceBook::bundled_ref(), &leaves);
    // 1 only talks to 2: a leaf; 4 talks only to 3 but is tagged: kept.
    assert_eq!(view.hidden_nodes, [id(1)].into_iter().collect());
    assert!(view.shown.iter().all(|f| f.from != id(1)));

    let exchanges = GraphFilter {
        categories: vec!["exchange".to_owned()],
        ..GraphFilter::default()
    };
    let view = flow_view(&tagged, PriceBook::bundled_ref(), &exchanges);
    assert!(view.shown.is_empty(), "no edge joins two exchanges");
    assert_eq!(view.hidden_nodes.len(), 3, "all but the exchange");
    assert!(!view.hidden_nodes.contains(&id(4)));
}

#[test]
fn per_asset_minimums_and_direction_relative_to_the_focus() {
    use crate::model::filter::FlowDirection;
    let min_eth = GraphFilter {
        asset_minimums: [("eth".to_owned(), "1.5".to_owned())].into_iter().collect(),
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &min_eth);
    let eth_flows: Vec<u128> = view
        .shown
        .iter()
        .filter(|f| f.asset.contract.is_none())
        .map(|f| f.amount)
        .collect();
    assert_eq!(
        eth_flows,
        [eth(3)],
        "1 ETH (3 → 4) and 0.001 ETH (2 → 3) are under 1.5 ETH"
    );
    assert!(
        view.shown.iter().any(|f| f.asset == usdt()),
        "other assets untouched"
    );
    // More decimals than USDT has: 5 USDT is not under 4.9999999.
    let precise = GraphFilter {
        asset_minimums: [(
            format!("eth:{}", usdt().contract.expect("token")),
            "4.9999999".to_owned(),
        )]
        .into_iter()
        .collect(),
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &precise);
    assert!(view.shown.iter().any(|f| f.asset == usdt()));

    let into_2 = GraphFilter {
        direction: Some(FlowDirection::Into),
        focus: vec![id(2)],
        ..GraphFilter::default()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &into_2);
    assert!(
        view.shown.iter().all(|f| f.to == id(2)),
        "only money into 2"
    );
    assert_eq!(view.shown.len(), 3);
    let out_of_2 = GraphFilter {
        direction: Some(FlowDirection::OutOf),
        ..into_2.clone()
    };
    let view = flow_view(&case(), PriceBook::bundled_ref(), &out_of_2);
    assert_eq!(view.shown.len(), 1);
    assert_eq!(view.shown[0].to, id(3));
    assert!(view.hidden_nodes.contains(&id(1)) && view.hidden_nodes.contains(&id(4)));
    // A direction without focus nodes filters nothing.
    let unfocused = GraphFilter {
        focus: Vec::new(),
        ..out_of_2
    };
    assert!(!unfocused.is_active());
    assert_eq!(
        flow_view(&case(), PriceBook::bundled_ref(), &unfocused)
            .shown
            .len(),
        5
    );
}

#[test]
fn flows_are_in_id_order_whether_ends_share_their_text_are_copies_or_are_not_nodes() {
    let mut case = Case::new("order", 0);
    let native = Asset::native(Chain::ETHEREUM);
    // Ends named out of order, each a fresh copy of its id's text (not the node's own).
    for (i, (from, to)) in [
        (9, 3),
        (3, 9),
        (1, 7),
        (7, 1),
        (5, 5),
        (2, 8),
        (8, 2),
        (3, 1),
    ]
    .into_iter()
    .enumerate()
    {
        put(
            &mut case,
            &format!("t{i}"),
            from,
            to,
            native.clone(),
            eth(1),
            DAY,
        );
        put(
            &mut case,
            &format!("u{i}"),
            from,
            to,
            usdt(),
            1_000_000,
            DAY,
        );
    }
    // The same ends sharing the nodes' own text.
    let shared: Vec<(TransferId, Transfer)> = case
        .transfers
        .iter()
        .map(|(key, t)| {
            let mut t = t.clone();
            t.from = case.nodes.get_key_value(&t.from).expect("node").0.clone();
            t.to = case.nodes.get_key_value(&t.to).expect("node").0.clone();
            (key.clone(), t)
        })
        .collect();
    let ids_order = |flows: &[Flow]| {
        let mut sorted = flows.to_vec();
        sorted.sort_by(|a, b| flow_order(a).cmp(&flow_order(b)));
        sorted == flows
    };
    let prices = PriceBook::bundled();
    let copies = flow_view(&case, &prices, &GraphFilter::default()).shown;
    assert_eq!(copies.len(), 16, "one flow per pair and asset");
    assert!(ids_order(&copies));
    case.transfers = shared.into_iter().collect();
    let same = flow_view(&case, &prices, &GraphFilter::default()).shown;
    assert_eq!(same, copies, "sharing the text changes nothing");
    // An end that is not a node (a case not yet checked) still gives id order.
    let stranger = NodeId::parse(&format!("eth:0x{:040x}", 0x0fffu32)).expect("id");
    let mut odd = case.transfers.values().next().expect("a transfer").clone();
    odd.id = TransferId::from("zz");
    odd.from = stranger;
    case.transfers.insert(odd.id.clone(), odd);
    let with_stranger = flow_view(&case, &prices, &GraphFilter::default()).shown;
    assert_eq!(with_stranger.len(), 17);
    assert!(ids_order(&with_stranger));
}
