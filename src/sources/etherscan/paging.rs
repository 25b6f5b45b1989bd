//! Paging through an address's history lists: page after page up to the server's result
//! window, then on from the last block seen (its rows read again), within the page and read
//! caps; each page checked for ascending blocks and for a server that ignores the page number.

use super::api::{Outcome, Row, describe_value, quote};
use super::facts::{Kind, Leg, read_row};
use super::page::Reading;
use super::{ApiRequest, Cursor, EtherscanSource, SETTLED_CONFIRMATIONS, SHORT_MAX_AGE_SECS};
use crate::model::NodeId;
use crate::sources::http::CachePolicy;
use crate::sources::{JobControl, SourceError};
use serde_json::Value;

impl EtherscanSource {
    /// Reads list `kind` of `address` into `reading` (see the module doc for the paging
    /// rules).
    pub(super) fn fetch_list(
        &self,
        address: &NodeId,
        kind: Kind,
        tip: Option<u64>,
        control: &JobControl,
        reading: &mut Reading,
    ) -> Result<(), SourceError> {
        let offset = u64::from(self.page_size);
        let mut cursor = Cursor {
            start_block: 0,
            page: 1,
            last_block: None,
            previous_first: None,
        };
        let mut pages_read = 0u32;
        loop {
            control.check()?;
            if cursor.page.saturating_mul(offset) > self.result_window {
                let request = self.history_request(kind, address, &cursor);
                self.next_segment(kind, &request, None, &mut cursor, &mut reading.legs)?;
                continue;
            }
            let last = cursor.last_block.or(cursor.start_block.checked_sub(1));
            if pages_read >= self.max_pages {
                let reason = format!("{} pages of {} were read", self.max_pages, kind.action());
                reading.stopped(kind, last, &reason);
                return Ok(());
            }
            if let Some(reason) = reading.cap_reached(kind, &self.read_caps) {
                reading.stopped(kind, last, &format!("read cap reached ({reason})"));
                return Ok(());
            }
            let request = self.history_request(kind, address, &cursor);
            let short = CachePolicy::MaxAge(SHORT_MAX_AGE_SECS);
            let (outcome, fetched) = self.ask(&request, short, control)?;
            pages_read += 1;
            let value = match outcome {
                Outcome::Ok(value) => value,
                Outcome::Empty => {
                    self.client.store(&fetched, short);
                    control.step();
                    return Ok(());
                }
                Outcome::WindowTooLarge(text) => {
                    self.next_segment(kind, &request, Some(&text), &mut cursor, &mut reading.legs)?;
                    continue;
                }
                other => return Err(self.refusal(&request, other)),
            };
            let rows = self.rows(&request, value)?;
            let provenance = self.provenance(&request, &fetched, tip);
            let mut first: Option<(u64, String)> = None;
            for (i, row) in rows.iter().enumerate() {
                let read = read_row(kind, row, self.chain, &provenance)
                    .map_err(|m| self.bad(format!("{}: result[{i}]: {m}", request.shown)))?;
                if let Some(previous) = cursor.last_block
                    && read.block < previous
                {
                    return Err(self.bad(format!(
                        "{}: result[{i}]: block {} comes after block {previous}; the rows are \
                         not in ascending block order, so the history cannot be paged",
                        request.shown, read.block
                    )));
                }
                cursor.last_block = Some(read.block);
                if first.is_none() {
                    first = Some((read.block, read.hash.clone()));
                }
                reading.legs.extend(read.leg);
                reading.genesis.extend(read.genesis);
            }
            reading.count(kind, rows.len(), fetched.body.len());
            control.add_transfers(rows.len());
            if first.is_some() && first == cursor.previous_first {
                return Err(self.bad(format!(
                    "{}: the server sent the same page again (it ignores the page number)",
                    request.shown
                )));
            }
            let full = rows.len() as u64 >= offset;
            let first_page = cursor.start_block == 0 && cursor.page == 1;
            let settled = tip.is_some_and(|tip| {
                cursor
                    .last_block
                    .is_some_and(|block| block <= tip && tip - block + 1 >= SETTLED_CONFIRMATIONS)
            });
            let policy = if full && !first_page && settled {
                CachePolicy::Immutable
            } else {
                short
            };
            self.client.store(&fetched, policy);
            control.step();
            if !full {
                return Ok(());
            }
            cursor.previous_first = first;
            cursor.page += 1;
        }
    }

    /// Goes on after the result window: `startblock` = the last block seen, `page=1`, the rows
    /// of that block read so far dropped (they come again).
    fn next_segment(
        &self,
        kind: Kind,
        request: &ApiRequest,
        refusal: Option<&str>,
        cursor: &mut Cursor,
        legs: &mut Vec<Leg>,
    ) -> Result<(), SourceError> {
        let Some(last) = cursor.last_block else {
            let said = refusal.map_or_else(String::new, |text| format!(" ({})", quote(text)));
            return Err(self.bad(format!(
                "{}: result window too large{said} already for page {} of {} rows; lower the \
                 page size",
                request.shown, cursor.page, self.page_size
            )));
        };
        if last == cursor.start_block {
            return Err(self.bad(format!(
                "{}: block {last} alone has more {} rows for this address than the server's \
                 result window; the rest of that block cannot be listed through this API",
                request.shown,
                kind.action()
            )));
        }
        tracing::debug!(
            "{}: {} window reached at block {last}; going on from there",
            self.name,
            kind.action()
        );
        legs.retain(|leg| leg.kind != kind || leg.block < last);
        cursor.start_block = last;
        cursor.page = 1;
        cursor.last_block = None;
        cursor.previous_first = None;
        Ok(())
    }

    /// The rows in `result`, which must be a list.
    pub(super) fn rows(&self, request: &ApiRequest, value: Value) -> Result<Vec<Row>, SourceError> {
        if !value.is_array() {
            return Err(self.bad(format!(
                "{}: expected a list in \"result\", got {}",
                request.shown,
                describe_value(&value)
            )));
        }
        serde_path_to_error::deserialize::<_, Vec<Row>>(value).map_err(|e| {
            self.bad(format!(
                "{}: unexpected JSON at result{}: {}",
                request.shown,
                e.path(),
                e.inner()
            ))
        })
    }
}
