//! Small shared helpers: the clock and time formatting.

use time::OffsetDateTime;
use time::macros::format_description;

/// Current time in unix seconds.
pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// Formats unix seconds as `2025-02-21 14:13 UTC`; out-of-range values are shown as numbers.
pub fn format_time(unix_secs: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| unix_secs.to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_time() {
        assert_eq!(super::format_time(1_740_147_180), "2025-02-21 14:13 UTC");
        assert_eq!(super::format_time(i64::MAX), i64::MAX.to_string());
    }
}
