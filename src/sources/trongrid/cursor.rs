//! TronGrid resume cursors: `trongrid1|<trx>|<trc20>[|<min_ms>-<max_ms>]`, each position
//! `start`, `end` or `fp:<fingerprint>`, and the time range the cursor was made for (TronGrid
//! pages within the same filters, so a cursor goes on only under its own range).

use super::Position;
use crate::sources::TimeRange;

/// Longest fingerprint accepted from a server or a cursor (TronGrid's are ~300 characters).
const MAX_FINGERPRINT_CHARS: usize = 2_048;

/// The version tag every resume cursor starts with.
pub(super) const CURSOR_TAG: &str = "trongrid1";

/// A paging token as TronGrid makes them: base58-style letters and digits, bounded.
pub(super) fn is_fingerprint(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_FINGERPRINT_CHARS
        && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

pub(super) fn show_position(position: &Position) -> String {
    match position {
        Position::Start => "start".to_owned(),
        Position::After(fp) => format!("fp:{fp}"),
        Position::End => "end".to_owned(),
    }
}

fn parse_position(text: &str) -> Option<Position> {
    match text {
        "start" => Some(Position::Start),
        "end" => Some(Position::End),
        _ => text
            .strip_prefix("fp:")
            .filter(|fp| is_fingerprint(fp))
            .map(|fp| Position::After(fp.to_owned())),
    }
}

/// A cursor's two positions and the time range it was made for (open without a fourth part).
pub(super) fn parse_cursor(cursor: &str) -> Option<(Position, Position, MsRange)> {
    let mut parts = cursor.split('|');
    let (tag, trx, trc20) = (parts.next()?, parts.next()?, parts.next()?);
    let range = match parts.next() {
        None => MsRange::default(),
        Some(text) => MsRange::parse(text)?,
    };
    if tag != CURSOR_TAG || parts.next().is_some() {
        return None;
    }
    let positions = (parse_position(trx)?, parse_position(trc20)?);
    (positions != (Position::End, Position::End)).then_some((positions.0, positions.1, range))
}

/// A time range as TronGrid takes it: milliseconds, both ends inclusive.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct MsRange {
    pub(super) min_ms: Option<i64>,
    pub(super) max_ms: Option<i64>,
}

impl MsRange {
    /// Unix seconds into ms; the last second is taken whole (`until` … `.999`).
    pub(super) fn of(range: TimeRange) -> MsRange {
        MsRange {
            min_ms: range.since_unix.map(|s| s.saturating_mul(1000).max(0)),
            max_ms: range
                .until_unix
                .map(|s| s.saturating_mul(1000).saturating_add(999).max(0)),
        }
    }

    pub(super) fn is_open(&self) -> bool {
        self.min_ms.is_none() && self.max_ms.is_none()
    }

    /// `<min>-<max>` for a cursor, an open end empty.
    pub(super) fn show(&self) -> String {
        let side = |ms: Option<i64>| ms.map_or_else(String::new, |ms| ms.to_string());
        format!("{}-{}", side(self.min_ms), side(self.max_ms))
    }

    fn parse(text: &str) -> Option<MsRange> {
        let (min, max) = text.split_once('-')?;
        let side = |part: &str| -> Option<Option<i64>> {
            if part.is_empty() {
                Some(None)
            } else if part.len() <= 19 && part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse::<i64>().ok().map(Some)
            } else {
                None
            }
        };
        let range = MsRange {
            min_ms: side(min)?,
            max_ms: side(max)?,
        };
        (!range.is_open()).then_some(range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let positions = (Position::After("428Xjpfu".into()), Position::End);
        let text = format!(
            "{CURSOR_TAG}|{}|{}",
            show_position(&positions.0),
            show_position(&positions.1)
        );
        assert_eq!(
            parse_cursor(&text),
            Some((positions.0.clone(), positions.1.clone(), MsRange::default()))
        );
        let ranged = format!("{text}|1700000000000-");
        assert_eq!(
            parse_cursor(&ranged).map(|c| c.2),
            Some(MsRange {
                min_ms: Some(1_700_000_000_000),
                max_ms: None
            })
        );
        for foreign in [
            "",
            "trongrid1|end|end",
            "trongrid1|fp:a b|end",
            "trongrid2|start|end",
            "trongrid1|start|end|x",
            "trongrid1|start|end|-",
            "trongrid1|start|end|1-2|3",
            "42",
        ] {
            assert_eq!(parse_cursor(foreign), None, "{foreign}");
        }
    }
}
