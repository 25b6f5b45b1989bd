//! Expansion benchmark for the TRON source: an address with 5,000 TRC-20 transfers (and 200
//! TRX transfers) served by the local TronGrid of `tests/support/trongrid_api.rs`, which pages
//! by fingerprint as TronGrid documents (200 rows a page).
//!
//! `cargo bench --bench expand_tron` times `counterparties(Both)` of a fresh source (no response
//! cache) — requests, JSON parsing, checks, grouping — median of 7 runs, checks every amount
//! adds up exactly, and writes `target/bench/expand_tron.json`. The bar: ≤ 2 s.

#[path = "../tests/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use caseboard::model::NodeId;
use caseboard::sources::http::HttpConfig;
use caseboard::sources::trongrid::TronGridSource;
use caseboard::sources::{DataSource as _, Direction, JobControl};
use std::time::Instant;
use support::trongrid_api::{Ledger, USDT, addr, serve, trc20_row, trx_row, txid};

const TOKEN_TRANSFERS: u32 = 5_000;
const TRX_TRANSFERS: u32 = 200;
const RUNS: usize = 7;
const BAR_MS: f64 = 2_000.0;

fn main() {
    let mut ledger = Ledger::default();
    let mut ms = 1_700_000_000_000i64;
    for i in 0..TOKEN_TRANSFERS {
        ms += 3_000;
        let from = 10 + (i % 200) as u8;
        let value = (1_000_000 + u64::from(i)).to_string();
        let row = trc20_row(&txid(i), (USDT, "USDT"), from, 1, &value, ms, "Transfer");
        ledger.token(from, 1, true, row);
    }
    for i in 0..TRX_TRANSFERS {
        ms += 3_000;
        let row = trx_row(&txid(100_000 + i), 1, 9, 5_000_000, ms, true);
        ledger.tx(1, 9, true, row);
    }
    let server = serve(ledger, None);
    let node = NodeId::parse(&format!("trx:{}", addr(1))).expect("id");
    let expected_usdt: u128 = (0..u128::from(TOKEN_TRANSFERS))
        .map(|i| 1_000_000 + i)
        .sum();
    let mut times_ms = Vec::new();
    let mut requests = 0;
    for _ in 0..RUNS {
        let source = TronGridSource::new(&server.url(), None, HttpConfig::for_own_node(), None)
            .expect("source");
        let started = Instant::now();
        let counterparties = source
            .counterparties(&node, Direction::Both, &JobControl::default())
            .expect("expansion");
        times_ms.push(started.elapsed().as_secs_f64() * 1_000.0);
        requests = source.client().requests_sent();
        let usdt: u128 = counterparties
            .iter()
            .flat_map(|c| &c.transfers)
            .filter(|t| t.asset.contract.as_deref() == Some(USDT))
            .map(|t| t.amount)
            .sum();
        assert_eq!(usdt, expected_usdt, "every base unit");
        assert_eq!(counterparties.len(), 201);
    }
    times_ms.sort_by(f64::total_cmp);
    let median = times_ms[RUNS / 2];
    println!(
        "expand_tron: {TOKEN_TRANSFERS} TRC-20 + {TRX_TRANSFERS} TRX transfers, {requests} requests: median {median:.0} ms (min {:.0}, max {:.0}; bar {BAR_MS:.0} ms)",
        times_ms[0],
        times_ms[RUNS - 1]
    );
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    let _ = std::fs::create_dir_all(&out);
    let json = serde_json::json!({
        "token_transfers": TOKEN_TRANSFERS,
        "trx_transfers": TRX_TRANSFERS,
        "requests": requests,
        "median_ms": median,
        "runs_ms": times_ms,
    });
    let _ = std::fs::write(out.join("expand_tron.json"), json.to_string());
    assert!(
        median <= BAR_MS,
        "median {median:.0} ms over the {BAR_MS} ms bar"
    );
}
