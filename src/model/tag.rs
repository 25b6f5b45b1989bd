//! Judgements about nodes: categories, GraphSense confidence levels, and tags.
//!
//! Categories and confidence names follow GraphSense's taxonomies so tags can later be exchanged
//! as TagPacks; the investigator can add categories of their own.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of actor or service a node or cluster is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Exchange,
    Mixer,
    DprkAttributed,
    Bridge,
    Defi,
    Sanctioned,
    Victim,
    Service,
    Unknown,
    /// A category the investigator named.
    Custom(String),
}

impl Category {
    /// The built-in categories, in menu order.
    pub const BUILT_IN: [Category; 9] = [
        Category::Exchange,
        Category::Mixer,
        Category::DprkAttributed,
        Category::Bridge,
        Category::Defi,
        Category::Sanctioned,
        Category::Victim,
        Category::Service,
        Category::Unknown,
    ];

    /// Machine name (`dprk_attributed`); custom categories keep their own name.
    pub fn name(&self) -> &str {
        match self {
            Category::Exchange => "exchange",
            Category::Mixer => "mixer",
            Category::DprkAttributed => "dprk_attributed",
            Category::Bridge => "bridge",
            Category::Defi => "defi",
            Category::Sanctioned => "sanctioned",
            Category::Victim => "victim",
            Category::Service => "service",
            Category::Unknown => "unknown",
            Category::Custom(name) => name,
        }
    }

    /// True for a known service: exchange, mixer, bridge, DeFi or other service. Traces stop at
    /// services, and detectors treat them as ends rather than actors.
    pub fn is_service(&self) -> bool {
        matches!(
            self,
            Category::Exchange
                | Category::Mixer
                | Category::Bridge
                | Category::Defi
                | Category::Service
        )
    }

    /// Parses a machine name; anything else becomes a custom category (trimmed, non-empty).
    pub fn from_name(name: &str) -> Option<Category> {
        let name = name.trim();
        if name.is_empty() {
            return None;
        }
        Some(
            Category::BUILT_IN
                .iter()
                .find(|c| c.name() == name)
                .cloned()
                .unwrap_or_else(|| Category::Custom(name.to_owned())),
        )
    }

    /// Display colour as sRGB; custom categories get a stable colour derived from the name.
    pub fn rgb(&self) -> [u8; 3] {
        match self {
            // Paul Tol's "muted" scheme, made to stay apart for colour-blind readers; checked
            // under protanopia, deuteranopia and tritanopia in `export::scene::colour_vision`.
            Category::Exchange => [0x88, 0xcc, 0xee],
            Category::Mixer => [0xaa, 0x44, 0x99],
            Category::DprkAttributed => [0xcc, 0x66, 0x77],
            Category::Bridge => [0x44, 0xaa, 0x99],
            Category::Defi => [0x11, 0x77, 0x33],
            Category::Sanctioned => [0x88, 0x22, 0x55],
            Category::Victim => [0xdd, 0xcc, 0x77],
            Category::Service => [0x99, 0x99, 0x33],
            Category::Unknown => [174, 180, 186],
            Category::Custom(name) => {
                // FNV-1a over the name picks one of a few readable hues.
                let hash = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
                });
                const PALETTE: [[u8; 3]; 6] = [
                    [0, 137, 123],
                    [124, 179, 66],
                    [255, 179, 0],
                    [94, 53, 177],
                    [216, 27, 96],
                    [84, 110, 122],
                ];
                PALETTE[(hash % PALETTE.len() as u64) as usize]
            }
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// GraphSense confidence levels (`db/confidence.csv`), highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Ownership,
    LedgerImmanent,
    ManualTransaction,
    ServiceApi,
    ForensicInvestigation,
    AuthorityData,
    TrustedProvider,
    ServiceData,
    Forensic,
    UntrustedTransaction,
    WebCrawl,
    Heuristic,
    Unknown,
}

impl Confidence {
    /// All levels, highest first.
    pub const ALL: [Confidence; 13] = [
        Confidence::Ownership,
        Confidence::LedgerImmanent,
        Confidence::ManualTransaction,
        Confidence::ServiceApi,
        Confidence::ForensicInvestigation,
        Confidence::AuthorityData,
        Confidence::TrustedProvider,
        Confidence::ServiceData,
        Confidence::Forensic,
        Confidence::UntrustedTransaction,
        Confidence::WebCrawl,
        Confidence::Heuristic,
        Confidence::Unknown,
    ];

    /// Numeric level 5–100.
    pub fn level(self) -> u8 {
        match self {
            Confidence::Ownership | Confidence::LedgerImmanent => 100,
            Confidence::ManualTransaction => 90,
            Confidence::ServiceApi | Confidence::ForensicInvestigation => 70,
            Confidence::AuthorityData => 60,
            Confidence::TrustedProvider | Confidence::ServiceData | Confidence::Forensic => 50,
            Confidence::UntrustedTransaction => 40,
            Confidence::WebCrawl => 20,
            Confidence::Heuristic => 10,
            Confidence::Unknown => 5,
        }
    }

    /// GraphSense id (`authority_data`).
    pub fn name(self) -> &'static str {
        match self {
            Confidence::Ownership => "ownership",
            Confidence::LedgerImmanent => "ledger_immanent",
            Confidence::ManualTransaction => "manual_transaction",
            Confidence::ServiceApi => "service_api",
            Confidence::ForensicInvestigation => "forensic_investigation",
            Confidence::AuthorityData => "authority_data",
            Confidence::TrustedProvider => "trusted_provider",
            Confidence::ServiceData => "service_data",
            Confidence::Forensic => "forensic",
            Confidence::UntrustedTransaction => "untrusted_transaction",
            Confidence::WebCrawl => "web_crawl",
            Confidence::Heuristic => "heuristic",
            Confidence::Unknown => "unknown",
        }
    }

    /// Parses a GraphSense id.
    pub fn from_name(name: &str) -> Option<Confidence> {
        Confidence::ALL
            .into_iter()
            .find(|c| c.name() == name.trim())
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name(), self.level())
    }
}

/// One opinion about a node: who says it is what, how sure, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tag {
    /// Short label (`Bybit hot wallet`, `Lazarus`).
    pub label: String,
    /// Category.
    pub category: Category,
    /// Confidence level.
    pub confidence: Confidence,
    /// Source or reason (URL, report, "co-spend heuristic").
    #[serde(default)]
    pub source: String,
    /// Who made the judgement.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// Unix seconds when it was made.
    #[serde(default)]
    pub created: i64,
    /// Free-text note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// Id of the attribution pack this tag came from; `None` for the investigator's own tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// GraphSense actor id (`lazarusgroup`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// GraphSense abuse concept (`sanction`, `ransomware`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub abuse: Option<String>,
    /// GraphSense concepts (`service_hack`, `money_laundering`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub concepts: Vec<String>,
}

impl Tag {
    /// A tag with only the essentials; optional GraphSense fields empty.
    pub fn new(label: &str, category: Category, confidence: Confidence, source: &str) -> Tag {
        Tag {
            label: label.to_owned(),
            category,
            confidence,
            source: source.to_owned(),
            author: String::new(),
            created: 0,
            note: String::new(),
            pack: None,
            actor: None,
            abuse: None,
            concepts: Vec::new(),
        }
    }
}

/// The category a node's tags give it — the one rule, used for the colour of a node outside
/// any cluster ([`super::Case::display_category`]) and by the merge to tell whether two
/// investigators' tags disagree: the investigator's own latest tag (no pack; it resolves
/// disagreements between packs), else the highest-confidence tag (the first of equals).
pub fn tags_category(tags: &[Tag]) -> Option<&Category> {
    if let Some(own) = tags
        .iter()
        .filter(|t| t.pack.is_none())
        .max_by_key(|t| t.created)
    {
        return Some(&own.category);
    }
    tags.iter()
        .max_by_key(|t| t.confidence.level())
        .map(|t| &t.category)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_latest_tag_wins_over_packs_then_confidence_decides() {
        let mut pack_strong = Tag::new("A", Category::Exchange, Confidence::AuthorityData, "p");
        pack_strong.pack = Some("pack".to_owned());
        let mut pack_weak = Tag::new("B", Category::Mixer, Confidence::Heuristic, "p");
        pack_weak.pack = Some("pack".to_owned());
        assert_eq!(tags_category(&[]), None);
        let packs = [pack_weak.clone(), pack_strong.clone()];
        assert_eq!(tags_category(&packs), Some(&Category::Exchange));
        let mut older = Tag::new("C", Category::Victim, Confidence::Heuristic, "");
        older.created = 1;
        let mut newer = Tag::new("D", Category::Service, Confidence::Heuristic, "");
        newer.created = 2;
        let all = [pack_strong, newer, older, pack_weak];
        assert_eq!(tags_category(&all), Some(&Category::Service));
        // The case colours an unclustered node by the same rule.
        let mut case = super::super::Case::new("t", 0);
        let id = super::super::NodeId::parse("btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa").expect("id");
        case.tags.insert(id.clone(), all.to_vec());
        assert_eq!(case.display_category(&id), tags_category(&all));
    }

    #[test]
    fn categories_round_trip_by_name() {
        for c in Category::BUILT_IN {
            assert_eq!(Category::from_name(c.name()), Some(c.clone()));
        }
        assert_eq!(
            Category::from_name(" ransomware "),
            Some(Category::Custom("ransomware".into()))
        );
        assert_eq!(Category::from_name("  "), None);
        assert_eq!(
            Category::Custom("x".into()).rgb(),
            Category::Custom("x".into()).rgb()
        );
    }

    #[test]
    fn confidence_levels_follow_graphsense() {
        assert_eq!(Confidence::Ownership.level(), 100);
        assert_eq!(Confidence::AuthorityData.level(), 60);
        assert_eq!(Confidence::Heuristic.level(), 10);
        assert_eq!(Confidence::Unknown.level(), 5);
        for c in Confidence::ALL {
            assert_eq!(Confidence::from_name(c.name()), Some(c));
        }
        let levels: Vec<u8> = Confidence::ALL.iter().map(|c| c.level()).collect();
        assert!(
            levels.windows(2).all(|w| w[0] >= w[1]),
            "ALL is ordered highest first"
        );
    }
}
