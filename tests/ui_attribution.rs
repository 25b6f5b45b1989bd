//! UI test of attribution: the demo case opened with a pack that covers one of its addresses
//! shows the badge on that node and the hit in the Attribution panel; clicking the hit selects
//! the node; switching the pack off removes its tag (and undo brings it back).

use caseboard::app::{CaseboardApp, StartOptions};
use caseboard::sources::demo::theft_address;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::settle;

#[test]
fn a_pack_hit_shows_a_badge_and_a_panel_entry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("case-pack.csv");
    let theft = theft_address();
    std::fs::write(
        &pack,
        format!(
            "address,chain,label,category,confidence,source\n{},ETH,Test exploiter,dprk_attributed,authority_data,https://example.org/psa\n",
            theft.value()
        ),
    )
    .expect("write pack");
    let options = StartOptions {
        extra_packs: vec![pack],
        ..StartOptions::default()
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| CaseboardApp::new(options));
    settle(&mut h);

    let visual = h.state().canvas().visual(&theft).expect("theft node drawn");
    assert!(visual.attributed, "badge on the matched node");
    assert!(visual.short_label.contains("Test exploiter"));
    let tags = h.state().doc.case().tags[&theft].clone();
    assert!(
        tags.iter()
            .any(|t| t.label == "Test exploiter" && t.pack.is_some())
    );

    h.get_by_label("Attribution").click();
    h.run_steps(2);
    h.get_by_label_contains("1 dprk_attributed");
    h.get_by_label_contains("Test exploiter").click();
    settle(&mut h);
    assert_eq!(
        h.state().selection.iter().cloned().collect::<Vec<_>>(),
        vec![theft.clone()]
    );
    // The inspector shows where the tag came from.
    h.get_by_label_contains("pack:");

    // Switching the pack off removes its tag; undo restores it.
    let pack_id = tags.iter().find_map(|t| t.pack.clone()).expect("pack id");
    h.state_mut()
        .push_command(caseboard::app::Command::SetPackEnabled {
            id: pack_id,
            enabled: false,
        });
    settle(&mut h);
    assert!(
        h.state()
            .doc
            .case()
            .tags
            .get(&theft)
            .is_none_or(|t| t.is_empty())
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut h);
    assert!(
        h.state().doc.case().tags[&theft]
            .iter()
            .any(|t| t.label == "Test exploiter")
    );
}

#[test]
fn attribution_tags_survive_save_and_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("pack.csv");
    let theft = theft_address();
    std::fs::write(
        &pack,
        format!(
            "address,chain,label,category,confidence,source\n{},ETH,Test exploiter,dprk_attributed,authority_data,test\n",
            theft.value()
        ),
    )
    .expect("write pack");
    let path = dir.path().join("case.ron");
    let options = StartOptions {
        extra_packs: vec![pack.clone()],
        ..StartOptions::default()
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| CaseboardApp::new(options));
    settle(&mut h);
    h.state_mut().doc.path = Some(path.clone());
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    settle(&mut h);
    assert!(!h.state().doc.is_modified());
    let saved = h.state().doc.case().tags.clone();

    // Reopened with the same pack active: the tags are there and nothing is added twice.
    let options = StartOptions {
        open: Some(path),
        extra_packs: vec![pack],
        ..StartOptions::default()
    };
    let mut reopened = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| CaseboardApp::new(options));
    settle(&mut reopened);
    assert_eq!(reopened.state().doc.case().tags, saved);
    assert!(
        !reopened.state().doc.is_modified(),
        "no duplicate flagging on reopen"
    );
    assert!(
        reopened
            .state()
            .canvas()
            .visual(&theft)
            .is_some_and(|v| v.attributed)
    );
}

#[test]
fn the_inspector_names_the_actor_a_tag_points_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let theft = theft_address();
    // An imported ActorPack and a TagPack whose tag names one of its actors.
    let actors = dir.path().join("actors.yaml");
    std::fs::write(
        &actors,
        "title: Test actors\ncreator: Test\ndescription: for a test\nlastmod: 2025-02-26\nactors:\n\
         - id: testgroup\n  label: Test Group\n  uri: https://example.org/testgroup\n  \
         jurisdictions: [KP]\n  categories: [service_hack]\n  aliases: [Group T]\n",
    )
    .expect("write actors");
    let tags = dir.path().join("tags.yaml");
    std::fs::write(
        &tags,
        format!(
            "title: Test tags\ncreator: Test\nlastmod: 2025-02-26\ncurrency: ETH\n\
             confidence: authority_data\nsource: https://example.org/psa\ncategory: perpetrator\n\
             tags:\n- address: '{}'\n  label: Test exploiter\n  actor: testgroup\n",
            theft.value()
        ),
    )
    .expect("write tags");
    let options = StartOptions {
        extra_packs: vec![actors, tags],
        ..StartOptions::default()
    };
    let mut h = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| CaseboardApp::new(options));
    settle(&mut h);
    assert!(h.state().attribution.actors().get("testgroup").is_some());
    assert!(
        h.state().attribution.actors().get("lazarusgroup").is_some(),
        "the bundled actors are there too"
    );
    h.state_mut()
        .push_command(caseboard::app::Command::Select(vec![theft]));
    settle(&mut h);
    h.get_by_label("actor: Test Group (KP)");
}
