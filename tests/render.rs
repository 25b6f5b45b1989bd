//! The annotated export: the demo case rendered to SVG and PNG (size, content, legend, notes,
//! escaping, highlights), the canvas and the export agreeing on every node's look, the
//! transfers CSV row by row, and `caseboard render` / `caseboard export-csv` run as the binary.
//! Set `CASEBOARD_RENDER_OUT=DIR` to keep the demo pictures there for a look.

use caseboard::export::scene::{DEFAULT_WIDTH_PX, Scene};
use caseboard::export::{SceneOptions, Theme, render_png, render_svg, transfers_csv};
use caseboard::model::{
    Arrow, ArrowEnd, ArrowId, Asset, Case, Category, Chain, Cluster, ClusterId, Confidence,
    EdgeKey, Highlight, Node, NodeId, Note, NoteId, Tag, Transfer, TransferId,
};
use caseboard::sources::demo::{demo_attribution, demo_case, theft_address, victim_cold_wallet};
use resvg::usvg::roxmltree;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

/// 2025-02-22 00:00 UTC.
const EXPORTED_AT: i64 = 1_740_182_400;

/// The demo case with the demo attribution applied, a cluster, two notes, an arrow and
/// highlights: everything the export draws.
fn annotated_demo() -> Case {
    let mut case = demo_case();
    for (id, tag) in demo_attribution() {
        if case.nodes.contains_key(&id) {
            case.tags.entry(id).or_default().push(tag);
        }
    }
    let theft = theft_address();
    let victim = victim_cold_wallet();
    case.clusters.insert(
        ClusterId(1),
        Cluster {
            id: ClusterId(1),
            label: "Lazarus theft wallet".into(),
            category: Category::DprkAttributed,
            confidence: Confidence::ForensicInvestigation,
            source: "demo".into(),
            note: String::new(),
            members: BTreeSet::from([theft.clone()]),
        },
    );
    let a = &mut case.annotations;
    a.notes.insert(
        NoteId(1),
        Note {
            id: NoteId(1),
            text: "Theft address: received <all> the ETH & split it 40 ways".into(),
            anchor: Some(theft.clone()),
            position: [60.0, -160.0],
            author: "analyst".into(),
            modified: 0,
        },
    );
    a.notes.insert(
        NoteId(2),
        Note {
            id: NoteId(2),
            text: "Victim's cold wallet, drained 2025-02-21".into(),
            anchor: None,
            position: [-330.0, -260.0],
            author: String::new(),
            modified: 0,
        },
    );
    a.arrows.insert(
        ArrowId(1),
        Arrow {
            id: ArrowId(1),
            from: ArrowEnd::Note(NoteId(2)),
            to: ArrowEnd::Node(victim.clone()),
            hop: None,
        },
    );
    a.node_highlights.insert(victim.clone(), Highlight::Red);
    a.edge_highlights.insert(
        EdgeKey {
            from: victim,
            to: theft,
        },
        Highlight::Purple,
    );
    case
}

/// Keeps a rendered picture for a person to look at when `CASEBOARD_RENDER_OUT` names a folder.
fn keep(png: &[u8], name: &str) {
    if let Ok(dir) = std::env::var("CASEBOARD_RENDER_OUT") {
        std::fs::write(Path::new(&dir).join(name), png).expect("picture kept");
    }
}

fn options(width_px: u32, scale: f32) -> SceneOptions {
    SceneOptions {
        width_px,
        scale,
        theme: Theme::Paper,
        exported_at: Some(EXPORTED_AT),
    }
}

fn hex(rgb: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb[0], rgb[1], rgb[2])
}

/// Every text element's content, in document order.
fn texts(doc: &roxmltree::Document<'_>) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect()
}

fn attr_f32(node: &roxmltree::Node<'_, '_>, name: &str) -> f32 {
    node.attribute(name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} on {:?}", node.tag_name()))
}

#[test]
fn svg_of_the_demo_case_has_title_legend_notes_date_and_source() {
    let case = annotated_demo();
    let svg = render_svg(&case, &options(DEFAULT_WIDTH_PX, 1.0));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.attribute("viewBox")
            .map(|v| v.starts_with("0 0 2400 ")),
        Some(true)
    );
    assert_eq!(root.attribute("width"), Some("2400"));

    let texts = texts(&doc);
    let has = |wanted: &str| texts.iter().any(|t| t == wanted);
    assert!(has(&case.meta.title), "title in {texts:?}");
    assert!(has("Legend"));
    let legend: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("legend-entry"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(
        legend,
        ["dprk_attributed", "victim", "known to an attribution pack"],
        "the categories used, then the badge"
    );
    assert!(has("Data: demo ledger (offline, synthetic)"));
    assert!(
        texts
            .iter()
            .any(|t| t.starts_with("Exported 2025-02-22 00:00 UTC · case last changed 20")),
        "date line in {texts:?}"
    );
    assert!(has("42 nodes · 41 transfers · 1 cluster · 2 notes"));
    // Labels as the canvas shows them: the cluster named once (its members show their
    // addresses), the notes (wrapped).
    let named = texts
        .iter()
        .filter(|t| t.contains("Lazarus theft wallet"))
        .collect::<Vec<_>>();
    assert_eq!(named, ["Lazarus theft wallet (dprk_attributed)"]);
    let note_text = texts.join(" ");
    assert!(note_text.contains("received <all> the ETH"), "{note_text}");
    assert!(note_text.contains("— analyst"));
    // Highlights and the arrow are drawn.
    assert!(svg.contains(r#"class="highlight""#));
    assert!(svg.contains(&hex(Highlight::Red.rgb())));
    assert!(svg.contains(&hex(Highlight::Purple.rgb())));
    assert_eq!(svg.matches(r#"<g class="arrow">"#).count(), 1);
    assert_eq!(svg.matches(r#"<g class="note">"#).count(), 2);
    assert_eq!(svg.matches(r#"class="anchor""#).count(), 1);
    assert_eq!(svg.matches(r#"<g class="node">"#).count(), 42);
}

#[test]
fn svg_positions_follow_the_case_layout() {
    let case = annotated_demo();
    let svg = render_svg(&case, &options(1200, 1.0));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    // Node shapes in id order, as the scene lists them; their centres keep the layout's
    // relative positions (one uniform scale and offset).
    let centres: Vec<[f32; 2]> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .filter_map(|g| {
            g.children()
                .find(|c| c.has_tag_name("circle") && c.attribute("class").is_none())
        })
        .map(|c| [attr_f32(&c, "cx"), attr_f32(&c, "cy")])
        .collect();
    let positions: Vec<[f32; 2]> = case
        .nodes
        .keys()
        .map(|id| case.layout.positions[id])
        .collect();
    assert_eq!(centres.len(), positions.len());
    let k = (centres[1][0] - centres[0][0]) / (positions[1][0] - positions[0][0]);
    assert!(k > 0.0);
    for (c, p) in centres.iter().zip(&positions) {
        let expect_x = centres[0][0] + (p[0] - positions[0][0]) * k;
        let expect_y = centres[0][1] + (p[1] - positions[0][1]) * k;
        assert!((c[0] - expect_x).abs() < 0.2 && (c[1] - expect_y).abs() < 0.2);
    }
}

#[test]
fn png_of_the_demo_case_has_the_asked_size_and_a_real_picture() {
    let case = annotated_demo();
    let svg = render_svg(&case, &options(1200, 1.5));
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let svg_height: f32 = attr_f32(&doc.root_element(), "height");
    let png = render_png(&case, &options(1200, 1.5)).expect("rendered");
    let img = image::load_from_memory(&png).expect("PNG").to_rgb8();
    assert_eq!(img.width(), 1800, "width × scale");
    assert_eq!(img.height() as f32, svg_height);
    keep(&png, "demo_export.png");

    let colours: BTreeSet<[u8; 3]> = img.pixels().map(|p| p.0).collect();
    assert!(colours.len() > 500, "{} distinct colours", colours.len());
    // The legend's category colours are painted (node fills and swatches are flat).
    for category in [Category::DprkAttributed, Category::Victim] {
        let rgb = category.rgb();
        let count = img.pixels().filter(|p| p.0 == rgb).count();
        assert!(count > 200, "{category}: {count} pixels of {rgb:?}");
    }
    // The graph area (the middle of the picture) is drawn on, not blank paper.
    let (w, h) = img.dimensions();
    let inked = (h / 4..h * 3 / 4)
        .flat_map(|y| (w / 8..w * 5 / 8).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0 != [255, 255, 255])
        .count();
    let area = (h / 2) * (w / 2);
    assert!(inked * 20 > area as usize, "{inked} of {area} pixels inked");
    // The title's dark text is in the top band.
    let title_ink = (0..h / 12)
        .flat_map(|y| (0..w / 2).map(move |x| (x, y)))
        .filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c < 80))
        .count();
    assert!(title_ink > 500, "title drawn ({title_ink} dark pixels)");
}

#[test]
fn the_dark_theme_paints_the_canvas_background() {
    let case = annotated_demo();
    let dark = SceneOptions {
        theme: Theme::Dark,
        ..options(600, 1.0)
    };
    let png = render_png(&case, &dark).expect("rendered");
    keep(&png, "demo_export_dark.png");
    let img = image::load_from_memory(&png).expect("PNG").to_rgb8();
    assert_eq!(img.width(), 600);
    assert_eq!(img.get_pixel(2, 2).0, [0x1b, 0x1d, 0x22]);
}

/// Two addresses and a transfer between them.
fn small_case() -> (Case, NodeId, NodeId) {
    let a = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
    let b = NodeId::parse("eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").expect("id");
    let mut case = Case::new("Small <case> & co", 1_740_000_000);
    for id in [&a, &b] {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
    }
    case.layout.positions.insert(a.clone(), [0.0, 0.0]);
    case.layout.positions.insert(b.clone(), [200.0, 50.0]);
    let tx = format!("0x{}", "ab".repeat(32));
    let id = TransferId::new("eth", &tx, "native");
    case.transfers.insert(
        id.clone(),
        Transfer {
            id,
            from: a.clone(),
            to: b.clone(),
            asset: Asset::native(Chain::ETHEREUM),
            amount: 123_456_789_012_345_678_901_234,
            tx_hash: tx,
            block_height: Some(21_000_000),
            time: Some(1_740_147_215),
            provenance: None,
            relation_txs: None,
            memo: None,
        },
    );
    (case, a, b)
}

#[test]
fn a_note_and_an_arrow_are_drawn_with_their_text_escaped() {
    let (mut case, a, b) = small_case();
    case.annotations.notes.insert(
        NoteId(7),
        Note {
            id: NoteId(7),
            text: "Paid <exchange> \"X\" & 'Y'\nsecond line".into(),
            anchor: Some(a.clone()),
            position: [20.0, 40.0],
            author: String::new(),
            modified: 0,
        },
    );
    case.annotations.arrows.insert(
        ArrowId(1),
        Arrow {
            id: ArrowId(1),
            from: ArrowEnd::Note(NoteId(7)),
            to: ArrowEnd::Node(b.clone()),
            hop: None,
        },
    );
    case.annotations.node_highlights.insert(b, Highlight::Green);
    let svg = render_svg(&case, &options(1200, 1.0));
    assert!(svg.contains("Paid &lt;exchange&gt; &quot;X&quot; &amp; &apos;Y&apos;"));
    assert!(!svg.contains("<exchange>"));
    assert!(svg.contains("<title>Small &lt;case&gt; &amp; co</title>"));
    let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
    let texts = texts(&doc);
    assert!(
        texts.iter().any(|t| t == "Paid <exchange> \"X\" & 'Y'"),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t == "second line"));
    assert!(texts.iter().any(|t| t == "Small <case> & co"));
    assert_eq!(svg.matches(r#"<g class="arrow">"#).count(), 1);
    // An annotation arrow is dashed with an open head, unlike a transfer.
    let arrow = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("arrow"))
        .expect("arrow");
    let line = arrow
        .children()
        .find(|n| n.has_tag_name("line"))
        .expect("arrow line");
    assert!(line.attribute("stroke-dasharray").is_some(), "dashed");
    let head = arrow
        .children()
        .find(|n| n.has_tag_name("polyline"))
        .expect("open head");
    assert_eq!(head.attribute("fill"), Some("none"));
    let halo = doc
        .descendants()
        .find(|n| n.attribute("class") == Some("highlight"))
        .expect("highlight halo");
    assert_eq!(
        halo.attribute("stroke"),
        Some(hex(Highlight::Green.rgb()).as_str())
    );
    // Nothing but ordinary characters survive, even from hostile text.
    case.meta.title = "bad\u{0}\u{1b}title\u{FFFF}".into();
    let svg = render_svg(&case, &options(1200, 1.0));
    roxmltree::Document::parse(&svg).expect("still well-formed");
    assert!(svg.contains("badtitle"));
}

#[test]
fn absurd_positions_and_texts_still_render() {
    let (mut case, a, b) = small_case();
    case.layout
        .positions
        .insert(a.clone(), [f32::MAX, -f32::MAX]);
    case.layout.positions.insert(b, [f32::NAN, f32::INFINITY]);
    case.tags.insert(
        a,
        vec![Tag::new(
            &"long label ".repeat(500),
            Category::Custom("x".repeat(300)),
            Confidence::Unknown,
            "",
        )],
    );
    case.annotations.notes.insert(
        NoteId(1),
        Note {
            id: NoteId(1),
            text: "word ".repeat(5_000) + &"0123456789".repeat(100),
            anchor: None,
            position: [f32::MAX, 0.0],
            author: "a".repeat(1_000),
            modified: 0,
        },
    );
    let png = render_png(&case, &options(800, 1.0)).expect("rendered");
    let img = image::load_from_memory(&png).expect("png");
    assert_eq!(img.width(), 800);
    assert!(img.height() < 20_000, "height {}", img.height());
}

#[test]
fn an_empty_case_still_renders() {
    let case = Case::new("", 0);
    let svg = render_svg(&case, &SceneOptions::default());
    roxmltree::Document::parse(&svg).expect("xml");
    assert!(svg.contains("Untitled case") && svg.contains("no nodes yet"));
    let png = render_png(&case, &options(400, 1.0)).expect("png");
    assert_eq!(image::load_from_memory(&png).expect("png").width(), 400);
}

#[test]
fn canvas_and_export_agree_on_every_node() {
    let case = annotated_demo();
    let scene = Scene::from_case(&case, &SceneOptions::default());
    assert_eq!(scene.nodes.len(), case.nodes.len());
    for (node, scene_node) in case.nodes.values().zip(&scene.nodes) {
        let is_tx = node.kind == caseboard::model::NodeKind::Transaction;
        let visual = caseboard::app::canvas::node_visual(&case, &node.id, is_tx);
        let [r, g, b] = scene_node.fill;
        assert_eq!(visual.fill, egui::Color32::from_rgb(r, g, b), "{}", node.id);
        assert_eq!(visual.labels().short, scene_node.label);
        assert_eq!(visual.labels().full, scene_node.full_label);
        assert_eq!(visual.tag_label, scene_node.tag_label);
        assert_eq!(visual.attributed, scene_node.badges.attributed);
        assert_eq!(scene_node.pos, case.layout.positions[&node.id]);
    }
}

#[test]
fn csv_has_exact_rows_with_human_and_base_amounts_and_tags() {
    let (mut case, a, b) = small_case();
    let address = NodeId::parse("btc:bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq").expect("id");
    let txid = "4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b";
    let tx_node = NodeId::transaction(Chain::Bitcoin, txid).expect("txid");
    case.nodes
        .insert(address.clone(), Node::address(address.clone()));
    case.nodes
        .insert(tx_node.clone(), Node::transaction(tx_node.clone()));
    let btc_id = TransferId::new("btc", txid, "in0");
    case.transfers.insert(
        btc_id.clone(),
        Transfer {
            id: btc_id,
            from: address.clone(),
            to: tx_node,
            asset: Asset::native(Chain::Bitcoin),
            amount: 150_000_000,
            tx_hash: txid.into(),
            block_height: None,
            time: None,
            provenance: None,
            relation_txs: None,
            memo: None,
        },
    );
    let usdt_tx = format!("0x{}", "cd".repeat(32));
    let usdt_id = TransferId::new("eth", &usdt_tx, "log3");
    case.transfers.insert(
        usdt_id.clone(),
        Transfer {
            id: usdt_id,
            from: b.clone(),
            to: a.clone(),
            asset: Asset::token(
                Chain::ETHEREUM,
                "USDT",
                6,
                "0xdac17f958d2ee523a2206206994597c13d831ec7",
            ),
            amount: 1,
            tx_hash: usdt_tx.clone(),
            block_height: None,
            time: Some(0),
            provenance: None,
            relation_txs: None,
            memo: None,
        },
    );
    case.tags.insert(
        a.clone(),
        vec![
            Tag::new(
                "Lazarus",
                Category::DprkAttributed,
                Confidence::Forensic,
                "r",
            ),
            Tag {
                pack: Some("fbi".into()),
                ..Tag::new(
                    "Bybit exploiter, \"TraderTraitor\"",
                    Category::DprkAttributed,
                    Confidence::AuthorityData,
                    "FBI",
                )
            },
        ],
    );
    case.tags.insert(
        b.clone(),
        vec![Tag::new(
            "=1+2",
            Category::Exchange,
            Confidence::Heuristic,
            "x",
        )],
    );
    case.clusters.insert(
        ClusterId(3),
        Cluster {
            id: ClusterId(3),
            label: "Peel chain".into(),
            category: Category::Service,
            confidence: Confidence::Heuristic,
            source: String::new(),
            note: String::new(),
            members: BTreeSet::from([address]),
        },
    );
    let csv = transfers_csv(&case).expect("csv");
    let ab = "ab".repeat(32);
    let expected = [
        "chain,tx,from,to,asset,contract,amount,amount_base_units,time,usd_value,price_date,\
         price_source,from_tags,to_tags"
            .to_owned(),
        format!(
            "Bitcoin,{txid},bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq,{txid},BTC,,1.5,150000000,,,,,Peel chain (service),"
        ),
        format!(
            "Ethereum,0x{ab},0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed,0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359,ETH,,\
             123456.789012345678901234,123456789012345678901234,2025-02-21T14:13:35Z,\
             328352530.07,2025-02-21,\"bundled daily close (Yahoo Finance via Mario-SO/ohlcv, MIT)\",\
             \"Lazarus (dprk_attributed); Bybit exploiter, \"\"TraderTraitor\"\" (dprk_attributed)\",'=1+2 (exchange)"
        ),
        format!(
            "Ethereum,{usdt_tx},0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359,0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed,USDT,\
             0xdac17f958d2ee523a2206206994597c13d831ec7,0.000001,1,1970-01-01T00:00:00Z,0.00,1970-01-01,\
             \"pinned at $1 (stablecoin, by contract)\",'=1+2 (exchange),\"Lazarus (dprk_attributed); Bybit exploiter, \"\"TraderTraitor\"\" (dprk_attributed)\""
        ),
    ];
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines, expected);
    assert!(123_456_789_012_345_678_901_234u128 > u128::from(u64::MAX));
    // Read back with a CSV reader: fourteen columns, quotes undone.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        &rows[1][12],
        "Lazarus (dprk_attributed); Bybit exploiter, \"TraderTraitor\" (dprk_attributed)"
    );
}

// --- the binary ---------------------------------------------------------------------------

fn caseboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .args(args)
        .output()
        .expect("binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

/// Width and height from a PNG's IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let word =
        |at: usize| u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    (word(16), word(20))
}

#[test]
fn cli_render_of_a_saved_demo_case_colours_it_as_the_app_does() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("demo.ron");
    let out = caseboard(&["demo", "-o", path_str(&case)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let before = std::fs::read(&case).expect("read");
    let svg_out = dir.path().join("demo.svg");
    let out = caseboard(&["render", path_str(&case), "-o", path_str(&svg_out)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg_out).expect("svg written");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let legend: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("legend-entry"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    assert!(legend.iter().any(|l| l == "dprk_attributed"), "{legend:?}");
    assert!(legend.iter().any(|l| l == "victim"), "{legend:?}");
    assert!(svg.contains(r#"class="glyph""#), "category glyphs drawn");
    assert_eq!(
        std::fs::read(&case).expect("read"),
        before,
        "file unchanged"
    );
}

#[test]
fn cli_renders_svg_and_png_and_refuses_other_extensions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("demo.ron");
    caseboard::case_file::save(&annotated_demo(), &case).expect("saved");

    let svg_out = dir.path().join("demo.svg");
    let out = caseboard(&["render", path_str(&case), "-o", path_str(&svg_out)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&svg_out).expect("svg written");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    assert_eq!(doc.root_element().attribute("width"), Some("2400"));
    assert!(svg.contains("Demo: DPRK-style laundering walkthrough (synthetic)"));
    assert!(svg.contains("Exported "), "the CLI stamps the export time");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&svg_out)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644, "an export is readable by others");
    }

    let png_out = dir.path().join("demo.PNG");
    let out = caseboard(&[
        "render",
        path_str(&case),
        "-o",
        path_str(&png_out),
        "--width",
        "1000",
        "--scale",
        "2",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (w, h) = png_size(&std::fs::read(&png_out).expect("png written"));
    assert_eq!(w, 2000);
    assert!(h > 600, "height {h}");

    let bad = dir.path().join("demo.jpg");
    let out = caseboard(&["render", path_str(&case), "-o", path_str(&bad)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(".svg or .png"), "{}", stderr(&out));
    assert!(!bad.exists());

    let out = caseboard(&[
        "render",
        path_str(&case),
        "-o",
        path_str(&svg_out),
        "--width",
        "5",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--width"));
    let out = caseboard(&[
        "render",
        path_str(&case),
        "-o",
        path_str(&svg_out),
        "--scale",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let missing = dir.path().join("missing.ron");
    let out = caseboard(&["render", path_str(&missing), "-o", path_str(&svg_out)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn cli_render_honours_the_filter_options_and_says_what_they_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let case = dir.path().join("demo.ron");
    caseboard::case_file::save(&annotated_demo(), &case).expect("saved");
    let all = dir.path().join("all.svg");
    let out = caseboard(&["render", path_str(&case), "-o", path_str(&all)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let all = std::fs::read_to_string(&all).expect("svg");
    assert!(!all.contains("Filtered"), "no filter, no filter line");

    let big = dir.path().join("big.svg");
    let out = caseboard(&[
        "render",
        path_str(&case),
        "-o",
        path_str(&big),
        "--min-usd",
        "30,000,000",
        "--since",
        "2025-02-21",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("filtered: since 2025-02-21 · edges ≥ $30,000,000"));
    let big = std::fs::read_to_string(&big).expect("svg");
    // Only the 401,346 ETH drain (≈ $1.07B on 2025-02-21) passes $30M.
    assert!(
        big.contains("Filtered (since 2025-02-21 · edges ≥ $30,000,000)"),
        "the picture says it is filtered"
    );
    let lines = |svg: &str| svg.matches("<line").count();
    assert!(lines(&big) < lines(&all), "fewer edges drawn");

    for (flag, value) in [
        ("--since", "21/02/2025"),
        ("--until", "2025-02-30"),
        ("--min-usd", "lots"),
    ] {
        let out_path = dir.path().join("bad.svg");
        let out = caseboard(&[
            "render",
            path_str(&case),
            "-o",
            path_str(&out_path),
            flag,
            value,
        ]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&out).contains(flag), "{}", stderr(&out));
        assert!(!out_path.exists());
    }
}

#[test]
fn cli_render_lays_out_a_case_without_positions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (mut case, _, _) = small_case();
    case.layout.positions.clear();
    let file = dir.path().join("flat.ron");
    caseboard::case_file::save(&case, &file).expect("saved");
    let out_file = dir.path().join("flat.svg");
    let out = caseboard(&["render", path_str(&file), "-o", path_str(&out_file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let svg = std::fs::read_to_string(&out_file).expect("svg");
    let doc = roxmltree::Document::parse(&svg).expect("xml");
    let centres: BTreeSet<(i64, i64)> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("circle")
                && n.parent().and_then(|p| p.attribute("class")) == Some("node")
        })
        .map(|c| (attr_f32(&c, "cx") as i64, attr_f32(&c, "cy") as i64))
        .collect();
    assert_eq!(centres.len(), 2, "two nodes at two places: {centres:?}");
}

#[test]
fn cli_export_csv_writes_the_transfers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (case, _, _) = small_case();
    let file = dir.path().join("small.ron");
    caseboard::case_file::save(&case, &file).expect("saved");
    let out_file = dir.path().join("transfers.csv");
    let out = caseboard(&["export-csv", path_str(&file), "-o", path_str(&out_file)]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(&out_file).expect("csv");
    let ab = "ab".repeat(32);
    assert_eq!(
        csv,
        format!(
            "chain,tx,from,to,asset,contract,amount,amount_base_units,time,usd_value,price_date,\
             price_source,from_tags,to_tags\n\
             Ethereum,0x{ab},0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed,0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359,\
             ETH,,123456.789012345678901234,123456789012345678901234,2025-02-21T14:13:35Z,\
             328352530.07,2025-02-21,\"bundled daily close (Yahoo Finance via Mario-SO/ohlcv, MIT)\",,\n"
        )
    );
    let missing = dir.path().join("missing.ron");
    let out = caseboard(&["export-csv", path_str(&missing), "-o", path_str(&out_file)]);
    assert_eq!(out.status.code(), Some(2));
}

/// Per-channel differences between two pictures of the same size: the share of pixels that
/// differ by more than `tolerance` in some channel, and the mean absolute difference.
fn difference(a: &image::RgbaImage, b: &image::RgbaImage, tolerance: u8) -> (f64, f64) {
    assert_eq!(a.dimensions(), b.dimensions());
    let (mut off, mut total) = (0usize, 0u64);
    for (p, q) in a.pixels().zip(b.pixels()) {
        let d = p.0.iter().zip(q.0).map(|(x, y)| x.abs_diff(y));
        let worst = d.clone().max().unwrap_or(0);
        total += d.map(u64::from).sum::<u64>();
        if worst > tolerance {
            off += 1;
        }
    }
    let pixels = f64::from(a.width()) * f64::from(a.height());
    (off as f64 / pixels, total as f64 / (pixels * 4.0))
}

#[test]
fn the_png_painted_directly_matches_the_svg_painted_by_resvg() {
    // Everything the body draws: hulls, highlighted nodes and edges, glyphs, pack badges, a
    // conflict mark and a pinned dot, in both themes, at a scale that is not 1.
    let mut case = annotated_demo();
    let theft = theft_address();
    let mut exchange = Tag::new(
        "An exchange, says another pack",
        Category::Exchange,
        Confidence::AuthorityData,
        "https://example.org",
    );
    exchange.pack = Some("other".into());
    case.tags.entry(theft.clone()).or_default().push(exchange);
    case.layout.pinned.insert(victim_cold_wallet());
    for theme in [Theme::Paper, Theme::Dark] {
        let opts = SceneOptions {
            theme,
            ..options(1200, 1.5)
        };
        let svg = render_svg(&case, &opts);
        assert!(svg.contains("class=\"glyph\""), "glyphs in the picture");
        let through_svg = caseboard::export::raster::svg_to_png(&svg).expect("via svg");
        let direct = render_png(&case, &opts).expect("direct");
        keep(&direct, &format!("demo_direct_{theme:?}.png"));
        let a = image::load_from_memory(&through_svg)
            .expect("png")
            .to_rgba8();
        let b = image::load_from_memory(&direct).expect("png").to_rgba8();
        let (off, mean) = difference(&a, &b, 32);
        eprintln!(
            "{theme:?}: {:.4} % of pixels off by > 32, mean difference {mean:.4}",
            off * 100.0
        );
        assert!(
            off < 0.002 && mean < 0.5,
            "{theme:?}: {:.3} % of pixels differ by more than 32, mean difference {mean:.3}",
            off * 100.0
        );
    }
}
