//! Background jobs: network and disk work off the UI thread.
//!
//! A job is a named `poll_promise::Promise` running on its own thread, with a [`JobControl`]
//! for progress and cancellation. The frame loop only polls ([`Jobs::poll_finished`]); finished
//! results come back as [`JobOutcome`]s that the app turns into actions. A second job with the
//! same key is refused instead of silently duplicated. A job that panics is caught at its
//! boundary and comes back as [`JobOutcome::Failed`]: a bug in a job never takes the window
//! down.

use crate::attribution::{AttributionPack, PackErrors};
use crate::case_file::CaseFileError;
use crate::model::Case;
use crate::sources::{JobControl, SourceError};
use poll_promise::Promise;
use std::path::PathBuf;
use std::time::Instant;

/// What a finished job produced.
#[derive(Debug)]
pub enum JobOutcome {
    /// An expansion's raw counterparties.
    Expanded {
        request: super::command::ExpandRequest,
        result: Result<crate::sources::CounterpartyPage, SourceError>,
    },
    /// A case file read from disk.
    Opened {
        path: PathBuf,
        result: Result<(Box<Case>, crate::case_file::LoadReport), CaseFileError>,
        /// The canvas's graph and the timeline, built in the job (none if the file was not
        /// read).
        prepared: Option<Box<super::prepared::PreparedViews>>,
    },
    /// A case file written to disk.
    Saved {
        path: PathBuf,
        /// What was written (its revision and history position).
        point: crate::model::SavePoint,
        result: Result<(), CaseFileError>,
    },
    /// A file chosen in a native dialog (`None` = cancelled).
    PathChosen {
        purpose: PathPurpose,
        path: Option<PathBuf>,
    },
    /// A daily price table read for one asset (as a one-table book).
    PricesImported {
        key: crate::prices::AssetKey,
        path: PathBuf,
        result: Result<Box<crate::prices::PriceBook>, String>,
    },
    /// Daily price tables fetched online, and the assets that failed.
    PricesFetched {
        book: Box<crate::prices::PriceBook>,
        failures: Vec<String>,
    },
    /// A PNG written.
    ImageWritten {
        path: PathBuf,
        result: Result<(), String>,
    },
    /// Attribution packs parsed at start (bundled + files); files that failed are listed.
    PacksLoaded {
        packs: Vec<AttributionPack>,
        actors: Vec<crate::attribution::ActorPack>,
        failures: Vec<PackErrors>,
    },
    /// One attribution pack file (tags or actors) imported by the user.
    PackImported {
        path: PathBuf,
        result: Result<crate::attribution::LoadedPack, PackErrors>,
    },
    /// A case merged into a copy of the open one (with the report's summary).
    Merged {
        path: PathBuf,
        result: Result<(Box<Case>, String), String>,
    },
    /// The recovery file written.
    Autosaved {
        path: PathBuf,
        revision: u64,
        result: Result<(), String>,
    },
    /// The result of looking for a recovery file.
    RecoveryFound(Option<super::recovery::Recovery>),
    /// A recovery file read back.
    Restored {
        recovery: super::recovery::Recovery,
        result: Result<Box<Case>, String>,
    },
    /// Findings of an analysis run (for the document revision it started from).
    Analyzed {
        revision: u64,
        findings: Vec<crate::analysis::findings::Finding>,
        took_secs: f64,
    },
    /// A taint run: where the tainted money ended.
    TaintComputed(Box<crate::app::findings::TaintRun>),
    /// Paths found between two sets of nodes.
    PathsFound(Box<crate::analysis::paths::PathResult>),
    /// An auto-trace finished (or failed).
    Traced {
        start: crate::model::NodeId,
        result: Result<crate::sources::trace::TraceOutcome, SourceError>,
    },
    /// A job with nothing to report.
    Nothing,
    /// The job panicked (a bug): caught at the job boundary, reported, the case untouched.
    Failed {
        /// What the job was doing, as the jobs list showed it.
        label: String,
        /// The panic's message.
        message: String,
    },
    /// The entity (backend cluster) of a node, looked up.
    EntityRead {
        node: crate::model::NodeId,
        result: Result<Option<crate::model::ClusterFacts>, SourceError>,
    },
    /// The addresses of an entity, read to show it.
    EntityMembersRead {
        node: crate::model::NodeId,
        facts: Box<crate::model::ClusterFacts>,
        result: Result<Vec<crate::model::Node>, SourceError>,
    },
    /// The transactions behind a relation, read.
    RelationRead {
        from: crate::model::NodeId,
        to: crate::model::NodeId,
        result: Result<crate::model::TransactionFacts, SourceError>,
    },
    /// A transaction read by its hash.
    TransactionRead {
        chain: crate::model::Chain,
        hash: String,
        result: Result<crate::model::TransactionFacts, SourceError>,
    },
    /// A source's connection test.
    ConnectionTested {
        config: crate::model::SourceConfig,
        result: Result<String, String>,
    },
    /// A text file (TagPack export) written.
    TextWritten {
        path: PathBuf,
        result: Result<(), String>,
    },
}

/// Why a file dialog was opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Screenshot,
    ImportPack,
    ExportTagPack,
    ExportImage,
    ExportCsv,
    Merge,
}

/// A job in flight.
pub struct RunningJob {
    /// Unique key (refuses duplicates).
    pub key: String,
    /// What the user sees in the jobs list.
    pub label: String,
    /// Progress and cancellation.
    pub control: JobControl,
    /// When it started.
    pub started: Instant,
    promise: Promise<JobOutcome>,
}

/// All jobs in flight.
#[derive(Default)]
pub struct Jobs {
    running: Vec<RunningJob>,
}

impl Jobs {
    /// Starts `work` on a thread unless a job with `key` is already running. Returns false if
    /// refused.
    pub fn spawn(
        &mut self,
        key: String,
        label: String,
        ctx: Option<egui::Context>,
        work: impl FnOnce(JobControl) -> JobOutcome + Send + 'static,
    ) -> bool {
        if self.running.iter().any(|j| j.key == key) {
            return false;
        }
        let control = JobControl::default();
        let job_control = control.clone();
        let job_label = label.clone();
        let promise = Promise::spawn_thread(key.clone(), move || {
            let outcome =
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work(job_control)))
                    .unwrap_or_else(|panic| JobOutcome::Failed {
                        label: job_label,
                        message: panic_message(panic.as_ref()),
                    });
            // Wake the frame loop so the result is applied promptly.
            if let Some(ctx) = ctx {
                ctx.request_repaint();
            }
            outcome
        });
        self.running.push(RunningJob {
            key,
            label,
            control,
            started: Instant::now(),
            promise,
        });
        true
    }

    /// Removes and returns every finished job's outcome. Never blocks.
    pub fn poll_finished(&mut self) -> Vec<JobOutcome> {
        let mut finished = Vec::new();
        let mut still_running = Vec::with_capacity(self.running.len());
        for job in self.running.drain(..) {
            match job.promise.try_take() {
                Ok(outcome) => finished.push(outcome),
                Err(promise) => still_running.push(RunningJob { promise, ..job }),
            }
        }
        self.running = still_running;
        finished
    }

    /// Jobs in flight.
    pub fn running(&self) -> &[RunningJob] {
        &self.running
    }

    /// True if nothing is running.
    pub fn is_idle(&self) -> bool {
        self.running.is_empty()
    }

    /// Asks the job with `key` to stop.
    pub fn cancel(&self, key: &str) {
        if let Some(job) = self.running.iter().find(|j| j.key == key) {
            job.control.cancel();
        }
    }

    /// Blocks until every job finished and returns the outcomes. Only for tests and headless
    /// runs; the app never calls it.
    pub fn wait_all(&mut self) -> Vec<JobOutcome> {
        self.running
            .drain(..)
            .map(|job| job.promise.block_and_take())
            .collect()
    }
}

/// The text a panic carried (`panic!("…")` gives a `&str` or a `String`).
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic without a message".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_job_comes_back_as_failed() {
        let mut jobs = Jobs::default();
        assert!(jobs.spawn(
            "test:panic".to_owned(),
            "Panicking on purpose".to_owned(),
            None,
            |_control| panic!("boom on purpose"),
        ));
        let outcomes = jobs.wait_all();
        assert_eq!(outcomes.len(), 1);
        match &outcomes[0] {
            JobOutcome::Failed { label, message } => {
                assert_eq!(label, "Panicking on purpose");
                assert_eq!(message, "boom on purpose");
            }
            other => panic!("expected Failed, got {other:?}"),
        }
    }
}
