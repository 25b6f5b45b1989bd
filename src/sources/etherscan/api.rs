//! The Etherscan-compatible answer shapes (Etherscan API V2 and Blockscout's `/api`) and what
//! an answer means.
//!
//! Every `module=account` answer is an envelope `{"status","message","result"}` with HTTP 200
//! whatever happened: status `"1"` carries the result; status `"0"` with an empty list (or a
//! "No … found" message) means "nothing there"; status `"0"` with a string result is an error
//! whose text says which (`Max calls per sec rate limit reached (3/sec)`, `Invalid API Key`,
//! `Result window is too large, PageNo x Offset size must be less than or equal to 10000`, …).
//! `module=proxy` (Etherscan) and `module=block&action=eth_block_number` (Blockscout) answer
//! in JSON-RPC form instead: `{"jsonrpc":"2.0","id":1,"result":"0x14e1f16"}`.
//!
//! Rows keep every field as the text the API sent (all numbers are decimal strings there);
//! [`super::facts`] checks and converts them. Fields differ a little between the two APIs:
//! Blockscout names an internal transaction's hash `transactionHash` and numbers it with
//! `index`, Etherscan uses `hash` and `traceId`; only Blockscout's `tokentx` rows carry a
//! `logIndex`. Null fields (Blockscout writes `null` for an unknown token symbol) read as
//! absent.

use serde::Deserialize;
use serde_json::Value;

/// Longest piece of server text quoted in a message.
const QUOTE_CHARS: usize = 160;

/// The envelope of an answer (both the account and the JSON-RPC forms).
#[derive(Debug, Deserialize)]
pub(super) struct Envelope {
    #[serde(default)]
    status: Option<Value>,
    #[serde(default)]
    message: Option<Value>,
    #[serde(default)]
    result: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

/// One row of `txlist`, `txlistinternal` or `tokentx`, fields as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Row {
    #[serde(default)]
    pub(super) block_number: Option<String>,
    #[serde(default)]
    pub(super) time_stamp: Option<String>,
    #[serde(default)]
    pub(super) hash: Option<String>,
    #[serde(default)]
    pub(super) transaction_hash: Option<String>,
    #[serde(default)]
    pub(super) from: Option<String>,
    #[serde(default)]
    pub(super) to: Option<String>,
    #[serde(default)]
    pub(super) value: Option<String>,
    #[serde(default)]
    pub(super) contract_address: Option<String>,
    #[serde(default)]
    pub(super) is_error: Option<String>,
    #[serde(default, rename = "txreceipt_status")]
    pub(super) receipt_status: Option<String>,
    #[serde(default)]
    pub(super) trace_id: Option<String>,
    #[serde(default)]
    pub(super) index: Option<String>,
    #[serde(default)]
    pub(super) token_symbol: Option<String>,
    #[serde(default)]
    pub(super) token_decimal: Option<String>,
    #[serde(default)]
    pub(super) log_index: Option<String>,
    #[serde(default, rename = "tokenID")]
    pub(super) token_id: Option<String>,
    /// `txlist`: the call's input data (a bridge router deposit's memo is read from it).
    #[serde(default)]
    pub(super) input: Option<String>,
}

/// What an envelope means.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Outcome {
    /// Status `"1"`: the result.
    Ok(Value),
    /// Nothing there (`No transactions found` and friends).
    Empty,
    /// The server's rate limit; worth waiting and asking again. Carries the server's text.
    RateLimited(String),
    /// The daily quota is used up; asking again today will not help.
    DailyLimit(String),
    /// `page × offset` is past the server's result window.
    WindowTooLarge(String),
    /// The key was refused (or is missing).
    InvalidKey(String),
    /// Any other refusal, with the server's text.
    Failed(String),
}

impl Envelope {
    /// Classifies an account-module answer.
    pub(super) fn outcome(self) -> Outcome {
        let status = self.status.as_ref().and_then(status_code);
        let text = self.text();
        match status {
            Some(1) => Outcome::Ok(self.result.unwrap_or(Value::Null)),
            Some(_) => {
                let empty_list =
                    matches!(&self.result, Some(Value::Array(items)) if items.is_empty());
                classify_refusal(&text, empty_list)
            }
            // The JSON-RPC form (`module=proxy`): a result that is not a hex number is a
            // refusal in words ("Invalid API Key", "Max rate limit reached").
            None => match (self.error, self.result) {
                (Some(error), _) => classify_refusal(&error_text(&error), false),
                (None, Some(Value::String(hex))) if hex.trim().starts_with("0x") => {
                    Outcome::Ok(Value::String(hex))
                }
                (None, Some(Value::String(words))) if !words.trim().is_empty() => {
                    classify_refusal(words.trim(), false)
                }
                (None, Some(result)) if !result.is_null() => Outcome::Ok(result),
                (None, _) if !text.is_empty() => classify_refusal(&text, false),
                (None, _) => Outcome::Failed("the answer has no status and no result".to_owned()),
            },
        }
    }

    /// The server's explanation: a string result, else the message.
    fn text(&self) -> String {
        let from_result = match &self.result {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        };
        let from_message = match &self.message {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
            _ => None,
        };
        match (from_result, from_message) {
            (Some(result), _) => result,
            (None, Some(message)) => message,
            (None, None) => String::new(),
        }
    }
}

/// A JSON-RPC block number (`"0x14e1f16"`).
pub(super) fn parse_block_number(value: &Value) -> Result<u64, String> {
    let Value::String(text) = value else {
        return Err(format!(
            "expected a hex block number in \"result\", got {}",
            describe_value(value)
        ));
    };
    let digits = text.trim().strip_prefix("0x").unwrap_or_default();
    if digits.is_empty() || digits.len() > 16 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("block number {} is not a hex number", quote(text)));
    }
    u64::from_str_radix(digits, 16)
        .map_err(|_| format!("block number {} is not a hex number", quote(text)))
}

/// `"1"`, `"0"` (or the numbers) as a code.
fn status_code(status: &Value) -> Option<u8> {
    match status {
        Value::String(s) => match s.trim() {
            "1" => Some(1),
            _ => Some(0),
        },
        Value::Number(n) => Some(u8::from(n.as_u64() == Some(1))),
        Value::Bool(b) => Some(u8::from(*b)),
        _ => None,
    }
}

fn error_text(error: &Value) -> String {
    match error {
        Value::String(s) => s.clone(),
        Value::Object(map) => map
            .get("message")
            .and_then(Value::as_str)
            .map_or_else(|| error.to_string(), str::to_owned),
        other => other.to_string(),
    }
}

/// Sorts a refusal by its text.
fn classify_refusal(text: &str, empty_list: bool) -> Outcome {
    let lower = text.to_ascii_lowercase();
    if lower.contains("result window is too large") {
        return Outcome::WindowTooLarge(text.to_owned());
    }
    if lower.contains("api key") && (lower.contains("invalid") || lower.contains("missing")) {
        // "Invalid API Key", "Missing/Invalid API Key", "Too many invalid api key attempts".
        return Outcome::InvalidKey(text.to_owned());
    }
    if lower.contains("daily") && lower.contains("limit") {
        return Outcome::DailyLimit(text.to_owned());
    }
    if lower.contains("rate limit") || lower.contains("too many requests") {
        return Outcome::RateLimited(text.to_owned());
    }
    let nothing_found = lower.starts_with("no ") && lower.contains(" found");
    if empty_list || nothing_found {
        return Outcome::Empty;
    }
    Outcome::Failed(text.to_owned())
}

/// A short description of a JSON value for messages: `a string: "…"`, `null`, `an object`.
pub(super) fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string: {}", quote(s)),
        Value::Array(items) => format!("a list of {}", items.len()),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Server text as it may be quoted: one line, at most [`QUOTE_CHARS`] characters, in quotes.
pub(super) fn quote(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    let mut out: String = cleaned.chars().take(QUOTE_CHARS).collect();
    if cleaned.chars().count() > QUOTE_CHARS {
        out.push('…');
    }
    format!("{out:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn outcome(value: Value) -> Outcome {
        serde_json::from_value::<Envelope>(value)
            .expect("envelope")
            .outcome()
    }

    #[test]
    fn sorts_answers() {
        assert_eq!(
            outcome(json!({"status": "1", "message": "OK", "result": [1]})),
            Outcome::Ok(json!([1]))
        );
        assert_eq!(
            outcome(json!({"status": "0", "message": "No transactions found", "result": []})),
            Outcome::Empty
        );
        assert_eq!(
            outcome(json!({"status": "0", "message": "No token transfers found", "result": null})),
            Outcome::Empty
        );
        let limit = "Max calls per sec rate limit reached (3/sec)";
        assert_eq!(
            outcome(json!({"status": "0", "message": "NOTOK", "result": limit})),
            Outcome::RateLimited(limit.to_owned())
        );
        assert!(matches!(
            outcome(
                json!({"status": "0", "message": "NOTOK", "result": "Max daily rate limit reached"})
            ),
            Outcome::DailyLimit(_)
        ));
        for key in [
            "Invalid API Key",
            "Missing/Invalid API Key",
            "Too many invalid api key attempts, please try again later",
        ] {
            assert_eq!(
                outcome(json!({"status": "0", "message": "NOTOK", "result": key})),
                Outcome::InvalidKey(key.to_owned())
            );
        }
        assert!(matches!(
            outcome(
                json!({"status": "0", "message": "NOTOK", "result": "Result window is too large, PageNo x Offset size must be less than or equal to 10000"})
            ),
            Outcome::WindowTooLarge(_)
        ));
        assert_eq!(
            outcome(json!({"status": "0", "message": "Invalid address format", "result": null})),
            Outcome::Failed("Invalid address format".to_owned())
        );
        assert_eq!(
            outcome(json!({"jsonrpc": "2.0", "error": {"code": -32000, "message": "boom"}})),
            Outcome::Failed("boom".to_owned())
        );
    }

    #[test]
    fn reads_block_numbers() {
        let answer = outcome(json!({"jsonrpc": "2.0", "id": 83, "result": "0x14e1f16"}));
        let Outcome::Ok(value) = answer else {
            panic!("{answer:?}")
        };
        assert_eq!(parse_block_number(&value), Ok(0x14e_1f16));
        assert!(matches!(
            outcome(json!({"status": "0", "message": "NOTOK", "result": "Invalid API Key"})),
            Outcome::InvalidKey(_)
        ));
        assert!(matches!(
            outcome(json!({"jsonrpc": "2.0", "id": 1, "result": "Max rate limit reached"})),
            Outcome::RateLimited(_)
        ));
        assert!(parse_block_number(&json!("0xzz")).is_err());
        assert!(parse_block_number(&json!("0x")).is_err());
        assert!(parse_block_number(&json!(12)).is_err());
    }

    #[test]
    fn quotes_are_short_and_single_line() {
        assert_eq!(quote("a\nb"), "\"a b\"");
        let long = "x".repeat(500);
        assert_eq!(quote(&long).chars().count(), QUOTE_CHARS + 3);
    }
}
