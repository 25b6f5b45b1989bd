//! Attribution benchmark: loading 1,000,000-address packs and matching an expansion.
//!
//! `cargo bench --bench attribution` generates a CSV pack and a TagPack YAML of 1,000,000
//! addresses each (half Ethereum in EIP-55 mixed case, a quarter P2PKH, a quarter bech32, so
//! every checksum is verified), then times, as the median of several runs: parsing each pack,
//! building the index from both, and `flag_fragment` on a 1,000-node expansion of which 100
//! nodes are in the packs. Budgets: a pack loads in under 2 s, an expansion matches in under
//! 5 ms. Prints a table and writes `target/bench/attribution.json`.

use caseboard::attribution::{AttributionIndex, flag_fragment, parse_tagpack_yaml, parse_tags_csv};
use caseboard::model::address::{encode_eth, encode_p2pkh, encode_p2wpkh, parse_address, to_eip55};
use caseboard::model::{Fragment, Node, NodeId};
use std::hint::black_box;
use std::time::{Duration, Instant};

const ADDRESSES: usize = 1_000_000;
const EXPANSION: usize = 1_000;

/// A deterministic pseudo-random stream (xorshift).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn bytes<const N: usize>(&mut self) -> [u8; N] {
        std::array::from_fn(|_| self.next() as u8)
    }
}

/// Address `i` of the generated packs and its chain name.
fn address(rng: &mut Rng, i: usize) -> (String, &'static str) {
    match i % 4 {
        0 | 1 => (to_eip55(&encode_eth(&rng.bytes())).expect("valid"), "ETH"),
        2 => (encode_p2pkh(&rng.bytes()), "BTC"),
        _ => (encode_p2wpkh(&rng.bytes()), "BTC"),
    }
}

fn addresses(seed: u64) -> Vec<(String, &'static str)> {
    let mut rng = Rng(seed);
    (0..ADDRESSES).map(|i| address(&mut rng, i)).collect()
}

fn csv_pack(addresses: &[(String, &str)]) -> String {
    let mut text = String::from(
        "# title: Generated\n# creator: bench\naddress,chain,label,category,confidence,source\n",
    );
    for (i, (address, chain)) in addresses.iter().enumerate() {
        text.push_str(&format!(
            "{address},{chain},Label {i},exchange,service_data,https://example.org/{}\n",
            i % 1000
        ));
    }
    text
}

fn yaml_pack(addresses: &[(String, &str)]) -> String {
    let mut text = String::from(
        "title: Generated\ncreator: bench\nsource: https://example.org\nlastmod: 2025-03-01\n\
         category: exchange\nconfidence: service_data\ntags:\n",
    );
    for (i, (address, chain)) in addresses.iter().enumerate() {
        text.push_str(&format!(
            "- address: '{address}'\n  currency: {chain}\n  label: Label {i}\n"
        ));
    }
    text
}

/// Median of `runs` timings of `f`.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

/// Median of `runs` timings of `f`, not counting the drop of its result.
fn median_dropped<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            let value = black_box(f());
            let elapsed = start.elapsed();
            drop(value);
            elapsed
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    // `cargo test --all-targets` runs this binary without `--bench`: then only check that
    // it starts, and leave the timing to `cargo bench --bench attribution`.
    if !std::env::args().any(|a| a == "--bench") {
        println!("attribution bench: skipped (run `cargo bench --bench attribution`)");
        return;
    }
    // Two packs of different addresses, sharing one in a hundred.
    let addresses = addresses(0x9e37_79b9_7f4a_7c15);
    let mut others = self::addresses(0x2545_f491_4f6c_dd1d);
    for i in (0..ADDRESSES).step_by(100) {
        others[i] = addresses[i].clone();
    }
    let csv = csv_pack(&addresses);
    let yaml = yaml_pack(&others);

    let csv_time = median_dropped(5, || {
        parse_tags_csv(&csv, "generated.csv").expect("valid pack")
    });
    let yaml_time = median_dropped(5, || {
        parse_tagpack_yaml(&yaml, "generated.yaml").expect("valid pack")
    });
    let csv_pack = parse_tags_csv(&csv, "generated.csv").expect("valid pack");
    let yaml_pack = parse_tagpack_yaml(&yaml, "generated.yaml").expect("valid pack");
    assert_eq!(csv_pack.entries.len(), ADDRESSES);
    assert_eq!(yaml_pack.entries.len(), ADDRESSES);
    let packs = [csv_pack, yaml_pack];
    let index_time = median_dropped(5, || AttributionIndex::build(&packs));
    let index = AttributionIndex::build(&packs);

    // A 1,000-node expansion: 100 nodes in the packs (every 10th), 900 fresh addresses.
    let tagged_nodes = index.len();
    let mut rng = Rng(42);
    let nodes: Vec<Node> = (0..EXPANSION)
        .map(|i| {
            let address = if i % 10 == 0 {
                addresses[i * 997 % ADDRESSES].0.clone()
            } else {
                address(&mut rng, i).0
            };
            Node::address(NodeId::for_address(
                &parse_address(&address).expect("valid"),
            ))
        })
        .collect();
    let fragment = Fragment {
        nodes,
        ..Fragment::default()
    };
    let flag_time = median(101, || {
        let mut fragment = fragment.clone();
        flag_fragment(&index, &mut fragment);
        fragment
    });
    let clone_time = median(101, || fragment.clone());
    let mut flagged = fragment.clone();
    flag_fragment(&index, &mut flagged);
    assert_eq!(flagged.tags.len(), EXPANSION / 10);

    let rows = [
        ("parse CSV pack, 1,000,000 addresses", csv_time, 5, 2000.0),
        (
            "parse TagPack YAML, 1,000,000 addresses",
            yaml_time,
            5,
            2000.0,
        ),
        (
            "build index of both packs (2,000,000 tags)",
            index_time,
            5,
            f64::NAN,
        ),
        (
            "flag_fragment, 1,000 nodes (100 hits)",
            flag_time.saturating_sub(clone_time),
            101,
            5.0,
        ),
    ];
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "attribution benchmark (median; {cores} cores; CSV {} MB, YAML {} MB; index: {tagged_nodes} nodes)",
        csv.len() >> 20,
        yaml.len() >> 20
    );
    println!(
        "{:<44} {:>12} {:>6} {:>10}",
        "case", "median ms", "runs", "budget ms"
    );
    let mut json = Vec::new();
    for (name, time, runs, budget) in rows {
        let budget_text = if budget.is_nan() {
            "-".to_owned()
        } else {
            format!("{budget:.0}")
        };
        println!("{name:<44} {:>12.3} {runs:>6} {budget_text:>10}", ms(time));
        json.push(format!(
            "    {{\"case\": \"{name}\", \"median_ms\": {:.3}, \"runs\": {runs}, \"budget_ms\": {}}}",
            ms(time),
            if budget.is_nan() { "null".to_owned() } else { format!("{budget:.0}") }
        ));
    }
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".to_owned());
    let dir = std::path::Path::new(&target).join("bench");
    let path = dir.join("attribution.json");
    let body = format!(
        "{{\n  \"bench\": \"attribution\",\n  \"cores\": {cores},\n  \"results\": [\n{}\n  ]\n}}\n",
        json.join(",\n")
    );
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, body)) {
        Ok(()) => println!("wrote {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
}
