//! Smoke test: the real binary opens a real window (under Xvfb in CI), waits until the layout
//! settles, saves its own screenshot and exits; the PNG must be the window's size and not
//! blank. Without a display this test fails: CI runs it under `xvfb-run`.

use std::process::Command;
use std::time::{Duration, Instant};

#[test]
fn screenshot_of_the_demo_case_under_a_real_window() {
    assert!(
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some(),
        "this test opens a real window: run it under xvfb-run (see .ci/run)"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("demo.ron");
    let png = dir.path().join("shot.png");
    let bin = env!("CARGO_BIN_EXE_caseboard");
    let status = Command::new(bin)
        .args(["demo", "-o", case.to_str().expect("utf8")])
        .status()
        .expect("runs");
    assert!(status.success());

    let mut child = Command::new(bin)
        .args([
            "screenshot",
            case.to_str().expect("utf8"),
            "-o",
            png.to_str().expect("utf8"),
            "--size",
            "1024x700",
        ])
        .spawn()
        .expect("window starts");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("screenshot run did not finish in 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "screenshot run failed: {status}");

    let image = image::open(&png).expect("a PNG was written").to_rgba8();
    assert_eq!(image.dimensions(), (1024, 700), "window size at scale 1");
    let mut colours = std::collections::HashSet::new();
    for pixel in image.pixels().step_by(7) {
        colours.insert(pixel.0);
    }
    assert!(
        colours.len() > 50,
        "not blank: {} distinct colours",
        colours.len()
    );
}
