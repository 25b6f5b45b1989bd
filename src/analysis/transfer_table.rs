//! The rows of a node's transfer table and their sort orders: which way each transfer went,
//! who the counterparty was, when, and its USD value at the time. Pure, so the orders are
//! tested without a screen; the inspector only draws the rows it is given.
//!
//! Rows start in time order (oldest first, unconfirmed last, ties by transfer id). Every other
//! order sorts by its column and falls back to that time order, so ties never shuffle between
//! frames. Rows without the sorted value (no time, no price) go last in both directions: "no
//! price" is not $0 and must not pose as the smallest value.

use crate::model::{Case, NodeId, Transfer, TransferId};
use crate::prices::{PriceBook, Usd};
use std::cmp::Ordering;

/// A column the table can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortColumn {
    /// Block time.
    Time,
    /// In before out.
    Direction,
    /// The other node, by id.
    Counterparty,
    /// Amount in whole units of its asset (assets with different decimals compare by value
    /// in whole units, so 1 BTC equals 1 ETH here; USD compares across assets).
    Amount,
    /// USD value at the time.
    Usd,
}

impl SortColumn {
    /// Whether the first click sorts this column descending (largest amounts first).
    fn starts_descending(self) -> bool {
        matches!(self, SortColumn::Amount | SortColumn::Usd)
    }
}

/// The table's order: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SortOrder {
    /// The sorted column.
    pub column: SortColumn,
    /// Largest / latest / last first.
    pub descending: bool,
}

impl Default for SortOrder {
    /// Time order, oldest first.
    fn default() -> SortOrder {
        SortOrder {
            column: SortColumn::Time,
            descending: false,
        }
    }
}

impl SortOrder {
    /// The order after a click on `column`'s header: the same column reverses; another column
    /// starts ascending (amount and USD start with the largest).
    pub fn clicked(self, column: SortColumn) -> SortOrder {
        if self.column == column {
            SortOrder {
                column,
                descending: !self.descending,
            }
        } else {
            SortOrder {
                column,
                descending: column.starts_descending(),
            }
        }
    }
}

/// Which way a transfer went, seen from the inspected node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Flow {
    /// Into the node.
    In,
    /// Out of the node (a transfer to itself counts as out).
    Out,
}

/// One row: a transfer of the node with the keys the table sorts by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferRow {
    /// The transfer (look it up in the case for asset, amount and hash).
    pub transfer: TransferId,
    /// In or out of the node.
    pub flow: Flow,
    /// The other end.
    pub counterparty: NodeId,
    /// Block time, `None` when unconfirmed.
    pub time: Option<i64>,
    /// Amount scaled to 18 decimals ([`Transfer::ranking_value`]).
    pub amount_key: u128,
    /// USD at the time, `None` when there is no price.
    pub usd: Option<Usd>,
}

impl TransferRow {
    fn of(node: &NodeId, transfer: &Transfer, prices: &PriceBook) -> TransferRow {
        let outgoing = &transfer.from == node;
        TransferRow {
            transfer: transfer.id.clone(),
            flow: if outgoing { Flow::Out } else { Flow::In },
            counterparty: if outgoing {
                transfer.to.clone()
            } else {
                transfer.from.clone()
            },
            time: transfer.time,
            amount_key: transfer.ranking_value(),
            usd: prices.transfer_value(transfer).map(|v| v.usd),
        }
    }
}

/// The transfers of `node` in time order, valued with `prices`.
pub fn transfer_rows(case: &Case, node: &NodeId, prices: &PriceBook) -> Vec<TransferRow> {
    let mut rows: Vec<TransferRow> = case
        .transfers_of(node)
        .map(|t| TransferRow::of(node, t, prices))
        .collect();
    sort_rows(&mut rows, SortOrder::default());
    rows
}

/// Sorts `rows` by `order`; ties keep time order (see the module doc).
pub fn sort_rows(rows: &mut [TransferRow], order: SortOrder) {
    rows.sort_by(|a, b| compare(a, b, order).then_with(|| time_order(a, b)));
}

/// Time ascending, unconfirmed last, then transfer id.
fn time_order(a: &TransferRow, b: &TransferRow) -> Ordering {
    missing_last(a.time, b.time, false).then_with(|| a.transfer.cmp(&b.transfer))
}

fn compare(a: &TransferRow, b: &TransferRow, order: SortOrder) -> Ordering {
    let directed = |ordering: Ordering| {
        if order.descending {
            ordering.reverse()
        } else {
            ordering
        }
    };
    match order.column {
        SortColumn::Time => missing_last(a.time, b.time, order.descending),
        SortColumn::Usd => missing_last(a.usd, b.usd, order.descending),
        SortColumn::Direction => directed(a.flow.cmp(&b.flow)),
        SortColumn::Counterparty => directed(a.counterparty.cmp(&b.counterparty)),
        SortColumn::Amount => directed(a.amount_key.cmp(&b.amount_key)),
    }
}

/// Compares two optional keys in the given direction, `None` after every value either way.
fn missing_last<T: Ord>(a: Option<T>, b: Option<T>, descending: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if descending => b.cmp(&a),
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Asset, Chain, Node};

    fn id(hex_digit: char) -> NodeId {
        NodeId::parse(&format!("eth:0x{}", hex_digit.to_string().repeat(40))).expect("id")
    }

    fn row(
        name: &str,
        flow: Flow,
        time: Option<i64>,
        amount: u128,
        usd: Option<u128>,
    ) -> TransferRow {
        TransferRow {
            transfer: TransferId::from(name),
            flow,
            counterparty: id(name.chars().next().unwrap_or('a')),
            time,
            amount_key: amount,
            usd: usd.map(Usd),
        }
    }

    fn names(rows: &[TransferRow]) -> Vec<&str> {
        rows.iter().map(|r| r.transfer.as_str()).collect()
    }

    fn sample() -> Vec<TransferRow> {
        vec![
            row("c1", Flow::Out, Some(30), 5, Some(500)),
            row("a1", Flow::In, None, 9, None),
            row("b1", Flow::In, Some(10), 5, None),
            row("d1", Flow::Out, Some(20), 7, Some(500)),
            row("e1", Flow::In, Some(10), 1, Some(900)),
        ]
    }

    #[test]
    fn time_order_is_the_default_with_unconfirmed_last_and_ties_by_id() {
        let mut rows = sample();
        sort_rows(&mut rows, SortOrder::default());
        assert_eq!(names(&rows), ["b1", "e1", "d1", "c1", "a1"]);
        let latest_first = SortOrder::default().clicked(SortColumn::Time);
        assert!(latest_first.descending);
        sort_rows(&mut rows, latest_first);
        assert_eq!(
            names(&rows),
            ["c1", "d1", "b1", "e1", "a1"],
            "unconfirmed still last"
        );
    }

    #[test]
    fn usd_puts_unpriced_last_both_ways_and_ties_keep_time_order() {
        let mut rows = sample();
        let by_usd = SortOrder::default().clicked(SortColumn::Usd);
        assert!(by_usd.descending, "the first click shows the largest first");
        sort_rows(&mut rows, by_usd);
        // d1 and c1 tie at 500: d1 is older, so it comes first in both directions.
        assert_eq!(names(&rows), ["e1", "d1", "c1", "b1", "a1"]);
        sort_rows(&mut rows, by_usd.clicked(SortColumn::Usd));
        assert_eq!(names(&rows), ["d1", "c1", "e1", "b1", "a1"]);
    }

    #[test]
    fn amount_direction_and_counterparty_orders() {
        let mut rows = sample();
        sort_rows(&mut rows, SortOrder::default().clicked(SortColumn::Amount));
        assert_eq!(
            names(&rows),
            ["a1", "d1", "b1", "c1", "e1"],
            "5 and 5 keep time order"
        );
        let by_direction = SortOrder::default().clicked(SortColumn::Direction);
        assert!(!by_direction.descending);
        sort_rows(&mut rows, by_direction);
        assert_eq!(names(&rows), ["b1", "e1", "a1", "d1", "c1"]);
        sort_rows(&mut rows, by_direction.clicked(SortColumn::Direction));
        assert_eq!(names(&rows), ["d1", "c1", "b1", "e1", "a1"]);
        sort_rows(
            &mut rows,
            SortOrder::default().clicked(SortColumn::Counterparty),
        );
        assert_eq!(names(&rows), ["a1", "b1", "c1", "d1", "e1"]);
    }

    #[test]
    fn rows_of_a_node_see_its_side_and_the_price() {
        let (a, b) = (id('1'), id('2'));
        let mut case = Case::new("t", 0);
        for n in [&a, &b] {
            case.nodes.insert(n.clone(), Node::address(n.clone()));
        }
        let eth = Asset::native(Chain::ETHEREUM);
        let day = 1_740_096_000; // 2025-02-21, ETH closed at $2,659.65551758
        for (name, from, to, time) in [("t2", &b, &a, day + 60), ("t1", &a, &b, day)] {
            let t = Transfer {
                id: TransferId::from(name),
                from: from.clone(),
                to: to.clone(),
                asset: eth.clone(),
                amount: 15 * 10u128.pow(17),
                tx_hash: name.to_owned(),
                block_height: None,
                time: Some(time),
                provenance: None,
                relation_txs: None,
                memo: None,
            };
            case.transfers.insert(t.id.clone(), t);
        }
        let rows = transfer_rows(&case, &a, PriceBook::bundled_ref());
        assert_eq!(names(&rows), ["t1", "t2"]);
        assert_eq!(rows[0].flow, Flow::Out);
        assert_eq!(rows[0].counterparty, b);
        assert_eq!(rows[1].flow, Flow::In);
        // 1.5 × 2,659.65551758 = 3,989.48327637.
        assert_eq!(rows[0].usd, Some(Usd(398_948_327_637)));
        let unpriced = transfer_rows(&case, &a, &PriceBook::empty());
        assert_eq!(unpriced[0].usd, None);
    }
}
