//! Waiting politely: the per-client rate limit, the concurrency gate, retry backoff with
//! jitter, `Retry-After` parsing, and sleeps that end early when the job is cancelled.

use crate::sources::{JobControl, SourceError};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// At most one request start per interval, shared by all clones of a client.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    next_start: Mutex<Option<Instant>>,
}

impl RateLimiter {
    pub(crate) fn new(interval: Duration) -> Self {
        RateLimiter {
            interval,
            next_start: Mutex::new(None),
        }
    }

    /// Reserves the next start slot and waits for it.
    pub(crate) fn wait_turn(&self, control: &JobControl) -> Result<(), SourceError> {
        if self.interval.is_zero() {
            return control.check();
        }
        let start = {
            let mut next = self
                .next_start
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let now = Instant::now();
            let start = next.map_or(now, |n| n.max(now));
            *next = Some(start + self.interval);
            start
        };
        control.sleep(start.saturating_duration_since(Instant::now()))
    }
}

/// Limits the requests in flight at once (a counting semaphore).
#[derive(Debug)]
pub(crate) struct Gate {
    limit: usize,
    in_flight: Mutex<usize>,
    freed: Condvar,
}

/// A held slot of a [`Gate`]; released on drop.
pub(crate) struct Slot<'g> {
    gate: &'g Gate,
}

impl Gate {
    pub(crate) fn new(limit: usize) -> Self {
        Gate {
            limit: limit.max(1),
            in_flight: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// Waits for a free slot, checking for cancellation while waiting.
    pub(crate) fn acquire(&self, control: &JobControl) -> Result<Slot<'_>, SourceError> {
        let mut in_flight = self
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        while *in_flight >= self.limit {
            control.check()?;
            in_flight = self
                .freed
                .wait_timeout(in_flight, crate::sources::CANCEL_POLL)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
        *in_flight += 1;
        Ok(Slot { gate: self })
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        let mut in_flight = self
            .gate
            .in_flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *in_flight = in_flight.saturating_sub(1);
        self.gate.freed.notify_one();
    }
}

/// The wait before retry number `retry` (0 = first retry): `base · 2^retry` plus up to 50 %
/// jitter, so clients that failed together do not come back together.
pub(crate) fn backoff(base: Duration, retry: u32) -> Duration {
    let step = base.saturating_mul(2u32.saturating_pow(retry.min(16)));
    let step_ms = u64::try_from(step.as_millis()).unwrap_or(u64::MAX);
    let jitter_ms = if step_ms < 2 {
        0
    } else {
        jitter() % (step_ms / 2 + 1)
    };
    step + Duration::from_millis(jitter_ms)
}

/// A cheap, non-cryptographic random number (clock nanos mixed with a counter).
fn jitter() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9e37_79b9_7f4a_7c15);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::from(d.subsec_nanos()));
    let mut x = nanos ^ COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed);
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Reads a `Retry-After` value: delay seconds (`120`) or an HTTP date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, relative to `now`). `None` if unreadable.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(value)?;
    let now_secs = i64::try_from(now.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
    Some(Duration::from_secs(
        u64::try_from(at - now_secs).unwrap_or(0),
    ))
}

/// The wait a server names when it suspends a client for going too fast, as TronGrid does
/// (HTTP 403, `"The key exceeds the frequency limit(15), and the query server is suspended for
/// 30s"`): the number after "suspended for", in seconds (`30s`, `30 s`, `30 seconds`). `None`
/// when the text says no such thing. Reads at most the first 512 characters.
pub(crate) fn suspension_wait(text: &str) -> Option<Duration> {
    const NEEDLE: &str = "suspended for";
    let head: String = text.chars().take(512).collect::<String>().to_lowercase();
    let (_, after) = head.split_once(NEEDLE)?;
    let after = after.trim_start();
    let digits: String = after
        .chars()
        .take_while(char::is_ascii_digit)
        .take(6)
        .collect();
    let rest = after.get(digits.len()..)?.trim_start();
    if digits.is_empty() || !rest.starts_with('s') {
        return None;
    }
    digits.parse().ok().map(Duration::from_secs)
}

/// Parses an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into unix seconds.
fn parse_http_date(value: &str) -> Option<i64> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let parsed = time::PrimitiveDateTime::parse(value, format).ok()?;
    Some(parsed.assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suspensions_name_their_wait() {
        // TronGrid's words (v1 API, HTTP 403).
        let tron = r#"{"success":false,"error":"The key exceeds the frequency limit(15), and the query server is suspended for 30s","statusCode":403}"#;
        assert_eq!(suspension_wait(tron), Some(Duration::from_secs(30)));
        assert_eq!(
            suspension_wait("Suspended for 5 seconds"),
            Some(Duration::from_secs(5))
        );
        assert_eq!(suspension_wait("forbidden"), None);
        assert_eq!(suspension_wait("suspended for ever"), None);
        assert_eq!(suspension_wait("suspended for 30 minutes"), None);
        assert_eq!(suspension_wait("suspended for 9999999999999s"), None);
        assert_eq!(suspension_wait("suspended for ١٢s"), None);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(784_111_770); // Sun, 06 Nov 1994 08:49:30 GMT
        assert_eq!(parse_retry_after("1", now), Some(Duration::from_secs(1)));
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(7))
        );
        // A date in the past means "now".
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn backoff_doubles_with_bounded_jitter() {
        let base = Duration::from_millis(100);
        for retry in 0..4 {
            let step = 100u64 << retry;
            for _ in 0..20 {
                let wait = backoff(base, retry).as_millis() as u64;
                assert!(
                    wait >= step && wait <= step + step / 2,
                    "{wait} for {retry}"
                );
            }
        }
        assert!(backoff(Duration::from_secs(1), 40) > Duration::from_secs(1000));
    }

    #[test]
    fn rate_limiter_spaces_requests() {
        let limiter = RateLimiter::new(Duration::from_millis(40));
        let control = JobControl::default();
        let start = Instant::now();
        for _ in 0..4 {
            limiter.wait_turn(&control).expect("not cancelled");
        }
        assert!(start.elapsed() >= Duration::from_millis(120));
    }

    #[test]
    fn waits_end_on_cancel() {
        let control = JobControl::default();
        control.cancel();
        let start = Instant::now();
        assert_eq!(
            control.sleep(Duration::from_secs(10)),
            Err(SourceError::Cancelled)
        );
        assert!(start.elapsed() < Duration::from_secs(1));
        let gate = Gate::new(1);
        let _held = gate.acquire(&JobControl::default()).expect("free");
        assert!(gate.acquire(&control).is_err());
    }
}
