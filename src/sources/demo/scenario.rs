//! The demo world as a discrete-event simulation.
//!
//! Generation is a script of events in time order: each event makes transactions at its own
//! time and schedules the events that follow from it (a peel hop schedules the next hop, a mixer
//! deposit its withdrawal days later). Processing strictly by time means every transaction only
//! spends what its sender received earlier, and heights and times rise along the flow. The
//! laundering flow lives in `flow.rs`, the unrelated activity around the exchanges in `noise.rs`;
//! this file holds the queue, the actors and the dispatch.

use super::clock::{THEFT_UNIX_SECS, WORLD_END_UNIX_SECS};
use super::ledger::{ActorIds, Actors, Ledger};
use super::sim::{BTC_SAT, BtcKind, ETH_WEI, Sim, TOKEN_UNIT};
use crate::model::NodeId;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

/// Seed of the one random stream the world is drawn from.
const WORLD_SEED: u64 = 0x00ca_5eb0_a7d0_2025;

/// Where a bridge payout goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BtcRecipient {
    /// A fresh address that starts a Bitcoin peel chain (laundering).
    FreshPeelChain,
    /// An existing Bitcoin customer (an ordinary bridge user).
    Customer(u32),
}

/// Something that happens at one moment of the world.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Event {
    // The laundering flow (flow.rs).
    Theft,
    Split {
        index: usize,
    },
    PeelHop {
        address: u32,
        hops_left: u32,
    },
    KeptSpend {
        address: u32,
    },
    MixerDeposit {
        from: u32,
        denomination_wei: u128,
        laundering: bool,
    },
    MixerWithdrawal {
        denomination_wei: u128,
        laundering: bool,
    },
    WithdrawnSpend {
        address: u32,
    },
    TokenToAlpha {
        address: u32,
    },
    BridgeDeposit {
        from: u32,
        parts_left: u32,
        recipient: BtcRecipient,
    },
    BridgePayout {
        deposit: u32,
        amount_wei: u128,
        recipient: BtcRecipient,
    },
    BtcPeelHop {
        address: u32,
        hops_left: u32,
    },
    // The exchanges and ordinary users (noise.rs).
    AlphaSweep {
        deposit: u32,
    },
    AlphaTokenSweep {
        deposit: u32,
    },
    AlphaWithdrawal {
        user: u32,
        token: bool,
    },
    EthUserDeposit {
        user: u32,
        token: bool,
    },
    EthUserSwap {
        user: u32,
    },
    EthUserMix {
        user: u32,
    },
    EthUserBridge {
        user: u32,
    },
    BridgeEthPayout {
        user: u32,
    },
    EthUserToUser {
        from: u32,
        to: u32,
    },
    FreshToAlpha {
        address: u32,
    },
    BetaWithdrawalRequest {
        customer: u32,
    },
    BetaPayoutBatch,
    BetaSweep,
    BtcCustomerDeposit {
        customer: u32,
    },
    BtcCustomerToCustomer {
        from: u32,
        to: u32,
    },
}

/// The simulation: the ledger's bookkeeping, the actors, the event queue and the exchanges'
/// pending work.
pub(super) struct Scenario {
    pub sim: Sim,
    pub actors: Actors,
    actor_ids: ActorIds,
    queue: BinaryHeap<Reverse<(i64, u64)>>,
    events: Vec<Option<Event>>,
    /// Ordinary Ethereum users (exchange Alpha's customers).
    pub eth_users: Vec<u32>,
    /// Ordinary Bitcoin users (exchange Beta's customers).
    pub btc_customers: Vec<u32>,
    /// Alpha's per-customer deposit address of each user.
    pub alpha_deposit_of: HashMap<u32, u32>,
    /// Beta's per-customer deposit address of each customer.
    pub beta_deposit_of: HashMap<u32, u32>,
    /// Beta deposit addresses that received since the last sweep, in arrival order.
    pub beta_unswept: Vec<u32>,
    pub beta_unswept_set: HashSet<u32>,
    /// Beta withdrawals waiting for the next payout batch.
    pub beta_withdrawals: Vec<(u32, u128)>,
}

impl Scenario {
    /// Creates the actors and schedules the theft and the ordinary activity.
    fn new() -> Scenario {
        let mut sim = Sim::new(WORLD_SEED);
        let (actors, actor_ids) = create_actors(&mut sim);
        let mut scenario = Scenario {
            sim,
            actors,
            actor_ids,
            queue: BinaryHeap::new(),
            events: Vec::new(),
            eth_users: Vec::new(),
            btc_customers: Vec::new(),
            alpha_deposit_of: HashMap::new(),
            beta_deposit_of: HashMap::new(),
            beta_unswept: Vec::new(),
            beta_unswept_set: HashSet::new(),
            beta_withdrawals: Vec::new(),
        };
        scenario.schedule(THEFT_UNIX_SECS, Event::Theft);
        scenario.setup_noise();
        scenario
    }

    /// Queues `event` at `unix_secs`; events after the world's end never happen.
    pub(super) fn schedule(&mut self, unix_secs: i64, event: Event) {
        if unix_secs > WORLD_END_UNIX_SECS {
            return;
        }
        let sequence = self.events.len() as u64;
        self.events.push(Some(event));
        self.queue.push(Reverse((unix_secs, sequence)));
    }

    /// Processes every event in time order (ties in scheduling order).
    fn run(&mut self) {
        while let Some(Reverse((unix_secs, sequence))) = self.queue.pop() {
            let event = self
                .events
                .get_mut(sequence as usize)
                .and_then(Option::take);
            if let Some(event) = event {
                self.handle(unix_secs, event);
            }
        }
    }

    fn handle(&mut self, t: i64, event: Event) {
        match event {
            Event::Theft => self.theft(t),
            Event::Split { index } => self.split(t, index),
            Event::PeelHop { address, hops_left } => self.peel_hop(t, address, hops_left),
            Event::KeptSpend { address } => self.kept_spend(t, address),
            Event::MixerDeposit {
                from,
                denomination_wei,
                laundering,
            } => self.mixer_deposit(t, from, denomination_wei, laundering),
            Event::MixerWithdrawal {
                denomination_wei,
                laundering,
            } => self.mixer_withdrawal(t, denomination_wei, laundering),
            Event::WithdrawnSpend { address } => self.withdrawn_spend(t, address),
            Event::TokenToAlpha { address } => self.token_to_alpha(t, address),
            Event::BridgeDeposit {
                from,
                parts_left,
                recipient,
            } => self.bridge_deposit(t, from, parts_left, recipient),
            Event::BridgePayout {
                deposit,
                amount_wei,
                recipient,
            } => self.bridge_payout(t, deposit, amount_wei, recipient),
            Event::BtcPeelHop { address, hops_left } => self.btc_peel_hop(t, address, hops_left),
            Event::AlphaSweep { deposit } => self.alpha_sweep(t, deposit),
            Event::AlphaTokenSweep { deposit } => self.alpha_token_sweep(t, deposit),
            Event::AlphaWithdrawal { user, token } => self.alpha_withdrawal(t, user, token),
            Event::EthUserDeposit { user, token } => self.eth_user_deposit(t, user, token),
            Event::EthUserSwap { user } => self.eth_user_swap(t, user),
            Event::EthUserMix { user } => self.eth_user_mix(t, user),
            Event::EthUserBridge { user } => self.eth_user_bridge(t, user),
            Event::BridgeEthPayout { user } => self.bridge_eth_payout(t, user),
            Event::EthUserToUser { from, to } => self.eth_user_to_user(t, from, to),
            Event::FreshToAlpha { address } => self.deposit_eth_at_fresh_alpha(t, address),
            Event::BetaWithdrawalRequest { customer } => self.beta_withdrawal_request(customer),
            Event::BetaPayoutBatch => self.beta_payout_batch(t),
            Event::BetaSweep => self.beta_sweep(t),
            Event::BtcCustomerDeposit { customer } => self.btc_customer_deposit(t, customer),
            Event::BtcCustomerToCustomer { from, to } => self.btc_customer_to_customer(t, from, to),
        }
    }

    /// Records a Beta deposit address as waiting for the next sweep.
    pub(super) fn note_beta_deposit(&mut self, deposit: u32) {
        if self.beta_unswept_set.insert(deposit) {
            self.beta_unswept.push(deposit);
        }
    }
}

/// What the simulation produced: the ledger, the actors' ids and the address indices.
pub(super) struct Generated {
    pub ledger: Ledger,
    pub actor_ids: ActorIds,
    pub eth_index: HashMap<NodeId, u32>,
    pub btc_index: HashMap<NodeId, u32>,
}

/// Runs the whole simulation.
pub(super) fn generate() -> Generated {
    let mut scenario = Scenario::new();
    scenario.run();
    let Scenario {
        sim,
        actors,
        actor_ids,
        ..
    } = scenario;
    let (mut ledger, eth_index, btc_index) = sim.finish();
    ledger.actors = actors;
    Generated {
        ledger,
        actor_ids,
        eth_index,
        btc_index,
    }
}

/// The service and victim addresses, with their opening balances.
fn create_actors(sim: &mut Sim) -> (Actors, ActorIds) {
    let victim_cold_wallet = sim.new_eth_named(super::flow::THEFT_WEI + 3 * ETH_WEI / 2, 0);
    let theft = sim.new_eth_named(0, 0);
    let splits: Vec<(u32, NodeId)> = (0..super::flow::SPLIT_COUNT)
        .map(|_| sim.new_eth_named(0, 0))
        .collect();
    let mixer = sim.new_eth_named(25_000 * ETH_WEI, 0);
    let bridge_contract = sim.new_eth_named(8_000 * ETH_WEI, 0);
    let swap_router = sim.new_eth_named(0, 400_000_000 * TOKEN_UNIT);
    let alpha_hot_wallet = sim.new_eth_named(150_000 * ETH_WEI, 250_000_000 * TOKEN_UNIT);
    let bridge_btc_hot_wallet = sim.new_btc_named(BtcKind::P2wpkh);
    for _ in 0..80 {
        let amount = sim.rng.range_u128(150 * BTC_SAT, 250 * BTC_SAT);
        sim.prefund_btc(bridge_btc_hot_wallet.0, amount);
    }
    let beta_hot_wallet = sim.new_btc_named(BtcKind::P2sh);
    for _ in 0..40 {
        let amount = sim.rng.range_u128(80 * BTC_SAT, 120 * BTC_SAT);
        sim.prefund_btc(beta_hot_wallet.0, amount);
    }
    let actors = Actors {
        victim_cold_wallet: victim_cold_wallet.0,
        theft: theft.0,
        splits: splits.iter().map(|s| s.0).collect(),
        mixer: mixer.0,
        bridge_contract: bridge_contract.0,
        swap_router: swap_router.0,
        alpha_hot_wallet: alpha_hot_wallet.0,
        bridge_btc_hot_wallet: bridge_btc_hot_wallet.0,
        beta_hot_wallet: beta_hot_wallet.0,
    };
    let ids = ActorIds {
        victim_cold_wallet: victim_cold_wallet.1,
        theft: theft.1,
        splits: splits.into_iter().map(|s| s.1).collect(),
        mixer: mixer.1,
        bridge_contract: bridge_contract.1,
        swap_router: swap_router.1,
        alpha_hot_wallet: alpha_hot_wallet.1,
        bridge_btc_hot_wallet: bridge_btc_hot_wallet.1,
        beta_hot_wallet: beta_hot_wallet.1,
    };
    (actors, ids)
}
