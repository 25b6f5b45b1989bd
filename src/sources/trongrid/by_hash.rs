//! One TRON transaction read by its id (64 hex digits, no `0x`), for a case that starts from a
//! transaction.
//!
//! * `POST /walletsolidity/gettransactionbyid` and `POST /walletsolidity/gettransactioninfobyid`
//!   with `{"value": "<txid>"}` — the full-node HTTP API TronGrid serves; the `walletsolidity`
//!   paths answer only for confirmed (solidified) transactions, `{}` otherwise, so an
//!   unconfirmed or unknown id is a clear error, not a guess.
//! * A TRX transfer (`TransferContract`: `amount` in sun, `owner_address` → `to_address`,
//!   hex `41…` read into `T…`) when `ret[0].contractRet` is `SUCCESS`. A failed transaction
//!   (`contractRet` not `SUCCESS`, or the info's `result` `FAILED`) moved nothing: no
//!   transfer, a gap saying why.
//! * TRC-20 transfers from the info's `log` list: `Transfer` events (topic0 `ddf252ad…`,
//!   3 topics) with the contract `41` + `address`, sender and receiver in topics 1 and 2 and
//!   the value in `data` — decoded by the EVM source's word readers. The token's symbol and
//!   decimals are what an expansion would use: the `token_info` of the sender's own
//!   `/v1/accounts/{from}/transactions/trc20` rows at that block's time (`min_timestamp` =
//!   `max_timestamp` = the block time, ms), read by the expansion's own reader; a transfer
//!   missing there is left out and said (its decimals are not guessed).
//! * Ids are the expansion's (`trx:<txid>:native`, `trx:<txid>:token-<f>`), so expanding an
//!   end later adds nothing twice. TRX moved inside contract calls is not listed, as in an
//!   expansion; the gap says so when the info has `internal_transactions`.

use super::rows::{Reader, Trc20Row, read_address};
use super::{SHORT_MAX_AGE_SECS, TronGridSource};
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, Transfer, TransferId};
use crate::sources::evm_rpc::hex;
use crate::sources::groups::fingerprint;
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError, TransactionFacts};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeSet, HashMap};

/// Senders whose trc20 rows are read (each is one request).
const MAX_SENDERS: usize = 8;

/// `Transfer(address,address,uint256)` without `0x`, as TRON logs write topics.
const TRANSFER_TOPIC: &str = "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// The fields of `gettransactionbyid` read here.
#[derive(Debug, Default, Deserialize)]
struct TxById {
    #[serde(rename = "txID", default)]
    tx_id: Option<String>,
    #[serde(default)]
    ret: Option<Vec<Value>>,
    #[serde(default)]
    raw_data: Option<Value>,
}

/// The fields of `gettransactioninfobyid` read here.
#[derive(Debug, Default, Deserialize)]
struct TxInfo {
    #[serde(default)]
    id: Option<String>,
    #[serde(rename = "blockNumber", default)]
    block_number: Option<u64>,
    #[serde(rename = "blockTimeStamp", default)]
    block_time_ms: Option<i64>,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    log: Option<Vec<Log>>,
    #[serde(default)]
    internal_transactions: Option<Vec<Value>>,
}

#[derive(Debug, Deserialize)]
struct Log {
    #[serde(default)]
    address: String,
    #[serde(default)]
    topics: Vec<String>,
    #[serde(default)]
    data: String,
}

/// A TRC-20 transfer as the log says it, with the id an expansion gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TokenLeg {
    id: TransferId,
    contract: String,
    from: String,
    to: String,
    amount: u128,
}

impl TronGridSource {
    /// See the module doc.
    pub(super) fn read_transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        if chain != Chain::Tron {
            return Err(crate::sources::no_transaction_by_hash(&self.name, chain));
        }
        let txid = hash.trim().trim_start_matches("0x");
        if txid.len() != 64 || !txid.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.bad(format!(
                "{} is not a TRON transaction id (64 hex digits)",
                crate::util::quote_short(hash)
            )));
        }
        let txid = txid.to_ascii_lowercase();
        control.check()?;
        let (tx, tx_request, fetched_at) =
            self.post::<TxById>("/walletsolidity/gettransactionbyid", &txid, control)?;
        if tx.tx_id.is_none() {
            return Err(self.bad(format!(
                "{tx_request}: the server knows no confirmed transaction {txid} (unknown, or \
                 not confirmed yet)"
            )));
        }
        self.same_id(&tx_request, tx.tx_id.as_deref(), &txid)?;
        let (info, info_request, _) =
            self.post::<TxInfo>("/walletsolidity/gettransactioninfobyid", &txid, control)?;
        self.same_id(&info_request, info.id.as_deref(), &txid)?;
        let (Some(block), Some(block_time_ms)) = (info.block_number, info.block_time_ms) else {
            return Err(self.bad(format!(
                "{info_request}: no block number and time: the transaction is not confirmed yet"
            )));
        };
        let contract_ret = tx
            .ret
            .as_deref()
            .and_then(<[Value]>::first)
            .and_then(|r| r.get("contractRet"))
            .and_then(Value::as_str);
        let mut gaps = Vec::new();
        let failed = info.result.as_deref() == Some("FAILED")
            || contract_ret.is_some_and(|r| r != "SUCCESS");
        if failed {
            return Ok(crate::sources::failed_transaction(
                &self.name,
                &txid,
                contract_ret.unwrap_or("FAILED"),
            ));
        }
        let provenance = Provenance {
            source: self.name.clone(),
            request: tx_request.clone(),
            fetched_at,
            block_height: Some(block),
        };
        let mut out = TransactionFacts::default();
        if let Some(native) = self
            .trx_transfer(&tx, &txid, block, block_time_ms, &provenance)
            .map_err(|m| self.bad(format!("{tx_request}: {m}")))?
        {
            push_transfer(&mut out, native);
        }
        let legs = token_legs(info.log.as_deref().unwrap_or_default(), &txid, &mut gaps)
            .map_err(|m| self.bad(format!("{info_request}: {m}")))?;
        for transfer in
            self.token_transfers(&txid, block, block_time_ms, legs, &mut gaps, control)?
        {
            push_transfer(&mut out, transfer);
        }
        if info
            .internal_transactions
            .as_ref()
            .is_some_and(|list| !list.is_empty())
        {
            gaps.push(format!(
                "{}: {txid} moved TRX inside contract calls (internal transactions), which \
                 this source does not list",
                self.name
            ));
        }
        out.gaps = gaps;
        Ok(out)
    }

    /// POSTs `{"value": txid}` to `path`; the answer, the request as shown, when it arrived.
    fn post<T: serde::de::DeserializeOwned + Default>(
        &self,
        path: &str,
        txid: &str,
        control: &JobControl,
    ) -> Result<(T, String, i64), SourceError> {
        control.check()?;
        let body = json!({ "value": txid });
        let value: Value = self.client.post_json_cached(
            path,
            &body,
            CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
            control,
        )?;
        control.step();
        let shown = format!("POST {path} {{\"value\":\"{txid}\"}}");
        if !value.is_object() {
            return Err(self.bad(format!("{shown}: the answer is not a JSON object")));
        }
        if let Some(error) = value.get("Error").or_else(|| value.get("error")) {
            return Err(self.bad(format!(
                "{shown}: the server said: {}",
                crate::util::clip(&error.to_string(), 200)
            )));
        }
        let parsed = serde_json::from_value(value)
            .map_err(|e| self.bad(format!("{shown}: unexpected answer: {e}")))?;
        Ok((parsed, shown, crate::util::now_unix()))
    }

    fn same_id(&self, shown: &str, said: Option<&str>, txid: &str) -> Result<(), SourceError> {
        crate::sources::same_transaction(shown, said, txid).map_err(|e| self.bad(e))
    }

    /// The TRX transfer of a `TransferContract`, if the transaction is one and moved sun.
    fn trx_transfer(
        &self,
        tx: &TxById,
        txid: &str,
        block: u64,
        block_time_ms: i64,
        provenance: &Provenance,
    ) -> Result<Option<Transfer>, String> {
        let contracts = tx
            .raw_data
            .as_ref()
            .and_then(|raw| raw.get("contract"))
            .and_then(Value::as_array);
        let Some([contract]) = contracts.map(Vec::as_slice) else {
            return Ok(None);
        };
        if contract.get("type").and_then(Value::as_str) != Some("TransferContract") {
            return Ok(None);
        }
        let value = contract
            .get("parameter")
            .and_then(|p| p.get("value"))
            .ok_or("raw_data.contract[0].parameter.value: missing")?;
        let amount = value
            .get("amount")
            .and_then(Value::as_u64)
            .ok_or("raw_data.contract[0].parameter.value.amount: not a whole number of sun")?;
        let field = |name: &str| value.get(name).and_then(Value::as_str);
        let from =
            read_address(field("owner_address")).map_err(|e| format!("owner_address: {e}"))?;
        let to = read_address(field("to_address")).map_err(|e| format!("to_address: {e}"))?;
        if amount == 0 {
            return Ok(None);
        }
        Ok(Some(Transfer {
            id: TransferId::new(&Chain::Tron.id_prefix(), txid, "native"),
            from,
            to,
            asset: Asset::native(Chain::Tron),
            amount: u128::from(amount),
            tx_hash: txid.to_owned(),
            block_height: Some(block),
            time: (block_time_ms > 0).then_some(block_time_ms / 1000),
            provenance: Some(Box::new(provenance.clone())),
            relation_txs: None,
            memo: None,
        }))
    }

    /// The transfers of `legs` as the senders' trc20 rows at the block's time give them.
    fn token_transfers(
        &self,
        txid: &str,
        block: u64,
        block_time_ms: i64,
        legs: Vec<TokenLeg>,
        gaps: &mut Vec<String>,
        control: &JobControl,
    ) -> Result<Vec<Transfer>, SourceError> {
        let senders: BTreeSet<&str> = legs.iter().map(|l| l.from.as_str()).collect();
        if senders.len() > MAX_SENDERS {
            gaps.push(format!(
                "{}: the TRC-20 transfers of {txid} have {} senders; the rows of the first \
                 {MAX_SENDERS} were read",
                self.name,
                senders.len()
            ));
        }
        let mut found: HashMap<TransferId, Transfer> = HashMap::new();
        for sender in senders.into_iter().take(MAX_SENDERS) {
            control.check()?;
            let path = format!(
                "/v1/accounts/{sender}/transactions/trc20?only_confirmed=true&limit={}&\
                 min_timestamp={block_time_ms}&max_timestamp={block_time_ms}&get_detail=true",
                self.page_size
            );
            let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
            let (envelope, _, fetched_at) = self.fetch::<Trc20Row>(&path, policy, control)?;
            control.step();
            let provenance = Provenance {
                source: self.name.clone(),
                request: format!("GET {path}"),
                fetched_at,
                block_height: Some(block),
            };
            let mut reader = Reader::default();
            for (index, row) in envelope.data.iter().enumerate() {
                let transfer = reader
                    .trc20(index, row, &provenance)
                    .map_err(|e| self.bad(format!("{path}: {e}")))?;
                if let Some(mut transfer) = transfer.filter(|t| t.tx_hash == txid) {
                    transfer.block_height = transfer.block_height.or(Some(block));
                    found.entry(transfer.id.clone()).or_insert(transfer);
                }
            }
        }
        let mut out = Vec::new();
        for leg in legs {
            match found.remove(&leg.id) {
                Some(transfer) => out.push(transfer),
                None => gaps.push(format!(
                    "{}: a transfer of {} units of token {} from {} to {} in {txid} is not in \
                     the sender's TRC-20 list, so its decimals are unknown: left out rather \
                     than guessed",
                    self.name, leg.amount, leg.contract, leg.from, leg.to
                )),
            }
        }
        Ok(out)
    }
}

/// The `Transfer` events of an info's `log` list, with the ids an expansion gives them.
/// Other events are passed over; a value beyond 128 bits or an address word with non-zero
/// padding is said as a gap and left out; a malformed topic or data is an error.
fn token_legs(logs: &[Log], txid: &str, gaps: &mut Vec<String>) -> Result<Vec<TokenLeg>, String> {
    let mut occurrences: HashMap<String, u32> = HashMap::new();
    let mut out = Vec::new();
    for (i, log) in logs.iter().enumerate() {
        let is_transfer = log
            .topics
            .first()
            .is_some_and(|t| t.eq_ignore_ascii_case(TRANSFER_TOPIC));
        if !is_transfer || log.topics.len() != 3 {
            continue;
        }
        let at = format!("log[{i}]");
        let word = |text: &str, what: &str| {
            hex::word(&format!("0x{text}")).map_err(|e| format!("{at}.{what}: {e}"))
        };
        let (from_word, to_word) = (
            word(&log.topics[1], "topics[1]")?,
            word(&log.topics[2], "topics[2]")?,
        );
        let value_word = word(&log.data, "data")?;
        // TRON logs write the contract as 20 bytes of hex without the `41` prefix.
        let address = log.address.trim();
        let contract_hex = if address.len() == 40 {
            format!("41{address}")
        } else {
            address.to_owned()
        };
        let contract =
            read_address(Some(&contract_hex)).map_err(|e| format!("{at}.address: {e}"))?;
        let (Some(from), Some(to)) = (hex::word_address(&from_word), hex::word_address(&to_word))
        else {
            gaps.push(format!(
                "{at} of {txid}: an address topic has non-zero padding; left out"
            ));
            continue;
        };
        let Some(amount) = hex::word_u128(&value_word) else {
            gaps.push(format!(
                "{at} of {txid} (token {contract}): the value exceeds 128 bits and is not shown"
            ));
            continue;
        };
        if amount == 0 {
            continue;
        }
        let from = read_address(Some(&format!("41{}", from.trim_start_matches("0x"))))
            .map_err(|e| format!("{at}.topics[1]: {e}"))?;
        let to = read_address(Some(&format!("41{}", to.trim_start_matches("0x"))))
            .map_err(|e| format!("{at}.topics[2]: {e}"))?;
        let identity = format!(
            "{}|{}|{}|{amount}",
            contract.value(),
            from.value(),
            to.value()
        );
        let count = occurrences.entry(identity.clone()).or_insert(0);
        let leg = format!("token-{}", fingerprint(&identity, *count));
        *count += 1;
        out.push(TokenLeg {
            id: TransferId::new(&Chain::Tron.id_prefix(), txid, &leg),
            contract: contract.value().to_owned(),
            from: from.value().to_owned(),
            to: to.value().to_owned(),
            amount,
        });
    }
    Ok(out)
}

/// Adds `transfer` and the nodes at its ends (each node once).
fn push_transfer(out: &mut TransactionFacts, transfer: Transfer) {
    for end in [&transfer.from, &transfer.to] {
        if !out.nodes.iter().any(|n: &Node| &n.id == end) {
            let mut node = Node::address(end.clone());
            node.provenance = transfer.provenance.clone();
            out.nodes.push(node);
        }
    }
    out.transfers.push(transfer);
}
