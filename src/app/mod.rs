//! The eframe application: its state, the frame loop, and one module per feature.
//!
//! `logic()` polls jobs, applies their results and steps the layout (it also runs when the
//! window is hidden); `ui()` draws the panels, which only push [`Command`]s; the commands are
//! handled once per frame. Every change to the case goes through [`Document::apply`]
//! (`crate::model::document`), the one door shared with the command line.
//!
//! Where things live — each feature module owns its state, the handling of its commands and
//! the outcomes of its jobs:
//!
//! | module          | what it owns                                                        |
//! |-----------------|---------------------------------------------------------------------|
//! | `commands`      | the command dispatch table (asks each feature in turn)              |
//! | `outcomes`      | the job-outcome dispatch table; panicked jobs become error notices  |
//! | `command`       | [`Command`], everything a panel can ask for                         |
//! | `jobs`          | background jobs, progress, cancel, panic capture                    |
//! | `files`         | new / open / save / save as, file dialogs, quit, window title       |
//! | `recovery`      | autosave and crash recovery                                         |
//! | `editing`       | undo / redo, applying actions, selection, pin, remove, view         |
//! | `expansion`     | expanding nodes through the sources, "Load more"                    |
//! | `annotations`   | notes, arrows, highlights                                           |
//! | `attribution`   | packs, their index, auto-flagging, import, TagPack export           |
//! | `sharing`       | image / CSV export, merging a colleague's case, conflicts           |
//! | `sources`       | the live data sources, the Sources window, connection tests         |
//! | `settings`, `settings_writer` | user settings, their commands, writing them off-thread |
//! | `money`         | more prices: importing a table, fetching missing ones online        |
//! | `screenshot`    | canvas screenshots and the headless `caseboard screenshot` run      |
//! | `open_timing`   | opening's figures (process start to the case's first frame), logged |
//! | `memory`        | the allocator's pools capped, and trimmed once an opened case shows |
//! | `prepared`      | the canvas's graph and timeline an open job builds off the UI thread |
//! | `notices`       | toasts: information fades, errors stay                              |
//! | `canvas/`       | the graph widget: drawing, picking, dragging, notes, the legend     |
//! | `ui/`           | panels and dialogs (each reads state and pushes commands), among them |
//! |                 | the Filter tab, the timeline, the find box and the inspector's table, |
//! |                 | the story panel (first start on the demo, Help → Case story)        |

mod annotations;
pub mod attribution;
pub mod canvas;
pub mod command;
mod commands;
mod editing;
pub mod entity;
mod expansion;
mod files;
pub mod findings;
pub mod jobs;
mod memory;
mod money;
pub mod notices;
mod open_timing;
mod outcomes;
mod prepared;
pub mod recovery;
mod screenshot;
pub mod selection;
pub mod settings;
mod settings_writer;
mod sharing;
mod sources;
pub mod ui;

pub use crate::model::Document;
pub use command::Command;
pub use expansion::ExpansionMemo;
pub use memory::limit_allocator_pools;
pub use open_timing::process_start;
pub use screenshot::AutoScreenshot;

use crate::layout::LayoutDriver;
use crate::model::Case;
use canvas::Canvas;
use jobs::Jobs;
use notices::Notices;
use settings::Settings;
use std::path::PathBuf;

/// How often the window repaints while jobs run and nothing else moves (their progress).
const JOB_PROGRESS_REPAINT: std::time::Duration = std::time::Duration::from_millis(250);

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
    pub prices: Option<ui::price_dialog::PriceDialog>,
    pub recovery: Option<recovery::Recovery>,
    pub pack_errors: Option<String>,
    pub shortcuts: bool,
    /// The story panel (the case's description, what to try) is open.
    pub story: bool,
}

/// The whole application state.
pub struct CaseboardApp {
    /// The open case and its history.
    pub doc: Document,
    /// Selected nodes.
    pub selection: selection::Selection,
    /// Background jobs.
    pub jobs: Jobs,
    /// User settings.
    pub settings: Settings,
    /// Notifications for the user.
    pub notices: Notices,
    /// Open dialogs.
    pub dialogs: Dialogs,
    /// Attribution packs and the index of the active ones.
    pub attribution: attribution::AttributionState,
    /// Which tab the left panel shows.
    pub left_tab: ui::LeftTab,
    /// Prices every value on screen is derived from (bundled tables, pinned stablecoins and
    /// the tables the user imported).
    pub prices: crate::prices::PriceBook,
    /// Moves whenever `prices` change (views prepared with other prices are not installed).
    prices_revision: u64,
    /// The inspector's table order and cached rows (UI state, not in the case).
    inspector: ui::inspector::InspectorState,
    history_panel: ui::history::HistoryPanel,
    filter_panel: ui::filter::FilterPanel,
    /// The find box (Ctrl+F).
    pub find: ui::find::FindPanel,
    timeline_panel: ui::timeline::TimelinePanel,
    /// The timeline panel is open (View → Timeline).
    pub show_timeline: bool,
    /// The findings of the last analysis run.
    pub findings: findings::FindingsState,
    autosave: recovery::Autosave,
    sources: sources::SourceState,
    /// GraphSense entity lookups by node (UI state for the inspector, not in the case).
    entities: entity::EntityLookups,
    expansion: expansion::ExpansionState,
    layout: LayoutDriver,
    canvas: Canvas,
    commands: Vec<Command>,
    settings_path: Option<PathBuf>,
    settings_writer: settings_writer::SettingsWriter,
    native_dialogs: bool,
    allow_close: bool,
    shown_title: String,
    screenshot: screenshot::ScreenshotState,
    /// How long the last open took to show (logged, for the opening bench).
    open_timing: open_timing::OpenTiming,
    egui_ctx: Option<egui::Context>,
    /// A command to run once the save the user chose in the discard dialog has finished.
    after_save: Option<Command>,
}

impl CaseboardApp {
    /// Creates the app; opens `options.open` in a job, else shows the demo case.
    pub fn new(options: StartOptions) -> CaseboardApp {
        let (settings, settings_problem) = match &options.settings_path {
            Some(path) => Settings::load(path),
            None => (Settings::default(), None),
        };
        let replay_at = options.auto_screenshot.as_ref().and_then(|a| a.replay_at);
        let attribution = attribution::AttributionState::with_demo_pack(&settings.disabled_packs);
        let mut app = CaseboardApp {
            doc: Document::new(Case::new("Opening…", crate::util::now_unix()), None),
            selection: selection::Selection::default(),
            prices: crate::prices::PriceBook::bundled(),
            prices_revision: 0,
            inspector: ui::inspector::InspectorState::default(),
            jobs: Jobs::default(),
            settings,
            notices: Notices::default(),
            dialogs: Dialogs::default(),
            attribution,
            left_tab: ui::LeftTab::default(),
            history_panel: ui::history::HistoryPanel::default(),
            filter_panel: ui::filter::FilterPanel::default(),
            find: ui::find::FindPanel::default(),
            timeline_panel: ui::timeline::TimelinePanel::default(),
            show_timeline: true,
            entities: entity::EntityLookups::new(),
            findings: findings::FindingsState::default(),
            autosave: recovery::Autosave::default(),
            sources: sources::SourceState::default(),
            expansion: expansion::ExpansionState::default(),
            layout: LayoutDriver::default(),
            canvas: Canvas::default(),
            commands: Vec::new(),
            settings_path: options.settings_path,
            settings_writer: settings_writer::SettingsWriter::default(),
            native_dialogs: options.native_dialogs,
            allow_close: false,
            shown_title: String::new(),
            screenshot: screenshot::ScreenshotState::new(options.auto_screenshot),
            open_timing: open_timing::OpenTiming::default(),
            egui_ctx: None,
            after_save: None,
        };
        if let Some(problem) = settings_problem {
            app.notices.warn(problem);
        }
        if let Some(share) = replay_at {
            app.timeline_panel.hold_replay_at(share);
        }
        app.start_loading_packs(options.extra_packs);
        // First start on the demo: its story says what it is and what to try.
        app.dialogs.story =
            options.open.is_none() && !app.screenshot.is_auto() && !app.settings.story_dismissed;
        if let Some(path) = options.open {
            app.start_open(path);
        } else {
            app.doc = app.demo_document();
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

    /// True when no job runs, the layout has settled and the view is not easing anywhere.
    pub fn is_quiet(&self) -> bool {
        self.jobs.is_idle()
            && self.layout.is_settled()
            && self.canvas.is_still()
            && self.commands.is_empty()
            && self.attribution.is_loaded()
    }

    /// Polls jobs, applies their results and steps the layout. Never blocks.
    fn frame_logic(&mut self, ctx: &egui::Context) {
        self.egui_ctx.get_or_insert_with(|| ctx.clone());
        if self.open_timing.frame_started() {
            // The case is shown: what opening it freed (the file's text, the reader's lists,
            // the first frame's mesh copies) goes back to the system.
            memory::release_freed_memory();
        }
        for outcome in self.jobs.poll_finished() {
            self.handle_outcome(outcome);
        }
        self.poll_settings_writes();
        self.sync_source();
        self.sync_demo_pack();
        self.doc.set_author(&self.settings.investigator);
        let theme = if self.settings.light_theme {
            egui::Theme::Light
        } else {
            egui::Theme::Dark
        };
        if ctx.theme() != theme {
            ctx.set_theme(theme);
        }
        self.autosave_tick(ctx);
        let revision = self.doc.structure_revision();
        let layout = &mut self.layout;
        self.doc
            .update_positions(|case, positions| layout.sync(case, positions, revision));
        if let Some((node, pos)) = self.canvas.dragged_position() {
            let layout = &mut self.layout;
            self.doc
                .update_positions(|_, positions| layout.hold(positions, &node, pos));
        }
        let held = self.canvas.dragged_node().cloned();
        let layout = &mut self.layout;
        let moved = self
            .doc
            .update_positions(|_, positions| layout.step(positions, held.as_ref()));
        if moved || self.open_timing.waiting() {
            ctx.request_repaint();
        } else if !self.jobs.is_idle() {
            // Jobs wake the loop when they finish or change stage; this only keeps their
            // progress figures moving. Repainting at once, every frame, kept most of a core
            // busy (Mesa paints on the CPU here) while a big case opened.
            ctx.request_repaint_after(JOB_PROGRESS_REPAINT);
        }
        self.update_title(ctx);
        self.handle_close_request(ctx);
        self.auto_screenshot_logic(ctx);
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
