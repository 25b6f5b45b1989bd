//! Notifications for the user: "an error should never happen in silence", but a quiet canvas.
//!
//! Information fades after [`INFO_SECS`], warnings after [`WARNING_SECS`]; errors stay until
//! dismissed. At most [`MAX_TOASTS`] are shown over the canvas, newest first; every notice, also
//! a faded or dismissed one, stays in the list the status bar's "Notices (N)" opens. The same
//! text again while its toast is still up counts as a repeat (×N) instead of a new toast, so a
//! failure that recurs every minute does not pile up. An error may carry a command to retry.
//!
//! Time is the UI's clock (egui's input time, seconds, passed in with [`Notices::set_now`]), so
//! fading is testable by stepping the UI; this module knows nothing of egui.

use super::command::Command;

/// Seconds an information notice stays on screen.
pub const INFO_SECS: f64 = 5.0;
/// Seconds a warning stays on screen.
pub const WARNING_SECS: f64 = 12.0;
/// Seconds over which a toast fades out at the end of its life.
const FADE_SECS: f64 = 1.0;
/// Most toasts over the canvas at once.
pub const MAX_TOASTS: usize = 3;
/// Most notices kept in the list (oldest dropped first).
const MAX_KEPT: usize = 200;

/// Severity of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// One message.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Unique within the session (for dismissing).
    pub id: u64,
    pub level: Level,
    pub text: String,
    /// UI time (seconds) it was last raised.
    pub created: f64,
    /// How often it was raised while its toast was up (1 = once).
    pub repeats: u32,
    pub retry: Option<Command>,
    /// Closed by the user: no longer a toast, still in the list.
    pub dismissed: bool,
}

/// All notices of the session, oldest first, and the UI clock.
#[derive(Debug, Default)]
pub struct Notices {
    items: Vec<Notice>,
    now: f64,
    next_id: u64,
    /// The notices list window is open.
    pub list_open: bool,
}

impl Notices {
    /// Adds an information notice.
    pub fn info(&mut self, text: impl Into<String>) {
        self.push(Level::Info, text.into(), None);
    }

    /// Adds a warning.
    pub fn warn(&mut self, text: impl Into<String>) {
        self.push(Level::Warning, text.into(), None);
    }

    /// Adds an error, optionally with a retry command.
    pub fn error(&mut self, text: impl Into<String>, retry: Option<Command>) {
        self.push(Level::Error, text.into(), retry);
    }

    /// Sets the UI clock (seconds; egui's input time).
    pub fn set_now(&mut self, now: f64) {
        self.now = now;
    }

    fn push(&mut self, level: Level, text: String, retry: Option<Command>) {
        tracing::info!(?level, "{text}");
        let now = self.now;
        let shown_twin = self
            .items
            .iter()
            .rposition(|n| n.level == level && n.text == text && self.is_toast(n));
        if let Some(i) = shown_twin {
            let mut again = self.items.remove(i);
            again.created = now;
            again.repeats = again.repeats.saturating_add(1);
            again.retry = retry;
            self.items.push(again);
            return;
        }
        self.next_id += 1;
        self.items.push(Notice {
            id: self.next_id,
            level,
            text,
            created: now,
            repeats: 1,
            retry,
            dismissed: false,
        });
        if self.items.len() > MAX_KEPT {
            self.items.remove(0);
        }
    }

    /// Seconds `notice` stays on screen (`None` = until dismissed).
    fn lifetime(notice: &Notice) -> Option<f64> {
        match notice.level {
            Level::Info => Some(INFO_SECS),
            Level::Warning => Some(WARNING_SECS),
            Level::Error => None,
        }
    }

    /// True while `notice` is a toast: not dismissed and not faded.
    fn is_toast(&self, notice: &Notice) -> bool {
        !notice.dismissed
            && Self::lifetime(notice).is_none_or(|secs| self.now - notice.created < secs)
    }

    /// The toasts to draw now, newest first, at most [`MAX_TOASTS`].
    pub fn toasts(&self) -> Vec<&Notice> {
        self.items
            .iter()
            .rev()
            .filter(|n| self.is_toast(n))
            .take(MAX_TOASTS)
            .collect()
    }

    /// Toasts waiting for room (beyond [`MAX_TOASTS`]).
    pub fn waiting(&self) -> usize {
        let up = self.items.iter().filter(|n| self.is_toast(n)).count();
        up.saturating_sub(MAX_TOASTS)
    }

    /// How opaque `notice`'s toast is: 1, going to 0 over its last second.
    pub fn opacity(&self, notice: &Notice) -> f32 {
        Self::lifetime(notice).map_or(1.0, |secs| {
            let left = secs - (self.now - notice.created);
            #[allow(clippy::cast_possible_truncation)]
            let opacity = (left / FADE_SECS).clamp(0.0, 1.0) as f32;
            opacity
        })
    }

    /// Seconds until the next toast changes (fades a step or goes); `None` = nothing fades.
    pub fn next_change_in(&self) -> Option<f64> {
        self.toasts()
            .iter()
            .filter_map(|n| Self::lifetime(n).map(|secs| secs - (self.now - n.created)))
            .map(|left| {
                if left > FADE_SECS {
                    left - FADE_SECS
                } else {
                    0.05
                }
            })
            .reduce(f64::min)
    }

    /// Every notice of the session, newest first.
    pub fn all(&self) -> impl Iterator<Item = &Notice> {
        self.items.iter().rev()
    }

    /// How many notices the list holds.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True if there is no notice at all.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Closes the toast of notice `id` (it stays in the list).
    pub fn dismiss(&mut self, id: u64) {
        if let Some(n) = self.items.iter_mut().find(|n| n.id == id) {
            n.dismissed = true;
        }
    }

    /// Empties the list (and closes every toast).
    pub fn clear(&mut self) {
        self.items.clear();
    }

    /// True if any notice's text contains `needle` (tests).
    pub fn contains(&self, needle: &str) -> bool {
        self.items.iter().any(|n| n.text.contains(needle))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn information_fades_errors_stay_newest_first() {
        let mut notices = Notices::default();
        notices.info("saved");
        for i in 1..=4 {
            notices.error(format!("failed {i}"), None);
        }
        let shown: Vec<&str> = notices.toasts().iter().map(|n| n.text.as_str()).collect();
        assert_eq!(shown, ["failed 4", "failed 3", "failed 2"]);
        assert_eq!(notices.waiting(), 2);
        notices.set_now(INFO_SECS + 0.1);
        assert_eq!(notices.waiting(), 1, "the information faded");
        assert_eq!(notices.len(), 5, "all stay in the list");
        let first = notices.all().last().map(|n| n.id).expect("one");
        notices.dismiss(notices.toasts()[0].id);
        let shown: Vec<&str> = notices.toasts().iter().map(|n| n.text.as_str()).collect();
        assert_eq!(shown, ["failed 3", "failed 2", "failed 1"]);
        assert!(notices.all().any(|n| n.id == first));
    }

    #[test]
    fn a_repeated_notice_counts_instead_of_piling_up() {
        let mut notices = Notices::default();
        notices.warn("Autosave failed");
        notices.set_now(5.0);
        notices.warn("Autosave failed");
        assert_eq!(notices.len(), 1);
        assert_eq!(notices.toasts()[0].repeats, 2);
        notices.set_now(5.0 + WARNING_SECS + 1.0);
        notices.warn("Autosave failed");
        assert_eq!(notices.len(), 2, "a faded one is not revived");
    }
}
