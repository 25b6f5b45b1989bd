//! Time and block heights of the demo world.
//!
//! The world starts with the theft at 2025-02-21 14:13 UTC and runs for thirty days. Ethereum
//! blocks come every 12 seconds from block 21,895,238, Bitcoin blocks every 10 minutes from
//! height 883,410; a transaction's time is the time of the block that holds it, so heights and
//! times rise together along the flow. The snapshot time stamps every answer's provenance, so
//! answers are identical from run to run.

/// Unix seconds of the theft: 2025-02-21 14:13:00 UTC.
pub const THEFT_UNIX_SECS: i64 = 1_740_147_180;

/// Unix seconds at which the demo ledger was "fetched": 2025-03-24 00:00:00 UTC, after the
/// last event of the world. Used for provenance, the demo case and the attribution tags.
pub const DEMO_SNAPSHOT_UNIX_SECS: i64 = 1_742_774_400;

/// Length of the simulated window after the theft.
pub(super) const WORLD_DURATION_SECS: i64 = 30 * DAY_SECS;

/// Last moment at which the world has events.
pub(super) const WORLD_END_UNIX_SECS: i64 = THEFT_UNIX_SECS + WORLD_DURATION_SECS;

// Every event happens before the snapshot that stamps the answers.
const _: () = assert!(WORLD_END_UNIX_SECS < DEMO_SNAPSHOT_UNIX_SECS);

/// Seconds per minute, hour and day, for readable delays.
pub(super) const MINUTE_SECS: i64 = 60;
pub(super) const HOUR_SECS: i64 = 60 * MINUTE_SECS;
pub(super) const DAY_SECS: i64 = 24 * HOUR_SECS;

const ETH_BLOCK_AT_THEFT: u64 = 21_895_238;
const ETH_BLOCK_SECS: i64 = 12;
const BTC_HEIGHT_AT_THEFT: u64 = 883_410;
const BTC_BLOCK_SECS: i64 = 600;

/// A block on one chain: its height and its timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Block {
    pub height: u64,
    pub time_unix_secs: i64,
}

/// The Ethereum block that includes a transaction sent at `unix_secs`.
pub(super) fn eth_block(unix_secs: i64) -> Block {
    block_at(unix_secs, ETH_BLOCK_AT_THEFT, ETH_BLOCK_SECS)
}

/// The Bitcoin block that includes a transaction sent at `unix_secs`.
pub(super) fn btc_block(unix_secs: i64) -> Block {
    block_at(unix_secs, BTC_HEIGHT_AT_THEFT, BTC_BLOCK_SECS)
}

/// Tip height of Ethereum in the world (the block of its last moment).
pub(super) fn eth_tip_height() -> u64 {
    eth_block(WORLD_END_UNIX_SECS).height
}

/// Tip height of Bitcoin in the world (the block of its last moment).
pub(super) fn btc_tip_height() -> u64 {
    btc_block(WORLD_END_UNIX_SECS).height
}

fn block_at(unix_secs: i64, height_at_theft: u64, block_secs: i64) -> Block {
    let since_theft_secs = unix_secs.saturating_sub(THEFT_UNIX_SECS).max(0);
    let blocks = since_theft_secs / block_secs;
    Block {
        height: height_at_theft + blocks.unsigned_abs(),
        time_unix_secs: THEFT_UNIX_SECS + blocks * block_secs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::util::format_time;

    #[test]
    fn constants_are_the_documented_dates() {
        assert_eq!(format_time(THEFT_UNIX_SECS), "2025-02-21 14:13 UTC");
        assert_eq!(format_time(DEMO_SNAPSHOT_UNIX_SECS), "2025-03-24 00:00 UTC");
    }

    #[test]
    fn heights_rise_with_time() {
        assert_eq!(eth_block(THEFT_UNIX_SECS).height, 21_895_238);
        assert_eq!(eth_block(THEFT_UNIX_SECS + 25).height, 21_895_240);
        assert_eq!(
            eth_block(THEFT_UNIX_SECS + 25).time_unix_secs,
            THEFT_UNIX_SECS + 24
        );
        assert_eq!(btc_block(THEFT_UNIX_SECS + 1_199).height, 883_411);
        assert!(btc_tip_height() > 883_410 && eth_tip_height() > 21_895_238);
        let block = btc_block(THEFT_UNIX_SECS + 7_777);
        assert!(block.time_unix_secs <= THEFT_UNIX_SECS + 7_777);
    }
}
