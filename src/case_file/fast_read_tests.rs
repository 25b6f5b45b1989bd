//! Tests of the fast reader: what it reads back equals what was written, anything unexpected
//! makes it give up (the caller then reads the file with `ron`), and halves read as one.

use super::*;
use crate::case_file::{Integrity, load_str_report, to_ron_string};
use std::path::Path;

fn cases() -> Vec<crate::model::Case> {
    let mut odd = crate::generate::generate_case(80, 6);
    let ids: Vec<NodeId> = odd.nodes.keys().cloned().collect();
    odd.layout.pinned.insert(ids[0].clone());
    odd.layout.pinned.insert(ids[5].clone());
    odd.layout.positions.insert(ids[1].clone(), [-0.0, 1e30]);
    if let Some(t) = odd.transfers.values_mut().nth(3) {
        t.asset = Asset::token(Chain::Evm { chain_id: 56 }, "USDT", 6, "0xabc");
        t.time = None;
    }
    // The newer UTXO chains' assets take the fast path too.
    for (i, chain) in [Chain::Litecoin, Chain::BitcoinCash, Chain::Zcash]
        .into_iter()
        .enumerate()
    {
        if let Some(t) = odd.transfers.values_mut().nth(4 + i) {
            t.asset = Asset::native(chain);
        }
    }
    if let Some(node) = odd.nodes.get_mut(&ids[2]) {
        node.gaps = vec!["cap reached: older ones not read".to_owned(), String::new()];
    }
    vec![
        crate::generate::generate_case(500, 8),
        crate::sources::demo::demo_case(),
        crate::model::Case::new("empty", 0),
        odd,
    ]
}

#[test]
fn reads_back_what_was_written() {
    for case in cases() {
        let text = to_ron_string(&case).expect("writes");
        let sections = split(&text).expect("canonical shape");
        let read = nodes(sections.nodes.expect("nodes")).expect("nodes read");
        assert_eq!(read, case.nodes);
        assert_eq!(
            transfers(
                sections.transfers.expect("transfers"),
                &NodeTexts::new(&read)
            ),
            Some(case.transfers.clone())
        );
        assert_eq!(
            layout(sections.layout.expect("layout"), &NodeTexts::new(&read)),
            Some((case.layout.positions.clone(), case.layout.pinned.clone()))
        );
        let (loaded, report) = load_str_report(&text, Path::new("t.ron")).expect("loads");
        assert_eq!(loaded, case);
        assert_eq!(report.integrity, Integrity::Verified);
        // Every mention of a node shares the text of the node's own id.
        let own = |id: &NodeId| {
            loaded
                .nodes
                .get_key_value(id)
                .map(|(k, _)| k.as_str().as_ptr())
        };
        for t in loaded.transfers.values() {
            assert_eq!(own(&t.from), Some(t.from.as_str().as_ptr()));
            assert_eq!(own(&t.to), Some(t.to.as_str().as_ptr()));
        }
        for id in loaded.layout.positions.keys() {
            assert_eq!(own(id), Some(id.as_str().as_ptr()));
        }
    }
}

#[test]
fn anything_unexpected_gives_up() {
    assert!(nodes("[\n        (\n            id: \"a\\\"b\",\n            kind: Address,\n        ),\n    ]").is_none());
    let two = "[\n        (\n            id: \"b\",\n            kind: Address,\n        ),\n        (\n            id: \"a\",\n            kind: Address,\n        ),\n    ]";
    assert!(nodes(two).is_none(), "unsorted ids");
    let same = two.replace("\"a\"", "\"b\"");
    assert!(nodes(&same).is_none(), "repeated ids");
    assert!(nodes(&two.replace("\"a\"", "\"c\"")).is_some());
    let no_nodes = BTreeMap::new();
    let none = NodeTexts::new(&no_nodes);
    assert!(layout("(\n        positions: {\n            \"a\": (NaN, 1.0),\n        },\n        pinned: [],\n    )", &none).is_none());
    assert!(split("(format: 2)").is_none());
    // An edited file (hash no longer matches) is read by ron, with the same result.
    let case = crate::generate::generate_case(50, 1);
    let text = to_ron_string(&case)
        .expect("writes")
        .replace("title: \"", "title: \"x");
    let (loaded, report) = load_str_report(&text, Path::new("t.ron")).expect("loads");
    assert_eq!(report.integrity, Integrity::Edited);
    assert_eq!(loaded.meta.title, format!("x{}", case.meta.title));
    assert_eq!(loaded.nodes, case.nodes);
}

#[test]
fn a_big_transfer_section_is_read_in_halves_exactly_as_in_one_go() {
    // 5,000 nodes make a transfer section of several MiB: read on two threads.
    let case = crate::generate::generate_case(5_000, 3);
    let text = to_ron_string(&case).expect("writes");
    let sections = split(&text).expect("canonical shape");
    let section = sections.transfers.expect("transfers");
    assert!(section.len() >= HALVES_MIN_BYTES, "{} bytes", section.len());
    let read_nodes = nodes(sections.nodes.expect("nodes")).expect("nodes read");
    let read = NodeTexts::new(&read_nodes);
    let whole = list(section, |c| transfer(c, &read), |t: &Transfer| &t.id);
    let halves = list_halves(section, |c| transfer(c, &read), |t: &Transfer| &t.id);
    assert_eq!(whole.as_ref().map(Vec::len), Some(case.transfers.len()));
    assert_eq!(halves, whole);

    // The first item moved to the end: every item still reads, but not in order: given up.
    let items = section
        .strip_prefix("[\n")
        .and_then(|t| t.strip_suffix("    ]"))
        .expect("list");
    let first_end = items.find("\n        ),\n").expect("an item") + "\n        ),\n".len();
    let (first_item, others) = items.split_at(first_end);
    let swapped = format!("[\n{others}{first_item}    ]");
    assert!(list_halves(&swapped, |c| transfer(c, &read), |t: &Transfer| &t.id).is_none());

    // A broken item in the second half: given up (the file then goes through ron).
    let last_amount = section.rfind("amount: \"").expect("an amount");
    let mut broken = section.to_owned();
    broken.replace_range(last_amount..last_amount + "amount: \"".len(), "amount: \"x");
    assert!(list_halves(&broken, |c| transfer(c, &read), |t: &Transfer| &t.id).is_none());
}
