//! What applying or dismissing a finding does to the case, as one [`Action`] (so it goes
//! through the door, is undoable and lands in the history with the method and version).
//!
//! Applying highlights the evidence (nodes and the edges of its transfers, one colour per
//! family of kinds) and pins a note with the finding's summary, method and confidence to its
//! subject. Some kinds also leave a judgement: a CoinJoin tags its transaction as a mixer
//! (confidence `heuristic`), a change output is tagged as change, a co-spend cluster
//! becomes a cluster of its addresses not already in one, and a bridge hop becomes a **hop
//! arrow** from the depositor to the recipient on the other chain (an arrow carrying the
//! deposit and payout, [`HopEvidence`]), which paths and taint cross. Dismissing records the fingerprint.

use super::{Finding, FindingKind};
use crate::model::action::HighlightTarget;
use crate::model::{
    Action, Arrow, ArrowEnd, Case, Category, Cluster, Confidence, Dismissal, EdgeKey, Highlight,
    HopEvidence, Note, Tag,
};
use std::collections::BTreeSet;

/// Most evidence nodes and edges highlighted by one application (a big fan-out stays usable).
const MAX_HIGHLIGHTS: usize = 2_000;

/// The highlight colour of a kind.
pub fn highlight_of(kind: FindingKind) -> Highlight {
    match kind {
        FindingKind::FanOut | FindingKind::PeelChain | FindingKind::PassThrough => Highlight::Red,
        FindingKind::MixerDeposit | FindingKind::MixerWithdrawal | FindingKind::CoinJoin => {
            Highlight::Purple
        }
        FindingKind::SwapHop | FindingKind::BridgeHop => Highlight::Yellow,
        FindingKind::Consolidation | FindingKind::CoSpend | FindingKind::Change => Highlight::Blue,
    }
}

/// The action that applies `finding` to `case` (by `author` at `now`); `None` when none of
/// its evidence is in the case any more.
pub fn apply_action(case: &Case, finding: &Finding, author: &str, now: i64) -> Option<Action> {
    let subject = finding.nodes.iter().find(|n| case.nodes.contains_key(*n))?;
    let color = highlight_of(finding.kind);
    let mut actions = Vec::new();
    for node in finding
        .nodes
        .iter()
        .filter(|n| case.nodes.contains_key(*n))
        .take(MAX_HIGHLIGHTS)
    {
        actions.push(Action::SetHighlight {
            target: HighlightTarget::Node(node.clone()),
            color: Some(color),
        });
    }
    let mut edges = BTreeSet::new();
    for id in &finding.transfers {
        if let Some(t) = case.transfers.get(id) {
            edges.insert(EdgeKey {
                from: t.from.clone(),
                to: t.to.clone(),
            });
        }
    }
    for edge in edges.into_iter().take(MAX_HIGHLIGHTS) {
        actions.push(Action::SetHighlight {
            target: HighlightTarget::Edge(edge),
            color: Some(color),
        });
    }
    let note_id = case.annotations.next_note_id();
    actions.push(Action::SetNote {
        id: note_id,
        note: Some(Note {
            id: note_id,
            text: format!(
                "{} ({}, confidence {}): {}",
                finding.kind.title(),
                finding.method,
                finding.confidence,
                finding.summary
            ),
            anchor: Some(subject.clone()),
            position: [40.0, -50.0],
            author: author.to_owned(),
            modified: now,
        }),
    });
    actions.extend(judgement(case, finding, author, now));
    Some(Action::Batch {
        label: format!("apply finding {}: {}", finding.method, finding.summary),
        actions,
    })
}

/// The tag or cluster some kinds leave.
fn judgement(case: &Case, finding: &Finding, author: &str, now: i64) -> Option<Action> {
    let tag = |label: String, category: Category| {
        let mut tag = Tag::new(&label, category, Confidence::Heuristic, finding.method);
        tag.author = author.to_owned();
        tag.created = now;
        tag.note = finding.summary.clone();
        tag
    };
    let add_tag = |node: &crate::model::NodeId, new: Tag| {
        let mut tags = case.tags.get(node).cloned().unwrap_or_default();
        tags.push(new);
        Action::SetTags {
            label: format!("tag {node} ({})", finding.method),
            entries: vec![(node.clone(), tags)],
        }
    };
    match finding.kind {
        FindingKind::CoinJoin => {
            let tx = finding
                .nodes
                .first()
                .filter(|n| case.nodes.contains_key(*n))?;
            Some(add_tag(tx, tag("CoinJoin".into(), Category::Mixer)))
        }
        FindingKind::Change => {
            let output = finding
                .nodes
                .get(1)
                .filter(|n| case.nodes.contains_key(*n))?;
            Some(add_tag(output, tag("change".into(), Category::Unknown)))
        }
        FindingKind::CoSpend => {
            let members: BTreeSet<_> = finding
                .nodes
                .iter()
                .filter(|n| case.nodes.contains_key(*n) && case.cluster_of(n).is_none())
                .cloned()
                .collect();
            if members.len() < 2 {
                return None;
            }
            let id = case.next_cluster_id();
            Some(Action::CreateCluster(Cluster {
                id,
                label: format!("co-spend cluster {}", id.0),
                category: Category::Unknown,
                confidence: Confidence::Heuristic,
                source: finding.method.to_owned(),
                note: finding.summary.clone(),
                members,
            }))
        }
        FindingKind::BridgeHop => {
            let ([depositor, .., recipient], [deposit, payout]) =
                (finding.nodes.as_slice(), finding.transfers.as_slice())
            else {
                return None;
            };
            let hop = HopEvidence {
                deposit: deposit.clone(),
                payout: payout.clone(),
                method: finding.method.to_owned(),
            };
            let known = case.annotations.arrows.values().any(|a| {
                a.hop
                    .as_ref()
                    .is_some_and(|h| h.deposit == hop.deposit && h.payout == hop.payout)
            });
            if known || !case.nodes.contains_key(depositor) || !case.nodes.contains_key(recipient) {
                return None;
            }
            let id = case.annotations.next_arrow_id();
            Some(Action::SetArrow {
                id,
                arrow: Some(Arrow {
                    id,
                    from: ArrowEnd::Node(depositor.clone()),
                    to: ArrowEnd::Node(recipient.clone()),
                    hop: Some(hop),
                }),
            })
        }
        _ => None,
    }
}

/// The action that dismisses `finding`.
pub fn dismiss_action(finding: &Finding, author: &str, now: i64) -> Action {
    Action::SetDismissal {
        fingerprint: finding.fingerprint(),
        dismissal: Some(Dismissal {
            method: finding.method.to_owned(),
            summary: finding.summary.clone(),
            by: author.to_owned(),
            at: now,
        }),
    }
}
