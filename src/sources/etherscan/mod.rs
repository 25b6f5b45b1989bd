//! [`EtherscanSource`]: EVM address histories through Etherscan API V2 or a Blockscout
//! instance's Etherscan-compatible `/api`, one type for both.
//!
//! # Flavours
//! * [`EtherscanSource::etherscan`] talks to
//!   `https://api.etherscan.io/v2/api?chainid=<id>&apikey=…&…` and is named
//!   `etherscan:<chain id>`. A key is required for every request (one key serves every chain
//!   Etherscan covers; some chains are paid-only and answer so).
//! * [`EtherscanSource::blockscout`] talks to `https://<instance>/api?…` without a key and is
//!   named `blockscout:<host>` (e.g. `https://eth.blockscout.com/api`). The chain id is what
//!   the caller says the instance serves; node ids are built with it.
//!
//! # What it answers
//! * `lookup(address)`: `module=account&action=balance&tag=latest` → the native balance in
//!   wei; the transaction count is not known (`None`). A Blockscout instance answering `null`
//!   (an address it never saw) gives `None`.
//! * `counterparties(address, dir)`: the three lists `txlist` (the transactions' own value),
//!   `txlistinternal` (value moved inside contract calls) and `tokentx` (ERC-20 transfers),
//!   each read oldest first (`sort=asc`), `offset` rows per page ([`DEFAULT_PAGE_SIZE`]),
//!   `page` = 1, 2, … until a page is shorter than `offset`. The servers refuse
//!   `page × offset` beyond a result window (10 000 on Etherscan): before that point, or
//!   when a server says "Result window is too large", the list goes on with
//!   `startblock` = the last block seen and `page=1`; the rows of that block read so far are
//!   dropped because they all come again (a block may have been cut mid-way). A block that
//!   alone holds more rows than the window is an error. At most `max_pages` pages per list
//!   are read ([`DEFAULT_MAX_PAGES`]); beyond that the newest rows are left out and a log line
//!   says so. Each transfer whose `from` is the address is `Out`, whose `to` is the address
//!   is `In`; one [`Counterparty`] per other address (see `facts.rs` for what is dropped and
//!   how transfer ids are made).
//! * `transaction(chain, hash)`: one transaction by hash through `module=proxy` and
//!   `txlistinternal&txhash` (Etherscan only; see `by_hash.rs`).
//! * `control.step()` after every page, `control.check()` before every request; waits for
//!   the rate limit end early on cancel.
//!
//! # The envelope
//! HTTP is 200 whatever happened; the JSON envelope says what (see `api.rs`; asking and
//! waiting in `ask.rs`). "No transactions found" (status `"0"` with an empty list) is an
//! empty history. A rate-limit answer ("Max
//! rate limit reached", "Max calls per sec rate limit reached (3/sec)") is waited out and
//! asked again like HTTP 429 — `max_retries` times with doubling waits from `retry_base_ms`,
//! at most `max_retry_wait_secs` each, from the [`HttpConfig`] — then it is an error. "Max
//! daily rate limit reached" fails at once. "Invalid API Key" and friends fail with "invalid
//! API key"; any other status `"0"` fails with the server's words. A `result` that is not a
//! list where rows are expected is an error naming what it was.
//!
//! # Secrets, provenance, caching
//! The key travels only in the query string of requests to the configured host. It never
//! appears in a message, a log line, the response cache key or provenance: the shared
//! client redacts `apikey=` everywhere, this module scrubs the key's value from any server
//! text it quotes, and the request recorded in provenance is built without it
//! (`GET /api?chainid=1&module=account&action=tokentx&address=0x…&startblock=0&endblock=9999999999&page=2&offset=1000&sort=asc`).
//! Provenance also has the source name, when the page was fetched and the chain tip at the
//! start of the call (`eth_blockNumber`). Pages that are full, not the first page of the
//! history and whose every row has ≥ [`SETTLED_CONFIRMATIONS`] confirmations are cached
//! forever; first pages, last (short) pages, balances and the tip are kept briefly.

mod api;
mod ask;
mod by_hash;
mod facts;
mod page;
mod paging;
#[cfg(test)]
mod parser_props;
mod secret;

pub use secret::Secret;

use crate::model::node::Provenance;
use crate::model::{Chain, Node, NodeId, NodeKind};
use crate::sources::http::{CachePolicy, Fetched, HttpClient, HttpConfig, ResponseCache};
use crate::sources::limits::ReadCaps;
use crate::sources::{
    Counterparty, CounterpartyPage, DataSource, Direction, JobControl, SourceError, gaps, groups,
};
use api::{Outcome, describe_value, parse_block_number};
use facts::Kind;
use page::Reading;
use serde_json::Value;

/// Etherscan API V2 (requests go to `<base>/api?…`).
pub const ETHERSCAN_V2_BASE: &str = "https://api.etherscan.io/v2";

/// Environment variable the app may read the Etherscan key from.
pub const API_KEY_ENV: &str = "CASEBOARD_ETHERSCAN_API_KEY";

/// Rows per page (`offset`).
pub const DEFAULT_PAGE_SIZE: u32 = 1_000;

/// Etherscan's result window: `page × offset` may not exceed it.
pub const RESULT_WINDOW: u64 = 10_000;

/// Pages read per list (`txlist`, `txlistinternal`, `tokentx`) in one call.
pub const DEFAULT_MAX_PAGES: u32 = 50;

/// Confirmations after which a page is treated as final.
pub const SETTLED_CONFIRMATIONS: u64 = 12;

/// `endblock` of every history request (fixed, so the cache key of a page does not change
/// with the tip; larger than any chain's height).
const END_BLOCK: u64 = 9_999_999_999;

/// Seconds a first/last page, an empty answer or a balance stays fresh.
const SHORT_MAX_AGE_SECS: u64 = 60;

/// Seconds the tip stays fresh.
const TIP_MAX_AGE_SECS: u64 = 15;

/// The message for a missing key.
const NEEDS_KEY: &str = "Etherscan needs an API key (settings or CASEBOARD_ETHERSCAN_API_KEY)";

/// The Etherscan key from [`API_KEY_ENV`], if set.
pub fn api_key_from_env() -> Option<Secret> {
    Secret::from_env(API_KEY_ENV)
}

#[derive(Debug, Clone)]
enum Flavour {
    Etherscan { api_key: Secret },
    Blockscout,
}

/// EVM address histories from Etherscan API V2 or a Blockscout instance (see the module
/// doc). `Debug` shows no key.
#[derive(Debug, Clone)]
pub struct EtherscanSource {
    client: HttpClient,
    name: String,
    flavour: Flavour,
    chain_id: u64,
    chain: Chain,
    page_size: u32,
    result_window: u64,
    max_pages: u32,
    retries: u32,
    retry_base_ms: u64,
    max_retry_wait_secs: u64,
    read_caps: ReadCaps,
}

/// One API request: the path sent (with the key) and the text shown (never with it).
#[derive(Debug, Clone)]
struct ApiRequest {
    path: String,
    shown: String,
}

/// Where one list's paging stands.
#[derive(Debug, Clone)]
struct Cursor {
    start_block: u64,
    page: u64,
    /// Block of the last row of the current `startblock` segment.
    last_block: Option<u64>,
    /// First row (block, hash) of the previous page, to catch a server ignoring `page`.
    previous_first: Option<(u64, String)>,
}

impl EtherscanSource {
    /// Etherscan API V2 for EVM chain `chain_id` with `api_key` (required: an empty key is
    /// the error "Etherscan needs an API key …"). `base_url_override` replaces
    /// [`ETHERSCAN_V2_BASE`] (with or without the trailing `/api`), e.g. for a test server.
    pub fn etherscan(
        chain_id: u64,
        api_key: Secret,
        config: HttpConfig,
        cache: Option<ResponseCache>,
        base_url_override: Option<&str>,
    ) -> Result<Self, SourceError> {
        let name = format!("etherscan:{chain_id}");
        let fail = |message: &str| SourceError::BadAnswer {
            source_name: name.clone(),
            message: message.to_owned(),
        };
        if api_key.is_empty() {
            return Err(fail(NEEDS_KEY));
        }
        let key_ok = api_key
            .expose()
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !key_ok {
            return Err(fail(
                "the Etherscan API key has characters an API key never has \
                 (a pasted space, quote or line break?); copy it again from etherscan.io",
            ));
        }
        let base = api_root(base_url_override.unwrap_or(ETHERSCAN_V2_BASE));
        Self::build(
            name,
            &base,
            Flavour::Etherscan { api_key },
            chain_id,
            config,
            cache,
        )
    }

    /// The Etherscan-compatible API of the Blockscout instance at `base_url` (e.g.
    /// `https://eth.blockscout.com/api` or `https://eth.blockscout.com`), serving EVM chain
    /// `chain_id`. No key.
    pub fn blockscout(
        base_url: &str,
        chain_id: u64,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Self, SourceError> {
        let name = match host_of(base_url) {
            Some(host) => format!("blockscout:{host}"),
            None => "blockscout".to_owned(),
        };
        Self::build(
            name,
            &api_root(base_url),
            Flavour::Blockscout,
            chain_id,
            config,
            cache,
        )
    }

    fn build(
        name: String,
        base: &str,
        flavour: Flavour,
        chain_id: u64,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Self, SourceError> {
        if chain_id == 0 {
            return Err(SourceError::BadAnswer {
                source_name: name,
                message: "chain id 0 is not an EVM chain".to_owned(),
            });
        }
        let retries = config.max_retries;
        let retry_base_ms = config.retry_base_ms;
        let max_retry_wait_secs = config.max_retry_wait_secs;
        let client = HttpClient::new(&name, base, config, cache)?;
        Ok(EtherscanSource {
            client,
            name,
            flavour,
            chain_id,
            chain: Chain::Evm { chain_id },
            page_size: DEFAULT_PAGE_SIZE,
            result_window: RESULT_WINDOW,
            max_pages: DEFAULT_MAX_PAGES,
            retries,
            retry_base_ms,
            max_retry_wait_secs,
            read_caps: ReadCaps::default(),
        })
    }

    /// Sets the rows per page (`offset`, 1 to 10 000).
    pub fn with_page_size(mut self, rows: u32) -> Self {
        self.page_size = rows.clamp(1, 10_000);
        self
    }

    /// Sets the result window the server is known to enforce (`page × offset` ≤ it), so the
    /// list goes on by `startblock` without first being refused (at least 1). Servers with a
    /// smaller window than this are still handled when they say so.
    pub fn with_result_window(mut self, rows: u64) -> Self {
        self.result_window = rows.max(1);
        self
    }

    /// Sets how many pages of each list one call reads (at least 1).
    pub fn with_max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Sets what one expansion may read (see `page.rs`); a list stopped by a cap keeps what
    /// was read and says so in the page's gaps.
    pub fn with_read_caps(mut self, caps: ReadCaps) -> Self {
        self.read_caps = caps;
        self
    }

    /// The HTTP client (for [`HttpClient::requests_sent`]).
    pub fn client(&self) -> &HttpClient {
        &self.client
    }

    /// The chain this source serves.
    pub fn chain(&self) -> Chain {
        self.chain
    }

    /// True for a Blockscout instance, false for Etherscan.
    pub fn is_blockscout(&self) -> bool {
        matches!(self.flavour, Flavour::Blockscout)
    }

    /// Asks for the latest block: `"block 21895238"` (`"offline: cached block …"` in offline
    /// mode). A refused key is the error "… invalid API key …".
    pub fn test_connection(&self, control: &JobControl) -> Result<String, SourceError> {
        let height = self.block_number(CachePolicy::NoStore, control)?;
        Ok(if self.client.is_offline() {
            format!("offline: cached block {height}")
        } else {
            format!("block {height}")
        })
    }

    // -----------------------------------------------------------------------------------------
    // Requests
    // -----------------------------------------------------------------------------------------

    /// A request with `params`; for Etherscan the chain id and the key come first (the key
    /// second, never last, so the client's redaction of `apikey=…` in "<request>: <what>"
    /// messages cannot run into the `:` after it).
    fn request(&self, params: &[(&str, String)]) -> ApiRequest {
        let mut query = String::new();
        for (name, value) in params {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(name);
            query.push('=');
            query.push_str(value);
        }
        let (path, shown) = match &self.flavour {
            Flavour::Etherscan { api_key } => (
                format!(
                    "/api?chainid={}&apikey={}&{query}",
                    self.chain_id,
                    api_key.expose()
                ),
                format!("GET /api?chainid={}&{query}", self.chain_id),
            ),
            Flavour::Blockscout => (format!("/api?{query}"), format!("GET /api?{query}")),
        };
        ApiRequest { path, shown }
    }

    fn history_request(&self, kind: Kind, address: &NodeId, cursor: &Cursor) -> ApiRequest {
        self.request(&[
            ("module", "account".to_owned()),
            ("action", kind.action().to_owned()),
            ("address", address.value().to_owned()),
            ("startblock", cursor.start_block.to_string()),
            ("endblock", END_BLOCK.to_string()),
            ("page", cursor.page.to_string()),
            ("offset", self.page_size.to_string()),
            ("sort", "asc".to_owned()),
        ])
    }

    fn check_node(&self, node: &NodeId) -> Result<(), SourceError> {
        if node.chain() != Some(self.chain) {
            return Err(SourceError::UnsupportedChain {
                source_name: self.name.clone(),
                node: node.clone(),
            });
        }
        if node.is_transaction() {
            return Err(self.bad(format!(
                "{node} is a transaction; this source expands addresses"
            )));
        }
        Ok(())
    }

    // -----------------------------------------------------------------------------------------
    // Tip and balance
    // -----------------------------------------------------------------------------------------

    fn block_number(&self, policy: CachePolicy, control: &JobControl) -> Result<u64, SourceError> {
        let request = match self.flavour {
            Flavour::Etherscan { .. } => self.request(&[
                ("module", "proxy".to_owned()),
                ("action", "eth_blockNumber".to_owned()),
            ]),
            Flavour::Blockscout => self.request(&[
                ("module", "block".to_owned()),
                ("action", "eth_block_number".to_owned()),
            ]),
        };
        let (outcome, fetched) = self.ask(&request, policy, control)?;
        let Outcome::Ok(value) = outcome else {
            return Err(self.refusal(&request, outcome));
        };
        let height =
            parse_block_number(&value).map_err(|m| self.bad(format!("{}: {m}", request.shown)))?;
        self.client.store(&fetched, policy);
        control.step();
        Ok(height)
    }

    /// The chain tip, once per call; `None` offline when it was never cached.
    fn tip(&self, control: &JobControl) -> Result<Option<u64>, SourceError> {
        match self.block_number(CachePolicy::MaxAge(TIP_MAX_AGE_SECS), control) {
            Ok(height) => Ok(Some(height)),
            Err(SourceError::Cancelled) => Err(SourceError::Cancelled),
            Err(e) if self.client.is_offline() => {
                tracing::info!("{}: no tip offline: {e}", self.name);
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn lookup_address(
        &self,
        node: &NodeId,
        tip: Option<u64>,
        control: &JobControl,
    ) -> Result<Option<Node>, SourceError> {
        let request = self.request(&[
            ("module", "account".to_owned()),
            ("action", "balance".to_owned()),
            ("address", node.value().to_owned()),
            ("tag", "latest".to_owned()),
        ]);
        let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
        let (outcome, fetched) = self.ask(&request, policy, control)?;
        let balance = match outcome {
            Outcome::Ok(Value::String(text)) => facts::parse_amount("balance", Some(&text))
                .map_err(|m| self.bad(format!("{}: {m}", request.shown)))?,
            Outcome::Ok(Value::Null) | Outcome::Empty => return Ok(None),
            Outcome::Ok(other) => {
                return Err(self.bad(format!(
                    "{}: expected the balance as a decimal string in \"result\", got {}",
                    request.shown,
                    describe_value(&other)
                )));
            }
            other => return Err(self.refusal(&request, other)),
        };
        self.client.store(&fetched, policy);
        control.step();
        Ok(Some(Node {
            id: node.clone(),
            kind: NodeKind::Address,
            balance: Some(balance),
            tx_count: None,
            provenance: Some(Box::new(self.provenance(&request, &fetched, tip))),
            gaps: Vec::new(),
        }))
    }

    fn provenance(&self, request: &ApiRequest, fetched: &Fetched, tip: Option<u64>) -> Provenance {
        Provenance {
            source: self.name.clone(),
            request: request.shown.clone(),
            fetched_at: fetched.fetched_at,
            block_height: tip,
        }
    }
}

impl DataSource for EtherscanSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        self.check_node(node)?;
        control.check()?;
        let tip = self.tip(control)?;
        self.lookup_address(node, tip, control)
    }

    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        self.counterparties_page(node, direction, None, control)
            .map(|page| page.counterparties)
    }

    /// One transaction by its hash (see `by_hash.rs`); Blockscout refuses, naming what can.
    fn transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<crate::sources::TransactionFacts, SourceError> {
        self.read_transaction(chain, hash, control)
    }

    /// The whole history at once (no cursor), with its gaps: the genesis allocation, lists
    /// stopped by a cap or the page limit, and an address the server has no row for.
    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        if resume.is_some() {
            return Err(super::no_more_to_load(self.name()));
        }
        self.check_node(node)?;
        control.check()?;
        let tip = self.tip(control)?;
        let mut reading = Reading::default();
        for kind in Kind::ALL {
            control.check()?;
            self.fetch_list(node, kind, tip, control, &mut reading)?;
        }
        let mut gaps: Vec<String> = reading
            .genesis
            .iter()
            .map(|genesis| genesis.sentence(&self.name))
            .collect();
        gaps.append(&mut reading.gaps);
        if reading.is_empty() {
            gaps.push(gaps::no_history(&self.name, node));
        }
        let transfers = facts::transfers(reading.legs, self.chain);
        Ok(CounterpartyPage {
            counterparties: groups::account_counterparties(node, direction, transfers),
            resume: None,
            gaps,
        })
    }
}

/// The base the `/api` path is appended to: `base_url` without a trailing `/` or `/api`.
fn api_root(base_url: &str) -> String {
    let trimmed = base_url.trim().trim_end_matches('/');
    let without_api = match trimmed.len().checked_sub(4) {
        Some(at) if trimmed.is_char_boundary(at) && trimmed[at..].eq_ignore_ascii_case("/api") => {
            &trimmed[..at]
        }
        _ => trimmed,
    };
    without_api.trim_end_matches('/').to_owned()
}

/// `host[:port]` of a URL, lower-case and without credentials.
fn host_of(base_url: &str) -> Option<String> {
    let rest = base_url
        .trim()
        .split_once("://")
        .map_or(base_url.trim(), |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests;
