//! The embedded demo ledger: a deterministic, offline, synthetic world behind [`DataSource`].
//!
//! The world imitates the DPRK laundering pattern of 2024–25 (Bybit-style): theft from a victim
//! exchange's cold wallet, a split across 40 addresses, ETH peel chains, a mixer, a bridge to
//! Bitcoin with UTXO peel chains, a swap into a USDT-like stablecoin, and deposits at two
//! exchanges, amid ordinary customers who make the exchanges' hot wallets large hubs. Every
//! address is well-formed (valid checksums) but generated from a fixed seed; every amount is an
//! exact integer that balances. The world is generated once per process, on first use.
//!
//! - [`DemoSource`] / [`demo_source`]: the data source (`"demo"`).
//! - [`demo_case`]: the case the app opens on first start.
//! - [`demo_attribution`], [`demo_pack`]: the known actors as tags, and as an attribution pack.
//! - [`theft_address`] and friends: landmark ids for tests and hints.
//!
//! [`DataSource`]: crate::sources::DataSource

mod attribution;
mod case;
mod clock;
mod facts;
mod flow;
mod hex;
mod ids;
mod ledger;
mod noise;
mod rng;
mod scenario;
mod sim;
mod source;
mod world;

#[cfg(test)]
mod findings_tests;
#[cfg(test)]
mod tests;

pub use attribution::{DEMO_PACK_ID, demo_attribution, demo_pack};
pub use case::{DEMO_CASE_TITLE, demo_case};
pub use clock::{DEMO_SNAPSHOT_UNIX_SECS, THEFT_UNIX_SECS};
pub use ids::{
    bridge_addresses, exchange_hot_wallets, mixer_address, split_addresses, swap_router_address,
    theft_address, token_contract, victim_cold_wallet,
};
pub use source::DemoSource;

/// A handle on the shared demo world (cheap; the world is generated on first use).
pub fn demo_source() -> DemoSource {
    DemoSource::new()
}
