//! The shape every command dialog shares: it is opened by putting it in its slot of
//! [`crate::app::Dialogs`], drawn each frame with what it may read ([`DialogEnv`]), pushes
//! [`Command`]s for what the user asked, and says whether it stays open. [`dialog_slot_ui`] is
//! the one place that shows a slot's dialog and closes it.

use super::super::command::Command;
use super::super::settings::Settings;
use crate::model::Case;

/// What a dialog may read while it is drawn.
pub struct DialogEnv<'a> {
    /// The open case.
    pub case: &'a Case,
    /// The user's settings.
    pub settings: &'a Settings,
}

/// A dialog that pushes commands and closes itself (confirm, cancel, or the window's ×).
pub trait Dialog {
    /// Draws one frame; returns false once the dialog is done.
    fn dialog_ui(
        &mut self,
        ctx: &egui::Context,
        env: &DialogEnv<'_>,
        commands: &mut Vec<Command>,
    ) -> bool;
}

/// Shows the dialog in `slot`, if one is open, and empties the slot once it is done.
pub fn dialog_slot_ui<D: Dialog>(
    slot: &mut Option<D>,
    ctx: &egui::Context,
    env: &DialogEnv<'_>,
    commands: &mut Vec<Command>,
) {
    if let Some(dialog) = slot
        && !dialog.dialog_ui(ctx, env, commands)
    {
        *slot = None;
    }
}

/// Dialogs that need only the case.
macro_rules! case_dialog {
    ($($dialog:ty),*) => {$(
        impl Dialog for $dialog {
            fn dialog_ui(
                &mut self,
                ctx: &egui::Context,
                env: &DialogEnv<'_>,
                commands: &mut Vec<Command>,
            ) -> bool {
                <$dialog>::show_ui(self, ctx, env.case, commands)
            }
        }
    )*};
}

case_dialog!(
    super::add_addresses::AddAddressesDialog,
    super::cluster_dialog::ClusterDialog,
    super::tag_dialog::TagDialog,
    super::note_dialog::NoteDialog,
    super::price_dialog::PriceDialog
);

impl Dialog for super::sources::SourcesDialog {
    fn dialog_ui(
        &mut self,
        ctx: &egui::Context,
        env: &DialogEnv<'_>,
        commands: &mut Vec<Command>,
    ) -> bool {
        self.window_ui(ctx, env.case, env.settings, commands)
    }
}

impl Dialog for super::expand_dialog::ExpandDialog {
    fn dialog_ui(
        &mut self,
        ctx: &egui::Context,
        _env: &DialogEnv<'_>,
        commands: &mut Vec<Command>,
    ) -> bool {
        self.show_ui(ctx, commands)
    }
}
