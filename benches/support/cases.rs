//! Cases and timing shared by the benchmarks: a median of runs, and a case of 1,000,000 ETH
//! and USDT transfers among 200,000 addresses over a year.

#![allow(dead_code)]

use caseboard::model::{Asset, Case, Chain, Node, NodeId, Transfer, TransferId};
use std::hint::black_box;
use std::time::Instant;

pub const TRANSFERS: usize = 1_000_000;
pub const NODES_1M: usize = 200_000;

pub fn median_ms<T>(runs: usize, mut f: impl FnMut() -> T) -> f64 {
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// A case of 1,000,000 ETH and USDT transfers among 200,000 addresses over a year.
pub fn million_transfer_case() -> Case {
    let mut case = Case::new("1M transfers", 0);
    let ids: Vec<NodeId> = (0..NODES_1M)
        .map(|i| NodeId::parse(&format!("eth:0x{:040x}", i + 1)).expect("id"))
        .collect();
    for id in &ids {
        case.nodes.insert(id.clone(), Node::address(id.clone()));
    }
    let usdt = Asset::token(
        Chain::ETHEREUM,
        "USDT",
        6,
        "0xdac17f958d2ee523a2206206994597c13d831ec7",
    );
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..TRANSFERS {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let (from, to) = (
            (x % NODES_1M as u64) as usize,
            ((x >> 20) % NODES_1M as u64) as usize,
        );
        let asset = if i % 3 == 0 {
            usdt.clone()
        } else {
            Asset::native(Chain::ETHEREUM)
        };
        let id = TransferId(format!("eth:{i:064x}:native"));
        case.transfers.insert(
            id.clone(),
            Transfer {
                id,
                from: ids[from].clone(),
                to: ids[to].clone(),
                asset,
                amount: u128::from(x % 1_000_000_000_000_000_000),
                tx_hash: format!("{i:064x}"),
                block_height: Some(1),
                time: Some(1_704_067_200 + (x % 31_536_000) as i64),
                provenance: None,
            },
        );
    }
    case
}
