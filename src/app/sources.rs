//! Data sources in the app: the live source router built from the case's source settings and
//! the user's secrets, rebuilt when either changes; the Sources window, its connection test
//! (in a job) and storing keys in the settings (never in the case).

use super::CaseboardApp;
use super::command::Command;
use super::jobs::JobOutcome;
use super::ui;
use crate::model::SourceConfig;
use crate::sources::DataSource;
use crate::sources::demo::DemoSource;
use crate::sources::router::SourceRouter;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The case's default source and per-chain sources, as last built.
type SourceSetup = (SourceConfig, BTreeMap<String, SourceConfig>);

/// The live sources of the open case.
pub struct SourceState {
    router: Arc<SourceRouter>,
    built_for: Option<SourceSetup>,
}

impl Default for SourceState {
    fn default() -> SourceState {
        SourceState {
            router: Arc::new(SourceRouter::new(
                &SourceConfig::Demo,
                &BTreeMap::new(),
                |_| Ok(Arc::new(DemoSource::new()) as Arc<dyn DataSource>),
            )),
            built_for: None,
        }
    }
}

impl CaseboardApp {
    /// Handles the data-source commands; gives any other command back.
    pub(super) fn source_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::ShowSources => {
                self.dialogs.sources = Some(ui::sources::SourcesDialog::new(
                    &self.doc.case().source,
                    &self.settings,
                ));
            }
            Command::FetchTransaction { chain, hash } => {
                let source = self.source().clone();
                let label = format!(
                    "Reading {chain} transaction {}",
                    crate::model::address::short_form(&hash)
                );
                self.jobs.spawn(
                    format!("tx:{hash}"),
                    label,
                    self.egui_ctx.clone(),
                    move |control| JobOutcome::TransactionRead {
                        result: source.transaction(chain, &hash, &control),
                        chain,
                        hash,
                    },
                );
            }
            Command::TestConnection(config) => {
                let ctx = self.source_context();
                let egui_ctx = self.egui_ctx.clone();
                self.jobs.spawn(
                    "source:test".to_owned(),
                    format!("Testing {}", config.name()),
                    egui_ctx,
                    move |control| JobOutcome::ConnectionTested {
                        result: crate::sources::factory::test_connection(&config, &ctx, &control)
                            .map_err(|e| e.to_string()),
                        config,
                    },
                );
            }
            Command::SaveSourceSettings {
                etherscan_api_key,
                trongrid_api_key,
                graphsense_api_key,
                offline,
                full_url,
            } => {
                self.settings.etherscan_api_key = etherscan_api_key;
                self.settings.trongrid_api_key = trongrid_api_key;
                self.settings.graphsense_api_key = graphsense_api_key;
                self.settings.offline = offline;
                if let Some(full) = full_url {
                    let (public, _) = crate::sources::factory::split_secret_url(&full);
                    self.settings.source_urls.insert(public, full);
                }
                self.save_settings();
                self.reset_source();
            }
            other => return Some(other),
        }
        None
    }

    /// Adds a transaction read by its hash (one undoable step), or says why not.
    fn transaction_read(
        &mut self,
        chain: crate::model::Chain,
        hash: String,
        result: Result<crate::model::TransactionFacts, crate::sources::SourceError>,
    ) {
        let short = crate::model::address::short_form(&hash);
        let facts = match result {
            Ok(facts) => facts,
            Err(crate::sources::SourceError::Cancelled) => {
                self.notices
                    .info(format!("Reading transaction {short} cancelled"));
                return;
            }
            Err(err) => {
                self.notices.error(
                    format!("Reading {chain} transaction {short} failed: {err}"),
                    Some(Command::FetchTransaction { chain, hash }),
                );
                return;
            }
        };
        let gaps = facts.gaps.clone();
        let mut message = match crate::analysis::by_hash::transaction_action(
            self.doc.case(),
            chain,
            &hash,
            facts,
        ) {
            Some(crate::model::Action::Insert {
                label,
                mut fragment,
            }) => {
                crate::attribution::flag_fragment(self.attribution.index(), &mut fragment);
                let new_nodes: Vec<crate::model::NodeId> =
                    fragment.nodes.iter().map(|n| n.id.clone()).collect();
                let added = format!(
                    "Read {chain} transaction {short}: {} nodes, {} transfers added",
                    fragment.nodes.len(),
                    fragment.transfers.len()
                );
                if let Err(err) = self
                    .doc
                    .apply(crate::model::Action::Insert { label, fragment })
                {
                    self.notices
                        .error(format!("Transaction {short} not added: {err}"), None);
                    return;
                }
                self.canvas.request_include(new_nodes.clone());
                self.commands.push(Command::Select(new_nodes));
                added
            }
            _ => format!("Read {chain} transaction {short}: nothing new"),
        };
        for gap in &gaps {
            message.push_str("; ");
            message.push_str(gap);
        }
        if gaps.is_empty() {
            self.notices.info(message);
        } else {
            self.notices.warn(message);
        }
    }

    /// Shows a connection test's result or adds a transaction read by hash; gives any other
    /// outcome back.
    pub(super) fn source_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        let (config, result) = match outcome {
            JobOutcome::ConnectionTested { config, result } => (config, result),
            JobOutcome::TransactionRead {
                chain,
                hash,
                result,
            } => {
                self.transaction_read(chain, hash, result);
                return None;
            }
            other => return Some(other),
        };
        let text = match &result {
            Ok(text) => format!("{}: {text}", config.name()),
            Err(err) => format!("{}: {err}", config.name()),
        };
        if let Some(dialog) = &mut self.dialogs.sources {
            dialog.set_test_result(result.is_ok(), text.clone());
        }
        match result {
            Ok(_) => self.notices.info(text),
            Err(_) => self
                .notices
                .error(text, Some(Command::TestConnection(config))),
        }
        None
    }

    /// The sources of the open case (one per chain).
    pub fn source(&self) -> &Arc<SourceRouter> {
        &self.sources.router
    }

    /// Secrets and switches for building sources (from settings and the environment).
    pub fn source_context(&self) -> crate::sources::factory::SourceContext {
        crate::sources::factory::SourceContext {
            offline: self.settings.offline,
            use_cache: self.settings_path.is_some(),
            full_urls: self.settings.source_urls.clone(),
            answer_deadline_secs: Some(self.settings.answer_deadline_secs),
            read_caps: self.settings.read_caps,
            ..crate::sources::factory::SourceContext::with_all_keys(
                &self.settings.etherscan_api_key,
                &self.settings.trongrid_api_key,
                &self.settings.graphsense_api_key,
            )
        }
    }

    /// Rebuilds the live sources when the case names others (open, undo, the Sources window).
    pub(super) fn sync_source(&mut self) {
        let case = self.doc.case();
        let setup = (case.source.clone(), case.chain_sources.clone());
        if self.sources.built_for.as_ref() == Some(&setup) {
            return;
        }
        let router =
            crate::sources::factory::build_router(&setup.0, &setup.1, &self.source_context());
        for problem in router.problems() {
            self.notices
                .error(format!("Data source not available: {problem}"), None);
        }
        self.sources.router = Arc::new(router);
        self.sources.built_for = Some(setup);
    }

    /// Forces the source to be rebuilt (settings changed).
    pub(crate) fn reset_source(&mut self) {
        self.sources.built_for = None;
    }
}
