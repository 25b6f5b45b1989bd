//! UI tests of the Findings panel, driving the real app on the demo case traced from its theft
//! address: Ctrl+Shift+A runs the detectors in a job and the panel lists what they propose;
//! Apply is one undoable step in the history; Dismiss is remembered in the case and hides
//! the finding; a changed case says the findings are stale.

use caseboard::app::StartOptions;
use caseboard::model::action::{Action, apply};
use caseboard::prices::PriceBook;
use caseboard::sources::JobControl;
use caseboard::sources::demo::{demo_attribution, demo_case, demo_source, theft_address};
use caseboard::sources::trace::{TraceOptions, trace};
use egui_kittest::kittest::Queryable as _;
use std::collections::HashMap;

mod ui_support;
use ui_support::{harness, settle};

/// The demo case traced from the theft address (a few hops), saved in `dir`.
fn traced_case_file(dir: &std::path::Path) -> std::path::PathBuf {
    let mut case = demo_case();
    let known: HashMap<_, _> = demo_attribution()
        .into_iter()
        .map(|(n, t)| (n, t.category))
        .collect();
    let lookup = |n: &caseboard::model::NodeId| known.get(n).cloned();
    let outcome = trace(
        &demo_source(),
        &case,
        &theft_address(),
        &TraceOptions {
            max_hops: 5,
            budget_requests: 400,
            ..TraceOptions::default()
        },
        &lookup,
        &PriceBook::bundled(),
        &JobControl::default(),
    )
    .expect("traced");
    apply(
        &mut case,
        Action::Insert {
            label: "trace".into(),
            fragment: outcome.fragment,
        },
    )
    .expect("applies");
    let path = dir.join("traced.ron");
    caseboard::case_file::save(&case, &path).expect("saved");
    path
}

#[test]
fn findings_are_listed_applied_undone_and_dismissed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = traced_case_file(dir.path());
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::A,
    );
    settle(&mut h);
    let count = h.state().findings.findings.len();
    assert!(count > 10, "{count} findings");
    h.get_by_label_contains("Fan-out split (1)");
    h.get_by_label_contains("Peel chain (");
    assert!(h.state().notices.contains("Analysis:"));
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("findings_panel_look");
    }

    // Apply the split: one step, named with the method, undone whole.
    let revision = h.state().doc.revision();
    let history = h.state().doc.case().history.len();
    h.get_all_by_label("Apply")
        .next()
        .expect("an Apply button")
        .click();
    settle(&mut h);
    assert!(h.state().doc.revision() > revision);
    let case = h.state().doc.case();
    assert_eq!(case.history.len(), history + 1);
    assert!(
        case.history
            .last()
            .is_some_and(|e| e.what.contains("apply finding fan_out@1")),
        "{:?}",
        case.history.last()
    );
    assert!(!case.annotations.node_highlights.is_empty());
    h.get_by_label_contains("The case changed since this run");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert!(h.state().doc.case().annotations.node_highlights.is_empty());

    // Dismiss it: remembered in the case, gone from the list, back with "Show dismissed".
    h.get_all_by_label("Dismiss")
        .next()
        .expect("a Dismiss button")
        .click();
    settle(&mut h);
    assert_eq!(h.state().doc.case().findings.dismissed.len(), 1);
    assert!(h.query_by_label_contains("Fan-out split (1)").is_none());
    h.get_by_label("Show dismissed").click();
    settle(&mut h);
    h.get_by_label_contains("Fan-out split (1)");
    h.get_by_label("Restore").click();
    settle(&mut h);
    assert!(h.state().doc.case().findings.dismissed.is_empty());
}

#[test]
fn trace_from_here_adds_one_undoable_step_and_lists_its_reasons() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let nodes = h.state().doc.case().nodes.len();
    let split = caseboard::sources::demo::split_addresses()[0].clone();
    assert!(h.state().doc.case().nodes.contains_key(&split));
    h.state_mut()
        .push_command(caseboard::app::Command::TraceFrom(split));
    settle(&mut h);
    let case = h.state().doc.case();
    assert!(
        case.nodes.len() > nodes + 5,
        "{} → {}",
        nodes,
        case.nodes.len()
    );
    assert!(
        case.history
            .last()
            .is_some_and(|e| e.what.contains("trace@1")),
        "{:?}",
        case.history.last()
    );
    assert!(
        case.annotations
            .notes
            .values()
            .any(|n| n.text.starts_with("Trace (trace@1"))
    );
    assert!(h.state().notices.contains("Trace from"));
    h.get_by_label_contains("Last trace from").click();
    settle(&mut h);
    h.get_all_by_label_contains("followed")
        .next()
        .expect("a followed step");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("trace_look");
    }
    // Undo removes the whole trace.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert_eq!(h.state().doc.case().nodes.len(), nodes);
}

#[test]
fn paths_between_two_selections_are_listed_highlighted_or_explained() {
    use caseboard::app::Command;
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let theft = theft_address();
    let split = caseboard::sources::demo::split_addresses()[3].clone();
    // From the selection, as a user does: select, "Use selection".
    h.state_mut().push_command(Command::RunAnalysis);
    settle(&mut h);
    h.get_by_label("Paths").click();
    settle(&mut h);
    h.state_mut()
        .push_command(Command::Select(vec![theft.clone()]));
    settle(&mut h);
    h.get_all_by_label("Use selection")
        .next()
        .expect("from")
        .click();
    settle(&mut h);
    h.state_mut()
        .push_command(Command::Select(vec![split.clone()]));
    settle(&mut h);
    h.get_all_by_label("Use selection")
        .nth(1)
        .expect("to")
        .click();
    settle(&mut h);
    h.get_by_label("Find paths").click();
    settle(&mut h);
    let result = h.state().findings.paths.clone().expect("searched");
    assert_eq!(
        result.paths.len(),
        1,
        "{result:?} from {:?} to {:?}",
        h.state().findings.path_from,
        h.state().findings.path_to
    );
    assert_eq!(result.paths[0].nodes, vec![theft.clone(), split.clone()]);
    h.get_by_label_contains("#1 · 1 hop(s) · 10,000 ETH");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("paths_look");
    }
    h.get_by_label("Highlight").click();
    settle(&mut h);
    let highlights = &h.state().doc.case().annotations;
    assert_eq!(highlights.node_highlights.len(), 2);
    assert_eq!(highlights.edge_highlights.len(), 1);

    // Backwards there is no directed route, and the tab says so.
    h.state_mut().push_command(Command::FindPaths {
        from: vec![split],
        to: vec![theft],
    });
    settle(&mut h);
    assert!(
        h.get_all_by_label_contains("No path: no directed route")
            .count()
            >= 1
    );
}

#[test]
fn taint_from_the_selection_lists_where_it_ended_and_can_be_recorded() {
    use caseboard::app::Command;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = traced_case_file(dir.path());
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    h.state_mut().push_command(Command::RunAnalysis);
    settle(&mut h);
    h.get_by_label("Taint").click();
    settle(&mut h);
    h.state_mut()
        .push_command(Command::Select(vec![theft_address()]));
    settle(&mut h);
    h.get_all_by_label("Use selection")
        .next()
        .expect("sources")
        .click();
    settle(&mut h);
    h.get_by_label("Compute taint").click();
    settle(&mut h);
    let run = h.state().findings.taint.clone().expect("computed");
    assert_eq!(run.model.name(), "haircut");
    assert!(
        run.hops.is_some_and(|n| n > 0),
        "through swap hops by default"
    );
    assert!(run.reached > 50, "{}", run.reached);
    assert!(
        run.ends.iter().any(|e| matches!(
            &e.kind,
            caseboard::analysis::taint_ends::EndKind::Service(caseboard::model::Category::Mixer)
        )),
        "the mixer is an end"
    );
    h.get_all_by_label_contains("mixer")
        .next()
        .expect("a mixer row");
    assert!(h.state().canvas().shows_taint(), "drawn on the canvas");
    assert!(
        run.overlay.shares.values().any(|s| *s > 0.99),
        "the split addresses are all tainted"
    );
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("taint_look");
    }
    h.get_by_label("Show on canvas").click();
    settle(&mut h);
    assert!(!h.state().canvas().shows_taint());
    h.get_by_label("Show on canvas").click();
    settle(&mut h);
    assert!(h.state().canvas().shows_taint());
    h.get_by_label("Record in case").click();
    settle(&mut h);
    let case = h.state().doc.case();
    assert!(
        case.annotations
            .notes
            .values()
            .any(|n| n.text.starts_with("Taint (haircut@1) from"))
    );
    assert!(
        case.history
            .last()
            .is_some_and(|e| e.what.contains("record taint (haircut@1)"))
    );
}
