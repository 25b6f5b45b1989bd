//! One EVM transaction read by its hash through Etherscan API V2, for a case that starts from
//! a transaction.
//!
//! * `module=proxy&action=eth_getTransactionByHash` (sender, receiver, value, block) and
//!   `action=eth_getTransactionReceipt` (status; the ERC-20 `Transfer` logs, decoded by the
//!   same code as the node source's receipts) say *what* the transaction moved;
//!   `module=account&action=txlistinternal&txhash=…` lists the value moved by inner calls
//!   (only non-zero values; its rows carry neither the hash nor Etherscan's `traceId`).
//! * Transfer ids must be the ones an expansion gives the same transfers, and those come
//!   from the address lists (`internal<traceId>`; a fingerprint for token rows, which carry
//!   no log index on Etherscan). So for every sender of an inner or token transfer (at most
//!   [`MAX_SENDERS`]) the sender's own `txlistinternal` / `tokentx` rows of that one block
//!   are read (`startblock` = `endblock` = the block) and turned into transfers by the
//!   expansion's own code; each transfer the receipt or the internal list names is taken
//!   from there (same ends, token and amount). One that cannot be found there (the list
//!   does not know the token's decimals, the block holds more rows than one page) is left
//!   out and said as a gap — nothing is guessed.
//! * A failed transaction (receipt status `0x0`) moved nothing: no transfer, a gap saying
//!   why. A pending one (no block) is an error.
//! * Blockscout's Etherscan-compatible API has no `module=proxy` (docs.blockscout.com,
//!   "endpoint overview": "Blockscout has no proxy module"), so a Blockscout source refuses
//!   and names what can: its instance's JSON-RPC at `/api/eth-rpc` as an Ethereum node
//!   source.

use super::api::{Outcome, Row, describe_value};
use super::facts::{self, Kind, Leg, read_row};
use super::{ApiRequest, EtherscanSource, Flavour, SHORT_MAX_AGE_SECS};
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
use crate::sources::evm_rpc::by_hash::{Receipt, TxObject};
use crate::sources::evm_rpc::{hex, logs};
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError, TransactionFacts};
use serde_json::Value;
use std::collections::BTreeSet;

/// Senders whose block rows are read per list (each is one request).
pub(super) const MAX_SENDERS: usize = 8;

/// One transfer the transaction made, as the receipt or the internal list says it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Wanted {
    /// Token contract (`None`: the native coin moved by an inner call).
    contract: Option<String>,
    from: String,
    to: String,
    amount: u128,
}

impl EtherscanSource {
    /// See the module doc.
    pub(super) fn read_transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        if let Flavour::Blockscout = self.flavour {
            return Err(self.bad(format!(
                "cannot read a transaction by its hash: Blockscout's Etherscan-compatible API \
                 has no proxy module; add this instance's JSON-RPC (https://{}/api/eth-rpc) as \
                 an Ethereum node source (evm-rpc), or start from the transaction's sender or \
                 receiver",
                self.name
                    .strip_prefix("blockscout:")
                    .unwrap_or("<instance>")
            )));
        }
        if chain != self.chain {
            return Err(self.bad(format!(
                "this source serves {}, but the transaction was asked on {chain}: choose that \
                 chain's source",
                self.chain
            )));
        }
        let hash =
            hex::tx_hash(hash.trim()).map_err(|m| self.bad(format!("transaction hash: {m}")))?;
        control.check()?;
        let tip = self.tip(control)?;
        let (tx, tx_request, fetched_at) = self.proxy_tx(&hash, control)?;
        let block = match &tx.block_number {
            Some(text) => hex::quantity_u64(text)
                .map_err(|m| self.bad(format!("{}: blockNumber {m}", tx_request.shown)))?,
            None => {
                return Err(self.bad(format!(
                    "{}: pending: the transaction is not in a block yet",
                    tx_request.shown
                )));
            }
        };
        let receipt_request = self.request(&[
            ("module", "proxy".to_owned()),
            ("action", "eth_getTransactionReceipt".to_owned()),
            ("txhash", hash.clone()),
        ]);
        let receipt_value = self.proxy_result(&receipt_request, control)?;
        if receipt_value.is_null() {
            return Err(self.bad(format!(
                "{}: no receipt (the transaction is not final yet)",
                receipt_request.shown
            )));
        }
        let receipt: Receipt = serde_json::from_value(receipt_value)
            .map_err(|e| self.bad(format!("{}: unexpected answer: {e}", receipt_request.shown)))?;
        self.check_same_hash(&receipt_request, receipt.transaction_hash.as_deref(), &hash)?;
        let mut gaps = Vec::new();
        match receipt.status.as_deref().map(str::trim) {
            Some("0x0") => {
                return Ok(crate::sources::failed_transaction(
                    &self.name,
                    &hash,
                    "receipt status 0x0",
                ));
            }
            Some("0x1") => {}
            Some(other) => {
                return Err(self.bad(format!(
                    "{}: receipt status {} is neither 0x1 nor 0x0",
                    receipt_request.shown,
                    super::api::quote(other)
                )));
            }
            None => gaps.push(format!(
                "{}: the receipt of {hash} has no status (blocks before Byzantium): whether it \
                 failed cannot be told; its transfers are shown as the node recorded them",
                self.name
            )),
        }
        let tokens = logs::read_receipt(receipt.logs, &receipt_request.shown, fetched_at)
            .map_err(|m| self.bad(format!("{}: {m}", receipt_request.shown)))?;
        gaps.extend(tokens.notes.iter().map(|n| format!("{}: {n}", self.name)));
        let token_wanted: Vec<Wanted> = tokens
            .legs
            .into_iter()
            .map(|leg| Wanted {
                contract: leg.contract,
                from: leg.from,
                to: leg.to,
                amount: leg.amount,
            })
            .collect();
        let internal_wanted = self.internal_by_hash(&hash, control)?;
        let provenance = Provenance {
            source: self.name.clone(),
            request: tx_request.shown.clone(),
            fetched_at,
            block_height: tip,
        };
        let mut others: Vec<Transfer> = Vec::new();
        let mut time = None;
        for (kind, wanted) in [
            (Kind::Internal, internal_wanted),
            (Kind::Token, token_wanted),
        ] {
            let found = self.block_rows(kind, &hash, block, &wanted, tip, control, &mut gaps)?;
            let (matched, missing) = match_wanted(wanted, found);
            for want in missing {
                gaps.push(self.missing_sentence(kind, &hash, block, &want));
            }
            for transfer in matched {
                time = time.or(transfer.time);
                others.push(transfer);
            }
        }
        let value = hex::quantity_u128(&tx.value)
            .map_err(|m| self.bad(format!("{}: value {m}", tx_request.shown)))?;
        let to = tx
            .to
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .or(receipt.contract_address.as_deref());
        let mut out = TransactionFacts::default();
        if value > 0
            && let Some(to) = to
        {
            let time = match time {
                Some(time) => Some(time),
                None => self.block_time(block, control)?,
            };
            let native = Transfer {
                id: TransferId::new(&self.chain.id_prefix(), &hash, "native"),
                from: self.node(&tx_request, "from", &tx.from)?,
                to: self.node(&tx_request, "to", to)?,
                asset: Asset::native(self.chain),
                amount: value,
                tx_hash: hash.clone(),
                block_height: Some(block),
                time,
                provenance: Some(Box::new(provenance)),
                relation_txs: None,
                memo: tx
                    .input
                    .as_deref()
                    .and_then(crate::sources::memos::router_deposit_memo),
            };
            push_transfer(&mut out, native);
        }
        for transfer in others {
            push_transfer(&mut out, transfer);
        }
        out.gaps = gaps;
        Ok(out)
    }

    /// `eth_getTransactionByHash` through the proxy: the transaction, its request and when it
    /// arrived.
    fn proxy_tx(
        &self,
        hash: &str,
        control: &JobControl,
    ) -> Result<(TxObject, ApiRequest, i64), SourceError> {
        let request = self.request(&[
            ("module", "proxy".to_owned()),
            ("action", "eth_getTransactionByHash".to_owned()),
            ("txhash", hash.to_owned()),
        ]);
        let value = self.proxy_result(&request, control)?;
        if value.is_null() {
            return Err(self.bad(format!(
                "{}: the server does not know this transaction",
                request.shown
            )));
        }
        let tx: TxObject = serde_json::from_value(value)
            .map_err(|e| self.bad(format!("{}: unexpected answer: {e}", request.shown)))?;
        self.check_same_hash(&request, tx.hash.as_deref(), hash)?;
        Ok((tx, request, crate::util::now_unix()))
    }

    /// The `result` of a `module=proxy` answer; `Null` when the server does not know it.
    fn proxy_result(
        &self,
        request: &ApiRequest,
        control: &JobControl,
    ) -> Result<Value, SourceError> {
        let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
        let (outcome, fetched) = self.ask(request, policy, control)?;
        control.step();
        match outcome {
            Outcome::Ok(value) if value.is_object() => Ok(value),
            Outcome::Ok(other) => Err(self.bad(format!(
                "{}: expected an object in \"result\", got {}",
                request.shown,
                describe_value(&other)
            ))),
            outcome => {
                // `{"jsonrpc":"2.0","id":1,"result":null}`: an unknown transaction.
                let raw: Value = fetched.json()?;
                if raw.get("result").is_some_and(Value::is_null) && raw.get("error").is_none() {
                    Ok(Value::Null)
                } else {
                    Err(self.refusal(request, outcome))
                }
            }
        }
    }

    /// An answer about another transaction than the one asked for is an error.
    fn check_same_hash(
        &self,
        request: &ApiRequest,
        answered: Option<&str>,
        hash: &str,
    ) -> Result<(), SourceError> {
        crate::sources::same_transaction(&request.shown, answered, hash).map_err(|e| self.bad(e))
    }

    /// `txlistinternal&txhash=…`: the value moved by inner calls that did not fail.
    fn internal_by_hash(
        &self,
        hash: &str,
        control: &JobControl,
    ) -> Result<Vec<Wanted>, SourceError> {
        let request = self.request(&[
            ("module", "account".to_owned()),
            ("action", "txlistinternal".to_owned()),
            ("txhash", hash.to_owned()),
        ]);
        let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
        let (outcome, fetched) = self.ask(&request, policy, control)?;
        control.step();
        let value = match outcome {
            Outcome::Ok(value) => value,
            Outcome::Empty => return Ok(Vec::new()),
            other => return Err(self.refusal(&request, other)),
        };
        let rows = self.rows(&request, value)?;
        self.client.store(&fetched, policy);
        let mut out = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let wanted = read_internal_row(row, self.chain)
                .map_err(|m| self.bad(format!("{}: result[{i}]: {m}", request.shown)))?;
            out.extend(wanted);
        }
        Ok(out)
    }

    /// The transfers of `hash` in the block rows of list `kind` of every sender in `wanted`,
    /// with the ids an expansion gives them.
    #[allow(clippy::too_many_arguments)]
    fn block_rows(
        &self,
        kind: Kind,
        hash: &str,
        block: u64,
        wanted: &[Wanted],
        tip: Option<u64>,
        control: &JobControl,
        gaps: &mut Vec<String>,
    ) -> Result<Vec<Transfer>, SourceError> {
        let senders: BTreeSet<&str> = wanted.iter().map(|w| w.from.as_str()).collect();
        if senders.len() > MAX_SENDERS {
            gaps.push(format!(
                "{}: {} transfers of {hash} have {} senders; the {} rows of the first \
                 {MAX_SENDERS} were read",
                self.name,
                kind.action(),
                senders.len(),
                kind.action()
            ));
        }
        let mut found: Vec<Transfer> = Vec::new();
        for sender in senders.into_iter().take(MAX_SENDERS) {
            control.check()?;
            let request = self.request(&[
                ("module", "account".to_owned()),
                ("action", kind.action().to_owned()),
                ("address", sender.to_owned()),
                ("startblock", block.to_string()),
                ("endblock", block.to_string()),
                ("page", "1".to_owned()),
                ("offset", self.page_size.to_string()),
                ("sort", "asc".to_owned()),
            ]);
            let policy = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
            let (outcome, fetched) = self.ask(&request, policy, control)?;
            control.step();
            let value = match outcome {
                Outcome::Ok(value) => value,
                Outcome::Empty => continue,
                other => return Err(self.refusal(&request, other)),
            };
            let rows = self.rows(&request, value)?;
            let provenance = self.provenance(&request, &fetched, tip);
            let mut legs: Vec<Leg> = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let read = read_row(kind, row, self.chain, &provenance)
                    .map_err(|m| self.bad(format!("{}: result[{i}]: {m}", request.shown)))?;
                if read.hash == hash {
                    legs.extend(read.leg);
                }
            }
            self.client.store(&fetched, policy);
            for transfer in facts::transfers(legs, self.chain) {
                if !found.iter().any(|t| t.id == transfer.id) {
                    found.push(transfer);
                }
            }
        }
        Ok(found)
    }

    /// The block's time through `eth_getBlockByNumber` (`None` if the answer has none).
    fn block_time(&self, block: u64, control: &JobControl) -> Result<Option<i64>, SourceError> {
        let request = self.request(&[
            ("module", "proxy".to_owned()),
            ("action", "eth_getBlockByNumber".to_owned()),
            ("tag", format!("0x{block:x}")),
            ("boolean", "false".to_owned()),
        ]);
        let value = self.proxy_result(&request, control)?;
        let Some(text) = value.get("timestamp").and_then(Value::as_str) else {
            return Ok(None);
        };
        let secs = hex::quantity_u64(text)
            .map_err(|m| self.bad(format!("{}: timestamp {m}", request.shown)))?;
        Ok(i64::try_from(secs).ok())
    }

    fn node(&self, request: &ApiRequest, field: &str, text: &str) -> Result<NodeId, SourceError> {
        hex::address(text.trim())
            .and_then(|lower| {
                crate::model::address::parse_ethereum_address(&lower)
                    .map(|parsed| NodeId::address(self.chain, &parsed))
                    .map_err(|e| e.to_string())
            })
            .map_err(|m| self.bad(format!("{}: {field} {m}", request.shown)))
    }

    fn missing_sentence(&self, kind: Kind, hash: &str, block: u64, want: &Wanted) -> String {
        let what = match &want.contract {
            Some(contract) => format!("a token transfer of {} units of {contract}", want.amount),
            None => format!("an inner transfer of {} wei", want.amount),
        };
        format!(
            "{}: {what} from {} to {} in {hash} is not in {}'s {} rows of block {block} (the \
             list may not know the token's decimals, or the block holds more rows than one \
             page): left out rather than guessed",
            self.name,
            want.from,
            want.to,
            want.from,
            kind.action()
        )
    }
}

/// A `txlistinternal&txhash=…` row (no hash, no `traceId`): the transfer it names, `None`
/// for a failed call or a zero value.
fn read_internal_row(row: &Row, chain: Chain) -> Result<Option<Wanted>, String> {
    if row.is_error.as_deref().map(str::trim) == Some("1") {
        return Ok(None);
    }
    let amount = facts::parse_amount("value", row.value.as_deref())?;
    if amount == 0 {
        return Ok(None);
    }
    let from = facts::read_address("from", row.from.as_deref(), chain)?;
    let to = match row.to.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(to) => facts::read_address("to", Some(to), chain)?,
        None => facts::read_address("contractAddress", row.contract_address.as_deref(), chain)?,
    };
    Ok(Some(Wanted {
        contract: None,
        from: from.value().to_owned(),
        to: to.value().to_owned(),
        amount,
    }))
}

/// Pairs each wanted transfer with a found one of the same ends, token and amount (each found
/// transfer used once); returns the matched transfers and the wanted ones without a match.
fn match_wanted(wanted: Vec<Wanted>, mut found: Vec<Transfer>) -> (Vec<Transfer>, Vec<Wanted>) {
    let mut matched = Vec::new();
    let mut missing = Vec::new();
    for want in wanted {
        let at = found.iter().position(|t| {
            t.asset.contract == want.contract
                && t.from.value() == want.from
                && t.to.value() == want.to
                && t.amount == want.amount
        });
        match at {
            Some(at) => matched.push(found.swap_remove(at)),
            None => missing.push(want),
        }
    }
    (matched, missing)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The recorded `txlistinternal&txhash=0x40eb9083…` answer's one row (github.com/
    /// pcko1/etherscan-python @ 05ce88b703bb126683d90aca5ec6134d37427d6a,
    /// `logs/standard/get_internal_txs_by_txhash.json`, logged 2020-10-28): no `hash`, no
    /// `traceId`.
    const RECORDED_ROW: &str = r#"{"blockNumber":"1743059","timeStamp":"1466489498",
        "from":"0x2cac6e4b11d6b58f6d3c1c9d5fe8faa89f60e5a2",
        "to":"0x66a1c3eaf0f1ffc28d209c0763ed0ca614f3b002","value":"7106740000000000",
        "contractAddress":"","input":"","type":"call","gas":"2300","gasUsed":"0",
        "isError":"0","errCode":""}"#;

    #[test]
    fn recorded_internal_rows_by_hash_are_read_exactly() {
        let row: Row = serde_json::from_str(RECORDED_ROW).expect("row");
        let wanted = read_internal_row(&row, Chain::ETHEREUM)
            .expect("ok")
            .expect("transfer");
        assert_eq!(
            wanted,
            Wanted {
                contract: None,
                from: "0x2cac6e4b11d6b58f6d3c1c9d5fe8faa89f60e5a2".to_owned(),
                to: "0x66a1c3eaf0f1ffc28d209c0763ed0ca614f3b002".to_owned(),
                amount: 7_106_740_000_000_000,
            }
        );
        let failed: Row =
            serde_json::from_str(&RECORDED_ROW.replace("\"isError\":\"0\"", "\"isError\":\"1\""))
                .expect("row");
        assert_eq!(read_internal_row(&failed, Chain::ETHEREUM), Ok(None));
        let bad: Row =
            serde_json::from_str(&RECORDED_ROW.replace("7106740000000000", "7.1e15")).expect("row");
        assert!(read_internal_row(&bad, Chain::ETHEREUM).is_err());
    }
}
