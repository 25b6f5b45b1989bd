//! The generator's bookkeeping: fresh addresses, balances, and transactions that can only spend
//! what their sender holds.
//!
//! [`Sim`] owns the ledger under construction plus the live state of the world (wei and token
//! balances per Ethereum address, unspent outputs per Bitcoin address). Every primitive checks
//! funds first and returns `None` instead of overdrawing, so the scenario can be written
//! optimistically and the ledger still balances: Bitcoin fees come out of the inputs, gas out of
//! the sender's ETH.

use super::clock::{btc_block, eth_block};
use super::ledger::{BridgeLeg, BtcInput, BtcOutput, BtcTx, EthLeg, EthTransfer, Ledger, Prevout};
use super::rng::SplitMix64;
use crate::model::address::{
    BitcoinAddressKind, ParsedAddress, encode_eth, encode_p2pkh, encode_p2sh, encode_p2tr,
    encode_p2wpkh,
};
use crate::model::{Chain, NodeId};
use std::collections::HashMap;
use std::collections::hash_map::Entry;

/// One wei-denominated ether.
pub(super) const ETH_WEI: u128 = 1_000_000_000_000_000_000;
/// One gwei in wei.
pub(super) const GWEI_WEI: u128 = 1_000_000_000;
/// One bitcoin in satoshi.
pub(super) const BTC_SAT: u128 = 100_000_000;
/// One whole demo-token unit in base units (6 decimals).
pub(super) const TOKEN_UNIT: u128 = 1_000_000;
/// Outputs below this many satoshi are not created (they go to the fee instead).
const DUST_SAT: u128 = 546;

/// Which Bitcoin script type a fresh address gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BtcKind {
    P2wpkh,
    P2pkh,
    P2sh,
    P2tr,
}

/// An output an address can spend.
#[derive(Debug, Clone)]
struct Utxo {
    prevout: Prevout,
    amount_sat: u128,
}

/// Ledger under construction plus the live balances.
pub(super) struct Sim {
    pub rng: SplitMix64,
    pub ledger: Ledger,
    eth_index: HashMap<NodeId, u32>,
    btc_index: HashMap<NodeId, u32>,
    wei: Vec<u128>,
    token_units: Vec<u128>,
    utxos: Vec<Vec<Utxo>>,
}

impl Sim {
    /// An empty world drawing randomness from `seed`.
    pub(super) fn new(seed: u64) -> Sim {
        let mut rng = SplitMix64::new(seed);
        let token_contract = encode_eth(&rng.bytes());
        Sim {
            rng,
            ledger: Ledger {
                token_contract,
                ..Ledger::default()
            },
            eth_index: HashMap::new(),
            btc_index: HashMap::new(),
            wei: Vec::new(),
            token_units: Vec::new(),
            utxos: Vec::new(),
        }
    }

    /// Hands over the finished ledger and the address indices built on the way.
    pub(super) fn finish(self) -> (Ledger, HashMap<NodeId, u32>, HashMap<NodeId, u32>) {
        (self.ledger, self.eth_index, self.btc_index)
    }

    // --- addresses -----------------------------------------------------------------------

    /// A fresh Ethereum address holding `opening_wei` and `opening_token` before the window.
    pub(super) fn new_eth(&mut self, opening_wei: u128, opening_token: u128) -> u32 {
        self.new_eth_named(opening_wei, opening_token).0
    }

    /// [`Sim::new_eth`], also returning the new address's node id.
    pub(super) fn new_eth_named(
        &mut self,
        opening_wei: u128,
        opening_token: u128,
    ) -> (u32, NodeId) {
        let id = loop {
            let parsed = ParsedAddress::Ethereum {
                address: encode_eth(&self.rng.bytes()),
                checksummed: false,
            };
            let id = NodeId::address(Chain::ETHEREUM, &parsed);
            let index = self.ledger.eth_ids.len() as u32;
            if let Entry::Vacant(slot) = self.eth_index.entry(id.clone()) {
                slot.insert(index);
                break id;
            }
        };
        let index = self.ledger.eth_ids.len() as u32;
        self.ledger.eth_ids.push(id.clone());
        self.ledger.eth_opening_wei.push(opening_wei);
        self.ledger.eth_opening_token.push(opening_token);
        self.wei.push(opening_wei);
        self.token_units.push(opening_token);
        (index, id)
    }

    /// A fresh Bitcoin address of script type `kind`, holding nothing yet.
    pub(super) fn new_btc(&mut self, kind: BtcKind) -> u32 {
        self.new_btc_named(kind).0
    }

    /// [`Sim::new_btc`], also returning the new address's node id.
    pub(super) fn new_btc_named(&mut self, kind: BtcKind) -> (u32, NodeId) {
        let id = loop {
            let parsed = match kind {
                BtcKind::P2wpkh => ParsedAddress::Bitcoin {
                    address: encode_p2wpkh(&self.rng.bytes()),
                    kind: BitcoinAddressKind::P2wpkh,
                },
                BtcKind::P2pkh => ParsedAddress::Bitcoin {
                    address: encode_p2pkh(&self.rng.bytes()),
                    kind: BitcoinAddressKind::P2pkh,
                },
                BtcKind::P2sh => ParsedAddress::Bitcoin {
                    address: encode_p2sh(&self.rng.bytes()),
                    kind: BitcoinAddressKind::P2sh,
                },
                BtcKind::P2tr => ParsedAddress::Bitcoin {
                    address: encode_p2tr(&self.rng.bytes()),
                    kind: BitcoinAddressKind::P2tr,
                },
            };
            let id = NodeId::address(Chain::Bitcoin, &parsed);
            let index = self.ledger.btc_ids.len() as u32;
            if let Entry::Vacant(slot) = self.btc_index.entry(id.clone()) {
                slot.insert(index);
                break id;
            }
        };
        let index = self.ledger.btc_ids.len() as u32;
        self.ledger.btc_ids.push(id.clone());
        self.utxos.push(Vec::new());
        (index, id)
    }

    /// A fresh Bitcoin address, mostly P2WPKH with the given percentages of the other types.
    pub(super) fn new_btc_mixed(&mut self, p2pkh_pct: u64, p2sh_pct: u64, p2tr_pct: u64) -> u32 {
        let roll = self.rng.below(100);
        let kind = if roll < p2pkh_pct {
            BtcKind::P2pkh
        } else if roll < p2pkh_pct + p2sh_pct {
            BtcKind::P2sh
        } else if roll < p2pkh_pct + p2sh_pct + p2tr_pct {
            BtcKind::P2tr
        } else {
            BtcKind::P2wpkh
        };
        self.new_btc(kind)
    }

    /// Gives `address` an output of `amount_sat` created before the window.
    pub(super) fn prefund_btc(&mut self, address: u32, amount_sat: u128) {
        let prevout = Prevout::PreWindow {
            txid: self.rng.bytes(),
            vout: self.rng.range(0, 3) as u32,
        };
        if let Some(list) = self.utxos.get_mut(address as usize) {
            list.push(Utxo {
                prevout,
                amount_sat,
            });
        }
    }

    // --- Ethereum ------------------------------------------------------------------------

    /// Wei `address` holds now.
    pub(super) fn wei(&self, address: u32) -> u128 {
        self.wei.get(address as usize).copied().unwrap_or(0)
    }

    /// Token units `address` holds now.
    pub(super) fn token_units(&self, address: u32) -> u128 {
        self.token_units.get(address as usize).copied().unwrap_or(0)
    }

    /// Gas cost in wei of `gas_units` at a gas price of 1–4 gwei.
    pub(super) fn gas_fee_wei(&mut self, gas_units: u64) -> u128 {
        let price_wei = self.rng.range_u128(GWEI_WEI, 4 * GWEI_WEI);
        u128::from(gas_units) * price_wei
    }

    /// Sends `amount_wei` from `from` to `to` at `unix_secs`, `from` paying `fee_wei` gas.
    /// Returns the transfer's index, or `None` (and changes nothing) if `from` lacks the funds.
    pub(super) fn send_eth(
        &mut self,
        unix_secs: i64,
        from: u32,
        to: u32,
        amount_wei: u128,
        fee_wei: u128,
    ) -> Option<u32> {
        let cost = amount_wei.checked_add(fee_wei)?;
        if amount_wei == 0 || from == to || self.wei(from) < cost {
            return None;
        }
        self.debit_wei(from, cost);
        self.credit_wei(to, amount_wei);
        let record = EthTransfer {
            hash: self.rng.bytes(),
            leg: EthLeg::Native,
            from,
            to,
            amount: amount_wei,
            fee_wei,
            block: eth_block(unix_secs),
        };
        Some(self.push_eth(record))
    }

    /// Sends `amount` token units from `from` to `to`, `from` paying `fee_wei` gas in ETH.
    pub(super) fn send_token(
        &mut self,
        unix_secs: i64,
        from: u32,
        to: u32,
        amount: u128,
        fee_wei: u128,
    ) -> Option<u32> {
        if amount == 0 || from == to || self.token_units(from) < amount || self.wei(from) < fee_wei
        {
            return None;
        }
        self.debit_wei(from, fee_wei);
        self.move_token(from, to, amount);
        let hash = self.rng.bytes();
        let log_index = self.rng.range(0, 420) as u32;
        let record = EthTransfer {
            hash,
            leg: EthLeg::TokenLog(log_index),
            from,
            to,
            amount,
            fee_wei,
            block: eth_block(unix_secs),
        };
        Some(self.push_eth(record))
    }

    /// One swap transaction: `from` sends `eth_in_wei` to `router`, the router pays
    /// `token_out` back to `from` in the same transaction. `None` if either side lacks funds.
    pub(super) fn swap_eth_for_token(
        &mut self,
        unix_secs: i64,
        from: u32,
        router: u32,
        eth_in_wei: u128,
        token_out: u128,
        fee_wei: u128,
    ) -> Option<u32> {
        let cost = eth_in_wei.checked_add(fee_wei)?;
        if eth_in_wei == 0 || token_out == 0 || from == router {
            return None;
        }
        if self.wei(from) < cost || self.token_units(router) < token_out {
            return None;
        }
        self.debit_wei(from, cost);
        self.credit_wei(router, eth_in_wei);
        self.move_token(router, from, token_out);
        let hash = self.rng.bytes();
        let log_index = self.rng.range(0, 420) as u32;
        let block = eth_block(unix_secs);
        let native = self.push_eth(EthTransfer {
            hash,
            leg: EthLeg::Native,
            from,
            to: router,
            amount: eth_in_wei,
            fee_wei,
            block,
        });
        self.push_eth(EthTransfer {
            hash,
            leg: EthLeg::TokenLog(log_index),
            from: router,
            to: from,
            amount: token_out,
            fee_wei: 0,
            block,
        });
        Some(native)
    }

    /// Appends one leg to the ledger and returns its index.
    fn push_eth(&mut self, record: EthTransfer) -> u32 {
        let index = self.ledger.eth_transfers.len() as u32;
        self.ledger.eth_transfers.push(record);
        index
    }

    fn debit_wei(&mut self, address: u32, amount: u128) {
        if let Some(balance) = self.wei.get_mut(address as usize) {
            *balance = balance.saturating_sub(amount);
        }
    }

    fn credit_wei(&mut self, address: u32, amount: u128) {
        if let Some(balance) = self.wei.get_mut(address as usize) {
            *balance = balance.saturating_add(amount);
        }
    }

    fn move_token(&mut self, from: u32, to: u32, amount: u128) {
        if let Some(balance) = self.token_units.get_mut(from as usize) {
            *balance = balance.saturating_sub(amount);
        }
        if let Some(balance) = self.token_units.get_mut(to as usize) {
            *balance = balance.saturating_add(amount);
        }
    }

    // --- Bitcoin -------------------------------------------------------------------------

    /// Satoshi `address` can spend now.
    pub(super) fn btc_balance(&self, address: u32) -> u128 {
        self.utxos
            .get(address as usize)
            .map_or(0, |list| list.iter().map(|u| u.amount_sat).sum())
    }

    /// A fee rate of 2–6 sat/vB (the calm fee market of early 2025).
    pub(super) fn fee_rate_sat_per_vb(&mut self) -> u128 {
        u128::from(self.rng.range(2, 6))
    }

    /// `from` pays `payments` (`None` = an `OP_RETURN` output of 0 satoshi), spending its
    /// largest outputs first; the change goes to `change_to` at a random position. Returns the
    /// transaction's index, or `None` if `from` cannot cover payments plus fee.
    pub(super) fn btc_pay(
        &mut self,
        unix_secs: i64,
        from: u32,
        payments: &[(Option<u32>, u128)],
        change_to: u32,
    ) -> Option<u32> {
        let wanted_sat: u128 = payments.iter().map(|(_, amount)| amount).sum();
        let rate = self.fee_rate_sat_per_vb();
        let mut available = std::mem::take(self.utxos.get_mut(from as usize)?);
        // Ascending, so the largest outputs pop off the end first.
        available.sort_by_key(|u| u.amount_sat);
        let mut chosen = Vec::new();
        let mut total_sat = 0u128;
        let mut fee_sat = 0u128;
        while let Some(utxo) = available.pop() {
            total_sat += utxo.amount_sat;
            chosen.push(utxo);
            fee_sat = rate * vsize(chosen.len(), payments, true);
            if total_sat >= wanted_sat + fee_sat {
                break;
            }
        }
        let valid_payments = payments
            .iter()
            .all(|(address, amount)| address.is_none() || *amount >= DUST_SAT);
        if total_sat < wanted_sat + fee_sat || !valid_payments || payments.is_empty() {
            chosen.append(&mut available);
            if let Some(list) = self.utxos.get_mut(from as usize) {
                *list = chosen;
            }
            return None;
        }
        if let Some(list) = self.utxos.get_mut(from as usize) {
            *list = available;
        }
        let mut outputs: Vec<BtcOutput> = payments
            .iter()
            .map(|&(address, amount_sat)| BtcOutput {
                address,
                amount_sat,
            })
            .collect();
        let change_sat = total_sat - wanted_sat - fee_sat;
        if change_sat >= DUST_SAT {
            let position = self.rng.index(outputs.len() + 1);
            outputs.insert(
                position,
                BtcOutput {
                    address: Some(change_to),
                    amount_sat: change_sat,
                },
            );
        } else {
            fee_sat += change_sat;
        }
        let inputs = chosen
            .into_iter()
            .map(|u| BtcInput {
                address: from,
                amount_sat: u.amount_sat,
                prevout: u.prevout,
            })
            .collect();
        Some(self.push_btc(unix_secs, inputs, outputs, fee_sat))
    }

    /// Consolidates every output of `froms` (at most `max_inputs`) into one output to `to`.
    pub(super) fn btc_sweep(
        &mut self,
        unix_secs: i64,
        froms: &[u32],
        to: u32,
        max_inputs: usize,
    ) -> Option<u32> {
        let rate = self.fee_rate_sat_per_vb();
        let mut inputs = Vec::new();
        for &from in froms {
            let Some(list) = self.utxos.get_mut(from as usize) else {
                continue;
            };
            while inputs.len() < max_inputs {
                let Some(utxo) = list.pop() else { break };
                inputs.push(BtcInput {
                    address: from,
                    amount_sat: utxo.amount_sat,
                    prevout: utxo.prevout,
                });
            }
        }
        let total_sat: u128 = inputs.iter().map(|i| i.amount_sat).sum();
        let fee_sat = rate * vsize(inputs.len(), &[], true);
        if inputs.is_empty() || total_sat < fee_sat + DUST_SAT {
            // Put everything back; nothing happened.
            for input in inputs.into_iter().rev() {
                if let Some(list) = self.utxos.get_mut(input.address as usize) {
                    list.push(Utxo {
                        prevout: input.prevout,
                        amount_sat: input.amount_sat,
                    });
                }
            }
            return None;
        }
        let outputs = vec![BtcOutput {
            address: Some(to),
            amount_sat: total_sat - fee_sat,
        }];
        Some(self.push_btc(unix_secs, inputs, outputs, fee_sat))
    }

    /// Records that payout transaction `tx` paid `recipient` for bridge deposit `deposit`.
    pub(super) fn record_bridge_leg(&mut self, deposit: u32, tx: u32, recipient: u32) {
        let vout = self
            .ledger
            .btc_txs
            .get(tx as usize)
            .and_then(|t| t.outputs.iter().position(|o| o.address == Some(recipient)));
        if let Some(vout) = vout {
            self.ledger.bridge_legs.push(BridgeLeg {
                deposit,
                payout_tx: tx,
                vout: vout as u32,
            });
        }
    }

    fn push_btc(
        &mut self,
        unix_secs: i64,
        inputs: Vec<BtcInput>,
        outputs: Vec<BtcOutput>,
        fee_sat: u128,
    ) -> u32 {
        let index = self.ledger.btc_txs.len() as u32;
        for (vout, output) in outputs.iter().enumerate() {
            if let Some(address) = output.address
                && let Some(list) = self.utxos.get_mut(address as usize)
            {
                list.push(Utxo {
                    prevout: Prevout::InWorld {
                        tx: index,
                        vout: vout as u32,
                    },
                    amount_sat: output.amount_sat,
                });
            }
        }
        let txid = self.rng.bytes();
        self.ledger.btc_txs.push(BtcTx {
            txid,
            inputs,
            outputs,
            fee_sat,
            block: btc_block(unix_secs),
        });
        index
    }
}

/// Virtual size estimate: segwit inputs of 68 vB, outputs of 31 vB (43 for `OP_RETURN`), plus
/// the change output when `with_change`.
fn vsize(input_count: usize, payments: &[(Option<u32>, u128)], with_change: bool) -> u128 {
    let outputs_vb: usize = payments
        .iter()
        .map(|(address, _)| if address.is_some() { 31 } else { 43 })
        .sum::<usize>()
        + if with_change { 31 } else { 0 };
    (11 + 68 * input_count + outputs_vb) as u128
}
