//! JSON-RPC 2.0 over the shared [`HttpClient`]: one call per request (no batches), the answer
//! envelope checked (`id`, `result` xor `error`), JSON-RPC error objects kept apart from
//! transport failures so the source can react to them (bisect a range the node refused as
//! too large, note a method the node lacks), and every message scrubbed of secrets.
//!
//! # Secrets in the URL
//! Hosted nodes put the API key into the path (`https://mainnet.infura.io/v3/<key>`,
//! `https://eth-mainnet.g.alchemy.com/v2/<key>`, `https://rpc.ankr.com/eth/<key>`). The client
//! is built on `scheme://host[:port]` and every call POSTs to the URL's path, so the URL is
//! used exactly as given; path segments that look like keys ([`is_key_like`]) are scrubbed from
//! every message this module returns, on top of [`crate::sources::http::redact`] (query keys,
//! credentials).

use super::hex::{kind, quantity_u64, quote};
use crate::sources::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache, redact};
use crate::sources::{JobControl, SourceError};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

/// Text that replaces a secret in messages.
const REDACTED: &str = "REDACTED";

/// A node URL split for the HTTP client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Endpoint {
    /// `scheme://host[:port]`.
    pub(super) base: String,
    /// The path (and query) every call is POSTed to; `/` when the URL has none.
    pub(super) path: String,
    /// Path segments that look like API keys.
    pub(super) secrets: Vec<String>,
    /// `host[:port]` in lower case, without credentials.
    pub(super) authority: String,
}

/// True for a path segment that looks like an API key or token: at least 16 characters of
/// letters, digits, `-` and `_`, with a digit in it or at least 32 characters long.
pub(super) fn is_key_like(segment: &str) -> bool {
    let length = segment.chars().count();
    length >= 16
        && segment
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && (length >= 32 || segment.chars().any(|c| c.is_ascii_digit()))
}

/// Splits a node URL into base and path, noting key-like path segments. Errors are messages
/// with the URL already redacted.
pub(super) fn split_url(url: &str) -> Result<Endpoint, String> {
    let trimmed = url.trim();
    let (scheme, rest) = trimmed.split_once("://").ok_or_else(|| {
        format!(
            "{:?} is not a URL (expected http:// or https://…)",
            shown(trimmed)
        )
    })?;
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at(authority_len);
    if path.contains('#') {
        return Err(format!(
            "{:?}: a node URL must not have a fragment",
            shown(trimmed)
        ));
    }
    let path = if path.is_empty() {
        "/".to_owned()
    } else if path.starts_with('?') {
        format!("/{path}")
    } else {
        path.to_owned()
    };
    let path_only = path.split('?').next().unwrap_or_default();
    let secrets: Vec<String> = path_only
        .split('/')
        .filter(|segment| is_key_like(segment))
        .map(str::to_owned)
        .collect();
    if authority.contains('@') {
        return Err(format!(
            "{:?} contains credentials; put secrets in the source settings, not the URL",
            shown(trimmed)
        ));
    }
    Ok(Endpoint {
        base: format!("{scheme}://{authority}"),
        path,
        secrets,
        authority: authority.to_ascii_lowercase(),
    })
}

/// A URL as it may be shown: key-like path segments and the usual secrets redacted.
pub(crate) fn shown(url: &str) -> String {
    let mut out = redact(url);
    if let Some((scheme, rest)) = out.clone().split_once("://") {
        let segments: Vec<String> = rest
            .split('/')
            .enumerate()
            .map(|(i, s)| {
                let end = s.find(['?', '#']).unwrap_or(s.len());
                let (segment, tail) = s.split_at(end);
                if i > 0 && is_key_like(segment) {
                    format!("{REDACTED}{tail}")
                } else if i == 0
                    && let Some((_, host)) = segment.rsplit_once('@')
                {
                    format!("{REDACTED}@{host}{tail}")
                } else {
                    s.to_owned()
                }
            })
            .collect();
        out = format!("{scheme}://{}", segments.join("/"));
    }
    out
}

/// A JSON-RPC error object as the node sent it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct NodeError {
    /// `error.code` (0 when missing).
    pub(super) code: i64,
    /// `error.message`.
    pub(super) message: String,
    /// `error.data`, if any.
    pub(super) data: Option<Value>,
}

/// Message fragments of a refusal that a smaller block range would avoid (Infura -32005
/// "query returned more than 10000 results", Alchemy "block range" / "response size",
/// QuickNode "is limited to a 10,000 range", generic "too many" / "limit exceeded").
const TOO_LARGE: &[&str] = &[
    "query returned more than",
    "more than 10000",
    "block range",
    "range is too",
    "range too",
    "too large",
    "too big",
    "too wide",
    "too many",
    "limit exceeded",
    "exceeds the limit",
    "is limited to",
    "max range",
    "maximum range",
    "response size",
    "results limit",
];

/// Fragments of a rate-limit refusal: retrying smaller ranges would only make it worse.
const RATE_LIMITED: &[&str] = &[
    "rate limit",
    "rate-limit",
    "request rate",
    "requests per",
    "daily request",
    "too many requests",
    "capacity",
];

/// Fragments of "this node does not offer that method" (or not on this plan).
const METHOD_MISSING: &[&str] = &[
    "method not found",
    "does not exist",
    "not supported",
    "unsupported",
    "not available",
    "not enabled",
    "not allowed",
    "not whitelisted",
    "whitelist",
    "upgrade",
    "paid plan",
    "tier",
];

impl NodeError {
    /// True if the node refused because the query (block range, result count) was too large.
    pub(super) fn is_too_large(&self) -> bool {
        let message = self.message.to_ascii_lowercase();
        TOO_LARGE.iter().any(|f| message.contains(f))
            && !RATE_LIMITED.iter().any(|f| message.contains(f))
    }

    /// True if the node says it has no such method (EIP-1474 -32601 / -32004, or the
    /// message says so).
    pub(super) fn is_method_missing(&self) -> bool {
        let message = self.message.to_ascii_lowercase();
        self.code == -32601
            || self.code == -32004
            || METHOD_MISSING.iter().any(|f| message.contains(f))
    }

    /// The block range the node suggests instead (Infura: `data: {from, to}`; Infura and
    /// Alchemy: `[0x…, 0x…]` at the end of the message).
    pub(super) fn suggested_range(&self) -> Option<(u64, u64)> {
        if let Some(Value::Object(data)) = &self.data
            && let (Some(Value::String(from)), Some(Value::String(to))) =
                (data.get("from"), data.get("to"))
            && let (Ok(from), Ok(to)) = (quantity_u64(from), quantity_u64(to))
        {
            return Some((from, to));
        }
        let open = self.message.rfind('[')?;
        let close = open + self.message[open..].find(']')?;
        let (from, to) = self.message[open + 1..close].split_once(',')?;
        Some((
            quantity_u64(from.trim()).ok()?,
            quantity_u64(to.trim()).ok()?,
        ))
    }

    /// The most blocks per request the node states (anvil "block range too large, currently
    /// limited to 300", QuickNode "is limited to a 10,000 range").
    pub(super) fn stated_span_limit(&self) -> Option<u64> {
        let message = self.message.to_ascii_lowercase();
        let at = message.find("limited to ")? + "limited to ".len();
        let rest = message[at..].trim_start_matches("a ");
        let digits: String = rest
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '_')
            .filter(char::is_ascii_digit)
            .collect();
        digits.parse().ok().filter(|&n: &u64| n > 0)
    }

    /// `JSON-RPC error -32005: query returned more than 10000 results`.
    pub(super) fn describe(&self) -> String {
        let mut text = format!("JSON-RPC error {}: {}", self.code, self.message);
        match &self.data {
            Some(Value::String(data)) if !data.is_empty() && data != "0x" => {
                text.push_str(&format!(" (data {})", quote(data)));
            }
            _ => {}
        }
        text
    }

    /// [`NodeError::from_value`] for the property tests.
    #[cfg(test)]
    pub(super) fn from_value_for_tests(value: Value) -> NodeError {
        NodeError::from_value(value)
    }

    fn from_value(value: Value) -> NodeError {
        match value {
            Value::Object(mut map) => {
                let code = map.get("code").and_then(Value::as_i64).unwrap_or(0);
                let message = match map.remove("message") {
                    Some(Value::String(text)) => text,
                    Some(other) => other.to_string(),
                    None => "(no message)".to_owned(),
                };
                NodeError {
                    code,
                    message,
                    data: map.remove("data"),
                }
            }
            Value::String(message) => NodeError {
                code: 0,
                message,
                data: None,
            },
            other => NodeError {
                code: 0,
                message: other.to_string(),
                data: None,
            },
        }
    }
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum CallError {
    /// Transport, HTTP status, not JSON, a broken envelope, or cancellation: already a
    /// [`SourceError`] naming the request.
    Source(SourceError),
    /// The node answered with a JSON-RPC error object.
    Node(NodeError),
}

/// A successful answer only: parsing fails on an error object or a missing/`null` result,
/// so the response cache never stores a refusal.
#[derive(Debug, Deserialize)]
struct Success<T> {
    result: T,
    #[serde(default)]
    #[allow(dead_code)] // present only to refuse error objects
    error: Option<Refuse>,
}

/// Deserialises from nothing: its presence makes a parse fail.
#[derive(Debug)]
struct Refuse;

impl<'de> Deserialize<'de> for Refuse {
    fn deserialize<D: Deserializer<'de>>(_deserializer: D) -> Result<Self, D::Error> {
        Err(D::Error::custom("the answer is a JSON-RPC error"))
    }
}

/// One node's JSON-RPC endpoint.
#[derive(Clone)]
pub(super) struct Rpc {
    client: HttpClient,
    path: String,
    secrets: Vec<String>,
}

impl std::fmt::Debug for Rpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rpc")
            .field("client", &self.client)
            .field("path", &self.scrub(&self.path))
            .finish_non_exhaustive()
    }
}

impl Rpc {
    /// A client for `endpoint` named `source_name`.
    pub(super) fn new(
        source_name: &str,
        endpoint: &Endpoint,
        config: HttpConfig,
        cache: Option<ResponseCache>,
    ) -> Result<Rpc, SourceError> {
        // The client gets the whole URL: it treats its path and query as secret, whatever
        // they look like, and every call POSTs to exactly that URL (request path "").
        let url = format!("{}{}", endpoint.base, endpoint.path);
        let mut client = HttpClient::new(source_name, &url, config, cache)
            .map_err(|e| scrub_error(e, &endpoint.secrets))?;
        // Key-like path segments are scrubbed by the client too (its messages and log lines).
        for secret in &endpoint.secrets {
            client = client
                .with_secret_value(secret)
                .map_err(|e| scrub_error(e, &endpoint.secrets))?;
        }
        Ok(Rpc {
            client,
            path: String::new(),
            secrets: endpoint.secrets.clone(),
        })
    }

    /// The shared HTTP client (request counter, offline flag).
    pub(super) fn client(&self) -> &HttpClient {
        &self.client
    }

    /// `text` without any secret this endpoint knows of.
    pub(super) fn scrub(&self, text: &str) -> String {
        scrub_text(&self.client.redacted(text), &self.secrets)
    }

    /// A bad-answer error about request `what`.
    pub(super) fn bad(&self, what: &str, message: &str) -> SourceError {
        SourceError::BadAnswer {
            source_name: self.client.source_name().to_owned(),
            message: self.scrub(&format!("{what}: {message}")),
        }
    }

    /// A failed call as the error the job returns.
    pub(super) fn fail(&self, what: &str, error: CallError) -> SourceError {
        match error {
            CallError::Source(error) => error,
            CallError::Node(node) => self.bad(what, &node.describe()),
        }
    }

    /// Calls `method` with `params`; `what` describes the request in messages
    /// (`eth_getLogs(Transfer to=0x…, blocks 0..=7)`).
    pub(super) fn call(
        &self,
        method: &str,
        params: Value,
        what: &str,
        control: &JobControl,
    ) -> Result<Value, CallError> {
        let body = request_body(method, params);
        let answer: Value = self
            .client
            .post_json(&self.path, &body, control)
            .map_err(|e| CallError::Source(self.wrap(what, e)))?;
        self.envelope(what, answer)
    }

    /// Like [`Rpc::call`] into a typed, non-null result, with the response cache under
    /// `policy`. Refusals are never stored: an answer that is not a success is asked again
    /// without the cache to report what the node said.
    pub(super) fn call_cached<T: DeserializeOwned>(
        &self,
        method: &str,
        params: Value,
        what: &str,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<T, CallError> {
        let body = request_body(method, params.clone());
        match self
            .client
            .post_json_cached::<Success<T>>(&self.path, &body, policy, control)
        {
            Ok(success) => return Ok(success.result),
            Err(SourceError::BadAnswer { message, .. })
                if message.contains("unexpected JSON") || message.contains("JSON-RPC error") => {}
            Err(other) => return Err(CallError::Source(self.wrap(what, other))),
        }
        let result = self.call(method, params, what, control)?;
        serde_json::from_value(result)
            .map_err(|e| CallError::Source(self.bad(what, &format!("unexpected result: {e}"))))
    }

    /// Checks the JSON-RPC envelope and returns `result`.
    fn envelope(&self, what: &str, answer: Value) -> Result<Value, CallError> {
        let Value::Object(mut map) = answer else {
            return Err(CallError::Source(self.bad(
                what,
                &format!("the answer is {}, not a JSON-RPC object", kind(&answer)),
            )));
        };
        match map.get("id") {
            None | Some(Value::Null) => {}
            Some(Value::Number(n)) if n.as_u64() == Some(1) => {}
            Some(Value::String(s)) if s == "1" => {}
            Some(other) => {
                return Err(CallError::Source(self.bad(
                    what,
                    &format!("the answer is for request id {other}, not 1"),
                )));
            }
        }
        match map.remove("error") {
            None | Some(Value::Null) => {}
            Some(error) => return Err(CallError::Node(NodeError::from_value(error))),
        }
        map.remove("result").ok_or_else(|| {
            CallError::Source(self.bad(what, "the answer has neither a result nor an error"))
        })
    }

    /// [`Rpc::envelope`] for the property tests.
    #[cfg(test)]
    pub(super) fn envelope_for_tests(&self, what: &str, answer: Value) -> Result<Value, CallError> {
        self.envelope(what, answer)
    }

    /// Puts `what` in front of a client error and scrubs it.
    fn wrap(&self, what: &str, error: SourceError) -> SourceError {
        match error {
            SourceError::BadAnswer {
                source_name,
                message,
            } => SourceError::BadAnswer {
                source_name,
                message: self.scrub(&format!("{what}: {message}")),
            },
            other => scrub_error(other, &self.secrets),
        }
    }
}

fn request_body(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
}

fn scrub_text(text: &str, secrets: &[String]) -> String {
    let mut out = redact(text);
    for secret in secrets {
        if !secret.is_empty() {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

fn scrub_error(error: SourceError, secrets: &[String]) -> SourceError {
    match error {
        SourceError::BadAnswer {
            source_name,
            message,
        } => SourceError::BadAnswer {
            source_name,
            message: scrub_text(&message, secrets),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_error(code: i64, message: &str, data: Option<Value>) -> NodeError {
        NodeError {
            code,
            message: message.to_owned(),
            data,
        }
    }

    #[test]
    fn urls_split_and_keys_hide() {
        let e = split_url("https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef")
            .expect("url");
        assert_eq!(e.base, "https://mainnet.infura.io");
        assert_eq!(e.path, "/v3/0123456789abcdef0123456789abcdef");
        assert_eq!(e.secrets, ["0123456789abcdef0123456789abcdef"]);
        assert_eq!(e.authority, "mainnet.infura.io");
        let e = split_url("http://127.0.0.1:8545").expect("url");
        assert_eq!((e.path.as_str(), e.secrets.len()), ("/", 0));
        assert_eq!(e.authority, "127.0.0.1:8545");
        let e = split_url("https://eth-mainnet.g.alchemy.com/v2/Abc-dEf_gh1jKlmNoPq").expect("url");
        assert_eq!(e.secrets, ["Abc-dEf_gh1jKlmNoPq"]);
        assert!(split_url("nonsense").is_err());
        let err = split_url("https://alice:pw@node.example/rpc").expect_err("credentials");
        assert!(
            err.contains("REDACTED@node.example") && !err.contains("pw"),
            "{err}"
        );
        let err = split_url("https://rpc.ankr.com/eth/0123456789abcdef0123456789abcdef#x")
            .expect_err("fragment");
        assert!(!err.contains("0123456789abcdef"), "{err}");
        assert!(err.contains("REDACTED"), "{err}");
        for plain in ["v3", "mainnet", "eth", "rpc", "v2", "archive-node-primary"] {
            assert!(!is_key_like(plain), "{plain}");
        }
        assert!(
            scrub_text(
                "POST /v3/k3y-0123456789abcdef",
                &["k3y-0123456789abcdef".to_owned()]
            )
            .ends_with("/v3/REDACTED")
        );
    }

    #[test]
    fn refusals_are_classified() {
        let infura = node_error(
            -32005,
            "query returned more than 10000 results. Try with this block range [0x10, 0x1f].",
            Some(json!({"from": "0x10", "to": "0x1f"})),
        );
        assert!(infura.is_too_large());
        assert_eq!(infura.suggested_range(), Some((16, 31)));
        let alchemy = node_error(
            -32602,
            "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x0, 0x7cf]",
            None,
        );
        assert!(alchemy.is_too_large());
        assert_eq!(alchemy.suggested_range(), Some((0, 1999)));
        assert_eq!(alchemy.stated_span_limit(), None);
        let anvil = node_error(
            -32602,
            "block range too large, currently limited to 300",
            None,
        );
        assert!(anvil.is_too_large());
        assert_eq!(anvil.stated_span_limit(), Some(300));
        let quicknode = node_error(-32614, "eth_getLogs is limited to a 10,000 range", None);
        assert!(quicknode.is_too_large());
        assert_eq!(quicknode.stated_span_limit(), Some(10_000));
        assert!(node_error(-32000, "too many blocks", None).is_too_large());
        assert!(node_error(-32000, "Block range limit exceeded", None).is_too_large());
        let rate = node_error(
            -32005,
            "daily request count exceeded, request rate limited",
            None,
        );
        assert!(!rate.is_too_large());
        assert!(!node_error(-32000, "Too Many Requests", None).is_too_large());
        assert!(!node_error(3, "execution reverted", None).is_too_large());
        assert!(node_error(-32601, "Method not found", None).is_method_missing());
        assert!(
            node_error(
                -32600,
                "trace_filter is not available on the Free tier",
                None
            )
            .is_method_missing()
        );
        assert!(!node_error(-32000, "header not found", None).is_method_missing());
        assert_eq!(
            node_error(3, "execution reverted", Some(json!("0x08c379a0"))).describe(),
            "JSON-RPC error 3: execution reverted (data \"0x08c379a0\")"
        );
    }

    #[test]
    fn error_objects_of_any_shape() {
        assert_eq!(
            NodeError::from_value(json!("plain text")).message,
            "plain text"
        );
        let e = NodeError::from_value(json!({"code": -1}));
        assert_eq!((e.code, e.message.as_str()), (-1, "(no message)"));
    }
}
