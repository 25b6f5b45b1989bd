//! The price-table import dialog: which asset (by chain and contract, never by symbol) and
//! which `date,close_usd` file. The asset is checked as it is typed; the file is read in a job.

use super::super::command::Command;
use crate::model::Case;
use crate::prices::AssetKey;
use std::path::PathBuf;

/// Dialog state.
#[derive(Default)]
pub struct PriceDialog {
    asset: String,
    path: String,
}

impl PriceDialog {
    /// Draws the dialog; returns false when it should close.
    pub fn show_ui(
        &mut self,
        ctx: &egui::Context,
        _case: &Case,
        commands: &mut Vec<Command>,
    ) -> bool {
        let mut keep_open = true;
        let modal = egui::Modal::new(egui::Id::new("price_dialog")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Import a daily price table");
            ui.label(
                "A CSV file with a header `date,close_usd` and one line per UTC day \
                 (`2025-02-21,2659.65`). It values the asset's transfers on screen, in \
                 summaries and in exports; the case itself does not change.",
            );
            egui::Grid::new("price_fields")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Asset");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.asset)
                            .hint_text("btc, eth, or eth:0x… token contract")
                            .desired_width(300.0),
                    );
                    ui.end_row();
                    ui.label("File");
                    ui.add(
                        egui::TextEdit::singleline(&mut self.path)
                            .hint_text("/path/to/prices.csv")
                            .desired_width(300.0),
                    );
                    ui.end_row();
                });
            let asset = AssetKey::parse(self.asset.trim());
            if let (Err(e), false) = (&asset, self.asset.trim().is_empty()) {
                ui.colored_label(ui.visuals().error_fg_color, e);
            }
            let ready = asset.is_ok() && !self.path.trim().is_empty();
            match super::confirm_cancel_ui(ui, "Import", ready) {
                super::DialogAnswer::Confirm => {
                    commands.push(Command::ImportPrices {
                        asset: self.asset.trim().to_owned(),
                        path: PathBuf::from(self.path.trim()),
                    });
                    keep_open = false;
                }
                super::DialogAnswer::Cancel => keep_open = false,
                super::DialogAnswer::Pending => {}
            }
        });
        if modal.should_close() {
            keep_open = false;
        }
        keep_open
    }
}
