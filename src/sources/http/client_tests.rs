//! Tests of `client`.

use super::*;

#[test]
fn secret_path_values_are_scrubbed() {
    let key = "0123456789abcdef0123456789abcdef";
    let client = HttpClient::new(
        "evm-rpc:node.example",
        "https://node.example",
        HttpConfig::for_own_node(),
        None,
    )
    .and_then(|c| c.with_secret_value(key))
    .expect("client");
    let shown = client.redacted(&format!("POST /v3/{key}: timed out"));
    assert!(!shown.contains(key), "{shown}");
    // Once shared, no more secrets can be added (they would not reach the clones).
    let shared = client.clone();
    assert!(client.with_secret_value("other").is_err());
    drop(shared);
}

#[test]
fn base_urls_are_checked_and_only_their_origin_shown() {
    let new = |url: &str| HttpClient::new("t", url, HttpConfig::for_own_node(), None);
    let client = new("https://Blockstream.info/api/").expect("client");
    assert_eq!(client.origin(), "https://blockstream.info");
    assert_eq!(client.url_for("/tx/1"), "https://blockstream.info/api/tx/1");
    let keyed = new("http://127.0.0.1:3000/v3/abcdefgh?dkey=k").expect("client");
    assert_eq!(
        keyed.url_for("/x?a=1"),
        "http://127.0.0.1:3000/v3/abcdefgh/x?dkey=k&a=1"
    );
    assert_eq!(
        keyed.url_for(""),
        "http://127.0.0.1:3000/v3/abcdefgh?dkey=k"
    );
    assert_eq!(
        new("http://h.example").expect("client").url_for(""),
        "http://h.example/"
    );
    assert!(!format!("{keyed:?}").contains("abcdefgh"));
    let err = new("https://user:hunter2@node.example/api").unwrap_err();
    assert!(
        err.to_string().contains("credentials") && !err.to_string().contains("hunter2"),
        "{err}"
    );
    assert!(new("ftp://x").is_err());
    assert!(new("blockstream.info/api").is_err());
    assert!(new("https:///api").is_err());
}

#[test]
fn secret_headers_never_show() {
    let client = HttpClient::new("t", "http://127.0.0.1:9", HttpConfig::for_own_node(), None)
        .expect("client")
        .with_secret_header("Authorization", "Bearer tok-123")
        .expect("header");
    assert_eq!(
        client.redacted("echo: Bearer tok-123 and tok-123"),
        "echo: Bearer REDACTED and REDACTED"
    );
    assert!(!format!("{client:?}").contains("tok-123"));
    let shared = client.clone();
    assert!(shared.with_secret_header("X-Api-Key", "k").is_err());
}
