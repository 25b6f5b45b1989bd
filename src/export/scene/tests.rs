//! Tests of the scene: styles, widths, labels, legend, dates and the footer.

use super::*;
use crate::analysis::flows::Flow;
use crate::model::{Annotations, Chain, Highlight, Note, Tag};
use crate::prices::USD_SCALE;

fn id(text: &str) -> NodeId {
    NodeId::parse(text).expect("valid id")
}

#[test]
fn flow_width_grows_with_usd_on_a_log_scale_or_with_the_assets_own_scale() {
    let flow = |amount: u128, usd: Option<u128>| Flow {
        from: id("eth:0x1111111111111111111111111111111111111111"),
        to: id("eth:0x2222222222222222222222222222222222222222"),
        asset: crate::model::Asset::native(Chain::ETHEREUM),
        amount,
        usd: usd.map(|dollars| crate::prices::Usd(dollars * USD_SCALE)),
        unpriced: 0,
        first_time: None,
        last_time: None,
        transfers: Vec::new(),
    };
    assert_eq!(flow_width(&flow(1, Some(50)), 0), 1.0, "$50");
    assert!(
        (flow_width(&flow(1, Some(26_500_000)), 0) - 5.2).abs() < 1e-6,
        "$26.5M: 8 digits"
    );
    assert_eq!(flow_width(&flow(1, Some(u128::MAX / USD_SCALE)), 0), 7.0);
    // Unpriced: the asset's largest flow is 5 wide, a thousandth of it 2.
    assert_eq!(flow_width(&flow(10u128.pow(21), None), 10u128.pow(21)), 5.0);
    assert_eq!(flow_width(&flow(10u128.pow(18), None), 10u128.pow(21)), 2.0);
    assert_eq!(flow_width(&flow(1, None), u128::MAX), 1.0);
}

#[test]
fn source_label_keeps_only_the_host() {
    let rpc = SourceConfig::EvmRpc {
        url: "https://user:pw@mainnet.example.io/v3/0123456789abcdef?apikey=SECRET".into(),
    };
    assert_eq!(source_label(&rpc), "Ethereum RPC (mainnet.example.io)");
    let esplora = SourceConfig::Esplora {
        url: "http://127.0.0.1:3000/api".into(),
    };
    assert_eq!(source_label(&esplora), "Esplora (127.0.0.1:3000)");
    assert_eq!(
        source_label(&SourceConfig::Demo),
        "demo ledger (offline, synthetic)"
    );
    assert_eq!(
        source_label(&SourceConfig::EvmRpc { url: String::new() }),
        "Ethereum RPC"
    );
}

#[test]
fn scene_collects_styles_annotations_and_legend() {
    let a = id("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    let b = id("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359");
    let mut case = Case::new("T", 0);
    for n in [&a, &b] {
        case.nodes
            .insert(n.clone(), crate::model::Node::address(n.clone()));
    }
    case.layout.positions.insert(a.clone(), [0.0, 0.0]);
    case.layout.positions.insert(b.clone(), [100.0, f32::NAN]);
    case.tags.insert(
        a.clone(),
        vec![Tag::new(
            "Mixer One",
            Category::Mixer,
            crate::model::Confidence::Heuristic,
            "test",
        )],
    );
    let mut annotations = Annotations::default();
    annotations
        .node_highlights
        .insert(b.clone(), Highlight::Red);
    annotations.notes.insert(
        NoteId(1),
        Note {
            id: NoteId(1),
            text: "look".into(),
            anchor: Some(a.clone()),
            position: [10.0, -40.0],
            author: String::new(),
            modified: 0,
        },
    );
    case.annotations = annotations;
    let scene = Scene::from_case(&case, &SceneOptions::default());
    assert_eq!(scene.nodes.len(), 2);
    assert_eq!(scene.nodes[0].fill, Category::Mixer.rgb());
    // EVM addresses are shown checksummed (EIP-55), ids stay lower-case.
    assert_eq!(scene.nodes[0].label, "0x5aAe…eAed · Mixer One");
    assert_eq!(
        scene.nodes[0].full_label,
        "eth:0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed · Mixer One"
    );
    assert_eq!(scene.nodes[0].id, a);
    assert_eq!(scene.nodes[1].pos, [100.0, 0.0], "NaN becomes 0");
    assert_eq!(scene.nodes[1].highlight, Some(Highlight::Red.rgb()));
    assert_eq!(scene.notes[0].pos, [10.0, -40.0]);
    assert_eq!(scene.notes[0].anchor, Some(([0.0, 0.0], ADDRESS_RADIUS)));
    let labels: Vec<&str> = scene.legend.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["mixer", "untagged address"]);
    assert_eq!(scene.bounds.min, [-ADDRESS_RADIUS, -40.0]);
    assert_eq!(scene.summary_line, "2 nodes · 0 transfers · 1 note");
    assert_eq!(scene.date_line, "");
}

#[test]
fn dates_are_utc_minutes() {
    assert_eq!(utc_minute(0).as_deref(), Some("1970-01-01 00:00 UTC"));
    assert_eq!(utc_minute(i64::MAX), None);
}

/// The footer names the case's last change, not its creation.
#[test]
fn the_footer_says_when_the_case_last_changed() {
    let mut case = Case::new("T", 1_700_000_000);
    case.record("", 1_750_000_000, "expand x");
    let options = SceneOptions {
        exported_at: Some(1_760_000_000),
        ..SceneOptions::default()
    };
    let scene = Scene::from_case(&case, &options);
    assert_eq!(
        scene.date_line,
        "Exported 2025-10-09 08:53 UTC · case last changed 2025-06-15 15:06 UTC"
    );
}
