//! GraphSense in the app — entities and relations. "Look up entity" on a node asks the node's source for the
//! cluster it belongs to (a job), the inspector shows what came back (size, balance, best tag),
//! and "Show entity" fetches its addresses (a job, at most [`SHOWN_MEMBERS`]) and adds them with
//! one Caseboard cluster through the document door ([`crate::analysis::entity`]), one undoable
//! step. The lookups are UI state, kept per node for the session, never in the case. "Fetch its
//! transactions" on a relation row reads the transactions behind it (a job) and puts them in
//! the relation's place ([`crate::analysis::relation`]), one undoable step.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::JobOutcome;
use crate::model::{ClusterFacts, NodeId};
use crate::sources::{DataSource, SourceError};
use std::collections::BTreeMap;

/// Most addresses one "Show entity" brings into the case.
pub const SHOWN_MEMBERS: usize = 200;

/// Where the lookup of one node's entity stands.
#[derive(Debug, Clone, PartialEq)]
pub enum EntityLookup {
    /// The job is running.
    Loading,
    /// The source's entity of the node.
    Found(Box<ClusterFacts>),
    /// The source knows no entity for the node.
    Unknown,
    /// The lookup failed, with the reason.
    Failed(String),
}

/// Entity lookups by node, for the inspector.
pub type EntityLookups = BTreeMap<NodeId, EntityLookup>;

impl CaseboardApp {
    /// Handles the entity commands; gives any other command back.
    pub(super) fn entity_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::LookUpEntity(node) => {
                let source = self.source().clone();
                self.entities.insert(node.clone(), EntityLookup::Loading);
                let label = format!(
                    "Looking up the entity of {}",
                    crate::model::address::short_form(&node.display_value())
                );
                self.jobs.spawn(
                    format!("entity:{node}"),
                    label,
                    self.egui_ctx.clone(),
                    move |control| JobOutcome::EntityRead {
                        result: source.cluster_of(&node, &control),
                        node,
                    },
                );
            }
            Command::ShowEntity(node) => {
                let Some(EntityLookup::Found(facts)) = self.entities.get(&node).cloned() else {
                    self.commands.push(Command::LookUpEntity(node));
                    return None;
                };
                let source = self.source().clone();
                let label = format!("Reading the addresses of GraphSense entity {}", facts.id);
                self.jobs.spawn(
                    format!("entity-members:{}", facts.id),
                    label,
                    self.egui_ctx.clone(),
                    move |control| JobOutcome::EntityMembersRead {
                        result: source.cluster_members(&facts, SHOWN_MEMBERS, &control),
                        node,
                        facts,
                    },
                );
            }
            Command::ShowEntityNode(node) => {
                let Some(EntityLookup::Found(facts)) = self.entities.get(&node).cloned() else {
                    self.commands.push(Command::LookUpEntity(node));
                    return None;
                };
                let provenance = Some(crate::model::node::Provenance {
                    source: self.source().config_for(&node).name(),
                    request: format!("entity of {node}"),
                    fetched_at: crate::util::now_unix(),
                    block_height: None,
                });
                let entity = NodeId::entity(facts.chain, facts.id);
                match crate::analysis::entity::entity_node_action(
                    self.doc.case(),
                    &node,
                    &facts,
                    provenance,
                ) {
                    Ok(action) => match self.doc.apply(action) {
                        Ok(()) => {
                            self.canvas.request_include(vec![entity.clone()]);
                            self.commands.push(Command::Select(vec![entity]));
                        }
                        Err(err) => self
                            .notices
                            .error(format!("Entity {} not added: {err}", facts.id), None),
                    },
                    Err(why) => {
                        self.notices
                            .info(format!("GraphSense entity {}: {why}", facts.id));
                        self.commands.push(Command::Select(vec![entity]));
                    }
                }
            }
            Command::FetchRelation { from, to } => {
                let source = self.source().clone();
                let label = format!(
                    "Reading the transactions of {} to {}",
                    crate::model::address::short_form(&from.display_value()),
                    crate::model::address::short_form(&to.display_value())
                );
                self.jobs.spawn(
                    format!("relation:{from}>{to}"),
                    label,
                    self.egui_ctx.clone(),
                    move |control| JobOutcome::RelationRead {
                        result: source.relation_transactions(&from, &to, &control),
                        from,
                        to,
                    },
                );
            }
            other => return Some(other),
        }
        None
    }

    /// Records an entity lookup or adds an entity's addresses; gives any other outcome back.
    pub(super) fn entity_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        match outcome {
            JobOutcome::EntityRead { node, result } => {
                let lookup = match result {
                    Ok(Some(facts)) => EntityLookup::Found(Box::new(facts)),
                    Ok(None) => EntityLookup::Unknown,
                    Err(SourceError::Cancelled) => {
                        self.entities.remove(&node);
                        return None;
                    }
                    Err(err) => EntityLookup::Failed(err.to_string()),
                };
                self.entities.insert(node, lookup);
            }
            JobOutcome::EntityMembersRead {
                node,
                facts,
                result,
            } => self.entity_members_read(node, *facts, result),
            JobOutcome::RelationRead { from, to, result } => self.relation_read(from, to, result),
            other => return Some(other),
        }
        None
    }

    fn entity_members_read(
        &mut self,
        node: NodeId,
        facts: ClusterFacts,
        result: Result<Vec<crate::model::Node>, SourceError>,
    ) {
        let members = match result {
            Ok(members) => members,
            Err(SourceError::Cancelled) => return,
            Err(err) => {
                self.notices.error(
                    format!("Reading the addresses of entity {} failed: {err}", facts.id),
                    Some(Command::ShowEntity(node)),
                );
                return;
            }
        };
        let source_name = self.source().config_for(&node).name();
        let fetched = members.len();
        let action = match crate::analysis::entity::entity_cluster_action(
            self.doc.case(),
            &node,
            &facts,
            members,
            &source_name,
        ) {
            Ok(action) => action,
            Err(why) => {
                self.notices
                    .info(format!("GraphSense entity {}: {why}", facts.id));
                return;
            }
        };
        let crate::model::Action::Batch { label, mut actions } = action else {
            return;
        };
        let mut new_nodes = Vec::new();
        for action in &mut actions {
            if let crate::model::Action::Insert { fragment, .. } = action {
                crate::attribution::flag_fragment(self.attribution.index(), fragment);
                new_nodes.extend(fragment.nodes.iter().map(|n| n.id.clone()));
            }
        }
        if let Err(err) = self
            .doc
            .apply(crate::model::Action::Batch { label, actions })
        {
            self.notices
                .error(format!("Entity {} not added: {err}", facts.id), None);
            return;
        }
        let mut message = format!(
            "GraphSense entity {}: {} of its {} read, {} new on the canvas, grouped as a cluster",
            facts.id,
            fetched,
            crate::util::plural(facts.addresses, "address", "addresses"),
            new_nodes.len()
        );
        if facts.addresses > fetched as u64 {
            message.push_str(&format!(
                " (at most {SHOWN_MEMBERS} are brought in at once)"
            ));
        }
        self.notices.info(message);
        if !new_nodes.is_empty() {
            self.canvas.request_include(new_nodes);
        }
    }

    fn relation_read(
        &mut self,
        from: NodeId,
        to: NodeId,
        result: Result<crate::model::TransactionFacts, SourceError>,
    ) {
        let ends = format!(
            "{} to {}",
            crate::model::address::short_form(&from.display_value()),
            crate::model::address::short_form(&to.display_value())
        );
        let facts = match result {
            Ok(facts) => facts,
            Err(SourceError::Cancelled) => return,
            Err(err) => {
                self.notices.error(
                    format!("Reading the transactions of {ends} failed: {err}"),
                    Some(Command::FetchRelation { from, to }),
                );
                return;
            }
        };
        let gaps = facts.gaps.clone();
        let action =
            match crate::analysis::relation::relation_action(self.doc.case(), &from, &to, facts) {
                Ok(action) => action,
                Err(why) => {
                    self.notices.info(format!("{ends}: {why}"));
                    return;
                }
            };
        let crate::model::Action::Batch { label, mut actions } = action else {
            return;
        };
        let mut new_nodes = Vec::new();
        let mut added = 0;
        for action in &mut actions {
            if let crate::model::Action::Insert { fragment, .. } = action {
                crate::attribution::flag_fragment(self.attribution.index(), fragment);
                new_nodes.extend(fragment.nodes.iter().map(|n| n.id.clone()));
                added += fragment.transfers.len();
            }
        }
        if let Err(err) = self
            .doc
            .apply(crate::model::Action::Batch { label, actions })
        {
            self.notices
                .error(format!("The transactions of {ends} not added: {err}"), None);
            return;
        }
        let mut message = format!(
            "{ends}: the relation is now its {} (one undoable step)",
            crate::util::plural(added, "transfer", "transfers")
        );
        for gap in &gaps {
            message.push_str("; ");
            message.push_str(gap);
        }
        if gaps.is_empty() {
            self.notices.info(message);
        } else {
            self.notices.warn(message);
        }
        if !new_nodes.is_empty() {
            self.canvas.request_include(new_nodes);
        }
    }
}
