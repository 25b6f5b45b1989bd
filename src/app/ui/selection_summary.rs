//! The money of a selection of several nodes: per asset (by chain + contract, never by
//! symbol) what came in from outside and went out, in human units and USD at the time, the
//! USD totals, how many counterparties outside the selection there were, and the first and
//! last activity (UTC days).
//!
//! The numbers come from `analysis::money::summarize` (pure, tested). A transfer between two
//! selected nodes is internal: it is neither in nor out, and the panel says how many there
//! were. The summary is computed once per selection and case revision ([`SelectionSummary`],
//! UI state), not every frame.

use crate::analysis::money::{AssetFlow, MoneySummary, TimeWindow, summarize};
use crate::model::address::short_form;
use crate::model::amount::{format_units_grouped, format_units_human};
use crate::model::{Case, NodeId};
use crate::prices::{PriceBook, Usd, format_day};
use std::collections::BTreeSet;

/// The summary last computed, with the selection and revision it is for.
#[derive(Debug, Default)]
pub struct SelectionSummary {
    cache: Option<(BTreeSet<NodeId>, u64, MoneySummary)>,
}

impl SelectionSummary {
    /// The summary of `selection`, recomputed only when the selection or the case changed.
    fn summary(
        &mut self,
        case: &Case,
        selection: &BTreeSet<NodeId>,
        revision: u64,
        prices: &PriceBook,
    ) -> &MoneySummary {
        if self
            .cache
            .as_ref()
            .is_some_and(|(nodes, rev, _)| nodes != selection || *rev != revision)
        {
            self.cache = None;
        }
        let (_, _, summary) = self.cache.get_or_insert_with(|| {
            let summary = summarize(case, selection, TimeWindow::default(), prices);
            (selection.clone(), revision, summary)
        });
        summary
    }
}

/// Draws the money of `selection`.
pub fn selection_summary_ui(
    ui: &mut egui::Ui,
    state: &mut SelectionSummary,
    case: &Case,
    selection: &BTreeSet<NodeId>,
    revision: u64,
    prices: &PriceBook,
) {
    let summary = state.summary(case, selection, revision, prices);
    ui.label(egui::RichText::new("Money of the selection").strong());
    if summary.assets.is_empty() {
        ui.label(
            egui::RichText::new("No transfers in or out of the selection in the case yet.").weak(),
        );
    } else {
        egui::Grid::new("selection_money")
            .num_columns(3)
            .striped(true)
            .spacing([12.0, 4.0])
            .show(ui, |ui| {
                ui.label(egui::RichText::new("Asset").strong());
                ui.label(egui::RichText::new("In").strong());
                ui.label(egui::RichText::new("Out").strong());
                ui.end_row();
                for flow in &summary.assets {
                    asset_row_ui(ui, flow);
                }
                ui.label(egui::RichText::new("USD total").strong());
                let flows = &summary.assets;
                total_label_ui(
                    ui,
                    summary.usd_in(),
                    flows.iter().any(|f| f.amount_in > 0),
                    flows.iter().any(|f| f.usd_in.is_some()),
                );
                total_label_ui(
                    ui,
                    summary.usd_out(),
                    flows.iter().any(|f| f.amount_out > 0),
                    flows.iter().any(|f| f.usd_out.is_some()),
                );
                ui.end_row();
            });
        let unpriced: u64 = summary.assets.iter().map(|f| f.unpriced).sum();
        if unpriced > 0 {
            ui.label(
                egui::RichText::new(format!(
                    "{unpriced} transfer(s) without a price are left out of the USD totals."
                ))
                .weak(),
            );
        }
    }
    facts_ui(ui, summary);
}

/// A USD total: "—" when nothing moved that way, "no price" when none of it was priced
/// (never $0 for money that moved).
fn total_label_ui(ui: &mut egui::Ui, total: Usd, moved: bool, priced: bool) {
    match (moved, priced) {
        (false, _) => ui.label(egui::RichText::new("—").weak()),
        (true, false) => ui.label(egui::RichText::new("no price").weak()),
        (true, true) => ui.label(egui::RichText::new(format!("≈ {total}")).strong()),
    };
}

/// One asset: its name and chain, then in and out with their USD.
fn asset_row_ui(ui: &mut egui::Ui, flow: &AssetFlow) {
    let asset = &flow.asset;
    let place = match &asset.contract {
        Some(contract) => format!("{} {}", asset.chain.id_prefix(), short_form(contract)),
        None => format!("{} native", asset.chain.id_prefix()),
    };
    ui.vertical(|ui| {
        ui.label(&asset.symbol);
        ui.label(egui::RichText::new(place).small().weak());
    })
    .response
    .on_hover_text(match &asset.contract {
        Some(contract) => format!("{} on {}\ncontract {contract}", asset.symbol, asset.chain),
        None => format!("{}, the native coin of {}", asset.symbol, asset.chain),
    });
    for (amount, usd) in [
        (flow.amount_in, flow.usd_in),
        (flow.amount_out, flow.usd_out),
    ] {
        ui.vertical(|ui| {
            if amount == 0 {
                ui.label(egui::RichText::new("—").weak());
                return;
            }
            ui.label(format!(
                "{} {}",
                format_units_human(amount, asset.decimals),
                asset.symbol
            ))
            .on_hover_text(format!(
                "{} {} (exact)",
                format_units_grouped(amount, asset.decimals),
                asset.symbol
            ));
            usd_label_ui(ui, usd, flow.unpriced > 0);
        });
    }
    ui.end_row();
}

fn usd_label_ui(ui: &mut egui::Ui, usd: Option<Usd>, some_unpriced: bool) {
    match usd {
        Some(usd) if some_unpriced => {
            ui.label(format!("≈ {usd} +"))
                .on_hover_text("Some of these transfers have no price: at least this much");
        }
        Some(usd) => {
            ui.label(format!("≈ {usd}"));
        }
        None => {
            ui.label(egui::RichText::new("no price").weak());
        }
    }
}

/// Counterparties, activity and what "internal" means.
fn facts_ui(ui: &mut egui::Ui, summary: &MoneySummary) {
    egui::Grid::new("selection_facts")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Counterparties outside");
            ui.label(summary.counterparties.to_string()).on_hover_text(
                "Distinct nodes outside the selection that sent to it or received from it",
            );
            ui.end_row();
            let day = |t: Option<i64>| {
                t.map(|s| format!("{} UTC", format_day(s.div_euclid(86_400))))
                    .unwrap_or_else(|| "—".to_owned())
            };
            ui.label("First activity");
            ui.label(day(summary.first_time));
            ui.end_row();
            ui.label("Last activity");
            ui.label(day(summary.last_time));
            ui.end_row();
        });
    let internal = match summary.internal {
        0 => "No transfers between the selected nodes.".to_owned(),
        1 => {
            "1 transfer between selected nodes is internal: counted neither in nor out.".to_owned()
        }
        n => format!(
            "{n} transfers between selected nodes are internal: counted neither in nor out."
        ),
    };
    ui.add(egui::Label::new(egui::RichText::new(internal).weak()).wrap());
}
