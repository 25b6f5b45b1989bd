//! From GraphSense's answers (`wire.rs`) to Caseboard's facts: which chain a currency is, an
//! address the answer names as a node of that chain, a neighbour relation as the counterparty
//! of a hop (one relation transfer per asset, counting its transactions), a tag with origin
//! `graphsense`, an entity as [`ClusterFacts`]. Every number is checked here: the schema lets
//! amounts, counts and ids be negative, and an answer that says such things is refused with
//! the field named, never half-read.

use super::wire;
use crate::attribution::taxonomy::category_from_graphsense;
use crate::model::node::Provenance;
use crate::model::tron_address::parse_tron_address;
use crate::model::{
    Asset, Chain, Confidence, Counterparty, Node, NodeId, Tag, Transfer, TransferId,
};
use crate::sources::{ClusterFacts, Direction};
use std::collections::BTreeMap;

/// The pack name of tags that come from a GraphSense server.
pub const TAG_ORIGIN: &str = "graphsense";

/// Longest tag label, source or note text kept from an answer.
const MAX_TAG_TEXT_CHARS: usize = 300;

/// GraphSense's currency code for `chain`, where GraphSense serves it.
pub fn currency_of(chain: Chain) -> Option<&'static str> {
    match chain {
        Chain::Bitcoin => Some("btc"),
        Chain::ETHEREUM => Some("eth"),
        Chain::Tron => Some("trx"),
        Chain::Litecoin => Some("ltc"),
        Chain::BitcoinCash => Some("bch"),
        Chain::Zcash => Some("zec"),
        Chain::Evm { .. } => None,
    }
}

/// The node an answer's `address` names on `chain`, or why it is not one.
pub(super) fn address_node(chain: Chain, text: &str) -> Result<NodeId, String> {
    let id = NodeId::parse(&format!("{}:{}", chain.id_prefix(), text.trim())).map_err(|e| {
        format!(
            "{:?} is not a {chain} address ({e})",
            crate::util::clip(text, 80)
        )
    })?;
    if id.chain() != Some(chain) || id.is_transaction() {
        return Err(format!("{text:?} is not a {chain} address"));
    }
    Ok(id)
}

/// A wire amount as base units: whole and not negative.
pub(super) fn amount(value: &wire::Values, field: &str) -> Result<u128, String> {
    u128::try_from(value.value).map_err(|_| format!("{field}: negative amount {}", value.value))
}

/// A wire count (transactions, addresses) as a number: not negative.
pub(super) fn count(value: i64, field: &str) -> Result<u64, String> {
    u64::try_from(value).map_err(|_| format!("{field}: negative count {value}"))
}

/// A token GraphSense names by ticker, as Caseboard keys assets: by chain and contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TokenAsset {
    pub asset: Asset,
}

/// The server's `supported_tokens` as assets by lower-case ticker; tokens without a contract
/// (or with one that is not an address of `chain`) are left out, named in the second list.
pub(super) fn token_assets(
    chain: Chain,
    configs: &[wire::TokenConfig],
) -> (BTreeMap<String, TokenAsset>, Vec<String>) {
    let mut assets = BTreeMap::new();
    let mut unusable = Vec::new();
    for config in configs.iter().take(1_000) {
        let ticker = config.ticker.trim().to_ascii_lowercase();
        let decimals = u8::try_from(config.decimals).ok().filter(|d| *d <= 36);
        let contract = config
            .contract_address
            .as_deref()
            .and_then(|c| contract_of(chain, c));
        match (decimals, contract) {
            (Some(decimals), Some(contract)) if !ticker.is_empty() => {
                let symbol = crate::sources::groups::clean_symbol(Some(&config.ticker), &contract);
                assets.insert(
                    ticker,
                    TokenAsset {
                        asset: Asset::token(chain, &symbol, decimals, &contract),
                    },
                );
            }
            _ => unusable.push(crate::util::clip(&config.ticker, 24).into_owned()),
        }
    }
    (assets, unusable)
}

/// A token contract as `chain` writes it (EVM: `0x` + 40 hex; TRON: `T…`, also read from the
/// hex forms `41…` and `0x…`).
fn contract_of(chain: Chain, text: &str) -> Option<String> {
    let text = text.trim();
    match chain {
        Chain::Tron => {
            let hex = text.strip_prefix("0x").map(|h| format!("41{h}"));
            parse_tron_address(hex.as_deref().unwrap_or(text))
                .ok()
                .map(|p| p.canonical().to_owned())
        }
        Chain::Evm { .. } => crate::model::address::parse_ethereum_address(text)
            .ok()
            .map(|p| p.canonical().to_owned()),
        Chain::Bitcoin | Chain::Litecoin | Chain::BitcoinCash | Chain::Zcash => None,
    }
}

/// The address node an answer describes: balance in base units, transactions in and out.
pub(super) fn node_of(
    chain: Chain,
    address: &wire::Address,
    provenance: &Provenance,
) -> Result<Node, String> {
    let id = address_node(chain, &address.address)?;
    let mut node = Node::address(id);
    node.balance = Some(amount(&address.balance, "balance")?);
    node.tx_count = Some(
        count(address.no_incoming_txs, "no_incoming_txs")?
            .saturating_add(count(address.no_outgoing_txs, "no_outgoing_txs")?),
    );
    node.provenance = Some(Box::new(provenance.clone()));
    Ok(node)
}

/// One row of a neighbour list: of an address (address graph) or of an entity (entity graph).
#[derive(Debug, Clone)]
pub(super) enum Neighbor {
    Address(wire::NeighborAddress),
    Entity(Box<wire::NeighborEntity>),
}

impl Neighbor {
    /// True when the list labelled the neighbour (it has tags to read).
    pub fn labelled(&self) -> bool {
        let labels = match self {
            Neighbor::Address(n) => &n.labels,
            Neighbor::Entity(n) => &n.labels,
        };
        labels.as_ref().is_some_and(|l| !l.is_empty())
    }

    /// True when the row has token values.
    pub fn has_tokens(&self) -> bool {
        let tokens = match self {
            Neighbor::Address(n) => &n.token_values,
            Neighbor::Entity(n) => &n.token_values,
        };
        tokens.as_ref().is_some_and(|t| !t.is_empty())
    }
}

/// The node an entity answer describes: `btc:entity:<id>`, its balance and transactions.
pub(super) fn entity_node_of(
    chain: Chain,
    entity: &wire::Entity,
    provenance: &Provenance,
) -> Result<Node, String> {
    let mut node = Node::address(NodeId::entity(chain, count(entity.entity, "entity")?));
    node.balance = Some(amount(&entity.balance, "balance")?);
    node.tx_count = Some(
        count(entity.no_incoming_txs, "no_incoming_txs")?
            .saturating_add(count(entity.no_outgoing_txs, "no_outgoing_txs")?),
    );
    node.provenance = Some(Box::new(provenance.clone()));
    Ok(node)
}

/// What reading one neighbour list left out, for the page's gaps.
#[derive(Debug, Default)]
pub(super) struct LeftOut {
    /// Token values whose ticker the server's `supported_tokens` gives no usable contract for.
    pub unknown_tokens: BTreeMap<String, u64>,
}

/// One neighbour relation as a counterparty of `node`: the neighbour's node and one relation
/// transfer per asset (native value and each token value above zero), each counting the
/// relation's transactions. The transfer ids name the two ends and the asset, so the relation
/// read from either end is one fact.
pub(super) fn relation(
    chain: Chain,
    node: &NodeId,
    direction: Direction,
    neighbor: &Neighbor,
    tokens: &BTreeMap<String, TokenAsset>,
    provenance: &Provenance,
    left_out: &mut LeftOut,
) -> Result<Counterparty, String> {
    let (other, value, token_values, no_txs, tags) = match neighbor {
        Neighbor::Address(n) => (
            node_of(chain, &n.address, provenance)?,
            &n.value,
            n.token_values.as_ref(),
            n.no_txs,
            Vec::new(),
        ),
        // An entity row brings its best tag with it: no request more.
        Neighbor::Entity(n) => (
            entity_node_of(chain, &n.entity, provenance).map_err(|e| format!("entity.{e}"))?,
            &n.value,
            n.token_values.as_ref(),
            n.no_txs,
            n.entity
                .best_address_tag
                .iter()
                .filter_map(tag_of)
                .collect(),
        ),
    };
    let txs = count(no_txs, "no_txs")?;
    let (from, to) = match direction {
        Direction::In => (other.id.clone(), node.clone()),
        Direction::Out | Direction::Both => (node.clone(), other.id.clone()),
    };
    let transfer = |asset: Asset, amount: u128, leg: String| Transfer {
        id: TransferId::from(format!(
            "{}:relation:{}>{}:{leg}",
            chain.id_prefix(),
            from.value(),
            to.value()
        )),
        from: from.clone(),
        to: to.clone(),
        asset,
        amount,
        tx_hash: String::new(),
        block_height: None,
        time: None,
        provenance: Some(Box::new(provenance.clone())),
        relation_txs: Some(txs),
        memo: None,
    };
    let native = amount(value, "value")?;
    let mut transfers = Vec::new();
    for (ticker, value) in token_values.into_iter().flatten().take(1_000) {
        let units = amount(value, &format!("token_values.{ticker}"))?;
        if units == 0 {
            continue;
        }
        match tokens.get(&ticker.to_ascii_lowercase()) {
            Some(token) => {
                let contract = token.asset.contract.clone().unwrap_or_default();
                transfers.push(transfer(
                    token.asset.clone(),
                    units,
                    format!("token-{contract}"),
                ));
            }
            None => {
                *left_out
                    .unknown_tokens
                    .entry(crate::util::clip(ticker, 24).into_owned())
                    .or_default() += 1;
            }
        }
    }
    if native > 0 || transfers.is_empty() {
        transfers.insert(
            0,
            transfer(Asset::native(chain), native, "native".to_owned()),
        );
    }
    let value = transfers
        .iter()
        .fold(0u128, |sum, t| sum.saturating_add(t.ranking_value()));
    Ok(Counterparty {
        key: other.id.clone(),
        value,
        nodes: vec![other],
        transfers,
        tags,
    })
}

/// A GraphSense tag as a Caseboard tag: its category from GraphSense's category, abuse,
/// actor and concepts (the same table as TagPacks), its confidence by name (`unknown` when the
/// server names none Caseboard knows), origin [`TAG_ORIGIN`].
pub(super) fn tag_of(tag: &wire::AddressTag) -> Option<Tag> {
    let label = clean(&tag.label);
    if label.is_empty() {
        return None;
    }
    let concepts: Vec<String> = tag
        .concepts
        .iter()
        .flatten()
        .take(32)
        .map(|c| clean(c))
        .filter(|c| !c.is_empty())
        .collect();
    let actor = tag.actor.as_deref().map(clean).filter(|a| !a.is_empty());
    let abuse = tag.abuse.as_deref().map(clean).filter(|a| !a.is_empty());
    let category = category_from_graphsense(
        tag.category.as_deref(),
        abuse.as_deref(),
        actor.as_deref(),
        &concepts,
    );
    let confidence = tag
        .confidence
        .as_deref()
        .and_then(Confidence::from_name)
        .unwrap_or(Confidence::Unknown);
    let text = |value: &Option<serde_json::Value>| match value {
        Some(serde_json::Value::String(s)) => clean(s),
        _ => String::new(),
    };
    let source = tag.source.as_deref().map(clean).unwrap_or_default();
    let title = text(&tag.tagpack_title);
    let mut out = Tag::new(
        &label,
        category,
        confidence,
        if source.is_empty() { &title } else { &source },
    );
    out.author = text(&tag.tagpack_creator);
    out.created = tag.lastmod.unwrap_or_default().max(0);
    out.note = if title.is_empty() {
        String::new()
    } else {
        format!("GraphSense TagPack: {title}")
    };
    out.pack = Some(TAG_ORIGIN.to_owned());
    out.actor = actor;
    out.abuse = abuse;
    out.concepts = concepts;
    Some(out)
}

/// An entity answer as cluster facts.
pub(super) fn cluster_of(chain: Chain, entity: &wire::Entity) -> Result<ClusterFacts, String> {
    Ok(ClusterFacts {
        chain,
        id: count(entity.entity, "entity")?,
        root_address: address_node(chain, &entity.root_address)
            .map_err(|e| format!("root_address: {e}"))?,
        addresses: count(entity.no_addresses, "no_addresses")?,
        balance: amount(&entity.balance, "balance")?,
        total_received: amount(&entity.total_received, "total_received")?,
        transactions: count(entity.no_incoming_txs, "no_incoming_txs")?
            .saturating_add(count(entity.no_outgoing_txs, "no_outgoing_txs")?),
        tag_count: count(entity.no_address_tags, "no_address_tags")?,
        best_tag: entity.best_address_tag.as_ref().and_then(tag_of),
    })
}

/// Text from an answer fit to keep: control characters out, trimmed, bounded.
fn clean(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_TAG_TEXT_CHARS)
        .collect();
    kept.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            source: "graphsense:test".into(),
            request: "GET /btc/addresses/x/neighbors".into(),
            fetched_at: 1,
            block_height: None,
        }
    }

    #[test]
    fn the_servers_own_tags_map_to_ours() {
        let tags: wire::AddressTags = serde_json::from_str(include_str!(
            "../../../tests/fixtures/graphsense/recorded/btc_addresses_addressA__tags.json"
        ))
        .expect("tags");
        let first = tag_of(&tags.address_tags[0]).expect("tag");
        assert_eq!(first.label, "Internet, Archive");
        assert_eq!(first.confidence, Confidence::Ownership);
        assert_eq!(first.source, "https://archive.org/donate/cryptocurrency");
        assert_eq!(first.author, "GraphSense Core Team");
        assert_eq!(first.pack.as_deref(), Some(TAG_ORIGIN));
        assert_eq!(first.created, 1_562_112_000);
        let exchange = tag_of(&tags.address_tags[1]).expect("tag");
        assert_eq!(exchange.category, crate::model::Category::Exchange);
        assert_eq!(
            tag_of(&tags.address_tags[2]).expect("tag").confidence,
            Confidence::Forensic
        );
    }

    #[test]
    fn a_relation_is_one_transfer_per_asset_counting_its_transactions() {
        let chain = Chain::ETHEREUM;
        let node = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
        let neighbor: wire::NeighborAddress = serde_json::from_value(serde_json::json!({
            "value": {"value": 2_000_000_000_000_000_000u128, "fiat_values": []},
            "token_values": {
                "usdt": {"value": 5_000_000, "fiat_values": []},
                "weth": {"value": 0, "fiat_values": []},
                "shib": {"value": 7, "fiat_values": []}
            },
            "no_txs": 3,
            "address": {
                "address": "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359", "entity": 5,
                "balance": {"value": 1}, "no_incoming_txs": 2, "no_outgoing_txs": 1
            }
        }))
        .expect("wire");
        let configs: Vec<wire::TokenConfig> = serde_json::from_value(serde_json::json!([
            {"ticker": "USDT", "decimals": 6,
             "contract_address": "0xdAC17F958D2ee523a2206206994597C13D831ec7"},
            {"ticker": "WETH", "decimals": 18,
             "contract_address": "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2"},
            {"ticker": "SHIB", "decimals": 18}
        ]))
        .expect("configs");
        let (tokens, unusable) = token_assets(chain, &configs);
        assert_eq!(unusable, vec!["SHIB".to_owned()]);
        let mut left_out = LeftOut::default();
        let cp = relation(
            chain,
            &node,
            Direction::In,
            &Neighbor::Address(neighbor),
            &tokens,
            &provenance(),
            &mut left_out,
        )
        .expect("relation");
        assert_eq!(cp.transfers.len(), 2, "native and USDT; WETH was zero");
        let usdt = &cp.transfers[1];
        assert_eq!(usdt.amount, 5_000_000);
        assert_eq!(
            usdt.asset.contract.as_deref(),
            Some("0xdac17f958d2ee523a2206206994597c13d831ec7")
        );
        assert_eq!(usdt.relation_txs, Some(3));
        assert_eq!(usdt.to, node, "incoming: the neighbour sent");
        assert_eq!(
            cp.transfers[0].id.as_str(),
            "eth:relation:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359>0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed:native"
        );
        assert_eq!(left_out.unknown_tokens.get("shib"), Some(&1));
        assert_eq!(cp.nodes[0].tx_count, Some(3));
    }

    #[test]
    fn meaningless_numbers_and_foreign_addresses_are_refused_by_name() {
        let neighbor: wire::NeighborAddress = serde_json::from_value(serde_json::json!({
            "value": {"value": -5}, "no_txs": 1,
            "address": {"address": "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "entity": 1,
                "balance": {"value": 0}, "no_incoming_txs": 0, "no_outgoing_txs": 0}
        }))
        .expect("wire");
        let node = NodeId::parse("btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT").expect("id");
        let err = relation(
            Chain::Bitcoin,
            &node,
            Direction::Out,
            &Neighbor::Address(neighbor),
            &BTreeMap::new(),
            &provenance(),
            &mut LeftOut::default(),
        )
        .expect_err("negative");
        assert!(err.contains("value: negative amount -5"), "{err}");
        let err = address_node(Chain::Bitcoin, "qui pariatur cillum").expect_err("lorem");
        assert!(err.contains("is not a Bitcoin address"), "{err}");
        assert!(
            address_node(Chain::Bitcoin, "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").is_err()
        );
    }

    #[test]
    fn tron_token_contracts_are_read_from_hex_too() {
        assert_eq!(
            contract_of(Chain::Tron, "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c").as_deref(),
            Some("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
        );
        assert_eq!(contract_of(Chain::Bitcoin, "x"), None);
    }
}
