//! Native value (ETH) transfers of one address: Parity-style `trace_filter`, or Otterscan's
//! `ots_searchTransactionsBefore` + `ots_traceTransaction` where the node has no trace_filter.
//!
//! # trace_filter
//! `fromAddress` and `toAddress` in one filter are AND-ed, so each side is its own query,
//! paged with `after`/`count` inside each block chunk. Kept: `call` traces whose `callType`
//! is `call` (not `delegatecall`/`staticcall`/`callcode`, which move no value between the two
//! addresses) and `create` traces (to the created contract), with value > 0 and no `error`.
//! The top-level call (empty `traceAddress`) is leg `native`; an inner call is
//! `trace<traceAddress joined by .>`. An inner call without an error can still have been
//! undone by a parent that reverted later, and the filtered list does not show the parents:
//! [`reverted_paths`] reads `trace_transaction` once per such transaction and drops every
//! inner transfer below a failed frame.
//!
//! # Otterscan
//! `ots_searchTransactionsBefore(address, block, page)` lists, newest first and whole blocks
//! at a time, the transactions in which the address is sender, recipient or inside an inner
//! call, with their receipts. A successful transaction's own value is leg `native`;
//! `ots_traceTransaction` gives its calls in pre-order with depths, from which the
//! `traceAddress` of each inner call is rebuilt, so the legs carry the same ids as with
//! trace_filter. (`ots_getInternalOperations` would be one call too, but it has no call path
//! and anvil includes the top-level transfer in it while Erigon does not, so ids would not be
//! stable.) Otterscan reports no per-call errors: an inner call that reverted inside a
//! successful transaction cannot be told apart; such legs say so in their provenance.

use super::facts::RawLeg;
use super::hex::{self, quote};
use super::logs::Side;
use serde::Deserialize;
use serde_json::{Value, json};

/// A trace as `trace_filter` / `trace_transaction` return it. Unknown fields are ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Trace {
    action: Action,
    #[serde(default)]
    result: Option<TraceResult>,
    #[serde(default)]
    error: Option<Value>,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    trace_address: Vec<u64>,
    #[serde(default)]
    transaction_hash: Option<String>,
    #[serde(default)]
    block_number: Value,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Action {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    call_type: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct TraceResult {
    #[serde(default)]
    address: Option<String>,
}

/// The leg name of a call path: `native` for the top level, else `trace0.1`.
pub(super) fn leg_name(path: &[u64]) -> String {
    if path.is_empty() {
        "native".to_owned()
    } else {
        let parts: Vec<String> = path.iter().map(u64::to_string).collect();
        format!("trace{}", parts.join("."))
    }
}

/// The call path of an inner-call leg name (`trace0.1` → `[0, 1]`); `None` for any other leg.
pub(super) fn path_of(leg: &str) -> Option<Vec<u64>> {
    let rest = leg.strip_prefix("trace")?;
    rest.split('.').map(|part| part.parse().ok()).collect()
}

/// The `trace_filter` parameters for one page.
pub(super) fn trace_params(
    address: &str,
    side: Side,
    from: u64,
    to: u64,
    after: u64,
    count: u64,
) -> Value {
    let key = match side {
        Side::Out => "fromAddress",
        Side::In => "toAddress",
    };
    json!([{
        "fromBlock": hex::to_quantity(from),
        "toBlock": hex::to_quantity(to),
        key: [address],
        "after": after,
        "count": count,
    }])
}

/// `trace_filter(fromAddress=0x…, blocks 0..=7)`.
pub(super) fn describe_traces(address: &str, side: Side, from: u64, to: u64) -> String {
    let key = match side {
        Side::Out => "fromAddress",
        Side::In => "toAddress",
    };
    format!("trace_filter({key}={address}, blocks {from}..={to})")
}

/// One page of `trace_filter`: the legs of `address` on `side`, notes about traces skipped,
/// how many traces the page held (for paging) and an identity of its first trace (to notice
/// a node that ignores `after`).
#[derive(Debug, Default)]
pub(super) struct TracePage {
    pub(super) legs: Vec<RawLeg>,
    pub(super) notes: Vec<String>,
    pub(super) count: usize,
    pub(super) first: Option<(String, Vec<u64>)>,
}

/// Reads a `trace_filter` answer (the legs of `address` on `side`), or with `filter` `None`
/// a `trace_transaction` answer (every value-moving frame).
pub(super) fn read_traces(
    result: Value,
    filter: Option<(&str, Side)>,
    request: &str,
    fetched_at: i64,
) -> Result<TracePage, String> {
    let traces: Vec<Trace> = decode(result)?;
    let mut page = TracePage {
        count: traces.len(),
        first: traces.first().map(|t| {
            (
                t.transaction_hash.clone().unwrap_or_default(),
                t.trace_address.clone(),
            )
        }),
        ..TracePage::default()
    };
    for (i, trace) in traces.iter().enumerate() {
        if let Some(leg) = trace_leg(trace, i, filter, request, fetched_at, &mut page)? {
            page.legs.push(leg);
        }
    }
    Ok(page)
}

fn trace_leg(
    trace: &Trace,
    i: usize,
    filter: Option<(&str, Side)>,
    request: &str,
    fetched_at: i64,
    page: &mut TracePage,
) -> Result<Option<RawLeg>, String> {
    let failed = trace.error.as_ref().is_some_and(|e| !e.is_null());
    let to = match (trace.kind.as_str(), trace.action.call_type.as_deref()) {
        ("call", None | Some("call")) => trace.action.to.clone(),
        ("create", _) => trace.result.as_ref().and_then(|r| r.address.clone()),
        _ => return Ok(None),
    };
    if failed {
        return Ok(None);
    }
    let at = format!("trace [{i}]");
    let value = match &trace.action.value {
        Some(text) => match hex::quantity_u128(text) {
            Ok(value) => value,
            Err(e) => {
                page.notes.push(format!("skipped {at}: value {e}"));
                return Ok(None);
            }
        },
        None => 0,
    };
    if value == 0 {
        return Ok(None);
    }
    let tx_hash = trace
        .transaction_hash
        .as_deref()
        .ok_or_else(|| format!("{at}: no transactionHash"))
        .and_then(|h| hex::tx_hash(h).map_err(|e| format!("{at}: transactionHash {e}")))?;
    let at = format!("trace {} of tx {tx_hash}", leg_name(&trace.trace_address));
    let from = trace
        .action
        .from
        .as_deref()
        .ok_or_else(|| format!("{at}: no action.from"))
        .and_then(|a| hex::address(a).map_err(|e| format!("{at}: action.from {e}")))?;
    let Some(to) = to else {
        return Ok(None);
    };
    let to = hex::address(&to).map_err(|e| format!("{at}: receiver {e}"))?;
    let block =
        hex::number_u64(&trace.block_number).map_err(|e| format!("{at}: blockNumber {e}"))?;
    let ours = match filter {
        None => true,
        Some((address, Side::Out)) => from == address,
        Some((address, Side::In)) => to == address,
    };
    if !ours {
        return Ok(None);
    }
    Ok(Some(RawLeg {
        contract: None,
        from,
        to,
        amount: value,
        tx_hash,
        leg: leg_name(&trace.trace_address),
        block,
        time: None,
        request: request.to_owned(),
        fetched_at,
        note: None,
    }))
}

/// The call paths of the frames that failed in one transaction's `trace_transaction` answer.
pub(super) fn reverted_paths(result: Value) -> Result<Vec<Vec<u64>>, String> {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Frame {
        #[serde(default)]
        error: Option<Value>,
        #[serde(default)]
        trace_address: Vec<u64>,
    }
    let frames: Vec<Frame> = decode(result)?;
    Ok(frames
        .into_iter()
        .filter(|f| f.error.as_ref().is_some_and(|e| !e.is_null()))
        .map(|f| f.trace_address)
        .collect())
}

/// True if the frame at `path` is, or lies below, one of the `failed` frames.
pub(super) fn undone(path: &[u64], failed: &[Vec<u64>]) -> bool {
    failed.iter().any(|f| path.starts_with(f))
}

/// Transactions per Otterscan search page (Otterscan's own page size).
pub(super) const OTS_PAGE_SIZE: u64 = 25;

/// One page of `ots_searchTransactionsBefore`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SearchPage {
    txs: Vec<OtsTx>,
    receipts: Vec<OtsReceipt>,
    #[serde(default)]
    last_page: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtsTx {
    hash: String,
    from: String,
    #[serde(default)]
    to: Option<String>,
    value: String,
    block_number: Value,
    #[serde(default)]
    block_timestamp: Option<Value>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OtsReceipt {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    contract_address: Option<String>,
    #[serde(default)]
    timestamp: Option<Value>,
    #[serde(default)]
    transaction_hash: Option<String>,
}

/// A transaction of an Otterscan history page, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HistoryTx {
    pub(super) hash: String,
    pub(super) from: String,
    /// The receiver, or the created contract.
    pub(super) to: Option<String>,
    pub(super) value: u128,
    pub(super) block: u64,
    pub(super) time: Option<i64>,
    pub(super) succeeded: bool,
}

/// A history page: its transactions and whether it was the last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct HistoryPage {
    pub(super) txs: Vec<HistoryTx>,
    pub(super) last_page: bool,
}

/// `ots_searchTransactionsBefore(0x…, before block N, page 25)`.
pub(super) fn describe_search(address: &str, before: u64) -> String {
    format!("ots_searchTransactionsBefore({address}, before block {before}, page {OTS_PAGE_SIZE})")
}

/// Reads an `ots_searchTransactionsBefore` answer.
pub(super) fn read_search(result: Value) -> Result<HistoryPage, String> {
    let page: SearchPage = decode(result)?;
    if page.receipts.len() != page.txs.len() {
        return Err(format!(
            "{} transactions but {} receipts",
            page.txs.len(),
            page.receipts.len()
        ));
    }
    let mut txs = Vec::with_capacity(page.txs.len());
    for (i, (tx, receipt)) in page.txs.iter().zip(&page.receipts).enumerate() {
        let at = format!("txs[{i}]");
        let hash = hex::tx_hash(&tx.hash).map_err(|e| format!("{at}.hash {e}"))?;
        if let Some(receipt_hash) = &receipt.transaction_hash
            && !receipt_hash.eq_ignore_ascii_case(&hash)
        {
            return Err(format!(
                "receipts[{i}] is for {}, not {hash}",
                quote(receipt_hash)
            ));
        }
        let from = hex::address(&tx.from).map_err(|e| format!("{at}.from {e}"))?;
        let to = match (&tx.to, &receipt.contract_address) {
            (Some(to), _) => Some(hex::address(to).map_err(|e| format!("{at}.to {e}"))?),
            (None, Some(created)) => Some(
                hex::address(created).map_err(|e| format!("receipts[{i}].contractAddress {e}"))?,
            ),
            (None, None) => None,
        };
        let value = hex::quantity_u128(&tx.value).map_err(|e| format!("{at}.value {e}"))?;
        let block =
            hex::number_u64(&tx.block_number).map_err(|e| format!("{at}.blockNumber {e}"))?;
        let time = tx
            .block_timestamp
            .as_ref()
            .or(receipt.timestamp.as_ref())
            .map(|t| {
                hex::number_u64(t)
                    .ok()
                    .and_then(|t| i64::try_from(t).ok())
                    .ok_or_else(|| format!("{at}: block time {t} is not a time"))
            })
            .transpose()?;
        let succeeded = match receipt.status.as_deref() {
            Some(status) => {
                hex::quantity_u64(status).map_err(|e| format!("receipts[{i}].status {e}"))? == 1
            }
            None => return Err(format!("receipts[{i}] has no status")),
        };
        txs.push(HistoryTx {
            hash,
            from,
            to,
            value,
            block,
            time,
            succeeded,
        });
    }
    Ok(HistoryPage {
        txs,
        last_page: page.last_page,
    })
}

/// One call of `ots_traceTransaction`.
#[derive(Debug, Clone, Deserialize)]
struct OtsCall {
    #[serde(rename = "type")]
    kind: String,
    depth: u64,
    from: String,
    #[serde(default)]
    to: Option<String>,
    #[serde(default)]
    value: Option<String>,
}

/// An inner value transfer read from `ots_traceTransaction`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct InnerTransfer {
    pub(super) path: Vec<u64>,
    pub(super) from: String,
    pub(super) to: String,
    pub(super) value: u128,
}

/// Reads an `ots_traceTransaction` answer (calls in pre-order with depths) into the inner
/// value transfers (`CALL`, `CREATE`, `CREATE2` below the top level, value > 0), each with
/// its rebuilt `traceAddress`.
pub(super) fn read_ots_trace(result: Value) -> Result<Vec<InnerTransfer>, String> {
    let calls: Vec<OtsCall> = decode(result)?;
    let mut out = Vec::new();
    let mut path: Vec<u64> = Vec::new();
    // children[k]: children seen so far below the current frame at depth k.
    let mut children: Vec<u64> = vec![0];
    for (i, call) in calls.iter().enumerate() {
        let depth = usize::try_from(call.depth).map_err(|e| format!("[{i}].depth: {e}"))?;
        if depth == 0 {
            path.clear();
            children = vec![0];
            continue;
        }
        if depth > path.len() + 1 {
            return Err(format!(
                "[{i}]: depth {depth} follows depth {} (calls are not in pre-order)",
                path.len()
            ));
        }
        path.truncate(depth - 1);
        children.truncate(depth);
        let index = children.get(depth - 1).copied().unwrap_or(0);
        if let Some(slot) = children.get_mut(depth - 1) {
            *slot += 1;
        }
        path.push(index);
        children.push(0);
        if !matches!(call.kind.as_str(), "CALL" | "CREATE" | "CREATE2") {
            continue;
        }
        let value = match &call.value {
            Some(text) => hex::quantity_u128(text).map_err(|e| format!("[{i}].value {e}"))?,
            None => 0,
        };
        let Some(to) = &call.to else {
            continue;
        };
        if value == 0 {
            continue;
        }
        out.push(InnerTransfer {
            path: path.clone(),
            from: hex::address(&call.from).map_err(|e| format!("[{i}].from {e}"))?,
            to: hex::address(to).map_err(|e| format!("[{i}].to {e}"))?,
            value,
        });
    }
    Ok(out)
}

/// Deserialises a result, naming the place of a mismatch.
fn decode<T: serde::de::DeserializeOwned>(result: Value) -> Result<T, String> {
    serde_path_to_error::deserialize(result).map_err(|e| {
        let path = e.path().to_string();
        let place = if path == "." || path.is_empty() {
            "the top level".to_owned()
        } else {
            path
        };
        format!("unexpected result at {place}: {}", e.inner())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    const D: &str = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    const FWD: &str = "0xcf7ed3acca5a467e9e704c703e8d87f634fb0fc9";
    const HASH: &str = "0x08678f88d19cbe6f90c8d0e6e500fbb6fb06836b9ac0c859af988fa2828c8415";

    fn call(from: &str, to: &str, value: &str, path: Value, extra: Value) -> Value {
        let mut trace = json!({
            "action": {"from": from, "callType": "call", "to": to, "value": value, "input": "0x"},
            "blockHash": "0x00", "blockNumber": 7, "result": {"gasUsed": "0x0", "output": "0x"},
            "subtraces": 0, "traceAddress": path, "transactionHash": HASH,
            "transactionPosition": 0, "type": "call"
        });
        if let (Some(t), Value::Object(extra)) = (trace.as_object_mut(), extra) {
            t.extend(extra);
        }
        trace
    }

    #[test]
    fn keeps_value_calls_and_creates() {
        let traces = json!([
            call(A, FWD, "0x3782dace9d90000", json!([]), json!({})),
            call(FWD, D, "0x3782dace9d90000", json!([0]), json!({})),
            call(FWD, D, "0x0", json!([1]), json!({})),
            call(FWD, D, "0x5", json!([2]), json!({"error": "Reverted"})),
            {
                "action": {"from": FWD, "callType": "delegatecall", "to": D, "value": "0x5"},
                "blockNumber": "0x7", "traceAddress": [3], "transactionHash": HASH, "type": "call"
            },
            {
                "action": {"from": FWD, "value": "0x9", "init": "0x"},
                "result": {"address": D, "code": "0x"},
                "blockNumber": 7, "traceAddress": [4, 1], "transactionHash": HASH, "type": "create"
            },
            {"action": {"author": D, "value": "0x1"}, "blockNumber": 7, "traceAddress": [], "type": "reward"}
        ]);
        let page = read_traces(traces.clone(), Some((FWD, Side::Out)), "trace_filter(…)", 1)
            .expect("read");
        assert_eq!(page.count, 7);
        let legs: Vec<(String, u128)> = page
            .legs
            .iter()
            .map(|l| (l.leg.clone(), l.amount))
            .collect();
        assert_eq!(
            legs,
            [
                ("trace0".to_owned(), 250_000_000_000_000_000),
                ("trace4.1".to_owned(), 9)
            ]
        );
        let page = read_traces(traces, Some((A, Side::Out)), "trace_filter(…)", 1).expect("read");
        assert_eq!(page.legs.len(), 1);
        assert_eq!(page.legs[0].leg, "native");
        assert_eq!(page.legs[0].block, 7);
    }

    #[test]
    fn failed_parents_undo_children() {
        let frames = json!([
            {"action": {}, "traceAddress": [], "type": "call"},
            {"action": {}, "traceAddress": [0], "type": "call", "error": "Reverted"},
            {"action": {}, "traceAddress": [0, 0], "type": "call"}
        ]);
        let failed = reverted_paths(frames).expect("frames");
        assert_eq!(failed, [vec![0]]);
        assert!(undone(&[0, 0], &failed));
        assert!(undone(&[0], &failed));
        assert!(!undone(&[1], &failed));
        assert!(!undone(&[], &failed));
    }

    #[test]
    fn otterscan_paths_are_rebuilt() {
        let calls = json!([
            {"type": "CALL", "depth": 0, "from": A, "to": FWD, "value": "0x10"},
            {"type": "STATICCALL", "depth": 1, "from": FWD, "to": D, "value": null},
            {"type": "CALL", "depth": 1, "from": FWD, "to": D, "value": "0x5"},
            {"type": "DELEGATECALL", "depth": 2, "from": D, "to": FWD, "value": "0x5"},
            {"type": "CREATE2", "depth": 2, "from": D, "to": A, "value": "0x1"},
            {"type": "CALL", "depth": 1, "from": FWD, "to": A, "value": "0x2"}
        ]);
        let inner = read_ots_trace(calls).expect("read");
        let paths: Vec<(Vec<u64>, u128)> =
            inner.iter().map(|t| (t.path.clone(), t.value)).collect();
        assert_eq!(paths, [(vec![1], 5), (vec![1, 1], 1), (vec![2], 2)]);
        let err =
            read_ots_trace(json!([{"type": "CALL", "depth": 2, "from": A, "to": D}])).unwrap_err();
        assert!(err.contains("pre-order"), "{err}");
        assert_eq!(leg_name(&[0, 1]), "trace0.1");
        assert_eq!(path_of("trace0.1"), Some(vec![0, 1]));
        assert_eq!(path_of("trace7"), Some(vec![7]));
        assert_eq!(path_of("native"), None);
        assert_eq!(path_of("trace"), None);
    }

    #[test]
    fn otterscan_pages_are_checked() {
        let page = json!({
            "txs": [{"hash": HASH, "from": A, "to": null, "value": "0x1", "blockNumber": "0x7",
                     "blockTimestamp": "0x10"}],
            "receipts": [{"status": "0x1", "contractAddress": FWD, "transactionHash": HASH}],
            "firstPage": true, "lastPage": true
        });
        let read = read_search(page).expect("page");
        assert!(read.last_page);
        assert_eq!(read.txs[0].to.as_deref(), Some(FWD));
        assert_eq!(
            (read.txs[0].block, read.txs[0].time, read.txs[0].succeeded),
            (7, Some(16), true)
        );
        let err = read_search(json!({"txs": [], "receipts": [{}]})).unwrap_err();
        assert!(err.contains("0 transactions but 1 receipts"), "{err}");
    }
}
