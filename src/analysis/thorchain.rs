//! THORChain swap memos (`SWAP:ASSET:DESTADDR:LIM:AFFILIATE:FEE`, the function also written
//! `s` or `=`) read for where a cross-chain swap pays out: the asset's chain (`BTC.BTC`,
//! `ETH.USDT-0xdac…`, or a shortened name such as `b` for `BTC.BTC`) and the destination
//! address on it. Synthetic (`BTC/BTC`) and trade (`BTC~BTC`) assets stay on THORChain, a
//! THORName destination cannot be resolved offline (a CashAddr's `bitcoincash:` prefix is part
//! of the address, not a separator), and chains Caseboard does not read are
//! named; each is said rather than guessed. The notation is THORChain's documented one
//! (dev.thorchain.org, "Transaction Memos", "Asset Notation", "Memo Length Reduction").

use crate::model::{Chain, NodeId};

/// Most `:`-separated parts read from a memo (a swap has at most nine).
const MAX_PARTS: usize = 12;

/// Where a swap memo says the money goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapIntent {
    /// The asset as the memo writes it (`BTC.BTC`, `e`).
    pub asset: String,
    /// The chain the payout is made on.
    pub chain: Chain,
    /// The destination address's node on that chain.
    pub destination: NodeId,
}

/// What a memo says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemoReading {
    /// A swap that pays out on a Caseboard chain to a readable address.
    Swap(SwapIntent),
    /// Not a swap memo (another THORChain function, or any other text).
    NotASwap,
    /// A swap memo whose payout Caseboard cannot place, and why.
    Unplaceable(String),
}

/// Reads `memo` (see the module doc).
pub fn read_memo(memo: &str) -> MemoReading {
    let parts: Vec<&str> = memo.trim().splitn(MAX_PARTS, ':').collect();
    let [function, asset, destination, ..] = parts.as_slice() else {
        return MemoReading::NotASwap;
    };
    if !["swap", "s", "="].contains(&function.to_ascii_lowercase().as_str()) {
        return MemoReading::NotASwap;
    }
    let asset = asset.trim();
    let full = expand_short_asset(asset).unwrap_or(asset);
    let Some(split) = full.find(['.', '/', '~']) else {
        return MemoReading::Unplaceable(format!("asset {asset:?} is not CHAIN.SYMBOL"));
    };
    let (code, rest) = full.split_at(split);
    if !rest.starts_with('.') {
        return MemoReading::Unplaceable(format!(
            "{asset} is a synthetic or trade asset: it stays on THORChain"
        ));
    }
    let Some(chain) = chain_of(code) else {
        return MemoReading::Unplaceable(format!(
            "{code} is not a chain Caseboard reads (Bitcoin, Litecoin, Bitcoin Cash, EVM chains, TRON)"
        ));
    };
    // A CashAddr written with its `bitcoincash:` prefix spans two parts.
    let joined;
    let destination = match parts.get(3) {
        Some(address)
            if chain == Chain::BitcoinCash && destination.eq_ignore_ascii_case("bitcoincash") =>
        {
            joined = format!("{destination}:{address}");
            joined.as_str()
        }
        _ => destination.trim(),
    };
    if destination.is_empty() {
        return MemoReading::Unplaceable("no destination: the swap pays its sender".to_owned());
    }
    match NodeId::parse(&format!("{}:{destination}", chain.id_prefix())) {
        Ok(id) if !id.is_transaction() && !id.is_entity() => MemoReading::Swap(SwapIntent {
            asset: asset.to_owned(),
            chain,
            destination: id,
        }),
        _ => MemoReading::Unplaceable(format!(
            "{} is not a {chain} address (a THORName cannot be resolved offline)",
            crate::util::clip(destination, 64)
        )),
    }
}

/// The full notation of a shortened asset name.
fn expand_short_asset(asset: &str) -> Option<&'static str> {
    Some(match asset {
        "a" => "AVAX.AVAX",
        "b" => "BTC.BTC",
        "c" => "BCH.BCH",
        "d" => "DOGE.DOGE",
        "e" => "ETH.ETH",
        "g" => "GAIA.ATOM",
        "l" => "LTC.LTC",
        "n" => "BNB.BNB",
        "r" => "THOR.RUNE",
        "s" => "BSC.BNB",
        _ => return None,
    })
}

/// The Caseboard chain of a THORChain chain code.
fn chain_of(code: &str) -> Option<Chain> {
    Some(match code.to_ascii_uppercase().as_str() {
        "BTC" => Chain::Bitcoin,
        "LTC" => Chain::Litecoin,
        "BCH" => Chain::BitcoinCash,
        "ETH" => Chain::ETHEREUM,
        "BSC" => Chain::Evm { chain_id: 56 },
        "AVAX" => Chain::Evm { chain_id: 43_114 },
        "BASE" => Chain::Evm { chain_id: 8_453 },
        "TRON" => Chain::Tron,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn swap(memo: &str) -> SwapIntent {
        match read_memo(memo) {
            MemoReading::Swap(intent) => intent,
            other => panic!("{memo}: {other:?}"),
        }
    }

    #[test]
    fn documented_and_recorded_memos_name_chain_and_address() {
        // The memo of mainnet tx 0x1976d1e5… (see `sources::memos`).
        let intent = swap("=:BTC.BTC:bc1qq3gd59l443zl0ph5m0jmavmcwplvthrxel2g2t:3137288:t:30");
        assert_eq!(intent.chain, Chain::Bitcoin);
        assert_eq!(
            intent.destination.as_str(),
            "btc:bc1qq3gd59l443zl0ph5m0jmavmcwplvthrxel2g2t"
        );
        // The documentation's examples (memo length reduction).
        let intent = swap("=:e:0x388C818CA8B9251b393131C08a736A67ccB19297:161e6:t:10");
        assert_eq!(intent.chain, Chain::ETHEREUM);
        assert_eq!(
            intent.destination.as_str(),
            "eth:0x388c818ca8b9251b393131c08a736a67ccb19297"
        );
        let intent = swap(
            "SWAP:ETH.USDT-0xdac17f958d2ee523a2206206994597c13d831ec7:0xe6a30f4f3bad978910e2cbb4d97581f5b5a0ade0:10012345678:thor1el4ufmhll3yw7zxzszvfakrk66j7fx0tvcslym:10",
        );
        assert_eq!(intent.chain, Chain::ETHEREUM);
        assert_eq!(
            swap("s:b:1BoatSLRHtKNngkdXEeobR76b53LETtpyT").chain,
            Chain::Bitcoin
        );
    }

    #[test]
    fn what_cannot_be_placed_is_said() {
        let said = |memo: &str| match read_memo(memo) {
            MemoReading::Unplaceable(why) => why,
            other => panic!("{memo}: {other:?}"),
        };
        // The recorded ETH → RUNE memo (0xdeea9126…): THORChain itself.
        assert!(
            said("SWAP:THOR.RUNE:thor1t2pfscuq3ctgtf5h3x7p6zrjd7e0jcvuszyvt5:599474535986")
                .contains("THOR is not a chain")
        );
        assert!(said("=:BTC/BTC:thor1abc").contains("synthetic"));
        assert!(said("=:ETH.ETH:dx:161e6").contains("THORName"));
        assert!(said("=:b:").contains("no destination"));
        assert!(said("=:BTCBTC:bc1q").contains("not CHAIN.SYMBOL"));
        for other in ["annex", "ADD:BTC.BTC:thor1abc", "", ":::", "OUT:1234"] {
            assert_eq!(read_memo(other), MemoReading::NotASwap, "{other}");
        }
    }
}
