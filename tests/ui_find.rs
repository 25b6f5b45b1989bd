//! The find box on the real app (demo case): Ctrl+F opens it, typing the short form the canvas
//! shows finds the address, Down and Enter select the hit and zoom to it, Escape closes.

use caseboard::app::StartOptions;
use caseboard::model::address::short_form;
use caseboard::sources::demo::split_addresses;
use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;

mod ui_support;
use ui_support::{harness, settle};

#[test]
fn ctrl_f_finds_an_address_by_its_short_form_and_enter_selects_it() {
    let mut h = harness(StartOptions::default());
    settle(&mut h);
    let target = split_addresses()[3].clone();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run_steps(3);
    assert!(h.state().find.is_open());
    let field = h.get_by_role(Role::TextInput);
    field.focus();
    // `0xc3e0…4d41`-style, as the canvas labels it.
    field.type_text(&short_form(target.value()));
    h.run_steps(3);
    h.get_by_label_contains(target.as_str());
    h.key_press(egui::Key::Enter);
    settle(&mut h);
    assert_eq!(
        h.state().selection.iter().collect::<Vec<_>>(),
        vec![&target],
        "Enter selects the hit"
    );
    h.key_press(egui::Key::Escape);
    h.run_steps(3);
    assert!(!h.state().find.is_open(), "Escape closes the box");
}
