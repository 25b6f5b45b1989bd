//! Nodes of the case graph and their stable, human-readable ids.
//!
//! A [`NodeId`] is chain-qualified and canonical (`btc:bc1q…`, `eth:0xabc…` in lower-case hex,
//! `btc-tx:<txid>` for a Bitcoin transaction, `btc:script:<txid>:<vout>` for an output whose
//! script has no address — P2PK, bare multisig, non-standard — and for the input that spends
//! it), so the same id in two case files means the same thing and ids can be compared as plain
//! strings.

use super::address::{ParsedAddress, parse_address};
use super::amount::opt_base_units;
use super::chain::Chain;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// Stable id of a node. Construct through [`NodeId::address`], [`NodeId::transaction`] or
/// [`NodeId::parse`], which validate and canonicalise.
///
/// The text is shared: cloning an id (a case names each node in its node list, its position,
/// and every transfer touching it) copies a pointer, not the text. It is written and read as a
/// plain string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(Arc<str>);

impl std::borrow::Borrow<str> for NodeId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl Serialize for NodeId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|text| NodeId(Arc::from(text)))
    }
}

/// Why a string is not a node id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NodeIdError {
    /// No `prefix:` part.
    #[error("node id {0:?} has no chain prefix (expected e.g. btc:…, eth:…, btc-tx:…)")]
    MissingPrefix(String),
    /// The prefix names no chain Caseboard knows.
    #[error("unknown chain prefix {0:?}")]
    UnknownPrefix(String),
    /// The address part is invalid for its chain.
    #[error("invalid address in node id: {0}")]
    Address(#[from] super::address::AddressError),
    /// The address belongs to another chain than the prefix says.
    #[error("address {address} is not a {chain} address")]
    ChainMismatch { address: String, chain: Chain },
    /// A transaction id that is not 64 hex digits.
    #[error("transaction id {0:?} is not 64 hex digits")]
    BadTxid(String),
    /// An entity that is not `entity:<number>`.
    #[error("entity {0:?} is not entity:<number>")]
    BadEntity(String),
    /// A script end that is not `script:<64 hex digits>:<output index>`.
    #[error("script end {0:?} is not script:<txid>:<output index>")]
    BadScriptEnd(String),
}

/// What follows the chain prefix of a script end's id.
const SCRIPT_PREFIX: &str = "script:";

/// What follows the chain prefix of an entity's id.
const ENTITY_PREFIX: &str = "entity:";

impl NodeId {
    /// Id of an address node from a validated address.
    pub fn address(chain: Chain, parsed: &ParsedAddress) -> NodeId {
        NodeId(Arc::from(format!(
            "{}:{}",
            chain.id_prefix(),
            parsed.canonical()
        )))
    }

    /// Id of a pasted address on its mainnet: Ethereum for `0x` addresses, the chain of the
    /// address otherwise.
    pub fn for_address(parsed: &ParsedAddress) -> NodeId {
        let chain = match parsed {
            ParsedAddress::Bitcoin { .. } => Chain::Bitcoin,
            ParsedAddress::Ethereum { .. } => Chain::ETHEREUM,
            ParsedAddress::Tron { .. } => Chain::Tron,
            ParsedAddress::Litecoin { .. } => Chain::Litecoin,
            ParsedAddress::BitcoinCash { .. } => Chain::BitcoinCash,
            ParsedAddress::Zcash { .. } => Chain::Zcash,
        };
        NodeId::address(chain, parsed)
    }

    /// Id of a UTXO transaction node. `txid` must be 64 hex digits (checked).
    pub fn transaction(chain: Chain, txid: &str) -> Result<NodeId, NodeIdError> {
        if txid.len() != 64 || !txid.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(NodeIdError::BadTxid(txid.to_owned()));
        }
        Ok(NodeId(Arc::from(format!(
            "{}-tx:{}",
            chain.id_prefix(),
            txid.to_ascii_lowercase()
        ))))
    }

    /// Id of the end of a UTXO transaction output whose script has no address (P2PK, bare
    /// multisig, non-standard): output `vout` of `txid`, which is also the id of the input that
    /// spends it. An address-kind node (a script is what an address stands for).
    pub fn script_output(chain: Chain, txid: &str, vout: u32) -> Result<NodeId, NodeIdError> {
        let tx = NodeId::transaction(chain, txid)?;
        Ok(NodeId(Arc::from(format!(
            "{}:{SCRIPT_PREFIX}{}:{vout}",
            chain.id_prefix(),
            tx.value()
        ))))
    }

    /// Id of a backend's entity (GraphSense's cluster `id` of addresses on `chain`):
    /// `btc:entity:17642138`. An address-kind node that stands for all its addresses.
    pub fn entity(chain: Chain, id: u64) -> NodeId {
        NodeId(Arc::from(format!(
            "{}:{ENTITY_PREFIX}{id}",
            chain.id_prefix()
        )))
    }

    /// The backend's id of an entity node.
    pub fn entity_id(&self) -> Option<u64> {
        if self.is_transaction() {
            return None;
        }
        self.value().strip_prefix(ENTITY_PREFIX)?.parse().ok()
    }

    /// True for the id of an entity (see [`NodeId::entity`]).
    pub fn is_entity(&self) -> bool {
        self.entity_id().is_some()
    }

    /// The outpoint (`txid`, `vout`) of a script end id.
    pub fn script_outpoint(&self) -> Option<(&str, u32)> {
        let rest = self.value().strip_prefix(SCRIPT_PREFIX)?;
        let (txid, vout) = rest.split_once(':')?;
        Some((txid, vout.parse().ok()?))
    }

    /// True for the id of a script end without an address (see [`NodeId::script_output`]).
    pub fn is_script(&self) -> bool {
        !self.is_transaction() && self.value().starts_with(SCRIPT_PREFIX)
    }

    /// A node id taken as it is, without validation (as deserialising one does): for the case
    /// file reader, which checks every id afterwards.
    pub(crate) fn unchecked(text: &str) -> NodeId {
        NodeId(Arc::from(text))
    }

    /// Parses and canonicalises a node id typed by a user or read from a file.
    pub fn parse(text: &str) -> Result<NodeId, NodeIdError> {
        let text = text.trim();
        let Some((prefix, rest)) = text.split_once(':') else {
            return Err(NodeIdError::MissingPrefix(text.to_owned()));
        };
        if let Some(chain_prefix) = prefix.strip_suffix("-tx") {
            let chain = Chain::from_id_prefix(chain_prefix)
                .ok_or_else(|| NodeIdError::UnknownPrefix(prefix.to_owned()))?;
            return NodeId::transaction(chain, rest);
        }
        let chain = Chain::from_id_prefix(prefix)
            .ok_or_else(|| NodeIdError::UnknownPrefix(prefix.to_owned()))?;
        if let Some(outpoint) = rest.strip_prefix(SCRIPT_PREFIX) {
            let bad = || NodeIdError::BadScriptEnd(rest.to_owned());
            let (txid, vout) = outpoint.split_once(':').ok_or_else(bad)?;
            let canonical_number = !vout.is_empty()
                && vout.bytes().all(|b| b.is_ascii_digit())
                && (vout == "0" || !vout.starts_with('0'));
            let vout: u32 = vout
                .parse()
                .ok()
                .filter(|_| canonical_number)
                .ok_or_else(bad)?;
            if !chain.is_utxo() {
                return Err(bad());
            }
            return NodeId::script_output(chain, txid, vout).map_err(|_| bad());
        }
        if let Some(number) = rest.strip_prefix(ENTITY_PREFIX) {
            let canonical = !number.is_empty()
                && number.len() <= 20
                && number.bytes().all(|b| b.is_ascii_digit())
                && (number == "0" || !number.starts_with('0'));
            return number
                .parse::<u64>()
                .ok()
                .filter(|_| canonical)
                .map(|id| NodeId::entity(chain, id))
                .ok_or_else(|| NodeIdError::BadEntity(rest.to_owned()));
        }
        // Litecoin, Bitcoin Cash and Zcash share address shapes with Bitcoin (`3…`, `1…`), so
        // their ids are read by their own chain's parser.
        let parsed = match chain {
            Chain::Litecoin | Chain::BitcoinCash | Chain::Zcash => chain.parse_address(rest)?,
            Chain::Bitcoin | Chain::Evm { .. } | Chain::Tron => parse_address(rest)?,
        };
        let matches = matches!(
            (&parsed, chain),
            (ParsedAddress::Bitcoin { .. }, Chain::Bitcoin)
                | (ParsedAddress::Ethereum { .. }, Chain::Evm { .. })
                | (ParsedAddress::Tron { .. }, Chain::Tron)
                | (ParsedAddress::Litecoin { .. }, Chain::Litecoin)
                | (ParsedAddress::BitcoinCash { .. }, Chain::BitcoinCash)
                | (ParsedAddress::Zcash { .. }, Chain::Zcash)
        );
        if !matches {
            return Err(NodeIdError::ChainMismatch {
                address: rest.to_owned(),
                chain,
            });
        }
        Ok(NodeId::address(chain, &parsed))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The part after the prefix: the address or the txid.
    pub fn value(&self) -> &str {
        self.0.split_once(':').map_or(&*self.0, |(_, v)| v)
    }

    /// The chain named by the prefix.
    pub fn chain(&self) -> Option<Chain> {
        let prefix = self.0.split_once(':').map(|(p, _)| p)?;
        Chain::from_id_prefix(prefix.strip_suffix("-tx").unwrap_or(prefix))
    }

    /// The address or txid as people read it: an EVM address in its EIP-55 checksummed form
    /// (`0x5aAe…`; the id itself stays lower-case), anything else as stored. For labels, the
    /// inspector and exports; compare and store ids, never this.
    pub fn display_value(&self) -> std::borrow::Cow<'_, str> {
        let value = self.value();
        if matches!(self.chain(), Some(Chain::Evm { .. }))
            && !self.is_transaction()
            && let Some(checksummed) = super::address::to_eip55(value)
        {
            return std::borrow::Cow::Owned(checksummed);
        }
        std::borrow::Cow::Borrowed(value)
    }

    /// The whole id as people read it: the chain prefix and [`NodeId::display_value`].
    pub fn display_id(&self) -> String {
        match self.0.split_once(':') {
            Some((prefix, _)) => format!("{prefix}:{}", self.display_value()),
            None => self.0.to_string(),
        }
    }

    /// True for a transaction node id.
    pub fn is_transaction(&self) -> bool {
        self.0
            .split_once(':')
            .is_some_and(|(p, _)| p.ends_with("-tx"))
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a node stands for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum NodeKind {
    /// An address (account or UTXO script).
    Address,
    /// A UTXO transaction between its inputs and outputs.
    Transaction,
}

/// Where a fact came from, so a finding can be defended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// Data source name (`demo`, `esplora:blockstream`, …).
    pub source: String,
    /// The request that produced it, without secrets.
    pub request: String,
    /// Unix seconds when it was fetched.
    pub fetched_at: i64,
    /// Chain tip height at fetch time, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub block_height: Option<u64>,
}

/// A node of the case graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    /// Stable id.
    pub id: NodeId,
    /// Address or transaction.
    pub kind: NodeKind,
    /// Balance in native base units, when known.
    #[serde(
        default,
        with = "opt_base_units",
        skip_serializing_if = "Option::is_none"
    )]
    pub balance: Option<u128>,
    /// Number of transactions, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_count: Option<u64>,
    /// Where this node's data came from (boxed: a node without one stays 64 bytes smaller).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Box<Provenance>>,
    /// What the last expansion of this node could not read, one sentence each: a read cap
    /// reached, a sub-request that failed, a blind spot of the source (e.g. native transfers on
    /// a node without traces). Empty when everything was read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gaps: Vec<String>,
}

/// What the summary of a UTXO transaction node says when the node was reached through one of
/// its legs and its other legs were not fetched.
pub const PARTIAL_TX_NOTE: &str = "other legs not fetched";

impl Node {
    /// True for a transaction node reached through one leg whose other legs were not fetched
    /// (its summary says [`PARTIAL_TX_NOTE`]): a later fetch of the whole transaction refreshes it.
    pub fn is_partial(&self) -> bool {
        self.provenance
            .as_ref()
            .is_some_and(|p| p.request.contains(PARTIAL_TX_NOTE))
    }

    /// A bare address node.
    pub fn address(id: NodeId) -> Node {
        Node {
            id,
            kind: NodeKind::Address,
            balance: None,
            tx_count: None,
            provenance: None,
            gaps: Vec::new(),
        }
    }

    /// A bare transaction node.
    pub fn transaction(id: NodeId) -> Node {
        Node {
            kind: NodeKind::Transaction,
            ..Node::address(id)
        }
    }

    /// The chain of this node (falls back to Bitcoin only for malformed ids, which validation
    /// refuses before a node reaches a case).
    pub fn chain(&self) -> Chain {
        self.id.chain().unwrap_or(Chain::Bitcoin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_ids_round_trip_and_odd_ones_are_refused() {
        let id = NodeId::entity(Chain::Bitcoin, 17_642_138);
        assert_eq!(id.as_str(), "btc:entity:17642138");
        assert_eq!(NodeId::parse("btc:entity:17642138"), Ok(id.clone()));
        assert_eq!(id.entity_id(), Some(17_642_138));
        assert!(id.is_entity() && !id.is_transaction() && !id.is_script());
        assert_eq!(id.chain(), Some(Chain::Bitcoin));
        assert!(NodeId::parse("trx:entity:5").is_ok_and(|n| n.is_entity()));
        for bad in [
            "btc:entity:",
            "btc:entity:01",
            "btc:entity:-1",
            "btc:entity:1a",
            "btc:entity:99999999999999999999999",
        ] {
            assert!(NodeId::parse(bad).is_err(), "{bad}");
        }
        assert!(
            !NodeId::parse("btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT")
                .expect("id")
                .is_entity()
        );
    }

    #[test]
    fn parses_and_canonicalises_ids() {
        let id = NodeId::parse("eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed").expect("valid");
        assert_eq!(
            id.as_str(),
            "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
        );
        assert_eq!(id.chain(), Some(Chain::ETHEREUM));
        assert!(!id.is_transaction());

        let id = NodeId::parse("btc:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ").expect("valid");
        assert_eq!(
            id.as_str(),
            "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"
        );
        assert_eq!(id.value(), "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");

        let txid = "4A5E1E4BAAB89F3A32518A88C31BC87F618F76673E2CC77AB2127B7AFDEDA33B";
        let id = NodeId::parse(&format!("btc-tx:{txid}")).expect("valid");
        assert!(id.is_transaction());
        assert_eq!(id.value(), txid.to_ascii_lowercase());

        let id = NodeId::parse("evm56:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("valid");
        assert_eq!(id.chain(), Some(Chain::Evm { chain_id: 56 }));
    }

    /// The EIP-55 vectors of the shared address set: the id is lower-case, the shown form is
    /// the checksummed one.
    #[test]
    fn evm_addresses_are_shown_checksummed() {
        let vectors = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/address-vectors/address_vectors.tsv"
        ));
        let mut checked = 0;
        let listed: Vec<String> = vectors
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                (cols.next() == Some("eip55-valid"))
                    .then(|| cols.nth(3).map(str::to_owned))
                    .flatten()
            })
            .collect();
        let builtin = ["0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".to_owned()];
        for address in listed.iter().chain(&builtin) {
            let id = NodeId::parse(&format!("eth:{address}")).expect("valid");
            assert_eq!(
                id.value(),
                address.to_ascii_lowercase(),
                "ids stay lower-case"
            );
            assert_eq!(id.display_value(), address.as_str());
            assert_eq!(id.display_id(), format!("eth:{address}"));
            let on_bsc =
                NodeId::parse(&format!("evm56:{}", address.to_ascii_lowercase())).expect("valid");
            assert_eq!(on_bsc.display_value(), address.as_str());
            checked += 1;
        }
        assert!(checked >= 1);
        let btc = NodeId::parse("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("valid");
        assert_eq!(btc.display_value(), btc.value());
    }

    #[test]
    fn script_ends_round_trip() {
        let txid = "F4184FC596403B9D638783CF57ADFE4C75C605F6356FBC91338530E9831E9E16";
        let id = NodeId::script_output(Chain::Bitcoin, txid, 1).expect("valid");
        assert_eq!(
            id.as_str(),
            format!("btc:script:{}:1", txid.to_ascii_lowercase())
        );
        assert_eq!(NodeId::parse(id.as_str()), Ok(id.clone()));
        assert_eq!(
            NodeId::parse(&format!("btc:script:{txid}:1")),
            Ok(id.clone()),
            "canonicalised"
        );
        assert!(id.is_script() && !id.is_transaction());
        assert_eq!(id.chain(), Some(Chain::Bitcoin));
        assert_eq!(
            id.script_outpoint(),
            Some((txid.to_ascii_lowercase().as_str(), 1))
        );
        let good = txid.to_ascii_lowercase();
        for bad in [
            format!("btc:script:{good}"),
            format!("btc:script:{good}:"),
            format!("btc:script:{good}:01"),
            format!("btc:script:{good}:+1"),
            format!("btc:script:{good}:4294967296"),
            "btc:script:abcd:0".to_owned(),
            format!("eth:script:{good}:0"),
        ] {
            assert!(NodeId::parse(&bad).is_err(), "{bad} accepted");
        }
        let address = NodeId::parse("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").expect("valid");
        assert!(!address.is_script() && address.script_outpoint().is_none());
    }

    #[test]
    fn rejects_bad_ids() {
        assert!(matches!(
            NodeId::parse("bc1qxyz"),
            Err(NodeIdError::MissingPrefix(_))
        ));
        assert!(matches!(
            NodeId::parse("doge:abc"),
            Err(NodeIdError::UnknownPrefix(_))
        ));
        assert!(matches!(
            NodeId::parse("btc:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"),
            Err(NodeIdError::ChainMismatch { .. })
        ));
        assert!(matches!(
            NodeId::parse("btc-tx:abcd"),
            Err(NodeIdError::BadTxid(_))
        ));
        assert!(matches!(
            NodeId::parse("eth:0x123"),
            Err(NodeIdError::Address(_))
        ));
    }
}
