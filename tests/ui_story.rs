//! UI tests of the first five minutes: on first start the demo case opens with its story panel
//! (what it is, what to try); "Don't show again" closes it for good (kept in the settings) and
//! Help → Case story brings it back.

use caseboard::app::StartOptions;
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
