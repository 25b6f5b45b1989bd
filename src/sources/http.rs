//! One HTTP client every network source shares: timeouts, retries, rate limit, a body cap,
//! an on-disk response cache and error messages that never carry a secret.
//!
//! # Using it
//! ```no_run
//! use caseboard::sources::JobControl;
//! use caseboard::sources::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache};
//! # fn main() -> Result<(), caseboard::sources::SourceError> {
//! let cache = ResponseCache::default_dir()
//!     .map(|dir| ResponseCache::open(dir, false))
//!     .transpose()?;
//! let client = HttpClient::new(
//!     "esplora:blockstream.info",
//!     "https://blockstream.info/api",
//!     HttpConfig::for_public_service(),
//!     cache,
//! )?;
//! let control = JobControl::default();
//! let tip: u64 = client.get_json_cached("/blocks/tip/height", CachePolicy::MaxAge(60), &control)?;
//! # let _ = tip; Ok(()) }
//! ```
//!
//! * [`HttpClient::new`] takes the source's name (used in every error and log line), its base
//!   URL (`http`/`https`, no credentials) and an [`HttpConfig`]. The base URL's path and query
//!   are secret whatever they look like (module `origin`): messages, log lines and cache
//!   files hold its origin (`scheme://host:port`) only. Clones share the connection pool,
//!   the rate limit, the concurrency limit and the request counter.
//! * [`HttpClient::get_json`] / [`HttpClient::post_json`] fetch fresh; the `_cached` variants take
//!   a [`CachePolicy`]: a cached entry that satisfies it is served without any network traffic,
//!   and a fresh answer is stored only after it parsed. [`HttpClient::get`] returns the raw
//!   [`Fetched`] body (with its fetch time, for provenance) when the caller decides what to
//!   store only after looking at it ([`HttpClient::store`]), e.g. "cache this transaction
//!   forever only if it is confirmed". [`HttpClient::get_if_found`] turns HTTP 404 into `None`.
//! * Every attempt waits for the rate limit (`min_interval_ms` between requests of one client)
//!   and a free slot (`max_concurrent`), then sends. Timeouts, connection errors, a connection
//!   closed mid-body, HTTP 429 and 5xx are retried up to `max_retries` times with exponential
//!   backoff and jitter; `Retry-After` (seconds or an HTTP date) is honoured, and a server
//!   asking for more than `max_retry_wait_secs` fails at once. An error answer whose body
//!   says the client is "suspended for N s" (TronGrid's 403 when a key or an address goes
//!   too fast) is a rate limit with that wait. Cancellation (`JobControl`) is
//!   checked before every attempt and during every wait.
//! * Bodies are read as a stream with a cap (`max_body_bytes`): a larger body is refused as
//!   soon as the cap is passed (or at once, from `Content-Length`), never buffered whole.
//!   Besides the timeout per read (`read_timeout_secs`), one answer has a deadline in all
//!   (`answer_deadline_secs`, default 60 s): a server dripping bytes is cut there.
//! * Redirects are followed only within the origin first asked (at most 3); a redirect to
//!   another scheme, host or port is an error that says so, never followed.
//! * Errors are [`SourceError::BadAnswer`] whose message names the request and what happened:
//!   `GET /tx/…: HTTP 404 Not Found: Transaction not found`, `rate limited (HTTP 429) after 3
//!   retries`, `timed out after 10 s`, `body larger than 8 MiB`, `not JSON at byte 17: …`,
//!   `unexpected JSON at vin[2].prevout: missing field `value``, `offline: not in the cache`.
//!   Query parameters named like a key (`apikey`, `api_key`, `key`, `token`, …), URL
//!   credentials, pieces of the base URL's path and query, and header values marked secret
//!   ([`HttpClient::with_secret_header`]) are replaced by `REDACTED` in every message and log
//!   line ([`redact`]).
//! * [`ResponseCache`] keeps answers under the user's cache folder, one file per request,
//!   under a salted SHA-256 of (method, full URL, body): no key text is written. An answer
//!   that repeats a secret of its request (a server echoing the key) is not cached at all.
//!   In offline mode the cache serves whatever it has, whatever its age, and everything else
//!   fails with "offline: not in the cache".

mod body;
mod cache;
mod client;
mod decode;
mod failure;
mod origin;
mod pacing;
mod redact;

pub use cache::ResponseCache;
pub use client::{Fetched, HttpClient};
pub use origin::{SplitUrl, origin_of, source_name, split_url};
pub use redact::{REDACTED, redact, redact_header};

/// How a request may use the response cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CachePolicy {
    /// The answer never changes (a confirmed transaction): serve any cached copy, store forever.
    Immutable,
    /// Serve a cached copy at most this many seconds old; store with that age limit.
    MaxAge(u64),
    /// Always ask the server; never store (mempool, connection tests).
    NoStore,
}

/// Seconds one answer may take in all unless the settings say otherwise.
pub const DEFAULT_ANSWER_DEADLINE_SECS: u64 = 60;

/// Limits and manners of one client. Build from [`HttpConfig::for_public_service`] or
/// [`HttpConfig::for_own_node`] and adjust fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Seconds to wait for a TCP/TLS connection.
    pub connect_timeout_secs: u64,
    /// Seconds to wait for the response head and for each read of the body.
    pub read_timeout_secs: u64,
    /// Seconds one answer may take in all, from sending the request to its last byte (a
    /// server dripping bytes passes every read timeout but not this). Not retried.
    pub answer_deadline_secs: u64,
    /// Retries after the first attempt (so `max_retries + 1` attempts in all).
    pub max_retries: u32,
    /// At most one request per this many milliseconds per client (0 = no rate limit).
    pub min_interval_ms: u64,
    /// Largest body accepted; larger answers are refused without reading them whole.
    pub max_body_bytes: u64,
    /// Requests in flight at once per client (clones included); at least 1.
    pub max_concurrent: usize,
    /// `User-Agent` header.
    pub user_agent: String,
    /// First backoff step in milliseconds; doubles each retry, plus up to 50 % jitter.
    pub retry_base_ms: u64,
    /// Longest single wait before a retry; a `Retry-After` asking for more fails at once.
    pub max_retry_wait_secs: u64,
}

impl HttpConfig {
    /// A public, rate-limited service (blockstream.info, mempool.space, Etherscan free tier):
    /// about 4 requests per second, 3 retries starting at 1 s, 32 MiB bodies.
    pub fn for_public_service() -> Self {
        HttpConfig {
            connect_timeout_secs: 10,
            read_timeout_secs: 30,
            answer_deadline_secs: DEFAULT_ANSWER_DEADLINE_SECS,
            max_retries: 3,
            min_interval_ms: 250,
            max_body_bytes: 32 * 1024 * 1024,
            max_concurrent: 2,
            user_agent: default_user_agent(),
            retry_base_ms: 1_000,
            max_retry_wait_secs: 60,
        }
    }

    /// The investigator's own node (self-hosted electrs, an Ethereum node): no rate limit,
    /// more parallelism, quick retries.
    pub fn for_own_node() -> Self {
        HttpConfig {
            connect_timeout_secs: 5,
            read_timeout_secs: 60,
            answer_deadline_secs: DEFAULT_ANSWER_DEADLINE_SECS,
            max_retries: 2,
            min_interval_ms: 0,
            max_body_bytes: 64 * 1024 * 1024,
            max_concurrent: 8,
            user_agent: default_user_agent(),
            retry_base_ms: 200,
            max_retry_wait_secs: 30,
        }
    }
}

fn default_user_agent() -> String {
    format!("caseboard/{}", env!("CARGO_PKG_VERSION"))
}

/// Formats a byte count for messages: `8 MiB`, `1.5 KiB`, `17 bytes`.
pub(crate) fn human_bytes(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    let (unit, name) = if bytes >= MIB {
        (MIB, "MiB")
    } else if bytes >= KIB {
        (KIB, "KiB")
    } else {
        return format!("{bytes} bytes");
    };
    let tenths = bytes.saturating_mul(10) / unit;
    if tenths.is_multiple_of(10) {
        format!("{} {name}", tenths / 10)
    } else {
        format!("{}.{} {name}", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn formats_sizes() {
        assert_eq!(human_bytes(17), "17 bytes");
        assert_eq!(human_bytes(8 * 1024 * 1024), "8 MiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(100_000_000), "95.3 MiB");
    }
}
