//! Outputs of the command line that are not regular files (issue 12 #16): `export-csv`,
//! `render`, `tags export` and `merge` refuse a FIFO, a device node, a folder or a symlink to
//! one with exit code 2 and leave it as it was; a symlink to a regular file is written through
//! and stays a link. Also: a merge whose two sides record one transfer differently keeps a
//! conflict (issue 12 #18), and a file whose tag has a NUL is refused by `check` (#17).
#![cfg(unix)]

use caseboard::model::{Case, Node, NodeId, Transfer, TransferId};
use std::os::unix::fs::FileTypeExt as _;
use std::path::Path;
use std::process::{Command, Output};

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

fn small_case(amount: u128) -> Case {
    let a = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
    let b = NodeId::parse("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").expect("id");
    let mut case = Case::new("outputs", 1_740_000_000);
    for id in [&a, &b] {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
    }
    case.layout.positions.insert(a.clone(), [0.0, 0.0]);
    case.layout.positions.insert(b.clone(), [200.0, 50.0]);
    let tx = format!("0x{}", "ab".repeat(32));
    let id = TransferId::new("eth", &tx, "native");
    case.transfers.insert(
        id.clone(),
        Transfer {
            id,
            from: a,
            to: b,
            asset: caseboard::model::Asset::native(caseboard::model::Chain::ETHEREUM),
            amount,
            tx_hash: tx,
            block_height: Some(1),
            time: Some(1_740_147_215),
            provenance: None,
            relation_txs: None,
            memo: None,
        },
    );
    case
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success());
}

#[test]
fn exports_refuse_special_files_with_exit_code_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case_path = dir.path().join("case.ron");
    caseboard::case_file::save(&small_case(5), &case_path).expect("saved");
    let fifo = dir.path().join("out.csv");
    mkfifo(&fifo);
    let fifo_svg = dir.path().join("out.svg");
    mkfifo(&fifo_svg);
    let folder = dir.path().join("folder.svg");
    std::fs::create_dir(&folder).expect("mkdir");
    let link_to_null = dir.path().join("null.yaml");
    std::os::unix::fs::symlink("/dev/null", &link_to_null).expect("symlink");
    let case = s(&case_path);
    let runs: Vec<Vec<&str>> = vec![
        vec!["export-csv", case, "-o", s(&fifo)],
        vec!["export-csv", case, "-o", "/dev/null"],
        vec!["render", case, "-o", s(&fifo_svg)],
        vec!["render", case, "-o", s(&folder)],
        vec!["tags", "export", case, "-o", s(&link_to_null)],
        vec!["tags", "export", case, "-o", s(&fifo)],
        vec!["merge", case, case, "-o", s(&fifo)],
    ];
    for args in runs {
        let out = caseboard(&args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("not a regular file") || stderr.contains("folder"),
            "{args:?}: {stderr}"
        );
    }
    let kind = |p: &Path| {
        std::fs::symlink_metadata(p)
            .expect("still there")
            .file_type()
    };
    assert!(kind(&fifo).is_fifo());
    assert!(kind(&fifo_svg).is_fifo());
    assert!(kind(&folder).is_dir());
    assert!(kind(&link_to_null).is_symlink());
    assert!(kind(Path::new("/dev/null")).is_char_device());
}

#[test]
fn exports_write_through_a_symlink_to_a_regular_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case_path = dir.path().join("case.ron");
    caseboard::case_file::save(&small_case(5), &case_path).expect("saved");
    for (command, name) in [
        (&["export-csv"][..], "t.csv"),
        (&["render"][..], "p.svg"),
        (&["tags", "export"][..], "t.yaml"),
    ] {
        let real = dir.path().join(format!("real-{name}"));
        std::fs::write(&real, "old").expect("write");
        let link = dir.path().join(name);
        std::os::unix::fs::symlink(&real, &link).expect("symlink");
        let mut args: Vec<&str> = command.to_vec();
        args.extend([s(&case_path), "-o", s(&link)]);
        let out = caseboard(&args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_ne!(std::fs::read_to_string(&real).expect("real"), "old");
    }
}

#[test]
fn a_transfer_recorded_differently_on_both_sides_becomes_a_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mine = dir.path().join("mine.ron");
    let theirs = dir.path().join("theirs.ron");
    let out = dir.path().join("merged.ron");
    caseboard::case_file::save(&small_case(5), &mine).expect("saved");
    caseboard::case_file::save(&small_case(7), &theirs).expect("saved");
    let run = caseboard(&["merge", s(&mine), s(&theirs), "-o", s(&out)]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let merged = caseboard::case_file::load(&out).expect("loads");
    let conflicts: Vec<_> = merged.conflicts.values().collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    match &conflicts[0].kind {
        caseboard::model::ConflictKind::Transfer { mine, theirs, .. } => {
            assert_eq!((mine.amount, theirs.amount), (5, 7));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert_eq!(merged.transfers.values().next().map(|t| t.amount), Some(5));
}

#[test]
fn check_refuses_a_nul_in_a_label() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    let mut case = small_case(5);
    let node = case.nodes.keys().next().cloned().expect("node");
    case.tags.insert(
        node,
        vec![caseboard::model::Tag::new(
            "Kraken",
            caseboard::model::Category::Exchange,
            caseboard::model::Confidence::Heuristic,
            "",
        )],
    );
    caseboard::case_file::save(&case, &path).expect("saved");
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("\"Kraken\"", "\"Kra\\u{0}ken\"")).expect("write");
    let out = caseboard(&["check", s(&path)]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("NUL"));
}
