//! The money feature: more prices for the app's price book.
//!
//! - Import: the user names the asset (`btc`, `eth` or `eth:0x…contract`, never a symbol) and
//!   a `date,close_usd` file; a job reads and checks it (bounded: a price table is small).
//! - Fetch online (optional): for every asset some transfer of the case has no price for and
//!   that CoinGecko prices (Bitcoin, ETH, Ethereum tokens by contract, LTC, BCH, ZEC), a job
//!   asks for the daily closes over the case's time span, through the shared HTTP client with
//!   its cache and the offline switch ([`crate::sources::coingecko`]).
//!
//! The book, the canvas's values and the timeline follow; a bad file or answer changes nothing
//! and says why. Values are derived at display time: nothing in the case changes.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::JobOutcome;
use crate::prices::{AssetKey, PriceBook, key_label};
use crate::sources::coingecko::{COINGECKO_KEY_ENV, COINGECKO_URL, CoinGeckoPrices, coin_path};
use std::collections::BTreeMap;

/// Assets one online fetch asks for at most.
const MAX_FETCHED_ASSETS: usize = 50;
/// Environment variable that points the online price source elsewhere (a proxy, a test server).
pub const COINGECKO_URL_ENV: &str = "CASEBOARD_COINGECKO_URL";
/// Name of fetched tables in exports and messages.
const ONLINE_TABLE_NAME: &str = "CoinGecko daily close (online)";

impl CaseboardApp {
    /// Handles the money commands; gives any other command back.
    pub(super) fn money_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::ShowPriceImport => {
                self.dialogs.prices = Some(super::ui::price_dialog::PriceDialog::default());
            }
            Command::ImportPrices { asset, path } => self.start_price_import(asset, path),
            Command::FetchPricesOnline => self.start_price_fetch(),
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

    /// The assets some dated transfer of the case has no price for and the online source
    /// can price, with the time span their transfers cover (at most [`MAX_FETCHED_ASSETS`]).
    fn unpriced_assets(&self) -> BTreeMap<AssetKey, (i64, i64)> {
        let mut wanted: BTreeMap<AssetKey, (i64, i64)> = BTreeMap::new();
        for t in self.doc.case().transfers.values() {
            let Some(time) = t.time else { continue };
            if self.prices.transfer_value(t).is_some() {
                continue;
            }
            let key = AssetKey::of(&t.asset);
            if coin_path(&key).is_none() {
                continue;
            }
            if let Some(span) = wanted.get_mut(&key) {
                *span = (span.0.min(time), span.1.max(time));
            } else if wanted.len() < MAX_FETCHED_ASSETS {
                wanted.insert(key, (time, time));
            }
        }
        wanted
    }

    fn start_price_fetch(&mut self) {
        let wanted = self.unpriced_assets();
        if wanted.is_empty() {
            self.notices.info(
                "Every transfer the online source could price has a price already.".to_owned(),
            );
            return;
        }
        let cache = match crate::sources::factory::response_cache(&self.source_context()) {
            Ok(cache) => cache,
            Err(e) => {
                self.notices.error(format!("Prices not fetched: {e}"), None);
                return;
            }
        };
        let url = std::env::var(COINGECKO_URL_ENV).unwrap_or_else(|_| COINGECKO_URL.to_owned());
        let api_key = std::env::var(COINGECKO_KEY_ENV).ok();
        let label = format!("Fetching prices for {} assets (CoinGecko)", wanted.len());
        let ctx = self.egui_ctx.clone();
        self.jobs
            .spawn("prices:online".to_owned(), label, ctx, move |control| {
                let source = match CoinGeckoPrices::new(&url, api_key.as_deref(), cache) {
                    Ok(source) => source,
                    Err(e) => {
                        return JobOutcome::PricesFetched {
                            book: Box::new(PriceBook::empty()),
                            failures: vec![e.to_string()],
                        };
                    }
                };
                let now = crate::util::now_unix();
                let mut book = PriceBook::empty();
                let mut failures = Vec::new();
                for (key, (from, until)) in wanted {
                    if control.is_cancelled() {
                        failures.push("cancelled".to_owned());
                        break;
                    }
                    match source.daily_table(&key, from, until, now, &control) {
                        Ok(table) => book.add_table(key, ONLINE_TABLE_NAME.to_owned(), table),
                        Err(e) => failures.push(format!("{}: {e}", key_label(&key))),
                    }
                }
                JobOutcome::PricesFetched {
                    book: Box::new(book),
                    failures,
                }
            });
    }

    /// Everything that shows values derived from the prices computes them again.
    fn revalue(&mut self) {
        self.prices_revision += 1;
        self.canvas.invalidate();
        self.timeline_panel.invalidate();
        self.inspector = super::ui::inspector::InspectorState::default();
    }

    /// Takes imported or fetched tables into the app's book; gives any other outcome back.
    pub(super) fn money_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        if let JobOutcome::PricesFetched { book, failures } = outcome {
            let fetched = book.describe();
            if !fetched.is_empty() {
                self.prices.merge_from(*book);
                self.revalue();
                self.notices
                    .info(format!("Prices fetched online: {}", fetched.join("; ")));
            }
            if !failures.is_empty() {
                self.notices.error(
                    format!("Some prices not fetched: {}", failures.join("; ")),
                    None,
                );
            }
            return None;
        }
        let JobOutcome::PricesImported { key, path, result } = outcome else {
            return Some(outcome);
        };
        match result {
            Ok(book) => {
                self.prices.merge_from(*book);
                self.revalue();
                let span = self
                    .prices
                    .describe()
                    .into_iter()
                    .find(|line| line.starts_with(&key_label(&key)))
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
