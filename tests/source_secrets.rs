//! Keys in source URLs never travel (issue 12, points 1 and 2): whatever a key looks like — short,
//! all letters, in the path or under a query name no list knows — the case stores the URL's
//! origin only, and no error message, log line or cache file holds the path or query; an answer
//! that echoes the key is not cached; and `expand --source KIND=URL` works with the URL given
//! again.

#[path = "support/mock_http.rs"]
mod mock_http;

use caseboard::cli::{CliCommand, ExpandFilterArgs, run_headless};
use caseboard::model::SourceConfig;
use caseboard::sources::factory::{SourceContext, build_source, test_connection};
use caseboard::sources::http::{CachePolicy, HttpClient, HttpConfig, ResponseCache};
use caseboard::sources::{Direction, JobControl, SourceError};
use mock_http::{MockServer, Request, Response};
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

/// Pieces of the secret parts used below; none may appear anywhere they should not.
const SECRETS: &[&str] = &[
    "abcdefgh",
    "qwertyui",
    "dkey",
    "x-api-key",
    "access-key",
    "/v3",
];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} holds {secret:?}: {text}");
    }
}

fn config() -> HttpConfig {
    HttpConfig {
        connect_timeout_secs: 2,
        read_timeout_secs: 2,
        max_retries: 1,
        retry_base_ms: 10,
        ..HttpConfig::for_own_node()
    }
}

fn message(error: SourceError) -> String {
    match error {
        SourceError::BadAnswer {
            source_name,
            message,
        } => format!("{source_name}: {message}"),
        other => other.to_string(),
    }
}

/// Every file under `dir`, as lossy text.
fn all_text_under(dir: &Path) -> String {
    let mut out = String::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push_str(&path.display().to_string());
                out.push('\n');
                out.push_str(&String::from_utf8_lossy(
                    &std::fs::read(&path).expect("read"),
                ));
                out.push('\n');
            }
        }
    }
    out
}

/// Collects every tracing event (all levels) of the calling thread while `run` runs.
fn logged<T>(run: impl FnOnce() -> T) -> (T, String) {
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl Write for Sink {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let sink = Sink::default();
    let writer = sink.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let value = tracing::subscriber::with_default(subscriber, run);
    let text = String::from_utf8_lossy(&sink.0.lock().unwrap_or_else(PoisonError::into_inner))
        .into_owned();
    (value, text)
}

#[test]
fn short_and_all_letter_keys_never_show_in_errors_or_logs() {
    let server = MockServer::start();
    // The server quotes the whole request back in its errors, as many do.
    server.route("GET", "/", |req: &Request| {
        Response::text(403, &format!("invalid key in {}", req.target))
    });
    let base = format!("{}/v3/abcdefgh?dkey=qwertyui", server.url());
    let client = HttpClient::new("rpc-like", &base, config(), None).expect("client");
    let (result, log) =
        logged(|| client.get_json::<serde_json::Value>("/blocks/tip?x=1", &JobControl::default()));
    let text = message(result.unwrap_err());
    // The request went to the URL as given …
    assert_eq!(
        server.requests()[0].target,
        "/v3/abcdefgh/blocks/tip?dkey=qwertyui&x=1"
    );
    // … and nothing of its secret part came back out.
    assert!(text.contains("GET /blocks/tip?x=1: HTTP 403"), "{text}");
    assert_clean("the error", &text);
    assert!(log.contains("GET /blocks/tip"), "nothing logged: {log}");
    assert_clean("the log", &log);
    assert_clean("the client's Debug", &format!("{client:?}"));
}

#[test]
fn the_cache_holds_no_key_and_refuses_answers_that_echo_one() {
    let server = MockServer::start();
    server.route("GET", "/rpc/abcdefgh/plain", |_| {
        Response::json(200, &serde_json::json!({"height": 7}))
    });
    server.route("GET", "/rpc/abcdefgh/echo", |req: &Request| {
        Response::json(200, &serde_json::json!({"you_asked": req.target}))
    });
    let cache_dir = tempfile::tempdir().expect("tempdir");
    let cache = ResponseCache::open(cache_dir.path().to_path_buf(), false).expect("cache");
    let base = format!("{}/rpc/abcdefgh?access-key=qwertyui", server.url());
    let client = HttpClient::new("cached", &base, config(), Some(cache)).expect("client");
    let control = JobControl::default();
    for _ in 0..2 {
        let plain: serde_json::Value = client
            .get_json_cached("/plain", CachePolicy::Immutable, &control)
            .expect("plain");
        assert_eq!(plain["height"], 7);
        let echoed: serde_json::Value = client
            .get_json_cached("/echo", CachePolicy::Immutable, &control)
            .expect("echo");
        assert!(
            echoed["you_asked"]
                .as_str()
                .is_some_and(|t| t.contains("abcdefgh"))
        );
    }
    // The plain answer came from the cache the second time; the echoing one was never stored.
    let paths = server.paths();
    assert_eq!(
        paths.iter().filter(|p| p.contains("/plain")).count(),
        1,
        "{paths:?}"
    );
    assert_eq!(
        paths.iter().filter(|p| p.contains("/echo")).count(),
        2,
        "{paths:?}"
    );
    let stored = all_text_under(cache_dir.path());
    assert!(stored.contains("\"height\":7"), "{stored}");
    assert_clean("the cache folder", &stored);
    assert!(!stored.contains("/rpc"), "{stored}");
}

/// A JSON-RPC node on `server` (any path): chain 1 at block 16, no trace_filter, no Otterscan,
/// no logs; errors quote the request target.
fn json_rpc_node(server: &MockServer) {
    server.route("POST", "/", |req: &Request| {
        let body = req.json().unwrap_or_default();
        let id = body["id"].clone();
        let result = match body["method"].as_str().unwrap_or_default() {
            "eth_chainId" => serde_json::json!("0x1"),
            "eth_blockNumber" => serde_json::json!("0x10"),
            "eth_getLogs" => serde_json::json!([]),
            "eth_getBalance" => serde_json::json!("0x0"),
            "eth_getTransactionCount" => serde_json::json!("0x0"),
            other => {
                return Response::json(
                    200,
                    &serde_json::json!({
                        "jsonrpc": "2.0",
                        "id": id,
                        "error": {
                            "code": -32601,
                            "message": format!("the method {other} does not exist at {}", req.target)
                        }
                    }),
                );
            }
        };
        Response::json(
            200,
            &serde_json::json!({"jsonrpc": "2.0", "id": id, "result": result}),
        )
    });
}

#[test]
fn an_rpc_url_with_an_unguessable_key_is_used_but_never_shown() {
    let server = MockServer::start();
    json_rpc_node(&server);
    server.fault(
        "POST",
        "/",
        mock_http::Fault::Reply(Response::text(401, "key abcdefgh / qwertyui refused")),
        1,
    );
    let full = format!("{}/v3/abcdefgh?x-api-key=qwertyui", server.url());
    let mut ctx = SourceContext {
        use_cache: false,
        ..SourceContext::default()
    };
    ctx.remember_full_url(&full);
    let config = SourceConfig::EvmRpc { url: server.url() };
    let (result, log) = logged(|| test_connection(&config, &ctx, &JobControl::default()));
    let text = message(result.unwrap_err());
    assert!(text.contains("HTTP 401"), "{text}");
    assert_clean("the error", &text);
    assert_clean("the log", &log);
    let (result, log) = logged(|| test_connection(&config, &ctx, &JobControl::default()));
    let answer = result.expect("the node answers at its full URL");
    assert_clean("the answer", &answer);
    assert_clean("the log", &log);
    assert!(
        server
            .requests()
            .iter()
            .all(|r| r.target == "/v3/abcdefgh?x-api-key=qwertyui"),
        "{:?}",
        server.paths()
    );
    assert!(build_source(&config, &ctx).is_ok());
}

fn case_with_an_eth_address(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("case.ron");
    let doc = caseboard::cli::new_document(
        "secrets",
        &["0x00000000219ab540356cbb839cbe05303d7705fa".to_owned()],
        None,
    )
    .expect("case");
    caseboard::case_file::save(doc.case(), &path).expect("save");
    path
}

fn expand_command(file: &Path, source: &str, output: &Path) -> CliCommand {
    CliCommand::Expand {
        file: file.to_path_buf(),
        node: "eth:0x00000000219ab540356cbb839cbe05303d7705fa".to_owned(),
        direction: Direction::Both,
        limit: 10,
        source: Some(source.to_owned()),
        chain_id: 1,
        offline: false,
        filter: ExpandFilterArgs {
            source_for: Vec::new(),
            min_value: None,
            since: None,
            until: None,
            more: false,
            resume: None,
        },
        output: output.to_path_buf(),
    }
}

#[test]
fn expand_with_source_works_with_a_key_in_the_url() {
    let server = MockServer::start();
    json_rpc_node(&server);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = case_with_an_eth_address(dir.path());
    let output = dir.path().join("out.ron");
    // A long key (which an earlier version redacted and then could not use) and a short one.
    for key in ["v3/0123456789abcdef0123456789abcdef", "v3/abcdefgh"] {
        let source = format!("evm-rpc={}/{key}", server.url());
        run_headless(expand_command(&file, &source, &output))
            .unwrap_or_else(|e| panic!("expand with {key}: {}", e.message));
        let written = std::fs::read_to_string(&output).expect("output");
        assert!(written.contains(&server.url()), "the origin is recorded");
        assert!(!written.contains("0123456789abcdef"), "{written}");
        assert_clean("the case", &written);
        let last = server.requests().pop().expect("requests");
        assert_eq!(last.target, format!("/{key}"));
        // Given again on the case that now stores the origin: still works.
        run_headless(expand_command(&output, &source, &output))
            .unwrap_or_else(|e| panic!("again with {key}: {}", e.message));
    }
}

#[test]
fn the_command_line_finds_a_stored_origins_full_url_in_the_settings_file() {
    let server = MockServer::start();
    json_rpc_node(&server);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = case_with_an_eth_address(dir.path());
    let stored = dir.path().join("stored.ron");
    let full = format!("{}/v3/abcdefgh", server.url());
    run_headless(expand_command(&file, &format!("evm-rpc={full}"), &stored))
        .unwrap_or_else(|e| panic!("first expansion: {}", e.message));
    // The app keeps the full URL in the owner-only settings, keyed by the origin.
    let settings = dir.path().join("settings.ron");
    std::fs::write(
        &settings,
        format!(
            "(\n    expansion_limit: 50,\n    source_urls: {{{:?}: {:?}}},\n)",
            server.url(),
            full
        ),
    )
    .expect("settings");
    let requests_before = server.requests().len();
    let again = dir.path().join("again.ron");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caseboard"))
        .arg("expand")
        .arg(&stored)
        .args(["--node", "eth:0x00000000219ab540356cbb839cbe05303d7705fa"])
        .arg("-o")
        .arg(&again)
        .env("CASEBOARD_SETTINGS", &settings)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "no --source needed: {stderr}");
    let requests = server.requests();
    let new_requests = &requests[requests_before..];
    assert!(!new_requests.is_empty());
    assert!(
        new_requests.iter().all(|r| r.target == "/v3/abcdefgh"),
        "{:?}",
        server.paths()
    );
    assert_clean("stderr", &stderr);
    // The node has no traces: the blind spot is said on stderr and kept on the expanded node.
    assert!(
        stderr.contains("native ETH and internal transfers"),
        "{stderr}"
    );
    let case = caseboard::case_file::load(&again).expect("loads");
    let node = caseboard::model::NodeId::parse("eth:0x00000000219ab540356cbb839cbe05303d7705fa")
        .expect("id");
    let gaps = &case.nodes[&node].gaps;
    assert!(
        gaps.iter()
            .any(|g| g.contains("native ETH and internal transfers")),
        "{gaps:?}"
    );
    assert_clean("the case", &std::fs::read_to_string(&again).expect("read"));
}
