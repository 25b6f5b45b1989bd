//! The embedded demo world as a contract backend: no transport; the theft address with the
//! victim's cold wallet on one side and the 40 split addresses on the other.

use crate::backend::{Backend, Expect, Transport, id};
use caseboard::sources::DataSource;
use caseboard::sources::demo::{DemoSource, split_addresses, theft_address, victim_cold_wallet};

pub struct Demo {
    source: DemoSource,
    expect: Expect,
}

impl Demo {
    pub fn start() -> Demo {
        Demo {
            source: DemoSource::new(),
            expect: Expect {
                known: theft_address(),
                balance: None,
                keys_in: [victim_cold_wallet()].into(),
                keys_out: split_addresses().into_iter().collect(),
                foreign: id("evm137:0x1111111111111111111111111111111111111111"),
                pages: false,
            },
        }
    }
}

impl Backend for Demo {
    fn name(&self) -> &'static str {
        "demo"
    }
    fn source(&self) -> &dyn DataSource {
        &self.source
    }
    fn capped_source(&self) -> Option<&dyn DataSource> {
        None
    }
    fn expect(&self) -> &Expect {
        &self.expect
    }
    fn transport(&self) -> Option<Transport<'_>> {
        None
    }
}
