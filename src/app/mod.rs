//! The eframe application: state, the frame loop, and the wiring between panels, jobs and the
//! case.
//!
//! `logic()` polls jobs, applies their results and steps the layout (it also runs when the
//! window is hidden); `ui()` draws the panels, which only push [`Command`]s; the commands are
//! handled once per frame in [`handlers`]. Every change to the case goes through
//! [`Document::apply`].

mod annotation_handlers;
mod attribution_handlers;
pub mod attribution_state;
pub mod canvas;
pub mod command;

mod expansion_outcome;
mod handlers;
pub mod jobs;
pub mod notices;
mod outcomes;
pub mod recovery;
pub mod settings;
mod settings_writer;
mod share_handlers;
pub mod ui;

pub use crate::model::Document;
pub use command::Command;

use crate::layout::LayoutDriver;
use crate::model::{Case, NodeId};
use crate::sources::DataSource;
use crate::sources::demo::{DemoSource, demo_case};
use crate::sources::router::SourceRouter;
use canvas::Canvas;
use jobs::Jobs;
use notices::Notices;
use settings::Settings;
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

/// The case's default source and per-chain sources, as last built.
type SourceSetup = (
    crate::model::SourceConfig,
    std::collections::BTreeMap<String, crate::model::SourceConfig>,
);

/// What the last expansion of a node in one direction used, for "Load more".
#[derive(Debug, Clone)]
pub struct ExpansionMemo {
    /// The options it ran with.
    pub options: crate::analysis::expansion::ExpandOptions,
    /// Where the source's history reading stopped (`None` = read to the end).
    pub resume: Option<String>,
}

/// Headless "open, wait until settled, screenshot, exit" run (`caseboard screenshot`).
#[derive(Debug, Clone)]
pub struct AutoScreenshot {
    /// Where the PNG goes.
    pub output: PathBuf,
    /// Frames waited after the layout settled and jobs finished.
    pub settled_frames: u32,
    /// Frames the run may take at most before it gives up and screenshots anyway.
    pub max_frames: u32,
    /// Exit status for the process: 0 once the PNG is written, 1 if writing failed.
    pub exit_status: Arc<AtomicI32>,
}

/// How the app starts.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    /// A case file to open at start (in a background job); the demo case otherwise.
    pub open: Option<PathBuf>,
    /// Where settings live; `None` = no settings file (tests).
    pub settings_path: Option<PathBuf>,
    /// Take a screenshot and exit.
    pub auto_screenshot: Option<AutoScreenshot>,
    /// Use native file dialogs (off in tests: under Xvfb they return nothing).
    pub native_dialogs: bool,
    /// Attribution packs to load besides the bundled ones and those in the settings.
    pub extra_packs: Vec<PathBuf>,
}

/// Open modal dialogs.
#[derive(Default)]
pub struct Dialogs {
    pub add_addresses: Option<ui::add_addresses::AddAddressesDialog>,
    pub cluster: Option<ui::cluster_dialog::ClusterDialog>,
    pub discard: Option<ui::confirm::DiscardDialog>,
    pub own_tag: Option<ui::tag_dialog::TagDialog>,
    pub sources: Option<ui::sources::SourcesDialog>,
    pub expand: Option<ui::expand_dialog::ExpandDialog>,
    pub note: Option<ui::note_dialog::NoteDialog>,
    pub recovery: Option<recovery::Recovery>,
    pub pack_errors: Option<String>,
    pub shortcuts: bool,
}

/// The whole application state.
pub struct CaseboardApp {
    /// The open case and its history.
    pub doc: Document,
    /// Selected nodes.
    pub selection: BTreeSet<NodeId>,
    /// Background jobs.
    pub jobs: Jobs,
    /// User settings.
    pub settings: Settings,
    /// Notifications for the user.
    pub notices: Notices,
    /// Open dialogs.
    pub dialogs: Dialogs,
    /// Attribution packs and the index of the active ones.
    pub attribution: attribution_state::AttributionState,
    /// Which tab the left panel shows.
    pub left_tab: ui::LeftTab,
    history_panel: ui::history::HistoryPanel,
    autosave: recovery::Autosave,
    source: Arc<SourceRouter>,
    source_config: Option<SourceSetup>,
    /// Options, and the history cursor, of the last expansion of each node and direction
    /// (what "Load more" continues).
    expansions: std::collections::HashMap<(NodeId, crate::sources::Direction), ExpansionMemo>,
    layout: LayoutDriver,
    canvas: Canvas,
    commands: Vec<Command>,
    settings_path: Option<PathBuf>,
    settings_writer: settings_writer::SettingsWriter,
    native_dialogs: bool,
    allow_close: bool,
    shown_title: String,
    auto_screenshot: Option<AutoScreenshot>,
    frames: u64,
    settled_frames: u32,
    pending_screenshot: Option<PathBuf>,
    egui_ctx: Option<egui::Context>,
    after_save: Option<Command>,
    exit_requested: bool,
    exit_code: i32,
}

impl CaseboardApp {
    /// Creates the app; opens `options.open` in a job, else shows the demo case.
    pub fn new(options: StartOptions) -> CaseboardApp {
        let (settings, settings_problem) = match &options.settings_path {
            Some(path) => Settings::load(path),
            None => (Settings::default(), None),
        };
        let mut app = CaseboardApp {
            doc: Document::new(demo_case(), None),
            selection: BTreeSet::new(),
            jobs: Jobs::default(),
            settings,
            notices: Notices::default(),
            dialogs: Dialogs::default(),
            attribution: attribution_state::AttributionState::default(),
            left_tab: ui::LeftTab::default(),
            history_panel: ui::history::HistoryPanel::default(),
            autosave: recovery::Autosave::default(),
            source: Arc::new(SourceRouter::new(
                &crate::model::SourceConfig::Demo,
                &std::collections::BTreeMap::new(),
                |_| Ok(Arc::new(DemoSource::new()) as Arc<dyn DataSource>),
            )),
            source_config: None,
            expansions: std::collections::HashMap::new(),
            layout: LayoutDriver::default(),
            canvas: Canvas::default(),
            commands: Vec::new(),
            settings_path: options.settings_path,
            settings_writer: settings_writer::SettingsWriter::default(),
            native_dialogs: options.native_dialogs,
            allow_close: false,
            shown_title: String::new(),
            auto_screenshot: options.auto_screenshot,
            frames: 0,
            settled_frames: 0,
            pending_screenshot: None,
            egui_ctx: None,
            after_save: None,
            exit_requested: false,
            exit_code: 0,
        };
        if let Some(problem) = settings_problem {
            app.notices.warn(problem);
        }
        app.start_loading_packs(options.extra_packs);
        if let Some(path) = options.open {
            app.doc = Document::new(Case::new("Opening…", crate::util::now_unix()), None);
            app.start_open(path);
        } else {
            app.check_recovery(None);
        }
        app.canvas.request_zoom_to(Vec::new());
        app
    }

    /// Queues a command as if a panel had pushed it (used by tests and the CLI).
    pub fn push_command(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// The canvas (read-only; tests inspect what it draws).
    pub fn canvas(&self) -> &Canvas {
        &self.canvas
    }

    /// The sources of the open case (one per chain).
    pub fn source(&self) -> &Arc<SourceRouter> {
        &self.source
    }

    /// Secrets and switches for building sources (from settings and the environment).
    pub fn source_context(&self) -> crate::sources::factory::SourceContext {
        crate::sources::factory::SourceContext {
            offline: self.settings.offline,
            use_cache: self.settings_path.is_some(),
            full_urls: self.settings.source_urls.clone(),
            answer_deadline_secs: Some(self.settings.answer_deadline_secs),
            ..crate::sources::factory::SourceContext::with_key_from(
                &self.settings.etherscan_api_key,
            )
        }
    }

    /// Rebuilds the live sources when the case names others (open, undo, the Sources window).
    fn sync_source(&mut self) {
        let setup = (
            self.doc.case.source.clone(),
            self.doc.case.chain_sources.clone(),
        );
        if self.source_config.as_ref() == Some(&setup) {
            return;
        }
        let router =
            crate::sources::factory::build_router(&setup.0, &setup.1, &self.source_context());
        for problem in router.problems() {
            self.notices
                .error(format!("Data source not available: {problem}"), None);
        }
        self.source = Arc::new(router);
        self.source_config = Some(setup);
    }

    /// Forces the source to be rebuilt (settings changed).
    pub(crate) fn reset_source(&mut self) {
        self.source_config = None;
    }

    /// True when no job runs and the layout has settled.
    pub fn is_quiet(&self) -> bool {
        self.jobs.is_idle()
            && self.layout.is_settled()
            && self.commands.is_empty()
            && self.attribution.is_loaded()
    }

    /// Polls jobs, applies their results and steps the layout. Never blocks.
    fn frame_logic(&mut self, ctx: &egui::Context) {
        self.egui_ctx.get_or_insert_with(|| ctx.clone());
        for outcome in self.jobs.poll_finished() {
            self.handle_outcome(outcome);
        }
        self.poll_settings_writes();
        self.sync_source();
        self.doc.set_author(&self.settings.investigator);
        self.autosave_tick(ctx);
        let revision = self.doc.structure_revision();
        self.layout.sync(&mut self.doc.case, revision);
        if let Some((node, pos)) = self.canvas.dragged_position() {
            self.layout.hold(&node, pos);
        }
        let held = self.canvas.dragged_node().cloned();
        if self.layout.step(&mut self.doc.case, held.as_ref()) || !self.jobs.is_idle() {
            ctx.request_repaint();
        }
        self.update_title(ctx);
        self.handle_close_request(ctx);
        self.auto_screenshot_logic(ctx);
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let marker = if self.doc.is_modified() { "● " } else { "" };
        let title = format!("{marker}{} — Caseboard", self.doc.display_name());
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
    }

    /// The window title as last set.
    pub fn window_title(&self) -> &str {
        &self.shown_title
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        // Closing saves the settings in `on_exit`.
        if self.allow_close || !self.doc.is_modified() || self.auto_screenshot.is_some() {
            return;
        }
        ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
        self.dialogs.discard = Some(ui::confirm::DiscardDialog::new(Command::Quit));
    }

    fn auto_screenshot_logic(&mut self, ctx: &egui::Context) {
        let Some(auto) = self.auto_screenshot.clone() else {
            return;
        };
        if self.exit_requested {
            auto.exit_status.store(self.exit_code, Ordering::SeqCst);
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        self.frames += 1;
        if self.pending_screenshot.is_some() {
            return;
        }
        if self.is_quiet() {
            self.settled_frames += 1;
        } else {
            self.settled_frames = 0;
        }
        ctx.request_repaint();
        if self.settled_frames >= auto.settled_frames || self.frames >= u64::from(auto.max_frames) {
            self.pending_screenshot = Some(auto.output.clone());
            ctx.send_viewport_cmd(egui::ViewportCommand::Screenshot(egui::UserData::default()));
        }
    }

    /// Queues the settings to be written (on the writer thread; the frame does not wait).
    pub(crate) fn save_settings(&mut self) {
        if let Some(path) = &self.settings_path {
            self.settings_writer
                .save(path.clone(), self.settings.clone(), self.egui_ctx.clone());
        }
    }

    /// Shows the failures of settings writes that finished since the last frame.
    fn poll_settings_writes(&mut self) {
        for err in self.settings_writer.failures() {
            self.notices.warn(format!("settings not saved: {err}"));
        }
    }
}

impl eframe::App for CaseboardApp {
    fn logic(&mut self, ctx: &egui::Context, _frame: &mut eframe::Frame) {
        self.frame_logic(ctx);
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.shortcuts_ui(ui);
        self.panels_ui(ui);
        self.dialogs_ui(ui);
        self.dropped_files_ui(ui);
        self.screenshot_events_ui(ui);
        self.handle_commands(ui.ctx());
    }

    fn on_exit(&mut self) {
        self.save_settings();
        // The window is closing: wait for the last write so the change is not lost.
        for err in self.settings_writer.finish() {
            tracing::warn!("settings not saved: {err}");
        }
    }
}
