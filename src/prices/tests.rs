//! Hand-checked values against the bundled tables (figures from assets/prices/SOURCE.md).

use super::*;
use crate::model::Chain;

/// 2025-02-21 00:00:00 UTC.
const FEB_21_2025: i64 = 1_740_096_000;

#[test]
fn bundled_tables_parse_and_give_the_published_closes() {
    let book = PriceBook::bundled();
    let eth = Asset::native(Chain::ETHEREUM);
    let btc = Asset::native(Chain::Bitcoin);
    // The table's close exactly as published (`2659.65551758`), not rounded.
    let (_, price, origin) = book.price_at(&eth, FEB_21_2025).expect("ETH priced");
    assert_eq!(price, Usd(265_965_551_758));
    assert_eq!(origin, PriceOrigin::Table(BUNDLED_TABLE_NAME.into()));
    let (_, price, _) = book.price_at(&btc, FEB_21_2025).expect("BTC priced");
    assert_eq!(price, Usd(9_612_554_687_500));
    // ETH before its table starts has no price, not $0.
    assert_eq!(book.price_at(&eth, 1_500_000_000), None);
}

#[test]
fn a_transfer_at_the_edges_of_a_utc_day() {
    let book = PriceBook::bundled();
    let eth = Asset::native(Chain::ETHEREUM);
    let one_eth = 1_000_000_000_000_000_000u128;
    // 23:59:59 on 2025-02-21 is still that day's close ($2,659.65551758) ...
    let late = book
        .value(&eth, one_eth, Some(FEB_21_2025 + 86_399))
        .expect("priced");
    assert_eq!(late.usd, Usd(265_965_551_758));
    assert_eq!(late.usd.to_decimal_string(), "2659.65");
    // 288.4 ETH that day: 288.4 × 2659.65551758 = 767,044.651270072 → $767,044.65.
    let hop = book
        .value(
            &eth,
            288_400_000_000_000_000_000,
            Some(FEB_21_2025 + 43_200),
        )
        .expect("priced");
    assert_eq!(hop.usd, Usd(76_704_465_127_007));
    assert_eq!(hop.usd.to_decimal_string(), "767044.65");
    assert_eq!(format_day(late.day), "2025-02-21");
    // ... and 00:00:00 on 2025-02-22 is the next day's.
    let next = book
        .value(&eth, one_eth, Some(FEB_21_2025 + 86_400))
        .expect("priced");
    assert_eq!(format_day(next.day), "2025-02-22");
    assert_ne!(next.usd, late.usd);
    // No time, no price.
    assert_eq!(book.value(&eth, one_eth, None), None);
}

#[test]
fn stablecoins_are_pinned_by_contract_never_by_symbol() {
    let book = PriceBook::bundled();
    let usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdac17f958d2ee523a2206206994597c13d831ec7",
    );
    let value = book
        .value(&usdt, 768_851_000_000, Some(FEB_21_2025))
        .expect("USDT priced");
    assert_eq!(value.usd.to_decimal_string(), "768851.00");
    assert_eq!(value.origin, PriceOrigin::Pinned);
    // A token that copies the symbol gets no price.
    let fake = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0x1111111111111111111111111111111111111111",
    );
    assert_eq!(book.value(&fake, 768_851_000_000, Some(FEB_21_2025)), None);
}

#[test]
fn imported_tables_are_keyed_by_chain_and_contract() {
    let mut book = PriceBook::empty();
    let key = AssetKey::parse("eth:0x6B175474E89094C44Da98b954EedeAC495271d0F").expect("key");
    let table = DailyTable::parse("date,close_usd\n2025-02-21,0.9998\n").expect("table");
    book.add_table(key, "dai.csv".to_owned(), table);
    let dai = Asset::token(
        Chain::ETHEREUM,
        "DAI",
        18,
        "0x6b175474e89094c44da98b954eedeac495271d0f",
    );
    let value = book
        .value(&dai, 101_740 * 10u128.pow(18), Some(FEB_21_2025 + 3_600))
        .expect("priced");
    assert_eq!(value.usd.to_decimal_string(), "101719.65");
    assert_eq!(value.origin, PriceOrigin::Table("dai.csv".into()));
    assert!(AssetKey::parse("usdt").is_err());
    assert!(AssetKey::parse("eth:0x12").is_err());
    assert_eq!(book.describe().len(), 1);
}

#[test]
fn usdt_on_tron_is_pinned_by_its_contract_and_nothing_else_is() {
    use crate::model::{Asset, Chain};
    let book = PriceBook::bundled();
    let usdt = Asset::token(Chain::Tron, "USDT", 6, "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t");
    // The base58 contract keeps its case (lower-casing it would name another text).
    assert_eq!(
        usdt.contract.as_deref(),
        Some("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
    );
    let valued = book
        .value(&usdt, 41_677_389, Some(1_738_601_505))
        .expect("pinned");
    assert_eq!(
        valued.usd,
        Usd::of(41_677_389, 6, Usd(USD_SCALE)).expect("usd")
    );
    assert_eq!(valued.origin, PriceOrigin::Pinned);
    let copycat = Asset::token(Chain::Tron, "USDT", 6, "TXLAQ63Xg1NAzckPwKHvzw7CSEmLMEqcdj");
    assert!(
        book.value(&copycat, 1_000_000, Some(1_738_601_505))
            .is_none()
    );
    assert!(
        book.value(&Asset::native(Chain::Tron), 1_000_000, Some(1_738_601_505))
            .is_none()
    );
    let key = AssetKey::parse("trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t").expect("key");
    assert_eq!(key, AssetKey::of(&usdt));
    assert!(AssetKey::parse("trx:0xdac17f958d2ee523a2206206994597c13d831ec7").is_err());
}

#[test]
fn a_transfers_usd_alone_equals_its_valuation() {
    let book = PriceBook::bundled();
    let usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdac17f958d2ee523a2206206994597c13d831ec7",
    );
    let unknown = Asset::token(
        Chain::ETHEREUM,
        "X",
        18,
        "0x1111111111111111111111111111111111111111",
    );
    let assets = [
        Asset::native(Chain::ETHEREUM),
        Asset::native(Chain::Bitcoin),
        usdt,
        unknown,
    ];
    let times = [
        None,
        Some(1_500_000_000),
        Some(FEB_21_2025),
        Some(FEB_21_2025 + 86_399),
    ];
    let mut case = crate::model::Case::new("t", 0);
    let ends = (
        crate::model::NodeId::parse("eth:0x0000000000000000000000000000000000000001").expect("id"),
        crate::model::NodeId::parse("eth:0x0000000000000000000000000000000000000002").expect("id"),
    );
    for (i, asset) in assets.iter().enumerate() {
        for (k, &time) in times.iter().enumerate() {
            let name = format!("t{i}{k}");
            let amount = 288_400_000_000_000_000_000;
            case.put_test_transfer(&name, ends.clone(), asset.clone(), amount, time);
        }
    }
    assert_eq!(case.transfers.len(), 16);
    let mut priced = 0;
    for transfer in case.transfers.values() {
        assert_eq!(
            book.transfer_usd(transfer),
            book.transfer_value(transfer).map(|v| v.usd),
            "{} at {:?}",
            transfer.asset.symbol,
            transfer.time
        );
        priced += usize::from(book.transfer_usd(transfer).is_some());
    }
    // BTC at all three dated times (its table starts in 2014), ETH on 2025-02-21 only (its
    // table starts in November 2017), pinned USDT at all three: the priced paths are covered.
    assert_eq!(priced, 8);
}
