//! Expansion: asking a source for a node's counterparties in a job, turning the answer into
//! one undoable insert (largest first by USD or share, filtered, attribution-flagged), remembering where the
//! source's history stopped for "Load more", and telling the user what was left out and why.

use super::CaseboardApp;
use super::command::{Command, ExpandRequest};
use super::jobs::JobOutcome;
use super::ui;
use crate::analysis::expansion::{ExpandOptions, plan_expansion};
use crate::model::NodeId;
use crate::model::address::short_form;
use crate::sources::{CounterpartyPage, DataSource as _, Direction, SourceError};
use std::collections::HashMap;

/// What the last expansion of a node in one direction used, for "Load more".
#[derive(Debug, Clone)]
pub struct ExpansionMemo {
    /// The options it ran with.
    pub options: ExpandOptions,
    /// Where the source's history reading stopped (`None` = read to the end).
    pub resume: Option<String>,
}

/// Before expanding a node with more transactions than this, say how many and offer the
/// limit and options instead of starting at once.
pub const HUB_WARNING_TX: u64 = 1_000;

/// The expansion feature's state: the last expansion of each node and direction, and the
/// view when each running expansion started (the view follows its new nodes only if the user
/// has not moved it meanwhile).
#[derive(Debug, Default)]
pub struct ExpansionState {
    memos: HashMap<(NodeId, Direction), ExpansionMemo>,
    views_at_start: HashMap<(NodeId, Direction), (f32, [f32; 2])>,
}

impl CaseboardApp {
    /// Handles the expansion commands; gives any other command back.
    pub(super) fn expansion_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::Expand { node, direction } => self.start_expand(node, direction),
            Command::ExpandSelected(direction) => {
                for node in self.selection.iter().cloned().collect::<Vec<_>>() {
                    self.start_expand(node, direction);
                }
            }
            Command::ExpandWith(request) => self.start_expand_request(request),
            Command::LoadMore { node, direction } => self.load_more(node, direction),
            Command::ShowExpandDialog(node) => {
                let memo = self
                    .expansion
                    .memos
                    .iter()
                    .find(|((n, _), _)| n == &node)
                    .map(|(_, memo)| memo.options.clone());
                self.dialogs.expand = Some(ui::expand_dialog::ExpandDialog::new(
                    node,
                    memo.unwrap_or_else(|| {
                        ExpandOptions::with_limit(self.settings.expansion_limit)
                    }),
                ));
            }
            other => return Some(other),
        }
        None
    }

    /// Applies a finished expansion; gives any other outcome back.
    pub(super) fn expansion_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        match outcome {
            JobOutcome::Expanded { request, result } => self.expanded(request, result),
            other => return Some(other),
        }
        None
    }

    fn start_expand(&mut self, node: NodeId, direction: Direction) {
        let options = ExpandOptions::with_limit(self.settings.expansion_limit);
        let tx_count = self.doc.case().nodes.get(&node).and_then(|n| n.tx_count);
        if let Some(count) = tx_count.filter(|&c| c > HUB_WARNING_TX) {
            // A hub: say how big it is and let the user choose the limit and filters first.
            let warning = format!(
                "{} has {count} transactions. One expansion adds the {} largest counterparties                  and reads at most the read caps; set a minimum value or a time range to                  narrow it, or expand as it is.",
                short_form(node.value()),
                options.limit
            );
            self.dialogs.expand = Some(
                ui::expand_dialog::ExpandDialog::new(node, options)
                    .with_direction(direction)
                    .with_warning(warning),
            );
            return;
        }
        self.start_expand_request(ExpandRequest {
            node,
            direction,
            options,
            resume: None,
        });
    }

    /// "Load more": the next counterparties after those the case shows, with the options of
    /// the last expansion; reading older history from where it stopped once those run out
    /// (see the `Expanded` outcome).
    fn load_more(&mut self, node: NodeId, direction: Direction) {
        let memo = self.expansion.memos.get(&(node.clone(), direction));
        let mut options = memo.map_or_else(
            || ExpandOptions::with_limit(self.settings.expansion_limit),
            |m| m.options.clone(),
        );
        options.more = true;
        self.start_expand_request(ExpandRequest {
            node,
            direction,
            options,
            resume: None,
        });
    }

    pub(super) fn start_expand_request(&mut self, request: ExpandRequest) {
        let node = request.node.clone();
        let direction = request.direction;
        if !self.doc.case().nodes.contains_key(&node) {
            self.notices
                .warn(format!("{node} is not in the case; nothing to expand"));
            return;
        }
        let view = &self.doc.case().view;
        let view_at_start = (view.zoom, view.pan);
        let key = format!("expand:{node}:{direction:?}");
        let filters = request.options.describe();
        let label = format!(
            "Expanding {} ({}{}{})",
            crate::model::address::short_form(node.value()),
            direction.name(),
            if filters.is_empty() { "" } else { ", " },
            filters
        );
        let source = self.source().clone();
        let ctx = self.egui_ctx.clone();
        let started = self.jobs.spawn(key, label, ctx, move |control| {
            let result = source.counterparties_page_within(
                &request.node,
                request.direction,
                request.resume.as_deref(),
                request.options.time_range(),
                &control,
            );
            JobOutcome::Expanded { request, result }
        });
        if started {
            self.expansion
                .views_at_start
                .insert((node, direction), view_at_start);
        } else {
            self.notices.info("That expansion is already running");
        }
    }

    fn expanded(&mut self, request: ExpandRequest, result: Result<CounterpartyPage, SourceError>) {
        let node = request.node.clone();
        let direction = request.direction;
        let short = short_form(node.value());
        // Taken whatever the outcome, so failed or dropped expansions leave nothing behind.
        let view_at_start = self
            .expansion
            .views_at_start
            .remove(&(node.clone(), direction));
        let page = match result {
            Ok(page) => page,
            Err(SourceError::Cancelled) => {
                self.notices.info(format!("Expansion of {short} cancelled"));
                return;
            }
            Err(err) => {
                self.notices.error(
                    format!("Expanding {short} failed: {err}"),
                    Some(Command::ExpandWith(request)),
                );
                return;
            }
        };
        if !self.doc.case().nodes.contains_key(&node) {
            self.notices.warn(format!(
                "Expansion of {short} dropped: the node was removed from the case meanwhile"
            ));
            return;
        }
        let options = &request.options;
        let plan = plan_expansion(
            self.doc.case(),
            &node,
            page.counterparties,
            options,
            &self.prices,
        );
        self.expansion.memos.insert(
            (node.clone(), direction),
            ExpansionMemo {
                options: ExpandOptions {
                    more: false,
                    ..options.clone()
                },
                resume: page.resume.clone(),
            },
        );
        if plan.fragment.is_empty()
            && options.more
            && request.resume.is_none()
            && let Some(cursor) = page.resume.clone()
        {
            // Everything read so far is shown: go on with the older history.
            self.start_expand_request(ExpandRequest {
                resume: Some(cursor),
                ..request
            });
            return;
        }
        let added_nodes = plan.fragment.nodes.len();
        let added_transfers = plan.fragment.transfers.len();
        let filters = options.describe();
        let what = if filters.is_empty() {
            direction.name().to_owned()
        } else {
            format!("{}, {filters}", direction.name())
        };
        let no_history = page
            .gaps
            .iter()
            .find(|gap| crate::sources::gaps::is_no_history(gap));
        if plan.fragment.is_empty()
            && let Some(gap) = no_history
        {
            // Not "nothing new": the source does not know the address at all.
            self.notices.warn(gap.clone());
            return;
        }
        let mut message = if plan.fragment.is_empty() {
            format!("Expanded {short} ({what}): nothing new")
        } else {
            format!(
                "Expanded {short} ({what}): {added_nodes} nodes, {added_transfers} transfers added"
            )
        };
        if plan.filtered_out > 0 {
            message.push_str(&format!(
                "; {} of {} counterparties filtered out",
                plan.filtered_out, plan.total_counterparties
            ));
        }
        let mut more_to_load = plan.omitted > 0;
        if let Some(left_out) = plan.left_out_text() {
            message.push_str(&format!(
                "; {left_out} (limit {}, largest by USD, or by share where unpriced, kept) — \
                 Load more adds the next",
                options.limit
            ));
        }
        if page.resume.is_some() {
            more_to_load = true;
            message.push_str("; older history not read yet — Load more goes on reading it");
        }
        // What the source could not or did not read is said, never left to a log line.
        for gap in &page.gaps {
            more_to_load = true;
            message.push_str("; ");
            message.push_str(gap);
        }
        let mut plan = plan;
        crate::attribution::flag_fragment(self.attribution.index(), &mut plan.fragment);
        let new_nodes: Vec<NodeId> = plan.fragment.nodes.iter().map(|n| n.id.clone()).collect();
        // New facts, nodes now read whole, and the gaps kept on the expanded node: one step.
        let action = plan.into_action(
            self.doc.case(),
            &node,
            &page.gaps,
            format!("expand {short} ({what})"),
        );
        if let Some(action) = action
            && let Err(err) = self.doc.apply(action)
        {
            self.notices
                .error(format!("Expansion of {short} not applied: {err}"), None);
            return;
        }
        // The view takes in the new nodes, unless the user moved it while the source answered.
        let view = &self.doc.case().view;
        if !new_nodes.is_empty() && view_at_start == Some((view.zoom, view.pan)) {
            let mut include = new_nodes;
            include.push(node.clone());
            self.canvas.request_include(include);
        }
        if more_to_load {
            self.notices.warn(message);
        } else {
            self.notices.info(message);
        }
    }
}
