//! The records of the demo ledger, as the generator writes them.
//!
//! Addresses are numbered per chain (`u32` indices into `eth_ids` / `btc_ids`); records refer to
//! them by index so the generator never copies strings. An Ethereum record is one leg of a
//! transaction (native value or one token log); a Bitcoin record is a whole transaction with its
//! inputs (each naming the output it spends) and outputs. A bridge leg links an Ethereum deposit
//! into the bridge contract to the Bitcoin output the bridge paid for it. Amounts are exact base
//! units: wei, token units (6 decimals), satoshi.

use super::clock::Block;
use super::hex::Hash32;
use crate::model::NodeId;

/// Which part of an Ethereum transaction a transfer record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EthLeg {
    /// The transaction's native ETH value.
    Native,
    /// A token `Transfer` log with this log index in its block.
    TokenLog(u32),
}

/// One movement of ETH or of the demo token on Ethereum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct EthTransfer {
    /// Transaction hash.
    pub hash: Hash32,
    /// Native value or token log.
    pub leg: EthLeg,
    /// Sender (index into `eth_ids`).
    pub from: u32,
    /// Receiver (index into `eth_ids`).
    pub to: u32,
    /// Wei for a native leg, token base units for a token leg.
    pub amount: u128,
    /// Gas the sender paid in wei for the transaction (0 on a second leg of the same
    /// transaction and on payments a contract makes, whose gas a relayer pays).
    pub fee_wei: u128,
    /// The block holding the transaction.
    pub block: Block,
}

/// The output a Bitcoin input spends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Prevout {
    /// Output `vout` of world transaction `tx` (index into `btc_txs`).
    InWorld { tx: u32, vout: u32 },
    /// An output created before the world's window (an opening balance).
    PreWindow { txid: Hash32, vout: u32 },
}

/// One input of a Bitcoin transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BtcInput {
    /// The address whose output is spent (index into `btc_ids`).
    pub address: u32,
    /// Value of the spent output in satoshi.
    pub amount_sat: u128,
    /// The spent output.
    pub prevout: Prevout,
}

/// One output of a Bitcoin transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BtcOutput {
    /// The receiving address; `None` for an `OP_RETURN` data output, which has no address and
    /// carries 0 satoshi (it is not a transfer).
    pub address: Option<u32>,
    /// Value in satoshi.
    pub amount_sat: u128,
}

/// A Bitcoin transaction: inputs = outputs + fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BtcTx {
    /// Transaction id.
    pub txid: Hash32,
    /// Inputs in order (`in0`, `in1`, …).
    pub inputs: Vec<BtcInput>,
    /// Outputs in order (`out0`, `out1`, …).
    pub outputs: Vec<BtcOutput>,
    /// Miner fee in satoshi (not a transfer).
    pub fee_sat: u128,
    /// The block holding the transaction.
    pub block: Block,
}

/// A cross-chain hop: an Ethereum deposit into the bridge contract, and the Bitcoin output the
/// bridge's hot wallet paid for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BridgeLeg {
    /// The deposit (index into `eth_transfers`).
    pub deposit: u32,
    /// The payout transaction (index into `btc_txs`).
    pub payout_tx: u32,
    /// The payout output within it.
    pub vout: u32,
}

/// The known actors of the world, by address index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Actors {
    /// Ethereum: the victim exchange's cold wallet.
    pub victim_cold_wallet: u32,
    /// Ethereum: the address the cold wallet was drained to.
    pub theft: u32,
    /// Ethereum: the addresses the theft address split the funds across.
    pub splits: Vec<u32>,
    /// Ethereum: the mixer contract.
    pub mixer: u32,
    /// Ethereum: the bridge contract that takes ETH deposits.
    pub bridge_contract: u32,
    /// Ethereum: the swap router (takes ETH, pays the token).
    pub swap_router: u32,
    /// Ethereum: exchange Alpha's hot wallet.
    pub alpha_hot_wallet: u32,
    /// Bitcoin: the bridge's hot wallet that pays out BTC.
    pub bridge_btc_hot_wallet: u32,
    /// Bitcoin: exchange Beta's hot wallet.
    pub beta_hot_wallet: u32,
}

/// The known actors, by node id (the same actors as [`Actors`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ActorIds {
    pub victim_cold_wallet: NodeId,
    pub theft: NodeId,
    pub splits: Vec<NodeId>,
    pub mixer: NodeId,
    pub bridge_contract: NodeId,
    pub swap_router: NodeId,
    pub alpha_hot_wallet: NodeId,
    pub bridge_btc_hot_wallet: NodeId,
    pub beta_hot_wallet: NodeId,
}

/// Everything the generator produced, before indexing.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct Ledger {
    /// Ethereum address node ids.
    pub eth_ids: Vec<NodeId>,
    /// Wei each Ethereum address held before the window.
    pub eth_opening_wei: Vec<u128>,
    /// Token units each Ethereum address held before the window.
    pub eth_opening_token: Vec<u128>,
    /// Bitcoin address node ids.
    pub btc_ids: Vec<NodeId>,
    /// Ethereum transfers in chronological order.
    pub eth_transfers: Vec<EthTransfer>,
    /// Bitcoin transactions in chronological order.
    pub btc_txs: Vec<BtcTx>,
    /// Bridge hops in chronological order of their payouts.
    pub bridge_legs: Vec<BridgeLeg>,
    /// The demo token's contract address (`0x` + 40 lower-case hex).
    pub token_contract: String,
    /// Known actors.
    pub actors: Actors,
}
