//! The command line, run as the real binary: demo, new, check, expand, and their errors
//! (exit code 2 with a message that names the problem).

use std::path::Path;
use std::process::{Command, Output};

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn summary_nodes(json: &str) -> u64 {
    let value: serde_json::Value = serde_json::from_str(json.trim()).expect("one line of JSON");
    value["nodes"].as_u64().expect("nodes count")
}

#[test]
fn demo_then_check_prints_the_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("demo.ron");
    let out = caseboard(&["demo", "-o", file.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = caseboard(&["check", file.to_str().expect("utf8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["format"], 2);
    assert!(json["nodes"].as_u64().expect("nodes") >= 10);
    assert!(json["transfers"].as_u64().expect("transfers") >= 10);
    for key in ["clusters", "tags"] {
        assert!(json[key].is_u64(), "{key} present");
    }
    // Deterministic: writing the demo twice gives the same bytes.
    let again = dir.path().join("again.ron");
    assert!(
        caseboard(&["demo", "-o", again.to_str().expect("utf8")])
            .status
            .success()
    );
    assert_eq!(
        std::fs::read(&file).expect("read"),
        std::fs::read(&again).expect("read")
    );
}

#[test]
fn new_from_addresses_and_invalid_ones_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("new.ron");
    let f = file.to_str().expect("utf8");
    let out = caseboard(&[
        "new",
        "-o",
        f,
        "--title",
        "Bybit follow-up",
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary_nodes(&stdout(&out)), 2);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(text.contains("Bybit follow-up"));

    let bad_file = dir.path().join("bad.ron");
    let out = caseboard(&[
        "new",
        "-o",
        bad_file.to_str().expect("utf8"),
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
        "{err}"
    );
    assert!(err.contains("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"), "{err}");
    assert!(err.contains("2 invalid"), "{err}");
    assert!(!bad_file.exists(), "nothing written");
}

/// `new --chain bch` reads a CashAddr and its legacy spelling (the CashAddr spec's first
/// translation example) as one node; `--chain ltc` reads a `3…` as Litecoin's `M…` (Litecoin
/// Core's key_io vector `MHrYRx…`); a shielded Zcash address is refused.
#[test]
fn new_on_the_new_utxo_chains_keeps_one_node_per_address() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("bch.ron");
    let f = file.to_str().expect("utf8");
    let out = caseboard(&[
        "new",
        "-o",
        f,
        "--chain",
        "bch",
        "bitcoincash:qpm2qsznhks23z7629mms6s4cwef74vcwvy22gdx6a",
        "1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary_nodes(&stdout(&out)), 1);
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(
        text.contains("\"bch:1BpEi6DfDAUFd7GtittLSdBeYJvcoaVggu\""),
        "{text}"
    );

    let file = dir.path().join("ltc.ron");
    let out = caseboard(&[
        "new",
        "-o",
        file.to_str().expect("utf8"),
        "--chain",
        "LTC",
        "3BeQ84kkQFL2xPmkhLJbsWkw5ZdHV1u25v",
        "t1h8SqgtM3QM5e2M8EzhhT1yL2PXXtA6oqe",
    ]);
    assert_eq!(out.status.code(), Some(2), "the zec address is not on ltc");
    assert!(
        stderr(&out).contains("a Zcash address is not on Litecoin"),
        "{}",
        stderr(&out)
    );
    let out = caseboard(&[
        "new",
        "-o",
        file.to_str().expect("utf8"),
        "--chain",
        "ltc",
        "3BeQ84kkQFL2xPmkhLJbsWkw5ZdHV1u25v",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&file).expect("written");
    assert!(
        text.contains("\"ltc:MHrYRxAiMNBTku3eoDHwhA1LQGDjUStZW2\""),
        "{text}"
    );

    let out = caseboard(&[
        "new",
        "-o",
        dir.path().join("zec.ron").to_str().expect("utf8"),
        "zs1qqqqqqqqqqqqqqqqqrjq05nyfku05msvu49mawhg6kr0wwljahypwyk2h88z6975u563j8nfaxd",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("only transparent addresses can be traced"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_refuses_bad_files_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cases: &[(&str, &[u8])] = &[
        ("empty.ron", b""),
        ("garbage.ron", b"this is not ron"),
        ("newer.ron", b"(format: 99, meta: (title: \"x\"))"),
        ("binary.ron", &[0xff, 0xfe, 0x00, 0x41]),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let out = caseboard(&["check", path.to_str().expect("utf8")]);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(
            stderr(&out).contains(name),
            "{name}: message names the file: {}",
            stderr(&out)
        );
    }
    let out = caseboard(&["check", dir.path().to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(2), "a directory is refused");
    let out = caseboard(&[
        "check",
        dir.path().join("missing.ron").to_str().expect("utf8"),
    ]);
    assert_eq!(out.status.code(), Some(2), "a missing file is refused");
}

#[test]
fn expand_adds_counterparties_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.ron");
    assert!(
        caseboard(&["demo", "-o", demo.to_str().expect("utf8")])
            .status
            .success()
    );
    let before = summary_nodes(&stdout(&caseboard(&[
        "check",
        demo.to_str().expect("utf8"),
    ])));
    // A split address: its outgoing peel chain is not in the demo case yet.
    let node = caseboard::sources::demo::split_addresses()[0].clone();
    let expand = |from: &Path, to: &Path| {
        caseboard(&[
            "expand",
            from.to_str().expect("utf8"),
            "--node",
            node.as_str(),
            "--direction",
            "out",
            "--limit",
            "5",
            "-o",
            to.to_str().expect("utf8"),
        ])
    };
    let expanded = dir.path().join("expanded.ron");
    let out = expand(&demo, &expanded);
    assert!(out.status.success(), "{}", stderr(&out));
    let after = summary_nodes(&stdout(&out));
    assert!(after > before, "expansion added nodes ({before} → {after})");

    let twice = dir.path().join("twice.ron");
    let out = expand(&expanded, &twice);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        summary_nodes(&stdout(&out)),
        after,
        "second expansion adds nothing"
    );
}

#[test]
fn expand_refuses_unknown_nodes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let demo = dir.path().join("demo.ron");
    assert!(
        caseboard(&["demo", "-o", demo.to_str().expect("utf8")])
            .status
            .success()
    );
    let out_path = dir.path().join("out.ron");
    for node in [
        "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
        "not-an-id",
    ] {
        let out = caseboard(&[
            "expand",
            demo.to_str().expect("utf8"),
            "--node",
            node,
            "-o",
            out_path.to_str().expect("utf8"),
        ]);
        assert_eq!(out.status.code(), Some(2), "{node}");
        assert!(!Path::new(&out_path).exists());
    }
}

#[test]
fn generate_writes_a_deterministic_synthetic_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("gen.ron");
    let f = file.to_str().expect("utf8");
    let out = caseboard(&["generate", "--nodes", "1500", "--seed", "4", "-o", f]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(stdout(&out).trim()).expect("json");
    assert_eq!(json["nodes"], 1500);
    let transfers = json["transfers"].as_u64().expect("transfers");
    assert!((2_100..=2_400).contains(&transfers), "{transfers}");
    let out = caseboard(&["check", f]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(summary_nodes(&stdout(&out)), 1500);
    let again = dir.path().join("again.ron");
    let a = again.to_str().expect("utf8");
    let out = caseboard(&["generate", "--nodes", "1500", "--seed", "4", "-o", a]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read(&file).expect("read"),
        std::fs::read(&again).expect("read")
    );
    let out = caseboard(&["generate", "--nodes", "99999999", "-o", f]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("--nodes"), "{}", stderr(&out));
}

/// The one door from the command line: `new` and `expand` change the case through the
/// document, so the file's history says who added and expanded what, and when — what the
/// app's History tab shows.
#[test]
fn new_and_expand_from_the_command_line_are_in_the_history() {
    let dir = tempfile::tempdir().expect("tempdir");
    let theft = caseboard::sources::demo::theft_address();
    let theft_address = theft.value().to_owned();
    let new = dir.path().join("new.ron");
    let started = caseboard::util::now_unix();
    let out = Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .env("CASEBOARD_INVESTIGATOR", "Ada Analyst")
        .args(["new", "-o", new.to_str().expect("utf8"), "--source", "demo"])
        .arg(&theft_address)
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let expanded = dir.path().join("expanded.ron");
    let out = Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .env("CASEBOARD_INVESTIGATOR", "Ada Analyst")
        .args([
            "expand",
            new.to_str().expect("utf8"),
            "--node",
            theft.as_str(),
        ])
        .args(["--direction", "out", "--limit", "3", "-o"])
        .arg(&expanded)
        .output()
        .expect("binary runs");
    assert!(out.status.success(), "{}", stderr(&out));
    let case = caseboard::case_file::load(&expanded).expect("loads");
    let entries: Vec<&caseboard::model::HistoryEntry> = case.history.iter().collect();
    let added = entries
        .iter()
        .find(|e| e.what.contains("add 1 address"))
        .expect("`new` recorded adding the address");
    assert_eq!(added.by, "Ada Analyst");
    let expand = entries
        .iter()
        .find(|e| e.what.starts_with("expand ") && e.what.contains("outgoing"))
        .expect("`expand` recorded the expansion");
    assert_eq!(expand.by, "Ada Analyst");
    assert!(expand.at >= started, "recorded when it happened");
    assert!(
        case.nodes.len() > 1,
        "the expansion added the counterparties"
    );
}
