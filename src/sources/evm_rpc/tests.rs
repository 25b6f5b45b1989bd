//! Unit tests of the EVM JSON-RPC source: names, URLs and chain checks made before asking.

use super::*;

#[test]
fn names_and_bad_urls() {
    let source = EvmRpcSource::new(
        "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef",
        Some(1),
        HttpConfig::for_own_node(),
        None,
    )
    .expect("source");
    assert_eq!(source.name(), "evm-rpc:mainnet.infura.io");
    assert!(!format!("{source:?}").contains("0123456789abcdef0123"));
    assert_eq!(source.native_support(), NativeSupport::NotDetected);
    let source = EvmRpcSource::new(
        "http://127.0.0.1:8545",
        None,
        HttpConfig::for_own_node(),
        None,
    )
    .expect("source");
    assert_eq!(source.name(), "evm-rpc:127.0.0.1:8545");
    for url in ["ftp://x", "nonsense", "https://u:secret@node.example/"] {
        let err =
            EvmRpcSource::new(url, None, HttpConfig::for_own_node(), None).expect_err("refused");
        assert!(!err.to_string().contains(":secret@"), "{err}");
    }
}

#[test]
fn refuses_other_chains_before_asking() {
    let source = EvmRpcSource::new(
        "http://127.0.0.1:9",
        Some(1),
        HttpConfig::for_own_node(),
        None,
    )
    .expect("source");
    let control = JobControl::default();
    let btc = NodeId::parse("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("id");
    assert!(matches!(
        source.counterparties(&btc, Direction::Both, &control),
        Err(SourceError::UnsupportedChain { .. })
    ));
    let bsc = NodeId::parse("evm56:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
    assert!(matches!(
        source.lookup(&bsc, &control),
        Err(SourceError::UnsupportedChain { .. })
    ));
    let tx = NodeId::parse(&format!("eth-tx:{}", "ab".repeat(32))).expect("id");
    assert_eq!(source.lookup(&tx, &control), Ok(None));
    assert!(matches!(
        source.counterparties(&tx, Direction::In, &control),
        Err(SourceError::UnknownNode { .. })
    ));
    assert_eq!(source.client().requests_sent(), 0);
}
