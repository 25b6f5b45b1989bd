//! (being written)
use super::{CaseIndex, Finding};
pub fn mixer_deposits(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
pub fn mixer_withdrawals(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
pub fn swap_hops(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
pub fn bridge_hops(_index: &CaseIndex) -> Vec<Finding> { Vec::new() }
