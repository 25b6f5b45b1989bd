//! Keeps secrets out of messages, log lines and cache keys.
//!
//! [`redact`] rewrites any text that may hold a URL or a header: the values of query
//! parameters named like a key (`apikey`, `api_key`, `api-key`, `key`, `token`,
//! `access_token`, `auth`, `secret`, `password`, any case), credentials in a URL
//! (`https://user:pass@host`), and the value after `Authorization:` / `Bearer ` become
//! `REDACTED`. [`redact_header`] does the same for one header given by name. The client
//! additionally scrubs the exact values of headers it was told are secret.

/// What a secret is replaced with.
pub const REDACTED: &str = "REDACTED";

/// Query parameter names whose values are secrets (compared case-insensitively).
const SECRET_PARAMS: &[&str] = &[
    "apikey",
    "api_key",
    "api-key",
    "key",
    "token",
    "access_token",
    "auth",
    "secret",
    "password",
];

/// Header names whose values are secrets (compared case-insensitively).
const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "apikey",
    "tron-pro-api-key",
    "cookie",
];

/// True for a header whose value must never be shown.
pub(crate) fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name))
}

/// The value of header `name` as it may be shown: `REDACTED` for secret headers.
pub fn redact_header(name: &str, value: &str) -> String {
    if is_secret_header(name) {
        REDACTED.to_owned()
    } else {
        redact(value)
    }
}

/// Rewrites `text` so that no query-parameter key, URL credential or authorization value in
/// it survives (see the module doc). Text without secrets comes back unchanged.
pub fn redact(text: &str) -> String {
    let text = redact_query_params(text);
    let text = redact_userinfo(&text);
    redact_authorization(&text)
}

/// Characters that end a query-parameter value inside free text.
fn ends_value(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '&' | '#' | '"' | '\'' | ')' | '>' | '<' | ',' | ';' | '`'
        )
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

fn redact_query_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['?', '&']) {
        let (before, from_sep) = rest.split_at(at);
        out.push_str(before);
        // `from_sep` starts with the one-byte separator.
        let (sep, after) = from_sep.split_at(1);
        out.push_str(sep);
        let name_len = after
            .find(|c: char| !is_name_char(c))
            .unwrap_or(after.len());
        let (name, tail) = after.split_at(name_len);
        let secret = SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name));
        match tail.strip_prefix('=') {
            Some(value_and_rest) if secret && !name.is_empty() => {
                out.push_str(name);
                out.push('=');
                out.push_str(REDACTED);
                let value_len = value_and_rest
                    .find(ends_value)
                    .unwrap_or(value_and_rest.len());
                rest = &value_and_rest[value_len..];
            }
            _ => {
                out.push_str(name);
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn redact_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after_scheme) = rest.split_at(at + 3);
        out.push_str(before);
        // The authority ends at the first '/', '?', '#' or a character that ends a URL in text.
        let authority_len = after_scheme
            .find(|c: char| matches!(c, '/' | '?' | '#') || ends_value(c))
            .unwrap_or(after_scheme.len());
        let authority = &after_scheme[..authority_len];
        match authority.rfind('@') {
            Some(at_sign) => {
                out.push_str(REDACTED);
                out.push_str(&authority[at_sign..]);
            }
            None => out.push_str(authority),
        }
        rest = &after_scheme[authority_len..];
    }
    out.push_str(rest);
    out
}

fn redact_authorization(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let lower = text.to_ascii_lowercase();
    let mut copied = 0;
    let mut search = 0;
    loop {
        let next_header = lower[search..]
            .find("authorization:")
            .map(|i| (i + search, 14));
        let next_bearer = lower[search..].find("bearer ").map(|i| (i + search, 7));
        let (at, len) = match (next_header, next_bearer) {
            (Some(h), Some(b)) => {
                if h.0 <= b.0 {
                    h
                } else {
                    b
                }
            }
            (Some(h), None) => h,
            (None, Some(b)) => b,
            (None, None) => break,
        };
        let value_start = at + len;
        let skipped_space = text[value_start..].len() - text[value_start..].trim_start().len();
        let value_from = value_start + skipped_space;
        // An authorization header's value runs to the end of the line; a bearer token to the
        // next space or quote.
        let is_header = len == 14;
        let value_len = text[value_from..]
            .find(|c: char| {
                if is_header {
                    c == '\n' || c == '\r' || c == '"'
                } else {
                    ends_value(c)
                }
            })
            .unwrap_or(text.len() - value_from);
        if value_len == 0 {
            search = value_from;
            continue;
        }
        out.push_str(&text[copied..value_from]);
        out.push_str(REDACTED);
        copied = value_from + value_len;
        search = copied;
    }
    out.push_str(&text[copied..]);
    out
}

/// The values of key-like query parameters in `path_and_query` (to scrub them wherever a
/// server echoes them back).
pub(crate) fn secret_param_values(path_and_query: &str) -> Vec<String> {
    let Some((_, query)) = path_and_query.split_once('?') else {
        return Vec::new();
    };
    query
        .split(['&', '#'])
        .filter_map(|pair| pair.split_once('='))
        .filter(|(name, value)| {
            !value.is_empty() && SECRET_PARAMS.iter().any(|p| p.eq_ignore_ascii_case(name))
        })
        .map(|(_, value)| value.to_owned())
        .collect()
}

/// Replaces every occurrence of each known secret value in `text`.
pub(crate) fn scrub(text: &str, secrets: &[String]) -> String {
    let mut out = redact(text);
    for secret in secrets {
        if !secret.is_empty() {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_key_like_query_parameters() {
        assert_eq!(
            redact("GET /api?module=account&apikey=SECRET123&page=1"),
            "GET /api?module=account&apikey=REDACTED&page=1"
        );
        assert_eq!(redact("/x?API_KEY=abc"), "/x?API_KEY=REDACTED");
        assert_eq!(
            redact("/x?key=abc&token=def"),
            "/x?key=REDACTED&token=REDACTED"
        );
        assert_eq!(
            redact("error for url (http://h/api?apikey=S3CR3T): timed out"),
            "error for url (http://h/api?apikey=REDACTED): timed out"
        );
        // Names that merely contain a secret name are not secrets; nothing else changes.
        assert_eq!(redact("/x?monkey=1&keys=2"), "/x?monkey=1&keys=2");
        assert_eq!(redact("/address/bc1q/txs?x=1"), "/address/bc1q/txs?x=1");
        assert_eq!(redact("?apikey="), "?apikey=REDACTED");
        assert_eq!(redact("a ? b & c"), "a ? b & c");
    }

    #[test]
    fn redacts_url_credentials_and_authorization() {
        assert_eq!(
            redact("https://alice:pw@node.example:8332/api"),
            "https://REDACTED@node.example:8332/api"
        );
        assert_eq!(
            redact("https://node.example/api"),
            "https://node.example/api"
        );
        assert_eq!(
            redact("Authorization: Basic dXNlcjpwYXNz\nAccept: */*"),
            "Authorization: REDACTED\nAccept: */*"
        );
        assert_eq!(
            redact("sent bearer abc.def.ghi to host"),
            "sent bearer REDACTED to host"
        );
    }

    #[test]
    fn header_values_by_name() {
        assert_eq!(redact_header("Authorization", "Bearer x"), REDACTED);
        assert_eq!(redact_header("TRON-PRO-API-KEY", "k"), REDACTED);
        assert_eq!(
            redact_header("Accept", "application/json"),
            "application/json"
        );
    }

    #[test]
    fn scrubs_known_values() {
        let secrets = vec!["hunter2".to_owned()];
        assert_eq!(
            scrub("server echoed hunter2 back", &secrets),
            "server echoed REDACTED back"
        );
    }

    #[test]
    fn finds_secret_query_values() {
        assert_eq!(
            secret_param_values("/api?module=x&apikey=S1&Token=T2&page=1"),
            ["S1", "T2"]
        );
        assert!(secret_param_values("/api").is_empty());
    }

    #[test]
    fn keeps_unicode_intact() {
        assert_eq!(redact("für ?key=ü&x=ß"), "für ?key=REDACTED&x=ß");
    }
}
