//! UI test: a case started from a Bitcoin transaction id in the Load dialog. The id alone is a
//! question (Bitcoin's and TRON's look alike); with the chain chosen it becomes a transaction
//! node, expanded at once, so its inputs and outputs arrive (demo ledger, offline). Looked at
//! with `CASEBOARD_LOOK=1`.

use caseboard::app::{Command, StartOptions};
use caseboard::model::NodeKind;
use caseboard::sources::demo::{DemoSource, bridge_addresses};
use caseboard::sources::{DataSource as _, Direction, JobControl};
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, settle};

#[test]
fn a_bitcoin_transaction_id_starts_with_its_inputs_and_outputs() {
    // A Bitcoin transaction of the demo world: one the bridge's hot wallet took part in.
    let [_, bridge_btc] = bridge_addresses();
    let tx = DemoSource::new()
        .counterparties(&bridge_btc, Direction::Both, &JobControl::default())
        .expect("demo history")
        .into_iter()
        .map(|c| c.key)
        .find(|key| key.is_transaction())
        .expect("a transaction");
    let txid = tx.value().to_owned();

    let mut h = harness(StartOptions::default());
    settle(&mut h);
    assert!(!h.state().doc.case().nodes.contains_key(&tx));
    h.state_mut().push_command(Command::ShowAddAddresses);
    h.run_steps(2);
    let field = h.get_by_role(Role::MultilineTextInput);
    field.focus();
    field.type_text(&txid);
    h.run_steps(2);
    h.get_by_label("Add").click();
    h.run_steps(3);
    assert!(
        h.query_by_label_contains("choose the chain it is on")
            .is_some(),
        "the bare hash is a question"
    );
    h.get_by_role_and_label(Role::ComboBox, "Chain").click();
    h.run_steps(2);
    h.get_by_label("Bitcoin (btc)").click();
    h.run_steps(2);
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("load_transaction_look");
    }
    h.get_by_label("Add").click();
    settle(&mut h);
    let case = h.state().doc.case();
    assert_eq!(case.nodes[&tx].kind, NodeKind::Transaction);
    let legs = case
        .transfers
        .values()
        .filter(|t| t.from == tx || t.to == tx)
        .count();
    assert!(legs >= 2, "inputs and outputs arrived: {legs}");
}

#[test]
fn an_ethereum_transaction_hash_brings_its_transfers_and_their_ends() {
    // A transaction of the demo world the demo case does not show yet: a split address's
    // next hop.
    let shown = caseboard::sources::demo::demo_case();
    let transfer = caseboard::sources::demo::split_addresses()
        .iter()
        .flat_map(|split| {
            DemoSource::new()
                .counterparties(split, Direction::Out, &JobControl::default())
                .expect("demo history")
        })
        .flat_map(|c| c.transfers)
        .find(|t| !shown.nodes.contains_key(&t.to))
        .expect("a hop the case does not show");
    let hash = format!("0x{}", transfer.tx_hash);

    let mut h = harness(StartOptions::default());
    settle(&mut h);
    assert!(!h.state().doc.case().nodes.contains_key(&transfer.to));
    h.state_mut().push_command(Command::ShowAddAddresses);
    h.run_steps(2);
    let field = h.get_by_role(Role::MultilineTextInput);
    field.focus();
    field.type_text(&hash);
    h.run_steps(2);
    h.get_by_label("Add").click();
    settle(&mut h);
    let case = h.state().doc.case();
    assert!(
        case.transfers.contains_key(&transfer.id),
        "the transfer arrived"
    );
    assert!(
        case.nodes.contains_key(&transfer.to),
        "its receiver arrived"
    );
    assert!(
        case.history
            .iter()
            .any(|e| e.what.starts_with("read Ethereum transaction"))
    );
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("load_eth_transaction_look");
    }
}
