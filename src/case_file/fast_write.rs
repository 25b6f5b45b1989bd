//! The case-file text written quickly: the bulk of a large case (nodes, transfers, positions)
//! is formatted here directly, every other field through `ron` (each field on its own,
//! indented to its place). The result is byte for byte what `ron`'s pretty serialiser gives
//! for the whole [`CaseFileRef`] with the settings in `save` (a test holds the two together),
//! only several times faster: `ron` escapes and writes one character at a time.

use super::format::CaseFileRef;
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeKind, Transfer};
use serde::Serialize;
use std::fmt::{self, Write};

/// One indentation level.
const INDENT: &str = "    ";

/// Writes `file` as pretty RON into `out`.
pub(crate) fn write_case<W: Write>(
    out: &mut W,
    file: &CaseFileRef<'_>,
    config: &ron::ser::PrettyConfig,
) -> Result<(), ron::Error> {
    out.write_str("(\n")?;
    field(out, "format", &file.format, config)?;
    field(out, "content_hash", &file.content_hash, config)?;
    field(out, "meta", file.meta, config)?;
    field(out, "source", file.source, config)?;
    field(out, "chain_sources", file.chain_sources, config)?;
    list(out, "nodes", file.nodes.values(), write_node)?;
    list(out, "transfers", file.transfers.values(), write_transfer)?;
    field(out, "tags", file.tags, config)?;
    field(out, "clusters", &Values(file.clusters), config)?;
    out.write_str("    layout: (\n")?;
    if file.layout.positions.is_empty() {
        out.write_str("        positions: {},\n")?;
    } else {
        out.write_str("        positions: {\n")?;
        for (id, p) in file.layout.positions {
            out.write_str("            ")?;
            string(out, id.as_str())?;
            out.write_str(": (")?;
            float(out, p[0])?;
            out.write_str(", ")?;
            float(out, p[1])?;
            out.write_str("),\n")?;
        }
        out.write_str("        },\n")?;
    }
    nested_field(out, 2, "pinned", file.layout.pinned, config)?;
    out.write_str("    ),\n")?;
    field(out, "view", file.view, config)?;
    field(out, "annotations", file.annotations, config)?;
    field(out, "conflicts", &Values(file.conflicts), config)?;
    field(out, "history", &file.history, config)?;
    field(out, "findings", file.findings, config)?;
    out.write_str(")")?;
    Ok(())
}

/// A map written as the list of its values (as `format::values_as_seq` does).
struct Values<'a, K, V>(&'a std::collections::BTreeMap<K, V>);

impl<K, V: Serialize> Serialize for Values<'_, K, V> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.values())
    }
}

fn field<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    name: &str,
    value: &T,
    config: &ron::ser::PrettyConfig,
) -> Result<(), ron::Error> {
    nested_field(out, 1, name, value, config)
}

/// `name: value,` at `depth`, the value through `ron` and indented to its place.
fn nested_field<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    depth: usize,
    name: &str,
    value: &T,
    config: &ron::ser::PrettyConfig,
) -> Result<(), ron::Error> {
    let text = ron::ser::to_string_pretty(value, config.clone())?;
    for _ in 0..depth {
        out.write_str(INDENT)?;
    }
    out.write_str(name)?;
    out.write_str(": ")?;
    let mut lines = text.split('\n');
    if let Some(first) = lines.next() {
        out.write_str(first)?;
    }
    for line in lines {
        out.write_char('\n')?;
        for _ in 0..depth {
            out.write_str(INDENT)?;
        }
        out.write_str(line)?;
    }
    out.write_str(",\n")?;
    Ok(())
}

/// `name: [ … ],` at depth 1 with every element written by `write` at depth 2.
fn list<'a, W: Write, T: 'a>(
    out: &mut W,
    name: &str,
    items: impl ExactSizeIterator<Item = &'a T>,
    write: fn(&mut W, &T) -> fmt::Result,
) -> fmt::Result {
    out.write_str(INDENT)?;
    out.write_str(name)?;
    if items.len() == 0 {
        return out.write_str(": [],\n");
    }
    out.write_str(": [\n")?;
    for item in items {
        write(out, item)?;
    }
    out.write_str("    ],\n")
}

fn write_node<W: Write>(out: &mut W, node: &Node) -> fmt::Result {
    out.write_str("        (\n            id: ")?;
    string(out, node.id.as_str())?;
    out.write_str(match node.kind {
        NodeKind::Address => ",\n            kind: Address,\n",
        NodeKind::Transaction => ",\n            kind: Transaction,\n",
    })?;
    if let Some(balance) = node.balance {
        writeln!(out, "            balance: Some(\"{balance}\"),")?;
    }
    optional_number(out, "tx_count", node.tx_count)?;
    if let Some(p) = &node.provenance {
        provenance(out, p)?;
    }
    if !node.gaps.is_empty() {
        out.write_str("            gaps: [\n")?;
        for gap in &node.gaps {
            out.write_str("                ")?;
            string(out, gap)?;
            out.write_str(",\n")?;
        }
        out.write_str("            ],\n")?;
    }
    out.write_str("        ),\n")
}

fn write_transfer<W: Write>(out: &mut W, t: &Transfer) -> fmt::Result {
    out.write_str("        (\n            id: ")?;
    string(out, t.id.as_str())?;
    out.write_str(",\n            from: ")?;
    string(out, t.from.as_str())?;
    out.write_str(",\n            to: ")?;
    string(out, t.to.as_str())?;
    out.write_str(",\n")?;
    asset(out, &t.asset)?;
    write!(
        out,
        "            amount: \"{}\",\n            tx_hash: ",
        t.amount
    )?;
    string(out, &t.tx_hash)?;
    out.write_str(",\n")?;
    optional_number(out, "block_height", t.block_height)?;
    optional_number(out, "time", t.time)?;
    if let Some(p) = &t.provenance {
        provenance(out, p)?;
    }
    optional_number(out, "relation_txs", t.relation_txs)?;
    if let Some(memo) = &t.memo {
        out.write_str("            memo: Some(")?;
        string(out, memo)?;
        out.write_str("),\n")?;
    }
    out.write_str("        ),\n")
}

/// A `name: Some(value),` line of a node or transfer, nothing for `None` (as `ron` writes
/// them with `skip_serializing_if`).
fn optional_number<W: Write>(
    out: &mut W,
    name: &str,
    value: Option<impl fmt::Display>,
) -> fmt::Result {
    match value {
        Some(value) => writeln!(out, "            {name}: Some({value}),"),
        None => Ok(()),
    }
}

fn asset<W: Write>(out: &mut W, asset: &Asset) -> fmt::Result {
    match asset.chain {
        Chain::Bitcoin => {
            out.write_str("            asset: (\n                chain: Bitcoin,\n")?
        }
        Chain::Tron => out.write_str("            asset: (\n                chain: Tron,\n")?,
        Chain::Litecoin => {
            out.write_str("            asset: (\n                chain: Litecoin,\n")?
        }
        Chain::BitcoinCash => {
            out.write_str("            asset: (\n                chain: BitcoinCash,\n")?
        }
        Chain::Zcash => out.write_str("            asset: (\n                chain: Zcash,\n")?,
        Chain::Evm { chain_id } => write!(
            out,
            "            asset: (\n                chain: Evm(\n                    chain_id: {chain_id},\n                ),\n"
        )?,
    }
    out.write_str("                symbol: ")?;
    string(out, &asset.symbol)?;
    write!(out, ",\n                decimals: {},\n", asset.decimals)?;
    if let Some(contract) = &asset.contract {
        out.write_str("                contract: Some(")?;
        string(out, contract)?;
        out.write_str("),\n")?;
    }
    out.write_str("            ),\n")
}

fn provenance<W: Write>(out: &mut W, p: &Provenance) -> fmt::Result {
    out.write_str("            provenance: Some((\n                source: ")?;
    string(out, &p.source)?;
    out.write_str(",\n                request: ")?;
    string(out, &p.request)?;
    write!(out, ",\n                fetched_at: {},\n", p.fetched_at)?;
    if let Some(height) = p.block_height {
        writeln!(out, "                block_height: Some({height}),")?;
    }
    out.write_str("            )),\n")
}

/// A string literal as `ron` writes it with escaping on: every character through
/// `char::escape_debug`.
fn string<W: Write>(out: &mut W, text: &str) -> fmt::Result {
    out.write_char('"')?;
    let plain = text
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    if plain {
        out.write_str(text)?;
    } else {
        for c in text.chars().flat_map(char::escape_debug) {
            out.write_char(c)?;
        }
    }
    out.write_char('"')
}

/// A float as `ron` writes it (`Debug`, with a sign before a negative NaN).
fn float<W: Write>(out: &mut W, v: f32) -> fmt::Result {
    if v.is_nan() && v.is_sign_negative() {
        out.write_char('-')?;
    }
    write!(out, "{v:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Category, Cluster, ClusterId, Confidence, NodeId, Note, NoteId, Tag};

    fn both(case: &crate::model::Case) -> (String, String) {
        let file = CaseFileRef::new(case);
        let config = super::super::save::pretty();
        let expected = ron::ser::to_string_pretty(&file, config.clone()).expect("ron writes");
        let mut fast = String::new();
        write_case(&mut fast, &file, &config).expect("fast writes");
        (fast, expected)
    }

    #[test]
    fn same_text_as_ron_for_generated_and_demo_cases() {
        for case in [
            crate::generate::generate_case(400, 3),
            crate::sources::demo::demo_case(),
            crate::model::Case::new("empty", 0),
        ] {
            let (fast, expected) = both(&case);
            assert_eq!(fast, expected);
        }
    }

    #[test]
    fn same_text_as_ron_for_odd_values() {
        let mut case = crate::generate::generate_case(60, 4);
        let ids: Vec<NodeId> = case.nodes.keys().cloned().collect();
        case.meta.title = "Quote \" back\\slash \u{7f} tab\t é ✓ \u{301}".to_owned();
        case.layout.pinned.insert(ids[0].clone());
        case.layout.positions.insert(ids[1].clone(), [-0.0, 1e30]);
        case.layout
            .positions
            .insert(ids[2].clone(), [f32::MIN_POSITIVE, -123.456]);
        if let Some(node) = case.nodes.get_mut(&ids[3]) {
            node.balance = Some(u128::MAX);
            node.tx_count = Some(0);
            node.provenance = Some(Box::new(Provenance {
                source: "src \"x\"".to_owned(),
                request: "line\nbreak".to_owned(),
                fetched_at: -5,
                block_height: None,
            }));
            node.gaps = vec!["cap: \"25,000\" read".to_owned(), "é\nline".to_owned()];
        }
        if let Some(node) = case.nodes.get_mut(&ids[8]) {
            node.gaps = vec![String::new()];
        }
        if let Some(t) = case.transfers.values_mut().next() {
            t.asset = Asset::token(Chain::Evm { chain_id: 56 }, "US\"DT", 6, "0xAbC");
            t.block_height = None;
            t.provenance = Some(Box::new(Provenance {
                source: "s".to_owned(),
                request: String::new(),
                fetched_at: 1,
                block_height: Some(7),
            }));
        }
        if let Some(t) = case.transfers.values_mut().nth(1) {
            t.relation_txs = Some(12);
            t.memo = Some("=:BTC.BTC:bc1q \"quoted\" ü".to_owned());
            t.tx_hash = String::new();
        }
        if let Some(t) = case.transfers.values_mut().nth(2) {
            t.memo = Some("=:BTC.BTC:bc1qxyz".to_owned());
        }
        case.tags.insert(
            ids[4].clone(),
            vec![Tag::new(
                "t\u{0}",
                Category::Custom("c".into()),
                Confidence::Heuristic,
                "",
            )],
        );
        case.clusters.insert(
            ClusterId(3),
            Cluster {
                id: ClusterId(3),
                label: "c".into(),
                category: Category::Mixer,
                confidence: Confidence::Unknown,
                source: String::new(),
                note: "n".into(),
                members: [ids[5].clone(), ids[6].clone()].into(),
            },
        );
        case.annotations.notes.insert(
            NoteId(1),
            Note {
                id: NoteId(1),
                text: "multi\nline".into(),
                anchor: Some(ids[7].clone()),
                position: [1.5, -2.0],
                author: "bob".into(),
                modified: 9,
            },
        );
        case.record("alice", 5, "did \"this\"".to_owned());
        let (fast, expected) = both(&case);
        assert_eq!(fast, expected);
    }
}
