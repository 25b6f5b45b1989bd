//! UI test: a Bitcoin case served by GraphSense (a local GraphSense, `support::graphsense_api`).
//! The inspector of an address offers "Look up GraphSense entity"; the lookup (a job) shows the
//! entity's size, balance and best tag, and "Show entity" adds its addresses with one cluster —
//! one undoable step. Expanding brings relation edges whose rows say how many transactions
//! they sum, and a relation fetched becomes its Bitcoin transactions (between two entities,
//! each transaction entity to entity). Looked at with
//! `CASEBOARD_LOOK=1`.

use caseboard::app::{Command, StartOptions};
use caseboard::model::{Case, Node, NodeId, SourceConfig};
use caseboard::sources::Direction;
use egui_kittest::kittest::Queryable as _;

#[path = "support/mod.rs"]
mod support;
mod ui_support;
use support::graphsense_api::{BTC, btc_ledger, serve};
use ui_support::{harness, settle};

fn btc(i: usize) -> NodeId {
    NodeId::parse(&format!("btc:{}", BTC[i])).expect("id")
}

#[test]
fn the_inspector_looks_up_the_entity_and_shows_it_as_a_cluster() {
    let server = serve(btc_ledger(), None);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("entity.ron");
    let mut case = Case::new("GraphSense entity", 1);
    case.source = SourceConfig::GraphSense { url: server.url() };
    case.nodes.insert(btc(0), Node::address(btc(0)));
    case.layout.positions.insert(btc(0), [0.0, 0.0]);
    caseboard::case_file::save(&case, &path).expect("saved");

    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.state_mut().push_command(Command::Select(vec![btc(0)]));
    h.run_steps(3);
    h.get_by_label("Look up GraphSense entity").click();
    settle(&mut h);
    assert!(
        h.query_by_label("GraphSense entity 7").is_some(),
        "the entity is told"
    );
    assert!(
        h.query_by_label_contains("Exchange X hot wallet").is_some(),
        "its best tag"
    );
    h.get_by_label("Show its addresses").click();
    settle(&mut h);
    {
        let case = h.state().doc.case();
        let cluster = case.cluster_of(&btc(0)).expect("a cluster");
        assert_eq!(cluster.label, "GraphSense entity 7 · Exchange X hot wallet");
        assert_eq!(cluster.members, [btc(0), btc(3), btc(5)].into());
        assert!(case.nodes.contains_key(&btc(5)));
    }
    h.state_mut().push_command(Command::Expand {
        node: btc(0),
        direction: Direction::Both,
    });
    settle(&mut h);
    assert!(
        h.query_by_label("Σ 12 tx").is_some(),
        "the transfers table says what a relation sums"
    );
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("graphsense_entity_look");
    }
    // The entity as one node, expanded entity to entity.
    h.get_by_label("Show as one node").click();
    settle(&mut h);
    let entity = NodeId::entity(caseboard::model::Chain::Bitcoin, 7);
    assert!(h.state().doc.case().nodes.contains_key(&entity));
    h.state_mut().push_command(Command::Expand {
        node: entity.clone(),
        direction: Direction::Both,
    });
    settle(&mut h);
    assert!(
        h.state().doc.case().transfers.values().any(|t| t.from
            == NodeId::entity(caseboard::model::Chain::Bitcoin, 101)
            && t.to == entity),
        "entity 101 paid entity 7"
    );
    // The relation between the two entities becomes its transaction, entity to entity.
    let payer = NodeId::entity(caseboard::model::Chain::Bitcoin, 101);
    h.state_mut().push_command(Command::FetchRelation {
        from: payer.clone(),
        to: entity.clone(),
    });
    settle(&mut h);
    {
        let between: Vec<(Option<u64>, u128)> = h
            .state()
            .doc
            .case()
            .transfers
            .values()
            .filter(|t| t.from == payer && t.to == entity)
            .map(|t| (t.relation_txs, t.amount))
            .collect();
        assert_eq!(
            between,
            vec![(None, 60_000_000)],
            "one transaction, no relation"
        );
    }
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("graphsense_entity_node_look");
    }
    h.state_mut().push_command(Command::Select(vec![btc(0)]));
    h.run_steps(2);
    // The relation to BTC[3] becomes its transactions.
    h.state_mut().push_command(Command::FetchRelation {
        from: btc(0),
        to: btc(3),
    });
    settle(&mut h);
    {
        let case = h.state().doc.case();
        assert!(
            !case
                .transfers
                .values()
                .any(|t| t.relation_txs.is_some() && t.from == btc(0) && t.to == btc(3)),
            "the relation is gone"
        );
        let into_hop: u128 = case
            .transfers
            .values()
            .filter(|t| t.to == btc(3))
            .map(|t| t.amount)
            .sum();
        assert_eq!(into_hop, 99_999_999);
    }
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("graphsense_relation_look");
    }
    // One undo each: the transactions, the entity relation's transaction, the entity's
    // relations, the entity node, the address's relations, the entity's addresses.
    for _ in 0..6 {
        h.state_mut().push_command(Command::Undo);
    }
    settle(&mut h);
    assert!(h.state().doc.case().clusters.is_empty());
}
