//! A loopback JSON-RPC proxy in front of a real node (anvil): a rule may answer a request itself
//! (to hide a method, refuse a range, or stand in for a provider's quirks), everything else is
//! passed on unchanged. Faults injected on the proxy's mock server reach the source as a broken
//! node would send them.

#![allow(dead_code)]

use super::mock_http::{MockServer, Request, Response};
use serde_json::Value;

/// A loopback proxy in front of `upstream`: `rule` may answer a request itself (a JSON-RPC
/// answer), else it is passed on.
pub fn proxy<F>(upstream: &str, rule: F) -> MockServer
where
    F: Fn(&Value) -> Option<Value> + Send + Sync + 'static,
{
    let server = MockServer::start();
    let upstream = upstream.to_owned();
    let client = reqwest::blocking::Client::new();
    server.route("POST", "/", move |request: &Request| {
        let Some(body) = request.json() else {
            return Response::text(400, "not JSON");
        };
        if let Some(answer) = rule(&body) {
            return Response::json(200, &answer);
        }
        match client
            .post(&upstream)
            .header("content-type", "application/json")
            .body(request.body.clone())
            .send()
            .and_then(|r| r.bytes())
        {
            Ok(bytes) => Response::bytes(200, "application/json", bytes.to_vec()),
            Err(e) => Response::text(502, &e.to_string()),
        }
    });
    server
}
