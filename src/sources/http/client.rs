//! [`HttpClient`]: the blocking request loop (cache, rate limit, retries, body cap) and
//! [`Fetched`], one answer with its fetch time.

use super::cache::ResponseCache;
use super::decode::{decode_json, snippet};
use super::pacing::{Gate, RateLimiter, backoff, parse_retry_after};
use super::redact::{redact, scrub, secret_param_values};
use super::{CachePolicy, HttpConfig, human_bytes};
use crate::sources::{JobControl, SourceError};
use reqwest::blocking::{Client, Response};
use reqwest::header::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::fmt;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// How much of an error body is read to quote it in a message.
const ERROR_BODY_BYTES: u64 = 4096;

/// A shared, polite HTTP client for one source (see the module doc of
/// [`crate::sources::http`]). Clones share everything, including the rate limit.
#[derive(Clone)]
pub struct HttpClient {
    inner: Arc<Inner>,
}

struct Inner {
    source_name: String,
    base_url: String,
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
            .field("base_url", &self.inner.base_url)
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

/// Why one attempt failed, and whether another may help.
struct Failure {
    what: String,
    kind: FailureKind,
    retry_after: Option<Duration>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FailureKind {
    /// Worth retrying (timeouts, connection trouble, 5xx).
    Transient,
    /// HTTP 429.
    RateLimited,
    /// Retrying will not help (4xx, body too large, bad request).
    Final,
}

impl HttpClient {
    /// A client for `source_name` talking to `base_url` (`http`/`https`, no credentials, no
    /// query or fragment; a trailing `/` is dropped). `cache` enables the response cache (and,
    /// if it was opened offline, forbids the network).
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
        let base_url = validate_base_url(base_url).map_err(fail)?;
        let client = Client::builder()
            .user_agent(config.user_agent.clone())
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs))
            .timeout(Duration::from_secs(config.read_timeout_secs))
            .redirect(same_host_redirects())
            .build()
            .map_err(|e| fail(format!("cannot set up HTTP: {}", describe_reqwest(&e))))?;
        Ok(HttpClient {
            inner: Arc::new(Inner {
                source_name: source_name.to_owned(),
                base_url,
                limiter: RateLimiter::new(Duration::from_millis(config.min_interval_ms)),
                gate: Gate::new(config.max_concurrent),
                config,
                client,
                cache,
                sent: AtomicU64::new(0),
                headers: Vec::new(),
                secrets: Vec::new(),
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
        inner.headers.push((name, value));
        Ok(self)
    }

    /// The source name used in messages.
    pub fn source_name(&self) -> &str {
        &self.inner.source_name
    }

    /// The base URL requests are relative to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
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
        let request = scrub(&format!("{method} {path}"), &secrets);
        if !path.starts_with('/') {
            return Err(self.error_scrubbed(
                &request,
                "request path must start with '/'",
                &secrets,
            ));
        }
        let base = scrub(&inner.base_url, &secrets);
        let key = match body {
            Some(body) => format!("{request} {base}\n{}", scrub(&body.to_string(), &secrets)),
            None => format!("{request} {base}"),
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
        let url = format!("{}{path}", inner.base_url);
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
        let response = builder.send().map_err(|e| self.transport_failure(&e))?;
        let status = response.status();
        if status.is_success() {
            return self.read_body(response).map(Some);
        }
        if status == reqwest::StatusCode::NOT_FOUND && allow_404 {
            return Ok(None);
        }
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let quoted = error_body(response, secrets);
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

    /// Reads a success body with the size cap.
    fn read_body(&self, response: Response) -> Result<Vec<u8>, Failure> {
        let cap = self.inner.config.max_body_bytes;
        let too_large = || Failure {
            what: format!("body larger than {}", human_bytes(cap)),
            kind: FailureKind::Final,
            retry_after: None,
        };
        let declared = response.content_length();
        if declared.is_some_and(|len| len > cap) {
            return Err(too_large());
        }
        let initial = declared.unwrap_or(0).min(cap).min(1024 * 1024);
        let mut body = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
        let mut limited = response.take(cap.saturating_add(1));
        if let Err(e) = limited.read_to_end(&mut body) {
            let timed_out = e.kind() == std::io::ErrorKind::TimedOut
                || e.get_ref()
                    .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
                    .is_some_and(reqwest::Error::is_timeout);
            let what = if timed_out {
                format!(
                    "timed out after {} s while reading the body ({} bytes read)",
                    self.inner.config.read_timeout_secs,
                    body.len()
                )
            } else {
                format!(
                    "connection broke off mid-body after {} bytes: {}",
                    body.len(),
                    describe_io(&e)
                )
            };
            return Err(Failure {
                what,
                kind: FailureKind::Transient,
                retry_after: None,
            });
        }
        if u64::try_from(body.len()).unwrap_or(u64::MAX) > cap {
            return Err(too_large());
        }
        Ok(body)
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

/// Follows at most 3 redirects, and only within the host first asked, so secret headers and
/// query keys never travel to another host; any other redirect is answered as its 3xx status.
fn same_host_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let first_host = attempt
            .previous()
            .first()
            .and_then(|u| u.host_str())
            .map(str::to_owned);
        if attempt.previous().len() > 3 {
            attempt.error("too many redirects")
        } else if first_host.as_deref() == attempt.url().host_str() {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// The final message after `retries` retries.
fn after_retries(failure: &Failure, retries: u32) -> String {
    match (retries, failure.kind) {
        (0, _) => failure.what.clone(),
        (1, FailureKind::RateLimited) => format!("{} after 1 retry", failure.what),
        (n, FailureKind::RateLimited) => format!("{} after {n} retries", failure.what),
        (1, _) => format!("{} (after 1 retry)", failure.what),
        (n, _) => format!("{} (after {n} retries)", failure.what),
    }
}

/// The start of an error body, quoted, if it has any text.
fn error_body(response: Response, secrets: &[String]) -> Option<String> {
    let mut bytes = Vec::new();
    response
        .take(ERROR_BODY_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(snippet(&bytes, secrets))
    }
}

/// A reqwest error as text: its chain of causes, without the URL (which may hold a key).
fn describe_reqwest(error: &reqwest::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(error);
    let top = error_kind_text(error);
    parts.push(top);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    redact(&parts.join(": "))
}

fn error_kind_text(error: &reqwest::Error) -> String {
    if error.is_connect() {
        "connection failed".to_owned()
    } else if error.is_body() || error.is_decode() {
        "error reading the answer".to_owned()
    } else if error.is_redirect() {
        "too many redirects".to_owned()
    } else if error.is_request() {
        "error sending the request".to_owned()
    } else {
        "HTTP error".to_owned()
    }
}

fn describe_io(error: &std::io::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    redact(&parts.join(": "))
}

/// Checks a base URL and drops a trailing `/`.
fn validate_base_url(base_url: &str) -> Result<String, String> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let shown = redact(trimmed);
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err(format!(
            "{shown:?} is not a URL (expected http:// or https://…)"
        ));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!("{shown:?}: only http and https are supported"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.is_empty() {
        return Err(format!("{shown:?} has no host"));
    }
    if authority.contains('@') {
        return Err(format!(
            "{shown:?} contains credentials; put secrets in the source settings, not the URL"
        ));
    }
    if rest.contains(['?', '#']) {
        return Err(format!(
            "{shown:?}: the base URL must not have a query or fragment"
        ));
    }
    if trimmed.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{shown:?} contains spaces"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_path_values_are_scrubbed() {
        let key = "0123456789abcdef0123456789abcdef";
        let client = HttpClient::new(
            "evm-rpc:node.example",
            "https://node.example",
            HttpConfig::for_own_node(),
            None,
        )
        .and_then(|c| c.with_secret_value(key))
        .expect("client");
        let shown = client.redacted(&format!("POST /v3/{key}: timed out"));
        assert!(!shown.contains(key), "{shown}");
        // Once shared, no more secrets can be added (they would not reach the clones).
        let shared = client.clone();
        assert!(client.with_secret_value("other").is_err());
        drop(shared);
    }

    #[test]
    fn base_urls_are_checked() {
        assert_eq!(
            validate_base_url("https://blockstream.info/api/"),
            Ok("https://blockstream.info/api".to_owned())
        );
        assert_eq!(
            validate_base_url("http://127.0.0.1:3000"),
            Ok("http://127.0.0.1:3000".to_owned())
        );
        let err = validate_base_url("https://user:hunter2@node.example/api").unwrap_err();
        assert!(
            err.contains("credentials") && !err.contains("hunter2"),
            "{err}"
        );
        assert!(validate_base_url("ftp://x").is_err());
        assert!(validate_base_url("blockstream.info/api").is_err());
        assert!(validate_base_url("https://x/api?apikey=1").is_err());
        assert!(validate_base_url("https:///api").is_err());
    }

    #[test]
    fn secret_headers_never_show() {
        let client = HttpClient::new("t", "http://127.0.0.1:9", HttpConfig::for_own_node(), None)
            .expect("client")
            .with_secret_header("Authorization", "Bearer tok-123")
            .expect("header");
        assert_eq!(
            client.redacted("echo: Bearer tok-123 and tok-123"),
            "echo: Bearer REDACTED and REDACTED"
        );
        assert!(!format!("{client:?}").contains("tok-123"));
        let shared = client.clone();
        assert!(shared.with_secret_header("X-Api-Key", "k").is_err());
    }
}
