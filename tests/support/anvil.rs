//! A real EVM node for tests: anvil (Foundry), started on a free loopback port and killed
//! when dropped.
//!
//! ```ignore
//! let anvil = Anvil::start();                       // panics with a clear message if missing
//! let [a, b] = [anvil.account(0), anvil.account(1)];
//! let receipt = anvil.send(json!({"from": a, "to": b, "value": "0xde0b6b3a7640000"}));
//! ```
//!
//! * The binary is `$ANVIL_BIN`, else `.tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil`
//!   under the crate (installed by `.ci/run`, or by hand with [`INSTALL_COMMAND`]). A missing
//!   binary fails the test (in CI and locally alike): a missing tool is a failure, not a skip.
//! * anvil is started with `--port 0`; the port is read from its `Listening on …` line, then
//!   the node is polled with `eth_chainId` until it answers (both bounded). Its output is
//!   drained on a thread so a chatty node never blocks on a full pipe.
//! * Dev accounts are unlocked, so transactions go out with `eth_sendTransaction`; anvil mines
//!   each at once (automine), so [`Anvil::send`] returns the receipt right away.

#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The command that installs the anvil this project tests against (with the other npm test
/// tools: `--no-save` removes from `.tools` whatever the command does not name).
pub const INSTALL_COMMAND: &str = "npm install --prefix .tools --no-save --no-audit --no-fund @foundry-rs/anvil-linux-amd64@1.7.1 @stoplight/prism-cli@5.14.2";

/// Where the npm package puts the binary, relative to the crate.
const BIN_UNDER_CRATE: &str = ".tools/node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil";

/// How long anvil may take to say where it listens, and then to answer.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running anvil.
pub struct Anvil {
    child: Child,
    url: String,
    client: reqwest::blocking::Client,
    accounts: Vec<String>,
}

impl Anvil {
    /// The anvil binary, or a panic saying how to install it.
    pub fn binary() -> PathBuf {
        let path = match std::env::var_os("ANVIL_BIN") {
            Some(path) if !path.is_empty() => PathBuf::from(path),
            _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(BIN_UNDER_CRATE),
        };
        if !path.is_file() {
            let context = if std::env::var_os("CI").is_some() {
                "CI must install it before the tests run (.ci/run does)"
            } else {
                "the EVM tests need a real node"
            };
            panic!(
                "anvil not found at {}: {context}. Run `bash .ci/run`, or in the crate folder `{INSTALL_COMMAND}` (or set ANVIL_BIN to an anvil binary).",
                path.display()
            );
        }
        path
    }

    /// Starts anvil (chain id 31337) on a free loopback port and waits until it answers.
    pub fn start() -> Anvil {
        Anvil::start_with(&[])
    }

    /// Like [`Anvil::start`] with extra command-line arguments.
    pub fn start_with(extra: &[&str]) -> Anvil {
        let binary = Anvil::binary();
        let mut child = Command::new(&binary)
            .args(["--host", "127.0.0.1", "--port", "0", "--chain-id", "31337"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let stdout = child.stdout.take().expect("anvil stdout is piped");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if !sent && let Some(addr) = line.trim().strip_prefix("Listening on ") {
                    let _ = tx.send(addr.trim().to_owned());
                    sent = true;
                }
                // Keep draining so anvil never blocks on a full pipe.
            }
        });
        let addr = match rx.recv_timeout(START_TIMEOUT) {
            Ok(addr) => addr,
            Err(_) => {
                let _ = child.kill();
                let status = child.wait().ok();
                panic!(
                    "anvil did not say where it listens within {} s (exit status {status:?})",
                    START_TIMEOUT.as_secs()
                );
            }
        };
        let client = reqwest::blocking::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .expect("HTTP client");
        let mut anvil = Anvil {
            child,
            url: format!("http://{addr}"),
            client,
            accounts: Vec::new(),
        };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            match anvil.rpc("eth_chainId", json!([])) {
                Ok(Ok(_)) => break,
                _ if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(50)),
                other => panic!(
                    "anvil at {} does not answer eth_chainId: {other:?}",
                    anvil.url
                ),
            }
        }
        let accounts = anvil.call("eth_accounts", json!([]));
        anvil.accounts = accounts
            .as_array()
            .expect("eth_accounts is an array")
            .iter()
            .map(|a| a.as_str().expect("account").to_ascii_lowercase())
            .collect();
        anvil
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Dev account `i` (lower-case), funded with 10,000 ETH and unlocked.
    pub fn account(&self, i: usize) -> String {
        self.accounts[i].clone()
    }

    /// One JSON-RPC call: `Ok(Ok(result))`, `Ok(Err(error object))`, or a transport error.
    pub fn rpc(&self, method: &str, params: Value) -> Result<Result<Value, Value>, String> {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
        let answer: Value = self
            .client
            .post(&self.url)
            .json(&body)
            .send()
            .and_then(|r| r.json())
            .map_err(|e| e.to_string())?;
        match (answer.get("result"), answer.get("error")) {
            (_, Some(error)) if !error.is_null() => Ok(Err(error.clone())),
            (Some(result), _) => Ok(Ok(result.clone())),
            _ => Err(format!("not a JSON-RPC answer: {answer}")),
        }
    }

    /// A call that must succeed.
    pub fn call(&self, method: &str, params: Value) -> Value {
        match self.rpc(method, params.clone()) {
            Ok(Ok(result)) => result,
            other => panic!("{method}({params}) failed: {other:?}"),
        }
    }

    /// Sends a transaction from an unlocked account and returns its receipt.
    pub fn send(&self, tx: Value) -> Value {
        let hash = self.send_only(tx);
        self.receipt(&hash)
    }

    /// Sends a transaction and returns its hash without waiting for the receipt.
    pub fn send_only(&self, tx: Value) -> String {
        self.call("eth_sendTransaction", json!([tx]))
            .as_str()
            .expect("tx hash")
            .to_ascii_lowercase()
    }

    /// The receipt of `hash`, polled for up to 10 s.
    pub fn receipt(&self, hash: &str) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let receipt = self.call("eth_getTransactionReceipt", json!([hash]));
            if !receipt.is_null() {
                return receipt;
            }
            assert!(Instant::now() < deadline, "no receipt for {hash}");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Deploys `init_code` (hex, with or without `0x`) from `from`; returns the contract
    /// address (lower-case) and the receipt.
    pub fn deploy(&self, from: &str, init_code: &str) -> (String, Value) {
        self.deploy_with_value(from, init_code, 0)
    }

    /// Like [`Anvil::deploy`], sending `value` wei with the creation.
    pub fn deploy_with_value(&self, from: &str, init_code: &str, value: u128) -> (String, Value) {
        let data = format!("0x{}", init_code.trim().trim_start_matches("0x"));
        let receipt = self.send(json!({
            "from": from, "data": data, "gas": "0x2dc6c0", "value": format!("0x{value:x}"),
        }));
        assert_eq!(receipt["status"], "0x1", "deploy failed: {receipt}");
        let address = receipt["contractAddress"]
            .as_str()
            .expect("contractAddress")
            .to_ascii_lowercase();
        (address, receipt)
    }

    /// The current block number.
    pub fn block_number(&self) -> u64 {
        let text = self.call("eth_blockNumber", json!([]));
        u64::from_str_radix(text.as_str().expect("hex").trim_start_matches("0x"), 16)
            .expect("block number")
    }
}

impl Drop for Anvil {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `hex` left-padded to one 32-byte ABI word (no `0x`).
pub fn pad32(hex: &str) -> String {
    format!("{:0>64}", hex.trim_start_matches("0x").to_ascii_lowercase())
}

/// A JSON-RPC quantity (`0x…`).
pub fn qty(n: u128) -> String {
    format!("0x{n:x}")
}

/// A compiled contract from `tests/fixtures/evm/` (hex, trimmed).
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/evm/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .trim()
        .to_owned()
}
