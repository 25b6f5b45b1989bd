//! What opening a case prepares away from the UI thread: the canvas's drawable graph (flows
//! valued, edges, lanes, legend) and the timeline's points, built on two threads at the end
//! of the open job, so the first frame of a big case only installs them. At 300,000 nodes
//! these took about two seconds of the UI thread's first frame.
//!
//! A prepared view is installed only if nothing it depends on moved meanwhile: it is built
//! from the opened case under its own filter, with the prices as they were when the job
//! started (`prices_revision`); otherwise the canvas and the timeline build their own.

use super::canvas::PreparedGraph;
use crate::analysis::timeline::Timeline;
use crate::model::Case;
use crate::prices::PriceBook;

/// The canvas's graph and the timeline of one opened case.
pub struct PreparedViews {
    /// The canvas's graph under the case's own filter.
    pub graph: PreparedGraph,
    /// The timeline's points (`None` if its thread failed: the panel builds it itself).
    pub timeline: Option<Timeline>,
    /// The app's prices revision the views were valued with.
    pub prices_revision: u64,
}

impl std::fmt::Debug for PreparedViews {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedViews")
            .field("prices_revision", &self.prices_revision)
            .finish_non_exhaustive()
    }
}

impl PreparedViews {
    /// Builds both views of `case`: the timeline on a second thread, the graph on this one.
    pub fn build(case: &Case, prices: &PriceBook, prices_revision: u64) -> PreparedViews {
        let (graph, timeline) = std::thread::scope(|scope| {
            let timeline = scope.spawn(|| {
                let started = std::time::Instant::now();
                let timeline = Timeline::build(case, prices);
                tracing::debug!(target: "caseboard::timing", "open: timeline {:.3} s", started.elapsed().as_secs_f64());
                timeline
            });
            let started = std::time::Instant::now();
            let graph = PreparedGraph::build(case, prices, case.view.filter.clone());
            tracing::debug!(target: "caseboard::timing", "open: canvas graph {:.3} s", started.elapsed().as_secs_f64());
            // A panic on the timeline's thread leaves the panel to build it on the UI thread,
            // where a second panic is reported like any other.
            (graph, timeline.join().ok())
        });
        PreparedViews {
            graph,
            timeline,
            prices_revision,
        }
    }
}
