//! Simple CSV packs: one tag per row, for lists that don't come as TagPacks.
//!
//! ```text
//! # title: Exchange deposit addresses seen in case 42
//! # creator: Jane Doe
//! # source: https://example.org/report
//! # date: 2025-03-01
//! # licence: CC-BY-4.0
//! address,chain,label,category,confidence,source
//! 0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D,ETH,Bybit theft,dprk_attributed,authority_data,https://www.ic3.gov/PSA/2025/PSA250226
//! bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,Some exchange,exchange,,
//! ```
//!
//! Leading `# key: value` comments give the pack's title, creator, source, date and licence.
//! The first row names the columns, in any order: `address`, `chain` and `label` are required;
//! `category` (a Caseboard name such as `dprk_attributed`, or a GraphSense concept), `confidence`
//! (a GraphSense name; empty: `unknown`), `source`, `actor`, `abuse`, `concepts` (separated by
//! `;`) and `note` are optional. `chain` is `BTC`, `ETH`, a Caseboard node prefix (`evm56`) or a
//! GraphSense network; rows on networks Caseboard can't read (TRX, LTC …) are counted, not
//! loaded. Errors name the row (the file's line number) and the column; any error rejects the
//! pack, except an address that is not valid on its chain: that row is skipped and listed in
//! [`AttributionPack::skipped`]. Duplicate rows count once.

use super::error::{ErrorList, PackError, PackErrors};
use super::network::{self, Network};
use super::pack::{
    AttributionPack, PackEntry, PackInfo, SkippedTag, id_from_origin, quote_capped,
    remove_duplicates,
};
use super::taxonomy;
use crate::model::{Category, Confidence, NodeId, Tag};

const REQUIRED: [&str; 3] = ["address", "chain", "label"];
const OPTIONAL: [&str; 7] = [
    "category",
    "confidence",
    "source",
    "actor",
    "abuse",
    "concepts",
    "note",
];

/// Pack metadata from the leading comments.
#[derive(Default)]
struct Meta {
    title: Option<String>,
    creator: String,
    source: Option<String>,
    date: Option<i64>,
    licence: String,
    description: String,
}

/// Reads the leading comment block; returns the metadata and the byte offset and line count
/// where the table starts.
fn read_meta(text: &str, errors: &mut Vec<PackError>) -> (Meta, usize, usize) {
    let mut meta = Meta::default();
    let mut offset = 0;
    let mut lines = 0;
    for raw in text.split_inclusive('\n') {
        let line = raw.trim();
        if !(line.is_empty() || line.starts_with('#')) {
            break;
        }
        offset += raw.len();
        lines += 1;
        let Some((key, value)) = line.trim_start_matches('#').split_once(':') else {
            continue;
        };
        let value = value.trim().to_owned();
        match key.trim().to_ascii_lowercase().as_str() {
            "title" => meta.title = Some(value),
            "creator" => meta.creator = value,
            "source" => meta.source = Some(value),
            "licence" | "license" => meta.licence = value,
            "description" => meta.description = value,
            "date" | "lastmod" => match network::parse_date(&value) {
                Some(secs) => meta.date = Some(secs),
                None => errors.add(PackError::new(
                    format!("comment {}", key.trim()),
                    Some(lines),
                    format!("{value:?} is not a date (expected YYYY-MM-DD)"),
                )),
            },
            _ => {}
        }
    }
    (meta, offset, lines)
}

/// Column positions of the table.
struct Columns {
    address: usize,
    chain: usize,
    label: usize,
    category: Option<usize>,
    confidence: Option<usize>,
    source: Option<usize>,
    actor: Option<usize>,
    abuse: Option<usize>,
    concepts: Option<usize>,
    note: Option<usize>,
    count: usize,
}

fn read_columns(
    header: &csv::StringRecord,
    line: usize,
    errors: &mut Vec<PackError>,
) -> Option<Columns> {
    let names: Vec<String> = header
        .iter()
        .map(|n| n.trim().to_ascii_lowercase())
        .collect();
    let find = |name: &str| names.iter().position(|n| n == name);
    let before = errors.len();
    // Names seen so far: duplicates are found in linear time, however many columns.
    let mut seen = std::collections::HashSet::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let repeated = !seen.insert(name.as_str());
        if !REQUIRED.contains(&name.as_str()) && !OPTIONAL.contains(&name.as_str()) {
            errors.add(PackError::new(
                format!(
                    "row {line} column {}",
                    if name.is_empty() {
                        (i + 1).to_string()
                    } else {
                        name.clone()
                    }
                ),
                Some(line),
                format!(
                    "unknown column (expected {} and optionally {})",
                    REQUIRED.join(", "),
                    OPTIONAL.join(", ")
                ),
            ));
        } else if repeated {
            errors.add(PackError::new(
                format!("row {line} column {name}"),
                Some(line),
                "duplicate column",
            ));
        }
    }
    for name in REQUIRED {
        if find(name).is_none() {
            errors.add(PackError::new(
                format!("row {line} column {name}"),
                Some(line),
                "missing column: the first row names the columns (address,chain,label,category,confidence,source)",
            ));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(Columns {
        address: find("address")?,
        chain: find("chain")?,
        label: find("label")?,
        category: find("category"),
        confidence: find("confidence"),
        source: find("source"),
        actor: find("actor"),
        abuse: find("abuse"),
        concepts: find("concepts"),
        note: find("note"),
        count: names.len(),
    })
}

/// The category of a row: a Caseboard name as written, else the GraphSense mapping.
fn row_category(
    cell: &str,
    abuse: Option<&str>,
    actor: Option<&str>,
    concepts: &[String],
) -> Category {
    let built_in = Category::BUILT_IN
        .iter()
        .find(|c| **c != Category::Unknown && c.name() == cell.to_ascii_lowercase());
    match built_in {
        Some(category) => category.clone(),
        None => {
            let cell = (!cell.is_empty()).then_some(cell);
            taxonomy::category_from_graphsense(cell, abuse, actor, concepts)
        }
    }
}

/// Parses a CSV pack. Every error is reported (row and column) and nothing partial is
/// returned; rows with an invalid address are skipped and listed in the pack.
pub fn parse_tags_csv(text: &str, origin: &str) -> Result<AttributionPack, PackErrors> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut errors = Vec::new();
    let (meta, offset, skipped) = read_meta(text, &mut errors);
    let id = id_from_origin(origin);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes().get(offset..).unwrap_or_default());
    let mut record = csv::StringRecord::new();
    let mut columns: Option<Columns> = None;
    let mut rows: Vec<(usize, csv::StringRecord)> = Vec::new();
    let mut header_seen = false;
    loop {
        let line = reader.position().line() as usize + skipped;
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(error) => {
                let line = error
                    .position()
                    .map_or(line, |p| p.line() as usize + skipped);
                errors.add(PackError::new(
                    format!("row {line}"),
                    Some(line),
                    format!("not valid CSV: {error}"),
                ));
                // A CSV error (bad UTF-8 …) leaves the reader unusable.
                break;
            }
        }
        let line = record
            .position()
            .map_or(line, |p| p.line() as usize + skipped);
        if !header_seen {
            header_seen = true;
            columns = read_columns(&record, line, &mut errors);
            if columns.is_none() {
                break;
            }
            continue;
        }
        rows.push((line, record.clone()));
    }
    let mut entries = Vec::new();
    let mut unsupported = 0;
    let mut skipped = Vec::new();
    if let Some(cols) = &columns {
        let batch = check_rows(&rows, cols, &meta, &id);
        errors.extend(batch.errors);
        entries = batch.entries;
        unsupported = batch.unsupported;
        skipped = batch.skipped;
    }
    if !errors.is_empty() && !skipped.is_empty() {
        // Refused anyway: list the invalid addresses too, in row order.
        errors.extend(skipped.iter().map(SkippedTag::to_error));
        errors.sort_by_key(|e| e.line.unwrap_or(0));
    }
    errors.settle();
    if !header_seen && errors.is_empty() {
        errors.add(PackError::new(
            "file",
            None,
            "no rows: the first row names the columns (address,chain,label,category,confidence,source)",
        ));
    }
    if !errors.is_empty() {
        return Err(PackErrors {
            origin: origin.to_owned(),
            errors,
        });
    }
    let duplicates = remove_duplicates(&mut entries);
    let stem = id.clone();
    Ok(AttributionPack {
        info: PackInfo {
            id,
            title: meta.title.unwrap_or(stem),
            creator: meta.creator,
            source: meta.source.unwrap_or_else(|| origin.to_owned()),
            date: meta.date.map(network::date_only).unwrap_or_default(),
            licence: meta.licence,
            description: meta.description,
            bundled: false,
        },
        entries,
        unsupported,
        tx_tags: 0,
        skipped,
        duplicates,
    })
}

/// Rows checked per thread before it is worth starting threads.
const PARALLEL_THRESHOLD: usize = 50_000;

/// The result of checking a run of rows.
#[derive(Default)]
struct Batch {
    entries: Vec<PackEntry>,
    errors: Vec<PackError>,
    unsupported: usize,
    skipped: Vec<SkippedTag>,
}

/// What one row gives.
enum Row {
    /// A tag on a node.
    Entry(PackEntry),
    /// A valid row on a chain Caseboard can't read.
    Unsupported,
    /// A row whose address is not valid on its chain.
    Skipped(SkippedTag),
}

fn check_run(rows: &[(usize, csv::StringRecord)], cols: &Columns, meta: &Meta, id: &str) -> Batch {
    let mut batch = Batch {
        entries: Vec::with_capacity(rows.len()),
        ..Batch::default()
    };
    for (line, record) in rows {
        let line = *line;
        if record.len() != cols.count {
            batch.errors.add(PackError::new(
                format!("row {line}"),
                Some(line),
                format!(
                    "expected {} fields (like the first row), found {}",
                    cols.count,
                    record.len()
                ),
            ));
            continue;
        }
        match check_row(record, cols, line, meta, id) {
            Ok(Row::Entry(entry)) => batch.entries.push(entry),
            Ok(Row::Unsupported) => batch.unsupported += 1,
            Ok(Row::Skipped(skipped)) => batch.skipped.push(skipped),
            Err(row_errors) => row_errors.into_iter().for_each(|e| batch.errors.add(e)),
        }
    }
    batch
}

/// Checks every row, on several threads when there are many.
fn check_rows(rows: &[(usize, csv::StringRecord)], cols: &Columns, meta: &Meta, id: &str) -> Batch {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if rows.len() < PARALLEL_THRESHOLD || threads < 2 {
        return check_run(rows, cols, meta, id);
    }
    let chunk = rows.len().div_ceil(threads);
    let batches: Vec<Batch> = std::thread::scope(|scope| {
        let handles: Vec<_> = rows
            .chunks(chunk)
            .map(|part| (part, scope.spawn(move || check_run(part, cols, meta, id))))
            .collect();
        handles
            .into_iter()
            .map(|(part, handle)| {
                handle.join().unwrap_or_else(|_| Batch {
                    errors: vec![PackError::new(
                        format!("row {}", part.first().map_or(0, |r| r.0)),
                        None,
                        "internal error while checking rows",
                    )],
                    ..Batch::default()
                })
            })
            .collect()
    });
    // The first run's entries grow in place (a large vector grows without copying).
    let mut all = Batch::default();
    for batch in batches {
        if all.entries.is_empty() {
            let rest = rows.len().saturating_sub(batch.entries.len());
            all.entries = batch.entries;
            all.entries.reserve(rest);
        } else {
            all.entries.extend(batch.entries);
        }
        all.errors.extend(batch.errors);
        all.unsupported += batch.unsupported;
        all.skipped.extend(batch.skipped);
    }
    all
}

/// One row: its entry, unsupported, skipped (invalid address), or its errors.
fn check_row(
    record: &csv::StringRecord,
    cols: &Columns,
    line: usize,
    meta: &Meta,
    id: &str,
) -> Result<Row, Vec<PackError>> {
    let cell = |i: usize| record.get(i).unwrap_or("").trim();
    let optional = |i: Option<usize>| i.map(cell).filter(|v| !v.is_empty());
    let mut errors = Vec::new();
    let mut fail = |column: &str, message: String| {
        errors.add(PackError::new(
            format!("row {line} column {column}"),
            Some(line),
            message,
        ));
    };
    let address = cell(cols.address);
    let chain_name = cell(cols.chain);
    let label = cell(cols.label);
    if label.is_empty() {
        fail("label", "empty label".to_owned());
    }
    let confidence = match optional(cols.confidence) {
        None => Some(Confidence::Unknown),
        Some(name) => {
            let found = taxonomy::confidence_from_graphsense(name);
            if found.is_none() {
                fail(
                    "confidence",
                    format!(
                        "unknown confidence {name:?} (expected a GraphSense name such as authority_data, service_data, forensic, heuristic)"
                    ),
                );
            }
            found
        }
    };
    let node = match network::resolve(chain_name, address) {
        Network::Chain(chain) => {
            let parsed = network::parse_on(chain, address);
            match parsed {
                Ok(parsed) => Some(NodeId::address(chain, &parsed)),
                Err(error) if errors.is_empty() => {
                    return Ok(Row::Skipped(SkippedTag {
                        position: format!("row {line} column address"),
                        line: Some(line),
                        address: quote_capped(address),
                        reason: format!("{error} (on {chain})"),
                    }));
                }
                Err(_) => None,
            }
        }
        Network::Unsupported => {
            if errors.is_empty() {
                return Ok(Row::Unsupported);
            }
            None
        }
        Network::Unknown => {
            fail(
                "chain",
                format!(
                    "unknown chain {chain_name:?} (expected BTC, ETH, evm<chain id> or a GraphSense network such as TRX)"
                ),
            );
            None
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(node), Some(confidence)) = (node, confidence) else {
        return Err(errors);
    };
    let actor = optional(cols.actor);
    let abuse = optional(cols.abuse);
    let concepts: Vec<String> = optional(cols.concepts)
        .map(|c| {
            c.split([';', ','])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let category = row_category(
        optional(cols.category).unwrap_or(""),
        abuse,
        actor,
        &concepts,
    );
    Ok(Row::Entry(PackEntry {
        node,
        tag: Tag {
            label: label.to_owned(),
            category,
            confidence,
            source: optional(cols.source).unwrap_or("").to_owned(),
            author: meta.creator.clone(),
            created: meta.date.unwrap_or(0),
            note: optional(cols.note).unwrap_or("").to_owned(),
            pack: Some(id.to_owned()),
            actor: actor.map(str::to_owned),
            abuse: abuse.map(str::to_owned),
            concepts,
        },
    }))
}
