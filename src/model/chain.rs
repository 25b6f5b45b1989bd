//! Chains Caseboard knows, and the short prefixes that make node ids unambiguous.
//!
//! Ethereum mainnet is `eth`; any other EVM chain is named by its chain id (`evm56`), so the
//! same address on two chains never collapses into one node. TRON is `trx`. The UTXO chains
//! besides Bitcoin that GraphSense serves are Litecoin (`ltc`), Bitcoin Cash (`bch`) and Zcash
//! (`zec`, transparent addresses only).

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
    /// Litecoin mainnet (UTXO; LTC in litoshi).
    Litecoin,
    /// Bitcoin Cash mainnet (UTXO; BCH in satoshi).
    BitcoinCash,
    /// Zcash mainnet, its transparent part (UTXO; ZEC in zatoshi).
    Zcash,
}

impl Chain {
    /// Ethereum mainnet.
    pub const ETHEREUM: Chain = Chain::Evm { chain_id: 1 };

    /// The chains other than EVM chains, each once, in the order pickers offer them.
    pub const NAMED: [Chain; 6] = [
        Chain::Bitcoin,
        Chain::ETHEREUM,
        Chain::Tron,
        Chain::Litecoin,
        Chain::BitcoinCash,
        Chain::Zcash,
    ];

    /// Prefix used in node ids: `btc`, `eth`, `trx`, `ltc`, `bch`, `zec`, `evm<chain id>`.
    pub fn id_prefix(self) -> String {
        match self {
            Chain::Bitcoin => "btc".to_owned(),
            Chain::Evm { chain_id: 1 } => "eth".to_owned(),
            Chain::Evm { chain_id } => format!("evm{chain_id}"),
            Chain::Tron => "trx".to_owned(),
            Chain::Litecoin => "ltc".to_owned(),
            Chain::BitcoinCash => "bch".to_owned(),
            Chain::Zcash => "zec".to_owned(),
        }
    }

    /// Parses an id prefix back into a chain.
    pub fn from_id_prefix(prefix: &str) -> Option<Chain> {
        match prefix {
            "btc" => Some(Chain::Bitcoin),
            "eth" => Some(Chain::ETHEREUM),
            "trx" => Some(Chain::Tron),
            "ltc" => Some(Chain::Litecoin),
            "bch" => Some(Chain::BitcoinCash),
            "zec" => Some(Chain::Zcash),
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
            Chain::Litecoin => ("LTC", 8),
            Chain::BitcoinCash => ("BCH", 8),
            Chain::Zcash => ("ZEC", 8),
        }
    }

    /// A token contract as this chain's assets and prices key it: EVM contracts in lower-case
    /// hex, TRON contracts as their base58 `T…` text (case matters in base58).
    pub fn canonical_contract(self, contract: &str) -> String {
        match self {
            Chain::Tron => contract.trim().to_owned(),
            Chain::Bitcoin
            | Chain::Evm { .. }
            | Chain::Litecoin
            | Chain::BitcoinCash
            | Chain::Zcash => contract.trim().to_ascii_lowercase(),
        }
    }

    /// True for UTXO chains, where a transaction is a node between inputs and outputs.
    pub fn is_utxo(self) -> bool {
        matches!(
            self,
            Chain::Bitcoin | Chain::Litecoin | Chain::BitcoinCash | Chain::Zcash
        )
    }

    /// Validates `input` as an address of this chain and brings it to the chain's canonical
    /// form (see [`super::address`] and [`super::utxo_address`]). Trims surrounding whitespace.
    pub fn parse_address(
        self,
        input: &str,
    ) -> Result<super::address::ParsedAddress, super::address::AddressError> {
        use super::utxo_address::{
            parse_bitcoin_cash_address, parse_litecoin_address, parse_zcash_address,
        };
        match self {
            Chain::Bitcoin => super::address::parse_bitcoin_address(input),
            Chain::Evm { .. } => super::address::parse_ethereum_address(input),
            Chain::Tron => super::tron_address::parse_tron_address(input),
            Chain::Litecoin => parse_litecoin_address(input),
            Chain::BitcoinCash => parse_bitcoin_cash_address(input),
            Chain::Zcash => parse_zcash_address(input),
        }
    }
}

impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Chain::Bitcoin => f.write_str("Bitcoin"),
            Chain::Evm { chain_id: 1 } => f.write_str("Ethereum"),
            Chain::Evm { chain_id } => write!(f, "EVM chain {chain_id}"),
            Chain::Tron => f.write_str("TRON"),
            Chain::Litecoin => f.write_str("Litecoin"),
            Chain::BitcoinCash => f.write_str("Bitcoin Cash"),
            Chain::Zcash => f.write_str("Zcash"),
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
            Chain::Litecoin,
            Chain::BitcoinCash,
            Chain::Zcash,
        ] {
            assert_eq!(Chain::from_id_prefix(&chain.id_prefix()), Some(chain));
        }
        assert_eq!(Chain::from_id_prefix("evmx"), None);
        assert_eq!(Chain::from_id_prefix("doge"), None);
    }

    #[test]
    fn new_utxo_chains_have_their_coins() {
        assert_eq!(Chain::Litecoin.native_asset(), ("LTC", 8));
        assert_eq!(Chain::BitcoinCash.native_asset(), ("BCH", 8));
        assert_eq!(Chain::Zcash.native_asset(), ("ZEC", 8));
        for chain in [Chain::Litecoin, Chain::BitcoinCash, Chain::Zcash] {
            assert!(chain.is_utxo(), "{chain}");
        }
        assert!(!Chain::Tron.is_utxo() && !Chain::ETHEREUM.is_utxo());
        assert_eq!(Chain::BitcoinCash.to_string(), "Bitcoin Cash");
    }

    /// Adding variants must keep old case files readable: the old chains serialise as before,
    /// and the new ones by their variant names.
    #[test]
    fn serde_keeps_old_names_and_reads_new_ones() {
        let old: Vec<Chain> =
            ron::from_str("[Bitcoin, Tron, Evm(chain_id: 1), Evm(chain_id: 56)]").expect("old");
        assert_eq!(
            old,
            [
                Chain::Bitcoin,
                Chain::Tron,
                Chain::ETHEREUM,
                Chain::Evm { chain_id: 56 }
            ]
        );
        let new = [Chain::Litecoin, Chain::BitcoinCash, Chain::Zcash];
        let text = ron::to_string(&new.to_vec()).expect("write");
        assert_eq!(text, "[Litecoin,BitcoinCash,Zcash]");
        assert_eq!(ron::from_str::<Vec<Chain>>(&text).expect("read"), new);
        assert!(ron::from_str::<Chain>("Dogecoin").is_err());
    }
}
