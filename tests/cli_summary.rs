//! `caseboard summary` run as the real binary: per-asset money of the whole case and of chosen
//! nodes, exact base units as strings, USD from the bundled tables or an imported one, and
//! clear refusals (exit 2) for bad options.

use std::process::{Command, Output};

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn json(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("one JSON object")
}

/// A small case: two ETH transfers on 2025-02-21 (ETH close $2,659.65551758) and a token
/// that copies USDT's symbol.
fn small_case(dir: &std::path::Path) -> std::path::PathBuf {
    use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};
    let a = NodeId::parse("eth:0x1111111111111111111111111111111111111111").expect("id");
    let b = NodeId::parse("eth:0x2222222222222222222222222222222222222222").expect("id");
    let mut case = Case::new("money", 0);
    for id in [&a, &b] {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
    }
    let transfer =
        |id: &str, from: &NodeId, to: &NodeId, asset: Asset, amount: u128, time| Transfer {
            id: TransferId::from(id),
            from: from.clone(),
            to: to.clone(),
            asset,
            amount,
            tx_hash: id.to_owned(),
            block_height: Some(1),
            time: Some(time),
            provenance: None,
            relation_txs: None,
            memo: None,
        };
    let fake_usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0x9999999999999999999999999999999999999999",
    );
    for t in [
        transfer(
            "eth:0xaa:native",
            &a,
            &b,
            Asset::native(Chain::ETHEREUM),
            288_400_000_000_000_000_000,
            1_740_139_200,
        ),
        transfer(
            "eth:0xbb:log0",
            &b,
            &a,
            fake_usdt,
            768_851_000_000,
            1_740_139_300,
        ),
    ] {
        case.transfers.insert(t.id.clone(), t);
    }
    let path = dir.join("money.ron");
    caseboard::case_file::save(&case, &path).expect("saved");
    path
}

#[test]
fn summary_of_the_case_and_of_a_node() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = small_case(dir.path());
    let case = case.to_str().expect("utf8");
    let whole = json(&caseboard(&["summary", case]));
    let assets = whole["assets"].as_array().expect("assets");
    assert_eq!(assets.len(), 2, "grouped by contract, not by symbol");
    let eth = &assets[0];
    assert_eq!(eth["chain"], "eth");
    assert_eq!(eth["contract"], serde_json::Value::Null);
    assert_eq!(eth["in"], "288400000000000000000");
    assert_eq!(eth["out"], "0");
    // 288.4 × 2659.65551758 = 767,044.651270072 → rounded down to the cent.
    assert_eq!(eth["usd_in"], "767044.65");
    let fake = &assets[1];
    assert_eq!(fake["symbol"], "USDT");
    assert_eq!(fake["usd_in"], serde_json::Value::Null, "no price, not $0");
    assert_eq!(whole["usd_in"], "767044.65");

    let node = json(&caseboard(&[
        "summary",
        case,
        "--node",
        "eth:0x1111111111111111111111111111111111111111",
    ]));
    let assets = node["assets"].as_array().expect("assets");
    assert_eq!(assets[0]["out"], "288400000000000000000");
    assert_eq!(assets[0]["usd_out"], "767044.65");
    assert_eq!(assets[1]["in"], "768851000000");
    assert_eq!(node["counterparties"], 1);
    assert_eq!(
        node["internal_transfers"], 0,
        "one node has no internal transfers"
    );

    // Outside the window nothing is counted.
    let none = json(&caseboard(&["summary", case, "--since", "2025-02-22"]));
    assert_eq!(none["assets"].as_array().map(Vec::len), Some(0));
}

#[test]
fn an_imported_table_prices_a_token_by_its_contract() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = small_case(dir.path());
    let table = dir.path().join("token.csv");
    std::fs::write(&table, "date,close_usd\n2025-02-21,0.5\n").expect("write");
    let arg = format!(
        "eth:0x9999999999999999999999999999999999999999={}",
        table.display()
    );
    let out = json(&caseboard(&[
        "summary",
        case.to_str().expect("utf8"),
        "--prices",
        &arg,
    ]));
    assert_eq!(out["assets"][1]["usd_in"], "384425.50");
    assert_eq!(out["usd_in"], "1151470.15");
}

#[test]
fn bad_options_exit_2_with_a_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = small_case(dir.path());
    let case = case.to_str().expect("utf8");
    for (args, needle) in [
        (vec!["--since", "21.02.2025"], "YYYY-MM-DD"),
        (vec!["--prices", "usdt=x.csv"], "not a chain"),
        (vec!["--prices", "eth=/dev/zero"], "not a regular file"),
        (
            vec!["--node", "eth:0x3333333333333333333333333333333333333333"],
            "not in",
        ),
    ] {
        let mut all = vec!["summary", case];
        all.extend(args);
        let out = caseboard(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{all:?}: {stderr}");
    }
}
