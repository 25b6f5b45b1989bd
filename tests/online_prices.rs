//! The online price source against a local server that follows CoinGecko's documented rules
//! for `market_chart/range` (paths by coin id or by platform + contract, `vs_currency=usd`,
//! `from`/`to` in unix seconds at most 365 days apart, `{"prices": [[ms, price], …]}`, HTTP 429
//! with `Retry-After` when called too fast, 404 for an unknown contract), and the app's
//! "Fetch missing prices online" through it.

mod support;

use caseboard::prices::{AssetKey, Usd};
use caseboard::sources::JobControl;
use caseboard::sources::coingecko::CoinGeckoPrices;
use caseboard::sources::http::ResponseCache;
use support::mock_http::{Fault, MockServer, Response};

const DAY: i64 = 86_400;
const FEB_21_2025: i64 = 1_740_096_000;
const USDT: &str = "0xdac17f958d2ee523a2206206994597c13d831ec7";
const FAKE: &str = "0x1234567890123456789012345678901234567890";

/// A server with a price for every day: 1000 + the day number's last three digits, two
/// points a day (the later one is the close); tokens: only FAKE is listed.
fn coingecko() -> MockServer {
    let server = MockServer::start();
    let answer = |req: &support::mock_http::Request, base: f64| {
        let (Some("usd"), Some(from), Some(to)) = (
            req.query_param("vs_currency"),
            req.query_param("from").and_then(|v| v.parse::<i64>().ok()),
            req.query_param("to").and_then(|v| v.parse::<i64>().ok()),
        ) else {
            return Response::json(400, &serde_json::json!({"error": "invalid parameters"}));
        };
        if to < from || to - from > 366 * DAY {
            return Response::json(
                401,
                &serde_json::json!({"error": "exceeds the allowed time range"}),
            );
        }
        let mut prices = Vec::new();
        let mut day = from.div_euclid(DAY);
        while day * DAY <= to {
            let close = base + (day % 1000) as f64 + 0.25;
            prices.push(serde_json::json!([
                (day * DAY + 3_600) * 1000,
                close - 10.0
            ]));
            prices.push(serde_json::json!([(day * DAY + 82_800) * 1000, close]));
            day += 1;
        }
        Response::json(
            200,
            &serde_json::json!({"prices": prices, "market_caps": [], "total_volumes": []}),
        )
    };
    server.route("GET", "/coins/ethereum/market_chart/range", move |req| {
        answer(req, 1000.0)
    });
    server.route(
        "GET",
        &format!("/coins/ethereum/contract/{FAKE}/market_chart/range"),
        move |req| answer(req, 0.0),
    );
    server.route("GET", "/coins/ethereum/contract/", |_| {
        Response::json(404, &serde_json::json!({"error": "coin not found"}))
    });
    server
}

#[test]
fn daily_closes_by_contract_a_year_per_call_cached_and_offline() {
    let server = coingecko();
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = ResponseCache::open(dir.path().join("responses"), false).expect("cache");
    let source =
        CoinGeckoPrices::new(&server.url(), Some("demo-key-123"), Some(cache)).expect("source");
    let control = JobControl::default();
    let now = FEB_21_2025 + 1_000 * DAY;
    // Called too fast once: the client waits as told and asks again.
    server.fault("GET", "/coins/", Fault::too_many_requests(Some("1")), 1);
    let eth = AssetKey::parse("eth").expect("key");
    // 400 days: two calls (365 + 35 days).
    let table = source
        .daily_table(
            &eth,
            FEB_21_2025 + 100,
            FEB_21_2025 + 399 * DAY,
            now,
            &control,
        )
        .expect("table");
    assert_eq!(table.len(), 400);
    let day = FEB_21_2025 / DAY;
    let (_, close) = table.close_at(FEB_21_2025 + 5).expect("that day");
    assert_eq!(
        close,
        Usd(((1000 + day % 1000) as u128) * 100_000_000 + 25_000_000)
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "one 429, then two calls");
    assert!(
        requests
            .iter()
            .all(|r| r.header("x-cg-demo-api-key") == Some("demo-key-123")),
        "the key goes in the documented header"
    );
    assert!(requests.iter().all(|r| !r.target.contains("demo-key-123")));

    // Asked again: all from the cache (the range is long past).
    server.clear_log();
    source
        .daily_table(
            &eth,
            FEB_21_2025 + 100,
            FEB_21_2025 + 399 * DAY,
            now,
            &control,
        )
        .expect("cached");
    assert_eq!(server.request_count(), 0);
    // Offline: the cache answers, the network is never asked for anything else.
    let offline = ResponseCache::open(dir.path().join("responses"), true).expect("offline");
    let source = CoinGeckoPrices::new(&server.url(), None, Some(offline)).expect("source");
    source
        .daily_table(
            &eth,
            FEB_21_2025 + 100,
            FEB_21_2025 + 399 * DAY,
            now,
            &control,
        )
        .expect("from the cache");
    let fake = AssetKey::parse(&format!("eth:{FAKE}")).expect("key");
    assert!(
        source
            .daily_table(&fake, FEB_21_2025, FEB_21_2025, now, &control)
            .is_err()
    );
    assert_eq!(
        server.request_count(),
        0,
        "offline never touches the network"
    );

    // A contract the service does not list, and an asset it does not price.
    let source = CoinGeckoPrices::new(&server.url(), None, None).expect("source");
    let unlisted = AssetKey::parse(&format!("eth:{USDT}")).expect("key");
    let err = source
        .daily_table(&unlisted, FEB_21_2025, FEB_21_2025, now, &control)
        .expect_err("404");
    assert!(err.to_string().contains("404"), "{err}");
    let bnb = AssetKey::parse("evm56").expect("key");
    assert!(
        source
            .daily_table(&bnb, FEB_21_2025, FEB_21_2025, now, &control)
            .is_err()
    );
}

#[test]
fn a_broken_answer_is_refused() {
    let server = MockServer::start();
    server.route("GET", "/coins/bitcoin/", |_| {
        Response::json(200, &serde_json::json!({"prices": [[1.0, -5.0]]}))
    });
    let source = CoinGeckoPrices::new(&server.url(), None, None).expect("source");
    let btc = AssetKey::parse("btc").expect("key");
    let err = source
        .daily_table(
            &btc,
            FEB_21_2025,
            FEB_21_2025,
            FEB_21_2025,
            &JobControl::default(),
        )
        .expect_err("negative price");
    assert!(err.to_string().contains("not a price"), "{err}");
}

mod ui_support;

#[test]
fn the_app_fetches_what_the_case_lacks_and_values_it() {
    use caseboard::app::{Command, StartOptions};
    use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};
    let server = coingecko();
    // SAFETY of the test: only this binary's tests read the variable.
    unsafe { std::env::set_var("CASEBOARD_COINGECKO_URL", server.url()) };
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("fake.ron");
    let mut case = Case::new("fake token", 0);
    let a = NodeId::parse("eth:0x1111111111111111111111111111111111111111").expect("id");
    let b = NodeId::parse("eth:0x2222222222222222222222222222222222222222").expect("id");
    for id in [&a, &b] {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
        case.layout.positions.insert(id.clone(), [0.0, 0.0]);
    }
    let token = Asset::token(Chain::ETHEREUM, "FAKE", 0, FAKE);
    let t = Transfer {
        id: TransferId::new("eth", &format!("{:064x}", 1), "log0"),
        from: a,
        to: b,
        asset: token.clone(),
        amount: 3,
        tx_hash: format!("0x{:064x}", 1),
        block_height: Some(1),
        time: Some(FEB_21_2025 + 60),
        provenance: None,
        relation_txs: None,
        memo: None,
    };
    case.transfers.insert(t.id.clone(), t.clone());
    caseboard::case_file::save(&case, &path).expect("saved");

    let mut h = ui_support::harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    ui_support::settle(&mut h);
    assert!(h.state().prices.transfer_value(&t).is_none());
    h.state_mut().push_command(Command::FetchPricesOnline);
    ui_support::settle(&mut h);
    assert!(h.state().notices.contains("Prices fetched online"));
    let value = h.state().prices.transfer_value(&t).expect("priced now");
    // 3 FAKE at (day % 1000) + 0.25 dollars.
    let close = (FEB_21_2025 / DAY % 1000) as u128 * 100 + 25;
    assert_eq!(value.usd.cents(), 3 * close);
    // Nothing left to fetch: said so, no request.
    server.clear_log();
    h.state_mut().push_command(Command::FetchPricesOnline);
    ui_support::settle(&mut h);
    assert!(h.state().notices.contains("has a price already"));
    assert_eq!(server.request_count(), 0);
}
