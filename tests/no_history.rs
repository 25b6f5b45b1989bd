//! An address a source knows nothing of gives a page whose gap says so (the caller turns it
//! into "this source has no history for X — choose a data source"), not an empty "nothing
//! new": here a real Bybit address expanded against the demo ledger.

use caseboard::model::NodeId;
use caseboard::sources::demo::{DemoSource, theft_address};
use caseboard::sources::gaps;
use caseboard::sources::{DataSource, Direction, JobControl};

#[test]
fn the_demo_ledger_says_it_has_no_history_for_a_real_address() {
    let source = DemoSource::new();
    // Bybit's cold wallet drained in February 2025 (a real mainnet address).
    let bybit = NodeId::parse("eth:0x1db92e2eebc8e0c075a02bea49a2935bcd2dfcf4").expect("id");
    let page = source
        .counterparties_page(&bybit, Direction::Both, None, &JobControl::default())
        .expect("page");
    assert!(page.counterparties.is_empty());
    assert_eq!(page.gaps, [gaps::no_history("demo", &bybit)]);
    assert!(gaps::is_no_history(&page.gaps[0]));
    // An address of the demo world has history and no such gap.
    let known = theft_address();
    let page = source
        .counterparties_page(&known, Direction::Both, None, &JobControl::default())
        .expect("page");
    assert!(!page.counterparties.is_empty());
    assert!(page.gaps.is_empty(), "{:?}", page.gaps);
}
