//! [`GraphSenseSource`]: a team's GraphSense REST API (the open-source analytics platform whose
//! Cassandra + Spark pipeline indexes whole chains and computes address clusters), or the
//! hosted one at [`GRAPHSENSE_BASE`], as the OpenAPI specification 1.15.x defines it.
//!
//! # What it answers
//! * Chains: Bitcoin (`btc`), Ethereum (`eth`), TRON (`trx`), Litecoin (`ltc`), Bitcoin Cash
//!   (`bch`, addresses in the legacy form GraphSense stores) and Zcash (`zec`, transparent) —
//!   the currencies of GraphSense that are also Caseboard chains. A node of another chain is
//!   refused as unsupported.
//! * `lookup(address)`: `GET /{currency}/addresses/{address}` → balance (base units) and the
//!   transactions in and out; 404 is `None`.
//! * `counterparties_page(address, dir, resume)`: `GET …/neighbors?direction=in|out` — the
//!   address graph's pre-aggregated relations. Each neighbour is one counterparty whose
//!   transfers are *relations*: one per asset (native value, each token value), the sum of
//!   `no_txs` transactions, without a hash or a time ([`Transfer::relation_txs`]). Token tickers
//!   are keyed by the contract the server's `supported_tokens` gives (read once per currency);
//!   a token it gives none for is left out and said. Pages follow `next_page` (`pagesize`
//!   bounded, [`DEFAULT_MAX_PAGES`] per direction per call, the read caps), and a resume cursor
//!   (`graphsense1|<in>|<out>`) lets Load more go on.
//! * Tags: neighbours the list labels get their tags (`…/tags`, at most
//!   [`MAX_TAGGED_NEIGHBORS`] a call) as tags with origin `graphsense`, their confidence and
//!   concepts mapped to Caseboard's (`convert.rs`).
//! * `cluster_of(address)`: `GET …/entity` → the entity's size, balance and best tag;
//!   `cluster_members` its addresses (`entity.rs`).
//! * `relation_transactions(from, to)`: the transactions behind one relation (`links.rs`);
//!   between two entities, each transaction as one transfer entity → entity (`entity_links.rs`).
//!
//! The answers' shapes are in `wire.rs`, their conversion (and every number's check) in
//! `convert.rs`, paging and the resume cursor in `paging.rs`, tags in `tags.rs`.
//!
//! # Keys and secrets
//! The key (settings or `CASEBOARD_GRAPHSENSE_API_KEY`) travels only in the `Authorization`
//! header, marked secret in the shared client: never in a message, log line, cache key,
//! provenance or case. The shared client's limits, retries, pacing and cache apply.

mod convert;
mod entity;
mod entity_links;
mod links;
mod paging;
mod tags;
mod wire;

pub use convert::{TAG_ORIGIN, currency_of};

use crate::model::node::Provenance;
use crate::model::{Chain, Node, NodeId, Tag};
use crate::sources::etherscan::Secret;
use crate::sources::groups::CounterpartyGroups;
use crate::sources::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache};
use crate::sources::limits::ReadCaps;
use crate::sources::{
    ClusterFacts, Counterparty, CounterpartyPage, DataSource, Direction, JobControl, SourceError,
    gaps,
};
use convert::{LeftOut, Neighbor, TokenAsset};
use paging::{Position, is_page_token, parse_cursor, percent_encode, shown_request};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Iknaio's hosted GraphSense API (needs a key).
pub const GRAPHSENSE_BASE: &str = "https://api.ikna.io";

/// Environment variable the app may read the GraphSense key from.
pub const API_KEY_ENV: &str = "CASEBOARD_GRAPHSENSE_API_KEY";

/// The header GraphSense reads the key from.
pub const API_KEY_HEADER: &str = "Authorization";

/// Neighbours per page (`pagesize`).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Largest `pagesize` asked for.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// Pages read per direction in one call.
pub const DEFAULT_MAX_PAGES: u32 = 20;

/// Neighbours whose tags are read in one call (those the list labels, first come).
pub const MAX_TAGGED_NEIGHBORS: usize = 25;

/// Most addresses of one entity brought into a case at once.
pub const MAX_CLUSTER_MEMBERS: usize = 1_000;

/// Tags kept per address.
const MAX_TAGS_PER_ADDRESS: usize = 50;

/// Seconds relations, balances and entities stay fresh; tags and token lists last longer.
const SHORT_MAX_AGE_SECS: u64 = 60;
const LONG_MAX_AGE_SECS: u64 = 3_600;

/// The GraphSense key from [`API_KEY_ENV`], if set.
pub fn api_key_from_env() -> Option<Secret> {
    Secret::from_env(API_KEY_ENV)
}

/// A currency's tokens: assets by ticker and the tickers without a usable contract.
type TokenTable = Arc<(BTreeMap<String, TokenAsset>, Vec<String>)>;

/// Tags found per neighbour.
type TagsByNode = BTreeMap<NodeId, Vec<Tag>>;

/// One page of a neighbour list, of either graph.
struct NeighborPage {
    neighbors: Vec<Neighbor>,
    next_page: Option<String>,
}

/// The path part naming `node`: `addresses/{a}` or, for an entity, `entities/{id}`.
fn subject(node: &NodeId) -> String {
    match node.entity_id() {
        Some(id) => format!("entities/{id}"),
        None => format!("addresses/{}", node.value()),
    }
}

/// What one call read so far.
#[derive(Debug, Default)]
struct Reading {
    groups: CounterpartyGroups,
    labelled: Vec<NodeId>,
    /// Tags the rows brought themselves (an entity's best tag).
    tags: TagsByNode,
    rows: u64,
    bytes: u64,
    gaps: Vec<String>,
    left_out: LeftOut,
}

/// GraphSense relations, addresses, entities and tags (see the module doc). `Debug` shows no
/// key.
#[derive(Debug, Clone)]
pub struct GraphSenseSource {
    client: HttpClient,
    name: String,
    page_size: u32,
    max_pages: u32,
    read_caps: ReadCaps,
    tokens: Arc<Mutex<BTreeMap<&'static str, TokenTable>>>,
}

impl GraphSenseSource {
    /// GraphSense at `base_url` (its path, e.g. `/api`, kept), with an optional key.
    pub fn new(
        base_url: &str,
        api_key: Option<Secret>,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Self, SourceError> {
        let name = crate::sources::http::source_name("graphsense", base_url);
        let mut client = HttpClient::new(&name, base_url.trim_end_matches('/'), config, cache)?;
        if let Some(key) = api_key.filter(|k| !k.is_empty()) {
            client = client.with_secret_header(API_KEY_HEADER, key.expose())?;
        }
        Ok(GraphSenseSource {
            client,
            name,
            page_size: DEFAULT_PAGE_SIZE,
            max_pages: DEFAULT_MAX_PAGES,
            read_caps: ReadCaps::default(),
            tokens: Arc::default(),
        })
    }

    /// Sets the neighbours per page (`pagesize`, 1 to [`MAX_PAGE_SIZE`]).
    pub fn with_page_size(mut self, rows: u32) -> Self {
        self.page_size = rows.clamp(1, MAX_PAGE_SIZE);
        self
    }

    /// Sets how many pages of each direction one call reads (at least 1).
    pub fn with_max_pages(mut self, pages: u32) -> Self {
        self.max_pages = pages.max(1);
        self
    }

    /// Sets what one expansion may read: neighbours count against `max_transactions`, answer
    /// bytes against `max_bytes`.
    pub fn with_read_caps(mut self, caps: ReadCaps) -> Self {
        self.read_caps = caps;
        self
    }

    /// The HTTP client (for [`HttpClient::requests_sent`]).
    pub fn client(&self) -> &HttpClient {
        &self.client
    }

    /// Reads `/stats`: which currencies the instance serves.
    pub fn test_connection(&self, control: &JobControl) -> Result<String, SourceError> {
        #[derive(serde::Deserialize)]
        struct Stats {
            currencies: Vec<Currency>,
        }
        #[derive(serde::Deserialize)]
        struct Currency {
            name: String,
        }
        let (stats, _, _) = self.fetch::<Stats>("/stats", CachePolicy::NoStore, control)?;
        let names: Vec<String> = stats
            .currencies
            .iter()
            .take(50)
            .map(|c| crate::util::clip(&c.name, 16).into_owned())
            .collect();
        let ours: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| Chain::NAMED.iter().any(|c| currency_of(*c) == Some(*n)))
            .collect();
        Ok(format!(
            "answers; serves {} (Caseboard reads {})",
            if names.is_empty() {
                "no currencies".to_owned()
            } else {
                names.join(", ")
            },
            if ours.is_empty() {
                "none of them".to_owned()
            } else {
                ours.join(", ")
            }
        ))
    }

    fn bad(&self, message: String) -> SourceError {
        SourceError::BadAnswer {
            source_name: self.name.clone(),
            message: self.client.redacted(&message),
        }
    }

    /// The chain and GraphSense currency of an address node this source serves.
    fn currency(&self, node: &NodeId) -> Result<(Chain, &'static str), SourceError> {
        node.chain()
            .filter(|_| !node.is_transaction() && !node.is_script())
            .and_then(|chain| currency_of(chain).map(|currency| (chain, currency)))
            .ok_or_else(|| SourceError::UnsupportedChain {
                source_name: self.name.clone(),
                node: node.clone(),
            })
    }

    /// GETs `path` and parses it; 404 is `None`.
    fn fetch_if_found<T: DeserializeOwned>(
        &self,
        path: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<Option<(T, usize, i64)>, SourceError> {
        let Some(fetched) = self.client.get_if_found(path, policy, control)? else {
            return Ok(None);
        };
        let value: T = fetched.json()?;
        self.client.store(&fetched, policy);
        Ok(Some((value, fetched.body.len(), fetched.fetched_at)))
    }

    fn fetch<T: DeserializeOwned>(
        &self,
        path: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<(T, usize, i64), SourceError> {
        let fetched = self.client.get(path, policy, control)?;
        let value: T = fetched.json()?;
        self.client.store(&fetched, policy);
        Ok((value, fetched.body.len(), fetched.fetched_at))
    }

    fn provenance(&self, path: &str, fetched_at: i64) -> Provenance {
        Provenance {
            source: self.name.clone(),
            request: format!("GET {}", shown_request(path)),
            fetched_at,
            block_height: None,
        }
    }

    /// The currency's tokens, read once per source.
    fn tokens(&self, currency: &'static str, chain: Chain, control: &JobControl) -> TokenTable {
        if let Some(table) = self
            .tokens
            .lock()
            .ok()
            .and_then(|t| t.get(currency).cloned())
        {
            return table;
        }
        let path = format!("/{currency}/supported_tokens");
        let table: TokenTable = match self.fetch::<wire::TokenConfigs>(
            &path,
            CachePolicy::MaxAge(LONG_MAX_AGE_SECS),
            control,
        ) {
            Ok((configs, _, _)) => Arc::new(convert::token_assets(chain, &configs.token_configs)),
            // Not kept: the next call asks again.
            Err(_) => return Arc::default(),
        };
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.insert(currency, table.clone());
        }
        table
    }

    /// Reads `direction`'s neighbours of `node` from `position`; returns where it stopped.
    fn read_direction(
        &self,
        node: &NodeId,
        direction: Direction,
        mut position: Position,
        reading: &mut Reading,
        control: &JobControl,
    ) -> Result<Position, SourceError> {
        let (chain, currency) = self.currency(node)?;
        let wire_direction = if direction == Direction::In {
            "in"
        } else {
            "out"
        };
        let mut pages = 0u32;
        loop {
            let token = match &position {
                Position::End => return Ok(Position::End),
                Position::Start => None,
                Position::Page(token) => Some(token.clone()),
            };
            if pages >= self.max_pages {
                return Ok(position);
            }
            if let Some(reason) = self.cap_reached(reading) {
                reading.gaps.push(format!(
                    "{}: {} neighbours of {node} not all read: {reason}; Load more reads on",
                    self.name,
                    direction.name()
                ));
                return Ok(position);
            }
            control.check()?;
            let mut path = format!(
                "/{currency}/{}/neighbors?direction={wire_direction}&include_labels=true&include_actors=false&pagesize={}",
                subject(node),
                self.page_size
            );
            if let Some(token) = &token {
                path.push_str("&page=");
                path.push_str(&percent_encode(token));
            }
            let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
            let (page, bytes, fetched_at) = if node.is_entity() {
                let (page, bytes, at) =
                    self.fetch::<wire::NeighborEntities>(&path, policy, control)?;
                let rows = page.neighbors.into_iter();
                let page = NeighborPage {
                    neighbors: rows.map(|n| Neighbor::Entity(Box::new(n))).collect(),
                    next_page: page.next_page,
                };
                (page, bytes, at)
            } else {
                let (page, bytes, at) =
                    self.fetch::<wire::NeighborAddresses>(&path, policy, control)?;
                let page = NeighborPage {
                    neighbors: page.neighbors.into_iter().map(Neighbor::Address).collect(),
                    next_page: page.next_page,
                };
                (page, bytes, at)
            };
            reading.bytes = reading
                .bytes
                .saturating_add(u64::try_from(bytes).unwrap_or(u64::MAX));
            reading.rows = reading
                .rows
                .saturating_add(u64::try_from(page.neighbors.len()).unwrap_or(u64::MAX));
            control.add_transfers(page.neighbors.len());
            let provenance = self.provenance(&path, fetched_at);
            let has_tokens = page.neighbors.iter().any(Neighbor::has_tokens);
            let tokens = if has_tokens {
                self.tokens(currency, chain, control)
            } else {
                TokenTable::default()
            };
            for (index, neighbor) in page.neighbors.iter().enumerate() {
                let cp = convert::relation(
                    chain,
                    node,
                    direction,
                    neighbor,
                    &tokens.0,
                    &provenance,
                    &mut reading.left_out,
                )
                .map_err(|e| {
                    self.bad(format!("{}: neighbors[{index}]: {e}", shown_request(&path)))
                })?;
                if neighbor.labelled() && !cp.key.is_entity() && !reading.labelled.contains(&cp.key)
                {
                    reading.labelled.push(cp.key.clone());
                }
                if !cp.tags.is_empty() {
                    reading
                        .tags
                        .entry(cp.key.clone())
                        .or_insert_with(|| cp.tags.clone());
                }
                reading.groups.add(cp.key, cp.value, cp.nodes, cp.transfers);
            }
            control.step();
            pages += 1;
            position = match page.next_page.filter(|t| !t.is_empty()) {
                None => Position::End,
                // An empty page that still hands out a token is the end: going on could loop.
                Some(_) if page.neighbors.is_empty() => Position::End,
                Some(next) if !is_page_token(&next) => {
                    return Err(self.bad(format!(
                        "{}: next_page is not a paging token ({} characters)",
                        shown_request(&path),
                        next.chars().count()
                    )));
                }
                Some(next) if Some(&next) == token.as_ref() => {
                    return Err(self.bad(format!(
                        "{}: the server gave the same next_page again (a paging loop)",
                        shown_request(&path)
                    )));
                }
                Some(next) => Position::Page(next),
            };
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
                "{} neighbours were read, the most one expansion may (max_transactions)",
                reading.rows
            )
        })
    }
}

impl DataSource for GraphSenseSource {
    fn name(&self) -> &str {
        &self.name
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        let (chain, currency) = self.currency(node)?;
        if let Some(id) = node.entity_id() {
            let path = format!(
                "/{currency}/entities/{id}?exclude_best_address_tag=true&include_actors=false"
            );
            let Some((entity, _, fetched_at)) = self.fetch_if_found::<wire::Entity>(
                &path,
                CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
                control,
            )?
            else {
                return Ok(None);
            };
            let found =
                convert::entity_node_of(chain, &entity, &self.provenance(&path, fetched_at))
                    .map_err(|e| self.bad(format!("{path}: {e}")))?;
            if found.id != *node {
                return Err(self.bad(format!("{path}: the answer is about {}", found.id)));
            }
            return Ok(Some(found));
        }
        let path = format!(
            "/{currency}/addresses/{}?include_actors=false",
            node.value()
        );
        let Some((address, _, fetched_at)) = self.fetch_if_found::<wire::Address>(
            &path,
            CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
            control,
        )?
        else {
            return Ok(None);
        };
        let found = convert::node_of(chain, &address, &self.provenance(&path, fetched_at))
            .map_err(|e| self.bad(format!("{path}: {e}")))?;
        if found.id != *node {
            return Err(self.bad(format!(
                "{path}: the answer is about {}, not {node}",
                found.id
            )));
        }
        Ok(Some(found))
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

    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.currency(node)?;
        let (incoming, outgoing) = match resume {
            None => (
                if direction.includes_in() {
                    Position::Start
                } else {
                    Position::End
                },
                if direction.includes_out() {
                    Position::Start
                } else {
                    Position::End
                },
            ),
            Some(cursor) => parse_cursor(cursor).ok_or_else(|| {
                self.bad("this resume cursor was not made by this source".to_owned())
            })?,
        };
        control.check()?;
        let mut reading = Reading::default();
        let incoming = self.read_direction(node, Direction::In, incoming, &mut reading, control)?;
        let outgoing =
            self.read_direction(node, Direction::Out, outgoing, &mut reading, control)?;
        let (mut tags, tag_gaps) = self.labelled_tags(&reading, control)?;
        for (node, own) in std::mem::take(&mut reading.tags) {
            tags.entry(node).or_insert(own);
        }
        let mut gaps = std::mem::take(&mut reading.gaps);
        gaps.extend(tag_gaps);
        for (ticker, relations) in &reading.left_out.unknown_tokens {
            gaps.push(format!(
                "{}: {ticker} values of {} left out: the server's supported_tokens gives no contract for it",
                self.name,
                crate::util::plural(*relations, "relation", "relations")
            ));
        }
        if resume.is_none() && reading.rows == 0 {
            gaps.push(gaps::no_history(&self.name, node));
        }
        let resume = (incoming != Position::End || outgoing != Position::End)
            .then(|| paging::cursor(&incoming, &outgoing));
        let mut counterparties = std::mem::take(&mut reading.groups).finish();
        for cp in &mut counterparties {
            cp.tags = tags.remove(&cp.key).unwrap_or_default();
        }
        Ok(CounterpartyPage {
            counterparties,
            resume,
            gaps,
        })
    }

    fn cluster_of(
        &self,
        node: &NodeId,
        control: &JobControl,
    ) -> Result<Option<ClusterFacts>, SourceError> {
        let (chain, currency) = self.currency(node)?;
        let path = match node.entity_id() {
            Some(id) => format!("/{currency}/entities/{id}?include_actors=false"),
            None => format!(
                "/{currency}/addresses/{}/entity?include_actors=false",
                node.value()
            ),
        };
        let Some((entity, _, _)) = self.fetch_if_found::<wire::Entity>(
            &path,
            CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
            control,
        )?
        else {
            return Ok(None);
        };
        convert::cluster_of(chain, &entity)
            .map(Some)
            .map_err(|e| self.bad(format!("{path}: {e}")))
    }

    fn relation_transactions(
        &self,
        from: &NodeId,
        to: &NodeId,
        control: &JobControl,
    ) -> Result<crate::sources::TransactionFacts, SourceError> {
        self.links(from, to, control)
    }

    fn cluster_members(
        &self,
        cluster: &ClusterFacts,
        limit: usize,
        control: &JobControl,
    ) -> Result<Vec<Node>, SourceError> {
        self.entity_members(cluster, limit, control)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_show_and_names_say_the_host() {
        let source = GraphSenseSource::new(
            "http://127.0.0.1:9/api",
            Some(Secret::new("gs-key-123")),
            HttpConfig::for_own_node(),
            None,
        )
        .expect("source");
        assert_eq!(source.name(), "graphsense:127.0.0.1:9");
        assert!(!format!("{source:?}").contains("gs-key-123"));
        assert_eq!(source.client().redacted("echo gs-key-123"), "echo REDACTED");
    }
}
