//! The canvas legend: a small key in the bottom-left corner of the canvas, on a
//! semi-transparent background, listing the categories of the nodes on screen (tagged nodes
//! and cluster members, filtered-out ones left out) with their colour swatches. Hidden when
//! no node has a category. The categories are collected when the drawable graph is rebuilt,
//! so a frame only draws the list.

use crate::model::{Case, Category};
use egui::{Align2, Rect};
use std::collections::BTreeSet;

/// Gap between the legend and the canvas's corner, in points.
const MARGIN: f32 = 10.0;
/// Opacity of the legend's background (the canvas colour).
const BACKGROUND_ALPHA: f32 = 0.8;

/// The categories of `shown` nodes of the case, in category order.
pub fn legend_categories<'a>(
    case: &Case,
    shown: impl IntoIterator<Item = &'a crate::model::NodeId>,
) -> Vec<Category> {
    let categories: BTreeSet<Category> = shown
        .into_iter()
        .filter_map(|id| case.display_category(id).cloned())
        .collect();
    categories.into_iter().collect()
}

/// Draws the legend in the bottom-left corner of `canvas` (nothing when `categories` is
/// empty). It takes no input: clicks pass through to the canvas. Returns the rectangle it
/// covers (labels keep out of it next frame).
pub fn legend_ui(ctx: &egui::Context, canvas: Rect, categories: &[Category]) -> Option<Rect> {
    if categories.is_empty() || !canvas.is_positive() {
        return None;
    }
    let visuals = ctx.global_style().visuals.clone();
    let background = visuals.extreme_bg_color.gamma_multiply(BACKGROUND_ALPHA);
    let text = visuals.text_color();
    let border = visuals.widgets.noninteractive.bg_stroke.color;
    let shown = egui::Area::new(egui::Id::new("canvas_legend"))
        .order(egui::Order::Middle)
        .interactable(false)
        .pivot(Align2::LEFT_BOTTOM)
        .fixed_pos(canvas.left_bottom() + egui::vec2(MARGIN, -MARGIN))
        .show(ctx, |ui| {
            egui::Frame::new()
                .fill(background)
                .stroke((1.0, border))
                .corner_radius(4.0)
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.spacing_mut().item_spacing.y = 2.0;
                    for category in categories {
                        ui.horizontal(|ui| {
                            crate::app::ui::category_swatch_ui(ui, category);
                            ui.label(egui::RichText::new(category.name()).small().color(text));
                        });
                    }
                });
        });
    Some(shown.response.rect)
}
