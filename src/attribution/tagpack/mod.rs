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
use super::yaml::{Entry, Node};
use crate::model::address::to_eip55;
use crate::model::{Case, Category, Chain, Confidence, NodeId, Tag};

mod context;
mod export;
mod fields;

use context::*;
pub use export::export_tagpack_yaml;
#[cfg(test)]
use export::quote;
use fields::*;

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
    let top = &super::pack::pack_mapping(text, origin, ("TagPack", "title, creator and tags"))?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::yaml;

    const BUNDLED: [&str; 11] = [
        include_str!("../../../assets/attribution/fbi-psa-250226.yaml"),
        include_str!("../../../assets/attribution/ofac-sdn-2024-09-27.yaml"),
        include_str!("../../../assets/attribution/graphsense/lazarus.yaml"),
        include_str!("../../../assets/attribution/graphsense/lazarus2.yaml"),
        include_str!("../../../assets/attribution/graphsense/ronin_bridge.yaml"),
        include_str!("../../../assets/attribution/graphsense/tornado_cash.yaml"),
        include_str!("../../../assets/attribution/graphsense/blender_io.yaml"),
        include_str!("../../../assets/attribution/graphsense/sinbad_io.yaml"),
        include_str!("../../../assets/attribution/graphsense/hacks.yaml"),
        include_str!("../../../assets/attribution/graphsense/usdt_blacklist.yaml"),
        include_str!("../../../assets/attribution/graphsense/exchange-wallets-bybit.yaml"),
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
        // TRON is read since session 10: the TRX tag is a node, nothing is unsupported.
        assert_eq!(pack.unsupported, 0);
        assert_eq!(pack.tx_tags, 1);
        let nodes: Vec<&str> = pack.entries.iter().map(|e| e.node.as_str()).collect();
        assert_eq!(
            nodes,
            [
                "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
                "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
                "trx:TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR",
                "btc-tx:4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b",
            ]
        );
        let [first, second, third, _, _] = &pack.entries[..] else {
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
