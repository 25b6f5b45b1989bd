//! A daily price table: `date,close_usd` rows (a UTC calendar day and that day's closing price
//! in USD, as a decimal), the format of the bundled tables and of the tables a user imports.
//! Parsing is bounded (size, rows) and strict: a bad row is refused with its line number, not
//! skipped, so a table never silently means something else.

use super::usd::Usd;
use std::collections::BTreeMap;

/// Most bytes a price table may have (a century of days is ~1 MB).
pub const MAX_TABLE_BYTES: usize = 8 * 1024 * 1024;
/// Most rows a price table may have.
pub const MAX_TABLE_ROWS: usize = 100_000;

/// Seconds in a UTC day.
const DAY_SECS: i64 = 86_400;

/// Closing prices by UTC day number (days since 1970-01-01).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DailyTable {
    closes: BTreeMap<i64, Usd>,
}

impl DailyTable {
    /// Parses `date,close_usd` CSV text (a header row is required).
    pub fn parse(text: &str) -> Result<DailyTable, String> {
        if text.len() > MAX_TABLE_BYTES {
            return Err(format!(
                "price table is {} bytes; at most {MAX_TABLE_BYTES} are read",
                text.len()
            ));
        }
        let mut lines = text.lines().enumerate();
        let header = lines
            .next()
            .map(|(_, l)| l.trim().trim_start_matches('\u{feff}'))
            .unwrap_or("");
        if header != "date,close_usd" {
            return Err(format!(
                "line 1: expected the header `date,close_usd`, found {}",
                crate::util::quote_short(header)
            ));
        }
        let mut closes = BTreeMap::new();
        for (index, line) in lines {
            let line_no = index + 1;
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if closes.len() >= MAX_TABLE_ROWS {
                return Err(format!("more than {MAX_TABLE_ROWS} rows"));
            }
            let (date, close) = line
                .split_once(',')
                .ok_or_else(|| format!("line {line_no}: expected `date,close_usd`"))?;
            let day = parse_day(date.trim()).map_err(|e| {
                format!(
                    "line {line_no}: date {}: {e}",
                    crate::util::quote_short(date)
                )
            })?;
            let close = Usd::parse(close).map_err(|e| {
                format!(
                    "line {line_no}: close {}: {e}",
                    crate::util::quote_short(close)
                )
            })?;
            if closes.insert(day, close).is_some() {
                return Err(format!("line {line_no}: date {date} appears twice"));
            }
        }
        if closes.is_empty() {
            return Err("the table has no rows".to_owned());
        }
        Ok(DailyTable { closes })
    }

    /// A table from closes by UTC day (days since 1970-01-01), at most the rows a file may
    /// hold; `None` when empty or too long.
    pub fn from_closes(closes: BTreeMap<i64, Usd>) -> Option<DailyTable> {
        (!closes.is_empty() && closes.len() <= MAX_TABLE_ROWS).then_some(DailyTable { closes })
    }

    /// The close of the UTC day that contains `unix_secs` (`None` outside the table or on a
    /// day it does not have: never a neighbouring day's price).
    pub fn close_at(&self, unix_secs: i64) -> Option<(i64, Usd)> {
        let day = unix_secs.div_euclid(DAY_SECS);
        self.closes.get(&day).map(|close| (day, *close))
    }

    /// First and last day covered, as `YYYY-MM-DD`.
    pub fn span(&self) -> Option<(String, String)> {
        let first = *self.closes.keys().next()?;
        let last = *self.closes.keys().next_back()?;
        Some((format_day(first), format_day(last)))
    }

    /// Rows in the table.
    pub fn len(&self) -> usize {
        self.closes.len()
    }

    /// True when the table has no rows (never for a parsed table).
    pub fn is_empty(&self) -> bool {
        self.closes.is_empty()
    }
}

/// `YYYY-MM-DD` → days since 1970-01-01 (UTC).
pub fn parse_day(text: &str) -> Result<i64, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text, &format).map_err(|e| e.to_string())?;
    let midnight = date.midnight().assume_utc().unix_timestamp();
    Ok(midnight.div_euclid(DAY_SECS))
}

/// Days since 1970-01-01 → `YYYY-MM-DD`.
pub fn format_day(day: i64) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    day.checked_mul(DAY_SECS)
        .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_else(|| format!("day {day}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_a_utc_day() {
        let table = DailyTable::parse("date,close_usd\n2025-02-20,2740.5\n2025-02-21,2659.66\n")
            .expect("parses");
        // 2025-02-21 00:00:00 UTC and 23:59:59 UTC are that day; 2025-02-22 00:00:00 is not.
        let midnight = 1_740_096_000;
        assert_eq!(
            table.close_at(midnight).map(|c| c.1),
            Usd::parse("2659.66").ok()
        );
        assert_eq!(
            table.close_at(midnight + 86_399).map(|c| c.1),
            Usd::parse("2659.66").ok()
        );
        assert_eq!(
            table.close_at(midnight - 1).map(|c| c.1),
            Usd::parse("2740.5").ok()
        );
        assert_eq!(
            table.close_at(midnight + 86_400),
            None,
            "no neighbour's price"
        );
        assert_eq!(
            format_day(table.close_at(midnight).expect("day").0),
            "2025-02-21"
        );
        assert_eq!(
            table.span(),
            Some(("2025-02-20".to_owned(), "2025-02-21".to_owned()))
        );
    }

    #[test]
    fn bad_tables_are_refused_with_the_line() {
        let err = |text: &str| DailyTable::parse(text).expect_err("refused");
        assert!(err("day,price\n2025-01-01,1\n").contains("header"));
        assert!(err("date,close_usd\n2025-13-01,1\n").contains("line 2"));
        assert!(err("date,close_usd\n2025-01-01,one\n").contains("line 2"));
        assert!(err("date,close_usd\n2025-01-01,1\n2025-01-01,2\n").contains("twice"));
        assert!(err("date,close_usd\n").contains("no rows"));
        assert!(err("date,close_usd\n2025-01-01;1\n").contains("line 2"));
        let huge = format!("date,close_usd\n{}", "x".repeat(MAX_TABLE_BYTES));
        assert!(err(&huge).contains("at most"));
    }
}
