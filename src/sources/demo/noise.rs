//! Ordinary activity around the services, so the laundering flow hides in a realistic crowd.
//!
//! Exchange Alpha (Ethereum) has customers who deposit ETH and tokens at their own deposit
//! addresses (swept to Alpha's hot wallet, with a gas top-up before a token sweep) and receive
//! withdrawals from the hot wallet. Exchange Beta (Bitcoin) sweeps its deposit addresses in
//! consolidation transactions and pays withdrawals in batches. Some users also swap, mix, bridge
//! and pay each other. The hot wallets become hubs with hundreds of counterparties.

use super::clock::{DAY_SECS, HOUR_SECS, MINUTE_SECS, THEFT_UNIX_SECS, WORLD_END_UNIX_SECS};
use super::flow::{
    GAS_BRIDGE_DEPOSIT, GAS_MIXER_DEPOSIT, GAS_SWAP, GAS_TOKEN_TRANSFER, GAS_TRANSFER, swap_quote,
};
use super::scenario::{BtcRecipient, Event, Scenario};
use super::sim::{BTC_SAT, ETH_WEI, TOKEN_UNIT};

/// Number of ordinary Ethereum users (Alpha's customers).
const ETH_USER_COUNT: usize = 420;
/// Number of ordinary Bitcoin users (Beta's customers).
const BTC_CUSTOMER_COUNT: usize = 360;
/// ETH Alpha sends to a deposit address to pay for a token sweep.
const GAS_TOP_UP_WEI: u128 = 3 * ETH_WEI / 1_000;
/// Most inputs one Beta sweep transaction takes.
const SWEEP_MAX_INPUTS: usize = 50;
/// Most withdrawals one Beta payout batch pays.
const BATCH_MAX_OUTPUTS: usize = 30;

impl Scenario {
    /// Creates the ordinary users and schedules their activity and the exchanges' routines.
    pub(super) fn setup_noise(&mut self) {
        for _ in 0..BTC_CUSTOMER_COUNT {
            let customer = self.sim.new_btc_mixed(15, 20, 10);
            for _ in 0..self.sim.rng.range(1, 3) {
                let amount = self.sim.rng.range_u128(BTC_SAT / 500, 2 * BTC_SAT);
                self.sim.prefund_btc(customer, amount);
            }
            self.btc_customers.push(customer);
        }
        for _ in 0..ETH_USER_COUNT {
            let wei = self.sim.rng.range_u128(ETH_WEI / 5, 40 * ETH_WEI);
            let token = if self.sim.rng.chance(30) {
                self.sim
                    .rng
                    .range_u128(100 * TOKEN_UNIT, 50_000 * TOKEN_UNIT)
            } else {
                0
            };
            let user = self.sim.new_eth(wei, token);
            self.eth_users.push(user);
        }
        for i in 0..self.eth_users.len() {
            self.schedule_eth_user(i);
        }
        for i in 0..self.btc_customers.len() {
            self.schedule_btc_customer(i);
        }
        let first_batch = THEFT_UNIX_SECS + self.sim.rng.range_i64(10 * MINUTE_SECS, HOUR_SECS);
        self.schedule(first_batch, Event::BetaPayoutBatch);
        let first_sweep = THEFT_UNIX_SECS + self.sim.rng.range_i64(HOUR_SECS, 4 * HOUR_SECS);
        self.schedule(first_sweep, Event::BetaSweep);
    }

    /// A random moment in the world's window (not in its last day, so follow-ups fit).
    fn random_time(&mut self) -> i64 {
        self.sim
            .rng
            .range_i64(THEFT_UNIX_SECS + HOUR_SECS, WORLD_END_UNIX_SECS - DAY_SECS)
    }

    fn schedule_eth_user(&mut self, i: usize) {
        let Some(&user) = self.eth_users.get(i) else {
            return;
        };
        for _ in 0..self.sim.rng.range(1, 3) {
            let token = self.sim.rng.chance(30);
            let at = self.random_time();
            self.schedule(at, Event::AlphaWithdrawal { user, token });
        }
        for _ in 0..self.sim.rng.range(0, 3) {
            let token = self.sim.rng.chance(30);
            let at = self.random_time();
            self.schedule(at, Event::EthUserDeposit { user, token });
        }
        let extras = [
            (10, Event::EthUserSwap { user }),
            (8, Event::EthUserMix { user }),
            (6, Event::EthUserBridge { user }),
            (6, Event::BridgeEthPayout { user }),
        ];
        for (percent, event) in extras {
            if self.sim.rng.chance(percent) {
                let at = self.random_time();
                self.schedule(at, event);
            }
        }
        if self.sim.rng.chance(10) {
            let pick = self.sim.rng.index(self.eth_users.len());
            if let Some(&to) = self.eth_users.get(pick) {
                let at = self.random_time();
                self.schedule(at, Event::EthUserToUser { from: user, to });
            }
        }
    }

    fn schedule_btc_customer(&mut self, i: usize) {
        let Some(&customer) = self.btc_customers.get(i) else {
            return;
        };
        for _ in 0..self.sim.rng.range(1, 3) {
            let at = self.random_time();
            self.schedule(at, Event::BetaWithdrawalRequest { customer });
        }
        if self.sim.rng.chance(60) {
            let at = self.random_time();
            self.schedule(at, Event::BtcCustomerDeposit { customer });
        }
        if self.sim.rng.chance(10) {
            let pick = self.sim.rng.index(self.btc_customers.len());
            if let Some(&to) = self.btc_customers.get(pick) {
                let at = self.random_time();
                self.schedule(at, Event::BtcCustomerToCustomer { from: customer, to });
            }
        }
    }

    // --- exchange Alpha (Ethereum) -------------------------------------------------------

    /// Schedules the sweep of an Alpha deposit address a little after a deposit.
    pub(super) fn schedule_alpha_sweep(&mut self, t: i64, deposit: u32) {
        let at = t + self.sim.rng.range_i64(5 * MINUTE_SECS, 90 * MINUTE_SECS);
        self.schedule(at, Event::AlphaSweep { deposit });
    }

    /// Sweeps a deposit address to the hot wallet: tokens after a gas top-up, else the ETH.
    pub(super) fn alpha_sweep(&mut self, t: i64, deposit: u32) {
        let hot = self.actors.alpha_hot_wallet;
        if self.sim.token_units(deposit) > 0 {
            let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
            if self
                .sim
                .send_eth(t, hot, deposit, GAS_TOP_UP_WEI, fee)
                .is_some()
            {
                let at = t + self.sim.rng.range_i64(MINUTE_SECS, 6 * MINUTE_SECS);
                self.schedule(at, Event::AlphaTokenSweep { deposit });
            }
            return;
        }
        let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
        let amount = self.sim.wei(deposit).saturating_sub(fee);
        // Dust (a gas top-up's remainder) is not worth sweeping.
        if amount > ETH_WEI / 100 {
            self.sim.send_eth(t, deposit, hot, amount, fee);
        }
    }

    /// Sweeps a deposit address's tokens to the hot wallet, paying gas from the top-up.
    pub(super) fn alpha_token_sweep(&mut self, t: i64, deposit: u32) {
        let units = self.sim.token_units(deposit);
        let fee = self.sim.gas_fee_wei(GAS_TOKEN_TRANSFER);
        let hot = self.actors.alpha_hot_wallet;
        self.sim.send_token(t, deposit, hot, units, fee);
    }

    /// Alpha's hot wallet pays a customer's withdrawal in ETH or tokens.
    pub(super) fn alpha_withdrawal(&mut self, t: i64, user: u32, token: bool) {
        let hot = self.actors.alpha_hot_wallet;
        if token {
            let amount = self
                .sim
                .rng
                .range_u128(50 * TOKEN_UNIT, 20_000 * TOKEN_UNIT);
            let fee = self.sim.gas_fee_wei(GAS_TOKEN_TRANSFER);
            self.sim.send_token(t, hot, user, amount, fee);
        } else {
            let amount = self.sim.rng.range_u128(ETH_WEI / 20, 20 * ETH_WEI);
            let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
            self.sim.send_eth(t, hot, user, amount, fee);
        }
    }

    /// The Alpha deposit address of `user`, created on first use.
    fn alpha_deposit_address(&mut self, user: u32) -> u32 {
        if let Some(&deposit) = self.alpha_deposit_of.get(&user) {
            return deposit;
        }
        let deposit = self.sim.new_eth(0, 0);
        self.alpha_deposit_of.insert(user, deposit);
        deposit
    }

    /// A customer deposits part of their ETH or tokens at their Alpha deposit address.
    pub(super) fn eth_user_deposit(&mut self, t: i64, user: u32, token: bool) {
        let deposit = self.alpha_deposit_address(user);
        let percent = u128::from(self.sim.rng.range(20, 80));
        let sent = if token && self.sim.token_units(user) > 0 {
            let amount = self.sim.token_units(user) / 100 * percent;
            let fee = self.sim.gas_fee_wei(GAS_TOKEN_TRANSFER);
            self.sim.send_token(t, user, deposit, amount, fee)
        } else {
            let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
            let amount = self.sim.wei(user).saturating_sub(fee) / 100 * percent;
            self.sim.send_eth(t, user, deposit, amount, fee)
        };
        if sent.is_some() {
            self.schedule_alpha_sweep(t, deposit);
        }
    }

    // --- other Ethereum activity ---------------------------------------------------------

    /// A user swaps part of their ETH for tokens.
    pub(super) fn eth_user_swap(&mut self, t: i64, user: u32) {
        let percent = u128::from(self.sim.rng.range(10, 50));
        let eth_in = self.sim.wei(user) / 100 * percent;
        let fee = self.sim.gas_fee_wei(GAS_SWAP);
        let router = self.actors.swap_router;
        self.sim
            .swap_eth_for_token(t, user, router, eth_in, swap_quote(eth_in), fee);
    }

    /// A user deposits 1 or 10 ETH into the mixer.
    pub(super) fn eth_user_mix(&mut self, t: i64, user: u32) {
        let balance = self.sim.wei(user);
        let denomination_wei = if balance > 11 * ETH_WEI {
            10 * ETH_WEI
        } else {
            ETH_WEI
        };
        let fee = self.sim.gas_fee_wei(GAS_MIXER_DEPOSIT);
        if balance > denomination_wei + fee {
            self.mixer_deposit(t, user, denomination_wei, false);
        }
    }

    /// A user bridges part of their ETH to a Bitcoin customer's address.
    pub(super) fn eth_user_bridge(&mut self, t: i64, user: u32) {
        let pick = self.sim.rng.index(self.btc_customers.len());
        let Some(&customer) = self.btc_customers.get(pick) else {
            return;
        };
        let fee = self.sim.gas_fee_wei(GAS_BRIDGE_DEPOSIT);
        let percent = u128::from(self.sim.rng.range(20, 60));
        let amount = self.sim.wei(user).saturating_sub(fee) / 100 * percent;
        let bridge = self.actors.bridge_contract;
        if let Some(deposit) = self.sim.send_eth(t, user, bridge, amount, fee) {
            let at = t + self.sim.rng.range_i64(8 * MINUTE_SECS, 40 * MINUTE_SECS);
            self.schedule(
                at,
                Event::BridgePayout {
                    deposit,
                    amount_wei: amount,
                    recipient: BtcRecipient::Customer(customer),
                },
            );
        }
    }

    /// The bridge contract pays ETH to a user who bridged from another chain.
    pub(super) fn bridge_eth_payout(&mut self, t: i64, user: u32) {
        let amount = self.sim.rng.range_u128(ETH_WEI / 10, 15 * ETH_WEI);
        let bridge = self.actors.bridge_contract;
        self.sim.send_eth(t, bridge, user, amount, 0);
    }

    /// One user pays another.
    pub(super) fn eth_user_to_user(&mut self, t: i64, from: u32, to: u32) {
        let fee = self.sim.gas_fee_wei(GAS_TRANSFER);
        let percent = u128::from(self.sim.rng.range(5, 30));
        let amount = self.sim.wei(from).saturating_sub(fee) / 100 * percent;
        self.sim.send_eth(t, from, to, amount, fee);
    }

    // --- exchange Beta (Bitcoin) ---------------------------------------------------------

    /// A customer asks Beta for a withdrawal; the next batch pays it.
    pub(super) fn beta_withdrawal_request(&mut self, customer: u32) {
        let amount = self.sim.rng.range_u128(BTC_SAT / 500, 3 * BTC_SAT / 2);
        self.beta_withdrawals.push((customer, amount));
    }

    /// Beta pays the waiting withdrawals in batch transactions.
    pub(super) fn beta_payout_batch(&mut self, t: i64) {
        let waiting = std::mem::take(&mut self.beta_withdrawals);
        let hot = self.actors.beta_hot_wallet;
        for batch in waiting.chunks(BATCH_MAX_OUTPUTS) {
            let payments: Vec<(Option<u32>, u128)> =
                batch.iter().map(|&(c, amount)| (Some(c), amount)).collect();
            self.sim.btc_pay(t, hot, &payments, hot);
        }
        let at = t + self.sim.rng.range_i64(HOUR_SECS, 3 * HOUR_SECS);
        self.schedule(at, Event::BetaPayoutBatch);
    }

    /// Beta consolidates its deposit addresses into the hot wallet.
    pub(super) fn beta_sweep(&mut self, t: i64) {
        let unswept = std::mem::take(&mut self.beta_unswept);
        self.beta_unswept_set.clear();
        let hot = self.actors.beta_hot_wallet;
        for chunk in unswept.chunks(SWEEP_MAX_INPUTS / 2) {
            self.sim.btc_sweep(t, chunk, hot, SWEEP_MAX_INPUTS);
        }
        let at = t + self.sim.rng.range_i64(4 * HOUR_SECS, 8 * HOUR_SECS);
        self.schedule(at, Event::BetaSweep);
    }

    /// The Beta deposit address of `customer`, created on first use.
    fn beta_deposit_address(&mut self, customer: u32) -> u32 {
        if let Some(&deposit) = self.beta_deposit_of.get(&customer) {
            return deposit;
        }
        let deposit = self.sim.new_btc_mixed(0, 40, 0);
        self.beta_deposit_of.insert(customer, deposit);
        deposit
    }

    /// A customer deposits part of their coins at their Beta deposit address.
    pub(super) fn btc_customer_deposit(&mut self, t: i64, customer: u32) {
        let deposit = self.beta_deposit_address(customer);
        let percent = u128::from(self.sim.rng.range(30, 90));
        let amount = self.sim.btc_balance(customer) / 100 * percent;
        if self
            .sim
            .btc_pay(t, customer, &[(Some(deposit), amount)], customer)
            .is_some()
        {
            self.note_beta_deposit(deposit);
        }
    }

    /// One Bitcoin customer pays another.
    pub(super) fn btc_customer_to_customer(&mut self, t: i64, from: u32, to: u32) {
        if from == to {
            return;
        }
        let percent = u128::from(self.sim.rng.range(10, 50));
        let amount = self.sim.btc_balance(from) / 100 * percent;
        self.sim.btc_pay(t, from, &[(Some(to), amount)], from);
    }
}
