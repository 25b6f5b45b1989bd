//! The job-outcome dispatch table: every finished job's [`JobOutcome`] is offered to the
//! feature modules in turn, like commands; a job that panicked arrives as
//! [`JobOutcome::Failed`] and becomes an error notice, with the case as it was.

use super::CaseboardApp;
use super::jobs::JobOutcome;

/// A feature's outcome handler: `None` when it handled the outcome, the outcome back if not.
type OutcomeHandler = fn(&mut CaseboardApp, JobOutcome) -> Option<JobOutcome>;

/// Every feature's outcome handler, in the order they are asked.
const OUTCOME_HANDLERS: [OutcomeHandler; 10] = [
    CaseboardApp::expansion_outcome,
    CaseboardApp::file_outcome,
    CaseboardApp::recovery_outcome,
    CaseboardApp::attribution_outcome,
    CaseboardApp::sharing_outcome,
    CaseboardApp::source_outcome,
    CaseboardApp::screenshot_outcome,
    CaseboardApp::money_outcome,
    CaseboardApp::findings_outcome,
    CaseboardApp::entity_outcome,
];

impl CaseboardApp {
    pub(super) fn handle_outcome(&mut self, outcome: JobOutcome) {
        let mut outcome = match outcome {
            JobOutcome::Nothing => return,
            JobOutcome::Failed { label, message } => {
                tracing::error!("job {label:?} failed with an internal error: {message}");
                self.notices.error(
                    format!(
                        "Internal error in {label}, please report: {message}. The case is as it was."
                    ),
                    None,
                );
                return;
            }
            other => other,
        };
        for handler in OUTCOME_HANDLERS {
            match handler(self, outcome) {
                None => return,
                Some(unhandled) => outcome = unhandled,
            }
        }
        tracing::error!("no feature handles a job outcome ({outcome:?}); please report");
    }
}
