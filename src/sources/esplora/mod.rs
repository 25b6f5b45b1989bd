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
//!   with the txid last seen, 25 per page, until a page has fewer than 25, `max_pages` pages
//!   were read ([`DEFAULT_MAX_PAGES`] = 40 = 1000 transactions) or a [`ReadCaps`] cap
//!   (transactions, response bytes; [`EsploraSource::with_read_caps`]) is reached — then the
//!   page says so in a gap and returns the cursor to go on from (see [`history`]). One
//!   counterparty per transaction in which the address is an input (`Out`) or an output
//!   (`In`), keyed by the transaction node and bringing it with all its ends and legs
//!   (`in{i}`, `out{i}`), like the demo source. Its value is the address's own legs in that
//!   direction. [`EsploraSource::counterparties_paged`] also returns the cursor (the last txid
//!   read), so the app can offer "load more".
//! * `counterparties(btc-tx:…, In)`: `GET /tx/:txid` → one counterparty per input end with its
//!   `in{i}` legs.
//! * `counterparties(btc-tx:…, Out)`: `GET /tx/:txid` → one counterparty per output end with
//!   its `out{i}` legs; and, with forward hops on (the default,
//!   [`EsploraSource::with_forward_hops`]), `GET /tx/:txid/outspends` → one more counterparty
//!   per transaction that spent an output, keyed by that spending transaction's node and
//!   bringing `tx → end` (`out{i}`) and `end → spending tx` (`in{vin}` of the spending
//!   transaction). The spending transaction's other legs are not fetched (its summary says
//!   so); expanding it fetches them, and every counterparty of that expansion brings the
//!   transaction node with its full summary. Outspends that cannot be read leave the legs
//!   and say what is missing (see [`hops`]).
//! * `counterparties(btc:script:<txid>:<vout>, dir)`: the transaction that made the output
//!   (`In`) and the one that spent it (`Out`).
//!
//! An input or output with value but no address (P2PK, bare multisig, non-standard) is a leg
//! to a script end `btc:script:<txid>:<vout>`; coinbase inputs, zero-value ends (`OP_RETURN`),
//! the totals and the fee are in the transaction node's summary, its provenance `request`
//! after ` — ` (see [`facts`]).
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
mod gaps;
mod history;
mod hops;
#[cfg(test)]
mod parser_fuzz;

use crate::model::{Chain, CounterpartyPage, Node, NodeId, NodeKind};
use crate::sources::http::{CachePolicy, Fetched, HttpClient, HttpConfig, ResponseCache};
use crate::sources::limits::ReadCaps;
use crate::sources::{Counterparty, DataSource, Direction, JobControl, SourceError};
use api::{AddressInfo, Tx, TxStatus};
use facts::{Stamp, TxFacts, tx_facts};

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
    read_caps: ReadCaps,
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
            read_caps: ReadCaps::default(),
        })
    }

    /// Sets the caps on what one expansion reads (default [`ReadCaps::default`]); see the
    /// module doc.
    pub fn with_read_caps(mut self, caps: ReadCaps) -> Self {
        self.read_caps = caps;
        self
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
            provenance: Some(Box::new(self.stamp(&fetched, tip).provenance())),
            gaps: Vec::new(),
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
        } else if node.is_script() {
            self.lookup_script(node, control)
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
        let page = self.counterparties_page(node, direction, None, control)?;
        for gap in &page.gaps {
            tracing::info!("{}: {node}: {gap}", self.name);
        }
        if let Some(cursor) = &page.resume {
            tracing::info!(
                "{}: {node}: stopped after {} history pages or a read cap; older transactions (before {cursor}) not fetched",
                self.name,
                self.max_pages
            );
        }
        Ok(page.counterparties)
    }

    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.check_chain(node)?;
        control.check()?;
        if node.is_transaction() || node.is_script() {
            if resume.is_some() {
                return Err(self.bad(format!(
                    "{node} is a transaction or a script end; it has no more history to load"
                )));
            }
            return if node.is_script() {
                self.script_counterparties(node, direction, control)
            } else {
                self.tx_counterparties(node, direction, control)
            };
        }
        self.history_page(node, direction, self.max_pages, resume, control)
    }
}

/// For tests elsewhere in the crate (the Bitcoin heuristics): the nodes (transaction first,
/// then its ends) and legs that a `/tx/:txid` answer `body` brings into a case, read exactly as
/// an expansion reads it, stamped with `request`.
#[cfg(test)]
pub(crate) fn recorded_tx_facts(
    body: &[u8],
    request: &str,
) -> Result<(Vec<Node>, Vec<crate::model::Transfer>), String> {
    let tx: Tx = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    let stamp = Stamp {
        source: "esplora:recorded".to_owned(),
        request: request.to_owned(),
        fetched_at: 0,
        tip: None,
    };
    let facts = tx_facts(&tx, &stamp)?;
    let transfers = facts.transfers();
    let mut nodes = vec![facts.node];
    nodes.extend(facts.addresses);
    Ok((nodes, transfers))
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
