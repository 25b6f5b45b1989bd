//! The analysis feature: run every detector over the case in a job, keep the findings for the
//! Findings panel, and say when the case has changed since they were computed.
//!
//! Detectors are pure (`analysis::findings`); this room only starts the job (a copy of the case
//! and the app's price book go to it, so the UI thread never waits), takes the result back and
//! tells the user how many findings of which kinds came out. Applying or dismissing a finding
//! is an action the panel pushes through the door.
//!
//! "Trace from here" (`sources::trace`) runs as a job too, with the status bar's progress and
//! Cancel; what it found goes in as one undoable step with a note on the start node, and its
//! steps (every node and why it was followed or not) stay listed in the Findings tab.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::JobOutcome;
use crate::analysis::findings::{AnalysisLimits, CaseIndex, Finding, detect};
use crate::model::{Category, NodeId, SourceConfig};
use crate::sources::trace::{TraceOptions, TraceStep, trace, trace_action};
use std::collections::HashMap;

/// The findings of the last run.
#[derive(Default)]
pub struct FindingsState {
    /// The findings, in panel order (set with [`FindingsState::set_findings`]).
    pub findings: Vec<Finding>,
    /// Each finding's fingerprint (same order), computed once per run: the panel checks
    /// dismissals every frame.
    fingerprints: Vec<String>,
    /// The document revision they were computed for (`None`: never run).
    pub revision: Option<u64>,
    /// Show findings the case has dismissed.
    pub show_dismissed: bool,
    /// Seconds the last run took.
    pub took_secs: f64,
    /// The last trace: its start and every step with its reason.
    pub last_trace: Option<(NodeId, Vec<TraceStep>)>,
    /// Where paths start (Paths section; UI state).
    pub path_from: Vec<NodeId>,
    /// Where paths end.
    pub path_to: Vec<NodeId>,
    /// The last path search's result.
    pub paths: Option<crate::analysis::paths::PathResult>,
    /// Taint sources chosen (Taint section; UI state).
    pub taint_from: Vec<NodeId>,
    /// Taint model chosen.
    pub taint_model: Option<crate::analysis::taint::TaintModel>,
    /// Taint stays per asset (unticked "through swap and bridge hops").
    pub taint_per_asset_only: bool,
    /// The taint overlay is hidden (unticked "Show on canvas").
    pub taint_overlay_hidden: bool,
    /// Trace from here follows a Bitcoin transaction's payments, not its detected change.
    pub trace_prefer_payment: bool,
    /// The last taint run.
    pub taint: Option<TaintRun>,
}

impl FindingsState {
    /// Keeps a run's findings and computes their fingerprints once.
    pub fn set_findings(&mut self, findings: Vec<Finding>) {
        self.fingerprints = findings.iter().map(Finding::fingerprint).collect();
        self.findings = findings;
    }

    /// The fingerprint of the finding at `i` (panel order).
    pub fn fingerprint(&self, i: usize) -> &str {
        &self.fingerprints[i]
    }
}

/// One taint run: model, sources, how many nodes it reached and where the money ended.
#[derive(Debug, Clone)]
pub struct TaintRun {
    pub model: crate::analysis::taint::TaintModel,
    /// Swap and bridge hops it moved across (0 when per asset only).
    pub hops: Option<usize>,
    pub sources: Vec<NodeId>,
    pub reached: usize,
    pub ends: Vec<crate::analysis::taint_ends::TaintEnd>,
    /// What the canvas draws for it.
    pub overlay: std::sync::Arc<super::canvas::taint_overlay::TaintOverlay>,
}

impl CaseboardApp {
    /// Handles the analysis commands; gives any other command back.
    pub(super) fn findings_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::RunAnalysis => self.start_analysis(),
            Command::TraceFrom(node) => self.start_trace(node),
            Command::ShowTaintOverlay(show) => {
                self.findings.taint_overlay_hidden = !show;
                let overlay = self
                    .findings
                    .taint
                    .as_ref()
                    .filter(|_| show)
                    .map(|run| run.overlay.clone());
                self.canvas.set_taint_overlay(overlay);
            }
            Command::FindPaths { from, to } => self.start_paths(from, to),
            Command::ComputeTaint {
                from,
                model,
                through_hops,
            } => self.start_taint(from, model, through_hops),
            other => return Some(other),
        }
        None
    }

    fn start_analysis(&mut self) {
        let case = self.doc.case().clone();
        let prices = self.prices.clone();
        let revision = self.doc.revision();
        let ctx = self.egui_ctx.clone();
        self.left_tab = super::ui::LeftTab::Findings;
        let started = self.jobs.spawn(
            "analysis".to_owned(),
            "Looking for patterns".to_owned(),
            ctx,
            move |control| {
                let clock = std::time::Instant::now();
                control.set_stage("indexing the case");
                let index = CaseIndex::build(&case, &prices);
                control.set_stage("running the detectors");
                let findings = detect(&index, &[], AnalysisLimits::default());
                JobOutcome::Analyzed {
                    revision,
                    findings,
                    took_secs: clock.elapsed().as_secs_f64(),
                }
            },
        );
        if !started {
            self.notices
                .info("The analysis is already running.".to_owned());
        }
    }

    fn start_paths(&mut self, from: Vec<NodeId>, to: Vec<NodeId>) {
        let case = self.doc.case().clone();
        let prices = self.prices.clone();
        let ctx = self.egui_ctx.clone();
        let from: std::collections::BTreeSet<NodeId> = from.into_iter().collect();
        let to: std::collections::BTreeSet<NodeId> = to.into_iter().collect();
        self.findings.paths = None;
        let started = self.jobs.spawn(
            "paths".to_owned(),
            "Finding paths".to_owned(),
            ctx,
            move |_control| {
                let query = crate::analysis::paths::PathQuery::default();
                let result = crate::analysis::paths::find_paths(&case, &from, &to, query, &prices);
                JobOutcome::PathsFound(Box::new(result))
            },
        );
        if !started {
            self.notices
                .info("A path search is already running".to_owned());
        }
    }

    fn start_taint(
        &mut self,
        from: Vec<NodeId>,
        model: crate::analysis::taint::TaintModel,
        through_hops: bool,
    ) {
        let case = self.doc.case().clone();
        let prices = self.prices.clone();
        let ctx = self.egui_ctx.clone();
        self.findings.taint = None;
        let started = self.jobs.spawn(
            "taint".to_owned(),
            format!("Computing taint ({})", model.name()),
            ctx,
            move |_control| {
                let sources: std::collections::BTreeSet<NodeId> = from.iter().cloned().collect();
                let detected = if through_hops {
                    let index = CaseIndex::build(&case, &prices);
                    crate::analysis::findings::hop_links(&index)
                } else {
                    Vec::new()
                };
                let links = crate::analysis::taint::with_applied_hops(&case, detected);
                let mut per_transfer = Vec::new();
                let result = crate::analysis::taint::taint_detailed(
                    &case,
                    &sources,
                    model,
                    &links,
                    Some(&mut per_transfer),
                );
                let ends = crate::analysis::taint_ends::taint_ends(&case, &result, &prices);
                let overlay = std::sync::Arc::new(super::canvas::taint_overlay::TaintOverlay::of(
                    &case,
                    &result,
                    &per_transfer,
                    &prices,
                ));
                JobOutcome::TaintComputed(Box::new(TaintRun {
                    model,
                    hops: through_hops.then_some(links.len()),
                    sources: from,
                    reached: result.len(),
                    ends,
                    overlay,
                }))
            },
        );
        if !started {
            self.notices
                .info("Taint is already being computed".to_owned());
        }
    }

    fn start_trace(&mut self, start: NodeId) {
        if !self.doc.case().nodes.contains_key(&start) {
            self.notices
                .warn(format!("{start} is not in the case; nothing to trace"));
            return;
        }
        let case = self.doc.case().clone();
        let prices = self.prices.clone();
        let source = self.source().clone();
        let index = self.attribution.index().clone();
        let demo: HashMap<NodeId, Category> = if case.source == SourceConfig::Demo {
            crate::sources::demo::demo_attribution()
                .into_iter()
                .map(|(node, tag)| (node, tag.category))
                .collect()
        } else {
            HashMap::new()
        };
        let ctx = self.egui_ctx.clone();
        let label = format!(
            "Tracing from {}",
            crate::model::address::short_form(start.value())
        );
        let key = format!("trace:{start}");
        let options = TraceOptions {
            prefer_payment: self.findings.trace_prefer_payment,
            ..TraceOptions::default()
        };
        let started = self.jobs.spawn(key, label, ctx, move |control| {
            let known = |node: &NodeId| {
                demo.get(node)
                    .cloned()
                    .or_else(|| crate::model::tag::tags_category(index.lookup(node)).cloned())
            };
            let result = trace(
                source.as_ref(),
                &case,
                &start,
                &options,
                &known,
                &prices,
                &control,
            );
            JobOutcome::Traced { start, result }
        });
        if !started {
            self.notices
                .info("That trace is already running".to_owned());
        }
    }

    fn traced(
        &mut self,
        start: NodeId,
        result: Result<crate::sources::trace::TraceOutcome, crate::sources::SourceError>,
    ) {
        let short = crate::model::address::short_form(start.value());
        let outcome = match result {
            Ok(outcome) => outcome,
            Err(crate::sources::SourceError::Cancelled) => {
                self.notices
                    .info(format!("Trace from {short} cancelled; nothing changed"));
                return;
            }
            Err(e) => {
                self.notices.error(
                    format!("Trace from {short} failed: {e}. Nothing changed."),
                    None,
                );
                return;
            }
        };
        let summary = outcome.summary();
        let added = (
            outcome.fragment.nodes.len(),
            outcome.fragment.transfers.len(),
        );
        if self.doc.case().nodes.contains_key(&start) {
            let action = trace_action(
                self.doc.case(),
                &start,
                &TraceOptions::default(),
                &outcome,
                self.settings.investigator.clone(),
            );
            self.apply_action(action);
            // The view takes in what the trace reached.
            let mut include: Vec<NodeId> = outcome
                .fragment
                .nodes
                .iter()
                .map(|n| n.id.clone())
                .collect();
            if !include.is_empty() {
                include.push(start.clone());
                self.canvas.request_include(include);
            }
        }
        self.notices.info(format!(
            "Trace from {short}: {} nodes, {} transfers added with {} requests{}; {summary}",
            added.0,
            added.1,
            outcome.requests,
            if outcome.cut_short {
                " (request budget spent)"
            } else {
                ""
            }
        ));
        self.findings.last_trace = Some((start, outcome.steps));
        self.left_tab = super::ui::LeftTab::Findings;
    }

    /// Takes finished findings and traces; gives any other outcome back.
    pub(super) fn findings_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        if let JobOutcome::TaintComputed(run) = outcome {
            self.notices.info(format!(
                "Taint ({}): {} nodes reached, {} ends",
                run.model.name(),
                run.reached,
                run.ends.len()
            ));
            if !self.findings.taint_overlay_hidden {
                self.canvas.set_taint_overlay(Some(run.overlay.clone()));
            }
            self.findings.taint = Some(*run);
            self.left_tab = super::ui::LeftTab::Findings;
            return None;
        }
        if let JobOutcome::PathsFound(result) = outcome {
            match (result.paths.len(), result.reason) {
                (0, Some(reason)) => self.notices.info(format!("No path: {}", reason.describe())),
                (n, _) => self.notices.info(format!("{n} path(s) found")),
            }
            self.findings.paths = Some(*result);
            self.left_tab = super::ui::LeftTab::Findings;
            return None;
        }
        if let JobOutcome::Traced { start, result } = outcome {
            self.traced(start, result);
            return None;
        }
        let JobOutcome::Analyzed {
            revision,
            findings,
            took_secs,
        } = outcome
        else {
            return Some(outcome);
        };
        self.findings.set_findings(findings);
        let dismissed = &self.doc.case().findings.dismissed;
        let open = self
            .findings
            .fingerprints
            .iter()
            .filter(|f| !dismissed.contains_key(*f))
            .count();
        self.notices.info(format!(
            "Analysis: {open} finding(s) to review ({} dismissed earlier) in {took_secs:.2} s",
            self.findings.findings.len() - open
        ));
        self.findings.revision = Some(revision);
        self.findings.took_secs = took_secs;
        None
    }
}
