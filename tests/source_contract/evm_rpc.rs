//! EVM JSON-RPC as a contract backend: a real node (anvil, see `support::anvil`) behind a
//! loopback proxy (`support::rpc_proxy`) where faults are injected. Seeded with plain ETH
//! A→B, B→C, A→B and the 6-decimal `TestUSD` token minted to A and moved A→B, so B has A on
//! its incoming side (native and token legs) and C on its outgoing side.

use crate::backend::{Backend, Expect, Seeded, Transport, id};
use crate::support::anvil::{Anvil, fixture, pad32, qty};
use crate::support::rpc_proxy::proxy;
use crate::support::sources::test_config;
use caseboard::sources::evm_rpc::EvmRpcSource;
use serde_json::json;

const CHAIN_ID: u64 = 31337;
const ETH: u128 = 1_000_000_000_000_000_000;
/// `transfer(address,uint256)`.
const TRANSFER_SELECTOR: &str = "0xa9059cbb";

pub struct EvmRpc;

impl Backend for EvmRpc {
    fn start() -> Seeded {
        let anvil = Anvil::start();
        let [a, b, c] = [0, 1, 2].map(|i| anvil.account(i));
        for (from, to, amount) in [(&a, &b, ETH), (&b, &c, ETH / 2), (&a, &b, ETH / 8)] {
            let receipt = anvil.send(json!({"from": from, "to": to, "value": qty(amount)}));
            assert_eq!(receipt["status"], "0x1", "{receipt}");
        }
        let supply = 10u128.pow(12);
        let init = format!("{}{}", fixture("TestUSD.bin"), pad32(&qty(supply)));
        let (token, _) = anvil.deploy(&a, &init);
        let data = format!(
            "{TRANSFER_SELECTOR}{}{}",
            pad32(&b),
            pad32(&qty(250_000_000))
        );
        let receipt = anvil.send(json!({"from": a, "to": token, "data": data}));
        assert_eq!(receipt["status"], "0x1", "{receipt}");
        let balance = anvil.call("eth_getBalance", json!([b, "latest"]));
        let balance = balance.as_str().expect("hex balance");
        let balance = u128::from_str_radix(balance.trim_start_matches("0x"), 16).expect("hex");

        let proxy = proxy(anvil.url(), |_| None);
        // A loaded machine can be slow to trace: a longer read timeout than the mocks need.
        let mut config = test_config();
        config.read_timeout_secs = 5;
        let source = EvmRpcSource::new(&proxy.url(), Some(CHAIN_ID), config, None).expect("source");
        let node = |address: &str| id(&format!("evm{CHAIN_ID}:{address}"));
        Seeded {
            name: "evm-rpc",
            source: Box::new(source),
            capped: None,
            expect: Expect {
                known: node(&b),
                balance: Some(balance),
                keys_in: [node(&a)].into(),
                keys_out: [node(&c)].into(),
                foreign: id("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
                pages: false,
            },
            transport: Some(Transport {
                server: proxy,
                method: "POST",
                prefix: "/",
                secret: None,
            }),
            keep: Some(Box::new(anvil)),
        }
    }
}
