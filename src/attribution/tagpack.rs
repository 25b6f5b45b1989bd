//! GraphSense TagPacks: import (with every error positioned) and export of the case's own tags.
//!
//! A TagPack is a YAML mapping: header fields (`title`, `creator`, `description`, `is_public`
//! …) and `tags`, a list of mappings. Any tag field written in the header (`label`, `source`,
//! `currency`, `network`, `confidence`, `category`, `abuse`, `actor`, `concepts`, `lastmod`,
//! `context`, `is_cluster_definer` …) is inherited by every tag that doesn't set it. Each tag
//! needs an `address` or a `tx_hash` (not both), a `label` and a `currency` or `network`;
//! `network` defaults to the tag's own `currency`, then to the header's network or currency.
//! `confidence` must be a GraphSense name (absent: `unknown`); `lastmod` a date. Addresses on
//! Bitcoin and EVM networks are validated (checksums included); tags on networks Caseboard
//! can't read are counted in [`AttributionPack::unsupported`], EVM transaction tags in
//! [`AttributionPack::tx_tags`]; Bitcoin transaction tags tag `btc-tx:` nodes. Unknown fields,
//! duplicate fields and empty values are errors, as in GraphSense's own validator.
//!
//! Structural errors (unknown or duplicate fields, missing or malformed values, a document that
//! is no TagPack) are all collected (header errors once, not once per tag, at most
//! [`MAX_ERRORS`](super::error::MAX_ERRORS)) and the pack is rejected whole. A tag whose
//! address or transaction hash is not valid on its network (a Tron address tagged BTC, a bad
//! checksum) is skipped and listed in [`AttributionPack::skipped`], as GraphSense's own
//! validator only warns about it; duplicate tags count once ([`AttributionPack::duplicates`]).
//! Tags are checked on several threads when there are many; the result is the same.
//!
//! Export writes the investigator's own tags so that GraphSense's validator accepts them
//! (categories mapped by [`taxonomy::graphsense_terms`]). What GraphSense has no field for (a
//! note, the author, a custom category) travels in the tag's `context` JSON under a
//! `caseboard` key, written only when importing the GraphSense fields alone would not give the
//! tag back; so `import(export(tags))` is the identity.

use super::error::{ErrorList, PackError, PackErrors};
use super::network::{self, Network};
use super::pack::{
    AttributionPack, PackEntry, PackInfo, SkippedTag, id_from_origin, quote_capped,
    remove_duplicates,
};
use super::taxonomy;
use super::yaml::{self, Entry, Node};
use crate::model::address::{parse_bitcoin_address, parse_ethereum_address, to_eip55};
use crate::model::{Case, Category, Chain, Confidence, NodeId, Tag};

/// Fields only the header has.
const HEADER_FIELDS: [&str; 6] = [
    "title",
    "creator",
    "description",
    "owner",
    "is_public",
    "tags",
];

/// Fields of a tag (also allowed in the header, as defaults).
const TAG_FIELDS: [&str; 15] = [
    "label",
    "source",
    "currency",
    "network",
    "context",
    "confidence",
    "is_cluster_definer",
    "lastmod",
    "category",
    "abuse",
    "address",
    "tx_hash",
    "actor",
    "concepts",
    "tag_type",
];

/// Tags checked per thread before it is worth starting threads.
const PARALLEL_THRESHOLD: usize = 50_000;

/// A field of one mapping: absent, present but wrong (already reported), or its value and line.
#[derive(Debug, Clone, Copy, Default)]
enum Slot<T> {
    #[default]
    Absent,
    Bad,
    Set(T, usize),
}

impl<T: Copy> Slot<T> {
    /// This mapping's value, else the header's.
    fn or(self, header: Slot<T>) -> Slot<T> {
        match self {
            Slot::Absent => header,
            other => other,
        }
    }

    fn value(self) -> Option<T> {
        match self {
            Slot::Set(value, _) => Some(value),
            _ => None,
        }
    }

    fn line(self) -> Option<usize> {
        match self {
            Slot::Set(_, line) => Some(line),
            _ => None,
        }
    }
}

/// The tag fields of one mapping (a tag, or the header's defaults).
#[derive(Debug, Clone, Copy, Default)]
struct Fields<'t, 'a> {
    label: Slot<&'t str>,
    source: Slot<&'t str>,
    currency: Slot<&'t str>,
    network: Slot<&'t str>,
    category: Slot<&'t str>,
    abuse: Slot<&'t str>,
    actor: Slot<&'t str>,
    address: Slot<&'t str>,
    tx_hash: Slot<&'t str>,
    confidence: Slot<Confidence>,
    lastmod: Slot<i64>,
    concepts: Slot<&'t [Node<'a>]>,
    context: Slot<&'t Node<'a>>,
}

/// Where in the pack: the header or a tag.
#[derive(Debug, Clone, Copy)]
enum At {
    Header,
    Tag(usize),
}

impl At {
    fn field(self, field: &str) -> String {
        match self {
            At::Header => format!("header.{field}"),
            At::Tag(i) => format!("tags[{i}].{field}"),
        }
    }

    fn whole(self) -> String {
        match self {
            At::Header => "header".to_owned(),
            At::Tag(i) => format!("tags[{i}]"),
        }
    }
}

/// A scalar's text, or why it isn't one.
fn scalar_text<'t>(node: &'t Node<'_>, allow_blank: bool) -> Result<&'t str, String> {
    if node.is_null() {
        return Err("empty value (null)".to_owned());
    }
    match node {
        Node::Scalar { text, .. } => {
            if text.contains('\0') {
                Err("contains a NUL character".to_owned())
            } else if !allow_blank && text.trim().is_empty() {
                Err("empty text".to_owned())
            } else {
                Ok(text)
            }
        }
        other => Err(format!("must be text, not {}", other.kind())),
    }
}

/// A YAML boolean, or why it isn't one.
fn boolean(node: &Node<'_>) -> Result<bool, String> {
    match node {
        Node::Scalar {
            text, plain: true, ..
        } => match text.as_ref() {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            _ => Err(format!("must be true or false, not {text:?}")),
        },
        other => Err(format!("must be true or false, not {}", other.kind())),
    }
}

fn confidence_names() -> String {
    Confidence::ALL
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the tag fields of a mapping. Header-only fields are left to the caller (they are
/// errors in a tag); unknown and duplicate fields are reported.
fn read_fields<'t, 'a>(
    entries: &'t [Entry<'a>],
    at: At,
    errors: &mut Vec<PackError>,
) -> Fields<'t, 'a> {
    let mut fields = Fields::default();
    // Fields seen so far, as bits of their index in TAG_FIELDS then HEADER_FIELDS; unknown
    // keys in a set (made on the first one), so duplicates are found in linear time.
    let mut seen = 0u32;
    let mut unknown_seen: Option<std::collections::HashSet<&str>> = None;
    for entry in entries {
        let key = entry.key.as_ref();
        let line = Some(entry.line);
        let known = TAG_FIELDS
            .iter()
            .chain(HEADER_FIELDS.iter())
            .position(|f| *f == key);
        let duplicate = match known {
            Some(bit) => {
                let was = seen & 1 << bit != 0;
                seen |= 1 << bit;
                was
            }
            None => !unknown_seen
                .get_or_insert_with(Default::default)
                .insert(key),
        };
        if duplicate {
            errors.add(PackError::new(at.field(key), line, "duplicate field"));
            continue;
        }
        let node = &entry.value;
        let mut fail = |message: String| errors.add(PackError::new(at.field(key), line, message));
        macro_rules! text_field {
            ($slot:ident) => {
                fields.$slot = match scalar_text(node, false) {
                    Ok(value) => Slot::Set(value, entry.line),
                    Err(message) => {
                        fail(message);
                        Slot::Bad
                    }
                }
            };
        }
        match key {
            "label" => text_field!(label),
            "source" => text_field!(source),
            "currency" => text_field!(currency),
            "network" => text_field!(network),
            "category" => text_field!(category),
            "abuse" => text_field!(abuse),
            "actor" => text_field!(actor),
            "address" => text_field!(address),
            "tx_hash" => text_field!(tx_hash),
            "tag_type" => {
                if let Err(message) = scalar_text(node, false) {
                    fail(message);
                }
            }
            "is_cluster_definer" => {
                if let Err(message) = boolean(node) {
                    fail(message);
                }
            }
            "confidence" => {
                fields.confidence = match scalar_text(node, false) {
                    Ok(name) => match taxonomy::confidence_from_graphsense(name) {
                        Some(confidence) => Slot::Set(confidence, entry.line),
                        None => {
                            fail(format!(
                                "unknown confidence {name:?} (expected one of: {})",
                                confidence_names()
                            ));
                            Slot::Bad
                        }
                    },
                    Err(message) => {
                        fail(message);
                        Slot::Bad
                    }
                }
            }
            "lastmod" => {
                fields.lastmod = match scalar_text(node, false) {
                    Ok(value) => match network::parse_date(value) {
                        Some(secs) => Slot::Set(secs, entry.line),
                        None => {
                            fail(format!(
                                "{value:?} is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"
                            ));
                            Slot::Bad
                        }
                    },
                    Err(message) => {
                        fail(message);
                        Slot::Bad
                    }
                }
            }
            "concepts" => {
                fields.concepts = match node {
                    Node::Seq { items, .. } => {
                        let bad: Vec<String> = items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, item)| {
                                scalar_text(item, false)
                                    .err()
                                    .map(|m| format!("item {i}: {m}"))
                            })
                            .collect();
                        if bad.is_empty() {
                            Slot::Set(items.as_slice(), entry.line)
                        } else {
                            fail(bad.join("; "));
                            Slot::Bad
                        }
                    }
                    other => {
                        fail(format!(
                            "must be a list (e.g. [service_hack, money_laundering]), not {}",
                            other.kind()
                        ));
                        Slot::Bad
                    }
                }
            }
            "context" => {
                fields.context = match node {
                    Node::Map { .. } => Slot::Set(node, entry.line),
                    _ => match scalar_text(node, true) {
                        Ok(_) => Slot::Set(node, entry.line),
                        Err(message) => {
                            fail(message);
                            Slot::Bad
                        }
                    },
                }
            }
            _ if HEADER_FIELDS.contains(&key) => {
                if matches!(at, At::Tag(_)) {
                    fail(format!("{key} is a header field, not a tag field"));
                }
            }
            _ => fail(format!(
                "unknown field (a tag has {}; the header also {})",
                TAG_FIELDS.join(", "),
                HEADER_FIELDS.join(", ")
            )),
        }
    }
    fields
}

/// The values a tag is built from once inheritance is resolved.
struct TagInput<'t> {
    label: &'t str,
    source: &'t str,
    confidence: Confidence,
    category: Option<&'t str>,
    abuse: Option<&'t str>,
    actor: Option<&'t str>,
    concepts: Vec<&'t str>,
    created: i64,
    author: &'t str,
    pack: Option<&'t str>,
}

/// A tag from GraphSense fields (the context is applied afterwards).
fn build_tag(input: &TagInput<'_>) -> Tag {
    let concepts: Vec<String> = input.concepts.iter().map(|c| c.trim().to_owned()).collect();
    let category =
        taxonomy::category_from_graphsense(input.category, input.abuse, input.actor, &concepts);
    Tag {
        label: input.label.trim().to_owned(),
        category,
        confidence: input.confidence,
        source: input.source.trim().to_owned(),
        author: input.author.to_owned(),
        created: input.created,
        note: String::new(),
        pack: input.pack.map(str::to_owned),
        actor: input.actor.map(|a| a.trim().to_owned()),
        abuse: input.abuse.map(|a| a.trim().to_owned()),
        concepts,
    }
}

/// A YAML value as JSON (scalars as strings), for `context` written as a mapping.
fn to_json(node: &Node<'_>) -> serde_json::Value {
    match node {
        _ if node.is_null() => serde_json::Value::Null,
        Node::Scalar { text, .. } => serde_json::Value::String(text.to_string()),
        Node::Seq { items, .. } => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Node::Map { entries, .. } => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), to_json(&e.value)))
                .collect(),
        ),
    }
}

/// Applies a tag's `context`: its contents become the note (`key: value; …`), and a
/// `caseboard` object restores what an export could not say in GraphSense fields.
fn apply_context(tag: &mut Tag, context: &Node<'_>) -> Result<(), String> {
    let value = match context {
        Node::Scalar { text, .. } => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value @ serde_json::Value::Object(_)) => value,
            _ => {
                tag.note = text.trim().to_owned();
                return Ok(());
            }
        },
        other => to_json(other),
    };
    let serde_json::Value::Object(mut object) = value else {
        tag.note = value.to_string();
        return Ok(());
    };
    let overrides = object.remove("caseboard");
    tag.note = object
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let Some(overrides) = overrides else {
        return Ok(());
    };
    let serde_json::Value::Object(overrides) = overrides else {
        return Err("caseboard must be an object".to_owned());
    };
    for (key, value) in overrides {
        let string = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("caseboard.{key} must be a string"))
        };
        let optional = || match &value {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) => Ok(Some(s.clone())),
            _ => Err(format!("caseboard.{key} must be a string or null")),
        };
        match key.as_str() {
            "label" => tag.label = string()?,
            "source" => tag.source = string()?,
            "note" => tag.note = string()?,
            "author" => tag.author = string()?,
            "category" => {
                tag.category = Category::from_name(&string()?)
                    .ok_or_else(|| "caseboard.category must not be empty".to_owned())?;
            }
            "created" => {
                tag.created = value
                    .as_i64()
                    .ok_or_else(|| "caseboard.created must be a whole number".to_owned())?;
            }
            "actor" => tag.actor = optional()?,
            "abuse" => tag.abuse = optional()?,
            "concepts" => {
                tag.concepts = value
                    .as_array()
                    .and_then(|items| {
                        items
                            .iter()
                            .map(|c| c.as_str().map(str::to_owned))
                            .collect()
                    })
                    .ok_or_else(|| "caseboard.concepts must be a list of strings".to_owned())?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Header values every tag needs.
struct Context<'t, 'a> {
    header: Fields<'t, 'a>,
    id: &'t str,
    creator: &'t str,
}

/// The result of checking a run of tags.
#[derive(Default)]
struct Batch {
    entries: Vec<PackEntry>,
    errors: Vec<PackError>,
    unsupported: usize,
    tx_tags: usize,
    skipped: Vec<SkippedTag>,
}

impl Context<'_, '_> {
    fn check(&self, offset: usize, tags: &[Node<'_>]) -> Batch {
        let mut batch = Batch {
            entries: Vec::with_capacity(tags.len()),
            ..Batch::default()
        };
        for (i, tag) in tags.iter().enumerate() {
            self.check_tag(At::Tag(offset + i), tag, &mut batch);
        }
        batch
    }

    fn check_tag(&self, at: At, node: &Node<'_>, batch: &mut Batch) {
        let errors = &mut batch.errors;
        let Node::Map { entries, line } = node else {
            errors.add(PackError::new(
                at.whole(),
                Some(node.line()),
                format!("a tag must be a mapping of fields, not {}", node.kind()),
            ));
            return;
        };
        let before = errors.len();
        let own = read_fields(entries, at, errors);
        let h = &self.header;
        let address = own.address.or(h.address);
        let tx_hash = own.tx_hash.or(h.tx_hash);
        let label = own.label.or(h.label);
        // GraphSense: a tag's network defaults to its own currency, then to the header's.
        let network = match (own.network, own.currency) {
            (Slot::Absent, Slot::Absent) => h.network.or(h.currency),
            (Slot::Absent, currency) => currency,
            (network, _) => network,
        };
        let mut missing = |field: &str, message: &str| {
            errors.add(PackError::new(at.field(field), Some(*line), message));
        };
        if let (Slot::Set(..), Slot::Set(..)) = (address, tx_hash) {
            missing(
                "tx_hash",
                "address and tx_hash exclude each other: a tag has one of them",
            );
        }
        if matches!((address, tx_hash), (Slot::Absent, Slot::Absent)) {
            missing("address", "missing: a tag needs an address (or a tx_hash)");
        }
        if matches!(label, Slot::Absent) {
            missing("label", "missing: set a label on the tag or in the header");
        }
        if matches!(network, Slot::Absent) {
            missing(
                "currency",
                "missing: set currency (or network) on the tag or in the header",
            );
        }
        if errors.len() > before {
            return;
        }
        let (Some(label), Some(network_name)) = (label.value(), network.value()) else {
            return;
        };
        let subject = address.value().or(tx_hash.value()).unwrap_or_default();
        let chain = match network::resolve(network_name, subject) {
            Network::Chain(chain) => chain,
            Network::Unsupported | Network::Unknown => {
                batch.unsupported += 1;
                return;
            }
        };
        let node_id = if let Some(address) = address.value() {
            let parsed = match chain {
                Chain::Bitcoin => parse_bitcoin_address(address),
                Chain::Evm { .. } => parse_ethereum_address(address),
            };
            match parsed {
                Ok(parsed) => NodeId::address(chain, &parsed),
                Err(error) => {
                    batch.skipped.push(SkippedTag {
                        position: at.field("address"),
                        line: address_line(own.address, h.address),
                        address: quote_capped(address),
                        reason: format!("{error} (on {chain})"),
                    });
                    return;
                }
            }
        } else {
            let hash = tx_hash.value().unwrap_or_default().trim();
            let line = tx_hash.line();
            match chain {
                Chain::Bitcoin => match NodeId::transaction(chain, hash) {
                    Ok(id) => id,
                    Err(error) => {
                        batch.skipped.push(SkippedTag {
                            position: at.field("tx_hash"),
                            line,
                            address: quote_capped(hash),
                            reason: format!("{error} (transaction hash on {chain})"),
                        });
                        return;
                    }
                },
                Chain::Evm { .. } => {
                    let hex = hash.strip_prefix("0x").unwrap_or(hash);
                    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        batch.tx_tags += 1;
                    } else {
                        batch.skipped.push(SkippedTag {
                            position: at.field("tx_hash"),
                            line,
                            address: quote_capped(hash),
                            reason: format!(
                                "transaction hash is not 0x followed by 64 hex digits (on {chain})"
                            ),
                        });
                    }
                    return;
                }
            }
        };
        let concepts: Vec<&str> = own
            .concepts
            .or(h.concepts)
            .value()
            .unwrap_or_default()
            .iter()
            .filter_map(|item| match item {
                Node::Scalar { text, .. } => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        let mut tag = build_tag(&TagInput {
            label,
            source: own.source.or(h.source).value().unwrap_or_default(),
            confidence: own
                .confidence
                .or(h.confidence)
                .value()
                .unwrap_or(Confidence::Unknown),
            category: own.category.or(h.category).value(),
            abuse: own.abuse.or(h.abuse).value(),
            actor: own.actor.or(h.actor).value(),
            concepts,
            created: own.lastmod.or(h.lastmod).value().unwrap_or(0),
            author: self.creator,
            pack: Some(self.id),
        });
        let context = own.context.or(h.context);
        if let Some(context) = context.value()
            && let Err(message) = apply_context(&mut tag, context)
        {
            errors.add(PackError::new(
                at.field("context"),
                Some(context.line()),
                message,
            ));
            return;
        }
        batch.entries.push(PackEntry { node: node_id, tag });
    }
}

/// The line of the address a tag uses (its own or the header's).
fn address_line(own: Slot<&str>, header: Slot<&str>) -> Option<usize> {
    own.line().or(header.line())
}

/// The licence named in the comment lines at the top of a file (`# licence: …`).
pub(crate) fn licence_comment(text: &str) -> String {
    for line in text.trim_start_matches('\u{feff}').lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim();
        for prefix in [
            "licence:", "license:", "Licence:", "License:", "LICENCE:", "LICENSE:",
        ] {
            if let Some(value) = comment.strip_prefix(prefix) {
                return value.trim().to_owned();
            }
        }
    }
    String::new()
}

/// Parses a GraphSense TagPack. `origin` (a file name or path) names the pack in errors and
/// gives it its id. Every structural error is reported and nothing partial is returned; tags
/// with an invalid address are skipped and listed in the pack.
pub fn parse_tagpack_yaml(text: &str, origin: &str) -> Result<AttributionPack, PackErrors> {
    let reject = |errors: Vec<PackError>| PackErrors {
        origin: origin.to_owned(),
        errors,
    };
    let doc = yaml::parse(text).map_err(|e| {
        reject(vec![PackError::new(
            "yaml",
            e.line,
            format!("not valid YAML: {}", e.message),
        )])
    })?;
    let Node::Map { entries: top, .. } = &doc else {
        return Err(reject(vec![PackError::new(
            "yaml",
            Some(doc.line()),
            format!(
                "a TagPack is a YAML mapping with title, creator and tags; this file holds {}",
                doc.kind()
            ),
        )]));
    };
    let mut errors = Vec::new();

    // GraphSense also accepts the header fields nested under `header:`.
    let mut header_entries: Vec<Entry<'_>> = Vec::with_capacity(top.len());
    for entry in top {
        match (&*entry.key, &entry.value) {
            ("header", Node::Map { entries, .. }) => header_entries.extend(entries.iter().cloned()),
            _ => header_entries.push(entry.clone_shallow()),
        }
    }
    let header = read_fields(&header_entries, At::Header, &mut errors);
    let mut title = None;
    let mut creator = None;
    let mut description = String::new();
    let mut tags: Option<&[Node<'_>]> = None;
    for entry in &header_entries {
        let line = Some(entry.line);
        let node = &entry.value;
        let mut fail = |message: String| {
            errors.add(PackError::new(At::Header.field(&entry.key), line, message))
        };
        match &*entry.key {
            "title" => match scalar_text(node, false) {
                Ok(value) => title = Some(value.trim().to_owned()),
                Err(message) => fail(message),
            },
            "creator" => match scalar_text(node, false) {
                Ok(value) => creator = Some(value.trim().to_owned()),
                Err(message) => fail(message),
            },
            "description" => match scalar_text(node, true) {
                Ok(value) => description = value.trim().to_owned(),
                Err(message) => fail(message),
            },
            "owner" => {
                if let Err(message) = scalar_text(node, true) {
                    fail(message);
                }
            }
            "is_public" => {
                if let Err(message) = boolean(node) {
                    fail(message);
                }
            }
            _ => {}
        }
    }
    // `tags` is looked up in the original entries (it holds the big list: no clone).
    for entry in top.iter().filter(|e| e.key == "tags") {
        match &entry.value {
            Node::Seq { items, .. } => tags = Some(items),
            other => errors.add(PackError::new(
                "tags",
                Some(entry.line),
                format!("must be a list of tags, not {}", other.kind()),
            )),
        }
    }
    let tags_missing = !top.iter().any(|e| e.key == "tags");
    for (field, value) in [("title", &title), ("creator", &creator)] {
        if value.is_none() && !header_entries.iter().any(|e| e.key == field) {
            errors.add(PackError::new(
                At::Header.field(field),
                None,
                "missing: a TagPack needs a title and a creator",
            ));
        }
    }
    if tags_missing {
        errors.add(PackError::new(
            "tags",
            None,
            "missing: a TagPack lists its tags under tags:",
        ));
    }

    let id = id_from_origin(origin);
    let creator_text = creator.clone().unwrap_or_default();
    let context = Context {
        header,
        id: &id,
        creator: &creator_text,
    };
    let tags = tags.unwrap_or_default();
    let mut batch = check_all(&context, tags);
    errors.extend(batch.errors);
    if !errors.is_empty() && !batch.skipped.is_empty() {
        // Refused anyway: list the invalid addresses too, in file order, so one pass fixes it.
        errors.extend(batch.skipped.iter().map(SkippedTag::to_error));
        errors.sort_by_key(|e| tag_order(&e.position));
    }
    errors.settle();
    if !errors.is_empty() {
        return Err(reject(errors));
    }
    let duplicates = remove_duplicates(&mut batch.entries);
    let source = header
        .source
        .value()
        .map_or_else(|| origin.to_owned(), |s| s.trim().to_owned());
    Ok(AttributionPack {
        info: PackInfo {
            id: id.clone(),
            title: title.unwrap_or_default(),
            creator: creator_text,
            source,
            date: header
                .lastmod
                .value()
                .map(network::date_only)
                .unwrap_or_default(),
            licence: licence_comment(text),
            description,
            bundled: false,
        },
        entries: batch.entries,
        unsupported: batch.unsupported,
        tx_tags: batch.tx_tags,
        skipped: batch.skipped,
        duplicates,
    })
}

/// Sort key of an error: those outside the tags first (in their order), then by tag.
fn tag_order(position: &str) -> (u8, usize) {
    position
        .strip_prefix("tags[")
        .and_then(|rest| rest.split_once(']'))
        .and_then(|(n, _)| n.parse().ok())
        .map_or((0, 0), |n| (1, n))
}

/// Checks every tag, on several threads when there are many.
fn check_all(context: &Context<'_, '_>, tags: &[Node<'_>]) -> Batch {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if tags.len() < PARALLEL_THRESHOLD || threads < 2 {
        return context.check(0, tags);
    }
    let chunk = tags.len().div_ceil(threads);
    let batches: Vec<Option<Batch>> = std::thread::scope(|scope| {
        let handles: Vec<_> = tags
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| scope.spawn(move || context.check(n * chunk, part)))
            .collect();
        handles.into_iter().map(|h| h.join().ok()).collect()
    });
    // The first run's entries grow in place (a large vector grows without copying); the
    // others are appended.
    let mut all = Batch::default();
    for batch in batches {
        match batch {
            Some(batch) if all.entries.is_empty() => {
                let rest = tags.len().saturating_sub(batch.entries.len());
                all.entries = batch.entries;
                all.entries.reserve(rest);
                all.errors.extend(batch.errors);
                all.unsupported += batch.unsupported;
                all.tx_tags += batch.tx_tags;
                all.skipped.extend(batch.skipped);
            }
            Some(batch) => {
                all.entries.extend(batch.entries);
                all.errors.extend(batch.errors);
                all.unsupported += batch.unsupported;
                all.tx_tags += batch.tx_tags;
                all.skipped.extend(batch.skipped);
            }
            None => all.errors.push(PackError::new(
                "tags",
                None,
                "internal error while checking tags",
            )),
        }
    }
    all
}

impl<'a> Entry<'a> {
    /// A copy of a header entry; the big `tags` list is not copied (it is read in place).
    fn clone_shallow(&self) -> Entry<'a> {
        let value = match &self.value {
            Node::Seq { line, .. } if self.key == "tags" => Node::Seq {
                items: Vec::new(),
                line: *line,
            },
            other => other.clone(),
        };
        Entry {
            key: self.key.clone(),
            line: self.line,
            value,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------

/// A YAML scalar for `text`: plain when that reads back as the same text, else single-quoted,
/// else (control characters) double-quoted with JSON escapes.
fn quote(text: &str) -> String {
    let plain_ok = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.-/()".contains(c))
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain_ok {
        text.to_owned()
    } else if text.chars().any(|c| c.is_control()) {
        serde_json::to_string(text).unwrap_or_default()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// The case's own tags (`pack == None`) as a GraphSense TagPack. Tags on Bitcoin transaction
/// nodes are written as `tx_hash` tags.
pub fn export_tagpack_yaml(case: &Case, title: &str, creator: &str) -> String {
    let title = if title.trim().is_empty() {
        "Caseboard case"
    } else {
        title.trim()
    };
    let creator = if creator.trim().is_empty() {
        "Caseboard"
    } else {
        creator.trim()
    };
    let stamp = if case.meta.modified > 0 {
        case.meta.modified
    } else {
        time::OffsetDateTime::now_utc().unix_timestamp()
    };
    let lastmod = network::date_only(stamp);
    let header_secs = network::parse_date(&lastmod).unwrap_or(0);
    let mut out = String::new();
    out.push_str(
        "# GraphSense TagPack exported by Caseboard: the investigator's own tags of a case.\n",
    );
    out.push_str(&format!("title: {}\n", quote(title)));
    out.push_str(&format!("creator: {}\n", quote(creator)));
    out.push_str(&format!(
        "description: {}\n",
        quote(&format!(
            "Tags exported from the Caseboard case \"{}\"",
            case.meta.title
        ))
    ));
    out.push_str(&format!("lastmod: {lastmod}\n"));
    out.push_str("is_public: false\n");
    let mut body = String::new();
    for (node, tags) in &case.tags {
        let Some(chain) = node.chain() else { continue };
        for tag in tags.iter().filter(|t| t.pack.is_none()) {
            let subject = if node.is_transaction() {
                format!("- tx_hash: {}\n", quote(node.value()))
            } else {
                let address = match chain {
                    Chain::Evm { .. } => {
                        to_eip55(node.value()).unwrap_or_else(|| node.value().to_owned())
                    }
                    Chain::Bitcoin => node.value().to_owned(),
                };
                format!("- address: '{address}'\n")
            };
            body.push_str(&subject);
            body.push_str(&format!("  currency: {}\n", network::currency_of(chain)));
            export_tag(&mut body, tag, title, creator, header_secs);
        }
    }
    if body.is_empty() {
        out.push_str("tags: []\n");
    } else {
        out.push_str("tags:\n");
        out.push_str(&body);
    }
    out
}

/// Writes one tag's fields (after its subject and currency lines).
fn export_tag(out: &mut String, tag: &Tag, title: &str, creator: &str, header_secs: i64) {
    let terms = taxonomy::graphsense_terms(&tag.category);
    let label = if tag.label.trim().is_empty() {
        tag.category.name().to_owned()
    } else {
        tag.label.clone()
    };
    let label = if label.trim().is_empty() {
        "unlabelled".to_owned()
    } else {
        label
    };
    let source = if tag.source.trim().is_empty() {
        format!("Caseboard case: {title}")
    } else {
        tag.source.clone()
    };
    let actor = tag.actor.clone().or(terms.actor);
    // An implied abuse goes in `abuse` when free, else the category carries it.
    let (category, abuse) = match (&tag.abuse, terms.abuse) {
        (Some(own), Some(implied)) if *own != implied => (implied, Some(own.clone())),
        (Some(own), _) => (terms.category, Some(own.clone())),
        (None, implied) => (terms.category, implied),
    };
    let lastmod = (tag.created != 0)
        .then(|| network::format_date(tag.created))
        .flatten();
    let concepts: Vec<&str> = tag.concepts.iter().map(String::as_str).collect();
    let simulated = build_tag(&TagInput {
        label: &label,
        source: &source,
        confidence: tag.confidence,
        category: Some(&category),
        abuse: abuse.as_deref(),
        actor: actor.as_deref(),
        concepts: concepts.clone(),
        created: lastmod
            .as_deref()
            .and_then(network::parse_date)
            .unwrap_or(header_secs),
        author: creator,
        pack: None,
    });
    let mut keep = serde_json::Map::new();
    let mut differs = |key: &str, same: bool, value: serde_json::Value| {
        if !same {
            keep.insert(key.to_owned(), value);
        }
    };
    differs(
        "label",
        simulated.label == tag.label,
        tag.label.clone().into(),
    );
    differs(
        "category",
        simulated.category == tag.category,
        tag.category.name().into(),
    );
    differs(
        "source",
        simulated.source == tag.source,
        tag.source.clone().into(),
    );
    differs("note", tag.note.is_empty(), tag.note.clone().into());
    differs(
        "author",
        simulated.author == tag.author,
        tag.author.clone().into(),
    );
    differs(
        "created",
        simulated.created == tag.created,
        tag.created.into(),
    );
    differs(
        "actor",
        simulated.actor == tag.actor,
        tag.actor.clone().into(),
    );
    differs(
        "abuse",
        simulated.abuse == tag.abuse,
        tag.abuse.clone().into(),
    );
    differs(
        "concepts",
        simulated.concepts == tag.concepts,
        tag.concepts.clone().into(),
    );

    out.push_str(&format!("  label: {}\n", quote(&label)));
    out.push_str(&format!("  category: {category}\n"));
    out.push_str(&format!("  confidence: {}\n", tag.confidence.name()));
    out.push_str(&format!("  source: {}\n", quote(&source)));
    if let Some(lastmod) = lastmod {
        out.push_str(&format!("  lastmod: {lastmod}\n"));
    }
    if let Some(actor) = &actor {
        out.push_str(&format!("  actor: {}\n", quote(actor)));
    }
    if let Some(abuse) = &abuse {
        out.push_str(&format!("  abuse: {}\n", quote(abuse)));
    }
    if !concepts.is_empty() {
        let items: Vec<String> = concepts.iter().map(|c| quote(c)).collect();
        out.push_str(&format!("  concepts: [{}]\n", items.join(", ")));
    }
    if !keep.is_empty() {
        let context = serde_json::json!({ "caseboard": keep });
        out.push_str(&format!("  context: {}\n", quote(&context.to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUNDLED: [&str; 11] = [
        include_str!("../../assets/attribution/fbi-psa-250226.yaml"),
        include_str!("../../assets/attribution/ofac-sdn-2024-09-27.yaml"),
        include_str!("../../assets/attribution/graphsense/lazarus.yaml"),
        include_str!("../../assets/attribution/graphsense/lazarus2.yaml"),
        include_str!("../../assets/attribution/graphsense/ronin_bridge.yaml"),
        include_str!("../../assets/attribution/graphsense/tornado_cash.yaml"),
        include_str!("../../assets/attribution/graphsense/blender_io.yaml"),
        include_str!("../../assets/attribution/graphsense/sinbad_io.yaml"),
        include_str!("../../assets/attribution/graphsense/hacks.yaml"),
        include_str!("../../assets/attribution/graphsense/usdt_blacklist.yaml"),
        include_str!("../../assets/attribution/graphsense/exchange-wallets-bybit.yaml"),
    ];

    #[test]
    fn fast_scanner_reads_what_the_full_parser_reads() {
        let mut fast = 0;
        for text in BUNDLED {
            let full = yaml::parse_full(text).expect("valid YAML");
            if let Some(node) = yaml::parse_fast(text) {
                assert_eq!(node, full);
                fast += 1;
            }
        }
        // Only the USDT blacklist (multi-line quoted contexts) needs the full parser.
        assert_eq!(fast, BUNDLED.len() - 1);
    }

    #[test]
    fn fast_scanner_agrees_with_the_full_parser_on_mangled_packs() {
        let pieces = [
            "'", "''", "\"", ":", ": ", "- ", "-", "\n", "\n  ", "  ", " ", "[", "]", "[a, b]",
            "{", "#", " #", "&a ", "*a", "!x ", "\t", "~", "é", "\r\n", "|", ">", "?", ",", "%",
            "@", "---\n", "...", "\u{feff}", "\u{85}", "\r", "\u{2028}",
        ];
        let mut seed = std::env::var("CASEBOARD_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0x2545_f491_4f6c_dd1d_u64);
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed as usize
        };
        let mut accepted = 0;
        for text in [BUNDLED[0], BUNDLED[2], BUNDLED[4], BUNDLED[7], BUNDLED[10]] {
            for _ in 0..3000 {
                let mut mangled = text.to_owned();
                for _ in 0..1 + next() % 3 {
                    let mut at = next() % (mangled.len() + 1);
                    while !mangled.is_char_boundary(at) {
                        at -= 1;
                    }
                    mangled.insert_str(at, pieces[next() % pieces.len()]);
                }
                if let Some(fast) = yaml::parse_fast(&mangled) {
                    accepted += 1;
                    let full = yaml::parse_full(&mangled).unwrap_or_else(|e| {
                        panic!("fast read what is not YAML ({e:?}):\n{mangled}")
                    });
                    assert_eq!(fast, full, "\n{mangled}");
                }
            }
        }
        assert!(accepted > 200, "{accepted}");
    }

    fn parse(text: &str) -> AttributionPack {
        parse_tagpack_yaml(text, "t.yaml").unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn tags_inherit_header_fields_and_network_defaults_like_graphsense() {
        let pack = parse(
            "# Licence: CC0\ntitle: T\ncreator: C\nsource: https://example.org\nlastmod: 2024-01-02\n\
             label: header label\ncurrency: BTC\nnetwork: ETH\nconfidence: service_data\n\
             context: '{\"origin\": \"header\"}'\ntags:\n\
             - address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'\n\
             - address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n  currency: BTC\n  label: own label\n  lastmod: 2025-02-26\n\
             - address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n  currency: USDT\n  confidence: override\n  context: plain words\n\
             - address: TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR\n  currency: TRX\n\
             - tx_hash: '0x1111111111111111111111111111111111111111111111111111111111111111'\n\
             - tx_hash: 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b\n  currency: BTC\n",
        );
        assert_eq!(pack.info.licence, "CC0");
        assert_eq!(pack.info.source, "https://example.org");
        assert_eq!(pack.info.date, "2024-01-02");
        assert_eq!(pack.unsupported, 1);
        assert_eq!(pack.tx_tags, 1);
        let nodes: Vec<&str> = pack.entries.iter().map(|e| e.node.as_str()).collect();
        assert_eq!(
            nodes,
            [
                "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "btc-tx:4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
            ]
        );
        let [first, second, third, _] = &pack.entries[..] else {
            panic!()
        };
        assert_eq!(first.tag.label, "header label");
        assert_eq!(first.tag.confidence, Confidence::ServiceData);
        assert_eq!(first.tag.created, 1_704_153_600);
        assert_eq!(first.tag.author, "C");
        assert_eq!(first.tag.note, "origin: header");
        assert_eq!(second.tag.label, "own label");
        assert_eq!(second.tag.created, 1_740_528_000);
        assert_eq!(third.tag.confidence, Confidence::Ownership);
        assert_eq!(third.tag.note, "plain words");
    }

    #[test]
    fn header_may_be_nested_and_context_may_be_a_mapping() {
        let pack = parse(
            "header:\n  title: T\n  creator: C\n  currency: ETH\n  label: L\ntags:\n\
             - address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'\n  context:\n    transaction: '0xabc'\n    token: USDT\n",
        );
        assert_eq!(pack.info.title, "T");
        assert_eq!(pack.entries[0].tag.note, "token: USDT; transaction: 0xabc");
    }

    #[test]
    fn structural_mistakes_are_positioned() {
        let errors = parse_tagpack_yaml("- a\n- b\n", "x.yaml").unwrap_err();
        assert_eq!(errors.errors[0].position, "yaml");
        let errors = parse_tagpack_yaml("title: T\ntitle: U\ntags: 3\n", "x.yaml").unwrap_err();
        let positions: Vec<&str> = errors.errors.iter().map(|e| e.position.as_str()).collect();
        assert_eq!(positions, ["header.title", "tags", "header.creator"]);
        let errors = parse_tagpack_yaml(
            "title: T\ncreator: C\ntags:\n- just text\n- address: x\n  address: y\n",
            "x.yaml",
        )
        .unwrap_err();
        let positions: Vec<&str> = errors.errors.iter().map(|e| e.position.as_str()).collect();
        assert_eq!(
            positions,
            [
                "tags[0]",
                "tags[1].address",
                "tags[1].label",
                "tags[1].currency"
            ]
        );
        let errors = parse_tagpack_yaml("title: T\ncreator: C\ntags:\n- address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'\n  label: x\n  currency: ETH\n  context: '{\"caseboard\": {\"created\": \"soon\"}}'\n", "x.yaml").unwrap_err();
        assert_eq!(errors.errors[0].position, "tags[0].context");
        let errors = parse_tagpack_yaml(
            "title: T\ncreator: C\ntags:\n- address: x\n  label: [a]\n  currency: BTC\n",
            "x.yaml",
        )
        .unwrap_err();
        let positions: Vec<&str> = errors.errors.iter().map(|e| e.position.as_str()).collect();
        assert_eq!(positions, ["tags[0].label"]);
        let error = parse_tagpack_yaml("title: [unclosed\n", "x.yaml").unwrap_err();
        assert_eq!(error.errors[0].position, "yaml");
        assert!(error.errors[0].line.is_some());
    }

    #[test]
    fn many_tags_are_checked_in_parallel_with_the_same_result() {
        let mut text = String::from("title: T\ncreator: C\ncurrency: ETH\nlabel: L\ntags:\n");
        let n = PARALLEL_THRESHOLD + 1234;
        for i in 0..n {
            text.push_str(&format!("- address: '0x{i:040x}'\n"));
        }
        text.push_str("- address: '0xnothex'\n");
        let pack = parse_tagpack_yaml(&text, "big.yaml").unwrap();
        assert_eq!(pack.skipped.len(), 1);
        assert_eq!(pack.skipped[0].position, format!("tags[{n}].address"));
        assert_eq!(pack.skipped[0].line, Some(n + 6));
        text.push_str("- address: '0x1'\n  colour: red\n");
        let errors = parse_tagpack_yaml(&text, "big.yaml").unwrap_err();
        let positions: Vec<&str> = errors.errors.iter().map(|e| e.position.as_str()).collect();
        let (bad, unknown) = (
            format!("tags[{n}].address"),
            format!("tags[{}].colour", n + 1),
        );
        assert_eq!(positions, [bad.as_str(), unknown.as_str()]);
        let text = &text[..text.len() - "- address: '0x1'\n  colour: red\n".len()];
        let text = &text[..text.len() - "- address: '0xnothex'\n".len()];
        let pack = parse_tagpack_yaml(text, "big.yaml").unwrap();
        assert_eq!(pack.entries.len(), n);
        assert!(
            pack.entries
                .iter()
                .enumerate()
                .all(|(i, e)| e.node.value() == format!("0x{i:040x}"))
        );
    }

    #[test]
    fn quoting_reads_back() {
        for text in [
            "plain",
            "two words",
            "it's",
            "a: b",
            "#x",
            "true",
            "123",
            "0xabc",
            "-",
            "",
            " x",
            "x ",
            "line\nbreak",
            "tab\there",
            "é",
        ] {
            let yaml = format!("k: {}\n", quote(text));
            let node = yaml::parse(&yaml).unwrap();
            let Node::Map { entries, .. } = node else {
                panic!("{yaml}")
            };
            let Node::Scalar { text: read, .. } = &entries[0].value else {
                panic!("{yaml}")
            };
            assert_eq!(read, text, "{yaml}");
        }
    }
}
