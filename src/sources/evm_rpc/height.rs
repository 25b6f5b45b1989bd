//! The highest block a chain can plausibly have reached by now, to refuse a tip no honest
//! node reports (2^64 − 1, or a height that would need faster blocks than the chain makes)
//! before any block range is walked.
//!
//! Ethereum mainnet (chain 1) started on 2015-07-30 (genesis timestamp 1438269973) and has
//! never made more than one block a second (≈13 s before the Merge, 12 s since): its bound
//! is one block per second since genesis. Any other chain id (L2s with 250 ms blocks, test
//! chains, anvil mining on demand) gets a generous bound of 20 blocks a second since the same
//! date. Both are far below where a walk would never end, and far above any real chain.

/// Ethereum mainnet's genesis timestamp (block 0).
const MAINNET_GENESIS_UNIX: i64 = 1_438_269_973;

/// Blocks a second mainnet never exceeds.
const MAINNET_BLOCKS_PER_SEC: u64 = 1;

/// Blocks a second no other chain is taken to exceed.
const OTHER_BLOCKS_PER_SEC: u64 = 20;

/// Added to every bound so clock skew and chains older than their own history do not trip it.
const MARGIN_BLOCKS: u64 = 1_000_000;

/// The most blocks chain `chain_id` can have by `now_unix`.
pub(super) fn plausible_max_height(chain_id: u64, now_unix: i64) -> u64 {
    let per_sec = if chain_id == 1 {
        MAINNET_BLOCKS_PER_SEC
    } else {
        OTHER_BLOCKS_PER_SEC
    };
    let secs = u64::try_from(now_unix.saturating_sub(MAINNET_GENESIS_UNIX)).unwrap_or(0);
    secs.saturating_mul(per_sec).saturating_add(MARGIN_BLOCKS)
}

/// `Err(message)` when `tip` is beyond what chain `chain_id` can have reached by `now_unix`.
pub(super) fn check_tip(chain_id: u64, tip: u64, now_unix: i64) -> Result<(), String> {
    let most = plausible_max_height(chain_id, now_unix);
    if tip > most {
        return Err(format!(
            "the node reports block {tip} as its tip, but chain {chain_id} cannot have more than \
             {most} blocks by now; the node is broken or not to be trusted, so nothing was read"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-01T00:00:00Z.
    const NOW: i64 = 1_767_225_600;

    #[test]
    fn absurd_tips_are_refused_and_real_ones_pass() {
        assert!(check_tip(1, u64::MAX, NOW).is_err());
        assert!(check_tip(31_337, u64::MAX, NOW).is_err());
        // Mainnet was near 24.1 million blocks at the start of 2026.
        assert_eq!(check_tip(1, 24_100_000, NOW), Ok(()));
        // More than one block a second since 2015 is not mainnet.
        let err = check_tip(1, 400_000_000, NOW).expect_err("too high");
        assert!(err.contains("block 400000000"), "{err}");
        assert!(err.contains("chain 1 cannot have more than"), "{err}");
        // Arbitrum One (250 ms blocks) was near 420 million.
        assert_eq!(check_tip(42_161, 420_000_000, NOW), Ok(()));
        // A clock before 2015 still allows the margin.
        assert_eq!(check_tip(1, 5, 0), Ok(()));
    }
}
