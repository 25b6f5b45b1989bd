//! The GraphSense REST API for tests: Prism (Stoplight) mocking it from its OpenAPI spec
//! (`tests/fixtures/graphsense/openapi-1.15.5.yaml`, see its `SOURCE.md`), started on a free
//! loopback port and killed (with any children) when dropped.
//!
//! ```ignore
//! let prism = Prism::start();              // panics with a clear message if Prism is missing
//! let answer = client_against(prism.url()).neighbors(…);
//! prism.assert_no_errors();                 // no request broke the spec
//! ```
//!
//! * The binary is `$PRISM_BIN`, else `.tools/node_modules/.bin/prism` under the crate (installed
//!   by `.ci/run`, or by hand with [`INSTALL_COMMAND`]; it needs `node` on the PATH). A missing
//!   binary fails the test (in CI and locally alike): a missing tool is a failure, not a skip.
//! * Prism is started with `-p 0`; the port is read from its `Prism is listening on http://…`
//!   line (about 2–4 s after the start on a busy 2-core machine), then a TCP connect is tried
//!   (both bounded by [`START_TIMEOUT`]). Its stdout and stderr are drained on threads into a
//!   buffer that [`Prism::log`], [`Prism::errors`] and [`Prism::requests`] read.
//! * Every mode runs with `--errors`. A request the spec forbids (bad `direction`, `pagesize`
//!   < 1 or not an integer, a missing required parameter, a non-integer entity id) is answered
//!   422 `application/problem+json` (`validation[].message` says why) in every mode; an unknown
//!   path 404 problem+json. Unknown query parameters are NOT reported, nor a missing API key (the
//!   spec declares no security scheme). An answer Prism builds that breaks the schema is answered
//!   500 problem+json (`#VIOLATIONS`, also listed in the `sl-violations` header).
//! * [`Prism::start`] (dynamic, seeded, [`DYNAMIC`]) answers 200 on every GraphSense endpoint with
//!   schema-valid but meaningless data: lorem-ipsum strings for addresses and currencies, random
//!   (often negative) int32 counts and entity ids, fiat values up to ±3.4e38, and always a
//!   `next_page`, so a client that follows it never stops (the seed makes every answer of an
//!   endpoint the same, whatever the `page`). [`Prism::start_static`] ([`STATIC`]) serves the
//!   spec's examples, several of which are malformed: address, entity, neighbour, entity-address
//!   and tag endpoints then answer 500; `/stats` and `…/links` answer 200.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

/// The command that installs the test tools (one command for all: `--no-save` removes from
/// `.tools` whatever the command does not name).
pub const INSTALL_COMMAND: &str = "npm install --prefix .tools --no-save --no-audit --no-fund @foundry-rs/anvil-linux-amd64@1.7.1 @stoplight/prism-cli@5.14.2";

/// Where npm puts the executable, relative to the crate.
const BIN_UNDER_CRATE: &str = ".tools/node_modules/.bin/prism";

/// The GraphSense spec, relative to the crate.
pub const SPEC: &str = "tests/fixtures/graphsense/openapi-1.15.5.yaml";

/// How long Prism may take to say where it listens, and then to accept a connection.
pub const START_TIMEOUT: Duration = Duration::from_secs(60);

/// Generated answers, the same for every run (`--seed`), without invented extra properties.
pub const DYNAMIC: &[&str] = &[
    "--errors",
    "--dynamic",
    "--seed",
    "caseboard",
    "--json-schema-faker-fillProperties=false",
];

/// The spec's own examples (several malformed: see the module docs).
pub const STATIC: &[&str] = &["--errors"];

/// A running Prism mock server.
pub struct Prism {
    child: Child,
    url: String,
    log: Arc<Mutex<String>>,
}

impl Prism {
    /// The Prism executable, or a panic saying how to install it.
    pub fn binary() -> PathBuf {
        let path = match std::env::var_os("PRISM_BIN") {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(BIN_UNDER_CRATE),
        };
        if !path.is_file() {
            let context = if std::env::var_os("CI").is_some() {
                "CI must install it before the tests run (.ci/run does)"
            } else {
                "the GraphSense tests need the Prism mock server"
            };
            panic!(
                "Prism not found at {}: {context}. Run `bash .ci/run`, or in the crate folder `{INSTALL_COMMAND}` (or set PRISM_BIN to a prism executable).",
                path.display()
            );
        }
        path
    }

    /// The GraphSense spec the mock serves.
    pub fn spec() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SPEC)
    }

    /// Dynamic, seeded answers ([`DYNAMIC`]): 200 with schema-valid data on every endpoint.
    pub fn start() -> Prism {
        Prism::start_with(DYNAMIC)
    }

    /// The spec's examples ([`STATIC`]).
    pub fn start_static() -> Prism {
        Prism::start_with(STATIC)
    }

    /// `prism mock <GraphSense spec> -h 127.0.0.1 -p 0 <args>`.
    pub fn start_with(args: &[&str]) -> Prism {
        Prism::start_spec(&Prism::spec(), args)
    }

    /// `prism mock <spec> -h 127.0.0.1 -p 0 <args>`, waiting until it accepts connections.
    pub fn start_spec(spec: &Path, args: &[&str]) -> Prism {
        Prism::launch(&["mock".as_ref(), spec.as_os_str()], args)
    }

    /// `prism proxy <GraphSense spec> <upstream> --errors`: forwards every request to
    /// `upstream` (our own local GraphSense with real values) and checks both the request and
    /// the upstream's answer against the spec; a violation of either is answered as an error
    /// (422 for the request, 500 for the answer) and logged.
    pub fn proxy(upstream: &str) -> Prism {
        let spec = Prism::spec();
        Prism::launch(
            &["proxy".as_ref(), spec.as_os_str(), upstream.as_ref()],
            &["--errors"],
        )
    }

    fn launch(head: &[&std::ffi::OsStr], args: &[&str]) -> Prism {
        let binary = Prism::binary();
        let mut child = Command::new(&binary)
            .args(head)
            .args(["-h", "127.0.0.1", "-p", "0"])
            .args(args)
            .env_remove("FORCE_COLOR")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} (it runs with `node` from the PATH): {e}",
                    binary.display()
                )
            });
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().expect("prism stdout is piped");
        let stderr = child.stderr.take().expect("prism stderr is piped");
        drain(stdout, Arc::clone(&log), Some(tx));
        drain(stderr, Arc::clone(&log), None);

        let deadline = Instant::now() + START_TIMEOUT;
        let url = loop {
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(url) => break url,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    fail_start(&mut child, &log, "Prism closed its output before listening")
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if let Ok(Some(status)) = child.try_wait() {
                fail_start(
                    &mut child,
                    &log,
                    &format!("Prism exited ({status}) before listening"),
                );
            }
            if Instant::now() >= deadline {
                let why = format!(
                    "Prism did not say where it listens within {} s",
                    START_TIMEOUT.as_secs()
                );
                fail_start(&mut child, &log, &why);
            }
        };
        let addr: SocketAddr = url
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .parse()
            .unwrap_or_else(|e| panic!("Prism listens on {url:?}, not host:port: {e}"));
        while TcpStream::connect_timeout(&addr, Duration::from_millis(500)).is_err() {
            if Instant::now() >= deadline {
                fail_start(
                    &mut child,
                    &log,
                    &format!("Prism at {url} does not accept connections"),
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Prism { child, url, log }
    }

    /// `http://127.0.0.1:<port>` (no trailing slash).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Everything Prism printed so far (stdout and stderr, no colours). Request lines carry the
    /// path without the query string.
    pub fn log(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Forgets the log so far (to look at one request's lines only).
    pub fn clear_log(&self) {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The error lines of the log, without the time, e.g.
    /// `[VALIDATOR] ✖ error Request query parameter pagesize must be >= 1` and
    /// `[HTTP SERVER] get /btc/entities/abc ✖ error Request terminated with error: https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY: Invalid request`.
    pub fn errors(&self) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter(|l| l.contains('✖'))
            .collect()
    }

    /// The requests Prism received, e.g. `get /btc/addresses/1Archive…/neighbors` (no query).
    pub fn requests(&self) -> Vec<String> {
        self.lines()
            .into_iter()
            .filter_map(|l| {
                let rest = l.strip_prefix("[HTTP SERVER] ")?;
                let (request, _) = rest.split_once(" ℹ info Request received")?;
                Some(request.to_owned())
            })
            .collect()
    }

    /// Panics, showing the log, if Prism reported any error (a request that broke the spec, an
    /// answer that broke the schema, an unknown path).
    pub fn assert_no_errors(&self) {
        let errors = self.errors();
        assert!(
            errors.is_empty(),
            "Prism reported errors:\n{}\n--- full log ---\n{}",
            errors.join("\n"),
            self.log()
        );
    }

    /// Log lines without the `[time] › ` prefix, runs of spaces collapsed.
    fn lines(&self) -> Vec<String> {
        self.log()
            .lines()
            .map(|line| {
                let body = line.split_once("› ").map_or(line, |(_, rest)| rest);
                body.split_whitespace().collect::<Vec<_>>().join(" ")
            })
            .collect()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        kill_tree(&mut self.child);
    }
}

/// Copies `from` line by line into `log` on a thread (so Prism never blocks on a full pipe);
/// sends the URL of the `Prism is listening on …` line to `ready`.
fn drain(
    from: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    ready: Option<mpsc::Sender<String>>,
) {
    std::thread::spawn(move || {
        let mut ready = ready;
        for line in BufReader::new(from).lines() {
            let Ok(line) = line else { break };
            if let Some((_, url)) = line.split_once("Prism is listening on ")
                && let Some(tx) = ready.take()
            {
                let _ = tx.send(url.trim().to_owned());
            }
            let mut log = log.lock().unwrap_or_else(|e| e.into_inner());
            log.push_str(&line);
            log.push('\n');
        }
    });
}

fn fail_start(child: &mut Child, log: &Mutex<String>, why: &str) -> ! {
    kill_tree(child);
    // Give the drain threads a moment to copy the last lines.
    std::thread::sleep(Duration::from_millis(200));
    let log = log.lock().unwrap_or_else(|e| e.into_inner()).clone();
    panic!("{why}. Its output:\n{log}");
}

/// Kills `child` and every process below it (Prism runs as one node process unless started
/// with `--multiprocess`, but a wrapper or a newer version may fork).
fn kill_tree(child: &mut Child) {
    let below = descendants(child.id());
    let _ = child.kill();
    if !below.is_empty() {
        let _ = Command::new("kill")
            .arg("-KILL")
            .args(below.iter().map(u32::to_string))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.wait();
}

/// The processes below `pid`, from `/proc/*/stat` (Linux; empty elsewhere).
fn descendants(pid: u32) -> Vec<u32> {
    let mut parents = Vec::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(p) = entry
                .file_name()
                .to_str()
                .and_then(|s| s.parse::<u32>().ok())
            else {
                continue;
            };
            let Ok(stat) = std::fs::read_to_string(format!("/proc/{p}/stat")) else {
                continue;
            };
            // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                parents.push((p, ppid));
            }
        }
    }
    let mut found = Vec::new();
    let mut frontier = vec![pid];
    while let Some(parent) = frontier.pop() {
        for &(p, pp) in &parents {
            if pp == parent && !found.contains(&p) {
                found.push(p);
                frontier.push(p);
            }
        }
    }
    found
}
