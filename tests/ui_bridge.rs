//! UI test: a bridge hop across chains, end to end in the app. A case where an Ethereum
//! address deposits into THORChain's router with a memo naming a Bitcoin address, which the
//! vault pays and which moves the money on: Find patterns proposes the memo hop
//! (`bridge_memo@1`), applying it draws a "bridge hop" arrow in one undoable step, and Paths
//! then goes from the theft on Ethereum to the Bitcoin address beyond the bridge. Looked at
//! with `CASEBOARD_LOOK=1`.

use caseboard::app::{Command, StartOptions};
use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};

mod ui_support;
use ui_support::{harness, settle};

/// 2025-02-21 00:00 UTC, inside the bundled price tables.
const T0: i64 = 1_740_096_000;
const ETH: u128 = 1_000_000_000_000_000_000;

fn id(text: &str) -> NodeId {
    NodeId::parse(text).expect("id")
}

/// Adds the transfer `name` (its own transaction, hash = the name's bytes in hex) and its ends,
/// placed left to right.
fn put(
    case: &mut Case,
    name: &str,
    (from, to): (&NodeId, &NodeId),
    asset: Asset,
    amount: u128,
    time: i64,
) -> TransferId {
    let hex: String = name.bytes().map(|b| format!("{b:02x}")).collect();
    let hash = format!("{hex:0>64}");
    let transfer = Transfer {
        id: TransferId::new(&asset.chain.id_prefix(), &hash, "native"),
        from: from.clone(),
        to: to.clone(),
        asset,
        amount,
        tx_hash: hash,
        block_height: None,
        time: Some(time),
        provenance: None,
        relation_txs: None,
        memo: None,
    };
    for node in [from, to] {
        let placed = case.layout.positions.len() as f32;
        case.nodes
            .entry(node.clone())
            .or_insert_with(|| Node::address(node.clone()));
        case.layout
            .positions
            .entry(node.clone())
            .or_insert([260.0 * placed, 160.0 * (placed % 2.0)]);
    }
    let id = transfer.id.clone();
    case.transfers.insert(id.clone(), transfer);
    id
}

#[test]
fn a_memo_hop_is_applied_as_an_arrow_that_paths_cross() {
    let theft = id("eth:0x00000000000000000000000000000000000000a1");
    let depositor = id("eth:0x00000000000000000000000000000000000000a2");
    let router = id("eth:0xd37bbe5744d730a1d98d8dc97c42f0ca46ad7146");
    let vault = id("btc:1BoatSLRHtKNngkdXEeobR76b53LETtpyT");
    let recipient = id("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq");
    let onward = id("btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy");
    let ether = Asset::native(Chain::ETHEREUM);
    let bitcoin = Asset::native(Chain::Bitcoin);
    let mut case = Case::new("Bridge hop", 0);
    put(
        &mut case,
        "theft",
        (&theft, &depositor),
        ether.clone(),
        20 * ETH,
        T0,
    );
    let deposit = put(
        &mut case,
        "deposit",
        (&depositor, &router),
        ether,
        20 * ETH,
        T0 + 600,
    );
    case.transfers.get_mut(&deposit).expect("deposit").memo =
        Some(format!("=:BTC.BTC:{}:0/1/0:t:30", recipient.value()));
    put(
        &mut case,
        "payout",
        (&vault, &recipient),
        bitcoin.clone(),
        69_000_000,
        T0 + 1_800,
    );
    put(
        &mut case,
        "onward",
        (&recipient, &onward),
        bitcoin,
        68_000_000,
        T0 + 4_000,
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bridge.ron");
    caseboard::case_file::save(&case, &path).expect("saved");

    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.state_mut().push_command(Command::RunAnalysis);
    settle(&mut h);
    let finding = h
        .state()
        .findings
        .findings
        .iter()
        .find(|f| f.method == "bridge_memo@1")
        .cloned()
        .expect("the memo hop is proposed");
    assert_eq!(finding.nodes[3], recipient);
    let action = caseboard::analysis::findings::apply::apply_action(
        h.state().doc.case(),
        &finding,
        "tester",
        T0,
    )
    .expect("applies");
    h.state_mut().push_command(Command::Apply(action));
    settle(&mut h);
    let arrows: Vec<_> = h
        .state()
        .doc
        .case()
        .annotations
        .arrows
        .values()
        .cloned()
        .collect();
    assert_eq!(arrows.len(), 1);
    assert!(arrows[0].hop.is_some());
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("bridge_hop_look");
    }
    h.state_mut().push_command(Command::FindPaths {
        from: vec![theft.clone()],
        to: vec![onward.clone()],
    });
    settle(&mut h);
    let result = h.state().findings.paths.clone().expect("searched");
    assert_eq!(result.paths.len(), 1, "{result:?}");
    assert_eq!(
        result.paths[0].nodes,
        vec![theft, depositor, recipient, onward]
    );
    // One undo removes the highlight, the note and the arrow together.
    h.state_mut().push_command(Command::Undo);
    settle(&mut h);
    assert!(h.state().doc.case().annotations.arrows.is_empty());
}
