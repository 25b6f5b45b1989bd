//! The transactions behind a relation between two entities:
//! `GET /{currency}/entities/{from}/links?neighbor={to}` (paged like an address relation's).
//!
//! The case keeps the entity graph an entity graph: each transaction comes in as one transfer
//! from the entity node to the entity node, with its hash, height and time, so the relation is
//! replaced by what made it and the timeline, prices and taint read each transaction.
//! * UTXO chains: a link names a transaction and `output_value`, what the neighbour entity's
//!   addresses received in it; that is the transfer's amount (leg `e<from>><to>`). A link
//!   without it is refused; one that moved nothing (0) is left out and counted.
//! * Account chains: a link is one transfer between an address of each entity (the addresses
//!   are checked as the chain's, and said in the provenance); native or a token keyed by the
//!   contract `supported_tokens` gives (leg `e<from>><to>-<leg of the address link>`).

use super::links::{link_asset, link_hash, link_leg, unknown_token_gaps};
use super::{GraphSenseSource, convert, wire};
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
use crate::sources::{JobControl, SourceError, TransactionFacts};
use std::collections::BTreeMap;

impl GraphSenseSource {
    /// The transactions of the entity `from.1` to the entity `to.1` (see the module doc).
    pub(super) fn entity_links(
        &self,
        chain: Chain,
        currency: &'static str,
        from: (&NodeId, u64),
        to: (&NodeId, u64),
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        let base = format!("/{currency}/entities/{}/links?neighbor={}", from.1, to.1);
        let (links, more) = self.read_links(&base, control)?;
        let tokens = (!chain.is_utxo()).then(|| self.tokens(currency, chain, control));
        let no_tokens = BTreeMap::new();
        let tokens = tokens.as_ref().map_or(&no_tokens, |table| &table.0);
        let mut facts =
            entity_transfers(chain, currency, from, to, &links, tokens).map_err(|e| self.bad(e))?;
        if more {
            facts.gaps.push(self.more_gap(from.0, to.0));
        }
        Ok(facts)
    }
}

/// The links of the entity `from` to the entity `to` as transfers between the two entity
/// nodes, or why the answer is not one.
fn entity_transfers(
    chain: Chain,
    currency: &str,
    (from, from_id): (&NodeId, u64),
    (to, to_id): (&NodeId, u64),
    links: &[(wire::Link, Provenance)],
    tokens: &BTreeMap<String, super::convert::TokenAsset>,
) -> Result<TransactionFacts, String> {
    let mut facts = TransactionFacts::default();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    let mut nothing_moved = 0usize;
    let pair = format!("e{from_id}>{to_id}");
    for (i, (link, provenance)) in links.iter().enumerate() {
        let field = format!("links[{i}]");
        let missing = |name: &str| format!("{field}.{name} is missing");
        if link.is_account() == chain.is_utxo() {
            return Err(format!("{field}: {} link on {chain}", tx_type(link)));
        }
        let hash = link_hash(&link.tx_hash)
            .ok_or_else(|| format!("{field}.tx_hash is not a transaction hash"))?;
        let (asset, amount, leg, request) = if chain.is_utxo() {
            let value = link
                .output_value
                .as_ref()
                .ok_or_else(|| missing("output_value"))?;
            let amount = convert::amount(value, &format!("{field}.output_value"))?;
            (
                Asset::native(chain),
                amount,
                pair.clone(),
                provenance.request.clone(),
            )
        } else {
            let link_currency = link
                .currency
                .as_deref()
                .ok_or_else(|| missing("currency"))?;
            let value = link.value.as_ref().ok_or_else(|| missing("value"))?;
            let mut ends = Vec::with_capacity(2);
            for (name, address) in [
                ("from_address", &link.from_address),
                ("to_address", &link.to_address),
            ] {
                let address = address.as_deref().ok_or_else(|| missing(name))?;
                let node = convert::address_node(chain, address)
                    .map_err(|e| format!("{field}.{name}: {e}"))?;
                ends.push(node.display_value().into_owned());
            }
            let Some(asset) = link_asset(chain, currency, link_currency, tokens) else {
                *unknown
                    .entry(crate::util::clip(link_currency, 24).into_owned())
                    .or_default() += 1;
                continue;
            };
            let leg = link_leg(link.identifier.as_deref(), &asset, &hash, link_currency);
            let amount = convert::amount(value, &format!("{field}.value"))?;
            let request = format!("{} ({} → {})", provenance.request, ends[0], ends[1]);
            (asset, amount, format!("{pair}-{leg}"), request)
        };
        if amount == 0 {
            nothing_moved += 1;
            continue;
        }
        let mut shown = provenance.clone();
        shown.request = request;
        facts.transfers.push(Transfer {
            id: TransferId::new(&chain.id_prefix(), &hash, &leg),
            from: from.clone(),
            to: to.clone(),
            asset,
            amount,
            tx_hash: hash,
            block_height: link.height.and_then(|h| u64::try_from(h).ok()),
            time: link.timestamp.filter(|t| *t > 0),
            provenance: Some(Box::new(shown)),
            relation_txs: None,
            memo: None,
        });
    }
    unknown_token_gaps(unknown, &mut facts.gaps);
    if nothing_moved > 0 {
        facts.gaps.push(format!(
            "{} moving nothing to the neighbour left out",
            crate::util::plural(nothing_moved, "transaction", "transactions")
        ));
    }
    for end in [from, to] {
        facts.nodes.push(Node::address(end.clone()));
    }
    Ok(facts)
}

/// The link's kind as the spec names it, with its article.
fn tx_type(link: &wire::Link) -> &'static str {
    if link.is_account() {
        "an account"
    } else {
        "a utxo"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(json: &str) -> (wire::Link, Provenance) {
        let link = serde_json::from_str(json).expect("link");
        let provenance = Provenance {
            source: "graphsense".into(),
            request: "/btc/entities/1/links?neighbor=2".into(),
            fetched_at: 0,
            block_height: None,
        };
        (link, provenance)
    }

    fn read(json: &str) -> Result<TransactionFacts, String> {
        let (a, b) = (
            NodeId::entity(Chain::Bitcoin, 1),
            NodeId::entity(Chain::Bitcoin, 2),
        );
        entity_transfers(
            Chain::Bitcoin,
            "btc",
            (&a, 1),
            (&b, 2),
            &[link(json)],
            &BTreeMap::new(),
        )
    }

    #[test]
    fn hostile_links_are_refused_by_field_and_empty_ones_said() {
        let hash = "ab".repeat(32);
        let ok = read(&format!(
            r#"{{"tx_type":"utxo","tx_hash":"{hash}","height":5,"timestamp":9,"output_value":{{"value":70}}}}"#
        ))
        .expect("read");
        assert_eq!(ok.transfers[0].amount, 70);
        assert_eq!(ok.transfers[0].id.as_str(), format!("btc:{hash}:e1>2"));
        for (json, said) in [
            (
                format!(r#"{{"tx_type":"utxo","tx_hash":"{hash}"}}"#),
                "output_value is missing",
            ),
            (
                format!(r#"{{"tx_type":"utxo","tx_hash":"{hash}","output_value":{{"value":-3}}}}"#),
                "negative amount",
            ),
            (
                r#"{"tx_type":"utxo","tx_hash":"zz","output_value":{"value":3}}"#.to_owned(),
                "not a transaction hash",
            ),
            (
                format!(r#"{{"tx_type":"account","tx_hash":"{hash}"}}"#),
                "an account link on Bitcoin",
            ),
        ] {
            let err = read(&json).unwrap_err();
            assert!(err.contains(said), "{err}");
        }
        let empty = read(&format!(
            r#"{{"tx_type":"utxo","tx_hash":"{hash}","output_value":{{"value":0}}}}"#
        ))
        .expect("read");
        assert!(empty.transfers.is_empty());
        assert_eq!(
            empty.gaps,
            ["1 transaction moving nothing to the neighbour left out"]
        );
    }
}
