//! PNG export of big cases (issue 17, item 1), each run in a fresh child process doing what
//! `caseboard render CASE.ron -o OUT.png` does: read the case file, build the scene, paint,
//! encode, write. Reports the child's wall seconds, CPU seconds (all threads) and peak resident
//! memory (VmHWM). The baseline is the way the PNG was made before: the whole picture as one
//! SVG document painted by resvg (which refuses documents of over a million elements).

use super::settle::cpu_secs;
use std::path::Path;
use std::time::Instant;

/// How the child paints.
#[derive(Clone, Copy)]
pub enum Painting {
    /// `export::render_png`: the graph painted directly, the rest through a small SVG.
    Direct,
    /// The whole picture as an SVG document, painted by resvg.
    ThroughSvg,
}

impl Painting {
    fn arg(self) -> &'static str {
        match self {
            Painting::Direct => "direct",
            Painting::ThroughSvg => "svg",
        }
    }
}

/// What one child run measured.
pub struct ExportRun {
    pub wall_s: f64,
    pub cpu_s: f64,
    pub peak_mib: f64,
    /// The child's error, if the export failed.
    pub error: Option<String>,
}

fn peak_kib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

/// Child-process mode: exports `case_path` to `out_path` as PNG and prints
/// `wall_s cpu_s peak_kib`, or `error MESSAGE`.
pub fn export_probe(painting: &str, case_path: &str, out_path: &str) {
    let t = Instant::now();
    let case = caseboard::case_file::load(Path::new(case_path)).expect("case loads");
    let loaded_s = t.elapsed().as_secs_f64();
    let options = caseboard::export::SceneOptions::default();
    let png = if painting == "svg" {
        caseboard::export::raster::svg_to_png(&caseboard::export::render_svg(&case, &options))
    } else {
        let scene = caseboard::export::Scene::from_case(&case, &options);
        let scene_s = t.elapsed().as_secs_f64();
        let png = caseboard::export::raster::scene_to_png(&scene, &options);
        eprintln!(
            "    load {loaded_s:.2} s, scene {:.2} s, paint and encode {:.2} s",
            scene_s - loaded_s,
            t.elapsed().as_secs_f64() - scene_s
        );
        png
    };
    match png {
        Ok(bytes) => {
            caseboard::export::write_bytes_atomic(Path::new(out_path), &bytes).expect("written");
            println!(
                "{} {} {}",
                t.elapsed().as_secs_f64(),
                cpu_secs(),
                peak_kib()
            );
        }
        Err(e) => println!("error {e}"),
    }
}

/// Runs one export of the case file at `case_path` in a fresh process.
pub fn export_png(case_path: &Path, painting: Painting) -> ExportRun {
    let exe = std::env::current_exe().expect("bench binary path");
    let out_path = case_path.with_extension("png");
    let out = std::process::Command::new(exe)
        .args([
            "--bench",
            "--export-probe",
            painting.arg(),
            case_path.to_str().expect("utf8 path"),
            out_path.to_str().expect("utf8 path"),
        ])
        .output()
        .expect("probe runs");
    let _ = std::fs::remove_file(&out_path);
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if let Some(message) = text.strip_prefix("error ") {
        return ExportRun {
            wall_s: f64::NAN,
            cpu_s: f64::NAN,
            peak_mib: f64::NAN,
            error: Some(message.to_owned()),
        };
    }
    let values: Vec<f64> = text
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    if values.len() != 3 {
        return ExportRun {
            wall_s: f64::NAN,
            cpu_s: f64::NAN,
            peak_mib: f64::NAN,
            error: Some(format!(
                "child said {text:?}; stderr {}",
                String::from_utf8_lossy(&out.stderr)
                    .lines()
                    .last()
                    .unwrap_or_default()
            )),
        };
    }
    ExportRun {
        wall_s: values[0],
        cpu_s: values[1],
        peak_mib: values[2] / 1024.0,
        error: None,
    }
}
