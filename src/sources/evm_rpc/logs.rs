//! ERC-20 `Transfer` logs of one address by `eth_getLogs`.
//!
//! `Transfer(address indexed from, address indexed to, uint256 value)` has topic0
//! [`TRANSFER_TOPIC`]; the sender and receiver are topics 1 and 2, left-padded to 32 bytes.
//! Outgoing transfers are `topics: [T, pad(address)]`, incoming `topics: [T, null,
//! pad(address)]` (two queries: a position OR is not expressible).
//!
//! What the node got wrong is an error naming the log: a topic that is not 32 bytes of hex,
//! fewer than 3 topics, a topic0 that is not `Transfer`, a log that does not match the filter
//! (the node ignored it), missing block number / hash / index. What a *contract* did oddly is
//! reported and skipped so one spam token cannot make an address unexpandable: ERC-721
//! transfers (4 topics: the token id is indexed) are left out quietly; an address topic with
//! non-zero padding, data that is not one 32-byte word, or a value above `u128::MAX` becomes a
//! note in the provenance of the job's nodes — never a truncated amount. Logs flagged
//! `removed` (a reorganisation) are left out.

use super::facts::RawLeg;
use super::hex::{self, quote};
use serde::Deserialize;
use serde_json::Value;

/// keccak256("Transfer(address,address,uint256)").
pub(crate) const TRANSFER_TOPIC: &str =
    "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";

/// Which side of a transfer the address is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The address sent (topic1 / `fromAddress`).
    Out,
    /// The address received (topic2 / `toAddress`).
    In,
}

impl Side {
    /// `from` / `to`, for request summaries.
    pub(super) fn word(self) -> &'static str {
        match self {
            Side::Out => "from",
            Side::In => "to",
        }
    }
}

/// A log as `eth_getLogs` returns it. Unknown fields are ignored.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Log {
    address: String,
    topics: Vec<String>,
    data: String,
    #[serde(default)]
    block_number: Option<String>,
    #[serde(default)]
    transaction_hash: Option<String>,
    #[serde(default)]
    log_index: Option<String>,
    #[serde(default)]
    removed: bool,
    /// Newer nodes (anvil, Geth ≥ 1.16) give the block time with each log.
    #[serde(default)]
    block_timestamp: Option<String>,
}

/// The `eth_getLogs` filter for `address` on `side` over `from..=to`.
pub(super) fn filter(address: &str, side: Side, from: u64, to: u64) -> Value {
    let topic = Value::String(hex::address_topic(address));
    let topics = match side {
        Side::Out => vec![Value::String(TRANSFER_TOPIC.to_owned()), topic],
        Side::In => vec![Value::String(TRANSFER_TOPIC.to_owned()), Value::Null, topic],
    };
    serde_json::json!([{
        "fromBlock": hex::to_quantity(from),
        "toBlock": hex::to_quantity(to),
        "topics": topics,
    }])
}

/// `eth_getLogs(Transfer from=0x…, blocks 0..=7)`.
pub(super) fn describe(address: &str, side: Side, from: u64, to: u64) -> String {
    format!(
        "eth_getLogs(Transfer {}={address}, blocks {from}..={to})",
        side.word()
    )
}

/// The transfers of one answered chunk, and notes about logs that were skipped.
#[derive(Debug, Default)]
pub(crate) struct ChunkLogs {
    pub(crate) legs: Vec<RawLeg>,
    pub(crate) notes: Vec<String>,
    /// ERC-721 transfers left out.
    pub(super) nft_logs: u64,
}

/// Reads the answer to [`filter`]. `Err` is a message about the node's answer.
pub(super) fn read(
    result: Value,
    address: &str,
    side: Side,
    request: &str,
    fetched_at: i64,
) -> Result<ChunkLogs, String> {
    let logs: Vec<Log> = serde_path_to_error::deserialize(result)
        .map_err(|e| format!("unexpected result at {}: {}", path_text(&e), e.inner()))?;
    let wanted = hex::address_topic(address);
    let mut out = ChunkLogs::default();
    for (i, log) in logs.into_iter().enumerate() {
        if log.removed {
            continue;
        }
        read_one(
            &log,
            i,
            Some((&wanted, side)),
            request,
            fetched_at,
            &mut out,
        )?;
    }
    Ok(out)
}

/// Reads the `logs` of a transaction receipt: its ERC-20 `Transfer` events, whoever sent and
/// received (other events are not transfers and are passed over; ERC-721 transfers are
/// counted). `Err` is a message about the node's answer.
pub(crate) fn read_receipt(
    logs: Value,
    request: &str,
    fetched_at: i64,
) -> Result<ChunkLogs, String> {
    let logs: Vec<Log> = serde_path_to_error::deserialize(logs)
        .map_err(|e| format!("unexpected logs at {}: {}", path_text(&e), e.inner()))?;
    let mut out = ChunkLogs::default();
    for (i, log) in logs.into_iter().enumerate() {
        let is_transfer = log
            .topics
            .first()
            .is_some_and(|t| t.eq_ignore_ascii_case(TRANSFER_TOPIC));
        if log.removed || !is_transfer || log.topics.len() < 3 {
            continue;
        }
        read_one(&log, i, None, request, fetched_at, &mut out)?;
    }
    Ok(out)
}

fn path_text<E>(error: &serde_path_to_error::Error<E>) -> String {
    let path = error.path().to_string();
    if path == "." || path.is_empty() {
        "the top level".to_owned()
    } else {
        path
    }
}

/// Reads one `Transfer` log; `filter` is the (address topic, side) the request asked for, which
/// the log must match (`None`: a receipt's logs, any sender and receiver).
fn read_one(
    log: &Log,
    i: usize,
    filter: Option<(&str, Side)>,
    request: &str,
    fetched_at: i64,
    out: &mut ChunkLogs,
) -> Result<(), String> {
    let at = format!("log [{i}]");
    let contract = hex::address(&log.address).map_err(|e| format!("{at}: address {e}"))?;
    let tx_hash = log
        .transaction_hash
        .as_deref()
        .ok_or_else(|| format!("{at}: no transactionHash"))
        .and_then(|h| hex::tx_hash(h).map_err(|e| format!("{at}: transactionHash {e}")))?;
    let at = format!("log [{i}] (tx {tx_hash})");
    let block = log
        .block_number
        .as_deref()
        .ok_or_else(|| format!("{at}: no blockNumber (pending log)"))
        .and_then(|b| hex::quantity_u64(b).map_err(|e| format!("{at}: blockNumber {e}")))?;
    let log_index = log
        .log_index
        .as_deref()
        .ok_or_else(|| format!("{at}: no logIndex"))
        .and_then(|x| hex::quantity_u64(x).map_err(|e| format!("{at}: logIndex {e}")))?;
    let at = format!("log {log_index} of tx {tx_hash}");
    let topics = log
        .topics
        .iter()
        .map(|t| hex::word(t).map_err(|e| format!("{at}: malformed topic: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    if topics.len() < 3 {
        return Err(format!(
            "{at}: malformed topics: {} topics, but a Transfer filtered by address has 3 (ERC-20) or 4 (ERC-721)",
            topics.len()
        ));
    }
    if !log.topics[0].eq_ignore_ascii_case(TRANSFER_TOPIC) {
        return Err(format!(
            "{at}: malformed topics: topic0 {} is not the Transfer event",
            quote(&log.topics[0])
        ));
    }
    if let Some((wanted, side)) = filter {
        let filtered = match side {
            Side::Out => &log.topics[1],
            Side::In => &log.topics[2],
        };
        if !filtered.eq_ignore_ascii_case(wanted) {
            return Err(format!(
                "{at}: the node ignored the topic filter ({} is {}, not {wanted})",
                side.word(),
                quote(filtered)
            ));
        }
    }
    if topics.len() == 4 {
        out.nft_logs += 1;
        return Ok(());
    }
    if topics.len() > 4 {
        return Err(format!(
            "{at}: malformed topics: {} topics (a log has at most 4)",
            topics.len()
        ));
    }
    let skip = |why: String, out: &mut ChunkLogs| {
        out.notes
            .push(format!("skipped {at} (token {contract}): {why}"));
    };
    let (Some(from), Some(to)) = (hex::word_address(&topics[1]), hex::word_address(&topics[2]))
    else {
        skip("an address topic has non-zero padding".to_owned(), out);
        return Ok(());
    };
    let data = hex::data_bytes(&log.data).map_err(|e| format!("{at}: data {e}"))?;
    let Ok(value_word) = <[u8; 32]>::try_from(data.as_slice()) else {
        skip(
            format!("data is {} bytes, not one 32-byte value", data.len()),
            out,
        );
        return Ok(());
    };
    let Some(amount) = hex::word_u128(&value_word) else {
        skip(
            format!("value {} exceeds 128 bits and is not shown", log.data),
            out,
        );
        return Ok(());
    };
    let time = match &log.block_timestamp {
        Some(text) => Some(
            hex::quantity_u64(text)
                .ok()
                .and_then(|t| i64::try_from(t).ok())
                .ok_or_else(|| format!("{at}: blockTimestamp {} is not a time", quote(text)))?,
        ),
        None => None,
    };
    out.legs.push(RawLeg {
        contract: Some(contract),
        from,
        to,
        amount,
        tx_hash,
        leg: format!("log{log_index}"),
        block,
        time,
        request: request.to_owned(),
        fetched_at,
        note: None,
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const B: &str = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";
    const D: &str = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    const TOKEN: &str = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    const HASH: &str = "0x3b34d3267585ee12a2cb035de5d311861b2881ad4bcd771011ed1281493bb892";

    fn log(topics: Vec<String>, data: &str) -> Value {
        json!({
            "address": TOKEN, "topics": topics, "data": data, "blockNumber": "0x5",
            "transactionHash": HASH, "logIndex": "0x0", "removed": false,
        })
    }

    fn word(n: u128) -> String {
        format!("0x{n:064x}")
    }

    fn read_logs(logs: Vec<Value>, side: Side, address: &str) -> Result<ChunkLogs, String> {
        read(Value::Array(logs), address, side, "eth_getLogs(…)", 1)
    }

    #[test]
    fn reads_erc20_and_skips_erc721() {
        let erc20 = log(
            vec![
                TRANSFER_TOPIC.into(),
                hex::address_topic(B),
                hex::address_topic(D),
            ],
            &word(100_000_000),
        );
        let erc721 = log(
            vec![
                TRANSFER_TOPIC.into(),
                hex::address_topic(B),
                hex::address_topic(D),
                word(7),
            ],
            "0x",
        );
        let out = read_logs(vec![erc20, erc721], Side::Out, B).expect("read");
        assert_eq!(out.nft_logs, 1);
        assert_eq!(out.legs.len(), 1);
        let leg = &out.legs[0];
        assert_eq!(
            (leg.from.as_str(), leg.to.as_str(), leg.amount, leg.block),
            (B, D, 100_000_000, 5)
        );
        assert_eq!(leg.leg, "log0");
        assert_eq!(leg.contract.as_deref(), Some(TOKEN));
        assert_eq!(
            filter(B, Side::In, 0, 7),
            json!([{"fromBlock": "0x0", "toBlock": "0x7",
                    "topics": [TRANSFER_TOPIC, null, hex::address_topic(B)]}])
        );
    }

    #[test]
    fn contract_oddities_are_noted_not_fatal() {
        let huge = log(
            vec![
                TRANSFER_TOPIC.into(),
                hex::address_topic(B),
                hex::address_topic(D),
            ],
            &format!("0x{}", "f".repeat(64)),
        );
        let mut dirty_topic = hex::address_topic(D);
        dirty_topic.replace_range(2..4, "ff");
        let dirty = log(
            vec![TRANSFER_TOPIC.into(), hex::address_topic(B), dirty_topic],
            &word(1),
        );
        let long_data = log(
            vec![
                TRANSFER_TOPIC.into(),
                hex::address_topic(B),
                hex::address_topic(D),
            ],
            &format!("{}{}", word(1), "00".repeat(32)),
        );
        let out = read_logs(vec![huge, dirty, long_data], Side::Out, B).expect("read");
        assert!(out.legs.is_empty());
        assert_eq!(out.notes.len(), 3, "{:?}", out.notes);
        assert!(out.notes[0].contains("exceeds 128 bits"), "{:?}", out.notes);
        assert!(out.notes[1].contains("non-zero padding"), "{:?}", out.notes);
        assert!(out.notes[2].contains("64 bytes"), "{:?}", out.notes);
    }

    #[test]
    fn node_mistakes_are_errors() {
        let two_topics = log(vec![TRANSFER_TOPIC.into(), hex::address_topic(B)], &word(1));
        let err = read_logs(vec![two_topics], Side::Out, B).unwrap_err();
        assert!(err.contains("malformed topics: 2 topics"), "{err}");
        let short_topic = log(
            vec![
                TRANSFER_TOPIC.into(),
                "0x1234".into(),
                hex::address_topic(D),
            ],
            &word(1),
        );
        let err = read_logs(vec![short_topic], Side::In, D).unwrap_err();
        assert!(err.contains("malformed topic"), "{err}");
        let other_event = log(
            vec![word(9), hex::address_topic(B), hex::address_topic(D)],
            &word(1),
        );
        let err = read_logs(vec![other_event], Side::Out, B).unwrap_err();
        assert!(err.contains("not the Transfer event"), "{err}");
        let unfiltered = log(
            vec![
                TRANSFER_TOPIC.into(),
                hex::address_topic(D),
                hex::address_topic(B),
            ],
            &word(1),
        );
        let err = read_logs(vec![unfiltered], Side::Out, B).unwrap_err();
        assert!(err.contains("ignored the topic filter"), "{err}");
        let err = read(json!({"logs": []}), B, Side::Out, "x", 1).unwrap_err();
        assert!(err.contains("unexpected result at the top level"), "{err}");
        let err = read(json!([{"address": TOKEN}]), B, Side::Out, "x", 1).unwrap_err();
        assert!(err.contains("[0]"), "{err}");
        let mut pending = log(
            vec![
                TRANSFER_TOPIC.into(),
                hex::address_topic(B),
                hex::address_topic(D),
            ],
            &word(1),
        );
        pending["blockNumber"] = Value::Null;
        let err = read_logs(vec![pending], Side::Out, B).unwrap_err();
        assert!(err.contains("pending"), "{err}");
    }
}
