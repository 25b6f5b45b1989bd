//! Esplora as a contract backend: the synthetic ledger of `support::esplora_ledger` on the mock
//! server; the hot wallet's 63 transactions span three pages of 25.

use crate::backend::{Backend, Expect, Transport, id};
use crate::support::esplora_ledger::{btc, expected_address_counterparties, hot, setup};
use crate::support::mock_http::MockServer;
use crate::support::sources::test_config;
use caseboard::sources::esplora::EsploraSource;
use caseboard::sources::{DataSource, Direction};

pub struct Esplora {
    server: MockServer,
    source: EsploraSource,
    capped: EsploraSource,
    expect: Expect,
}

impl Esplora {
    pub fn start() -> Esplora {
        let (_, ledger, server) = setup();
        let source = EsploraSource::new(&server.url(), test_config(), None).expect("source");
        let capped = EsploraSource::new(&server.url(), test_config(), None)
            .expect("source")
            .with_max_pages(1);
        let keys = |direction| {
            expected_address_counterparties(&ledger, &hot(), direction)
                .into_iter()
                .map(|(key, _)| key)
                .collect()
        };
        let expect = Expect {
            known: btc(&hot()),
            balance: Some(ledger.utxo_sum(&hot())),
            keys_in: keys(Direction::In),
            keys_out: keys(Direction::Out),
            foreign: id("eth:0x1111111111111111111111111111111111111111"),
            pages: true,
        };
        Esplora {
            server,
            source,
            capped,
            expect,
        }
    }
}

impl Backend for Esplora {
    fn name(&self) -> &'static str {
        "esplora"
    }
    fn source(&self) -> &dyn DataSource {
        &self.source
    }
    fn capped_source(&self) -> Option<&dyn DataSource> {
        Some(&self.capped)
    }
    fn expect(&self) -> &Expect {
        &self.expect
    }
    fn transport(&self) -> Option<Transport<'_>> {
        Some(Transport {
            server: &self.server,
            method: "GET",
            prefix: "/address/",
            secret: None,
        })
    }
}
