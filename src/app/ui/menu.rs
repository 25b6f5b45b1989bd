//! The menu bar: File, Edit, Case, View, Help — every entry with its shortcut.

use super::super::command::Command;
use super::super::settings::Settings;
use crate::model::Document;

/// Draws the menu bar.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    doc: &Document,
    settings: &Settings,
    commands: &mut Vec<Command>,
) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| file_menu_ui(ui, settings, commands));
        ui.menu_button("Edit", |ui| edit_menu_ui(ui, doc, commands));
        ui.menu_button("Case", |ui| case_menu_ui(ui, commands));
        ui.menu_button("View", |ui| {
            if item(ui, "Fit to view", "F") {
                commands.push(Command::ZoomTo(Vec::new()));
            }
            if item(ui, "Re-layout selection", "") {
                commands.push(Command::RelayoutSelection);
            }
            if item(ui, "Re-layout everything", "") {
                commands.push(Command::Relayout);
            }
            if item(ui, "Timeline", "Ctrl+Shift+T") {
                commands.push(Command::ToggleTimeline);
            }
            ui.separator();
            let mut light = settings.light_theme;
            if ui.checkbox(&mut light, "Light theme").clicked() {
                commands.push(Command::SetLightTheme(light));
                ui.close();
            }
        });
        ui.menu_button("Help", |ui| {
            if item(ui, "Keyboard shortcuts", "F1") {
                commands.push(Command::ShowShortcuts);
            }
            if item(ui, "Case story", "") {
                commands.push(Command::ShowStory);
            }
        });
    });
}

fn item(ui: &mut egui::Ui, label: &str, shortcut: &str) -> bool {
    let button = egui::Button::new(label).shortcut_text(shortcut);
    let clicked = ui.add(button).clicked();
    if clicked {
        ui.close();
    }
    clicked
}

fn file_menu_ui(ui: &mut egui::Ui, settings: &Settings, commands: &mut Vec<Command>) {
    if item(ui, "New case", "Ctrl+N") {
        commands.push(Command::NewCase);
    }
    if item(ui, "Open…", "Ctrl+O") {
        commands.push(Command::OpenDialog);
    }
    if item(ui, "Open demo case", "") {
        commands.push(Command::OpenDemo);
    }
    ui.menu_button("Open recent", |ui| {
        if settings.recent_files.is_empty() {
            ui.label("No recent files");
        }
        for path in &settings.recent_files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| path.display().to_string());
            if ui
                .button(name)
                .on_hover_text(path.display().to_string())
                .clicked()
            {
                commands.push(Command::OpenPath(path.clone()));
                ui.close();
            }
        }
    });
    ui.separator();
    if item(ui, "Save", "Ctrl+S") {
        commands.push(Command::Save);
    }
    if item(ui, "Save As…", "Ctrl+Shift+S") {
        commands.push(Command::SaveAs);
    }
    if item(ui, "Merge case…", "") {
        commands.push(Command::MergeDialog);
    }
    ui.separator();
    if item(ui, "Export image (SVG/PNG)…", "Ctrl+E") {
        commands.push(Command::ExportImageDialog);
    }
    if item(ui, "Export transfers (CSV)…", "") {
        commands.push(Command::ExportCsvDialog);
    }
    if item(ui, "Import price table…", "") {
        commands.push(Command::ShowPriceImport);
    }
    if item(ui, "Fetch missing prices online (CoinGecko)", "") {
        commands.push(Command::FetchPricesOnline);
    }
    ui.separator();
    if item(ui, "Export screenshot…", "") {
        commands.push(Command::ScreenshotDialog);
    }
    ui.separator();
    if item(ui, "Quit", "Ctrl+Q") {
        commands.push(Command::Quit);
    }
}

fn edit_menu_ui(ui: &mut egui::Ui, doc: &Document, commands: &mut Vec<Command>) {
    history_item_ui(
        ui,
        "Undo",
        doc.undo_description(),
        "Ctrl+Z",
        Command::Undo,
        commands,
    );
    history_item_ui(
        ui,
        "Redo",
        doc.redo_description(),
        "Ctrl+Shift+Z",
        Command::Redo,
        commands,
    );
    ui.separator();
    if item(ui, "Load addresses…", "Ctrl+L") {
        commands.push(Command::ShowAddAddresses);
    }
    if item(ui, "Find…", "Ctrl+F") {
        commands.push(Command::ShowFind);
    }
    if item(ui, "Select all", "Ctrl+A") {
        commands.push(Command::SelectAll);
    }
    if item(ui, "Remove selected nodes", "Del") {
        commands.push(Command::RemoveSelected);
    }
}

fn case_menu_ui(ui: &mut egui::Ui, commands: &mut Vec<Command>) {
    if item(ui, "Tag selection as cluster…", "Ctrl+T") {
        commands.push(Command::ShowClusterDialog(None));
    }
    if item(ui, "Data sources…", "") {
        commands.push(Command::ShowSources);
    }
    if item(ui, "Find patterns (analyze)", "Ctrl+Shift+A") {
        commands.push(Command::RunAnalysis);
    }
}

/// What an Undo/Redo entry says: ids and hashes cut in the middle so both ends show, the
/// whole kept to a menu's width (the full text is the entry's tooltip).
pub fn history_label(what: &str) -> String {
    crate::util::readable_label(what, 24, 44)
}

/// "Undo expand …" / "Redo …" entry, disabled when there is nothing to do; a long description
/// is shortened in its middle ([`history_label`]).
fn history_item_ui(
    ui: &mut egui::Ui,
    verb: &str,
    what: Option<&str>,
    shortcut: &str,
    command: Command,
    commands: &mut Vec<Command>,
) {
    let label = match what {
        Some(what) => format!("{verb} {}", history_label(what)),
        None => verb.to_owned(),
    };
    let button = egui::Button::new(label).shortcut_text(shortcut);
    let response = ui.add_enabled(what.is_some(), button);
    let response = match what {
        Some(what) => response.on_hover_text(format!("{verb} {what}")),
        None => response,
    };
    if response.clicked() {
        commands.push(command);
        ui.close();
    }
}
