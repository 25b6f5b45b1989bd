//! Property tests: the TagPack YAML reader, the ActorPack reader and the CSV pack reader never
//! panic, whatever the input — mutated real packs (pieces of YAML/CSV syntax and arbitrary
//! text inserted, bytes deleted, the text cut) and arbitrary text. Bounded: a few thousand
//! cases in all, a few seconds in a debug build. `PROPTEST_CASES` raises the count.

use caseboard::attribution::{parse_actorpack_yaml, parse_tagpack_yaml, parse_tags_csv};
use proptest::prelude::*;

const YAML_SEEDS: [&str; 4] = [
    include_str!("../assets/attribution/fbi-psa-250226.yaml"),
    include_str!("../assets/attribution/graphsense/lazarus.yaml"),
    include_str!("../assets/attribution/graphsense/sinbad_io.yaml"),
    "title: T\ncreator: C\nlabel: L\nlastmod: 2024-01-02T03:04:05+01:00\nconcepts: [a, b]\n\
     context: '{\"caseboard\": {\"note\": \"n\"}}'\nactors:\n- id: x\n  label: X\n  uri: u\n  categories: [c]\n\
     tags:\n- address: '0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed'\n  currency: ETH\n\
     - tx_hash: 4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b\n  currency: BTC\n\
     - address: TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq\n  currency: BTC\n  context:\n    a: [1, {b: c}]\n",
];

const CSV_SEED: &str = "# title: Seen in case 42\n# creator: Jane\n# date: 2025-03-01\n\
address,chain,label,category,confidence,source,concepts,note\n\
0x51E9d833Ecae4E8D9D8Be17300AEE6D3398C135D,ETH,Bybit theft,dprk_attributed,authority_data,https://x,a;b,n\n\
bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,BTC,\"Some, exchange\",exchange,,,,\n\
TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq,TRX,tron,,,,,\n";

const PIECES: [&str; 40] = [
    "'",
    "''",
    "\"",
    "\\",
    ":",
    ": ",
    "- ",
    "-",
    "\n",
    "\n  ",
    "  ",
    " ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "#",
    " #",
    "&a ",
    "*a",
    "!x ",
    "\t",
    "~",
    "é",
    "€",
    "\r\n",
    "\r",
    "|",
    ">",
    "?",
    "%",
    "---\n",
    "...",
    "\u{feff}",
    "\u{85}",
    "\u{0}",
    "\u{2028}",
    "2024-01-0€",
    "0x",
];

/// An edit of a text: where (any number, reduced to the text), and what.
#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, String),
    Delete(usize, usize),
    Cut(usize),
}

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(&PIECES[..]).prop_map(str::to_owned),
        1 => ".{0,12}",
        1 => prop::collection::vec(any::<u8>(), 0..8)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        6 => (any::<usize>(), piece()).prop_map(|(at, p)| Edit::Insert(at, p)),
        2 => (any::<usize>(), 0usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        1 => any::<usize>().prop_map(Edit::Cut),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn apply(seed: &str, edits: &[Edit]) -> String {
    let mut text = seed.to_owned();
    for edit in edits {
        match edit {
            Edit::Insert(at, piece) => {
                let at = boundary(&text, *at);
                text.insert_str(at, piece);
            }
            Edit::Delete(at, n) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, start.saturating_add(*n).min(text.len()));
                text.replace_range(start..end.max(start), "");
            }
            Edit::Cut(at) => {
                let at = boundary(&text, *at);
                text.truncate(at);
            }
        }
    }
    text
}

/// Reads `text` with every reader; checks the results are consistent. A panic fails the case.
fn read_all(text: &str) {
    for result in [
        parse_tagpack_yaml(text, "fuzz.yaml"),
        parse_tags_csv(text, "fuzz.csv"),
    ] {
        match result {
            Ok(pack) => {
                for entry in &pack.entries {
                    assert_eq!(entry.tag.pack.as_deref(), Some(pack.info.id.as_str()));
                }
                for skipped in &pack.skipped {
                    assert!(
                        skipped.position.starts_with("tags[")
                            || skipped.position.starts_with("row ")
                    );
                    assert!(skipped.address.chars().count() <= 201);
                }
                let _ = pack.import_summary();
            }
            Err(errors) => {
                assert!(!errors.errors.is_empty());
                assert!(errors.errors.len() <= 10_001);
                assert!(!errors.to_string().is_empty());
            }
        }
    }
    match parse_actorpack_yaml(text, "fuzz.yaml") {
        Ok(pack) => assert!(pack.actors.iter().all(|a| !a.id.is_empty())),
        Err(errors) => assert!(!errors.errors.is_empty()),
    }
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(1500))]

    #[test]
    fn mutated_tagpacks_never_panic(
        seed in 0..YAML_SEEDS.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        read_all(&apply(YAML_SEEDS[seed], &edits));
    }

    #[test]
    fn mutated_csv_packs_never_panic(edits in prop::collection::vec(edit(), 1..6)) {
        read_all(&apply(CSV_SEED, &edits));
    }
}

proptest! {
    #![proptest_config(config(1000))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        read_all(&text);
    }

    #[test]
    fn arbitrary_bytes_as_text_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        read_all(&String::from_utf8_lossy(&bytes));
    }
}
