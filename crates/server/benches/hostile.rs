//! `cargo bench --bench hostile`: the attacks of issue 7 against the real `tcd` binary (a
//! child process on SQLite, demo data), with what each costs the server: time to refuse next
//! to a trivial request, the outcome of racing the sign-in lockout, other officers' latency
//! while one account floods the API, and resident memory around a burst of 2,000 sign-ins.
//! Prints Markdown for BENCHMARKS.md with the load average beside it. A benchmark, not a
//! test: nothing is asserted.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::percentile;
use futures_util::future::join_all;
use serde_json::{Value, json};

struct Server {
    child: Child,
    address: String,
    passwords: HashMap<String, String>,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// Starts `tcd serve --demo` on a fresh SQLite file, trusting `X-Forwarded-For` so that each
/// simulated client can have an address of its own.
async fn start() -> Server {
    let dir = tempfile::tempdir().expect("dir");
    let port = free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tcd"))
        .args(["serve", "--demo", "--trust-proxy"])
        .env(
            "TCD_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("tcd.db").display()),
        )
        .env("TCD_DATA_DIR", dir.path())
        .env("TCD_BIND", format!("127.0.0.1:{port}"))
        .env("TCD_STATIC_DIR", dir.path().join("no-app"))
        .env("TCD_REQUESTS_PER_SECOND", "100000")
        .env("TCD_REQUEST_BURST", "100000")
        .env("TCD_DB_MAX_CONNECTIONS", "10")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("tcd starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut passwords = HashMap::new();
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let fields: HashMap<&str, &str> = line
            .split_whitespace()
            .filter_map(|p| p.split_once('='))
            .collect();
        if let (Some(user), Some(password)) = (fields.get("username"), fields.get("password")) {
            passwords.insert((*user).to_owned(), (*password).to_owned());
        }
        if passwords.len() == 4 {
            break;
        }
    }
    let address = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{address}/healthz"))
            .send()
            .await
            .is_ok()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Server {
        child,
        address,
        passwords,
        _dir: dir,
    }
}

/// The resident memory of process `pid`, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

impl Server {
    fn rss_mib(&self) -> f64 {
        rss_mib(self.child.id())
    }

    async fn post(
        &self,
        client: &reqwest::Client,
        body: &Value,
        token: Option<&str>,
        from: &str,
    ) -> (u16, Value) {
        let mut request = client
            .post(format!("{}/graphql", self.address))
            .header("x-forwarded-for", from)
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                (status, response.json().await.unwrap_or(Value::Null))
            }
            Err(_) => (0, Value::Null),
        }
    }

    async fn login(
        &self,
        client: &reqwest::Client,
        user: &str,
        password: &str,
        from: &str,
    ) -> Value {
        let body = json!({
            "query": "mutation ($u: String!, $p: String!) { login(input: { username: $u, password: $p }) { accessToken userErrors { code } } }",
            "variables": { "u": user, "p": password },
        });
        self.post(client, &body, None, from).await.1["data"]["login"].clone()
    }

    async fn token(&self, client: &reqwest::Client, user: &str) -> String {
        let password = self.passwords[user].clone();
        self.login(client, user, &password, "10.200.0.1").await["accessToken"]
            .as_str()
            .expect("demo account signs in")
            .to_owned()
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// `n` aliases of a one-item list with its count.
fn aliased_lists(n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        write!(
            out,
            "a{i}: units(first: 1, search: \"an\") {{ totalCount }} "
        )
        .expect("write");
    }
    out
}

fn code(body: &Value) -> String {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("—")
        .to_owned()
}

async fn attacks(server: &Server, client: &reqwest::Client) {
    let admin = server.token(client, "tinh.quangnam").await;
    let depth = 2_000;
    let nested = format!(
        "{{__typename(a:{}1{})}}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let objects = format!(
        "{{__typename(a:{}1{})}}",
        "{a:".repeat(depth),
        "}".repeat(depth)
    );
    let mut fragments = String::from("query { ...F0 }\n");
    for i in 0..24 {
        writeln!(
            fragments,
            "fragment F{i} on Query {{ ...F{n} ...F{n} }}",
            n = i + 1
        )
        .expect("write");
    }
    fragments.push_str("fragment F24 on Query { __typename }\n");
    let aliases = aliased_lists(2_400);
    let cases: Vec<(&str, String, Option<&str>)> = vec![
        (
            "baseline `{ __typename }`",
            "{ __typename }".to_owned(),
            None,
        ),
        (
            "baseline `unit(code: \"49\")`, signed in",
            "{ unit(code: \"49\") { code fullName } }".to_owned(),
            Some(admin.as_str()),
        ),
        ("2,000 nested `[` (4 KB)", nested, None),
        ("2,000 nested `{a:`", objects, None),
        ("24 self-doubling fragments (906 B)", fragments, None),
        (
            "2,400 aliases of `units { totalCount }`, signed in",
            format!("{{ {aliases} }}"),
            Some(admin.as_str()),
        ),
        (
            "NUL in a string",
            "{ units(search: \"a\\u0000\") { totalCount } }".to_owned(),
            Some(admin.as_str()),
        ),
    ];
    println!("### Time to refuse (50 requests each, sequential)\n");
    println!("| request | answer | p50 ms | p99 ms |");
    println!("|---|---|---|---|");
    for (name, query, token) in cases {
        let body = json!({ "query": query });
        let mut times = Vec::new();
        let mut answer = String::new();
        for _ in 0..50 {
            let started = Instant::now();
            let (status, response) = server.post(client, &body, token, "10.1.0.1").await;
            times.push(started.elapsed());
            answer = format!("{status} {}", code(&response));
        }
        times.sort();
        println!(
            "| {name} | {answer} | {} | {} |",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.99))
        );
    }
    let (status, _) = server
        .post(
            client,
            &json!({ "query": "{ __typename }" }),
            None,
            "10.1.0.2",
        )
        .await;
    println!("\nServer still answering afterwards: HTTP {status}.\n");
}

async fn lockout_race(server: &Server, client: &reqwest::Client) {
    let guesses = (0..200).map(|i| async move {
        server
            .login(client, "huyen.phuninh", &format!("sai-{i}"), "10.2.0.1")
            .await
    });
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    for payload in join_all(guesses).await {
        let code = payload["userErrors"][0]["code"]
            .as_str()
            .unwrap_or("—")
            .to_owned();
        *outcomes.entry(code).or_default() += 1;
    }
    let right = server.passwords["huyen.phuninh"].clone();
    let last = server
        .login(client, "huyen.phuninh", &right, "10.2.0.1")
        .await;
    println!("### Racing the lockout\n");
    println!(
        "200 concurrent wrong passwords for one account from one address: {outcomes:?} \
         (INVALID_CREDENTIALS = checked against the hash). The right password sent next: {}.",
        if last["accessToken"].is_string() {
            "signed in (bad)".to_owned()
        } else {
            last["userErrors"][0]["code"].to_string()
        }
    );
    let token = server.token(client, "xa.tamthanh").await;
    let change = |i: usize| {
        let body = json!({
            "query": "mutation ($c: String!) { changePassword(input: { currentPassword: $c, newPassword: \"Ngựa vằn ăn cỏ bên sông Thu Bồn\" }) { accessToken userErrors { code } } }",
            "variables": { "c": format!("sai-{i}") },
        });
        let token = token.clone();
        async move { server.post(client, &body, Some(&token), "10.2.0.2").await.1 }
    };
    let mut outcomes: HashMap<String, usize> = HashMap::new();
    for body in join_all((0..60).map(change)).await {
        let code = body["data"]["changePassword"]["userErrors"][0]["code"]
            .as_str()
            .unwrap_or("—")
            .to_owned();
        *outcomes.entry(code).or_default() += 1;
    }
    println!("60 concurrent `changePassword` guesses with one stolen token: {outcomes:?}.\n");
}

/// Another officer's queries while `attackers` requests of one operator run back to back.
async fn flood(
    server: &Server,
    client: &reqwest::Client,
    attackers: usize,
) -> (Duration, Duration, usize, usize) {
    let operator = server.token(client, "xa.tamthanh").await;
    let officer = server.token(client, "xem.quangnam").await;
    let roots = aliased_lists(20);
    let heavy = json!({ "query": format!("{{ {roots} }}") });
    let until = Instant::now() + Duration::from_secs(5);
    let flood = (0..attackers).map(|_| {
        let (heavy, operator) = (heavy.clone(), operator.clone());
        async move {
            let mut sent = 0;
            while Instant::now() < until {
                server
                    .post(client, &heavy, Some(&operator), "10.3.0.1")
                    .await;
                sent += 1;
            }
            sent
        }
    });
    let probe = async {
        let body = json!({ "query": "{ unit(code: \"518\") { fullName } units(parentCode: \"518\", first: 20) { totalCount nodes { code fullName } } }" });
        let (mut times, mut failed) = (Vec::new(), 0);
        while Instant::now() < until {
            let started = Instant::now();
            let (status, response) = server.post(client, &body, Some(&officer), "10.3.0.2").await;
            times.push(started.elapsed());
            if status != 200 || response.get("errors").is_some() {
                failed += 1;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        times.sort();
        (times, failed)
    };
    let (sent, (times, failed)) = tokio::join!(join_all(flood), probe);
    (
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        failed,
        sent.iter().sum(),
    )
}

async fn pool(server: &Server, client: &reqwest::Client) {
    println!("### Another officer while one operator floods (5 s, 20 root lists per request)\n");
    println!(
        "| flooding requests in parallel | flood requests served | officer p50 ms | officer p99 ms | officer errors |"
    );
    println!("|---|---|---|---|---|");
    for attackers in [0, 6, 24] {
        let (p50, p99, failed, sent) = flood(server, client, attackers).await;
        println!(
            "| {attackers} | {sent} | {} | {} | {failed} |",
            ms(p50),
            ms(p99)
        );
    }
    println!();
}

async fn memory(server: &Server, client: &reqwest::Client) {
    let admin = server.token(client, "tinh.quangnam").await;
    let password = "Ngựa vằn ăn cỏ bên sông Thu Bồn 2026";
    for i in 0..50 {
        let body = json!({
            "query": "mutation ($i: CreateAccountInput!) { createAccount(input: $i) { userErrors { code } } }",
            "variables": { "i": { "unitCode": "49", "username": format!("bench.{i}"), "displayName": format!("Bench {i}"), "role": "VIEWER", "password": password } },
        });
        server.post(client, &body, Some(&admin), "10.4.0.1").await;
    }
    let idle = server.rss_mib();
    let sampling = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let peak = {
        let sampling = sampling.clone();
        let pid = server.child.id();
        std::thread::spawn(move || {
            let mut peak = 0.0f64;
            while sampling.load(std::sync::atomic::Ordering::Relaxed) {
                peak = peak.max(rss_mib(pid));
                std::thread::sleep(Duration::from_millis(50));
            }
            peak
        })
    };
    let started = Instant::now();
    let workers = (0..50).map(|i| async move {
        for round in 0..40 {
            // A mix of right and wrong passwords: both run argon2.
            let attempt = if round % 4 == 3 {
                "sai mật khẩu"
            } else {
                password
            };
            server
                .login(
                    client,
                    &format!("bench.{i}"),
                    attempt,
                    &format!("10.5.{i}.1"),
                )
                .await;
        }
    });
    join_all(workers).await;
    let burst = started.elapsed();
    sampling.store(false, std::sync::atomic::Ordering::Relaxed);
    let peak = peak.join().unwrap_or(0.0);
    let mut after = Vec::new();
    for wait in [1, 5, 10] {
        let since = started.elapsed().saturating_sub(burst);
        tokio::time::sleep(Duration::from_secs(wait).saturating_sub(since)).await;
        after.push(server.rss_mib());
    }
    println!("### Resident memory around 2,000 sign-ins (50 concurrent, argon2id m = 19 MiB)\n");
    println!("| idle MiB | peak MiB | +1 s MiB | +5 s MiB | +10 s MiB | burst took |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| {idle:.1} | {peak:.1} | {:.1} | {:.1} | {:.1} | {:.1} s |\n",
        after[0],
        after[1],
        after[2],
        burst.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "## Hostile clients (`cargo bench --bench hostile`), load average before: {}\n",
        load.trim()
    );
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");
    let server = start().await;
    attacks(&server, &client).await;
    pool(&server, &client).await;
    // Last on this server: it leaves the accounts it races locked.
    lockout_race(&server, &client).await;
    drop(server);
    let server = start().await;
    memory(&server, &client).await;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!("Load average after: {}", load.trim());
}
