//! Pure analysis over case data: what an expansion adds, and (later) clustering heuristics,
//! path finding and fund-flow tracing. No screen, no network.

pub mod by_hash;
pub mod dense;
pub mod entity;
pub mod expand_options;
pub mod expansion;
pub mod findings;
pub mod flows;
pub mod money;
pub mod paths;
pub mod ranking;
pub mod relation;
pub mod search;
pub mod taint;
pub mod taint_ends;
pub mod thorchain;
pub mod timeline;
pub mod transfer_table;
