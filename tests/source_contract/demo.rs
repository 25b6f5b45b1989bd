//! The embedded demo world as a contract backend: no transport; the theft address with the
//! victim's cold wallet on one side and the 40 split addresses on the other.

use crate::backend::{Backend, Expect, Seeded, id};
use caseboard::sources::demo::{DemoSource, split_addresses, theft_address, victim_cold_wallet};

pub struct Demo;

impl Backend for Demo {
    fn start() -> Seeded {
        Seeded {
            name: "demo",
            source: Box::new(DemoSource::new()),
            capped: None,
            expect: Expect {
                known: theft_address(),
                balance: None,
                keys_in: [victim_cold_wallet()].into(),
                keys_out: split_addresses().into_iter().collect(),
                foreign: id("evm137:0x1111111111111111111111111111111111111111"),
                pages: false,
            },
            transport: None,
            keep: None,
        }
    }
}
