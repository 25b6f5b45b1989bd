//! A small HTTP/1.1 server for tests of network sources: std only, loopback only.
//!
//! ```ignore
//! let server = MockServer::start();
//! server.route("GET", "/tx/", |req| Response::json(200, &serde_json::json!({"txid": req.path_after("/tx/")})));
//! server.fault("GET", "/tx/", Fault::status(500), 1);        // the next /tx/… answers 500 once
//! let base = server.url();                                   // "http://127.0.0.1:PORT"
//! // … run the client …
//! assert_eq!(server.paths(), ["/tx/abc", "/tx/abc"]);
//! ```
//!
//! * Routes match by method and path prefix (the query is not part of the match); the
//!   longest matching prefix wins, and among equals the one added last. A request no route
//!   matches gets `404 no route`. Handlers are closures `Fn(&Request) -> Response`.
//! * Every request is logged (method, target, headers, body) before anything else happens,
//!   so tests can assert exactly what was asked and how often.
//! * Faults are one-shot (or `times`-shot) rules matched the same way, checked before the
//!   routes: a fixed status (429 with or without `Retry-After`, 5xx), a stall, the real
//!   answer truncated, malformed, cut off or stalled mid-body, or a huge body streamed in
//!   chunks (never allocated whole).
//! * Connections are kept alive (HTTP/1.1) with one thread each; the server stops accepting
//!   when dropped. Request bodies need `Content-Length` (chunked requests get 501).

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long an idle kept-alive connection waits for its next request.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// Size of the chunks a streamed body is written in.
const CHUNK: usize = 64 * 1024;

/// A request as the server saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query as sent (`/api?module=x`).
    pub target: String,
    /// Path without the query.
    pub path: String,
    /// Query pairs in order (not percent-decoded).
    pub query: Vec<(String, String)>,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (by `Content-Length`).
    pub body: Vec<u8>,
}

impl Request {
    /// The first header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first query parameter `name`.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The path after `prefix`, if it starts with it.
    pub fn path_after(&self, prefix: &str) -> Option<&str> {
        self.path.strip_prefix(prefix)
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A body to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// These bytes, with `Content-Length`.
    Bytes(Vec<u8>),
    /// `chunk` repeated until `total` bytes were written, written piece by piece. With
    /// `content_length` false the body is delimited by closing the connection.
    Repeat {
        chunk: Vec<u8>,
        total: u64,
        content_length: bool,
    },
}

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

impl Response {
    /// `status` with raw bytes.
    pub fn bytes(status: u16, content_type: &str, body: Vec<u8>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".to_owned(), content_type.to_owned())],
            body: Body::Bytes(body),
        }
    }

    /// `status` with a JSON body.
    pub fn json(status: u16, value: &serde_json::Value) -> Response {
        Response::bytes(status, "application/json", value.to_string().into_bytes())
    }

    /// `status` with a plain-text body.
    pub fn text(status: u16, text: &str) -> Response {
        Response::bytes(status, "text/plain", text.as_bytes().to_vec())
    }

    /// Adds a header.
    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    fn body_bytes(&self) -> Vec<u8> {
        match &self.body {
            Body::Bytes(b) => b.clone(),
            Body::Repeat { .. } => Vec::new(),
        }
    }
}

/// What a fault does to a matching request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this response instead of the route's.
    Reply(Response),
    /// Wait this long, then close the connection without answering.
    Stall(Duration),
    /// The route's answer, cut to half its length (with a matching `Content-Length`).
    Truncate,
    /// `200` with an HTML page instead of JSON.
    Malformed,
    /// `200` with a body of `bytes` bytes, streamed in chunks.
    Huge { bytes: u64, content_length: bool },
    /// The route's answer announced in full by `Content-Length`, but the connection is closed
    /// after half the body.
    CloseMidBody,
    /// The route's answer announced in full, half the body sent, then silence for this long
    /// before the connection is closed.
    StallMidBody(Duration),
}

impl Fault {
    /// An error status with a short text body.
    pub fn status(status: u16) -> Fault {
        Fault::Reply(Response::text(status, &format!("injected HTTP {status}")))
    }

    /// `429 Too Many Requests`, with `Retry-After: <retry_after>` if given.
    pub fn too_many_requests(retry_after: Option<&str>) -> Fault {
        let response = Response::text(429, "Too Many Requests");
        Fault::Reply(match retry_after {
            Some(value) => response.with_header("Retry-After", value),
            None => response,
        })
    }
}

type Handler = dyn Fn(&Request) -> Response + Send + Sync;

struct Route {
    method: String,
    prefix: String,
    handler: Arc<Handler>,
}

struct FaultRule {
    method: String,
    prefix: String,
    fault: Fault,
    remaining: usize,
}

#[derive(Default)]
struct State {
    routes: Mutex<Vec<Route>>,
    faults: Mutex<Vec<FaultRule>>,
    log: Mutex<Vec<Request>>,
}

/// The server; stops accepting when dropped.
pub struct MockServer {
    addr: SocketAddr,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    accept: Option<JoinHandle<()>>,
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl MockServer {
    /// Starts a server on `127.0.0.1` on a free port.
    pub fn start() -> MockServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(State::default());
        let stop = Arc::new(AtomicBool::new(false));
        let accept = {
            let state = Arc::clone(&state);
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let state = Arc::clone(&state);
                    std::thread::spawn(move || serve_connection(stream, &state));
                }
            })
        };
        MockServer {
            addr,
            state,
            stop,
            accept: Some(accept),
        }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Routes `method` requests whose path starts with `prefix` to `handler`.
    pub fn route<F>(&self, method: &str, prefix: &str, handler: F)
    where
        F: Fn(&Request) -> Response + Send + Sync + 'static,
    {
        lock(&self.state.routes).push(Route {
            method: method.to_ascii_uppercase(),
            prefix: prefix.to_owned(),
            handler: Arc::new(handler),
        });
    }

    /// Applies `fault` to the next `times` requests matching `method` and `prefix`
    /// (`usize::MAX` for all of them). Faults added first apply first.
    pub fn fault(&self, method: &str, prefix: &str, fault: Fault, times: usize) {
        lock(&self.state.faults).push(FaultRule {
            method: method.to_ascii_uppercase(),
            prefix: prefix.to_owned(),
            fault,
            remaining: times,
        });
    }

    /// Removes all faults not yet used up.
    pub fn clear_faults(&self) {
        lock(&self.state.faults).clear();
    }

    /// Every request received so far, in order of arrival.
    pub fn requests(&self) -> Vec<Request> {
        lock(&self.state.log).clone()
    }

    /// The targets (path and query) of every request so far.
    pub fn paths(&self) -> Vec<String> {
        lock(&self.state.log)
            .iter()
            .map(|r| r.target.clone())
            .collect()
    }

    /// Number of requests received so far.
    pub fn request_count(&self) -> usize {
        lock(&self.state.log).len()
    }

    /// Forgets the requests received so far.
    pub fn clear_log(&self) {
        lock(&self.state.log).clear();
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        if let Some(handle) = self.accept.take() {
            let _ = handle.join();
        }
    }
}

/// Serves requests on one connection until it closes, idles out or a fault ends it.
fn serve_connection(stream: TcpStream, state: &State) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(write_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut writer = write_half;
    loop {
        let request = match read_request(&mut reader) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let _ = write_response(&mut writer, &Response::text(status, "bad request"), false);
                return;
            }
        };
        lock(&state.log).push(request.clone());
        let close = request
            .header("Connection")
            .is_some_and(|v| v.eq_ignore_ascii_case("close"));
        let keep_open = match take_fault(state, &request) {
            Some(fault) => apply_fault(&mut writer, state, &request, fault),
            None => {
                let response = answer(state, &request);
                write_response(&mut writer, &response, !close).unwrap_or(false)
            }
        };
        if close || !keep_open {
            let _ = writer.flush();
            let _ = writer.shutdown(Shutdown::Both);
            return;
        }
    }
}

/// Reads one request; `Ok(None)` when the peer closed or idled out, `Err(status)` for a
/// request this server cannot read.
fn read_request(reader: &mut BufReader<TcpStream>) -> Result<Option<Request>, u16> {
    let mut line = String::new();
    match reader.read_line(&mut line) {
        Ok(0) | Err(_) => return Ok(None),
        Ok(_) => {}
    }
    let mut parts = line.split_whitespace();
    let (Some(method), Some(target), Some(_version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(400);
    };
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return Ok(None),
            Ok(_) => {}
        }
        let header = header.trim_end_matches(['\r', '\n']);
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            return Err(400);
        };
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let find = |name: &str| {
        headers
            .iter()
            .find(|(n, _): &&(String, String)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
    };
    if find("Transfer-Encoding").is_some() {
        return Err(501);
    }
    let length: usize = find("Content-Length")
        .map(|v| v.parse().map_err(|_| 400u16))
        .transpose()?
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).map_err(|_| 400u16)?;
    let (path, query_text) = target.split_once('?').unwrap_or((target, ""));
    let query = query_text
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    Ok(Some(Request {
        method: method.to_ascii_uppercase(),
        target: target.to_owned(),
        path: path.to_owned(),
        query,
        headers,
        body,
    }))
}

fn matches(method: &str, prefix: &str, request: &Request) -> bool {
    method == request.method && request.path.starts_with(prefix)
}

fn take_fault(state: &State, request: &Request) -> Option<Fault> {
    let mut faults = lock(&state.faults);
    let at = faults
        .iter()
        .position(|f| f.remaining > 0 && matches(&f.method, &f.prefix, request))?;
    let rule = &mut faults[at];
    if rule.remaining != usize::MAX {
        rule.remaining -= 1;
    }
    let fault = rule.fault.clone();
    if rule.remaining == 0 {
        faults.remove(at);
    }
    Some(fault)
}

fn answer(state: &State, request: &Request) -> Response {
    let handler = {
        let routes = lock(&state.routes);
        routes
            .iter()
            .enumerate()
            .filter(|(_, r)| matches(&r.method, &r.prefix, request))
            .max_by_key(|(i, r)| (r.prefix.len(), *i))
            .map(|(_, r)| Arc::clone(&r.handler))
    };
    match handler {
        Some(handler) => handler(request),
        None => Response::text(404, "no route"),
    }
}

/// Carries out a fault; returns whether the connection may stay open.
fn apply_fault(writer: &mut TcpStream, state: &State, request: &Request, fault: Fault) -> bool {
    match fault {
        Fault::Reply(response) => write_response(writer, &response, true).unwrap_or(false),
        Fault::Stall(duration) => {
            std::thread::sleep(duration);
            false
        }
        Fault::Truncate => {
            let mut response = answer(state, request);
            let mut body = response.body_bytes();
            body.truncate(body.len() / 2);
            response.body = Body::Bytes(body);
            write_response(writer, &response, true).unwrap_or(false)
        }
        Fault::Malformed => {
            let html = "<html><head><title>Oops</title></head><body>Please slow down</body></html>";
            let response = Response::bytes(200, "text/html", html.as_bytes().to_vec());
            write_response(writer, &response, true).unwrap_or(false)
        }
        Fault::Huge {
            bytes,
            content_length,
        } => {
            let response = Response {
                status: 200,
                headers: vec![("Content-Type".to_owned(), "application/json".to_owned())],
                body: Body::Repeat {
                    chunk: b"[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]".repeat(CHUNK / 33 + 1),
                    total: bytes,
                    content_length,
                },
            };
            let _ = write_response(writer, &response, false);
            false
        }
        Fault::CloseMidBody => {
            send_half(writer, &answer(state, request));
            false
        }
        Fault::StallMidBody(duration) => {
            send_half(writer, &answer(state, request));
            std::thread::sleep(duration);
            false
        }
    }
}

/// Sends the head of `response` announcing the whole body, and half of the body.
fn send_half(writer: &mut TcpStream, response: &Response) {
    let body = response.body_bytes();
    let head = head_text(response, Some(body.len() as u64), true);
    let _ = writer.write_all(head.as_bytes());
    let _ = writer.write_all(&body[..body.len() / 2]);
    let _ = writer.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn head_text(response: &Response, content_length: Option<u64>, keep_alive: bool) -> String {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = content_length {
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    head
}

/// Writes a response; returns whether the connection may stay open.
fn write_response(
    writer: &mut TcpStream,
    response: &Response,
    keep_alive: bool,
) -> std::io::Result<bool> {
    match &response.body {
        Body::Bytes(body) => {
            let head = head_text(response, Some(body.len() as u64), keep_alive);
            writer.write_all(head.as_bytes())?;
            writer.write_all(body)?;
            writer.flush()?;
            Ok(keep_alive)
        }
        Body::Repeat {
            chunk,
            total,
            content_length,
        } => {
            let head = head_text(response, content_length.then_some(*total), false);
            writer.write_all(head.as_bytes())?;
            let mut left = *total;
            while left > 0 {
                let n = usize::try_from(left).unwrap_or(usize::MAX).min(chunk.len());
                writer.write_all(&chunk[..n])?;
                left -= n as u64;
            }
            writer.flush()?;
            Ok(false)
        }
    }
}
