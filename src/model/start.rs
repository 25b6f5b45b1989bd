//! Where a case starts: each pasted token is an address or a transaction hash, on the chain it
//! names or the chain the user chose.
//!
//! * An address parses as [`super::address::parse_address`] says; with a chosen chain it is
//!   read by that chain's parser and must belong to it (`0x…` on `evm137` is the Polygon node
//!   `evm137:0x…`; `3…` on `ltc` is the Litecoin node `ltc:M…`).
//! * `0x` + 64 hex digits is an EVM transaction (Ethereum, or the chosen EVM chain).
//! * 64 hex digits without `0x` is a UTXO-chain or a TRON transaction (or an Ethereum hash that
//!   lost its `0x`): which one cannot be told from the text, so without a chosen chain it is
//!   refused with a question, never guessed.
//!
//! A UTXO transaction becomes a transaction node (`btc-tx:<txid>`, `ltc-tx:<txid>`, …) whose inputs and outputs
//! the case's source brings by expanding it. An account-chain transaction (EVM, TRON) has no
//! node of its own: the case's source reads its transfers by hash
//! ([`crate::sources::DataSource::transaction`]) and their ends become the nodes.

use super::address::{AddressChain, AddressError, parse_address};
use super::chain::Chain;
use super::node::NodeId;

/// What one token starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartPoint {
    /// An address node.
    Address(NodeId),
    /// A UTXO transaction node, whose inputs and outputs an expansion brings.
    Transaction(NodeId),
    /// An account-chain transaction, read by hash: its transfers and their ends.
    Transfers {
        /// The chain it is on.
        chain: Chain,
        /// `0x` + 64 lower-case hex on EVM chains, 64 lower-case hex on TRON.
        hash: String,
    },
}

impl StartPoint {
    /// The node this start adds itself (`None` for an account-chain transaction, whose
    /// nodes are the ends of its transfers).
    pub fn node(&self) -> Option<&NodeId> {
        match self {
            StartPoint::Address(id) | StartPoint::Transaction(id) => Some(id),
            StartPoint::Transfers { .. } => None,
        }
    }
}

/// Why a token starts nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    /// Not a valid address (and not a transaction hash).
    #[error("{0}")]
    Address(#[from] AddressError),
    /// 64 hex digits without a chosen chain.
    #[error(
        "64 hex digits is a UTXO-chain or a TRON transaction (or an Ethereum hash without 0x): choose the chain it is on (btc, ltc, bch, zec, trx or eth)"
    )]
    AmbiguousHash,
    /// The token is of another chain than the one chosen.
    #[error("{what} is not on {chain}")]
    WrongChain { what: &'static str, chain: Chain },
}

/// Reads `token` as a start point, on `chain` when the user chose one.
pub fn parse_start(token: &str, chain: Option<Chain>) -> Result<StartPoint, StartError> {
    let text = token.trim();
    let is_hex_64 = |s: &str| s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some(hex) = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
        && is_hex_64(hex)
    {
        let chain = match chain {
            None => Chain::ETHEREUM,
            Some(evm @ Chain::Evm { .. }) => evm,
            Some(other) => {
                return Err(StartError::WrongChain {
                    what: "a 0x transaction hash",
                    chain: other,
                });
            }
        };
        return Ok(StartPoint::Transfers {
            chain,
            hash: format!("0x{}", hex.to_ascii_lowercase()),
        });
    }
    if is_hex_64(text) {
        let lower = text.to_ascii_lowercase();
        return match chain {
            None => Err(StartError::AmbiguousHash),
            Some(utxo) if utxo.is_utxo() => NodeId::transaction(utxo, text)
                .map(StartPoint::Transaction)
                .map_err(|_| StartError::AmbiguousHash),
            Some(Chain::Tron) => Ok(StartPoint::Transfers {
                chain: Chain::Tron,
                hash: lower,
            }),
            Some(evm @ Chain::Evm { .. }) => Ok(StartPoint::Transfers {
                chain: evm,
                hash: format!("0x{lower}"),
            }),
            Some(other) => Err(StartError::WrongChain {
                what: "64 hex digits",
                chain: other,
            }),
        };
    }
    let Some(chain) = chain else {
        let parsed = parse_address(text)?;
        return Ok(StartPoint::Address(NodeId::for_address(&parsed)));
    };
    // On the chosen chain first: a `3…` is Litecoin's or Bitcoin Cash's when that is chosen.
    match chain.parse_address(text) {
        Ok(parsed) => Ok(StartPoint::Address(NodeId::address(chain, &parsed))),
        Err(err) => match parse_address(text) {
            Ok(other) => Err(StartError::WrongChain {
                what: match other.chain() {
                    AddressChain::Bitcoin => "a Bitcoin address",
                    AddressChain::Ethereum => "an Ethereum-style 0x address",
                    AddressChain::Tron => "a TRON address",
                    AddressChain::Litecoin => "a Litecoin address",
                    AddressChain::BitcoinCash => "a Bitcoin Cash address",
                    AddressChain::Zcash => "a Zcash address",
                },
                chain,
            }),
            Err(_) => Err(err.into()),
        },
    }
}

/// A chain the user names: `btc`, `eth`, `trx`, `ltc`, `bch`, `zec`, `evm<chain id>` (any
/// letter case).
pub fn parse_chain_choice(text: &str) -> Result<Chain, String> {
    Chain::from_id_prefix(&text.trim().to_ascii_lowercase()).ok_or_else(|| {
        format!("{text:?} is not a chain (btc, eth, trx, ltc, bch, zec, evm<chain id>)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The genesis block's coinbase transaction.
    const TXID: &str = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";

    #[test]
    fn hashes_start_transactions_or_ask() {
        assert_eq!(parse_start(TXID, None), Err(StartError::AmbiguousHash));
        assert_eq!(
            parse_start(&TXID.to_ascii_uppercase(), Some(Chain::Bitcoin))
                .map(|s| s.node().map(|n| n.as_str().to_owned())),
            Ok(Some(format!("btc-tx:{TXID}")))
        );
        assert_eq!(
            parse_start(TXID, Some(Chain::Tron)),
            Ok(StartPoint::Transfers {
                chain: Chain::Tron,
                hash: TXID.to_owned()
            })
        );
        assert_eq!(
            parse_start(&format!("0X{}", TXID.to_ascii_uppercase()), None),
            Ok(StartPoint::Transfers {
                chain: Chain::ETHEREUM,
                hash: format!("0x{TXID}")
            })
        );
        assert_eq!(
            parse_start(TXID, Some(Chain::Evm { chain_id: 137 })),
            Ok(StartPoint::Transfers {
                chain: Chain::Evm { chain_id: 137 },
                hash: format!("0x{TXID}")
            })
        );
        assert!(matches!(
            parse_start(&format!("0x{TXID}"), Some(Chain::Bitcoin)),
            Err(StartError::WrongChain { .. })
        ));
        assert!(
            StartError::AmbiguousHash
                .to_string()
                .contains("choose the chain it is on (btc, ltc, bch, zec, trx or eth)")
        );
    }

    #[test]
    fn addresses_land_on_the_chosen_chain() {
        let eth = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        assert_eq!(
            parse_start(eth, Some(Chain::Evm { chain_id: 137 })),
            Ok(StartPoint::Address(
                NodeId::parse("evm137:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id")
            ))
        );
        assert_eq!(
            parse_start(eth, None),
            Ok(StartPoint::Address(
                NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id")
            ))
        );
        assert_eq!(
            parse_start(eth, Some(Chain::Tron)),
            Err(StartError::WrongChain {
                what: "an Ethereum-style 0x address",
                chain: Chain::Tron
            })
        );
        assert!(matches!(
            parse_start("bc1qnot", None),
            Err(StartError::Address(_))
        ));
        assert_eq!(
            parse_chain_choice(" EVM137 "),
            Ok(Chain::Evm { chain_id: 137 })
        );
        assert!(parse_chain_choice("doge").is_err());
    }
}
