//! An address's history, page by page, within the expansion's read caps.
//!
//! The mempool once (on the first part only), then the confirmed history newest first, 25 per
//! page, until a short page, `max_pages` pages, or a [`ReadCaps`] cap: transactions read (a
//! page is cut at the cap, so the cursor lands exactly there) or response bytes read (checked
//! before each request, so one expansion reads at most the cap plus one answer, itself bounded
//! by the client's `max_body_bytes`). A cap reached stops reading, keeps what was read, returns
//! the cursor of the last transaction kept and says so in a gap sentence. A page that cannot be
//! fetched or read after some were does the same (the cursor retries it); so does a
//! transaction that cannot be read (it is skipped and named). Only when nothing usable came
//! back is the expansion an error.

use super::api::Tx;
use super::facts::{Groups, tx_facts, tx_id};
use super::gaps::GapList;
use super::{CHAIN_PAGE_SIZE, EsploraSource, SHORT_MAX_AGE_SECS, settled};
use crate::model::{CounterpartyPage, NodeId};
use crate::sources::http::{CachePolicy, Fetched};
use crate::sources::limits::ReadCaps;
use crate::sources::{Counterparty, Direction, JobControl, SourceError};

/// What one expansion has read so far, against its caps.
#[derive(Debug, Clone, Copy)]
struct Reading {
    caps: ReadCaps,
    transactions: u64,
    bytes: u64,
}

impl Reading {
    fn full(&self) -> bool {
        self.transactions >= self.caps.max_transactions || self.bytes >= self.caps.max_bytes
    }

    /// Transactions still allowed.
    fn allowance(&self) -> usize {
        let left = self.caps.max_transactions.saturating_sub(self.transactions);
        usize::try_from(left).unwrap_or(usize::MAX)
    }

    fn add_bytes(&mut self, fetched: &Fetched) {
        let len = u64::try_from(fetched.body.len()).unwrap_or(u64::MAX);
        self.bytes = self.bytes.saturating_add(len);
    }
}

impl EsploraSource {
    /// The counterparties of a Bitcoin `address` from at most `max_pages` confirmed-history
    /// pages, starting after txid `after` (a cursor this method returned before) or at the
    /// newest transaction (then the mempool is included too). Returns the counterparties and
    /// the cursor to continue from, `None` when the history is complete. What was left unread
    /// is logged; [`crate::sources::DataSource::counterparties_page`] returns it.
    pub fn counterparties_paged(
        &self,
        address: &NodeId,
        direction: Direction,
        max_pages: u32,
        after: Option<&str>,
        control: &JobControl,
    ) -> Result<(Vec<Counterparty>, Option<String>), SourceError> {
        let page = self.history_page(address, direction, max_pages, after, control)?;
        for gap in &page.gaps {
            tracing::info!("{}: {address}: {gap}", self.name);
        }
        Ok((page.counterparties, page.resume))
    }

    /// One part of an address's history (see the module doc).
    pub(super) fn history_page(
        &self,
        address: &NodeId,
        direction: Direction,
        max_pages: u32,
        after: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.check_chain(address)?;
        if address.is_transaction() || address.is_script() {
            return Err(self.bad(format!(
                "{address} is a transaction or a script end; history paging is for addresses"
            )));
        }
        if let Some(after) = after {
            tx_id(after).map_err(|e| self.bad(format!("bad paging cursor: {e}")))?;
        }
        control.check()?;
        let tip = self.tip(control)?;
        let a = address.value();
        let mut groups = Groups::default();
        let mut gaps = GapList::default();
        let mut reading = Reading {
            caps: self.read_caps,
            transactions: 0,
            bytes: 0,
        };
        let mut usable = false;
        if after.is_none() {
            if self.client.is_offline() {
                tracing::info!("{}: offline, mempool of {a} not fetched", self.name);
            } else {
                control.check()?;
                let answer = self
                    .client
                    .get(
                        &format!("/address/{a}/txs/mempool"),
                        CachePolicy::NoStore,
                        control,
                    )
                    .and_then(|fetched| {
                        reading.add_bytes(&fetched);
                        let txs: Vec<Tx> = fetched.json()?;
                        Ok((fetched, txs))
                    });
                match answer {
                    Ok((fetched, mut txs)) => {
                        txs.truncate(reading.allowance());
                        reading.transactions += txs.len() as u64;
                        self.add_history(address, direction, &txs, &fetched, tip, &mut groups, &mut gaps);
                        control.add_transfers(txs.len());
                        control.step();
                        usable = true;
                    }
                    Err(SourceError::Cancelled) => return Err(SourceError::Cancelled),
                    Err(e) => gaps.push(format!(
                        "the mempool could not be read ({e}); unconfirmed transactions are not shown"
                    )),
                }
            }
        }
        let mut cursor = after.map(str::to_ascii_lowercase);
        let mut previous_first: Option<String> = None;
        for _ in 0..max_pages.max(1) {
            control.check()?;
            if reading.full() {
                gaps.push(self.cap_gap(
                    address,
                    &reading,
                    after.is_none(),
                    cursor.as_deref(),
                    control,
                ));
                return Ok(page(groups, cursor, gaps));
            }
            let path = match &cursor {
                None => format!("/address/{a}/txs/chain"),
                Some(last) => format!("/address/{a}/txs/chain/{last}"),
            };
            let answer = self
                .client
                .get(&path, CachePolicy::MaxAge(SHORT_MAX_AGE_SECS), control)
                .and_then(|fetched| {
                    reading.add_bytes(&fetched);
                    let txs: Vec<Tx> = fetched.json()?;
                    let first = txs.first().map(|tx| tx.txid.to_ascii_lowercase());
                    if first.is_some() && first == previous_first {
                        return Err(self.bad(format!(
                            "{}: the server sent the same page again (it ignores the last-seen txid)",
                            fetched.request()
                        )));
                    }
                    Ok((fetched, txs, first))
                });
            let (fetched, mut txs, first) = match answer {
                Ok(answer) => answer,
                Err(SourceError::Cancelled) => return Err(SourceError::Cancelled),
                Err(e) if !usable => return Err(e),
                Err(e) => {
                    gaps.push(match &cursor {
                        Some(last) => format!(
                            "the history page after tx {last} could not be read ({e}); \
                             older transactions are not shown — Load more retries"
                        ),
                        None => format!(
                            "the confirmed history could not be read ({e}); only unconfirmed \
                             transactions are shown — expand again to retry"
                        ),
                    });
                    return Ok(page(groups, cursor, gaps));
                }
            };
            usable = true;
            let full_page = txs.len() >= CHAIN_PAGE_SIZE;
            let cut = txs.len() > reading.allowance();
            txs.truncate(reading.allowance());
            reading.transactions += txs.len() as u64;
            self.add_history(
                address,
                direction,
                &txs,
                &fetched,
                tip,
                &mut groups,
                &mut gaps,
            );
            control.add_transfers(txs.len());
            let settled = cursor.is_some()
                && tip.is_some_and(|tip| txs.iter().all(|tx| settled(&tx.status, tip)));
            self.client.store(
                &fetched,
                if settled {
                    CachePolicy::Immutable
                } else {
                    CachePolicy::MaxAge(SHORT_MAX_AGE_SECS)
                },
            );
            control.step();
            let Some(last) = txs.last() else {
                return Ok(page(groups, None, gaps));
            };
            let last = last.txid.to_ascii_lowercase();
            if cut {
                cursor = Some(last);
                gaps.push(self.cap_gap(
                    address,
                    &reading,
                    after.is_none(),
                    cursor.as_deref(),
                    control,
                ));
                return Ok(page(groups, cursor, gaps));
            }
            if !full_page {
                return Ok(page(groups, None, gaps));
            }
            previous_first = first;
            cursor = Some(last);
        }
        Ok(page(groups, cursor, gaps))
    }

    /// The sentence for a reached cap: how much is left unread, from the address's own count
    /// when the server gives it.
    fn cap_gap(
        &self,
        address: &NodeId,
        reading: &Reading,
        from_newest: bool,
        cursor: Option<&str>,
        control: &JobControl,
    ) -> String {
        let caps = format!(
            "read cap reached: {} transactions / {}",
            thousands(reading.caps.max_transactions),
            mib(reading.caps.max_bytes)
        );
        let total = self
            .lookup_address(address, None, control)
            .ok()
            .flatten()
            .and_then(|node| node.tx_count);
        let left = match (total, from_newest, cursor) {
            (Some(total), true, _) => format!(
                "{} left unread",
                thousands(total.saturating_sub(reading.transactions))
            ),
            (Some(total), false, Some(last)) => format!(
                "transactions older than {last} left unread ({} in all)",
                thousands(total)
            ),
            (_, _, Some(last)) => format!("transactions older than {last} left unread"),
            (_, _, None) => "older transactions left unread".to_owned(),
        };
        format!("{caps}; {left} — Load more continues")
    }

    /// Adds the transactions of one history page in which `address` takes part in
    /// `direction`, skipping those already collected; one that cannot be read is named in a
    /// gap and skipped.
    #[allow(clippy::too_many_arguments)]
    fn add_history(
        &self,
        address: &NodeId,
        direction: Direction,
        txs: &[Tx],
        fetched: &Fetched,
        tip: Option<u64>,
        groups: &mut Groups,
        gaps: &mut GapList,
    ) {
        let stamp = self.stamp(fetched, tip);
        for tx in txs {
            let facts = match tx_facts(tx, &stamp) {
                Ok(facts) => facts,
                Err(message) => {
                    gaps.push(self.client.redacted(&format!(
                        "{}: a transaction could not be read and is not shown: {message}",
                        fetched.request()
                    )));
                    continue;
                }
            };
            if groups.contains(&facts.node.id) {
                continue;
            }
            let mut value: u128 = 0;
            let mut takes_part = false;
            let sides = [
                (direction.includes_out(), &facts.inputs),
                (direction.includes_in(), &facts.outputs),
            ];
            for (wanted, legs) in sides {
                if !wanted {
                    continue;
                }
                for leg in legs.iter().flatten().filter(|l| &l.address == address) {
                    takes_part = true;
                    value = value.saturating_add(leg.transfer.ranking_value());
                }
            }
            if !takes_part {
                continue;
            }
            let mut nodes = Vec::with_capacity(facts.addresses.len() + 1);
            nodes.push(facts.node.clone());
            nodes.extend(facts.addresses.iter().cloned());
            groups.add(facts.node.id.clone(), value, nodes, facts.transfers());
        }
    }
}

fn page(groups: Groups, resume: Option<String>, gaps: GapList) -> CounterpartyPage {
    CounterpartyPage {
        counterparties: groups.finish(),
        resume,
        gaps: gaps.finish(),
    }
}

/// `25000` → `25,000`.
pub(super) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes as MiB: `64 MiB`, `1.5 MiB`.
fn mib(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MIB) {
        format!("{} MiB", thousands(bytes / MIB))
    } else {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(25_000), "25,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(mib(64 * 1024 * 1024), "64 MiB");
        assert_eq!(mib(1024 * 1024 * 3 / 2), "1.5 MiB");
    }
}
