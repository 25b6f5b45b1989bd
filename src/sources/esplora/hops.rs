//! The hops of a transaction node (its inputs, its outputs, and the transactions that spent
//! them) and of a script end (the transaction that made it, the one that spent it).
//!
//! The transaction itself is the one answer an expansion cannot do without; the outspends
//! are a sub-request: when they fail (or one entry of them is unreadable), the legs already
//! read are kept, the transaction node's summary and a gap sentence say what is missing, and
//! the expansion fails only when nothing usable came back. Every counterparty of a
//! transaction brings the transaction node with its full summary (its legs are all fetched
//! now), so a node that came as "its other legs not fetched" can be refreshed.

use super::api::{Outspend, TxStatus};
use super::facts::{Groups, TxFacts, leg_transfer, tx_id};
use super::gaps::GapList;
use super::{EsploraSource, SHORT_MAX_AGE_SECS, settled};
use crate::model::{CounterpartyPage, Node, NodeId};
use crate::sources::http::CachePolicy;
use crate::sources::{Direction, JobControl, SourceError};

/// One counterparty being prepared: key, value, nodes, transfers.
type Hop = (NodeId, u128, Vec<Node>, Vec<crate::model::Transfer>);

impl EsploraSource {
    /// Counterparties of a transaction node.
    pub(super) fn tx_counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        let tip = self.tip(control)?;
        let facts = self.known_tx(node, node.value(), tip, control)?;
        let mut gaps = GapList::default();
        let mut hops = Vec::new();
        let mut spends_failed = None;
        if direction.includes_out() && self.forward_hops {
            control.check()?;
            match self.spend_hops(&facts, None, tip, control, &mut gaps) {
                Ok(found) => hops = found,
                Err(SourceError::Cancelled) => return Err(SourceError::Cancelled),
                Err(e) => spends_failed = Some(e),
            }
        }
        let mut tx_node = facts.node.clone();
        if let Some(e) = &spends_failed {
            let missing = format!(
                "who spent the outputs of tx {} could not be read",
                facts.txid
            );
            if let Some(provenance) = tx_node.provenance.as_mut() {
                provenance.request = format!("{}; spenders not fetched ({e})", provenance.request);
            }
            gaps.push(format!("{missing} ({e}); expand it again to retry"));
        }
        let mut groups = Groups::default();
        let mut sides = Vec::new();
        if direction.includes_in() {
            sides.push(&facts.inputs);
        }
        if direction.includes_out() {
            sides.push(&facts.outputs);
        }
        let mut any = false;
        for legs in sides {
            for leg in legs.iter().flatten() {
                let mut nodes: Vec<Node> = facts.address_node(&leg.address).into_iter().collect();
                nodes.push(tx_node.clone());
                groups.add(
                    leg.address.clone(),
                    leg.transfer.ranking_value(),
                    nodes,
                    vec![leg.transfer.clone()],
                );
                any = true;
            }
        }
        for (key, value, mut nodes, transfers) in hops {
            nodes.push(tx_node.clone());
            groups.add(key, value, nodes, transfers);
            any = true;
        }
        if let (false, Some(e)) = (any, spends_failed) {
            return Err(e);
        }
        Ok(CounterpartyPage {
            counterparties: groups.finish(),
            resume: None,
            gaps: gaps.finish(),
        })
    }

    /// Counterparties of a script end `btc:script:<txid>:<vout>`: the transaction that made it
    /// (`In`) and the one that spent it (`Out`).
    pub(super) fn script_counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        let (facts, vout, tip) = self.script_origin(node, control)?;
        let mut gaps = GapList::default();
        let mut groups = Groups::default();
        if direction.includes_in()
            && let Some(Some(leg)) = facts.outputs.get(vout)
        {
            groups.add(
                facts.node.id.clone(),
                leg.transfer.ranking_value(),
                vec![facts.node.clone()],
                vec![leg.transfer.clone()],
            );
        }
        if direction.includes_out() {
            control.check()?;
            for (key, value, nodes, transfers) in
                self.spend_hops(&facts, Some(vout), tip, control, &mut gaps)?
            {
                groups.add(key, value, nodes, transfers);
            }
        }
        Ok(CounterpartyPage {
            counterparties: groups.finish(),
            resume: None,
            gaps: gaps.finish(),
        })
    }

    /// The node of a script end, from the transaction that made it; `None` if the server does
    /// not know that transaction or its output there has an address.
    pub(super) fn lookup_script(
        &self,
        node: &NodeId,
        control: &JobControl,
    ) -> Result<Option<Node>, SourceError> {
        match self.script_origin(node, control) {
            Ok((facts, _, _)) => Ok(facts.address_node(node)),
            Err(SourceError::UnknownNode { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The transaction whose output `node` is, and the output's index; an unknown node if
    /// that output does not exist or is not this script end. Also the tip height.
    fn script_origin(
        &self,
        node: &NodeId,
        control: &JobControl,
    ) -> Result<(TxFacts, usize, Option<u64>), SourceError> {
        let (txid, vout) = node
            .script_outpoint()
            .ok_or_else(|| self.bad(format!("{node} is not a script end")))?;
        let tip = self.tip(control)?;
        let facts = self.known_tx(node, txid, tip, control)?;
        let vout = usize::try_from(vout).unwrap_or(usize::MAX);
        match facts.outputs.get(vout) {
            Some(Some(leg)) if &leg.address == node => Ok((facts, vout, tip)),
            _ => Err(SourceError::UnknownNode {
                source_name: self.name.clone(),
                node: node.clone(),
            }),
        }
    }

    /// [`EsploraSource::fetch_tx`], with "the server does not know it" as an unknown `node`.
    fn known_tx(
        &self,
        node: &NodeId,
        txid: &str,
        tip: Option<u64>,
        control: &JobControl,
    ) -> Result<TxFacts, SourceError> {
        self.fetch_tx(txid, tip, control)?
            .ok_or_else(|| SourceError::UnknownNode {
                source_name: self.name.clone(),
                node: node.clone(),
            })
    }

    /// One hop per transaction that spent an output of `facts` (only output `only`, if
    /// given). An unreadable answer is an error; an unreadable entry of it is skipped and named
    /// in `gaps`.
    fn spend_hops(
        &self,
        facts: &TxFacts,
        only: Option<usize>,
        tip: Option<u64>,
        control: &JobControl,
        gaps: &mut GapList,
    ) -> Result<Vec<Hop>, SourceError> {
        let fetched = self.client.get(
            &format!("/tx/{}/outspends", facts.txid),
            CachePolicy::MaxAge(SHORT_MAX_AGE_SECS),
            control,
        )?;
        let spends: Vec<Outspend> = fetched.json()?;
        if spends.len() != facts.outputs.len() {
            return Err(self.bad(format!(
                "{}: {} outspends for {} outputs",
                fetched.request(),
                spends.len(),
                facts.outputs.len()
            )));
        }
        let provenance = self.stamp(&fetched, tip).provenance();
        let mut hops = Vec::new();
        let mut unreadable = false;
        for (vout, (spend, leg)) in spends.iter().zip(&facts.outputs).enumerate() {
            let (true, Some(leg)) = (spend.spent, leg) else {
                continue;
            };
            if only.is_some_and(|only| only != vout) {
                continue;
            }
            let spender = match (&spend.txid, spend.vin) {
                (Some(spender), Some(vin)) => {
                    tx_id(spender).map(|id| (spender.to_ascii_lowercase(), id, vin))
                }
                _ => Err("it names no spending txid/vin".to_owned()),
            };
            let (spender, spender_id, vin) = match spender {
                Ok(found) => found,
                Err(why) => {
                    unreadable = true;
                    gaps.push(format!(
                        "{}: output {vout} of tx {} is spent, but the answer is unreadable ({why}); \
                         its spender is not shown",
                        fetched.request(),
                        facts.txid
                    ));
                    continue;
                }
            };
            let status = spend.status.unwrap_or(TxStatus {
                confirmed: false,
                block_height: None,
                block_time: None,
            });
            let in_leg = leg_transfer(
                &spender,
                &format!("in{vin}"),
                leg.address.clone(),
                spender_id.clone(),
                leg.transfer.amount,
                &status,
                &provenance,
            );
            let mut spender_node = Node::transaction(spender_id.clone());
            let mut note = provenance.clone();
            note.request = format!(
                "{} — spends vout {vout} of {}; its other legs not fetched",
                note.request, facts.txid
            );
            spender_node.provenance = Some(Box::new(note));
            let mut nodes = vec![spender_node];
            nodes.extend(facts.address_node(&leg.address));
            hops.push((
                spender_id,
                in_leg.ranking_value(),
                nodes,
                vec![leg.transfer.clone(), in_leg],
            ));
        }
        let final_answer = tip.is_some_and(|tip| {
            spends.iter().zip(&facts.outputs).all(|(spend, leg)| {
                leg.is_none() || (spend.spent && spend.status.is_some_and(|s| settled(&s, tip)))
            })
        });
        if !unreadable {
            self.client.store(
                &fetched,
                if final_answer {
                    CachePolicy::Immutable
                } else {
                    CachePolicy::MaxAge(SHORT_MAX_AGE_SECS)
                },
            );
        }
        control.step();
        Ok(hops)
    }
}
