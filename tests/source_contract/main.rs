//! The data-source contract: one set of questions, one set of expectations, asked of every
//! backend (the embedded demo world, Esplora, Etherscan V2, Blockscout, TronGrid, GraphSense, and EVM
//! JSON-RPC against a real anvil node), the way ripgrep runs one tester over every searcher.
//!
//! Each backend (see [`backend::Backend`]) builds its source against its own local server or
//! node seeded with a known scenario and states what that scenario implies. The questions:
//! address lookup (known, foreign chain), counterparties in / out / both, paging with resume
//! cursors (and a cursor the source never gave), the expansion limit, cancellation through
//! `JobControl` (before and during a request), and bad answers (malformed JSON, 500s, truncated
//! and cut-off bodies) that must end in a clean `SourceError` naming the source, never a panic,
//! a hang or a leaked key — after which the same source answers correctly again.
//!
//! A question collects every backend's failures and reports them together, so one broken
//! backend does not hide another.

#[path = "../support/mod.rs"]
mod support;

mod backend;
mod demo;
mod esplora;
mod etherscan;
mod evm_rpc;
mod graphsense;
mod tron;

use backend::{Backend, Seeded};
use caseboard::analysis::expansion::{ExpandOptions, plan_expansion};
use caseboard::analysis::ranking::rank_counterparties;
use caseboard::model::{Case, Counterparty, Node, NodeId, Transfer};
use caseboard::prices::{AssetKey, PriceBook};
use caseboard::sources::{Direction, JobControl, SourceError};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};
use support::mock_http::Fault;

/// Every backend, each against its own freshly seeded server or node.
fn backends() -> Vec<Seeded> {
    vec![
        demo::Demo::start(),
        esplora::Esplora::start(),
        etherscan::Etherscan::start(),
        etherscan::Blockscout::start(),
        evm_rpc::EvmRpc::start(),
        tron::Tron::start(),
        graphsense::GraphSense::start(),
    ]
}

/// Runs `question` on every backend and fails with all the backends' complaints at once.
fn ask_all(question: &str, check: impl Fn(&Seeded) -> Result<(), String>) {
    let mut failures = Vec::new();
    for backend in backends() {
        if let Err(why) = check(&backend) {
            failures.push(format!("{}: {why}", backend.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{question}:\n  {}",
        failures.join("\n  ")
    );
}

fn ensure(ok: bool, why: impl FnOnce() -> String) -> Result<(), String> {
    if ok { Ok(()) } else { Err(why()) }
}

fn keys_of(counterparties: &[Counterparty]) -> BTreeSet<NodeId> {
    counterparties.iter().map(|c| c.key.clone()).collect()
}

/// The shape every answer must have: each counterparty's key is among its nodes, keys are
/// unique, and every transfer runs between the asked node and the counterparty's nodes.
fn well_formed(node: &NodeId, counterparties: &[Counterparty]) -> Result<(), String> {
    let mut keys = BTreeSet::new();
    for cp in counterparties {
        ensure(keys.insert(cp.key.clone()), || {
            format!("key {} given twice", cp.key)
        })?;
        ensure(cp.nodes.iter().any(|n| n.id == cp.key), || {
            format!("counterparty {} does not bring its own node", cp.key)
        })?;
        ensure(!cp.transfers.is_empty(), || {
            format!("counterparty {} has no transfer", cp.key)
        })?;
        let ends: BTreeSet<&NodeId> = cp
            .nodes
            .iter()
            .map(|n| &n.id)
            .chain(std::iter::once(node))
            .collect();
        for t in &cp.transfers {
            ensure(ends.contains(&t.from) && ends.contains(&t.to), || {
                format!(
                    "transfer {} ({} → {}) of counterparty {} leaves it",
                    t.id, t.from, t.to, cp.key
                )
            })?;
        }
    }
    Ok(())
}

#[test]
fn lookup_knows_the_seeded_address_and_refuses_other_chains() {
    ask_all("lookup", |b| {
        let expect = &b.expect;
        let control = JobControl::default();
        let node: Node = b
            .source
            .lookup(&expect.known, &control)
            .map_err(|e| format!("lookup failed: {e}"))?
            .ok_or("the seeded address is unknown")?;
        ensure(node.id == expect.known, || {
            format!("answered for {}", node.id)
        })?;
        if let Some(balance) = expect.balance {
            ensure(node.balance == Some(balance), || {
                format!("balance {:?}, want {balance}", node.balance)
            })?;
        }
        match b.source.as_ref().lookup(&expect.foreign, &control) {
            Err(SourceError::UnsupportedChain { source_name, node })
                if source_name == b.source.as_ref().name() && node == expect.foreign =>
            {
                Ok(())
            }
            other => Err(format!("{} gave {other:?}", expect.foreign)),
        }?;
        match b
            .source
            .counterparties(&expect.foreign, Direction::Both, &control)
        {
            Err(SourceError::UnsupportedChain { .. }) => Ok(()),
            other => Err(format!(
                "counterparties of {} gave {other:?}",
                expect.foreign
            )),
        }
    });
}

#[test]
fn counterparties_in_out_and_both_are_the_seeded_ones() {
    ask_all("counterparties", |b| {
        let expect = &b.expect;
        let mut seen = Vec::new();
        for direction in [Direction::In, Direction::Out, Direction::Both] {
            let control = JobControl::default();
            let cps = b
                .source
                .counterparties(&expect.known, direction, &control)
                .map_err(|e| format!("{direction:?} failed: {e}"))?;
            well_formed(&expect.known, &cps).map_err(|e| format!("{direction:?}: {e}"))?;
            let got = keys_of(&cps);
            let want = expect.keys(direction);
            ensure(got == want, || {
                format!(
                    "{direction:?}: keys differ; missing {:?}, unexpected {:?}",
                    want.difference(&got).collect::<Vec<_>>(),
                    got.difference(&want).collect::<Vec<_>>()
                )
            })?;
            ensure(control.steps_done() > 0, || {
                format!("{direction:?}: no progress reported")
            })?;
            seen.push(cps);
        }
        // The same transfer reads the same from one side as from both (provenance names the
        // request, so it may differ).
        let bare = |t: &Transfer| Transfer {
            provenance: None,
            ..t.clone()
        };
        let both: std::collections::BTreeMap<_, _> = seen[2]
            .iter()
            .flat_map(|c| &c.transfers)
            .map(|t| (t.id.clone(), bare(t)))
            .collect();
        for t in seen[..2].iter().flatten().flat_map(|c| &c.transfers) {
            ensure(both.get(&t.id) == Some(&bare(t)), || {
                format!("transfer {} differs between one side and both", t.id)
            })?;
        }
        Ok(())
    });
}

#[test]
fn paging_resumes_to_the_whole_history() {
    ask_all("paging", |b| {
        let expect = &b.expect;
        let Some(capped) = b.capped.as_deref() else {
            // A source without pages answers in one part and never hands out a cursor.
            let page = b
                .source
                .counterparties_page(&expect.known, Direction::Both, None, &JobControl::default())
                .map_err(|e| format!("page failed: {e}"))?;
            ensure(page.resume.is_none(), || {
                "a cursor from a whole answer".into()
            })?;
            return ensure(
                keys_of(&page.counterparties) == expect.keys(Direction::Both),
                || "the one page is not the whole history".into(),
            );
        };
        let mut keys = BTreeSet::new();
        let mut resume: Option<String> = None;
        let mut calls = 0;
        let mut told_gaps = false;
        loop {
            calls += 1;
            ensure(calls <= 20, || {
                "more than 20 pages for a short history".into()
            })?;
            let page = capped
                .counterparties_page(
                    &expect.known,
                    Direction::Both,
                    resume.as_deref(),
                    &JobControl::default(),
                )
                .map_err(|e| format!("page {calls} failed: {e}"))?;
            well_formed(&expect.known, &page.counterparties)?;
            keys.extend(keys_of(&page.counterparties));
            told_gaps |= !page.gaps.is_empty();
            match page.resume {
                Some(next) => {
                    ensure(resume.as_deref() != Some(next.as_str()), || {
                        format!("page {calls} gave back the cursor it was given")
                    })?;
                    resume = Some(next);
                }
                None => break,
            }
        }
        if expect.pages {
            ensure(calls > 1, || "a multi-page history came in one call".into())?;
        }
        // A source without cursors (Etherscan, Blockscout) may stop at its cap, but then
        // must say so in the page's gaps.
        let whole = keys == expect.keys(Direction::Both);
        ensure(whole || (!expect.pages && told_gaps), || {
            format!(
                "the pages together are not the whole history ({} keys) and no gap says so",
                keys.len()
            )
        })
    });
}

#[test]
fn a_capped_read_says_what_it_left_unread() {
    ask_all("capped read", |b| {
        let expect = &b.expect;
        let Some(capped) = b.capped.as_deref() else {
            return Ok(());
        };
        let page = capped
            .counterparties_page(&expect.known, Direction::Both, None, &JobControl::default())
            .map_err(|e| format!("page failed: {e}"))?;
        let complete = keys_of(&page.counterparties) == expect.keys(Direction::Both);
        ensure(
            complete || page.resume.is_some() || !page.gaps.is_empty(),
            || {
                format!(
                    "one page of a longer history ({} of {} keys) with neither a cursor nor a gap",
                    page.counterparties.len(),
                    expect.keys(Direction::Both).len()
                )
            },
        )
    });
}

#[test]
fn a_cursor_the_source_never_gave_is_refused_before_asking() {
    ask_all("foreign cursor", |b| {
        let expect = &b.expect;
        let before = b.transport.as_ref().map(|t| t.server.request_count());
        let source = b.capped.as_deref().unwrap_or(b.source.as_ref());
        match source.counterparties_page(
            &expect.known,
            Direction::Both,
            Some("not-a-cursor\u{7f}🙂"),
            &JobControl::default(),
        ) {
            Err(SourceError::BadAnswer { source_name, .. }) if source_name == source.name() => {}
            other => return Err(format!("a made-up cursor gave {other:?}")),
        }
        let after = b.transport.as_ref().map(|t| t.server.request_count());
        ensure(before == after, || "a made-up cursor was sent".into())
    });
}

#[test]
fn the_expansion_limit_keeps_the_first_by_rank() {
    ask_all("limit", |b| {
        let expect = &b.expect;
        let cps = b
            .source
            .counterparties(&expect.known, Direction::Both, &JobControl::default())
            .map_err(|e| format!("counterparties failed: {e}"))?;
        let total = cps.len();
        ensure(total >= 2, || {
            "the scenario needs two counterparties".into()
        })?;
        let largest = cps.iter().map(|c| c.value).max().unwrap_or_default();
        let single_asset = cps
            .iter()
            .flat_map(|c| &c.transfers)
            .map(|t| AssetKey::of(&t.asset))
            .collect::<BTreeSet<_>>()
            .len()
            == 1;
        let first = rank_counterparties(&expect.known, cps.clone(), &PriceBook::empty())
            .entries
            .first()
            .map(|r| r.counterparty.key.clone());
        let mut case = Case::new("contract", 0);
        case.nodes
            .insert(expect.known.clone(), Node::address(expect.known.clone()));
        let plan = plan_expansion(
            &case,
            &expect.known,
            cps.clone(),
            &ExpandOptions::with_limit(1),
            &PriceBook::empty(),
        );
        ensure(plan.total_counterparties == total, || {
            format!("total {} of {total}", plan.total_counterparties)
        })?;
        ensure(plan.omitted == total - 1, || {
            format!("omitted {} of {total}", plan.omitted)
        })?;
        let kept: Vec<&Counterparty> = cps
            .iter()
            .filter(|c| plan.fragment.nodes.iter().any(|n| n.id == c.key))
            .collect();
        // Ranked across assets by share (nothing is priced here); in one asset, by amount.
        ensure(
            kept.len() == 1
                && Some(&kept[0].key) == first.as_ref()
                && (!single_asset || kept[0].value == largest),
            || {
                format!(
                    "kept {:?}, want the first by rank {first:?} (the largest, {largest}, \
                     when one asset)",
                    kept.iter().map(|c| &c.key).collect::<Vec<_>>()
                )
            },
        )?;
        let all = plan_expansion(
            &case,
            &expect.known,
            cps,
            &ExpandOptions::with_limit(total),
            &PriceBook::empty(),
        );
        ensure(all.omitted == 0, || {
            format!("{} left out under the full limit", all.omitted)
        })
    });
}

#[test]
fn a_cancelled_job_asks_nothing_and_says_cancelled() {
    ask_all("cancelled before start", |b| {
        let expect = &b.expect;
        let control = JobControl::default();
        control.cancel();
        let before = b.transport.as_ref().map(|t| t.server.request_count());
        let source = b.source.as_ref();
        ensure(
            source.lookup(&expect.known, &control) == Err(SourceError::Cancelled),
            || "lookup went on".into(),
        )?;
        for direction in [Direction::In, Direction::Out, Direction::Both] {
            ensure(
                source.counterparties(&expect.known, direction, &control)
                    == Err(SourceError::Cancelled),
                || format!("{direction:?} went on"),
            )?;
        }
        ensure(
            source
                .counterparties_page(&expect.known, Direction::Both, None, &control)
                .map(|_| ())
                == Err(SourceError::Cancelled),
            || "a page went on".into(),
        )?;
        let after = b.transport.as_ref().map(|t| t.server.request_count());
        ensure(before == after, || "a cancelled job sent requests".into())
    });
}

#[test]
fn cancelling_during_a_stalled_request_ends_the_job() {
    ask_all("cancelled mid-request", |b| {
        let Some(transport) = b.transport.as_ref() else {
            return Ok(()); // nothing to wait on
        };
        let expect = &b.expect;
        transport.server.fault(
            transport.method,
            transport.prefix,
            Fault::Stall(Duration::from_secs(10)),
            100,
        );
        let control = JobControl::default();
        let started = Instant::now();
        let result = std::thread::scope(|scope| {
            let canceller = control.clone();
            scope.spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                canceller.cancel();
            });
            b.source
                .as_ref()
                .counterparties(&expect.known, Direction::Both, &control)
        });
        transport.server.clear_faults();
        let took = started.elapsed();
        ensure(result == Err(SourceError::Cancelled), || {
            format!("a cancelled job ended with {result:?}")
        })?;
        // The read timeout bounds how long a blocked read can hold on to a cancelled job.
        ensure(took < Duration::from_secs(8), || {
            format!("took {took:?} to stop")
        })
    });
}

#[test]
fn bad_answers_are_clean_errors_and_leave_the_source_working() {
    let faults = [
        ("malformed JSON", Fault::Malformed),
        ("HTTP 500", Fault::status(500)),
        ("a truncated body", Fault::Truncate),
        ("a body cut off mid-way", Fault::CloseMidBody),
    ];
    ask_all("bad answers", |b| {
        let Some(transport) = b.transport.as_ref() else {
            return Ok(()); // the embedded world has no transport to break
        };
        let expect = &b.expect;
        let source = b.source.as_ref();
        for (what, fault) in &faults {
            // Enough to outlast every retry of every request.
            transport
                .server
                .fault(transport.method, transport.prefix, fault.clone(), 1_000);
            let result =
                source.counterparties(&expect.known, Direction::Both, &JobControl::default());
            transport.server.clear_faults();
            let err = match result {
                Err(err) => err,
                Ok(cps) => return Err(format!("{what}: answered {} counterparties", cps.len())),
            };
            match &err {
                SourceError::BadAnswer {
                    source_name,
                    message,
                } => {
                    ensure(source_name == source.name(), || {
                        format!("{what}: error names {source_name}")
                    })?;
                    ensure(!message.trim().is_empty(), || {
                        format!("{what}: empty message")
                    })?;
                }
                other => return Err(format!("{what}: {other:?}, want a BadAnswer")),
            }
            let shown = format!("{err} {err:?}");
            if let Some(secret) = transport.secret {
                ensure(!shown.contains(secret), || {
                    format!("{what}: the key leaked: {shown}")
                })?;
            }
            // The same question, with the server healthy again, gets the right answer.
            let cps = source
                .counterparties(&expect.known, Direction::Both, &JobControl::default())
                .map_err(|e| format!("after {what}: {e}"))?;
            ensure(keys_of(&cps) == expect.keys(Direction::Both), || {
                format!("after {what}: a different answer")
            })?;
        }
        Ok(())
    });
}
