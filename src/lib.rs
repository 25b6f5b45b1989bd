//! Caseboard: a native desktop workbench for tracing stolen and laundered crypto.
//!
//! The domain (`model`, `case_file`, `layout`, `analysis`, `export`) knows no screen and no
//! network; `sources` fetch facts on job threads; `app` is the egui front end; `cli` the
//! headless commands.

pub mod analysis;
pub mod app;
pub mod attribution;
pub mod case_file;
pub mod cli;
pub mod export;
pub mod fs_atomic;
pub mod generate;
pub mod layout;
pub mod merge;
pub mod model;
pub mod prices;
pub mod sources;
pub mod util;
