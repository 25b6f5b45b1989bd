//! Property tests of the case-file reader, both paths: mutated and arbitrary case files never
//! panic, and the fast reader (`fast_read`, taken when the content hash verifies) accepts
//! exactly what the `ron` path accepts, with the same case. Mutated files are re-stamped with
//! a valid content hash so the fast path really runs. Bounded: a few thousand cases, a few
//! seconds in a debug build. Also the deterministic checks of unknown fields (issue 12 #14).

use super::integrity::restamp;
use super::load::{fast_path_taken, load_str_serde_only};
use super::{CaseFileErrorKind, load_bytes, load_str, to_ron_string};
use crate::model::{Asset, Case, Category, Chain, Confidence, Tag};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// Canonical texts the mutations start from: small generated cases with tags, a token
/// transfer, pins and a note, and the empty case.
fn seeds() -> &'static [String] {
    static SEEDS: OnceLock<Vec<String>> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let mut cases = Vec::new();
        for seed in 1..4 {
            let mut case = crate::generate::generate_case(10, seed);
            let ids: Vec<_> = case.nodes.keys().cloned().collect();
            case.layout.pinned.insert(ids[0].clone());
            case.tags.insert(
                ids[1].clone(),
                vec![Tag::new(
                    "Kraken",
                    Category::Exchange,
                    Confidence::Heuristic,
                    "",
                )],
            );
            if let Some(t) = case.transfers.values_mut().next() {
                t.asset = Asset::token(Chain::ETHEREUM, "WETH", 18, "0xabc");
            }
            cases.push(case);
        }
        cases.push(Case::new("empty", 0));
        cases
            .iter()
            .map(|case| to_ron_string(case).expect("seed writes"))
            .collect()
    })
}

/// Pieces a mutation inserts: structure, escapes, NUL, unknown fields, odd numbers.
const PIECES: &[&str] = &[
    "\"",
    "\\",
    "\0",
    ",",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ":",
    "\n",
    "    ",
    "0",
    "9",
    "-",
    "é",
    "e",
    ".",
    "Some(",
    "None",
    "custom(\"\")",
    "custom(\"x\")",
    "\n            balanse: 5,",
    "\n            tiem: 1,",
    "zz: 0,",
    "\"btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa\"",
    "340282366920938463463374607431768211456",
    "1e40",
    "NaN",
    "inf",
    "\\u{0}",
    "\\\"",
];

#[derive(Debug, Clone)]
enum Edit {
    Delete { at: u32, len: u8 },
    Insert { at: u32, piece: usize },
    Byte { at: u32, byte: u8 },
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<u32>(), 1u8..12).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<u32>(), 0..PIECES.len()).prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (any::<u32>(), any::<u8>()).prop_map(|(at, byte)| Edit::Byte { at, byte }),
    ]
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for e in edits {
        let len = bytes.len().max(1);
        match *e {
            Edit::Delete { at, len: n } => {
                let at = at as usize % len;
                let end = (at + usize::from(n)).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Edit::Insert { at, piece } => {
                let at = (at as usize % len).min(bytes.len());
                bytes.splice(at..at, PIECES[piece].bytes());
            }
            Edit::Byte { at, byte } => {
                let at = at as usize % len;
                if let Some(b) = bytes.get_mut(at) {
                    *b = byte;
                }
            }
        }
    }
    bytes
}

/// Both readers on `text`: same accept/refuse, same case.
fn readers_agree(text: &str) -> Result<(), TestCaseError> {
    let origin = Path::new("fuzz.ron");
    let both = load_str(text, origin);
    let serde_only = load_str_serde_only(text, origin);
    match (&both, &serde_only) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
        (Err(_), Err(_)) => {}
        _ => prop_assert!(
            false,
            "readers disagree (fast path {}): {:?} vs {:?}\n{text}",
            fast_path_taken(text),
            both.as_ref().err().map(ToString::to_string),
            serde_only.as_ref().err().map(ToString::to_string),
        ),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2_000,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_case_files_never_panic_and_readers_agree(
        seed in 0..4usize,
        edits in prop::collection::vec(edit(), 1..4),
    ) {
        let seeds = seeds();
        let bytes = apply(seeds[seed % seeds.len()].clone().into_bytes(), &edits);
        let _ = load_bytes(&bytes, Path::new("fuzz.ron"));
        if let Ok(text) = std::str::from_utf8(&bytes) {
            readers_agree(&restamp(text))?;
            readers_agree(text)?;
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "(\\PC|[(),:\\[\\]{}\"\n ]){0,200}") {
        let prefixed = format!("(\n    format: 2,\n{text}");
        readers_agree(&text)?;
        readers_agree(&prefixed)?;
    }
}

/// A bulk section joined to the line of the field before it (found by the mutation test: the
/// fast reader lost the nodes, `ron` read them): both readers give the same case.
#[test]
fn a_bulk_section_joined_to_the_line_before_reads_the_same() {
    for text in seeds() {
        for field in ["nodes", "transfers", "layout"] {
            let joined = text.replacen(&format!(",\n    {field}: "), &format!(",    {field}: "), 1);
            if joined == *text {
                continue;
            }
            readers_agree(&restamp(&joined)).expect("readers agree");
            assert!(
                load_str(&restamp(&joined), Path::new("x.ron")).is_ok(),
                "{field}"
            );
        }
    }
}

/// The seeds themselves take the fast path (or the test would not exercise it).
#[test]
fn seeds_take_the_fast_path() {
    for text in seeds() {
        assert!(fast_path_taken(text));
        assert_eq!(restamp(text), *text);
    }
}

/// Issue 12 #14: a typo'd field anywhere (a node, a transfer, its asset, a tag, a cluster, a
/// note, the meta, the view, a history entry) is refused with file:line:col, on the fast path
/// (hash re-stamped) as on the `ron` path.
#[test]
fn unknown_fields_anywhere_are_refused_with_their_place() {
    let mut case = crate::generate::generate_case(6, 2);
    let ids: Vec<_> = case.nodes.keys().cloned().collect();
    case.tags.insert(
        ids[0].clone(),
        vec![Tag::new(
            "Kraken",
            Category::Exchange,
            Confidence::Heuristic,
            "",
        )],
    );
    case.history.push(crate::model::HistoryEntry {
        at: 5,
        by: "ann".to_owned(),
        what: "x".to_owned(),
    });
    let text = to_ron_string(&case).expect("writes");
    let anchors = [
        ("            kind: ", "            balanse: \"5\",\n"),
        ("            tx_hash: ", "            tiem: 5,\n"),
        (
            "                symbol: ",
            "                symbl: \"X\",\n",
        ),
        (
            "                label: \"Kraken\"",
            "                lable: \"x\",\n",
        ),
        ("        title: ", "        titel: \"x\",\n"),
        ("        zoom: ", "        zom: 1.0,\n"),
        ("            by: \"ann\"", "            who: \"x\",\n"),
    ];
    for (anchor, typo) in anchors {
        let at = text
            .find(anchor)
            .unwrap_or_else(|| panic!("{anchor:?} in\n{text}"));
        let edited = format!("{}{typo}{}", &text[..at], &text[at..]);
        let line = text[..at].matches('\n').count() + 1;
        for variant in [restamp(&edited), edited.clone()] {
            let err = load_str(&variant, Path::new("t.ron")).expect_err(typo);
            assert!(matches!(err.kind, CaseFileErrorKind::Syntax(_)), "{err}");
            assert_eq!(err.line, Some(line), "{typo}: {err}");
            assert!(err.column.is_some());
            assert!(
                err.to_string().starts_with(&format!("t.ron:{line}:")),
                "{err}"
            );
        }
    }
}

/// Issue 12 #15: a huge bad value is quoted cut short, not whole.
#[test]
fn huge_bad_input_is_quoted_cut_short() {
    let text = to_ron_string(&crate::generate::generate_case(40, 1)).expect("writes");
    let huge = "x".repeat(4 << 20);
    let at = text.find("            kind: ").expect("a node");
    let bad_field = format!("{}            {huge}: 1,\n{}", &text[..at], &text[at..]);
    let amount_at = text.find("amount: \"").expect("a transfer") + "amount: \"".len();
    let bad_amount = format!("{}{huge}{}", &text[..amount_at], &text[amount_at..]);
    let id_at = text.find("id: \"").expect("a node") + "id: \"".len();
    let bad_id = format!("{}{huge}{}", &text[..id_at], &text[id_at..]);
    for bad in [bad_field, bad_amount, bad_id] {
        let message = load_str(&bad, Path::new("t.ron"))
            .expect_err("refused")
            .to_string();
        assert!(message.len() < 2_000, "{} bytes", message.len());
        assert!(message.contains('…'), "{message}");
    }
}
