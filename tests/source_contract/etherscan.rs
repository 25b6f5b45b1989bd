//! Etherscan V2 and Blockscout as contract backends: the mock API and ledger of
//! `support::etherscan_api` (native, internal and token transfers of one hot wallet, three
//! pages of five), with the counterparties written out by hand there.

use crate::backend::{Backend, Expect, Transport, id};
use crate::support::etherscan_api::{
    Api, Expect as Facts, Flavour, KEY, blockscout, etherscan, hot, ledger, node, serve,
};
use crate::support::mock_http::MockServer;
use caseboard::model::{Chain, NodeId};
use caseboard::sources::etherscan::EtherscanSource;
use caseboard::sources::{DataSource, Direction};
use std::collections::BTreeSet;

pub struct Explorer {
    flavour: Flavour,
    server: MockServer,
    source: EtherscanSource,
    capped: EtherscanSource,
    expect: Expect,
}

/// Blockscout is served as chain 100 (Gnosis), Etherscan as chain 1.
const BLOCKSCOUT_CHAIN_ID: u64 = 100;

impl Explorer {
    pub fn start(flavour: Flavour) -> Explorer {
        let (server, _) = serve(Api::new(flavour, ledger()));
        let (chain, prefix) = match flavour {
            Flavour::Etherscan => (Chain::ETHEREUM, "eth"),
            Flavour::Blockscout => (
                Chain::Evm {
                    chain_id: BLOCKSCOUT_CHAIN_ID,
                },
                "evm100",
            ),
        };
        let build = || match flavour {
            Flavour::Etherscan => etherscan(&server),
            Flavour::Blockscout => blockscout(&server, BLOCKSCOUT_CHAIN_ID),
        };
        let facts = Facts {
            flavour,
            prefix: prefix.to_owned(),
        };
        let keys = |direction| -> BTreeSet<NodeId> {
            facts
                .only(direction)
                .into_iter()
                .map(|(key, ..)| node(chain, &key))
                .collect()
        };
        let expect = Expect {
            known: node(chain, &hot()),
            // The mock's balance of the hot wallet.
            balance: Some(123_456_789_012_345_678_901_234_567_890),
            keys_in: keys(Direction::In),
            keys_out: keys(Direction::Out),
            foreign: id("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            pages: true,
        };
        let source = build();
        let capped = build().with_max_pages(1);
        Explorer {
            flavour,
            server,
            source,
            capped,
            expect,
        }
    }
}

impl Backend for Explorer {
    fn name(&self) -> &'static str {
        match self.flavour {
            Flavour::Etherscan => "etherscan",
            Flavour::Blockscout => "blockscout",
        }
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
            prefix: match self.flavour {
                Flavour::Etherscan => "/v2/api",
                Flavour::Blockscout => "/api",
            },
            secret: match self.flavour {
                Flavour::Etherscan => Some(KEY),
                Flavour::Blockscout => None,
            },
        })
    }
}
