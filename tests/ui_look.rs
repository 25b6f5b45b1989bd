//! UI tests of the look: the light theme is a setting (View → Light theme) that applies at once
//! and at the next start; category glyphs show in the legend next to their colour.

use caseboard::app::StartOptions;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, overlapping_pairs, settle};

#[test]
fn the_light_theme_is_chosen_in_the_view_menu_applied_and_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = dir.path().join("settings.ron");
    let options = StartOptions {
        settings_path: Some(settings.clone()),
        ..StartOptions::default()
    };
    let mut h = harness(options.clone());
    settle(&mut h);
    assert_eq!(h.ctx.theme(), egui::Theme::Dark, "dark by default");

    h.get_by_label("View").click();
    h.run_steps(2);
    h.get_by_label("Light theme").click();
    settle(&mut h);
    assert!(h.state().settings.light_theme);
    assert_eq!(h.ctx.theme(), egui::Theme::Light, "applied at once");
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("light_theme_look");
    }

    // Kept in the settings: the next start is light.
    for _ in 0..500 {
        let written = std::fs::read_to_string(&settings).unwrap_or_default();
        if written.contains("light_theme: true") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mut again = harness(options);
    settle(&mut again);
    assert_eq!(
        again.ctx.theme(),
        egui::Theme::Light,
        "light at the next start"
    );
}

/// Follows the money from a split address to the exchange (Trace from here), as the story
/// says: the exchange, mixer and router arrive coloured (matched on arrival, though a trace
/// brings them inside a batch), with their glyphs in the legend; labels still never overlap; the picture exports. `CASEBOARD_LOOK=1` keeps the
/// before and after screenshots and the exported PNG in `tests/snapshots/` to look at.
#[test]
fn following_the_money_to_the_exchange_colours_what_it_reaches() {
    use caseboard::app::command::Command;
    use caseboard::model::Category;
    let look = std::env::var_os("CASEBOARD_LOOK").is_some();
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    h.state_mut()
        .push_command(Command::CloseStory { for_good: false });
    settle(&mut h);
    if look {
        h.snapshot("trace_before_look");
    }
    let split = h
        .state()
        .doc
        .case()
        .tags
        .iter()
        .find(|(_, tags)| {
            tags.iter()
                .any(|t| t.label.starts_with("Theft split address 17"))
        })
        .map(|(id, _)| id.clone())
        .expect("a split address");
    let before: std::collections::BTreeSet<_> =
        h.state().doc.case().nodes.keys().cloned().collect();
    h.state_mut().push_command(Command::TraceFrom(split));
    settle(&mut h);
    h.run_steps(60);
    // The view took in what the trace reached.
    let t = h.state().canvas().transform().expect("canvas drawn");
    let rect = h.state().canvas().rect().expect("canvas drawn");
    let case = h.state().doc.case();
    let new: Vec<_> = case
        .nodes
        .keys()
        .filter(|id| !before.contains(*id))
        .collect();
    assert!(new.len() > 5, "the trace added nodes: {}", new.len());
    for id in new {
        let p = t.to_screen_xy(case.layout.positions[id]);
        assert!(
            rect.expand(1.0).contains(p),
            "{id} on screen at {p:?}, canvas {rect:?}"
        );
    }
    let legend = h.state().canvas().legend().to_vec();
    let said: Vec<String> = h.state().notices.all().map(|n| format!("{n:?}")).collect();
    for category in [Category::Exchange, Category::Mixer, Category::Defi] {
        assert!(
            legend.contains(&category),
            "{category:?} in {legend:?}; {said:?}"
        );
    }
    let pairs = overlapping_pairs(h.state().canvas().label_rects());
    assert!(pairs.is_empty(), "labels overlap: {pairs:?}");
    if look {
        h.snapshot("trace_after_look");
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let png = if look {
        std::path::PathBuf::from("tests/snapshots/trace_export_look.png")
    } else {
        dir.path().join("traced.png")
    };
    h.state_mut()
        .push_command(Command::ExportImage(png.clone()));
    settle(&mut h);
    let bytes = std::fs::read(&png).expect("exported");
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
}

/// Drags a tagged hub of a generated case (10,000 nodes; `CASEBOARD_DRAG_NODES` sets another
/// size, 50,000 for the look in the README): the hub and its leaves (neighbours with no other
/// edge) move, every other node keeps its position to the bit. `CASEBOARD_LOOK=1` keeps the
/// before and after screenshots.
#[test]
fn a_drag_in_a_big_case_moves_only_the_node_and_its_leaves() {
    use egui::{Event, Modifiers, PointerButton, Vec2};
    use std::collections::{BTreeMap, BTreeSet};
    let nodes = std::env::var("CASEBOARD_DRAG_NODES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("big.ron");
    let case = caseboard::generate::generate_case(nodes, 1);
    caseboard::case_file::save(&case, &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    let look = std::env::var_os("CASEBOARD_LOOK").is_some();
    if look {
        h.snapshot(format!("drag_{nodes}_before_look"));
    }
    // The tagged node with the most neighbours, and its leaves.
    let case = h.state().doc.case();
    let mut neighbours: BTreeMap<_, BTreeSet<_>> = BTreeMap::new();
    for t in case.transfers.values() {
        neighbours
            .entry(t.from.clone())
            .or_default()
            .insert(t.to.clone());
        neighbours
            .entry(t.to.clone())
            .or_default()
            .insert(t.from.clone());
    }
    let hub = case
        .tags
        .keys()
        .max_by_key(|id| neighbours.get(*id).map_or(0, BTreeSet::len))
        .cloned()
        .expect("a tagged node");
    let leaves: BTreeSet<_> = neighbours[&hub]
        .iter()
        .filter(|n| neighbours[*n].len() == 1 && !case.layout.pinned.contains(*n))
        .cloned()
        .collect();
    let before = case.layout.positions.clone();
    let t = h.state().canvas().transform().expect("canvas drawn");
    let from = t.to_screen_xy(before[&hub]);
    let to = from + Vec2::new(60.0, 40.0);
    let button = |h: &egui_kittest::Harness<'static, _>, pos, pressed| {
        h.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    };
    h.hover_at(from);
    h.run_steps(1);
    button(&h, from, true);
    h.run_steps(1);
    for k in 1..=8 {
        h.hover_at(from + (to - from) * (k as f32 / 8.0));
        h.run_steps(1);
    }
    button(&h, to, false);
    settle(&mut h);
    let case = h.state().doc.case();
    assert_ne!(case.layout.positions[&hub], before[&hub], "the hub moved");
    let mut moved_others = 0;
    for (id, p) in &before {
        if *id != hub && !leaves.contains(id) && case.layout.positions[id] != *p {
            moved_others += 1;
        }
    }
    assert_eq!(
        moved_others,
        0,
        "nodes other than the hub and its {} leaves moved",
        leaves.len()
    );
    if look {
        h.snapshot(format!("drag_{nodes}_after_look"));
    }
}

/// A saved demo case opens with its actors coloured, as the built-in demo does, and with
/// nothing unsaved: the demo pack's tags are part of opening it, not a change.
#[test]
fn a_saved_demo_case_opens_coloured_and_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("demo.ron");
    caseboard::case_file::save(&caseboard::sources::demo::demo_case(), &path).expect("saved");
    let mut h = harness(StartOptions {
        open: Some(path),
        ..StartOptions::default()
    });
    settle(&mut h);
    let doc = &h.state().doc;
    assert_eq!(doc.case().nodes.len(), 42);
    let tagged = doc
        .case()
        .tags
        .values()
        .filter(|tags| tags.iter().any(|t| t.pack.is_some()))
        .count();
    assert_eq!(tagged, 42, "every demo node known to the demo pack");
    assert!(!doc.is_modified(), "opening is not a change");
}
