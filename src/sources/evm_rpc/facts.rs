//! Legs read from the node into model facts: [`Transfer`]s with provenance, grouped into one
//! [`Counterparty`] per other address.
//!
//! Ids follow the demo ledger: `<prefix>:<tx hash>:log<i>` for a token transfer,
//! `<prefix>:<tx hash>:native` for a transaction's own value and
//! `<prefix>:<tx hash>:trace0.1` for an inner call (prefix `eth` on chain 1, `evm<id>`
//! elsewhere). The hash is written as the node spells it, `0x` + 64 lower-case hex digits.
//! Notes that concern one transfer (a token that did not say its symbol, an inner call whose
//! parents could not be checked) go into that transfer's provenance `request` after ` — `;
//! notes about the whole job (no native transfers on this node, logs skipped) go into the
//! provenance of every node the job returns.

use crate::model::node::Provenance;
use crate::model::{Asset, Chain, Node, NodeId, Transfer, TransferId};
use crate::sources::Counterparty;
use std::collections::{HashMap, HashSet};

/// A value movement as read from the node, before token metadata and block times are known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawLeg {
    /// The token contract, `None` for the native coin.
    pub(crate) contract: Option<String>,
    /// Sender, lower-case `0x…`.
    pub(crate) from: String,
    /// Receiver, lower-case `0x…`.
    pub(crate) to: String,
    /// Base units, exact.
    pub(crate) amount: u128,
    /// `0x` + 64 lower-case hex.
    pub(crate) tx_hash: String,
    /// `log3`, `native`, `trace0.1`.
    pub(crate) leg: String,
    /// Block height.
    pub(crate) block: u64,
    /// Block time when the answer carried it.
    pub(crate) time: Option<i64>,
    /// The request that produced it (no secrets).
    pub(crate) request: String,
    /// Unix seconds when that answer arrived.
    pub(crate) fetched_at: i64,
    /// A note about this leg for its provenance.
    pub(crate) note: Option<String>,
}

/// What a token contract said about itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TokenInfo {
    pub(super) symbol: String,
    pub(super) decimals: u8,
    /// Set when the contract did not answer `symbol()` or `decimals()`.
    pub(super) note: Option<String>,
}

/// Everything the facts of one job share.
#[derive(Debug, Clone)]
pub(super) struct JobStamp {
    pub(super) source: String,
    pub(super) chain: Chain,
    /// Chain tip at job start.
    pub(super) tip: u64,
}

impl JobStamp {
    /// The provenance of one leg.
    pub(super) fn provenance(&self, request: &str, fetched_at: i64, notes: &[&str]) -> Provenance {
        let mut request = request.to_owned();
        if !notes.is_empty() {
            request.push_str(" — ");
            request.push_str(&notes.join("; "));
        }
        Provenance {
            source: self.source.clone(),
            request,
            fetched_at,
            block_height: Some(self.tip),
        }
    }

    /// The transfer of `leg`, given its token's metadata and its block time.
    pub(super) fn transfer(
        &self,
        leg: &RawLeg,
        token: Option<&TokenInfo>,
        time: Option<i64>,
    ) -> Result<(NodeId, NodeId, Transfer), String> {
        let from = super::hex::address_node(self.chain, &leg.from)?;
        let to = super::hex::address_node(self.chain, &leg.to)?;
        let asset = match (&leg.contract, token) {
            (Some(contract), Some(info)) => {
                Asset::token(self.chain, &info.symbol, info.decimals, contract)
            }
            (Some(contract), None) => {
                return Err(format!("no metadata for token {contract}"));
            }
            (None, _) => Asset::native(self.chain),
        };
        let mut notes: Vec<&str> = Vec::new();
        if let Some(note) = &leg.note {
            notes.push(note);
        }
        if let Some(note) = token.and_then(|t| t.note.as_deref()) {
            notes.push(note);
        }
        let transfer = Transfer {
            id: TransferId::new(&self.chain.id_prefix(), &leg.tx_hash, &leg.leg),
            from: from.clone(),
            to: to.clone(),
            asset,
            amount: leg.amount,
            tx_hash: leg.tx_hash.clone(),
            block_height: Some(leg.block),
            time: time.or(leg.time),
            provenance: Some(Box::new(self.provenance(
                &leg.request,
                leg.fetched_at,
                &notes,
            ))),
            relation_txs: None,
            memo: None,
        };
        Ok((from, to, transfer))
    }
}

/// Counterparties in first-seen order, one per other address; a transfer is added once even
/// when two queries (both directions, a self-transfer) return it.
#[derive(Debug, Default)]
pub(super) struct Groups {
    by_key: HashMap<NodeId, usize>,
    list: Vec<Counterparty>,
    seen: HashSet<TransferId>,
}

impl Groups {
    /// Adds `transfer` to the counterparty `other`.
    pub(super) fn add(&mut self, other: NodeId, transfer: Transfer) {
        if !self.seen.insert(transfer.id.clone()) {
            return;
        }
        let value = transfer.ranking_value();
        if let Some(&at) = self.by_key.get(&other)
            && let Some(existing) = self.list.get_mut(at)
        {
            existing.value = existing.value.saturating_add(value);
            existing.transfers.push(transfer);
            return;
        }
        self.by_key.insert(other.clone(), self.list.len());
        self.list.push(Counterparty {
            key: other,
            value,
            nodes: Vec::new(),
            transfers: vec![transfer],
            tags: Vec::new(),
        });
    }

    /// The counterparties, each bringing its address node stamped with `provenance`.
    pub(super) fn finish(self, provenance: &Provenance) -> Vec<Counterparty> {
        self.list
            .into_iter()
            .map(|mut cp| {
                let mut node = Node::address(cp.key.clone());
                node.provenance = Some(Box::new(provenance.clone()));
                cp.nodes = vec![node];
                cp
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leg(contract: Option<&str>, leg: &str, amount: u128) -> RawLeg {
        RawLeg {
            contract: contract.map(str::to_owned),
            from: "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266".to_owned(),
            to: "0x70997970c51812dc3a010c7d01b50e0d17dc79c8".to_owned(),
            amount,
            tx_hash: format!("0x{}", "ab".repeat(32)),
            leg: leg.to_owned(),
            block: 4,
            time: Some(99),
            request: "eth_getLogs(…)".to_owned(),
            fetched_at: 5,
            note: None,
        }
    }

    #[test]
    fn transfers_and_groups() {
        let stamp = JobStamp {
            source: "evm-rpc:test".to_owned(),
            chain: Chain::ETHEREUM,
            tip: 7,
        };
        let token = TokenInfo {
            symbol: "0xe7f1…0512".to_owned(),
            decimals: 0,
            note: Some("token did not answer".to_owned()),
        };
        let contract = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
        let (_, to, t1) = stamp
            .transfer(&leg(Some(contract), "log0", 250), Some(&token), None)
            .expect("transfer");
        assert_eq!(t1.id.as_str(), format!("eth:0x{}:log0", "ab".repeat(32)));
        assert_eq!(t1.asset.contract.as_deref(), Some(contract));
        assert_eq!(t1.time, Some(99));
        let prov = t1.provenance.clone().expect("provenance");
        assert_eq!(prov.request, "eth_getLogs(…) — token did not answer");
        assert_eq!(prov.block_height, Some(7));
        let (_, _, t2) = stamp
            .transfer(&leg(None, "native", 10), None, Some(100))
            .expect("transfer");
        assert_eq!(t2.asset, Asset::native(Chain::ETHEREUM));
        assert_eq!(t2.time, Some(100));
        assert!(
            stamp
                .transfer(&leg(Some(contract), "log1", 1), None, None)
                .is_err()
        );

        let mut groups = Groups::default();
        groups.add(to.clone(), t1.clone());
        groups.add(to.clone(), t1);
        groups.add(to.clone(), t2);
        let provenance = stamp.provenance("job", 1, &["no traces"]);
        let list = groups.finish(&provenance);
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].transfers.len(), 2);
        assert_eq!(list[0].value, 250 * 10u128.pow(18) + 10);
        assert_eq!(list[0].nodes[0].id, to);
        assert_eq!(
            list[0].nodes[0]
                .provenance
                .as_ref()
                .map(|p| p.request.as_str()),
            Some("job — no traces")
        );
    }
}
