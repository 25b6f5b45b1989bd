//! Shared helpers for the UI tests (included with `mod ui_support;`): a harness around the real
//! app and a bounded wait until it is quiet.

#![allow(dead_code)]

use caseboard::app::{CaseboardApp, StartOptions};
use egui::Rect;
use egui_kittest::Harness;

/// The app in a 1400×900 headless window.
pub fn harness(options: StartOptions) -> Harness<'static, CaseboardApp> {
    Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| CaseboardApp::new(options))
}

/// Steps until no job runs and the layout has settled (bounded).
pub fn settle(h: &mut Harness<'static, CaseboardApp>) {
    for _ in 0..2_000 {
        h.run_steps(1);
        if h.state().is_quiet() {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("app did not settle");
}

/// Every pair of label boxes that share some area.
pub fn overlapping_pairs(rects: &[Rect]) -> Vec<(Rect, Rect)> {
    let mut pairs = Vec::new();
    for (i, a) in rects.iter().enumerate() {
        for b in &rects[i + 1..] {
            let overlap =
                a.min.x < b.max.x && b.min.x < a.max.x && a.min.y < b.max.y && b.min.y < a.max.y;
            if overlap {
                pairs.push((*a, *b));
            }
        }
    }
    pairs
}
