//! Walking a block range in chunks, shrinking a chunk the node refuses as too large.
//!
//! Hosted nodes cap `eth_getLogs` and `trace_filter` by block range or result count (Infura
//! -32005 "query returned more than 10000 results", Alchemy "block range"/"response size",
//! QuickNode "is limited to a 10,000 range", MetaMask 100-block traces). [`walk`] asks for
//! `[from, to]` in chunks of at most `chunk` blocks; on such a refusal it retries the same
//! start with the range the node suggests, or half the chunk (bisection), and keeps the
//! smaller size for the following chunks, doubling it again after a run of successes. The
//! shrinking is bounded: a single block refused, or more refusals in a row than halvings can
//! need, ends the walk with an error naming the range. Cancellation is checked before every
//! request and one job step is recorded per chunk answered.
//!
//! The walk is also bounded by the job's [`Budget`]: every request counts as a window, and
//! before each one the walk stops (without an error) once a cap is reached, saying where
//! it stopped. A chunk whose answer holds more than the logs left under the cap is asked
//! again in halves; a single such block ends the walk there.

use super::budget::Budget;
use super::rpc::{CallError, Rpc};
use crate::sources::{JobControl, SourceError};

/// Refusals in a row (without an answered chunk between) after which the walk gives up.
const MAX_REFUSALS_IN_ROW: u32 = 64;

/// Answered chunks after which a shrunk chunk size doubles again.
const GROW_AFTER: u32 = 8;

/// What a walk did, for provenance notes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct WalkStats {
    /// Chunks answered.
    pub(super) chunks: u64,
    /// Chunks the node refused as too large (each retried smaller).
    pub(super) refusals: u64,
    /// The most blocks per request the node said it takes, if it said so.
    pub(super) stated_limit: Option<u64>,
    /// Where the walk stopped short of its end because the budget ran out: the first block
    /// not read and why.
    pub(super) stopped: Option<(u64, String)>,
}

/// What the sink did with a chunk's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    /// Kept: go on after the chunk.
    Kept,
    /// Not kept: it holds more than the budget allows; ask the chunk in smaller parts.
    TooMany,
}

/// The blocks to walk and the largest chunk to ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Span {
    /// First block.
    pub(super) from: u64,
    /// Last block (inclusive).
    pub(super) to: u64,
    /// Most blocks per request (at least 1).
    pub(super) chunk: u64,
}

/// Walks `span.from..=span.to` in chunks of at most `span.chunk` blocks. `fetch(a, b)` asks
/// the node for blocks `a..=b`; `sink(a, b, answer)` takes each answered chunk in order.
/// `what(a, b)` describes a chunk's request for messages.
pub(super) fn walk<T>(
    rpc: &Rpc,
    span: Span,
    budget: &Budget,
    control: &JobControl,
    what: impl Fn(u64, u64) -> String,
    mut fetch: impl FnMut(u64, u64) -> Result<T, CallError>,
    mut sink: impl FnMut(u64, u64, T) -> Result<Flow, SourceError>,
) -> Result<WalkStats, SourceError> {
    let mut stats = WalkStats::default();
    let Span { from, to, chunk } = span;
    if from > to {
        return Ok(stats);
    }
    let chunk = chunk.max(1);
    let mut size = chunk;
    let mut next = from;
    let mut answered_since_shrink = 0u32;
    let mut refusals_in_row = 0u32;
    // False while the size is a limit the node stated: growing would only be refused again.
    let mut may_grow = true;
    loop {
        control.check()?;
        if let Some(reason) = budget.exhausted() {
            stats.stopped = Some((next, reason));
            return Ok(stats);
        }
        let end = next.saturating_add(size - 1).min(to);
        budget.add_window();
        match fetch(next, end) {
            Ok(answer) => {
                if sink(next, end, answer)? == Flow::TooMany {
                    if next == end {
                        stats.stopped = Some((
                            next,
                            format!(
                                "block {next} alone holds more than the {} logs left under the cap (max_logs)",
                                budget.logs_left()
                            ),
                        ));
                        return Ok(stats);
                    }
                    let span = end - next + 1;
                    size = span / 2;
                    may_grow = true;
                    answered_since_shrink = 0;
                    continue;
                }
                control.step();
                stats.chunks += 1;
                refusals_in_row = 0;
                if end >= to {
                    return Ok(stats);
                }
                next = end + 1;
                answered_since_shrink += 1;
                if may_grow && size < chunk && answered_since_shrink >= GROW_AFTER {
                    size = size.saturating_mul(2).min(chunk);
                    answered_since_shrink = 0;
                }
            }
            Err(CallError::Node(error)) if error.is_too_large() => {
                stats.refusals += 1;
                refusals_in_row += 1;
                if next == end {
                    return Err(rpc.bad(
                        &what(next, end),
                        &format!(
                            "the node refuses even a single block as too large: {}",
                            error.describe()
                        ),
                    ));
                }
                if refusals_in_row > MAX_REFUSALS_IN_ROW {
                    return Err(rpc.bad(
                        &what(next, end),
                        &format!(
                            "gave up after {refusals_in_row} refusals in a row: {}",
                            error.describe()
                        ),
                    ));
                }
                let span = end - next + 1;
                may_grow = true;
                size = match (error.suggested_range(), error.stated_span_limit()) {
                    (Some((a, b)), _) if a == next && b >= a && b < end => b - a + 1,
                    (_, Some(limit)) if limit < span => {
                        may_grow = false;
                        stats.stated_limit = Some(limit);
                        limit
                    }
                    _ => span / 2,
                };
                answered_since_shrink = 0;
                tracing::debug!(
                    "{}: refused as too large, retrying {} blocks",
                    what(next, end),
                    size
                );
            }
            Err(error) => return Err(rpc.fail(&what(next, end), error)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::evm_rpc::rpc::{NodeError, split_url};
    use crate::sources::http::HttpConfig;

    fn rpc() -> Rpc {
        let endpoint = split_url("http://127.0.0.1:9").expect("url");
        Rpc::new("evm-rpc:test", &endpoint, HttpConfig::for_own_node(), None).expect("rpc")
    }

    fn big_budget() -> Budget {
        Budget::new(crate::sources::limits::ReadCaps::default(), 1_000_000)
    }

    fn too_large() -> CallError {
        CallError::Node(NodeError {
            code: -32005,
            message: "query returned more than 10000 results".to_owned(),
            data: None,
        })
    }

    /// Runs a walk against a fake node that refuses ranges wider than `max_span`.
    fn run(from: u64, to: u64, chunk: u64, max_span: u64) -> (Vec<(u64, u64)>, WalkStats, usize) {
        let mut asked = 0usize;
        let mut answered = Vec::new();
        let stats = walk(
            &rpc(),
            Span { from, to, chunk },
            &big_budget(),
            &JobControl::default(),
            |a, b| format!("blocks {a}..={b}"),
            |a, b| {
                asked += 1;
                if b - a + 1 > max_span {
                    Err(too_large())
                } else {
                    Ok((a, b))
                }
            },
            |_, _, range| {
                answered.push(range);
                Ok(Flow::Kept)
            },
        )
        .expect("walk");
        (answered, stats, asked)
    }

    #[test]
    fn covers_the_range_exactly_once() {
        let (answered, stats, asked) = run(0, 99, 10, 1000);
        assert_eq!(answered.len(), 10);
        assert_eq!(answered.first(), Some(&(0, 9)));
        assert_eq!(answered.last(), Some(&(90, 99)));
        assert_eq!((stats.chunks, stats.refusals, asked), (10, 0, 10));
        let (answered, _, _) = run(5, 5, 10_000, 1000);
        assert_eq!(answered, [(5, 5)]);
        let (answered, _, _) = run(6, 5, 10, 1000);
        assert!(answered.is_empty());
    }

    #[test]
    fn bisects_refused_chunks_and_grows_back() {
        let (answered, stats, asked) = run(0, 999, 1000, 100);
        // Contiguous and complete.
        let mut next = 0;
        for (a, b) in &answered {
            assert_eq!(*a, next);
            assert!(b - a < 100);
            next = b + 1;
        }
        assert_eq!(next, 1000);
        assert!(stats.refusals >= 4, "{stats:?}");
        assert_eq!(asked as u64, stats.chunks + stats.refusals);
    }

    #[test]
    fn a_stated_limit_is_used_at_once() {
        let mut asked = Vec::new();
        let stats = walk(
            &rpc(),
            Span {
                from: 0,
                to: 999,
                chunk: 10_000,
            },
            &big_budget(),
            &JobControl::default(),
            |a, b| format!("{a}..={b}"),
            |a, b| {
                asked.push((a, b));
                if b - a + 1 > 300 {
                    Err(CallError::Node(NodeError {
                        code: -32602,
                        message: "block range too large, currently limited to 300".to_owned(),
                        data: None,
                    }))
                } else {
                    Ok(())
                }
            },
            |_, _, ()| Ok(Flow::Kept),
        )
        .expect("walk");
        assert_eq!(
            asked,
            [(0, 999), (0, 299), (300, 599), (600, 899), (900, 999)]
        );
        assert_eq!(stats.stated_limit, Some(300));
    }

    #[test]
    fn a_refused_single_block_is_an_error() {
        let err = walk(
            &rpc(),
            Span {
                from: 0,
                to: 10,
                chunk: 4,
            },
            &big_budget(),
            &JobControl::default(),
            |a, b| format!("eth_getLogs(blocks {a}..={b})"),
            |_, _| Err::<(), _>(too_large()),
            |_, _, ()| Ok(Flow::Kept),
        )
        .expect_err("refused");
        let text = err.to_string();
        assert!(text.contains("refuses even a single block"), "{text}");
        assert!(text.contains("eth_getLogs(blocks 0..=0)"), "{text}");
    }

    #[test]
    fn cancellation_stops_between_chunks() {
        let control = JobControl::default();
        let mut asked = 0;
        let err = walk(
            &rpc(),
            Span {
                from: 0,
                to: 100,
                chunk: 10,
            },
            &big_budget(),
            &control,
            |a, b| format!("{a}..={b}"),
            |_, _| {
                asked += 1;
                if asked == 2 {
                    control.cancel();
                }
                Ok(())
            },
            |_, _, ()| Ok(Flow::Kept),
        )
        .expect_err("cancelled");
        assert_eq!(err, SourceError::Cancelled);
        assert_eq!(asked, 2);
    }
}
