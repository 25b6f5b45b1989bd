//! The shared HTTP client against hostile servers (issue 12, points 3 and 6): a body dripped a
//! byte at a time is cut at the answer deadline, and redirects never leave the origin first
//! asked.

#[path = "support/mock_http.rs"]
mod mock_http;

use caseboard::sources::http::{HttpClient, HttpConfig};
use caseboard::sources::{JobControl, SourceError};
use mock_http::{MockServer, Response};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

fn config() -> HttpConfig {
    HttpConfig {
        connect_timeout_secs: 2,
        read_timeout_secs: 5,
        max_retries: 2,
        retry_base_ms: 10,
        ..HttpConfig::for_own_node()
    }
}

fn message(error: SourceError) -> String {
    match error {
        SourceError::BadAnswer { message, .. } => message,
        other => other.to_string(),
    }
}

/// A server that answers every request with a 200 head announcing 1000 bytes, then sends one
/// byte every half second. Returns its URL and the count of requests it saw.
fn dripping_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                let mut line = String::new();
                // The request head, up to its blank line.
                while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                    if line == "\r\n" {
                        break;
                    }
                    line.clear();
                }
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                            Content-Length: 1000\r\n\r\n";
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                // At most 60 s of dripping, then the thread ends.
                for _ in 0..120 {
                    if stream
                        .write_all(b" ")
                        .and_then(|()| stream.flush())
                        .is_err()
                    {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(500));
                }
            });
        }
    });
    (url, seen)
}

#[test]
fn a_dripping_body_is_cut_at_the_answer_deadline() {
    let (url, seen) = dripping_server();
    let client = HttpClient::new(
        "drip",
        &url,
        HttpConfig {
            answer_deadline_secs: 2,
            ..config()
        },
        None,
    )
    .expect("client");
    let start = Instant::now();
    let err = client
        .get_json::<serde_json::Value>("/slow", &JobControl::default())
        .unwrap_err();
    let elapsed = start.elapsed();
    let text = message(err);
    assert!(
        text.starts_with("GET /slow: the answer was not complete after 2 s"),
        "{text}"
    );
    assert!(text.contains("bytes read"), "{text}");
    // Cut near the deadline (each read returns within half a second), and not retried.
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    assert_eq!(seen.load(Ordering::SeqCst), 1);
}

#[test]
fn the_default_deadline_is_a_minute() {
    assert_eq!(HttpConfig::for_own_node().answer_deadline_secs, 60);
    assert_eq!(HttpConfig::for_public_service().answer_deadline_secs, 60);
}

#[test]
fn redirects_to_another_port_are_not_followed() {
    let elsewhere = MockServer::start();
    elsewhere.route("GET", "/", |_| {
        Response::json(200, &serde_json::json!({"stolen": true}))
    });
    let first = MockServer::start();
    let target = format!("{}/api/tx?apikey=abcdefgh", elsewhere.url());
    first.route("GET", "/api/tx", move |_| {
        Response::text(302, "moved").with_header("Location", &target)
    });
    let client = HttpClient::new(
        "redirect",
        &format!("{}/api?dkey=qwertyui", first.url()),
        config(),
        None,
    )
    .expect("client");
    let err = client
        .get_json::<serde_json::Value>("/tx", &JobControl::default())
        .unwrap_err();
    let text = message(err);
    assert!(
        text.contains(&format!(
            "the server redirected to another host ({})",
            elsewhere.url()
        )),
        "{text}"
    );
    assert!(text.contains("Caseboard does not follow"), "{text}");
    // Said once, not retried; the other server never heard of it; no secret in the message.
    assert_eq!(first.request_count(), 1);
    assert_eq!(elsewhere.request_count(), 0);
    for secret in ["abcdefgh", "qwertyui", "dkey", "/api"] {
        assert!(!text.contains(secret), "{text}");
    }
}

#[test]
fn redirects_to_another_host_are_not_followed() {
    let first = MockServer::start();
    let port = first.addr().port();
    // Same port, another host name for the same machine: still another origin.
    first.route("GET", "/a", move |_| {
        Response::text(301, "").with_header("Location", &format!("http://localhost:{port}/b"))
    });
    first.route("GET", "/b", |_| Response::json(200, &serde_json::json!(1)));
    let client = HttpClient::new("redirect", &first.url(), config(), None).expect("client");
    let text = message(
        client
            .get_json::<serde_json::Value>("/a", &JobControl::default())
            .unwrap_err(),
    );
    assert!(
        text.contains(&format!(
            "redirected to another host (http://localhost:{port})"
        )),
        "{text}"
    );
    assert_eq!(first.paths(), ["/a"]);
}

#[test]
fn same_origin_redirects_are_followed_a_few_times() {
    let server = MockServer::start();
    server.route("GET", "/old", |_| {
        Response::text(301, "").with_header("Location", "/new")
    });
    server.route("GET", "/new", |_| {
        Response::json(200, &serde_json::json!({"ok": 1}))
    });
    server.route("GET", "/loop", |_| {
        Response::text(302, "").with_header("Location", "/loop")
    });
    let client = HttpClient::new("redirect", &server.url(), config(), None).expect("client");
    let value: serde_json::Value = client
        .get_json("/old", &JobControl::default())
        .expect("followed");
    assert_eq!(value, serde_json::json!({"ok": 1}));
    let text = message(
        client
            .get_json::<serde_json::Value>("/loop", &JobControl::default())
            .unwrap_err(),
    );
    assert!(text.contains("more than 3 redirects"), "{text}");
    // The loop is refused after a few hops, never followed without end (and not retried).
    let loops = server.paths().iter().filter(|p| *p == "/loop").count();
    assert!(loops <= 4, "{loops}");
}
