//! UI tests of the first five minutes: on first start the demo case opens with its story panel
//! (what it is, what to try); "Don't show again" closes it for good (kept in the settings) and
//! Help → Case story brings it back. The canvas's legend lists the categories on screen.

use caseboard::app::{Command, StartOptions};
use caseboard::model::Category;
use caseboard::sources::demo::DEMO_PACK_ID;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, settle};

/// A line of the demo's story.
const STEP: &str = "Find the exchange";

#[test]
fn the_story_shows_on_first_start_until_dismissed_and_comes_back_from_help() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = dir.path().join("settings.ron");
    let options = StartOptions {
        settings_path: Some(settings.clone()),
        ..StartOptions::default()
    };
    let mut h = harness(options.clone());
    settle(&mut h);
    assert!(h.state().dialogs.story, "open on first start");
    h.get_by_label_contains(STEP);

    h.get_by_label("Don't show again").click();
    settle(&mut h);
    assert!(h.query_by_label_contains(STEP).is_none(), "dismissed");
    assert!(h.state().settings.story_dismissed);

    // Kept in the settings: the next start has no story.
    for _ in 0..500 {
        let written = std::fs::read_to_string(&settings).unwrap_or_default();
        if written.contains("story_dismissed: true") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mut again = harness(options);
    settle(&mut again);
    assert!(!again.state().dialogs.story, "not shown again at start");
    assert!(again.query_by_label_contains(STEP).is_none());

    // Help → Case story shows it again.
    again.get_by_label("Help").click();
    again.run_steps(2);
    again.get_by_label_contains("Case story").click();
    settle(&mut again);
    again.get_by_label_contains(STEP);
}

#[test]
fn the_legend_lists_the_categories_on_screen() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("first_start_look");
    }
    // The demo's theft and split addresses (dprk_attributed) and the victim's wallet.
    assert_eq!(
        h.state().canvas().legend(),
        &[Category::DprkAttributed, Category::Victim]
    );
    h.get_by_label("dprk_attributed");
    h.get_by_label("victim");

    // No category on screen: no legend.
    h.state_mut().push_command(Command::SetPackEnabled {
        id: DEMO_PACK_ID.to_owned(),
        enabled: false,
    });
    settle(&mut h);
    assert!(h.state().canvas().legend().is_empty());
    assert!(h.query_by_label("dprk_attributed").is_none());
}
