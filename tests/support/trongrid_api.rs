//! A local TronGrid v1 server that follows the documented rules, for the TRON source's tests:
//! `GET /v1/accounts/{address}`, `…/transactions` and `…/transactions/trc20`, each list newest
//! first (`order_by=block_timestamp,desc`, the default; `,asc` reverses), `limit` 1–200 (more
//! is TronGrid's 400 answer), `only_confirmed=true` leaving out unconfirmed rows, and paging
//! by an opaque `fingerprint` in `meta` (with `links.next`), absent on the last page;
//! `min_timestamp`/`max_timestamp` (ms, inclusive) keep only rows of that block-time range. With a
//! key configured, a request without the `TRON-PRO-API-KEY` header gets TronGrid's 401.
//!
//! Rows are built in the shape of the recorded answers in `tests/fixtures/tron/`
//! (`TransferContract` rows with hex `41…` addresses and amounts in sun; trc20 rows with
//! base58 addresses, `token_info` and the raw value as a decimal string). [`recorded`] serves
//! the recorded bodies themselves.

#![allow(dead_code)]

use super::mock_http::{MockServer, Request, Response};
use caseboard::model::tron_address::encode_tron;
use serde_json::{Value, json};
use std::sync::Arc;

/// USDT-TRC20's contract.
pub const USDT: &str = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

/// The key the keyed server wants.
pub const KEY: &str = "tron-test-key-0123456789";

/// The TRON address of a 20-byte hash filled with `n`.
pub fn addr(n: u8) -> String {
    encode_tron(&[n; 20])
}

/// Its hex form, as `/transactions` rows write it.
pub fn hex_of(n: u8) -> String {
    format!("41{}", format!("{n:02x}").repeat(20))
}

/// One TRX transfer row (a `TransferContract`), `ok` = `contractRet` SUCCESS.
pub fn trx_row(txid: &str, from: u8, to: u8, sun: u64, ms: i64, ok: bool) -> Value {
    json!({
        "ret": [{"contractRet": if ok { "SUCCESS" } else { "OUT_OF_ENERGY" }, "fee": 0}],
        "signature": ["00"],
        "txID": txid,
        "net_usage": 268,
        "raw_data_hex": "00",
        "net_fee": 0,
        "energy_usage": 0,
        "blockNumber": 60_000_000 + ms / 3_000,
        "block_timestamp": ms,
        "energy_fee": 0,
        "energy_usage_total": 0,
        "raw_data": {
            "contract": [{
                "parameter": {
                    "value": {"amount": sun, "owner_address": hex_of(from), "to_address": hex_of(to)},
                    "type_url": "type.googleapis.com/protocol.TransferContract"
                },
                "type": "TransferContract"
            }],
            "ref_block_bytes": "7f35",
            "ref_block_hash": "4cbf0f3d4bb94908",
            "expiration": ms + 60_000,
            "timestamp": ms - 1_000
        },
        "internal_transactions": []
    })
}

/// A row of another contract type (a vote), which moves nothing.
pub fn vote_row(txid: &str, from: u8, ms: i64) -> Value {
    json!({
        "ret": [{"contractRet": "SUCCESS"}],
        "txID": txid,
        "blockNumber": 60_000_000 + ms / 3_000,
        "block_timestamp": ms,
        "raw_data": {"contract": [{
            "parameter": {"value": {"owner_address": hex_of(from), "votes": [{"vote_address": hex_of(99), "vote_count": 5}]},
                          "type_url": "type.googleapis.com/protocol.VoteWitnessContract"},
            "type": "VoteWitnessContract"
        }]},
        "internal_transactions": []
    })
}

/// One TRC-20 row of `token` = (contract, symbol), 6 decimals; `kind` `Transfer` or
/// `Approval`.
pub fn trc20_row(
    txid: &str,
    (contract, symbol): (&str, &str),
    from: u8,
    to: u8,
    value: &str,
    ms: i64,
    kind: &str,
) -> Value {
    json!({
        "transaction_id": txid,
        "token_info": {"symbol": symbol, "address": contract, "decimals": 6, "name": symbol},
        "block_timestamp": ms,
        "from": addr(from),
        "to": addr(to),
        "type": kind,
        "value": value,
        // What `get_detail=true` adds (the whole transaction); the source reads its block.
        "detail": {"txID": txid, "blockNumber": 60_000_000 + ms / 3_000, "block_timestamp": ms}
    })
}

/// A txid made of `n`.
pub fn txid(n: u32) -> String {
    format!("{n:064x}")
}

/// What the server holds: every row of the chain it knows, with the addresses each touches.
#[derive(Default)]
pub struct Ledger {
    /// `/transactions` rows: (addresses touched, confirmed, row).
    pub txs: Vec<(Vec<String>, bool, Value)>,
    /// trc20 rows: (addresses touched, confirmed, row).
    pub trc20: Vec<(Vec<String>, bool, Value)>,
    /// Balances in sun by address.
    pub balances: Vec<(String, u64)>,
}

impl Ledger {
    /// Adds a TRX row touching `from` and `to`.
    pub fn tx(&mut self, from: u8, to: u8, confirmed: bool, row: Value) {
        self.txs.push((vec![addr(from), addr(to)], confirmed, row));
    }

    /// Adds a trc20 row touching `from` and `to`.
    pub fn token(&mut self, from: u8, to: u8, confirmed: bool, row: Value) {
        self.trc20
            .push((vec![addr(from), addr(to)], confirmed, row));
    }
}

/// Starts a server over `ledger`; with `key`, requests without it are refused.
pub fn serve(ledger: Ledger, key: Option<&'static str>) -> MockServer {
    let server = MockServer::start();
    let ledger = Arc::new(ledger);
    let base = server.url();
    server.route("GET", "/v1/accounts/", move |request| {
        answer(&ledger, request, key, &base)
    });
    server
}

fn error(status: u16, text: &str) -> Response {
    Response::json(
        status,
        &json!({"success": false, "error": text, "statusCode": status}),
    )
}

fn answer(ledger: &Ledger, request: &Request, key: Option<&str>, base: &str) -> Response {
    if let Some(key) = key
        && request.header("TRON-PRO-API-KEY") != Some(key)
    {
        return error(401, "ApiKey not exists");
    }
    let rest = request.path_after("/v1/accounts/").unwrap_or_default();
    let (address, list) = match rest.split_once('/') {
        Some((address, list)) => (address, Some(list)),
        None => (rest, None),
    };
    let rows = match list {
        None => {
            let data: Vec<Value> = ledger
                .balances
                .iter()
                .filter(|(a, _)| a == address)
                .map(|(_, sun)| json!({"address": address, "balance": sun, "create_time": 1}))
                .collect();
            return Response::json(
                200,
                &json!({"data": data, "success": true, "meta": {"at": 1, "page_size": data.len()}}),
            );
        }
        Some("transactions") => &ledger.txs,
        Some("transactions/trc20") => &ledger.trc20,
        Some(_) => return error(404, "no such path"),
    };
    let limit: usize = match request.query_param("limit").map(str::parse) {
        None => 20,
        Some(Ok(n)) if (1..=200).contains(&n) => n,
        Some(_) => return error(400, "limit must be between 1 and 200"),
    };
    let only_confirmed = request.query_param("only_confirmed") == Some("true");
    // `min_timestamp` / `max_timestamp` (ms, inclusive) keep rows of that block-time range.
    let bound = |name: &str| request.query_param(name).map(str::parse::<i64>);
    let (min_ms, max_ms) = match (bound("min_timestamp"), bound("max_timestamp")) {
        (Some(Err(_)), _) | (_, Some(Err(_))) => {
            return error(400, "min_timestamp and max_timestamp must be numbers (ms)");
        }
        (min, max) => (
            min.and_then(Result::ok).unwrap_or(i64::MIN),
            max.and_then(Result::ok).unwrap_or(i64::MAX),
        ),
    };
    let ascending = request
        .query_param("order_by")
        .is_some_and(|o| o.ends_with(",asc"));
    let mut matching: Vec<&Value> = rows
        .iter()
        .filter(|(touched, confirmed, _)| {
            touched.iter().any(|a| a == address) && (*confirmed || !only_confirmed)
        })
        .filter(|(_, _, row)| {
            let ms = row["block_timestamp"].as_i64().unwrap_or(0);
            (min_ms..=max_ms).contains(&ms)
        })
        .map(|(_, _, row)| row)
        .collect();
    matching.sort_by_key(|row| row["block_timestamp"].as_i64().unwrap_or(0));
    if !ascending {
        matching.reverse();
    }
    let offset = match request.query_param("fingerprint") {
        None => 0,
        Some(fp) => match fp.strip_prefix("Fp").and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n <= matching.len() => n,
            _ => return error(400, "invalid fingerprint"),
        },
    };
    let page: Vec<Value> = matching
        .iter()
        .skip(offset)
        .take(limit)
        .map(|row| (*row).clone())
        .collect();
    let mut meta = json!({"at": 1_739_548_663_637i64, "page_size": page.len()});
    let next = offset + page.len();
    if next < matching.len() {
        let fingerprint = format!("Fp{next}");
        meta["fingerprint"] = json!(fingerprint);
        meta["links"] = json!({"next": format!("{base}{}?limit={limit}&fingerprint={fingerprint}", request.path)});
    }
    Response::json(200, &json!({"data": page, "success": true, "meta": meta}))
}

/// The recorded answers (Ledger Live's fixtures, see `SOURCES.md` there) served at the paths
/// they were recorded from: the account `TL24LCps…`, its trc20 list (one page), and the
/// last page of its `/transactions` served as the whole list.
pub fn recorded(dir: &std::path::Path) -> MockServer {
    let read = |name: &str| -> Value {
        let text =
            std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let account = read("v1_accounts_TL24LCps.json");
    let trc20 = read("v1_accounts_TL24LCps_transactions_trc20_get_detail.json");
    let txs = read("v1_accounts_TL24LCps_transactions_limit100_page2.json");
    let server = MockServer::start();
    let owner = "TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre";
    server.route("GET", "/v1/accounts/", move |request| {
        match request.path_after("/v1/accounts/") {
            Some(p) if p == owner => Response::json(200, &account),
            Some(p) if p == format!("{owner}/transactions/trc20") => Response::json(200, &trc20),
            Some(p) if p == format!("{owner}/transactions") => Response::json(200, &txs),
            _ => Response::json(
                200,
                &json!({"data": [], "success": true, "meta": {"at": 1, "page_size": 0}}),
            ),
        }
    });
    server
}

/// The recorded answers' folder (`tests/fixtures/tron`, see its README).
pub fn recorded_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tron")
}
