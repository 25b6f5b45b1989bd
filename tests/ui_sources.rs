//! UI test of the Data sources window with TRON: the TronGrid preset fills the kind, the URL
//! and the chain it serves; the key goes to the owner-only settings file, never into the case;
//! "Use for this chain" gives the case's `trx` chain its own source through the document door
//! (looked at with `CASEBOARD_LOOK=1`).

use caseboard::app::{CaseboardApp, Command, StartOptions};
use caseboard::model::SourceConfig;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::settle;

#[test]
fn trongrid_serves_the_trx_chain_and_its_key_stays_in_settings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let settings = dir.path().join("settings.ron");
    let options = StartOptions {
        settings_path: Some(settings.clone()),
        ..StartOptions::default()
    };
    let mut h: Harness<'static, CaseboardApp> = Harness::builder()
        .with_size([1400.0, 900.0])
        .build_eframe(move |_cc| CaseboardApp::new(options));
    settle(&mut h);
    h.state_mut().push_command(Command::ShowSources);
    h.run_steps(3);
    h.get_by_label("Presets…").click();
    h.run_steps(2);
    h.get_by_label("TronGrid (TRON)").click();
    h.run_steps(3);
    // The key field of the TronGrid kind (a password field: its text is never shown).
    let key = "tron-ui-key-42";
    h.get_by_role_and_label(Role::PasswordInput, "API key")
        .click();
    h.run_steps(1);
    h.get_by_role_and_label(Role::PasswordInput, "API key")
        .type_text(key);
    h.run_steps(2);
    if std::env::var_os("CASEBOARD_LOOK").is_some() {
        h.snapshot("sources_trongrid_look");
    }
    h.get_by_label("Use for this chain").click();
    for _ in 0..20 {
        h.run_steps(1);
    }
    let case = h.state().doc.case();
    assert_eq!(
        case.chain_sources.get("trx"),
        Some(&SourceConfig::Tron {
            url: "https://api.trongrid.io".to_owned()
        })
    );
    assert_eq!(h.state().settings.trongrid_api_key, key);
    let saved = caseboard::case_file::to_ron_string(case).expect("serialises");
    assert!(!saved.contains(key));
    // The settings file is written off the UI thread; it holds the key.
    let mut written = String::new();
    for _ in 0..200 {
        h.run_steps(1);
        written = std::fs::read_to_string(&settings).unwrap_or_default();
        if written.contains(key) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(written.contains("trongrid_api_key"), "{written}");
}
