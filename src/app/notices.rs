//! Notifications for the user: "an error should never happen in silence".
//!
//! Information fades after a few seconds; warnings and errors stay until dismissed. An error
//! may carry a command to retry.

use super::command::Command;
use std::time::{Duration, Instant};

/// How long an information notice stays.
const INFO_LIFETIME: Duration = Duration::from_secs(8);

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
    pub level: Level,
    pub text: String,
    pub created: Instant,
    pub retry: Option<Command>,
}

/// All current notices, oldest first.
#[derive(Debug, Default)]
pub struct Notices {
    items: Vec<Notice>,
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

    fn push(&mut self, level: Level, text: String, retry: Option<Command>) {
        tracing::info!(?level, "{text}");
        self.items.push(Notice {
            level,
            text,
            created: Instant::now(),
            retry,
        });
        if self.items.len() > 50 {
            self.items.remove(0);
        }
    }

    /// Drops expired information notices.
    pub fn expire(&mut self) {
        self.items
            .retain(|n| n.level != Level::Info || n.created.elapsed() < INFO_LIFETIME);
    }

    /// Current notices, oldest first.
    pub fn items(&self) -> &[Notice] {
        &self.items
    }

    /// Removes notice `index`.
    pub fn dismiss(&mut self, index: usize) {
        if index < self.items.len() {
            self.items.remove(index);
        }
    }

    /// True if any notice's text contains `needle` (tests).
    pub fn contains(&self, needle: &str) -> bool {
        self.items.iter().any(|n| n.text.contains(needle))
    }
}
