//! `caseboard tags import|match|export` run as the real binary.

use std::process::{Command, Output};

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .output()
        .expect("binary runs")
}

const FBI_FIRST: &str = "0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D";

#[test]
fn import_reports_a_summary_or_every_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("address,chain,label,category,confidence,source\n{FBI_FIRST},ETH,Bybit exploiter,dprk_attributed,authority_data,FBI\n"),
    )
    .expect("write");
    let out = caseboard(&["tags", "import", good.to_str().expect("utf8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 address tags"));

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "address,chain,label,category,confidence,source\n\
         0xnothex,ETH,a,exchange,authority_data,s\n\
         bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,b,exchange,very_sure,s\n",
    )
    .expect("write");
    let out = caseboard(&["tags", "import", bad.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.csv"), "{err}");
    assert!(
        err.contains("row 2") && err.contains("row 3"),
        "every error with its row: {err}"
    );
}

#[test]
fn match_prints_hits_as_json_lines_and_export_writes_a_tagpack() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("case.ron");
    // One FBI-listed address (checksum case) and one unrelated address.
    let out = caseboard(&[
        "new",
        "-o",
        case.to_str().expect("utf8"),
        FBI_FIRST,
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = caseboard(&["tags", "match", case.to_str().expect("utf8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let hits: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert!(
        hits.iter().any(
            |h| h["node"] == FBI_FIRST.to_lowercase().replace("0x", "eth:0x")
                && h["category"] == "dprk_attributed"
                && h["pack"] == "fbi-psa-250226"
        ),
        "{stdout}"
    );
    assert!(
        hits.iter()
            .all(|h| h["node"] != "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")
    );

    let out_file = dir.path().join("tags.yaml");
    let out = caseboard(&[
        "tags",
        "export",
        case.to_str().expect("utf8"),
        "-o",
        out_file.to_str().expect("utf8"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let yaml = std::fs::read_to_string(&out_file).expect("written");
    assert!(
        yaml.contains("title:") && yaml.contains("creator:"),
        "{yaml}"
    );
    // The export reads back as a pack.
    let out = caseboard(&["tags", "import", out_file.to_str().expect("utf8")]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
