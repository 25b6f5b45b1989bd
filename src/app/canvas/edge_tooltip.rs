//! What hovering an edge shows: the flow it stands for and its transfers (time, transaction,
//! exact amount, USD at the time), the first [`MAX_ROWS`] of them in time order.

use crate::analysis::flows::Flow;
use crate::model::address::short_form as short;
use crate::model::{Case, amount::format_units_grouped};
use crate::prices::PriceBook;

/// Transfers listed in the tooltip; the rest are counted.
const MAX_ROWS: usize = 12;

/// The tooltip's contents for `flow`.
pub fn flow_tooltip_ui(ui: &mut egui::Ui, case: &Case, flow: &Flow, prices: &PriceBook) {
    let symbol = crate::util::clip(&flow.asset.symbol, 16);
    ui.label(
        egui::RichText::new(format!(
            "{} → {}",
            short(&flow.from.display_id()),
            short(&flow.to.display_id())
        ))
        .strong(),
    );
    let mut total = format!(
        "{} {symbol}",
        format_units_grouped(flow.amount, flow.asset.decimals)
    );
    match flow.usd {
        Some(usd) if flow.unpriced == 0 => total.push_str(&format!("  ≈ {usd}")),
        Some(usd) => total.push_str(&format!(
            "  ≈ {usd} (+ {} unpriced transfers)",
            flow.unpriced
        )),
        None => total.push_str("  (no price)"),
    }
    ui.label(total);
    egui::Grid::new("flow_transfers")
        .num_columns(4)
        .spacing([12.0, 2.0])
        .striped(true)
        .show(ui, |ui| {
            for header in ["Time (UTC)", "Transaction", "Amount", "USD"] {
                ui.label(egui::RichText::new(header).weak());
            }
            ui.end_row();
            for id in flow.transfers.iter().take(MAX_ROWS) {
                let Some(t) = case.transfers.get(id) else {
                    continue;
                };
                ui.label(
                    t.time
                        .map_or_else(|| "—".to_owned(), crate::util::format_time),
                );
                ui.monospace(short(&t.tx_hash));
                ui.label(format!(
                    "{} {symbol}",
                    format_units_grouped(t.amount, t.asset.decimals)
                ));
                match prices.transfer_value(t) {
                    Some(v) => ui.label(v.usd.to_string()),
                    None => ui.label(egui::RichText::new("no price").weak()),
                };
                ui.end_row();
            }
        });
    if flow.transfers.len() > MAX_ROWS {
        ui.label(
            egui::RichText::new(format!(
                "… and {} more (the inspector lists them all)",
                flow.transfers.len() - MAX_ROWS
            ))
            .weak(),
        );
    }
}
