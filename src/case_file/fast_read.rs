//! Reading the bulk of a case file quickly: when a file is exactly as Caseboard wrote it (its
//! content hash verifies), its nodes, transfers and layout are in the one layout
//! `fast_write` produces, and are read here directly, two sections at a time on two threads;
//! the other fields go through `ron` as usual. The reader is strict: anything it does not
//! recognise exactly (an escaped string, a reordered field, a repeated or unsorted id) makes it
//! give up, and the caller parses the whole file with `ron`, which reports any real error with
//! its line and column. Either way the result is the same case.

use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, NodeKind, Transfer, TransferId};
use std::collections::{BTreeMap, BTreeSet};

/// The file split at its top-level fields: the three bulk sections (their values, from the
/// opening bracket to the closing one) and the rest as a smaller RON document.
pub(crate) struct Sections<'a> {
    pub nodes: Option<&'a str>,
    pub transfers: Option<&'a str>,
    pub layout: Option<&'a str>,
    /// `(` + every other field + `)`.
    pub rest: String,
}

/// Splits canonical text at its top-level fields (lines indented by exactly four spaces that
/// start with a field name); `None` if the text does not have that shape.
pub(crate) fn split(text: &str) -> Option<Sections<'_>> {
    let body = text.strip_prefix("(\n")?;
    let body = body
        .strip_suffix(")\n")
        .or_else(|| body.strip_suffix(')'))?;
    let mut sections = Sections {
        nodes: None,
        transfers: None,
        layout: None,
        rest: String::with_capacity(4096),
    };
    sections.rest.push_str("(\n");
    let mut starts = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let b = line.as_bytes();
        if b.len() > 5 && b.starts_with(b"    ") && b[4].is_ascii_lowercase() {
            starts.push(offset);
        }
        offset += line.len();
    }
    if starts.first() != Some(&0) {
        return None;
    }
    starts.push(body.len());
    for pair in starts.windows(2) {
        let field = &body[pair[0]..pair[1]];
        let (name, value) = field[4..].split_once(": ")?;
        let value = value.strip_suffix(",\n")?;
        match name {
            "nodes" => sections.nodes = Some(value),
            "transfers" => sections.transfers = Some(value),
            "layout" => sections.layout = Some(value),
            _ => sections.rest.push_str(field),
        }
    }
    sections.rest.push(')');
    // The writer puts each bulk section on a line of its own; one that is not (joined to the
    // field before it) is not canonical: the whole file goes through `ron`.
    if sections.nodes.is_none() || sections.transfers.is_none() || sections.layout.is_none() {
        return None;
    }
    Some(sections)
}

/// A strict cursor over canonical text.
struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { text, at: 0 }
    }

    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn eat(&mut self, literal: &str) -> Option<()> {
        if self.rest().starts_with(literal) {
            self.at += literal.len();
            Some(())
        } else {
            None
        }
    }

    fn try_eat(&mut self, literal: &str) -> bool {
        self.eat(literal).is_some()
    }

    /// A string literal without escapes.
    fn string(&mut self) -> Option<&'a str> {
        self.eat("\"")?;
        let rest = self.rest();
        let end = rest.find(['"', '\\', '\n'])?;
        if rest.as_bytes()[end] != b'"' {
            return None;
        }
        self.at += end + 1;
        Some(&rest[..end])
    }

    /// The text up to (not including) `stop`, which must follow within the line.
    fn until(&mut self, stop: char) -> Option<&'a str> {
        let rest = self.rest();
        let end = rest.find([stop, '\n'])?;
        if !rest[end..].starts_with(stop) {
            return None;
        }
        self.at += end;
        Some(&rest[..end])
    }

    fn number<T: std::str::FromStr>(&mut self, stop: char) -> Option<T> {
        let digits = self.until(stop)?;
        let plain = !digits.is_empty()
            && digits
                .bytes()
                .enumerate()
                .all(|(i, b)| b.is_ascii_digit() || (i == 0 && b == b'-'));
        if !plain {
            return None;
        }
        digits.parse().ok()
    }

    /// `indent name: Some(<number>),\n` if present.
    fn optional_number<T: std::str::FromStr>(
        &mut self,
        indent: &str,
        name: &str,
    ) -> Option<Option<T>> {
        let prefix_len = indent.len() + name.len() + ": Some(".len();
        let rest = self.rest();
        let present = rest.len() > prefix_len
            && rest.starts_with(indent)
            && rest[indent.len()..].starts_with(name)
            && rest[indent.len() + name.len()..].starts_with(": Some(");
        if !present {
            return Some(None);
        }
        self.at += prefix_len;
        let value = self.number(')')?;
        self.eat("),\n")?;
        Some(Some(value))
    }

    fn done(&self) -> bool {
        self.at == self.text.len()
    }
}

/// Reads a list section (`[]` or `[\n … ]`) of elements read by `item`; keys must be
/// strictly increasing (as written from a map).
fn list<T, K: Ord>(
    text: &str,
    item: impl Fn(&mut Cursor<'_>) -> Option<T>,
    key: impl Fn(&T) -> &K,
) -> Option<Vec<T>> {
    if text == "[]" {
        return Some(Vec::new());
    }
    let mut c = Cursor::new(text);
    c.eat("[\n")?;
    let items = items_until(&mut c, |c| c.try_eat("    ]"), &item, &key)?;
    c.done().then_some(items)
}

/// Items read by `item` until `end` says the list is over; keys strictly increasing.
fn items_until<'a, T, K: Ord>(
    c: &mut Cursor<'a>,
    mut end: impl FnMut(&mut Cursor<'a>) -> bool,
    item: &impl Fn(&mut Cursor<'_>) -> Option<T>,
    key: &impl Fn(&T) -> &K,
) -> Option<Vec<T>> {
    let mut items: Vec<T> = Vec::with_capacity(c.rest().len() / 200);
    while !end(c) {
        let value = item(c)?;
        if let Some(last) = items.last()
            && key(last) >= key(&value)
        {
            return None;
        }
        items.push(value);
    }
    Some(items)
}

/// Sections at least this long are read on two threads by [`list_halves`].
const HALVES_MIN_BYTES: usize = 1 << 20;

/// What ends every item of a list section, and so where its second half can start.
const ITEM_END: &[u8] = b"\n        ),\n";

/// [`list`] on two threads: the items are split at the first item end after the middle and
/// each half is read on its own thread, then joined (keys still strictly increasing across
/// the seam). The reader's strings never hold a line break, so an item end inside one cannot
/// mislead the split: a half that does not read whole sends the file to `ron`, as always.
fn list_halves<T: Send, K: Ord>(
    text: &str,
    item: impl Fn(&mut Cursor<'_>) -> Option<T> + Sync,
    key: impl Fn(&T) -> &K + Sync,
) -> Option<Vec<T>> {
    let items_text = text
        .strip_prefix("[\n")
        .and_then(|t| t.strip_suffix("    ]"));
    let Some(items_text) = items_text.filter(|t| t.len() >= HALVES_MIN_BYTES) else {
        return list(text, item, key);
    };
    let bytes = items_text.as_bytes();
    let middle = bytes.len() / 2;
    let seam = middle
        + bytes[middle..]
            .windows(ITEM_END.len())
            .position(|w| w == ITEM_END)?
        + ITEM_END.len();
    // The seam follows a line break, so both halves are whole text; `get` checks anyway.
    let (first, second) = (items_text.get(..seam)?, items_text.get(seam..)?);
    let read_half = |half: &str| items_until(&mut Cursor::new(half), |c| c.done(), &item, &key);
    let (mut items, rest) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_half(second));
        let first = read_half(first);
        (first, second.join().ok().flatten())
    });
    let (items, rest) = (items.as_mut()?, rest?);
    if let (Some(last), Some(next)) = (items.last(), rest.first())
        && key(last) >= key(next)
    {
        return None;
    }
    items.extend(rest);
    Some(std::mem::take(items))
}

/// The nodes section.
pub(crate) fn nodes(text: &str) -> Option<BTreeMap<NodeId, Node>> {
    // Read as (key, value) pairs: the map is then built from this very list (collected in
    // place, already in order), not from a second copy of every node.
    let items = list(
        text,
        |c| node(c).map(|n| (n.id.clone(), n)),
        |(id, _): &(NodeId, Node)| id,
    )?;
    Some(BTreeMap::from_iter(items))
}

fn node(c: &mut Cursor<'_>) -> Option<Node> {
    c.eat("        (\n            id: ")?;
    let id = NodeId::unchecked(c.string()?);
    c.eat(",\n            kind: ")?;
    let kind = if c.try_eat("Address,\n") {
        NodeKind::Address
    } else {
        c.eat("Transaction,\n")?;
        NodeKind::Transaction
    };
    let balance = if c.try_eat("            balance: Some(\"") {
        let value = c.number('"')?;
        c.eat("\"),\n")?;
        Some(value)
    } else {
        None
    };
    let tx_count = c.optional_number("            ", "tx_count")?;
    let provenance = provenance(c)?;
    let mut gaps = Vec::new();
    if c.try_eat("            gaps: [\n") {
        while !c.try_eat("            ],\n") {
            c.eat("                ")?;
            gaps.push(c.string()?.to_owned());
            c.eat(",\n")?;
        }
    }
    c.eat("        ),\n")?;
    Some(Node {
        id,
        kind,
        balance,
        tx_count,
        provenance: provenance.map(Box::new),
        gaps,
    })
}

fn provenance(c: &mut Cursor<'_>) -> Option<Option<Provenance>> {
    if !c.try_eat("            provenance: Some((\n                source: ") {
        return Some(None);
    }
    let source = c.string()?.to_owned();
    c.eat(",\n                request: ")?;
    let request = c.string()?.to_owned();
    c.eat(",\n                fetched_at: ")?;
    let fetched_at = c.number(',')?;
    c.eat(",\n")?;
    let block_height = c.optional_number("                ", "block_height")?;
    c.eat("            )),\n")?;
    Some(Some(Provenance {
        source,
        request,
        fetched_at,
        block_height,
    }))
}

/// The id `text`, sharing the text of the node of that id when there is one.
/// The nodes' ids by their text, so every mention of a node shares its id's text: one hash
/// per mention instead of a search of the node map (a big case mentions its nodes a million
/// times).
pub(crate) struct NodeTexts<'n>(crate::util::FastMap<&'n str, &'n NodeId>);

impl<'n> NodeTexts<'n> {
    /// The ids of `nodes`.
    pub(crate) fn new(nodes: &'n BTreeMap<NodeId, Node>) -> NodeTexts<'n> {
        NodeTexts(nodes.keys().map(|id| (id.as_str(), id)).collect())
    }

    /// The node's own id if `text` names a node, else a new id (checked later like any).
    fn shared(&self, text: &str) -> NodeId {
        self.0
            .get(text)
            .map_or_else(|| NodeId::unchecked(text), |id| (*id).clone())
    }
}

/// The transfers section; ends that name a node in `nodes` share its id's text.
pub(crate) fn transfers(
    text: &str,
    nodes: &NodeTexts<'_>,
) -> Option<BTreeMap<TransferId, Transfer>> {
    // As for the nodes: (key, value) pairs, so the map is built from this list without a copy.
    let items = list_halves(
        text,
        |c| transfer(c, nodes).map(|t| (t.id.clone(), t)),
        |(id, _): &(TransferId, Transfer)| id,
    )?;
    Some(BTreeMap::from_iter(items))
}

fn transfer(c: &mut Cursor<'_>, nodes: &NodeTexts<'_>) -> Option<Transfer> {
    c.eat("        (\n            id: ")?;
    let id = TransferId::from(c.string()?);
    c.eat(",\n            from: ")?;
    let from = nodes.shared(c.string()?);
    c.eat(",\n            to: ")?;
    let to = nodes.shared(c.string()?);
    c.eat(",\n            asset: (\n                chain: ")?;
    let chain = if c.try_eat("Bitcoin,\n") {
        Chain::Bitcoin
    } else if c.try_eat("Tron,\n") {
        Chain::Tron
    } else if c.try_eat("Litecoin,\n") {
        Chain::Litecoin
    } else if c.try_eat("BitcoinCash,\n") {
        Chain::BitcoinCash
    } else if c.try_eat("Zcash,\n") {
        Chain::Zcash
    } else {
        c.eat("Evm(\n                    chain_id: ")?;
        let chain_id = c.number(',')?;
        c.eat(",\n                ),\n")?;
        Chain::Evm { chain_id }
    };
    c.eat("                symbol: ")?;
    let symbol = c.string()?.to_owned();
    c.eat(",\n                decimals: ")?;
    let decimals = c.number(',')?;
    c.eat(",\n")?;
    let contract = if c.try_eat("                contract: Some(") {
        let contract = c.string()?.to_owned();
        c.eat("),\n")?;
        Some(contract)
    } else {
        None
    };
    c.eat("            ),\n            amount: \"")?;
    let amount = c.number('"')?;
    c.eat("\",\n            tx_hash: ")?;
    let tx_hash = c.string()?.to_owned();
    c.eat(",\n")?;
    let block_height = c.optional_number("            ", "block_height")?;
    let time = c.optional_number("            ", "time")?;
    let provenance = provenance(c)?;
    let relation_txs = c.optional_number("            ", "relation_txs")?;
    let memo = if c.try_eat("            memo: Some(") {
        let memo = c.string()?.to_owned();
        c.eat("),\n")?;
        Some(memo)
    } else {
        None
    };
    c.eat("        ),\n")?;
    Some(Transfer {
        id,
        from,
        to,
        asset: Asset {
            chain,
            symbol,
            decimals,
            contract,
        },
        amount,
        tx_hash,
        block_height,
        time,
        provenance: provenance.map(Box::new),
        relation_txs,
        memo,
    })
}

/// The layout section: positions and pinned nodes.
pub(crate) type Layout = (BTreeMap<NodeId, [f32; 2]>, BTreeSet<NodeId>);

/// The layout section; ids of nodes in `nodes` share their text.
pub(crate) fn layout(text: &str, nodes: &NodeTexts<'_>) -> Option<Layout> {
    let mut c = Cursor::new(text);
    c.eat("(\n        positions: ")?;
    let mut positions: Vec<(NodeId, [f32; 2])> = Vec::with_capacity(text.len() / 100);
    if !c.try_eat("{},\n") {
        c.eat("{\n")?;
        while !c.try_eat("        },\n") {
            c.eat("            ")?;
            let id = nodes.shared(c.string()?);
            c.eat(": (")?;
            let x = float(c.until(',')?)?;
            c.eat(", ")?;
            let y = float(c.until(')')?)?;
            c.eat("),\n")?;
            if positions.last().is_some_and(|(last, _)| *last >= id) {
                return None;
            }
            positions.push((id, [x, y]));
        }
    }
    c.eat("        pinned: ")?;
    let mut pinned: Vec<NodeId> = Vec::new();
    if !c.try_eat("[],\n") {
        c.eat("[\n")?;
        while !c.try_eat("        ],\n") {
            c.eat("            ")?;
            let id = nodes.shared(c.string()?);
            c.eat(",\n")?;
            if pinned.last().is_some_and(|last| *last >= id) {
                return None;
            }
            pinned.push(id);
        }
    }
    c.eat("    )")?;
    c.done().then(|| {
        (
            positions.into_iter().collect(),
            pinned.into_iter().collect(),
        )
    })
}

/// A float as `ron` writes it (finite, no suffix).
fn float(text: &str) -> Option<f32> {
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'e' | b'E'));
    if !plain {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
#[path = "fast_read_tests.rs"]
mod tests;
