//! Small shared helpers: the clock, time formatting, and quoting untrusted text in messages.

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

/// The UTC day of unix seconds as `2025-02-21`; out-of-range values are shown as numbers.
pub fn utc_date(unix_secs: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    OffsetDateTime::from_unix_timestamp(unix_secs)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| unix_secs.to_string())
}

/// Reads a small text file that came from outside: refuses anything that is not a regular file
/// (a FIFO, a device such as `/dev/zero`, a folder) and anything over `max_bytes`, before
/// reading; never reads more than `max_bytes + 1` bytes even if the file grows meanwhile.
pub fn read_small_text_file(path: &std::path::Path, max_bytes: usize) -> Result<String, String> {
    use std::io::Read as _;
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| format!("{shown}: {e}"))?;
    if !meta.is_file() {
        return Err(format!("{shown}: not a regular file"));
    }
    if meta.len() > max_bytes as u64 {
        return Err(format!(
            "{shown}: {} bytes; at most {max_bytes} are read",
            meta.len()
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut bytes = Vec::new();
    file.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{shown}: {e}"))?;
    if bytes.len() > max_bytes {
        return Err(format!("{shown}: grew past {max_bytes} bytes while read"));
    }
    String::from_utf8(bytes).map_err(|_| format!("{shown}: not UTF-8 text"))
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

/// Quotes untrusted text for a message: debug-escaped, cut at [`QUOTE_MAX_CHARS`] characters
/// (never inside a character) with an ellipsis, so a 4 MB input gives a short message.
pub fn quote_short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(QUOTE_MAX_CHARS).collect();
    if chars.next().is_some() {
        format!("{head:?}…")
    } else {
        format!("{head:?}")
    }
}

/// Shortens `text` to at most `max_chars` characters by cutting its middle ("0x5aae…beaed"),
/// so both ends stay readable; counts and cuts characters, never bytes.
pub fn ellipsize_middle(text: &str, max_chars: usize) -> String {
    let count = text.chars().count();
    if count <= max_chars || max_chars < 3 {
        return text.to_owned();
    }
    let keep = max_chars - 1;
    let tail = keep / 2;
    let head = keep - tail;
    let start: String = text.chars().take(head).collect();
    let end: String = text.chars().skip(count - tail).collect();
    format!("{start}…{end}")
}

/// A one-line label for menus: every word longer than `max_word` characters (ids, hashes) is
/// cut in its middle, then the whole to `max_chars` the same way.
pub fn readable_label(text: &str, max_word: usize, max_chars: usize) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| ellipsize_middle(w, max_word))
        .collect();
    ellipsize_middle(&words.join(" "), max_chars)
}

/// `1 transfer`, `3 transfers`: a count with the word that fits it.
pub fn plural<N>(count: N, one: &str, many: &str) -> String
where
    N: std::fmt::Display + TryInto<u64> + Copy,
{
    let one_of = count.try_into().is_ok_and(|n: u64| n == 1);
    format!("{count} {}", if one_of { one } else { many })
}

/// A hash map with a fast hasher (foldhash) for maps over a whole case that are rebuilt often.
/// Its seed is random per process, so a case file cannot be made to collide ahead of time.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

#[cfg(test)]
mod tests {
    #[test]
    fn labels_keep_both_ends_of_long_ids() {
        let label = super::readable_label(
            "expand eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",
            24,
            48,
        );
        assert_eq!(label, "expand eth:0x5aaeb6…5e7ef1beaed");
        assert_eq!(super::ellipsize_middle("short", 10), "short");
        // Characters, not bytes: no panic inside a multi-byte character.
        assert_eq!(super::ellipsize_middle("ééééééééé", 5), "éé…éé");
    }

    #[test]
    fn small_text_files_refuse_special_files_and_big_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("a.csv");
        std::fs::write(&path, "date,close_usd\n").expect("write");
        assert_eq!(
            super::read_small_text_file(&path, 100).as_deref(),
            Ok("date,close_usd\n")
        );
        assert!(super::read_small_text_file(&path, 4).is_err());
        assert!(super::read_small_text_file(dir.path(), 100).is_err());
        #[cfg(unix)]
        assert!(
            super::read_small_text_file(std::path::Path::new("/dev/zero"), 100)
                .expect_err("refused")
                .contains("not a regular file")
        );
    }

    #[test]
    fn quotes_are_short_and_cut_between_characters() {
        assert_eq!(super::quote_short("abc"), "\"abc\"");
        let long = "é".repeat(10_000);
        let quoted = super::quote_short(&long);
        assert!(quoted.ends_with('…'));
        assert_eq!(
            quoted.chars().filter(|c| *c == 'é').count(),
            super::QUOTE_MAX_CHARS
        );
    }

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
