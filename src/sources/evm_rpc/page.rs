//! One expansion of an address as a [`CounterpartyPage`]: the phases of a job (ERC-20 logs,
//! then native transfers) under one [`Budget`], resumed from a cursor when "Load more" asks,
//! and the page's gaps — a read cap reached (with the cursor to go on from), native transfers
//! this node cannot list, an address this node has no history for.

use super::budget::Budget;
use super::collect::Collected;
use super::cursor::{self, Phase, Resume, Stop};
use super::facts::JobStamp;
use super::hex;
use super::logs::Side;
use super::{EvmRpcSource, NO_NATIVE_NOTE, NativeSupport};
use crate::model::NodeId;
use crate::sources::{CounterpartyPage, Direction, JobControl, SourceError, gaps};
use serde_json::json;

/// Where a phase starts: `None` when a resumed job already read it.
fn phase_start(resume: Option<Resume>, phase: Phase, from_scratch: u64) -> Option<u64> {
    match resume {
        None => Some(from_scratch),
        Some(r) if phase < r.phase => None,
        Some(r) if phase == r.phase => Some(r.block),
        Some(_) => Some(from_scratch),
    }
}

/// The gap sentence of a job stopped by a read cap.
fn stop_gap(stop: &Stop, tip: u64) -> String {
    let range = if stop.phase == Phase::Otterscan {
        format!("before block {}", stop.block)
    } else {
        format!("in blocks {}..={tip}", stop.block)
    };
    format!(
        "read cap reached ({}): {} {range}, and the kinds of transfer read after them, were not \
         read; Load more goes on from there",
        stop.reason,
        stop.phase.describe()
    )
}

/// The gap sentence of a node that cannot list native transfers.
pub(super) fn no_native_gap(address: &str) -> String {
    format!(
        "native ETH and internal transfers of {address} cannot be listed from this node: it has \
         neither trace_filter nor Otterscan (ots_*), so only ERC-20 transfers are shown; \
         Etherscan or Blockscout, or a node with trace_filter or Otterscan, can list them"
    )
}

impl EvmRpcSource {
    /// Reads one part of `node`'s history (see the module doc).
    pub(super) fn read_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        let address = self.address_of(node)?;
        let resume = resume
            .map(|text| cursor::decode(text).map_err(|m| self.bad("Load more", &m)))
            .transpose()?;
        let (caps, tip_now) = self.start_job(node, control)?;
        let tip = match resume {
            Some(r) if r.tip > tip_now => {
                return Err(self.bad(
                    "Load more",
                    &format!(
                        "the cursor was made at block {}, but the node is now at block {tip_now}",
                        r.tip
                    ),
                ));
            }
            Some(r) => r.tip,
            None => tip_now,
        };
        let stamp = JobStamp {
            source: self.name.clone(),
            chain: caps.chain(),
            tip,
        };
        let budget = Budget::new(self.read_caps, self.max_windows);
        let mut collected = Collected::default();
        let sides: Vec<Side> = [
            (direction.includes_out(), Side::Out),
            (direction.includes_in(), Side::In),
        ]
        .into_iter()
        .filter_map(|(wanted, side)| wanted.then_some(side))
        .collect();
        let mut gaps = Vec::new();
        for &side in &sides {
            if collected.stopped.is_none()
                && let Some(from) = phase_start(resume, Phase::tokens(side), self.start_block)
            {
                self.token_legs(&address, side, from, tip, &budget, control, &mut collected)?;
            }
        }
        match caps.native_support() {
            NativeSupport::TraceFilter => {
                for &side in &sides {
                    if collected.stopped.is_none()
                        && let Some(from) =
                            phase_start(resume, Phase::traces(side), self.start_block)
                    {
                        self.trace_legs(
                            &address,
                            side,
                            from,
                            tip,
                            &budget,
                            control,
                            &mut collected,
                        )?;
                    }
                }
                self.drop_undone(&mut collected, control)?;
            }
            NativeSupport::Otterscan => {
                let from_scratch = tip.saturating_add(1);
                if collected.stopped.is_none()
                    && let Some(before) = phase_start(resume, Phase::Otterscan, from_scratch)
                {
                    self.ots_legs(
                        &address,
                        direction,
                        before,
                        tip,
                        &budget,
                        control,
                        &mut collected,
                    )?;
                }
            }
            NativeSupport::None | NativeSupport::NotDetected => {
                collected.notes.insert(0, NO_NATIVE_NOTE.to_owned());
                gaps.push(no_native_gap(&address));
            }
        }
        for note in caps.notes.iter().rev() {
            collected.notes.insert(0, note.clone());
        }
        let next = collected.stopped.as_ref().map(|stop| {
            gaps.push(stop_gap(stop, tip));
            cursor::encode(stop, tip)
        });
        let nothing_read = resume.is_none() && next.is_none() && collected.legs.is_empty();
        let counterparties = self.build(node, direction, &stamp, collected, control)?;
        // The probe only words the gap: a node that will not answer it leaves the page as is.
        let blank = nothing_read
            && match self.is_blank(&address, tip, control) {
                Ok(blank) => blank,
                Err(SourceError::Cancelled) => return Err(SourceError::Cancelled),
                Err(_) => false,
            };
        if blank {
            gaps.push(gaps::no_history(&self.name, node));
        }
        Ok(CounterpartyPage {
            counterparties,
            resume: next,
            gaps,
        })
    }

    /// True when `address` has neither a balance nor a sent transaction at `tip`: with no
    /// transfer found either, the node knows nothing of it.
    fn is_blank(&self, address: &str, tip: u64, control: &JobControl) -> Result<bool, SourceError> {
        let block = hex::to_quantity(tip);
        let what = format!("eth_getBalance({address}, block {tip})");
        let text = self.call_text("eth_getBalance", json!([address, block]), &what, control)?;
        if hex::quantity_u128(&text).map_err(|m| self.bad(&what, &m))? != 0 {
            return Ok(false);
        }
        let what = format!("eth_getTransactionCount({address}, block {tip})");
        let text = self.call_text(
            "eth_getTransactionCount",
            json!([address, block]),
            &what,
            control,
        )?;
        Ok(hex::quantity_u64(&text).map_err(|m| self.bad(&what, &m))? == 0)
    }
}
