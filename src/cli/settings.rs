//! What the command line takes from the user's settings file: the source secrets and limits
//! (see `sources::settings_file`). The file is `$CASEBOARD_SETTINGS` when set, else the app's
//! own settings file, so the app and the command line reach the same sources.

use crate::sources::factory::SourceContext;
use crate::sources::settings_file::{context_from_settings, default_settings_path};

/// Names another settings file (for scripts and tests).
pub(crate) const SETTINGS_ENV: &str = "CASEBOARD_SETTINGS";

/// The source context from the settings file; a bad file is reported on stderr and the
/// defaults used.
pub(crate) fn source_context() -> SourceContext {
    let path = std::env::var_os(SETTINGS_ENV)
        .filter(|p| !p.is_empty())
        .map(std::path::PathBuf::from)
        .or_else(default_settings_path);
    let Some(path) = path else {
        return SourceContext::with_keys("", "");
    };
    let (context, warning) = context_from_settings(&path);
    if let Some(warning) = warning {
        eprintln!("caseboard: {warning}");
    }
    context
}
