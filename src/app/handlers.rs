//! Handling commands: the one place where UI requests become actions, jobs and dialogs.

use super::CaseboardApp;
use super::command::{Command, ExpandRequest};
use super::jobs::{JobOutcome, PathPurpose};
use super::ui;
use crate::analysis::expansion::ExpandOptions;
use crate::model::Document;
use crate::model::action::Placement;
use crate::model::{Action, Case, Tag};
use crate::sources::DataSource as _;
use crate::sources::demo::{demo_attribution, demo_case};
use std::path::PathBuf;

impl CaseboardApp {
    /// Handles every queued command, in order.
    pub(super) fn handle_commands(&mut self, ctx: &egui::Context) {
        // Commands may queue further commands; bound the loop so a bug can't spin forever.
        for _ in 0..8 {
            if self.commands.is_empty() {
                break;
            }
            for command in std::mem::take(&mut self.commands) {
                self.handle_command(ctx, command);
            }
        }
    }

    fn handle_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::NewCase | Command::OpenDemo | Command::OpenPath(_) | Command::Quit
                if self.doc.is_modified() && self.dialogs.discard.is_none() =>
            {
                self.dialogs.discard = Some(ui::confirm::DiscardDialog::new(command));
            }
            Command::NewCase => {
                self.dialogs.discard = None;
                let case = Case::new("Untitled case", crate::util::now_unix());
                self.replace_document(Document::new(case, None));
            }
            Command::OpenDemo => {
                self.dialogs.discard = None;
                self.replace_document(Document::new(demo_case(), None));
                self.canvas.request_zoom_to(Vec::new());
                self.flag_whole_case();
            }
            Command::OpenDialog => self.choose_path(PathPurpose::Open),
            Command::OpenPath(path) => {
                self.dialogs.discard = None;
                self.start_open(path);
            }
            Command::Save => match self.doc.path.clone() {
                Some(path) => self.start_save(path),
                None => self.choose_path(PathPurpose::SaveAs),
            },
            Command::SaveAs => self.choose_path(PathPurpose::SaveAs),
            Command::SaveTo(path) => self.start_save(path),
            Command::ScreenshotDialog => self.choose_path(PathPurpose::Screenshot),
            Command::ScreenshotTo(path) => {
                self.pending_screenshot = Some(path);
                ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::UserData::default()));
            }
            Command::Quit => {
                self.dialogs.discard = None;
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Undo => match self.doc.undo() {
                Some(what) => self.notices.info(format!("Undid {what}")),
                None => self.notices.info("Nothing to undo"),
            },
            Command::Redo => match self.doc.redo() {
                Some(what) => self.notices.info(format!("Redid {what}")),
                None => self.notices.info("Nothing to redo"),
            },
            Command::Apply(action) => {
                let action = self.flag_action(action);
                let what = action.describe();
                if let Err(err) = self.doc.apply(action) {
                    self.notices.error(format!("Could not {what}: {err}"), None);
                }
                self.selection
                    .retain(|id| self.doc.case.nodes.contains_key(id));
            }
            Command::Expand { node, direction } => self.start_expand(node, direction),
            Command::ExpandSelected(direction) => {
                for node in self.selection.clone() {
                    self.start_expand(node, direction);
                }
            }
            Command::ExpandWith(request) => self.start_expand_request(request),
            Command::NewNote { anchor, position } => self.new_note(anchor, position),
            Command::EditNote(id) => self.edit_note(id),
            Command::DeleteNote(id) => self.delete_note(id),
            Command::StartArrow(end) => self.canvas.start_arrow(end),
            Command::DrawArrow { from, to } => self.draw_arrow(from, to),
            Command::HighlightEdges { node, color } => self.highlight_edges(node, color),
            Command::ExportImageDialog => self.choose_path(PathPurpose::ExportImage),
            Command::ExportImage(path) => self.start_export_image(path),
            Command::ExportCsvDialog => self.choose_path(PathPurpose::ExportCsv),
            Command::ExportCsv(path) => self.start_export_csv(path),
            Command::MergeDialog => self.choose_path(PathPurpose::Merge),
            Command::MergePath(path) => self.start_merge(path),
            Command::ResolveConflict { id, choice } => {
                match crate::model::conflict::resolve(&self.doc.case, id, choice) {
                    Some(action) => self.commands.push(Command::Apply(action)),
                    None => self
                        .notices
                        .info("That choice does not apply to this conflict"),
                }
            }
            Command::SetAutosave(secs) => {
                self.settings.autosave_secs = secs;
                self.save_settings();
            }
            Command::SetInvestigator(name) => {
                self.doc.set_author(&name);
                self.settings.investigator = name;
                self.save_settings();
            }
            Command::LoadMore { node, direction } => self.load_more(node, direction),
            Command::ShowExpandDialog(node) => {
                let memo = self
                    .expansions
                    .iter()
                    .find(|((n, _), _)| n == &node)
                    .map(|(_, memo)| memo.options.clone());
                self.dialogs.expand = Some(ui::expand_dialog::ExpandDialog::new(
                    node,
                    memo.unwrap_or_else(|| {
                        ExpandOptions::with_limit(self.settings.expansion_limit)
                    }),
                ));
            }
            Command::ShowShortcuts => self.dialogs.shortcuts = true,
            Command::CancelJob(key) => self.jobs.cancel(&key),
            Command::Select(nodes) => {
                if nodes.is_empty() {
                    // Escape (or a click on the background) also ends a pending arrow.
                    self.canvas.cancel_arrow();
                }
                self.selection = nodes
                    .into_iter()
                    .filter(|id| self.doc.case.nodes.contains_key(id))
                    .collect();
            }
            Command::SelectAll => self.selection = self.doc.case.nodes.keys().cloned().collect(),
            Command::ZoomTo(nodes) => self.canvas.request_zoom_to(nodes),
            Command::ShowAddAddresses => {
                self.dialogs.add_addresses = Some(ui::add_addresses::AddAddressesDialog::default());
            }
            Command::ShowClusterDialog(edit) => self.open_cluster_dialog(edit),
            Command::RemoveSelected => self.remove_selected(),
            Command::SetPinned { nodes, pinned } => {
                let placements = nodes
                    .iter()
                    .filter(|id| self.doc.case.nodes.contains_key(*id))
                    .map(|id| Placement {
                        node: id.clone(),
                        position: self.doc.case.layout.positions.get(id).copied(),
                        pinned,
                    })
                    .collect();
                let label = if pinned { "pin nodes" } else { "unpin nodes" };
                self.commands.push(Command::Apply(Action::Place {
                    label: label.to_owned(),
                    placements,
                }));
            }
            Command::ApplyDemoAttribution => self.apply_demo_attribution(),
            Command::ImportPackDialog => self.choose_path(PathPurpose::ImportPack),
            Command::ImportPack(path) => self.start_import_pack(path),
            Command::SetPackEnabled { id, enabled } => self.set_pack_enabled(id, enabled),
            Command::ExportTagPackDialog => self.choose_path(PathPurpose::ExportTagPack),
            Command::ExportTagPack(path) => self.start_export_tagpack(path),
            Command::ShowOwnTagDialog(node) => {
                self.dialogs.own_tag = Some(ui::tag_dialog::TagDialog::new(
                    node,
                    &self.settings.investigator,
                ));
            }
            Command::ShowSources => {
                self.dialogs.sources = Some(ui::sources::SourcesDialog::new(
                    &self.doc.case.source,
                    &self.settings,
                ));
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
                offline,
                full_url,
            } => {
                self.settings.etherscan_api_key = etherscan_api_key;
                self.settings.offline = offline;
                if let Some(full) = full_url {
                    let (public, _) = crate::sources::factory::split_secret_url(&full);
                    self.settings.source_urls.insert(public, full);
                }
                self.save_settings();
                self.reset_source();
            }
            Command::Relayout => self.layout.reheat(),
            Command::Copy(text) => ctx.copy_text(text),
        }
    }

    /// Reads a case file in a background job.
    pub(super) fn start_open(&mut self, path: PathBuf) {
        let key = format!("open:{}", path.display());
        let label = format!("Opening {}", file_name(&path));
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(key, label, ctx.clone(), move |control| {
            // Big files take a while: the status bar shows the stage (bytes read,
            // parsing, checking).
            let progress = |stage: crate::case_file::LoadStage| {
                control.set_stage(stage.to_string());
                if let Some(ctx) = &ctx {
                    ctx.request_repaint();
                }
            };
            JobOutcome::Opened {
                result: crate::case_file::load_report_with_progress(&path, &progress)
                    .map(|(case, report)| (Box::new(case), report)),
                path,
            }
        });
    }

    fn start_save(&mut self, path: PathBuf) {
        let mut case = self.doc.case.clone();
        case.meta.modified = crate::util::now_unix();
        let revision = self.doc.revision();
        let key = format!("save:{}", path.display());
        let label = format!("Saving {}", file_name(&path));
        let ctx = self.egui_ctx.clone();
        let started = self
            .jobs
            .spawn(key, label, ctx, move |_control| JobOutcome::Saved {
                result: crate::case_file::save(&case, &path),
                path,
                revision,
            });
        if !started {
            self.notices.warn("A save to that file is already running");
        }
    }

    pub(super) fn choose_path(&mut self, purpose: PathPurpose) {
        if !self.native_dialogs {
            self.notices
                .warn("File dialogs are off in this session; use the command line to pass a file");
            return;
        }
        let suggested = format!("{}.ron", sanitise_file_stem(&self.doc.display_name()));
        let ctx = self.egui_ctx.clone();
        // The native dialog blocks, so it runs on a job thread like any other wait.
        self.jobs.spawn(
            format!("dialog:{purpose:?}"),
            "Choosing a file".to_owned(),
            ctx,
            move |_control| {
                let path = match purpose {
                    PathPurpose::Open => rfd::FileDialog::new()
                        .add_filter("Caseboard case", &["ron"])
                        .pick_file(),
                    PathPurpose::SaveAs => rfd::FileDialog::new()
                        .add_filter("Caseboard case", &["ron"])
                        .set_file_name(suggested)
                        .save_file(),
                    PathPurpose::Screenshot => rfd::FileDialog::new()
                        .add_filter("PNG image", &["png"])
                        .set_file_name("caseboard-canvas.png")
                        .save_file(),
                    PathPurpose::ImportPack => rfd::FileDialog::new()
                        .add_filter("GraphSense TagPack or CSV", &["yaml", "yml", "csv"])
                        .pick_file(),
                    PathPurpose::ExportTagPack => rfd::FileDialog::new()
                        .add_filter("GraphSense TagPack", &["yaml"])
                        .set_file_name("caseboard-tags.yaml")
                        .save_file(),
                    PathPurpose::ExportImage => rfd::FileDialog::new()
                        .add_filter("SVG (vector)", &["svg"])
                        .add_filter("PNG image", &["png"])
                        .set_file_name(suggested.replace(".ron", ".svg"))
                        .save_file(),
                    PathPurpose::ExportCsv => rfd::FileDialog::new()
                        .add_filter("CSV", &["csv"])
                        .set_file_name(suggested.replace(".ron", "-transfers.csv"))
                        .save_file(),
                    PathPurpose::Merge => rfd::FileDialog::new()
                        .add_filter("Caseboard case", &["ron"])
                        .pick_file(),
                };
                JobOutcome::PathChosen { purpose, path }
            },
        );
    }

    fn start_expand(&mut self, node: crate::model::NodeId, direction: crate::sources::Direction) {
        let options = ExpandOptions::with_limit(self.settings.expansion_limit);
        self.start_expand_request(ExpandRequest {
            node,
            direction,
            options,
            resume: None,
        });
    }

    /// "Load more": the next counterparties after those the case shows, with the options of
    /// the last expansion; reading older history from where it stopped once those run out
    /// (see the `Expanded` outcome).
    fn load_more(&mut self, node: crate::model::NodeId, direction: crate::sources::Direction) {
        let memo = self.expansions.get(&(node.clone(), direction));
        let mut options = memo.map_or_else(
            || ExpandOptions::with_limit(self.settings.expansion_limit),
            |m| m.options.clone(),
        );
        options.more = true;
        self.start_expand_request(ExpandRequest {
            node,
            direction,
            options,
            resume: None,
        });
    }

    pub(super) fn start_expand_request(&mut self, request: ExpandRequest) {
        let node = request.node.clone();
        let direction = request.direction;
        if !self.doc.case.nodes.contains_key(&node) {
            self.notices
                .warn(format!("{node} is not in the case; nothing to expand"));
            return;
        }
        let key = format!("expand:{node}:{direction:?}");
        let filters = request.options.describe();
        let label = format!(
            "Expanding {} ({}{}{})",
            crate::model::address::short_form(node.value()),
            direction.name(),
            if filters.is_empty() { "" } else { ", " },
            filters
        );
        let source = self.source.clone();
        let ctx = self.egui_ctx.clone();
        let started = self.jobs.spawn(key, label, ctx, move |control| {
            let result = source.counterparties_page(
                &request.node,
                request.direction,
                request.resume.as_deref(),
                &control,
            );
            JobOutcome::Expanded { request, result }
        });
        if !started {
            self.notices.info("That expansion is already running");
        }
    }

    fn remove_selected(&mut self) {
        if self.selection.is_empty() {
            return;
        }
        let nodes: Vec<_> = self.selection.iter().cloned().collect();
        let label = format!("remove {} node(s)", nodes.len());
        self.commands.push(Command::Apply(Action::Remove {
            label,
            nodes,
            transfers: Vec::new(),
        }));
        self.selection.clear();
    }

    fn open_cluster_dialog(&mut self, edit: Option<crate::model::ClusterId>) {
        let dialog = match edit.and_then(|id| self.doc.case.clusters.get(&id)) {
            Some(cluster) => ui::cluster_dialog::ClusterDialog::edit(cluster),
            None if self.selection.is_empty() => {
                self.notices
                    .info("Select the nodes to tag first (click, shift-click, shift-drag)");
                return;
            }
            None => ui::cluster_dialog::ClusterDialog::create(
                self.selection.iter().cloned().collect(),
                &self.settings.investigator,
            ),
        };
        self.dialogs.cluster = Some(dialog);
    }

    fn apply_demo_attribution(&mut self) {
        let mut entries: Vec<(crate::model::NodeId, Vec<Tag>)> = Vec::new();
        for (node, tag) in demo_attribution() {
            if !self.doc.case.nodes.contains_key(&node) {
                continue;
            }
            let mut tags = self.doc.case.tags.get(&node).cloned().unwrap_or_default();
            if tags.contains(&tag) {
                continue;
            }
            tags.push(tag);
            match entries.iter_mut().find(|(n, _)| n == &node) {
                Some((_, existing)) => *existing = tags,
                None => entries.push((node, tags)),
            }
        }
        if entries.is_empty() {
            self.notices
                .info("Demo attribution: no untagged demo actors in this case yet");
            return;
        }
        let count = entries.len();
        self.commands.push(Command::Apply(Action::SetTags {
            label: format!("apply demo attribution ({count} nodes)"),
            entries,
        }));
        self.notices
            .info(format!("Demo attribution applied to {count} node(s)"));
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn sanitise_file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem.trim_matches('-');
    if stem.is_empty() {
        "case".to_owned()
    } else {
        stem.chars().take(60).collect()
    }
}
