//! [`DemoSource`]: the demo world behind the [`DataSource`] trait.
//!
//! Answers come from the shared, lazily generated world, so the source is free to create and
//! every answer is the same on every run (provenance carries the fixed snapshot time). Ethereum
//! addresses group transfers by the other address; Bitcoin addresses group by transaction, each
//! bringing the transaction node with all its inputs and outputs; a Bitcoin transaction node
//! groups its legs by address. The bridge contract's outgoing side also lists the Bitcoin
//! addresses its hot wallet paid, so a trace can follow the money across chains.

use super::facts::{Facts, SOURCE_NAME};
use super::hex::from_hex;
use super::world::{World, world};
use crate::model::{Chain, Node, NodeId};
use crate::sources::{Counterparty, DataSource, Direction, JobControl, SourceError};

/// The embedded, offline, deterministic demo ledger. Cheap to create: all instances share one
/// world, generated on first use.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoSource {
    _private: (),
}

impl DemoSource {
    /// A handle on the shared demo world.
    pub fn new() -> DemoSource {
        DemoSource::default()
    }
}

/// The chains the demo world has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WorldChain {
    Bitcoin,
    Ethereum,
}

fn world_chain(node: &NodeId) -> Result<WorldChain, SourceError> {
    match node.chain() {
        Some(Chain::Bitcoin) => Ok(WorldChain::Bitcoin),
        Some(Chain::ETHEREUM) => Ok(WorldChain::Ethereum),
        _ => Err(SourceError::UnsupportedChain {
            source_name: SOURCE_NAME.to_owned(),
            node: node.clone(),
        }),
    }
}

fn unknown(node: &NodeId) -> SourceError {
    SourceError::UnknownNode {
        source_name: SOURCE_NAME.to_owned(),
        node: node.clone(),
    }
}

impl DataSource for DemoSource {
    fn name(&self) -> &str {
        SOURCE_NAME
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        control.check()?;
        let chain = world_chain(node)?;
        let world = world();
        let facts = Facts::new(world, &format!("lookup({node})"));
        let found = match (chain, node.is_transaction()) {
            (WorldChain::Ethereum, false) => {
                world.eth_index.get(node).and_then(|&a| facts.eth_node(a))
            }
            (WorldChain::Bitcoin, false) => {
                world.btc_index.get(node).and_then(|&a| facts.btc_node(a))
            }
            (WorldChain::Bitcoin, true) => from_hex(node.value())
                .and_then(|txid| world.tx_index.get(&txid))
                .and_then(|&tx| facts.btc_tx_node(tx)),
            // Account chains have no transaction nodes.
            (WorldChain::Ethereum, true) => None,
        };
        control.step();
        Ok(found)
    }

    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        control.check()?;
        let chain = world_chain(node)?;
        let world = world();
        let request = format!("counterparties({node}, {})", direction.name());
        let facts = Facts::new(world, &request);
        let mut groups = Groups::default();
        match (chain, node.is_transaction()) {
            (WorldChain::Ethereum, false) => {
                // A well-formed address the world has never seen has no history.
                if let Some(&address) = world.eth_index.get(node) {
                    eth_address(world, &facts, address, direction, control, &mut groups)?;
                }
            }
            (WorldChain::Bitcoin, false) => {
                if let Some(&address) = world.btc_index.get(node) {
                    btc_address(world, &facts, address, direction, control, &mut groups)?;
                }
            }
            (WorldChain::Bitcoin, true) => {
                let tx = from_hex(node.value())
                    .and_then(|txid| world.tx_index.get(&txid).copied())
                    .ok_or_else(|| unknown(node))?;
                btc_transaction(world, &facts, tx, direction, control, &mut groups)?;
            }
            (WorldChain::Ethereum, true) => return Err(unknown(node)),
        }
        let counterparties = groups.finish();
        control.add_transfers(counterparties.iter().map(|c| c.transfers.len()).sum());
        Ok(counterparties)
    }

    /// The whole history at once; an address the demo world never saw says so in a gap.
    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<crate::sources::CounterpartyPage, SourceError> {
        if resume.is_some() {
            return Err(SourceError::BadAnswer {
                source_name: SOURCE_NAME.to_owned(),
                message: "the demo ledger reads the whole history at once".to_owned(),
            });
        }
        let counterparties = self.counterparties(node, direction, control)?;
        let (eth, btc) = (&world().eth_index, &world().btc_index);
        let known = node.is_transaction() || eth.contains_key(node) || btc.contains_key(node);
        let gaps = (!known)
            .then(|| crate::sources::gaps::no_history(SOURCE_NAME, node))
            .into_iter()
            .collect();
        Ok(crate::sources::CounterpartyPage {
            counterparties,
            resume: None,
            gaps,
        })
    }

    /// An Ethereum transaction of the demo world by its hash (with or without `0x`): its
    /// transfers and their ends.
    fn transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<crate::sources::TransactionFacts, SourceError> {
        control.check()?;
        if chain != Chain::ETHEREUM {
            return Err(crate::sources::no_transaction_by_hash(SOURCE_NAME, chain));
        }
        let world = world();
        let facts = Facts::new(world, &format!("transaction({hash})"));
        let wanted = hash.trim_start_matches("0x").to_ascii_lowercase();
        let mut out = crate::sources::TransactionFacts::default();
        let count = u32::try_from(world.ledger.eth_transfers.len()).unwrap_or(u32::MAX);
        for index in 0..count {
            let Some(transfer) = facts.eth_transfer(index) else {
                continue;
            };
            if transfer.tx_hash != wanted {
                continue;
            }
            for end in [&transfer.from, &transfer.to] {
                if !out.nodes.iter().any(|n| &n.id == end) {
                    let node = world
                        .eth_index
                        .get(end)
                        .and_then(|&a| facts.eth_node(a))
                        .unwrap_or_else(|| Node::address(end.clone()));
                    out.nodes.push(node);
                }
            }
            out.transfers.push(transfer);
        }
        control.step();
        if out.transfers.is_empty() {
            return Err(SourceError::BadAnswer {
                source_name: SOURCE_NAME.to_owned(),
                message: format!("the demo ledger has no Ethereum transaction {hash}"),
            });
        }
        control.add_transfers(out.transfers.len());
        Ok(out)
    }
}

/// Ethereum address: one counterparty per other address.
fn eth_address(
    world: &World,
    facts: &Facts<'_>,
    address: u32,
    direction: Direction,
    control: &JobControl,
    groups: &mut Groups,
) -> Result<(), SourceError> {
    let ledger = &world.ledger;
    let mut sides: Vec<(&[u32], bool)> = Vec::new();
    if direction.includes_out()
        && let Some(list) = world.eth_outgoing.get(address as usize)
    {
        sides.push((list, true));
    }
    if direction.includes_in()
        && let Some(list) = world.eth_incoming.get(address as usize)
    {
        sides.push((list, false));
    }
    for (list, outgoing) in sides {
        for &index in list {
            control.check()?;
            let Some(record) = ledger.eth_transfers.get(index as usize) else {
                continue;
            };
            let other = if outgoing { record.to } else { record.from };
            if let (Some(node), Some(transfer)) = (facts.eth_node(other), facts.eth_transfer(index))
            {
                let value = transfer.ranking_value();
                groups.add(node.id.clone(), value, vec![node], vec![transfer]);
            }
            control.step();
        }
    }
    if direction.includes_out() && address == ledger.actors.bridge_contract {
        for (index, leg) in ledger.bridge_legs.iter().enumerate() {
            control.check()?;
            let recipient = ledger
                .btc_txs
                .get(leg.payout_tx as usize)
                .and_then(|tx| tx.outputs.get(leg.vout as usize))
                .and_then(|o| o.address);
            if let (Some(node), Some(transfer)) = (
                recipient.and_then(|r| facts.btc_node(r)),
                facts.bridge_transfer(index as u32),
            ) {
                let value = transfer.ranking_value();
                groups.add(node.id.clone(), value, vec![node], vec![transfer]);
            }
            control.step();
        }
    }
    Ok(())
}

/// Bitcoin address: one counterparty per transaction spending from it (`Out`) or paying it
/// (`In`), bringing the transaction with all its ends; plus the bridge legs that paid it.
fn btc_address(
    world: &World,
    facts: &Facts<'_>,
    address: u32,
    direction: Direction,
    control: &JobControl,
    groups: &mut Groups,
) -> Result<(), SourceError> {
    let empty = Vec::new();
    let spending = world.btc_spending.get(address as usize).unwrap_or(&empty);
    let receiving = world.btc_receiving.get(address as usize).unwrap_or(&empty);
    let mut txs: Vec<u32> = Vec::new();
    if direction.includes_out() {
        txs.extend(spending);
    }
    if direction.includes_in() {
        txs.extend(receiving);
    }
    txs.sort_unstable();
    txs.dedup();
    for tx in txs {
        control.check()?;
        let Some(record) = world.ledger.btc_txs.get(tx as usize) else {
            continue;
        };
        let Some(tx_node) = facts.btc_tx_node(tx) else {
            continue;
        };
        let mut nodes = vec![tx_node.clone()];
        let mut transfers = Vec::new();
        let mut value = 0u128;
        let ends = record
            .inputs
            .iter()
            .map(|i| Some(i.address))
            .chain(record.outputs.iter().map(|o| o.address));
        for end in ends.flatten() {
            if let Some(node) = facts.btc_node(end)
                && !nodes.iter().any(|n| n.id == node.id)
            {
                nodes.push(node);
            }
        }
        for (i, input) in record.inputs.iter().enumerate() {
            if let Some(leg) = facts.btc_input_leg(tx, i) {
                if direction.includes_out() && input.address == address {
                    value = value.saturating_add(leg.ranking_value());
                }
                transfers.push(leg);
            }
        }
        for (vout, output) in record.outputs.iter().enumerate() {
            if let Some(leg) = facts.btc_output_leg(tx, vout) {
                if direction.includes_in() && output.address == Some(address) {
                    value = value.saturating_add(leg.ranking_value());
                }
                transfers.push(leg);
            }
        }
        groups.add(tx_node.id, value, nodes, transfers);
        control.step();
    }
    if direction.includes_in()
        && let Some(legs) = world.bridge_legs_by_recipient.get(&address)
    {
        let contract = world.ledger.actors.bridge_contract;
        for &leg in legs {
            control.check()?;
            if let (Some(node), Some(transfer)) =
                (facts.eth_node(contract), facts.bridge_transfer(leg))
            {
                let value = transfer.ranking_value();
                groups.add(node.id.clone(), value, vec![node], vec![transfer]);
            }
            control.step();
        }
    }
    Ok(())
}

/// Bitcoin transaction: one counterparty per output address (`Out`) / input address (`In`).
fn btc_transaction(
    world: &World,
    facts: &Facts<'_>,
    tx: u32,
    direction: Direction,
    control: &JobControl,
    groups: &mut Groups,
) -> Result<(), SourceError> {
    let Some(record) = world.ledger.btc_txs.get(tx as usize) else {
        return Ok(());
    };
    if direction.includes_in() {
        for (i, input) in record.inputs.iter().enumerate() {
            control.check()?;
            if let (Some(node), Some(leg)) =
                (facts.btc_node(input.address), facts.btc_input_leg(tx, i))
            {
                let value = leg.ranking_value();
                groups.add(node.id.clone(), value, vec![node], vec![leg]);
            }
            control.step();
        }
    }
    if direction.includes_out() {
        for (vout, output) in record.outputs.iter().enumerate() {
            control.check()?;
            // An OP_RETURN output has no address: nothing to expand to.
            let node = output.address.and_then(|a| facts.btc_node(a));
            if let (Some(node), Some(leg)) = (node, facts.btc_output_leg(tx, vout)) {
                let value = leg.ranking_value();
                groups.add(node.id.clone(), value, vec![node], vec![leg]);
            }
            control.step();
        }
    }
    Ok(())
}

type Groups = crate::sources::groups::CounterpartyGroups;
