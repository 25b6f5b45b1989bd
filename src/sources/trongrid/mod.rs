//! [`TronGridSource`]: TRON address histories through the TronGrid v1 API
//! (`https://api.trongrid.io`, or any server that answers the same paths).
//!
//! # What it answers
//! * `lookup(address)`: `GET /v1/accounts/{T…}` → the TRX balance in sun (6 decimals; a
//!   balance the answer leaves out is 0, as protobuf leaves zero fields out). An empty `data`
//!   list (an address never activated) is `None`.
//! * `counterparties_page(address, dir, resume)`: two lists, each newest first and confirmed
//!   only — `GET /v1/accounts/{T…}/transactions?only_confirmed=true&limit=200&order_by=block_timestamp,desc`
//!   (TRX transfers) and `…/transactions/trc20?…&get_detail=true` (TRC-20 transfers: USDT,
//!   USDC, any token, with the token's contract and decimals, and the transaction for its
//!   block number) — page after page with the `fingerprint` the
//!   previous answer's `meta` gave, until an answer has none (the end), `max_pages` pages per
//!   list were read, or a read cap ([`ReadCaps`]) is reached. The URL in `meta.links.next` is
//!   never followed: requests go only to the configured origin, built here. Where a list
//!   stopped before its end, the page's resume cursor (`trongrid1|<trx>|<trc20>`, each
//!   `end` or `fp:<fingerprint>`) lets "Load more" go on from there. What rows hold and what is
//!   left out: see `rows.rs`; what was left out is said in the page's gaps.
//! * `counterparties_page_within(…, range)`: the same, with `min_timestamp`/`max_timestamp`
//!   (ms, both inclusive; the last second taken whole) on every page of both lists, so only
//!   the range is read; its resume cursor carries the range (`…|<min>-<max>`) and refuses to
//!   go on under another one.
//! * `transaction(TRON, txid)`: one transaction by id (see `by_hash.rs`).
//! * `control.check()` before every request and `control.step()` after every page.
//!
//! # Keys, limits, secrets
//! An API key (settings or `CASEBOARD_TRONGRID_API_KEY`) travels only in the
//! `TRON-PRO-API-KEY` header, marked secret in the shared client: never in a message, a log
//! line, a cache key, provenance or a case. Without a key TronGrid throttles by address, so
//! the source still works, more slowly. TronGrid's rate limits (HTTP 429, 503, and the 403
//! "… suspended for 30s" penalty) are waited out by the shared client and retried; past its
//! retries the error says so.
//!
//! # Caching
//! First pages and balances are kept [`SHORT_MAX_AGE_SECS`]; a page reached through a
//! fingerprint lists confirmed history behind a fixed point and is kept for good.

mod by_hash;
mod cursor;
mod rows;

use crate::model::node::Provenance;
use crate::model::{Chain, Node, NodeId, Transfer};
use crate::sources::etherscan::Secret;
use crate::sources::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache};
use crate::sources::limits::ReadCaps;
use crate::sources::{
    Counterparty, CounterpartyPage, DataSource, Direction, JobControl, SourceError, TimeRange,
    gaps, groups,
};
use cursor::{CURSOR_TAG, MsRange, is_fingerprint, parse_cursor, show_position};
use rows::{Account, Envelope, Reader, Skipped, Trc20Row, TxRow};
use serde::de::DeserializeOwned;
use std::collections::HashSet;

/// TronGrid mainnet.
pub const TRONGRID_BASE: &str = "https://api.trongrid.io";

/// Environment variable the app may read the TronGrid key from.
pub const API_KEY_ENV: &str = "CASEBOARD_TRONGRID_API_KEY";

/// The header TronGrid reads the key from.
pub const API_KEY_HEADER: &str = "TRON-PRO-API-KEY";

/// Rows per page (`limit`; TronGrid's most is 200).
pub const DEFAULT_PAGE_SIZE: u32 = 200;

/// Pages read per list in one call.
pub const DEFAULT_MAX_PAGES: u32 = 50;

/// Seconds a first page or a balance stays fresh.
const SHORT_MAX_AGE_SECS: u64 = 60;

/// Characters of a fingerprint shown in provenance (the rest is elided).
const SHOWN_FINGERPRINT_CHARS: usize = 12;

/// The TronGrid key from [`API_KEY_ENV`], if set.
pub fn api_key_from_env() -> Option<Secret> {
    Secret::from_env(API_KEY_ENV)
}

/// The two lists of a history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum List {
    Trx,
    Trc20,
}

impl List {
    fn path(self) -> &'static str {
        match self {
            List::Trx => "transactions",
            List::Trc20 => "transactions/trc20",
        }
    }

    fn name(self) -> &'static str {
        match self {
            List::Trx => "TRX transfers",
            List::Trc20 => "TRC-20 transfers",
        }
    }
}

/// Where one list stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Position {
    /// From the newest row.
    Start,
    /// After the page this fingerprint points past.
    After(String),
    /// Read to its end.
    End,
}

/// TRON histories from TronGrid (see the module doc). `Debug` shows no key.
#[derive(Debug, Clone)]
pub struct TronGridSource {
    client: HttpClient,
    name: String,
    page_size: u32,
    max_pages: u32,
    read_caps: ReadCaps,
}

/// What one call read so far.
#[derive(Debug, Default)]
struct Reading {
    transfers: Vec<Transfer>,
    seen: HashSet<crate::model::TransferId>,
    reader: Reader,
    rows: u64,
    bytes: u64,
    gaps: Vec<String>,
}

impl TronGridSource {
    /// TronGrid (or a server answering its v1 paths) at `base_url`, with an optional key.
    pub fn new(
        base_url: &str,
        api_key: Option<Secret>,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Self, SourceError> {
        let name = crate::sources::http::source_name("trongrid", base_url);
        let mut client = HttpClient::new(&name, base_url.trim_end_matches('/'), config, cache)?;
        if let Some(key) = api_key.filter(|k| !k.is_empty()) {
            client = client.with_secret_header(API_KEY_HEADER, key.expose())?;
        }
        Ok(TronGridSource {
            client,
            name,
            page_size: DEFAULT_PAGE_SIZE,
            max_pages: DEFAULT_MAX_PAGES,
            read_caps: ReadCaps::default(),
        })
    }

    /// Sets the rows per page (`limit`, 1 to 200).
    pub fn with_page_size(mut self, rows: u32) -> Self {
        self.page_size = rows.clamp(1, 200);
        self
    }

    /// Sets how many pages of each list one call reads (at least 1).
    pub fn with_max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Sets what one expansion may read: rows of both lists count against
    /// `max_transactions`, answer bytes against `max_bytes`.
    pub fn with_read_caps(mut self, caps: ReadCaps) -> Self {
        self.read_caps = caps;
        self
    }

    /// The HTTP client (for [`HttpClient::requests_sent`]).
    pub fn client(&self) -> &HttpClient {
        &self.client
    }

    /// Looks up USDT-TRC20's contract account: `"USDT contract account found"`.
    pub fn test_connection(&self, control: &JobControl) -> Result<String, SourceError> {
        let usdt = NodeId::parse("trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
            .map_err(|e| self.bad(e.to_string()))?;
        let found = self
            .account(&usdt, CachePolicy::NoStore, control)?
            .is_some();
        Ok(match (found, self.client.is_offline()) {
            (_, true) => "offline: answers come from the cache".to_owned(),
            (true, false) => "answers (the USDT-TRC20 contract account was found)".to_owned(),
            (false, false) => "answers, but does not know the USDT-TRC20 contract".to_owned(),
        })
    }

    fn bad(&self, message: String) -> SourceError {
        SourceError::BadAnswer {
            source_name: self.name.clone(),
            message: self.client.redacted(&message),
        }
    }

    fn check_node(&self, node: &NodeId) -> Result<(), SourceError> {
        if node.chain() == Some(Chain::Tron) && !node.is_transaction() {
            Ok(())
        } else {
            Err(SourceError::UnsupportedChain {
                source_name: self.name.clone(),
                node: node.clone(),
            })
        }
    }

    /// GETs `path` and parses the envelope; `success: false` is the server's words.
    fn fetch<T: DeserializeOwned>(
        &self,
        path: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<(Envelope<T>, usize, i64), SourceError> {
        let fetched = self.client.get(path, policy, control)?;
        let bytes = fetched.body.len();
        let envelope: Envelope<T> = fetched.json()?;
        if envelope.success == Some(false) {
            let words = match &envelope.error {
                Some(serde_json::Value::String(text)) => text.clone(),
                Some(other) => other.to_string(),
                None => "no reason given".to_owned(),
            };
            return Err(self.bad(format!(
                "{}: the server said: {}",
                shown_request(path),
                crate::util::clip(&words, 200)
            )));
        }
        self.client.store(&fetched, policy);
        Ok((envelope, bytes, fetched.fetched_at))
    }

    fn account(
        &self,
        node: &NodeId,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<Option<Node>, SourceError> {
        let path = format!("/v1/accounts/{}", node.value());
        let (envelope, _, fetched_at) = self.fetch::<Account>(&path, policy, control)?;
        let Some(account) = envelope.data.first() else {
            return Ok(None);
        };
        let balance = rows::read_balance(account.balance.as_ref())
            .ok_or_else(|| self.bad(format!("{path}: data[0].balance: not a whole number")))?;
        let mut found = Node::address(node.clone());
        found.balance = Some(balance);
        found.provenance = Some(Box::new(Provenance {
            source: self.name.clone(),
            request: format!("GET {path}"),
            fetched_at,
            block_height: None,
        }));
        Ok(Some(found))
    }

    /// Reads `list` of `node` from `position` into `reading`; returns where it stopped.
    fn read_list(
        &self,
        node: &NodeId,
        list: List,
        mut position: Position,
        range: &MsRange,
        reading: &mut Reading,
        control: &JobControl,
    ) -> Result<Position, SourceError> {
        let mut pages = 0u32;
        loop {
            let fingerprint = match &position {
                Position::End => return Ok(Position::End),
                Position::Start => None,
                Position::After(fp) => Some(fp.clone()),
            };
            if pages >= self.max_pages {
                return Ok(position);
            }
            if let Some(reason) = self.cap_reached(reading) {
                reading.gaps.push(format!(
                    "{}: {} of {node} not all read: {reason}; Load more reads on",
                    self.name,
                    list.name()
                ));
                return Ok(position);
            }
            control.check()?;
            let mut path = format!(
                "/v1/accounts/{}/{}?only_confirmed=true&limit={}&order_by=block_timestamp,desc",
                node.value(),
                list.path(),
                self.page_size
            );
            if list == List::Trc20 {
                // The transaction with each row: its block number (the plain row has none).
                path.push_str("&get_detail=true");
            }
            // The range goes with every page: TronGrid pages within the same filters.
            if let Some(min_ms) = range.min_ms {
                path.push_str(&format!("&min_timestamp={min_ms}"));
            }
            if let Some(max_ms) = range.max_ms {
                path.push_str(&format!("&max_timestamp={max_ms}"));
            }
            if let Some(fp) = &fingerprint {
                path.push_str("&fingerprint=");
                path.push_str(fp);
            }
            let policy = if fingerprint.is_some() {
                CachePolicy::Immutable
            } else {
                CachePolicy::MaxAge(SHORT_MAX_AGE_SECS)
            };
            let next = match list {
                List::Trx => {
                    self.read_page::<TxRow>(&path, policy, reading, control, |r, i, row, p| {
                        r.trx(i, row, p)
                    })?
                }
                List::Trc20 => {
                    self.read_page::<Trc20Row>(&path, policy, reading, control, |r, i, row, p| {
                        r.trc20(i, row, p)
                    })?
                }
            };
            control.step();
            pages += 1;
            position = match next {
                None => Position::End,
                Some(next) if Some(&next) == fingerprint.as_ref() => {
                    return Err(self.bad(format!(
                        "{}: the server gave the same fingerprint again (a paging loop)",
                        shown_request(&path)
                    )));
                }
                Some(next) => Position::After(next),
            };
        }
    }

    /// Reads one page; returns the next fingerprint, if any.
    fn read_page<T: DeserializeOwned>(
        &self,
        path: &str,
        policy: CachePolicy,
        reading: &mut Reading,
        control: &JobControl,
        read: impl Fn(&mut Reader, usize, &T, &Provenance) -> Result<Option<Transfer>, String>,
    ) -> Result<Option<String>, SourceError> {
        let (envelope, bytes, fetched_at) = self.fetch::<T>(path, policy, control)?;
        reading.bytes = reading
            .bytes
            .saturating_add(u64::try_from(bytes).unwrap_or(u64::MAX));
        reading.rows = reading
            .rows
            .saturating_add(u64::try_from(envelope.data.len()).unwrap_or(u64::MAX));
        control.add_transfers(envelope.data.len());
        let provenance = Provenance {
            source: self.name.clone(),
            request: format!("GET {}", shown_request(path)),
            fetched_at,
            block_height: None,
        };
        for (index, row) in envelope.data.iter().enumerate() {
            let transfer = read(&mut reading.reader, index, row, &provenance)
                .map_err(|e| self.bad(format!("{}: {e}", shown_request(path))))?;
            if let Some(transfer) = transfer
                && reading.seen.insert(transfer.id.clone())
            {
                reading.transfers.push(transfer);
            }
        }
        let next = envelope.meta.and_then(|meta| meta.fingerprint);
        match next {
            Some(fp) if !is_fingerprint(&fp) => Err(self.bad(format!(
                "{}: meta.fingerprint is not a paging token ({} characters)",
                shown_request(path),
                fp.chars().count()
            ))),
            // An empty page that still hands out a fingerprint is taken as the end: going on
            // could only loop.
            Some(_) if envelope.data.is_empty() => Ok(None),
            other => Ok(other.filter(|fp| !fp.is_empty())),
        }
    }

    fn cap_reached(&self, reading: &Reading) -> Option<String> {
        if reading.bytes >= self.read_caps.max_bytes {
            return Some(format!(
                "{} bytes of answers were read, the most one expansion may (max_bytes)",
                reading.bytes
            ));
        }
        (reading.rows >= self.read_caps.max_transactions).then(|| {
            format!(
                "{} rows were read, the most one expansion may (max_transactions)",
                reading.rows
            )
        })
    }

    fn skipped_gaps(&self, skipped: Skipped) -> Vec<String> {
        let name = &self.name;
        let mut out = Vec::new();
        if skipped.with_internal > 0 {
            out.push(format!(
                "{name}: {} moved TRX inside contract calls (internal transactions), which this source does not list",
                crate::util::plural(skipped.with_internal, "transaction", "transactions")
            ));
        }
        if skipped.trc10 > 0 {
            out.push(format!(
                "{name}: {} (TransferAssetContract) not shown",
                crate::util::plural(skipped.trc10, "TRC-10 transfer", "TRC-10 transfers")
            ));
        }
        if skipped.too_large > 0 {
            out.push(format!(
                "{name}: {} with amounts beyond 128 bits left out (spam tokens mint such amounts)",
                crate::util::plural(skipped.too_large, "token transfer", "token transfers")
            ));
        }
        out
    }
}

impl DataSource for TronGridSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        self.check_node(node)?;
        self.account(node, CachePolicy::MaxAge(SHORT_MAX_AGE_SECS), control)
    }

    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        // As much as one call may read (its caps); "Load more" goes on from the cursor.
        self.counterparties_page(node, direction, None, control)
            .map(|page| page.counterparties)
    }

    /// One transaction by its id (see `by_hash.rs`).
    fn transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<crate::sources::TransactionFacts, SourceError> {
        self.read_transaction(chain, hash, control)
    }

    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.page_within(node, direction, resume, &MsRange::default(), control)
    }

    /// Asks TronGrid for the range only (`min_timestamp`/`max_timestamp`, ms).
    fn counterparties_page_within(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        range: TimeRange,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.page_within(node, direction, resume, &MsRange::of(range), control)
    }
}

impl TronGridSource {
    /// One page of both lists within `range` (see the module doc).
    fn page_within(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        range: &MsRange,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.check_node(node)?;
        let (trx, trc20) = match resume {
            None => (Position::Start, Position::Start),
            Some(cursor) => {
                let (trx, trc20, made_for) = parse_cursor(cursor).ok_or_else(|| {
                    self.bad("this resume cursor was not made by this source".to_owned())
                })?;
                if made_for != *range {
                    return Err(self.bad(
                        "this resume cursor was made for another time range; expand again \
                         with the range it was made for, or without it"
                            .to_owned(),
                    ));
                }
                (trx, trc20)
            }
        };
        control.check()?;
        let mut reading = Reading::default();
        let trx = self.read_list(node, List::Trx, trx, range, &mut reading, control)?;
        let trc20 = self.read_list(node, List::Trc20, trc20, range, &mut reading, control)?;
        let mut gaps = std::mem::take(&mut reading.gaps);
        gaps.extend(self.skipped_gaps(reading.reader.skipped));
        if resume.is_none() && reading.rows == 0 && trx == Position::End && trc20 == Position::End {
            gaps.push(gaps::no_history(&self.name, node));
        }
        let resume = (trx != Position::End || trc20 != Position::End).then(|| {
            let mut cursor = format!(
                "{CURSOR_TAG}|{}|{}",
                show_position(&trx),
                show_position(&trc20)
            );
            if !range.is_open() {
                cursor.push_str(&format!("|{}", range.show()));
            }
            cursor
        });
        Ok(CounterpartyPage {
            counterparties: groups::account_counterparties(node, direction, reading.transfers),
            resume,
            gaps,
        })
    }
}

/// A request as provenance and messages show it: the fingerprint shortened.
fn shown_request(path: &str) -> String {
    match path.split_once("&fingerprint=") {
        Some((head, fp)) if fp.chars().count() > SHOWN_FINGERPRINT_CHARS => {
            let short: String = fp.chars().take(SHOWN_FINGERPRINT_CHARS).collect();
            format!("{head}&fingerprint={short}…")
        }
        _ => path.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_show_and_names_say_the_host() {
        let source = TronGridSource::new(
            "http://127.0.0.1:9/",
            Some(Secret::new("tron-key-123")),
            HttpConfig::for_own_node(),
            None,
        )
        .expect("source");
        assert_eq!(source.name(), "trongrid:127.0.0.1:9");
        assert!(!format!("{source:?}").contains("tron-key-123"));
        assert_eq!(
            source.client().redacted("echo tron-key-123"),
            "echo REDACTED"
        );
        assert_eq!(
            shown_request("/v1/accounts/T/transactions?limit=1&fingerprint=0123456789abcdefXYZ"),
            "/v1/accounts/T/transactions?limit=1&fingerprint=0123456789ab…"
        );
    }
}
