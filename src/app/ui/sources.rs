//! The data source window: which source serves each chain of the case (a default for all
//! chains, and optionally one per chain), an editor for a source (demo, Esplora, Ethereum RPC,
//! Etherscan, Blockscout, TronGrid, GraphSense) with built-in presets for public endpoints and
//! "test connection", the Etherscan, TronGrid and GraphSense keys, full URLs of keyed RPC endpoints and the offline switch (all kept in the
//! user's settings, never in the case), and a plain note on what public services learn from
//! the queries.

use super::super::command::Command;
use super::super::settings::Settings;
use crate::model::{Action, Case, Chain, SourceConfig};
use crate::sources::factory::split_secret_url;

/// The kinds offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Demo,
    Esplora,
    EvmRpc,
    Etherscan,
    Blockscout,
    Tron,
    GraphSense,
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
    ("TronGrid (TRON)", Kind::Tron, "https://api.trongrid.io"),
    (
        "GraphSense, hosted by Iknaio (btc, eth, trx, ltc, bch, zec; key)",
        Kind::GraphSense,
        "https://api.ikna.io",
    ),
    (
        "Own GraphSense (REST on port 9000)",
        Kind::GraphSense,
        "http://127.0.0.1:9000",
    ),
];

/// Window state.
pub struct SourcesDialog {
    kind: Kind,
    url: String,
    chain_id: u64,
    etherscan_api_key: String,
    trongrid_api_key: String,
    graphsense_api_key: String,
    offline: bool,
    test_result: Option<(bool, String)>,
    /// Chain the "Use for chain" button applies to (id prefix).
    target_chain: String,
}

impl SourcesDialog {
    /// Starts from the case's default source and the user's settings.
    pub fn new(current: &SourceConfig, settings: &Settings) -> SourcesDialog {
        let mut dialog = SourcesDialog {
            kind: Kind::Demo,
            url: String::new(),
            chain_id: 1,
            etherscan_api_key: settings.etherscan_api_key.clone(),
            trongrid_api_key: settings.trongrid_api_key.clone(),
            graphsense_api_key: settings.graphsense_api_key.clone(),
            offline: settings.offline,
            test_result: None,
            target_chain: "btc".to_owned(),
        };
        dialog.edit(current, settings);
        dialog
    }

    /// Loads `config` into the editor (a redacted URL shows in full when settings know it).
    fn edit(&mut self, config: &SourceConfig, settings: &Settings) {
        let (kind, url, chain_id) = match config {
            SourceConfig::Demo => (Kind::Demo, String::new(), 1),
            SourceConfig::Esplora { url } => (Kind::Esplora, url.clone(), 1),
            SourceConfig::EvmRpc { url } => (Kind::EvmRpc, url.clone(), 1),
            SourceConfig::Etherscan { chain_id } => (Kind::Etherscan, String::new(), *chain_id),
            SourceConfig::Blockscout { url, chain_id } => {
                (Kind::Blockscout, url.clone(), *chain_id)
            }
            SourceConfig::Tron { url } => (Kind::Tron, url.clone(), 1),
            SourceConfig::GraphSense { url } => (Kind::GraphSense, url.clone(), 1),
        };
        self.kind = kind;
        self.url = settings.source_urls.get(&url).cloned().unwrap_or(url);
        self.chain_id = chain_id;
        self.test_result = None;
    }

    /// Shows the outcome of a connection test.
    pub fn set_test_result(&mut self, ok: bool, text: String) {
        self.test_result = Some((ok, text));
    }

    /// The source in the editor as the case stores it (URL keys redacted).
    fn config(&self) -> SourceConfig {
        let (url, _) = split_secret_url(self.url.trim().trim_end_matches('/'));
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
            Kind::Tron => SourceConfig::Tron { url },
            Kind::GraphSense => SourceConfig::GraphSense { url },
        }
    }

    /// Draws the window; returns false when it should close.
    pub fn window_ui(
        &mut self,
        ctx: &egui::Context,
        case: &Case,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) -> bool {
        let mut open = true;
        let mut close = false;
        egui::Window::new("Data sources")
            .open(&mut open)
            .default_width(560.0)
            .show(ctx, |ui| {
                self.chains_ui(ui, case, settings, commands);
                ui.separator();
                ui.strong("Source");
                self.editor_ui(ui);
                let config = self.config();
                ui.horizontal(|ui| {
                    if ui.button("Test connection").clicked() {
                        self.save(commands);
                        commands.push(Command::TestConnection(config.clone()));
                    }
                    if ui
                        .button("Use for all chains")
                        .on_hover_text("The default source; chains with their own source keep it")
                        .clicked()
                    {
                        self.save(commands);
                        if config != case.source {
                            commands.push(Command::Apply(Action::SetSource(config.clone())));
                        }
                        close = true;
                    }
                    let chains = offered_chains(case, self.kind);
                    egui::ComboBox::from_id_salt("source_target_chain")
                        .selected_text(chain_name(&self.target_chain))
                        .show_ui(ui, |ui| {
                            for chain in chains {
                                let name = chain_name(&chain);
                                ui.selectable_value(&mut self.target_chain, chain, name);
                            }
                        });
                    if ui.button("Use for this chain").clicked() {
                        self.save(commands);
                        if case.chain_sources.get(&self.target_chain) != Some(&config) {
                            commands.push(Command::Apply(Action::SetChainSource {
                                chain: self.target_chain.clone(),
                                source: Some(config.clone()),
                            }));
                        }
                        close = true;
                    }
                });
            });
        open && !close
    }

    /// Which source serves each chain of the case, with edit and reset buttons.
    fn chains_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        settings: &Settings,
        commands: &mut Vec<Command>,
    ) {
        ui.strong("Which source serves each chain");
        egui::Grid::new("chain_sources")
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                ui.label("All chains (default)");
                ui.label(case.source.name());
                if ui.small_button("Edit").clicked() {
                    self.edit(&case.source, settings);
                }
                ui.end_row();
                for chain in offered_chains(case, self.kind) {
                    let own = case.chain_sources.get(&chain);
                    if own.is_none() && !case.chain_prefixes().contains(&chain) {
                        continue;
                    }
                    ui.label(chain_name(&chain));
                    match own {
                        Some(config) => {
                            ui.label(config.name());
                            ui.horizontal(|ui| {
                                if ui.small_button("Edit").clicked() {
                                    self.edit(config, settings);
                                    self.target_chain = chain.clone();
                                }
                                if ui.small_button("Use default").clicked() {
                                    commands.push(Command::Apply(Action::SetChainSource {
                                        chain: chain.clone(),
                                        source: None,
                                    }));
                                }
                            });
                        }
                        None => {
                            ui.weak(format!("default: {}", case.source.name()));
                            if ui.small_button("Set…").clicked() {
                                self.target_chain = chain.clone();
                            }
                        }
                    }
                    ui.end_row();
                }
            });
    }

    /// The source editor: kind, presets, URL, chain id, key, offline, privacy note, test result.
    fn editor_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal_wrapped(|ui| {
            for (kind, name) in [
                (Kind::Demo, "Demo"),
                (Kind::Esplora, "Esplora (Bitcoin)"),
                (Kind::EvmRpc, "Ethereum RPC"),
                (Kind::Etherscan, "Etherscan"),
                (Kind::Blockscout, "Blockscout"),
                (Kind::Tron, "TronGrid"),
                (Kind::GraphSense, "GraphSense"),
            ] {
                ui.selectable_value(&mut self.kind, kind, name);
            }
        });
        ui.menu_button("Presets…", |ui| {
            for (name, kind, url) in PRESETS {
                if ui.button(*name).clicked() {
                    self.kind = *kind;
                    self.url = (*url).to_owned();
                    // A preset serves one chain: offer it as the chain to use it for.
                    let chain = match kind {
                        Kind::Esplora => "btc",
                        Kind::Tron => "trx",
                        Kind::GraphSense => "btc",
                        _ => "eth",
                    };
                    chain.clone_into(&mut self.target_chain);
                    ui.close();
                }
            }
        });
        egui::Grid::new("source_fields")
            .num_columns(2)
            .show(ui, |ui| {
                if matches!(
                    self.kind,
                    Kind::Esplora | Kind::EvmRpc | Kind::Blockscout | Kind::Tron | Kind::GraphSense
                ) {
                    ui.label("URL");
                    ui.add(egui::TextEdit::singleline(&mut self.url).desired_width(380.0))
                        .on_hover_text(
                            "A key in the URL (…/v3/<key>, ?apikey=) is kept in your settings; \
                         the case stores the URL with the key replaced by REDACTED",
                        );
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
                        .on_hover_text(
                            "Kept in your settings file (owner-only) or \
                         CASEBOARD_ETHERSCAN_API_KEY; never in a case",
                        );
                    ui.end_row();
                }
                if self.kind == Kind::Tron {
                    let label = ui.label("API key");
                    ui.add(egui::TextEdit::singleline(&mut self.trongrid_api_key).password(true))
                        .labelled_by(label.id)
                        .on_hover_text(
                            "Optional (TronGrid is slower without one). Sent in the \
                             TRON-PRO-API-KEY header; kept in your settings file (owner-only) \
                             or CASEBOARD_TRONGRID_API_KEY; never in a case",
                        );
                    ui.end_row();
                }
                if self.kind == Kind::GraphSense {
                    let label = ui.label("API key");
                    ui.add(egui::TextEdit::singleline(&mut self.graphsense_api_key).password(true))
                        .labelled_by(label.id)
                        .on_hover_text(
                            "Needed by the hosted API; your team's own instance may need none. \
                             Sent in the Authorization header; kept in your settings file \
                             (owner-only) or CASEBOARD_GRAPHSENSE_API_KEY; never in a case",
                        );
                    ui.end_row();
                }
                ui.label("Offline");
                ui.checkbox(&mut self.offline, "Use only cached answers");
                ui.end_row();
            });
        if self.config().is_public_service() {
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
    }

    fn save(&self, commands: &mut Vec<Command>) {
        let full_url = match self.kind {
            Kind::Esplora | Kind::EvmRpc | Kind::Blockscout | Kind::Tron | Kind::GraphSense => {
                split_secret_url(self.url.trim().trim_end_matches('/')).1
            }
            Kind::Demo | Kind::Etherscan => None,
        };
        commands.push(Command::SaveSourceSettings {
            etherscan_api_key: self.etherscan_api_key.trim().to_owned(),
            trongrid_api_key: self.trongrid_api_key.trim().to_owned(),
            graphsense_api_key: self.graphsense_api_key.trim().to_owned(),
            offline: self.offline,
            full_url,
        });
    }
}

/// Chains offered for a per-chain source: the case's chains, Bitcoin and Ethereum.
fn offered_chains(case: &Case, kind: Kind) -> Vec<String> {
    let mut chains = case.chain_prefixes();
    chains.extend(case.chain_sources.keys().cloned());
    chains.insert("btc".to_owned());
    chains.insert("eth".to_owned());
    if kind == Kind::GraphSense {
        // GraphSense serves more chains than a case usually has yet.
        chains.extend(
            Chain::NAMED
                .iter()
                .filter(|c| crate::sources::graphsense::currency_of(**c).is_some())
                .map(|c| c.id_prefix()),
        );
    }
    chains.into_iter().collect()
}

/// "Bitcoin (btc)", "EVM chain 137 (evm137)".
fn chain_name(prefix: &str) -> String {
    match Chain::from_id_prefix(prefix) {
        Some(chain) => format!("{chain} ({prefix})"),
        None => prefix.to_owned(),
    }
}
