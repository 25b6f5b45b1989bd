//! The command dispatch table: every [`Command`] a panel pushed is offered to the feature
//! modules in turn; the one that owns it handles it, the others give it back. A command no
//! feature takes is a bug, logged rather than crashing the window.

use super::CaseboardApp;
use super::command::Command;

/// A feature's command handler: `None` when it handled the command, the command back if not.
type CommandHandler = fn(&mut CaseboardApp, &egui::Context, Command) -> Option<Command>;

/// Every feature's command handler, in the order they are asked.
const COMMAND_HANDLERS: [CommandHandler; 12] = [
    |app, ctx, c| app.file_command(ctx, c),
    |app, ctx, c| app.editing_command(ctx, c),
    |app, _, c| app.expansion_command(c),
    |app, _, c| app.annotation_command(c),
    |app, _, c| app.attribution_command(c),
    |app, _, c| app.sharing_command(c),
    |app, _, c| app.source_command(c),
    |app, _, c| app.settings_command(c),
    |app, ctx, c| app.screenshot_command(ctx, c),
    |app, _, c| app.money_command(c),
    |app, _, c| app.findings_command(c),
    |app, _, c| app.entity_command(c),
];

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
        let mut command = command;
        for handler in COMMAND_HANDLERS {
            match handler(self, ctx, command) {
                None => return,
                Some(unhandled) => command = unhandled,
            }
        }
        tracing::error!("no feature handles the command {command:?}; please report");
    }
}
