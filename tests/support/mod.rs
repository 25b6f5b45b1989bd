//! Shared helpers for integration tests (included with `mod support;`).

pub mod anvil;
pub mod endless_history;
pub mod esplora_ledger;
pub mod etherscan_api;
pub mod etherscan_tx;
pub mod graphsense_api;
pub mod mock_http;
pub mod prism;
pub mod rpc_proxy;
pub mod sources;
pub mod trongrid_api;
