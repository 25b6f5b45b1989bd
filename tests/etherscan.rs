//! The Etherscan/Blockscout source against a local mock server that follows the real APIs'
//! rules: Etherscan V2 wants `chainid` and `apikey` on every request and answers "Invalid API
//! Key" for a wrong one; Blockscout wants no key and names internal transactions' hashes
//! `transactionHash`; both page with `page`/`offset`, answer "No transactions found" with
//! status 0, and refuse `page × offset` past a result window (small here, so the source must
//! go on by `startblock`). A synthetic ledger puts native, internal and token transfers on one
//! address, enough for three pages of five. Every fault the shared client must survive or
//! report is injected. Loopback only; caches live in temporary folders.

mod support;

use caseboard::model::{Asset, Chain, NodeId, NodeKind};
use caseboard::sources::etherscan::{EtherscanSource, Secret};
use caseboard::sources::http::{HttpConfig, ResponseCache};
use caseboard::sources::{Counterparty, DataSource, Direction, JobControl, SourceError};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use support::etherscan_api::*;
use support::mock_http::{Fault, MockServer, Request, Response};
use support::sources::{message, now, test_config};

// ---------------------------------------------------------------------------------------------
// History, both flavours
// ---------------------------------------------------------------------------------------------

fn history_requests(server: &MockServer, action: &str) -> Vec<Request> {
    server
        .requests()
        .into_iter()
        .filter(|r| r.query_param("action") == Some(action))
        .collect()
}

#[test]
fn etherscan_history_pages_and_groups_exactly() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let src = etherscan(&server);
    let a = node(Chain::ETHEREUM, &hot());
    let control = JobControl::default();
    let cps = src
        .counterparties(&a, Direction::Both, &control)
        .expect("history");
    let expect = Expect {
        flavour: Flavour::Etherscan,
        prefix: "eth".to_owned(),
    };
    assert_eq!(summary(&cps), expect.both());
    assert_eq!(
        expect.only(Direction::Both),
        expect.both(),
        "the helper agrees"
    );

    // Paging: txlist 5 + 5 + 3, internal 4 (one page), tokentx 5 + 2 (the NFT is not there).
    let pages = |action: &str| -> Vec<String> {
        history_requests(&server, action)
            .iter()
            .map(|r| r.query_param("page").expect("page").to_owned())
            .collect()
    };
    assert_eq!(pages("txlist"), ["1", "2", "3"]);
    assert_eq!(pages("txlistinternal"), ["1"]);
    assert_eq!(pages("tokentx"), ["1", "2"]);
    // tip + 6 pages, one step each.
    assert_eq!(server.request_count(), 7);
    assert_eq!(control.steps_done(), 7);
    // Every request carried the chain id and the key, ascending, offset 5.
    for r in server.requests() {
        assert_eq!(r.query_param("chainid"), Some("1"), "{}", r.target);
        assert_eq!(r.query_param("apikey"), Some(KEY), "{}", r.target);
        if r.query_param("module") == Some("account") {
            assert_eq!(r.query_param("sort"), Some("asc"));
            assert_eq!(r.query_param("offset"), Some("5"));
            assert_eq!(r.query_param("startblock"), Some("0"));
        }
    }

    // Assets, times and provenance of a token transfer on page 2 of tokentx.
    let b = cps
        .iter()
        .find(|c| c.key.value() == exchange_b())
        .expect("b");
    let usdt_out = b.transfers.last().expect("usdt");
    assert_eq!(
        usdt_out.asset,
        Asset::token(Chain::ETHEREUM, "USDT", 6, &usdt())
    );
    assert_eq!(usdt_out.time, Some(block_time(1_014)));
    assert_eq!(usdt_out.tx_hash, hash(17));
    let prov = usdt_out.provenance.as_ref().expect("provenance");
    assert_eq!(prov.source, "etherscan:1");
    assert_eq!(
        prov.request,
        format!(
            "GET /api?chainid=1&module=account&action=tokentx&address={}&startblock=0&endblock=9999999999&page=1&offset=5&sort=asc",
            hot()
        )
    );
    assert_eq!(prov.block_height, Some(TIP));
    assert!((now() - prov.fetched_at).abs() < 60, "{}", prov.fetched_at);
    let f = cps.iter().find(|c| c.key.value() == friend_f()).expect("f");
    let page_two = f.transfers[1].provenance.as_ref().expect("provenance");
    assert!(
        page_two.request.contains("action=txlist&"),
        "{}",
        page_two.request
    );
    assert!(
        page_two.request.contains("&page=2&"),
        "{}",
        page_two.request
    );
    // The counterparty node carries provenance too, and nobody's provenance has the key.
    assert_eq!(b.nodes.len(), 1);
    assert_eq!(b.nodes[0].kind, NodeKind::Address);
    assert!(b.nodes[0].provenance.is_some());
    for cp in &cps {
        for t in &cp.transfers {
            let request = &t.provenance.as_ref().expect("provenance").request;
            assert!(
                !request.contains(KEY) && !request.contains("apikey"),
                "{request}"
            );
        }
    }
}

#[test]
fn blockscout_history_uses_its_own_field_names_and_no_key() {
    let (server, _) = serve(Api::new(Flavour::Blockscout, ledger()));
    let src = blockscout(&server, 100);
    assert_eq!(src.name(), format!("blockscout:{}", server.addr()));
    let chain = Chain::Evm { chain_id: 100 };
    let a = node(chain, &hot());
    let cps = src
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("history");
    let expect = Expect {
        flavour: Flavour::Blockscout,
        prefix: "evm100".to_owned(),
    };
    assert_eq!(summary(&cps), expect.both());
    for r in server.requests() {
        assert_eq!(r.path, "/api");
        assert_eq!(r.query_param("apikey"), None, "{}", r.target);
        assert_eq!(r.query_param("chainid"), None, "{}", r.target);
    }
    assert_eq!(
        server.requests()[0].query_param("action"),
        Some("eth_block_number")
    );
    // tokentx on Blockscout also lists the NFT: 5 + 3 rows, still two pages.
    assert_eq!(history_requests(&server, "tokentx").len(), 2);
    let e = cps
        .iter()
        .find(|c| c.key.value() == token_sender_e())
        .expect("e");
    assert_eq!(e.transfers[0].asset.chain, chain);
    assert_eq!(
        e.transfers[0].provenance.as_ref().expect("prov").source,
        format!("blockscout:{}", server.addr())
    );
}

#[test]
fn directions_keep_only_their_side() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let src = etherscan(&server);
    let a = node(Chain::ETHEREUM, &hot());
    let expect = Expect {
        flavour: Flavour::Etherscan,
        prefix: "eth".to_owned(),
    };
    for direction in [Direction::In, Direction::Out] {
        let cps = src
            .counterparties(&a, direction, &JobControl::default())
            .expect("history");
        assert_eq!(summary(&cps), expect.only(direction), "{direction:?}");
    }
    let incoming = src
        .counterparties(&a, Direction::In, &JobControl::default())
        .expect("history");
    let keys: Vec<String> = incoming.iter().map(|c| c.key.value().to_owned()).collect();
    assert_eq!(
        keys,
        [
            victim_d(),
            friend_f(),
            exchange_b(),
            mixer_c(),
            token_sender_e()
        ]
    );
    let outgoing = src
        .counterparties(&a, Direction::Out, &JobControl::default())
        .expect("history");
    let keys: Vec<String> = outgoing.iter().map(|c| c.key.value().to_owned()).collect();
    assert_eq!(
        keys,
        [exchange_b(), created_g(), friend_f(), victim_d(), mixer_c()]
    );
    // The self-transfer, the failed and the zero-value rows are nowhere.
    let all = src
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("history");
    let ids: Vec<String> = all
        .iter()
        .flat_map(|c| c.transfers.iter().map(|t| t.id.to_string()))
        .collect();
    for skipped in [4u64, 5, 7, 13, 14, 19, 20, 21] {
        assert!(
            !ids.iter()
                .any(|id| id.contains(&hash(skipped)[2..]) && !id.contains("internal0_1")),
            "tx {skipped} should have no transfer: {ids:?}"
        );
    }
    assert_eq!(ids.len(), 15);
}

#[test]
fn transfer_ids_agree_from_both_ends() {
    // Reading the exchange's history gives the same ids as reading the hot wallet's.
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let src = etherscan(&server);
    let from_hot = src
        .counterparties(
            &node(Chain::ETHEREUM, &hot()),
            Direction::Out,
            &JobControl::default(),
        )
        .expect("hot");
    let from_b = src
        .counterparties(
            &node(Chain::ETHEREUM, &exchange_b()),
            Direction::In,
            &JobControl::default(),
        )
        .expect("b");
    let hot_to_b: Vec<String> = from_hot
        .iter()
        .find(|c| c.key.value() == exchange_b())
        .expect("b")
        .transfers
        .iter()
        .map(|t| t.id.to_string())
        .collect();
    let b_from_hot: Vec<String> = from_b
        .iter()
        .find(|c| c.key.value() == hot())
        .expect("hot")
        .transfers
        .iter()
        .map(|t| t.id.to_string())
        .collect();
    assert_eq!(hot_to_b, b_from_hot);
}

#[test]
fn no_transactions_found_is_an_empty_history() {
    for flavour in [Flavour::Etherscan, Flavour::Blockscout] {
        let (server, _) = serve(Api::new(flavour, ledger()));
        let src = match flavour {
            Flavour::Etherscan => etherscan(&server),
            Flavour::Blockscout => blockscout(&server, 1),
        };
        let quiet = node(Chain::ETHEREUM, &addr(0x99));
        let cps = src
            .counterparties(&quiet, Direction::Both, &JobControl::default())
            .expect("empty is fine");
        assert!(cps.is_empty(), "{flavour:?}");
        assert_eq!(server.request_count(), 1 + 3, "{flavour:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// The result window
// ---------------------------------------------------------------------------------------------

/// 23 transfers to `hot()` from distinct senders, three per block, so a page boundary cuts
/// blocks in the middle.
fn crowded_ledger() -> Vec<Entry> {
    (0..23u64)
        .map(|i| {
            let sender = addr(u8::try_from(0x10 + i).expect("small"));
            native(
                2_000 + i / 3,
                100 + i,
                &sender,
                &hot(),
                u128::from(i + 1) * 1_000,
            )
        })
        .collect()
}

fn crowded_expectation() -> Vec<(String, u128)> {
    (0..23u64)
        .map(|i| {
            (
                addr(u8::try_from(0x10 + i).expect("small")),
                u128::from(i + 1) * 1_000,
            )
        })
        .collect()
}

fn keys_values(cps: &[Counterparty]) -> Vec<(String, u128)> {
    cps.iter()
        .map(|c| (c.key.value().to_owned(), c.value))
        .collect()
}

#[test]
fn the_result_window_is_crossed_by_startblock() {
    let (server, _) = serve(Api {
        window: 10,
        ..Api::new(Flavour::Etherscan, crowded_ledger())
    });
    // The source assumes Etherscan's 10 000; the server refuses page 3 of 4 (12 > 10).
    let src = etherscan(&server).with_page_size(4);
    let cps = src
        .counterparties(
            &node(Chain::ETHEREUM, &hot()),
            Direction::In,
            &JobControl::default(),
        )
        .expect("history");
    assert_eq!(keys_values(&cps), crowded_expectation());
    for cp in &cps {
        assert_eq!(cp.transfers.len(), 1, "no duplicates across the boundary");
    }
    let asked: Vec<(String, String)> = history_requests(&server, "txlist")
        .iter()
        .map(|r| {
            (
                r.query_param("startblock").expect("start").to_owned(),
                r.query_param("page").expect("page").to_owned(),
            )
        })
        .collect();
    let asked: Vec<(&str, &str)> = asked
        .iter()
        .map(|(s, p)| (s.as_str(), p.as_str()))
        .collect();
    // Rows 0-7 (blocks 2000-2002, cut inside 2002), refused; from 2002: rows 6-13 (cut inside
    // 2004), refused; from 2004: rows 12-19 (cut inside 2006), refused; from 2006: rows 18-22.
    assert_eq!(
        asked,
        [
            ("0", "1"),
            ("0", "2"),
            ("0", "3"),
            ("2002", "1"),
            ("2002", "2"),
            ("2002", "3"),
            ("2004", "1"),
            ("2004", "2"),
            ("2004", "3"),
            ("2006", "1"),
            ("2006", "2"),
        ]
    );
    let request = &cps[22].transfers[0]
        .provenance
        .as_ref()
        .expect("prov")
        .request;
    assert!(request.contains("&startblock=2006&"), "{request}");
}

#[test]
fn a_known_window_is_never_overrun() {
    let (server, _) = serve(Api {
        window: 10,
        ..Api::new(Flavour::Blockscout, crowded_ledger())
    });
    let src = blockscout(&server, 1)
        .with_page_size(4)
        .with_result_window(10);
    let cps = src
        .counterparties(
            &node(Chain::ETHEREUM, &hot()),
            Direction::Both,
            &JobControl::default(),
        )
        .expect("history");
    assert_eq!(keys_values(&cps), crowded_expectation());
    let refused = history_requests(&server, "txlist")
        .iter()
        .filter(|r| r.query_param("page") == Some("3"))
        .count();
    assert_eq!(refused, 0, "{:?}", server.paths());
}

#[test]
fn a_block_bigger_than_the_window_is_an_error() {
    let rows: Vec<Entry> = (0..12u64)
        .map(|i| native(3_000, 200 + i, &addr(0x33), &hot(), 5))
        .collect();
    let (server, _) = serve(Api {
        window: 10,
        ..Api::new(Flavour::Etherscan, rows)
    });
    let err = etherscan(&server)
        .with_page_size(4)
        .counterparties(
            &node(Chain::ETHEREUM, &hot()),
            Direction::In,
            &JobControl::default(),
        )
        .unwrap_err();
    let err = message(err);
    assert!(
        err.contains(
            "block 3000 alone has more txlist rows for this address than the server's result window"
        ),
        "{err}"
    );
    assert!(
        err.starts_with("GET /api?chainid=1&module=account&action=txlist"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// Lookup and connection test
// ---------------------------------------------------------------------------------------------

#[test]
fn lookup_gives_the_exact_balance() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let src = etherscan(&server);
    let a = node(Chain::ETHEREUM, &hot());
    let found = src
        .lookup(&a, &JobControl::default())
        .expect("lookup")
        .expect("known");
    assert_eq!(found.id, a);
    assert_eq!(found.kind, NodeKind::Address);
    assert_eq!(found.balance, Some(123_456_789_012_345_678_901_234_567_890));
    assert_eq!(found.tx_count, None);
    let prov = found.provenance.expect("provenance");
    assert_eq!(
        prov.request,
        format!(
            "GET /api?chainid=1&module=account&action=balance&address={}&tag=latest",
            hot()
        )
    );
    assert_eq!(prov.block_height, Some(TIP));

    // Blockscout answers null for an address it never saw.
    let (server, _) = serve(Api::new(Flavour::Blockscout, ledger()));
    let unknown = blockscout(&server, 1)
        .lookup(&node(Chain::ETHEREUM, &addr(0x99)), &JobControl::default())
        .expect("lookup");
    assert_eq!(unknown, None);
}

#[test]
fn other_chains_and_transactions_are_refused() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let src = etherscan(&server);
    let polygon = node(Chain::Evm { chain_id: 137 }, &hot());
    assert!(matches!(
        src.counterparties(&polygon, Direction::Both, &JobControl::default()),
        Err(SourceError::UnsupportedChain { .. })
    ));
    let btc = NodeId::parse("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("btc");
    assert!(matches!(
        src.lookup(&btc, &JobControl::default()),
        Err(SourceError::UnsupportedChain { .. })
    ));
    assert_eq!(server.request_count(), 0);
}

#[test]
fn test_connection_reports_the_block_or_the_bad_key() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    assert_eq!(
        etherscan(&server).test_connection(&JobControl::default()),
        Ok(format!("block {TIP}"))
    );
    let (bs_server, _) = serve(Api::new(Flavour::Blockscout, ledger()));
    assert_eq!(
        blockscout(&bs_server, 1).test_connection(&JobControl::default()),
        Ok(format!("block {TIP}"))
    );

    let (server, _) = serve(Api {
        key: "THE-RIGHT-KEY".to_owned(),
        ..Api::new(Flavour::Etherscan, ledger())
    });
    let err = etherscan(&server)
        .test_connection(&JobControl::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "etherscan:1: GET /api?chainid=1&module=proxy&action=eth_blockNumber: invalid API key \
         (the server says \"Invalid API Key\"); check the key in the settings or \
         CASEBOARD_ETHERSCAN_API_KEY"
    );
    assert_eq!(server.request_count(), 1, "a refused key is not retried");
}

#[test]
fn an_empty_key_is_refused_before_any_request() {
    let err =
        EtherscanSource::etherscan(1, Secret::new(""), test_config(), None, None).unwrap_err();
    assert_eq!(
        err.to_string(),
        "etherscan:1: Etherscan needs an API key (settings or CASEBOARD_ETHERSCAN_API_KEY)"
    );
}

// ---------------------------------------------------------------------------------------------
// Envelope answers
// ---------------------------------------------------------------------------------------------

fn rate_limit_answer() -> Fault {
    Fault::Reply(notok("Max calls per sec rate limit reached (3/sec)"))
}

#[test]
fn a_rate_limit_answer_is_waited_out() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let a = node(Chain::ETHEREUM, &hot());
    // The tip is refused once.
    server.fault("GET", "/v2/api", rate_limit_answer(), 1);
    let got = etherscan(&server)
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("retried");
    let expect = Expect {
        flavour: Flavour::Etherscan,
        prefix: "eth".to_owned(),
    };
    assert_eq!(summary(&got), expect.both());
    assert_eq!(server.request_count(), 7 + 1);
    let paths = server.paths();
    assert_eq!(paths[0], paths[1], "the refused request was asked again");
}

#[test]
fn a_rate_limit_answer_on_a_later_page_is_waited_out() {
    let (server, api) = serve(Api::new(Flavour::Etherscan, ledger()));
    let a = node(Chain::ETHEREUM, &hot());
    // Page 2 of txlist is refused twice (max_retries is 2), then answered.
    let refused = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&refused);
    server.route("GET", "/v2/api", move |req| {
        if req.query_param("page") == Some("2")
            && req.query_param("action") == Some("txlist")
            && counter.fetch_add(1, Ordering::SeqCst) < 2
        {
            return notok("Max rate limit reached, please use API Key for higher rate limit");
        }
        api.answer(req)
    });
    let cps = etherscan(&server)
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("retried");
    let expect = Expect {
        flavour: Flavour::Etherscan,
        prefix: "eth".to_owned(),
    };
    assert_eq!(summary(&cps), expect.both());
    assert_eq!(refused.load(Ordering::SeqCst), 3);
    assert_eq!(server.request_count(), 7 + 2);
}

#[test]
fn a_persistent_rate_limit_is_an_error() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    server.fault("GET", "/v2/api", rate_limit_answer(), usize::MAX);
    let err = etherscan(&server)
        .counterparties(
            &node(Chain::ETHEREUM, &hot()),
            Direction::Both,
            &JobControl::default(),
        )
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "etherscan:1: GET /api?chainid=1&module=proxy&action=eth_blockNumber: rate limited by the \
         server (\"Max calls per sec rate limit reached (3/sec)\") after 2 retries"
    );
    assert_eq!(server.request_count(), 3);

    server.clear_faults();
    server.clear_log();
    server.fault(
        "GET",
        "/v2/api",
        Fault::Reply(notok(
            "Max daily rate limit reached. 100000 (100K) calls per day",
        )),
        usize::MAX,
    );
    let err = message(
        etherscan(&server)
            .lookup(&node(Chain::ETHEREUM, &hot()), &JobControl::default())
            .unwrap_err(),
    );
    assert!(err.contains("the daily request quota is used up"), "{err}");
    assert_eq!(server.request_count(), 1, "a daily limit is not retried");
}

#[test]
fn refusals_and_bad_results_are_clear_errors() {
    let (server, _) = serve(Api {
        chain_id: 1,
        ..Api::new(Flavour::Etherscan, ledger())
    });
    // A chain the server does not serve.
    let src = EtherscanSource::etherscan(
        8453,
        Secret::new(KEY),
        test_config(),
        None,
        Some(&format!("{}/v2/api", server.url())),
    )
    .expect("source");
    let err = message(
        src.counterparties(
            &node(Chain::Evm { chain_id: 8453 }, &hot()),
            Direction::Both,
            &JobControl::default(),
        )
        .unwrap_err(),
    );
    assert!(
        err.starts_with(
            "GET /api?chainid=8453&module=proxy&action=eth_blockNumber: the server refused: \
             \"Missing or unsupported chainid parameter (required for v2 api)"
        ),
        "{err}"
    );

    // A result that is not a list.
    let a = node(Chain::ETHEREUM, &hot());
    server.clear_log();
    server.route("GET", "/v2/api", {
        let api = Api::new(Flavour::Etherscan, ledger());
        move |req| {
            if req.query_param("action") == Some("txlistinternal") {
                envelope("1", "OK", json!("oops"))
            } else {
                api.answer(req)
            }
        }
    });
    let err = message(
        etherscan(&server)
            .counterparties(&a, Direction::Both, &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.ends_with("expected a list in \"result\", got a string: \"oops\""),
        "{err}"
    );
    assert!(err.contains("action=txlistinternal&"), "{err}");

    // An amount that is not a whole number of base units, a row of the wrong shape, token
    // decimals out of range.
    for (action, row, wanted) in [
        (
            "txlist",
            json!({"blockNumber": "5", "timeStamp": "1", "hash": hash(1), "from": hot(), "to": addr(2), "value": "1.5", "isError": "0"}),
            "result[0]: value \"1.5\" is not a whole number of base units (decimal digits only)",
        ),
        (
            "txlistinternal",
            json!({"blockNumber": 5, "hash": hash(1), "from": hot(), "to": addr(2), "value": "1"}),
            "unexpected JSON at result[0].blockNumber: invalid type: integer `5`, expected a string",
        ),
        (
            "tokentx",
            json!({"blockNumber": "5", "timeStamp": "1", "hash": hash(1), "from": hot(), "to": addr(2), "value": "1", "contractAddress": usdt(), "tokenDecimal": "300", "tokenSymbol": "X"}),
            "result[0]: tokenDecimal \"300\" is out of range (ERC-20 decimals are 0 to 255)",
        ),
    ] {
        let api = Api::new(Flavour::Etherscan, ledger());
        server.route("GET", "/v2/api", move |req| {
            if req.query_param("action") == Some(action) {
                envelope("1", "OK", json!([row]))
            } else {
                api.answer(req)
            }
        });
        let err = message(
            etherscan(&server)
                .counterparties(&a, Direction::Both, &JobControl::default())
                .unwrap_err(),
        );
        assert!(err.ends_with(wanted), "{err}\nwanted: {wanted}");
        assert!(err.contains(&format!("action={action}&")), "{err}");
    }
}

// ---------------------------------------------------------------------------------------------
// Faults of the transport
// ---------------------------------------------------------------------------------------------

#[test]
fn http_429_with_retry_after_waits_then_succeeds() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    server.fault("GET", "/v2/api", Fault::too_many_requests(Some("1")), 1);
    let start = Instant::now();
    let found = etherscan(&server)
        .lookup(&node(Chain::ETHEREUM, &hot()), &JobControl::default())
        .expect("retried");
    assert!(found.is_some());
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.request_count(), 3);
}

#[test]
fn http_429_without_retry_after_gives_up() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    server.fault("GET", "/v2/api", Fault::too_many_requests(None), usize::MAX);
    let err = message(
        etherscan(&server)
            .lookup(&node(Chain::ETHEREUM, &hot()), &JobControl::default())
            .unwrap_err(),
    );
    assert_eq!(
        err,
        "GET /api?chainid=1&apikey=REDACTED&module=proxy&action=eth_blockNumber: rate limited \
         (HTTP 429) after 2 retries"
    );
    assert_eq!(server.request_count(), 3);
}

#[test]
fn server_errors_are_retried_then_reported() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    server.fault("GET", "/v2/api", Fault::status(500), 1);
    assert!(
        etherscan(&server)
            .lookup(&node(Chain::ETHEREUM, &hot()), &JobControl::default())
            .expect("retried")
            .is_some()
    );
    server.fault("GET", "/v2/api", Fault::status(503), usize::MAX);
    let err = message(
        etherscan(&server)
            .lookup(&node(Chain::ETHEREUM, &hot()), &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        err.ends_with("HTTP 503 Service Unavailable: \"injected HTTP 503\" (after 2 retries)"),
        "{err}"
    );
}

#[test]
fn a_stalled_server_times_out() {
    let (server, _) = serve(Api::new(Flavour::Blockscout, ledger()));
    server.fault(
        "GET",
        "/api",
        Fault::Stall(Duration::from_secs(3)),
        usize::MAX,
    );
    let src = EtherscanSource::blockscout(
        &server.url(),
        1,
        HttpConfig {
            max_retries: 1,
            ..test_config()
        },
        None,
    )
    .expect("source");
    let start = Instant::now();
    let err = message(
        src.counterparties(
            &node(Chain::ETHEREUM, &hot()),
            Direction::Both,
            &JobControl::default(),
        )
        .unwrap_err(),
    );
    assert_eq!(
        err,
        "GET /api?module=block&action=eth_block_number: timed out after 1 s (after 1 retry)"
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn truncated_malformed_and_huge_answers_are_reported() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let a = node(Chain::ETHEREUM, &hot());
    let run = || {
        message(
            etherscan(&server)
                .counterparties(&a, Direction::Both, &JobControl::default())
                .unwrap_err(),
        )
    };
    // The tip passes; the first txlist page is broken.
    for (fault, wanted) in [
        (Fault::Truncate, "truncated JSON: the answer ends after"),
        (
            Fault::Malformed,
            "not JSON at byte 0: expected value; the answer starts with \"<html>",
        ),
        (
            Fault::Huge {
                bytes: 100 * 1024 * 1024,
                content_length: true,
            },
            "body larger than 1 MiB",
        ),
        (
            Fault::Huge {
                bytes: 100 * 1024 * 1024,
                content_length: false,
            },
            "body larger than 1 MiB",
        ),
    ] {
        server.clear_log();
        server.fault(
            "GET",
            "/v2/api",
            Fault::Reply(Response::json(
                200,
                &json!({"jsonrpc": "2.0", "id": 1, "result": "0x10"}),
            )),
            1,
        );
        server.fault("GET", "/v2/api", fault, 1);
        let start = Instant::now();
        let err = run();
        assert!(
            err.starts_with(
                "GET /api?chainid=1&apikey=REDACTED&module=account&action=txlist&address="
            ),
            "{err}"
        );
        assert!(err.contains(wanted), "{err}\nwanted: {wanted}");
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Cancellation
// ---------------------------------------------------------------------------------------------

#[test]
fn cancelling_mid_paging_stops_before_the_next_page() {
    let (server, api) = serve(Api::new(Flavour::Etherscan, ledger()));
    let control = JobControl::default();
    let remote = control.clone();
    server.route("GET", "/v2/api", move |req| {
        if req.query_param("page") == Some("2") {
            remote.cancel();
        }
        api.answer(req)
    });
    let err = etherscan(&server)
        .counterparties(&node(Chain::ETHEREUM, &hot()), Direction::Both, &control)
        .unwrap_err();
    assert_eq!(err, SourceError::Cancelled);
    assert!(
        !server.paths().iter().any(|p| p.contains("page=3")),
        "{:?}",
        server.paths()
    );
    assert_eq!(server.request_count(), 3, "tip, page 1, page 2");
}

#[test]
fn cancelling_ends_a_rate_limit_wait() {
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    server.fault("GET", "/v2/api", rate_limit_answer(), usize::MAX);
    let src = etherscan_with(
        &server,
        KEY,
        HttpConfig {
            retry_base_ms: 4_000,
            max_retry_wait_secs: 10,
            ..test_config()
        },
    );
    let control = JobControl::default();
    let remote = control.clone();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        remote.cancel();
    });
    let start = Instant::now();
    let result = src.counterparties(&node(Chain::ETHEREUM, &hot()), Direction::Both, &control);
    canceller.join().expect("join");
    assert_eq!(result, Err(SourceError::Cancelled));
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(server.request_count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Cache
// ---------------------------------------------------------------------------------------------

/// How many cache entries under `dir` are stored as immutable (reads the entry header line).
fn immutable_entries(dir: &std::path::Path) -> (usize, usize) {
    let mut total = 0;
    let mut immutable = 0;
    for sub in std::fs::read_dir(dir).expect("dir").flatten() {
        if !sub.path().is_dir() {
            continue;
        }
        for file in std::fs::read_dir(sub.path()).expect("sub").flatten() {
            let bytes = std::fs::read(file.path()).expect("entry");
            let header_end = bytes.iter().position(|&b| b == b'\n').expect("header");
            let header: Value = serde_json::from_slice(&bytes[..header_end]).expect("header json");
            total += 1;
            if header["immutable"] == json!(true) {
                immutable += 1;
            }
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(KEY),
                "the key reached the cache: {}",
                file.path().display()
            );
        }
    }
    (total, immutable)
}

#[test]
fn settled_middle_pages_are_cached_for_good_and_offline_works() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (server, _) = serve(Api::new(Flavour::Etherscan, ledger()));
    let a = node(Chain::ETHEREUM, &hot());
    let cache = ResponseCache::open(dir.path().to_path_buf(), false).expect("cache");
    let src = EtherscanSource::etherscan(
        1,
        Secret::new(KEY),
        test_config(),
        Some(cache),
        Some(&format!("{}/v2", server.url())),
    )
    .expect("source")
    .with_page_size(PAGE);
    let first = src
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("history");
    assert_eq!(server.request_count(), 7);
    // Only txlist page 2 is full, not first and settled: tip + 6 pages stored, 1 for good.
    assert_eq!(immutable_entries(dir.path()), (7, 1));
    let again = src
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("history");
    assert_eq!(summary(&again), summary(&first));
    assert_eq!(server.request_count(), 7, "all from the cache");

    let offline = EtherscanSource::etherscan(
        1,
        Secret::new(KEY),
        test_config(),
        Some(ResponseCache::open(dir.path().to_path_buf(), true).expect("cache")),
        Some(&format!("{}/v2", server.url())),
    )
    .expect("source")
    .with_page_size(PAGE);
    let cached = offline
        .counterparties(&a, Direction::Both, &JobControl::default())
        .expect("offline");
    assert_eq!(summary(&cached), summary(&first));
    assert_eq!(
        offline.test_connection(&JobControl::default()),
        Ok(format!("offline: cached block {TIP}"))
    );
    assert_eq!(server.request_count(), 7);
    let err = message(offline.lookup(&a, &JobControl::default()).unwrap_err());
    assert!(err.ends_with("offline: not in the cache"), "{err}");
}

#[test]
fn unsettled_pages_are_not_cached_for_good() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Tip just past the ledger: page 2 of txlist (blocks 1005-1008) has < 12 confirmations.
    let (server, _) = serve(Api {
        tip: 1_018,
        ..Api::new(Flavour::Etherscan, ledger())
    });
    let src = EtherscanSource::etherscan(
        1,
        Secret::new(KEY),
        test_config(),
        Some(ResponseCache::open(dir.path().to_path_buf(), false).expect("cache")),
        Some(&format!("{}/v2", server.url())),
    )
    .expect("source")
    .with_page_size(PAGE);
    src.counterparties(
        &node(Chain::ETHEREUM, &hot()),
        Direction::Both,
        &JobControl::default(),
    )
    .expect("history");
    assert_eq!(immutable_entries(dir.path()), (7, 0));
}

// ---------------------------------------------------------------------------------------------
// The key never shows
// ---------------------------------------------------------------------------------------------

#[test]
fn the_key_never_appears_in_any_error_or_debug_output() {
    let (server, api) = serve(Api::new(Flavour::Etherscan, ledger()));
    let a = node(Chain::ETHEREUM, &hot());
    let control = JobControl::default();
    let mut shown: Vec<String> = Vec::new();
    let src = etherscan(&server);
    shown.push(format!("{src:?}"));
    shown.push(format!("{:?}", Secret::new(KEY)));
    shown.push(format!("{}", Secret::new(KEY)));

    // Faults of every kind, each on the first request (the tip).
    for fault in [
        Fault::Malformed,
        Fault::Truncate,
        Fault::status(404),
        Fault::status(500),
        Fault::Stall(Duration::from_secs(2)),
        Fault::CloseMidBody,
        Fault::too_many_requests(None),
        Fault::Reply(Response::text(403, &format!("invalid key {KEY}"))),
        Fault::Reply(Response::text(
            500,
            &format!("GET /v2/api?apikey={KEY} failed"),
        )),
        Fault::Reply(notok(&format!("Invalid API Key {KEY}"))),
        Fault::Reply(notok(&format!("Error! something about {KEY}"))),
        Fault::Reply(notok(&format!("Max rate limit reached for {KEY}"))),
        Fault::Reply(notok(&format!("Max daily rate limit reached for {KEY}"))),
        Fault::Reply(notok(&format!("Result window is too large {KEY}"))),
        Fault::Reply(envelope("1", "OK", json!(format!("not a block {KEY}")))),
        Fault::Reply(Response::json(
            200,
            &json!({"jsonrpc": "2.0", "id": 1, "result": format!("0x{KEY}")}),
        )),
        Fault::Reply(Response::bytes(
            200,
            "application/json",
            format!("{{\"result\": \"{KEY}").into_bytes(),
        )),
        Fault::Reply(Response::bytes(
            200,
            "text/html",
            format!("<html>{KEY}</html>").into_bytes(),
        )),
    ] {
        server.clear_faults();
        server.fault("GET", "/v2/api", fault, usize::MAX);
        let src = etherscan_with(
            &server,
            KEY,
            HttpConfig {
                max_retries: 0,
                ..test_config()
            },
        );
        shown.push(
            src.counterparties(&a, Direction::Both, &control)
                .unwrap_err()
                .to_string(),
        );
        shown.push(format!("{:?}", src.lookup(&a, &control).unwrap_err()));
        shown.push(format!("{:?}", src.test_connection(&control).unwrap_err()));
    }
    server.clear_faults();

    // A page whose rows are broken in ways that quote the server's text back.
    server.route("GET", "/v2/api", {
        let api = Arc::clone(&api);
        move |req| {
            if req.query_param("action") == Some("txlist") {
                envelope("1", "OK", json!([{"blockNumber": "1", "hash": KEY, "from": KEY, "to": KEY, "value": KEY}]))
            } else {
                api.answer(req)
            }
        }
    });
    shown.push(
        etherscan(&server)
            .counterparties(&a, Direction::Both, &control)
            .unwrap_err()
            .to_string(),
    );

    // A wrong key, and nobody listening.
    let (other, _) = serve(Api {
        key: "ANOTHER-KEY".to_owned(),
        ..Api::new(Flavour::Etherscan, ledger())
    });
    let wrong = etherscan(&other);
    shown.push(wrong.test_connection(&control).unwrap_err().to_string());
    shown.push(wrong.lookup(&a, &control).unwrap_err().to_string());
    shown.push(format!("{wrong:?}"));
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    };
    let nobody = EtherscanSource::etherscan(
        1,
        Secret::new(KEY),
        HttpConfig {
            max_retries: 0,
            ..test_config()
        },
        None,
        Some(&format!("http://{closed}/v2")),
    )
    .expect("source");
    shown.push(
        nobody
            .counterparties(&a, Direction::Both, &control)
            .unwrap_err()
            .to_string(),
    );

    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.query_param("apikey") == Some(KEY)),
        "the key was really sent"
    );
    for text in &shown {
        assert!(!text.contains(KEY), "leaked: {text}");
    }
    assert!(
        shown.iter().any(|t| t.contains("invalid API key")),
        "{shown:#?}"
    );
    assert!(
        shown.iter().any(|t| t.contains("cannot connect")),
        "{shown:#?}"
    );
    assert_eq!(shown.len(), 3 + 18 * 3 + 1 + 3 + 1);
}

#[test]
fn sources_are_shareable() {
    fn assert_shareable<T: Send + Sync + Clone + 'static>() {}
    assert_shareable::<EtherscanSource>();
}
