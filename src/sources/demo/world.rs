//! The generated demo world with its lookup indices, built once per process.
//!
//! [`world`] runs the simulation on first use (`OnceLock`) and indexes the result: Ethereum
//! address → outgoing / incoming transfers, Bitcoin address → transactions spending from it /
//! paying it, txid → transaction, bridge legs by both ends, plus each address's final balance
//! and transaction count.

use super::hex::Hash32;
use super::ledger::{ActorIds, EthLeg, Prevout};
use super::scenario::{Generated, generate};
use crate::model::NodeId;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// The demo ledger and its indices. Every `Vec` indexed by address is as long as the chain's
/// address list.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct World {
    pub ledger: super::ledger::Ledger,
    /// The known actors' node ids.
    pub actor_ids: ActorIds,
    /// Ethereum node id → address index.
    pub eth_index: HashMap<NodeId, u32>,
    /// Transfers sent by each Ethereum address, chronological.
    pub eth_outgoing: Vec<Vec<u32>>,
    /// Transfers received by each Ethereum address, chronological.
    pub eth_incoming: Vec<Vec<u32>>,
    /// Wei each Ethereum address holds at the end of the world.
    pub eth_balance_wei: Vec<u128>,
    /// Token units each Ethereum address holds at the end of the world.
    pub eth_token_balance: Vec<u128>,
    /// Distinct transactions each Ethereum address took part in.
    pub eth_tx_count: Vec<u64>,
    /// Bitcoin node id → address index.
    pub btc_index: HashMap<NodeId, u32>,
    /// Transactions spending from each Bitcoin address, chronological, no repeats.
    pub btc_spending: Vec<Vec<u32>>,
    /// Transactions paying each Bitcoin address, chronological, no repeats.
    pub btc_receiving: Vec<Vec<u32>>,
    /// Satoshi in each Bitcoin address's unspent outputs at the end of the world.
    pub btc_balance_sat: Vec<u128>,
    /// Distinct transactions each Bitcoin address took part in.
    pub btc_tx_count: Vec<u64>,
    /// Txid → transaction index.
    pub tx_index: HashMap<Hash32, u32>,
    /// Bridge legs paid for deposits into the bridge contract, chronological.
    pub bridge_legs_by_recipient: HashMap<u32, Vec<u32>>,
}

static WORLD: OnceLock<World> = OnceLock::new();

/// The demo world, generated on first use and shared afterwards.
pub(super) fn world() -> &'static World {
    WORLD.get_or_init(build_world)
}

/// Generates and indexes a fresh world (the same one on every call).
pub(super) fn build_world() -> World {
    index(generate())
}

fn index(generated: Generated) -> World {
    let Generated {
        ledger,
        actor_ids,
        eth_index,
        btc_index,
    } = generated;
    let eth_count = ledger.eth_ids.len();
    let mut eth_outgoing = vec![Vec::new(); eth_count];
    let mut eth_incoming = vec![Vec::new(); eth_count];
    let mut eth_balance_wei = ledger.eth_opening_wei.clone();
    let mut eth_token_balance = ledger.eth_opening_token.clone();
    for (i, t) in ledger.eth_transfers.iter().enumerate() {
        let (from, to) = (t.from as usize, t.to as usize);
        push_at(&mut eth_outgoing, from, i as u32);
        push_at(&mut eth_incoming, to, i as u32);
        let balances = match t.leg {
            EthLeg::Native => &mut eth_balance_wei,
            EthLeg::TokenLog(_) => &mut eth_token_balance,
        };
        add_at(balances, to, t.amount);
        sub_at(balances, from, t.amount);
        sub_at(&mut eth_balance_wei, from, t.fee_wei);
    }
    // The legs of one transaction are consecutive records, so distinct transactions are the
    // runs of equal hashes in an address's merged, sorted transfer list.
    let eth_tx_count = eth_outgoing
        .iter()
        .zip(&eth_incoming)
        .map(|(out, inc)| {
            let merged = merge_sorted(out, inc);
            let hash_of = |i: &u32| ledger.eth_transfers.get(*i as usize).map(|t| t.hash);
            let mut previous = None;
            let mut count = 0u64;
            for hash in merged.iter().map(hash_of) {
                if hash != previous {
                    count += 1;
                    previous = hash;
                }
            }
            count
        })
        .collect();

    let btc_count = ledger.btc_ids.len();
    let mut btc_spending: Vec<Vec<u32>> = vec![Vec::new(); btc_count];
    let mut btc_receiving: Vec<Vec<u32>> = vec![Vec::new(); btc_count];
    let mut tx_index: HashMap<Hash32, u32> = HashMap::with_capacity(ledger.btc_txs.len());
    let mut spent: HashSet<(u32, u32)> = HashSet::new();
    for (i, tx) in ledger.btc_txs.iter().enumerate() {
        let i = i as u32;
        tx_index.insert(tx.txid, i);
        for input in &tx.inputs {
            push_unique_at(&mut btc_spending, input.address as usize, i);
            if let Prevout::InWorld { tx, vout } = input.prevout {
                spent.insert((tx, vout));
            }
        }
        for output in &tx.outputs {
            if let Some(address) = output.address {
                push_unique_at(&mut btc_receiving, address as usize, i);
            }
        }
    }
    let mut btc_balance_sat = vec![0u128; btc_count];
    for (i, tx) in ledger.btc_txs.iter().enumerate() {
        for (vout, output) in tx.outputs.iter().enumerate() {
            if let Some(address) = output.address
                && !spent.contains(&(i as u32, vout as u32))
            {
                add_at(&mut btc_balance_sat, address as usize, output.amount_sat);
            }
        }
    }
    let btc_tx_count = btc_spending
        .iter()
        .zip(&btc_receiving)
        .map(|(out, inc)| merge_sorted(out, inc).len() as u64)
        .collect();

    let mut bridge_legs_by_recipient: HashMap<u32, Vec<u32>> = HashMap::new();
    for (i, leg) in ledger.bridge_legs.iter().enumerate() {
        let recipient = ledger
            .btc_txs
            .get(leg.payout_tx as usize)
            .and_then(|tx| tx.outputs.get(leg.vout as usize))
            .and_then(|o| o.address);
        if let Some(recipient) = recipient {
            bridge_legs_by_recipient
                .entry(recipient)
                .or_default()
                .push(i as u32);
        }
    }

    World {
        ledger,
        actor_ids,
        eth_index,
        eth_outgoing,
        eth_incoming,
        eth_balance_wei,
        eth_token_balance,
        eth_tx_count,
        btc_index,
        btc_spending,
        btc_receiving,
        btc_balance_sat,
        btc_tx_count,
        tx_index,
        bridge_legs_by_recipient,
    }
}

/// The union of two ascending lists, ascending, without repeats.
fn merge_sorted(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x <= y => {
                i += 1;
                if x == y {
                    j += 1;
                }
                x
            }
            (_, Some(&y)) => {
                j += 1;
                y
            }
            (Some(&x), None) => {
                i += 1;
                x
            }
            (None, None) => break,
        };
        if merged.last() != Some(&next) {
            merged.push(next);
        }
    }
    merged
}

fn push_at(lists: &mut [Vec<u32>], at: usize, value: u32) {
    if let Some(list) = lists.get_mut(at) {
        list.push(value);
    }
}

/// Pushes unless the list already ends with `value` (records arrive grouped by transaction).
fn push_unique_at(lists: &mut [Vec<u32>], at: usize, value: u32) {
    if let Some(list) = lists.get_mut(at)
        && list.last() != Some(&value)
    {
        list.push(value);
    }
}

fn add_at(values: &mut [u128], at: usize, amount: u128) {
    if let Some(v) = values.get_mut(at) {
        *v = v.saturating_add(amount);
    }
}

fn sub_at(values: &mut [u128], at: usize, amount: u128) {
    if let Some(v) = values.get_mut(at) {
        *v = v.saturating_sub(amount);
    }
}
