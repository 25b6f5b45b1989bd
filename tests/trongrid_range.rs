//! An expansion's time range reaches TronGrid (issue 15): `min_timestamp`/`max_timestamp` (ms)
//! go with every page of both lists, the local TronGrid (`support::trongrid_api`) filters by
//! them as TronGrid does, paging by fingerprint stays within the range, a "load more" cursor
//! remembers the range it was made for, and sources without a server-side range keep
//! answering as before (the caller's filter after reading stays).

mod support;

use caseboard::model::NodeId;
use caseboard::sources::trongrid::TronGridSource;
use caseboard::sources::{DataSource, Direction, JobControl, TimeRange};
use support::sources::{message, test_config};
use support::trongrid_api::{Ledger, USDT, addr, serve, trc20_row, trx_row, txid};

const START_MS: i64 = 1_700_000_000_000;

/// Hot wallet 1: 40 TRX transfers in and 60 USDT transfers out, one every 3 s.
fn ledger() -> Ledger {
    let mut ledger = Ledger::default();
    for i in 0..100u32 {
        let ms = START_MS + 3_000 * i64::from(i);
        if i % 5 < 2 {
            ledger.tx(
                10,
                1,
                true,
                trx_row(&txid(i), 10, 1, 1_000 + u64::from(i), ms, true),
            );
        } else {
            let value = (5_000 + i).to_string();
            ledger.token(
                1,
                20,
                true,
                trc20_row(&txid(i), (USDT, "USDT"), 1, 20, &value, ms, "Transfer"),
            );
        }
    }
    ledger
}

#[test]
fn the_range_is_sent_honoured_and_paged_within() {
    let server = serve(ledger(), None);
    let source = TronGridSource::new(&server.url(), None, test_config(), None)
        .expect("source")
        .with_page_size(10);
    let hot = NodeId::parse(&format!("trx:{}", addr(1))).expect("id");
    // Rows 20..=69: from START+60 s to START+207 s (whole seconds, inclusive).
    let range = TimeRange {
        since_unix: Some(START_MS / 1000 + 60),
        until_unix: Some(START_MS / 1000 + 207),
    };
    let page = source
        .counterparties_page_within(&hot, Direction::Both, None, range, &JobControl::default())
        .expect("page");
    assert!(page.resume.is_none(), "{:?}", page.resume);
    let transfers: Vec<_> = page
        .counterparties
        .iter()
        .flat_map(|c| &c.transfers)
        .collect();
    let expected: Vec<u32> = (20..70).collect();
    assert_eq!(transfers.len(), expected.len());
    let trx: u128 = transfers
        .iter()
        .filter(|t| t.asset.contract.is_none())
        .map(|t| t.amount)
        .sum();
    let usdt: u128 = transfers
        .iter()
        .filter(|t| t.asset.contract.is_some())
        .map(|t| t.amount)
        .sum();
    assert_eq!(
        trx,
        expected
            .iter()
            .filter(|i| *i % 5 < 2)
            .map(|i| 1_000 + u128::from(*i))
            .sum::<u128>()
    );
    assert_eq!(
        usdt,
        expected
            .iter()
            .filter(|i| *i % 5 >= 2)
            .map(|i| 5_000 + u128::from(*i))
            .sum::<u128>()
    );
    let paths = server.paths();
    for p in &paths {
        assert!(
            p.contains("min_timestamp=1700000060000") && p.contains("max_timestamp=1700000207999"),
            "{p}"
        );
    }
    // 20 TRX rows and 30 token rows in pages of 10: 2 + 3 pages, each list's end known by
    // the missing fingerprint; the later pages asked by fingerprint, within the range.
    assert_eq!(
        paths.iter().filter(|p| p.contains("fingerprint=")).count(),
        3,
        "{paths:?}"
    );
    assert_eq!(paths.len(), 5, "{paths:?}");
}

#[test]
fn a_cursor_remembers_its_range() {
    let server = serve(ledger(), None);
    let source = TronGridSource::new(&server.url(), None, test_config(), None)
        .expect("source")
        .with_page_size(5)
        .with_max_pages(1);
    let hot = NodeId::parse(&format!("trx:{}", addr(1))).expect("id");
    let range = TimeRange {
        since_unix: Some(START_MS / 1000 + 60),
        until_unix: None,
    };
    let control = JobControl::default();
    let first = source
        .counterparties_page_within(&hot, Direction::Both, None, range, &control)
        .expect("page");
    let cursor = first.resume.expect("more to load");
    assert!(cursor.ends_with("|1700000060000-"), "{cursor}");
    let next = source
        .counterparties_page_within(&hot, Direction::Both, Some(&cursor), range, &control)
        .expect("next page");
    assert!(
        next.counterparties
            .iter()
            .flat_map(|c| &c.transfers)
            .all(|t| t.time >= Some(START_MS / 1000 + 60))
    );
    let other = source
        .counterparties_page(&hot, Direction::Both, Some(&cursor), &control)
        .map_err(message)
        .unwrap_err();
    assert!(other.contains("another time range"), "{other}");
    // Without a range nothing is sent, as before.
    server.clear_log();
    source
        .counterparties_page(&hot, Direction::Both, None, &control)
        .expect("page");
    assert!(
        server
            .paths()
            .iter()
            .all(|p| !p.contains("min_timestamp") && !p.contains("max_timestamp"))
    );
}
