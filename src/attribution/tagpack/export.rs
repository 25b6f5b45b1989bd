//! Export of the case's own tags as a TagPack GraphSense's validator accepts (what it has no
//! field for travels in the tag's `context` under a `caseboard` key).

use super::*;

/// A YAML scalar for `text`: plain when that reads back as the same text, else single-quoted,
/// else (control characters) double-quoted with JSON escapes.
pub(super) fn quote(text: &str) -> String {
    let plain_ok = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.-/()".contains(c))
        && !text.ends_with(' ')
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        );
    if plain_ok {
        text.to_owned()
    } else if text.chars().any(|c| c.is_control()) {
        serde_json::to_string(text).unwrap_or_default()
    } else {
        format!("'{}'", text.replace('\'', "''"))
    }
}

/// The case's own tags (`pack == None`) as a GraphSense TagPack. Tags on Bitcoin transaction
/// nodes are written as `tx_hash` tags.
pub fn export_tagpack_yaml(case: &Case, title: &str, creator: &str) -> String {
    let title = if title.trim().is_empty() {
        "Caseboard case"
    } else {
        title.trim()
    };
    let creator = if creator.trim().is_empty() {
        "Caseboard"
    } else {
        creator.trim()
    };
    let stamp = if case.meta.modified > 0 {
        case.meta.modified
    } else {
        time::OffsetDateTime::now_utc().unix_timestamp()
    };
    let lastmod = network::date_only(stamp);
    let header_secs = network::parse_date(&lastmod).unwrap_or(0);
    let mut out = String::new();
    out.push_str(
        "# GraphSense TagPack exported by Caseboard: the investigator's own tags of a case.\n",
    );
    out.push_str(&format!("title: {}\n", quote(title)));
    out.push_str(&format!("creator: {}\n", quote(creator)));
    out.push_str(&format!(
        "description: {}\n",
        quote(&format!(
            "Tags exported from the Caseboard case \"{}\"",
            case.meta.title
        ))
    ));
    out.push_str(&format!("lastmod: {lastmod}\n"));
    out.push_str("is_public: false\n");
    let mut body = String::new();
    for (node, tags) in &case.tags {
        let Some(chain) = node.chain() else { continue };
        for tag in tags.iter().filter(|t| t.pack.is_none()) {
            let subject = if node.is_transaction() {
                format!("- tx_hash: {}\n", quote(node.value()))
            } else {
                let address = match chain {
                    Chain::Evm { .. } => {
                        to_eip55(node.value()).unwrap_or_else(|| node.value().to_owned())
                    }
                    Chain::Bitcoin
                    | Chain::Tron
                    | Chain::Litecoin
                    | Chain::BitcoinCash
                    | Chain::Zcash => node.value().to_owned(),
                };
                format!("- address: '{address}'\n")
            };
            body.push_str(&subject);
            body.push_str(&format!("  currency: {}\n", network::currency_of(chain)));
            export_tag(&mut body, tag, title, creator, header_secs);
        }
    }
    if body.is_empty() {
        out.push_str("tags: []\n");
    } else {
        out.push_str("tags:\n");
        out.push_str(&body);
    }
    out
}

/// Writes one tag's fields (after its subject and currency lines).
pub(super) fn export_tag(
    out: &mut String,
    tag: &Tag,
    title: &str,
    creator: &str,
    header_secs: i64,
) {
    let terms = taxonomy::graphsense_terms(&tag.category);
    let label = if tag.label.trim().is_empty() {
        tag.category.name().to_owned()
    } else {
        tag.label.clone()
    };
    let label = if label.trim().is_empty() {
        "unlabelled".to_owned()
    } else {
        label
    };
    let source = if tag.source.trim().is_empty() {
        format!("Caseboard case: {title}")
    } else {
        tag.source.clone()
    };
    let actor = tag.actor.clone().or(terms.actor);
    // An implied abuse goes in `abuse` when free, else the category carries it.
    let (category, abuse) = match (&tag.abuse, terms.abuse) {
        (Some(own), Some(implied)) if *own != implied => (implied, Some(own.clone())),
        (Some(own), _) => (terms.category, Some(own.clone())),
        (None, implied) => (terms.category, implied),
    };
    let lastmod = (tag.created != 0)
        .then(|| network::format_date(tag.created))
        .flatten();
    let concepts: Vec<&str> = tag.concepts.iter().map(String::as_str).collect();
    let simulated = build_tag(&TagInput {
        label: &label,
        source: &source,
        confidence: tag.confidence,
        category: Some(&category),
        abuse: abuse.as_deref(),
        actor: actor.as_deref(),
        concepts: concepts.clone(),
        created: lastmod
            .as_deref()
            .and_then(network::parse_date)
            .unwrap_or(header_secs),
        author: creator,
        pack: None,
    });
    let mut keep = serde_json::Map::new();
    let mut differs = |key: &str, same: bool, value: serde_json::Value| {
        if !same {
            keep.insert(key.to_owned(), value);
        }
    };
    differs(
        "label",
        simulated.label == tag.label,
        tag.label.clone().into(),
    );
    differs(
        "category",
        simulated.category == tag.category,
        tag.category.name().into(),
    );
    differs(
        "source",
        simulated.source == tag.source,
        tag.source.clone().into(),
    );
    differs("note", tag.note.is_empty(), tag.note.clone().into());
    differs(
        "author",
        simulated.author == tag.author,
        tag.author.clone().into(),
    );
    differs(
        "created",
        simulated.created == tag.created,
        tag.created.into(),
    );
    differs(
        "actor",
        simulated.actor == tag.actor,
        tag.actor.clone().into(),
    );
    differs(
        "abuse",
        simulated.abuse == tag.abuse,
        tag.abuse.clone().into(),
    );
    differs(
        "concepts",
        simulated.concepts == tag.concepts,
        tag.concepts.clone().into(),
    );

    out.push_str(&format!("  label: {}\n", quote(&label)));
    out.push_str(&format!("  category: {category}\n"));
    out.push_str(&format!("  confidence: {}\n", tag.confidence.name()));
    out.push_str(&format!("  source: {}\n", quote(&source)));
    if let Some(lastmod) = lastmod {
        out.push_str(&format!("  lastmod: {lastmod}\n"));
    }
    if let Some(actor) = &actor {
        out.push_str(&format!("  actor: {}\n", quote(actor)));
    }
    if let Some(abuse) = &abuse {
        out.push_str(&format!("  abuse: {}\n", quote(abuse)));
    }
    if !concepts.is_empty() {
        let items: Vec<String> = concepts.iter().map(|c| quote(c)).collect();
        out.push_str(&format!("  concepts: [{}]\n", items.join(", ")));
    }
    if !keep.is_empty() {
        let context = serde_json::json!({ "caseboard": keep });
        out.push_str(&format!("  context: {}\n", quote(&context.to_string())));
    }
}
