//! Why an HTTP attempt failed and how that is said: the failure kinds the retry loop acts on,
//! reqwest errors as text without their URL, cross-origin redirects, and the check that an
//! answer does not echo a secret (such answers are never cached).

use super::origin::origin_of_parsed;
use super::redact::redact;
use reqwest::blocking::Response;
use std::time::Duration;

/// Why one attempt failed, and whether another may help.
pub(super) struct Failure {
    pub(super) what: String,
    pub(super) kind: FailureKind,
    pub(super) retry_after: Option<Duration>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum FailureKind {
    /// Worth retrying (timeouts, connection trouble, 5xx).
    Transient,
    /// HTTP 429.
    RateLimited,
    /// Retrying will not help (4xx, body too large, bad request).
    Final,
}

pub(super) fn after_retries(failure: &Failure, retries: u32) -> String {
    match (retries, failure.kind) {
        (0, _) => failure.what.clone(),
        (1, FailureKind::RateLimited) => format!("{} after 1 retry", failure.what),
        (n, FailureKind::RateLimited) => format!("{} after {n} retries", failure.what),
        (1, _) => format!("{} (after 1 retry)", failure.what),
        (n, _) => format!("{} (after {n} retries)", failure.what),
    }
}

/// The error for a redirect the client did not follow (to another scheme, host or port):
/// names the target's origin, never its path or query.
pub(super) fn cross_origin_redirect(response: &Response, status: u16) -> Failure {
    let target = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| response.url().join(location).ok())
        .map(|url| origin_of_parsed(&url));
    let what = match target {
        Some(origin) => format!(
            "HTTP {status}: the server redirected to another host ({origin}); Caseboard does \
             not follow redirects to another host, port or scheme (the request may carry a \
             key). Enter that URL as the source if you trust it"
        ),
        None => format!("HTTP {status}: the server redirected without a usable Location"),
    };
    Failure {
        what,
        kind: FailureKind::Final,
        retry_after: None,
    }
}

/// Sorts secrets longest first (so a longer one is replaced before a piece of it).
pub(super) fn sort_longest_first(secrets: &mut Vec<String>) {
    secrets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    secrets.dedup();
}

/// True if `body` holds any of `secrets` (as given, or in lower case for a server that
/// normalises what it echoes).
pub(super) fn echoes_a_secret(body: &[u8], secrets: &[String]) -> bool {
    secrets.iter().filter(|s| !s.is_empty()).any(|secret| {
        let exact = secret.as_bytes();
        let lower = secret.to_ascii_lowercase();
        contains(body, exact) || (lower.as_bytes() != exact && contains(body, lower.as_bytes()))
    })
}

pub(super) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// A reqwest error as text: its chain of causes, without the URL (which may hold a key).
pub(super) fn describe_reqwest(error: &reqwest::Error) -> String {
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

pub(super) fn error_kind_text(error: &reqwest::Error) -> String {
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
