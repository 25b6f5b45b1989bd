//! What the picture says besides the graph: the legend of the categories used, the bounds of
//! what is drawn, and the title, summary (with what a filter left out), date and source lines.

use super::*;
use crate::util::plural;

pub(super) fn legend(
    used: &BTreeSet<Category>,
    neutral_address: bool,
    neutral_tx: bool,
    attributed: bool,
    conflict: bool,
) -> Vec<LegendEntry> {
    let mut entries: Vec<LegendEntry> = used
        .iter()
        .map(|c| LegendEntry {
            label: c.name().to_owned(),
            rgb: c.rgb(),
            mark: LegendMark::Circle,
            glyph: super::glyphs::Glyph::of(c),
        })
        .collect();
    if neutral_address {
        entries.push(LegendEntry {
            label: "untagged address".to_owned(),
            rgb: NEUTRAL_ADDRESS_RGB,
            mark: LegendMark::Circle,
            glyph: None,
        });
    }
    if neutral_tx {
        entries.push(LegendEntry {
            label: "transaction".to_owned(),
            rgb: TRANSACTION_RGB,
            mark: LegendMark::Square,
            glyph: None,
        });
    }
    if attributed {
        entries.push(LegendEntry {
            label: "known to an attribution pack".to_owned(),
            rgb: NEUTRAL_ADDRESS_RGB,
            mark: LegendMark::Badge,
            glyph: None,
        });
    }
    if conflict {
        entries.push(LegendEntry {
            label: "tags disagree".to_owned(),
            rgb: CONFLICT_RGB,
            mark: LegendMark::Conflict,
            glyph: None,
        });
    }
    entries
}

pub(super) fn bounds(nodes: &[SceneNode], notes: &[SceneNote]) -> Bounds {
    let mut min = [f32::MAX, f32::MAX];
    let mut max = [f32::MIN, f32::MIN];
    let mut grow = |p: [f32; 2], r: f32| {
        for axis in 0..2 {
            min[axis] = min[axis].min(p[axis] - r);
            max[axis] = max[axis].max(p[axis] + r);
        }
    };
    for node in nodes {
        grow(node.pos, node.radius);
    }
    for note in notes {
        grow(note.pos, 0.0);
    }
    if min[0] > max[0] || min[1] > max[1] {
        return Bounds {
            min: [-100.0, -100.0],
            max: [100.0, 100.0],
        };
    }
    Bounds { min, max }
}

/// `Filtered (since 2025-02-21 · edges ≥ $10,000): 40 transfers and 12 nodes left out`, or
/// `None` without a filter.
pub(super) fn filtered_line(
    case: &Case,
    flows: &crate::analysis::flows::FlowView,
) -> Option<String> {
    let filter = &case.view.filter;
    filter.is_active().then(|| {
        format!(
            "Filtered ({}): {} and {} left out",
            filter.describe(),
            plural(flows.filtered_transfers, "transfer", "transfers"),
            plural(flows.hidden_nodes.len(), "node", "nodes")
        )
    })
}

pub(super) fn summary_line(case: &Case, filtered: Option<String>) -> String {
    let mut parts = vec![
        plural(case.nodes.len(), "node", "nodes"),
        plural(case.transfers.len(), "transfer", "transfers"),
    ];
    if !case.clusters.is_empty() {
        parts.push(plural(case.clusters.len(), "cluster", "clusters"));
    }
    if !case.annotations.notes.is_empty() {
        parts.push(plural(case.annotations.notes.len(), "note", "notes"));
    }
    parts.extend(filtered);
    parts.join(" · ")
}

/// `2025-02-21 14:05 UTC` for Unix seconds (None when out of range).
pub fn utc_minute(unix_secs: i64) -> Option<String> {
    let t = time::OffsetDateTime::from_unix_timestamp(unix_secs).ok()?;
    t.format(time::macros::format_description!(
        "[year]-[month]-[day] [hour]:[minute] UTC"
    ))
    .ok()
}

pub(super) fn date_line(case: &Case, exported_at: Option<i64>) -> String {
    let mut parts = Vec::new();
    if let Some(when) = exported_at.and_then(utc_minute) {
        parts.push(format!("Exported {when}"));
    }
    // The last change (the history's newest entry), not the creation or save time.
    let changed = case.last_changed();
    if changed > 0
        && let Some(when) = utc_minute(changed)
    {
        parts.push(format!("case last changed {when}"));
    }
    parts.join(" · ")
}

/// The host of a URL (no scheme, credentials, path, query or fragment), or `None`.
pub(super) fn url_host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    (!host.is_empty()).then_some(host)
}

/// A data source as an export may show it: its kind and, for URL sources, only the host, so no
/// key in a path, query or credentials part can leak into a picture.
pub fn source_label(source: &SourceConfig) -> String {
    let with_host = |kind: &str, url: &str| match url_host(url) {
        Some(host) => format!("{kind} ({host})"),
        None => kind.to_owned(),
    };
    match source {
        SourceConfig::Demo | SourceConfig::Etherscan { .. } => source.name(),
        SourceConfig::Esplora { url } => with_host("Esplora", url),
        SourceConfig::EvmRpc { url } => with_host("Ethereum RPC", url),
        SourceConfig::Blockscout { url, chain_id } => {
            with_host(&format!("Blockscout (chain {chain_id})"), url)
        }
        SourceConfig::Tron { url } => with_host("TronGrid", url),
        SourceConfig::GraphSense { url } => with_host("GraphSense", url),
    }
}

pub(super) fn source_line(case: &Case) -> String {
    let mut line = format!("Data: {}", source_label(&case.source));
    for (chain, source) in &case.chain_sources {
        line.push_str(&format!("; {chain}: {}", source_label(source)));
    }
    line
}
