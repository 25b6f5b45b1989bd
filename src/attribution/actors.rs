//! GraphSense ActorPacks: who an `actor` id on a tag is (label, jurisdictions, web address).
//!
//! An ActorPack is a YAML mapping: a header (`title`, `creator`, `description`, `lastmod`,
//! `is_public`, `owner`; also accepted nested under `header:`) and `actors`, a list of
//! mappings with `id`, `label`, `uri`, `categories` (required), `jurisdictions`, `aliases`,
//! `context`, `lastmod` (optional). The same YAML reader as for TagPacks is used, with its
//! limits (depth, aliases refused). Structural errors reject the pack whole, each with its
//! position (`actors[3].label`); an actor id given twice counts once (the first is kept).
//! [`ActorIndex`] maps actor ids to actors, so the inspector can show who a tag's `actor` is.

use super::error::{ErrorList, PackError, PackErrors};
use super::file::read_pack_text;
use super::network;
use super::pack::{PackInfo, id_from_origin};
use super::tagpack::licence_comment;
use super::yaml::{Entry, Node};
use crate::model::Tag;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// One actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// GraphSense id (`lazarusgroup`), as tags name it in `actor`.
    pub id: String,
    /// Name (`Lazarus Group`).
    pub label: String,
    /// Web address or reference.
    pub uri: String,
    /// Country codes (`KP`), possibly none.
    pub jurisdictions: Vec<String>,
    /// GraphSense entity categories (`exchange`, `mixing_service` …).
    pub categories: Vec<String>,
    /// Other names.
    pub aliases: Vec<String>,
}

/// A parsed, valid ActorPack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorPack {
    /// Provenance (`bundled` is false: read from a file or text).
    pub info: PackInfo,
    /// The actors, in file order, each id once.
    pub actors: Vec<Actor>,
    /// Actors whose id repeats an earlier one (ignoring letter case): counted once.
    pub duplicates: usize,
}

/// Actors by id, from every ActorPack given (the first pack naming an id wins).
#[derive(Debug, Clone, Default)]
pub struct ActorIndex {
    by_id: HashMap<String, Actor>,
}

impl ActorIndex {
    /// Builds the index from `packs`, in order.
    pub fn build<'a>(packs: impl IntoIterator<Item = &'a ActorPack>) -> ActorIndex {
        let mut by_id = HashMap::new();
        for pack in packs {
            for actor in &pack.actors {
                by_id
                    .entry(actor.id.to_lowercase())
                    .or_insert_with(|| actor.clone());
            }
        }
        ActorIndex { by_id }
    }

    /// The actor with this id (ignoring letter case and surrounding spaces).
    pub fn get(&self, id: &str) -> Option<&Actor> {
        self.by_id.get(&id.trim().to_lowercase())
    }

    /// The actor a tag names, if known.
    pub fn actor_of(&self, tag: &Tag) -> Option<&Actor> {
        tag.actor.as_deref().and_then(|id| self.get(id))
    }

    /// Number of actors.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when no actor is known.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}

const HEADER_FIELDS: [&str; 7] = [
    "title",
    "creator",
    "description",
    "lastmod",
    "is_public",
    "owner",
    "actors",
];
const ACTOR_FIELDS: [&str; 8] = [
    "id",
    "label",
    "uri",
    "categories",
    "jurisdictions",
    "aliases",
    "context",
    "lastmod",
];

/// Reads an ActorPack file (regular file, size-limited, like tag packs).
pub fn load_actorpack_file(path: &Path) -> Result<ActorPack, PackErrors> {
    let origin = path.display().to_string();
    let text = read_pack_text(path).map_err(|e| PackErrors::single(&origin, e))?;
    parse_actorpack_yaml(&text, &origin)
}

/// True when `text` looks like an ActorPack rather than a TagPack (it has a top-level
/// `actors:` key and no `tags:` key), judged from line starts only.
pub fn looks_like_actorpack(text: &str) -> bool {
    let starts = |key: &str| text.lines().any(|l| l.starts_with(key));
    starts("actors:") && !starts("tags:")
}

fn text_of<'t>(node: &'t Node<'_>) -> Result<&'t str, String> {
    match node {
        _ if node.is_null() => Err("empty value (null)".to_owned()),
        Node::Scalar { text, .. } if text.contains('\0') => {
            Err("contains a NUL character".to_owned())
        }
        Node::Scalar { text, .. } => Ok(text.as_ref()),
        other => Err(format!("must be text, not {}", other.kind())),
    }
}

fn list_of(node: &Node<'_>) -> Result<Vec<String>, String> {
    match node {
        Node::Seq { items, .. } => items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                text_of(item)
                    .map(|t| t.trim().to_owned())
                    .map_err(|m| format!("item {i}: {m}"))
            })
            .collect(),
        other => Err(format!("must be a list, not {}", other.kind())),
    }
}

/// The known-field check shared by header and actors: unknown and duplicate keys are errors,
/// found in linear time.
fn check_keys<'k>(
    keys: impl Iterator<Item = (&'k str, usize)>,
    known: &[&str],
    at: &str,
    errors: &mut Vec<PackError>,
) {
    let mut seen = HashSet::new();
    for (key, line) in keys {
        let position = format!("{at}.{}", super::pack::quote_capped(key));
        if !seen.insert(key) {
            errors.add(PackError::new(position, Some(line), "duplicate field"));
        } else if !known.contains(&key) {
            errors.add(PackError::new(
                position,
                Some(line),
                format!("unknown field (expected one of {})", known.join(", ")),
            ));
        }
    }
}

/// Parses a GraphSense ActorPack. `origin` names it in errors and gives it its id.
pub fn parse_actorpack_yaml(text: &str, origin: &str) -> Result<ActorPack, PackErrors> {
    let reject = |errors: Vec<PackError>| PackErrors {
        origin: origin.to_owned(),
        errors,
    };
    let top = &super::pack::pack_mapping(text, origin, ("ActorPack", "title, creator and actors"))?;
    let mut header: Vec<&Entry<'_>> = Vec::with_capacity(top.len());
    for entry in top {
        match (&*entry.key, &entry.value) {
            ("header", Node::Map { entries, .. }) => header.extend(entries.iter()),
            _ => header.push(entry),
        }
    }
    let mut errors = Vec::new();
    check_keys(
        header.iter().map(|e| (e.key.as_ref(), e.line)),
        &HEADER_FIELDS,
        "header",
        &mut errors,
    );
    let mut info = PackInfo {
        id: id_from_origin(origin),
        title: String::new(),
        creator: String::new(),
        source: origin.to_owned(),
        date: String::new(),
        licence: licence_comment(text),
        description: String::new(),
        bundled: false,
    };
    let mut actors_node = None;
    for entry in &header {
        let position = format!("header.{}", super::pack::quote_capped(&entry.key));
        let mut fail = |m: String| errors.add(PackError::new(&position, Some(entry.line), m));
        match &*entry.key {
            "title" => match text_of(&entry.value) {
                Ok(t) => info.title = t.trim().to_owned(),
                Err(m) => fail(m),
            },
            "creator" => match text_of(&entry.value) {
                Ok(t) => info.creator = t.trim().to_owned(),
                Err(m) => fail(m),
            },
            "description" => match text_of(&entry.value) {
                Ok(t) => info.description = t.trim().to_owned(),
                Err(m) => fail(m),
            },
            "lastmod" => match text_of(&entry.value).map(|t| (t, network::parse_date(t))) {
                Ok((_, Some(secs))) => info.date = network::date_only(secs),
                Ok((t, None)) => fail(format!(
                    "{:?} is not a date (expected YYYY-MM-DD)",
                    super::pack::quote_capped(t)
                )),
                Err(m) => fail(m),
            },
            "actors" => actors_node = Some(entry),
            _ => {}
        }
    }
    for (field, value) in [("title", &info.title), ("creator", &info.creator)] {
        if value.is_empty() && !header.iter().any(|e| e.key == field) {
            errors.add(PackError::new(
                format!("header.{field}"),
                None,
                "missing: an ActorPack needs a title and a creator",
            ));
        }
    }
    let items: &[Node<'_>] = match actors_node.map(|e| (e, &e.value)) {
        Some((_, Node::Seq { items, .. })) => items,
        Some((entry, other)) => {
            errors.add(PackError::new(
                "actors",
                Some(entry.line),
                format!("must be a list of actors, not {}", other.kind()),
            ));
            &[]
        }
        None => {
            errors.add(PackError::new(
                "actors",
                None,
                "missing: an ActorPack lists its actors under actors:",
            ));
            &[]
        }
    };
    let mut actors = Vec::with_capacity(items.len());
    let mut ids = HashSet::with_capacity(items.len());
    let mut duplicates = 0;
    for (i, item) in items.iter().enumerate() {
        if let Some(actor) = read_actor(i, item, &mut errors) {
            if ids.insert(actor.id.to_lowercase()) {
                actors.push(actor);
            } else {
                duplicates += 1;
            }
        }
    }
    errors.settle();
    if !errors.is_empty() {
        return Err(reject(errors));
    }
    Ok(ActorPack {
        info,
        actors,
        duplicates,
    })
}

/// One actor, or `None` after adding its errors.
fn read_actor(i: usize, node: &Node<'_>, errors: &mut Vec<PackError>) -> Option<Actor> {
    let at = format!("actors[{i}]");
    let Node::Map { entries, line } = node else {
        errors.add(PackError::new(
            &at,
            Some(node.line()),
            format!("an actor must be a mapping of fields, not {}", node.kind()),
        ));
        return None;
    };
    let before = errors.len();
    check_keys(
        entries.iter().map(|e| (e.key.as_ref(), e.line)),
        &ACTOR_FIELDS,
        &at,
        errors,
    );
    let mut actor = Actor {
        id: String::new(),
        label: String::new(),
        uri: String::new(),
        jurisdictions: Vec::new(),
        categories: Vec::new(),
        aliases: Vec::new(),
    };
    let mut present = HashSet::new();
    for entry in entries {
        let key = entry.key.as_ref();
        present.insert(key);
        let mut fail =
            |m: String| errors.add(PackError::new(format!("{at}.{key}"), Some(entry.line), m));
        let text = || {
            text_of(&entry.value).and_then(|t| {
                let t = t.trim();
                if t.is_empty() {
                    Err("empty text".to_owned())
                } else {
                    Ok(t.to_owned())
                }
            })
        };
        match key {
            "id" => text().map(|t| actor.id = t).unwrap_or_else(&mut fail),
            "label" => text().map(|t| actor.label = t).unwrap_or_else(&mut fail),
            "uri" => text().map(|t| actor.uri = t).unwrap_or_else(&mut fail),
            "categories" => list_of(&entry.value)
                .map(|l| actor.categories = l)
                .unwrap_or_else(&mut fail),
            "jurisdictions" => list_of(&entry.value)
                .map(|l| actor.jurisdictions = l)
                .unwrap_or_else(&mut fail),
            "aliases" => list_of(&entry.value)
                .map(|l| actor.aliases = l)
                .unwrap_or_else(&mut fail),
            "lastmod" => match text_of(&entry.value) {
                Ok(t) if network::parse_date(t).is_some() => {}
                Ok(t) => fail(format!(
                    "{:?} is not a date (expected YYYY-MM-DD)",
                    super::pack::quote_capped(t)
                )),
                Err(m) => fail(m),
            },
            "context" if entry.value.is_null() => fail("empty value (null)".to_owned()),
            _ => {}
        }
    }
    for field in ["id", "label", "uri", "categories"] {
        if !present.contains(field) {
            errors.add(PackError::new(
                format!("{at}.{field}"),
                Some(*line),
                "missing: an actor needs an id, a label, a uri and categories",
            ));
        }
    }
    (errors.len() == before).then_some(actor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "title: Actors\ncreator: Me\nlastmod: '2023-02-17'\nactors:\n\
        - id: lazarusgroup\n  label: Lazarus Group\n  uri: https://example.org/l\n  categories: [sanction]\n  jurisdictions: [KP]\n\
        - id: LazarusGroup\n  label: again\n  uri: x\n  categories: []\n";

    #[test]
    fn actors_are_read_indexed_and_counted_once() {
        let pack = parse_actorpack_yaml(SMALL, "graphsense.actorpack.yaml").unwrap();
        assert_eq!(pack.info.title, "Actors");
        assert_eq!(pack.info.date, "2023-02-17");
        assert_eq!(pack.actors.len(), 1);
        assert_eq!(pack.duplicates, 1);
        let index = ActorIndex::build([&pack]);
        let actor = index.get("LAZARUSGROUP").unwrap();
        assert_eq!(actor.label, "Lazarus Group");
        assert_eq!(actor.jurisdictions, ["KP"]);
        assert_eq!(actor.uri, "https://example.org/l");
        assert!(index.get("nobody").is_none());
        assert!(looks_like_actorpack(SMALL));
    }

    #[test]
    fn structural_errors_are_positioned() {
        let errors = parse_actorpack_yaml(
            "title: A\ncreator: B\nactors:\n- id: x\n  label: ~\n  colour: red\n- just text\n",
            "a.yaml",
        )
        .unwrap_err();
        let positions: Vec<&str> = errors.errors.iter().map(|e| e.position.as_str()).collect();
        assert_eq!(
            positions,
            [
                "actors[0].colour",
                "actors[0].label",
                "actors[0].uri",
                "actors[0].categories",
                "actors[1]"
            ]
        );
    }
}
