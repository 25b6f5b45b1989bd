//! Starting from a TRON transaction (issue 15): the transaction read by id through TronGrid's
//! full-node paths (`/walletsolidity/gettransactionbyid`, `…/gettransactioninfobyid`) — the
//! recorded USDT transfer of Ledger Live's fixtures checked to the base unit, a synthetic TRX
//! transfer, ids equal to the ones an expansion gives (so expanding an end adds nothing
//! twice), a failed transaction said as a gap, and faults that fail clearly.

mod support;

use caseboard::model::{Chain, NodeId, Transfer};
use caseboard::sources::etherscan::Secret;
use caseboard::sources::trongrid::TronGridSource;
use caseboard::sources::{DataSource, Direction, JobControl};
use serde_json::{Value, json};
use support::mock_http::{Fault, MockServer, Response};
use support::sources::{message, test_config};
use support::trongrid_api::{
    KEY, Ledger, addr, hex_of, recorded, recorded_dir, serve, trx_row, txid,
};

const OWNER: &str = "TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre";
const USDT_TX: &str = "0130dfde9281a48378109039ef512229d5359fbee2a8adbb17ad73aebc67ea99";

fn read_json(name: &str) -> Value {
    let text = std::fs::read_to_string(recorded_dir().join(name)).expect("fixture");
    serde_json::from_str(&text).expect("json")
}

fn expansion(source: &dyn DataSource, address: &str) -> Vec<Transfer> {
    source
        .counterparties(
            &NodeId::parse(&format!("trx:{address}")).expect("id"),
            Direction::Both,
            &JobControl::default(),
        )
        .expect("expansion")
        .into_iter()
        .flat_map(|c| c.transfers)
        .collect()
}

/// The recorded server plus the two full-node paths for the recorded USDT transaction.
fn recorded_with_tx() -> MockServer {
    let server = recorded(&recorded_dir());
    let info = read_json("wallet_gettransactioninfobyid_0130dfde.json");
    let trc20 = read_json("v1_accounts_TL24LCps_transactions_trc20_get_detail.json");
    let detail = trc20["data"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["transaction_id"] == USDT_TX)
        .expect("row")["detail"]
        .clone();
    let tx: serde_json::Map<String, Value> = detail
        .as_object()
        .expect("detail")
        .iter()
        .filter(|(k, _)| {
            ["ret", "signature", "txID", "raw_data", "raw_data_hex"].contains(&k.as_str())
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let tx = Value::Object(tx);
    let answer = move |req: &support::mock_http::Request, body: &Value| {
        if req
            .json()
            .and_then(|j| j["value"].as_str().map(str::to_owned))
            .as_deref()
            == Some(USDT_TX)
        {
            Response::json(200, body)
        } else {
            Response::json(200, &json!({}))
        }
    };
    let by_id = answer;
    server.route("POST", "/walletsolidity/gettransactionbyid", move |req| {
        by_id(req, &tx)
    });
    server.route(
        "POST",
        "/walletsolidity/gettransactioninfobyid",
        move |req| answer(req, &info),
    );
    server
}

#[test]
fn the_recorded_usdt_transfer_is_read_with_the_expansion_id() {
    let server = recorded_with_tx();
    let source = TronGridSource::new(&server.url(), None, test_config(), None).expect("source");
    let facts = source
        .transaction(Chain::Tron, USDT_TX, &JobControl::default())
        .expect("transaction");
    assert!(facts.gaps.is_empty(), "{:?}", facts.gaps);
    assert_eq!(facts.transfers.len(), 1);
    let t = &facts.transfers[0];
    assert_eq!(t.from.value(), OWNER);
    assert_eq!(t.to.value(), "TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx");
    assert_eq!(t.amount, 41_677_389);
    assert_eq!(
        t.asset.contract.as_deref(),
        Some("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    );
    assert_eq!((t.asset.symbol.as_str(), t.asset.decimals), ("USDT", 6));
    assert_eq!(t.block_height, Some(69_316_562));
    assert_eq!(t.time, Some(1_738_601_505));
    assert_eq!(facts.nodes.len(), 2);
    // The decimals came from the sender's own trc20 rows at that block's time.
    let asked = server.paths();
    assert!(
        asked.iter().any(
            |p| p.contains(&format!("/v1/accounts/{OWNER}/transactions/trc20"))
                && p.contains("min_timestamp=1738601505000")
                && p.contains("max_timestamp=1738601505000")
        ),
        "{asked:?}"
    );
    // Expanding the sender afterwards gives the same transfer under the same id.
    let expanded = expansion(&source, OWNER);
    let same = expanded
        .iter()
        .find(|e| e.id == t.id)
        .expect("same id in the expansion");
    assert_eq!(
        (same.amount, &same.from, &same.to, &same.asset),
        (t.amount, &t.from, &t.to, &t.asset)
    );
}

/// A local server over `ledger` plus the full-node paths answering for TRX rows of it.
fn synthetic(
    rows: Vec<(String, Value, Option<&'static str>)>,
    key: Option<&'static str>,
) -> MockServer {
    let mut ledger = Ledger::default();
    for (_, row, _) in &rows {
        ledger.tx(1, 2, true, row.clone());
    }
    let server = serve(ledger, key);
    let rows = std::sync::Arc::new(rows);
    let find = move |req: &support::mock_http::Request| {
        let asked = req
            .json()
            .and_then(|j| j["value"].as_str().map(str::to_owned))?;
        rows.iter().find(|(id, _, _)| *id == asked).cloned()
    };
    let find_info = find.clone();
    server.route("POST", "/walletsolidity/gettransactionbyid", move |req| {
        Response::json(200, &find(req).map_or(json!({}), |(_, row, _)| row))
    });
    server.route(
        "POST",
        "/walletsolidity/gettransactioninfobyid",
        move |req| {
            Response::json(
                200,
                &find_info(req).map_or(json!({}), |(id, row, result)| {
                    let mut info = json!({"id": id, "blockNumber": row["blockNumber"],
                    "blockTimeStamp": row["block_timestamp"], "receipt": {"net_usage": 268}});
                    if let Some(result) = result {
                        info["result"] = json!(result);
                    }
                    info
                }),
            )
        },
    );
    server
}

#[test]
fn a_trx_transfer_and_a_failed_one() {
    let ms = 1_700_000_003_000i64;
    let server = synthetic(
        vec![
            (txid(1), trx_row(&txid(1), 1, 2, 2_500_000, ms, true), None),
            (
                txid(2),
                trx_row(&txid(2), 1, 2, 9, ms + 3_000, false),
                Some("FAILED"),
            ),
        ],
        Some(KEY),
    );
    let source = TronGridSource::new(&server.url(), Some(Secret::new(KEY)), test_config(), None)
        .expect("source");
    let facts = source
        .transaction(Chain::Tron, &txid(1), &JobControl::default())
        .expect("transaction");
    assert_eq!(facts.transfers.len(), 1);
    let t = &facts.transfers[0];
    assert_eq!(
        (t.from.value(), t.to.value(), t.amount),
        (addr(1).as_str(), addr(2).as_str(), 2_500_000)
    );
    assert_eq!(t.id.to_string(), format!("trx:{}:native", txid(1)));
    assert_eq!(t.time, Some(ms / 1000));
    let expanded = expansion(&source, &addr(1));
    assert!(
        expanded
            .iter()
            .any(|e| e.id == t.id && e.amount == t.amount)
    );
    assert!(
        hex_of(1).starts_with("41"),
        "the rows write hex 41… addresses"
    );
    let failed = source
        .transaction(Chain::Tron, &txid(2), &JobControl::default())
        .expect("failed transaction");
    assert!(failed.transfers.is_empty());
    assert!(
        failed.gaps[0].contains("failed") && failed.gaps[0].contains("moved nothing"),
        "{:?}",
        failed.gaps
    );
    // Faults: unknown id, not an id, 500, bad JSON — clear errors, no key.
    let ask = |id: &str| {
        source
            .transaction(Chain::Tron, id, &JobControl::default())
            .map_err(message)
    };
    let unknown = ask(&txid(77)).unwrap_err();
    assert!(unknown.contains("no confirmed transaction"), "{unknown}");
    assert!(
        ask("0x12")
            .unwrap_err()
            .contains("not a TRON transaction id")
    );
    server.fault("POST", "/walletsolidity/", Fault::status(500), 100);
    let error = ask(&txid(1)).unwrap_err();
    assert!(!error.contains(KEY), "{error}");
    server.clear_faults();
    server.fault(
        "POST",
        "/walletsolidity/",
        Fault::Reply(Response::bytes(
            200,
            "application/json",
            b"{\"txID\":".to_vec(),
        )),
        100,
    );
    let error = ask(&txid(1)).unwrap_err();
    assert!(!error.contains(KEY), "{error}");
    server.clear_faults();
    // An answer about another transaction.
    let liar = MockServer::start();
    liar.route("POST", "/walletsolidity/", |_| {
        Response::json(200, &json!({"txID": "ab".repeat(32)}))
    });
    let wrong = TronGridSource::new(&liar.url(), None, test_config(), None)
        .expect("source")
        .transaction(Chain::Tron, &txid(1), &JobControl::default())
        .map_err(message)
        .unwrap_err();
    assert!(wrong.contains("not the one asked for"), "{wrong}");
}
