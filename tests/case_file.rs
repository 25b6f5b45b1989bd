//! Case files end to end: round trips, deterministic bytes, atomic saves, and every kind of bad
//! input refused with a clear, located error and never a panic.

use caseboard::case_file::{
    self, CaseFileError, CaseFileErrorKind, FORMAT_VERSION, MAX_FILE_BYTES,
};
use caseboard::model::node::Provenance;
use caseboard::model::{
    Asset, Case, CaseView, Category, Chain, Cluster, ClusterId, Confidence, Node, NodeId,
    SourceConfig, Tag, Transfer, TransferId,
};
use std::collections::BTreeSet;
use std::path::Path;

const GENESIS: &str = "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
const P2SH: &str = "btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy";
const BECH32: &str = "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq";
const GENESIS_TX: &str = "btc-tx:4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
const BYBIT_COLD: &str = "eth:0x1db92e2eebc8e0c075a02bea49a2935bcd2dfcf4";
const EXPLOITER: &str = "eth:0x47666fab8bd0ac7003bce3f5c3585383f09486e2";

/// Positions that are hard to print and read back exactly.
const AWKWARD: [[f32; 2]; 6] = [
    [0.1, -0.0],
    [1.0 / 3.0, -2.0 / 3.0],
    [f32::MIN_POSITIVE, 1.0e-45], // smallest normal, smallest subnormal
    [f32::MAX, f32::MIN],
    [16_777_216.0, -123_456.79],
    [std::f32::consts::PI, 1.0e-7],
];

fn id(text: &str) -> NodeId {
    NodeId::parse(text).expect("valid node id")
}

fn prov() -> Provenance {
    Provenance {
        source: "demo".to_owned(),
        request: "address 1A1z…".to_owned(),
        fetched_at: 1_740_147_180,
        block_height: Some(884_000),
    }
}

/// A small case exercising every part of the format.
fn sample_case() -> Case {
    let mut case = Case::new("Bybit — \"cold wallet\" drain\nline two", 1_740_147_180);
    case.meta.description = "Hand-built test case; ünïcödé, tabs\tand \\ backslashes".to_owned();
    case.meta.modified = 1_740_150_000;

    let ids: Vec<NodeId> = [GENESIS, P2SH, BECH32, GENESIS_TX, BYBIT_COLD, EXPLOITER]
        .iter()
        .map(|t| id(t))
        .collect();
    for node_id in &ids {
        let mut node = if node_id.is_transaction() {
            Node::transaction(node_id.clone())
        } else {
            Node::address(node_id.clone())
        };
        if node_id.as_str() == GENESIS {
            node.balance = Some(5_000_000_000);
            node.tx_count = Some(u64::MAX);
            node.provenance = Some(Box::new(prov()));
        }
        if node_id.as_str() == BYBIT_COLD {
            // Above u64::MAX: must survive as an exact string.
            node.balance = Some(u128::MAX);
        }
        case.nodes.insert(node_id.clone(), node);
    }

    let btc = Asset::native(Chain::Bitcoin);
    let eth = Asset::native(Chain::ETHEREUM);
    let usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdAC17F958D2ee523a2206206994597C13D831ec7",
    );
    let txid = GENESIS_TX.trim_start_matches("btc-tx:");
    let transfers = [
        Transfer {
            id: TransferId::new("btc", txid, "in0"),
            from: id(GENESIS),
            to: id(GENESIS_TX),
            asset: btc.clone(),
            amount: 5_000_000_000,
            tx_hash: txid.to_owned(),
            block_height: Some(0),
            time: Some(1_231_006_505),
            provenance: Some(Box::new(prov())),
            relation_txs: None,
            memo: None,
        },
        Transfer {
            id: TransferId::new("btc", txid, "out0"),
            from: id(GENESIS_TX),
            to: id(BECH32),
            asset: btc,
            amount: 1,
            tx_hash: txid.to_owned(),
            block_height: None,
            time: None,
            provenance: None,
            relation_txs: None,
            memo: None,
        },
        Transfer {
            id: TransferId::new(
                "eth",
                "0xB61413C495FDAD6114A7AA863A00B2E3C28945979A10885B12B30316EA9F072C",
                "native",
            ),
            from: id(BYBIT_COLD),
            to: id(EXPLOITER),
            asset: eth,
            amount: 401_346_768_876_190_000_000_000, // > u64::MAX wei
            tx_hash: "0xb61413c495fdad6114a7aa863a00b2e3c28945979a10885b12b30316ea9f072c"
                .to_owned(),
            block_height: Some(21_895_238),
            time: Some(1_740_147_131),
            provenance: None,
            relation_txs: None,
            memo: None,
        },
        Transfer {
            id: TransferId::new("eth", "0x01", "log3"),
            from: id(EXPLOITER),
            to: id(BYBIT_COLD),
            asset: usdt,
            amount: u128::from(u64::MAX) + 1,
            tx_hash: "0x01".to_owned(),
            block_height: Some(1),
            time: None,
            provenance: None,
            relation_txs: None,
            memo: None,
        },
    ];
    for t in transfers {
        case.transfers.insert(t.id.clone(), t);
    }

    case.tags.insert(
        id(BYBIT_COLD),
        vec![
            Tag {
                label: "Bybit cold wallet".to_owned(),
                category: Category::Exchange,
                confidence: Confidence::AuthorityData,
                source: "https://example.org/report".to_owned(),
                author: "alice".to_owned(),
                created: 1_740_150_000,
                note: String::new(),
                pack: Some("ofac".to_owned()),
                actor: Some("lazarusgroup".to_owned()),
                abuse: Some("sanction".to_owned()),
                concepts: vec!["service_hack".to_owned(), "money_laundering".to_owned()],
            },
            Tag {
                label: "victim".to_owned(),
                category: Category::Victim,
                confidence: Confidence::Heuristic,
                source: String::new(),
                author: String::new(),
                created: 0,
                note: "second opinion".to_owned(),
                ..Tag::new("", Category::Unknown, Confidence::Unknown, "")
            },
        ],
    );
    case.tags.insert(
        id(EXPLOITER),
        vec![Tag {
            label: "Lazarus".to_owned(),
            category: Category::Custom("ransomware crew".to_owned()),
            confidence: Confidence::ForensicInvestigation,
            source: "FBI PSA".to_owned(),
            author: "bob".to_owned(),
            created: 1_740_500_000,
            note: "multi\nline".to_owned(),
            ..Tag::new("", Category::Unknown, Confidence::Unknown, "")
        }],
    );

    case.clusters.insert(
        ClusterId(7),
        Cluster {
            id: ClusterId(7),
            label: "Genesis spenders".to_owned(),
            category: Category::DprkAttributed,
            confidence: Confidence::Heuristic,
            source: "co-spend".to_owned(),
            note: String::new(),
            members: BTreeSet::from([id(GENESIS), id(P2SH)]),
        },
    );

    for (node_id, pos) in ids.iter().zip(AWKWARD) {
        case.layout.positions.insert(node_id.clone(), pos);
    }
    case.layout.pinned.insert(id(EXPLOITER));
    case.layout.pinned.insert(id(GENESIS));
    case.view = CaseView {
        zoom: 0.1 + 0.2,
        pan: [-1.0e-3, 12_345.678],
        filter: caseboard::model::GraphFilter {
            since_unix: Some(1_740_096_000),
            min_usd_cents: Some(1_000_000),
            assets: vec!["eth".to_owned()],
            hide_leaves: true,
            ..Default::default()
        },
    };
    case.source = SourceConfig::Demo;
    assert!(case.validate().is_empty(), "{:?}", case.validate());
    case
}

fn sample_text() -> String {
    case_file::to_ron_string(&sample_case()).expect("serializes")
}

fn load_text(text: &str) -> Result<Case, CaseFileError> {
    case_file::load_str(text, Path::new("t.ron"))
}

fn refused(text: &str) -> CaseFileError {
    let err = load_text(text).expect_err("must be refused");
    assert!(
        err.to_string().starts_with("t.ron"),
        "message names the file: {err}"
    );
    err
}

/// Replaces the first occurrence of `from` (which must exist) in the sample text.
fn edited(from: &str, to: &str) -> String {
    let text = sample_text();
    assert!(text.contains(from), "sample text has {from:?}:\n{text}");
    text.replacen(from, to, 1)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn round_trip_is_equal_and_bit_exact() {
    let case = sample_case();
    let text = case_file::to_ron_string(&case).expect("serializes");
    let back = load_text(&text).expect("loads");
    assert_eq!(back, case);
    for (node_id, pos) in &case.layout.positions {
        let got = back.layout.positions[node_id];
        assert_eq!(
            got.map(f32::to_bits),
            pos.map(f32::to_bits),
            "{node_id}: {got:?} vs {pos:?}"
        );
    }
    assert_eq!(back.view.zoom.to_bits(), case.view.zoom.to_bits());
    assert_eq!(back.nodes[&id(BYBIT_COLD)].balance, Some(u128::MAX));
    // Load → save gives the same bytes again.
    assert_eq!(case_file::to_ron_string(&back).expect("again"), text);
}

#[test]
fn text_is_deterministic_sorted_and_starts_with_the_format() {
    let text = sample_text();
    assert!(
        text.starts_with("(\n    format: 2,\n    content_hash: \""),
        "{text}"
    );
    assert!(text.ends_with(")\n"));
    assert!(!text.contains('\r'));
    assert_eq!(text, sample_text());
    // Amounts are strings of base units, never numbers that a reader could round.
    assert!(
        text.contains("amount: \"401346768876190000000000\""),
        "{text}"
    );
    assert!(text.contains("balance: Some(\"340282366920938463463374607431768211455\")"));
    // Nodes listed sorted by id, whatever the insertion order.
    let mut sorted_ids = [BECH32, P2SH, GENESIS, GENESIS_TX, BYBIT_COLD, EXPLOITER];
    sorted_ids.sort_unstable();
    let places: Vec<usize> = sorted_ids
        .iter()
        .map(|n| text.find(&format!("id: \"{n}\"")).expect("node listed"))
        .collect();
    assert!(places.windows(2).all(|w| w[0] < w[1]), "nodes sorted");
    let top_fields: Vec<usize> = [
        "\n    format:",
        "\n    meta:",
        "\n    source:",
        "\n    nodes:",
        "\n    transfers:",
        "\n    tags:",
        "\n    clusters:",
        "\n    layout:",
        "\n    view:",
    ]
    .iter()
    .map(|f| text.find(f).expect("top-level field present"))
    .collect();
    assert!(top_fields.windows(2).all(|w| w[0] < w[1]), "field order");
}

#[test]
fn saving_twice_gives_identical_bytes_and_does_not_change_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = sample_case();
    let before = case.clone();
    let (a, b) = (dir.path().join("a.ron"), dir.path().join("b.ron"));
    case_file::save(&case, &a).expect("save a");
    case_file::save(&case, &b).expect("save b");
    assert_eq!(case, before, "save must not change the case");
    let bytes_a = std::fs::read(&a).expect("read a");
    assert_eq!(bytes_a, std::fs::read(&b).expect("read b"));
    let loaded = case_file::load(&a).expect("load");
    assert_eq!(loaded, case);
    case_file::save(&loaded, &b).expect("re-save");
    assert_eq!(bytes_a, std::fs::read(&b).expect("read b again"));
}

#[test]
fn atomic_save_replaces_the_file_and_leaves_no_temporary_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    std::fs::write(&path, "old contents").expect("write old");
    let case = sample_case();
    case_file::save(&case, &path).expect("save over old");
    assert_eq!(files_in(dir.path()), ["case.ron"]);
    assert_eq!(case_file::load(&path).expect("load"), case);

    // A relative-free path in the current folder style also works (parent = the folder).
    let mut other = case.clone();
    other.meta.title = "second version".to_owned();
    case_file::save(&other, &path).expect("save again");
    assert_eq!(files_in(dir.path()), ["case.ron"]);
    assert_eq!(
        case_file::load(&path).expect("load").meta.title,
        "second version"
    );
}

#[test]
fn a_failed_save_leaves_the_old_file_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    case_file::save(&sample_case(), &path).expect("first save");
    let old = std::fs::read(&path).expect("read");

    // A case that could not be read back is refused, and nothing is written.
    let mut broken = sample_case();
    broken.layout.positions.insert(id(GENESIS), [f32::NAN, 0.0]);
    let err = case_file::save(&broken, &path).expect_err("refused");
    assert!(matches!(err.kind, CaseFileErrorKind::Invalid(_)), "{err}");
    assert!(err.to_string().contains("case.ron"), "{err}");
    assert_eq!(std::fs::read(&path).expect("read"), old);
    assert_eq!(files_in(dir.path()), ["case.ron"]);

    // A folder in the way.
    let folder = dir.path().join("folder.ron");
    std::fs::create_dir(&folder).expect("mkdir");
    let err = case_file::save(&sample_case(), &folder).expect_err("refused");
    assert!(matches!(err.kind, CaseFileErrorKind::NotAFile(_)), "{err}");
    assert_eq!(files_in(dir.path()), ["case.ron", "folder.ron"]);
}

#[test]
fn summary_json_is_exact() {
    assert_eq!(
        case_file::summary_json(&sample_case()),
        r#"{"format":2,"nodes":6,"transfers":4,"clusters":1,"tags":3}"#
    );
    assert_eq!(
        case_file::summary_json(&Case::new("x", 0)),
        r#"{"format":2,"nodes":0,"transfers":0,"clusters":0,"tags":0}"#
    );
}

#[test]
fn the_hand_written_fixture_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case_file/minimal.ron");
    let case = case_file::load(&path).expect("fixture loads");
    assert_eq!(case.meta.title, "Minimal example case");
    assert_eq!(
        case_file::summary_json(&case),
        r#"{"format":2,"nodes":3,"transfers":2,"clusters":1,"tags":1}"#
    );
    assert_eq!(case.annotations.notes.len(), 1);
    assert_eq!(case.annotations.edge_highlights.len(), 1);
    assert_eq!(case.history.len(), 1);
    assert_eq!(
        case.source_for_chain("btc"),
        &SourceConfig::Esplora {
            url: "http://127.0.0.1:3000".to_owned()
        }
    );
    assert_eq!(case.source_for_chain("eth"), &SourceConfig::Demo);
    // Edited by hand: it opens, and the report says the content no longer matches.
    let (_, report) = case_file::load_report(&path).expect("loads");
    assert_eq!(report.integrity, case_file::Integrity::NoHash);
    assert_eq!(report.migrated_from, None);
    let exploiter = id(EXPLOITER);
    assert!(case.layout.pinned.contains(&exploiter));
    assert_eq!(case.layout.positions[&exploiter], [120.5, -40.25]);
    let big = case
        .transfers
        .values()
        .find(|t| t.to == exploiter)
        .expect("transfer to the exploiter");
    assert_eq!(big.amount, 401_346_768_876_190_000_000_000);
    // What Caseboard writes for it loads back equal.
    let text = case_file::to_ron_string(&case).expect("serializes");
    assert_eq!(load_text(&text).expect("reloads"), case);
}

#[test]
fn refuses_missing_and_folder_and_oversized_files() {
    let dir = tempfile::tempdir().expect("tempdir");

    let missing = dir.path().join("missing.ron");
    let err = case_file::load(&missing).expect_err("missing");
    assert!(matches!(err.kind, CaseFileErrorKind::Io(_)), "{err}");
    assert!(err.to_string().contains("missing.ron"), "{err}");

    let err = case_file::load(dir.path()).expect_err("folder");
    assert!(matches!(err.kind, CaseFileErrorKind::NotAFile(_)), "{err}");

    // A sparse file just over the limit: refused from its size, never read.
    let huge = dir.path().join("huge.ron");
    let file = std::fs::File::create(&huge).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("sparse file");
    let err = case_file::load(&huge).expect_err("too large");
    assert_eq!(
        err.kind,
        CaseFileErrorKind::TooLarge {
            size: MAX_FILE_BYTES + 1,
            limit: MAX_FILE_BYTES
        }
    );
    assert!(err.to_string().contains("huge.ron"), "{err}");

    let empty = dir.path().join("empty.ron");
    std::fs::write(&empty, "").expect("write");
    let err = case_file::load(&empty).expect_err("empty");
    assert_eq!(err.kind, CaseFileErrorKind::Empty);
    assert!(err.to_string().starts_with(&empty.display().to_string()));
}

#[test]
fn refuses_empty_and_blank_input() {
    assert_eq!(refused("").kind, CaseFileErrorKind::Empty);
    assert_eq!(refused(" \n\t\n").kind, CaseFileErrorKind::Empty);
    let err = case_file::load_bytes(b"", Path::new("t.ron")).expect_err("empty");
    assert_eq!(err.kind, CaseFileErrorKind::Empty);
}

#[test]
fn syntax_errors_have_line_and_column() {
    // Truncated: ends inside the file.
    let text = sample_text();
    let err = refused(&text[..text.len() / 2]);
    assert!(matches!(err.kind, CaseFileErrorKind::Syntax(_)), "{err}");
    assert!(err.line.is_some() && err.column.is_some(), "{err:?}");
    let shown = format!(
        "t.ron:{}:{}: ",
        err.line.unwrap_or(0),
        err.column.unwrap_or(0)
    );
    assert!(err.to_string().starts_with(&shown), "{err}");

    // A missing comma on a known line.
    let err = refused("(\n    format: 1,\n    meta: (title: \"x\")\n    nodes: [],\n)");
    assert!(matches!(err.kind, CaseFileErrorKind::Syntax(_)), "{err}");
    assert_eq!(err.line, Some(4), "{err}");
    assert!(err.to_string().starts_with("t.ron:4:"), "{err}");

    // Not RON at all.
    for junk in [
        "hello world",
        "{\"format\": 1}",
        "<xml/>",
        "42",
        "[1, 2]",
        "\"text\"",
    ] {
        let err = refused(junk);
        assert!(
            matches!(err.kind, CaseFileErrorKind::Syntax(_)),
            "{junk}: {err}"
        );
        assert!(err.line.is_some(), "{junk}: {err}");
    }
}

#[test]
fn wrong_types_are_syntax_errors_with_a_place() {
    for (from, to) in [
        ("nodes: [", "nodes: 5, x: ["),
        ("amount: \"1\"", "amount: 1"),
        ("zoom: ", "zoom: \"big\", z: "),
        ("kind: Address", "kind: Planet"),
        ("source: Demo", "source: Esplora"),
    ] {
        let err = refused(&edited(from, to));
        assert!(
            matches!(err.kind, CaseFileErrorKind::Syntax(_)),
            "{to}: {err}"
        );
        assert!(err.line.is_some(), "{to}: {err}");
    }
    let err = refused(&edited("amount: \"1\"", "amount: \"-1\""));
    assert!(err.to_string().contains("whole number"), "{err}");
}

#[test]
fn refuses_missing_format() {
    let text = edited("    format: 2,\n", "");
    assert_eq!(refused(&text).kind, CaseFileErrorKind::MissingFormat);
    assert_eq!(refused("()").kind, CaseFileErrorKind::MissingFormat);
    let err = refused("(meta: (title: \"x\"))");
    assert_eq!(err.kind, CaseFileErrorKind::MissingFormat);
    assert!(err.to_string().contains("format"), "{err}");
}

#[test]
fn refuses_a_newer_format_naming_both_versions() {
    let err = refused(&edited("format: 2,", "format: 3,"));
    assert_eq!(
        err.kind,
        CaseFileErrorKind::NewerFormat {
            found: 3,
            supported: FORMAT_VERSION
        }
    );
    let message = err.to_string();
    assert!(message.starts_with("t.ron: "), "{message}");
    assert!(message.contains("newer Caseboard"), "{message}");
    assert!(message.contains("case format 3"), "{message}");
    assert!(message.contains("this build reads format 2"), "{message}");
    assert!(message.contains("update Caseboard"), "{message}");
    // Refused before the rest is read: a newer shape must not produce a shape error.
    let err = refused("(format: 4, graph: Hypergraph { edges: [[1, 2, 3]] }, meta: 12)");
    assert!(
        matches!(err.kind, CaseFileErrorKind::NewerFormat { found: 4, .. }),
        "{err}"
    );
}

#[test]
fn refuses_transfers_naming_unknown_nodes_listing_every_problem() {
    let mut text = edited(
        &format!("to: \"{BECH32}\""),
        "to: \"btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2\"",
    );
    text = text.replacen(
        &format!("pinned: [\n            \"{GENESIS}\""),
        "pinned: [\n            \"btc:1dice8EMZmqKvrGE4Qc9bUFf9PX3xaYDp\"",
        1,
    );
    let err = refused(&text);
    match &err.kind {
        CaseFileErrorKind::Invalid(problems) => {
            assert_eq!(problems.len(), 2, "{problems:?}");
            assert!(problems[0].contains("btc:1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"));
            assert!(problems[1].contains("btc:1dice8EMZmqKvrGE4Qc9bUFf9PX3xaYDp"));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("2 problems"), "{err}");
}

#[test]
fn refuses_duplicate_ids_at_their_line() {
    let cases = [
        (
            format!(
                "(\n    format: 1,\n    meta: (title: \"x\"),\n    nodes: [\n        \
                 (id: \"{GENESIS}\", kind: Address),\n        \
                 (id: \"{BECH32}\", kind: Address),\n        \
                 (id: \"{GENESIS}\", kind: Address),\n    ],\n)"
            ),
            "node id",
            GENESIS.to_owned(),
            7,
        ),
        (
            edited(
                "    clusters: [\n",
                "    clusters: [\n        (id: 7, label: \"again\", category: mixer, confidence: unknown, members: []),\n",
            ),
            "cluster id",
            "7".to_owned(),
            0,
        ),
        (
            edited(
                &format!("\"{GENESIS}\": ("),
                &format!("\"{GENESIS}\": (1.0, 2.0),\n            \"{GENESIS}\": ("),
            ),
            "layout position for node",
            GENESIS.to_owned(),
            0,
        ),
        (
            edited(
                "    tags: {\n",
                &format!("    tags: {{\n        \"{EXPLOITER}\": [],\n"),
            ),
            "tags entry for node",
            EXPLOITER.to_owned(),
            0,
        ),
    ];
    for (text, what, id, line) in cases {
        let err = refused(&text);
        assert_eq!(
            err.kind,
            CaseFileErrorKind::Duplicate {
                what,
                id: id.clone()
            },
            "{err}"
        );
        assert!(err.line.is_some(), "{err}");
        if line > 0 {
            assert_eq!(err.line, Some(line), "{err}");
        }
        let shown = format!("duplicate {what} {id}");
        assert!(err.to_string().ends_with(&shown), "{err}");
    }

    // A whole transfer repeated.
    let text = sample_text();
    let start = text.find("    transfers: [\n").expect("transfers") + "    transfers: [\n".len();
    let end = start + text[start..].find("\n        ),\n").expect("end of first") + 12;
    let first = &text[start..end];
    let doubled = format!("{}{first}{}", &text[..end], &text[end..]);
    match refused(&doubled).kind {
        CaseFileErrorKind::Duplicate { what, .. } => assert_eq!(what, "transfer id"),
        other => panic!("unexpected {other:?}"),
    }

    // A duplicate in one load does not leak into the next (a real syntax error stays one).
    let err = refused("(format: 1, meta: (title: \"x\"), nodes: [(id: \"x\" kind: Address)])");
    assert!(matches!(err.kind, CaseFileErrorKind::Syntax(_)), "{err}");
}

#[test]
fn refuses_invalid_and_non_canonical_node_ids() {
    let upper = "eth:0x47666Fab8bd0Ac7003bce3f5C3585383F09486E2";
    let err = refused(&sample_text().replace(EXPLOITER, upper));
    match &err.kind {
        CaseFileErrorKind::InvalidNodeId { id, reason, .. } => {
            assert_eq!(id, upper);
            assert!(reason.contains("canonical"), "{reason}");
            assert!(reason.contains(EXPLOITER), "{reason}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains(upper), "{err}");
    let line = sample_text()
        .lines()
        .position(|l| l.contains(EXPLOITER))
        .expect("listed")
        + 1;
    assert_eq!(err.line, Some(line), "points at the first use: {err}");

    // A bad checksum, a missing prefix, an unknown chain: each names the id and the place.
    for bad in [
        "btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "doge:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
    ] {
        let err = refused(&sample_text().replace(GENESIS, bad));
        match &err.kind {
            CaseFileErrorKind::InvalidNodeId { id, place, .. } => {
                assert_eq!(id, bad);
                assert_eq!(&**place, "the node list");
            }
            other => panic!("{bad}: unexpected {other:?}"),
        }
    }

    // Only the transfer's end is wrong: the place names the transfer.
    let err = refused(&edited(
        &format!("to: \"{BECH32}\""),
        "to: \"btc:BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ\"",
    ));
    match &err.kind {
        CaseFileErrorKind::InvalidNodeId { place, .. } => {
            assert!(place.starts_with("transfer btc:"), "{place}");
            assert!(place.ends_with(":out0 (to)"), "{place}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    const DEPTH: usize = 100_000;
    let open = |s: &str| s.repeat(DEPTH);
    let close = |s: &str| s.repeat(DEPTH);
    // Places where the parser must descend (values it skips or probes): the recursion limit.
    let deep = [
        format!("(meta: {}, format: 1)", open("(")),
        format!("(meta: {}{}, format: 1)", open("["), close("]")),
        format!("(meta: {}, format: 1)", open("{\"a\": ")),
        format!("(meta: {}, format: 1)", open("Some(")),
        format!("(format: 1, meta: (title: \"x\", extra: {}))", open("[")),
        format!(
            "(format: 1, meta: (title: \"x\"), nodes: [(id: \"{GENESIS}\", kind: Address, junk: {})])",
            open("(")
        ),
    ];
    for text in &deep {
        let err = refused(text);
        assert!(matches!(err.kind, CaseFileErrorKind::Syntax(_)), "{err}");
        // Refused either for the depth or, now that unknown fields are refused everywhere
        // (issue 12 #14), for the unknown field that holds the deep value: never a crash.
        let message = err.to_string();
        assert!(
            message.contains("nested more than") || message.contains("Unexpected field"),
            "{err}"
        );
    }
    // Places where a typed value is expected: refused at the first wrong bracket.
    let shallow = [
        format!("(format: 1, meta: (title: \"x\"), nodes: {})", open("[")),
        format!(
            "(format: 1, meta: (title: \"x\"), tags: {{\"{GENESIS}\": {}}})",
            open("[")
        ),
        open("("),
        open("["),
        open("{"),
    ];
    for text in &shallow {
        let err = refused(text);
        assert!(matches!(err.kind, CaseFileErrorKind::Syntax(_)), "{err}");
    }
}

#[test]
fn refuses_non_utf8_bytes_with_their_position() {
    let mut bytes = b"(\n    format: 1,\n    meta: (title: \"ab".to_vec();
    bytes.push(0xff);
    bytes.extend_from_slice(b"\"),\n)\n");
    let err = case_file::load_bytes(&bytes, Path::new("t.ron")).expect_err("not utf-8");
    assert_eq!(
        err.kind,
        CaseFileErrorKind::NotUtf8 {
            offset: 38,
            byte: 0xff
        }
    );
    assert_eq!((err.line, err.column), (Some(3), Some(22)));
    assert!(
        err.to_string().starts_with("t.ron:3:22: not UTF-8"),
        "{err}"
    );

    // From a file too, and a byte-order mark in front is accepted.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("latin1.ron");
    std::fs::write(&path, &bytes).expect("write");
    let err = case_file::load(&path).expect_err("not utf-8");
    assert!(
        matches!(err.kind, CaseFileErrorKind::NotUtf8 { .. }),
        "{err}"
    );
    let mut with_bom = "\u{feff}".as_bytes().to_vec();
    with_bom.extend_from_slice(sample_text().as_bytes());
    assert_eq!(
        case_file::load_bytes(&with_bom, Path::new("t.ron")).expect("BOM accepted"),
        sample_case()
    );
}

/// Whatever load accepts must save and load back equal.
fn accepted_is_stable(case: &Case) {
    let text = case_file::to_ron_string(case).expect("an accepted case saves");
    assert_eq!(&load_text(&text).expect("and loads back"), case);
}

#[test]
fn truncation_at_every_offset_never_panics() {
    let text = sample_text();
    let bytes = text.as_bytes();
    for cut in 0..bytes.len() {
        if let Ok(case) = case_file::load_bytes(&bytes[..cut], Path::new("t.ron")) {
            accepted_is_stable(&case);
        }
    }
    // Only the whole text (give or take trailing whitespace) is a complete case.
    assert!(case_file::load_bytes(&bytes[..bytes.len() - 2], Path::new("t.ron")).is_err());
}

#[test]
fn mutated_bytes_never_panic() {
    let text = sample_text();
    let replacements: &[u8] = b"\x00\xff\xc3()[]{}\",:0 9-eZ\\\n";
    let mut accepted = 0usize;
    for offset in (0..text.len()).step_by(7) {
        let mut variants: Vec<Vec<u8>> = replacements
            .iter()
            .map(|&byte| {
                let mut bytes = text.as_bytes().to_vec();
                bytes[offset] = byte;
                bytes
            })
            .collect();
        let mut shorter = text.as_bytes().to_vec();
        shorter.remove(offset);
        variants.push(shorter);
        let mut doubled = text.as_bytes().to_vec();
        doubled.insert(offset, text.as_bytes()[offset]);
        variants.push(doubled);
        for bytes in variants {
            if let Ok(case) = case_file::load_bytes(&bytes, Path::new("t.ron")) {
                accepted += 1;
                accepted_is_stable(&case);
            }
        }
    }
    assert!(
        accepted > 0,
        "some harmless mutations (inside strings) load"
    );
}

#[test]
fn a_format_1_file_migrates_and_an_edited_file_is_noticed() {
    let old =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/case_file/minimal-format1.ron");
    let (case, report) = case_file::load_report(&old).expect("format 1 opens");
    assert_eq!(report.migrated_from, Some(1));
    assert_eq!(case.nodes.len(), 3);
    assert!(report.message().is_some_and(|m| m.contains("format 1")));

    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    case_file::save(&case, &path).expect("saves");
    let (again, report) = case_file::load_report(&path).expect("reloads");
    assert_eq!(again, case);
    assert_eq!(report.migrated_from, None);
    assert_eq!(report.integrity, case_file::Integrity::Verified);
    assert_eq!(report.message(), None);

    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        text.replace("Minimal example case", "Edited by hand"),
    )
    .expect("write");
    let (edited, report) = case_file::load_report(&path).expect("an edited file still opens");
    assert_eq!(edited.meta.title, "Edited by hand");
    assert_eq!(report.integrity, case_file::Integrity::Edited);
    assert!(
        report
            .message()
            .is_some_and(|m| m.contains("outside Caseboard"))
    );
}
