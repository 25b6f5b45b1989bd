//! Keyboard shortcuts, and the window that lists them.

use super::super::command::Command;
use crate::sources::Direction;
use egui::{Key, KeyboardShortcut, Modifiers};

/// Every shortcut with its description (shown in Help → Keyboard shortcuts and the README).
pub const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+N", "New case"),
    ("Ctrl+O", "Open case"),
    ("Ctrl+S", "Save"),
    ("Ctrl+Shift+S", "Save as"),
    ("Ctrl+Q", "Quit"),
    ("Ctrl+Z", "Undo"),
    ("Ctrl+Shift+Z / Ctrl+Y", "Redo"),
    ("Ctrl+L", "Load addresses"),
    ("Ctrl+T", "Tag selection as cluster"),
    ("Ctrl+E", "Export image (SVG/PNG)"),
    (
        "Ctrl+F",
        "Find an address (or 0x12…ab), tx hash, label or note; Enter selects and zooms",
    ),
    ("Ctrl+Shift+T", "Show or hide the timeline"),
    (
        "Ctrl+Shift+A",
        "Find patterns: run every detector (Findings panel)",
    ),
    ("Ctrl+A", "Select all nodes"),
    ("Delete", "Remove selected nodes"),
    ("E", "Expand selected nodes (both directions)"),
    ("F", "Fit to view"),
    ("Escape", "Clear selection"),
    ("F1", "This list"),
    ("Double-click node", "Expand it (both directions)"),
    (
        "Right-click node",
        "Expand (with options, load more), tag, pin, note, arrow, highlight, remove",
    ),
    (
        "Right-click background",
        "Add a note there, fit, select all",
    ),
    ("Drag / double-click note", "Move it / edit it"),
    ("Shift+click", "Add/remove a node to/from the selection"),
    ("Shift+drag", "Rectangle select"),
    ("Drag node", "Move it (it stays pinned)"),
    ("Drag background / wheel", "Pan / zoom"),
];

/// Commands for the shortcuts pressed this frame.
pub fn shortcut_commands(ctx: &egui::Context, has_selection: bool) -> Vec<Command> {
    let mut commands = Vec::new();
    let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    ctx.input_mut(|i| {
        // Longer combinations first so Ctrl+Shift+S is not taken as Ctrl+S.
        if i.consume_shortcut(&KeyboardShortcut::new(ctrl_shift, Key::S)) {
            commands.push(Command::SaveAs);
        }
        if i.consume_shortcut(&KeyboardShortcut::new(ctrl_shift, Key::T)) {
            commands.push(Command::ToggleTimeline);
        }
        if i.consume_shortcut(&KeyboardShortcut::new(ctrl_shift, Key::A)) {
            commands.push(Command::RunAnalysis);
        }
        if i.consume_shortcut(&KeyboardShortcut::new(ctrl_shift, Key::Z))
            || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y))
        {
            commands.push(Command::Redo);
        }
        let plain = [
            (Key::N, Command::NewCase),
            (Key::O, Command::OpenDialog),
            (Key::S, Command::Save),
            (Key::Q, Command::Quit),
            (Key::Z, Command::Undo),
            (Key::L, Command::ShowAddAddresses),
            (Key::T, Command::ShowClusterDialog(None)),
            (Key::E, Command::ExportImageDialog),
            (Key::F, Command::ShowFind),
        ];
        for (key, command) in plain {
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, key)) {
                commands.push(command);
            }
        }
    });
    // Plain keys only when no text field wants them.
    if !ctx.egui_wants_keyboard_input() {
        ctx.input_mut(|i| {
            if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::A)) {
                commands.push(Command::SelectAll);
            }
            if i.consume_key(Modifiers::NONE, Key::Delete) && has_selection {
                commands.push(Command::RemoveSelected);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                commands.push(Command::Select(Vec::new()));
            }
            if i.consume_key(Modifiers::NONE, Key::F) {
                commands.push(Command::ZoomTo(Vec::new()));
            }
            if i.consume_key(Modifiers::NONE, Key::E) && has_selection {
                commands.push(Command::ExpandSelected(Direction::Both));
            }
            if i.consume_key(Modifiers::NONE, Key::F1) {
                commands.push(Command::ShowShortcuts);
            }
        });
    }
    commands
}

/// The shortcuts window.
pub fn shortcuts_window_ui(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .resizable(false)
        .collapsible(false)
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts_grid")
                .striped(true)
                .show(ui, |ui| {
                    for (keys, what) in SHORTCUTS {
                        ui.label(egui::RichText::new(*keys).monospace());
                        ui.label(*what);
                        ui.end_row();
                    }
                });
        });
}
