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

#[test]
fn a_node_with_ten_thousand_transfers_lays_out_only_the_rows_in_view() {
    use caseboard::model::{Asset, Case, Chain, Node, Transfer, TransferId};
    let hub = NodeId::parse("eth:0x1111111111111111111111111111111111111111").expect("id");
    let other = NodeId::parse("eth:0x2222222222222222222222222222222222222222").expect("id");
    let mut case = Case::new("many transfers", 0);
    for id in [&hub, &other] {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
    }
    let eth = Asset::native(Chain::ETHEREUM);
    for i in 0..10_000u32 {
        let t = Transfer {
            id: TransferId::from(format!("eth:{i:064x}:0")),
            from: hub.clone(),
            to: other.clone(),
            asset: eth.clone(),
            amount: u128::from(i + 1) * 10u128.pow(15),
            tx_hash: format!("0x{i:064x}"),
            block_height: Some(u64::from(i)),
            time: Some(1_740_096_000 + i64::from(i) * 60),
            provenance: None,
            relation_txs: None,
            memo: None,
        };
        case.transfers.insert(t.id.clone(), t);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("many.ron");
    caseboard::case_file::save(&case, &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.state_mut().push_command(Command::Select(vec![hub]));
    settle(&mut h);
    h.get_by_label("Transfers (10000)");
    let shown = h.query_all_by_label("out").count();
    assert!((5..100).contains(&shown), "{shown} rows laid out of 10,000");
    // Sorting 10,000 rows by USD, largest first: the last transfer (10 ETH) leads.
    h.get_by_label("USD").click();
    h.run_steps(3);
    h.get_by_label("10 ETH");
}

#[test]
fn a_node_shows_what_its_last_expansion_could_not_read() {
    use caseboard::model::{Case, Node};
    let id = NodeId::parse("eth:0x1111111111111111111111111111111111111111").expect("id");
    let mut case = Case::new("gaps", 0);
    let mut node = Node::address(id.clone());
    node.gaps = vec![
        "native ETH and internal transfers are not listed: this node has neither trace_filter nor Otterscan (ots_*)".to_owned(),
    ];
    case.nodes.insert(id.clone(), node);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("gaps.ron");
    caseboard::case_file::save(&case, &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.state_mut().push_command(Command::Select(vec![id]));
    settle(&mut h);
    h.get_by_label("⚠ Not read in the last expansion:");
    h.get_by_label_contains("native ETH and internal transfers are not listed");
}
