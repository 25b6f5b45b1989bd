//! GraphSense taxonomies and how they map onto Caseboard categories, both ways.
//!
//! GraphSense describes a tag with a `category` and an `abuse` (ids of its concept taxonomy,
//! `db/concepts.yaml`), an `actor` (ActorPack id) and a list of `concepts`. Caseboard colours
//! and groups nodes by one [`Category`]. Reading a TagPack, the first rule that fits wins:
//!
//! | # | GraphSense tag has …                                               | Caseboard category   |
//! |---|--------------------------------------------------------------------|----------------------|
//! | 1 | `actor` of a DPRK group (`lazarusgroup`, see [`DPRK_ACTORS`])       | `dprk_attributed`    |
//! | 2 | `sanction`, `black_list` or `gov_black_list` anywhere               | `sanctioned`         |
//! | 3 | `mixing_service`, `coinjoin` or `mixing` as category or concept     | `mixer`              |
//! | 4 | any other abuse (`abuse`, or an abuse concept): `service_hack`, `ransomware` … | custom, named by that abuse |
//! | 5 | `defi_bridge` or `bridge`                                           | `bridge`             |
//! | 6 | `defi` or any `defi_*`                                              | `defi`               |
//! | 7 | `exchange`                                                          | `exchange`           |
//! | 8 | `victim`                                                            | `victim`             |
//! | 9 | `service`                                                           | `service`            |
//! |10 | any other category or concept (`gambling`, `miner`, `perpetrator` …) | custom, named by it |
//! |11 | nothing, or only `user` / `unknown` / `entity`                     | `unknown`            |
//!
//! An abuse outranks what the address is (rule 4 before 5–10): a `Bitfinex hack` address is the
//! thief's, not the exchange's. DPRK attribution outranks sanctions: Lazarus is sanctioned, the
//! attribution says more. Mixers outrank their abuse (`mixing_service` + `money_laundering` is a
//! mixer).
//!
//! Writing a TagPack maps back ([`graphsense_terms`]):
//!
//! | Caseboard         | GraphSense `category` | also sets (when the tag has none) |
//! |-------------------|-----------------------|-----------------------------------|
//! | `exchange`        | `exchange`            |                                   |
//! | `mixer`           | `mixing_service`      |                                   |
//! | `dprk_attributed` | `perpetrator`         | `actor: lazarusgroup`             |
//! | `bridge`          | `defi_bridge`         |                                   |
//! | `defi`            | `defi`                |                                   |
//! | `sanctioned`      | `user`                | `abuse: sanction`                 |
//! | `victim`          | `victim`              |                                   |
//! | `service`         | `service`             |                                   |
//! | `unknown`         | `unknown`             |                                   |
//! | custom abuse id   | `user`                | `abuse: <id>`                     |
//! | custom concept id | `<id>`                |                                   |
//! | other custom      | `unknown`             | (the name travels in `context`)   |
//!
//! Every id written is a concept of GraphSense's taxonomy ([`CONCEPTS`], [`ABUSE_CONCEPTS`]),
//! so GraphSense's validator accepts the export.
//!
//! Confidence names are GraphSense's (`db/confidence.csv`); GraphSense's `override` (level
//! 100, a manual cluster tag) reads as `ownership`, the other level-100 name.

use crate::model::{Category, Confidence};
use std::borrow::Cow;

/// Actor ids taken as DPRK state actors: GraphSense's `lazarusgroup` and the common names of
/// its units, for packs written by hand.
pub const DPRK_ACTORS: &[&str] = &[
    "lazarusgroup",
    "lazarus",
    "tradertraitor",
    "bluenoroff",
    "apt38",
    "andariel",
    "dprk",
];

/// Concepts that put an address on a sanctions or block list.
pub const SANCTION_CONCEPTS: &[&str] = &["sanction", "black_list", "gov_black_list"];

/// Concepts of mixing.
pub const MIXER_CONCEPTS: &[&str] = &["mixing_service", "coinjoin", "mixing"];

/// Concepts of bridges (`bridge` is not GraphSense's, but hand-written packs use it).
pub const BRIDGE_CONCEPTS: &[&str] = &["defi_bridge", "bridge"];

/// Concepts that say nothing about what an address is.
const GENERIC_CONCEPTS: &[&str] = &["user", "unknown", "entity", "concept"];

/// The abuse branch of GraphSense's concept taxonomy.
pub const ABUSE_CONCEPTS: &[&str] = &[
    "abuse",
    "sexual_abuse",
    "child_sexual_abuse",
    "violence",
    "murder",
    "torture",
    "human_trafficking",
    "scam",
    "financial_crime",
    "investment_fraud",
    "ponzi_scheme",
    "pyramid_scheme",
    "money_laundering",
    "payment_card_fraud",
    "extortion",
    "sextortion",
    "ransomware",
    "phishing",
    "hacking",
    "service_hack",
    "account_hack",
    "exploit",
    "data_breach",
    "social_engineering",
    "malware",
    "drugs",
    "weapons",
    "sanction",
    "counterfeit",
    "extremism",
    "terrorism",
    "terrorism_financing",
    "black_list",
    "gov_black_list",
];

/// Every concept id of GraphSense's concept taxonomy (`db/concepts.yaml`, graphsense-lib) except
/// the abuse branch, which is [`ABUSE_CONCEPTS`].
pub const CONCEPTS: &[&str] = &[
    "concept",
    "unknown",
    "behaviour",
    "source",
    "mention",
    "website_mention",
    "forum_mention",
    "dark_web",
    "gray_usage",
    "mixing",
    "coinjoin",
    "white_usage",
    "cold_wallet",
    "hot_wallet",
    "warm_wallet",
    "deposit_wallet",
    "white_list",
    "gov_white_list",
    "deployer",
    "funder",
    "entity",
    "organization",
    "user",
    "victim",
    "perpetrator",
    "donation",
    "miner",
    "service",
    "exchange",
    "wallet_service",
    "escrow_wallet",
    "ico_wallet",
    "filesharing",
    "index",
    "market",
    "messaging_service",
    "mixing_service",
    "mining_service",
    "gambling",
    "search_engine",
    "shop",
    "faucet",
    "payment_processor",
    "atm",
    "hosting",
    "vpn",
    "nameservice",
    "defi",
    "defi_token",
    "defi_lending",
    "defi_dex",
    "defi_dex_pair",
    "defi_derivative",
    "defi_bridge",
    "defi_dao",
    "defi_staking",
    "defi_custody",
    "item",
    "collectible",
    // The abuse branch follows in ABUSE_CONCEPTS.
];

/// Services other than exchanges, mixers and DeFi (their parent in the taxonomy is `service`).
const SERVICE_CONCEPTS: &[&str] = &[
    "wallet_service",
    "escrow_wallet",
    "ico_wallet",
    "filesharing",
    "index",
    "market",
    "messaging_service",
    "mining_service",
    "gambling",
    "search_engine",
    "shop",
    "faucet",
    "payment_processor",
    "atm",
    "hosting",
    "vpn",
    "nameservice",
];

/// Kinds of users (their parent in the taxonomy is `user`).
const USER_CONCEPTS: &[&str] = &["victim", "perpetrator", "donation", "miner"];

/// True for an id of GraphSense's concept taxonomy.
pub fn is_graphsense_concept(id: &str) -> bool {
    CONCEPTS.contains(&id) || ABUSE_CONCEPTS.contains(&id)
}

/// True for an id of the abuse branch.
pub fn is_abuse_concept(id: &str) -> bool {
    ABUSE_CONCEPTS.contains(&id)
}

/// True for an actor id of a DPRK group (case-insensitive).
pub fn is_dprk_actor(actor: &str) -> bool {
    let actor = actor.trim().to_ascii_lowercase();
    DPRK_ACTORS.contains(&actor.as_str())
}

/// Parses a GraphSense confidence id; `override` reads as `ownership` (both level 100).
pub fn confidence_from_graphsense(name: &str) -> Option<Confidence> {
    let name = name.trim();
    if name == "override" {
        return Some(Confidence::Ownership);
    }
    Confidence::from_name(name)
}

/// A trimmed, lower-cased id, allocating only for the rare id written in capitals.
fn norm(s: &str) -> Cow<'_, str> {
    let s = s.trim();
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The Caseboard category of a GraphSense tag (the table in the module docs).
pub fn category_from_graphsense(
    category: Option<&str>,
    abuse: Option<&str>,
    actor: Option<&str>,
    concepts: &[String],
) -> Category {
    let category = category.map(norm).filter(|s| !s.is_empty());
    let abuse = abuse.map(norm).filter(|s| !s.is_empty());
    // Category first, then the concepts, in the pack's order.
    let kinds = || {
        category
            .iter()
            .cloned()
            .chain(concepts.iter().map(|c| norm(c)))
            .filter(|k| !k.is_empty())
    };
    let any_of = |set: &[&str]| kinds().any(|k| set.contains(&k.as_ref()));

    if actor.is_some_and(is_dprk_actor) {
        return Category::DprkAttributed;
    }
    if any_of(SANCTION_CONCEPTS)
        || abuse
            .as_deref()
            .is_some_and(|a| SANCTION_CONCEPTS.contains(&a))
    {
        return Category::Sanctioned;
    }
    if any_of(MIXER_CONCEPTS) {
        return Category::Mixer;
    }
    let abuse = abuse.or_else(|| kinds().find(|k| is_abuse_concept(k)));
    if let Some(abuse) = abuse {
        return Category::from_name(&abuse).unwrap_or(Category::Unknown);
    }
    if any_of(BRIDGE_CONCEPTS) {
        return Category::Bridge;
    }
    if kinds().any(|k| k == "defi" || k.starts_with("defi_")) {
        return Category::Defi;
    }
    for (id, built_in) in [
        ("exchange", Category::Exchange),
        ("victim", Category::Victim),
        ("service", Category::Service),
    ] {
        if kinds().any(|k| k == id) {
            return built_in;
        }
    }
    kinds()
        .find(|k| !GENERIC_CONCEPTS.contains(&k.as_ref()))
        .and_then(|k| Category::from_name(&k))
        .unwrap_or(Category::Unknown)
}

/// GraphSense terms for a Caseboard category (the second table in the module docs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphSenseTerms {
    /// The `category` concept.
    pub category: String,
    /// An `abuse` the category implies, written when the tag has none.
    pub abuse: Option<String>,
    /// An `actor` the category implies, written when the tag has none.
    pub actor: Option<String>,
}

/// How a Caseboard category is written in a TagPack.
pub fn graphsense_terms(category: &Category) -> GraphSenseTerms {
    let terms = |category: &str, abuse: Option<&str>, actor: Option<&str>| GraphSenseTerms {
        category: category.to_owned(),
        abuse: abuse.map(str::to_owned),
        actor: actor.map(str::to_owned),
    };
    match category {
        Category::Exchange => terms("exchange", None, None),
        Category::Mixer => terms("mixing_service", None, None),
        Category::DprkAttributed => terms("perpetrator", None, Some("lazarusgroup")),
        Category::Bridge => terms("defi_bridge", None, None),
        Category::Defi => terms("defi", None, None),
        Category::Sanctioned => terms("user", Some("sanction"), None),
        Category::Victim => terms("victim", None, None),
        Category::Service => terms("service", None, None),
        Category::Unknown => terms("unknown", None, None),
        Category::Custom(name) => {
            let id = name.trim().to_ascii_lowercase();
            if is_abuse_concept(&id) {
                terms("user", Some(&id), None)
            } else if is_graphsense_concept(&id) {
                terms(&id, None, None)
            } else {
                terms("unknown", None, None)
            }
        }
    }
}

/// Where a category sits among the kinds of entity: the path from the root of GraphSense's
/// entity branch (`[service, defi, defi_bridge]`). `None` for categories that are attributes
/// rather than what the address is (sanctioned, unknown, abuses, names GraphSense doesn't know),
/// which never contradict another category.
fn lineage(category: &Category) -> Option<Vec<&str>> {
    Some(match category {
        Category::Exchange => vec!["service", "exchange"],
        Category::Mixer => vec!["service", "mixing_service"],
        Category::Defi => vec!["service", "defi"],
        Category::Bridge => vec!["service", "defi", "defi_bridge"],
        Category::Service => vec!["service"],
        Category::Victim => vec!["user", "victim"],
        Category::DprkAttributed => vec!["user", "perpetrator", "dprk"],
        Category::Sanctioned | Category::Unknown => return None,
        Category::Custom(name) => {
            let id = name.as_str();
            if id == "perpetrator" || USER_CONCEPTS.contains(&id) {
                vec!["user", id]
            } else if id == "user" || id == "organization" {
                vec![id]
            } else if MIXER_CONCEPTS.contains(&id) {
                vec!["service", "mixing_service"]
            } else if id.starts_with("defi_") {
                vec!["service", "defi", id]
            } else if SERVICE_CONCEPTS.contains(&id) {
                vec!["service", id]
            } else {
                return None;
            }
        }
    })
}

/// True when two categories say contradicting things about what an address is (an exchange
/// and a DPRK perpetrator; a mixer and an exchange). A category and its broader one agree
/// (exchange and service, bridge and defi); attributes (sanctioned, an abuse, unknown) agree
/// with everything.
pub fn disagree(a: &Category, b: &Category) -> bool {
    match (lineage(a), lineage(b)) {
        (Some(a), Some(b)) => !(a.starts_with(&b) || b.starts_with(&a)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cat(
        category: Option<&str>,
        abuse: Option<&str>,
        actor: Option<&str>,
        concepts: &[&str],
    ) -> Category {
        let concepts: Vec<String> = concepts.iter().map(|c| (*c).to_owned()).collect();
        category_from_graphsense(category, abuse, actor, &concepts)
    }

    #[test]
    fn graphsense_tags_map_to_caseboard_categories() {
        assert_eq!(cat(Some("exchange"), None, None, &[]), Category::Exchange);
        assert_eq!(
            cat(Some("mixing_service"), None, None, &[]),
            Category::Mixer
        );
        assert_eq!(cat(None, None, None, &["coinjoin"]), Category::Mixer);
        assert_eq!(cat(Some("defi_bridge"), None, None, &[]), Category::Bridge);
        assert_eq!(cat(Some("bridge"), None, None, &[]), Category::Bridge);
        assert_eq!(cat(Some("defi_dex"), None, None, &[]), Category::Defi);
        assert_eq!(
            cat(Some("user"), Some("sanction"), None, &[]),
            Category::Sanctioned
        );
        assert_eq!(
            cat(Some("black_list"), None, None, &[]),
            Category::Sanctioned
        );
        assert_eq!(
            cat(None, Some("gov_black_list"), None, &[]),
            Category::Sanctioned
        );
        // Lazarus (lazarus.yaml): user + sanction + lazarusgroup.
        assert_eq!(
            cat(Some("user"), Some("sanction"), Some("lazarusgroup"), &[]),
            Category::DprkAttributed
        );
        assert_eq!(
            cat(None, Some("service_hack"), Some("LazarusGroup"), &[]),
            Category::DprkAttributed
        );
        assert_eq!(
            cat(Some("user"), Some("ransomware"), None, &[]),
            Category::Custom("ransomware".into())
        );
        // A hacked exchange's thief is not the exchange.
        assert_eq!(
            cat(
                Some("exchange"),
                Some("service_hack"),
                Some("bitfinex"),
                &[]
            ),
            Category::Custom("service_hack".into())
        );
        assert_eq!(
            cat(Some("mixing_service"), Some("money_laundering"), None, &[]),
            Category::Mixer
        );
        assert_eq!(cat(Some("victim"), None, None, &[]), Category::Victim);
        assert_eq!(cat(Some("service"), None, None, &[]), Category::Service);
        assert_eq!(
            cat(Some("gambling"), None, None, &[]),
            Category::Custom("gambling".into())
        );
        assert_eq!(
            cat(Some("Weird Thing"), None, None, &[]),
            Category::Custom("weird thing".into())
        );
        assert_eq!(cat(Some("user"), None, None, &[]), Category::Unknown);
        assert_eq!(cat(None, None, None, &[]), Category::Unknown);
        assert_eq!(
            cat(Some("user"), None, None, &["miner"]),
            Category::Custom("miner".into())
        );
    }

    #[test]
    fn export_terms_are_graphsense_concepts_and_read_back() {
        let mut categories = Category::BUILT_IN.to_vec();
        categories.extend(
            ["ransomware", "gambling", "perpetrator", "my own"]
                .map(|n| Category::Custom(n.to_owned())),
        );
        for category in categories {
            let terms = graphsense_terms(&category);
            assert!(is_graphsense_concept(&terms.category), "{category}");
            if let Some(abuse) = &terms.abuse {
                assert!(is_abuse_concept(abuse));
            }
            let back = category_from_graphsense(
                Some(&terms.category),
                terms.abuse.as_deref(),
                terms.actor.as_deref(),
                &[],
            );
            match category.name() {
                "my own" => assert_eq!(back, Category::Unknown),
                "perpetrator" => assert_eq!(back, category),
                _ => assert_eq!(back, category, "{category}"),
            }
        }
    }

    #[test]
    fn confidence_names() {
        assert_eq!(
            confidence_from_graphsense("authority_data"),
            Some(Confidence::AuthorityData)
        );
        assert_eq!(
            confidence_from_graphsense("override"),
            Some(Confidence::Ownership)
        );
        assert_eq!(confidence_from_graphsense("sure"), None);
    }

    #[test]
    fn disagreements_between_kinds_of_entity() {
        use Category::*;
        assert!(disagree(&Exchange, &DprkAttributed));
        assert!(disagree(&Victim, &DprkAttributed));
        assert!(disagree(&Mixer, &Exchange));
        assert!(disagree(&Custom("gambling".into()), &Exchange));
        assert!(!disagree(&Exchange, &Service));
        assert!(!disagree(&Bridge, &Defi));
        assert!(!disagree(&Sanctioned, &Exchange));
        assert!(!disagree(&Sanctioned, &Mixer));
        assert!(!disagree(&DprkAttributed, &Custom("service_hack".into())));
        assert!(!disagree(&DprkAttributed, &Custom("perpetrator".into())));
        assert!(!disagree(&Unknown, &Exchange));
        assert!(!disagree(&Custom("suspect".into()), &Exchange));
        assert!(!disagree(&Exchange, &Exchange));
    }
}
