//! Checking tags against the header: the inherited fields, the network and address of each
//! tag, and the batch of entries, skips and errors one group of tags gives.

use super::*;

/// Header values every tag needs.
pub(super) struct Context<'t, 'a> {
    pub(super) header: Fields<'t, 'a>,
    pub(super) id: &'t str,
    pub(super) creator: &'t str,
}

/// The result of checking a run of tags.
#[derive(Default)]
pub(super) struct Batch {
    pub(super) entries: Vec<PackEntry>,
    pub(super) errors: Vec<PackError>,
    pub(super) unsupported: usize,
    pub(super) tx_tags: usize,
    pub(super) skipped: Vec<SkippedTag>,
}

impl Context<'_, '_> {
    pub(super) fn check(&self, offset: usize, tags: &[Node<'_>]) -> Batch {
        let mut batch = Batch {
            entries: Vec::with_capacity(tags.len()),
            ..Batch::default()
        };
        for (i, tag) in tags.iter().enumerate() {
            self.check_tag(At::Tag(offset + i), tag, &mut batch);
        }
        batch
    }

    pub(super) fn check_tag(&self, at: At, node: &Node<'_>, batch: &mut Batch) {
        let errors = &mut batch.errors;
        let Node::Map { entries, line } = node else {
            errors.add(PackError::new(
                at.whole(),
                Some(node.line()),
                format!("a tag must be a mapping of fields, not {}", node.kind()),
            ));
            return;
        };
        let before = errors.len();
        let own = read_fields(entries, at, errors);
        let h = &self.header;
        let address = own.address.or(h.address);
        let tx_hash = own.tx_hash.or(h.tx_hash);
        let label = own.label.or(h.label);
        // GraphSense: a tag's network defaults to its own currency, then to the header's.
        let network = match (own.network, own.currency) {
            (Slot::Absent, Slot::Absent) => h.network.or(h.currency),
            (Slot::Absent, currency) => currency,
            (network, _) => network,
        };
        let mut missing = |field: &str, message: &str| {
            errors.add(PackError::new(at.field(field), Some(*line), message));
        };
        if let (Slot::Set(..), Slot::Set(..)) = (address, tx_hash) {
            missing(
                "tx_hash",
                "address and tx_hash exclude each other: a tag has one of them",
            );
        }
        if matches!((address, tx_hash), (Slot::Absent, Slot::Absent)) {
            missing("address", "missing: a tag needs an address (or a tx_hash)");
        }
        if matches!(label, Slot::Absent) {
            missing("label", "missing: set a label on the tag or in the header");
        }
        if matches!(network, Slot::Absent) {
            missing(
                "currency",
                "missing: set currency (or network) on the tag or in the header",
            );
        }
        if errors.len() > before {
            return;
        }
        let (Some(label), Some(network_name)) = (label.value(), network.value()) else {
            return;
        };
        let subject = address.value().or(tx_hash.value()).unwrap_or_default();
        let chain = match network::resolve(network_name, subject) {
            Network::Chain(chain) => chain,
            Network::Unsupported | Network::Unknown => {
                batch.unsupported += 1;
                return;
            }
        };
        let node_id = if let Some(address) = address.value() {
            let parsed = network::parse_on(chain, address);
            match parsed {
                Ok(parsed) => NodeId::address(chain, &parsed),
                Err(error) => {
                    batch.skipped.push(SkippedTag {
                        position: at.field("address"),
                        line: address_line(own.address, h.address),
                        address: quote_capped(address),
                        reason: format!("{error} (on {chain})"),
                    });
                    return;
                }
            }
        } else {
            let hash = tx_hash.value().unwrap_or_default().trim();
            let line = tx_hash.line();
            match chain {
                Chain::Bitcoin | Chain::Litecoin | Chain::BitcoinCash | Chain::Zcash => {
                    match NodeId::transaction(chain, hash) {
                        Ok(id) => id,
                        Err(error) => {
                            batch.skipped.push(SkippedTag {
                                position: at.field("tx_hash"),
                                line,
                                address: quote_capped(hash),
                                reason: format!("{error} (transaction hash on {chain})"),
                            });
                            return;
                        }
                    }
                }
                Chain::Evm { .. } | Chain::Tron => {
                    let hex = hash.strip_prefix("0x").unwrap_or(hash);
                    if hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        batch.tx_tags += 1;
                    } else {
                        batch.skipped.push(SkippedTag {
                            position: at.field("tx_hash"),
                            line,
                            address: quote_capped(hash),
                            reason: format!(
                                "transaction hash is not 0x followed by 64 hex digits (on {chain})"
                            ),
                        });
                    }
                    return;
                }
            }
        };
        let concepts: Vec<&str> = own
            .concepts
            .or(h.concepts)
            .value()
            .unwrap_or_default()
            .iter()
            .filter_map(|item| match item {
                Node::Scalar { text, .. } => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        let mut tag = build_tag(&TagInput {
            label,
            source: own.source.or(h.source).value().unwrap_or_default(),
            confidence: own
                .confidence
                .or(h.confidence)
                .value()
                .unwrap_or(Confidence::Unknown),
            category: own.category.or(h.category).value(),
            abuse: own.abuse.or(h.abuse).value(),
            actor: own.actor.or(h.actor).value(),
            concepts,
            created: own.lastmod.or(h.lastmod).value().unwrap_or(0),
            author: self.creator,
            pack: Some(self.id),
        });
        let context = own.context.or(h.context);
        if let Some(context) = context.value()
            && let Err(message) = apply_context(&mut tag, context)
        {
            errors.add(PackError::new(
                at.field("context"),
                Some(context.line()),
                message,
            ));
            return;
        }
        batch.entries.push(PackEntry { node: node_id, tag });
    }
}
