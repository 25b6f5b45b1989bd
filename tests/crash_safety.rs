//! Files that survive a crash: the binary is killed at random points while it rewrites a case
//! file in place (`caseboard migrate`, which loads, converts and saves atomically), 200 times.
//! After every kill the case file must load, and be either exactly the original or exactly the
//! completed rewrite — never a mix, never truncated.

use caseboard::case_file;
use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 200;

fn eth(i: u32) -> NodeId {
    NodeId::parse(&format!("eth:0x{:040x}", 0x10_0000 + i)).expect("valid id")
}

/// A case big enough that saving it takes a while (thousands of nodes and transfers).
fn big_case() -> Case {
    let mut case = Case::new("crash test", 1_740_000_000);
    let n = 1_500u32;
    for i in 0..n {
        case.nodes.insert(eth(i), Node::address(eth(i)));
        case.layout
            .positions
            .insert(eth(i), [i as f32 * 1.5, (i % 97) as f32]);
    }
    for i in 0..(n * 3 / 2) {
        let (from, to) = (i % n, (i * 7 + 1) % n);
        let hash = format!("{:064x}", u64::from(i) + 1);
        let t = Transfer {
            id: TransferId::new("eth", &hash, "native"),
            from: eth(from),
            to: eth(to),
            asset: Asset::native(Chain::ETHEREUM),
            amount: u128::from(i) * 1_000_000_000_000_000_007,
            tx_hash: hash,
            block_height: Some(21_000_000 + u64::from(i)),
            time: Some(1_740_000_000 + i64::from(i)),
            provenance: None,
            relation_txs: None,
            memo: None,
        };
        case.transfers.insert(t.id.clone(), t);
    }
    case
}

/// The case as a format-1 file (what an older Caseboard wrote).
fn format_1_text(case: &Case) -> String {
    let text = case_file::to_ron_string(case).expect("serializes");
    let text = text.replacen("    format: 2,\n", "    format: 1,\n", 1);
    text.lines()
        .filter(|l| !l.starts_with("    content_hash: "))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// xorshift64* for kill delays (deterministic).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn run_migrate(path: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .arg("migrate")
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("binary starts")
}

#[test]
fn killing_a_save_at_random_points_never_corrupts_the_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("case.ron");
    let original = big_case();
    let original_text = format_1_text(&original);

    // One uninterrupted run: how long it takes, and what it writes.
    std::fs::write(&path, &original_text).expect("write");
    let started = Instant::now();
    let status = run_migrate(&path).wait().expect("runs");
    let full_run = started.elapsed();
    assert!(status.success());
    let (migrated, report) = case_file::load_report(&path).expect("migrated file loads");
    assert_eq!(report.migrated_from, None);
    assert_eq!(report.integrity, case_file::Integrity::Verified);
    let without_history = |case: &Case| Case {
        history: Vec::new(),
        meta: caseboard::model::CaseMeta {
            contributors: Default::default(),
            ..case.meta.clone()
        },
        ..case.clone()
    };
    assert_eq!(without_history(&migrated), without_history(&original));
    assert_eq!(migrated.history.len(), 1);

    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let window_us = u64::try_from(full_run.as_micros())
        .unwrap_or(1_000_000)
        .max(1)
        * 6
        / 5;
    let (mut kept, mut rewritten) = (0, 0);
    for run in 0..RUNS {
        std::fs::write(&path, &original_text).expect("reset");
        let mut child = run_migrate(&path);
        // Half the kills anywhere in the run, half late in it, where the save happens (the
        // load and conversion take most of a run).
        let delay_us = if run % 2 == 0 {
            rng.next() % window_us
        } else {
            window_us / 2 + rng.next() % (window_us / 2)
        };
        std::thread::sleep(Duration::from_micros(delay_us));
        let _ = child.kill();
        let _ = child.wait();
        let text = std::fs::read_to_string(&path).expect("the case file is always there");
        if text == original_text {
            kept += 1;
            continue;
        }
        let (loaded, report) = case_file::load_report(&path)
            .unwrap_or_else(|e| panic!("run {run}: the case file does not load: {e}"));
        assert_eq!(
            report.integrity,
            case_file::Integrity::Verified,
            "run {run}: a rewritten file is complete"
        );
        assert_eq!(
            without_history(&loaded),
            without_history(&original),
            "run {run}"
        );
        assert!(
            loaded.history[0]
                .what
                .contains("migrated from case format 1")
        );
        rewritten += 1;
    }
    println!(
        "{RUNS} kills within {window_us} µs (one full run {full_run:?}): {kept} left the original, \
         {rewritten} the complete rewrite, 0 corrupt"
    );
    assert_eq!(kept + rewritten, RUNS);
}
