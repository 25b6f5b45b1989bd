//! The data source window: which source expands this case (demo, Esplora, Ethereum RPC,
//! Etherscan, Blockscout), built-in presets for public endpoints, "test connection", the
//! Etherscan key and the offline switch (both kept in the user's settings, never in the case),
//! and a plain note on what public services learn from the queries.

use super::super::command::Command;
use super::super::settings::Settings;
use crate::model::{Action, SourceConfig};

/// The kinds offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Demo,
    Esplora,
    EvmRpc,
    Etherscan,
    Blockscout,
}

/// Built-in public endpoints (no key needed).
const PRESETS: &[(&str, Kind, &str)] = &[
    (
        "Blockstream Esplora (Bitcoin)",
        Kind::Esplora,
        "https://blockstream.info/api",
    ),
    (
        "mempool.space (Bitcoin)",
        Kind::Esplora,
        "https://mempool.space/api",
    ),
    (
        "Own electrs (Bitcoin)",
        Kind::Esplora,
        "http://127.0.0.1:3000",
    ),
    (
        "Blockscout (Ethereum)",
        Kind::Blockscout,
        "https://eth.blockscout.com/api",
    ),
    ("Own Ethereum node", Kind::EvmRpc, "http://127.0.0.1:8545"),
];

/// Window state.
pub struct SourcesDialog {
    kind: Kind,
    url: String,
    chain_id: u64,
    etherscan_api_key: String,
    offline: bool,
    test_result: Option<(bool, String)>,
}

impl SourcesDialog {
    /// Starts from the case's source and the user's settings.
    pub fn new(current: &SourceConfig, settings: &Settings) -> SourcesDialog {
        let (kind, url, chain_id) = match current {
            SourceConfig::Demo => (Kind::Demo, String::new(), 1),
            SourceConfig::Esplora { url } => (Kind::Esplora, url.clone(), 1),
            SourceConfig::EvmRpc { url } => (Kind::EvmRpc, url.clone(), 1),
            SourceConfig::Etherscan { chain_id } => (Kind::Etherscan, String::new(), *chain_id),
            SourceConfig::Blockscout { url, chain_id } => {
                (Kind::Blockscout, url.clone(), *chain_id)
            }
        };
        SourcesDialog {
            kind,
            url,
            chain_id,
            etherscan_api_key: settings.etherscan_api_key.clone(),
            offline: settings.offline,
            test_result: None,
        }
    }

    /// Shows the outcome of a connection test.
    pub fn set_test_result(&mut self, ok: bool, text: String) {
        self.test_result = Some((ok, text));
    }

    fn config(&self) -> SourceConfig {
        let url = self.url.trim().trim_end_matches('/').to_owned();
        match self.kind {
            Kind::Demo => SourceConfig::Demo,
            Kind::Esplora => SourceConfig::Esplora { url },
            Kind::EvmRpc => SourceConfig::EvmRpc { url },
            Kind::Etherscan => SourceConfig::Etherscan {
                chain_id: self.chain_id,
            },
            Kind::Blockscout => SourceConfig::Blockscout {
                url,
                chain_id: self.chain_id,
            },
        }
    }

    /// Draws the window; returns false when it should close.
    pub fn window_ui(
        &mut self,
        ctx: &egui::Context,
        current: &SourceConfig,
        commands: &mut Vec<Command>,
    ) -> bool {
        let mut open = true;
        let mut close = false;
        egui::Window::new("Data source")
            .open(&mut open)
            .default_width(520.0)
            .show(ctx, |ui| {
                ui.label(format!("This case uses: {}", current.name()));
                ui.separator();
                ui.horizontal_wrapped(|ui| {
                    for (kind, name) in [
                        (Kind::Demo, "Demo"),
                        (Kind::Esplora, "Esplora (Bitcoin)"),
                        (Kind::EvmRpc, "Ethereum RPC"),
                        (Kind::Etherscan, "Etherscan"),
                        (Kind::Blockscout, "Blockscout"),
                    ] {
                        ui.selectable_value(&mut self.kind, kind, name);
                    }
                });
                ui.menu_button("Presets…", |ui| {
                    for (name, kind, url) in PRESETS {
                        if ui.button(*name).clicked() {
                            self.kind = *kind;
                            self.url = (*url).to_owned();
                            ui.close();
                        }
                    }
                });
                egui::Grid::new("source_fields").num_columns(2).show(ui, |ui| {
                    if matches!(self.kind, Kind::Esplora | Kind::EvmRpc | Kind::Blockscout) {
                        ui.label("URL");
                        ui.add(egui::TextEdit::singleline(&mut self.url).desired_width(360.0));
                        ui.end_row();
                    }
                    if matches!(self.kind, Kind::Etherscan | Kind::Blockscout) {
                        ui.label("Chain id");
                        ui.add(egui::DragValue::new(&mut self.chain_id).range(1..=u64::MAX));
                        ui.end_row();
                    }
                    if self.kind == Kind::Etherscan {
                        ui.label("API key");
                        ui.add(egui::TextEdit::singleline(&mut self.etherscan_api_key).password(true))
                            .on_hover_text("Kept in your settings file (owner-only) or CASEBOARD_ETHERSCAN_API_KEY; never in a case");
                        ui.end_row();
                    }
                    ui.label("Offline");
                    ui.checkbox(&mut self.offline, "Use only cached answers");
                    ui.end_row();
                });
                let config = self.config();
                if config.is_public_service() {
                    ui.colored_label(
                        egui::Color32::from_rgb(255, 183, 77),
                        "A public service sees every address you query from this machine's IP. \
                         Your own node (electrs, an Ethereum node) avoids that.",
                    );
                }
                if let Some((ok, text)) = &self.test_result {
                    let color = if *ok {
                        egui::Color32::from_rgb(129, 199, 132)
                    } else {
                        egui::Color32::from_rgb(239, 83, 80)
                    };
                    ui.colored_label(color, text);
                }
                ui.horizontal(|ui| {
                    if ui.button("Test connection").clicked() {
                        self.save(commands);
                        commands.push(Command::TestConnection(config.clone()));
                    }
                    if ui.button("Use for this case").clicked() {
                        self.save(commands);
                        if &config != current {
                            commands.push(Command::Apply(Action::SetSource(config)));
                        }
                        close = true;
                    }
                });
            });
        open && !close
    }

    fn save(&self, commands: &mut Vec<Command>) {
        commands.push(Command::SaveSourceSettings {
            etherscan_api_key: self.etherscan_api_key.trim().to_owned(),
            offline: self.offline,
        });
    }
}
