//! The money feature: importing a daily price table into the app's price book.
//!
//! The user names the asset (`btc`, `eth` or `eth:0x…contract`, never a symbol) and a
//! `date,close_usd` file; a job reads and checks it (bounded: a price table is small), and the
//! book, the canvas's values and the timeline follow. A bad file changes nothing and says why.
//! Values are derived at display time: nothing in the case changes.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::JobOutcome;
use crate::prices::{AssetKey, PriceBook};

impl CaseboardApp {
    /// Handles the money commands; gives any other command back.
    pub(super) fn money_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::ShowPriceImport => {
                self.dialogs.prices = Some(super::ui::price_dialog::PriceDialog::default());
            }
            Command::ImportPrices { asset, path } => self.start_price_import(asset, path),
            other => return Some(other),
        }
        None
    }

    fn start_price_import(&mut self, asset: String, path: std::path::PathBuf) {
        let key = match AssetKey::parse(&asset) {
            Ok(key) => key,
            Err(e) => {
                self.notices
                    .error(format!("Prices not imported: {e}"), None);
                return;
            }
        };
        let label = format!("Reading prices for {asset}");
        let ctx = self.egui_ctx.clone();
        self.jobs
            .spawn(format!("prices:{asset}"), label, ctx, move |_control| {
                let mut book = PriceBook::empty();
                let result = book.import_file(key.clone(), &path).map(|()| book);
                JobOutcome::PricesImported {
                    key,
                    path,
                    result: result.map(Box::new),
                }
            });
    }

    /// Takes an imported table into the app's book; gives any other outcome back.
    pub(super) fn money_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        let JobOutcome::PricesImported { key, path, result } = outcome else {
            return Some(outcome);
        };
        match result {
            Ok(book) => {
                self.prices.merge_from(*book);
                self.canvas.invalidate();
                self.timeline_panel.invalidate();
                let span = self
                    .prices
                    .describe()
                    .into_iter()
                    .find(|line| line.starts_with(&crate::prices::key_label(&key)))
                    .unwrap_or_default();
                self.notices.info(format!(
                    "Prices imported from {}: {span}. Values on screen now use them.",
                    path.display()
                ));
            }
            Err(e) => self
                .notices
                .error(format!("Prices not imported: {e}"), None),
        }
        None
    }
}
