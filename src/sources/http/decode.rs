//! JSON answers into typed values, with messages that say what was wrong and where:
//! `not JSON at byte 17: expected value; the answer starts with "<html>…"`,
//! `truncated JSON: the answer ends after 812 bytes`,
//! `unexpected JSON at vin[2].prevout: missing field `value` (byte 391)`.

use super::redact::scrub;
use serde::de::DeserializeOwned;

/// Longest piece of a body quoted in a message.
const SNIPPET_CHARS: usize = 80;

/// Parses `body` as JSON into `T`; the error is a message without the request prefix.
/// `secrets` are scrubbed from any quoted part of the body.
pub(crate) fn decode_json<T: DeserializeOwned>(
    body: &[u8],
    secrets: &[String],
) -> Result<T, String> {
    if body.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(format!(
            "empty answer ({} bytes), expected JSON",
            body.len()
        ));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize::<_, T>(&mut deserializer)
        .map_err(|e| describe(body, e.inner(), &e.path().to_string(), secrets))?;
    deserializer
        .end()
        .map_err(|e| describe(body, &e, ".", secrets))?;
    Ok(value)
}

fn describe(body: &[u8], error: &serde_json::Error, path: &str, secrets: &[String]) -> String {
    let text = error.to_string();
    let what = text
        .rfind(" at line ")
        .map_or(text.as_str(), |at| &text[..at]);
    let offset = byte_offset(body, error.line(), error.column());
    match error.classify() {
        serde_json::error::Category::Eof => format!(
            "truncated JSON: the answer ends after {} bytes ({what})",
            body.len()
        ),
        serde_json::error::Category::Syntax | serde_json::error::Category::Io => format!(
            "not JSON at byte {offset}: {what}; the answer starts with {}",
            snippet(body, secrets)
        ),
        serde_json::error::Category::Data => {
            let place = if path == "." || path.is_empty() {
                "the top level".to_owned()
            } else {
                path.to_owned()
            };
            format!("unexpected JSON at {place}: {what} (byte {offset})")
        }
    }
}

/// 0-based byte offset of serde_json's 1-based (line, column).
fn byte_offset(body: &[u8], line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, piece) in body.split(|&b| b == b'\n').enumerate() {
        if index + 1 == line {
            return (offset + column.saturating_sub(1)).min(body.len());
        }
        offset += piece.len() + 1;
    }
    body.len()
}

/// The start of a body as printable text in quotes, with secrets scrubbed before it is cut
/// (so a cut can never leave half a secret behind).
pub(crate) fn snippet(body: &[u8], secrets: &[String]) -> String {
    let window = &body[..body.len().min(SNIPPET_CHARS * 4)];
    let text = scrub(&String::from_utf8_lossy(window), secrets);
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cleaned = cleaned.trim();
    let mut out: String = cleaned.chars().take(SNIPPET_CHARS).collect();
    if cleaned.chars().count() > SNIPPET_CHARS || body.len() > window.len() {
        out.push('…');
    }
    format!("{out:?}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        value: u64,
    }

    #[test]
    fn names_what_and_where() {
        let err = decode_json::<Outer>(b"<html>429 Too Many Requests</html>", &[]).unwrap_err();
        assert!(
            err.starts_with("not JSON at byte 0: expected value"),
            "{err}"
        );
        assert!(err.contains("<html>429 Too Many"), "{err}");

        let err = decode_json::<Outer>(b"{\"items\": [{\"value\": 1}, {\"val", &[]).unwrap_err();
        assert!(
            err.starts_with("truncated JSON: the answer ends after 30 bytes"),
            "{err}"
        );

        let err = decode_json::<Outer>(b"{\"items\": [{\"value\": 1}, {\"other\": 2}]}", &[])
            .unwrap_err();
        assert!(
            err.starts_with("unexpected JSON at items[1]: missing field `value`"),
            "{err}"
        );

        let err = decode_json::<Outer>(b"{\"items\": []} trailing", &[]).unwrap_err();
        assert!(
            err.starts_with("not JSON at byte 14: trailing characters"),
            "{err}"
        );

        let err = decode_json::<Outer>(b"{\"items\": [{\"value\": -1}]}", &[]).unwrap_err();
        assert!(err.contains("items[0].value"), "{err}");

        assert_eq!(
            decode_json::<Outer>(b"  ", &[]).unwrap_err(),
            "empty answer (2 bytes), expected JSON"
        );
        assert_eq!(
            decode_json::<Outer>(b"{\"items\":[],\"x\":1}", &[]).map(|o| o.items.len()),
            Ok(0)
        );
    }

    #[test]
    fn snippets_scrub_before_cutting() {
        let secrets = vec!["S3CR3T-VALUE".to_owned()];
        let body = format!("{}invalid key S3CR3T-VALUE and more", "x".repeat(70));
        let quoted = snippet(body.as_bytes(), &secrets);
        assert!(!quoted.contains("S3CR3T"), "{quoted}");
        assert!(quoted.ends_with("…\""), "{quoted}");
        assert_eq!(snippet(b"short\n", &[]), "\"short\"");
    }

    #[test]
    fn offsets_count_lines() {
        assert_eq!(byte_offset(b"ab\ncd", 2, 2), 4);
        assert_eq!(byte_offset(b"ab", 1, 1), 0);
    }
}
