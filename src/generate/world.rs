//! The structures of a synthetic laundering case, each spending a share of the node budget:
//! exchanges (a hot wallet per exchange, thousands of deposit addresses swept into it, customers
//! who deposit and withdraw, some at several exchanges), thefts that fan out to split wallets,
//! peel chains that peel small amounts into exchange deposits, a mixer with many deposits and
//! withdrawals, and unrelated noise; then repeat deposits and sweeps bring the case to about
//! [`TRANSFERS_PER_NODE`] transfers per node.

use super::builder::{Builder, Coin, HISTORY_SPAN_SECS, HISTORY_START_UNIX_SECS};
use crate::model::{Category, Confidence, Tag};

/// Transfers per node the finished case aims at.
pub(super) const TRANSFERS_PER_NODE: f64 = 1.5;
/// Source written on every generated tag.
const TAG_SOURCE: &str = "caseboard generate (synthetic)";
/// Shares of the node budget, in percent: exchanges, thefts (fan-outs and peel chains), the
/// mixer and its withdrawals; the rest is noise.
const EXCHANGE_PERCENT: usize = 50;
const THEFT_PERCENT: usize = 22;
const MIXER_PERCENT: usize = 12;

/// One exchange: its hot wallet, chain and deposit addresses.
struct Exchange {
    hot: u32,
    coin: Coin,
    deposits: Vec<u32>,
}

/// Everything the structures share while they are generated.
pub(super) struct World {
    pub(super) b: Builder,
    exchanges: Vec<Exchange>,
    /// Account-chain customers (for deposits at a second exchange).
    customers: Vec<(u32, Coin)>,
    /// Account pairs that may see another transfer (repeat deposits, sweeps, payments).
    repeatable: Vec<(u32, u32, Coin)>,
    mixer: Option<u32>,
}

impl World {
    pub(super) fn new(b: Builder) -> World {
        World {
            b,
            exchanges: Vec::new(),
            customers: Vec::new(),
            repeatable: Vec::new(),
            mixer: None,
        }
    }

    /// Generates every structure within the builder's budget.
    pub(super) fn generate(&mut self) {
        let n = self.b.budget;
        let exchange_count = (n / 6_000).clamp(2, 10);
        self.create_exchanges(exchange_count);
        self.mixer = self.create_mixer();
        let exchange_budget = n * EXCHANGE_PERCENT / 100;
        self.fill_exchanges(exchange_budget);
        let theft_budget = n * THEFT_PERCENT / 100;
        let thefts = (n / 25_000).clamp(1, 4);
        for k in 0..thefts {
            let until = self.b.node_count() + theft_budget / thefts;
            self.theft(k, until);
        }
        let mixer_budget = n * MIXER_PERCENT / 100;
        self.mixer_withdrawals(self.b.node_count() + mixer_budget);
        self.noise();
        self.repeat_transfers();
    }

    fn tag(&mut self, node: u32, label: String, category: Category, confidence: Confidence) {
        let mut tag = Tag::new(&label, category, confidence, TAG_SOURCE);
        tag.created = HISTORY_START_UNIX_SECS + HISTORY_SPAN_SECS;
        self.b.tag(node, tag);
    }

    fn create_exchanges(&mut self, count: usize) {
        for k in 0..count {
            if self.b.room() == 0 {
                return;
            }
            // Every third exchange (the second, fifth, …) runs on Bitcoin.
            let coin = if k % 3 == 1 { Coin::Btc } else { Coin::Eth };
            let hot = self.b.address(coin);
            let chain = if coin == Coin::Btc {
                "Bitcoin"
            } else {
                "Ethereum"
            };
            self.tag(
                hot,
                format!("Exchange {} hot wallet ({chain}, synthetic)", k + 1),
                Category::Exchange,
                Confidence::ServiceData,
            );
            self.exchanges.push(Exchange {
                hot,
                coin,
                deposits: Vec::new(),
            });
        }
    }

    fn create_mixer(&mut self) -> Option<u32> {
        if self.b.room() == 0 {
            return None;
        }
        let mixer = self.b.eth_address();
        self.tag(
            mixer,
            "Mixer pool (synthetic)".to_owned(),
            Category::Mixer,
            Confidence::AuthorityData,
        );
        Some(mixer)
    }

    /// Exchange `k` of a Zipf-like choice: the first exchanges are the largest.
    fn pick_exchange(&mut self) -> Option<usize> {
        let count = self.exchanges.len();
        if count == 0 {
            return None;
        }
        let weights_total: f64 = (1..=count).map(|r| 1.0 / r as f64).sum();
        let mut draw = self.b.rng.unit() * weights_total;
        for r in 1..=count {
            draw -= 1.0 / r as f64;
            if draw <= 0.0 {
                return Some(r - 1);
            }
        }
        Some(count - 1)
    }

    /// A new deposit address at exchange `e`, swept into the hot wallet. Bitcoin deposits are
    /// swept by consolidating transactions, added once enough deposits wait.
    fn new_deposit(&mut self, e: usize) -> Option<u32> {
        let coin = self.exchanges[e].coin;
        if self.b.room() < 2 {
            return None;
        }
        let deposit = self.b.address(coin);
        self.exchanges[e].deposits.push(deposit);
        let hot = self.exchanges[e].hot;
        if coin != Coin::Btc {
            let time = self.b.random_time();
            let amount = self.b.rng.amount(coin.one() / 100, coin.one() * 50, 12);
            self.b.send(deposit, hot, coin, amount, time);
            self.repeatable.push((deposit, hot, coin));
        } else if self.exchanges[e].deposits.len().is_multiple_of(12) {
            // Consolidate the last dozen deposits into the hot wallet.
            let deposits = self.exchanges[e].deposits.clone();
            let inputs = &deposits[deposits.len() - 12..];
            let amount = self.b.rng.amount(coin.one() / 10, coin.one() * 40, 4);
            let time = self.b.random_time();
            self.b.btc_tx(inputs, &[(hot, amount)], time);
        }
        Some(deposit)
    }

    /// A deposit address of exchange `e` for a payment: usually a new one.
    fn deposit_for_payment(&mut self, e: usize) -> Option<u32> {
        let existing = self.exchanges[e].deposits.len();
        if existing > 0 && (self.b.rng.chance(25) || self.b.room() < 4) {
            let k = self.b.rng.below(existing);
            return Some(self.exchanges[e].deposits[k]);
        }
        self.new_deposit(e)
    }

    /// Deposits by customers until the exchanges hold `budget` nodes; some customers also
    /// withdraw, and some use a second exchange.
    fn fill_exchanges(&mut self, budget: usize) {
        let until = self.b.node_count() + budget;
        while self.b.node_count() + 4 < until && self.b.room() > 12 {
            let Some(e) = self.pick_exchange() else {
                return;
            };
            let coin = self.exchanges[e].coin;
            let Some(deposit) = self.new_deposit(e) else {
                return;
            };
            let customers = if self.b.rng.chance(30) { 2 } else { 1 };
            for _ in 0..customers {
                let reuse = self
                    .customers
                    .iter()
                    .rposition(|&(_, c)| c == coin)
                    .filter(|_| self.b.rng.chance(15));
                let customer = match reuse {
                    Some(k) => self.customers[k].0,
                    None => {
                        let c = self.b.address(coin);
                        if coin != Coin::Btc {
                            self.customers.push((c, coin));
                        }
                        c
                    }
                };
                let time = self.b.random_time();
                let amount = self.b.rng.amount(coin.one() / 200, coin.one() * 20, 12);
                self.b.pay(customer, deposit, coin, amount, time);
                if coin != Coin::Btc {
                    self.repeatable.push((customer, deposit, coin));
                }
                if self.b.rng.chance(20) {
                    let hot = self.exchanges[e].hot;
                    let time = self.b.random_time();
                    let amount = self.b.rng.amount(coin.one() / 200, coin.one() * 10, 12);
                    self.b.pay(hot, customer, coin, amount, time);
                }
            }
            // Customers that a second exchange knows tie the hubs together.
            if self.b.rng.chance(5)
                && let Some(other) = self.pick_exchange()
                && other != e
                && self.exchanges[other].coin == coin
                && coin != Coin::Btc
            {
                let hot = self.exchanges[other].hot;
                let time = self.b.random_time();
                let amount = self.b.rng.amount(coin.one() / 100, coin.one() * 5, 12);
                self.b.send(hot, deposit, coin, amount, time);
            }
        }
    }

    /// A theft: the victim's wallet is drained to a theft address, which splits the funds
    /// across many wallets (a fan-out); each split wallet starts a peel chain or pays into the
    /// mixer. Stops at `until` nodes.
    fn theft(&mut self, k: usize, until: usize) {
        if self.b.room() < 3 {
            return;
        }
        let victim = self.b.eth_address();
        let theft = self.b.eth_address();
        self.tag(
            victim,
            format!("Victim cold wallet {} (synthetic)", k + 1),
            Category::Victim,
            Confidence::ServiceData,
        );
        self.tag(
            theft,
            format!("Theft {} address (synthetic)", k + 1),
            Category::DprkAttributed,
            Confidence::AuthorityData,
        );
        let start = self.b.random_time() - HISTORY_SPAN_SECS / 3;
        let mut time = start.max(HISTORY_START_UNIX_SECS);
        let stolen = self
            .b
            .rng
            .amount(Coin::Eth.one() * 10_000, Coin::Eth.one() * 400_000, 15);
        self.b.send(victim, theft, Coin::Eth, stolen, time);
        let splits = (until.saturating_sub(self.b.node_count()) / 25).clamp(2, 400);
        let per_split = stolen / splits as u128;
        for s in 0..splits {
            if self.b.node_count() + 2 >= until || self.b.room() < 2 {
                return;
            }
            time += 60 + self.b.rng.below(600) as i64;
            let split = self.b.eth_address();
            self.b.send(theft, split, Coin::Eth, per_split, time);
            let remaining = until.saturating_sub(self.b.node_count());
            let left = splits - s;
            let length = (remaining / left.max(1)).clamp(2, 60);
            if self.b.rng.chance(60) {
                self.peel_chain(split, per_split, time, length);
            } else if let Some(mixer) = self.mixer {
                // Several equal deposits into the mixer, as mixers take fixed denominations.
                let parts = self.b.rng.range(2, 6);
                for _ in 0..parts {
                    time += 120 + self.b.rng.below(3600) as i64;
                    self.b
                        .send(split, mixer, Coin::Eth, per_split / parts as u128, time);
                }
            }
        }
    }

    /// A peel chain of about `length` nodes from `start`: each hop keeps most of the value and
    /// peels a small part into an exchange deposit. Some chains cross to Bitcoin after a few
    /// hops through a fresh address, and continue as UTXO peels.
    fn peel_chain(&mut self, start: u32, value: u128, time: i64, length: usize) {
        let mut coin = Coin::Eth;
        let mut current = start;
        let mut value = value;
        let mut time = time;
        let cross_at = if self.b.rng.chance(35) {
            self.b.rng.range(1, length / 2 + 1)
        } else {
            usize::MAX
        };
        let mut used = 0;
        while used + 3 < length && self.b.room() > 4 {
            time += 300 + self.b.rng.below(7_200) as i64;
            if used >= cross_at && coin == Coin::Eth {
                // Bridge: the ETH leaves to a Bitcoin address of the same launderer.
                coin = Coin::Btc;
                value = self
                    .b
                    .rng
                    .amount(Coin::Btc.one() * 5, Coin::Btc.one() * 300, 3);
                let next = self.b.btc_address();
                self.bridge(current, next, time);
                current = next;
                used += 1;
                continue;
            }
            let peel = value / (8 + self.b.rng.below(20) as u128);
            value -= peel;
            let exchange = self.exchange_for(coin);
            let next = self.b.address(coin);
            used += 1;
            let destination = match exchange {
                Some(e) => self.deposit_for_payment(e),
                None => None,
            };
            match coin {
                Coin::Btc => {
                    let outputs: Vec<(u32, u128)> = match destination {
                        Some(d) => vec![(next, value), (d, peel)],
                        None => vec![(next, value)],
                    };
                    self.b.btc_tx(&[current], &outputs, time);
                    used += 1;
                }
                _ => {
                    self.b.send(current, next, coin, value, time);
                    if let Some(d) = destination {
                        self.b.send(current, d, coin, peel, time + 30);
                        used += 1;
                    }
                }
            }
            current = next;
        }
    }

    /// The funds of `from` (Ethereum) reach `to` (Bitcoin) through a bridge-like service: an
    /// Ethereum deposit, a Bitcoin payout transaction.
    fn bridge(&mut self, from: u32, to: u32, time: i64) {
        let exchange = self.exchange_for(Coin::Eth);
        let hot = exchange.map(|e| self.exchanges[e].hot);
        let btc_exchange = self.exchange_for(Coin::Btc);
        let btc_hot = btc_exchange.map(|e| self.exchanges[e].hot);
        let amount = self
            .b
            .rng
            .amount(Coin::Eth.one(), Coin::Eth.one() * 500, 15);
        if let Some(hot) = hot {
            self.b.send(from, hot, Coin::Eth, amount, time);
        }
        let payout = self.b.rng.amount(Coin::Btc.one(), Coin::Btc.one() * 20, 3);
        if let Some(btc_hot) = btc_hot {
            self.b.btc_tx(&[btc_hot], &[(to, payout)], time + 900);
        }
    }

    /// A random exchange on `coin`'s chain.
    fn exchange_for(&mut self, coin: Coin) -> Option<usize> {
        for _ in 0..8 {
            let e = self.pick_exchange()?;
            if self.exchanges[e].coin == coin {
                return Some(e);
            }
        }
        self.exchanges.iter().position(|x| x.coin == coin)
    }

    /// Withdrawals from the mixer to fresh addresses, most of which pay into an exchange
    /// (cash-out) or into a short peel; ordinary users deposit too. Stops at `until` nodes.
    fn mixer_withdrawals(&mut self, until: usize) {
        let Some(mixer) = self.mixer else {
            return;
        };
        while self.b.node_count() + 3 < until && self.b.room() > 3 {
            let time = self.b.random_time();
            let denomination = Coin::Eth.one() * [1u128, 10, 100][self.b.rng.below(3)];
            if self.b.rng.chance(30) {
                let user = self.b.eth_address();
                self.b.send(user, mixer, Coin::Eth, denomination, time);
                continue;
            }
            let fresh = self.b.eth_address();
            self.b
                .send(mixer, fresh, Coin::Eth, denomination, time + 3_600);
            if self.b.rng.chance(70)
                && let Some(e) = self.exchange_for(Coin::Eth)
                && let Some(deposit) = self.deposit_for_payment(e)
            {
                self.b
                    .send(fresh, deposit, Coin::Eth, denomination, time + 7_200);
            }
        }
    }

    /// Unrelated activity filling the rest of the budget: pairs that pay each other, small
    /// payouts from one address to a few, and short hops, on both chains.
    fn noise(&mut self) {
        while self.b.room() > 0 {
            let coin = if self.b.rng.chance(30) {
                Coin::Btc
            } else if self.b.rng.chance(15) {
                Coin::Stablecoin
            } else {
                Coin::Eth
            };
            let cost = 1 + Builder::payment_cost(coin);
            if self.b.room() < 1 + cost {
                // Not enough room for a payment: a lone address (seen once, no transfers kept).
                self.b.eth_address();
                continue;
            }
            let sender = self.b.address(coin);
            let receivers = match self.b.rng.below(10) {
                0..=5 => 1,
                6..=8 => 2,
                _ => self.b.rng.range(3, 6),
            };
            for _ in 0..receivers {
                if self.b.room() < cost {
                    break;
                }
                let receiver = self.b.address(coin);
                let time = self.b.random_time();
                let amount = self.b.rng.amount(coin.one() / 1_000, coin.one() * 3, 12);
                self.b.pay(sender, receiver, coin, amount, time);
                if coin != Coin::Btc {
                    self.repeatable.push((sender, receiver, coin));
                }
            }
        }
    }

    /// Repeat deposits, sweeps and payments along existing account pairs until the case has
    /// about [`TRANSFERS_PER_NODE`] transfers per node.
    fn repeat_transfers(&mut self) {
        let target = (self.b.node_count() as f64 * TRANSFERS_PER_NODE).round() as usize;
        if self.repeatable.is_empty() {
            return;
        }
        while self.b.transfer_count() < target {
            let k = self.b.rng.below(self.repeatable.len());
            let (from, to, coin) = self.repeatable[k];
            let time = self.b.random_time();
            let amount = self.b.rng.amount(coin.one() / 500, coin.one() * 10, 12);
            self.b.send(from, to, coin, amount, time);
        }
    }
}
