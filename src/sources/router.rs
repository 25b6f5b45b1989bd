//! One source per chain: the [`DataSource`] the app and the command line expand with.
//!
//! A case names a default source and, optionally, a source for particular chains
//! (`chain_sources`: `btc` → an Esplora, `eth` → the investigator's own node, `evm137` →
//! Blockscout). [`SourceRouter`] holds one live source per configuration and hands each
//! request to the source that serves the node's chain. A source that could not be set up
//! (an Etherscan source without a key) only fails the requests for its chains, with the
//! reason.

use super::{
    ClusterFacts, Counterparty, CounterpartyPage, DataSource, Direction, JobControl, SourceError,
    TransactionFacts,
};
use crate::model::{Chain, Node, NodeId, SourceConfig};
use std::collections::BTreeMap;
use std::sync::Arc;

/// A live source, or why it could not be built.
type Built = Result<Arc<dyn DataSource>, String>;

/// Routes each node to the source of its chain.
pub struct SourceRouter {
    default: (SourceConfig, Built),
    by_chain: BTreeMap<String, (SourceConfig, Built)>,
}

impl SourceRouter {
    /// Builds the sources of `default` and `by_chain` with `build` (each configuration once).
    pub fn new(
        default: &SourceConfig,
        by_chain: &BTreeMap<String, SourceConfig>,
        mut build: impl FnMut(&SourceConfig) -> Result<Arc<dyn DataSource>, SourceError>,
    ) -> SourceRouter {
        let mut built: Vec<(SourceConfig, Built)> = Vec::new();
        let mut get = |config: &SourceConfig| -> Built {
            if let Some((_, b)) = built.iter().find(|(c, _)| c == config) {
                return b.clone();
            }
            let b = build(config).map_err(|e| e.to_string());
            built.push((config.clone(), b.clone()));
            b
        };
        let default_built = get(default);
        let by_chain = by_chain
            .iter()
            .map(|(chain, config)| (chain.clone(), (config.clone(), get(config))))
            .collect();
        SourceRouter {
            default: (default.clone(), default_built),
            by_chain,
        }
    }

    /// The configuration serving `node`'s chain.
    pub fn config_for(&self, node: &NodeId) -> &SourceConfig {
        &self.entry(node).0
    }

    /// Problems setting up sources, one line each (empty when all are ready).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Err(e) = &self.default.1 {
            out.push(e.clone());
        }
        for (chain, (_, built)) in &self.by_chain {
            if let Err(e) = built {
                out.push(format!("{chain}: {e}"));
            }
        }
        out.dedup();
        out
    }

    fn entry(&self, node: &NodeId) -> &(SourceConfig, Built) {
        self.entry_for(node.chain())
    }

    fn entry_for(&self, chain: Option<Chain>) -> &(SourceConfig, Built) {
        chain
            .and_then(|chain| self.by_chain.get(&chain.id_prefix()))
            .unwrap_or(&self.default)
    }

    fn source_for(&self, node: &NodeId) -> Result<&Arc<dyn DataSource>, SourceError> {
        // An entity is a GraphSense node: no other source knows its number.
        if node.is_entity() {
            let config = self.config_for(node);
            if !matches!(config, SourceConfig::GraphSense { .. }) {
                return Err(SourceError::BadAnswer {
                    source_name: config.name(),
                    message: format!(
                        "{node} is a GraphSense entity; choose a GraphSense source for its chain"
                    ),
                });
            }
        }
        self.source_for_chain(node.chain())
    }

    fn source_for_chain(&self, chain: Option<Chain>) -> Result<&Arc<dyn DataSource>, SourceError> {
        let (config, built) = self.entry_for(chain);
        built.as_ref().map_err(|reason| SourceError::BadAnswer {
            source_name: config.name(),
            message: format!("not available: {reason}"),
        })
    }
}

impl DataSource for SourceRouter {
    fn name(&self) -> &str {
        "sources of the case"
    }

    fn lookup(&self, node: &NodeId, control: &JobControl) -> Result<Option<Node>, SourceError> {
        self.source_for(node)?.lookup(node, control)
    }

    fn counterparties(
        &self,
        node: &NodeId,
        direction: Direction,
        control: &JobControl,
    ) -> Result<Vec<Counterparty>, SourceError> {
        self.source_for(node)?
            .counterparties(node, direction, control)
    }

    fn counterparties_page(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.source_for(node)?
            .counterparties_page(node, direction, resume, control)
    }

    fn counterparties_page_within(
        &self,
        node: &NodeId,
        direction: Direction,
        resume: Option<&str>,
        range: crate::sources::TimeRange,
        control: &JobControl,
    ) -> Result<CounterpartyPage, SourceError> {
        self.source_for(node)?
            .counterparties_page_within(node, direction, resume, range, control)
    }

    fn transaction(
        &self,
        chain: Chain,
        hash: &str,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        self.source_for_chain(Some(chain))?
            .transaction(chain, hash, control)
    }

    fn cluster_of(
        &self,
        node: &NodeId,
        control: &JobControl,
    ) -> Result<Option<ClusterFacts>, SourceError> {
        self.source_for(node)?.cluster_of(node, control)
    }

    fn relation_transactions(
        &self,
        from: &NodeId,
        to: &NodeId,
        control: &JobControl,
    ) -> Result<TransactionFacts, SourceError> {
        self.source_for(from)?
            .relation_transactions(from, to, control)
    }

    fn cluster_members(
        &self,
        cluster: &ClusterFacts,
        limit: usize,
        control: &JobControl,
    ) -> Result<Vec<Node>, SourceError> {
        self.source_for_chain(Some(cluster.chain))?
            .cluster_members(cluster, limit, control)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sources::demo::DemoSource;

    #[test]
    fn routes_by_chain_and_reports_unavailable_sources() {
        let mut by_chain = BTreeMap::new();
        let broken = SourceConfig::Etherscan { chain_id: 1 };
        by_chain.insert("eth".to_owned(), broken.clone());
        let mut builds = 0;
        let router = SourceRouter::new(&SourceConfig::Demo, &by_chain, |config| {
            builds += 1;
            match config {
                SourceConfig::Demo => Ok(Arc::new(DemoSource::new()) as Arc<dyn DataSource>),
                _ => Err(SourceError::BadAnswer {
                    source_name: "etherscan:1".into(),
                    message: "Etherscan needs an API key".into(),
                }),
            }
        });
        assert_eq!(builds, 2);
        let btc = NodeId::parse("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").expect("id");
        let eth = NodeId::parse("eth:0x1db92e2eebc8e0c075a02bea49a2935bcd2dfcf4").expect("id");
        assert_eq!(router.config_for(&btc), &SourceConfig::Demo);
        assert_eq!(router.config_for(&eth), &broken);
        let control = JobControl::default();
        let err = router
            .counterparties(&eth, Direction::Both, &control)
            .expect_err("no key");
        assert!(err.to_string().contains("API key"), "{err}");
        assert!(
            router
                .counterparties(&btc, Direction::Both, &control)
                .is_ok()
        );
        assert_eq!(router.problems().len(), 1);
        // The default page refuses a cursor it never gave.
        assert!(
            router
                .counterparties_page(&btc, Direction::Both, Some("x"), &control)
                .is_err()
        );
    }
}
