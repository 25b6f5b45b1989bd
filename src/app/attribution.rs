//! Attribution in the app: the packs it knows (bundled and imported), which are active, and
//! the index built from the active ones; the actors tags name (bundled and imported
//! ActorPacks); loading packs in a job, auto-flagging nodes as they enter the case, switching
//! packs on and off, importing a pack, exporting the case's own tags. The demo world's actors
//! are a pack too, listed with the bundled ones and active (unless switched off) while the open
//! case reads the demo ledger. The index is rebuilt only when the set of active packs changes.

use super::CaseboardApp;
use super::command::Command;
use super::jobs::{JobOutcome, PathPurpose};
use crate::attribution::{
    ActorIndex, ActorPack, AttributionIndex, AttributionPack, LoadedPack, PackErrors,
    bundled_actors, bundled_packs, export_tagpack_yaml, flag_case, flag_fragment,
    load_any_pack_file,
};
use crate::model::{Action, Document, Tag};
use crate::sources::demo::{DEMO_PACK_ID, demo_case, demo_pack};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Loaded packs and the index of the active ones.
#[derive(Default)]
pub struct AttributionState {
    packs: Vec<AttributionPack>,
    index: AttributionIndex,
    actor_packs: Vec<ActorPack>,
    actors: ActorIndex,
    loaded: bool,
    /// The open case reads the demo ledger: the demo pack may be active.
    demo_case: bool,
}

impl AttributionState {
    /// Before the packs are loaded: only the demo pack (built in memory at once), so the demo
    /// case is tagged from its first frame.
    pub fn with_demo_pack(disabled: &BTreeSet<String>) -> AttributionState {
        let mut state = AttributionState {
            packs: vec![demo_pack()],
            demo_case: true,
            ..AttributionState::default()
        };
        state.rebuild(disabled);
        state
    }

    /// Replaces the packs (after loading) and rebuilds the index from those not `disabled`.
    pub fn set_packs(&mut self, packs: Vec<AttributionPack>, disabled: &BTreeSet<String>) {
        self.packs = packs;
        self.loaded = true;
        self.rebuild(disabled);
    }

    /// Replaces the actor packs (bundled first) and their index.
    pub fn set_actor_packs(&mut self, packs: Vec<ActorPack>) {
        self.actor_packs = packs;
        self.actors = ActorIndex::build(&self.actor_packs);
    }

    /// Adds or replaces (same id) one imported actor pack; an imported pack's actors come
    /// before the bundled ones of the same id.
    pub fn add_actor_pack(&mut self, pack: ActorPack) {
        self.actor_packs.retain(|p| p.info.id != pack.info.id);
        self.actor_packs.insert(0, pack);
        self.actors = ActorIndex::build(&self.actor_packs);
    }

    /// Who the `actor` ids on tags are.
    pub fn actors(&self) -> &ActorIndex {
        &self.actors
    }

    /// Adds or replaces (same id) one imported pack.
    pub fn add_pack(&mut self, pack: AttributionPack, disabled: &BTreeSet<String>) {
        self.packs.retain(|p| p.info.id != pack.info.id);
        self.packs.push(pack);
        self.rebuild(disabled);
    }

    /// Rebuilds the index from the packs not `disabled` (the demo pack only in a demo case).
    pub fn rebuild(&mut self, disabled: &BTreeSet<String>) {
        let demo_case = self.demo_case;
        self.index = AttributionIndex::build(self.packs.iter().filter(|p| {
            !disabled.contains(&p.info.id) && (demo_case || p.info.id != DEMO_PACK_ID)
        }));
    }

    /// Says whether the open case reads the demo ledger; rebuilds the index and returns true
    /// when that changed.
    pub fn set_demo_case(&mut self, demo_case: bool, disabled: &BTreeSet<String>) -> bool {
        if self.demo_case == demo_case {
            return false;
        }
        self.demo_case = demo_case;
        self.rebuild(disabled);
        true
    }

    /// True when `id` is the demo pack and the open case does not read the demo ledger (the
    /// pack then tags nothing, whatever its switch says).
    pub fn is_idle_demo_pack(&self, id: &str) -> bool {
        id == DEMO_PACK_ID && !self.demo_case
    }

    /// All packs, bundled first.
    pub fn packs(&self) -> &[AttributionPack] {
        &self.packs
    }

    /// The index of the active packs.
    pub fn index(&self) -> &AttributionIndex {
        &self.index
    }

    /// True once the packs were loaded.
    pub fn is_loaded(&self) -> bool {
        self.loaded
    }

    /// Title of a pack by id (for the inspector), else the id.
    pub fn pack_title<'a>(&'a self, id: &'a str) -> &'a str {
        self.packs
            .iter()
            .find(|p| p.info.id == id)
            .map_or(id, |p| p.info.title.as_str())
    }
}

impl CaseboardApp {
    /// Handles the attribution commands; gives any other command back.
    pub(super) fn attribution_command(&mut self, command: Command) -> Option<Command> {
        match command {
            Command::ImportPackDialog => self.choose_path(PathPurpose::ImportPack),
            Command::ImportPack(path) => self.start_import_pack(path),
            Command::SetPackEnabled { id, enabled } => self.set_pack_enabled(id, enabled),
            Command::ExportTagPackDialog => self.choose_path(PathPurpose::ExportTagPack),
            Command::ExportTagPack(path) => self.start_export_tagpack(path),
            other => return Some(other),
        }
        None
    }

    /// Applies the attribution jobs' outcomes; gives any other outcome back.
    pub(super) fn attribution_outcome(&mut self, outcome: JobOutcome) -> Option<JobOutcome> {
        match outcome {
            JobOutcome::PacksLoaded {
                packs,
                actors,
                failures,
            } => {
                self.attribution.set_actor_packs(actors);
                self.packs_loaded(packs, failures);
            }
            JobOutcome::PackImported { path, result } => self.pack_imported(path, result),
            other => return Some(other),
        }
        None
    }

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
                packs.push(demo_pack());
                let mut actors: Vec<ActorPack> = bundled_actors().into_iter().collect();
                let mut failures = Vec::new();
                for file in files {
                    control.step();
                    match load_any_pack_file(&file) {
                        Ok(LoadedPack::Tags(pack)) => packs.push(pack),
                        Ok(LoadedPack::Actors(pack)) => actors.insert(0, pack),
                        Err(err) => failures.push(err),
                    }
                }
                JobOutcome::PacksLoaded {
                    packs,
                    actors,
                    failures,
                }
            },
        );
    }

    /// Adds active-pack tags to the new nodes of an insert (also inside a batch, as a trace
    /// brings them); other actions pass unchanged.
    pub(super) fn flag_action(&self, action: Action) -> Action {
        match action {
            Action::Insert {
                label,
                mut fragment,
            } => {
                flag_fragment(self.attribution.index(), &mut fragment);
                Action::Insert { label, fragment }
            }
            Action::Batch { label, actions } => Action::Batch {
                label,
                actions: actions.into_iter().map(|a| self.flag_action(a)).collect(),
            },
            other => other,
        }
    }

    /// A new document on the demo case, its known actors tagged by the active packs as part of
    /// the case as opened (no undo step, nothing unsaved).
    pub(super) fn demo_document(&mut self) -> Document {
        let (case, _) = self.tagged_demo_case(demo_case());
        Document::new(case, None)
    }

    /// `case` (reading the demo ledger) with its known actors tagged by the active packs, the
    /// demo pack switched on first; true if a tag was added.
    pub(super) fn tagged_demo_case(
        &mut self,
        mut case: crate::model::Case,
    ) -> (crate::model::Case, bool) {
        self.attribution
            .set_demo_case(true, &self.settings.disabled_packs);
        let mut tagged = false;
        if let Some(action) = flag_case(self.attribution.index(), &case) {
            match crate::model::apply(&mut case, action) {
                Ok(_) => tagged = true,
                Err(err) => tracing::warn!("demo case not tagged: {err}"),
            }
        }
        (case, tagged)
    }

    /// Keeps the demo pack active exactly while the open case reads the demo ledger (opened,
    /// undone, changed in the Sources window); tags the case when it became active.
    pub(super) fn sync_demo_pack(&mut self) {
        let demo_case = self.doc.case().uses_demo_source();
        if self
            .attribution
            .set_demo_case(demo_case, &self.settings.disabled_packs)
            && demo_case
        {
            self.flag_whole_case();
        }
    }

    /// Tags every node of the case that an active pack knows and that lacks the tag.
    pub(super) fn flag_whole_case(&mut self) {
        let demo_case = self.doc.case().uses_demo_source();
        self.attribution
            .set_demo_case(demo_case, &self.settings.disabled_packs);
        if let Some(action) = flag_case(self.attribution.index(), self.doc.case()) {
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

    fn packs_loaded(&mut self, packs: Vec<AttributionPack>, failures: Vec<PackErrors>) {
        self.attribution
            .set_packs(packs, &self.settings.disabled_packs);
        for failure in failures {
            self.notices
                .error(format!("Attribution pack not loaded: {failure}"), None);
        }
        self.flag_whole_case();
    }

    fn pack_imported(&mut self, path: PathBuf, result: Result<LoadedPack, PackErrors>) {
        match result {
            Ok(LoadedPack::Actors(pack)) => {
                let summary = format!(
                    "Imported ActorPack \"{}\": {} actors{} — the inspector names them where a tag does",
                    pack.info.title,
                    pack.actors.len(),
                    if pack.duplicates > 0 {
                        format!(" ({} repeated ids counted once)", pack.duplicates)
                    } else {
                        String::new()
                    }
                );
                if !self.settings.pack_files.contains(&path) {
                    self.settings.pack_files.push(path);
                }
                self.attribution.add_actor_pack(pack);
                self.notices.info(summary);
            }
            Ok(LoadedPack::Tags(pack)) => {
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
    fn set_pack_enabled(&mut self, id: String, enabled: bool) {
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
            .case()
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

    fn start_import_pack(&mut self, path: PathBuf) {
        let ctx = self.egui_ctx.clone();
        self.jobs.spawn(
            format!("attribution:import:{}", path.display()),
            "Importing attribution pack".to_owned(),
            ctx,
            move |_control| JobOutcome::PackImported {
                result: load_any_pack_file(&path),
                path,
            },
        );
    }

    fn start_export_tagpack(&mut self, path: PathBuf) {
        let creator = if self.settings.investigator.is_empty() {
            "Caseboard user".to_owned()
        } else {
            self.settings.investigator.clone()
        };
        let yaml = export_tagpack_yaml(self.doc.case(), &self.doc.display_name(), &creator);
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
