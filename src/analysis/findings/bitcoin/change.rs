//! Change detection: which output of a whole, non-CoinJoin transaction went back to the payer.
//!
//! Each sub-heuristic votes for one output, or abstains when it cannot single one out:
//! * `one_time_change`: exactly one output's address has no other incoming transfer in the case
//!   and was not used before this transaction (a fresh change address);
//! * `address_type`: all inputs share one address type and exactly one output has it;
//! * `round_payment`: every other output is a round amount (a multiple of [`ROUND_SAT`]), this
//!   one is not;
//! * `unnecessary_input`: with two or more inputs, exactly one output could have been paid
//!   without the smallest input (so a wallet paying it would not have added that input: it is
//!   the change, the other outputs needed every input);
//! * `input_address_reuse`: exactly one output pays an address that is also an input.
//!
//! The output with most votes wins if no other has as many; confidence is
//! [`BASE_CONFIDENCE`] + [`PER_VOTE`] per agreeing vote − [`PER_VOTE`] per vote for another
//! output, at most [`MAX_CONFIDENCE`]. No vote, a tie, fewer than two outputs with an address,
//! more than [`MAX_OUTPUTS`] outputs, an `OP_RETURN` output (a data or protocol transaction
//! such as Omni, not a plain payment): not enough data, no finding.

use super::super::{CaseIndex, Finding, FindingKind};
use super::tx_view::{Leg, TxView};
use crate::model::amount::format_units_grouped;
use std::collections::{BTreeMap, HashMap};

/// A payment amount is round when it is a multiple of this (0.001 BTC).
pub(super) const ROUND_SAT: u128 = 100_000;
/// Transactions with more outputs (batch payouts) are skipped.
pub(super) const MAX_OUTPUTS: usize = 10;
/// Confidence before the votes.
pub(super) const BASE_CONFIDENCE: i32 = 40;
/// Confidence per vote.
pub(super) const PER_VOTE: i32 = 15;
/// Confidence at most.
pub(super) const MAX_CONFIDENCE: i32 = 95;

/// A sub-heuristic: its name and the output index it votes for.
type Vote = (&'static str, Option<usize>);

/// The only index satisfying `test` among `candidates`, if exactly one does.
fn only(candidates: &[usize], test: impl Fn(usize) -> bool) -> Option<usize> {
    let mut hits = candidates.iter().copied().filter(|&i| test(i));
    let first = hits.next()?;
    hits.next().is_none().then_some(first)
}

fn one_time(index: &CaseIndex, view: &TxView, candidates: &[usize]) -> Option<usize> {
    let fresh = |leg: &Leg| {
        let end = leg.end as usize;
        index
            .incoming
            .get(end)
            .is_some_and(|i| i[..] == [leg.transfer])
            && index
                .outgoing
                .get(end)
                .is_some_and(|o| o.iter().all(|&t| t > leg.transfer))
    };
    only(candidates, |i| fresh(&view.outputs[i]))
}

fn address_type(view: &TxView, candidates: &[usize]) -> Option<usize> {
    let first = view.inputs.first()?.kind?;
    if view.inputs.iter().any(|l| l.kind != Some(first)) {
        return None;
    }
    only(candidates, |i| view.outputs[i].kind == Some(first))
}

fn round_payment(view: &TxView, candidates: &[usize]) -> Option<usize> {
    let round = |i: usize| view.outputs[i].amount.is_multiple_of(ROUND_SAT);
    let change = only(candidates, |i| !round(i))?;
    // Every other output (addressed or not) must be round.
    (0..view.outputs.len())
        .filter(|&i| i != change)
        .all(round)
        .then_some(change)
}

fn unnecessary_input(view: &TxView, candidates: &[usize]) -> Option<usize> {
    if view.inputs.len() < 2 {
        return None;
    }
    let smallest = view.inputs.iter().map(|l| l.amount).min()?;
    let without = view.input_sum().checked_sub(smallest)?;
    let payable = |i: usize| {
        view.outputs[i]
            .amount
            .checked_add(view.fee)
            .is_some_and(|need| need <= without)
    };
    let change = only(candidates, payable)?;
    (0..view.outputs.len())
        .filter(|&i| i != change)
        .all(|i| !payable(i))
        .then_some(change)
}

fn input_reuse(view: &TxView, candidates: &[usize]) -> Option<usize> {
    only(candidates, |i| {
        view.inputs.iter().any(|l| l.end == view.outputs[i].end)
    })
}

/// The change finding of one transaction, if the votes single one output out.
pub(super) fn change_of(index: &CaseIndex, view: &TxView) -> Option<Finding> {
    if view.outputs.len() > MAX_OUTPUTS || view.op_returns > 0 {
        return None;
    }
    let mut per_end: HashMap<u32, usize> = HashMap::new();
    for leg in &view.outputs {
        *per_end.entry(leg.end).or_insert(0) += 1;
    }
    // Candidates: outputs to an address (not a script end) paid once in this transaction.
    let candidates: Vec<usize> = (0..view.outputs.len())
        .filter(|&i| {
            view.outputs[i].kind.is_some() && per_end.get(&view.outputs[i].end) == Some(&1)
        })
        .collect();
    if view.outputs.len() < 2 || candidates.is_empty() {
        return None;
    }
    let votes: [Vote; 5] = [
        ("one_time_change", one_time(index, view, &candidates)),
        ("address_type", address_type(view, &candidates)),
        ("round_payment", round_payment(view, &candidates)),
        ("unnecessary_input", unnecessary_input(view, &candidates)),
        ("input_address_reuse", input_reuse(view, &candidates)),
    ];
    let mut tally: BTreeMap<usize, usize> = BTreeMap::new();
    for (_, vote) in &votes {
        if let Some(i) = vote {
            *tally.entry(*i).or_insert(0) += 1;
        }
    }
    let best = tally.values().copied().max()?;
    let mut winners = tally.iter().filter(|&(_, &c)| c == best).map(|(&i, _)| i);
    let winner = winners.next()?;
    if winners.next().is_some() {
        return None;
    }
    let agree: Vec<&str> = votes
        .iter()
        .filter(|(_, v)| *v == Some(winner))
        .map(|(n, _)| *n)
        .collect();
    let against: Vec<&str> = votes
        .iter()
        .filter(|(_, v)| v.is_some_and(|i| i != winner))
        .map(|(n, _)| *n)
        .collect();
    let score =
        BASE_CONFIDENCE + PER_VOTE * (agree.len() as i32) - PER_VOTE * (against.len() as i32);
    let confidence = u8::try_from(score.clamp(0, MAX_CONFIDENCE)).unwrap_or(0);
    let leg = view.outputs[winner];
    let tx = index.node(view.tx);
    let address = index.node(leg.end);
    let params = BTreeMap::from([
        ("voted", agree.join(",")),
        ("against", against.join(",")),
        ("round_sat", ROUND_SAT.to_string()),
        ("max_outputs", MAX_OUTPUTS.to_string()),
        (
            "confidence",
            format!("{BASE_CONFIDENCE} + {PER_VOTE}/vote - {PER_VOTE}/vote against"),
        ),
    ]);
    let txid: String = tx.value().chars().take(12).collect();
    Some(Finding {
        kind: FindingKind::Change,
        method: "change@1",
        params,
        confidence,
        nodes: vec![tx.clone(), address.clone()],
        transfers: vec![index.transfer(leg.transfer).id.clone()],
        summary: format!(
            "Change of tx {txid}…: {} sat to {} ({})",
            format_units_grouped(leg.amount, 0),
            address.value(),
            agree.join(", ").replace('_', " ")
        ),
    })
}
