//! The arena a synthetic case is built in: nodes and transfers kept by index (cheap to link
//! while the world is generated), a seeded random stream, unique well-formed addresses and
//! transaction hashes, and the few transfer shapes every structure is made of (an account
//! transfer, a Bitcoin transaction with its input and output legs). [`Builder::finish`] turns
//! the arena into a [`Case`].

use crate::model::address::{
    BitcoinAddressKind, ParsedAddress, encode_eth, encode_p2pkh, encode_p2sh, encode_p2tr,
    encode_p2wpkh,
};
use crate::model::{Asset, Case, Chain, Node, NodeId, NodeKind, Tag, Transfer, TransferId};

/// First moment of the generated history (2024-06-01T00:00:00Z), in Unix seconds.
pub(super) const HISTORY_START_UNIX_SECS: i64 = 1_717_200_000;
/// Length of the generated history, in seconds (300 days).
pub(super) const HISTORY_SPAN_SECS: i64 = 300 * 86_400;
/// Ethereum block height at [`HISTORY_START_UNIX_SECS`] and seconds per block.
const ETH_START_HEIGHT: u64 = 20_000_000;
const ETH_BLOCK_SECS: i64 = 12;
/// Bitcoin block height at [`HISTORY_START_UNIX_SECS`] and seconds per block.
const BTC_START_HEIGHT: u64 = 846_000;
const BTC_BLOCK_SECS: i64 = 600;
/// The synthetic stablecoin's contract (lower-case hex) and decimals.
const STABLECOIN_CONTRACT: &str = "0x5ca1ab1e0000000000000000000000000000c0de";
const STABLECOIN_DECIMALS: u8 = 6;

/// Splitmix64 (Steele, Lea, Flood 2014): the generator's only source of randomness, so a seed
/// gives the same case on every machine and with every dependency version.
#[derive(Debug, Clone)]
pub(super) struct Rng {
    state: u64,
}

/// One splitmix64 output for `x` (a bijection on `u64`).
pub(super) fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Rng {
    pub(super) fn new(seed: u64) -> Rng {
        Rng { state: mix(seed) }
    }

    pub(super) fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.state)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub(super) fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// A number in `low..=high`.
    pub(super) fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high.saturating_sub(low) + 1)
    }

    /// True with probability `percent` / 100.
    pub(super) fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A float in `[0, 1)`.
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An amount of base units spread log-uniformly over `low..high` (both > 0), with the
    /// last `round_digits` decimal digits zeroed as people round what they send.
    pub(super) fn amount(&mut self, low: u128, high: u128, round_digits: u32) -> u128 {
        let (lo, hi) = ((low.max(1)) as f64, (high.max(low + 1)) as f64);
        let value = (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp() as u128;
        let unit = 10u128.pow(round_digits);
        ((value / unit) * unit).max(1)
    }
}

/// What moves in a generated transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Coin {
    Btc,
    Eth,
    Stablecoin,
}

impl Coin {
    fn asset(self) -> Asset {
        match self {
            Coin::Btc => Asset::native(Chain::Bitcoin),
            Coin::Eth => Asset::native(Chain::ETHEREUM),
            Coin::Stablecoin => Asset::token(
                Chain::ETHEREUM,
                "USDT",
                STABLECOIN_DECIMALS,
                STABLECOIN_CONTRACT,
            ),
        }
    }

    /// Base units in one whole coin.
    pub(super) fn one(self) -> u128 {
        match self {
            Coin::Btc => 100_000_000,
            Coin::Eth => 1_000_000_000_000_000_000,
            Coin::Stablecoin => 1_000_000,
        }
    }
}

/// A transfer while the world is generated: ends by node index.
#[derive(Debug, Clone)]
struct Leg {
    from: u32,
    to: u32,
    coin: Coin,
    amount: u128,
    tx: u32,
    leg: LegName,
    time: i64,
}

/// The leg part of a transfer id.
#[derive(Debug, Clone, Copy)]
enum LegName {
    Native,
    Log(u16),
    In(u16),
    Out(u16),
}

/// The growing case, by index.
pub(super) struct Builder {
    pub(super) rng: Rng,
    /// Salt that keeps addresses of different seeds apart.
    salt: u64,
    ids: Vec<NodeId>,
    kinds: Vec<NodeKind>,
    legs: Vec<Leg>,
    /// Transaction hashes (64 hex digits), indexed by `Leg::tx`.
    hashes: Vec<String>,
    tags: Vec<(u32, Tag)>,
    /// Most nodes the case may hold.
    pub(super) budget: usize,
}

impl Builder {
    pub(super) fn new(seed: u64, budget: usize) -> Builder {
        Builder {
            rng: Rng::new(seed),
            salt: mix(seed ^ 0xad0_55e5),
            ids: Vec::with_capacity(budget),
            kinds: Vec::with_capacity(budget),
            legs: Vec::with_capacity(budget * 3 / 2 + 16),
            hashes: Vec::with_capacity(budget + 16),
            tags: Vec::new(),
            budget,
        }
    }

    /// Nodes that may still be added.
    pub(super) fn room(&self) -> usize {
        self.budget.saturating_sub(self.ids.len())
    }

    /// Nodes so far.
    pub(super) fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// Transfers so far.
    pub(super) fn transfer_count(&self) -> usize {
        self.legs.len()
    }

    /// 32 bytes, the first 8 of which are distinct for every call (a bijection of a counter),
    /// so generated addresses and hashes never collide.
    fn unique_bytes<const N: usize>(&mut self) -> [u8; N] {
        let serial = self.ids.len() as u64 + ((self.hashes.len() as u64) << 32);
        let mut out = [0u8; N];
        let head = mix(self.salt.wrapping_add(serial)).to_be_bytes();
        let take = head.len().min(N);
        out[..take].copy_from_slice(&head[..take]);
        for chunk in out[take..].chunks_mut(8) {
            let word = self.rng.next_u64().to_le_bytes();
            chunk.copy_from_slice(&word[..chunk.len()]);
        }
        out
    }

    fn push_node(&mut self, id: NodeId, kind: NodeKind) -> u32 {
        self.ids.push(id);
        self.kinds.push(kind);
        (self.ids.len() - 1) as u32
    }

    /// A new Ethereum address.
    pub(super) fn eth_address(&mut self) -> u32 {
        let bytes: [u8; 20] = self.unique_bytes();
        let parsed = ParsedAddress::Ethereum {
            address: encode_eth(&bytes),
            checksummed: false,
        };
        self.push_node(NodeId::address(Chain::ETHEREUM, &parsed), NodeKind::Address)
    }

    /// A new Bitcoin address of a realistic mix of kinds (mostly native segwit).
    pub(super) fn btc_address(&mut self) -> u32 {
        let (address, kind) = match self.rng.below(10) {
            0..=4 => (
                encode_p2wpkh(&self.unique_bytes()),
                BitcoinAddressKind::P2wpkh,
            ),
            5 | 6 => (
                encode_p2pkh(&self.unique_bytes()),
                BitcoinAddressKind::P2pkh,
            ),
            7 | 8 => (encode_p2sh(&self.unique_bytes()), BitcoinAddressKind::P2sh),
            _ => (encode_p2tr(&self.unique_bytes()), BitcoinAddressKind::P2tr),
        };
        let parsed = ParsedAddress::Bitcoin { address, kind };
        self.push_node(NodeId::address(Chain::Bitcoin, &parsed), NodeKind::Address)
    }

    /// A new address on `coin`'s chain.
    pub(super) fn address(&mut self, coin: Coin) -> u32 {
        match coin {
            Coin::Btc => self.btc_address(),
            Coin::Eth | Coin::Stablecoin => self.eth_address(),
        }
    }

    /// A new transaction hash; returns its index.
    fn new_hash(&mut self) -> u32 {
        let bytes: [u8; 32] = self.unique_bytes();
        let mut text = String::with_capacity(64);
        for byte in bytes {
            text.push(char::from(b"0123456789abcdef"[usize::from(byte >> 4)]));
            text.push(char::from(b"0123456789abcdef"[usize::from(byte & 0x0f)]));
        }
        self.hashes.push(text);
        (self.hashes.len() - 1) as u32
    }

    /// An account-chain transfer `from → to` in a transaction of its own.
    pub(super) fn send(&mut self, from: u32, to: u32, coin: Coin, amount: u128, time: i64) {
        let tx = self.new_hash();
        let leg = match coin {
            Coin::Stablecoin => LegName::Log(self.rng.below(400) as u16),
            _ => LegName::Native,
        };
        self.legs.push(Leg {
            from,
            to,
            coin,
            amount,
            tx,
            leg,
            time,
        });
    }

    /// A Bitcoin transaction node spending from `inputs` and paying `outputs`
    /// (address, satoshi); returns the transaction node. Input amounts cover the outputs plus
    /// a fee.
    pub(super) fn btc_tx(&mut self, inputs: &[u32], outputs: &[(u32, u128)], time: i64) -> u32 {
        let tx = self.new_hash();
        let id = NodeId::transaction(Chain::Bitcoin, &self.hashes[tx as usize]);
        let node = match id {
            Ok(id) => self.push_node(id, NodeKind::Transaction),
            // Cannot happen: the hash is 64 hex digits.
            Err(_) => return 0,
        };
        let paid: u128 = outputs.iter().map(|(_, v)| v).sum();
        let fee = 1_000 + self.rng.below(20_000) as u128;
        let count = inputs.len().max(1) as u128;
        let share = (paid + fee) / count;
        for (k, &input) in inputs.iter().enumerate() {
            let amount = if k == 0 {
                paid + fee - share * (count - 1)
            } else {
                share
            };
            self.legs.push(Leg {
                from: input,
                to: node,
                coin: Coin::Btc,
                amount: amount.max(1),
                tx,
                leg: LegName::In(k as u16),
                time,
            });
        }
        for (k, &(output, amount)) in outputs.iter().enumerate() {
            self.legs.push(Leg {
                from: node,
                to: output,
                coin: Coin::Btc,
                amount: amount.max(1),
                tx,
                leg: LegName::Out(k as u16),
                time,
            });
        }
        node
    }

    /// A payment on `coin`'s chain: an account transfer, or a one-input Bitcoin transaction
    /// with change back to the sender (which adds the transaction node).
    pub(super) fn pay(&mut self, from: u32, to: u32, coin: Coin, amount: u128, time: i64) {
        match coin {
            Coin::Btc => {
                let change = self.rng.amount(10_000, amount.max(20_000), 3);
                self.btc_tx(&[from], &[(to, amount), (from, change)], time);
            }
            _ => self.send(from, to, coin, amount, time),
        }
    }

    /// Nodes a payment on `coin`'s chain adds besides its ends.
    pub(super) fn payment_cost(coin: Coin) -> usize {
        usize::from(coin == Coin::Btc)
    }

    /// Tags node `node`.
    pub(super) fn tag(&mut self, node: u32, tag: Tag) {
        self.tags.push((node, tag));
    }

    /// A random moment of the history.
    pub(super) fn random_time(&mut self) -> i64 {
        HISTORY_START_UNIX_SECS + self.rng.below(HISTORY_SPAN_SECS as usize) as i64
    }

    /// Assembles the case: ids become keys, legs become transfers with their ids, heights and
    /// times. Returns the case and the node ids by index.
    pub(super) fn finish(self, title: String, description: String) -> (Case, Vec<NodeId>) {
        let mut case = Case::new(&title, HISTORY_START_UNIX_SECS + HISTORY_SPAN_SECS);
        case.meta.description = description;
        for (id, kind) in self.ids.iter().zip(self.kinds) {
            let node = match kind {
                NodeKind::Address => Node::address(id.clone()),
                NodeKind::Transaction => Node::transaction(id.clone()),
            };
            case.nodes.insert(id.clone(), node);
        }
        for leg in self.legs {
            let hash = &self.hashes[leg.tx as usize];
            let (prefix, height) = match leg.coin {
                Coin::Btc => (
                    "btc",
                    BTC_START_HEIGHT
                        + ((leg.time - HISTORY_START_UNIX_SECS) / BTC_BLOCK_SECS) as u64,
                ),
                Coin::Eth | Coin::Stablecoin => (
                    "eth",
                    ETH_START_HEIGHT
                        + ((leg.time - HISTORY_START_UNIX_SECS) / ETH_BLOCK_SECS) as u64,
                ),
            };
            let leg_name = match leg.leg {
                LegName::Native => "native".to_owned(),
                LegName::Log(k) => format!("log{k}"),
                LegName::In(k) => format!("in{k}"),
                LegName::Out(k) => format!("out{k}"),
            };
            let id = TransferId::new(prefix, hash, &leg_name);
            let transfer = Transfer {
                id: id.clone(),
                from: self.ids[leg.from as usize].clone(),
                to: self.ids[leg.to as usize].clone(),
                asset: leg.coin.asset(),
                amount: leg.amount,
                tx_hash: hash.clone(),
                block_height: Some(height),
                time: Some(leg.time),
                provenance: None,
                relation_txs: None,
                memo: None,
            };
            case.transfers.insert(id, transfer);
        }
        for (node, tag) in self.tags {
            case.tags
                .entry(self.ids[node as usize].clone())
                .or_default()
                .push(tag);
        }
        (case, self.ids)
    }

    /// `(from, to)` index pairs of every transfer so far (for placement).
    pub(super) fn edges(&self) -> Vec<(u32, u32)> {
        self.legs.iter().map(|l| (l.from, l.to)).collect()
    }
}
