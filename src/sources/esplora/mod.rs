//! [`EsploraSource`]: Bitcoin mainnet through the Esplora REST API (Blockstream electrs,
//! mempool.space, a self-hosted electrs/mempool).
//!
//! # What it answers
//! * `lookup(address)`: `GET /address/:a` → balance = confirmed (funded − spent) + mempool
//!   (funded − spent), exact in `i128`, and the confirmed + mempool transaction count. An
//!   address that never appeared on chain is `None`.
//! * `lookup(btc-tx:…)`: `GET /tx/:txid` → the transaction node (`None` on HTTP 404).
//! * `counterparties(address, dir)`: the mempool once (`/address/:a/txs/mempool`), then the
//!   confirmed history newest first, `/address/:a/txs/chain` and `/address/:a/txs/chain/:last`
//!   with the txid last seen, 25 per page, until a page has fewer than 25 or `max_pages`
//!   pages were read ([`DEFAULT_MAX_PAGES`] = 40 = 1000 transactions). One counterparty per
//!   transaction in which the address is an input (`Out`) or an output (`In`), keyed by the
//!   transaction node and bringing it with all its input and output addresses and legs
//!   (`in{i}`, `out{i}`), like the demo source. Its value is the address's own legs in that
//!   direction. [`EsploraSource::counterparties_paged`] also returns the cursor to go on from
//!   (the last txid seen), so the app can offer "load more".
//! * `counterparties(btc-tx:…, In)`: `GET /tx/:txid` → one counterparty per input address
//!   with its `in{i}` legs.
//! * `counterparties(btc-tx:…, Out)`: `GET /tx/:txid` → one counterparty per output address
//!   with its `out{i}` legs; and, with forward hops on (the default,
//!   [`EsploraSource::with_forward_hops`]), `GET /tx/:txid/outspends` → one more counterparty
//!   per transaction that spent an output, keyed by that spending transaction's node and
//!   bringing `tx → address` (`out{i}`) and `address → spending tx` (`in{vin}` of the spending
//!   transaction). The spending transaction's other legs are not fetched (its provenance says
//!   so); expanding it fetches them.
//!
//! Coinbase inputs, inputs and outputs without an address (`OP_RETURN`, P2PK, bare
//! multisig), the fee and "unconfirmed" have no leg; they are written into the transaction
//! node's provenance `request` after ` — ` (see [`facts`]).
//!
//! # Provenance and caching
//! Every node and transfer records the source name (`esplora:<host>`), the redacted request
//! (`GET /address/…/txs/chain/…`), when that answer was fetched (for a cached answer, when it
//! was originally fetched) and the chain tip height, fetched once per call
//! (`/blocks/tip/height`). Confirmed transactions are cached forever; so are continuation
//! pages of an address history and outspends whose transactions all have ≥ 6 confirmations.
//! First history pages, address stats and the tip keep 60 s / 30 s; the mempool is never
//! cached and is skipped in offline mode.
//!
//! Errors name the source and the request and leave nothing half-done: every call collects
//! its answer fully before returning it.

mod api;
mod facts;

use crate::model::{Chain, Node, NodeId, NodeKind};
use crate::sources::http::{CachePolicy, Fetched, HttpClient, HttpConfig, ResponseCache};
use crate::sources::{Counterparty, DataSource, Direction, JobControl, SourceError};
use api::{AddressInfo, Outspend, Tx, TxStatus};
use facts::{Groups, Stamp, TxFacts, leg_transfer, tx_facts, tx_id};

/// Default number of confirmed-history pages one expansion reads (25 transactions each).
pub const DEFAULT_MAX_PAGES: u32 = 40;

/// Transactions per confirmed-history page (fixed in Blockstream's electrs; mempool's
/// electrs defaults to it).
pub const CHAIN_PAGE_SIZE: usize = 25;

/// Seconds an address page, address stats or outspends answer stays fresh.
const SHORT_MAX_AGE_SECS: u64 = 60;

/// Seconds the tip height stays fresh.
const TIP_MAX_AGE_SECS: u64 = 30;

/// Confirmations after which an answer is treated as final.
const SETTLED_CONFIRMATIONS: u64 = 6;

/// Hash of Bitcoin mainnet's genesis block.
const MAINNET_GENESIS: &str = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f";

/// Bitcoin through one Esplora server.
#[derive(Debug, Clone)]
pub struct EsploraSource {
    client: HttpClient,
    name: String,
    max_pages: u32,
    forward_hops: bool,
}

impl EsploraSource {
    /// A source for the Esplora API at `base_url` (e.g. `https://blockstream.info/api`,
    /// `http://127.0.0.1:3000`): `http` or `https`, no credentials in it. Named
    /// `esplora:<host>`.
    pub fn new(
        base_url: &str,
        client_config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Self, SourceError> {
        let name = source_name_for(base_url);
        let client = HttpClient::new(&name, base_url, client_config, cache)?;
        Ok(EsploraSource {
            client,
            name,
            max_pages: DEFAULT_MAX_PAGES,
            forward_hops: true,
        })
    }

    /// Sets how many confirmed-history pages [`DataSource::counterparties`] reads (at least 1).
    pub fn with_max_pages(mut self, max_pages: u32) -> Self {
        self.max_pages = max_pages.max(1);
        self
    }

    /// Turns the forward hop of a transaction's outgoing side on or off (see the module doc).
    pub fn with_forward_hops(mut self, on: bool) -> Self {
        self.forward_hops = on;
        self
    }

    /// The HTTP client (for [`HttpClient::requests_sent`]).
    pub fn client(&self) -> &HttpClient {
        &self.client
    }

    /// Asks the server for its tip and checks it serves Bitcoin mainnet: `"tip height 883412"`
    /// (`"offline: cached tip height …"` in offline mode).
    pub fn test_connection(&self, control: &JobControl) -> Result<String, SourceError> {
        let tip: u64 =
            self.client
                .get_json_cached("/blocks/tip/height", CachePolicy::NoStore, control)?;
        let genesis = self
            .client
            .get("/block-height/0", CachePolicy::Immutable, control)?;
        let hash = String::from_utf8_lossy(&genesis.body)
            .trim()
            .trim_matches('"')
            .to_ascii_lowercase();
        if hash != MAINNET_GENESIS {
            let shown: String = hash.chars().take(64).collect();
            return Err(self.bad(format!(
                "{}: this server is not Bitcoin mainnet (its genesis block is {shown:?})",
                genesis.request()
            )));
        }
        self.client.store(&genesis, CachePolicy::Immutable);
        Ok(if self.client.is_offline() {
            format!("offline: cached tip height {tip}")
        } else {
            format!("tip height {tip}")
        })
    }

    /// The counterparties of a Bitcoin `address` from at most `max_pages` confirmed-history
    /// pages, starting after txid `after` (a cursor this method returned before) or at the
    /// newest transaction (then the mempool is included too). Returns the counterparties and
    /// the cursor to continue from, `None` when the history is complete.
    pub fn counterparties_paged(
        &self,
        address: &NodeId,
        direction: Direction,
        max_pages: u32,
        after: Option<&str>,
        control: &JobControl,
    ) -> Result<(Vec<Counterparty>, Option<String>), SourceError> {
        self.check_chain(address)?;
        if address.is_transaction() {
            return Err(self.bad(format!(
                "{address} is a transaction; history paging is for addresses"
            )));
        }
        if let Some(after) = after {
            tx_id(after).map_err(|e| self.bad(format!("bad paging cursor: {e}")))?;
        }
        control.check()?;
        let tip = self.tip(control)?;
        let a = address.value();
        let mut groups = Groups::default();
        if after.is_none() {
            if self.client.is_offline() {
                tracing::info!("{}: offline, mempool of {a} not fetched", self.name);
            } else {
                control.check()?;
                let fetched = self.client.get(
                    &format!("/address/{a}/txs/mempool"),
                    CachePolicy::NoStore,
                    control,
                )?;
                let txs: Vec<Tx> = fetched.json()?;
                self.add_history(address, direction, &txs, &fetched, tip, &mut groups)?;
                control.add_transfers(txs.len());
                control.step();
            }
        }
        let mut cursor = after.map(str::to_ascii_lowercase);
        let mut previous_first: Option<String> = None;
        for _ in 0..max_pages.max(1) {
            control.check()?;
            let path = match &cursor {
                None => format!("/address/{a}/txs/chain"),
                Some(last) => format!("/address/{a}/txs/chain/{last}"),
            };
            let fetched =
                self.client
                    .get(&path, CachePolicy::MaxAge(SHORT_MAX_AGE_SECS), control)?;
            let txs: Vec<Tx> = fetched.json()?;
            let first = txs.first().map(|tx| tx.txid.to_ascii_lowercase());
            if first.is_some() && first == previous_first {
                return Err(self.bad(format!(
                    "{}: the server sent the same page again (it ignores the last-seen txid)",
                    fetched.request()
                )));
            }
            self.add_history(address, direction, &txs, &fetched, tip, &mut groups)?;
            control.add_transfers(txs.len());
            let settled = cursor.is_some()
                && tip.is_some_and(|tip| txs.iter().all(|tx| settled(&tx.status, tip)));
            self.client.store(
                &fetched,
                if settled {
                    CachePolicy::Immutable
                } else {
                    CachePolicy::MaxAge(SHORT_MAX_AGE_SECS)
                },
            );
            control.step();
            let Some(last) = txs.last() else {
                return Ok((groups.finish(), None));
            };
            if txs.len() < CHAIN_PAGE_SIZE {
                return Ok((groups.finish(), None));
            }
            previous_first = first;
            cursor = Some(last.txid.to_ascii_lowercase());
        }
        Ok((groups.finish(), cursor))
    }

    fn bad(&self, message: String) -> SourceError {
        SourceError::BadAnswer {
            source_name: self.name.clone(),
            message: self.client.redacted(&message),
        }
    }

    fn check_chain(&self, node: &NodeId) -> Result<(), SourceError> {
        if node.chain() == Some(Chain::Bitcoin) {
            Ok(())
        } else {
            Err(SourceError::UnsupportedChain {
                source_name: self.name.clone(),
                node: node.clone(),
            })
        }
    }

    /// The chain tip height, once per call; `None` offline when it was never cached.
    fn tip(&self, control: &JobControl) -> Result<Option<u64>, SourceError> {
        match self.client.get_json_cached::<u64>(
            "/blocks/tip/height",
            CachePolicy::MaxAge(TIP_MAX_AGE_SECS),
            control,
        ) {
            Ok(height) => Ok(Some(height)),
            Err(SourceError::Cancelled) => Err(SourceError::Cancelled),
            Err(e) if self.client.is_offline() => {
                tracing::info!("{}: no tip height offline: {e}", self.name);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn stamp(&self, fetched: &Fetched, tip: Option<u64>) -> Stamp {
        Stamp {
            source: self.name.clone(),
            request: fetched.request().to_owned(),
            fetched_at: fetched.fetched_at,
            tip,
        }
    }

    /// Fetches and reads a transaction; `None` if the server does not know it. Confirmed
    /// transactions are cached forever once they proved readable.
    fn fetch_tx(
        &self,
        txid: &str,
        tip: Option<u64>,
        control: &JobControl,
    ) -> Result<Option<TxFacts>, SourceError> {
        let Some(fetched) =
            self.client
                .get_if_found(&format!("/tx/{txid}"), CachePolicy::Immutable, control)?
        else {
            return Ok(None);
        };
        let tx: Tx = fetched.json()?;
        if !tx.txid.eq_ignore_ascii_case(txid) {
            return Err(self.bad(format!(
                "{}: the answer is about another transaction ({})",
                fetched.request(),
                tx.txid
            )));
        }
        let facts = tx_facts(&tx, &self.stamp(&fetched, tip))
            .map_err(|m| self.bad(format!("{}: {m}", fetched.request())))?;
        if tx.status.confirmed {
            self.client.store(&fetched, CachePolicy::Immutable);
        }
        control.step();
        Ok(Some(facts))
    }

    /// Adds the transactions of one history page in which `address` takes part in
    /// `direction`, skipping those already collected.
    fn add_history(
        &self,
        address: &NodeId,
        direction: Direction,
        txs: &[Tx],
        fetched: &Fetched,
        tip: Option<u64>,
        groups: &mut Groups,
    ) -> Result<(), SourceError> {
        let stamp = self.stamp(fetched, tip);
        for tx in txs {
            let facts = tx_facts(tx, &stamp)
                .map_err(|m| self.bad(format!("{}: {m}", fetched.request())))?;
            if groups.contains(&facts.node.id) {
                continue;
            }
            let mut value: u128 = 0;
            let mut takes_part = false;
            let sides = [
                (direction.includes_out(), &facts.inputs),
                (direction.includes_in(), &facts.outputs),
            ];
            for (wanted, legs) in sides {
                if !wanted {
                    continue;
                }
                for leg in legs.iter().flatten().filter(|l| &l.address == address) {
                    takes_part = true;
                    value = value.saturating_add(leg.transfer.ranking_value());
                }
            }
            if !takes_part {
                continue;
            }
            let mut nodes = Vec::with_capacity(facts.addresses.len() + 1);
            nodes.push(facts.node.clone());
            nodes.extend(facts.addresses.iter().cloned());
            groups.add(facts.node.id.clone(), value, nodes, facts.transfers());
        }
        Ok(())
    }

    /// Counterparties of a transaction node.
    fn tx_counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        let tip = self.tip(control)?;
        let facts =
            self.fetch_tx(node.value(), tip, control)?
                .ok_or_else(|| SourceError::UnknownNode {
                    source_name: self.name.clone(),
                    node: node.clone(),
                })?;
        let mut groups = Groups::default();
        let mut sides = Vec::new();
        if direction.includes_in() {
            sides.push(&facts.inputs);
        }
        if direction.includes_out() {
            sides.push(&facts.outputs);
        }
        for legs in sides {
            for leg in legs.iter().flatten() {
                let nodes = facts.address_node(&leg.address).into_iter().collect();
                groups.add(
                    leg.address.clone(),
                    leg.transfer.ranking_value(),
                    nodes,
                    vec![leg.transfer.clone()],
                );
            }
        }
        if direction.includes_out() && self.forward_hops {
            control.check()?;
            self.add_forward_hops(&facts, tip, control, &mut groups)?;
        }
        Ok(groups.finish())
    }

    /// One counterparty per transaction that spent an output of `facts`.
    fn add_forward_hops(
        &self,
        facts: &TxFacts,
        tip: Option<u64>,
        control: &JobControl,
        groups: &mut Groups,
    ) -> Result<(), SourceError> {
        let fetched = self.client.get(
            &format!("/tx/{}/outspends", facts.txid),
            CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
            control,
        )?;
        let spends: Vec<Outspend> = fetched.json()?;
        if spends.len() != facts.outputs.len() {
            return Err(self.bad(format!(
                "{}: {} outspends for {} outputs",
                fetched.request(),
                spends.len(),
                facts.outputs.len()
            )));
        }
        let provenance = self.stamp(&fetched, tip).provenance();
        let mut hops = Vec::new();
        for (vout, (spend, leg)) in spends.iter().zip(&facts.outputs).enumerate() {
            let (true, Some(leg)) = (spend.spent, leg) else {
                continue;
            };
            let (Some(spender), Some(vin)) = (&spend.txid, spend.vin) else {
                return Err(self.bad(format!(
                    "{}: output {vout} is spent but the answer names no spending txid/vin",
                    fetched.request()
                )));
            };
            let spender = spender.to_ascii_lowercase();
            let spender_id =
                tx_id(&spender).map_err(|e| self.bad(format!("{}: {e}", fetched.request())))?;
            let status = spend.status.unwrap_or(TxStatus {
                confirmed: false,
                block_height: None,
                block_time: None,
            });
            let in_leg = leg_transfer(
                &spender,
                &format!("in{vin}"),
                leg.address.clone(),
                spender_id.clone(),
                leg.transfer.amount,
                &status,
                &provenance,
            );
            let mut spender_node = Node::transaction(spender_id.clone());
            let mut note = provenance.clone();
            note.request = format!(
                "{} — spends vout {vout} of {}; its other legs not fetched",
                note.request, facts.txid
            );
            spender_node.provenance = Some(note);
            let mut nodes = vec![spender_node];
            nodes.extend(facts.address_node(&leg.address));
            hops.push((
                spender_id,
                in_leg.ranking_value(),
                nodes,
                vec![leg.transfer.clone(), in_leg],
            ));
        }
        let final_answer = tip.is_some_and(|tip| {
            spends.iter().zip(&facts.outputs).all(|(spend, leg)| {
                leg.is_none() || (spend.spent && spend.status.is_some_and(|s| settled(&s, tip)))
            })
        });
        self.client.store(
            &fetched,
            if final_answer {
                CachePolicy::Immutable
            } else {
                CachePolicy::MaxAge(SHORT_MAX_AGE_SECS)
            },
        );
        control.step();
        for (key, value, nodes, transfers) in hops {
            groups.add(key, value, nodes, transfers);
        }
        Ok(())
    }

    fn lookup_address(
        &self,
        node: &NodeId,
        tip: Option<u64>,
        control: &JobControl,
    ) -> Result<Option<Node>, SourceError> {
        let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
        let fetched = self
            .client
            .get(&format!("/address/{}", node.value()), policy, control)?;
        let info: AddressInfo = fetched.json()?;
        if !info.address.eq_ignore_ascii_case(node.value()) {
            return Err(self.bad(format!(
                "{}: the answer is about another address ({})",
                fetched.request(),
                info.address
            )));
        }
        let (chain, mempool) = (info.chain_stats, info.mempool_stats);
        let balance = i128::from(chain.funded_txo_sum) - i128::from(chain.spent_txo_sum)
            + i128::from(mempool.funded_txo_sum)
            - i128::from(mempool.spent_txo_sum);
        let balance = u128::try_from(balance).map_err(|_| {
            self.bad(format!(
                "{}: spent more than funded (balance {balance} sat)",
                fetched.request()
            ))
        })?;
        self.client.store(&fetched, policy);
        control.step();
        let tx_count = chain.tx_count.saturating_add(mempool.tx_count);
        if tx_count == 0 && chain.funded_txo_count == 0 && mempool.funded_txo_count == 0 {
            return Ok(None);
        }
        Ok(Some(Node {
            id: node.clone(),
            kind: NodeKind::Address,
            balance: Some(balance),
            tx_count: Some(tx_count),
            provenance: Some(self.stamp(&fetched, tip).provenance()),
        }))
    }
}

impl DataSource for EsploraSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        self.check_chain(node)?;
        control.check()?;
        let tip = self.tip(control)?;
        if node.is_transaction() {
            Ok(self
                .fetch_tx(node.value(), tip, control)?
                .map(|facts| facts.node))
        } else {
            self.lookup_address(node, tip, control)
        }
    }

    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        self.check_chain(node)?;
        control.check()?;
        if node.is_transaction() {
            return self.tx_counterparties(node, direction, control);
        }
        let (counterparties, cursor) =
            self.counterparties_paged(node, direction, self.max_pages, None, control)?;
        if let Some(cursor) = cursor {
            tracing::info!(
                "{}: {node}: stopped after {} history pages; older transactions (before {cursor}) not fetched",
                self.name,
                self.max_pages
            );
        }
        Ok(counterparties)
    }

    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<super::CounterpartyPage, SourceError> {
        self.check_chain(node)?;
        if node.is_transaction() {
            if resume.is_some() {
                return Err(self.bad(format!(
                    "{node} is a transaction; it has no more history to load"
                )));
            }
            return Ok(super::CounterpartyPage {
                counterparties: self.tx_counterparties(node, direction, control)?,
                resume: None,
                gaps: Vec::new(),
            });
        }
        let (counterparties, resume) =
            self.counterparties_paged(node, direction, self.max_pages, resume, control)?;
        Ok(super::CounterpartyPage {
            counterparties,
            resume,
            gaps: Vec::new(),
        })
    }
}

/// True once a transaction has enough confirmations to be treated as final.
fn settled(status: &TxStatus, tip: u64) -> bool {
    status.confirmed
        && status.block_height.is_some_and(|h| {
            tip.saturating_sub(h).saturating_add(1) >= SETTLED_CONFIRMATIONS && h <= tip
        })
}

/// `esplora:<host[:port]>` from a base URL, or `esplora` if it has no host.
fn source_name_for(base_url: &str) -> String {
    let rest = base_url
        .trim()
        .split_once("://")
        .map_or(base_url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    // Never put credentials into a name (the client refuses such URLs anyway).
    let host = authority.rsplit('@').next().unwrap_or_default();
    if host.is_empty() {
        "esplora".to_owned()
    } else {
        format!("esplora:{}", host.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_urls() {
        assert_eq!(
            source_name_for("https://blockstream.info/api"),
            "esplora:blockstream.info"
        );
        assert_eq!(
            source_name_for("http://127.0.0.1:3000/"),
            "esplora:127.0.0.1:3000"
        );
        assert_eq!(
            source_name_for("https://u:secret@node.example/api"),
            "esplora:node.example"
        );
        assert_eq!(source_name_for("nonsense"), "esplora:nonsense");
        assert_eq!(source_name_for(""), "esplora");
    }

    #[test]
    fn refuses_bad_urls() {
        for url in ["ftp://x/api", "https://u:p@x/api", "x"] {
            let err = EsploraSource::new(url, HttpConfig::for_own_node(), None).unwrap_err();
            assert!(!err.to_string().contains(":p@"), "{err}");
        }
    }

    #[test]
    fn settled_needs_six_confirmations() {
        let at = |h| TxStatus {
            confirmed: true,
            block_height: Some(h),
            block_time: None,
        };
        assert!(settled(&at(95), 100));
        assert!(!settled(&at(96), 100));
        assert!(!settled(&at(101), 100));
        assert!(!settled(
            &TxStatus {
                confirmed: false,
                block_height: None,
                block_time: None
            },
            100
        ));
    }
}
