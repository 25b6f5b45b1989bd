//! Applying a finished expansion: filter and rank what the source found, insert what is new
//! as one undoable action, remember where the source's history stopped for "Load more", and
//! tell the user what happened (including what was left out and why).

use super::command::{Command, ExpandRequest};
use super::{CaseboardApp, ExpansionMemo};
use crate::analysis::expansion::{ExpandOptions, plan_expansion};
use crate::model::Action;
use crate::model::address::short_form;
use crate::sources::{CounterpartyPage, SourceError};

impl CaseboardApp {
    pub(super) fn expanded(
        &mut self,
        request: ExpandRequest,
        result: Result<CounterpartyPage, SourceError>,
    ) {
        let node = request.node.clone();
        let direction = request.direction;
        let short = short_form(node.value());
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
        if !self.doc.case.nodes.contains_key(&node) {
            self.notices.warn(format!(
                "Expansion of {short} dropped: the node was removed from the case meanwhile"
            ));
            return;
        }
        let options = &request.options;
        let plan = plan_expansion(&self.doc.case, &node, page.counterparties, options);
        self.expansions.insert(
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
        if plan.omitted > 0 {
            message.push_str(&format!(
                "; {} more left out (limit {}, largest by value kept) — Load more adds the next",
                plan.omitted, options.limit
            ));
        }
        if page.resume.is_some() {
            more_to_load = true;
            message.push_str("; older history not read yet — Load more goes on reading it");
        }
        if !plan.fragment.is_empty() {
            let mut fragment = plan.fragment;
            crate::attribution::flag_fragment(self.attribution.index(), &mut fragment);
            let action = Action::Insert {
                label: format!("expand {short} ({what})"),
                fragment,
            };
            if let Err(err) = self.doc.apply(action) {
                self.notices
                    .error(format!("Expansion of {short} not applied: {err}"), None);
                return;
            }
        }
        if more_to_load {
            self.notices.warn(message);
        } else {
            self.notices.info(message);
        }
    }
}
