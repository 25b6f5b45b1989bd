//! Etherscan V2 and Blockscout as contract backends: the mock API and ledger of
//! `support::etherscan_api` (native, internal and token transfers of one hot wallet, three
//! pages of five), with the counterparties written out by hand there.

use crate::backend::{Backend, Expect, Seeded, Transport, id};
use crate::support::etherscan_api::{
    Api, Expect as Facts, Flavour, KEY, blockscout, etherscan, hot, ledger, node, serve,
};
use caseboard::model::{Chain, NodeId};
use caseboard::sources::Direction;
use std::collections::BTreeSet;

/// Etherscan V2, chain 1, with an API key.
pub struct Etherscan;
/// Blockscout, served as chain 100 (Gnosis), without a key.
pub struct Blockscout;

const BLOCKSCOUT_CHAIN_ID: u64 = 100;

impl Backend for Etherscan {
    fn start() -> Seeded {
        start(Flavour::Etherscan)
    }
}

impl Backend for Blockscout {
    fn start() -> Seeded {
        start(Flavour::Blockscout)
    }
}

fn start(flavour: Flavour) -> Seeded {
    let (server, _) = serve(Api::new(flavour, ledger()));
    let (name, chain, prefix, route, secret) = match flavour {
        Flavour::Etherscan => ("etherscan", Chain::ETHEREUM, "eth", "/v2/api", Some(KEY)),
        Flavour::Blockscout => (
            "blockscout",
            Chain::Evm {
                chain_id: BLOCKSCOUT_CHAIN_ID,
            },
            "evm100",
            "/api",
            None,
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
    Seeded {
        name,
        source: Box::new(build()),
        capped: Some(Box::new(build().with_max_pages(1))),
        expect: Expect {
            known: node(chain, &hot()),
            // The mock's balance of the hot wallet.
            balance: Some(123_456_789_012_345_678_901_234_567_890),
            keys_in: keys(Direction::In),
            keys_out: keys(Direction::Out),
            foreign: id("btc:bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            // Etherscan and Blockscout read a whole history in one call (up to their page and
            // read caps, said in the page's gaps); they give no resume cursor.
            pages: false,
        },
        transport: Some(Transport {
            server,
            method: "GET",
            prefix: route,
            secret,
        }),
        keep: None,
    }
}
