//! The real `tcd serve --demo`, started as an operator would, on a fresh database.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};

use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::common::{repo_root, tcd_binary};

/// The access token lifetime the test server gives.
pub const ACCESS_TOKEN_TTL_SECONDS: u64 = 20;

/// A demo account the server printed at start.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub password: String,
}

pub struct DemoServer {
    pub address: String,
    accounts: HashMap<String, DemoAccount>,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Drop for DemoServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Parses `demo-account username=… password=… role=… unit=…`.
fn parse_demo_account(line: &str) -> Option<(String, DemoAccount)> {
    let rest = line.trim().strip_prefix("demo-account ")?;
    let fields: HashMap<&str, &str> = rest
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .collect();
    Some((
        (*fields.get("username")?).to_owned(),
        DemoAccount {
            password: (*fields.get("password")?).to_owned(),
        },
    ))
}

impl DemoServer {
    pub fn start() -> Self {
        let dist = repo_root().join("frontend/dist");
        assert!(
            dist.join("index.html").is_file(),
            "{} has no index.html: build the web app first with `cargo xtask build-web` \
             (`cargo xtask test` does it)",
            dist.display()
        );
        let dir = tempfile::tempdir().expect("temporary directory");
        let database_url = format!("sqlite://{}", dir.path().join("tcd.db").display());
        let mut child = Command::new(tcd_binary())
            .current_dir(dir.path())
            .args(["serve", "--demo", "--bind", "127.0.0.1:0", "--database-url"])
            .arg(&database_url)
            .arg("--static-dir")
            .arg(&dist)
            .env_remove("TCD_DATABASE_URL")
            .env_remove("TCD_STATIC_DIR")
            .env_remove("TCD_BIND")
            .env_remove("RUST_LOG")
            .env("NO_COLOR", "1")
            // Short-lived access tokens, so the app's silent renewal runs during the test.
            .env(
                "TCD_ACCESS_TOKEN_TTL_SECONDS",
                ACCESS_TOKEN_TTL_SECONDS.to_string(),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("tcd starts");

        let (tx, rx) = mpsc::channel::<Event>();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let out_tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(account) = parse_demo_account(&line) {
                    let _ = out_tx.send(Event::Account(account));
                }
            }
        });
        let log = std::env::var_os("TEST_LOG").is_some();
        std::thread::spawn(move || {
            // Keeps draining the log so the server never blocks on a full pipe.
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if log {
                    eprintln!("tcd: {line}");
                }
                if let Some(at) = line.find("http://127.0.0.1:") {
                    let address = line[at..]
                        .split(|c: char| c.is_whitespace() || c == '"')
                        .next()
                        .unwrap_or_default()
                        .trim_end_matches('/')
                        .to_owned();
                    let _ = tx.send(Event::Address(address));
                }
            }
        });

        let mut address = None;
        let mut accounts = HashMap::new();
        // The first start loads 10,810 units; give it time on a slow machine.
        let deadline = Instant::now() + Duration::from_mins(3);
        while address.is_none() || accounts.len() < 4 {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(Event::Address(a)) => address = Some(a),
                Ok(Event::Account((name, account))) => {
                    accounts.insert(name, account);
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "tcd serve --demo did not report its address and 4 demo accounts in time \
                         (address {address:?}, accounts {:?})",
                        accounts.keys().collect::<Vec<_>>()
                    );
                }
            }
        }
        Self {
            address: address.expect("address"),
            accounts,
            child,
            _dir: dir,
        }
    }

    pub fn account(&self, username: &str) -> Result<&DemoAccount> {
        self.accounts
            .get(username)
            .with_context(|| format!("tcd serve --demo printed no account {username}"))
    }
}

enum Event {
    Address(String),
    Account((String, DemoAccount)),
}

#[test]
fn demo_account_lines_parse() {
    let (name, account) =
        parse_demo_account("demo-account username=huyen.phuninh password=Ab-1 role=ADMIN unit=518")
            .expect("parses");
    assert_eq!(name, "huyen.phuninh");
    assert_eq!(account.password, "Ab-1");
    assert!(parse_demo_account("something else").is_none());
}
