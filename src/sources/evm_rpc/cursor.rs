//! Where an `evm-rpc` job stopped when a read cap was reached, as the resume cursor "Load
//! more" passes back: `evm-rpc:v1:<phase>:<block>:<tip>`.
//!
//! A job reads in phases, in this order: ERC-20 logs out, ERC-20 logs in, `trace_filter` out,
//! `trace_filter` in (or Otterscan's history, newest first). Logs and traces walk blocks
//! upwards from the start block, so `<block>` is the first block not read; Otterscan walks
//! downwards, so there it is the `before` of the next history page. `<tip>` is the tip the
//! first part was read at: every later part reads up to the same tip, so the parts fit
//! together without gaps or overlaps.

use super::logs::Side;

/// One phase of a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Phase {
    TokensOut,
    TokensIn,
    TracesOut,
    TracesIn,
    Otterscan,
}

impl Phase {
    /// The ERC-20 phase of `side`.
    pub(super) fn tokens(side: Side) -> Phase {
        match side {
            Side::Out => Phase::TokensOut,
            Side::In => Phase::TokensIn,
        }
    }

    /// The `trace_filter` phase of `side`.
    pub(super) fn traces(side: Side) -> Phase {
        match side {
            Side::Out => Phase::TracesOut,
            Side::In => Phase::TracesIn,
        }
    }

    fn word(self) -> &'static str {
        match self {
            Phase::TokensOut => "tokens-out",
            Phase::TokensIn => "tokens-in",
            Phase::TracesOut => "traces-out",
            Phase::TracesIn => "traces-in",
            Phase::Otterscan => "otterscan",
        }
    }

    fn from_word(word: &str) -> Option<Phase> {
        [
            Phase::TokensOut,
            Phase::TokensIn,
            Phase::TracesOut,
            Phase::TracesIn,
            Phase::Otterscan,
        ]
        .into_iter()
        .find(|p| p.word() == word)
    }

    /// What the phase reads, for gap sentences.
    pub(super) fn describe(self) -> &'static str {
        match self {
            Phase::TokensOut => "outgoing ERC-20 transfers (eth_getLogs)",
            Phase::TokensIn => "incoming ERC-20 transfers (eth_getLogs)",
            Phase::TracesOut => "outgoing ETH transfers (trace_filter)",
            Phase::TracesIn => "incoming ETH transfers (trace_filter)",
            Phase::Otterscan => "ETH transfers (Otterscan)",
        }
    }
}

/// Where a job stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stop {
    pub(super) phase: Phase,
    /// First block not read (Otterscan: the `before` of the next page).
    pub(super) block: u64,
    /// Which cap was reached, in words.
    pub(super) reason: String,
}

/// A parsed resume cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Resume {
    pub(super) phase: Phase,
    pub(super) block: u64,
    pub(super) tip: u64,
}

const PREFIX: &str = "evm-rpc:v1:";

/// The cursor for going on after `stop` with the job's `tip`.
pub(super) fn encode(stop: &Stop, tip: u64) -> String {
    format!("{PREFIX}{}:{}:{tip}", stop.phase.word(), stop.block)
}

/// Reads a cursor [`encode`] made; anything else is an error in words.
pub(super) fn decode(text: &str) -> Result<Resume, String> {
    let bad = || {
        let shown: String = text.chars().take(80).collect();
        format!("{shown:?} is not a resume cursor of this source")
    };
    let rest = text.strip_prefix(PREFIX).ok_or_else(bad)?;
    let mut parts = rest.split(':');
    let (Some(phase), Some(block), Some(tip), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let phase = Phase::from_word(phase).ok_or_else(bad)?;
    let number = |t: &str| {
        (!t.is_empty() && t.len() <= 20 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u64>().ok())
            .flatten()
    };
    let (Some(block), Some(tip)) = (number(block), number(tip)) else {
        return Err(bad());
    };
    Ok(Resume { phase, block, tip })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_junk_is_refused() {
        let stop = Stop {
            phase: Phase::TokensIn,
            block: 120,
            reason: String::new(),
        };
        let text = encode(&stop, 999);
        assert_eq!(text, "evm-rpc:v1:tokens-in:120:999");
        assert_eq!(
            decode(&text),
            Ok(Resume {
                phase: Phase::TokensIn,
                block: 120,
                tip: 999
            })
        );
        for junk in [
            "",
            "evm-rpc:v1:tokens-in:1",
            "evm-rpc:v1:tokens-in:1:2:3",
            "evm-rpc:v1:nope:1:2",
            "evm-rpc:v1:tokens-in:-1:2",
            "evm-rpc:v1:tokens-in:99999999999999999999999:2",
            "esplora:abc",
        ] {
            assert!(decode(junk).is_err(), "{junk}");
        }
    }
}
