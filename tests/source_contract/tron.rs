//! TronGrid as a contract backend: the local TronGrid of `support::trongrid_api` (documented
//! paging by fingerprint, confirmation and key rules) with a hot wallet that received TRX from
//! five addresses and paid USDT-TRC20 to seven, plus a failed transfer, an unconfirmed one, a
//! vote and an approval that must not show; with a key, so the contract checks it never leaks.

use crate::backend::{Backend, Expect, Seeded, Transport, id};
use crate::support::sources::test_config;
use crate::support::trongrid_api::{
    KEY, Ledger, USDT, addr, serve, trc20_row, trx_row, txid, vote_row,
};
use caseboard::sources::etherscan::Secret;
use caseboard::sources::trongrid::TronGridSource;

pub struct Tron;

const BALANCE_SUN: u64 = 123_456_789;

fn ledger() -> Ledger {
    let mut ledger = Ledger::default();
    let mut ms = 1_700_000_000_000i64;
    for i in 0..12u32 {
        ms += 3_000;
        let from = 10 + (i % 5) as u8;
        ledger.tx(
            from,
            1,
            true,
            trx_row(&txid(i), from, 1, 2_000_000 + u64::from(i), ms, true),
        );
    }
    for i in 0..14u32 {
        ms += 3_000;
        let to = 20 + (i % 7) as u8;
        let row = trc20_row(
            &txid(1_000 + i),
            (USDT, "USDT"),
            1,
            to,
            "1500000",
            ms,
            "Transfer",
        );
        ledger.token(1, to, true, row);
    }
    ledger.tx(1, 30, true, trx_row(&txid(9_001), 1, 30, 5, ms + 1, false));
    ledger.tx(31, 1, false, trx_row(&txid(9_002), 31, 1, 5, ms + 2, true));
    ledger.tx(1, 1, true, vote_row(&txid(9_003), 1, ms + 3));
    let approval = trc20_row(&txid(9_004), (USDT, "USDT"), 1, 32, "7", ms + 4, "Approval");
    ledger.token(1, 32, true, approval);
    ledger.balances.push((addr(1), BALANCE_SUN));
    ledger
}

impl Backend for Tron {
    fn start() -> Seeded {
        let server = serve(ledger(), Some(KEY));
        let build = || {
            TronGridSource::new(&server.url(), Some(Secret::new(KEY)), test_config(), None)
                .expect("source")
        };
        let node = |n: u8| id(&format!("trx:{}", addr(n)));
        Seeded {
            name: "trongrid",
            source: Box::new(build()),
            // Five rows a page, one page a call: the history needs several calls.
            capped: Some(Box::new(build().with_page_size(5).with_max_pages(1))),
            expect: Expect {
                known: node(1),
                balance: Some(u128::from(BALANCE_SUN)),
                keys_in: (10..15).map(node).collect(),
                keys_out: (20..27).map(node).collect(),
                foreign: id("eth:0x1111111111111111111111111111111111111111"),
                pages: true,
            },
            transport: Some(Transport {
                server,
                method: "GET",
                prefix: "/v1/accounts/",
                secret: Some(KEY),
            }),
            keep: None,
        }
    }
}
