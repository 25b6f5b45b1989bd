//! The Etherscan/Blockscout scenario shared by `tests/etherscan.rs` and the source contract
//! suite: a mock server that follows the real APIs' rules (Etherscan V2 wants `chainid` and
//! `apikey` on every request and answers "Invalid API Key" for a wrong one; Blockscout wants no
//! key and names internal transactions' hashes `transactionHash`; both page with
//! `page`/`offset`, answer "No transactions found" with status 0, and refuse `page × offset`
//! past a result window), a synthetic ledger with native, internal and token transfers on one
//! address (three pages of five), sources pointed at the mock, and the expected facts written
//! out by hand.

#![allow(dead_code)]

use super::mock_http::{MockServer, Request, Response};
use super::sources::test_config;
use caseboard::model::{Chain, NodeId, Transfer};
use caseboard::sources::etherscan::{EtherscanSource, Secret};
use caseboard::sources::http::HttpConfig;
use caseboard::sources::{Counterparty, Direction};
use serde_json::{Value, json};
use std::sync::Arc;

pub const KEY: &str = "SECRET-KEY-123";
pub const TIP: u64 = 21_895_238;
pub const PAGE: u32 = 5;
pub const NO_TX: &str = "No transactions found";

// ---------------------------------------------------------------------------------------------
// Addresses and a synthetic ledger
// ---------------------------------------------------------------------------------------------

pub fn addr(byte: u8) -> String {
    format!("0x{}", format!("{byte:02x}").repeat(20))
}

pub fn hot() -> String {
    addr(0xa1)
}
pub fn exchange_b() -> String {
    addr(0xb2)
}
pub fn mixer_c() -> String {
    addr(0xc3)
}
pub fn victim_d() -> String {
    addr(0xd4)
}
pub fn token_sender_e() -> String {
    addr(0xe5)
}
pub fn friend_f() -> String {
    addr(0xf6)
}
pub fn created_g() -> String {
    addr(0x67)
}
pub fn usdt() -> String {
    addr(0x75)
}
pub fn dai() -> String {
    addr(0xda)
}
pub fn odd_token() -> String {
    addr(0x0d)
}
pub fn nft() -> String {
    addr(0x4f)
}

pub fn hash(n: u64) -> String {
    format!("0x{n:064x}")
}

pub fn block_time(block: u64) -> i64 {
    1_700_000_000 + 12 * (block as i64 - 1_000)
}

pub const ETH: u128 = 1_000_000_000_000_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Native,
    Internal,
    Token,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: Kind,
    pub block: u64,
    pub tx: u64,
    pub from: String,
    pub to: String,
    /// `None` for an NFT row (it has a tokenID instead).
    pub value: Option<String>,
    /// The created contract (native/internal creation) or the token contract.
    pub contract: String,
    pub failed: bool,
    /// (symbol or null, decimals text)
    pub token: Option<(Option<&'static str>, &'static str)>,
    /// (Etherscan traceId, Blockscout index)
    pub trace: Option<(&'static str, &'static str)>,
    pub log_index: Option<u64>,
    pub token_id: Option<&'static str>,
}

pub fn native(block: u64, tx: u64, from: &str, to: &str, value: u128) -> Entry {
    Entry {
        kind: Kind::Native,
        block,
        tx,
        from: from.to_owned(),
        to: to.to_owned(),
        value: Some(value.to_string()),
        contract: String::new(),
        failed: false,
        token: None,
        trace: None,
        log_index: None,
        token_id: None,
    }
}

pub fn internal(
    block: u64,
    tx: u64,
    from: &str,
    to: &str,
    value: u128,
    trace: (&'static str, &'static str),
) -> Entry {
    Entry {
        kind: Kind::Internal,
        trace: Some(trace),
        ..native(block, tx, from, to, value)
    }
}

#[allow(clippy::too_many_arguments)]
pub fn token(
    block: u64,
    tx: u64,
    from: &str,
    to: &str,
    value: u128,
    contract: &str,
    symbol: Option<&'static str>,
    decimals: &'static str,
    log_index: u64,
) -> Entry {
    Entry {
        kind: Kind::Token,
        contract: contract.to_owned(),
        token: Some((symbol, decimals)),
        log_index: Some(log_index),
        ..native(block, tx, from, to, value)
    }
}

/// The hot wallet's history: 13 normal transactions (three pages of five), 4 internal
/// transfers, 8 token rows.
pub fn ledger() -> Vec<Entry> {
    let (a, b, c, d, e, f, g) = (
        hot(),
        exchange_b(),
        mixer_c(),
        victim_d(),
        token_sender_e(),
        friend_f(),
        created_g(),
    );
    vec![
        native(1_000, 1, &d, &a, 5 * ETH),
        native(1_001, 2, &a, &b, ETH),
        native(1_002, 3, &a, &b, ETH / 2),
        Entry {
            failed: true,
            ..native(1_003, 4, &a, &c, 2 * ETH)
        },
        native(1_004, 5, &a, &c, 0),
        Entry {
            contract: g.clone(),
            ..native(1_005, 6, &a, "", ETH / 10)
        },
        native(1_006, 7, &a, &a, ETH),
        native(1_007, 8, &f, &a, ETH / 4),
        native(1_007, 9, &d, &a, 1),
        native(1_008, 10, &a, &f, 3 * ETH / 4),
        native(1_009, 11, &b, &a, 3 * ETH / 10),
        native(1_010, 12, &a, &d, ETH / 5),
        native(1_011, 13, &e, &a, 0),
        internal(1_004, 5, &c, &a, 3 * ETH, ("0_1", "1")),
        internal(1_004, 5, &c, &a, 0, ("0_2", "2")),
        Entry {
            failed: true,
            ..internal(1_008, 14, &c, &a, 4 * ETH / 10, ("0", "0"))
        },
        internal(1_012, 15, &a, &c, 3 * ETH / 2, ("1", "1")),
        token(
            1_013,
            16,
            &e,
            &a,
            1_000_000_000,
            &usdt(),
            Some("USDT"),
            "6",
            3,
        ),
        token(
            1_013,
            16,
            &e,
            &a,
            1_000_000_000,
            &usdt(),
            Some("USDT"),
            "6",
            4,
        ),
        token(
            1_014,
            17,
            &a,
            &b,
            1_500_000_000,
            &usdt(),
            Some("USDT"),
            "6",
            0,
        ),
        token(
            1_015,
            18,
            &a,
            &f,
            5 * ETH / 2,
            &dai(),
            Some("DAI"),
            "18",
            12,
        ),
        token(1_016, 19, &d, &a, 0, &usdt(), Some("USDT"), "6", 1),
        token(1_017, 20, &e, &a, 7, &odd_token(), None, "", 2),
        Entry {
            value: None,
            token_id: Some("7"),
            ..token(1_018, 21, &f, &a, 0, &nft(), Some("PUNK"), "0", 5)
        },
    ]
}

// ---------------------------------------------------------------------------------------------
// The mock API
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Etherscan,
    Blockscout,
}

pub struct Api {
    pub flavour: Flavour,
    pub key: String,
    pub chain_id: u64,
    pub tip: u64,
    pub window: u64,
    pub ledger: Vec<Entry>,
}

pub fn envelope(status: &str, message: &str, result: Value) -> Response {
    Response::json(
        200,
        &json!({"status": status, "message": message, "result": result}),
    )
}

pub fn notok(text: &str) -> Response {
    envelope("0", "NOTOK", json!(text))
}

impl Api {
    pub fn new(flavour: Flavour, ledger: Vec<Entry>) -> Api {
        Api {
            flavour,
            key: KEY.to_owned(),
            chain_id: 1,
            tip: TIP,
            window: 10_000,
            ledger,
        }
    }

    pub fn answer(&self, req: &Request) -> Response {
        if self.flavour == Flavour::Etherscan {
            match req.query_param("apikey") {
                None | Some("") => return notok("Missing/Invalid API Key"),
                Some(key) if key != self.key => return notok("Invalid API Key"),
                Some(_) => {}
            }
            if req.query_param("chainid") != Some(&self.chain_id.to_string()) {
                return notok(
                    "Missing or unsupported chainid parameter (required for v2 api), please see \
                     https://api.etherscan.io/v2/chainlist for the list of supported chainids",
                );
            }
        }
        let module = req.query_param("module").unwrap_or_default();
        let action = req.query_param("action").unwrap_or_default();
        match (self.flavour, module, action) {
            (Flavour::Etherscan, "proxy", "eth_blockNumber") => Response::json(
                200,
                &json!({"jsonrpc": "2.0", "id": 83, "result": format!("0x{:x}", self.tip)}),
            ),
            (Flavour::Blockscout, "block", "eth_block_number") => Response::json(
                200,
                &json!({"jsonrpc": "2.0", "id": 1, "result": format!("0x{:x}", self.tip)}),
            ),
            (_, "account", "balance") => {
                let address = req.query_param("address").unwrap_or_default();
                if address == hot() {
                    envelope("1", "OK", json!("123456789012345678901234567890"))
                } else if self.flavour == Flavour::Blockscout {
                    envelope("1", "OK", Value::Null)
                } else {
                    envelope("1", "OK", json!("0"))
                }
            }
            (_, "account", "txlist") => self.history(req, Kind::Native),
            (_, "account", "txlistinternal") => self.history(req, Kind::Internal),
            (_, "account", "tokentx") => self.history(req, Kind::Token),
            _ => notok("Error! Missing Or invalid Action name"),
        }
    }

    pub fn history(&self, req: &Request, kind: Kind) -> Response {
        let number = |name: &str, default: u64| {
            req.query_param(name)
                .map_or(Some(default), |v| v.parse::<u64>().ok())
        };
        let (Some(address), Some(start), Some(end), Some(page), Some(offset)) = (
            req.query_param("address"),
            number("startblock", 0),
            number("endblock", u64::MAX),
            number("page", 1),
            number("offset", 10_000),
        ) else {
            return notok("Error! Invalid parameter");
        };
        if req.query_param("sort") != Some("asc") {
            return notok("Error! this mock only sorts ascending");
        }
        if page == 0 || offset == 0 {
            return notok("Error! Invalid page or offset");
        }
        if page * offset > self.window {
            return notok(&format!(
                "Result window is too large, PageNo x Offset size must be less than or equal to {}",
                self.window
            ));
        }
        let mut rows: Vec<&Entry> = self
            .ledger
            .iter()
            .filter(|e| e.kind == kind && e.block >= start && e.block <= end)
            .filter(|e| {
                e.from == address || e.to == address || (e.to.is_empty() && e.contract == address)
            })
            .filter(|e| self.flavour == Flavour::Blockscout || e.token_id.is_none())
            .collect();
        rows.sort_by_key(|e| e.block);
        let skip = usize::try_from((page - 1) * offset).expect("small");
        let page_rows: Vec<Value> = rows
            .iter()
            .skip(skip)
            .take(usize::try_from(offset).expect("small"))
            .map(|e| self.row_json(e))
            .collect();
        if page_rows.is_empty() {
            let message = match (self.flavour, kind) {
                (Flavour::Blockscout, Kind::Internal) => "No internal transactions found",
                (Flavour::Blockscout, Kind::Token) => "No token transfers found",
                _ => NO_TX,
            };
            return envelope("0", message, json!([]));
        }
        envelope("1", "OK", Value::Array(page_rows))
    }

    pub fn row_json(&self, e: &Entry) -> Value {
        let common = json!({
            "blockNumber": e.block.to_string(),
            "timeStamp": block_time(e.block).to_string(),
            "from": e.from,
            "to": e.to,
            "gas": "21000",
            "gasUsed": "21000",
            "input": "0x",
        });
        let mut row = common.as_object().expect("object").clone();
        let mut set = |k: &str, v: Value| {
            row.insert(k.to_owned(), v);
        };
        match e.kind {
            Kind::Native => {
                set("hash", json!(hash(e.tx)));
                set("nonce", json!("7"));
                set("blockHash", json!(hash(e.block)));
                set("transactionIndex", json!("3"));
                set("value", json!(e.value));
                set("gasPrice", json!("30000000000"));
                set("isError", json!(if e.failed { "1" } else { "0" }));
                set("txreceipt_status", json!(if e.failed { "0" } else { "1" }));
                set("contractAddress", json!(e.contract));
                set("cumulativeGasUsed", json!("1000000"));
                set("confirmations", json!((self.tip - e.block + 1).to_string()));
                if self.flavour == Flavour::Etherscan {
                    set("methodId", json!("0x"));
                    set("functionName", json!(""));
                }
            }
            Kind::Internal => {
                let (trace_id, index) = e.trace.expect("trace");
                match self.flavour {
                    Flavour::Etherscan => {
                        set("hash", json!(hash(e.tx)));
                        set("traceId", json!(trace_id));
                    }
                    Flavour::Blockscout => {
                        set("transactionHash", json!(hash(e.tx)));
                        set("index", json!(index));
                        set("callType", json!("call"));
                    }
                }
                set("value", json!(e.value));
                set("contractAddress", json!(e.contract));
                set("type", json!("call"));
                set("isError", json!(if e.failed { "1" } else { "0" }));
                set("errCode", json!(if e.failed { "Reverted" } else { "" }));
            }
            Kind::Token => {
                let (symbol, decimals) = e.token.expect("token");
                set("hash", json!(hash(e.tx)));
                set("nonce", json!("9"));
                set("blockHash", json!(hash(e.block)));
                set("contractAddress", json!(e.contract));
                set("tokenName", json!(symbol.map(|s| format!("{s} token"))));
                set("tokenSymbol", json!(symbol));
                set("tokenDecimal", json!(decimals));
                set("transactionIndex", json!("1"));
                set("gasPrice", json!("30000000000"));
                set("cumulativeGasUsed", json!("1000000"));
                set("confirmations", json!((self.tip - e.block + 1).to_string()));
                if let Some(value) = &e.value {
                    set("value", json!(value));
                }
                if let Some(id) = e.token_id {
                    set("tokenID", json!(id));
                }
                if self.flavour == Flavour::Blockscout {
                    set("logIndex", json!(e.log_index.map(|i| i.to_string())));
                }
            }
        }
        Value::Object(row)
    }
}

/// Where the flavour's API lives on the mock server.
pub fn route_prefix(flavour: Flavour) -> &'static str {
    match flavour {
        Flavour::Etherscan => "/v2/api",
        Flavour::Blockscout => "/api",
    }
}

pub fn serve(api: Api) -> (MockServer, Arc<Api>) {
    let server = MockServer::start();
    let api = Arc::new(api);
    let handler = Arc::clone(&api);
    server.route("GET", route_prefix(api.flavour), move |req| {
        handler.answer(req)
    });
    (server, api)
}
// ---------------------------------------------------------------------------------------------
// Sources against the mock
// ---------------------------------------------------------------------------------------------

pub fn etherscan_with(server: &MockServer, key: &str, config: HttpConfig) -> EtherscanSource {
    EtherscanSource::etherscan(
        1,
        Secret::new(key),
        config,
        None,
        Some(&format!("{}/v2", server.url())),
    )
    .expect("source")
    .with_page_size(PAGE)
}

pub fn etherscan(server: &MockServer) -> EtherscanSource {
    etherscan_with(server, KEY, test_config())
}

pub fn blockscout(server: &MockServer, chain_id: u64) -> EtherscanSource {
    EtherscanSource::blockscout(
        &format!("{}/api", server.url()),
        chain_id,
        test_config(),
        None,
    )
    .expect("source")
    .with_page_size(PAGE)
}

pub fn node(chain: Chain, address: &str) -> NodeId {
    NodeId::parse(&format!("{}:{address}", chain.id_prefix())).expect("valid")
}

/// 64-bit FNV-1a, as the source fingerprints legs without a position.
pub fn fnv(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{hash:016x}")
}

// ---------------------------------------------------------------------------------------------
// Expected facts, written out by hand
// ---------------------------------------------------------------------------------------------

/// (transfer id, from, to, amount, symbol, decimals, contract, block)
pub type Leg = (
    String,
    String,
    String,
    u128,
    String,
    u8,
    Option<String>,
    u64,
);

pub fn legs_of(transfers: &[Transfer]) -> Vec<Leg> {
    transfers
        .iter()
        .map(|t| {
            (
                t.id.to_string(),
                t.from.value().to_owned(),
                t.to.value().to_owned(),
                t.amount,
                t.asset.symbol.clone(),
                t.asset.decimals,
                t.asset.contract.clone(),
                t.block_height.expect("height"),
            )
        })
        .collect()
}

pub fn summary(cps: &[Counterparty]) -> Vec<(String, u128, Vec<Leg>)> {
    cps.iter()
        .map(|c| (c.key.value().to_owned(), c.value, legs_of(&c.transfers)))
        .collect()
}

pub struct Expect {
    pub flavour: Flavour,
    pub prefix: String,
}

impl Expect {
    pub fn id(&self, tx: u64, leg: &str) -> String {
        format!("{}:{}:{leg}", self.prefix, hash(tx))
    }

    pub fn eth(&self, tx: u64, from: &str, to: &str, amount: u128, block: u64) -> Leg {
        (
            self.id(tx, "native"),
            from.to_owned(),
            to.to_owned(),
            amount,
            "ETH".to_owned(),
            18,
            None,
            block,
        )
    }

    pub fn internal(
        &self,
        tx: u64,
        from: &str,
        to: &str,
        amount: u128,
        block: u64,
        trace: (&str, &str),
    ) -> Leg {
        let leg = match self.flavour {
            Flavour::Etherscan => format!("internal{}", trace.0),
            Flavour::Blockscout => format!("internal{}", trace.1),
        };
        (
            self.id(tx, &leg),
            from.to_owned(),
            to.to_owned(),
            amount,
            "ETH".to_owned(),
            18,
            None,
            block,
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub fn token(
        &self,
        tx: u64,
        from: &str,
        to: &str,
        amount: u128,
        block: u64,
        (contract, symbol, decimals): (&str, &str, u8),
        log_index: u64,
        occurrence: u32,
    ) -> Leg {
        let leg = match self.flavour {
            Flavour::Etherscan => format!(
                "token-{}",
                fnv(&format!("{contract}|{from}|{to}|{amount}|{occurrence}"))
            ),
            Flavour::Blockscout => format!("log{log_index}"),
        };
        (
            self.id(tx, &leg),
            from.to_owned(),
            to.to_owned(),
            amount,
            symbol.to_owned(),
            decimals,
            Some(contract.to_owned()),
            block,
        )
    }

    /// The hot wallet's counterparties in both directions, in first-seen order.
    pub fn both(&self) -> Vec<(String, u128, Vec<Leg>)> {
        let (a, b, c, d, e, f, g) = (
            hot(),
            exchange_b(),
            mixer_c(),
            victim_d(),
            token_sender_e(),
            friend_f(),
            created_g(),
        );
        let usdt = (usdt(), "USDT", 6u8);
        let usdt = (usdt.0.as_str(), usdt.1, usdt.2);
        let dai = dai();
        let dai = (dai.as_str(), "DAI", 18u8);
        const SCALE_6: u128 = 1_000_000_000_000; // 10^(18-6)
        vec![
            (
                d.clone(),
                5 * ETH + 1 + ETH / 5,
                vec![
                    self.eth(1, &d, &a, 5 * ETH, 1_000),
                    self.eth(9, &d, &a, 1, 1_007),
                    self.eth(12, &a, &d, ETH / 5, 1_010),
                ],
            ),
            (
                b.clone(),
                ETH + ETH / 2 + 3 * ETH / 10 + 1_500_000_000 * SCALE_6,
                vec![
                    self.eth(2, &a, &b, ETH, 1_001),
                    self.eth(3, &a, &b, ETH / 2, 1_002),
                    self.eth(11, &b, &a, 3 * ETH / 10, 1_009),
                    self.token(17, &a, &b, 1_500_000_000, 1_014, usdt, 0, 0),
                ],
            ),
            (
                g.clone(),
                ETH / 10,
                vec![self.eth(6, &a, &g, ETH / 10, 1_005)],
            ),
            (
                f.clone(),
                ETH / 4 + 3 * ETH / 4 + 5 * ETH / 2,
                vec![
                    self.eth(8, &f, &a, ETH / 4, 1_007),
                    self.eth(10, &a, &f, 3 * ETH / 4, 1_008),
                    self.token(18, &a, &f, 5 * ETH / 2, 1_015, dai, 12, 0),
                ],
            ),
            (
                c.clone(),
                3 * ETH + 3 * ETH / 2,
                vec![
                    self.internal(5, &c, &a, 3 * ETH, 1_004, ("0_1", "1")),
                    self.internal(15, &a, &c, 3 * ETH / 2, 1_012, ("1", "1")),
                ],
            ),
            (
                e.clone(),
                2 * 1_000_000_000 * SCALE_6,
                vec![
                    self.token(16, &e, &a, 1_000_000_000, 1_013, usdt, 3, 0),
                    self.token(16, &e, &a, 1_000_000_000, 1_013, usdt, 4, 1),
                ],
            ),
        ]
    }

    /// [`Expect::both`] narrowed to one direction (transfers out of or into the hot wallet).
    pub fn only(&self, direction: Direction) -> Vec<(String, u128, Vec<Leg>)> {
        let a = hot();
        // First-seen order is the order of the kept transfers across all lists.
        let mut out: Vec<(String, u128, Vec<Leg>)> = Vec::new();
        let all = self.both();
        let mut seq: Vec<(usize, Leg)> = Vec::new();
        let rank = |leg: &Leg| -> usize {
            // txlist first (by block), then internal, then tokens — the order the lists are read.
            let kind = if leg.0.ends_with(":native") {
                0
            } else if leg.0.contains(":internal") {
                1
            } else {
                2
            };
            kind * 1_000_000 + usize::try_from(leg.7).expect("small")
        };
        for (_, _, legs) in &all {
            for leg in legs {
                let wanted = match direction {
                    Direction::Out => leg.1 == a,
                    Direction::In => leg.2 == a,
                    Direction::Both => true,
                };
                if wanted {
                    seq.push((rank(leg), leg.clone()));
                }
            }
        }
        seq.sort_by_key(|(r, _)| *r);
        for (_, leg) in seq {
            let other = if leg.1 == a {
                leg.2.clone()
            } else {
                leg.1.clone()
            };
            let scale = 10u128.pow(18 - u32::from(leg.5));
            match out.iter_mut().find(|(k, ..)| *k == other) {
                Some(entry) => {
                    entry.1 += leg.3 * scale;
                    entry.2.push(leg);
                }
                None => out.push((other, leg.3 * scale, vec![leg])),
            }
        }
        out
    }
}
