//! How one job collects raw legs from the node: ERC-20 logs chunk by chunk, native transfers
//! by `trace_filter` (with the check of failed parent frames) or by Otterscan's history and
//! call trees. Everything is gathered in a [`Collected`] before any fact is built, so a job
//! that fails leaves nothing half-done.

use super::budget::Budget;
use super::cursor::{Phase, Stop};
use super::facts::RawLeg;
use super::logs::{self, Side};
use super::native;
use super::ranges::{Flow, Span, WalkStats, walk};
use super::rpc::CallError;
use super::{EvmRpcSource, MAX_PAGES, OTS_INNER_NOTE};
use crate::sources::{Direction, JobControl, SourceError};
use crate::util::now_unix as unix_now;
use serde_json::json;
use std::collections::BTreeSet;

/// The legs and notes a job collects before they become facts.
#[derive(Debug, Default)]
pub(super) struct Collected {
    pub(super) legs: Vec<RawLeg>,
    pub(super) notes: Vec<String>,
    pub(super) methods: Vec<String>,
    /// Where the job stopped because a read cap was reached, if it did.
    pub(super) stopped: Option<Stop>,
}

/// True when `entries` more would pass the logs cap and something was kept already (the
/// first answer of a job is always kept, so every job makes progress).
fn too_many(budget: &Budget, entries: usize) -> bool {
    budget.logs_read() > 0 && u64::try_from(entries).unwrap_or(u64::MAX) > budget.logs_left()
}

impl EvmRpcSource {
    /// ERC-20 transfers of `address` on `side` in blocks `from..=tip`.
    #[allow(clippy::too_many_arguments)] // one walk's context; a struct would only rename it
    pub(super) fn token_legs(
        &self,
        address: &str,
        side: Side,
        from: u64,
        tip: u64,
        budget: &Budget,
        control: &JobControl,
        out: &mut Collected,
    ) -> Result<(), SourceError> {
        let mut nft_logs = 0u64;
        let stats = walk(
            &self.rpc,
            self.span("eth_getLogs", from, tip),
            budget,
            control,
            |a, b| logs::describe(address, side, a, b),
            |a, b| {
                let result = self.rpc.call(
                    "eth_getLogs",
                    logs::filter(address, side, a, b),
                    &logs::describe(address, side, a, b),
                    control,
                )?;
                budget.add_answer(&result);
                Ok(result)
            },
            |a, b, result| {
                let entries = result.as_array().map_or(0, Vec::len);
                if too_many(budget, entries) {
                    return Ok(Flow::TooMany);
                }
                let what = logs::describe(address, side, a, b);
                let chunk = logs::read(result, address, side, &what, unix_now())
                    .map_err(|m| self.bad(&what, &m))?;
                budget.add_logs(entries);
                control.add_transfers(chunk.legs.len());
                out.legs.extend(chunk.legs);
                out.notes.extend(chunk.notes);
                nft_logs += chunk.nft_logs;
                Ok(Flow::Kept)
            },
        )?;
        out.methods
            .push(format!("eth_getLogs(Transfer {})", side.word()));
        if let Some((block, reason)) = &stats.stopped {
            out.stopped = Some(Stop {
                phase: Phase::tokens(side),
                block: *block,
                reason: reason.clone(),
            });
        }
        tracing::debug!(
            "{}: eth_getLogs {} {address}: {} chunks, {} refused as too large, {nft_logs} ERC-721 logs left out",
            self.name,
            side.word(),
            stats.chunks,
            stats.refusals
        );
        Ok(())
    }

    /// The blocks `from..=tip` walked with `method`, in chunks no larger than the node said
    /// it takes.
    fn span(&self, method: &'static str, from: u64, tip: u64) -> Span {
        let limit = self.state().span_limits.get(method).copied();
        Span {
            from,
            to: tip,
            chunk: limit.map_or(self.chunk_blocks, |l| l.min(self.chunk_blocks)),
        }
    }

    /// Remembers a block-range limit the node stated for `method`.
    fn learn(&self, method: &'static str, stats: WalkStats) {
        if let Some(limit) = stats.stated_limit {
            self.state().span_limits.insert(method, limit);
        }
    }

    /// Native transfers of `address` on `side` by `trace_filter` in blocks `from..=tip`.
    #[allow(clippy::too_many_arguments)] // one walk's context; a struct would only rename it
    pub(super) fn trace_legs(
        &self,
        address: &str,
        side: Side,
        from: u64,
        tip: u64,
        budget: &Budget,
        control: &JobControl,
        out: &mut Collected,
    ) -> Result<(), SourceError> {
        let stats = walk(
            &self.rpc,
            self.span("trace_filter", from, tip),
            budget,
            control,
            |a, b| native::describe_traces(address, side, a, b),
            |a, b| self.trace_chunk(address, side, a, b, budget, control),
            |_, _, (legs, notes): (Vec<_>, _)| {
                if too_many(budget, legs.len()) {
                    return Ok(Flow::TooMany);
                }
                budget.add_logs(legs.len());
                control.add_transfers(legs.len());
                out.legs.extend(legs);
                out.notes.extend(notes);
                Ok(Flow::Kept)
            },
        )?;
        if let Some((block, reason)) = &stats.stopped {
            out.stopped = Some(Stop {
                phase: Phase::traces(side),
                block: *block,
                reason: reason.clone(),
            });
        }
        self.learn("trace_filter", stats);
        out.methods.push(format!(
            "trace_filter({})",
            match side {
                Side::Out => "fromAddress",
                Side::In => "toAddress",
            }
        ));
        Ok(())
    }

    /// All `trace_filter` pages of one chunk.
    fn trace_chunk(
        &self,
        address: &str,
        side: Side,
        from: u64,
        to: u64,
        budget: &Budget,
        control: &JobControl,
    ) -> Result<(Vec<RawLeg>, Vec<String>), CallError> {
        let what = native::describe_traces(address, side, from, to);
        let mut legs = Vec::new();
        let mut notes = Vec::new();
        let mut after = 0u64;
        let mut previous_first = None;
        for _ in 0..MAX_PAGES {
            let params = native::trace_params(address, side, from, to, after, self.trace_page_size);
            let result = self.rpc.call("trace_filter", params, &what, control)?;
            budget.add_answer(&result);
            let page = native::read_traces(result, Some((address, side)), &what, unix_now())
                .map_err(|m| CallError::Source(self.bad(&what, &m)))?;
            if page.count > 0 && page.first.is_some() && page.first == previous_first {
                return Err(CallError::Source(self.bad(
                    &what,
                    "the node sent the same page again (it ignores `after`)",
                )));
            }
            legs.extend(page.legs);
            notes.extend(page.notes);
            if too_many(budget, legs.len()) {
                // The sink refuses this chunk anyway: stop paging it, it is asked in halves.
                return Ok((legs, notes));
            }
            let count = u64::try_from(page.count).unwrap_or(u64::MAX);
            // A short page ends the chunk; so does a long one (the node ignored `count`).
            if count != self.trace_page_size {
                return Ok((legs, notes));
            }
            after = after.saturating_add(count);
            previous_first = page.first;
            control.check().map_err(CallError::Source)?;
        }
        Err(CallError::Source(self.bad(
            &what,
            &format!("more than {MAX_PAGES} pages of traces"),
        )))
    }

    /// Drops inner transfers that a failed parent frame undid (see [`native`]).
    pub(super) fn drop_undone(
        &self,
        out: &mut Collected,
        control: &JobControl,
    ) -> Result<(), SourceError> {
        let txs: BTreeSet<String> = out
            .legs
            .iter()
            .filter(|l| l.contract.is_none() && native::path_of(&l.leg).is_some())
            .map(|l| l.tx_hash.clone())
            .collect();
        for tx in txs {
            control.check()?;
            let what = format!("trace_transaction({tx})");
            match self
                .rpc
                .call("trace_transaction", json!([tx]), &what, control)
            {
                Ok(result) => {
                    let failed = native::reverted_paths(result).map_err(|m| self.bad(&what, &m))?;
                    out.legs.retain(|l| {
                        l.tx_hash != tx
                            || l.contract.is_some()
                            || native::path_of(&l.leg).is_none_or(|p| !native::undone(&p, &failed))
                    });
                }
                Err(CallError::Node(error)) => {
                    let note = format!(
                        "parent calls not checked for a revert: {what} answered {}",
                        error.describe()
                    );
                    for leg in out.legs.iter_mut().filter(|l| {
                        l.tx_hash == tx && l.contract.is_none() && native::path_of(&l.leg).is_some()
                    }) {
                        leg.note = Some(note.clone());
                    }
                }
                Err(CallError::Source(error)) => return Err(error),
            }
            control.step();
        }
        Ok(())
    }

    /// Native transfers of `address` in `direction` through Otterscan, in transactions
    /// before block `before` (newest first).
    #[allow(clippy::too_many_arguments)] // one walk's context; a struct would only rename it
    pub(super) fn ots_legs(
        &self,
        address: &str,
        direction: Direction,
        mut before: u64,
        tip: u64,
        budget: &Budget,
        control: &JobControl,
        out: &mut Collected,
    ) -> Result<(), SourceError> {
        for _ in 0..MAX_PAGES {
            control.check()?;
            if let Some(reason) = budget.exhausted() {
                out.methods
                    .push("ots_searchTransactionsBefore + ots_traceTransaction".to_owned());
                out.stopped = Some(Stop {
                    phase: Phase::Otterscan,
                    block: before,
                    reason,
                });
                return Ok(());
            }
            let what = native::describe_search(address, before);
            budget.add_window();
            let result = self.call(
                "ots_searchTransactionsBefore",
                json!([address, before, native::OTS_PAGE_SIZE]),
                &what,
                control,
            )?;
            budget.add_answer(&result);
            let fetched_at = unix_now();
            let page = native::read_search(result).map_err(|m| self.bad(&what, &m))?;
            control.step();
            let mut oldest = before;
            for tx in &page.txs {
                if tx.block >= before {
                    return Err(self.bad(
                        &what,
                        &format!(
                            "transaction {} is in block {}, not before {before}",
                            tx.hash, tx.block
                        ),
                    ));
                }
                oldest = oldest.min(tx.block);
                if tx.block < self.start_block || tx.block > tip || !tx.succeeded {
                    continue;
                }
                let before_tx = out.legs.len();
                self.ots_tx_legs(address, direction, tx, &what, fetched_at, control, out)?;
                let added = out.legs.len().saturating_sub(before_tx);
                budget.add_logs(added);
                control.add_transfers(added);
            }
            if page.last_page || page.txs.is_empty() || oldest <= self.start_block {
                out.methods
                    .push("ots_searchTransactionsBefore + ots_traceTransaction".to_owned());
                return Ok(());
            }
            before = oldest;
        }
        Err(self.bad(
            &native::describe_search(address, before),
            &format!("more than {MAX_PAGES} pages of history"),
        ))
    }

    /// The legs of one successful transaction of an Otterscan history page.
    #[allow(clippy::too_many_arguments)] // one transaction's context; a struct would only rename it
    fn ots_tx_legs(
        &self,
        address: &str,
        direction: Direction,
        tx: &native::HistoryTx,
        search: &str,
        fetched_at: i64,
        control: &JobControl,
        out: &mut Collected,
    ) -> Result<(), SourceError> {
        let wanted = |from: &str, to: &str| {
            (direction.includes_out() && from == address)
                || (direction.includes_in() && to == address)
        };
        if let Some(to) = &tx.to
            && tx.value > 0
            && wanted(&tx.from, to)
        {
            out.legs.push(RawLeg {
                contract: None,
                from: tx.from.clone(),
                to: to.clone(),
                amount: tx.value,
                tx_hash: tx.hash.clone(),
                leg: "native".to_owned(),
                block: tx.block,
                time: tx.time,
                request: search.to_owned(),
                fetched_at,
                note: None,
            });
        }
        control.check()?;
        let what = format!("ots_traceTransaction({})", tx.hash);
        let result = self.call("ots_traceTransaction", json!([tx.hash]), &what, control)?;
        let fetched_at = unix_now();
        let inner = native::read_ots_trace(result).map_err(|m| self.bad(&what, &m))?;
        for call in inner.into_iter().filter(|c| wanted(&c.from, &c.to)) {
            out.legs.push(RawLeg {
                contract: None,
                from: call.from,
                to: call.to,
                amount: call.value,
                tx_hash: tx.hash.clone(),
                leg: native::leg_name(&call.path),
                block: tx.block,
                time: tx.time,
                request: what.clone(),
                fetched_at,
                note: Some(OTS_INNER_NOTE.to_owned()),
            });
        }
        Ok(())
    }
}
