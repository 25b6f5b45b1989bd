//! Small shared helpers: the clock, time formatting, and untrusted text cut short for messages.

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

/// Most characters of untrusted input quoted in an error message.
pub const QUOTE_MAX_CHARS: usize = 200;

/// `text` cut after `max_chars` characters (never inside one) with `…` appended when cut.
pub fn clip(text: &str, max_chars: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        None => std::borrow::Cow::Borrowed(text),
        Some((end, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..end])),
    }
}

/// A message with every run of text between quotes (`"…"`, `` `…` ``, `'…'`) and every long
/// unbroken word cut to [`QUOTE_MAX_CHARS`] characters, and the whole message to eight times
/// that: for messages built by libraries that quote their input whole (parsers, YAML, RON).
pub fn clip_quoted(message: &str) -> std::borrow::Cow<'_, str> {
    let mut out = String::new();
    let mut run_start = 0;
    let mut changed = false;
    let mut run_chars = 0usize;
    for (at, ch) in message.char_indices() {
        if matches!(ch, '"' | '`' | '\'' | ' ' | '\n') {
            run_chars = 0;
            continue;
        }
        run_chars += 1;
        if run_chars == QUOTE_MAX_CHARS + 1 {
            out.push_str(&message[run_start..at]);
            out.push('…');
            changed = true;
        }
        if run_chars > QUOTE_MAX_CHARS {
            run_start = at + ch.len_utf8();
        }
    }
    if !changed {
        return clip(message, QUOTE_MAX_CHARS * 8);
    }
    out.push_str(&message[run_start..]);
    std::borrow::Cow::Owned(clip(&out, QUOTE_MAX_CHARS * 8).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn clips_on_character_boundaries() {
        use super::{QUOTE_MAX_CHARS, clip, clip_quoted};
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "abc…");
        assert_eq!(clip("ééé", 2), "éé…");
        let long = "é".repeat(4_000_000);
        let message = format!("unknown field `{long}`, expected `title`");
        let clipped = clip_quoted(&message);
        assert!(clipped.chars().count() < 300, "{}", clipped.len());
        assert!(clipped.starts_with("unknown field `éé"));
        assert!(clipped.ends_with("…`, expected `title`"), "{clipped}");
        assert_eq!(clip_quoted("short `x` message"), "short `x` message");
        let words = format!("a {} b", "x".repeat(QUOTE_MAX_CHARS));
        assert_eq!(clip_quoted(&words), words);
    }

    #[test]
    fn formats_time() {
        assert_eq!(super::format_time(1_740_147_180), "2025-02-21 14:13 UTC");
        assert_eq!(super::format_time(i64::MAX), i64::MAX.to_string());
    }
}
