//! Force-directed graph layout engine for the investigation board: a
//! deterministic, std-only simulation (Barnes–Hut repulsion weighted by node
//! degree, spring attraction along edges, weak gravity, short-range collision,
//! d3-style cooling)
//! plus small geometry helpers for placing new nodes and outlining clusters.
//! The engine knows nothing about egui or the case model: callers hand in plain
//! positions, pinned flags and `(from, to)` index pairs and read positions back.
//! [`driver`] (with its worker thread) keeps an engine in step with a
//! [`crate::model::Case`] for the app and the command line alike; it holds no egui.
//! From 2,500 nodes a tick runs on all cores (at most four
//! threads: the tree and the collision grid are built side by side, the repulsion
//! query and the collision pass are split into blocks, [`parallel`]); the result is
//! bit-identical to a single thread's, so a seed still decides the layout.

#[cfg(test)]
mod calm_tests;
mod coincident;
mod collide;
pub mod driver;
mod field;
mod force;
mod graph;
mod hull;
mod local;
mod metrics;
mod morton;
mod parallel;
mod params;
mod placement;
mod quadtree;
mod rng;
#[cfg(test)]
mod test_support;
mod walk;
mod worker;

pub use driver::LayoutDriver;
pub use force::{ForceLayout, TickReport};
pub use hull::{convex_hull, inflate_hull};
pub use metrics::{crowding, edge_length_spread, normalized_stress};
pub use params::LayoutParams;
pub use placement::{away_direction, place_away, place_near, place_near_with_length};
