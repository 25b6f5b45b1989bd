//! The PNG export of a case too big for an SVG document: 300,000 nodes (about 1.4 million
//! shapes; the old SVG-document path failed here with "nodes limit reached"). The picture is
//! painted, has the asked size, and its graph area is drawn on. Timing and memory are the
//! scale bench's (`SCALE_ONLY=export cargo bench --bench scale`), not this test's.
//!
//! Ignored in `cargo test`: a debug build takes about three minutes here (generating the case
//! and the SVG for the element count dominate). Run it with `cargo test --release --test
//! render_big -- --ignored`; the bench's export rows paint the same 300k case every run.

use caseboard::export::{SceneOptions, render_png, render_svg};
use caseboard::generate::generate_case;

#[test]
#[ignore = "minutes in a debug build; run with --release -- --ignored (the scale bench paints the same case)"]
fn a_300k_node_case_exports_as_png() {
    let case = generate_case(300_000, 1);
    assert!(case.nodes.len() >= 300_000);
    let options = SceneOptions {
        exported_at: Some(1_740_182_400),
        ..SceneOptions::default()
    };
    // Before: the whole picture as one SVG document is past usvg's million-element cap.
    let svg = render_svg(&case, &options);
    let elements = svg.matches('<').count();
    assert!(elements > 1_000_000, "{elements} elements in the SVG");
    drop(svg);

    let png = render_png(&case, &options).expect("painted");
    let img = image::load_from_memory(&png).expect("a PNG").to_rgb8();
    assert_eq!(img.width(), options.width_px);
    let (w, h) = img.dimensions();
    let background = *img.get_pixel(1, 1);
    let inked = (h / 4..h * 3 / 4)
        .step_by(4)
        .flat_map(|y| (w / 8..w * 5 / 8).step_by(4).map(move |x| (x, y)))
        .filter(|&(x, y)| *img.get_pixel(x, y) != background)
        .count();
    let sampled = (h / 2 / 4) * (w / 2 / 4);
    assert!(
        inked * 4 > sampled as usize,
        "{inked} of {sampled} sampled pixels of the graph area drawn on"
    );
}
