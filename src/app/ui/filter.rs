//! The filter panel: time range, minimum edge value, dust, assets, categories, leaves, and
//! whether filtered parts are hidden or dimmed. It reads the case's filter and pushes a new one
//! as [`Command::SetFilter`]; the canvas, the status bar and the exports follow the case.
//!
//! Typed fields take effect on Enter or when they lose focus; a value that does not read is
//! named in red and changes nothing. The asset and category lists are gathered from the case
//! once per structure revision (a 100k-transfer case is not walked every frame).

use super::super::command::Command;
use crate::model::filter::FlowDirection;
use crate::model::filter::{dollars, parse_dollars, parse_since, parse_until};
use crate::model::{Case, GraphFilter, NodeId};
use std::collections::{BTreeMap, BTreeSet};

/// One asset the case holds, for the asset list.
struct AssetRow {
    /// Filter key (`eth` or `eth:0x…`).
    key: String,
    /// What the user reads (`USDT · eth · 0xdac1…1ec7 · 12 transfers`).
    label: String,
}

/// Text being typed and the lists gathered from the case.
#[derive(Default)]
pub struct FilterPanel {
    since: String,
    until: String,
    min_usd: String,
    dust_usd: String,
    error: Option<String>,
    /// The filter the text fields were last filled from.
    shown: Option<GraphFilter>,
    gathered_for: Option<u64>,
    assets: Vec<AssetRow>,
    categories: Vec<String>,
    /// Per-asset minimums being typed, by asset key.
    minimum_texts: BTreeMap<String, String>,
}

impl FilterPanel {
    /// Draws the panel for `case` (whose structure revision is `revision`).
    #[allow(clippy::too_many_arguments)]
    pub fn filter_panel_ui(
        &mut self,
        ui: &mut egui::Ui,
        case: &Case,
        revision: u64,
        selection: &BTreeSet<NodeId>,
        filtered: (usize, usize),
        commands: &mut Vec<Command>,
    ) {
        let current = &case.view.filter;
        if self.shown.as_ref() != Some(current) {
            self.fill_from(current);
        }
        if self.gathered_for != Some(revision) {
            self.gather(case);
            self.gathered_for = Some(revision);
        }
        let mut next = current.clone();
        if current.is_active() {
            ui.label(
                egui::RichText::new(format!(
                    "Filtered: {} transfers, {} nodes",
                    filtered.0, filtered.1
                ))
                .strong(),
            );
            if ui.button("Clear filter").clicked() {
                next = GraphFilter {
                    dim: current.dim,
                    ..GraphFilter::default()
                };
            }
            ui.separator();
        }
        egui::ScrollArea::vertical().show(ui, |ui| {
            self.fields_ui(ui, &mut next);
            direction_ui(ui, selection, &mut next);
            ui.checkbox(&mut next.hide_leaves, "Hide leaves")
                .on_hover_text("Untagged nodes with a single counterparty left");
            ui.horizontal(|ui| {
                ui.label("Filtered parts:");
                ui.radio_value(&mut next.dim, false, "hidden");
                ui.radio_value(&mut next.dim, true, "dimmed");
            });
            if let Some(error) = &self.error {
                ui.colored_label(ui.visuals().error_fg_color, error);
            }
            ui.separator();
            self.assets_ui(ui, &mut next);
            ui.separator();
            self.categories_ui(ui, &mut next);
        });
        if &next != current {
            commands.push(Command::SetFilter(next));
        }
    }

    fn fill_from(&mut self, filter: &GraphFilter) {
        self.since = filter
            .since_unix
            .map(crate::util::utc_date)
            .unwrap_or_default();
        self.until = filter
            .until_unix
            .map(crate::util::utc_date)
            .unwrap_or_default();
        let plain = |cents: u64| dollars(cents).trim_start_matches('$').to_owned();
        self.min_usd = filter.min_usd_cents.map(plain).unwrap_or_default();
        self.dust_usd = filter.dust_usd_cents.map(plain).unwrap_or_default();
        self.minimum_texts = filter.asset_minimums.clone();
        self.shown = Some(filter.clone());
    }

    fn fields_ui(&mut self, ui: &mut egui::Ui, next: &mut GraphFilter) {
        egui::Grid::new("filter_fields")
            .num_columns(2)
            .show(ui, |ui| {
                let field = |ui: &mut egui::Ui, label: &str, hint: &str, text: &mut String| {
                    ui.label(label);
                    let response = ui.add(
                        egui::TextEdit::singleline(text)
                            .hint_text(hint)
                            .desired_width(110.0),
                    );
                    ui.end_row();
                    response.lost_focus()
                };
                let mut commit = false;
                commit |= field(ui, "Since", "YYYY-MM-DD", &mut self.since);
                commit |= field(ui, "Until", "YYYY-MM-DD", &mut self.until);
                commit |= field(ui, "Edges ≥ $", "any value", &mut self.min_usd);
                commit |= field(ui, "Dust < $", "none", &mut self.dust_usd);
                if commit {
                    self.commit(next);
                }
            });
    }

    /// Reads the typed fields into `next`; on any error names it and changes nothing.
    fn commit(&mut self, next: &mut GraphFilter) {
        let optional = |text: &str, read: fn(&str) -> Result<i64, String>| {
            let text = text.trim();
            (!text.is_empty()).then(|| read(text)).transpose()
        };
        let money = |text: &str| {
            let text = text.trim();
            (!text.is_empty()).then(|| parse_dollars(text)).transpose()
        };
        let read = (|| {
            let since = optional(&self.since, parse_since)?;
            let until = optional(&self.until, parse_until)?;
            if let (Some(s), Some(u)) = (since, until)
                && s > u
            {
                return Err("“Since” is after “Until”".to_owned());
            }
            Ok((since, until, money(&self.min_usd)?, money(&self.dust_usd)?))
        })();
        match read {
            Ok((since, until, min, dust)) => {
                self.error = None;
                next.since_unix = since;
                next.until_unix = until;
                next.min_usd_cents = min;
                next.dust_usd_cents = dust;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn gather(&mut self, case: &Case) {
        let mut assets: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for t in case.transfers.values() {
            let key = crate::prices::AssetKey::of(&t.asset).to_string();
            let slot = assets.entry(key).or_insert_with(|| {
                let symbol = crate::util::clip(&t.asset.symbol, 16).into_owned();
                (symbol, 0)
            });
            slot.1 += 1;
        }
        self.assets = assets
            .into_iter()
            .map(|(key, (symbol, count))| AssetRow {
                label: format!("{symbol} · {} · {count} transfers", short_key(&key)),
                key,
            })
            .collect();
        let mut categories: Vec<String> = case
            .nodes
            .keys()
            .filter_map(|id| case.display_category(id))
            .map(|c| c.name().to_owned())
            .collect();
        categories.sort();
        categories.dedup();
        self.categories = categories;
    }

    fn assets_ui(&mut self, ui: &mut egui::Ui, next: &mut GraphFilter) {
        ui.label(
            egui::RichText::new("Assets (none ticked = all; edges ≥ in whole units)").strong(),
        );
        for row in &self.assets {
            ui.horizontal(|ui| {
                let mut on = next.assets.contains(&row.key);
                if ui.checkbox(&mut on, &row.label).changed() {
                    if on {
                        next.assets.push(row.key.clone());
                        next.assets.sort();
                    } else {
                        next.assets.retain(|k| k != &row.key);
                    }
                }
                let text = self
                    .minimum_texts
                    .entry(row.key.clone())
                    .or_insert_with(|| {
                        next.asset_minimums
                            .get(&row.key)
                            .cloned()
                            .unwrap_or_default()
                    });
                let field = ui.add(
                    egui::TextEdit::singleline(text)
                        .hint_text("min")
                        .desired_width(60.0),
                );
                if field.lost_focus() {
                    let typed = text.trim().replace(',', "");
                    if typed.is_empty() {
                        next.asset_minimums.remove(&row.key);
                    } else if crate::model::parse_units(&typed, 36).is_ok() {
                        next.asset_minimums.insert(row.key.clone(), typed);
                    } else {
                        self.error = Some(format!(
                            "{} is not an amount (like 0.5 or 10000)",
                            crate::util::quote_short(&typed)
                        ));
                    }
                }
            });
        }
    }

    fn categories_ui(&self, ui: &mut egui::Ui, next: &mut GraphFilter) {
        ui.label(egui::RichText::new("Only categories (none ticked = all)").strong());
        if self.categories.is_empty() {
            ui.label(egui::RichText::new("No tagged nodes yet.").weak());
        }
        for name in &self.categories {
            let mut on = next.categories.contains(name);
            if ui.checkbox(&mut on, name).changed() {
                if on {
                    next.categories.push(name.clone());
                    next.categories.sort();
                } else {
                    next.categories.retain(|k| k != name);
                }
            }
        }
    }
}

/// Which way money moves relative to focus nodes (taken from the selection on demand).
fn direction_ui(ui: &mut egui::Ui, selection: &BTreeSet<NodeId>, next: &mut GraphFilter) {
    ui.horizontal(|ui| {
        ui.label("Direction:");
        ui.radio_value(&mut next.direction, None, "all");
        for way in [
            FlowDirection::Into,
            FlowDirection::OutOf,
            FlowDirection::Touching,
        ] {
            ui.radio_value(&mut next.direction, Some(way), way.name());
        }
    });
    if next.direction.is_some() {
        ui.horizontal(|ui| {
            ui.label(format!("{} focus node(s)", next.focus.len()));
            if ui
                .add_enabled(!selection.is_empty(), egui::Button::new("Use selection"))
                .on_hover_text("The direction is relative to these nodes")
                .clicked()
            {
                next.focus = selection.iter().cloned().collect();
            }
        });
        if next.focus.is_empty() {
            ui.label(egui::RichText::new("Select nodes, then “Use selection”.").weak());
        }
    }
}

/// `eth` or `eth:0xdac1…1ec7` (by characters).
fn short_key(key: &str) -> String {
    match key.split_once(':') {
        Some((chain, contract)) if contract.chars().count() > 12 => {
            let chars: Vec<char> = contract.chars().collect();
            let head: String = chars[..6].iter().collect();
            let tail: String = chars[chars.len() - 4..].iter().collect();
            format!("{chain} · {head}…{tail}")
        }
        _ => key.replace(':', " · "),
    }
}
