//! `caseboard tags import|match|export`: attribution packs from the command line. `export`
//! refuses an output that is a folder or special file (exit code 2) before reading the case.

use super::CliError;
use crate::attribution::{
    AttributionIndex, AttributionPack, bundled_packs, export_tagpack_yaml, hit_summary,
    load_pack_file,
};
use crate::case_file;
use crate::cli::TagsCommand;

/// A pack that could not be read: exit code 2, the message's quotes of the pack cut short.
fn pack_error(err: impl std::fmt::Display) -> CliError {
    CliError::input(crate::util::clip_quoted(&err.to_string()))
}

/// Runs one `tags` subcommand.
pub fn run_tags(command: TagsCommand) -> Result<(), CliError> {
    match command {
        TagsCommand::Import { file } => {
            let pack = load_pack_file(&file).map_err(pack_error)?;
            println!("{}: {}", file.display(), pack.import_summary());
            Ok(())
        }
        TagsCommand::Match {
            case,
            packs,
            no_bundled,
        } => {
            let case = case_file::load(&case)?;
            let mut all: Vec<AttributionPack> = if no_bundled {
                Vec::new()
            } else {
                bundled_packs()
            };
            for file in packs {
                all.push(load_pack_file(&file).map_err(pack_error)?);
            }
            let index = AttributionIndex::build(&all);
            let mut hits = Vec::new();
            for id in case.nodes.keys() {
                for tag in index.lookup(id) {
                    let line = serde_json::json!({
                        "node": id.as_str(),
                        "pack": tag.pack,
                        "label": tag.label,
                        "category": tag.category.name(),
                        "confidence": tag.confidence.name(),
                        "source": tag.source,
                    });
                    println!("{line}");
                    hits.push(crate::attribution::Hit {
                        node: id.clone(),
                        pack: tag.pack.clone().unwrap_or_default(),
                        label: tag.label.clone(),
                        category: tag.category.clone(),
                        confidence: tag.confidence,
                    });
                }
            }
            eprintln!("{} hits: {}", hits.len(), hit_summary(&hits));
            Ok(())
        }
        TagsCommand::Export { case, output } => {
            super::error::check_output(&output)?;
            let case = case_file::load(&case)?;
            let yaml = export_tagpack_yaml(&case, &case.meta.title, "Caseboard");
            crate::export::write_export(&output, yaml.as_bytes())?;
            Ok(())
        }
    }
}
