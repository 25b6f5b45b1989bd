//! Tests of the Bitcoin heuristics on small hand-built transactions (Esplora-shaped answers
//! read by the Esplora source's parser): a round payment with change, partial transactions,
//! a Whirlpool tx0, a Wasabi 1.x round (no real one with a usable licence was found), an even
//! split that is no CoinJoin, an oversized transaction, a transaction without a summary.

use super::super::FindingKind;
use super::tests::{case_of, esplora_tx, fixture, refs, run, tx_node, txid, wpkh};
use crate::model::NodeId;
use crate::model::address::encode_p2wpkh;

#[test]
fn change_on_a_hand_built_round_payment() {
    // One P2WPKH input; 300,000 sat (round) to a P2PKH address, the rest back to P2WPKH.
    let id = txid(7);
    let body = esplora_tx(
        &id,
        &[(&wpkh(1), 1_000_000)],
        &[
            ("1BSGxxxZu3GXzoG7BSSN1zegZTS2zNwTNf", 300_000),
            (&wpkh(2), 699_000),
        ],
    );
    let (_, _, change) = run(&case_of(&[body]));
    assert_eq!(change.len(), 1, "{change:#?}");
    let f = &change[0];
    assert_eq!(
        (f.kind, f.method, f.confidence),
        (FindingKind::Change, "change@1", 70)
    );
    assert_eq!(
        f.nodes,
        vec![
            tx_node(&id),
            NodeId::parse(&format!("btc:{}", wpkh(2))).expect("id")
        ]
    );
    assert_eq!(f.transfers.len(), 1);
    assert_eq!(f.transfers[0].as_str(), format!("btc:{id}:out1"));
    assert_eq!(f.params["voted"], "address_type,round_payment");
    assert_eq!(f.params["against"], "");
}

#[test]
fn partial_transactions_give_no_finding() {
    let id = txid(7);
    let body = esplora_tx(
        &id,
        &[(&wpkh(1), 1_000_000)],
        &[
            ("1BSGxxxZu3GXzoG7BSSN1zegZTS2zNwTNf", 300_000),
            (&wpkh(2), 699_000),
        ],
    );
    // Reached through one leg: the source's note says so.
    let mut case = case_of(std::slice::from_ref(&body));
    let node = case.nodes.get_mut(&tx_node(&id)).expect("tx");
    node.provenance.as_mut().expect("prov").request = format!(
        "GET /tx/{}/outspends — spends vout 0 of {}; its other legs not fetched",
        txid(6),
        txid(6)
    );
    assert!(run(&case).2.is_empty());
    // A leg missing: the legs no longer add up to the summary's totals.
    let mut case = case_of(&[body]);
    case.transfers
        .retain(|id, _| !id.as_str().ends_with(":out0"));
    assert!(run(&case).2.is_empty());
    // The same for a CoinJoin: one input missing, no finding.
    let mut case = case_of(&[fixture("whirlpool_coinjoin_323df21f.json")]);
    case.transfers
        .retain(|id, _| !id.as_str().ends_with(":in4"));
    let (cj, co, change) = run(&case);
    assert!(cj.is_empty() && co.is_empty() && change.is_empty());
}

#[test]
fn whirlpool_tx0_is_recognised() {
    let premix: Vec<String> = (20..23).map(wpkh).collect();
    let mut outs: Vec<(&str, u64)> = vec![("", 0)];
    outs.push((&premix[0], 5_010_000));
    let fee_address = wpkh(30);
    outs.push((&fee_address, 175_000));
    outs.push((&premix[1], 5_010_000));
    outs.push((&premix[2], 5_010_000));
    let change_address = wpkh(31);
    outs.push((&change_address, 4_780_000));
    let body = esplora_tx(&txid(8), &[(&wpkh(1), 20_000_000)], &outs);
    let (cj, _, change) = run(&case_of(&[body]));
    assert_eq!(cj.len(), 1, "{cj:#?}");
    assert_eq!(cj[0].method, "whirlpool_tx0@1");
    assert_eq!(cj[0].params["premix_outputs"], "3");
    assert!(
        cj[0].summary.contains("coordinator fee 175,000 sat"),
        "{}",
        cj[0].summary
    );
    assert!(change.is_empty());
}

/// A Wasabi 1.0 shape (synthetic: no real one was found with a usable licence): 12 inputs,
/// 10 outputs of ~0.1 BTC, a coordinator fee and 8 changes.
#[test]
fn wasabi1_round_is_recognised_and_an_even_split_is_not() {
    let ins: Vec<(String, u64)> = (1..=12).map(|i| (wpkh(i), 15_000_000)).collect();
    let mut outs: Vec<(String, u64)> = (20..30).map(|i| (wpkh(i), 9_987_654)).collect();
    outs.push((
        "bc1qs604c7jv6amk4cxqlnvuxv26hv3e48cds4m0ew".to_owned(),
        300_000,
    ));
    let mut left = 180_000_000 - 99_876_540 - 300_000 - 50_000;
    for i in 0..7u64 {
        outs.push((wpkh(50 + i as u8), 9_000_000 + i * 7));
        left -= 9_000_000 + i * 7;
    }
    outs.push((wpkh(60), left));
    let body = esplora_tx(&txid(11), &refs(&ins), &refs(&outs));
    let (cj, co, change) = run(&case_of(&[body]));
    assert_eq!(cj.len(), 1, "{cj:#?}");
    assert_eq!(cj[0].method, "coinjoin_wasabi1@1", "{}", cj[0].summary);
    assert_eq!(cj[0].params["version"], "1.0");
    assert_eq!(cj[0].params["pays_known_coordinator"], "true");
    assert_eq!(cj[0].confidence, 85);
    assert!(co.is_empty() && change.is_empty());
    // 12 inputs paying 12 × exactly 0.1 BTC: a batch payout, not a join.
    let outs: Vec<(String, u64)> = (20..32).map(|i| (wpkh(i), 10_000_000)).collect();
    let body = esplora_tx(&txid(12), &refs(&ins), &refs(&outs));
    let (cj, co, _) = run(&case_of(&[body]));
    assert!(cj.is_empty(), "{cj:#?}");
    assert_eq!(co.len(), 1);
}

/// A transaction with more legs than `MAX_LEGS` is skipped (the case is untrusted input).
#[test]
fn oversized_transactions_are_skipped() {
    let outs: Vec<(String, u64)> = (0..5_000u32)
        .map(|i| {
            let mut program = [0u8; 20];
            program[16..].copy_from_slice(&i.to_be_bytes());
            (encode_p2wpkh(&program), 1_000)
        })
        .collect();
    let ins = [(wpkh(1), 3_000_000u64), (wpkh(2), 3_000_000)];
    let body = esplora_tx(&txid(13), &refs(&ins), &refs(&outs));
    let (cj, co, change) = run(&case_of(&[body]));
    assert!(cj.is_empty() && co.is_empty() && change.is_empty());
}

/// A transaction without the Esplora summary (another source, a hand-built case) is read when
/// its inputs are numbered without a gap; a missing input leg makes it not enough data.
#[test]
fn transactions_without_a_summary_need_gapless_inputs() {
    let id = txid(14);
    let body = esplora_tx(
        &id,
        &[(&wpkh(1), 900_000), (&wpkh(3), 50_000), (&wpkh(4), 100_000)],
        &[
            ("1BSGxxxZu3GXzoG7BSSN1zegZTS2zNwTNf", 300_000),
            (&wpkh(2), 600_123),
        ],
    );
    let mut case = case_of(&[body]);
    case.nodes.get_mut(&tx_node(&id)).expect("tx").provenance = None;
    let (_, co, change) = run(&case);
    assert_eq!((co.len(), change.len()), (1, 1), "{change:#?}");
    assert_eq!(change[0].params["voted"], "address_type,round_payment");
    case.transfers
        .retain(|id, _| !id.as_str().ends_with(":in1"));
    let (_, co, change) = run(&case);
    assert!(co.is_empty() && change.is_empty(), "{change:#?}");
}
