//! UI tests that drive the real app through egui_kittest (AccessKit): load addresses through
//! the dialog, expand a node, tag two nodes as a cluster, save and reopen, undo, and a
//! snapshot of the canvas on the demo case.

use caseboard::app::{CaseboardApp, Command, StartOptions};
use caseboard::model::{Action, Category, NodeId};
use caseboard::sources::demo::{split_addresses, theft_address};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, settle};

#[test]
fn load_addresses_through_the_dialog() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let before = h.state().doc.case().nodes.len();
    h.get_by_label("Edit").click();
    h.run_steps(2);
    h.get_by_label_contains("Load addresses").click();
    h.run_steps(2);
    let field = h.get_by_role(Role::MultilineTextInput);
    field.focus();
    field.type_text(
        "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq, 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed\n\
         0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb",
    );
    h.run_steps(2);
    h.get_by_label("Add").click();
    settle(&mut h);

    let case = h.state().doc.case();
    assert_eq!(
        case.nodes.len(),
        before + 2,
        "only the two valid addresses are added"
    );
    for id in [
        "btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
    ] {
        let id = NodeId::parse(id).expect("valid id");
        assert!(case.nodes.contains_key(&id), "{id} added");
        assert!(case.layout.positions.contains_key(&id), "{id} placed");
    }
    // Both rejected addresses are listed with their reason.
    h.get_by_label_contains("EIP-55 checksum does not match");
    h.get_by_label_contains("checksum does not match (a character is mistyped)");
    h.get_by_label_contains("rejected 2");
}

#[test]
fn expand_a_node_from_the_inspector_and_undo_it() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let before = h.state().doc.case().clone();
    // A split address: its peel chain is not in the demo case yet.
    let split = split_addresses()[0].clone();
    h.state_mut()
        .push_command(Command::Select(vec![split.clone()]));
    settle(&mut h);
    h.get_by_label("Expand").click();
    settle(&mut h);
    let after = h.state().doc.case().clone();
    assert!(
        after.nodes.len() > before.nodes.len(),
        "expansion added nodes"
    );
    assert!(
        after.transfers.len() > before.transfers.len(),
        "expansion added transfers"
    );
    assert!(h.state().notices.contains("Expanded"));

    // Expanding again adds nothing new.
    h.get_by_label("Expand").click();
    settle(&mut h);
    assert_eq!(h.state().doc.case().nodes.len(), after.nodes.len());

    // Ctrl+Z removes exactly what the expansion added.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    let undone = h.state().doc.case();
    assert_eq!(
        undone.nodes.keys().collect::<Vec<_>>(),
        before.nodes.keys().collect::<Vec<_>>()
    );
    assert_eq!(undone.transfers, before.transfers);
    // And redo brings it back.
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    settle(&mut h);
    assert_eq!(h.state().doc.case().nodes.len(), after.nodes.len());
}

#[test]
fn a_late_expansion_for_a_removed_node_is_dropped_with_a_notice() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let theft = theft_address();
    h.state_mut().push_command(Command::Expand {
        node: theft.clone(),
        direction: caseboard::sources::Direction::Out,
    });
    h.run_steps(1);
    // Remove the node before the job's result is polled.
    h.state_mut()
        .doc
        .apply(Action::Remove {
            label: "remove".into(),
            nodes: vec![theft.clone()],
            transfers: vec![],
        })
        .expect("removed");
    let nodes = h.state().doc.case().nodes.len();
    settle(&mut h);
    assert!(h.state().notices.contains("dropped"));
    assert_eq!(h.state().doc.case().nodes.len(), nodes, "nothing added");
}

#[test]
fn tag_two_nodes_as_a_cluster() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let two: Vec<NodeId> = h.state().doc.case().nodes.keys().take(2).cloned().collect();
    h.state_mut().push_command(Command::Select(two.clone()));
    settle(&mut h);
    h.get_by_label("Tag selection as cluster…").click();
    h.run_steps(2);
    let label = h
        .get_all_by_role(Role::TextInput)
        .next()
        .expect("label field");
    label.focus();
    label.type_text("Lazarus split wallets");
    h.run_steps(2);
    h.get_all_by_role(Role::ComboBox)
        .next()
        .expect("category combo box")
        .click();
    h.run_steps(2);
    // The menu entry (the canvas legend names the category too).
    h.get_by_role_and_label(Role::Button, "dprk_attributed")
        .click();
    h.run_steps(2);
    h.get_by_label("OK").click();
    settle(&mut h);

    let case = h.state().doc.case();
    assert_eq!(case.clusters.len(), 1);
    let cluster = case.clusters.values().next().expect("one cluster");
    assert_eq!(cluster.label, "Lazarus split wallets");
    assert_eq!(cluster.category, Category::DprkAttributed);
    assert_eq!(cluster.members.iter().cloned().collect::<Vec<_>>(), two);
    // The clusters panel lists it.
    h.get_by_label("Lazarus split wallets");
}

#[test]
fn save_and_reopen_gives_the_same_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("saved.ron");
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    h.state_mut().push_command(Command::Expand {
        node: split_addresses()[0].clone(),
        direction: caseboard::sources::Direction::Out,
    });
    settle(&mut h);
    assert!(h.state().doc.is_modified());
    assert!(
        h.state().window_title().starts_with("● "),
        "unsaved marker in the title"
    );
    h.state_mut().doc.path = Some(path.clone());
    // Ctrl+S saves to the case's file.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    settle(&mut h);
    assert!(!h.state().doc.is_modified(), "saved");
    assert!(!h.state().window_title().starts_with("● "));
    let saved = h.state().doc.case().clone();

    let mut reopened = harness(StartOptions {
        open: Some(path.clone()),
        ..StartOptions::default()
    });
    settle(&mut reopened);
    let case = &reopened.state().doc.case();
    assert_eq!(case.nodes, saved.nodes);
    assert_eq!(case.transfers, saved.transfers);
    assert_eq!(case.clusters, saved.clusters);
    assert_eq!(case.tags, saved.tags);
    assert_eq!(
        case.layout.positions, saved.layout.positions,
        "positions restored exactly"
    );
    assert_eq!(reopened.state().doc.path.as_deref(), Some(path.as_path()));
    assert!(!reopened.state().doc.is_modified());
}

#[test]
fn opening_a_broken_file_keeps_the_open_case() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, "(format: 1, meta: (title: ").expect("write");
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let before = h.state().doc.case().clone();
    h.state_mut().push_command(Command::OpenPath(path));
    settle(&mut h);
    assert_eq!(*h.state().doc.case(), before);
    assert!(h.state().notices.contains("broken.ron"));
}

#[test]
fn demo_canvas_snapshot() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    h.snapshot("demo_canvas");
}

#[test]
fn unsaved_changes_are_not_discarded_without_asking() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let demo_nodes = h.state().doc.case().nodes.len();
    h.state_mut().push_command(Command::Expand {
        node: split_addresses()[0].clone(),
        direction: caseboard::sources::Direction::Out,
    });
    settle(&mut h);
    let expanded = h.state().doc.case().nodes.len();
    assert!(expanded > demo_nodes);

    // Ctrl+N asks first; Cancel keeps the work.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::N);
    h.run_steps(3);
    h.get_by_label("Unsaved changes");
    h.get_by_label("Cancel").click();
    settle(&mut h);
    assert!(h.state().dialogs.discard.is_none());
    assert_eq!(h.state().doc.case().nodes.len(), expanded);
    assert!(h.state().doc.is_modified());

    // Asked again, "Discard changes" goes ahead.
    h.state_mut().push_command(Command::OpenDemo);
    h.run_steps(3);
    h.get_by_label("Discard changes").click();
    settle(&mut h);
    assert_eq!(h.state().doc.case().nodes.len(), demo_nodes);
    assert!(!h.state().doc.is_modified());
}

/// A case holding only an exchange hot wallet of the demo world (dozens of counterparties).
fn hub_case() -> (caseboard::model::Case, NodeId) {
    let hub = caseboard::sources::demo::exchange_hot_wallets()[0].clone();
    let mut case = caseboard::model::Case::new("hub", 0);
    case.nodes
        .insert(hub.clone(), caseboard::model::Node::address(hub.clone()));
    (case, hub)
}

fn open_hub_case(h: &mut Harness<'static, CaseboardApp>) -> NodeId {
    let (case, hub) = hub_case();
    h.state_mut().doc = caseboard::app::Document::new(case, None);
    settle(h);
    hub
}

#[test]
fn load_more_adds_the_next_counterparties() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let hub = open_hub_case(&mut h);
    h.state_mut().settings.expansion_limit = 3;
    let shown = |h: &Harness<'static, CaseboardApp>| {
        let case = h.state().doc.case();
        case.transfers_of(&hub).count()
    };
    h.state_mut().push_command(Command::Expand {
        node: hub.clone(),
        direction: caseboard::sources::Direction::Both,
    });
    settle(&mut h);
    let after_first = shown(&h);
    h.get_by_label_contains("Load more adds the next");
    for round in 0..2 {
        h.state_mut().push_command(Command::LoadMore {
            node: hub.clone(),
            direction: caseboard::sources::Direction::Both,
        });
        settle(&mut h);
        let now = shown(&h);
        let said: Vec<_> = h.state().notices.all().map(|n| n.text.clone()).collect();
        assert!(
            now > after_first,
            "round {round}: load more added transfers: {said:#?}"
        );
    }
    // Each load-more is one undoable step.
    let before_undo = h.state().doc.case().nodes.len();
    h.state_mut().push_command(Command::Undo);
    settle(&mut h);
    assert!(h.state().doc.case().nodes.len() < before_undo);
}

#[test]
fn expand_with_options_checks_input_and_filters() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let hub = open_hub_case(&mut h);
    h.state_mut()
        .push_command(Command::ShowExpandDialog(hub.clone()));
    settle(&mut h);
    h.get_by_label_contains("Expand with options");
    // A bad minimum value and a bad date are named; Expand stays off.
    let fields: Vec<_> = h.get_all_by_role(Role::TextInput).collect();
    assert_eq!(fields.len(), 3, "minimum, from, to");
    fields[0].focus();
    fields[0].type_text("lots");
    h.run_steps(2);
    let fields: Vec<_> = h.get_all_by_role(Role::TextInput).collect();
    fields[1].focus();
    fields[1].type_text("21/02/2025");
    h.run_steps(2);
    h.get_by_label_contains("minimum value \"lots\"");
    h.get_by_label_contains("is not a date");
    let before = h.state().doc.case().clone();
    h.get_by_label("Expand").click();
    h.run_steps(3);
    assert_eq!(*h.state().doc.case(), before, "disabled: nothing happens");

    // Cancelled and opened again: a minimum far above every hop keeps nothing, and the
    // notice says why.
    h.get_by_label("Cancel").click();
    settle(&mut h);
    h.state_mut()
        .push_command(Command::ShowExpandDialog(hub.clone()));
    settle(&mut h);
    let field = h
        .get_all_by_role(Role::TextInput)
        .next()
        .expect("minimum field");
    field.focus();
    field.type_text("1000000000");
    h.run_steps(2);
    h.get_by_label("Expand").click();
    settle(&mut h);
    assert_eq!(h.state().doc.case().nodes, before.nodes);
    h.get_by_label_contains("filtered out");
}

/// A job that panics (a bug) is caught at the job boundary: the window keeps running, the
/// user is told, and the case is as it was.
#[test]
fn a_panicking_job_leaves_the_app_running() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let before = h.state().doc.case().clone();
    assert!(h.state_mut().jobs.spawn(
        "test:panic".to_owned(),
        "a test job".to_owned(),
        None,
        |_control| panic!("this job panics on purpose"),
    ));
    settle(&mut h);
    let notices = &h.state().notices;
    assert!(
        notices.contains("Internal error in a test job, please report"),
        "the panic became a notice"
    );
    assert!(notices.contains("this job panics on purpose"));
    assert_eq!(*h.state().doc.case(), before, "the case is unchanged");
    // The app still works: an expansion after the panic goes through.
    h.state_mut().push_command(Command::Expand {
        node: split_addresses()[0].clone(),
        direction: caseboard::sources::Direction::Out,
    });
    settle(&mut h);
    assert!(h.state().doc.case().nodes.len() > before.nodes.len());
}

#[test]
fn expanding_a_hub_asks_first() {
    let hub = NodeId::parse("eth:0x1111111111111111111111111111111111111111").expect("id");
    let mut case = caseboard::model::Case::new("hub", 0);
    let mut node = caseboard::model::Node::address(hub.clone());
    node.tx_count = Some(25_000);
    case.nodes.insert(hub.clone(), node);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("hub.ron");
    caseboard::case_file::save(&case, &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.state_mut().push_command(Command::Expand {
        node: hub,
        direction: caseboard::sources::Direction::Both,
    });
    h.run_steps(3);
    h.get_by_label("Expand with options");
    h.get_by_label_contains("has 25000 transactions");
    assert!(
        h.state().jobs.is_idle(),
        "nothing started before the user chose"
    );
}

#[test]
fn an_opened_case_is_drawn_from_the_graph_and_timeline_its_job_prepared() {
    // A generated case reads the demo ledger but has none of its actors: nothing is tagged as
    // it opens, so the prepared views stay true.
    let case = caseboard::generate::generate_case(3_000, 7);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.ron");
    caseboard::case_file::save(&case, &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    let app = h.state();
    assert_eq!(app.doc.case().nodes.len(), 3_000);
    let canvas = app.canvas();
    assert_eq!(
        canvas.graphs_taken(),
        1,
        "the job's graph is the only one the canvas took: nothing was rebuilt on the UI thread"
    );
    // The graph it shows is the one the UI thread would have built.
    let direct = caseboard::app::canvas::build_graph(
        app.doc.case(),
        &app.prices,
        &app.doc.case().view.filter,
    );
    assert_eq!(canvas.graph().nodes.len(), direct.nodes.len());
    assert_eq!(canvas.graph().edges.len(), direct.edges.len());
    let first_flow = (0..direct.flows.len()).find_map(|i| direct.flow_label(i));
    assert_eq!(
        (0..canvas.graph().flows.len()).find_map(|i| canvas.graph().flow_label(i)),
        first_flow
    );
    assert!(first_flow.is_some_and(|l| !l.is_empty()));
}
