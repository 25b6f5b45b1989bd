//! The inspector's table of one node's transfers: time, direction, counterparty, amount and
//! USD value at the time, sorted by a click on a column header (a second click reverses).
//!
//! The rows and their orders come from `analysis::transfer_table` (pure, tested); this file
//! only lays them out. The rows are built once per node, case revision and order and kept in
//! [`TransfersTable`] (UI state, never saved in the case), and only the rows in view are laid
//! out, so a node with tens of thousands of transfers scrolls as quickly as one with ten.
//! Column widths follow their content (the USD column its widest value in the whole table),
//! and the amount column takes the rest, so nothing is cut off when the panel is wide enough;
//! in a narrow panel the amount column gives way and its full text is one hover away.

use super::super::command::Command;
use crate::analysis::transfer_table::{
    Flow, SortColumn, SortOrder, TransferRow, sort_rows, transfer_rows,
};
use crate::model::address::short_form;
use crate::model::amount::{format_units_grouped, format_units_human};
use crate::model::{Case, NodeId, Transfer};
use crate::prices::{PriceBook, PriceOrigin, Usd, format_day};
use crate::util::format_time;

/// The columns as shown, left to right: what they sort by, header text, header tooltip.
const COLUMNS: [(SortColumn, &str, &str); 5] = [
    (
        SortColumn::Time,
        "Time (UTC)",
        "Block time; unconfirmed transfers last",
    ),
    (SortColumn::Direction, "Dir", "In to this node or out of it"),
    (
        SortColumn::Counterparty,
        "Counterparty",
        "The other end (click one to select it)",
    ),
    (
        SortColumn::Amount,
        "Amount",
        "Rounded down; hover a value for the exact amount",
    ),
    (
        SortColumn::Usd,
        "USD",
        "Value at the daily close of the transfer's day; \"no price\" is not $0",
    ),
];

/// Space between two columns.
const COLUMN_GAP: f32 = 4.0;

/// The transfer table's UI state: the chosen order and the rows last built.
#[derive(Debug, Default)]
pub struct TransfersTable {
    order: SortOrder,
    cache: Option<Rows>,
}

/// Rows of one node, valid for one case revision and one order.
#[derive(Debug)]
struct Rows {
    node: NodeId,
    revision: u64,
    order: SortOrder,
    rows: Vec<TransferRow>,
    /// The longest USD text of all rows, to size its column.
    widest_usd: String,
}

impl TransfersTable {
    /// The current order.
    pub fn order(&self) -> SortOrder {
        self.order
    }

    /// The rows of `node` in the current order, rebuilt only when the node, the case or the
    /// order changed.
    fn rows(&mut self, case: &Case, node: &NodeId, revision: u64, prices: &PriceBook) -> &Rows {
        let order = self.order;
        if self
            .cache
            .as_ref()
            .is_some_and(|c| &c.node != node || c.revision != revision)
        {
            self.cache = None;
        }
        let cache = self.cache.get_or_insert_with(|| {
            let rows = transfer_rows(case, node, prices);
            let widest_usd = widest_usd_text(&rows);
            Rows {
                node: node.clone(),
                revision,
                order: SortOrder::default(),
                rows,
                widest_usd,
            }
        });
        if cache.order != order {
            sort_rows(&mut cache.rows, order);
            cache.order = order;
        }
        cache
    }
}

/// The longest USD cell text (by characters; digits are the same width).
fn widest_usd_text(rows: &[TransferRow]) -> String {
    rows.iter()
        .map(|row| usd_text(row.usd))
        .max_by_key(|text| text.chars().count())
        .unwrap_or_default()
}

fn amount_text(t: &Transfer) -> String {
    format!(
        "{} {}",
        format_units_human(t.amount, t.asset.decimals),
        t.asset.symbol
    )
}

fn usd_text(usd: Option<Usd>) -> String {
    match usd {
        Some(usd) => format!("≈ {usd}"),
        None => "no price".to_owned(),
    }
}

/// Draws the transfers of `node`; a header click changes the order, a counterparty click
/// selects it, a right click on a time copies the transaction hash.
#[allow(clippy::too_many_arguments)]
pub fn transfers_table_ui(
    ui: &mut egui::Ui,
    table: &mut TransfersTable,
    case: &Case,
    node: &NodeId,
    revision: u64,
    prices: &PriceBook,
    commands: &mut Vec<Command>,
) {
    let order = table.order;
    let rows = table.rows(case, node, revision, prices);
    ui.label(egui::RichText::new(format!("Transfers ({})", rows.rows.len())).strong());
    if rows.rows.is_empty() {
        ui.label(egui::RichText::new("None in the case yet: expand the node.").weak());
        return;
    }
    let widths = column_widths(ui, rows);
    let row_height = ui.spacing().interact_size.y;
    if let Some(clicked) = header_ui(ui, &widths, order, row_height) {
        table.order = order.clicked(clicked);
    }
    let rows = table.rows(case, node, revision, prices);
    egui::ScrollArea::vertical()
        .id_salt("inspector_transfers")
        .auto_shrink([false, true])
        .show_rows(ui, row_height, rows.rows.len(), |ui, range| {
            for index in range {
                if let Some(row) = rows.rows.get(index) {
                    row_ui(ui, case, prices, row, index, &widths, row_height, commands);
                }
            }
        });
}

/// Column widths: time, direction and counterparty fit their content; USD fits its widest
/// value; amount takes what is left and truncates (full text on hover) in a narrow panel.
fn column_widths(ui: &egui::Ui, rows: &Rows) -> [f32; 5] {
    let text_width = |text: &str| {
        egui::WidgetText::from(text)
            .into_galley(
                ui,
                Some(egui::TextWrapMode::Extend),
                f32::INFINITY,
                egui::TextStyle::Body,
            )
            .size()
            .x
    };
    let header = |i: usize| text_width(&format!("{} ⏷", COLUMNS[i].1)) + 8.0;
    let pad = 4.0;
    let time = text_width("2025-02-21 14:13").max(header(0)) + pad;
    let direction = text_width("out").max(header(1)) + pad;
    let counterparty = text_width("0x5aae…beaed").max(header(2)) + pad;
    let usd = text_width(&rows.widest_usd).max(header(4)) + pad;
    let scroll = &ui.spacing().scroll;
    let bar = scroll.bar_inner_margin + scroll.bar_width + scroll.bar_outer_margin;
    let gaps = COLUMN_GAP * 4.0;
    let left = ui.available_width() - time - direction - counterparty - usd - gaps - bar;
    let amount = left.max(header(3));
    [time, direction, counterparty, amount, usd]
}

/// The clickable headers; returns the column clicked.
fn header_ui(
    ui: &mut egui::Ui,
    widths: &[f32; 5],
    order: SortOrder,
    row_height: f32,
) -> Option<SortColumn> {
    let mut clicked = None;
    let cells = row_cells(ui, widths, row_height);
    for ((column, title, hover), cell) in COLUMNS.iter().zip(cells) {
        let sorted = order.column == *column;
        let text = match (sorted, order.descending) {
            (false, _) => (*title).to_owned(),
            (true, false) => format!("{title} ⏶"),
            (true, true) => format!("{title} ⏷"),
        };
        let button = egui::Button::selectable(sorted, egui::RichText::new(text).strong());
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(cell));
        if child
            .add_sized(cell.size(), button)
            .on_hover_text(format!("{hover}\nClick to sort; click again to reverse"))
            .clicked()
        {
            clicked = Some(*column);
        }
    }
    clicked
}

/// Allocates one row of the table and returns its cells, left to right.
fn row_cells(ui: &mut egui::Ui, widths: &[f32; 5], row_height: f32) -> [egui::Rect; 5] {
    let gap = COLUMN_GAP;
    let total = widths.iter().sum::<f32>() + gap * 4.0;
    let (row, _) = ui.allocate_exact_size(egui::vec2(total, row_height), egui::Sense::hover());
    let mut x = row.left();
    widths.map(|width| {
        let cell =
            egui::Rect::from_min_size(egui::pos2(x, row.top()), egui::vec2(width, row_height));
        x += width + gap;
        cell
    })
}

#[allow(clippy::too_many_arguments)]
fn row_ui(
    ui: &mut egui::Ui,
    case: &Case,
    prices: &PriceBook,
    row: &TransferRow,
    index: usize,
    widths: &[f32; 5],
    row_height: f32,
    commands: &mut Vec<Command>,
) {
    let Some(t) = case.transfers.get(&row.transfer) else {
        return;
    };
    let cells = row_cells(ui, widths, row_height);
    if index % 2 == 1 {
        let rect = cells[0].union(cells[4]);
        ui.painter()
            .rect_filled(rect, 0.0, ui.visuals().faint_bg_color);
    }
    let left = egui::Layout::left_to_right(egui::Align::Center);
    let right = egui::Layout::right_to_left(egui::Align::Center);
    cell_ui(ui, cells[0], left, |ui| {
        if let (Some(relation), Some(txs)) = (t.relation_text(), t.relation_txs) {
            ui.add(egui::Label::new(format!("Σ {txs} tx")).sense(egui::Sense::click()))
                .on_hover_text(format!(
                    "A {relation}: a pre-aggregated relation of the address graph (GraphSense \
                     neighbors), the sum of these transactions, without one hash or time (so \
                     no USD value: prices are by day). Right-click to fetch its transactions"
                ))
                .context_menu(|ui| {
                    if ui.button("Fetch its transactions").clicked() {
                        commands.push(Command::FetchRelation {
                            from: t.from.clone(),
                            to: t.to.clone(),
                        });
                        ui.close();
                    }
                });
            return;
        }
        let time = t
            .time
            .map(|s| format_time(s).trim_end_matches(" UTC").to_owned())
            .unwrap_or_else(|| "unconfirmed".to_owned());
        let block = t
            .block_height
            .map(|h| format!("block {h}\n"))
            .unwrap_or_default();
        ui.add(egui::Label::new(time).sense(egui::Sense::click()))
            .on_hover_text(format!(
                "{block}tx {}\nRight-click to copy the hash",
                t.tx_hash
            ))
            .context_menu(|ui| {
                if ui.button("Copy transaction hash").clicked() {
                    commands.push(Command::Copy(t.tx_hash.clone()));
                    ui.close();
                }
            });
    });
    cell_ui(ui, cells[1], left, |ui| match row.flow {
        Flow::Out => ui.colored_label(egui::Color32::from_rgb(239, 154, 154), "out"),
        Flow::In => ui.colored_label(egui::Color32::from_rgb(165, 214, 167), "in"),
    });
    cell_ui(ui, cells[2], left, |ui| {
        let other = &row.counterparty;
        if ui
            .link(short_form(&other.display_value()))
            .on_hover_text(other.as_str())
            .clicked()
        {
            commands.push(Command::Select(vec![other.clone()]));
        }
    });
    cell_ui(ui, cells[3], right, |ui| {
        ui.add(egui::Label::new(amount_text(t)).truncate())
            .on_hover_text(exact_amount(t));
    });
    cell_ui(ui, cells[4], right, |ui| match row.usd {
        Some(usd) => {
            ui.label(usd_text(Some(usd)))
                .on_hover_ui(|ui| price_hover_ui(ui, prices, t));
        }
        None => {
            ui.label(egui::RichText::new(usd_text(None)).weak())
                .on_hover_text(no_price_reason(t));
        }
    });
}

/// One cell: its contents laid out by `layout` inside `rect`, clipped to it.
fn cell_ui<R>(
    ui: &mut egui::Ui,
    rect: egui::Rect,
    layout: egui::Layout,
    add: impl FnOnce(&mut egui::Ui) -> R,
) {
    let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(layout));
    child.set_clip_rect(rect.intersect(ui.clip_rect()));
    add(&mut child);
}

fn exact_amount(t: &Transfer) -> String {
    let contract = t
        .asset
        .contract
        .as_ref()
        .map(|c| format!("\ncontract {c}"))
        .unwrap_or_default();
    format!(
        "{} {} (exact)\n{} base units, {} decimals, on {}{contract}",
        format_units_grouped(t.amount, t.asset.decimals),
        t.asset.symbol,
        t.amount,
        t.asset.decimals,
        t.asset.chain,
    )
}

/// Where a value came from: the day, the price per unit and the table.
fn price_hover_ui(ui: &mut egui::Ui, prices: &PriceBook, t: &Transfer) {
    let Some((day, price, origin)) = t.time.and_then(|s| prices.price_at(&t.asset, s)) else {
        return;
    };
    if let Some(value) = prices.transfer_value(t) {
        ui.label(format!("{} (rounded down to the cent)", value.usd));
    }
    ui.label(format!(
        "{} per {} on {}",
        price,
        t.asset.symbol,
        format_day(day)
    ));
    ui.label(match origin {
        PriceOrigin::Table(name) => format!("daily close: {name}"),
        PriceOrigin::Pinned => "stablecoin pinned at $1 by its contract".to_owned(),
    });
}

fn no_price_reason(t: &Transfer) -> String {
    if t.time.is_none() {
        "No time (unconfirmed): no day to price it on".to_owned()
    } else {
        format!(
            "No price table for {} on {} for that day (import one to value it)",
            t.asset.symbol, t.asset.chain
        )
    }
}
