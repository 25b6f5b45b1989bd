//! Turns the world's records into model facts: nodes and transfers with provenance.
//!
//! Ethereum legs get ids `eth:<hash>:native` and `eth:<hash>:log<i>`; Bitcoin legs are
//! `address → tx` (`btc:<txid>:in<i>`) and `tx → address` (`btc:<txid>:out<i>`). An `OP_RETURN`
//! output has no address and moves no value, so it is not a transfer (the transaction node still
//! shows it in its output numbering). The miner fee is not a transfer either. A bridge leg —
//! the ETH bridge contract paying a Bitcoin address through the bridge's hot wallet — is a
//! cross-chain transfer in BTC with id `btc:<payout txid>:bridge<vout>`. A deposit into the
//! bridge carries a THORChain swap memo naming the Bitcoin address it was paid to.

use super::clock::{DEMO_SNAPSHOT_UNIX_SECS, btc_tip_height, eth_tip_height};
use super::hex::to_hex;
use super::ledger::{BtcTx, EthLeg};
use super::world::World;
use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, NodeKind, Transfer, TransferId};

/// The name of the demo source in provenance and messages.
pub(super) const SOURCE_NAME: &str = "demo";

/// Symbol and decimals of the demo stablecoin.
pub(super) const TOKEN_SYMBOL: &str = "USDT";
pub(super) const TOKEN_DECIMALS: u8 = 6;

/// Builds facts for one request, stamping each with the request's provenance.
pub(super) struct Facts<'w> {
    world: &'w World,
    eth_provenance: Provenance,
    btc_provenance: Provenance,
}

impl<'w> Facts<'w> {
    /// Facts answering `request` (e.g. `counterparties(eth:0x…, outgoing)`).
    pub(super) fn new(world: &'w World, request: &str) -> Facts<'w> {
        let provenance = |tip: u64| Provenance {
            source: SOURCE_NAME.to_owned(),
            request: request.to_owned(),
            fetched_at: DEMO_SNAPSHOT_UNIX_SECS,
            block_height: Some(tip),
        };
        Facts {
            world,
            eth_provenance: provenance(eth_tip_height()),
            btc_provenance: provenance(btc_tip_height()),
        }
    }

    /// The Ethereum address node with its final balance and transaction count.
    pub(super) fn eth_node(&self, address: u32) -> Option<Node> {
        let i = address as usize;
        Some(Node {
            id: self.world.ledger.eth_ids.get(i)?.clone(),
            kind: NodeKind::Address,
            balance: self.world.eth_balance_wei.get(i).copied(),
            tx_count: self.world.eth_tx_count.get(i).copied(),
            provenance: Some(Box::new(self.eth_provenance.clone())),
            gaps: Vec::new(),
        })
    }

    /// The Bitcoin address node with its final balance and transaction count.
    pub(super) fn btc_node(&self, address: u32) -> Option<Node> {
        let i = address as usize;
        Some(Node {
            id: self.world.ledger.btc_ids.get(i)?.clone(),
            kind: NodeKind::Address,
            balance: self.world.btc_balance_sat.get(i).copied(),
            tx_count: self.world.btc_tx_count.get(i).copied(),
            provenance: Some(Box::new(self.btc_provenance.clone())),
            gaps: Vec::new(),
        })
    }

    /// The node of Bitcoin transaction `tx`.
    pub(super) fn btc_tx_node(&self, tx: u32) -> Option<Node> {
        let record = self.world.ledger.btc_txs.get(tx as usize)?;
        let mut node = Node::transaction(btc_tx_id(record)?);
        node.provenance = Some(Box::new(self.btc_provenance.clone()));
        Some(node)
    }

    /// Ethereum transfer record `index` as a model transfer.
    pub(super) fn eth_transfer(&self, index: u32) -> Option<Transfer> {
        let ledger = &self.world.ledger;
        let record = ledger.eth_transfers.get(index as usize)?;
        let (leg, asset) = match record.leg {
            EthLeg::Native => ("native".to_owned(), Asset::native(Chain::ETHEREUM)),
            EthLeg::TokenLog(log) => (format!("log{log}"), self.token_asset()),
        };
        let hash = to_hex(&record.hash);
        Some(Transfer {
            id: TransferId::new("eth", &hash, &leg),
            from: ledger.eth_ids.get(record.from as usize)?.clone(),
            to: ledger.eth_ids.get(record.to as usize)?.clone(),
            asset,
            amount: record.amount,
            tx_hash: hash,
            block_height: Some(record.block.height),
            time: Some(record.block.time_unix_secs),
            provenance: Some(Box::new(self.eth_provenance.clone())),
            relation_txs: None,
            memo: self.bridge_memo(index),
        })
    }

    /// The memo of a bridge deposit: THORChain's swap memo naming the Bitcoin address the
    /// bridge paid for it (`=:BTC.BTC:<address>`); `None` for any other transfer.
    fn bridge_memo(&self, deposit: u32) -> Option<String> {
        let ledger = &self.world.ledger;
        let leg = ledger
            .bridge_legs
            .iter()
            .find(|leg| leg.deposit == deposit)?;
        let record = ledger.btc_txs.get(leg.payout_tx as usize)?;
        let recipient = ledger
            .btc_ids
            .get(record.outputs.get(leg.vout as usize)?.address? as usize)?;
        Some(format!("=:BTC.BTC:{}", recipient.value()))
    }

    /// The leg `input address → tx` of input `i` of Bitcoin transaction `tx`.
    pub(super) fn btc_input_leg(&self, tx: u32, i: usize) -> Option<Transfer> {
        let record = self.world.ledger.btc_txs.get(tx as usize)?;
        let input = record.inputs.get(i)?;
        let address = self.world.ledger.btc_ids.get(input.address as usize)?;
        Some(self.btc_leg(
            record,
            &format!("in{i}"),
            address.clone(),
            btc_tx_id(record)?,
            input.amount_sat,
        ))
    }

    /// The leg `tx → output address` of output `vout`; `None` for an `OP_RETURN` output.
    pub(super) fn btc_output_leg(&self, tx: u32, vout: usize) -> Option<Transfer> {
        let record = self.world.ledger.btc_txs.get(tx as usize)?;
        let output = record.outputs.get(vout)?;
        let address = self.world.ledger.btc_ids.get(output.address? as usize)?;
        Some(self.btc_leg(
            record,
            &format!("out{vout}"),
            btc_tx_id(record)?,
            address.clone(),
            output.amount_sat,
        ))
    }

    /// Bridge leg `index`: the ETH bridge contract → the Bitcoin address it paid.
    pub(super) fn bridge_transfer(&self, index: u32) -> Option<Transfer> {
        let ledger = &self.world.ledger;
        let leg = ledger.bridge_legs.get(index as usize)?;
        let record = ledger.btc_txs.get(leg.payout_tx as usize)?;
        let output = record.outputs.get(leg.vout as usize)?;
        let recipient = ledger.btc_ids.get(output.address? as usize)?;
        let contract = ledger.eth_ids.get(ledger.actors.bridge_contract as usize)?;
        Some(self.btc_leg(
            record,
            &format!("bridge{}", leg.vout),
            contract.clone(),
            recipient.clone(),
            output.amount_sat,
        ))
    }

    /// The demo stablecoin on Ethereum.
    pub(super) fn token_asset(&self) -> Asset {
        Asset::token(
            Chain::ETHEREUM,
            TOKEN_SYMBOL,
            TOKEN_DECIMALS,
            &self.world.ledger.token_contract,
        )
    }

    fn btc_leg(
        &self,
        record: &BtcTx,
        leg: &str,
        from: NodeId,
        to: NodeId,
        amount_sat: u128,
    ) -> Transfer {
        let txid = to_hex(&record.txid);
        Transfer {
            id: TransferId::new("btc", &txid, leg),
            from,
            to,
            asset: Asset::native(Chain::Bitcoin),
            amount: amount_sat,
            tx_hash: txid,
            block_height: Some(record.block.height),
            time: Some(record.block.time_unix_secs),
            provenance: Some(Box::new(self.btc_provenance.clone())),
            relation_txs: None,
            memo: None,
        }
    }
}

/// The node id of a Bitcoin transaction (`None` only for a malformed txid, which the generator
/// never makes).
pub(super) fn btc_tx_id(record: &BtcTx) -> Option<NodeId> {
    NodeId::transaction(Chain::Bitcoin, &to_hex(&record.txid)).ok()
}
