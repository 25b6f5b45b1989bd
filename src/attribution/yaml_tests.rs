//! Tests of `yaml`.

use super::*;

fn scalar(text: &str, plain: bool, line: usize) -> Node<'static> {
    Node::Scalar {
        text: Cow::Owned(text.to_owned()),
        plain,
        line,
    }
}

const SAMPLE: &str = "\u{feff}# licence: MIT\n---\ntitle: A pack # comment\ncreator: 'Ann''s team'\nlastmod: 2024-01-02\r\nconcepts: [service_hack, money_laundering]\nempty:\ntags:\n- address: '0xabc'\n  label: \"x # y\"\n\n  concepts:\n  - a\n  - b\n-   address: 1abc\n    currency: BTC\nafter: ~\nnested:\n  a: 1\n";

#[test]
fn fast_and_full_agree_on_block_style() {
    let fast = parse_fast(SAMPLE).expect("inside the subset");
    let full = parse_full(SAMPLE).expect("valid YAML");
    assert_eq!(fast, full);
    let Node::Map { entries, .. } = &fast else {
        panic!("{fast:?}")
    };
    assert_eq!(entries[0].key, "title");
    assert_eq!(entries[0].value, scalar("A pack", true, 3));
    assert_eq!(entries[1].value, scalar("Ann's team", false, 4));
    assert!(entries[4].value.is_null());
    let Node::Seq { items, line } = &entries[5].value else {
        panic!()
    };
    assert_eq!(*line, 9);
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].line(), 15);
}

#[test]
fn fast_scanner_gives_up_outside_its_subset() {
    for text in [
        "title: |\n  block\n",
        "title: 'multi\n  line'\n",
        "title: \"esc\\n\"\n",
        "title: &a x\nother: *a\n",
        "title: !include h.yaml\n",
        "title: {a: 1}\n",
        "title: plain\n  continued\n",
        "- a\n- b\n",
        "just text\n",
        "",
        "# only a comment\n",
        "title: a: b\n",
        "\ttitle: x\n",
        "title: x\n---\ntitle: y\n",
        "tags:\n- - nested\n",
        "tags: [a, 'b']\n",
        "t\u{0}itle: x\n",
    ] {
        assert_eq!(parse_fast(text), None, "{text:?}");
    }
}

#[test]
fn full_parser_reports_lines_and_refuses_aliases_and_tags() {
    let error = parse("title: x\ntags:\n- address: [\n").unwrap_err();
    assert!(error.line.is_some(), "{error:?}");
    let error = parse("a: &x 1\nb: *x\n").unwrap_err();
    assert_eq!(error.line, Some(2));
    assert!(error.message.contains("aliases"));
    let error = parse("a: !include x.yaml\n").unwrap_err();
    assert!(error.message.contains("tags"));
    let error = parse(&"[".repeat(100)).unwrap_err();
    assert!(error.message.contains("deeply"), "{error:?}");
    assert!(parse("").unwrap().is_null());
    let node = parse("a: \"esc\\tx\"\nb: |\n  two\n  lines\n").unwrap();
    let Node::Map { entries, .. } = node else {
        panic!()
    };
    assert_eq!(entries[0].value, scalar("esc\tx", false, 1));
    assert_eq!(entries[1].value, scalar("two\nlines\n", false, 3));
}
