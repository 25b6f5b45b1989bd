//! UI tests of the canvas's labels, on the real app: over the demo case and a generated
//! 10,000-node case, at the fitted view, zoomed out and zoomed in, with nothing and everything
//! selected, no two label boxes drawn in a frame overlap; a cluster is named once, and zoomed
//! out its members leave their names to it.

use caseboard::app::command::Command;
use caseboard::app::{CaseboardApp, StartOptions};
use egui::{Event, Modifiers, Pos2, Vec2};
use egui_kittest::Harness;

mod ui_support;
use ui_support::{harness, overlapping_pairs, settle};

/// Wheel-zooms around the canvas centre (`lines` > 0 zooms in) and lets the view settle.
fn wheel(h: &mut Harness<'static, CaseboardApp>, lines: f32) {
    let centre = h.state().canvas().rect().expect("canvas drawn").center();
    h.hover_at(centre);
    h.event(Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: Vec2::new(0.0, lines),
        phase: egui::TouchPhase::Move,
        modifiers: Modifiers::NONE,
    });
    h.run_steps(30);
    // Off the canvas, so no hover tooltip is drawn.
    h.hover_at(Pos2::new(2.0, 2.0));
    h.run_steps(2);
}

/// Checks the last frame's labels: none overlap; returns how many there are.
fn check(h: &Harness<'static, CaseboardApp>, what: &str) -> usize {
    let rects = h.state().canvas().label_rects();
    let pairs = overlapping_pairs(rects);
    assert!(
        pairs.is_empty(),
        "{what}: {} overlapping labels: {:?}",
        pairs.len(),
        &pairs[..pairs.len().min(5)]
    );
    rects.len()
}

/// Runs the checks at the fitted view, zoomed out, zoomed in, and with everything selected.
fn check_views(h: &mut Harness<'static, CaseboardApp>, name: &str) -> [usize; 4] {
    let fitted = check(h, &format!("{name}, fitted"));
    wheel(h, -4.0);
    let out = check(h, &format!("{name}, zoomed out"));
    wheel(h, 12.0);
    let zoomed = check(h, &format!("{name}, zoomed in"));
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot(format!("{}_zoomed_look", name.replace(' ', "_")));
    }
    h.state_mut().push_command(Command::SelectAll);
    h.run_steps(3);
    let selected = check(h, &format!("{name}, all selected"));
    [fitted, out, zoomed, selected]
}

#[test]
fn demo_labels_never_overlap_at_any_zoom() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let counts = check_views(&mut h, "demo");
    assert!(
        counts.iter().all(|&n| n > 3),
        "the demo keeps labels: {counts:?}"
    );
}

#[test]
fn a_10k_case_labels_never_overlap_at_any_zoom() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.ron");
    let case = caseboard::generate::generate_case(10_000, 1);
    caseboard::case_file::save(&case, &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    assert_eq!(h.state().doc.case().nodes.len(), 10_000);
    let counts = check_views(&mut h, "10k case");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("big_labels_look");
    }
    assert!(counts.iter().all(|&n| n > 3), "labels drawn: {counts:?}");
}

#[test]
fn a_cluster_is_named_once_and_zoomed_out_its_members_leave_their_names_to_it() {
    use caseboard::model::{Action, Category, Cluster, ClusterId, Confidence};
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    // The split wallets: every node the demo tags as such.
    let case = h.state().doc.case();
    let members: std::collections::BTreeSet<_> = case
        .tags
        .iter()
        .filter(|(_, tags)| tags.iter().any(|t| t.label.contains("split")))
        .map(|(id, _)| id.clone())
        .collect();
    assert!(members.len() > 5, "the demo has split wallets: {members:?}");
    let cluster = Cluster {
        id: ClusterId(77),
        label: "Split wallets".to_owned(),
        category: Category::DprkAttributed,
        confidence: Confidence::ManualTransaction,
        source: String::new(),
        note: String::new(),
        members,
    };
    h.state_mut()
        .push_command(Command::Apply(Action::CreateCluster(cluster)));
    settle(&mut h);
    for _ in 0..10 {
        let zoom = h.state().canvas().transform().expect("drawn").zoom;
        if zoom < caseboard::export::scene::LABEL_ZOOM * 0.8 {
            break;
        }
        wheel(&mut h, -3.0);
    }
    check(&h, "demo with a cluster, zoomed out");
    let rects = h.state().canvas().label_rects().len();
    assert!(rects > 0);
    let zoom = h.state().canvas().transform().expect("drawn").zoom;
    assert!(
        zoom < caseboard::export::scene::LABEL_ZOOM,
        "zoomed out: {zoom}"
    );
    // The cluster's name is drawn once; no member label repeats it.
    let shown = h.state().canvas().label_texts();
    let names = shown
        .iter()
        .filter(|t| t.starts_with("Split wallets"))
        .count();
    assert_eq!(names, 1, "{shown:?}");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("cluster_labels_look");
    }
}
