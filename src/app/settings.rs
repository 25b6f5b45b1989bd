//! The user's settings: recent files, expansion limit, investigator name, the packs switched
//! off, whether the demo's story panel was dismissed.
//!
//! Stored as RON in the user's config folder (written atomically, owner-only permissions, as
//! later settings will hold API keys). Never part of a case file. A missing or unreadable
//! settings file gives the defaults and a notice, never a failure to start.

use crate::analysis::expansion::DEFAULT_LIMIT;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How many recent files the File menu lists.
pub const MAX_RECENT_FILES: usize = 10;

/// User settings.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first.
    pub recent_files: Vec<PathBuf>,
    /// Counterparties one expansion adds at most.
    pub expansion_limit: usize,
    /// Name recorded as the author of tags and clusters.
    pub investigator: String,
    /// Attribution packs the user imported (loaded at start).
    pub pack_files: Vec<PathBuf>,
    /// Ids of attribution packs the user switched off.
    pub disabled_packs: BTreeSet<String>,
    /// Etherscan API key (this file is owner-only; never copied into a case, log or export).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub etherscan_api_key: String,
    /// TronGrid API key (owner-only like the Etherscan key; never in a case, log or export).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub trongrid_api_key: String,
    /// GraphSense API key (owner-only like the other keys; never in a case, log or export).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub graphsense_api_key: String,
    /// Serve network sources only from the response cache.
    pub offline: bool,
    /// Seconds between autosaves of unsaved work to the recovery file (0 = off).
    pub autosave_secs: u64,
    /// Full URLs of sources whose URL has a path or query (an RPC URL like `…/v3/<key>`),
    /// keyed by the origin (`scheme://host[:port]`) the case stores. Owner-only like the key
    /// above; never in a case.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub source_urls: std::collections::BTreeMap<String, String>,
    /// Seconds one network answer may take in all (however slowly it arrives).
    pub answer_deadline_secs: u64,
    /// What one expansion may read from a source (transactions, logs, bytes).
    pub read_caps: crate::sources::limits::ReadCaps,
    /// The user closed the demo's story panel with "Don't show again".
    pub story_dismissed: bool,
    /// Light theme (dark otherwise).
    pub light_theme: bool,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("recent_files", &self.recent_files)
            .field("expansion_limit", &self.expansion_limit)
            .field("investigator", &self.investigator)
            .field("pack_files", &self.pack_files)
            .field("disabled_packs", &self.disabled_packs)
            .field(
                "etherscan_api_key",
                &if self.etherscan_api_key.is_empty() {
                    ""
                } else {
                    "***"
                },
            )
            .field(
                "trongrid_api_key",
                &if self.trongrid_api_key.is_empty() {
                    ""
                } else {
                    "***"
                },
            )
            .field(
                "graphsense_api_key",
                &if self.graphsense_api_key.is_empty() {
                    ""
                } else {
                    "***"
                },
            )
            .field("offline", &self.offline)
            .field("autosave_secs", &self.autosave_secs)
            .field("source_urls", &self.source_urls.keys().collect::<Vec<_>>())
            .field("answer_deadline_secs", &self.answer_deadline_secs)
            .field("story_dismissed", &self.story_dismissed)
            .field("light_theme", &self.light_theme)
            .finish()
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            recent_files: Vec::new(),
            expansion_limit: DEFAULT_LIMIT,
            investigator: String::new(),
            pack_files: Vec::new(),
            disabled_packs: BTreeSet::new(),
            etherscan_api_key: String::new(),
            trongrid_api_key: String::new(),
            graphsense_api_key: String::new(),
            offline: false,
            autosave_secs: super::recovery::DEFAULT_AUTOSAVE_SECS,
            source_urls: std::collections::BTreeMap::new(),
            answer_deadline_secs: crate::sources::http::DEFAULT_ANSWER_DEADLINE_SECS,
            read_caps: crate::sources::limits::ReadCaps::default(),
            story_dismissed: false,
            light_theme: false,
        }
    }
}

impl Settings {
    /// Default location: `<config dir>/caseboard/settings.ron`.
    pub fn default_path() -> Option<PathBuf> {
        crate::sources::settings_file::default_settings_path()
    }

    /// Loads settings; a missing file gives defaults, a broken one gives defaults and the error.
    pub fn load(path: &Path) -> (Settings, Option<String>) {
        match std::fs::read_to_string(path) {
            Ok(text) => match ron::from_str::<Settings>(&text) {
                Ok(settings) => (settings.sanitised(), None),
                Err(err) => (
                    Settings::default(),
                    Some(format!("settings ignored, {}: {err}", path.display())),
                ),
            },
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => (Settings::default(), None),
            Err(err) => (
                Settings::default(),
                Some(format!("settings not read, {}: {err}", path.display())),
            ),
        }
    }

    /// Writes settings atomically with owner-only permissions (see [`crate::fs_atomic`]).
    pub fn save(&self, path: &Path) -> Result<(), String> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let text = ron::ser::to_string_pretty(self, ron::ser::PrettyConfig::default())
            .map_err(|e| e.to_string())?;
        crate::fs_atomic::write_atomic(path, crate::fs_atomic::FileMode::OwnerOnly, text.as_bytes())
            .map_err(|e| e.to_string())
    }

    /// Puts `path` first in the recent list.
    pub fn remember_recent(&mut self, path: &Path) {
        self.recent_files.retain(|p| p != path);
        self.recent_files.insert(0, path.to_path_buf());
        self.recent_files.truncate(MAX_RECENT_FILES);
    }

    fn sanitised(mut self) -> Settings {
        self.expansion_limit = self.expansion_limit.clamp(1, 10_000);
        self.recent_files.truncate(MAX_RECENT_FILES);
        self.answer_deadline_secs = self.answer_deadline_secs.clamp(1, 3_600);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_restricts_permissions() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("sub").join("settings.ron");
        let mut settings = Settings::default();
        settings.remember_recent(Path::new("/a.ron"));
        settings.remember_recent(Path::new("/b.ron"));
        settings.remember_recent(Path::new("/a.ron"));
        assert_eq!(
            settings.recent_files,
            vec![PathBuf::from("/a.ron"), PathBuf::from("/b.ron")]
        );
        settings.save(&path).expect("save");
        let (loaded, problem) = Settings::load(&path);
        assert_eq!(problem, None);
        assert_eq!(loaded, settings);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn debug_never_shows_the_key() {
        let settings = Settings {
            etherscan_api_key: "SECRET123".into(),
            ..Settings::default()
        };
        assert!(!format!("{settings:?}").contains("SECRET123"));
    }

    #[test]
    fn broken_file_gives_defaults_and_a_message() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, "(expansion_limit: \"many\")").expect("write");
        let (loaded, problem) = Settings::load(&path);
        assert_eq!(loaded, Settings::default());
        assert!(problem.is_some_and(|p| p.contains("settings ignored")));
        let (loaded, problem) = Settings::load(&dir.path().join("missing.ron"));
        assert_eq!(loaded, Settings::default());
        assert_eq!(problem, None);
    }
}
