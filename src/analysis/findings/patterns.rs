//! (being written)
use super::{CaseIndex, Finding};
pub fn fan_out(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
pub fn consolidation(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
pub fn peel_chains(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
pub fn pass_through(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
