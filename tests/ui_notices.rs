//! UI tests of a calm canvas: information notices fade on the UI clock, errors stay (three
//! shown, newest first) and every notice is in the status bar's "Notices (N)" list; the Undo
//! entry keeps a long id readable; a note at the canvas's edge and an annotation arrow are
//! drawn inside the canvas (looked at with `CASEBOARD_LOOK=1`).

use caseboard::app::{CaseboardApp, Command, StartOptions};
use caseboard::model::action::HighlightTarget;
use caseboard::model::{Action, Arrow, ArrowEnd, ArrowId, Highlight, Note, NoteId};
use caseboard::sources::demo::theft_address;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT as _, Queryable as _};

mod ui_support;
use ui_support::{harness, settle};

fn shown(h: &Harness<'static, CaseboardApp>, text: &str) -> bool {
    h.query_by_label_contains(text).is_some()
}

#[test]
fn information_fades_errors_stay_and_all_are_listed() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    h.state_mut().notices.info("Saved the test case");
    h.run_steps(2);
    assert!(shown(&h, "Saved the test case"));
    // Each step is a quarter second of the UI's clock: six seconds later it has faded.
    h.run_steps(24);
    assert!(!shown(&h, "Saved the test case"), "information fades");

    for i in 1..=5 {
        h.state_mut()
            .notices
            .error(format!("Failure number {i}"), None);
    }
    h.run_steps(2);
    for i in 3..=5 {
        assert!(shown(&h, &format!("Failure number {i}")), "error {i} shown");
    }
    for i in 1..=2 {
        assert!(
            !shown(&h, &format!("Failure number {i}")),
            "error {i} waits"
        );
    }
    assert!(shown(&h, "+2 more in Notices"));
    // Errors stay, however long.
    h.run_steps(80);
    assert!(shown(&h, "Failure number 5"), "errors stay");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("notices_toasts_look");
    }

    // The status bar lists every notice, also the faded one and the waiting errors.
    let count = h.state().notices.len();
    h.get_by_label(&format!("Notices ({count})")).click();
    h.run_steps(2);
    assert!(shown(&h, "Failure number 1"));
    assert!(shown(&h, "Saved the test case"));
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("notices_list_look");
    }
}

#[test]
fn undo_label_keeps_the_id_readable_and_annotations_stay_on_the_canvas() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let node = theft_address();
    h.state_mut()
        .push_command(Command::Apply(Action::SetHighlight {
            target: HighlightTarget::Node(node.clone()),
            color: Some(Highlight::Yellow),
        }));
    settle(&mut h);
    h.get_by_label("Edit").click();
    h.run_steps(2);
    let undo = h.get_by_label_contains("Undo highlight");
    let label = undo.accesskit_node().label().unwrap_or_default();
    assert!(label.contains('…'), "{label}");
    assert!(label.contains("eth:0x"), "both ends readable: {label}");
    assert!(label.chars().count() <= 60, "{label}");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("undo_menu_look");
    }
    h.get_by_label("Edit").click();
    h.run_steps(2);

    // A note just right of the rightmost node, so partly past the canvas's right edge (under
    // the inspector), and an arrow from it to a node.
    let positions = h.state().doc.case().layout.positions.clone();
    let (rightmost, _) = positions
        .iter()
        .max_by(|a, b| a.1[0].total_cmp(&b.1[0]))
        .expect("nodes");
    let rightmost = rightmost.clone();
    h.state_mut().push_command(Command::Apply(Action::SetNote {
        id: NoteId(900),
        note: Some(Note {
            id: NoteId(900),
            text: "A note near the edge that must stay readable".into(),
            anchor: Some(rightmost.clone()),
            position: [30.0, 20.0],
            author: String::new(),
            modified: 0,
        }),
    }));
    h.state_mut().push_command(Command::Apply(Action::SetArrow {
        id: ArrowId(901),
        arrow: Some(Arrow {
            id: ArrowId(901),
            from: ArrowEnd::Note(NoteId(900)),
            to: ArrowEnd::Node(node),
            hop: None,
        }),
    }));
    settle(&mut h);
    assert_eq!(h.state().doc.case().annotations.notes.len(), 1);
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("note_at_edge_look");
    }
}
