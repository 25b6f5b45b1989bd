//! What panels ask the app to do. Panels never mutate shared state; they push a [`Command`]
//! and the app handles all of them once per frame, in one place.

use crate::model::{Action, ClusterId, NodeId};
use crate::sources::Direction;
use std::path::PathBuf;

/// One expansion as the user asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExpandRequest {
    /// Node to expand.
    pub node: NodeId,
    /// Which side.
    pub direction: Direction,
    /// Limit and filters.
    pub options: crate::analysis::expansion::ExpandOptions,
    /// History cursor to continue from (`None` = the newest history).
    pub resume: Option<String>,
}

/// A request from the UI.
#[derive(Debug, Clone)]
pub enum Command {
    /// Start a new empty case (asks about unsaved changes).
    NewCase,
    /// Open the built-in demo case (asks about unsaved changes).
    OpenDemo,
    /// Choose a case file to open.
    OpenDialog,
    /// Open this case file (asks about unsaved changes).
    OpenPath(PathBuf),
    /// Save to the current file, or ask where.
    Save,
    /// Ask where to save.
    SaveAs,
    /// Save to this file.
    SaveTo(PathBuf),
    /// Choose where to write a screenshot of the canvas.
    ScreenshotDialog,
    /// Take a screenshot of the canvas into this file.
    ScreenshotTo(PathBuf),
    /// Close the window (asks about unsaved changes).
    Quit,
    /// Undo the last action.
    Undo,
    /// Redo the last undone action.
    Redo,
    /// Apply an action to the case.
    Apply(Action),
    /// Expand a node's neighbourhood in a background job.
    Expand { node: NodeId, direction: Direction },
    /// Expand every selected node.
    ExpandSelected(Direction),
    /// Expand with explicit options, or continue from a history cursor.
    ExpandWith(ExpandRequest),
    /// Load the next counterparties of a node (continuing its last expansion).
    LoadMore { node: NodeId, direction: Direction },
    /// Open the expand-options dialog for a node.
    ShowExpandDialog(NodeId),
    /// Open the note dialog for a new note, pinned to a node (`position` is then an offset)
    /// or free at `position` (canvas units).
    NewNote {
        anchor: Option<NodeId>,
        position: [f32; 2],
    },
    /// Open the note dialog on an existing note.
    EditNote(crate::model::NoteId),
    /// Delete a note and the arrows attached to it.
    DeleteNote(crate::model::NoteId),
    /// Start drawing an arrow from a note or node (the next click on the canvas ends it).
    StartArrow(crate::model::ArrowEnd),
    /// Add an arrow.
    DrawArrow {
        from: crate::model::ArrowEnd,
        to: crate::model::ArrowEnd,
    },
    /// Choose where to export the annotated picture (SVG or PNG).
    ExportImageDialog,
    /// Export the annotated picture to this file (.svg or .png).
    ExportImage(PathBuf),
    /// Choose where to export the transfers as CSV.
    ExportCsvDialog,
    /// Export the transfers as CSV to this file.
    ExportCsv(PathBuf),
    /// Choose a case to merge into the open one.
    MergeDialog,
    /// Merge this case file into the open case.
    MergePath(PathBuf),
    /// Resolve a merge conflict.
    ResolveConflict {
        id: crate::model::ConflictId,
        choice: crate::model::Resolution,
    },
    /// Set the investigator's name (settings; recorded in the audit trail).
    SetInvestigator(String),
    /// Set the autosave interval in seconds (0 = off).
    SetAutosave(u64),
    /// Highlight (or clear, `None`) the edges between a node and the selected nodes.
    HighlightEdges {
        node: NodeId,
        color: Option<crate::model::Highlight>,
    },
    /// Show the keyboard shortcuts window.
    ShowShortcuts,
    /// Show the story panel (the open case's description).
    ShowStory,
    /// Close the story panel; `for_good` also stops it opening at start.
    CloseStory { for_good: bool },
    /// Switch between the light and the dark theme (saved in the settings).
    SetLightTheme(bool),
    /// Cancel a running job.
    CancelJob(String),
    /// Replace the selection.
    Select(Vec<NodeId>),
    /// Select every node.
    SelectAll,
    /// Zoom the canvas to these nodes (all nodes if empty).
    ZoomTo(Vec<NodeId>),
    /// Open the "Load addresses" dialog.
    ShowAddAddresses,
    /// Open the cluster dialog for the selection (`None`) or to edit a cluster.
    ShowClusterDialog(Option<ClusterId>),
    /// Remove the selected nodes from the case.
    RemoveSelected,
    /// Pin or unpin nodes.
    SetPinned { nodes: Vec<NodeId>, pinned: bool },
    /// Choose an attribution pack file to import.
    ImportPackDialog,
    /// Import this attribution pack file.
    ImportPack(PathBuf),
    /// Switch an attribution pack on or off (its tags are added to or removed from the case).
    SetPackEnabled { id: String, enabled: bool },
    /// Choose where to export the case's own tags as a TagPack.
    ExportTagPackDialog,
    /// Export the case's own tags as a TagPack to this file.
    ExportTagPack(PathBuf),
    /// Open the dialog adding the investigator's own tag to a node.
    ShowOwnTagDialog(NodeId),
    /// Open the data source window.
    ShowSources,
    /// Read an account-chain transaction by its hash with the case's source (in a job) and add
    /// its transfers and their ends.
    FetchTransaction {
        chain: crate::model::Chain,
        hash: String,
    },
    /// Ask the node's source for the entity (cluster) it belongs to (in a job).
    LookUpEntity(crate::model::NodeId),
    /// Add the addresses of the node's looked-up entity and a cluster of them (in a job).
    ShowEntity(crate::model::NodeId),
    /// Add the node's looked-up entity as one node (it expands entity to entity).
    ShowEntityNode(crate::model::NodeId),
    /// Read the transactions behind the relation `from → to` (in a job) and put them in its
    /// place.
    FetchRelation {
        from: crate::model::NodeId,
        to: crate::model::NodeId,
    },
    /// Check that a source answers (in a job).
    TestConnection(crate::model::SourceConfig),
    /// Store source secrets and switches in the user's settings (never in the case).
    SaveSourceSettings {
        etherscan_api_key: String,
        trongrid_api_key: String,
        graphsense_api_key: String,
        offline: bool,
        /// A source URL with a key in it, kept in settings under its redacted form.
        full_url: Option<String>,
    },
    /// Set how many counterparties one expansion adds at most (settings).
    SetExpansionLimit(usize),
    /// Store the canvas's zoom and pan in the case (view state, not undoable).
    SetView(crate::model::CaseView),
    /// Set what the graph shows (view state saved with the case, not undoable).
    SetFilter(crate::model::GraphFilter),
    /// Open the price-table import dialog.
    ShowPriceImport,
    /// Read a `date,close_usd` table for one asset (`btc`, `eth`, `eth:0x…`) into the prices.
    ImportPrices { asset: String, path: PathBuf },
    /// Fetch daily prices online for the assets the case has no price for (CoinGecko).
    FetchPricesOnline,
    /// Open the find box.
    ShowFind,
    /// Run every detector over the case (a job); the Findings panel lists the result.
    RunAnalysis,
    /// Compute taint from source nodes under a model (a job).
    ComputeTaint {
        from: Vec<crate::model::NodeId>,
        model: crate::analysis::taint::TaintModel,
        /// Across the swap and bridge hops the detectors find.
        through_hops: bool,
    },
    /// Find time-respecting paths from one set of nodes to another (a job).
    FindPaths {
        from: Vec<crate::model::NodeId>,
        to: Vec<crate::model::NodeId>,
    },
    /// Show or hide the last taint run on the canvas.
    ShowTaintOverlay(bool),
    /// Follow the money out of a node through the data source (a job; one undoable step).
    TraceFrom(crate::model::NodeId),
    /// Show or hide the timeline panel.
    ToggleTimeline,
    /// Restart the whole layout (the one command that moves every node).
    Relayout,
    /// Settle the selected nodes again among the others, which stay put.
    RelayoutSelection,
    /// Put text on the clipboard.
    Copy(String),
}
