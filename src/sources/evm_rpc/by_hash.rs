//! One EVM transaction read by its hash, for a case that starts from a transaction:
//! `eth_getTransactionByHash` (sender, receiver, value, block), `eth_getTransactionReceipt`
//! (status; its ERC-20 `Transfer` logs, whoever sent and received), and the value moved by
//! inner calls through `trace_transaction` (when the node has `trace_filter`) or
//! `ots_traceTransaction` (Otterscan). A node with neither lists no inner transfers, and the
//! answer says so as a gap. A failed transaction (receipt status `0x0`) moved nothing: no
//! transfer, and a gap saying why.
//!
//! Transfers get the ids an expansion would give them (`native`, `log<index>`,
//! `trace<path>`), so expanding one of the ends later adds nothing twice.

use super::facts::{JobStamp, RawLeg, TokenInfo};
use super::logs;
use super::native;
use super::{EvmRpcSource, NativeSupport, hex};
use crate::model::{Chain, Node};
use crate::sources::{JobControl, SourceError, TransactionFacts};
use crate::util::now_unix;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// The fields of `eth_getTransactionByHash` read here (and by Etherscan's `module=proxy`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TxObject {
    pub(crate) from: String,
    #[serde(default)]
    pub(crate) to: Option<String>,
    pub(crate) value: String,
    #[serde(default)]
    pub(crate) block_number: Option<String>,
    /// The hash the answer is about (checked against the one asked for where present).
    #[serde(default)]
    pub(crate) hash: Option<String>,
    /// The call's input data (a bridge router deposit's memo is read from it).
    #[serde(default)]
    pub(crate) input: Option<String>,
}

/// The fields of `eth_getTransactionReceipt` read here (and by Etherscan's `module=proxy`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Receipt {
    #[serde(default)]
    pub(crate) status: Option<String>,
    #[serde(default)]
    pub(crate) contract_address: Option<String>,
    #[serde(default)]
    pub(crate) logs: Value,
    #[serde(default)]
    pub(crate) transaction_hash: Option<String>,
}

impl EvmRpcSource {
    /// See the module doc.
    pub(super) fn read_transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        let hash = hex::tx_hash(hash).map_err(|m| self.bad("transaction hash", &m))?;
        control.check()?;
        let (caps, tip) = self.detect_with_tip(control)?;
        if caps.chain() != chain {
            return Err(self.bad(
                "eth_chainId()",
                &format!(
                    "this node serves {} (chain {}), but the transaction was asked on {chain}: \
                     choose that chain's source",
                    caps.chain(),
                    caps.chain_id
                ),
            ));
        }
        let stamp = JobStamp {
            source: self.name.clone(),
            chain,
            tip,
        };
        let what = format!("eth_getTransactionByHash({hash})");
        let answer = self.call("eth_getTransactionByHash", json!([hash]), &what, control)?;
        if answer.is_null() {
            return Err(self.bad(&what, "the node does not know this transaction"));
        }
        let tx: TxObject = serde_json::from_value(answer)
            .map_err(|e| self.bad(&what, &format!("unexpected answer: {e}")))?;
        let fetched_at = now_unix();
        let block = match &tx.block_number {
            Some(text) => hex::quantity_u64(text).map_err(|m| self.bad(&what, &m))?,
            None => return Err(self.bad(&what, "pending: the transaction is not in a block yet")),
        };
        let value = hex::quantity_u128(&tx.value).map_err(|m| self.bad(&what, &m))?;
        let from = hex::address(&tx.from).map_err(|m| self.bad(&what, &m))?;
        control.step();
        let what_receipt = format!("eth_getTransactionReceipt({hash})");
        let answer = self.call(
            "eth_getTransactionReceipt",
            json!([hash]),
            &what_receipt,
            control,
        )?;
        let receipt: Receipt = serde_json::from_value(answer)
            .map_err(|e| self.bad(&what_receipt, &format!("unexpected answer: {e}")))?;
        control.step();
        let mut gaps = Vec::new();
        if receipt.status.as_deref() == Some("0x0") {
            return Ok(crate::sources::failed_transaction(
                &self.name,
                &hash,
                "receipt status 0x0",
            ));
        }
        let mut legs: Vec<RawLeg> = Vec::new();
        let to = tx.to.as_deref().or(receipt.contract_address.as_deref());
        if value > 0
            && let Some(to) = to
        {
            legs.push(RawLeg {
                contract: None,
                from: from.clone(),
                to: hex::address(to).map_err(|m| self.bad(&what, &m))?,
                amount: value,
                tx_hash: hash.clone(),
                leg: "native".to_owned(),
                block,
                time: None,
                request: what.clone(),
                fetched_at,
                note: None,
            });
        }
        let tokens = logs::read_receipt(receipt.logs, &what_receipt, now_unix())
            .map_err(|m| self.bad(&what_receipt, &m))?;
        legs.extend(tokens.legs);
        self.inner_legs(
            &caps.native_support(),
            &hash,
            block,
            &mut legs,
            &mut gaps,
            control,
        )?;
        let mut facts = self.facts(&stamp, legs, gaps, control)?;
        // A THORChain router deposit's memo rides on the transaction's own value.
        if let Some(memo) = tx
            .input
            .as_deref()
            .and_then(crate::sources::memos::router_deposit_memo)
        {
            for t in facts
                .transfers
                .iter_mut()
                .filter(|t| t.id.as_str().ends_with(":native"))
            {
                t.memo = Some(memo.clone());
            }
        }
        Ok(facts)
    }

    /// Adds the value moved by inner calls, or says why it cannot.
    fn inner_legs(
        &self,
        support: &NativeSupport,
        hash: &str,
        block: u64,
        legs: &mut Vec<RawLeg>,
        gaps: &mut Vec<String>,
        control: &JobControl,
    ) -> Result<(), SourceError> {
        control.check()?;
        match support {
            NativeSupport::TraceFilter => {
                let what = format!("trace_transaction({hash})");
                let result = self.call("trace_transaction", json!([hash]), &what, control)?;
                let failed = native::reverted_paths(result.clone()).map_err(|m| self.bad(&what, &m))?;
                let page = native::read_traces(result, None, &what, now_unix())
                    .map_err(|m| self.bad(&what, &m))?;
                // The top-level call is the transaction's own value, already read.
                legs.extend(page.legs.into_iter().filter(|leg| {
                    native::path_of(&leg.leg).is_some_and(|p| !native::undone(&p, &failed))
                }));
            }
            NativeSupport::Otterscan => {
                let what = format!("ots_traceTransaction({hash})");
                let result = self.call("ots_traceTransaction", json!([hash]), &what, control)?;
                let fetched_at = now_unix();
                let inner = native::read_ots_trace(result).map_err(|m| self.bad(&what, &m))?;
                legs.extend(inner.into_iter().map(|call| RawLeg {
                    contract: None,
                    from: call.from,
                    to: call.to,
                    amount: call.value,
                    tx_hash: hash.to_owned(),
                    leg: native::leg_name(&call.path),
                    block,
                    time: None,
                    request: what.clone(),
                    fetched_at,
                    note: None,
                }));
            }
            NativeSupport::None | NativeSupport::NotDetected => gaps.push(format!(
                "{}: value moved by inner calls (internal transfers) cannot be listed from this node (it has neither trace_filter nor Otterscan); an archive node with traces, or Etherscan's txlistinternal, shows it",
                self.name
            )),
        }
        control.step();
        Ok(())
    }

    /// Legs into transfers (token metadata, block time) and the nodes at their ends.
    fn facts(
        &self,
        stamp: &JobStamp,
        mut legs: Vec<RawLeg>,
        gaps: Vec<String>,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        legs.sort_by(|a, b| a.leg.cmp(&b.leg));
        legs.dedup_by(|a, b| a.leg == b.leg);
        let mut tokens: HashMap<String, TokenInfo> = HashMap::new();
        for contract in legs.iter().filter_map(|l| l.contract.as_ref()) {
            if !tokens.contains_key(contract) {
                tokens.insert(contract.clone(), self.token_info(contract, control)?);
            }
        }
        let mut out = TransactionFacts {
            gaps,
            ..TransactionFacts::default()
        };
        let mut time = None;
        for leg in &legs {
            let when = match time {
                Some(when) => when,
                None => {
                    let when = match leg.time {
                        Some(when) => when,
                        None => self.block_time(leg.block, stamp.tip, control)?,
                    };
                    time = Some(when);
                    when
                }
            };
            let token = leg.contract.as_ref().and_then(|c| tokens.get(c));
            let (from, to, transfer) = stamp
                .transfer(leg, token, Some(when))
                .map_err(|m| self.bad(&leg.request, &m))?;
            for end in [from, to] {
                if !out.nodes.iter().any(|n: &Node| n.id == end) {
                    let mut node = Node::address(end);
                    node.provenance = transfer.provenance.clone();
                    out.nodes.push(node);
                }
            }
            out.transfers.push(transfer);
        }
        Ok(out)
    }
}
