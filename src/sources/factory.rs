//! Turns a case's [`SourceConfig`] into a live [`DataSource`], and parses the command line's
//! `--source KIND=URL`. Secrets (the Etherscan key, the path and query of a source URL) come
//! from the user's settings, the command line or the environment, never from the case.
//!
//! A user-given source URL is stored in a case as its origin (`scheme://host[:port]`) only:
//! its whole path and query are treated as secret, whatever they look like
//! ([`split_secret_url`]); the full URL lives in the owner-only settings (or on the command
//! line), keyed by that origin, and [`SourceContext`] finds it again by the origin.

use super::demo::DemoSource;
use super::esplora::EsploraSource;
use super::etherscan::{EtherscanSource, Secret};
use super::evm_rpc::EvmRpcSource;
use super::graphsense::{GRAPHSENSE_BASE, GraphSenseSource};
use super::http::{HttpConfig, REDACTED, ResponseCache, split_url};
use super::limits::ReadCaps;
use super::trongrid::{TRONGRID_BASE, TronGridSource};
use super::{DataSource, SourceError};
use crate::model::SourceConfig;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Environment variable holding an Etherscan API key.
pub const ETHERSCAN_KEY_ENV: &str = "CASEBOARD_ETHERSCAN_API_KEY";

/// Environment variable holding a TronGrid API key.
pub const TRONGRID_KEY_ENV: &str = super::trongrid::API_KEY_ENV;

/// Environment variable holding a GraphSense API key.
pub const GRAPHSENSE_KEY_ENV: &str = super::graphsense::API_KEY_ENV;

/// Secrets and switches a source may need; never serialised into a case.
#[derive(Clone, Default)]
pub struct SourceContext {
    /// Etherscan API key (settings, else the environment).
    pub etherscan_api_key: Option<String>,
    /// TronGrid API key (settings, else the environment); TronGrid works without one, slower.
    pub trongrid_api_key: Option<String>,
    /// GraphSense API key (settings, else the environment); a team's own instance may need none.
    pub graphsense_api_key: Option<String>,
    /// Serve only from the response cache.
    pub offline: bool,
    /// Use the on-disk response cache.
    pub use_cache: bool,
    /// Full URLs (with their path and query) of sources the case stores as an origin, keyed
    /// by that origin (from the user's settings or this command line; never in a case). Keys
    /// in the older redacted form (`…/v3/REDACTED`) are found too.
    pub full_urls: BTreeMap<String, String>,
    /// Seconds one answer may take in all (settings); `None` keeps the built-in default.
    pub answer_deadline_secs: Option<u64>,
    /// Caps on what one expansion may read (from settings; default [`ReadCaps::default`]).
    pub read_caps: ReadCaps,
}

impl std::fmt::Debug for SourceContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceContext")
            .field(
                "etherscan_api_key",
                &self.etherscan_api_key.as_ref().map(|_| "***"),
            )
            .field(
                "trongrid_api_key",
                &self.trongrid_api_key.as_ref().map(|_| "***"),
            )
            .field(
                "graphsense_api_key",
                &self.graphsense_api_key.as_ref().map(|_| "***"),
            )
            .field("offline", &self.offline)
            .field("use_cache", &self.use_cache)
            .field("full_urls", &self.full_urls.keys().collect::<Vec<_>>())
            .field("answer_deadline_secs", &self.answer_deadline_secs)
            .field("read_caps", &self.read_caps)
            .finish()
    }
}

impl SourceContext {
    /// The keys from settings where set, else from `CASEBOARD_ETHERSCAN_API_KEY`,
    /// `CASEBOARD_TRONGRID_API_KEY` and `CASEBOARD_GRAPHSENSE_API_KEY`.
    pub fn with_keys(etherscan_key: &str, trongrid_key: &str) -> SourceContext {
        SourceContext::with_all_keys(etherscan_key, trongrid_key, "")
    }

    /// [`SourceContext::with_keys`] with a GraphSense key from settings too.
    pub fn with_all_keys(
        etherscan_key: &str,
        trongrid_key: &str,
        graphsense_key: &str,
    ) -> SourceContext {
        let key = |settings_key: &str, env: &str| {
            if settings_key.trim().is_empty() {
                std::env::var(env).ok().filter(|k| !k.trim().is_empty())
            } else {
                Some(settings_key.trim().to_owned())
            }
        };
        SourceContext {
            etherscan_api_key: key(etherscan_key, ETHERSCAN_KEY_ENV),
            trongrid_api_key: key(trongrid_key, TRONGRID_KEY_ENV),
            graphsense_api_key: key(graphsense_key, GRAPHSENSE_KEY_ENV),
            offline: false,
            use_cache: true,
            full_urls: BTreeMap::new(),
            answer_deadline_secs: None,
            read_caps: ReadCaps::default(),
        }
    }

    /// Remembers the full form of a user-given `url` (from the command line) if it has a
    /// path or query the case does not store.
    pub fn remember_full_url(&mut self, url: &str) {
        if let (public, Some(full)) = split_secret_url(url) {
            self.full_urls.insert(public, full);
        }
    }

    /// The URL to connect to for a stored `url`: the full URL kept for it (by the stored
    /// text, else by its origin), else the stored URL itself. Errors never quote a path.
    fn resolve(&self, url: &str) -> Result<String, SourceError> {
        let fail = |message: String| SourceError::BadAnswer {
            source_name: split_url(url).map_or_else(|_| "source".to_owned(), |s| s.origin),
            message,
        };
        if let Some(full) = self.full_urls.get(url) {
            split_url(full).map_err(&fail)?;
            return Ok(full.clone());
        }
        let split = split_url(url).map_err(&fail)?;
        // A case written before origins-only may still hold a path: it is used as stored.
        if split.has_secret_part() && !url.contains(REDACTED) {
            return Ok(url.to_owned());
        }
        if let Some(full) = self.full_urls.get(&split.origin) {
            split_url(full).map_err(&fail)?;
            return Ok(full.clone());
        }
        if url.contains(REDACTED) {
            return Err(fail(
                "this URL had a key, which is never stored in a case; enter the full URL in \
                 Case → Data source (it is kept in your settings) or pass it with --source"
                    .to_owned(),
            ));
        }
        Ok(split.origin)
    }
}

/// `url` as a case may store it — its origin, `scheme://host[:port]` — and, when the URL has
/// more (a path or a query, secret whatever it looks like), the full URL to keep in the
/// user's settings under that origin. A text that is not an http(s) URL gives an empty
/// stored form (nothing of it is kept).
pub fn split_secret_url(url: &str) -> (String, Option<String>) {
    match split_url(url) {
        Ok(split) if split.has_secret_part() => {
            let full = split.full();
            (split.origin, Some(full))
        }
        Ok(split) => (split.origin, None),
        Err(_) => (String::new(), None),
    }
}

/// The response cache the context asks for (none without `use_cache`; offline = no network).
pub fn response_cache(ctx: &SourceContext) -> Result<Option<ResponseCache>, SourceError> {
    cache(ctx)
}

fn cache(ctx: &SourceContext) -> Result<Option<ResponseCache>, SourceError> {
    if !ctx.use_cache {
        return Ok(None);
    }
    ResponseCache::default_dir()
        .map(|dir| ResponseCache::open(dir, ctx.offline))
        .transpose()
}

fn http_config(config: &SourceConfig, ctx: &SourceContext) -> HttpConfig {
    let mut http = if config.is_public_service() {
        HttpConfig::for_public_service()
    } else {
        HttpConfig::for_own_node()
    };
    if let Some(secs) = ctx.answer_deadline_secs {
        http.answer_deadline_secs = secs.max(1);
    }
    http
}

/// Builds the source a case names.
pub fn build_source(
    config: &SourceConfig,
    ctx: &SourceContext,
) -> Result<Arc<dyn DataSource>, SourceError> {
    Ok(match config {
        SourceConfig::Demo => Arc::new(DemoSource::new()),
        SourceConfig::Esplora { url } => Arc::new(
            EsploraSource::new(&ctx.resolve(url)?, http_config(config, ctx), cache(ctx)?)?
                .with_read_caps(ctx.read_caps),
        ),
        SourceConfig::Etherscan { chain_id } => {
            Arc::new(etherscan(*chain_id, ctx, cache(ctx)?)?.with_read_caps(ctx.read_caps))
        }
        SourceConfig::EvmRpc { url } => Arc::new(
            EvmRpcSource::new(
                &ctx.resolve(url)?,
                None,
                http_config(config, ctx),
                cache(ctx)?,
            )?
            .with_read_caps(ctx.read_caps),
        ),
        SourceConfig::Blockscout { url, chain_id } => Arc::new(
            EtherscanSource::blockscout(
                &ctx.resolve(url)?,
                *chain_id,
                http_config(config, ctx),
                cache(ctx)?,
            )?
            .with_read_caps(ctx.read_caps),
        ),
        SourceConfig::Tron { url } => Arc::new(tron(url, config, ctx, cache(ctx)?)?),
        SourceConfig::GraphSense { url } => Arc::new(graphsense(url, config, ctx, cache(ctx)?)?),
    })
}

fn graphsense(
    url: &str,
    config: &SourceConfig,
    ctx: &SourceContext,
    cache: Option<ResponseCache>,
) -> Result<GraphSenseSource, SourceError> {
    let key = ctx.graphsense_api_key.clone().map(Secret::new);
    Ok(
        GraphSenseSource::new(&ctx.resolve(url)?, key, http_config(config, ctx), cache)?
            .with_read_caps(ctx.read_caps),
    )
}

fn tron(
    url: &str,
    config: &SourceConfig,
    ctx: &SourceContext,
    cache: Option<ResponseCache>,
) -> Result<TronGridSource, SourceError> {
    let key = ctx.trongrid_api_key.clone().map(Secret::new);
    Ok(
        TronGridSource::new(&ctx.resolve(url)?, key, http_config(config, ctx), cache)?
            .with_read_caps(ctx.read_caps),
    )
}

/// The router over the case's default source and its per-chain sources.
pub fn build_router(
    default: &SourceConfig,
    by_chain: &BTreeMap<String, SourceConfig>,
    ctx: &SourceContext,
) -> super::router::SourceRouter {
    super::router::SourceRouter::new(default, by_chain, |config| build_source(config, ctx))
}

/// Etherscan's free tier allows 3 requests a second.
const ETHERSCAN_MIN_INTERVAL_MS: u64 = 350;

fn etherscan(
    chain_id: u64,
    ctx: &SourceContext,
    cache: Option<ResponseCache>,
) -> Result<EtherscanSource, SourceError> {
    let config = HttpConfig {
        min_interval_ms: ETHERSCAN_MIN_INTERVAL_MS,
        ..http_config(&SourceConfig::Etherscan { chain_id }, ctx)
    };
    let key = Secret::new(ctx.etherscan_api_key.clone().unwrap_or_default());
    EtherscanSource::etherscan(chain_id, key, config, cache, None)
}

/// Checks that the source answers and says what it can do ("tip height 883412").
pub fn test_connection(
    config: &SourceConfig,
    ctx: &SourceContext,
    control: &super::JobControl,
) -> Result<String, SourceError> {
    match config {
        SourceConfig::Demo => Ok("offline demo ledger: always available".to_owned()),
        SourceConfig::Esplora { url } => {
            EsploraSource::new(&ctx.resolve(url)?, http_config(config, ctx), None)?
                .test_connection(control)
        }
        SourceConfig::Etherscan { chain_id } => {
            etherscan(*chain_id, ctx, None)?.test_connection(control)
        }
        SourceConfig::Blockscout { url, chain_id } => EtherscanSource::blockscout(
            &ctx.resolve(url)?,
            *chain_id,
            http_config(config, ctx),
            None,
        )?
        .test_connection(control),
        SourceConfig::EvmRpc { url } => {
            EvmRpcSource::new(&ctx.resolve(url)?, None, http_config(config, ctx), None)?
                .test_connection(control)
        }
        SourceConfig::Tron { url } => tron(url, config, ctx, None)?.test_connection(control),
        SourceConfig::GraphSense { url } => {
            graphsense(url, config, ctx, None)?.test_connection(control)
        }
    }
}

/// Parses `KIND=URL` (`demo`, `esplora=URL`, `evm-rpc=URL`, `etherscan[=CHAIN_ID]`,
/// `blockscout=URL`, `tron[=URL]` — TronGrid when no URL is given, `graphsense[=URL]` — the
/// hosted API when no URL is given); `chain_id` applies to
/// Etherscan/Blockscout when the text gives none.
pub fn parse_source_arg(text: &str, chain_id: u64) -> Result<SourceConfig, String> {
    let (kind, value) = match text.split_once('=') {
        Some((k, v)) => (k.trim(), Some(v.trim())),
        None => (text.trim(), None),
    };
    let url = |v: Option<&str>| -> Result<String, String> {
        let v = v
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("--source {kind} needs =URL"))?;
        split_url(v)
            .map(|split| split.origin)
            .map_err(|e| format!("--source {kind}: {e}"))
    };
    match kind {
        "demo" => Ok(SourceConfig::Demo),
        "esplora" => Ok(SourceConfig::Esplora { url: url(value)? }),
        "tron" => Ok(SourceConfig::Tron {
            url: url(value.filter(|v| !v.is_empty()).or(Some(TRONGRID_BASE)))?,
        }),
        "graphsense" => Ok(SourceConfig::GraphSense {
            url: url(value.filter(|v| !v.is_empty()).or(Some(GRAPHSENSE_BASE)))?,
        }),
        "evm-rpc" => Ok(SourceConfig::EvmRpc { url: url(value)? }),
        "blockscout" => Ok(SourceConfig::Blockscout {
            url: url(value)?,
            chain_id,
        }),
        "etherscan" => {
            let chain_id = match value {
                Some(v) if !v.is_empty() => v
                    .parse::<u64>()
                    .map_err(|_| format!("--source etherscan={v}: expected a chain id"))?,
                _ => chain_id,
            };
            Ok(SourceConfig::Etherscan { chain_id })
        }
        other => Err(format!(
            "unknown source kind {other:?} (demo, esplora, evm-rpc, etherscan, blockscout, tron, graphsense)"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_source_arguments() {
        assert_eq!(parse_source_arg("demo", 1), Ok(SourceConfig::Demo));
        assert_eq!(
            parse_source_arg("esplora=http://127.0.0.1:3000/", 1),
            Ok(SourceConfig::Esplora {
                url: "http://127.0.0.1:3000".into()
            })
        );
        assert_eq!(
            parse_source_arg("etherscan=137", 1),
            Ok(SourceConfig::Etherscan { chain_id: 137 })
        );
        assert_eq!(
            parse_source_arg("etherscan", 10),
            Ok(SourceConfig::Etherscan { chain_id: 10 })
        );
        assert!(parse_source_arg("esplora", 1).is_err());
        assert!(parse_source_arg("esplora=ftp://x", 1).is_err());
        assert_eq!(
            parse_source_arg("tron", 1),
            Ok(SourceConfig::Tron {
                url: "https://api.trongrid.io".into()
            })
        );
        assert_eq!(
            parse_source_arg("tron=http://127.0.0.1:9090/", 1),
            Ok(SourceConfig::Tron {
                url: "http://127.0.0.1:9090".into()
            })
        );
        assert!(parse_source_arg("tron=ftp://x", 1).is_err());
        assert_eq!(
            parse_source_arg("graphsense", 1),
            Ok(SourceConfig::GraphSense {
                url: "https://api.ikna.io".into()
            })
        );
        assert_eq!(
            parse_source_arg("graphsense=http://127.0.0.1:9000/api/v1", 1),
            Ok(SourceConfig::GraphSense {
                url: "http://127.0.0.1:9000".into()
            }),
            "the path is kept out of the case like every source's"
        );
        assert!(parse_source_arg("tronics=http://x", 1).is_err());
        // A key in the URL never reaches the case: only the origin does.
        let SourceConfig::EvmRpc { url } =
            parse_source_arg("evm-rpc=https://node.example/rpc?apikey=SECRET123", 1)
                .expect("parses")
        else {
            panic!("wrong kind");
        };
        assert_eq!(url, "https://node.example");
        assert!(
            parse_source_arg("esplora=https://u:pw-secret@h.example/x", 1)
                .is_err_and(|e| !e.contains("pw-secret"))
        );
    }

    /// Keys that look like nothing in particular: short, all letters, under query names no
    /// list knows. None of them may reach the case.
    const UNGUESSABLE_KEYS: &[&str] = &[
        "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef",
        "https://rpc.example/v3/abcdefgh",
        "https://rpc.example/eth/Zq9",
        "https://rpc.example/rpc?dkey=qwertyui",
        "https://rpc.example/?access-key=qwertyui",
        "https://rpc.example/rpc?x-api-key=qwertyui&chain=1",
    ];

    #[test]
    fn cases_store_the_origin_only() {
        for full in UNGUESSABLE_KEYS {
            let config = parse_source_arg(&format!("evm-rpc={full}"), 1).expect("parses");
            let SourceConfig::EvmRpc { url } = &config else {
                panic!("wrong kind");
            };
            let (public, secret) = split_secret_url(full);
            assert_eq!(url, &public);
            assert!(
                !public.contains('/') || public.matches('/').count() == 2,
                "{public}"
            );
            for piece in [
                "0123456789abcdef",
                "abcdefgh",
                "Zq9",
                "qwertyui",
                "dkey",
                "access",
            ] {
                assert!(!public.contains(piece), "{public}");
            }
            // The full URL is kept whole (an empty path may be written as `/`).
            assert_eq!(
                secret.as_deref().map(|s| s.replace("/?", "?")),
                Some(full.replace("/?", "?"))
            );
        }
        assert_eq!(
            split_secret_url("http://127.0.0.1:8545/"),
            ("http://127.0.0.1:8545".to_owned(), None)
        );
        assert_eq!(
            split_secret_url("node.example/v3/abcdefgh"),
            (String::new(), None)
        );
    }

    #[test]
    fn the_full_url_is_found_by_the_origin() {
        let full = "https://rpc.example/v3/abcdefgh";
        let (public, _) = split_secret_url(full);
        let config = SourceConfig::EvmRpc {
            url: public.clone(),
        };
        let mut ctx = SourceContext {
            use_cache: false,
            ..SourceContext::default()
        };
        // Without it the origin is used as it is.
        assert_eq!(
            ctx.resolve(&public).ok().as_deref(),
            Some("https://rpc.example")
        );
        ctx.remember_full_url(full);
        assert_eq!(ctx.resolve(&public).ok().as_deref(), Some(full));
        assert!(build_source(&config, &ctx).is_ok());
        // A case of the older, redacted form finds it too.
        assert_eq!(
            ctx.resolve("https://rpc.example/v3/REDACTED")
                .ok()
                .as_deref(),
            Some(full)
        );
    }

    #[test]
    fn a_redacted_url_needs_its_full_form_from_settings() {
        let ctx = SourceContext {
            use_cache: false,
            ..SourceContext::default()
        };
        let config = SourceConfig::EvmRpc {
            url: "https://mainnet.infura.io/v3/REDACTED".to_owned(),
        };
        let err = build_source(&config, &ctx)
            .err()
            .expect("no full URL known");
        assert!(err.to_string().contains("full URL"), "{err}");
    }

    #[test]
    fn context_debug_hides_the_key() {
        let ctx = SourceContext {
            etherscan_api_key: Some("SECRET123".into()),
            ..SourceContext::default()
        };
        assert!(!format!("{ctx:?}").contains("SECRET123"));
    }
}
