//! A whole Bitcoin transaction as the heuristics read it: the transaction node, its input legs
//! (`end → tx`) and output legs (`tx → end`) with their amounts in satoshi and the script type
//! of each end, and the fee. A transaction is only *whole* when the case holds all its legs:
//! the Esplora source writes a summary into the transaction node's provenance request
//! (`… — in 12210 sat, out 10000 sat, fee 2210 sat`), and a transaction reached through one
//! leg only carries `its other legs not fetched` instead. [`whole_tx`] accepts a transaction
//! when its summary's totals equal the sums of the legs in the case, or (no summary, e.g. the
//! demo source or a hand-built case) when it has inputs numbered `in0`, `in1`, … without a gap,
//! outputs, and the outputs do not exceed the inputs. Anything else is "not enough data" and gives no finding: a partial
//! transaction, a coinbase, a leg in another asset, more than [`MAX_LEGS`] legs.

use super::super::CaseIndex;
use crate::model::address::{BitcoinAddressKind, ParsedAddress, parse_bitcoin_address};
use crate::model::{Asset, Chain};
use std::collections::HashSet;

/// Legs (inputs + outputs) of one transaction looked at at most; a larger one is skipped.
pub(super) const MAX_LEGS: usize = 5_000;

/// One leg of a transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Leg {
    /// Position of the transfer (into `CaseIndex::transfers`).
    pub(super) transfer: u32,
    /// Position of the far end (address or script end).
    pub(super) end: u32,
    /// Satoshi.
    pub(super) amount: u128,
    /// The end's address type; `None` for a script end without address.
    pub(super) kind: Option<BitcoinAddressKind>,
}

/// A whole transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TxView {
    /// Position of the transaction node.
    pub(super) tx: u32,
    /// Inputs in leg order (`in0`, `in1`, …).
    pub(super) inputs: Vec<Leg>,
    /// Outputs in leg order (`out0`, `out1`, …).
    pub(super) outputs: Vec<Leg>,
    /// Inputs − outputs, satoshi.
    pub(super) fee: u128,
    /// Zero-value `OP_RETURN` outputs the summary names (they have no leg).
    pub(super) op_returns: usize,
}

impl TxView {
    /// Distinct input ends.
    pub(super) fn distinct_inputs(&self) -> usize {
        distinct(&self.inputs)
    }

    /// Distinct output ends.
    pub(super) fn distinct_outputs(&self) -> usize {
        distinct(&self.outputs)
    }

    /// Sum of the inputs.
    pub(super) fn input_sum(&self) -> u128 {
        self.inputs.iter().map(|l| l.amount).sum()
    }

    /// All legs' transfer positions, in time order.
    pub(super) fn all_transfers(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self
            .inputs
            .iter()
            .chain(&self.outputs)
            .map(|l| l.transfer)
            .collect();
        all.sort_unstable();
        all
    }

    /// The largest number of inputs one end brings.
    pub(super) fn top_input_count(&self) -> usize {
        let mut counts = std::collections::HashMap::new();
        for leg in &self.inputs {
            *counts.entry(leg.end).or_insert(0usize) += 1;
        }
        counts.values().copied().max().unwrap_or(0)
    }
}

fn distinct(legs: &[Leg]) -> usize {
    legs.iter().map(|l| l.end).collect::<HashSet<_>>().len()
}

/// What the transaction node's summary says.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Summary {
    pub(super) partial: bool,
    pub(super) coinbase: bool,
    /// (in, out) satoshi.
    pub(super) totals: Option<(u128, u128)>,
    pub(super) op_returns: usize,
}

/// Reads the summary after ` — ` in a provenance request.
pub(super) fn read_summary(request: &str) -> Summary {
    let mut summary = Summary {
        // The same test as `Node::is_partial`, on the request text alone.
        partial: request.contains(crate::model::node::PARTIAL_TX_NOTE),
        ..Summary::default()
    };
    let Some((_, notes)) = request.split_once(" — ") else {
        return summary;
    };
    for part in notes.split("; ") {
        if part.starts_with("coinbase") {
            summary.coinbase = true;
        } else if let Some(rest) = part.strip_prefix("in ") {
            summary.totals = read_totals(rest);
        } else if part.contains("op_return without address, 0 sat") {
            summary.op_returns += 1;
        }
    }
    summary
}

/// `12210 sat, out 10000 sat, fee 2210 sat` → (12210, 10000).
fn read_totals(rest: &str) -> Option<(u128, u128)> {
    let (input, rest) = rest.split_once(" sat, out ")?;
    let (output, _) = rest.split_once(" sat, fee ")?;
    Some((input.parse().ok()?, output.parse().ok()?))
}

/// The leg number of a transfer id ending in `:in<i>` / `:out<i>` (for ordering).
fn leg_number(id: &str, side: &str) -> u64 {
    id.rsplit_once(':')
        .and_then(|(_, leg)| leg.strip_prefix(side))
        .and_then(|n| n.parse().ok())
        .unwrap_or(u64::MAX)
}

/// The whole transaction at node `position`, or `None` ("not enough data", see the module
/// doc).
pub(super) fn whole_tx(index: &CaseIndex, position: u32) -> Option<TxView> {
    let node = index.node(position);
    if !node.is_transaction() || node.chain() != Some(Chain::Bitcoin) {
        return None;
    }
    let (incoming, outgoing) = (
        index.incoming.get(position as usize)?,
        index.outgoing.get(position as usize)?,
    );
    if incoming.len().saturating_add(outgoing.len()) > MAX_LEGS
        || incoming.is_empty()
        || outgoing.is_empty()
    {
        return None;
    }
    let summary = index
        .case
        .nodes
        .get(node)
        .and_then(|n| n.provenance.as_ref())
        .map(|p| read_summary(&p.request))
        .unwrap_or_default();
    if summary.partial || summary.coinbase {
        return None;
    }
    let btc = Asset::native(Chain::Bitcoin);
    let leg = |i: u32, incoming: bool| -> Option<(u64, Leg)> {
        let transfer = index.transfer(i);
        let (from, to) = *index.ends.get(i as usize)?;
        let end = if incoming { from } else { to };
        let end_id = index.node(end);
        if transfer.asset != btc
            || end_id.is_transaction()
            || end_id.chain() != Some(Chain::Bitcoin)
            || !transfer.tx_hash.eq_ignore_ascii_case(node.value())
        {
            return None;
        }
        let kind = if end_id.is_script() {
            None
        } else {
            match parse_bitcoin_address(end_id.value()) {
                Ok(ParsedAddress::Bitcoin { kind, .. }) => Some(kind),
                _ => None,
            }
        };
        let number = leg_number(transfer.id.as_str(), if incoming { "in" } else { "out" });
        Some((
            number,
            Leg {
                transfer: i,
                end,
                amount: transfer.amount,
                kind,
            },
        ))
    };
    // Without a summary to check against, the inputs must at least be numbered in0, in1, …
    // without a gap (an output may lack a leg: a zero-value OP_RETURN has none).
    let checked_by_summary = summary.totals.is_some();
    let collect = |positions: &[u32], incoming: bool| -> Option<Vec<Leg>> {
        let mut legs = positions
            .iter()
            .map(|&i| leg(i, incoming))
            .collect::<Option<Vec<_>>>()?;
        legs.sort_by_key(|(number, leg)| (*number, leg.transfer));
        let numbered = legs
            .iter()
            .enumerate()
            .all(|(i, (number, _))| u64::try_from(i).is_ok_and(|i| i == *number));
        if incoming && !checked_by_summary && !numbered {
            return None;
        }
        Some(legs.into_iter().map(|(_, leg)| leg).collect())
    };
    let inputs = collect(incoming, true)?;
    let outputs = collect(outgoing, false)?;
    let input_sum = inputs
        .iter()
        .try_fold(0u128, |s, l| s.checked_add(l.amount))?;
    let output_sum = outputs
        .iter()
        .try_fold(0u128, |s, l| s.checked_add(l.amount))?;
    if let Some(totals) = summary.totals
        && totals != (input_sum, output_sum)
    {
        return None;
    }
    let fee = input_sum.checked_sub(output_sum)?;
    Some(TxView {
        tx: position,
        inputs,
        outputs,
        fee,
        op_returns: summary.op_returns,
    })
}

/// Every whole Bitcoin transaction of the case, in node order.
pub(super) fn whole_txs(index: &CaseIndex) -> Vec<TxView> {
    (0..index.nodes().len())
        .filter_map(|p| u32::try_from(p).ok())
        .filter(|&p| index.is_transaction(p))
        .filter_map(|p| whole_tx(index, p))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_are_read() {
        let s = read_summary(
            "GET /tx/x — in 12210 sat, out 10000 sat, fee 2210 sat; vout 1 op_return without \
             address, 0 sat",
        );
        assert_eq!(s.totals, Some((12_210, 10_000)));
        assert_eq!(s.op_returns, 1);
        assert!(!s.partial && !s.coinbase);
        let s =
            read_summary("GET /tx/y/outspends — spends vout 3 of ab; its other legs not fetched");
        assert!(s.partial);
        assert!(read_summary("GET /tx/z — coinbase; out 5 sat").coinbase);
        assert_eq!(read_summary("nonsense — in x sat, out").totals, None);
        assert_eq!(leg_number("btc:ab:in12", "in"), 12);
        assert_eq!(leg_number("btc:ab:out", "out"), u64::MAX);
    }
}
