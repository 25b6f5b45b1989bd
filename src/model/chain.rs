//! Chains Caseboard knows, and the short prefixes that make node ids unambiguous.
//!
//! Ethereum mainnet is `eth`; any other EVM chain is named by its chain id (`evm56`), so the
//! same address on two chains never collapses into one node. TRON is `trx`.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A blockchain a node or transfer lives on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Chain {
    /// Bitcoin mainnet (UTXO).
    Bitcoin,
    /// An EVM account chain, by EIP-155 chain id (1 = Ethereum mainnet).
    Evm { chain_id: u64 },
    /// TRON mainnet (account chain; TRX in sun, TRC-20 tokens).
    Tron,
}

impl Chain {
    /// Ethereum mainnet.
    pub const ETHEREUM: Chain = Chain::Evm { chain_id: 1 };

    /// Prefix used in node ids: `btc`, `eth`, `evm<chain id>`.
    pub fn id_prefix(self) -> String {
        match self {
            Chain::Bitcoin => "btc".to_owned(),
            Chain::Evm { chain_id: 1 } => "eth".to_owned(),
            Chain::Evm { chain_id } => format!("evm{chain_id}"),
            Chain::Tron => "trx".to_owned(),
        }
    }

    /// Parses an id prefix back into a chain.
    pub fn from_id_prefix(prefix: &str) -> Option<Chain> {
        match prefix {
            "btc" => Some(Chain::Bitcoin),
            "eth" => Some(Chain::ETHEREUM),
            "trx" => Some(Chain::Tron),
            other => other
                .strip_prefix("evm")
                .and_then(|id| id.parse::<u64>().ok())
                .map(|chain_id| Chain::Evm { chain_id }),
        }
    }

    /// The chain's native asset symbol and decimals.
    pub fn native_asset(self) -> (&'static str, u8) {
        match self {
            Chain::Bitcoin => ("BTC", 8),
            Chain::Evm { .. } => ("ETH", 18),
            Chain::Tron => ("TRX", 6),
        }
    }

    /// A token contract as this chain's assets and prices key it: EVM contracts in lower-case
    /// hex, TRON contracts as their base58 `T…` text (case matters in base58).
    pub fn canonical_contract(self, contract: &str) -> String {
        match self {
            Chain::Tron => contract.trim().to_owned(),
            Chain::Bitcoin | Chain::Evm { .. } => contract.trim().to_ascii_lowercase(),
        }
    }

    /// True for UTXO chains, where a transaction is a node between inputs and outputs.
    pub fn is_utxo(self) -> bool {
        matches!(self, Chain::Bitcoin)
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chain::Bitcoin => f.write_str("Bitcoin"),
            Chain::Evm { chain_id: 1 } => f.write_str("Ethereum"),
            Chain::Evm { chain_id } => write!(f, "EVM chain {chain_id}"),
            Chain::Tron => f.write_str("TRON"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_round_trip() {
        for chain in [
            Chain::Bitcoin,
            Chain::ETHEREUM,
            Chain::Evm { chain_id: 56 },
            Chain::Tron,
        ] {
            assert_eq!(Chain::from_id_prefix(&chain.id_prefix()), Some(chain));
        }
        assert_eq!(Chain::from_id_prefix("evmx"), None);
        assert_eq!(Chain::from_id_prefix("doge"), None);
    }
}
