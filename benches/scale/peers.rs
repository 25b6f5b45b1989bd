//! Layout peers outside Rust (issue 17, item 4): igraph's grid Fruchterman–Reingold (C, through
//! python-igraph) and ForceAtlas2 (fa2_modified, Cython), run by `benches/peers/layout_peers.py`
//! on the very graphs and start positions this bench writes. `bash benches/peers/run.sh`
//! installs them into a venv under the ignored `.tools/py`, runs the script and leaves
//! `target/bench/peers.json` (per engine and size: milliseconds per iteration, the threads it
//! ran on, and where the positions after its quality run are); the next `cargo bench --bench
//! scale` reads it back and puts the peers beside ours, their quality measured with our metrics.

use serde::Deserialize;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where the graphs and the peers' answers live.
pub fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench")
}

/// Writes `graphs/graph_<n>.txt`: `n m`, then `x y` per node (the start positions every engine
/// starts from), then `a b` per (undirected, distinct) edge.
pub fn write_graph(n: usize, positions: &[[f32; 2]], edges: &[(u32, u32)]) -> std::io::Result<()> {
    let graphs = dir().join("graphs");
    std::fs::create_dir_all(&graphs)?;
    let file = std::fs::File::create(graphs.join(format!("graph_{n}.txt")))?;
    let mut out = std::io::BufWriter::new(file);
    writeln!(out, "{} {}", positions.len(), edges.len())?;
    for p in positions {
        writeln!(out, "{} {}", p[0], p[1])?;
    }
    for (a, b) in edges {
        writeln!(out, "{a} {b}")?;
    }
    out.flush()
}

/// One peer run as `peers.json` records it.
#[derive(Debug, Deserialize)]
pub struct PeerRun {
    /// "igraph grid FR", "fa2_modified θ0.9" …
    pub engine: String,
    pub nodes: usize,
    /// Median milliseconds per iteration.
    pub iter_ms: f64,
    /// Threads it ran on (both peers are single-threaded).
    pub threads: usize,
    /// Iterations of the quality run.
    pub quality_iterations: usize,
    /// The positions after the quality run (`x y` per node), relative to `target/bench`.
    pub positions_file: String,
}

/// The peers' runs, if `run.sh` left them.
pub fn read_runs() -> Vec<PeerRun> {
    let path = dir().join("peers.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "no {}: run `bash benches/peers/run.sh` for igraph and fa2 beside ours",
            path.display()
        );
        return Vec::new();
    };
    serde_json::from_str(&text).unwrap_or_else(|e| {
        eprintln!("{}: {e}", path.display());
        Vec::new()
    })
}

/// The positions a peer left.
pub fn read_positions(file: &str) -> Option<Vec<[f32; 2]>> {
    let text = std::fs::read_to_string(Path::new(&dir()).join(file)).ok()?;
    text.lines()
        .map(|line| {
            let mut parts = line.split_whitespace().map(str::parse::<f32>);
            Some([parts.next()?.ok()?, parts.next()?.ok()?])
        })
        .collect()
}
