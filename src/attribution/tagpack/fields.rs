//! Reading one tag's (or the header's) fields from the YAML tree: each field's slot (absent,
//! from the header, from the tag), scalars and booleans, the context JSON, and the `Tag` built
//! from them.

use super::*;

/// A field of one mapping: absent, present but wrong (already reported), or its value and line.
#[derive(Debug, Clone, Copy, Default)]
pub(super) enum Slot<T> {
    #[default]
    Absent,
    Bad,
    Set(T, usize),
}

impl<T: Copy> Slot<T> {
    /// This mapping's value, else the header's.
    pub(super) fn or(self, header: Slot<T>) -> Slot<T> {
        match self {
            Slot::Absent => header,
            other => other,
        }
    }

    pub(super) fn value(self) -> Option<T> {
        match self {
            Slot::Set(value, _) => Some(value),
            _ => None,
        }
    }

    pub(super) fn line(self) -> Option<usize> {
        match self {
            Slot::Set(_, line) => Some(line),
            _ => None,
        }
    }
}

/// The tag fields of one mapping (a tag, or the header's defaults).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Fields<'t, 'a> {
    pub(super) label: Slot<&'t str>,
    pub(super) source: Slot<&'t str>,
    pub(super) currency: Slot<&'t str>,
    pub(super) network: Slot<&'t str>,
    pub(super) category: Slot<&'t str>,
    pub(super) abuse: Slot<&'t str>,
    pub(super) actor: Slot<&'t str>,
    pub(super) address: Slot<&'t str>,
    pub(super) tx_hash: Slot<&'t str>,
    pub(super) confidence: Slot<Confidence>,
    pub(super) lastmod: Slot<i64>,
    pub(super) concepts: Slot<&'t [Node<'a>]>,
    pub(super) context: Slot<&'t Node<'a>>,
}

/// Where in the pack: the header or a tag.
#[derive(Debug, Clone, Copy)]
pub(super) enum At {
    Header,
    Tag(usize),
}

impl At {
    pub(super) fn field(self, field: &str) -> String {
        match self {
            At::Header => format!("header.{field}"),
            At::Tag(i) => format!("tags[{i}].{field}"),
        }
    }

    pub(super) fn whole(self) -> String {
        match self {
            At::Header => "header".to_owned(),
            At::Tag(i) => format!("tags[{i}]"),
        }
    }
}

/// A scalar's text, or why it isn't one.
pub(super) fn scalar_text<'t>(node: &'t Node<'_>, allow_blank: bool) -> Result<&'t str, String> {
    if node.is_null() {
        return Err("empty value (null)".to_owned());
    }
    match node {
        Node::Scalar { text, .. } => {
            if text.contains('\0') {
                Err("contains a NUL character".to_owned())
            } else if !allow_blank && text.trim().is_empty() {
                Err("empty text".to_owned())
            } else {
                Ok(text)
            }
        }
        other => Err(format!("must be text, not {}", other.kind())),
    }
}

/// A YAML boolean, or why it isn't one.
pub(super) fn boolean(node: &Node<'_>) -> Result<bool, String> {
    match node {
        Node::Scalar {
            text, plain: true, ..
        } => match text.as_ref() {
            "true" | "True" | "TRUE" => Ok(true),
            "false" | "False" | "FALSE" => Ok(false),
            _ => Err(format!("must be true or false, not {text:?}")),
        },
        other => Err(format!("must be true or false, not {}", other.kind())),
    }
}

pub(super) fn confidence_names() -> String {
    Confidence::ALL
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the tag fields of a mapping. Header-only fields are left to the caller (they are
/// errors in a tag); unknown and duplicate fields are reported.
pub(super) fn read_fields<'t, 'a>(
    entries: &'t [Entry<'a>],
    at: At,
    errors: &mut Vec<PackError>,
) -> Fields<'t, 'a> {
    let mut fields = Fields::default();
    // Fields seen so far, as bits of their index in TAG_FIELDS then HEADER_FIELDS; unknown
    // keys in a set (made on the first one), so duplicates are found in linear time.
    let mut seen = 0u32;
    let mut unknown_seen: Option<std::collections::HashSet<&str>> = None;
    for entry in entries {
        let key = entry.key.as_ref();
        let line = Some(entry.line);
        let known = TAG_FIELDS
            .iter()
            .chain(HEADER_FIELDS.iter())
            .position(|f| *f == key);
        let duplicate = match known {
            Some(bit) => {
                let was = seen & 1 << bit != 0;
                seen |= 1 << bit;
                was
            }
            None => !unknown_seen
                .get_or_insert_with(Default::default)
                .insert(key),
        };
        if duplicate {
            errors.add(PackError::new(at.field(key), line, "duplicate field"));
            continue;
        }
        let node = &entry.value;
        let mut fail = |message: String| errors.add(PackError::new(at.field(key), line, message));
        macro_rules! text_field {
            ($slot:ident) => {
                fields.$slot = match scalar_text(node, false) {
                    Ok(value) => Slot::Set(value, entry.line),
                    Err(message) => {
                        fail(message);
                        Slot::Bad
                    }
                }
            };
        }
        match key {
            "label" => text_field!(label),
            "source" => text_field!(source),
            "currency" => text_field!(currency),
            "network" => text_field!(network),
            "category" => text_field!(category),
            "abuse" => text_field!(abuse),
            "actor" => text_field!(actor),
            "address" => text_field!(address),
            "tx_hash" => text_field!(tx_hash),
            "tag_type" => {
                if let Err(message) = scalar_text(node, false) {
                    fail(message);
                }
            }
            "is_cluster_definer" => {
                if let Err(message) = boolean(node) {
                    fail(message);
                }
            }
            "confidence" => {
                fields.confidence = match scalar_text(node, false) {
                    Ok(name) => match taxonomy::confidence_from_graphsense(name) {
                        Some(confidence) => Slot::Set(confidence, entry.line),
                        None => {
                            fail(format!(
                                "unknown confidence {name:?} (expected one of: {})",
                                confidence_names()
                            ));
                            Slot::Bad
                        }
                    },
                    Err(message) => {
                        fail(message);
                        Slot::Bad
                    }
                }
            }
            "lastmod" => {
                fields.lastmod = match scalar_text(node, false) {
                    Ok(value) => match network::parse_date(value) {
                        Some(secs) => Slot::Set(secs, entry.line),
                        None => {
                            fail(format!(
                                "{value:?} is not a date (expected YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)"
                            ));
                            Slot::Bad
                        }
                    },
                    Err(message) => {
                        fail(message);
                        Slot::Bad
                    }
                }
            }
            "concepts" => {
                fields.concepts = match node {
                    Node::Seq { items, .. } => {
                        let bad: Vec<String> = items
                            .iter()
                            .enumerate()
                            .filter_map(|(i, item)| {
                                scalar_text(item, false)
                                    .err()
                                    .map(|m| format!("item {i}: {m}"))
                            })
                            .collect();
                        if bad.is_empty() {
                            Slot::Set(items.as_slice(), entry.line)
                        } else {
                            fail(bad.join("; "));
                            Slot::Bad
                        }
                    }
                    other => {
                        fail(format!(
                            "must be a list (e.g. [service_hack, money_laundering]), not {}",
                            other.kind()
                        ));
                        Slot::Bad
                    }
                }
            }
            "context" => {
                fields.context = match node {
                    Node::Map { .. } => Slot::Set(node, entry.line),
                    _ => match scalar_text(node, true) {
                        Ok(_) => Slot::Set(node, entry.line),
                        Err(message) => {
                            fail(message);
                            Slot::Bad
                        }
                    },
                }
            }
            _ if HEADER_FIELDS.contains(&key) => {
                if matches!(at, At::Tag(_)) {
                    fail(format!("{key} is a header field, not a tag field"));
                }
            }
            _ => fail(format!(
                "unknown field (a tag has {}; the header also {})",
                TAG_FIELDS.join(", "),
                HEADER_FIELDS.join(", ")
            )),
        }
    }
    fields
}

/// The values a tag is built from once inheritance is resolved.
pub(super) struct TagInput<'t> {
    pub(super) label: &'t str,
    pub(super) source: &'t str,
    pub(super) confidence: Confidence,
    pub(super) category: Option<&'t str>,
    pub(super) abuse: Option<&'t str>,
    pub(super) actor: Option<&'t str>,
    pub(super) concepts: Vec<&'t str>,
    pub(super) created: i64,
    pub(super) author: &'t str,
    pub(super) pack: Option<&'t str>,
}

/// A tag from GraphSense fields (the context is applied afterwards).
pub(super) fn build_tag(input: &TagInput<'_>) -> Tag {
    let concepts: Vec<String> = input.concepts.iter().map(|c| c.trim().to_owned()).collect();
    let category =
        taxonomy::category_from_graphsense(input.category, input.abuse, input.actor, &concepts);
    Tag {
        label: input.label.trim().to_owned(),
        category,
        confidence: input.confidence,
        source: input.source.trim().to_owned(),
        author: input.author.to_owned(),
        created: input.created,
        note: String::new(),
        pack: input.pack.map(str::to_owned),
        actor: input.actor.map(|a| a.trim().to_owned()),
        abuse: input.abuse.map(|a| a.trim().to_owned()),
        concepts,
    }
}

/// A YAML value as JSON (scalars as strings), for `context` written as a mapping.
pub(super) fn to_json(node: &Node<'_>) -> serde_json::Value {
    match node {
        _ if node.is_null() => serde_json::Value::Null,
        Node::Scalar { text, .. } => serde_json::Value::String(text.to_string()),
        Node::Seq { items, .. } => serde_json::Value::Array(items.iter().map(to_json).collect()),
        Node::Map { entries, .. } => serde_json::Value::Object(
            entries
                .iter()
                .map(|e| (e.key.to_string(), to_json(&e.value)))
                .collect(),
        ),
    }
}

/// Applies a tag's `context`: its contents become the note (`key: value; …`), and a
/// `caseboard` object restores what an export could not say in GraphSense fields.
pub(super) fn apply_context(tag: &mut Tag, context: &Node<'_>) -> Result<(), String> {
    let value = match context {
        Node::Scalar { text, .. } => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value @ serde_json::Value::Object(_)) => value,
            _ => {
                tag.note = text.trim().to_owned();
                return Ok(());
            }
        },
        other => to_json(other),
    };
    let serde_json::Value::Object(mut object) = value else {
        tag.note = value.to_string();
        return Ok(());
    };
    let overrides = object.remove("caseboard");
    tag.note = object
        .iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => format!("{k}: {s}"),
            other => format!("{k}: {other}"),
        })
        .collect::<Vec<_>>()
        .join("; ");
    let Some(overrides) = overrides else {
        return Ok(());
    };
    let serde_json::Value::Object(overrides) = overrides else {
        return Err("caseboard must be an object".to_owned());
    };
    for (key, value) in overrides {
        let string = || {
            value
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("caseboard.{key} must be a string"))
        };
        let optional = || match &value {
            serde_json::Value::Null => Ok(None),
            serde_json::Value::String(s) => Ok(Some(s.clone())),
            _ => Err(format!("caseboard.{key} must be a string or null")),
        };
        match key.as_str() {
            "label" => tag.label = string()?,
            "source" => tag.source = string()?,
            "note" => tag.note = string()?,
            "author" => tag.author = string()?,
            "category" => {
                tag.category = Category::from_name(&string()?)
                    .ok_or_else(|| "caseboard.category must not be empty".to_owned())?;
            }
            "created" => {
                tag.created = value
                    .as_i64()
                    .ok_or_else(|| "caseboard.created must be a whole number".to_owned())?;
            }
            "actor" => tag.actor = optional()?,
            "abuse" => tag.abuse = optional()?,
            "concepts" => {
                tag.concepts = value
                    .as_array()
                    .and_then(|items| {
                        items
                            .iter()
                            .map(|c| c.as_str().map(str::to_owned))
                            .collect()
                    })
                    .ok_or_else(|| "caseboard.concepts must be a list of strings".to_owned())?;
            }
            _ => {}
        }
    }
    Ok(())
}
