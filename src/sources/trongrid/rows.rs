//! TronGrid v1 answers into model facts: the envelope, TRX transfers from
//! `/v1/accounts/{address}/transactions` and TRC-20 transfers from
//! `/v1/accounts/{address}/transactions/trc20`, checked field by field.
//!
//! * The envelope is `{"data": [...], "success": true, "meta": {"at", "page_size"[,
//!   "fingerprint", "links"]}}`; `success: false` carries the server's `error` text.
//! * A `/transactions` row is a TRX transfer when its one contract is a `TransferContract`
//!   and `ret[0].contractRet` is `SUCCESS` (failed transactions move nothing and are left
//!   out, counted). Its `amount` is a whole number of sun; `owner_address` and `to_address`
//!   are hex `41…` (or `T…`). TRC-10 transfers (`TransferAssetContract`) are counted and said
//!   as a gap (not shown); other contract types (votes, freezes, `TriggerSmartContract` —
//!   whose TRC-20 transfers the trc20 list brings) are skipped; TRX moved inside contract calls (`internal_transactions`) is not
//!   listed, and the rows that have some are counted so the page can say so.
//! * A trc20 row is a transfer when its `type` is `Transfer` (approvals move nothing). Its
//!   block number comes from `detail.blockNumber` (asked with `get_detail=true`; the plain
//!   row has only a time, and a transfer without a height would sort after every one with a
//!   height in the taint and time order). `value` is a decimal string of raw units read exactly; `token_info.decimals` (0–255) and
//!   `token_info.address` (the contract, `T…`) are required. A value beyond `u128` (spam
//!   tokens mint absurd amounts) is left out and counted, never rounded.
//! * Transfer ids: `trx:<txid>:native` for a TRX transfer; `trx:<txid>:token-<f>` for a TRC-20
//!   transfer, `<f>` the fingerprint of `<contract>|<from>|<to>|<value>` and the number of
//!   identical legs before it in the transaction (the trc20 list gives no log index), so
//!   the id is the same whoever's history it was read from.
//! * A malformed field in a row that is used (a txid that is not 64 hex digits, an address
//!   that does not check, an amount that is not a whole number) is an error naming the row
//!   and the field; nothing is guessed.

use crate::model::address::ParsedAddress;
use crate::model::node::Provenance;
use crate::model::tron_address::{parse_tron_address, tron_from_hex};
use crate::model::{Asset, Chain, NodeId, Transfer, TransferId};
use crate::sources::groups::{clean_symbol, fingerprint};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

/// The v1 envelope around every list.
#[derive(Debug, Deserialize)]
pub(super) struct Envelope<T> {
    #[serde(default = "Vec::new")]
    pub(super) data: Vec<T>,
    #[serde(default)]
    pub(super) success: Option<bool>,
    #[serde(default)]
    pub(super) error: Option<Value>,
    #[serde(default)]
    pub(super) meta: Option<Meta>,
}

/// Paging information of an answer.
#[derive(Debug, Deserialize)]
pub(super) struct Meta {
    #[serde(default)]
    pub(super) fingerprint: Option<String>,
}

/// An account, as `/v1/accounts/{address}` gives it (protobuf-style: zero fields absent).
#[derive(Debug, Deserialize)]
pub(super) struct Account {
    #[serde(default)]
    pub(super) balance: Option<Value>,
}

/// A `/transactions` row (only the fields read).
#[derive(Debug, Deserialize)]
pub(super) struct TxRow {
    #[serde(rename = "txID", default)]
    tx_id: Option<String>,
    #[serde(rename = "blockNumber", default)]
    block_number: Option<Value>,
    #[serde(default)]
    block_timestamp: Option<Value>,
    #[serde(default)]
    ret: Option<Vec<Ret>>,
    #[serde(default)]
    raw_data: Option<RawData>,
    #[serde(default)]
    internal_transactions: Option<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
struct Ret {
    #[serde(rename = "contractRet", default)]
    contract_ret: Option<String>,
}

#[derive(Debug, Deserialize)]
struct RawData {
    #[serde(default)]
    contract: Option<Vec<Contract>>,
}

#[derive(Debug, Deserialize)]
struct Contract {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    parameter: Option<Parameter>,
}

#[derive(Debug, Deserialize)]
struct Parameter {
    #[serde(default)]
    value: Option<TransferValue>,
}

#[derive(Debug, Deserialize)]
struct TransferValue {
    #[serde(default)]
    amount: Option<Value>,
    #[serde(default)]
    owner_address: Option<String>,
    #[serde(default)]
    to_address: Option<String>,
}

/// A `/transactions/trc20` row.
#[derive(Debug, Deserialize)]
pub(super) struct Trc20Row {
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    token_info: Option<TokenInfo>,
    #[serde(default)]
    block_timestamp: Option<Value>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    value: Option<Value>,
    /// The whole transaction, with `get_detail=true`: read for its block number only.
    #[serde(default)]
    detail: Option<Detail>,
}

#[derive(Debug, Deserialize)]
struct Detail {
    #[serde(rename = "blockNumber", default)]
    block_number: Option<Value>,
}

#[derive(Debug, Deserialize)]
struct TokenInfo {
    #[serde(default)]
    symbol: Option<String>,
    #[serde(default)]
    address: Option<String>,
    #[serde(default)]
    decimals: Option<Value>,
}

/// What the rows of one expansion held besides their transfers, for the page's gaps.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(super) struct Skipped {
    /// Failed transactions (nothing moved).
    pub(super) failed: u64,
    /// Rows of other contract types (votes, freezes, contract calls).
    pub(super) other_contracts: u64,
    /// TRC-10 transfers (`TransferAssetContract`): value that moved but is not shown (a
    /// TRC-10 asset's precision needs another request per asset).
    pub(super) trc10: u64,
    /// Rows with TRX moved inside contract calls, which are not listed.
    pub(super) with_internal: u64,
    /// TRC-20 rows that are not transfers (approvals).
    pub(super) not_transfers: u64,
    /// TRC-20 transfers whose value does not fit 128 bits.
    pub(super) too_large: u64,
}

/// Turns rows into transfers, keeping count of what was left out and making ids.
#[derive(Debug, Default)]
pub(super) struct Reader {
    pub(super) skipped: Skipped,
    /// Identical TRC-20 legs seen per (txid, identity), for their ids.
    occurrences: HashMap<(String, String), u32>,
}

impl Reader {
    /// The TRX transfer of a `/transactions` row, if it is one.
    pub(super) fn trx(
        &mut self,
        index: usize,
        row: &TxRow,
        provenance: &Provenance,
    ) -> Result<Option<Transfer>, String> {
        let at = |field: &str| format!("data[{index}].{field}");
        if row
            .internal_transactions
            .as_ref()
            .is_some_and(|list| !list.is_empty())
        {
            self.skipped.with_internal += 1;
        }
        let contracts = row
            .raw_data
            .as_ref()
            .and_then(|raw| raw.contract.as_deref())
            .unwrap_or_default();
        let [contract] = contracts else {
            self.skipped.other_contracts += 1;
            return Ok(None);
        };
        match contract.kind.as_deref() {
            Some("TransferContract") => {}
            Some("TransferAssetContract") => {
                self.skipped.trc10 += 1;
                return Ok(None);
            }
            _ => {
                self.skipped.other_contracts += 1;
                return Ok(None);
            }
        }
        let succeeded = row
            .ret
            .as_deref()
            .and_then(<[Ret]>::first)
            .and_then(|ret| ret.contract_ret.as_deref())
            == Some("SUCCESS");
        if !succeeded {
            self.skipped.failed += 1;
            return Ok(None);
        }
        let hash = read_txid(row.tx_id.as_deref()).map_err(|e| format!("{}: {e}", at("txID")))?;
        let value = contract
            .parameter
            .as_ref()
            .and_then(|p| p.value.as_ref())
            .ok_or_else(|| format!("{}: missing", at("raw_data.contract[0].parameter.value")))?;
        let amount = value
            .amount
            .as_ref()
            .and_then(Value::as_u64)
            .ok_or_else(|| {
                format!(
                    "{}: not a whole number of sun",
                    at("raw_data.contract[0].parameter.value.amount")
                )
            })?;
        let from = read_address(value.owner_address.as_deref())
            .map_err(|e| format!("{}: {e}", at("…owner_address")))?;
        let to = read_address(value.to_address.as_deref())
            .map_err(|e| format!("{}: {e}", at("…to_address")))?;
        if amount == 0 {
            return Ok(None);
        }
        Ok(Some(Transfer {
            id: TransferId::new(&Chain::Tron.id_prefix(), &hash, "native"),
            from,
            to,
            asset: Asset::native(Chain::Tron),
            amount: u128::from(amount),
            tx_hash: hash,
            block_height: row.block_number.as_ref().and_then(Value::as_u64),
            time: read_time(row.block_timestamp.as_ref()),
            provenance: Some(Box::new(provenance.clone())),
            relation_txs: None,
            memo: None,
        }))
    }

    /// The TRC-20 transfer of a trc20 row, if it is one.
    pub(super) fn trc20(
        &mut self,
        index: usize,
        row: &Trc20Row,
        provenance: &Provenance,
    ) -> Result<Option<Transfer>, String> {
        let at = |field: &str| format!("data[{index}].{field}");
        if row.kind.as_deref() != Some("Transfer") {
            self.skipped.not_transfers += 1;
            return Ok(None);
        }
        let hash = read_txid(row.transaction_id.as_deref())
            .map_err(|e| format!("{}: {e}", at("transaction_id")))?;
        let from = read_address(row.from.as_deref()).map_err(|e| format!("{}: {e}", at("from")))?;
        let to = read_address(row.to.as_deref()).map_err(|e| format!("{}: {e}", at("to")))?;
        let token = row
            .token_info
            .as_ref()
            .ok_or_else(|| format!("{}: missing", at("token_info")))?;
        let contract = read_address(token.address.as_deref())
            .map_err(|e| format!("{}: {e}", at("token_info.address")))?;
        let decimals = read_decimals(token.decimals.as_ref())
            .ok_or_else(|| format!("{}: not a number from 0 to 255", at("token_info.decimals")))?;
        let digits = match row.value.as_ref() {
            Some(Value::String(text)) => text.as_str(),
            _ => return Err(format!("{}: not a decimal string", at("value"))),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("{}: not a decimal string", at("value")));
        }
        let Ok(amount) = digits.parse::<u128>() else {
            self.skipped.too_large += 1;
            return Ok(None);
        };
        if amount == 0 {
            return Ok(None);
        }
        let symbol = clean_symbol(token.symbol.as_deref(), contract.value());
        let identity = format!(
            "{}|{}|{}|{amount}",
            contract.value(),
            from.value(),
            to.value()
        );
        let count = self
            .occurrences
            .entry((hash.clone(), identity.clone()))
            .or_insert(0);
        let leg = format!("token-{}", fingerprint(&identity, *count));
        *count += 1;
        Ok(Some(Transfer {
            id: TransferId::new(&Chain::Tron.id_prefix(), &hash, &leg),
            from,
            to,
            asset: Asset::token(Chain::Tron, &symbol, decimals, contract.value()),
            amount,
            tx_hash: hash,
            block_height: row
                .detail
                .as_ref()
                .and_then(|d| d.block_number.as_ref())
                .and_then(Value::as_u64),
            time: read_time(row.block_timestamp.as_ref()),
            provenance: Some(Box::new(provenance.clone())),
            relation_txs: None,
            memo: None,
        }))
    }
}

/// A txid: 64 hex digits, lower-cased.
fn read_txid(text: Option<&str>) -> Result<String, String> {
    let text = text.unwrap_or_default();
    if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(text.to_ascii_lowercase())
    } else {
        Err(format!(
            "{} is not 64 hex digits",
            crate::util::quote_short(text)
        ))
    }
}

/// A TRON address as the API writes it (`41…` hex or `T…`) into its node id.
pub(super) fn read_address(text: Option<&str>) -> Result<NodeId, String> {
    let text = text.unwrap_or_default().trim();
    let base58 = match tron_from_hex(text) {
        Some(base58) => base58,
        None => text.to_owned(),
    };
    match parse_tron_address(&base58) {
        Ok(parsed @ ParsedAddress::Tron { .. }) => Ok(NodeId::address(Chain::Tron, &parsed)),
        Ok(_) => Err("not a TRON address".to_owned()),
        Err(e) => Err(format!("{}: {e}", crate::util::quote_short(text))),
    }
}

/// Milliseconds since 1970 into Unix seconds; `None` when absent or not a plausible time.
fn read_time(value: Option<&Value>) -> Option<i64> {
    let ms = value?.as_i64()?;
    (ms > 0).then_some(ms / 1000)
}

/// Decimals as a number or a decimal string, 0 to 255.
fn read_decimals(value: Option<&Value>) -> Option<u8> {
    match value? {
        Value::Number(n) => n.as_u64().and_then(|d| u8::try_from(d).ok()),
        Value::String(s) => s.trim().parse::<u8>().ok(),
        _ => None,
    }
}

/// A balance in sun: a whole number (absent = 0, as protobuf leaves zero fields out).
pub(super) fn read_balance(value: Option<&Value>) -> Option<u128> {
    match value {
        None => Some(0),
        Some(value) => value.as_u64().map(u128::from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            source: "trongrid:test".into(),
            request: "GET /v1/…".into(),
            fetched_at: 0,
            block_height: None,
        }
    }

    fn trx_row(json: &str) -> TxRow {
        serde_json::from_str(json).expect("row")
    }

    const TRANSFER: &str = r#"{"ret":[{"contractRet":"SUCCESS","fee":100000}],
        "txID":"33e7801416890e4f26f093bdc4780292a954bfcba3c1d709862fb222dd536334",
        "blockNumber":25984846,"block_timestamp":1608307038000,
        "raw_data":{"contract":[{"parameter":{"value":{"amount":1000000,
        "owner_address":"416e3b44b96104b26f84057974a1f0c9880f7c9b13",
        "to_address":"4118314cd6beab3b324174395a40731cfdf07e857d"},
        "type_url":"type.googleapis.com/protocol.TransferContract"},"type":"TransferContract"}]},
        "internal_transactions":[]}"#;

    #[test]
    fn a_trx_transfer_is_read_exactly() {
        let mut reader = Reader::default();
        let transfer = reader
            .trx(0, &trx_row(TRANSFER), &provenance())
            .expect("ok")
            .expect("transfer");
        assert_eq!(transfer.amount, 1_000_000);
        assert_eq!(transfer.asset, Asset::native(Chain::Tron));
        assert_eq!(
            transfer.from.as_str(),
            "trx:TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre"
        );
        assert_eq!(
            transfer.id.as_str(),
            "trx:33e7801416890e4f26f093bdc4780292a954bfcba3c1d709862fb222dd536334:native"
        );
        assert_eq!(transfer.block_height, Some(25_984_846));
        assert_eq!(transfer.time, Some(1_608_307_038));
    }

    #[test]
    fn failed_and_other_rows_are_counted_not_read() {
        let mut reader = Reader::default();
        let failed = TRANSFER.replace("\"SUCCESS\"", "\"REVERT\"");
        assert_eq!(reader.trx(0, &trx_row(&failed), &provenance()), Ok(None));
        let vote = TRANSFER.replace("\"TransferContract\"}", "\"VoteWitnessContract\"}");
        assert_eq!(reader.trx(1, &trx_row(&vote), &provenance()), Ok(None));
        assert_eq!(reader.skipped.failed, 1);
        assert_eq!(reader.skipped.other_contracts, 1);
        let float = TRANSFER.replace("1000000,", "1.5,");
        let error = reader.trx(2, &trx_row(&float), &provenance()).unwrap_err();
        assert!(
            error.contains("data[2]") && error.contains("sun"),
            "{error}"
        );
        let bad_to = TRANSFER.replace("4118314c", "4218314c");
        assert!(reader.trx(3, &trx_row(&bad_to), &provenance()).is_err());
    }

    fn trc20_row(value: &str, decimals: &str) -> Trc20Row {
        serde_json::from_str(&format!(
            r#"{{"transaction_id":"0130dfde9281a48378109039ef512229d5359fbee2a8adbb17ad73aebc67ea99",
            "token_info":{{"symbol":"USDT","address":"TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t",
            "decimals":{decimals},"name":"Tether USD"}},"block_timestamp":1738601505000,
            "from":"TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre","to":"TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx",
            "type":"Transfer","value":{value}}}"#
        ))
        .expect("row")
    }

    #[test]
    fn trc20_values_are_exact_and_ids_stable() {
        let mut reader = Reader::default();
        let first = reader
            .trc20(0, &trc20_row("\"41677389\"", "6"), &provenance())
            .expect("ok")
            .expect("transfer");
        assert_eq!(first.amount, 41_677_389);
        assert_eq!(first.asset.decimals, 6);
        assert_eq!(
            first.asset.contract.as_deref(),
            Some("TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t")
        );
        // An identical leg of the same transaction gets the next id, and a fresh reader
        // (another address's history) names the first one the same.
        let second = reader
            .trc20(1, &trc20_row("\"41677389\"", "6"), &provenance())
            .expect("ok")
            .expect("transfer");
        assert_ne!(first.id, second.id);
        let again = Reader::default()
            .trc20(0, &trc20_row("\"41677389\"", "\"6\""), &provenance())
            .expect("ok")
            .expect("transfer");
        assert_eq!(first.id, again.id);
        // 2^128 does not fit: left out and counted, never rounded.
        let huge = "\"340282366920938463463374607431768211456\"";
        assert_eq!(
            reader.trc20(2, &trc20_row(huge, "6"), &provenance()),
            Ok(None)
        );
        assert_eq!(reader.skipped.too_large, 1);
        for (value, decimals) in [
            ("\"-1\"", "6"),
            ("\"1e6\"", "6"),
            ("41677389", "6"),
            ("\"1\"", "256"),
        ] {
            assert!(
                reader
                    .trc20(3, &trc20_row(value, decimals), &provenance())
                    .is_err(),
                "{value} {decimals}"
            );
        }
    }
}
