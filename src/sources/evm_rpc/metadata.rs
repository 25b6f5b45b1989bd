//! What the facts need beyond the logs and traces: a token's `symbol()` and `decimals()`,
//! and a block's time. Both are asked once per source and kept in its state; answers are
//! also put in the response cache (token metadata for a day, block headers for good once 64
//! blocks deep), never a refusal.

use super::facts::TokenInfo;
use super::rpc::CallError;
use super::{EvmRpcSource, hex};
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError};
use serde::Deserialize;
use serde_json::json;

/// Blocks below the tip after which a block's header is cached for good.
const FINAL_DEPTH: u64 = 64;

/// Seconds a token's `symbol()` / `decimals()` answer stays in the response cache.
const TOKEN_MAX_AGE_SECS: u64 = 86_400;

/// `symbol()`.
const SYMBOL_SELECTOR: &str = "0x95d89b41";
/// `decimals()`.
const DECIMALS_SELECTOR: &str = "0x313ce567";

impl EvmRpcSource {
    /// What token `contract` says about itself, asked once per source.
    pub(super) fn token_info(
        &self,
        contract: &str,
        control: &JobControl,
    ) -> Result<TokenInfo, SourceError> {
        if let Some(info) = self.state().tokens.get(contract) {
            return Ok(info.clone());
        }
        let symbol = self.token_call(contract, SYMBOL_SELECTOR, "symbol()", control)?;
        let decimals = self.token_call(contract, DECIMALS_SELECTOR, "decimals()", control)?;
        let mut notes = Vec::new();
        let symbol = match symbol.map(|data| hex::decode_symbol(&data)) {
            Ok(Some(symbol)) => symbol,
            Ok(None) => {
                notes.push("symbol() gave no readable text".to_owned());
                hex::fallback_symbol(contract)
            }
            Err(why) => {
                notes.push(format!("symbol() did not answer ({why})"));
                hex::fallback_symbol(contract)
            }
        };
        let decimals = match decimals.map(|data| hex::decode_decimals(&data)) {
            Ok(Some(decimals)) => decimals,
            Ok(None) => {
                notes.push("decimals() gave no value up to 255".to_owned());
                0
            }
            Err(why) => {
                notes.push(format!("decimals() did not answer ({why})"));
                0
            }
        };
        let note = (!notes.is_empty()).then(|| {
            format!(
                "token {contract}: {}; shown as {symbol} with {decimals} decimals",
                notes.join(", ")
            )
        });
        let info = TokenInfo {
            symbol,
            decimals,
            note,
        };
        self.state()
            .tokens
            .insert(contract.to_owned(), info.clone());
        Ok(info)
    }

    /// `eth_call` of a no-argument view function: its bytes, or why the contract did not
    /// answer. Transport failures are errors.
    fn token_call(
        &self,
        contract: &str,
        selector: &str,
        function: &str,
        control: &JobControl,
    ) -> Result<Result<Vec<u8>, String>, SourceError> {
        control.check()?;
        let what = format!("eth_call({contract}.{function})");
        let params = json!([{"to": contract, "data": selector}, "latest"]);
        let answer = self.rpc.call_cached::<String>(
            "eth_call",
            params,
            &what,
            CachePolicy::MaxAge(TOKEN_MAX_AGE_SECS),
            control,
        );
        control.step();
        match answer {
            Ok(text) => Ok(hex::data_bytes(&text)),
            Err(CallError::Node(error)) => Ok(Err(error.describe())),
            Err(CallError::Source(error)) => Err(error),
        }
    }

    /// The time of `block`, asked once per source (and cached on disk once final).
    pub(super) fn block_time(
        &self,
        block: u64,
        tip: u64,
        control: &JobControl,
    ) -> Result<i64, SourceError> {
        #[derive(Deserialize)]
        struct Header {
            number: String,
            timestamp: String,
        }
        if let Some(&time) = self.state().block_times.get(&block) {
            return Ok(time);
        }
        control.check()?;
        let what = format!("eth_getBlockByNumber({block}, false)");
        let policy = if block.saturating_add(FINAL_DEPTH) <= tip {
            CachePolicy::Immutable
        } else {
            CachePolicy::NoStore
        };
        let header: Header = self
            .rpc
            .call_cached(
                "eth_getBlockByNumber",
                json!([hex::to_quantity(block), false]),
                &what,
                policy,
                control,
            )
            .map_err(|e| self.rpc.fail(&what, e))?;
        let number = hex::quantity_u64(&header.number).map_err(|m| self.bad(&what, &m))?;
        if number != block {
            return Err(self.bad(&what, &format!("the answer is block {number}")));
        }
        let time = hex::quantity_u64(&header.timestamp)
            .ok()
            .and_then(|t| i64::try_from(t).ok())
            .ok_or_else(|| {
                self.bad(
                    &what,
                    &format!("timestamp {} is not a time", hex::quote(&header.timestamp)),
                )
            })?;
        control.step();
        self.state().block_times.insert(block, time);
        Ok(time)
    }
}
