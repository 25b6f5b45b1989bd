//! [`Secret`]: a string that cannot leak through formatting.
//!
//! `{}` and `{:?}` both print `***`, so a secret inside a struct that derives `Debug`, a log
//! line or an error message shows nothing. The value is reachable only through
//! [`Secret::expose`], which makes every place that sends it easy to find. There is no
//! `Serialize`: a secret never ends up in a case file by accident.

use std::fmt;

/// What `Display` and `Debug` print instead of the value.
const MASK: &str = "***";

/// An API key or token. Formatting prints `***`; [`Secret::expose`] gives the value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps `value`, trimming surrounding whitespace (a pasted key often brings a newline).
    pub fn new(value: impl Into<String>) -> Secret {
        let value = value.into();
        let trimmed = value.trim();
        if trimmed.len() == value.len() {
            Secret(value)
        } else {
            Secret(trimmed.to_owned())
        }
    }

    /// The secret from environment variable `name`, if it is set and not blank.
    pub fn from_env(name: &str) -> Option<Secret> {
        std::env::var(name)
            .ok()
            .map(Secret::new)
            .filter(|s| !s.is_empty())
    }

    /// The value itself, for the one place that sends it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True if there is no secret at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(MASK)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_formats_its_value() {
        let secret = Secret::new("  SECRET-KEY-123\n");
        assert_eq!(secret.expose(), "SECRET-KEY-123");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{secret:#?}"), "***");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Holder {
            key: Secret,
        }
        let shown = format!("{:?}", Holder { key: secret });
        assert!(!shown.contains("SECRET"), "{shown}");
        assert!(Secret::new(" \t").is_empty());
        assert_eq!(Secret::from("k"), Secret::new(String::from("k")));
    }
}
