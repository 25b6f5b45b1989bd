//! Attribution in the app: loading packs in a job, auto-flagging nodes as they enter the case,
//! switching packs on and off, importing a pack and exporting the case's own tags.

use super::CaseboardApp;
use super::jobs::JobOutcome;
use crate::attribution::{
    AttributionPack, PackErrors, bundled_packs, export_tagpack_yaml, flag_case, flag_fragment,
    load_pack_file,
};
use crate::model::{Action, Tag};
use std::path::PathBuf;

impl CaseboardApp {
    /// Parses the bundled packs and the user's pack files in a background job.
    pub(super) fn start_loading_packs(&mut self, extra: Vec<PathBuf>) {
        let mut files = self.settings.pack_files.clone();
        files.extend(extra);
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            "attribution:load".to_owned(),
            "Loading attribution packs".to_owned(),
            ctx,
            move |control| {
                let mut packs = bundled_packs();
                let mut failures = Vec::new();
                for file in files {
                    control.step();
                    match load_pack_file(&file) {
                        Ok(pack) => packs.push(pack),
                        Err(err) => failures.push(err),
                    }
                }
                JobOutcome::PacksLoaded { packs, failures }
            },
        );
    }

    /// Adds active-pack tags to the new nodes of an insert; other actions pass unchanged.
    pub(super) fn flag_action(&self, action: Action) -> Action {
        match action {
            Action::Insert {
                label,
                mut fragment,
            } => {
                flag_fragment(self.attribution.index(), &mut fragment);
                Action::Insert { label, fragment }
            }
            other => other,
        }
    }

    /// Tags every node of the case that an active pack knows and that lacks the tag.
    pub(super) fn flag_whole_case(&mut self) {
        if let Some(action) = flag_case(self.attribution.index(), &self.doc.case) {
            let count = match &action {
                Action::SetTags { entries, .. } => entries.len(),
                _ => 0,
            };
            match self.doc.apply(action) {
                Ok(()) => self.notices.warn(format!(
                    "Attribution: {count} node(s) match the active packs"
                )),
                Err(err) => self
                    .notices
                    .error(format!("Attribution not applied: {err}"), None),
            }
        }
    }

    pub(super) fn packs_loaded(&mut self, packs: Vec<AttributionPack>, failures: Vec<PackErrors>) {
        self.attribution
            .set_packs(packs, &self.settings.disabled_packs);
        for failure in failures {
            self.notices
                .error(format!("Attribution pack not loaded: {failure}"), None);
        }
        self.flag_whole_case();
    }

    pub(super) fn pack_imported(
        &mut self,
        path: PathBuf,
        result: Result<AttributionPack, PackErrors>,
    ) {
        match result {
            Ok(pack) => {
                let summary = format!("Imported {}", pack.import_summary());
                let skipped_any = !pack.skipped.is_empty();
                if !self.settings.pack_files.contains(&path) {
                    self.settings.pack_files.push(path);
                }
                self.settings.disabled_packs.remove(&pack.info.id);
                self.attribution
                    .add_pack(pack, &self.settings.disabled_packs);
                if skipped_any {
                    self.notices.warn(summary);
                } else {
                    self.notices.info(summary);
                }
                self.flag_whole_case();
            }
            Err(errors) => {
                self.dialogs.pack_errors = Some(format!(
                    "The pack was not loaded (nothing of it is used).\n\n{errors}"
                ));
            }
        }
    }

    /// Switches a pack on (its tags are added) or off (its tags are removed), as one action.
    pub(super) fn set_pack_enabled(&mut self, id: String, enabled: bool) {
        if enabled {
            self.settings.disabled_packs.remove(&id);
        } else {
            self.settings.disabled_packs.insert(id.clone());
        }
        self.attribution.rebuild(&self.settings.disabled_packs);
        if enabled {
            self.flag_whole_case();
            return;
        }
        let entries: Vec<_> = self
            .doc
            .case
            .tags
            .iter()
            .filter(|(_, tags)| tags.iter().any(|t| t.pack.as_deref() == Some(id.as_str())))
            .map(|(node, tags)| {
                let kept: Vec<Tag> = tags
                    .iter()
                    .filter(|t| t.pack.as_deref() != Some(id.as_str()))
                    .cloned()
                    .collect();
                (node.clone(), kept)
            })
            .collect();
        if !entries.is_empty() {
            let action = Action::SetTags {
                label: format!("switch off pack {id}"),
                entries,
            };
            if let Err(err) = self.doc.apply(action) {
                self.notices
                    .error(format!("Pack not switched off: {err}"), None);
            }
        }
    }

    pub(super) fn start_import_pack(&mut self, path: PathBuf) {
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("attribution:import:{}", path.display()),
            "Importing attribution pack".to_owned(),
            ctx,
            move |_control| JobOutcome::PackImported {
                result: load_pack_file(&path),
                path,
            },
        );
    }

    pub(super) fn start_export_tagpack(&mut self, path: PathBuf) {
        let creator = if self.settings.investigator.is_empty() {
            "Caseboard user".to_owned()
        } else {
            self.settings.investigator.clone()
        };
        let yaml = export_tagpack_yaml(&self.doc.case, &self.doc.display_name(), &creator);
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("export:{}", path.display()),
            "Exporting TagPack".to_owned(),
            ctx,
            move |_control| JobOutcome::TextWritten {
                result: crate::export::write_text_atomic(&path, &yaml),
                path,
            },
        );
    }
}
