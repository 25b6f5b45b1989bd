//! Etherscan-style rows into model facts: checked legs, stable transfer ids, counterparties.
//!
//! * Amounts are decimal strings of base units read exactly into `u128`; anything else (a
//!   sign, a point, an exponent, hex, more than `u128` holds) is an error naming the field.
//! * Legs that move nothing are dropped: failed transactions (`isError` `"1"` or
//!   `txreceipt_status` `"0"`), failed internal calls, zero values, and `tokentx` rows that
//!   are not ERC-20 (they carry a `tokenID` or no `value`). A token whose decimals the API
//!   does not know (Blockscout sends `""`) is dropped with a warning: its amount cannot be
//!   stated. Decimals must fit ERC-20's `uint8`.
//! * Transfer ids are `<chain prefix>:<tx hash>:<leg>` with leg `native` for the
//!   transaction's own value, `internal<traceId>` (Etherscan, e.g. `internal0_1`) or
//!   `internal<index>` (Blockscout) for an internal transfer, `log<logIndex>` for a token
//!   transfer whose API gives its log index. Without those, the leg is `internal-<f>` /
//!   `token-<f>` with `<f>` the 64-bit FNV-1a hash (16 hex digits) of the text
//!   `<contract>|<from>|<to>|<value>|<n>`: contract `native` for internal legs, addresses as
//!   lower-case `0x…`, value in base units, `n` the number of identical legs before it in the
//!   same transaction. The fingerprint makes such an id stable whoever's history it was read
//!   from: a plain
//!   position would depend on which of the transaction's legs the queried address takes
//!   part in, and two different legs would collide.
//! * Etherscan's `txlist` of an address funded in Ethereum's genesis block starts with a
//!   pseudo-row: `hash` `GENESIS_<address without 0x>`, `from` `GENESIS`, block 0. It is no
//!   transaction: it is read as the address's genesis allocation ([`Genesis`]), which the
//!   page states as a gap sentence on the expanded node, and the rest of the list is kept.
//! * A counterparty is one other address with every transfer between it and the queried
//!   address in the wanted direction; self-transfers move nothing to anyone and are left out.

use super::api::Row;
use crate::model::address::parse_ethereum_address;
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, NodeId, Transfer, TransferId};
use crate::sources::groups::{self, fingerprint};
use std::collections::{HashMap, HashSet};

/// Which list a row came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kind {
    /// `txlist`: the transaction's own value.
    Native,
    /// `txlistinternal`: value moved by a contract call inside a transaction.
    Internal,
    /// `tokentx`: an ERC-20 `Transfer` event.
    Token,
}

impl Kind {
    /// The API action listing this kind.
    pub(super) fn action(self) -> &'static str {
        match self {
            Kind::Native => "txlist",
            Kind::Internal => "txlistinternal",
            Kind::Token => "tokentx",
        }
    }

    /// All kinds, in the order they are fetched.
    pub(super) const ALL: [Kind; 3] = [Kind::Native, Kind::Internal, Kind::Token];
}

/// One checked leg, before it has its id.
#[derive(Debug, Clone)]
pub(super) struct Leg {
    pub(super) kind: Kind,
    pub(super) hash: String,
    pub(super) block: u64,
    pub(super) time: Option<i64>,
    pub(super) from: NodeId,
    pub(super) to: NodeId,
    pub(super) amount: u128,
    pub(super) asset: Asset,
    /// `traceId`/`index`/`logIndex` as checked text, when the API gave a usable one.
    pub(super) position: Option<String>,
    pub(super) provenance: Provenance,
    /// A native leg's THORChain memo, read from the call's input data.
    pub(super) memo: Option<String>,
}

/// A row read: its block (needed for paging even when the row is dropped) and its leg.
#[derive(Debug, Clone)]
pub(super) struct RowRead {
    pub(super) block: u64,
    pub(super) hash: String,
    pub(super) leg: Option<Leg>,
    /// The genesis allocation, when the row is Etherscan's `GENESIS_…` pseudo-row.
    pub(super) genesis: Option<Genesis>,
}

/// An allocation in the chain's genesis block, as Etherscan's `txlist` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Genesis {
    /// The funded address.
    pub(super) to: NodeId,
    /// The allocation in wei.
    pub(super) amount: u128,
}

impl Genesis {
    /// The sentence the page states on the expanded node.
    pub(super) fn sentence(&self, source_name: &str) -> String {
        format!(
            "{} was funded with {} wei in the genesis block (block 0) — an allocation, not a              transaction, so no transfer and no sender are shown ({source_name} lists it as a              GENESIS pseudo-transaction)",
            self.to, self.amount
        )
    }
}

/// True for Etherscan's genesis pseudo-row (`hash` `GENESIS_…`, `from` `GENESIS`).
fn is_genesis_row(row: &Row) -> bool {
    let hash = non_empty(row.hash.as_deref()).unwrap_or_default();
    let from = non_empty(row.from.as_deref()).unwrap_or_default();
    hash.get(..8)
        .is_some_and(|p| p.eq_ignore_ascii_case("GENESIS_"))
        && from.eq_ignore_ascii_case("GENESIS")
}

/// Reads a genesis pseudo-row: block 0, a value, and a `to` address.
fn read_genesis(kind: Kind, row: &Row, chain: Chain) -> Result<RowRead, String> {
    if kind != Kind::Native {
        return Err(format!(
            "a GENESIS pseudo-row in {}, where only txlist has them",
            kind.action()
        ));
    }
    let block = parse_u64("blockNumber", row.block_number.as_deref())?;
    if block != 0 {
        return Err(format!(
            "a GENESIS pseudo-row in block {block}, not block 0"
        ));
    }
    let to = read_address("to", row.to.as_deref(), chain)?;
    let amount = parse_amount("value", row.value.as_deref())?;
    let hash: String = non_empty(row.hash.as_deref())
        .unwrap_or_default()
        .chars()
        .take(80)
        .collect();
    Ok(RowRead {
        block,
        hash,
        leg: None,
        genesis: (amount > 0).then_some(Genesis { to, amount }),
    })
}

/// Reads one row of `kind`; the error says which field is wrong and how.
pub(super) fn read_row(
    kind: Kind,
    row: &Row,
    chain: Chain,
    provenance: &Provenance,
) -> Result<RowRead, String> {
    if is_genesis_row(row) {
        return read_genesis(kind, row, chain);
    }
    let block = parse_u64("blockNumber", row.block_number.as_deref())?;
    let hash = read_hash(row)?;
    let read = |leg| RowRead {
        block,
        hash: hash.clone(),
        leg,
        genesis: None,
    };
    let failed = row.is_error.as_deref().map(str::trim) == Some("1")
        || (kind == Kind::Native && row.receipt_status.as_deref().map(str::trim) == Some("0"));
    if failed {
        return Ok(read(None));
    }
    if kind == Kind::Token && (non_empty(row.token_id.as_deref()).is_some() || row.value.is_none())
    {
        // ERC-721/1155 rows share the list on some servers; they move no ERC-20 amount.
        return Ok(read(None));
    }
    let amount = parse_amount("value", row.value.as_deref())?;
    if amount == 0 {
        return Ok(read(None));
    }
    let time = match non_empty(row.time_stamp.as_deref()) {
        None => None,
        Some(text) => Some(
            i64::try_from(parse_u64("timeStamp", Some(text))?)
                .map_err(|_| format!("timeStamp {text:?} is out of range"))?,
        ),
    };
    let from = read_address("from", row.from.as_deref(), chain)?;
    let to = match non_empty(row.to.as_deref()) {
        Some(to) => read_address("to", Some(to), chain)?,
        // Contract creation: the value went to the new contract.
        None => match non_empty(row.contract_address.as_deref()) {
            Some(created) => read_address("contractAddress", Some(created), chain)?,
            None => return Err("has neither \"to\" nor \"contractAddress\"".to_owned()),
        },
    };
    let (asset, position) = match kind {
        Kind::Native => (Asset::native(chain), None),
        Kind::Internal => (
            Asset::native(chain),
            trace_position(row.trace_id.as_deref())
                .or_else(|| decimal_position(row.index.as_deref())),
        ),
        Kind::Token => {
            let contract = read_address("contractAddress", row.contract_address.as_deref(), chain)?;
            let Some(decimals_text) = non_empty(row.token_decimal.as_deref()) else {
                tracing::warn!(
                    "{}: token transfer {hash} of {} dropped: the API does not know the token's decimals",
                    provenance.source,
                    contract.value()
                );
                return Ok(read(None));
            };
            let decimals = parse_decimals(decimals_text)?;
            let symbol = groups::clean_symbol(row.token_symbol.as_deref(), contract.value());
            (
                Asset::token(chain, &symbol, decimals, contract.value()),
                decimal_position(row.log_index.as_deref()),
            )
        }
    };
    Ok(read(Some(Leg {
        kind,
        hash: hash.clone(),
        block,
        time,
        from,
        to,
        amount,
        asset,
        position,
        provenance: provenance.clone(),
        memo: if kind == Kind::Native {
            row.input
                .as_deref()
                .and_then(crate::sources::memos::router_deposit_memo)
        } else {
            None
        },
    })))
}

fn non_empty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

fn read_hash(row: &Row) -> Result<String, String> {
    let (field, text) = match (
        non_empty(row.hash.as_deref()),
        non_empty(row.transaction_hash.as_deref()),
    ) {
        (Some(hash), _) => ("hash", hash),
        (None, Some(hash)) => ("transactionHash", hash),
        (None, None) => return Err("has no transaction hash".to_owned()),
    };
    let digits = text.strip_prefix("0x").unwrap_or_default();
    if digits.len() != 64 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!(
            "{field} {} is not 0x and 64 hex digits",
            super::api::quote(text)
        ));
    }
    Ok(text.to_ascii_lowercase())
}

pub(super) fn read_address(
    field: &str,
    text: Option<&str>,
    chain: Chain,
) -> Result<NodeId, String> {
    let Some(text) = non_empty(text) else {
        return Err(format!("has no \"{field}\" address"));
    };
    // Servers write addresses in lower case; fold case so a stray checksum never matters.
    let parsed = parse_ethereum_address(&text.to_ascii_lowercase()).map_err(|e| {
        format!(
            "{field} {} is not an Ethereum address ({e})",
            super::api::quote(text)
        )
    })?;
    Ok(NodeId::address(chain, &parsed))
}

/// A decimal string of base units as `u128`, exactly.
pub(super) fn parse_amount(field: &str, text: Option<&str>) -> Result<u128, String> {
    let Some(raw) = text else {
        return Err(format!("has no \"{field}\""));
    };
    let text = raw.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{field} {} is not a whole number of base units (decimal digits only)",
            super::api::quote(raw)
        ));
    }
    text.parse::<u128>().map_err(|_| {
        format!(
            "{field} {} is larger than Caseboard can hold (2^128 base units)",
            super::api::quote(raw)
        )
    })
}

fn parse_u64(field: &str, text: Option<&str>) -> Result<u64, String> {
    let Some(raw) = text else {
        return Err(format!("has no \"{field}\""));
    };
    let text = raw.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "{field} {} is not a decimal number",
            super::api::quote(raw)
        ));
    }
    text.parse::<u64>()
        .map_err(|_| format!("{field} {} is out of range", super::api::quote(raw)))
}

fn parse_decimals(text: &str) -> Result<u8, String> {
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "tokenDecimal {} is not a decimal number",
            super::api::quote(text)
        ));
    }
    text.parse::<u8>().map_err(|_| {
        format!(
            "tokenDecimal {} is out of range (ERC-20 decimals are 0 to 255)",
            super::api::quote(text)
        )
    })
}

/// Etherscan's `traceId` (`0`, `0_1_1`) when it is only digits and underscores.
fn trace_position(text: Option<&str>) -> Option<String> {
    let text = non_empty(text)?;
    let ok = text.split('_').all(|part| {
        !part.is_empty() && part.len() <= 20 && part.bytes().all(|b| b.is_ascii_digit())
    });
    ok.then(|| {
        text.split('_')
            .map(|part| {
                part.parse::<u64>()
                    .map_or_else(|_| part.to_owned(), |n| n.to_string())
            })
            .collect::<Vec<_>>()
            .join("_")
    })
}

/// A decimal index (`logIndex`, Blockscout's `index`) without leading zeros.
fn decimal_position(text: Option<&str>) -> Option<String> {
    let text = non_empty(text)?;
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse::<u64>().ok().map(|n| n.to_string()))
        .flatten()
}

/// Turns legs into transfers with their ids, dropping repeats (same id) and keeping order.
pub(super) fn transfers(legs: Vec<Leg>, chain: Chain) -> Vec<Transfer> {
    let prefix = chain.id_prefix();
    let mut occurrences: HashMap<(String, Kind, String), u32> = HashMap::new();
    let mut seen: HashSet<TransferId> = HashSet::new();
    let mut out = Vec::with_capacity(legs.len());
    for leg in legs {
        let part = match (leg.kind, &leg.position) {
            (Kind::Native, _) => "native".to_owned(),
            (Kind::Internal, Some(position)) => format!("internal{position}"),
            (Kind::Token, Some(position)) => format!("log{position}"),
            (kind, None) => {
                let identity = format!(
                    "{}|{}|{}|{}",
                    leg.asset.contract.as_deref().unwrap_or("native"),
                    leg.from.value(),
                    leg.to.value(),
                    leg.amount
                );
                let count = occurrences
                    .entry((leg.hash.clone(), kind, identity.clone()))
                    .or_insert(0);
                let occurrence = *count;
                *count += 1;
                let name = if kind == Kind::Internal {
                    "internal"
                } else {
                    "token"
                };
                format!("{name}-{}", fingerprint(&identity, occurrence))
            }
        };
        let id = TransferId::new(&prefix, &leg.hash, &part);
        if !seen.insert(id.clone()) {
            continue;
        }
        out.push(Transfer {
            id,
            from: leg.from,
            to: leg.to,
            asset: leg.asset,
            amount: leg.amount,
            tx_hash: leg.hash,
            block_height: Some(leg.block),
            time: leg.time,
            provenance: Some(Box::new(leg.provenance)),
            relation_txs: None,
            memo: leg.memo,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn provenance() -> Provenance {
        Provenance {
            source: "etherscan:1".to_owned(),
            request: "GET /api?x".to_owned(),
            fetched_at: 1,
            block_height: Some(100),
        }
    }

    fn row(value: &str) -> Row {
        Row {
            block_number: Some("90".to_owned()),
            time_stamp: Some("1700000000".to_owned()),
            hash: Some(format!("0x{}", "AB".repeat(32))),
            from: Some(format!("0x{}", "11".repeat(20))),
            to: Some(format!("0x{}", "22".repeat(20))),
            value: Some(value.to_owned()),
            is_error: Some("0".to_owned()),
            ..Row::default()
        }
    }

    #[test]
    fn amounts_are_exact_or_refused() {
        assert_eq!(
            parse_amount("value", Some("340282366920938463463374607431768211455")),
            Ok(u128::MAX)
        );
        assert_eq!(parse_amount("value", Some("007")), Ok(7));
        for bad in ["1.5", "-1", "+1", "1e18", "0x10", "", " ", "١٢"] {
            let err = parse_amount("value", Some(bad)).unwrap_err();
            assert!(err.contains("not a whole number"), "{bad}: {err}");
        }
        let err =
            parse_amount("value", Some("340282366920938463463374607431768211456")).unwrap_err();
        assert!(err.contains("larger than Caseboard can hold"), "{err}");
        assert_eq!(parse_amount("value", None).unwrap_err(), "has no \"value\"");
    }

    #[test]
    fn rows_become_legs_or_are_dropped() {
        let chain = Chain::ETHEREUM;
        let read = read_row(Kind::Native, &row("5"), chain, &provenance()).expect("row");
        let leg = read.leg.expect("leg");
        assert_eq!(leg.hash, format!("0x{}", "ab".repeat(32)));
        assert_eq!(
            (leg.block, leg.time, leg.amount),
            (90, Some(1_700_000_000), 5)
        );
        let zero = read_row(Kind::Native, &row("0"), chain, &provenance()).expect("row");
        assert!(zero.leg.is_none());
        assert_eq!(zero.block, 90);
        let failed = Row {
            is_error: Some("1".to_owned()),
            ..row("5")
        };
        assert!(
            read_row(Kind::Native, &failed, chain, &provenance())
                .expect("row")
                .leg
                .is_none()
        );
        let creation = Row {
            to: Some(String::new()),
            contract_address: Some(format!("0x{}", "33".repeat(20))),
            ..row("5")
        };
        let leg = read_row(Kind::Native, &creation, chain, &provenance())
            .expect("row")
            .leg
            .expect("leg");
        assert_eq!(leg.to.value(), format!("0x{}", "33".repeat(20)));
        let bad_hash = Row {
            hash: Some("0x12".to_owned()),
            ..row("5")
        };
        let err = read_row(Kind::Native, &bad_hash, chain, &provenance()).unwrap_err();
        assert!(
            err.contains("hash \"0x12\" is not 0x and 64 hex digits"),
            "{err}"
        );
    }

    #[test]
    fn token_rows_need_decimals_in_range() {
        let chain = Chain::ETHEREUM;
        let token = |decimals: &str| Row {
            contract_address: Some(format!("0x{}", "44".repeat(20))),
            token_symbol: Some("US\u{7}DT".to_owned()),
            token_decimal: Some(decimals.to_owned()),
            ..row("5")
        };
        let leg = read_row(Kind::Token, &token("6"), chain, &provenance())
            .expect("row")
            .leg
            .expect("leg");
        assert_eq!(leg.asset.symbol, "USDT");
        assert_eq!(leg.asset.decimals, 6);
        let err = read_row(Kind::Token, &token("256"), chain, &provenance()).unwrap_err();
        assert!(
            err.contains("out of range (ERC-20 decimals are 0 to 255)"),
            "{err}"
        );
        assert!(
            read_row(Kind::Token, &token(""), chain, &provenance())
                .expect("row")
                .leg
                .is_none()
        );
    }

    #[test]
    fn positions_are_checked() {
        assert_eq!(trace_position(Some("0_01_1")), Some("0_1_1".to_owned()));
        assert_eq!(trace_position(Some("0__1")), None);
        assert_eq!(trace_position(Some("a")), None);
        assert_eq!(decimal_position(Some("007")), Some("7".to_owned()));
        assert_eq!(decimal_position(Some("-1")), None);
        assert_eq!(decimal_position(Some("")), None);
    }
}
