//! The Esplora JSON answers this source reads, as typed serde structs.
//!
//! Unknown fields are ignored (servers add fields over time); fields the source relies on are
//! required, so an answer without them fails with a message naming the field path. Amounts
//! are integers of satoshi: a float or a negative number is refused, never rounded.

use serde::Deserialize;

/// `GET /address/:address`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct AddressInfo {
    pub(super) address: String,
    pub(super) chain_stats: AddressStats,
    pub(super) mempool_stats: AddressStats,
}

/// Funded/spent totals of an address, confirmed or in the mempool.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct AddressStats {
    pub(super) tx_count: u64,
    pub(super) funded_txo_count: u64,
    pub(super) funded_txo_sum: u64,
    #[allow(dead_code)] // required as a sign of the right shape; not used
    pub(super) spent_txo_count: u64,
    pub(super) spent_txo_sum: u64,
}

/// `GET /tx/:txid`, and each element of `/address/:a/txs/…`.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Tx {
    pub(super) txid: String,
    pub(super) vin: Vec<Vin>,
    pub(super) vout: Vec<Output>,
    pub(super) status: TxStatus,
}

/// One input: the output it spends (`txid`, `vout`) and that output (`prevout`), which is
/// `null` (or absent) for a coinbase input.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Vin {
    #[serde(default)]
    pub(super) txid: Option<String>,
    #[serde(default)]
    pub(super) vout: Option<u32>,
    #[serde(default)]
    pub(super) is_coinbase: bool,
    #[serde(default)]
    pub(super) prevout: Option<Output>,
}

/// An output (also the `prevout` an input spends). No address for `OP_RETURN`, bare
/// multisig, P2PK and other non-standard scripts.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Output {
    #[serde(default)]
    pub(super) scriptpubkey_address: Option<String>,
    #[serde(default)]
    pub(super) scriptpubkey_type: Option<String>,
    /// The output script as hex (an `OP_RETURN`'s text is read from it).
    #[serde(default)]
    pub(super) scriptpubkey: Option<String>,
    pub(super) value: u64,
}

/// Confirmation status; block fields are absent or `null` while unconfirmed.
#[derive(Debug, Clone, Copy, Deserialize)]
pub(super) struct TxStatus {
    pub(super) confirmed: bool,
    #[serde(default)]
    pub(super) block_height: Option<u64>,
    #[serde(default)]
    pub(super) block_time: Option<i64>,
}

/// One element of `GET /tx/:txid/outspends`: who spent output *i*, if anyone.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Outspend {
    pub(super) spent: bool,
    #[serde(default)]
    pub(super) txid: Option<String>,
    #[serde(default)]
    pub(super) vin: Option<u32>,
    #[serde(default)]
    pub(super) status: Option<TxStatus>,
}
