//! How long opening a case took, as the user saw it: from the process's start (or the Open
//! command) to the first frame that drew the case, and the process's resident memory then.
//! Logged at `info` under the `caseboard::timing` target, which the whole-process opening bench
//! (`benches/open/run.sh`) reads; nothing is shown in the window.

use std::sync::OnceLock;
use std::time::Instant;

/// When the process started (the first time anything asked; `main` asks first).
pub fn process_start() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// The open that waits for its first frame.
#[derive(Debug, Default)]
pub struct OpenTiming {
    /// When the file's job was started.
    started: Option<Instant>,
    /// When the case replaced the open one (the job's result was applied).
    applied: Option<(Instant, usize)>,
}

impl OpenTiming {
    /// The file's job has started.
    pub fn started(&mut self) {
        self.started = Some(Instant::now());
        self.applied = None;
    }

    /// The opened case (of `nodes` nodes) is now the document.
    pub fn applied(&mut self, nodes: usize) {
        self.applied = Some((Instant::now(), nodes));
    }

    /// True while a first frame is awaited (the app keeps frames coming until it is logged).
    pub fn waiting(&self) -> bool {
        self.applied.is_some()
    }

    /// Called at the start of each frame: once the frame that drew the case has been
    /// presented, logs the figures, forgets the open and returns true.
    pub fn frame_started(&mut self) -> bool {
        let Some((applied_at, nodes)) = self.applied else {
            return false;
        };
        // The case is applied in a frame's logic, after this call; that frame draws it. When
        // the next frame starts, the one that drew the case has been painted and presented.
        let now = Instant::now();
        let since_start_secs = now.duration_since(process_start()).as_secs_f64();
        let read_secs = self
            .started
            .map(|s| applied_at.duration_since(s).as_secs_f64())
            .unwrap_or(0.0);
        let first_frame_secs = now.duration_since(applied_at).as_secs_f64();
        let resident = resident_kib()
            .map(|kib| format!("{kib} KiB"))
            .unwrap_or_else(|| "unknown".to_owned());
        tracing::info!(
            target: "caseboard::timing",
            "case shown: {nodes} nodes; {since_start_secs:.3} s after the process started; \
             job {read_secs:.3} s; applied to presented {first_frame_secs:.3} s; resident {resident}"
        );
        self.started = None;
        self.applied = None;
        true
    }
}

/// This process's resident memory (Linux: `VmRSS` of `/proc/self/status`).
fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_frame_is_counted_once_and_only_after_it_was_presented() {
        let mut timing = OpenTiming::default();
        assert!(!timing.frame_started(), "nothing opened, nothing shown");
        assert!(!timing.waiting(), "nothing opened, nothing awaited");
        timing.started();
        timing.applied(10);
        assert!(
            timing.waiting(),
            "the frame drawing the case has not been presented yet"
        );
        assert!(timing.frame_started(), "the case has been shown");
        assert!(!timing.waiting(), "logged and forgotten");
        assert!(!timing.frame_started(), "shown once");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn resident_memory_is_read_on_linux() {
        assert!(resident_kib().is_some_and(|kib| kib > 0));
    }
}
