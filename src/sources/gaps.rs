//! Gap sentences every source words the same way, so the app and the command line can tell
//! them apart from the rest of a page's gaps (see [`crate::model::CounterpartyPage::gaps`]).

use crate::model::NodeId;

/// The words that mark a [`no_history`] sentence.
const NO_HISTORY_MARK: &str = " has no history for ";

/// The gap of a page for an address the source knows nothing of (no transfer, no balance,
/// no transaction): "`demo` has no history for eth:0x… — choose a data source that covers it".
/// Unlike an empty page of a known address ("nothing new"), this usually means the wrong
/// data source is selected.
pub fn no_history(source_name: &str, node: &NodeId) -> String {
    format!("{source_name}{NO_HISTORY_MARK}{node} — choose a data source that covers this address")
}

/// True for a gap made by [`no_history`].
pub fn is_no_history(gap: &str) -> bool {
    gap.contains(NO_HISTORY_MARK) && gap.ends_with("choose a data source that covers this address")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_history_is_recognised() {
        let node = NodeId::parse("eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed").expect("id");
        let gap = no_history("demo", &node);
        assert_eq!(
            gap,
            "demo has no history for eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed — choose a data source that covers this address"
        );
        assert!(is_no_history(&gap));
        assert!(!is_no_history("read cap reached"));
    }
}
