//! Tests of the timeline: placement, bins, the asset mix and the selection's share.

use super::*;
use crate::model::{Asset, Chain};

const DAY: i64 = 1_740_096_000; // 2025-02-21 00:00:00 UTC, ETH closed at $2,659.65551758

fn id(n: u8) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", u128::from(n) + 0x1000)).expect("id")
}

fn case() -> Case {
    let mut case = Case::new("timeline", 0);
    let eth = Asset::native(Chain::ETHEREUM);
    let junk = Asset::token(Chain::ETHEREUM, "JUNK", 0, &format!("0x{:040x}", 7));
    let legs = [
        ("a", 1, 2, eth.clone(), 10u128.pow(18), Some(DAY)),
        (
            "b",
            2,
            3,
            eth.clone(),
            2 * 10u128.pow(18),
            Some(DAY + 3_599),
        ),
        ("c", 3, 4, junk, 1_000_000, Some(DAY + 3_600)),
        ("d", 4, 1, eth, 10u128.pow(18), None),
    ];
    for (name, from, to, asset, amount, time) in legs {
        case.put_test_transfer(name, (id(from), id(to)), asset, amount, time);
    }
    case
}

#[test]
fn dated_transfers_are_placed_in_time_order_and_undated_ones_counted() {
    let timeline = Timeline::build(&case(), PriceBook::bundled_ref());
    assert_eq!(timeline.points.len(), 3);
    assert_eq!(timeline.undated, 1);
    assert_eq!(timeline.span(), Some((DAY, DAY + 3_600)));
    // ETH is worth most; the junk token has no price but moved: second.
    let symbols: Vec<&str> = timeline.assets.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(symbols, ["ETH", "JUNK"]);
    assert_eq!(
        timeline.points[0].usd_cents,
        Some(265_965),
        "$2,659.65 for 1 ETH"
    );
    assert_eq!(timeline.points[2].usd_cents, None, "no price is not $0");
}

#[test]
fn bins_split_the_range_evenly_and_keep_the_selection_apart() {
    let timeline = Timeline::build(&case(), PriceBook::bundled_ref());
    // Two bins of an hour each: [DAY, DAY+3599] and [DAY+3600, DAY+7199].
    let mut selected = vec![false; timeline.nodes.len()];
    selected[0] = true; // node 1: sender of a
    let bins = timeline.histogram(DAY, DAY + 7_199, 2, &selected);
    assert_eq!(bins[0].count_total(), 2);
    assert_eq!(bins[0].usd_total(), 265_965 + 531_931);
    assert_eq!(bins[0].usd_cents[0], 265_965 + 531_931, "all of it ETH");
    assert_eq!(bins[1].count, [0, 1, 0, 0, 0], "the junk token's own slot");
    assert_eq!(bins[1].usd_total(), 0);
    assert_eq!(
        (bins[0].selected_count, bins[0].selected_usd_cents),
        (1, 265_965)
    );
    assert_eq!(bins[1].selected_count, 0);
    // A range that ends a second early leaves the last transfer out.
    let early = timeline.histogram(DAY, DAY + 3_599, 10, &[]);
    assert_eq!(early.iter().map(Bin::count_total).sum::<u32>(), 2);
    assert_eq!(
        early[9].count_total(),
        1,
        "the 3,599th second is in the last bin"
    );
    // Empty, reversed and absurd ranges are answered, never a panic.
    assert!(
        timeline
            .histogram(DAY + 1, DAY, 5, &[])
            .iter()
            .all(|b| b.count_total() == 0)
    );
    assert_eq!(timeline.histogram(i64::MIN, i64::MAX, 0, &[]).len(), 1);
    assert_eq!(
        timeline.histogram(i64::MIN, i64::MAX, 3, &[])[1].count_total(),
        3
    );
}

#[test]
fn a_bar_selects_the_ends_of_its_transfers() {
    let timeline = Timeline::build(&case(), PriceBook::bundled_ref());
    assert_eq!(
        timeline.nodes_in(DAY + 3_599, DAY + 3_600, 100),
        vec![id(2), id(3), id(4)]
    );
    assert_eq!(timeline.nodes_in(DAY, DAY + 10_000, 2).len(), 2, "bounded");
}
