//! Attribution packs: bundled packs, TagPack and CSV import with positioned errors, export
//! round trip, auto-flagging and conflicts.

use caseboard::attribution::{
    AttributionIndex, AttributionPack, PackError, TORNADO_NOTE, bundled_ids, bundled_packs,
    conflict, export_tagpack_yaml, flag_case, flag_fragment, hit_summary, hits, load_pack_file,
    parse_tagpack_yaml, parse_tags_csv,
};
use caseboard::model::address::to_eip55;
use caseboard::model::{
    Action, Case, Category, Chain, Confidence, Fragment, Node, NodeId, Tag, apply,
};
use std::collections::BTreeMap;

const FBI_LIST: &str = include_str!("../assets/attribution/fbi-psa-250226.yaml");

fn pack(id: &str) -> AttributionPack {
    bundled_packs()
        .into_iter()
        .find(|p| p.info.id == id)
        .unwrap_or_else(|| panic!("no bundled pack {id}"))
}

fn fbi_addresses() -> Vec<String> {
    FBI_LIST
        .lines()
        .filter_map(|l| l.strip_prefix("- address: '"))
        .map(|l| l.trim_end_matches('\'').to_owned())
        .collect()
}

#[test]
fn every_bundled_pack_parses_with_its_provenance() {
    let packs = bundled_packs();
    let ids: Vec<&str> = packs.iter().map(|p| p.info.id.as_str()).collect();
    assert_eq!(ids, bundled_ids(), "every bundled pack parses");
    for pack in &packs {
        let info = &pack.info;
        assert!(!pack.entries.is_empty(), "{}", info.id);
        assert!(info.bundled);
        assert!(
            info.source.starts_with("https://"),
            "{}: {}",
            info.id,
            info.source
        );
        assert_eq!(info.date.len(), 10, "{}: {:?}", info.id, info.date);
        assert!(!info.licence.is_empty(), "{}", info.id);
        assert!(
            !info.title.is_empty() && !info.creator.is_empty(),
            "{}",
            info.id
        );
        for entry in &pack.entries {
            assert_eq!(entry.tag.pack.as_deref(), Some(info.id.as_str()));
            assert!(!entry.tag.label.is_empty());
        }
    }
    let fbi = pack("fbi-psa-250226");
    assert_eq!(fbi.entries.len(), 51);
    assert_eq!(fbi.info.date, "2025-02-26");
    assert!(
        fbi.info.licence.contains("public domain"),
        "{}",
        fbi.info.licence
    );
    let ofac = pack("ofac-sdn-2024-09-27");
    assert_eq!(ofac.info.date, "2024-09-27");
    assert!(ofac.unsupported > 0, "TRX, LTC, XMR … are counted");
    assert!(
        ofac.entries
            .iter()
            .all(|e| e.tag.category == Category::Sanctioned
                && e.tag.confidence == Confidence::AuthorityData)
    );
}

#[test]
fn bundled_categories_follow_the_mapping() {
    let fbi = pack("fbi-psa-250226");
    for entry in &fbi.entries {
        assert_eq!(entry.tag.category, Category::DprkAttributed);
        assert_eq!(entry.tag.confidence, Confidence::AuthorityData);
        assert_eq!(entry.tag.actor.as_deref(), Some("lazarusgroup"));
        assert_eq!(entry.node.chain(), Some(Chain::ETHEREUM));
    }
    for entry in &pack("graphsense-lazarus").entries {
        assert_eq!(entry.tag.category, Category::DprkAttributed);
    }
    let tornado = pack("graphsense-tornado-cash");
    for entry in &tornado.entries {
        assert_eq!(entry.tag.category, Category::Mixer);
        assert_eq!(entry.tag.note, TORNADO_NOTE);
    }
    assert!(tornado.info.description.contains("2025-03-21"));
    // Tornado Cash is not in the OFAC pack any more.
    let ofac = pack("ofac-sdn-2024-09-27");
    let tornado_nodes: Vec<&NodeId> = tornado.entries.iter().map(|e| &e.node).collect();
    assert!(
        ofac.entries
            .iter()
            .all(|e| !tornado_nodes.contains(&&e.node))
    );
    for entry in &pack("graphsense-bybit-wallets").entries {
        assert_eq!(entry.tag.category, Category::Exchange);
    }
    for entry in &pack("graphsense-usdt-blacklist").entries {
        assert_eq!(entry.tag.category, Category::Sanctioned);
        assert!(
            entry.tag.note.contains("transaction: 0x"),
            "{}",
            entry.tag.note
        );
    }
    let ronin = pack("graphsense-ronin-bridge");
    assert!(
        ronin
            .entries
            .iter()
            .all(|e| e.tag.category == Category::Custom("service_hack".into()))
    );
}

#[test]
fn every_fbi_address_matches_in_any_letter_case() {
    let index = AttributionIndex::build(&bundled_packs());
    let addresses = fbi_addresses();
    assert_eq!(addresses.len(), 51);
    for address in &addresses {
        let eip55 = to_eip55(address).expect("valid address");
        let upper = format!("0x{}", address[2..].to_ascii_uppercase());
        for form in [
            eip55.as_str(),
            upper.as_str(),
            address.to_ascii_lowercase().as_str(),
        ] {
            let id = NodeId::for_address(&caseboard::model::address::parse_address(form).unwrap());
            let tags = index.lookup(&id);
            assert!(
                tags.iter()
                    .any(|t| t.pack.as_deref() == Some("fbi-psa-250226")
                        && t.category == Category::DprkAttributed),
                "{form} not matched"
            );
        }
    }
    // Bitcoin matches exactly (a base58 address in another case is another address).
    let lazarus = pack("graphsense-lazarus");
    let btc = lazarus
        .entries
        .iter()
        .find(|e| e.node.chain() == Some(Chain::Bitcoin))
        .unwrap();
    assert!(!index.lookup(&btc.node).is_empty());
    assert!(NodeId::parse(&format!("btc:{}", btc.node.value().to_ascii_lowercase())).is_err());
}

const TEN_MISTAKES: &str = "\
title: Ten mistakes
creator: Test
confidence: sure
lastmod: yesterday
colour: red
currency: ETH
label: default label
tags:
- address: '0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135d'
- currency: BTC
  label: no address
- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNc
  currency: BTC
- address: '0x96244d83dc15d36847c35209bbdc5bdde9bec3d8'
  label: ~
- address: '0x83c7678492d623fb98834f0fbcb2e7b7f5af8950'
  is_cluster_definer: maybe
- address: '0x83ef5e80fad88288f770152875ab0bb16641a09e'
  concepts: service_hack
- address: '0xaf620e6d32b1c67f3396ef5d2f7d7642dc2e6ce9'
  tx_hash: '0x1111111111111111111111111111111111111111111111111111111111111111'
";

#[test]
fn a_tagpack_with_ten_mistakes_reports_all_ten_with_positions() {
    let errors = parse_tagpack_yaml(TEN_MISTAKES, "ten.yaml").unwrap_err();
    let found: Vec<(&str, Option<usize>)> = errors
        .errors
        .iter()
        .map(|e| (e.position.as_str(), e.line))
        .collect();
    assert_eq!(
        found,
        vec![
            ("header.confidence", Some(3)),
            ("header.lastmod", Some(4)),
            ("header.colour", Some(5)),
            ("tags[0].address", Some(9)),
            ("tags[1].address", Some(10)),
            ("tags[2].address", Some(12)),
            ("tags[3].label", Some(15)),
            ("tags[4].is_cluster_definer", Some(17)),
            ("tags[5].concepts", Some(19)),
            ("tags[6].tx_hash", Some(20)),
        ]
    );
    let text = errors.to_string();
    assert!(text.starts_with("ten.yaml: 10 errors:"), "{text}");
    println!("{text}");
    assert!(text.contains("EIP-55 checksum does not match"), "{text}");
    assert!(text.contains("unknown confidence \"sure\""), "{text}");
    for e in &errors.errors {
        assert!(!e.message.is_empty());
    }
}

#[test]
fn csv_errors_name_row_and_column() {
    let csv = "\
# title: Seen in case 42
# creator: Jane
# date: 2025-03-01
address,chain,label,category,confidence,source
0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D,ETH,Bybit theft,dprk_attributed,authority_data,https://www.ic3.gov/PSA/2025/PSA250226
0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135d,ETH,bad checksum,exchange,,
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,DOGECOIN,unknown chain,,,
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,,exchange,,
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,bad confidence,exchange,very sure,
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,too few fields
";
    let errors = parse_tags_csv(csv, "case42.csv").unwrap_err();
    let found: Vec<(&str, Option<usize>)> = errors
        .errors
        .iter()
        .map(|e| (e.position.as_str(), e.line))
        .collect();
    assert_eq!(
        found,
        vec![
            ("row 6 column address", Some(6)),
            ("row 7 column chain", Some(7)),
            ("row 8 column label", Some(8)),
            ("row 9 column confidence", Some(9)),
            ("row 10", Some(10)),
        ],
        "{errors}"
    );
    let bad_header = parse_tags_csv("addr,chain,label\n", "x.csv").unwrap_err();
    let positions: Vec<&str> = bad_header
        .errors
        .iter()
        .map(|e| e.position.as_str())
        .collect();
    assert_eq!(positions, ["row 1 column addr", "row 1 column address"]);
}

#[test]
fn csv_pack_reads_metadata_and_rows() {
    let csv = "\
# title: Seen in case 42
# creator: Jane
# source: https://example.org/report
# date: 2025-03-01
# licence: CC-BY-4.0
Address, Chain ,Label,Category,Confidence,Source,Actor,Concepts,Note
0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D,ETH,\"Bybit theft, part 1\",,authority_data,https://www.ic3.gov/PSA/2025/PSA250226,lazarusgroup,service_hack;money_laundering,from the PSA
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,btc,Some exchange,exchange,,,,,
TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR,TRX,tron,sanctioned,,,,,
0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed,evm56,bsc thing,mixing_service,heuristic,,,,
";
    let pack = parse_tags_csv(csv, "/tmp/Case 42.csv").unwrap();
    assert_eq!(pack.info.id, "case-42");
    assert_eq!(pack.info.title, "Seen in case 42");
    assert_eq!(pack.info.creator, "Jane");
    assert_eq!(pack.info.source, "https://example.org/report");
    assert_eq!(pack.info.date, "2025-03-01");
    assert_eq!(pack.info.licence, "CC-BY-4.0");
    // TRON is read: the TRX row is a node like the others.
    assert_eq!(pack.unsupported, 0);
    assert_eq!(pack.entries.len(), 4);
    assert_eq!(
        pack.entries[2].node.as_str(),
        "trx:TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR"
    );
    let first = &pack.entries[0];
    assert_eq!(
        first.node.as_str(),
        "eth:0x51e9d833ecae4e8d9d8be17300aee6d3398c135d"
    );
    assert_eq!(first.tag.label, "Bybit theft, part 1");
    assert_eq!(first.tag.category, Category::DprkAttributed);
    assert_eq!(first.tag.concepts, ["service_hack", "money_laundering"]);
    assert_eq!(first.tag.note, "from the PSA");
    assert_eq!(first.tag.author, "Jane");
    assert_eq!(first.tag.created, 1_740_787_200);
    assert_eq!(pack.entries[1].tag.category, Category::Exchange);
    assert_eq!(pack.entries[1].tag.confidence, Confidence::Unknown);
    assert_eq!(
        pack.entries[3].node.as_str(),
        "evm56:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    );
    assert_eq!(pack.entries[3].tag.category, Category::Mixer);
}

#[test]
fn ofac_tron_addresses_flag_as_soon_as_they_appear() {
    let index = AttributionIndex::build(&bundled_packs());
    // OFAC SDN lists these TRON addresses (one in each of its spellings: `currency: TRX`,
    // `network: TRX`); a pasted hex form is the same node.
    for text in [
        "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq",
        "TEAqwfMhXLaomXhZ8KeMhx3njGmQEDnsUR",
    ] {
        let id = NodeId::for_address(&caseboard::model::address::parse_address(text).unwrap());
        assert_eq!(id.chain(), Some(Chain::Tron));
        let tags = index.lookup(&id);
        assert!(
            tags.iter().any(|t| t.category == Category::Sanctioned),
            "{text}: {tags:?}"
        );
    }
    let sanctioned_tron = pack("ofac-sdn-2024-09-27")
        .entries
        .iter()
        .filter(|e| e.node.chain() == Some(Chain::Tron))
        .count();
    assert!(sanctioned_tron >= 5, "{sanctioned_tron}");
}

#[test]
fn load_pack_file_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let yaml = dir.path().join("My Pack.yml");
    std::fs::write(&yaml, "title: t\ncreator: c\ncurrency: BTC\nlabel: x\ntags:\n- address: 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\n").unwrap();
    let pack = load_pack_file(&yaml).unwrap();
    assert_eq!(pack.info.id, "my-pack");
    assert_eq!(pack.entries.len(), 1);
    let csv = dir.path().join("list.CSV");
    std::fs::write(
        &csv,
        "address,chain,label\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,genesis\n",
    )
    .unwrap();
    assert_eq!(load_pack_file(&csv).unwrap().entries.len(), 1);
    let txt = dir.path().join("list.txt");
    std::fs::write(&txt, "x").unwrap();
    let error = load_pack_file(&txt).unwrap_err();
    assert_eq!(error.errors[0].position, "file");
    let missing = load_pack_file(&dir.path().join("gone.yaml")).unwrap_err();
    assert!(
        missing.to_string().contains("cannot read the file"),
        "{missing}"
    );
    let binary = dir.path().join("bin.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).unwrap();
    assert!(
        load_pack_file(&binary)
            .unwrap_err()
            .to_string()
            .contains("UTF-8")
    );
}

/// Parses and must not panic; on success the pack is consistent.
fn never_panics(text: &str) {
    for result in [
        parse_tagpack_yaml(text, "fuzz.yaml"),
        parse_tags_csv(text, "fuzz.csv"),
    ] {
        match result {
            Ok(pack) => {
                for entry in &pack.entries {
                    assert_eq!(entry.tag.pack.as_deref(), Some(pack.info.id.as_str()));
                }
            }
            Err(errors) => {
                assert!(!errors.errors.is_empty());
                assert!(!errors.to_string().is_empty());
            }
        }
    }
}

#[test]
fn truncated_and_mangled_packs_never_panic() {
    let mut texts: Vec<String> = vec![
        FBI_LIST.to_owned(),
        include_str!("../assets/attribution/graphsense/usdt_blacklist.yaml")[..6000].to_owned(),
        include_str!("../assets/attribution/graphsense/hacks.yaml")[..6000].to_owned(),
        TEN_MISTAKES.to_owned(),
        "address,chain,label\n1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa,BTC,\"open quote\n".to_owned(),
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let pieces = [
        "'", "\"", ":", "- ", "\n", "  ", "[", "]", "{", "#", "&a", "*a", "!x", "\t", "~", "é",
        "\u{0}", "\\",
    ];
    for text in texts.drain(..) {
        let len = text.len();
        for cut in (0..len).step_by((len / 80).max(1)) {
            let mut cut = cut;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            never_panics(&text[..cut]);
        }
        for _ in 0..80 {
            let mut mangled = text.clone();
            let mut at = (next() as usize) % mangled.len().max(1);
            while !mangled.is_char_boundary(at) {
                at -= 1;
            }
            mangled.insert_str(at, pieces[(next() as usize) % pieces.len()]);
            never_panics(&mangled);
        }
    }
    for text in [
        "",
        "\u{feff}",
        "---",
        "...",
        "tags:",
        "tags: 5",
        "- a",
        "title: [",
        &"[".repeat(10_000),
        &"- ".repeat(10_000),
    ] {
        never_panics(text);
    }
}

fn id(text: &str) -> NodeId {
    NodeId::parse(text).unwrap()
}

fn own(label: &str, category: Category, confidence: Confidence, source: &str) -> Tag {
    Tag::new(label, category, confidence, source)
}

/// A case with address and transaction nodes of several chains, own tags and one pack tag.
fn tagged_case() -> Case {
    let mut case = Case::new("Bybit \"follow-up\"", 1_740_787_200);
    case.meta.modified = 1_740_800_000;
    let eth = id("eth:0x51e9d833ecae4e8d9d8be17300aee6d3398c135d");
    let btc = id("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let base58 = id("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    let bsc = id("evm56:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    let tx = NodeId::transaction(Chain::Bitcoin, &"ab".repeat(32)).unwrap();
    for node in [&eth, &btc, &base58, &bsc] {
        case.nodes.insert(node.clone(), Node::address(node.clone()));
    }
    case.nodes.insert(tx.clone(), Node::transaction(tx.clone()));

    let mut dprk = own(
        "Bybit theft hop 1",
        Category::DprkAttributed,
        Confidence::ForensicInvestigation,
        "own tracing",
    );
    dprk.created = 1_740_528_000 + 3_723;
    dprk.author = "Ann".into();
    let mut sanctioned = own(
        "it's \"sanctioned\": yes",
        Category::Sanctioned,
        Confidence::AuthorityData,
        "",
    );
    sanctioned.note = "line one\nline two\ttabbed # not a comment".into();
    sanctioned.abuse = Some("ransomware".into());
    let mut custom = own(
        "",
        Category::Custom("suspect".into()),
        Confidence::Heuristic,
        "https://example.org/a?b=c#d",
    );
    custom.concepts = vec!["money_laundering".into(), "two words".into()];
    custom.created = 1_740_700_800;
    let mut exchange = own(
        "Hot wallet",
        Category::Exchange,
        Confidence::ServiceData,
        "exchange statement",
    );
    exchange.actor = Some("bybit".into());
    exchange.created = -86_400;
    let ransom = own(
        "ransom",
        Category::Custom("ransomware".into()),
        Confidence::Forensic,
        "report",
    );
    let mut perpetrator = own("perp", Category::DprkAttributed, Confidence::Heuristic, "x");
    perpetrator.actor = Some("someoneelse".into());
    let mut from_pack = own(
        "Lazarus",
        Category::DprkAttributed,
        Confidence::AuthorityData,
        "pack",
    );
    from_pack.pack = Some("graphsense-lazarus".into());

    case.tags
        .insert(eth.clone(), vec![dprk, from_pack, perpetrator]);
    case.tags.insert(btc, vec![sanctioned, exchange]);
    case.tags.insert(base58, vec![custom]);
    case.tags.insert(bsc, vec![ransom.clone()]);
    case.tags.insert(
        tx,
        vec![own("peel", Category::Unknown, Confidence::Unknown, "")],
    );
    case
}

#[test]
fn export_then_import_gives_the_same_tags() {
    let case = tagged_case();
    let yaml = export_tagpack_yaml(&case, "Bybit follow-up: tags", "Ann Analyst");
    let pack = parse_tagpack_yaml(&yaml, "export.yaml").unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let mut imported: BTreeMap<NodeId, Vec<Tag>> = BTreeMap::new();
    for entry in pack.entries {
        let mut tag = entry.tag;
        assert_eq!(tag.pack.as_deref(), Some("export"));
        tag.pack = None;
        imported.entry(entry.node).or_default().push(tag);
    }
    let expected: BTreeMap<NodeId, Vec<Tag>> = case
        .tags
        .iter()
        .map(|(node, tags)| {
            (
                node.clone(),
                tags.iter().filter(|t| t.pack.is_none()).cloned().collect(),
            )
        })
        .collect();
    assert_eq!(imported, expected, "\n{yaml}");
    assert_eq!(pack.info.title, "Bybit follow-up: tags");
    assert_eq!(pack.info.creator, "Ann Analyst");
    assert_eq!(pack.info.date, "2025-03-01");

    // What GraphSense needs: header, per-tag fields, valid ids only.
    for needle in [
        "\ntitle: ",
        "\ncreator: ",
        "\nlastmod: 2025-03-01\n",
        "\nis_public: false\n",
        "\ntags:\n",
    ] {
        assert!(yaml.contains(needle), "{needle:?} missing:\n{yaml}");
    }
    assert!(
        yaml.contains("- address: '0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D'\n  currency: ETH\n"),
        "{yaml}"
    );
    assert!(yaml.contains("  currency: BSC\n"));
    assert!(
        yaml.contains(&format!(
            "- tx_hash: '{}'\n  currency: BTC\n",
            "ab".repeat(32)
        )) || yaml.contains(&format!("- tx_hash: {}\n", "ab".repeat(32))),
        "{yaml}"
    );
    assert!(yaml.contains("  category: perpetrator\n") && yaml.contains("  actor: lazarusgroup\n"));
    assert!(yaml.contains("  abuse: sanction\n") || yaml.contains("  category: sanction\n"));
    for line in yaml.lines().filter_map(|l| l.strip_prefix("  category: ")) {
        assert!(
            caseboard::attribution::taxonomy::is_graphsense_concept(line),
            "{line}"
        );
    }
    assert_eq!(yaml.matches("  confidence: ").count(), 7);
    assert_eq!(yaml.matches("  source: ").count(), 7);
    assert_eq!(yaml.matches("  label: ").count(), 7);
    assert!(!yaml.contains("Lazarus"), "pack tags are not exported");

    // An empty case exports an empty, readable pack.
    let empty = export_tagpack_yaml(&Case::new("", 0), "", "");
    let pack = parse_tagpack_yaml(&empty, "empty.yaml").unwrap();
    assert!(pack.entries.is_empty());
}

fn small_index() -> (AttributionIndex, Vec<AttributionPack>) {
    let exchange = parse_tags_csv(
        "address,chain,label,category,confidence\n\
         0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D,ETH,Some exchange,exchange,service_data\n\
         bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,Exchange cold wallet,exchange,service_data\n",
        "exchanges.csv",
    )
    .unwrap();
    let packs = vec![
        pack("fbi-psa-250226"),
        pack("ofac-sdn-2024-09-27"),
        exchange,
    ];
    (AttributionIndex::build(&packs), packs)
}

#[test]
fn flag_fragment_adds_the_right_tags_once() {
    let (index, _) = small_index();
    let fbi = id("eth:0x51e9d833ecae4e8d9d8be17300aee6d3398c135d");
    let exchange_only = id("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let clean = id("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    let mine = own("my note", Category::Victim, Confidence::Ownership, "");
    let mut fragment = Fragment {
        nodes: [&fbi, &exchange_only, &clean]
            .map(|n| Node::address(n.clone()))
            .to_vec(),
        tags: vec![(fbi.clone(), vec![mine.clone()])],
        ..Fragment::default()
    };
    flag_fragment(&index, &mut fragment);
    let tags: BTreeMap<&NodeId, Vec<(&str, Option<&str>)>> = fragment
        .tags
        .iter()
        .map(|(n, t)| {
            (
                n,
                t.iter()
                    .map(|t| (t.label.as_str(), t.pack.as_deref()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(tags.len(), 2, "{tags:?}");
    assert_eq!(
        tags[&fbi],
        [
            ("my note", None),
            ("TraderTraitor (DPRK) - Bybit theft", Some("fbi-psa-250226")),
            ("Some exchange", Some("exchanges"))
        ]
    );
    assert_eq!(
        tags[&exchange_only],
        [("Exchange cold wallet", Some("exchanges"))]
    );
    let once = fragment.clone();
    flag_fragment(&index, &mut fragment);
    assert_eq!(fragment, once, "idempotent");
    flag_fragment(&AttributionIndex::default(), &mut fragment);
    assert_eq!(fragment, once);

    // The flagged fragment inserts as one action.
    let mut case = Case::new("c", 0);
    apply(
        &mut case,
        Action::Insert {
            label: "expand".into(),
            fragment,
        },
    )
    .unwrap();
    assert_eq!(case.tags[&fbi].len(), 3);
    assert_eq!(
        conflict(&case.tags[&fbi]),
        None,
        "the investigator's tag rules"
    );
}

#[test]
fn flag_case_tags_existing_nodes_once_and_reports_hits_and_conflicts() {
    let (index, _) = small_index();
    let fbi = id("eth:0x51e9d833ecae4e8d9d8be17300aee6d3398c135d");
    let fbi2 = id("eth:0x96244d83dc15d36847c35209bbdc5bdde9bec3d8");
    let exchange_only = id("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let ofac =
        caseboard::model::address::parse_address("123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX").unwrap();
    let ofac = NodeId::for_address(&ofac);
    let clean = id("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    let mut case = Case::new("c", 0);
    let fragment = Fragment {
        nodes: [&fbi, &fbi2, &exchange_only, &ofac, &clean]
            .map(|n| Node::address(n.clone()))
            .to_vec(),
        ..Fragment::default()
    };
    apply(
        &mut case,
        Action::Insert {
            label: "add".into(),
            fragment,
        },
    )
    .unwrap();
    assert_eq!(hits(&case), []);

    let action = flag_case(&index, &case).expect("tags to add");
    let Action::SetTags { label, entries } = &action else {
        panic!("{action:?}")
    };
    assert_eq!(label, "flag 4 nodes from attribution packs (5 tags)");
    assert_eq!(entries.len(), 4);
    apply(&mut case, action).unwrap();
    assert_eq!(flag_case(&index, &case), None, "idempotent");

    let found = hits(&case);
    let summary: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|h| (h.node.as_str(), h.pack.as_str(), h.category.name()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "btc:123WBUDmSJv4GctdVEz6Qq6z8nXSKrJ4KX",
                "ofac-sdn-2024-09-27",
                "sanctioned"
            ),
            (
                "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
                "exchanges",
                "exchange"
            ),
            (
                "eth:0x51e9d833ecae4e8d9d8be17300aee6d3398c135d",
                "exchanges",
                "exchange"
            ),
            (
                "eth:0x51e9d833ecae4e8d9d8be17300aee6d3398c135d",
                "fbi-psa-250226",
                "dprk_attributed"
            ),
            (
                "eth:0x96244d83dc15d36847c35209bbdc5bdde9bec3d8",
                "fbi-psa-250226",
                "dprk_attributed"
            ),
        ]
    );
    assert_eq!(
        hit_summary(&found),
        "2 dprk_attributed, 2 exchange, 1 sanctioned"
    );

    // Exchange vs DPRK is a conflict until the investigator rules.
    assert_eq!(
        conflict(&case.tags[&fbi]),
        Some(vec![Category::Exchange, Category::DprkAttributed])
    );
    assert_eq!(conflict(&case.tags[&fbi2]), None);
    let mut ruled = case.tags[&fbi].clone();
    ruled.push(own(
        "checked: theft proceeds, not the exchange",
        Category::DprkAttributed,
        Confidence::ForensicInvestigation,
        "own tracing",
    ));
    apply(
        &mut case,
        Action::SetTags {
            label: "tag".into(),
            entries: vec![(fbi.clone(), ruled)],
        },
    )
    .unwrap();
    assert_eq!(conflict(&case.tags[&fbi]), None);
    assert_eq!(
        flag_case(&index, &case),
        None,
        "own tags don't bring pack tags back"
    );
}

#[test]
fn pack_error_display() {
    let error = PackError::new("tags[3].address", Some(12), "missing");
    assert_eq!(error.to_string(), "tags[3].address (line 12): missing");
}
