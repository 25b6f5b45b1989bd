//! GraphSense as a contract backend: the local GraphSense of `support::graphsense_api` (the
//! OpenAPI 1.15.5 paths, `next_page` paging, `direction` and `pagesize` rules, the key in the
//! `Authorization` header) with an Ethereum address that five addresses paid ETH and that paid
//! USDT (and some ETH) to seven; with a key, so the contract checks it never leaks.

use crate::backend::{Backend, Expect, Seeded, Transport, id};
use crate::support::graphsense_api::{KEY, Ledger, Relation, USDT_ETH, serve};
use crate::support::sources::test_config;
use caseboard::sources::etherscan::Secret;
use caseboard::sources::graphsense::GraphSenseSource;

pub struct GraphSense;

const BALANCE_WEI: u128 = 1_234_567_890_123_456_789;

/// The Ethereum address `0x` + 40 × the hex digit pair of `n`.
pub fn eth(n: u8) -> String {
    format!("0x{}", format!("{n:02x}").repeat(20))
}

fn ledger() -> Ledger {
    let mut ledger = Ledger::default();
    ledger.address("eth", &eth(1), BALANCE_WEI, 100);
    for n in 10..15u8 {
        ledger.address("eth", &eth(n), 0, u64::from(n));
        ledger.relation(
            "eth",
            Relation {
                from: eth(n),
                to: eth(1),
                value: 2_000_000_000_000_000_000 + u128::from(n),
                tokens: Vec::new(),
                no_txs: u64::from(n),
            },
        );
    }
    for n in 20..27u8 {
        ledger.address("eth", &eth(n), 5, u64::from(n));
        ledger.relation(
            "eth",
            Relation {
                from: eth(1),
                to: eth(n),
                value: if n % 2 == 0 { 0 } else { 1_000 },
                tokens: vec![("usdt", 1_500_000 * u128::from(n))],
                no_txs: 2,
            },
        );
    }
    ledger.tokens.insert(
        "eth".into(),
        serde_json::json!([{"ticker": "USDT", "decimals": 6, "peg_currency": "USD",
                            "contract_address": USDT_ETH}]),
    );
    ledger
}

impl Backend for GraphSense {
    fn start() -> Seeded {
        let server = serve(ledger(), Some(KEY));
        let build = || {
            GraphSenseSource::new(&server.url(), Some(Secret::new(KEY)), test_config(), None)
                .expect("source")
        };
        let node = |n: u8| id(&format!("eth:{}", eth(n)));
        Seeded {
            name: "graphsense",
            source: Box::new(build()),
            // Three neighbours a page, one page a call: the relations need several calls.
            capped: Some(Box::new(build().with_page_size(3).with_max_pages(1))),
            expect: Expect {
                known: node(1),
                balance: Some(BALANCE_WEI),
                keys_in: (10..15).map(node).collect(),
                keys_out: (20..27).map(node).collect(),
                foreign: id("evm137:0x1111111111111111111111111111111111111111"),
                pages: true,
            },
            transport: Some(Transport {
                server,
                method: "GET",
                prefix: "/eth/addresses/",
                secret: Some(KEY),
            }),
            keep: None,
        }
    }
}
