//! The laundering flow of the demo world, modelled on the DPRK pattern after the Bybit theft.
//!
//! Theft from the victim's cold wallet → 40 split addresses of 10,000 ETH → ETH peel chains
//! (each hop keeps 1.5–4 % and passes the rest on) → the kept parts go into the mixer (fixed
//! denominations, withdrawn days later to fresh addresses), through the swap router into the
//! demo stablecoin and on to exchange Alpha, straight to Alpha, or over the bridge; each chain's
//! remainder is bridged to Bitcoin, where the bridge's hot wallet pays fresh addresses that start
//! Bitcoin peel chains ending at exchange Beta's deposit addresses.

use super::clock::{DAY_SECS, HOUR_SECS, MINUTE_SECS};
use super::scenario::{BtcRecipient, Event, Scenario};
use super::sim::{BtcKind, ETH_WEI, TOKEN_UNIT};

/// Wei taken from the victim's cold wallet (≈ 401,346.77 ETH).
pub(super) const THEFT_WEI: u128 = 401_346_768_653_200_000_000_000;
/// Number of addresses the theft address splits the funds across.
pub(super) const SPLIT_COUNT: usize = 40;
/// Wei sent to each split address.
const SPLIT_WEI: u128 = 10_000 * ETH_WEI;
/// Satoshi the bridge pays per ETH (1 ETH ≈ 0.02745 BTC, February 2025).
const SATS_PER_ETH: u128 = 2_745_000;
/// Bridge fee in basis points of the payout.
const BRIDGE_FEE_BPS: u128 = 50;
/// Token units the router pays per ETH before its fee (≈ 2,675 USDT per ETH).
const TOKEN_UNITS_PER_ETH: u128 = 2_675 * TOKEN_UNIT;
/// Router fee in basis points.
const SWAP_FEE_BPS: u128 = 30;
/// Gas of a plain ETH transfer, a token transfer, a swap, a mixer deposit, a bridge deposit.
pub(super) const GAS_TRANSFER: u64 = 21_000;
pub(super) const GAS_TOKEN_TRANSFER: u64 = 65_000;
pub(super) const GAS_SWAP: u64 = 160_000;
pub(super) const GAS_MIXER_DEPOSIT: u64 = 900_000;
pub(super) const GAS_BRIDGE_DEPOSIT: u64 = 90_000;
/// ETH a laundering address holds back for gas when it spends "everything".
const GAS_RESERVE_WEI: u128 = ETH_WEI / 20;

impl Scenario {
    /// The victim's cold wallet is drained to the theft address.
    pub(super) fn theft(&mut self, t: i64) {
        let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
        let (cold, theft) = (self.actors.victim_cold_wallet, self.actors.theft);
        if self.sim.send_eth(t, cold, theft, THEFT_WEI, fee).is_none() {
            return;
        }
        let mut at = t + 25 * MINUTE_SECS;
        for index in 0..SPLIT_COUNT {
            at += self.sim.rng.range_i64(30, 120);
            self.schedule(at, Event::Split { index });
        }
    }

    /// The theft address sends 10,000 ETH to split address `index`.
    pub(super) fn split(&mut self, t: i64, index: usize) {
        let Some(&split) = self.actors.splits.get(index) else {
            return;
        };
        let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
        if self
            .sim
            .send_eth(t, self.actors.theft, split, SPLIT_WEI, fee)
            .is_some()
        {
            let hops = self.sim.rng.range(9, 15) as u32;
            let at = t + self.sim.rng.range_i64(HOUR_SECS, 8 * HOUR_SECS);
            self.schedule(
                at,
                Event::PeelHop {
                    address: split,
                    hops_left: hops,
                },
            );
        }
    }

    /// One hop of an ETH peel chain: keep a small part, pass the rest to a fresh address.
    pub(super) fn peel_hop(&mut self, t: i64, address: u32, hops_left: u32) {
        if hops_left == 0 {
            let parts = self.sim.rng.range(1, 3) as u32;
            let recipient = BtcRecipient::FreshPeelChain;
            self.schedule(
                t,
                Event::BridgeDeposit {
                    from: address,
                    parts_left: parts,
                    recipient,
                },
            );
            return;
        }
        let balance = self.sim.wei(address);
        let keep = balance / 10_000 * u128::from(self.sim.rng.range(150, 400));
        let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
        let Some(forward) = balance.checked_sub(keep + fee) else {
            return;
        };
        let next = self.sim.new_eth(0, 0);
        if self.sim.send_eth(t, address, next, forward, fee).is_none() {
            return;
        }
        let spend_at = t + self.sim.rng.range_i64(30 * MINUTE_SECS, 36 * HOUR_SECS);
        self.schedule(spend_at, Event::KeptSpend { address });
        let next_at = t + self.sim.rng.range_i64(20 * MINUTE_SECS, 10 * HOUR_SECS);
        self.schedule(
            next_at,
            Event::PeelHop {
                address: next,
                hops_left: hops_left - 1,
            },
        );
    }

    /// A peel hop spends what it kept: mixer, swap, exchange Alpha, bridge, or nothing.
    pub(super) fn kept_spend(&mut self, t: i64, address: u32) {
        let roll = self.sim.rng.below(100);
        if roll < 35 {
            self.schedule_mixer_deposits(t, address);
        } else if roll < 60 {
            self.swap_all(t, address);
        } else if roll < 80 {
            self.deposit_eth_at_fresh_alpha(t, address);
        } else if roll < 88 {
            self.schedule(
                t,
                Event::BridgeDeposit {
                    from: address,
                    parts_left: 1,
                    recipient: BtcRecipient::FreshPeelChain,
                },
            );
        }
        // Otherwise the kept part stays where it is (a dormant balance).
    }

    /// Up to four mixer deposits of the largest denomination the address can afford.
    fn schedule_mixer_deposits(&mut self, t: i64, address: u32) {
        let spendable = self.sim.wei(address).saturating_sub(GAS_RESERVE_WEI);
        let denomination_wei = if spendable >= 100 * ETH_WEI {
            100 * ETH_WEI
        } else {
            10 * ETH_WEI
        };
        let count = (spendable / denomination_wei).min(4);
        let mut at = t;
        for _ in 0..count {
            self.schedule(
                at,
                Event::MixerDeposit {
                    from: address,
                    denomination_wei,
                    laundering: true,
                },
            );
            at += self.sim.rng.range_i64(2 * MINUTE_SECS, 15 * MINUTE_SECS);
        }
    }

    /// A deposit of one denomination into the mixer; the withdrawal follows days later.
    pub(super) fn mixer_deposit(
        &mut self,
        t: i64,
        from: u32,
        denomination_wei: u128,
        laundering: bool,
    ) {
        let fee = self.sim.gas_fee_wei(GAS_MIXER_DEPOSIT);
        let mixer = self.actors.mixer;
        if self
            .sim
            .send_eth(t, from, mixer, denomination_wei, fee)
            .is_some()
        {
            let at = t + self.sim.rng.range_i64(DAY_SECS, 6 * DAY_SECS);
            self.schedule(
                at,
                Event::MixerWithdrawal {
                    denomination_wei,
                    laundering,
                },
            );
        }
    }

    /// The mixer pays a denomination (less the relayer's fee) to a fresh address.
    pub(super) fn mixer_withdrawal(&mut self, t: i64, denomination_wei: u128, laundering: bool) {
        let relayer_fee = denomination_wei / 10_000 * u128::from(self.sim.rng.range(10, 30));
        let fresh = self.sim.new_eth(0, 0);
        let mixer = self.actors.mixer;
        if self
            .sim
            .send_eth(t, mixer, fresh, denomination_wei - relayer_fee, 0)
            .is_none()
        {
            return;
        }
        let at = t + self.sim.rng.range_i64(HOUR_SECS, 2 * DAY_SECS);
        if laundering {
            self.schedule(at, Event::WithdrawnSpend { address: fresh });
        } else if self.sim.rng.chance(50) {
            self.schedule(at, Event::FreshToAlpha { address: fresh });
        }
    }

    /// A fresh mixer withdrawal address moves on: bridge, swap, or exchange Alpha.
    pub(super) fn withdrawn_spend(&mut self, t: i64, address: u32) {
        let roll = self.sim.rng.below(100);
        if roll < 25 {
            self.schedule(
                t,
                Event::BridgeDeposit {
                    from: address,
                    parts_left: 1,
                    recipient: BtcRecipient::FreshPeelChain,
                },
            );
        } else if roll < 60 {
            self.swap_all(t, address);
        } else {
            self.deposit_eth_at_fresh_alpha(t, address);
        }
    }

    /// Swaps all ETH but a gas reserve into the token; the tokens go to Alpha later.
    fn swap_all(&mut self, t: i64, address: u32) {
        let eth_in = self.sim.wei(address).saturating_sub(GAS_RESERVE_WEI);
        let token_out = swap_quote(eth_in);
        let fee = self.sim.gas_fee_wei(GAS_SWAP);
        let router = self.actors.swap_router;
        if self
            .sim
            .swap_eth_for_token(t, address, router, eth_in, token_out, fee)
            .is_some()
        {
            let at = t + self.sim.rng.range_i64(10 * MINUTE_SECS, 4 * HOUR_SECS);
            self.schedule(at, Event::TokenToAlpha { address });
        }
    }

    /// All tokens of `address` go to a fresh Alpha deposit address.
    pub(super) fn token_to_alpha(&mut self, t: i64, address: u32) {
        let units = self.sim.token_units(address);
        let deposit = self.sim.new_eth(0, 0);
        let fee = self.sim.gas_fee_wei(GAS_TOKEN_TRANSFER);
        if self
            .sim
            .send_token(t, address, deposit, units, fee)
            .is_some()
        {
            self.schedule_alpha_sweep(t, deposit);
        }
    }

    /// All ETH of `address` (less gas) goes to a fresh Alpha deposit address.
    pub(super) fn deposit_eth_at_fresh_alpha(&mut self, t: i64, address: u32) {
        let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
        let amount = self.sim.wei(address).saturating_sub(fee);
        let deposit = self.sim.new_eth(0, 0);
        if self
            .sim
            .send_eth(t, address, deposit, amount, fee)
            .is_some()
        {
            self.schedule_alpha_sweep(t, deposit);
        }
    }

    /// A deposit into the bridge contract, in `parts_left` pieces spread over minutes; each
    /// is paid out in BTC shortly after.
    pub(super) fn bridge_deposit(
        &mut self,
        t: i64,
        from: u32,
        parts_left: u32,
        recipient: BtcRecipient,
    ) {
        let fee = self.sim.gas_fee_wei(GAS_BRIDGE_DEPOSIT);
        let balance = self.sim.wei(from);
        let amount = if parts_left <= 1 {
            balance.saturating_sub(fee)
        } else {
            balance / u128::from(parts_left)
        };
        let bridge = self.actors.bridge_contract;
        let Some(deposit) = self.sim.send_eth(t, from, bridge, amount, fee) else {
            return;
        };
        let payout_at = t + self.sim.rng.range_i64(8 * MINUTE_SECS, 40 * MINUTE_SECS);
        self.schedule(
            payout_at,
            Event::BridgePayout {
                deposit,
                amount_wei: amount,
                recipient,
            },
        );
        if parts_left > 1 {
            let next_at = t + self.sim.rng.range_i64(3 * MINUTE_SECS, 25 * MINUTE_SECS);
            self.schedule(
                next_at,
                Event::BridgeDeposit {
                    from,
                    parts_left: parts_left - 1,
                    recipient,
                },
            );
        }
    }

    /// The bridge's Bitcoin hot wallet pays for an ETH deposit.
    pub(super) fn bridge_payout(
        &mut self,
        t: i64,
        deposit: u32,
        amount_wei: u128,
        recipient: BtcRecipient,
    ) {
        let payout_sat = bridge_quote_sat(amount_wei);
        let to = match recipient {
            BtcRecipient::FreshPeelChain => self.sim.new_btc_mixed(5, 0, 15),
            BtcRecipient::Customer(customer) => customer,
        };
        let hot = self.actors.bridge_btc_hot_wallet;
        let Some(tx) = self.sim.btc_pay(t, hot, &[(Some(to), payout_sat)], hot) else {
            return;
        };
        self.sim.record_bridge_leg(deposit, tx, to);
        if recipient == BtcRecipient::FreshPeelChain {
            let hops = self.sim.rng.range(3, 7) as u32;
            let at = t + self.sim.rng.range_i64(30 * MINUTE_SECS, 12 * HOUR_SECS);
            self.schedule(
                at,
                Event::BtcPeelHop {
                    address: to,
                    hops_left: hops,
                },
            );
        }
    }

    /// One hop of a Bitcoin peel chain: one or two small payments, change to a fresh address.
    pub(super) fn btc_peel_hop(&mut self, t: i64, address: u32, hops_left: u32) {
        let total_sat = self.sim.btc_balance(address);
        if total_sat == 0 {
            return;
        }
        if hops_left == 0 {
            if self.sim.rng.chance(50) {
                let deposit = self.sim.new_btc_mixed(0, 30, 0);
                let beta_deposited = self.sim.btc_sweep(t, &[address], deposit, 50).is_some();
                if beta_deposited {
                    self.note_beta_deposit(deposit);
                }
            }
            return;
        }
        let peel_count = if self.sim.rng.chance(20) { 2 } else { 1 };
        let mut payments = Vec::new();
        for _ in 0..peel_count {
            let peel_sat = total_sat / 10_000 * u128::from(self.sim.rng.range(300, 900));
            let roll = self.sim.rng.below(100);
            let to = if roll < 65 || self.btc_customers.is_empty() {
                let deposit = self.sim.new_btc_mixed(0, 30, 0);
                self.note_beta_deposit(deposit);
                deposit
            } else if roll < 85 {
                let pick = self.sim.rng.index(self.btc_customers.len());
                self.btc_customers.get(pick).copied().unwrap_or(address)
            } else {
                self.sim.new_btc(BtcKind::P2pkh)
            };
            payments.push((Some(to), peel_sat));
        }
        if self.sim.rng.chance(5) {
            // An OP_RETURN data output: no address, no value.
            payments.push((None, 0));
        }
        let next = if self.sim.rng.chance(85) {
            self.sim.new_btc(BtcKind::P2wpkh)
        } else {
            self.sim.new_btc(BtcKind::P2tr)
        };
        if self.sim.btc_pay(t, address, &payments, next).is_some() {
            let at = t + self.sim.rng.range_i64(20 * MINUTE_SECS, 12 * HOUR_SECS);
            self.schedule(
                at,
                Event::BtcPeelHop {
                    address: next,
                    hops_left: hops_left - 1,
                },
            );
        }
    }
}

/// Token units the router pays for `eth_in_wei`, after its fee.
pub(super) fn swap_quote(eth_in_wei: u128) -> u128 {
    let gross = eth_in_wei / 1_000_000_000 * TOKEN_UNITS_PER_ETH / 1_000_000_000;
    gross - gross / 10_000 * SWAP_FEE_BPS
}

/// Satoshi the bridge pays for `amount_wei`, after its fee.
pub(super) fn bridge_quote_sat(amount_wei: u128) -> u128 {
    let gross_sat = amount_wei / 1_000_000_000 * SATS_PER_ETH / 1_000_000_000;
    gross_sat - gross_sat / 10_000 * BRIDGE_FEE_BPS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::demo::sim::BTC_SAT;

    #[test]
    fn quotes_follow_the_rates() {
        // 100 ETH at 0.02745 BTC/ETH less 0.5 %.
        assert_eq!(bridge_quote_sat(100 * ETH_WEI), 274_500_000 - 1_372_500);
        assert!(bridge_quote_sat(100 * ETH_WEI) < 3 * BTC_SAT);
        // 1 ETH at 2,675 tokens less 0.3 %.
        assert_eq!(swap_quote(ETH_WEI), 2_675_000_000 - 8_025_000);
        assert_eq!(swap_quote(0), 0);
    }
}
