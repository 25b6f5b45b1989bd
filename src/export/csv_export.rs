//! Transfers → CSV for spreadsheets: one row per transfer, in id order.
//!
//! Columns: `chain, tx, from, to, asset, contract, amount, amount_base_units, time, usd_value,
//! price_date, price_source, from_tags, to_tags`. `asset` is the symbol, which is not unique (two contracts can both call themselves
//! `WETH`): `contract` (the token contract, empty for the chain's native asset) together with
//! `chain` says which asset a row moves, so a spreadsheet sums by chain + contract.
//! `amount` is exact human units (`model::format_units`, never a float), `amount_base_units` the
//! integer the case stores; `time` is RFC 3339 UTC, empty when unknown; `usd_value` is the
//! value at the transfer's UTC day (exact, rounded down to the cent), `price_date` that day and
//! `price_source` the table (or "pinned at $1") it came from — all three empty where no price
//! is known, never 0; the tag columns list the
//! cluster and every tag of each end as `label (category)`, joined with `"; "`. `from`/`to` are
//! the address or transaction id without the chain prefix. Any cell that a spreadsheet would
//! run as a formula (starting with `=`, `+`, `-`, `@`, tab or carriage return) is prefixed
//! with `'`.

use super::ExportError;
use crate::model::{Case, NodeId, format_units};
use crate::prices::{PriceBook, PriceOrigin, format_day};

/// The header row.
pub const CSV_COLUMNS: [&str; 14] = [
    "chain",
    "tx",
    "from",
    "to",
    "asset",
    "contract",
    "amount",
    "amount_base_units",
    "time",
    "usd_value",
    "price_date",
    "price_source",
    "from_tags",
    "to_tags",
];

/// A cell a spreadsheet will not evaluate.
fn safe_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

/// `label (category)` for the cluster and each tag of `node`, deduplicated, joined by `"; "`.
fn tags_of(case: &Case, node: &NodeId) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(cluster) = case.cluster_of(node) {
        parts.push(format!("{} ({})", cluster.label, cluster.category));
    }
    for tag in case.tags.get(node).into_iter().flatten() {
        let part = format!("{} ({})", tag.label, tag.category);
        if !parts.contains(&part) {
            parts.push(part);
        }
    }
    parts.join("; ")
}

/// RFC 3339 in UTC (`2025-02-21T14:13:35Z`), empty when out of range.
fn rfc3339(unix_secs: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// The case's transfers as CSV text (header row first, `\n` line ends, quoted where needed),
/// valued with the bundled prices.
pub fn transfers_csv(case: &Case) -> Result<String, ExportError> {
    transfers_csv_with(case, PriceBook::bundled_ref())
}

/// [`transfers_csv`] with the given prices.
pub fn transfers_csv_with(case: &Case, prices: &PriceBook) -> Result<String, ExportError> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let csv_error = |e: csv::Error| ExportError::Csv(e.to_string());
    writer.write_record(CSV_COLUMNS).map_err(csv_error)?;
    for t in case.transfers.values() {
        let valuation = prices.transfer_value(t);
        let (usd, day, origin) = match &valuation {
            Some(v) => (
                v.usd.to_decimal_string(),
                format_day(v.day),
                match &v.origin {
                    PriceOrigin::Table(name) => name.to_string(),
                    PriceOrigin::Pinned => "pinned at $1 (stablecoin, by contract)".to_owned(),
                },
            ),
            None => (String::new(), String::new(), String::new()),
        };
        let row = [
            t.asset.chain.to_string(),
            t.tx_hash.clone(),
            t.from.value().to_owned(),
            t.to.value().to_owned(),
            t.asset.symbol.clone(),
            t.asset.contract.clone().unwrap_or_default(),
            format_units(t.amount, t.asset.decimals),
            t.amount.to_string(),
            t.time.map(rfc3339).unwrap_or_default(),
            usd,
            day,
            origin,
            tags_of(case, &t.from),
            tags_of(case, &t.to),
        ];
        writer
            .write_record(row.iter().map(|cell| safe_cell(cell)))
            .map_err(csv_error)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| ExportError::Csv(e.error().to_string()))?;
    String::from_utf8(bytes).map_err(|e| ExportError::Csv(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("+1"), "'+1");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("@SUM"), "'@SUM");
        assert_eq!(safe_cell("\tx"), "'\tx");
        assert_eq!(safe_cell("plain"), "plain");
        assert_eq!(safe_cell(""), "");
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(1_740_147_215), "2025-02-21T14:13:35Z");
        assert_eq!(rfc3339(i64::MAX), "");
    }

    #[test]
    fn an_empty_case_has_only_the_header() {
        let csv = transfers_csv(&Case::default()).expect("csv");
        assert_eq!(
            csv,
            "chain,tx,from,to,asset,contract,amount,amount_base_units,time,usd_value,price_date,\
             price_source,from_tags,to_tags\n"
        );
    }

    #[test]
    fn tokens_sharing_a_symbol_are_told_apart_by_contract() {
        use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
        let mut case = Case::new("t", 0);
        let a = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
        let b = NodeId::parse("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").expect("id");
        case.nodes.insert(a.clone(), Node::address(a.clone()));
        case.nodes.insert(b.clone(), Node::address(b.clone()));
        let contracts = [
            "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2",
            "0xd0a1e359811322d97991e03f863a0c30c2cf029c",
        ];
        for (i, contract) in contracts.iter().enumerate() {
            let id = TransferId::from(format!("eth:0x{i:064x}:log0"));
            case.transfers.insert(
                id.clone(),
                Transfer {
                    id,
                    from: a.clone(),
                    to: b.clone(),
                    asset: Asset::token(Chain::ETHEREUM, "WETH", 18, contract),
                    amount: 1_000_000_000_000_000_000,
                    tx_hash: format!("0x{i:064x}"),
                    block_height: None,
                    time: None,
                    provenance: None,
                    relation_txs: None,
                    memo: None,
                },
            );
        }
        let csv = transfers_csv(&case).expect("csv");
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let headers = reader.headers().expect("header").clone();
        let column = headers
            .iter()
            .position(|h| h == "contract")
            .expect("contract column");
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        let seen: Vec<&str> = rows.iter().map(|r| &r[column]).collect();
        assert_eq!(seen, contracts);
        assert!(rows.iter().all(|r| &r[4] == "WETH"));
    }
}
