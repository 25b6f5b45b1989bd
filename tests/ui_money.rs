//! UI tests of the money on the graph, driving the real app on the demo case: the filter
//! (status bar, an unsaved change, hidden nodes), the timeline's replay (view only), and
//! importing a price table (a bad one changes nothing).

use caseboard::app::{Command, StartOptions};
use caseboard::model::{Asset, Chain, GraphFilter};
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, settle};

#[test]
fn a_filter_hides_small_edges_says_so_and_is_an_unsaved_change() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    assert_eq!(h.state().canvas().filtered_counts(), (0, 0));
    assert!(!h.state().doc.is_modified());
    // The demo's split: forty 10,000 ETH hops (≈ $26.5M each) and the 401,346 ETH drain.
    h.state_mut().push_command(Command::SetFilter(GraphFilter {
        min_usd_cents: Some(3_000_000_000),
        ..GraphFilter::default()
    }));
    settle(&mut h);
    let (transfers, nodes) = h.state().canvas().filtered_counts();
    assert!(
        transfers >= 40 && nodes >= 40,
        "{transfers} transfers, {nodes} nodes"
    );
    assert!(
        h.state().doc.is_modified(),
        "the filter is saved with the case"
    );
    h.get_by_label_contains("Filter: edges ≥ $30,000,000");
    h.get_by_label("Filter (on)");
    // Clear from the status bar.
    h.get_by_label("Clear").click();
    settle(&mut h);
    assert_eq!(h.state().canvas().filtered_counts(), (0, 0));
    assert!(!h.state().doc.case().view.filter.is_active());
}

#[test]
fn the_replay_unfolds_the_case_without_changing_it() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let revision = h.state().doc.revision();
    h.get_by_label_contains("Replay").click();
    h.run_steps(3);
    let (transfers, _) = h.state().canvas().filtered_counts();
    assert!(
        transfers > 0,
        "at the start of the replay, later transfers are not shown yet"
    );
    h.get_by_label_contains("Stop").click();
    h.run_steps(3);
    assert_eq!(h.state().canvas().filtered_counts(), (0, 0));
    assert_eq!(h.state().doc.revision(), revision, "a replay is view only");
}

#[test]
fn an_imported_price_table_values_its_asset_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("fake.csv");
    std::fs::write(&good, "date,close_usd\n2025-02-21,2.5\n").expect("written");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "date,close_usd\n2025-02-21,lots\n").expect("written");
    let contract = "0x1234567890123456789012345678901234567890";
    let token = Asset::token(Chain::ETHEREUM, "FAKE", 18, contract);
    let day = 1_740_096_000;

    let mut h = harness(StartOptions::default());
    settle(&mut h);
    assert!(h.state().prices.price_at(&token, day).is_none());
    h.state_mut().push_command(Command::ImportPrices {
        asset: format!("eth:{contract}"),
        path: bad,
    });
    settle(&mut h);
    assert!(h.state().notices.contains("Prices not imported"));
    assert!(h.state().prices.price_at(&token, day).is_none());

    h.state_mut().push_command(Command::ImportPrices {
        asset: format!("eth:{contract}"),
        path: good,
    });
    settle(&mut h);
    assert!(h.state().notices.contains("Prices imported"));
    let (_, close, _) = h.state().prices.price_at(&token, day).expect("priced now");
    assert_eq!(close.to_decimal_string(), "2.50");
    // ETH keeps its bundled price.
    assert!(
        h.state()
            .prices
            .price_at(&Asset::native(Chain::ETHEREUM), day)
            .is_some()
    );
}

#[test]
fn hovering_an_edge_lists_its_transfers() {
    use caseboard::sources::demo::{split_addresses, theft_address};
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let t = h.state().canvas().transform().expect("canvas drawn");
    let case = h.state().doc.case();
    let (from, to) = (
        case.layout.positions[&theft_address()],
        case.layout.positions[&split_addresses()[0]],
    );
    let (a, b) = (t.to_screen_xy(from), t.to_screen_xy(to));
    // Halfway along the edge (well clear of both nodes).
    h.hover_at(a + (b - a) * 0.5);
    h.run_steps(3);
    h.hover_at(a + (b - a) * 0.52);
    h.run_steps(3);
    h.get_by_label("Transaction");
    h.get_by_label("Time (UTC)");
    // The flow's total and its one transfer: 10,000 ETH at $2,659.65551758 (2025-02-21).
    assert_eq!(h.query_all_by_label_contains("10,000 ETH").count(), 2);
    assert!(h.query_all_by_label_contains("$26,596,555.17").count() >= 2);
}
