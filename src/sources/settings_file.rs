//! The source part of the user's settings file, for the command line: the Etherscan and
//! TronGrid keys, the
//! full URLs of sources a case stores only as an origin, the whole-answer deadline and the read
//! caps. The app writes the file (`app/settings.rs`); the command line reads these fields from
//! the same file, so a case saved with only `https://host` can be expanded again without
//! giving the URL's secret path on the command line. Other fields are ignored here.

use super::factory::SourceContext;
use super::limits::ReadCaps;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The settings file is small; anything larger is not one.
const MAX_SETTINGS_BYTES: u64 = 4 * 1024 * 1024;

/// Where the app keeps its settings: `<config dir>/caseboard/settings.ron` (on Linux
/// `$XDG_CONFIG_HOME/caseboard/`, else `~/.config/caseboard/`).
pub fn default_settings_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "Caseboard", "caseboard")
        .map(|dirs| dirs.config_dir().join("settings.ron"))
}

/// The fields of the settings file that sources need.
#[derive(Deserialize)]
#[serde(default)]
struct SourceSettings {
    etherscan_api_key: String,
    trongrid_api_key: String,
    graphsense_api_key: String,
    source_urls: BTreeMap<String, String>,
    answer_deadline_secs: u64,
    read_caps: ReadCaps,
}

impl Default for SourceSettings {
    fn default() -> Self {
        SourceSettings {
            etherscan_api_key: String::new(),
            trongrid_api_key: String::new(),
            graphsense_api_key: String::new(),
            source_urls: BTreeMap::new(),
            answer_deadline_secs: super::http::DEFAULT_ANSWER_DEADLINE_SECS,
            read_caps: ReadCaps::default(),
        }
    }
}

/// A source context from the settings file at `path` (keys: settings, else the environment).
/// A missing file gives the defaults; an unreadable or broken one gives the defaults and a
/// warning naming the file (never quoting its content, which holds secrets).
pub fn context_from_settings(path: &Path) -> (SourceContext, Option<String>) {
    let (settings, warning) = match read(path) {
        Ok(settings) => (settings, None),
        Err(warning) => (SourceSettings::default(), warning),
    };
    let context = SourceContext {
        full_urls: settings.source_urls,
        answer_deadline_secs: Some(settings.answer_deadline_secs),
        read_caps: settings.read_caps,
        ..SourceContext::with_all_keys(
            &settings.etherscan_api_key,
            &settings.trongrid_api_key,
            &settings.graphsense_api_key,
        )
    };
    (context, warning)
}

/// The settings, or `Err(None)` for a missing file, `Err(Some(warning))` for a bad one.
fn read(path: &Path) -> Result<SourceSettings, Option<String>> {
    let shown = path.display();
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(None),
        Err(e) => {
            return Err(Some(format!(
                "settings {shown} not read ({e}); defaults used"
            )));
        }
    };
    if !meta.is_file() || meta.len() > MAX_SETTINGS_BYTES {
        return Err(Some(format!(
            "settings {shown} is not a regular file of at most {MAX_SETTINGS_BYTES} bytes; defaults used"
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| Some(format!("settings {shown} not read ({e}); defaults used")))?;
    ron::from_str::<SourceSettings>(&text).map_err(|e| {
        // Position only: the text around it may be a key.
        Some(format!(
            "settings {shown} not understood at {}; defaults used",
            e.span.start
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_source_fields_and_ignores_the_rest() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("settings.ron");
        std::fs::write(
            &path,
            r#"(
    recent_files: ["/tmp/a.ron"],
    expansion_limit: 20,
    etherscan_api_key: "K3Y",
    source_urls: {"https://rpc.example": "https://rpc.example/v3/abc"},
    answer_deadline_secs: 7,
    read_caps: (max_transactions: 10),
)"#,
        )
        .expect("write");
        let (context, warning) = context_from_settings(&path);
        assert_eq!(warning, None);
        assert_eq!(context.etherscan_api_key.as_deref(), Some("K3Y"));
        assert_eq!(
            context
                .full_urls
                .get("https://rpc.example")
                .map(String::as_str),
            Some("https://rpc.example/v3/abc")
        );
        assert_eq!(context.answer_deadline_secs, Some(7));
        assert_eq!(context.read_caps.max_transactions, 10);
        assert_eq!(
            context.read_caps.max_logs,
            ReadCaps::default().max_logs,
            "caps not given keep their default"
        );
    }

    #[test]
    fn a_missing_file_gives_defaults_and_a_broken_one_a_warning_without_its_text() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (context, warning) = context_from_settings(&dir.path().join("none.ron"));
        assert_eq!(warning, None);
        assert!(context.full_urls.is_empty());
        let path = dir.path().join("settings.ron");
        std::fs::write(&path, "(etherscan_api_key: SECRETKEY").expect("write");
        let (context, warning) = context_from_settings(&path);
        let warning = warning.expect("a warning");
        assert!(warning.contains("defaults used"), "{warning}");
        assert!(!warning.contains("SECRETKEY"), "{warning}");
        assert!(context.full_urls.is_empty());
        let (_, warning) = context_from_settings(dir.path());
        assert!(warning.expect("a directory").contains("not a regular file"));
    }
}
