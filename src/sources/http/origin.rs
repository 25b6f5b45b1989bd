//! A user-given source URL split into what may be stored and shown — its origin, `scheme://
//! host[:port]` — and what is secret: the whole path and query, whatever they look like.
//!
//! Hosted nodes put keys into paths (`/v3/<key>`) and queries (`?dkey=…`, `?x-api-key=…`)
//! in forms no list can foresee, so nothing here guesses what a key looks like: a case
//! stores the origin only, the full URL stays in the owner-only settings (keyed by the
//! origin), and the HTTP client never shows the path or query of its base URL. A server may
//! echo a secret back: [`secret_parts`] lists the pieces to scrub from messages and to look
//! for before a body is cached.

/// Pieces of a URL's secret part shorter than this are not scrubbed from text or looked for
/// in bodies: `v3`, `eth`, `api` carry no secret and occur in ordinary text. They never
/// appear in a message anyway (the base path is never shown).
pub(crate) const MIN_SECRET_CHARS: usize = 4;

/// A source URL in its parts.
#[derive(Clone, PartialEq, Eq)]
pub struct SplitUrl {
    /// `scheme://host[:port]`, scheme and host in lower case, a default port dropped.
    pub origin: String,
    /// The path without a trailing `/` (empty, or starting with `/`). Secret.
    pub path: String,
    /// The query without its `?` (may be empty). Secret.
    pub query: String,
}

impl std::fmt::Debug for SplitUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SplitUrl")
            .field("origin", &self.origin)
            .field("secret_part", &self.has_secret_part())
            .finish()
    }
}

impl SplitUrl {
    /// True if the URL has anything after its origin (which the case does not store).
    pub fn has_secret_part(&self) -> bool {
        !self.path.is_empty() || !self.query.is_empty()
    }

    /// The URL as it was given (normalised origin, no trailing `/`).
    pub fn full(&self) -> String {
        if self.query.is_empty() {
            format!("{}{}", self.origin, self.path)
        } else {
            format!("{}{}?{}", self.origin, self.path, self.query)
        }
    }
}

/// Splits an `http`/`https` URL. Errors name the origin only (or nothing of the URL when even
/// that is not there), never the path or query.
pub fn split_url(url: &str) -> Result<SplitUrl, String> {
    let trimmed = url.trim();
    let Some((scheme, rest)) = trimmed.split_once("://") else {
        return Err("not a URL (expected http://… or https://…)".to_owned());
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "{scheme}:// URLs are not supported (only http and https)"
        ));
    }
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at(authority_len);
    if authority.contains('@') {
        // Say nothing of the authority: it holds the credentials.
        return Err(format!(
            "a {scheme}:// URL with credentials (user:password@); put secrets in the source \
             settings, not in the URL's host part"
        ));
    }
    if authority.is_empty() {
        return Err(format!("a {scheme}:// URL without a host"));
    }
    if authority
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return Err(format!("{scheme}:// URL: the host contains spaces"));
    }
    let origin = normalised_origin(&scheme, authority);
    if after.contains('#') {
        return Err(format!(
            "{origin}/…: a source URL must not have a fragment (#…)"
        ));
    }
    if after.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{origin}/…: the URL's path contains spaces"));
    }
    let (path, query) = after.split_once('?').unwrap_or((after, ""));
    Ok(SplitUrl {
        origin,
        path: path.trim_end_matches('/').to_owned(),
        query: query.to_owned(),
    })
}

/// `scheme://host[:port]` of `url` (see [`split_url`]).
pub fn origin_of(url: &str) -> Result<String, String> {
    split_url(url).map(|split| split.origin)
}

/// A source's name for messages and provenance: `kind:host[:port]` of `base_url` (never its
/// path or query), or `kind` alone when the URL has no host.
pub fn source_name(kind: &str, base_url: &str) -> String {
    let origin = origin_of(base_url).unwrap_or_default();
    match origin.split_once("://").map(|(_, host)| host) {
        Some(host) if !host.is_empty() => format!("{kind}:{host}"),
        _ => kind.to_owned(),
    }
}

fn normalised_origin(scheme: &str, authority: &str) -> String {
    let lower = authority.to_ascii_lowercase();
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = lower.strip_suffix(default_port).unwrap_or(&lower);
    format!("{scheme}://{host}")
}

/// The pieces of `split`'s secret part to scrub from text and look for in bodies: the whole
/// path, the whole query, each path segment and each query name and value, each of at least
/// [`MIN_SECRET_CHARS`] characters; longest first (so a longer piece is replaced whole).
pub(crate) fn secret_parts(split: &SplitUrl) -> Vec<String> {
    let mut parts = vec![split.path.clone(), split.query.clone()];
    parts.extend(split.path.split('/').map(str::to_owned));
    for pair in split.query.split('&') {
        match pair.split_once('=') {
            Some((name, value)) => {
                parts.push(pair.to_owned());
                parts.push(name.to_owned());
                parts.push(value.to_owned());
            }
            None => parts.push(pair.to_owned()),
        }
    }
    parts.retain(|p| p.chars().count() >= MIN_SECRET_CHARS);
    parts.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    parts.dedup();
    parts
}

/// True if `a` and `b` (absolute URLs) share scheme, host and port.
pub(crate) fn same_origin(a: &reqwest::Url, b: &reqwest::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str().map(str::to_ascii_lowercase) == b.host_str().map(str::to_ascii_lowercase)
        && a.port_or_known_default() == b.port_or_known_default()
}

/// `scheme://host[:port]` of a parsed URL, to name the target of a redirect (never its path).
pub(crate) fn origin_of_parsed(url: &reqwest::Url) -> String {
    let host = url.host_str().unwrap_or("?");
    match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    }
}

/// Follows at most 3 redirects, and only within the origin first asked (same scheme, host and
/// port), so the URL's secret path and query, and secret headers, never travel elsewhere. A
/// redirect to another origin is not followed: the client answers it with an error saying so.
pub(crate) fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same = attempt
            .previous()
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()));
        if !same {
            attempt.stop()
        } else if attempt.previous().len() > 3 {
            attempt.error("more than 3 redirects within the same host")
        } else {
            attempt.follow()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_origin_from_the_secret_part() {
        let split = split_url("HTTPS://Mainnet.Infura.io:443/v3/abcdefgh/?dkey=Zq").expect("url");
        assert_eq!(split.origin, "https://mainnet.infura.io");
        assert_eq!(split.path, "/v3/abcdefgh");
        assert_eq!(split.query, "dkey=Zq");
        assert!(split.has_secret_part());
        assert_eq!(
            split.full(),
            "https://mainnet.infura.io/v3/abcdefgh?dkey=Zq"
        );
        let local = split_url("http://127.0.0.1:8545/").expect("url");
        assert_eq!(local.origin, "http://127.0.0.1:8545");
        assert!(!local.has_secret_part());
        assert_eq!(
            origin_of("https://h.example?x-api-key=k").as_deref(),
            Ok("https://h.example")
        );
    }

    #[test]
    fn errors_never_quote_the_secret_part() {
        for bad in [
            "https://user:pw-secret@h.example/x",
            "https://h.example/abcdefgh#frag",
            "https://h.example/abc defgh",
            "ftp://h.example/abcdefgh",
            "h.example/abcdefgh",
        ] {
            let err = split_url(bad).unwrap_err();
            assert!(
                !err.contains("abcdefgh") && !err.contains("pw-secret"),
                "{err}"
            );
        }
    }

    #[test]
    fn secret_parts_cover_short_and_all_letter_keys() {
        let split = split_url("https://h.example/v3/abcdefgh?access-key=Qwer&x=1").expect("url");
        let parts = secret_parts(&split);
        for piece in [
            "/v3/abcdefgh",
            "abcdefgh",
            "access-key=Qwer",
            "Qwer",
            "access-key",
        ] {
            assert!(parts.iter().any(|p| p == piece), "{piece} in {parts:?}");
        }
        assert!(!parts.iter().any(|p| p == "v3" || p == "1"), "{parts:?}");
        assert!(parts.windows(2).all(|w| w[0].len() >= w[1].len()));
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let url = |s: &str| reqwest::Url::parse(s).expect("url");
        assert!(same_origin(
            &url("https://h.example/a"),
            &url("https://H.example:443/b")
        ));
        assert!(!same_origin(
            &url("http://h.example/a"),
            &url("https://h.example/a")
        ));
        assert!(!same_origin(
            &url("http://127.0.0.1:1/a"),
            &url("http://127.0.0.1:2/a")
        ));
        assert_eq!(
            origin_of_parsed(&url("http://127.0.0.1:2/secret?k=v")),
            "http://127.0.0.1:2"
        );
    }
}
