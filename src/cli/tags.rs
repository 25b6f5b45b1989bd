//! `caseboard tags import|match|export`: attribution packs from the command line.

use super::CliError;
use crate::attribution::{
    AttributionIndex, AttributionPack, bundled_packs, export_tagpack_yaml, hit_summary,
    load_pack_file,
};
use crate::case_file;
use crate::cli::TagsCommand;

/// Runs one `tags` subcommand.
pub fn run_tags(command: TagsCommand) -> Result<(), CliError> {
    match command {
        TagsCommand::Import { file } => {
            let pack = load_pack_file(&file).map_err(|e| CliError::input(e.to_string()))?;
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
                all.push(load_pack_file(&file).map_err(|e| CliError::input(e.to_string()))?);
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
            let case = case_file::load(&case)?;
            let yaml = export_tagpack_yaml(&case, &case.meta.title, "Caseboard");
            crate::export::write_text_atomic(&output, &yaml)
                .map_err(|message| CliError { code: 1, message })?;
            Ok(())
        }
    }
}
