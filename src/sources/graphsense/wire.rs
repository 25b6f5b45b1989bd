//! The GraphSense REST answers Caseboard reads, as the OpenAPI specification 1.15.x defines
//! them (`components/schemas`): only the fields used, every other field ignored (servers add
//! fields between versions). Values are kept as the wire has them — signed, as the spec's
//! `int64` allows — and checked when converted (`convert.rs`), so an answer of the right shape
//! with meaningless numbers is refused with a message that says which.

use serde::Deserialize;
use std::collections::BTreeMap;

/// `values`: an amount in the currency's base units (fiat values ignored: Caseboard derives
/// USD from its own prices).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Values {
    pub value: i128,
}

/// `token_values`: per token ticker (lower-case, `usdt`), its amount.
pub(super) type TokenValues = BTreeMap<String, Values>;

/// `address`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Address {
    pub address: String,
    pub balance: Values,
    pub no_incoming_txs: i64,
    pub no_outgoing_txs: i64,
}

/// `neighbor_address`: one pre-aggregated relation of the address graph.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct NeighborAddress {
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    pub value: Values,
    #[serde(default)]
    pub token_values: Option<TokenValues>,
    pub no_txs: i64,
    pub address: Address,
}

/// `neighbor_addresses`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct NeighborAddresses {
    #[serde(default)]
    pub next_page: Option<String>,
    pub neighbors: Vec<NeighborAddress>,
}

/// `neighbor_entity`: one pre-aggregated relation of the entity graph.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct NeighborEntity {
    #[serde(default)]
    pub labels: Option<Vec<String>>,
    pub value: Values,
    #[serde(default)]
    pub token_values: Option<TokenValues>,
    pub no_txs: i64,
    pub entity: Entity,
}

/// `neighbor_entities`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct NeighborEntities {
    #[serde(default)]
    pub next_page: Option<String>,
    pub neighbors: Vec<NeighborEntity>,
}

/// `address_tag` (a `tag` with its address).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct AddressTag {
    pub label: String,
    #[serde(default)]
    pub category: Option<String>,
    #[serde(default)]
    pub concepts: Option<Vec<String>>,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub abuse: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    /// Confidence name (`web_crawl`, `ownership`).
    #[serde(default)]
    pub confidence: Option<String>,
    #[serde(default)]
    pub lastmod: Option<i64>,
    /// Free text in the spec; its own example has `true`, so anything is read and only text
    /// is used.
    #[serde(default)]
    pub tagpack_title: Option<serde_json::Value>,
    #[serde(default)]
    pub tagpack_creator: Option<serde_json::Value>,
    #[serde(default)]
    pub address: Option<String>,
}

/// `address_tags`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct AddressTags {
    pub address_tags: Vec<AddressTag>,
}

/// `entity`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Entity {
    pub entity: i64,
    pub root_address: String,
    pub balance: Values,
    pub no_addresses: i64,
    pub no_incoming_txs: i64,
    pub no_outgoing_txs: i64,
    pub total_received: Values,
    #[serde(default)]
    pub best_address_tag: Option<AddressTag>,
    pub no_address_tags: i64,
}

/// `entity_addresses`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct EntityAddresses {
    pub addresses: Vec<Address>,
    #[serde(default)]
    pub next_page: Option<String>,
}

/// `link`: one transaction between two addresses, `link_utxo` or `tx_account` by `tx_type`.
/// Read as one struct, not a tagged enum: serde buffers a tagged enum's fields, and its buffer
/// cannot hold 128-bit amounts.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Link {
    /// `utxo` (the spec's default) or `account`.
    #[serde(default)]
    pub tx_type: Option<String>,
    pub tx_hash: String,
    #[serde(default)]
    pub identifier: Option<String>,
    #[serde(default)]
    pub height: Option<i64>,
    #[serde(default)]
    pub timestamp: Option<i64>,
    /// Account links: the amount.
    #[serde(default)]
    pub value: Option<Values>,
    #[serde(default)]
    pub from_address: Option<String>,
    #[serde(default)]
    pub to_address: Option<String>,
    /// Account links: the chain's own currency or a token ticker.
    #[serde(default)]
    pub currency: Option<String>,
    /// UTXO links: what the neighbour received in the transaction (of the entity's or the
    /// address's outputs).
    #[serde(default)]
    pub output_value: Option<Values>,
}

impl Link {
    /// True for an account link (`tx_type: account`).
    pub fn is_account(&self) -> bool {
        self.tx_type.as_deref() == Some("account")
    }
}

/// `links`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Links {
    pub links: Vec<Link>,
    #[serde(default)]
    pub next_page: Option<String>,
}

/// `tx_value`: one input or output of a UTXO transaction.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct TxValue {
    pub address: Vec<String>,
    pub value: Values,
    #[serde(default)]
    pub index: Option<i64>,
}

/// `tx_utxo` (with `include_io`).
#[derive(Debug, Clone, Deserialize)]
pub(super) struct TxUtxo {
    pub height: i64,
    pub timestamp: i64,
    #[serde(default)]
    pub inputs: Option<Vec<TxValue>>,
    #[serde(default)]
    pub outputs: Option<Vec<TxValue>>,
}

/// `token_config`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct TokenConfig {
    pub ticker: String,
    pub decimals: i64,
    #[serde(default)]
    pub contract_address: Option<String>,
}

/// `token_configs`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct TokenConfigs {
    pub token_configs: Vec<TokenConfig>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The GraphSense server's own test expectations (graphsense-lib, MIT; see
    /// `tests/fixtures/graphsense/SOURCE.md`) parse into these types.
    #[test]
    fn the_servers_own_expected_bodies_parse() {
        let neighbors: NeighborAddresses = serde_json::from_str(include_str!(
            "../../../tests/fixtures/graphsense/recorded/btc_addresses_addressA__neighbors_out_include_labels.json"
        ))
        .expect("neighbors");
        assert_eq!(neighbors.neighbors.len(), 2);
        assert_eq!(neighbors.neighbors[0].value.value, 27_789_282);
        assert_eq!(neighbors.neighbors[0].no_txs, 10);
        assert_eq!(neighbors.neighbors[0].address.address, "addressE");
        let entity: Entity = serde_json::from_str(include_str!(
            "../../../tests/fixtures/graphsense/recorded/btc_entities_17642138.json"
        ))
        .expect("entity");
        assert_eq!(entity.entity, 17_642_138);
        assert!(entity.best_address_tag.is_some());
        let tags: AddressTags = serde_json::from_str(include_str!(
            "../../../tests/fixtures/graphsense/recorded/btc_addresses_addressA__tags.json"
        ))
        .expect("tags");
        assert!(!tags.address_tags.is_empty());
        let address: Address = serde_json::from_str(include_str!(
            "../../../tests/fixtures/graphsense/recorded/btc_addresses_addressA__include_tags_true.json"
        ))
        .expect("address");
        assert_eq!(address.address, "addressA");
    }

    #[test]
    fn a_fractional_or_textual_amount_is_not_a_value() {
        assert!(serde_json::from_str::<Values>(r#"{"value": 0.2, "fiat_values": []}"#).is_err());
        assert!(serde_json::from_str::<Values>(r#"{"value": "12"}"#).is_err());
        let big: Values =
            serde_json::from_str(r#"{"value": 123456789012345678901234567890}"#).expect("big");
        assert_eq!(big.value, 123_456_789_012_345_678_901_234_567_890);
    }
}
