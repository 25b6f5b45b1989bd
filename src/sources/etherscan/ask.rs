//! Asking the API: one request sent, its envelope read, rate-limit answers waited out and
//! repeated with backoff, refusals turned into errors that name the source but never its key
//! or the request's query.

use super::api::{Envelope, Outcome, describe_value, quote};
use super::{API_KEY_ENV, ApiRequest, EtherscanSource, Flavour};
use crate::sources::http::{CachePolicy, Fetched};
use crate::sources::{JobControl, SourceError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

impl EtherscanSource {
    /// Sends `request` and reads the envelope, waiting out and repeating rate-limit answers.
    /// Does not store: the caller does once the answer proved good.
    pub(super) fn ask(
        &self,
        request: &ApiRequest,
        policy: CachePolicy,
        control: &JobControl,
    ) -> Result<(Outcome, Fetched), SourceError> {
        let mut retry = 0u32;
        loop {
            control.check()?;
            let fetched = self.client.get(&request.path, policy, control)?;
            let envelope: Envelope = fetched.json()?;
            let text = match envelope.outcome() {
                Outcome::RateLimited(text) => text,
                outcome => return Ok((outcome, fetched)),
            };
            if retry >= self.retries {
                let after = match retry {
                    0 => String::new(),
                    1 => " after 1 retry".to_owned(),
                    n => format!(" after {n} retries"),
                };
                return Err(self.bad(format!(
                    "{}: rate limited by the server ({}){after}",
                    request.shown,
                    quote(&text)
                )));
            }
            let wait = self.backoff(retry);
            tracing::info!(
                source = %self.name,
                "{}: rate limited ({}); retry {} of {} in {} ms",
                request.shown,
                self.scrub(&quote(&text)),
                retry + 1,
                self.retries,
                wait.as_millis()
            );
            control.sleep(wait)?;
            retry += 1;
        }
    }

    /// The wait before rate-limit retry `retry` (0 = first): `retry_base_ms · 2^retry` plus
    /// up to 25 % jitter, at most `max_retry_wait_secs`.
    pub(super) fn backoff(&self, retry: u32) -> Duration {
        let step = self
            .retry_base_ms
            .saturating_mul(1u64 << retry.min(20))
            .min(self.max_retry_wait_secs.saturating_mul(1000));
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::from(d.subsec_nanos()));
        let jitter = if step < 4 { 0 } else { nanos % (step / 4) };
        Duration::from_millis(step.saturating_add(jitter))
            .min(Duration::from_secs(self.max_retry_wait_secs.max(1)))
    }

    /// The error for a refusal (anything but `Ok`/`Empty`).
    pub(super) fn refusal(&self, request: &ApiRequest, outcome: Outcome) -> SourceError {
        let shown = &request.shown;
        let message = match (&self.flavour, outcome) {
            (Flavour::Etherscan { .. }, Outcome::InvalidKey(text)) => format!(
                "{shown}: invalid API key (the server says {}); check the key in the settings \
                 or {API_KEY_ENV}",
                quote(&text)
            ),
            (Flavour::Blockscout, Outcome::InvalidKey(text)) => format!(
                "{shown}: invalid API key: this instance wants a key ({})",
                quote(&text)
            ),
            (_, Outcome::DailyLimit(text)) => format!(
                "{shown}: the daily request quota is used up (the server says {}); try again \
                 tomorrow",
                quote(&text)
            ),
            (_, Outcome::RateLimited(text)) => {
                format!("{shown}: rate limited by the server ({})", quote(&text))
            }
            (_, Outcome::WindowTooLarge(text)) => format!(
                "{shown}: result window too large ({}); lower the page size",
                quote(&text)
            ),
            (_, Outcome::Failed(text)) => {
                format!("{shown}: the server refused: {}", quote(&text))
            }
            (_, Outcome::Empty) => format!("{shown}: the answer is empty"),
            (_, Outcome::Ok(value)) => {
                format!("{shown}: unexpected answer ({})", describe_value(&value))
            }
        };
        self.bad(message)
    }

    pub(super) fn bad(&self, message: String) -> SourceError {
        SourceError::BadAnswer {
            source_name: self.name.clone(),
            message: self.scrub(&message),
        }
    }

    /// `text` with URL secrets redacted and the key's value, wherever it is, replaced.
    pub(super) fn scrub(&self, text: &str) -> String {
        let out = self.client.redacted(text);
        match &self.flavour {
            Flavour::Etherscan { api_key } if !api_key.is_empty() => {
                out.replace(api_key.expose(), "REDACTED")
            }
            _ => out,
        }
    }
}
