//! USD values at the time of each transfer, derived at display time and never stored as facts.
//!
//! A [`PriceBook`] values an amount on a UTC day: the bundled daily close tables for BTC and
//! ETH (`assets/prices/`, MIT, see its `SOURCE.md`), stablecoins pinned to $1 **by contract
//! address on their chain** (a token that copies the symbol `USDT` gets no price), tables the
//! user imports (`date,close_usd` CSV, one per asset, keyed by chain + contract), and nothing
//! else: an asset without a price is "no price", never $0. Amounts stay exact integers; values
//! are exact decimals ([`Usd`]).

mod table;
mod usd;

pub use table::{DailyTable, format_day, parse_day};
pub use usd::{USD_SCALE, Usd};

use crate::model::{Asset, Chain, Transfer};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Arc, OnceLock};

/// Which asset a price is for: the chain's id prefix and the token contract (lower-case), or
/// `None` for the chain's native coin. Never a symbol.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AssetKey {
    /// Chain id prefix (`btc`, `eth`, `evm137`).
    pub chain: String,
    /// Token contract, lower-case; `None` for the native coin.
    pub contract: Option<String>,
}

impl std::fmt::Display for AssetKey {
    /// The text [`AssetKey::parse`] reads: `eth` or `eth:0x…` (contract).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.contract {
            Some(contract) => write!(f, "{}:{contract}", self.chain),
            None => f.write_str(&self.chain),
        }
    }
}

impl AssetKey {
    /// The key of `asset`.
    pub fn of(asset: &Asset) -> AssetKey {
        AssetKey {
            chain: asset.chain.id_prefix(),
            contract: asset
                .contract
                .as_ref()
                .map(|c| asset.chain.canonical_contract(c)),
        }
    }

    /// Parses `CHAIN` or `CHAIN:CONTRACT` (`btc`, `eth:0xdac1…`, `trx:TR7N…`).
    pub fn parse(text: &str) -> Result<AssetKey, String> {
        let text = text.trim();
        let (chain, contract) = match text.split_once(':') {
            Some((chain, contract)) => (chain, Some(contract.trim())),
            None => (text, None),
        };
        let chain = chain.trim().to_ascii_lowercase();
        let Some(parsed_chain) = crate::model::Chain::from_id_prefix(&chain) else {
            return Err(format!(
                "{} is not a chain (btc, eth, evm<chain id>, trx, ltc, bch, zec)",
                crate::util::quote_short(&chain)
            ));
        };
        let contract = contract.map(|c| parsed_chain.canonical_contract(c));
        if parsed_chain == Chain::Tron {
            if let Some(contract) = &contract
                && crate::model::tron_address::parse_tron_address(contract).is_err()
            {
                return Err(format!(
                    "{} is not a TRON token contract (T… address)",
                    crate::util::quote_short(contract)
                ));
            }
            return Ok(AssetKey { chain, contract });
        }
        if let Some(contract) = &contract
            && (contract.len() != 42
                || !contract.starts_with("0x")
                || !contract[2..].chars().all(|c| c.is_ascii_hexdigit()))
        {
            return Err(format!(
                "{} is not a token contract (0x + 40 hex digits)",
                crate::util::quote_short(contract)
            ));
        }
        Ok(AssetKey { chain, contract })
    }
}

/// Where a price came from, for exports and the inspector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PriceOrigin {
    /// A daily close table (bundled or imported), by name.
    Table(Arc<str>),
    /// A stablecoin pinned to $1 by its contract.
    Pinned,
}

/// An amount's value: USD, the UTC day it was valued on, and where the price came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Valuation {
    /// Exact value.
    pub usd: Usd,
    /// The UTC day (days since 1970-01-01) whose price was used.
    pub day: i64,
    /// Where the price came from.
    pub origin: PriceOrigin,
}

/// Stablecoins pinned to $1, by chain and contract (Ethereum mainnet; USDT-TRC20 on TRON).
const PINNED_STABLECOINS: [(&str, &str, &str); 4] = [
    ("eth", "0xdac17f958d2ee523a2206206994597c13d831ec7", "USDT"),
    ("trx", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", "USDT"),
    ("eth", "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC"),
    ("eth", "0x6b175474e89094c44da98b954eedeac495271d0f", "DAI"),
];

/// EVM chains whose native coin is ETH (mainnet and the rollups that settle in ETH).
const ETH_NATIVE_CHAINS: [&str; 4] = ["eth", "evm10", "evm42161", "evm8453"];

/// Name of the bundled tables in exports and messages.
pub const BUNDLED_TABLE_NAME: &str = "bundled daily close (Yahoo Finance via Mario-SO/ohlcv, MIT)";

/// Prices for valuing transfers.
#[derive(Debug, Clone, Default)]
pub struct PriceBook {
    /// Tables are shared: cloning a book (the app hands one to each job) copies pointers.
    tables: BTreeMap<AssetKey, (Arc<str>, Arc<DailyTable>)>,
    pinned: BTreeMap<AssetKey, Usd>,
    /// The same prices by chain and contract, so valuing a transfer allocates nothing (the
    /// canvas and the timeline value every transfer of a case when it changes).
    index: PriceIndex,
}

/// A price source for one asset.
#[derive(Debug, Clone)]
enum Priced {
    Table(Arc<str>, Arc<DailyTable>),
    Pinned(Usd),
}

/// [`Priced`] by chain, then contract (`None` = the native coin).
#[derive(Debug, Clone, Default)]
struct PriceIndex {
    natives: HashMap<Chain, Priced>,
    tokens: HashMap<Chain, HashMap<Box<str>, Priced>>,
}

impl PriceIndex {
    fn insert(&mut self, key: &AssetKey, priced: Priced) {
        // A chain Caseboard does not know cannot be on any transfer: nothing to index.
        let Some(chain) = Chain::from_id_prefix(&key.chain) else {
            return;
        };
        match &key.contract {
            None => {
                self.natives.insert(chain, priced);
            }
            Some(contract) => {
                self.tokens
                    .entry(chain)
                    .or_default()
                    .insert(contract.as_str().into(), priced);
            }
        }
    }

    fn get(&self, asset: &Asset) -> Option<&Priced> {
        match &asset.contract {
            None => self.natives.get(&asset.chain),
            Some(contract) => self.tokens.get(&asset.chain)?.get(contract.as_str()),
        }
    }
}

impl PriceBook {
    /// A book with no prices at all.
    pub fn empty() -> PriceBook {
        PriceBook::default()
    }

    /// The bundled tables and the pinned stablecoins (parsed once per process; the clone
    /// shares the tables).
    pub fn bundled() -> PriceBook {
        PriceBook::bundled_ref().clone()
    }

    /// The bundled book itself, for readers that only value.
    pub fn bundled_ref() -> &'static PriceBook {
        static BUNDLED: OnceLock<PriceBook> = OnceLock::new();
        BUNDLED.get_or_init(build_bundled)
    }

    /// Adds (or replaces) the table for one asset.
    pub fn add_table(&mut self, key: AssetKey, name: String, table: DailyTable) {
        self.add_shared_table(key, Arc::from(name), Arc::new(table));
    }

    /// Takes every table of `other` (replacing this book's table or pin for the same asset).
    pub fn merge_from(&mut self, other: PriceBook) {
        for (key, (name, table)) in other.tables {
            self.add_shared_table(key, name, table);
        }
    }

    fn add_shared_table(&mut self, key: AssetKey, name: Arc<str>, table: Arc<DailyTable>) {
        self.pinned.remove(&key);
        self.index
            .insert(&key, Priced::Table(name.clone(), table.clone()));
        self.tables.insert(key, (name, table));
    }

    fn pin(&mut self, key: AssetKey, price: Usd) {
        self.index.insert(&key, Priced::Pinned(price));
        self.pinned.insert(key, price);
    }

    /// Reads a `date,close_usd` file for `key` (bounded: a price table is small).
    pub fn import_file(&mut self, key: AssetKey, path: &Path) -> Result<(), String> {
        let text = crate::util::read_small_text_file(path, table::MAX_TABLE_BYTES)?;
        let table = DailyTable::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.display().to_string());
        self.add_table(key, name, table);
        Ok(())
    }

    /// The price of one whole unit of `asset` on the UTC day of `unix_secs`.
    pub fn price_at(&self, asset: &Asset, unix_secs: i64) -> Option<(i64, Usd, PriceOrigin)> {
        match self.index.get(asset)? {
            Priced::Table(name, table) => {
                let (day, close) = table.close_at(unix_secs)?;
                Some((day, close, PriceOrigin::Table(name.clone())))
            }
            Priced::Pinned(price) => {
                Some((unix_secs.div_euclid(86_400), *price, PriceOrigin::Pinned))
            }
        }
    }

    /// The value of `amount` base units of `asset` at `unix_secs` (`None`: no price).
    pub fn value(&self, asset: &Asset, amount: u128, unix_secs: Option<i64>) -> Option<Valuation> {
        let (day, price, origin) = self.price_at(asset, unix_secs?)?;
        Some(Valuation {
            usd: Usd::of(amount, asset.decimals, price)?,
            day,
            origin,
        })
    }

    /// The value of a transfer at its block time.
    pub fn transfer_value(&self, transfer: &Transfer) -> Option<Valuation> {
        self.value(&transfer.asset, transfer.amount, transfer.time)
    }

    /// The USD value of a transfer at its block time, without where the price came from: what
    /// the flows and the timeline sum for every transfer of the case (no text copied per
    /// transfer). Equal to `transfer_value(t).map(|v| v.usd)`.
    pub fn transfer_usd(&self, transfer: &Transfer) -> Option<Usd> {
        let time = transfer.time?;
        let price = match self.index.get(&transfer.asset)? {
            Priced::Table(_, table) => table.close_at(time)?.1,
            Priced::Pinned(price) => *price,
        };
        Usd::of(transfer.amount, transfer.asset.decimals, price)
    }

    /// One line per priced asset, for exports ("which price table was used").
    pub fn describe(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .tables
            .iter()
            .map(|(key, (name, table))| {
                let span = table
                    .span()
                    .map(|(a, b)| format!(" {a}…{b}"))
                    .unwrap_or_default();
                format!("{}: {name}{span}", key_label(key))
            })
            .collect();
        lines.extend(
            self.pinned
                .keys()
                .map(|key| format!("{}: pinned at $1 (stablecoin, by contract)", key_label(key))),
        );
        lines
    }
}

/// `eth native` or `eth:0x…` for messages and exports.
pub fn key_label(key: &AssetKey) -> String {
    match &key.contract {
        Some(contract) => format!("{}:{contract}", key.chain),
        None => format!("{} native", key.chain),
    }
}

fn build_bundled() -> PriceBook {
    let mut book = PriceBook::default();
    let btc = DailyTable::parse(include_str!("../../assets/prices/btc_usd_daily.csv"));
    let eth = DailyTable::parse(include_str!("../../assets/prices/eth_usd_daily.csv"));
    // The bundled tables are checked by a test; a broken build would give no prices, not a panic.
    if let Ok(btc) = btc {
        book.add_table(
            AssetKey {
                chain: "btc".to_owned(),
                contract: None,
            },
            BUNDLED_TABLE_NAME.to_owned(),
            btc,
        );
    }
    if let Ok(eth) = eth {
        // One table, shared by every chain whose native coin is ETH.
        let (name, eth) = (Arc::<str>::from(BUNDLED_TABLE_NAME), Arc::new(eth));
        for chain in ETH_NATIVE_CHAINS {
            book.add_shared_table(
                AssetKey {
                    chain: chain.to_owned(),
                    contract: None,
                },
                name.clone(),
                eth.clone(),
            );
        }
    }
    for (chain, contract, _symbol) in PINNED_STABLECOINS {
        book.pin(
            AssetKey {
                chain: chain.to_owned(),
                contract: Some(contract.to_owned()),
            },
            Usd(USD_SCALE),
        );
    }
    book
}

#[cfg(test)]
mod tests;
