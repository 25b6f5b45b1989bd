//! "Expand with options…": direction, limit, minimum value and time range for one expansion.
//! Bad input is named under its field and the Expand button stays off until it is fixed.

use super::super::command::{Command, ExpandRequest};
use crate::analysis::expand_options::{parse_min_value, parse_time_bound};
use crate::analysis::expansion::ExpandOptions;
use crate::model::NodeId;
use crate::sources::Direction;

/// Dialog state (text fields as typed).
pub struct ExpandDialog {
    node: NodeId,
    direction: Direction,
    limit: usize,
    min_value: String,
    since: String,
    until: String,
    /// Why the dialog opened instead of the expansion (a hub), if it did.
    warning: Option<String>,
}

impl ExpandDialog {
    /// A dialog for `node`, pre-filled with `options` (the last ones used on it).
    pub fn new(node: NodeId, options: ExpandOptions) -> ExpandDialog {
        let date = |unix: Option<i64>| {
            unix.and_then(|u| time::OffsetDateTime::from_unix_timestamp(u).ok())
                .map(|t| t.date().to_string())
                .unwrap_or_default()
        };
        ExpandDialog {
            node,
            direction: Direction::Both,
            limit: options.limit,
            min_value: options
                .min_value_18
                .map(|v| crate::model::format_units(v, 18))
                .unwrap_or_default(),
            since: date(options.since_unix),
            until: date(options.until_unix),
            warning: None,
        }
    }

    /// The same dialog for one direction.
    pub fn with_direction(mut self, direction: Direction) -> ExpandDialog {
        self.direction = direction;
        self
    }

    /// The same dialog, saying first why it opened.
    pub fn with_warning(mut self, warning: String) -> ExpandDialog {
        self.warning = Some(warning);
        self
    }

    /// The request the fields describe, or the problems found (one per bad field).
    fn request(&self) -> (Option<ExpandRequest>, Vec<String>) {
        let mut problems = Vec::new();
        let min_value_18 = optional(&self.min_value, parse_min_value, &mut problems);
        let since_unix = optional(&self.since, |t| parse_time_bound(t, false), &mut problems);
        let until_unix = optional(&self.until, |t| parse_time_bound(t, true), &mut problems);
        if let (Some(s), Some(u)) = (since_unix, until_unix)
            && s > u
        {
            problems.push("the time range ends before it starts".to_owned());
        }
        if !problems.is_empty() {
            return (None, problems);
        }
        let options = ExpandOptions {
            limit: self.limit.max(1),
            min_value_18,
            since_unix,
            until_unix,
            more: false,
        };
        let request = ExpandRequest {
            node: self.node.clone(),
            direction: self.direction,
            options,
            resume: None,
        };
        (Some(request), problems)
    }

    /// Draws the dialog; returns false when it should close.
    pub fn show_ui(&mut self, ctx: &egui::Context, commands: &mut Vec<Command>) -> bool {
        let mut keep_open = true;
        let modal = egui::Modal::new(egui::Id::new("expand_dialog")).show(ctx, |ui| {
            ui.set_width(460.0);
            ui.heading("Expand with options");
            ui.label(egui::RichText::new(self.node.as_str()).monospace().small());
            if let Some(warning) = &self.warning {
                ui.colored_label(egui::Color32::from_rgb(255, 167, 38), format!("⚠ {warning}"));
            }
            egui::Grid::new("expand_fields")
                .num_columns(2)
                .show(ui, |ui| {
                    ui.label("Direction");
                    ui.horizontal(|ui| {
                        ui.selectable_value(&mut self.direction, Direction::In, "Incoming");
                        ui.selectable_value(&mut self.direction, Direction::Out, "Outgoing");
                        ui.selectable_value(&mut self.direction, Direction::Both, "Both");
                    });
                    ui.end_row();
                    ui.label("Limit");
                    ui.add(egui::DragValue::new(&mut self.limit).range(1..=10_000))
                        .on_hover_text("Counterparties added at most (largest by USD first; by share of their asset where unpriced)");
                    ui.end_row();
                    ui.label("Minimum value");
                    ui.add(egui::TextEdit::singleline(&mut self.min_value).hint_text("e.g. 0.5"))
                        .on_hover_text(
                            "Whole units of each hop's asset: 0.5 keeps hops of at least \
                             0.5 BTC, 0.5 ETH or 0.5 USDT",
                        );
                    ui.end_row();
                    ui.label("From (UTC)");
                    ui.add(egui::TextEdit::singleline(&mut self.since).hint_text("YYYY-MM-DD"));
                    ui.end_row();
                    ui.label("To (UTC)");
                    ui.add(egui::TextEdit::singleline(&mut self.until).hint_text("YYYY-MM-DD"))
                        .on_hover_text("Inclusive: the whole day is kept");
                    ui.end_row();
                });
            let (request, problems) = self.request();
            for problem in &problems {
                ui.colored_label(egui::Color32::from_rgb(239, 83, 80), problem);
            }
            if request.as_ref().is_some_and(|r| r.options.has_time_range()) {
                ui.small("Transfers without a known time are left out when a range is set.");
            }
            match super::confirm_cancel_ui(ui, "Expand", request.is_some()) {
                super::DialogAnswer::Confirm => {
                    if let Some(request) = request {
                        commands.push(Command::ExpandWith(request));
                    }
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

/// Parses a field that may be left empty; a bad value adds its problem.
fn optional<T>(
    text: &str,
    parse: impl Fn(&str) -> Result<T, String>,
    problems: &mut Vec<String>,
) -> Option<T> {
    if text.trim().is_empty() {
        return None;
    }
    parse(text).map_err(|e| problems.push(e)).ok()
}
