//! What every test of a network source needs alike: an HTTP configuration with short timeouts
//! and quick retries, the message of a `BadAnswer`, and the wall clock for provenance checks.

#![allow(dead_code)]

use caseboard::sources::SourceError;
use caseboard::sources::http::HttpConfig;
use std::time::{SystemTime, UNIX_EPOCH};

/// Short timeouts (connect 2 s, read 1 s), two quick retries, no pacing, 1 MiB bodies.
pub fn test_config() -> HttpConfig {
    HttpConfig {
        connect_timeout_secs: 2,
        read_timeout_secs: 1,
        answer_deadline_secs: 60,
        max_retries: 2,
        min_interval_ms: 0,
        max_body_bytes: 1024 * 1024,
        max_concurrent: 4,
        user_agent: "caseboard-test".to_owned(),
        retry_base_ms: 10,
        max_retry_wait_secs: 5,
    }
}

/// The message of a `BadAnswer`; any other error fails the test.
pub fn message(error: SourceError) -> String {
    match error {
        SourceError::BadAnswer { message, .. } => message,
        other => panic!("expected BadAnswer, got {other:?}"),
    }
}

/// Now, in unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64
}
