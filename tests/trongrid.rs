//! The TRON source against local servers: the recorded TronGrid answers (Ledger Live's
//! fixtures, `tests/fixtures/tron/`) checked to the base unit, and a local TronGrid that follows
//! the documented paging, confirmation and key rules (`support::trongrid_api`), with faults
//! injected: the 403 "suspended for N s" penalty, 429, a huge body, an error envelope, a key
//! that is refused. The contract suite (`tests/source_contract/tron.rs`) asks the rest.

mod support;

use caseboard::model::tron_address::tron_from_hex;
use caseboard::model::{Chain, NodeId, Transfer};
use caseboard::sources::etherscan::Secret;
use caseboard::sources::trongrid::TronGridSource;
use caseboard::sources::{DataSource, Direction, JobControl, SourceError};
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;
use std::time::{Duration, Instant};
use support::mock_http::{Fault, Response};
use support::sources::test_config;
use support::trongrid_api::{
    KEY, Ledger, USDT, addr, recorded, recorded_dir, serve, trc20_row, trx_row, txid, vote_row,
};

const OWNER: &str = "TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre";

fn trx(address: &str) -> NodeId {
    NodeId::parse(&format!("trx:{address}")).expect("id")
}

fn all_transfers(source: &dyn DataSource, node: &NodeId) -> Vec<Transfer> {
    source
        .counterparties(node, Direction::Both, &JobControl::default())
        .expect("counterparties")
        .into_iter()
        .flat_map(|c| c.transfers)
        .collect()
}

fn read_json(name: &str) -> Value {
    let text = std::fs::read_to_string(recorded_dir().join(name)).expect("fixture");
    serde_json::from_str(&text).expect("json")
}

type Leg = (String, String, String, Option<String>, u128);

fn leg_of(t: &Transfer) -> Leg {
    (
        t.tx_hash.clone(),
        t.from.value().to_owned(),
        t.to.value().to_owned(),
        t.asset.contract.clone(),
        t.amount,
    )
}

#[test]
fn every_recorded_transfer_is_read_to_the_base_unit() {
    let server = recorded(&recorded_dir());
    let source = TronGridSource::new(&server.url(), None, test_config(), None).expect("source");
    let owner = trx(OWNER);
    let node = source
        .lookup(&owner, &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert_eq!(node.balance, Some(1_100_002));

    // What the recorded bodies say, read here without the source's code.
    let mut expected: BTreeSet<Leg> = BTreeSet::new();
    let mut heights: BTreeSet<(String, u64)> = BTreeSet::new();
    for row in read_json("v1_accounts_TL24LCps_transactions_trc20_get_detail.json")["data"]
        .as_array()
        .expect("rows")
    {
        assert_eq!(row["type"], "Transfer");
        let id = row["transaction_id"].as_str().expect("id").to_owned();
        heights.insert((id, row["detail"]["blockNumber"].as_u64().expect("block")));
        expected.insert((
            row["transaction_id"].as_str().expect("id").to_owned(),
            row["from"].as_str().expect("from").to_owned(),
            row["to"].as_str().expect("to").to_owned(),
            Some(row["token_info"]["address"].as_str().expect("c").to_owned()),
            row["value"].as_str().expect("value").parse().expect("u128"),
        ));
    }
    let mut trx_count = 0;
    for row in read_json("v1_accounts_TL24LCps_transactions_limit100_page2.json")["data"]
        .as_array()
        .expect("rows")
    {
        let contract = &row["raw_data"]["contract"][0];
        if contract["type"] != "TransferContract" || row["ret"][0]["contractRet"] != "SUCCESS" {
            continue;
        }
        let value = &contract["parameter"]["value"];
        let hex = |field: &str| tron_from_hex(value[field].as_str().expect("hex")).expect("tron");
        expected.insert((
            row["txID"].as_str().expect("id").to_owned(),
            hex("owner_address"),
            hex("to_address"),
            None,
            u128::from(value["amount"].as_u64().expect("sun")),
        ));
        let block = row["blockNumber"].as_u64().expect("block");
        heights.insert((row["txID"].as_str().expect("id").to_owned(), block));
        trx_count += 1;
    }
    assert_eq!((expected.len(), trx_count), (16, 2));

    let page = source
        .counterparties_page(&owner, Direction::Both, None, &JobControl::default())
        .expect("page");
    let transfers: Vec<Transfer> = page
        .counterparties
        .iter()
        .flat_map(|c| c.transfers.iter().cloned())
        .collect();
    let got: BTreeSet<Leg> = transfers.iter().map(leg_of).collect();
    assert_eq!(got, expected);
    assert_eq!(transfers.len(), 16, "no transfer twice");
    // Every transfer has its block (TRC-20 ones from the detail get_detail=true brings).
    let got_heights: BTreeSet<(String, u64)> = transfers
        .iter()
        .map(|t| (t.tx_hash.clone(), t.block_height.expect("block height")))
        .collect();
    assert_eq!(got_heights, heights);
    // Decimals from token_info; USDT-TRC20 by its contract.
    for t in &transfers {
        assert_eq!(t.asset.chain, Chain::Tron);
        match t.asset.contract.as_deref() {
            None => assert_eq!((t.asset.symbol.as_str(), t.asset.decimals), ("TRX", 6)),
            Some(USDT) => assert_eq!((t.asset.symbol.as_str(), t.asset.decimals), ("USDT", 6)),
            Some(_) => assert!([6, 18].contains(&t.asset.decimals), "{:?}", t.asset),
        }
        assert!(t.time.is_some());
    }
    // The TRC-10 transfer of the recorded page is said, not hidden.
    assert!(
        page.gaps
            .iter()
            .any(|g| g.contains("1 TRC-10 transfer (TransferAssetContract) not shown")),
        "{:?}",
        page.gaps
    );
    assert!(page.resume.is_none());
}

/// The hot wallet 1 of a longer scenario: `trx_in` TRX transfers in, `tokens` USDT
/// transfers out, one failed, one unconfirmed, one vote and one approval that move nothing.
fn scenario(trx_in: u32, tokens: u32) -> Ledger {
    let mut ledger = Ledger::default();
    let mut ms = 1_700_000_000_000i64;
    for i in 0..trx_in {
        ms += 3_000;
        let from = 10 + (i % 5) as u8;
        ledger.tx(
            from,
            1,
            true,
            trx_row(&txid(i), from, 1, 1_000_000 + u64::from(i), ms, true),
        );
    }
    for i in 0..tokens {
        ms += 3_000;
        let to = 20 + (i % 7) as u8;
        let value = format!("{}", 5_000_000u64 + u64::from(i));
        let id = txid(100_000 + i);
        ledger.token(
            1,
            to,
            true,
            trc20_row(&id, (USDT, "USDT"), 1, to, &value, ms, "Transfer"),
        );
    }
    ledger.tx(
        1,
        30,
        true,
        trx_row(&txid(900_001), 1, 30, 7, ms + 1, false),
    );
    ledger.tx(
        31,
        1,
        false,
        trx_row(&txid(900_002), 31, 1, 9, ms + 2, true),
    );
    ledger.tx(1, 1, true, vote_row(&txid(900_003), 1, ms + 3));
    let approval = trc20_row(
        &txid(900_004),
        (USDT, "USDT"),
        1,
        32,
        "1",
        ms + 4,
        "Approval",
    );
    ledger.token(1, 32, true, approval);
    ledger.balances.push((addr(1), 42));
    ledger
}

#[test]
fn pages_follow_the_fingerprint_to_the_end_confirmed_only() {
    let server = serve(scenario(30, 450), None);
    let source = TronGridSource::new(&server.url(), None, test_config(), None).expect("source");
    let hot = trx(&addr(1));
    let transfers = all_transfers(&source, &hot);
    assert_eq!(transfers.len(), 480);
    let trx_sum: u128 = transfers
        .iter()
        .filter(|t| t.asset.contract.is_none())
        .map(|t| t.amount)
        .sum();
    assert_eq!(trx_sum, (0..30u128).map(|i| 1_000_000 + i).sum::<u128>());
    let usdt_sum: u128 = transfers
        .iter()
        .filter(|t| t.asset.contract.as_deref() == Some(USDT))
        .map(|t| t.amount)
        .sum();
    assert_eq!(usdt_sum, (0..450u128).map(|i| 5_000_000 + i).sum::<u128>());
    // Failed, unconfirmed, vote and approval: none is a transfer or a counterparty.
    let keys: BTreeSet<String> = transfers
        .iter()
        .flat_map(|t| [t.from.value().to_owned(), t.to.value().to_owned()])
        .collect();
    for n in [30, 31, 32] {
        assert!(!keys.contains(&addr(n)), "{n}");
    }
    let paths = server.paths();
    // trc20: 450 rows in pages of 200 → three requests, the later two with the fingerprint.
    let trc20: Vec<&String> = paths.iter().filter(|p| p.contains("/trc20")).collect();
    assert_eq!(trc20.len(), 3, "{trc20:?}");
    assert!(trc20[1].contains("fingerprint=Fp200") && trc20[2].contains("fingerprint=Fp400"));
    for p in &paths {
        assert!(
            p.contains("only_confirmed=true") && p.contains("limit=200"),
            "{p}"
        );
        assert_eq!(p.contains("/trc20"), p.contains("get_detail=true"), "{p}");
    }
    assert!(transfers.iter().all(|t| t.block_height.is_some()));
}

#[test]
fn load_more_goes_on_from_the_cursor_and_adds_up_to_the_whole() {
    let server = serve(scenario(30, 450), None);
    let capped = TronGridSource::new(&server.url(), None, test_config(), None)
        .expect("source")
        .with_page_size(100)
        .with_max_pages(1);
    let hot = trx(&addr(1));
    let mut resume: Option<String> = None;
    let mut ids = BTreeSet::new();
    let mut calls = 0;
    loop {
        calls += 1;
        assert!(calls < 20);
        let page = capped
            .counterparties_page(
                &hot,
                Direction::Both,
                resume.as_deref(),
                &JobControl::default(),
            )
            .expect("page");
        for t in page.counterparties.iter().flat_map(|c| &c.transfers) {
            assert!(ids.insert(t.id.clone()), "{} twice", t.id);
        }
        match page.resume {
            Some(next) => resume = Some(next),
            None => break,
        }
    }
    assert_eq!(calls, 5, "450 token rows in pages of 100");
    assert_eq!(ids.len(), 480);
}

#[test]
fn the_key_travels_only_in_its_header() {
    let server = serve(scenario(3, 3), Some(KEY));
    let keyed = TronGridSource::new(&server.url(), Some(Secret::new(KEY)), test_config(), None)
        .expect("source");
    let hot = trx(&addr(1));
    let transfers = all_transfers(&keyed, &hot);
    assert_eq!(transfers.len(), 6);
    for request in server.requests() {
        assert_eq!(request.header("TRON-PRO-API-KEY"), Some(KEY));
        assert!(!request.target.contains(KEY), "{}", request.target);
    }
    for t in &transfers {
        let provenance = format!("{:?}", t.provenance);
        assert!(!provenance.contains(KEY) && provenance.contains("trongrid:127.0.0.1"));
    }
    // Without the key the server refuses, and the error says so without any key.
    let unkeyed = TronGridSource::new(&server.url(), None, test_config(), None).expect("source");
    let err = unkeyed
        .counterparties(&hot, Direction::Both, &JobControl::default())
        .unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("401") && shown.contains("ApiKey not exists"),
        "{shown}"
    );
    // A wrong key echoed by a server is scrubbed.
    server.fault(
        "GET",
        "/v1/accounts/",
        Fault::Reply(Response::text(403, &format!("bad key {KEY}"))),
        10,
    );
    let err = keyed
        .counterparties(&hot, Direction::Both, &JobControl::default())
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains(KEY), "{err}");
}

#[test]
fn the_suspension_penalty_is_waited_out() {
    let server = serve(scenario(3, 3), None);
    let source = TronGridSource::new(&server.url(), None, test_config(), None).expect("source");
    let hot = trx(&addr(1));
    // TronGrid's penalty answer, shortened to one second so the test is quick.
    let penalty = serde_json::json!({
        "success": false,
        "error": "The key exceeds the frequency limit(15), and the query server is suspended for 1s",
        "statusCode": 403
    });
    server.fault(
        "GET",
        "/v1/accounts/",
        Fault::Reply(Response::json(403, &penalty)),
        1,
    );
    let started = Instant::now();
    let transfers = all_transfers(&source, &hot);
    assert_eq!(transfers.len(), 6);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited the second"
    );
    // A penalty that outlasts every retry ends in an error that says what happened.
    server.fault(
        "GET",
        "/v1/accounts/",
        Fault::Reply(Response::json(403, &penalty)),
        100,
    );
    let err = source
        .counterparties(&hot, Direction::Both, &JobControl::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("suspended requests for 1 s") && err.contains("retries"),
        "{err}"
    );
    server.clear_faults();
    // 429 once, then the answer.
    server.fault(
        "GET",
        "/v1/accounts/",
        Fault::too_many_requests(Some("0")),
        1,
    );
    assert_eq!(all_transfers(&source, &hot).len(), 6);
}

#[test]
fn hostile_answers_are_clear_errors() {
    let server = serve(scenario(3, 3), None);
    let source = TronGridSource::new(&server.url(), None, test_config(), None).expect("source");
    let hot = trx(&addr(1));
    let cases: Vec<(Fault, &str)> = vec![
        (
            Fault::Huge {
                bytes: 8 * 1024 * 1024,
                content_length: false,
            },
            "larger than",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"success": false, "error": "invalid address"}),
            )),
            "the server said: invalid address",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"data": [{"txID": "zz", "raw_data": {"contract": [{"type": "TransferContract", "parameter": {"value": {"amount": 5}}}]}, "ret": [{"contractRet": "SUCCESS"}]}], "success": true}),
            )),
            "data[0].txID",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"data": [], "success": true, "meta": {"fingerprint": "a b"}}),
            )),
            "not a paging token",
        ),
        (
            Fault::Reply(Response::json(
                200,
                &serde_json::json!({"data": [trx_row(&txid(5), 2, 1, 1, 1, true)], "success": true, "meta": {"fingerprint": "x/../../y"}}),
            )),
            "not a paging token",
        ),
    ];
    for (fault, words) in cases {
        server.fault("GET", "/v1/accounts/", fault.clone(), 1_000);
        let result = source.counterparties(&hot, Direction::Both, &JobControl::default());
        server.clear_faults();
        match result {
            Err(SourceError::BadAnswer { message, .. }) => {
                assert!(message.contains(words), "{fault:?}: {message}");
            }
            other => panic!("{fault:?}: {other:?}"),
        }
        // Healthy again: the right answer.
        assert_eq!(all_transfers(&source, &hot).len(), 6);
    }
}

#[test]
fn the_command_line_expands_a_tron_address_and_keeps_the_key_out_of_the_case() {
    let server = serve(scenario(4, 5), Some(KEY));
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.ron");
    let out_path = dir.path().join("expanded.ron");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_caseboard"))
            .env("CASEBOARD_SETTINGS", dir.path().join("settings.ron"))
            .env("XDG_CACHE_HOME", dir.path().join("cache"))
            .env("CASEBOARD_TRONGRID_API_KEY", KEY)
            .args(args)
            .output()
            .expect("binary runs")
    };
    // The hex form is accepted and shown as T….
    let hex = support::trongrid_api::hex_of(1);
    let source = format!("tron={}", server.url());
    let out = run(&[
        "new",
        "-o",
        case.to_str().expect("utf8"),
        "--source",
        &source,
        &hex,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hot = trx(&addr(1));
    let out = run(&[
        "expand",
        case.to_str().expect("utf8"),
        "--node",
        hot.as_str(),
        "-o",
        out_path.to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&out_path).expect("case");
    assert!(!text.contains(KEY));
    let expanded = caseboard::case_file::load(&out_path).expect("loads");
    assert_eq!(expanded.transfers.len(), 9);
    assert!(expanded.nodes.contains_key(&hot));
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.header("TRON-PRO-API-KEY") == Some(KEY))
    );
}
