//! UI tests of the inspector's money: a node's transfer table with its USD column and sortable
//! headers, and the summary of a selection of several nodes (driven through egui_kittest).

use caseboard::analysis::money::{TimeWindow, summarize};
use caseboard::app::{Command, StartOptions};
use caseboard::model::NodeId;
use caseboard::prices::PriceBook;
use caseboard::sources::demo::{split_addresses, theft_address};
use egui_kittest::kittest::Queryable as _;
use std::collections::BTreeSet;

mod ui_support;
use ui_support::{harness, settle};

#[test]
fn a_selected_node_shows_its_transfers_with_usd_and_sorts_by_a_header_click() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let theft = theft_address();
    assert!(h.state().doc.case().nodes.contains_key(&theft));
    h.state_mut().push_command(Command::Select(vec![theft]));
    settle(&mut h);
    // Time order by default: the time header carries the arrow, USD does not.
    h.get_by_label("Time (UTC) ⏶");
    let usd = h.get_by_label("USD");
    assert!(
        h.query_all_by_label_contains("≈ $").next().is_some(),
        "a USD value is shown"
    );
    assert!(
        h.query_all_by_label_contains("$0.00").next().is_none(),
        "no value shows as $0"
    );
    usd.click();
    h.run_steps(3);
    // The first click sorts by USD, largest first; the second reverses.
    h.get_by_label("USD ⏷").click();
    h.run_steps(3);
    h.get_by_label("USD ⏶");
    h.get_by_label("Time (UTC)");
}

#[test]
fn two_selected_nodes_show_the_money_of_the_selection() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let theft = theft_address();
    let split = split_addresses()[0].clone();
    let selection: BTreeSet<NodeId> = [theft.clone(), split.clone()].into();
    for id in &selection {
        assert!(h.state().doc.case().nodes.contains_key(id), "{id} in demo");
    }
    h.state_mut()
        .push_command(Command::Select(selection.iter().cloned().collect()));
    settle(&mut h);
    h.get_by_label("2 nodes selected");
    h.get_by_label("Money of the selection");
    h.get_by_label("Counterparties outside");
    h.get_by_label("First activity");
    // The totals are those of the pure summary (theft → split is internal).
    let expected = summarize(
        h.state().doc.case(),
        &selection,
        TimeWindow::default(),
        PriceBook::bundled_ref(),
    );
    assert!(expected.internal >= 1, "the theft paid the split directly");
    h.get_by_label("USD total");
    // (With one asset the asset row and the total row show the same value.)
    for total in [expected.usd_in(), expected.usd_out()] {
        let text = format!("≈ {total}");
        assert!(h.query_all_by_label(&text).next().is_some(), "{text} shown");
    }
    h.get_by_label(&expected.counterparties.to_string());
    h.get_by_label_contains("internal: counted neither in nor out");
}
