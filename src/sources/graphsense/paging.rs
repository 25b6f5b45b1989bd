//! Paging state of the GraphSense source: where each direction's neighbour list stands, the
//! resume cursor that carries both (`graphsense1|<in>|<out>`, each `start`, `end` or
//! `p:<percent-encoded next_page>`), the `next_page` tokens accepted from a server (printable,
//! bounded) and how a request with one is shown in provenance and messages.

/// Longest `next_page` token accepted.
const MAX_PAGE_TOKEN_CHARS: usize = 2_048;

/// The version tag every resume cursor starts with.
const CURSOR_TAG: &str = "graphsense1";

/// Where one direction's list stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Position {
    Start,
    Page(String),
    End,
}

/// A `next_page` token fit to send back: printable ASCII, bounded.
pub(super) fn is_page_token(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_PAGE_TOKEN_CHARS
        && text.bytes().all(|b| b.is_ascii_graphic())
}

/// `text` as a query value: everything but unreserved characters percent-encoded.
pub(super) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The text [`percent_encode`] made, or `None` for anything else.
pub(super) fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let pair = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(pair, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

pub(super) fn show_position(position: &Position) -> String {
    match position {
        Position::Start => "start".to_owned(),
        // Percent-encoded, so any token survives the `|` of the cursor.
        Position::Page(token) => format!("p:{}", percent_encode(token)),
        Position::End => "end".to_owned(),
    }
}

pub(super) fn parse_position(text: &str) -> Option<Position> {
    match text {
        "start" => Some(Position::Start),
        "end" => Some(Position::End),
        _ => {
            let token = percent_decode(text.strip_prefix("p:")?)?;
            is_page_token(&token).then_some(Position::Page(token))
        }
    }
}

pub(super) fn parse_cursor(cursor: &str) -> Option<(Position, Position)> {
    let mut parts = cursor.split('|');
    let (tag, incoming, outgoing) = (parts.next()?, parts.next()?, parts.next()?);
    if tag != CURSOR_TAG || parts.next().is_some() {
        return None;
    }
    let positions = (parse_position(incoming)?, parse_position(outgoing)?);
    (positions != (Position::End, Position::End)).then_some(positions)
}

/// A request as provenance and messages show it: the page token shortened.
pub(super) fn shown_request(path: &str) -> String {
    match path.split_once("&page=") {
        Some((head, token)) if token.chars().count() > 12 => {
            let short: String = token.chars().take(12).collect();
            format!("{head}&page={short}…")
        }
        _ => path.to_owned(),
    }
}

/// The resume cursor for the two directions' positions.
pub(super) fn cursor(incoming: &Position, outgoing: &Position) -> String {
    format!(
        "{CURSOR_TAG}|{}|{}",
        show_position(incoming),
        show_position(outgoing)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_any_token_and_foreign_ones_are_refused() {
        let positions = (Position::Page("a|b+c/=%".into()), Position::End);
        let text = cursor(&positions.0, &positions.1);
        assert_eq!(parse_cursor(&text), Some(positions));
        for foreign in [
            "",
            "graphsense1|end|end",
            "graphsense1|p:%zz|end",
            "graphsense1|p:%0A|end",
            "graphsense2|start|end",
            "trongrid1|start|end",
            "graphsense1|start|end|x",
        ] {
            assert_eq!(parse_cursor(foreign), None, "{foreign}");
        }
        assert_eq!(percent_encode("a b/+="), "a%20b%2F%2B%3D");
    }
}
