//! Turns a case's [`SourceConfig`] into a live [`DataSource`], and parses the command line's
//! `--source KIND=URL`. Secrets (the Etherscan key) come from the user's settings or the
//! environment, never from the case.

use super::demo::DemoSource;
use super::esplora::EsploraSource;
use super::etherscan::{EtherscanSource, Secret};
use super::evm_rpc::EvmRpcSource;
use super::evm_rpc::public_url;
use super::http::REDACTED;
use super::http::{HttpConfig, ResponseCache};
use super::limits::ReadCaps;
use super::{DataSource, SourceError};
use crate::model::SourceConfig;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Environment variable holding an Etherscan API key.
pub const ETHERSCAN_KEY_ENV: &str = "CASEBOARD_ETHERSCAN_API_KEY";

/// Secrets and switches a source may need; never serialised into a case.
#[derive(Clone, Default)]
pub struct SourceContext {
    /// Etherscan API key (settings, else the environment).
    pub etherscan_api_key: Option<String>,
    /// Serve only from the response cache.
    pub offline: bool,
    /// Use the on-disk response cache.
    pub use_cache: bool,
    /// Full URLs (with their keys) of sources whose URL the case stores redacted, keyed by
    /// the redacted form (from the user's settings or this command line; never in a case).
    pub full_urls: BTreeMap<String, String>,
    /// What one expansion may read (from the user's settings).
    pub read_caps: ReadCaps,
}

impl std::fmt::Debug for SourceContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceContext")
            .field(
                "etherscan_api_key",
                &self.etherscan_api_key.as_ref().map(|_| "***"),
            )
            .field("offline", &self.offline)
            .field("use_cache", &self.use_cache)
            .field("full_urls", &self.full_urls.keys().collect::<Vec<_>>())
            .field("read_caps", &self.read_caps)
            .finish()
    }
}

impl SourceContext {
    /// The key from settings if set, else from `CASEBOARD_ETHERSCAN_API_KEY`.
    pub fn with_key_from(settings_key: &str) -> SourceContext {
        let key = if settings_key.trim().is_empty() {
            std::env::var(ETHERSCAN_KEY_ENV)
                .ok()
                .filter(|k| !k.trim().is_empty())
        } else {
            Some(settings_key.trim().to_owned())
        };
        SourceContext {
            etherscan_api_key: key,
            offline: false,
            use_cache: true,
            full_urls: BTreeMap::new(),
            read_caps: ReadCaps::default(),
        }
    }

    /// The URL to connect to for a stored (possibly redacted) `url`.
    fn resolve(&self, url: &str) -> Result<String, SourceError> {
        if let Some(full) = self.full_urls.get(url) {
            return Ok(full.clone());
        }
        if url.contains(REDACTED) {
            return Err(SourceError::BadAnswer {
                source_name: url.to_owned(),
                message: "this URL had a key, which is never stored in a case; enter the full \
                          URL in Case → Data source (it is kept in your settings) or pass it \
                          with --source"
                    .to_owned(),
            });
        }
        Ok(url.to_owned())
    }
}

/// `url` as a case may store it (keys redacted) and, when that differs, the full URL to keep
/// in the user's settings.
pub fn split_secret_url(url: &str) -> (String, Option<String>) {
    let public = public_url(url);
    if public == url {
        (public, None)
    } else {
        (public, Some(url.to_owned()))
    }
}

fn cache(ctx: &SourceContext) -> Result<Option<ResponseCache>, SourceError> {
    if !ctx.use_cache {
        return Ok(None);
    }
    ResponseCache::default_dir()
        .map(|dir| ResponseCache::open(dir, ctx.offline))
        .transpose()
}

fn http_config(config: &SourceConfig) -> HttpConfig {
    if config.is_public_service() {
        HttpConfig::for_public_service()
    } else {
        HttpConfig::for_own_node()
    }
}

/// Builds the source a case names.
pub fn build_source(
    config: &SourceConfig,
    ctx: &SourceContext,
) -> Result<Arc<dyn DataSource>, SourceError> {
    Ok(match config {
        SourceConfig::Demo => Arc::new(DemoSource::new()),
        SourceConfig::Esplora { url } => Arc::new(EsploraSource::new(
            &ctx.resolve(url)?,
            http_config(config),
            cache(ctx)?,
        )?),
        SourceConfig::Etherscan { chain_id } => {
            Arc::new(etherscan(*chain_id, ctx, cache(ctx)?)?.with_read_caps(ctx.read_caps))
        }
        SourceConfig::EvmRpc { url } => Arc::new(
            EvmRpcSource::new(&ctx.resolve(url)?, None, http_config(config), cache(ctx)?)?
                .with_read_caps(ctx.read_caps),
        ),
        SourceConfig::Blockscout { url, chain_id } => Arc::new(
            EtherscanSource::blockscout(
                &ctx.resolve(url)?,
                *chain_id,
                http_config(config),
                cache(ctx)?,
            )?
            .with_read_caps(ctx.read_caps),
        ),
    })
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
        ..HttpConfig::for_public_service()
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
            EsploraSource::new(&ctx.resolve(url)?, http_config(config), None)?
                .test_connection(control)
        }
        SourceConfig::Etherscan { chain_id } => {
            etherscan(*chain_id, ctx, None)?.test_connection(control)
        }
        SourceConfig::Blockscout { url, chain_id } => {
            EtherscanSource::blockscout(&ctx.resolve(url)?, *chain_id, http_config(config), None)?
                .test_connection(control)
        }
        SourceConfig::EvmRpc { url } => {
            EvmRpcSource::new(&ctx.resolve(url)?, None, http_config(config), None)?
                .test_connection(control)
        }
    }
}

/// Parses `KIND=URL` (`demo`, `esplora=URL`, `evm-rpc=URL`, `etherscan[=CHAIN_ID]`,
/// `blockscout=URL`); `chain_id` applies to Etherscan/Blockscout when the text gives none.
pub fn parse_source_arg(text: &str, chain_id: u64) -> Result<SourceConfig, String> {
    let (kind, value) = match text.split_once('=') {
        Some((k, v)) => (k.trim(), Some(v.trim())),
        None => (text.trim(), None),
    };
    let url = |v: Option<&str>| -> Result<String, String> {
        let v = v
            .filter(|v| !v.is_empty())
            .ok_or_else(|| format!("--source {kind} needs =URL"))?;
        if !(v.starts_with("http://") || v.starts_with("https://")) {
            return Err(format!("--source {kind}: {v:?} is not an http(s) URL"));
        }
        Ok(public_url(v.trim_end_matches('/')))
    };
    match kind {
        "demo" => Ok(SourceConfig::Demo),
        "esplora" => Ok(SourceConfig::Esplora { url: url(value)? }),
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
            "unknown source kind {other:?} (demo, esplora, evm-rpc, etherscan, blockscout)"
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
        assert!(parse_source_arg("tron=http://x", 1).is_err());
        // A key in the URL never reaches the case.
        let SourceConfig::EvmRpc { url } =
            parse_source_arg("evm-rpc=https://node.example/rpc?apikey=SECRET123", 1)
                .expect("parses")
        else {
            panic!("wrong kind");
        };
        assert!(!url.contains("SECRET123"), "{url}");
        // Nor does a key in the path (Infura, Alchemy style).
        let SourceConfig::EvmRpc { url } = parse_source_arg(
            "evm-rpc=https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef",
            1,
        )
        .expect("parses") else {
            panic!("wrong kind");
        };
        assert_eq!(url, "https://mainnet.infura.io/v3/REDACTED");
    }

    #[test]
    fn a_redacted_url_needs_its_full_form_from_settings() {
        let full = "https://mainnet.infura.io/v3/0123456789abcdef0123456789abcdef";
        let (public, secret) = split_secret_url(full);
        assert_eq!(secret.as_deref(), Some(full));
        let config = SourceConfig::EvmRpc {
            url: public.clone(),
        };
        let mut ctx = SourceContext {
            use_cache: false,
            ..SourceContext::default()
        };
        let err = build_source(&config, &ctx)
            .err()
            .expect("no full URL known");
        assert!(err.to_string().contains("full URL"), "{err}");
        assert!(!err.to_string().contains("0123456789abcdef"), "{err}");
        ctx.full_urls.insert(public, full.to_owned());
        assert!(build_source(&config, &ctx).is_ok());
        assert_eq!(
            split_secret_url("http://127.0.0.1:8545"),
            ("http://127.0.0.1:8545".to_owned(), None)
        );
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
