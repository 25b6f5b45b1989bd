//! The analysis feature: run every detector over the case in a job, keep the findings for the
//! Findings panel, and say when the case has changed since they were computed.
//!
//! Detectors are pure (`analysis::findings`); this room only starts the job (a copy of the case
//! and the app's price book go to it, so the UI thread never waits), takes the result back and
//! tells the user how many findings of which kinds came out. Applying or dismissing a finding
//! is an action the panel pushes through the door.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::JobOutcome;
use crate::analysis::findings::{AnalysisLimits, CaseIndex, Finding, detect};

/// The findings of the last run.
#[derive(Default)]
pub struct FindingsState {
    /// The findings, in panel order.
    pub findings: Vec<Finding>,
    /// The document revision they were computed for (`None`: never run).
    pub revision: Option<u64>,
    /// Show findings the case has dismissed.
    pub show_dismissed: bool,
    /// Seconds the last run took.
    pub took_secs: f64,
}

impl CaseboardApp {
    /// Handles the analysis commands; gives any other command back.
    pub(super) fn findings_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::RunAnalysis => self.start_analysis(),
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

    /// Takes finished findings; gives any other outcome back.
    pub(super) fn findings_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        let JobOutcome::Analyzed {
            revision,
            findings,
            took_secs,
        } = outcome
        else {
            return Some(outcome);
        };
        let dismissed = &self.doc.case().findings.dismissed;
        let open = findings
            .iter()
            .filter(|f| !dismissed.contains_key(&f.fingerprint()))
            .count();
        self.notices.info(format!(
            "Analysis: {open} finding(s) to review ({} dismissed earlier) in {took_secs:.2} s",
            findings.len() - open
        ));
        self.findings = FindingsState {
            findings,
            revision: Some(revision),
            show_dismissed: self.findings.show_dismissed,
            took_secs,
        };
        None
    }
}
