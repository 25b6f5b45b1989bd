//! The transactions behind one relation: `GET /{currency}/addresses/{from}/links?neighbor={to}`
//! (paged by `next_page`, at most [`MAX_RELATION_TXS`] transactions a go).
//!
//! * Account chains (Ethereum, TRON): each link is one transfer `from → to` with its hash,
//!   height, time and amount, native or token (the link's `currency` is the token ticker, keyed
//!   by `supported_tokens`' contract like the relations). Its leg is `native` for the
//!   transaction's own value (the id the other account-chain sources give it), else `gs-<part>`
//!   after GraphSense's identifier (`…_T3` a token transfer, `…_I2` an internal one).
//! * UTXO chains (Bitcoin, Litecoin, Bitcoin Cash, Zcash): each link names a transaction; it is
//!   read whole (`GET /{currency}/txs/{hash}` with `include_io` and `include_io_index`), so it
//!   arrives as Caseboard draws a UTXO transaction — a transaction node with one leg per input and output, named `in{index}` and
//!   `out{index}` like Esplora's, so the same transaction from two sources is one. An input or
//!   output without exactly one address, or without its index, is left out and said; the
//!   transaction node then says its other legs were not fetched.

use super::convert::{self, TokenAsset};
use super::paging::{is_page_token, percent_encode};
use super::{GraphSenseSource, SHORT_MAX_AGE_SECS, wire};
use crate::model::node::{PARTIAL_TX_NOTE, Provenance};
use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError, TransactionFacts};
use std::collections::BTreeMap;

/// Most transactions of one relation read in one go.
pub const MAX_RELATION_TXS: usize = 200;

impl GraphSenseSource {
    /// The transactions `from` paid `to` (see the module doc).
    pub(super) fn links(
        &self,
        from: &NodeId,
        to: &NodeId,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        let (chain, currency) = self.currency(from)?;
        if to.chain() != Some(chain) {
            return Err(self.bad(format!("{from} and {to} are on different chains")));
        }
        match (from.entity_id(), to.entity_id()) {
            (Some(from_id), Some(to_id)) => {
                return self.entity_links(chain, currency, (from, from_id), (to, to_id), control);
            }
            (None, None) => {}
            _ => {
                return Err(self.bad(format!(
                    "{from} → {to} joins an address and an entity; GraphSense lists the \
                     transactions between two addresses or between two entities"
                )));
            }
        }
        let base = format!(
            "/{currency}/addresses/{}/links?neighbor={}",
            from.value(),
            to.value()
        );
        let (links, more) = self.read_links(&base, control)?;
        let mut facts = if chain.is_utxo() {
            self.utxo_links(chain, currency, from, to, &links, control)?
        } else {
            let tokens = self.tokens(currency, chain, control);
            account_links(chain, currency, from, to, &links, &tokens.0).map_err(|e| self.bad(e))?
        };
        if more {
            facts.gaps.push(self.more_gap(from, to));
        }
        Ok(facts)
    }

    /// The gap of a relation read in part.
    pub(super) fn more_gap(&self, from: &NodeId, to: &NodeId) -> String {
        format!(
            "{}: the first {MAX_RELATION_TXS} transactions of {from} → {to} were read; the relation has more",
            self.name
        )
    }

    /// The links at `base` (a `…/links?neighbor=…` path), page after page by `next_page`, at
    /// most [`MAX_RELATION_TXS`]; true when the relation has more than were read.
    pub(super) fn read_links(
        &self,
        base: &str,
        control: &JobControl,
    ) -> Result<(Vec<(wire::Link, Provenance)>, bool), SourceError> {
        let mut links: Vec<(wire::Link, Provenance)> = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..self.max_pages {
            control.check()?;
            let mut path = format!("{base}&pagesize={}", self.page_size);
            if let Some(token) = &token {
                path.push_str("&page=");
                path.push_str(&percent_encode(token));
            }
            let (page, _, fetched_at) =
                self.fetch::<wire::Links>(&path, CachePolicy::MaxAge(SHORT_MAX_AGE_SECS), control)?;
            control.step();
            control.add_transfers(page.links.len());
            let provenance = self.provenance(&path, fetched_at);
            links.extend(page.links.into_iter().map(|l| (l, provenance.clone())));
            token = match page.next_page.filter(|t| !t.is_empty()) {
                Some(next) if is_page_token(&next) && Some(&next) != token.as_ref() => Some(next),
                _ => None,
            };
            if links.len() >= MAX_RELATION_TXS {
                let more = token.is_some() || links.len() > MAX_RELATION_TXS;
                links.truncate(MAX_RELATION_TXS);
                return Ok((links, more));
            }
            if token.is_none() {
                return Ok((links, false));
            }
        }
        Ok((links, token.is_some()))
    }

    /// Reads each linked UTXO transaction whole.
    fn utxo_links(
        &self,
        chain: Chain,
        currency: &str,
        from: &NodeId,
        to: &NodeId,
        links: &[(wire::Link, Provenance)],
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        let mut facts = TransactionFacts::default();
        let mut left_out = 0usize;
        let mut hashes: Vec<&str> = links
            .iter()
            .filter(|(link, _)| !link.is_account())
            .map(|(link, _)| link.tx_hash.as_str())
            .collect();
        if hashes.len() != links.len() {
            return Err(self.bad(format!(
                "{from} → {to}: a {chain} relation's links must all be utxo transactions"
            )));
        }
        hashes.sort_unstable();
        hashes.dedup();
        for hash in hashes {
            control.check()?;
            let tx_node = NodeId::transaction(chain, hash).map_err(|e| self.bad(e.to_string()))?;
            let path = format!(
                "/{currency}/txs/{}?include_io=true&include_io_index=true",
                tx_node.value()
            );
            let (tx, _, fetched_at) =
                self.fetch::<wire::TxUtxo>(&path, CachePolicy::Immutable, control)?;
            control.step();
            let provenance = self.provenance(&path, fetched_at);
            let read = utxo_transaction(chain, &tx_node, &tx, &provenance)
                .map_err(|e| self.bad(format!("{path}: {e}")))?;
            left_out += read.left_out;
            for node in read.nodes {
                if !facts.nodes.iter().any(|n| n.id == node.id) {
                    facts.nodes.push(node);
                }
            }
            facts.transfers.extend(read.transfers);
        }
        if left_out > 0 {
            facts.gaps.push(format!(
                "{}: {} without exactly one address or without an index not drawn",
                self.name,
                crate::util::plural(left_out, "input or output", "inputs and outputs")
            ));
        }
        Ok(facts)
    }
}

/// One UTXO transaction read whole.
struct UtxoRead {
    nodes: Vec<Node>,
    transfers: Vec<Transfer>,
    left_out: usize,
}

/// A transaction node with a leg per input and output that has one address and an index.
fn utxo_transaction(
    chain: Chain,
    tx_node: &NodeId,
    tx: &wire::TxUtxo,
    provenance: &Provenance,
) -> Result<UtxoRead, String> {
    let hash = tx_node.value().to_owned();
    let height = u64::try_from(tx.height).map_err(|_| format!("height {}", tx.height))?;
    let time = Some(tx.timestamp).filter(|t| *t > 0);
    let mut read = UtxoRead {
        nodes: Vec::new(),
        transfers: Vec::new(),
        left_out: 0,
    };
    let sides = [
        (tx.inputs.as_deref().unwrap_or_default(), true),
        (tx.outputs.as_deref().unwrap_or_default(), false),
    ];
    for (values, input) in sides {
        for (i, value) in values.iter().take(10_000).enumerate() {
            let (Some(index), [address]) = (value.index, value.address.as_slice()) else {
                read.left_out += 1;
                continue;
            };
            let field = format!("{}[{i}]", if input { "inputs" } else { "outputs" });
            let index = u32::try_from(index).map_err(|_| format!("{field}.index {index}"))?;
            let amount = convert::amount(&value.value, &format!("{field}.value"))?;
            let address =
                convert::address_node(chain, address).map_err(|e| format!("{field}: {e}"))?;
            let (leg, from, to) = if input {
                (format!("in{index}"), address.clone(), tx_node.clone())
            } else {
                (format!("out{index}"), tx_node.clone(), address.clone())
            };
            read.transfers.push(Transfer {
                id: TransferId::new(&chain.id_prefix(), &hash, &leg),
                from,
                to,
                asset: Asset::native(chain),
                amount,
                tx_hash: hash.clone(),
                block_height: Some(height),
                time,
                provenance: Some(Box::new(provenance.clone())),
                relation_txs: None,
                memo: None,
            });
            if !read.nodes.iter().any(|n| n.id == address) {
                let mut node = Node::address(address);
                node.provenance = Some(Box::new(provenance.clone()));
                read.nodes.push(node);
            }
        }
    }
    let mut node = Node::transaction(tx_node.clone());
    let mut shown = provenance.clone();
    if read.left_out > 0 {
        shown.request = format!("{} ({PARTIAL_TX_NOTE})", shown.request);
    }
    node.provenance = Some(Box::new(shown));
    read.nodes.insert(0, node);
    Ok(read)
}

/// The account links as transfers `from → to`.
fn account_links(
    chain: Chain,
    currency: &str,
    from: &NodeId,
    to: &NodeId,
    links: &[(wire::Link, Provenance)],
    tokens: &BTreeMap<String, TokenAsset>,
) -> Result<TransactionFacts, String> {
    let mut facts = TransactionFacts::default();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for (i, (link, provenance)) in links.iter().enumerate() {
        let field = format!("links[{i}]");
        if !link.is_account() {
            return Err(format!("{field}: a utxo link on {chain}"));
        }
        let missing = |name: &str| format!("{field}.{name} is missing");
        let from_address = link
            .from_address
            .as_deref()
            .ok_or_else(|| missing("from_address"))?;
        let to_address = link
            .to_address
            .as_deref()
            .ok_or_else(|| missing("to_address"))?;
        let link_currency = link
            .currency
            .as_deref()
            .ok_or_else(|| missing("currency"))?;
        let value = link.value.as_ref().ok_or_else(|| missing("value"))?;
        let (tx_hash, identifier) = (&link.tx_hash, &link.identifier);
        let sender = convert::address_node(chain, from_address)
            .map_err(|e| format!("{field}.from_address: {e}"))?;
        let receiver = convert::address_node(chain, to_address)
            .map_err(|e| format!("{field}.to_address: {e}"))?;
        if sender != *from || receiver != *to {
            return Err(format!(
                "{field}: a transfer {sender} → {receiver}, not of this relation"
            ));
        }
        let hash = link_hash(tx_hash)
            .ok_or_else(|| format!("{field}.tx_hash is not a transaction hash"))?;
        let Some(asset) = link_asset(chain, currency, link_currency, tokens) else {
            *unknown
                .entry(crate::util::clip(link_currency, 24).into_owned())
                .or_default() += 1;
            continue;
        };
        let leg = link_leg(identifier.as_deref(), &asset, &hash, link_currency);
        facts.transfers.push(Transfer {
            id: TransferId::new(&chain.id_prefix(), &hash, &leg),
            from: sender,
            to: receiver,
            asset,
            amount: convert::amount(value, &format!("{field}.value"))?,
            tx_hash: hash,
            block_height: link.height.and_then(|h| u64::try_from(h).ok()),
            time: link.timestamp.filter(|t| *t > 0),
            provenance: Some(Box::new(provenance.clone())),
            relation_txs: None,
            memo: None,
        });
    }
    unknown_token_gaps(unknown, &mut facts.gaps);
    for end in [from, to] {
        facts.nodes.push(Node::address(end.clone()));
    }
    Ok(facts)
}

/// A link's transaction hash in lower case, if it is one (hex, `0x` optional, bounded).
pub(super) fn link_hash(tx_hash: &str) -> Option<String> {
    let hash = tx_hash.trim().to_ascii_lowercase();
    let digits = hash.strip_prefix("0x").unwrap_or(&hash);
    (!digits.is_empty() && hash.len() <= 130 && digits.bytes().all(|b| b.is_ascii_hexdigit()))
        .then_some(hash)
}

/// The asset of an account link: the chain's own (`currency`) or a token `supported_tokens`
/// keys by contract; `None` for a ticker without a contract.
pub(super) fn link_asset(
    chain: Chain,
    currency: &str,
    link_currency: &str,
    tokens: &BTreeMap<String, TokenAsset>,
) -> Option<Asset> {
    if link_currency.eq_ignore_ascii_case(currency) {
        Some(Asset::native(chain))
    } else {
        tokens
            .get(&link_currency.to_ascii_lowercase())
            .map(|token| token.asset.clone())
    }
}

/// The leg of an account link's transfer: `gs-<part>` after GraphSense's identifier
/// (`…_T3`), `native` for the transaction's own value, else `gs-<fingerprint>`.
pub(super) fn link_leg(
    identifier: Option<&str>,
    asset: &Asset,
    hash: &str,
    link_currency: &str,
) -> String {
    match identifier.and_then(|id| id.rsplit_once('_')) {
        Some((_, part))
            if !part.is_empty()
                && part.len() <= 16
                && part.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            format!("gs-{part}")
        }
        _ if asset.contract.is_none() => "native".to_owned(),
        _ => format!(
            "gs-{}",
            crate::sources::groups::fingerprint(&format!("{hash}|{link_currency}"), 0)
        ),
    }
}

/// One gap per token ticker whose transfers were left out for want of a contract.
pub(super) fn unknown_token_gaps(unknown: BTreeMap<String, usize>, gaps: &mut Vec<String>) {
    for (ticker, count) in unknown {
        gaps.push(format!(
            "{ticker}: {} left out: the server's supported_tokens gives no contract for it",
            crate::util::plural(count, "transfer", "transfers")
        ));
    }
}
