//! Esplora as a contract backend: the synthetic ledger of `support::esplora_ledger` on the mock
//! server; the hot wallet's 63 transactions span three pages of 25.

use crate::backend::{Backend, Expect, Seeded, Transport, id};
use crate::support::esplora_ledger::{btc, expected_address_counterparties, hot, setup};
use crate::support::sources::test_config;
use caseboard::sources::Direction;
use caseboard::sources::esplora::EsploraSource;

pub struct Esplora;

impl Backend for Esplora {
    fn start() -> Seeded {
        let (_, ledger, server) = setup();
        let build = || EsploraSource::new(&server.url(), test_config(), None).expect("source");
        let keys = |direction| {
            expected_address_counterparties(&ledger, &hot(), direction)
                .into_iter()
                .map(|(key, _)| key)
                .collect()
        };
        Seeded {
            name: "esplora",
            source: Box::new(build()),
            capped: Some(Box::new(build().with_max_pages(1))),
            expect: Expect {
                known: btc(&hot()),
                balance: Some(ledger.utxo_sum(&hot())),
                keys_in: keys(Direction::In),
                keys_out: keys(Direction::Out),
                foreign: id("eth:0x1111111111111111111111111111111111111111"),
                pages: true,
            },
            transport: Some(Transport {
                server,
                method: "GET",
                prefix: "/address/",
                secret: None,
            }),
            keep: None,
        }
    }
}
