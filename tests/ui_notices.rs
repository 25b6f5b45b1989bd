//! UI tests of a calm canvas: information notices fade on the UI clock, errors stay (three
//! shown, newest first) and every notice is in the status bar's "Notices (N)" list.

use caseboard::app::{CaseboardApp, StartOptions};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

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
