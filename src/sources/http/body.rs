//! Reading an answer's body within its limits: a size cap (`max_body_bytes`, refused as soon
//! as it is passed, or at once from `Content-Length`), a timeout per read
//! (`read_timeout_secs`, set on the connection) and a deadline for the whole answer
//! (`answer_deadline_secs`, from the moment the request was sent), so a server that drips a
//! byte now and then cannot keep one request alive for minutes.

use super::decode::snippet;
use super::failure::{Failure, FailureKind};
use super::redact::redact;
use super::{HttpConfig, human_bytes};
use reqwest::blocking::Response;
use std::io::Read;
use std::time::{Duration, Instant};

/// How much of an error body is read to quote it in a message.
const ERROR_BODY_BYTES: u64 = 4096;

/// Bytes asked for per read.
const READ_CHUNK: usize = 64 * 1024;

/// Reads a success body with the size cap, the per-read timeout and the answer deadline
/// (counted from `started`, when the request was sent).
pub(super) fn read_capped(
    response: Response,
    config: &HttpConfig,
    started: Instant,
) -> Result<Vec<u8>, Failure> {
    let cap = config.max_body_bytes;
    let deadline = Duration::from_secs(config.answer_deadline_secs);
    let too_large = || Failure {
        what: format!("body larger than {}", human_bytes(cap)),
        kind: FailureKind::Final,
        retry_after: None,
    };
    let declared = response.content_length();
    if declared.is_some_and(|len| len > cap) {
        return Err(too_large());
    }
    let initial = declared.unwrap_or(0).min(cap).min(1024 * 1024);
    let mut body = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
    let mut limited = response.take(cap.saturating_add(1));
    let mut chunk = vec![0u8; READ_CHUNK];
    loop {
        if started.elapsed() > deadline {
            return Err(past_deadline(config, body.len()));
        }
        match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(read_failure(&e, config, body.len())),
        }
    }
    if started.elapsed() > deadline {
        return Err(past_deadline(config, body.len()));
    }
    if u64::try_from(body.len()).unwrap_or(u64::MAX) > cap {
        return Err(too_large());
    }
    Ok(body)
}

/// The answer took longer than the deadline. Not retried: a server that slow now will
/// likely be as slow again, and retries would multiply the wait.
fn past_deadline(config: &HttpConfig, bytes_read: usize) -> Failure {
    Failure {
        what: format!(
            "the answer was not complete after {} s ({bytes_read} bytes read): the server \
             sends too slowly, gave up (the limit is the answer deadline in the settings)",
            config.answer_deadline_secs
        ),
        kind: FailureKind::Final,
        retry_after: None,
    }
}

fn read_failure(error: &std::io::Error, config: &HttpConfig, bytes_read: usize) -> Failure {
    let timed_out = error.kind() == std::io::ErrorKind::TimedOut
        || error
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<reqwest::Error>())
            .is_some_and(reqwest::Error::is_timeout);
    let what = if timed_out {
        format!(
            "timed out after {} s while reading the body ({bytes_read} bytes read)",
            config.read_timeout_secs
        )
    } else {
        format!(
            "connection broke off mid-body after {bytes_read} bytes: {}",
            describe_io(error)
        )
    };
    Failure {
        what,
        kind: FailureKind::Transient,
        retry_after: None,
    }
}

/// What an error answer's body said: its start quoted and scrubbed of secrets, and the wait
/// it names if it suspends the client ([`super::pacing::suspension_wait`]).
pub(super) struct ErrorBody {
    pub(super) quoted: Option<String>,
    pub(super) suspension: Option<std::time::Duration>,
}

/// The start of an error body, quoted and scrubbed of `secrets`, if it has any text: what
/// arrived of its first [`ERROR_BODY_BYTES`] before the answer deadline (or a failed read).
pub(super) fn read_error_body(
    response: Response,
    secrets: &[String],
    config: &HttpConfig,
    started: Instant,
) -> ErrorBody {
    let deadline = Duration::from_secs(config.answer_deadline_secs);
    let mut limited = response.take(ERROR_BODY_BYTES);
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 1024];
    while started.elapsed() <= deadline {
        match limited.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let suspension = super::pacing::suspension_wait(&String::from_utf8_lossy(&bytes));
    let quoted = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        Some(snippet(&bytes, secrets))
    };
    ErrorBody { quoted, suspension }
}

fn describe_io(error: &std::io::Error) -> String {
    let mut parts = vec![error.to_string()];
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    redact(&parts.join(": "))
}
