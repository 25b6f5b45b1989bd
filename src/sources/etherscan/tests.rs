//! Tests of the source's set-up: API roots and names, keys, backoff.

use super::*;
use std::time::Duration;

#[test]
fn roots_and_names() {
    assert_eq!(
        api_root("https://eth.blockscout.com/api/"),
        "https://eth.blockscout.com"
    );
    assert_eq!(
        api_root("https://eth.blockscout.com"),
        "https://eth.blockscout.com"
    );
    assert_eq!(
        api_root("https://api.etherscan.io/v2/API"),
        "https://api.etherscan.io/v2"
    );
    assert_eq!(api_root("https://x/apiary"), "https://x/apiary");
    assert_eq!(
        host_of("https://u:secret@Eth.Blockscout.com/api").as_deref(),
        Some("eth.blockscout.com")
    );
    assert_eq!(host_of("").as_deref(), None);
}

#[test]
fn keys_are_required_and_never_shown() {
    let err =
        EtherscanSource::etherscan(1, Secret::new(" "), HttpConfig::for_own_node(), None, None)
            .unwrap_err();
    assert_eq!(err.to_string(), format!("etherscan:1: {NEEDS_KEY}"));
    let err = EtherscanSource::etherscan(
        1,
        Secret::new("SECRET KEY&x=1"),
        HttpConfig::for_own_node(),
        None,
        None,
    )
    .unwrap_err();
    assert!(!err.to_string().contains("SECRET"), "{err}");
    let source = EtherscanSource::etherscan(
        137,
        Secret::new("SECRET-KEY-123"),
        HttpConfig::for_own_node(),
        None,
        None,
    )
    .expect("source");
    assert_eq!(source.name(), "etherscan:137");
    assert!(!format!("{source:?}").contains("SECRET-KEY-123"));
    let request = source.request(&[("module", "proxy".to_owned())]);
    assert_eq!(request.shown, "GET /api?chainid=137&module=proxy");
    assert_eq!(
        request.path,
        "/api?chainid=137&apikey=SECRET-KEY-123&module=proxy"
    );
    assert_eq!(source.scrub("echo SECRET-KEY-123"), "echo REDACTED");
}

#[test]
fn backoff_doubles_within_bounds() {
    let source = EtherscanSource::blockscout(
        "https://eth.blockscout.com/api",
        1,
        HttpConfig {
            retry_base_ms: 100,
            max_retry_wait_secs: 1,
            ..HttpConfig::for_own_node()
        },
        None,
    )
    .expect("source");
    assert_eq!(source.name(), "blockscout:eth.blockscout.com");
    for retry in 0..3 {
        let step = 100u64 << retry;
        let wait = source.backoff(retry).as_millis() as u64;
        assert!(wait >= step && wait <= step + step / 4, "{retry}: {wait}");
    }
    assert_eq!(source.backoff(10), Duration::from_secs(1));
}
