//! [`HttpClient`]: the blocking request loop (cache, rate limit, retries, body cap) and
//! [`Fetched`], one answer with its fetch time.

use super::body::{read_capped, read_error_body};
use super::cache::ResponseCache;
use super::decode::decode_json;
use super::failure::{
    Failure, FailureKind, after_retries, cross_origin_redirect, describe_reqwest, echoes_a_secret,
    sort_longest_first,
};
use super::origin::{same_origin_redirects, secret_parts, split_url};
use super::pacing::{Gate, RateLimiter, backoff, parse_retry_after};
use super::redact::{scrub, secret_param_values};
use super::{CachePolicy, HttpConfig};
use crate::sources::{JobControl, SourceError};
use reqwest::blocking::Client;
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

/// A shared, polite HTTP client for one source (see the module doc of
/// [`crate::sources::http`]). Clones share everything, including the rate limit.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    source_name: String,
    /// `scheme://host[:port]`: the only part of the base URL ever shown.
    origin: String,
    /// The base URL's path (no trailing `/`) and query: secret, never shown or logged.
    base_path: String,
    base_query: String,
    config: HttpConfig,
    client: Client,
    cache: Option<ResponseCache>,
    limiter: RateLimiter,
    gate: Gate,
    sent: AtomicU64,
    headers: Vec<(HeaderName, HeaderValue)>,
    secrets: Vec<String>,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("source_name", &self.inner.source_name)
            .field("origin", &self.inner.origin)
            .field("config", &self.inner.config)
            .field("cache", &self.inner.cache)
            .field("headers", &self.inner.headers.len())
            .finish_non_exhaustive()
    }
}

/// One answer: the body and when it was fetched from the network (for a cached answer, when
/// it was originally fetched).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The body bytes (at most `max_body_bytes`).
    pub body: Vec<u8>,
    /// Unix seconds when the body came from the server.
    pub fetched_at: i64,
    /// True if served from the response cache without network traffic.
    pub from_cache: bool,
    source_name: String,
    request: String,
    key: String,
    secrets: Vec<String>,
}

impl Fetched {
    /// Parses the body as JSON; errors name the source, the request and the place.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, SourceError> {
        decode_json(&self.body, &self.secrets).map_err(|message| SourceError::BadAnswer {
            source_name: self.source_name.clone(),
            message: scrub(&format!("{}: {message}", self.request), &self.secrets),
        })
    }

    /// The request as it may be shown (`GET /tx/…`, secrets redacted).
    pub fn request(&self) -> &str {
        &self.request
    }
}

impl HttpClient {
    /// A client for `source_name` talking to `base_url` (`http`/`https`, no credentials, no
    /// fragment; a trailing `/` is dropped). The base URL's path and query are treated as
    /// secret whatever they look like (a user-given URL may hold a key anywhere in them): no
    /// message, log line or cache file ever holds them, only the origin (`scheme://host:port`).
    /// Requests are relative to the base URL (its query is put before the request's own).
    /// `cache` enables the response cache (and, if it was opened offline, forbids the network).
    pub fn new(
        source_name: &str,
        base_url: &str,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<HttpClient, SourceError> {
        let fail = |message: String| SourceError::BadAnswer {
            source_name: source_name.to_owned(),
            message,
        };
        let split = split_url(base_url).map_err(fail)?;
        let client = Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .timeout(Duration::from_secs(config.read_timeout_secs))
            .redirect(same_origin_redirects())
            .build()
            .map_err(|e| fail(format!("cannot set up HTTP: {}", describe_reqwest(&e))))?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                source_name: source_name.to_owned(),
                secrets: secret_parts(&split),
                origin: split.origin,
                base_path: split.path,
                base_query: split.query,
                limiter: RateLimiter::new(Duration::from_millis(config.min_interval_ms)),
                gate: Gate::new(config.max_concurrent),
                config,
                client,
                cache,
                sent: AtomicU64::new(0),
                headers: Vec::new(),
            }),
        })
    }

    /// Registers a secret that appears in request paths (e.g. an API key as a URL path segment,
    /// `/v3/<key>`), so it is scrubbed from every message and log line. Call before cloning.
    pub fn with_secret_value(mut self, value: &str) -> Result<Self, SourceError> {
        let source_name = self.inner.source_name.clone();
        let inner = Arc::get_mut(&mut self.inner).ok_or_else(|| SourceError::BadAnswer {
            source_name,
            message: "secrets must be set before the client is shared".to_owned(),
        })?;
        if !value.trim().is_empty() {
            inner.secrets.push(value.trim().to_owned());
            sort_longest_first(&mut inner.secrets);
        }
        Ok(self)
    }

    /// Adds a header sent with every request whose value is a secret (an API key, an
    /// `Authorization` value): it is never shown in a message, a log line or a cache key.
    /// Call before cloning the client.
    pub fn with_secret_header(mut self, name: &str, value: &str) -> Result<Self, SourceError> {
        let source_name = self.inner.source_name.clone();
        let fail = |message: String| SourceError::BadAnswer {
            source_name: source_name.clone(),
            message,
        };
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| fail(format!("{name:?} is not a valid header name")))?;
        let mut value = HeaderValue::from_str(value).map_err(|_| {
            fail(format!(
                "the value of header {name} is not valid header text"
            ))
        })?;
        value.set_sensitive(true);
        let inner = Arc::get_mut(&mut self.inner)
            .ok_or_else(|| fail("headers must be set before the client is shared".to_owned()))?;
        if let Ok(text) = value.to_str() {
            inner.secrets.push(text.to_owned());
            // `Bearer abc` — also scrub the bare token.
            if let Some((_, token)) = text.split_once(' ') {
                inner.secrets.push(token.trim().to_owned());
            }
        }
        sort_longest_first(&mut inner.secrets);
        inner.headers.push((name, value));
        Ok(self)
    }

    /// The source name used in messages.
    pub fn source_name(&self) -> &str {
        &self.inner.source_name
    }

    /// `scheme://host[:port]` of the base URL: all of it that may be shown.
    pub fn origin(&self) -> &str {
        &self.inner.origin
    }

    /// The full URL of a request path relative to the base URL (holds secrets: never show it).
    fn url_for(&self, path_and_query: &str) -> String {
        let inner = &self.inner;
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let query = match (inner.base_query.is_empty(), query.is_empty()) {
            (true, _) => query.to_owned(),
            (false, true) => inner.base_query.clone(),
            (false, false) => format!("{}&{query}", inner.base_query),
        };
        let path = if inner.base_path.is_empty() && path.is_empty() {
            "/"
        } else {
            path
        };
        if query.is_empty() {
            format!("{}{}{path}", inner.origin, inner.base_path)
        } else {
            format!("{}{}{path}?{query}", inner.origin, inner.base_path)
        }
    }

    /// True if the client may only answer from its cache.
    pub fn is_offline(&self) -> bool {
        self.inner
            .cache
            .as_ref()
            .is_some_and(ResponseCache::is_offline)
    }

    /// Network requests sent so far by this client and its clones (each retry counts).
    pub fn requests_sent(&self) -> u64 {
        self.inner.sent.load(Ordering::Relaxed)
    }

    /// `text` with every secret this client knows of replaced (see [`redact`]).
    pub fn redacted(&self, text: &str) -> String {
        scrub(text, &self.inner.secrets)
    }

    /// GETs `base + path_and_query` fresh (never cached) and parses the JSON answer.
    pub fn get_json<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        control: &JobControl,
    ) -> Result<T, SourceError> {
        self.get_json_cached(path_and_query, CachePolicy::NoStore, control)
    }

    /// GETs and parses under `policy`: a cached answer the policy accepts is used without
    /// network traffic; a fresh answer is stored only if it parsed.
    pub fn get_json_cached<T: DeserializeOwned>(
        &self,
        path_and_query: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<T, SourceError> {
        let fetched = self.get(path_and_query, policy, control)?;
        let value = fetched.json()?;
        self.store(&fetched, policy);
        Ok(value)
    }

    /// POSTs `body` as JSON (JSON-RPC) and parses the answer. Never cached.
    pub fn post_json<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
        control: &JobControl,
    ) -> Result<T, SourceError> {
        self.post_json_cached(path, body, CachePolicy::NoStore, control)
    }

    /// POSTs under `policy` (the body is part of the cache key), e.g. a JSON-RPC call about a
    /// finalised block with [`CachePolicy::Immutable`].
    pub fn post_json_cached<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<T, SourceError> {
        let fetched = self
            .execute(
                reqwest::Method::POST,
                path,
                Some(body),
                policy,
                control,
                false,
            )?
            .ok_or_else(|| self.error(&format!("POST {path}"), "HTTP 404 Not Found"))?;
        let value = fetched.json()?;
        self.store(&fetched, policy);
        Ok(value)
    }

    /// GETs the raw answer, serving from the cache if `policy` accepts a stored copy. Does not
    /// store: call [`HttpClient::store`] once the body proved good.
    pub fn get(
        &self,
        path_and_query: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<Fetched, SourceError> {
        self.execute(
            reqwest::Method::GET,
            path_and_query,
            None,
            policy,
            control,
            false,
        )?
        .ok_or_else(|| self.error(&format!("GET {path_and_query}"), "HTTP 404 Not Found"))
    }

    /// Like [`HttpClient::get`], but HTTP 404 is `Ok(None)` ("the server does not know it").
    pub fn get_if_found(
        &self,
        path_and_query: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<Option<Fetched>, SourceError> {
        self.execute(
            reqwest::Method::GET,
            path_and_query,
            None,
            policy,
            control,
            true,
        )
    }

    /// Stores a fresh answer in the cache under `policy` (nothing without a cache, for a
    /// cached answer or for [`CachePolicy::NoStore`]). A failing disk is logged, not an error.
    pub fn store(&self, fetched: &Fetched, policy: CachePolicy) {
        let Some(cache) = &self.inner.cache else {
            return;
        };
        if fetched.from_cache || cache.is_offline() {
            return;
        }
        if echoes_a_secret(&fetched.body, &fetched.secrets) {
            // Scrubbing would change the data; an answer that holds a key is not kept at all.
            tracing::info!(
                source = %self.inner.source_name,
                "{}: not cached: the answer repeats a secret of the request",
                fetched.request
            );
            return;
        }
        if let Err(e) = cache.store(&fetched.key, &fetched.body, policy, fetched.fetched_at) {
            tracing::warn!(
                source = %self.inner.source_name,
                "response cache: cannot store {}: {e}",
                fetched.request
            );
        }
    }

    fn error(&self, request: &str, what: &str) -> SourceError {
        self.error_scrubbed(request, what, &self.inner.secrets)
    }

    fn error_scrubbed(&self, request: &str, what: &str, secrets: &[String]) -> SourceError {
        SourceError::BadAnswer {
            source_name: self.inner.source_name.clone(),
            message: scrub(&format!("{request}: {what}"), secrets),
        }
    }

    fn execute(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
        policy: CachePolicy,
        control: &JobControl,
        allow_404: bool,
    ) -> Result<Option<Fetched>, SourceError> {
        let inner = &self.inner;
        // Secrets of this request: the client's, plus key-like query values (servers echo them).
        let mut secrets = inner.secrets.clone();
        secrets.extend(secret_param_values(path));
        sort_longest_first(&mut secrets);
        let request = if path.is_empty() {
            format!("{method} {}", inner.origin)
        } else {
            scrub(&format!("{method} {path}"), &secrets)
        };
        if !(path.is_empty() || path.starts_with('/')) {
            return Err(self.error_scrubbed(
                &request,
                "request path must start with '/'",
                &secrets,
            ));
        }
        let url = self.url_for(path);
        // The cache keeps only a salted hash of its key, so the key may hold the full URL:
        // answers of two base URLs on one host (mainnet and testnet) stay apart.
        let key = match body {
            Some(body) => format!("{method} {url}\n{body}"),
            None => format!("{method} {url}"),
        };
        let fetched = |bytes: Vec<u8>, fetched_at: i64, from_cache: bool| Fetched {
            body: bytes,
            fetched_at,
            from_cache,
            source_name: inner.source_name.clone(),
            request: request.clone(),
            key: key.clone(),
            secrets: secrets.clone(),
        };
        control.check()?;
        if let Some(cache) = &inner.cache {
            if let Some(entry) = cache.load(&key, policy, crate::util::now_unix()) {
                tracing::debug!(source = %inner.source_name, "{request}: from cache");
                return Ok(Some(fetched(entry.body, entry.stored_at, true)));
            }
            if cache.is_offline() {
                return Err(self.error_scrubbed(&request, "offline: not in the cache", &secrets));
            }
        }
        let retries = inner.config.max_retries;
        let mut attempt = 0u32;
        loop {
            control.check()?;
            inner.limiter.wait_turn(control)?;
            let outcome = {
                let _slot = inner.gate.acquire(control)?;
                inner.sent.fetch_add(1, Ordering::Relaxed);
                tracing::debug!(source = %inner.source_name, attempt, "{request}");
                self.attempt(&method, &url, body, allow_404, &secrets)
            };
            let failure = match outcome {
                Ok(Some(bytes)) => return Ok(Some(fetched(bytes, crate::util::now_unix(), false))),
                Ok(None) => return Ok(None),
                Err(failure) => failure,
            };
            let max_wait = Duration::from_secs(inner.config.max_retry_wait_secs);
            let give_up = |what: String| Err(self.error_scrubbed(&request, &what, &secrets));
            if failure.kind == FailureKind::Final {
                return give_up(failure.what);
            }
            if attempt >= retries {
                return give_up(after_retries(&failure, attempt));
            }
            let wait = failure.retry_after.unwrap_or_else(|| {
                backoff(Duration::from_millis(inner.config.retry_base_ms), attempt).min(max_wait)
            });
            if wait > max_wait {
                return give_up(format!(
                    "{}; the server asks to wait {} s, longer than the {} s this source waits",
                    failure.what,
                    wait.as_secs(),
                    max_wait.as_secs()
                ));
            }
            tracing::info!(
                source = %inner.source_name,
                "{request}: {}; retry {} of {retries} in {} ms",
                scrub(&failure.what, &secrets),
                attempt + 1,
                wait.as_millis()
            );
            control.sleep(wait)?;
            attempt += 1;
        }
    }

    /// One network attempt: the body on success, `None` for an allowed 404.
    fn attempt(
        &self,
        method: &reqwest::Method,
        url: &str,
        body: Option<&serde_json::Value>,
        allow_404: bool,
        secrets: &[String],
    ) -> Result<Option<Vec<u8>>, Failure> {
        let inner = &self.inner;
        let mut builder = inner
            .client
            .request(method.clone(), url)
            .header(reqwest::header::ACCEPT, "application/json");
        for (name, value) in &inner.headers {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(body) = body {
            builder = builder.json(body);
        }
        let started = Instant::now();
        let response = builder.send().map_err(|e| self.transport_failure(&e))?;
        let status = response.status();
        if status.is_success() {
            return read_capped(response, &inner.config, started).map(Some);
        }
        if status.is_redirection() {
            return Err(cross_origin_redirect(&response, status.as_u16()));
        }
        if status == reqwest::StatusCode::NOT_FOUND && allow_404 {
            return Ok(None);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = read_error_body(response, secrets, &inner.config, started);
        let quoted = body.quoted;
        let status_text = match status.canonical_reason() {
            Some(reason) => format!("HTTP {} {reason}", status.as_u16()),
            None => format!("HTTP {}", status.as_u16()),
        };
        if status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(Failure {
                what: "rate limited (HTTP 429)".to_owned(),
                kind: FailureKind::RateLimited,
                retry_after,
            });
        }
        // A server that suspends a client for going too fast (TronGrid: 403, "… suspended for
        // 30s") is a rate limit with a named wait, not a refusal.
        if let Some(wait) = body.suspension {
            return Err(Failure {
                what: format!(
                    "rate limited ({status_text}: the server suspended requests for {} s)",
                    wait.as_secs()
                ),
                kind: FailureKind::RateLimited,
                retry_after: Some(retry_after.map_or(wait, |header| header.max(wait))),
            });
        }
        let hint = match status.as_u16() {
            401 | 403 => " (the server refused the credentials or the request)",
            _ => "",
        };
        let what = match quoted {
            Some(text) => format!("{status_text}: {text}{hint}"),
            None => format!("{status_text}{hint}"),
        };
        Err(Failure {
            what,
            kind: if status.is_server_error() {
                FailureKind::Transient
            } else {
                FailureKind::Final
            },
            retry_after,
        })
    }

    fn transport_failure(&self, error: &reqwest::Error) -> Failure {
        let config = &self.inner.config;
        let what = if error.is_timeout() {
            if error.is_connect() {
                format!(
                    "connection timed out after {} s",
                    config.connect_timeout_secs
                )
            } else {
                format!("timed out after {} s", config.read_timeout_secs)
            }
        } else if error.is_connect() {
            format!("cannot connect: {}", describe_reqwest(error))
        } else {
            describe_reqwest(error)
        };
        let kind = if error.is_builder() || error.is_redirect() {
            FailureKind::Final
        } else {
            FailureKind::Transient
        };
        Failure {
            what,
            kind,
            retry_after: None,
        }
    }
}

/// The final message after `retries` retries.
#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
