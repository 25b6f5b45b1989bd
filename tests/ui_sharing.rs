//! UI tests of sharing a case: a note written through the dialog appears in the exported SVG;
//! unsaved work is autosaved (also into a config folder that does not exist yet) and offered
//! back after a simulated crash; a colleague's case is
//! merged, its conflict listed in Review and resolved; every change lands in the History.

use caseboard::app::recovery::recovery_path_for;
use caseboard::app::{CaseboardApp, Command, StartOptions};
use caseboard::case_file;
use caseboard::model::{Action, Category, Confidence, NodeId, Tag};
use caseboard::sources::demo::{demo_case, theft_address};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, settle};

fn with_settings(dir: &std::path::Path) -> StartOptions {
    StartOptions {
        settings_path: Some(dir.join("settings.ron")),
        ..StartOptions::default()
    }
}

/// Waits (bounded) until `done` holds, stepping the app.
fn wait_for(
    h: &mut Harness<'static, CaseboardApp>,
    what: &str,
    done: impl Fn(&CaseboardApp) -> bool,
) {
    for _ in 0..3_000 {
        h.run_steps(1);
        if done(h.state()) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    panic!("timed out waiting for {what}");
}

fn write_note(h: &mut Harness<'static, CaseboardApp>, node: &NodeId, text: &str) {
    h.state_mut().push_command(Command::NewNote {
        anchor: Some(node.clone()),
        position: [20.0, -40.0],
    });
    settle(h);
    h.get_by_label_contains("New note");
    let field = h.get_by_role(Role::MultilineTextInput);
    field.focus();
    field.type_text(text);
    h.run_steps(2);
    h.get_by_label("Save note").click();
    settle(h);
}

#[test]
fn a_note_written_in_the_app_is_in_the_exported_svg() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let theft = theft_address();
    write_note(&mut h, &theft, "Peel <40> & split");
    let notes = &h.state().doc.case().annotations.notes;
    assert_eq!(notes.len(), 1);
    let note = notes.values().next().expect("note");
    assert_eq!(note.anchor.as_ref(), Some(&theft));
    // The canvas shows it.
    h.get_by_label_contains("Note: Peel <40> & split");

    let svg = dir.path().join("picture.svg");
    h.state_mut()
        .push_command(Command::ExportImage(svg.clone()));
    settle(&mut h);
    let text = std::fs::read_to_string(&svg).expect("the SVG was written");
    assert!(text.contains("<svg"), "{}", &text[..200.min(text.len())]);
    assert!(
        text.contains("Peel &lt;40&gt; &amp; split"),
        "note text escaped in the SVG"
    );
    assert!(text.contains(&h.state().doc.case().meta.title.replace('&', "&amp;")));

    // PNG from the same scene.
    let png = dir.path().join("picture.png");
    h.state_mut()
        .push_command(Command::ExportImage(png.clone()));
    settle(&mut h);
    let bytes = std::fs::read(&png).expect("the PNG was written");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));

    // A bad extension is refused with a notice, nothing written.
    let bad = dir.path().join("picture.gif");
    h.state_mut()
        .push_command(Command::ExportImage(bad.clone()));
    settle(&mut h);
    assert!(!bad.exists());
    h.get_by_label_contains("must end in .svg");
}

#[test]
fn unsaved_work_is_autosaved_and_offered_after_a_crash() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case_path = dir.path().join("case.ron");
    case_file::save(&demo_case(), &case_path).expect("saved");
    let recovery = recovery_path_for(&case_path);

    // First run: open, change, let the autosave run, then "crash" (drop without saving).
    {
        let mut options = with_settings(dir.path());
        options.open = Some(case_path.clone());
        let mut h = harness(options);
        settle(&mut h);
        h.state_mut().settings.autosave_secs = 1;
        write_note(&mut h, &theft_address(), "autosaved note");
        assert!(h.state().doc.is_modified());
        wait_for(&mut h, "the recovery file", |_| recovery.exists());
        settle(&mut h);
    }
    let saved = case_file::load(&case_path).expect("original intact");
    assert!(
        saved.annotations.notes.is_empty(),
        "the case file was not touched"
    );

    // Second run: the recovery is offered; Restore brings the note back, unsaved.
    let mut options = with_settings(dir.path());
    options.open = Some(case_path.clone());
    let mut h = harness(options);
    settle(&mut h);
    h.get_by_label_contains("Unsaved work found");
    h.get_by_label("Restore").click();
    settle(&mut h);
    let doc = &h.state().doc;
    assert_eq!(doc.case().annotations.notes.len(), 1);
    assert!(doc.is_modified(), "restored work still needs saving");
    assert_eq!(doc.path.as_ref(), Some(&case_path));

    // Saving removes the recovery file.
    h.state_mut().push_command(Command::Save);
    settle(&mut h);
    wait_for(&mut h, "the recovery file to go", |_| !recovery.exists());
    assert_eq!(
        case_file::load(&case_path)
            .expect("saved")
            .annotations
            .notes
            .len(),
        1
    );
}

#[test]
fn autosave_works_from_a_fresh_config_folder() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The settings folder does not exist yet (a first start).
    let config = dir.path().join("fresh").join("caseboard");
    let untitled = config.join("untitled.recovery.ron");
    let mut h = harness(with_settings(&config));
    settle(&mut h);
    h.state_mut().settings.autosave_secs = 1;
    write_note(&mut h, &theft_address(), "autosaved note");
    wait_for(&mut h, "the untitled recovery file", |_| untitled.exists());
    settle(&mut h);
    assert!(
        !h.state().notices.contains("Autosave"),
        "no autosave failure"
    );
    let recovered = case_file::load(&untitled).expect("a readable recovery file");
    assert_eq!(recovered.annotations.notes.len(), 1);
}

#[test]
fn merging_a_colleagues_case_lists_and_resolves_the_conflict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let theft = theft_address();
    let mut theirs = demo_case();
    theirs.tags.insert(
        theft.clone(),
        vec![Tag::new(
            "Mixer deposit",
            Category::Mixer,
            Confidence::ForensicInvestigation,
            "bob's review",
        )],
    );
    theirs.meta.contributors.insert("bob".to_owned());
    let theirs_path = dir.path().join("bob.ron");
    case_file::save(&theirs, &theirs_path).expect("saved");

    let mut h = harness(StartOptions::default());
    settle(&mut h);
    h.state_mut()
        .push_command(Command::SetInvestigator("alice".into()));
    h.state_mut().push_command(Command::Apply(Action::SetTags {
        label: "tag theft".into(),
        entries: vec![(
            theft.clone(),
            vec![Tag::new(
                "Exploiter",
                Category::DprkAttributed,
                Confidence::AuthorityData,
                "FBI PSA",
            )],
        )],
    }));
    settle(&mut h);
    h.state_mut()
        .push_command(Command::MergePath(theirs_path.clone()));
    settle(&mut h);
    let case = h.state().doc.case();
    assert_eq!(
        case.conflicts.len(),
        1,
        "different categories: one conflict"
    );
    assert_eq!(case.tags[&theft].len(), 2, "both judgements kept");
    assert!(case.meta.contributors.contains("bob"));
    h.get_by_label_contains("Review (1)");
    h.get_by_label_contains(&format!("tags of {theft} disagree"));
    h.get_by_label("Take theirs").click();
    settle(&mut h);
    let case = h.state().doc.case();
    assert!(case.conflicts.is_empty());
    assert_eq!(case.tags[&theft].len(), 1);
    assert_eq!(case.tags[&theft][0].category, Category::Mixer);

    // The History tab lists what happened, by whom.
    h.get_by_label("History").click();
    settle(&mut h);
    h.get_by_label_contains("resolve conflict");
    h.get_by_label_contains("merge bob.ron");
    assert!(
        h.state()
            .doc
            .case()
            .history
            .iter()
            .any(|e| e.by == "alice" && e.what.contains("tag theft"))
    );
    // Undo takes the resolution back.
    h.state_mut().push_command(Command::Undo);
    settle(&mut h);
    assert_eq!(h.state().doc.case().conflicts.len(), 1);
}
