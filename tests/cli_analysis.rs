//! `caseboard paths`, `taint`, `trace` and `analyze` run as the real binary: on a small hand-built
//! case, and on the demo case traced from its theft address;
//! paths found, the reason when there is none, and bad input exiting 2.

use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};
use std::path::Path;
use std::process::{Command, Output};

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn id(n: u8) -> String {
    format!("eth:0x{:040x}", n)
}

fn add(case: &mut Case, tid: &str, from: u8, to: u8, amount: u128, height: u64) {
    for n in [from, to] {
        let nid = NodeId::parse(&id(n)).expect("id");
        case.nodes.insert(nid.clone(), Node::address(nid));
    }
    let t = Transfer {
        id: TransferId::from(tid),
        from: NodeId::parse(&id(from)).expect("id"),
        to: NodeId::parse(&id(to)).expect("id"),
        asset: Asset {
            chain: Chain::Evm { chain_id: 1 },
            symbol: "TOK".into(),
            decimals: 6,
            contract: Some("0x00000000000000000000000000000000000000aa".into()),
        },
        amount,
        tx_hash: format!("0x{:064x}", height),
        block_height: Some(height),
        time: None,
        provenance: None,
        relation_txs: None,
        memo: None,
    };
    case.transfers.insert(t.id.clone(), t);
}

fn sample(dir: &Path) -> String {
    let mut case = Case::new("analysis", 0);
    add(&mut case, "eth:0xa:log0", 1, 2, 100, 10);
    add(&mut case, "eth:0xb:log0", 2, 3, 60, 11);
    add(&mut case, "eth:0xc:log0", 3, 4, 50, 5);
    let path = dir.join("case.ron");
    caseboard::case_file::save(&case, &path).expect("save");
    path.to_str().expect("utf8").to_string()
}

#[test]
fn paths_prints_one_line_per_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = sample(dir.path());
    let out = caseboard(&["paths", &file, "--from", &id(1), "--to", &id(3)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1);
    let json: serde_json::Value = serde_json::from_str(lines[0]).expect("json");
    assert_eq!(json["hops"][0], "eth:0xa:log0");
    assert_eq!(json["nodes"][2], id(3));
    assert_eq!(json["value"][0]["amount"], "60");
    assert!(json["usd"].is_null());
}

#[test]
fn paths_explains_no_path_and_refuses_bad_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = sample(dir.path());
    let out = caseboard(&["paths", &file, "--from", &id(1), "--to", &id(4)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("forward in time"));
    let out = caseboard(&["paths", &file, "--from", &id(4), "--to", &id(1)]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no directed route"));
    let out = caseboard(&["paths", &file, "--from", &id(9), "--to", &id(1)]);
    assert_eq!(out.status.code(), Some(2));
    let out = caseboard(&["paths", &file, "--from", "nonsense", "--to", &id(1)]);
    assert_eq!(out.status.code(), Some(2));
    let out = caseboard(&["paths", &file, "--from", &id(1), "--to", &id(3), "--k", "0"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn taint_prints_nodes_reached_and_refuses_bad_model() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = sample(dir.path());
    let out = caseboard(&["taint", &file, "--from", &id(1), "--model", "haircut"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json"))
        .collect();
    // 1 → 2 (100, h10), 2 → 3 (60, h11), 3 → 4 (50, h5: before 3 was tainted).
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["node"], id(2));
    assert_eq!(lines[0]["tainted"][0]["amount"], "100");
    assert_eq!(lines[1]["tainted"][0]["amount"], "60");
    let out = caseboard(&["taint", &file, "--from", &id(1), "--model", "magic"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The demo case traced from the theft address, as a file in `dir`.
fn traced_demo(dir: &Path) -> String {
    let demo = dir.join("demo.ron");
    let traced = dir.join("traced.ron");
    let demo_s = demo.to_str().expect("utf8");
    let out = caseboard(&["demo", "-o", demo_s]);
    assert!(out.status.success());
    let theft = caseboard::sources::demo::theft_address().to_string();
    let out = caseboard(&[
        "trace",
        demo_s,
        "--from",
        &theft,
        "--hops",
        "20",
        "--budget",
        "3000",
        "-o",
        traced.to_str().expect("utf8"),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("traced from"), "{stderr}");
    let steps = String::from_utf8_lossy(&out.stdout);
    assert!(
        steps.lines().count() > 500,
        "{} steps",
        steps.lines().count()
    );
    assert!(steps.contains("stopped: mixer"), "{steps}");
    assert!(steps.contains("stopped: exchange"));
    traced.to_str().expect("utf8").to_string()
}

#[test]
fn trace_then_analyze_finds_the_laundering_patterns() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = traced_demo(dir.path());
    let out = caseboard(&["analyze", &file]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    let count = |kind: &str| lines.iter().filter(|l| l["kind"] == kind).count();
    assert_eq!(count("fan_out"), 1);
    // The 40 Ethereum chains of the split and, past the bridge (the trace crosses where a
    // deposit's memo names the Bitcoin address), the Bitcoin peel chains: the same 147 the
    // detectors' ground-truth test finds with the bridge's payouts expanded by hand.
    assert_eq!(count("peel_chain"), 147);
    assert!(count("bridge_hop") > 100, "memo hops across the bridge");
    assert!(count("mixer_deposit") > 10);
    assert!(count("swap_hop") > 10);
    let first = &lines[0];
    for field in [
        "kind",
        "method",
        "confidence",
        "nodes",
        "transfers",
        "summary",
        "fingerprint",
    ] {
        assert!(!first[field].is_null(), "{field} missing: {first}");
    }
    assert_eq!(first["method"], "fan_out@1");
    assert!(first["confidence"].as_u64().is_some_and(|c| c <= 100));
    assert_eq!(first["nodes"].as_array().map(Vec::len), Some(41));

    // One kind only.
    let out = caseboard(&["analyze", &file, "--kind", "peel_chain"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), 147);
    assert!(text.lines().all(|l| l.contains("\"kind\":\"peel_chain\"")));

    // Taint from the theft address: per asset it never reaches the stablecoin; through the
    // swap hops it does, by share of value.
    let theft = caseboard::sources::demo::theft_address().to_string();
    let per_asset = caseboard(&["taint", &file, "--from", &theft, "--model", "haircut"]);
    assert!(per_asset.status.success());
    let per_asset = String::from_utf8_lossy(&per_asset.stdout);
    assert!(!per_asset.contains("\"USDT\""));
    let through = caseboard(&[
        "taint",
        &file,
        "--from",
        &theft,
        "--model",
        "haircut",
        "--through-hops",
    ]);
    assert!(through.status.success());
    let through = String::from_utf8_lossy(&through.stdout);
    assert!(through.lines().count() > per_asset.lines().count());
    assert!(through.contains("\"USDT\""), "no stablecoin reached");

    // A bad kind is an input error and prints nothing.
    let out = caseboard(&["analyze", &file, "--kind", "laundering"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("peel_chain"));
}

#[test]
fn trace_refuses_a_node_not_in_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = sample(dir.path());
    let out_file = dir.path().join("out.ron");
    let out = caseboard(&[
        "trace",
        &file,
        "--from",
        &id(99),
        "-o",
        out_file.to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out_file.exists());
}
