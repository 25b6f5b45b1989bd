//! Shared helpers for integration tests (included with `mod support;`).

pub mod anvil;
pub mod mock_http;
