//! The text checks a case passes on load and save: no NUL character in any label, tag, note,
//! title or name, a transfer's memo printable and short, and no custom category without a name (`custom("")` or only spaces). Such
//! text reads fine into Caseboard but breaks what it writes from it (a TagPack export our own
//! importer refuses, a CSV a spreadsheet cuts short), so `check` and import agree only when the
//! file is refused up front.

use super::error::CaseFileErrorKind;
use crate::model::{Case, Category, Cluster, ConflictKind, Note, Tag};

/// The first text problem found, naming where it is.
pub(crate) fn check_texts(case: &Case) -> Result<(), CaseFileErrorKind> {
    let meta = &case.meta;
    text("the case title", &meta.title)?;
    text("the case description", &meta.description)?;
    for name in &meta.contributors {
        text("a contributor's name", name)?;
    }
    for (node, tags) in &case.tags {
        for tag in tags {
            check_tag(tag, || format!("a tag of {node}"))?;
        }
    }
    for cluster in case.clusters.values() {
        check_cluster(cluster)?;
    }
    for note in case.annotations.notes.values() {
        check_note(note)?;
    }
    for t in case.transfers.values() {
        if let Some(memo) = &t.memo
            && crate::model::transfer::memo_of(memo.as_bytes()).as_ref() != Some(memo)
        {
            return Err(invalid(
                &format!("the memo of transfer {}", t.id),
                "a memo must be printable text of at most 250 characters",
            ));
        }
    }
    for entry in &case.history {
        text("the history", &entry.by)?;
        text("the history", &entry.what)?;
    }
    for conflict in case.conflicts.values() {
        text("a conflict", &conflict.theirs_label)?;
        match &conflict.kind {
            ConflictKind::Tags { node, mine, theirs } => {
                for tag in mine.iter().chain(theirs) {
                    check_tag(tag, || {
                        format!("conflict {} (tags of {node})", conflict.id.0)
                    })?;
                }
            }
            ConflictKind::Cluster { mine, theirs, .. } => {
                for cluster in mine.iter().chain(theirs) {
                    check_cluster(cluster)?;
                }
            }
            ConflictKind::Note { mine, theirs, .. } => {
                for note in mine.iter().chain(theirs) {
                    check_note(note)?;
                }
            }
            ConflictKind::Transfer { .. } => {}
        }
    }
    for (fingerprint, dismissal) in &case.findings.dismissed {
        let place = "a dismissed finding";
        if !crate::model::finding_record::is_fingerprint(fingerprint) {
            return Err(invalid(place, "a fingerprint that is not kind:hex"));
        }
        for value in [&dismissal.method, &dismissal.summary, &dismissal.by] {
            text(place, value)?;
        }
    }
    Ok(())
}

fn check_tag(tag: &Tag, place: impl Fn() -> String) -> Result<(), CaseFileErrorKind> {
    let fields = [
        tag.label.as_str(),
        &tag.source,
        &tag.author,
        &tag.note,
        tag.pack.as_deref().unwrap_or(""),
        tag.actor.as_deref().unwrap_or(""),
        tag.abuse.as_deref().unwrap_or(""),
    ];
    for value in fields
        .into_iter()
        .chain(tag.concepts.iter().map(String::as_str))
    {
        if value.contains('\0') {
            return Err(nul(&place()));
        }
    }
    category(&tag.category).map_err(|reason| invalid(&place(), reason))
}

fn check_cluster(cluster: &Cluster) -> Result<(), CaseFileErrorKind> {
    let place = format!("cluster {}", cluster.id.0);
    for value in [&cluster.label, &cluster.source, &cluster.note] {
        text(&place, value)?;
    }
    category(&cluster.category).map_err(|reason| invalid(&place, reason))
}

fn check_note(note: &Note) -> Result<(), CaseFileErrorKind> {
    let place = format!("note {}", note.id.0);
    text(&place, &note.text)?;
    text(&place, &note.author)
}

fn text(place: &str, value: &str) -> Result<(), CaseFileErrorKind> {
    if value.contains('\0') {
        Err(nul(place))
    } else {
        Ok(())
    }
}

/// A custom category needs a name (what [`Category::from_name`] would read back) without NUL.
fn category(category: &Category) -> Result<(), &'static str> {
    match category {
        Category::Custom(name) if name.trim().is_empty() => {
            Err("a custom category without a name (`custom(\"\")`)")
        }
        Category::Custom(name) if name.contains('\0') => {
            Err("a NUL character in a custom category's name")
        }
        _ => Ok(()),
    }
}

fn nul(place: &str) -> CaseFileErrorKind {
    invalid(place, "a NUL character (\\0) in the text")
}

fn invalid(place: &str, reason: &'static str) -> CaseFileErrorKind {
    CaseFileErrorKind::InvalidText {
        place: place.into(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case_file::{load_str, to_ron_string};
    use crate::model::{Confidence, NodeId};
    use std::path::Path;

    fn tagged(tag: Tag) -> Case {
        let mut case = crate::generate::generate_case(5, 1);
        let id: NodeId = case.nodes.keys().next().cloned().expect("a node");
        case.tags.insert(id, vec![tag]);
        case
    }

    #[test]
    fn empty_custom_categories_and_nul_characters_are_refused_on_load() {
        let good = tagged(Tag::new(
            "Kraken",
            Category::Exchange,
            Confidence::Heuristic,
            "",
        ));
        let text = to_ron_string(&good).expect("writes");
        assert!(load_str(&text, Path::new("t.ron")).is_ok());
        let edits = [
            ("category: exchange", "category: custom(\"\")"),
            ("category: exchange", "category: custom(\"  \")"),
            ("label: \"Kraken\"", "label: \"Kra\\u{0}ken\""),
            ("label: \"Kraken\"", "label: \"Kra\0ken\""),
        ];
        for (from, to) in edits {
            assert!(text.contains(from), "{from}");
            let edited = text.replacen(from, to, 1);
            let err = load_str(&edited, Path::new("t.ron")).expect_err(to);
            assert!(
                matches!(err.kind, CaseFileErrorKind::InvalidText { .. }),
                "{to}: {err}"
            );
        }
        // A note and a cluster label too, and save refuses what load refuses.
        let mut case = good.clone();
        case.meta.title = "a\0b".to_owned();
        assert!(to_ron_string(&case).is_err());
        let mut case = good;
        case.tags.values_mut().for_each(|tags| {
            tags[0].category = Category::Custom(String::new());
        });
        let err = to_ron_string(&case).expect_err("refused on save");
        assert!(err.to_string().contains("custom category"), "{err}");
    }
}
