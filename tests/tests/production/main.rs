//! The production path: the topology `docker compose up` runs, built from processes.
//! PostgreSQL (a cluster of the test's own), `tcd serve` with the `api` service's environment,
//! Debian's nginx with `docker/nginx.conf.template` rendered from the `web` service's
//! environment, TLS with a certificate the test makes for `tcd.test`, and headless Chromium
//! reaching the site by that name. Both files are read, not copied: only hosts, ports and
//! paths are adjusted for one machine, and a variable the template uses that compose does not
//! set (or the reverse) fails the test.
//!
//! Needs nginx, chromedriver and Chromium, `openssl`, and PostgreSQL's server and client
//! tools; without them the test is skipped with a message, unless `TCD_REQUIRE_PRODUCTION=1`
//! (CI) makes that a failure. Set `TEST_LOG=1` to see how long each step took.

mod browser;
mod client;
#[path = "../common/mod.rs"]
mod common;
mod compose;
mod nginx;
mod postgres;
mod process;
mod tcd;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::json;

use browser::Browser;
use client::{Client, Site};
use common::free_port;
use common::repo_root;
use compose::Compose;
use nginx::Nginx;
use postgres::{Cluster, Credentials};
use process::{run, running_as_root, wait_until};
use tcd::Tcd;

/// The site's name: not localhost, where browsers keep `Secure` cookies over plain HTTP.
const HOST: &str = "tcd.test";
/// The README's first admin.
const ADMIN: &str = "tinh.quangnam";
const ADMIN_UNIT: &str = "Ban Thường trực UBMTTQ tỉnh Quảng Nam";
/// What the first admin chooses for themself in the browser.
const ADMIN_PASSWORD: &str = "Qv8#mT3p-Lz6!rWx2K-ươĐ";
/// Another officer, whose sign-in someone else's failures must not block.
const OFFICER: &str = "xa.tamdan";
const OFFICER_PASSWORD: &str = "Hk4!zP9w-Tq2#vNm7B-ắỹ";

const TRUSTED: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// Another loopback address: a client that is not the front proxy.
const UNTRUSTED: IpAddr = IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2));

const CREATE_ACCOUNT: &str = "mutation ($i: CreateAccountInput!) { createAccount(input: $i) { account { username } userErrors { code } } }";

/// chromedriver's path when everything the test needs is installed; otherwise `None` after
/// saying what is missing (a failure with `TCD_REQUIRE_PRODUCTION=1`).
fn prerequisites() -> Option<PathBuf> {
    let mut missing = Vec::new();
    if nginx::binary().is_none() {
        missing.push("nginx (apt-get install nginx-light)".to_owned());
    }
    if !Path::new(nginx::MIME_TYPES).is_file() {
        missing.push(nginx::MIME_TYPES.to_owned());
    }
    let chromedriver = common::installed_chromedriver();
    if chromedriver.is_none() {
        missing.push("chromedriver (apt-get install chromium chromium-driver)".to_owned());
    }
    for tool in postgres::TOOLS {
        if postgres::tool(tool).is_none() {
            missing.push(format!("PostgreSQL's {tool} (apt-get install postgresql)"));
        }
    }
    if process::find_tool("openssl", &[]).is_none() {
        missing.push("openssl".to_owned());
    }
    if running_as_root() && process::find_tool("runuser", &[]).is_none() {
        missing.push("runuser (to run PostgreSQL as the postgres user)".to_owned());
    }
    if missing.is_empty() {
        return chromedriver;
    }
    let required = std::env::var("TCD_REQUIRE_PRODUCTION").is_ok_and(|v| v == "1");
    assert!(
        !required,
        "TCD_REQUIRE_PRODUCTION=1 but the production-path test cannot run: missing {}",
        missing.join(", ")
    );
    eprintln!(
        "skipped: the production-path test needs {}",
        missing.join(", ")
    );
    None
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_production_topology_keeps_sessions_counts_real_addresses_and_survives_a_database_restart()
 {
    let Some(chromedriver) = prerequisites() else {
        return;
    };
    let dist = repo_root().join("frontend/dist");
    assert!(
        dist.join("index.html").is_file(),
        "{} has no index.html: build the web app first with `cargo xtask build-web` \
         (`cargo xtask test` does it)",
        dist.display()
    );
    let mut deployment = match Deployment::start(&dist).await {
        Ok(deployment) => deployment,
        Err(e) => panic!("the deployment did not start: {e:?}"),
    };
    if let Err(e) = scenario(&mut deployment, &chromedriver).await {
        let log = deployment
            .tcd
            .as_ref()
            .map(Tcd::log_tail)
            .unwrap_or_default();
        panic!("{e:?}\n\ntcd's log:\n{log}");
    }
}

async fn scenario(d: &mut Deployment, chromedriver: &Path) -> Result<()> {
    let mut step = Step::new();
    plain_http_is_redirected_and_https_sends_hsts(&d.site).await?;
    step.done("redirect and HSTS");
    the_first_admin_signs_in_over_https_and_a_reload_keeps_the_session(d, chromedriver).await?;
    step.done("browser sign-in and reload");
    let front = d.site.client(TRUSTED, None)?;
    let login = front.login(ADMIN, ADMIN_PASSWORD).await?;
    let token = login.token()?;
    let refresh = login
        .set_cookies
        .iter()
        .find(|c| c.starts_with("tcd_refresh="));
    ensure!(
        refresh.is_some_and(
            |c| ["HttpOnly", "Secure", "SameSite=Strict", "Path=/graphql"]
                .iter()
                .all(|attribute| c.contains(attribute))
        ),
        "the refresh cookie through nginx: {refresh:?}"
    );
    create_account(&front, &token, OFFICER, Some(OFFICER_PASSWORD)).await?;
    failures_from_one_address_do_not_lock_out_another(&d.site).await?;
    a_client_that_is_not_the_front_proxy_is_counted_under_its_own_address(&d.site).await?;
    step.done("sign-in throttling by real address");
    let acknowledged =
        no_acknowledged_write_is_lost_when_postgresql_restarts(d, &front, &token).await?;
    step.done("PostgreSQL restarts under load");
    a_backup_restores_into_a_fresh_database(d, &token, &acknowledged).await?;
    step.done("backup and restore");
    d.nginx.check_running()
}

/// Reports how long each step took (with `TEST_LOG`), for the run-time budget.
struct Step {
    at: Instant,
    log: bool,
}

impl Step {
    fn new() -> Self {
        Self {
            at: Instant::now(),
            log: std::env::var_os("TEST_LOG").is_some(),
        }
    }

    fn done(&mut self, what: &str) {
        if self.log {
            eprintln!("production: {what}: {:.1?}", self.at.elapsed());
        }
        self.at = Instant::now();
    }
}

/// Everything compose runs, on this machine.
struct Deployment {
    site: Site,
    tls: nginx::Tls,
    api_environment: BTreeMap<String, String>,
    tcd_port: u16,
    tcd: Option<Tcd>,
    nginx: Nginx,
    postgres: Cluster,
    dir: tempfile::TempDir,
}

/// Sets `key` (which compose must define) to `value`.
fn adjust(environment: &mut BTreeMap<String, String>, key: &str, value: String) -> Result<()> {
    let slot = environment
        .get_mut(key)
        .with_context(|| format!("docker-compose.yml no longer sets {key}"))?;
    *slot = value;
    Ok(())
}

impl Deployment {
    async fn start(dist: &Path) -> Result<Self> {
        let mut step = Step::new();
        let root = repo_root();
        let compose = Compose::load(&root.join("docker-compose.yml"))?;
        let dir = tempfile::tempdir()?;
        let (plain_port, tls_port) = Nginx::ports();
        // What the operator exports before `docker compose up` (README).
        let random = || uuid::Uuid::new_v4().simple().to_string();
        let shell: HashMap<&str, String> = [
            ("POSTGRES_PASSWORD", random()),
            ("TCD_JWT_SECRET", format!("{}{}", random(), random())),
            ("TCD_SERVER_NAME", HOST.to_owned()),
            ("TCD_HTTPS_PORT_SUFFIX", format!(":{tls_port}")),
        ]
        .into();

        let database = compose.environment("postgres", &shell)?;
        let setting = |key: &str| {
            database
                .get(key)
                .cloned()
                .with_context(|| format!("the postgres service sets no {key}"))
        };
        let postgres = Cluster::start(Credentials {
            user: setting("POSTGRES_USER")?,
            database: setting("POSTGRES_DB")?,
            password: setting("POSTGRES_PASSWORD")?,
        })?;
        step.done("PostgreSQL initdb and start");

        let tcd_port = free_port();
        let mut api = compose.environment("api", &shell)?;
        let url = api
            .get("TCD_DATABASE_URL")
            .context("the api service sets no TCD_DATABASE_URL")?;
        ensure!(
            url.contains("@postgres:5432/"),
            "TCD_DATABASE_URL no longer names postgres:5432: {url}"
        );
        let url = url.replace("@postgres:5432/", &format!("@127.0.0.1:{}/", postgres.port));
        adjust(&mut api, "TCD_DATABASE_URL", url)?;
        adjust(&mut api, "TCD_BIND", format!("127.0.0.1:{tcd_port}"))?;
        adjust(&mut api, "TCD_METRICS_BIND", "127.0.0.1:0".to_owned())?;
        let tcd = Tcd::serve(&api, tcd_port, dir.path()).await?;
        step.done("tcd migrates, seeds and is ready");

        let tls = nginx::certificate(dir.path(), HOST)?;
        let mut web = compose.environment("web", &shell)?;
        adjust(&mut web, "TCD_API", format!("127.0.0.1:{tcd_port}"))?;
        // Never asked: the API's address is an IP address here.
        adjust(&mut web, "TCD_RESOLVER", "127.0.0.1".to_owned())?;
        adjust(
            &mut web,
            "NGINX_HTTP_PORT",
            format!("127.0.0.1:{plain_port}"),
        )?;
        adjust(
            &mut web,
            "NGINX_HTTPS_PORT",
            format!("127.0.0.1:{tls_port}"),
        )?;
        adjust(
            &mut web,
            "TCD_TLS_CERT",
            tls.fullchain.display().to_string(),
        )?;
        adjust(&mut web, "TCD_TLS_KEY", tls.key.display().to_string())?;
        adjust(&mut web, "TCD_WEB_ROOT", dist.display().to_string())?;
        let template_path = root.join("docker/nginx.conf.template");
        let template = std::fs::read_to_string(&template_path)?;
        let used = compose::template_variables(&template);
        let set: BTreeSet<String> = web.keys().cloned().collect();
        ensure!(
            used == set,
            "docker/nginx.conf.template uses {:?} that the web service does not set, and the \
             web service sets {:?} that the template does not use",
            used.difference(&set).collect::<Vec<_>>(),
            set.difference(&used).collect::<Vec<_>>()
        );
        let nginx = Nginx::start(&template, &web, plain_port).await?;
        step.done("certificate and nginx");

        Ok(Self {
            site: Site::new(HOST, plain_port, tls_port, &tls.ca_pem)?,
            tls,
            api_environment: api,
            tcd_port,
            tcd: Some(tcd),
            nginx,
            postgres,
            dir,
        })
    }
}

async fn plain_http_is_redirected_and_https_sends_hsts(site: &Site) -> Result<()> {
    let client = site.client(TRUSTED, None)?;
    let path = "/don-vi/49?tab=accounts";
    let response = client.raw().get(site.http_url(path)).send().await?;
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    ensure!(
        response.status() == 301 && location == site.https_url(path),
        "plain HTTP answered {} to {location:?}, not 301 to {}",
        response.status(),
        site.https_url(path)
    );
    for (method, path) in [("GET", "/"), ("GET", "/healthz"), ("POST", "/graphql")] {
        let request = match method {
            "GET" => client.raw().get(site.https_url(path)),
            _ => client
                .raw()
                .post(site.https_url(path))
                .json(&json!({ "query": "{ __typename }" })),
        };
        let response = request.send().await?;
        let hsts = response.headers().get("strict-transport-security").cloned();
        ensure!(
            response.status() == 200 && hsts.is_some(),
            "{method} {path} over HTTPS: {} with HSTS {hsts:?}",
            response.status()
        );
    }
    Ok(())
}

async fn the_first_admin_signs_in_over_https_and_a_reload_keeps_the_session(
    d: &Deployment,
    chromedriver: &Path,
) -> Result<()> {
    let one_time = tcd::create_first_admin(&d.api_environment, d.dir.path(), ADMIN)?;
    let base = d.site.https_url("");
    let b = Browser::start(chromedriver, &base, HOST, &d.tls.spki_sha256).await?;
    let result = signs_in_and_reloads(&b, &one_time).await;
    let result = match result {
        Ok(()) => Ok(()),
        Err(e) => {
            let url = b.driver.current_url().await.map(|u| u.to_string());
            let text = b.body_text().await;
            Err(e.context(format!("at {url:?}, page text:\n{text}")))
        }
    };
    b.quit().await;
    result
}

async fn signs_in_and_reloads(b: &Browser, one_time: &str) -> Result<()> {
    b.open("/").await?;
    let (protocol, secure): (String, bool) = b
        .eval("[location.protocol, window.isSecureContext]")
        .await?;
    ensure!(
        protocol == "https:" && secure,
        "the page is not a secure context: {protocol} {secure}"
    );
    b.type_into("#username", ADMIN).await?;
    b.type_into("#password", one_time).await?;
    b.click("main.login button[type=submit]").await?;
    b.wait_text("h1", "Đổi mật khẩu").await?;
    b.type_into("#currentPassword", one_time).await?;
    b.type_into("#newPassword", ADMIN_PASSWORD).await?;
    b.type_into("#confirmPassword", ADMIN_PASSWORD).await?;
    b.click(".change-password button[type=submit]").await?;
    // The home screen is the officer's dashboard, under its committee's name.
    b.wait_text("h1", "Tổng quan").await?;
    b.wait_text("body", ADMIN_UNIT).await?;

    // The refresh cookie is out of the page's reach, and a reload signs in with it alone.
    let cookies: String = b.eval("document.cookie").await?;
    ensure!(
        !cookies.contains("tcd_refresh"),
        "the refresh cookie is readable by scripts: {cookies}"
    );
    b.eval::<bool>("(window.tcdBeforeReload = true)").await?;
    b.driver.refresh().await?;
    b.wait_text("h1", "Tổng quan")
        .await
        .context("a reload over HTTPS signed the officer out")?;
    b.wait_text("body", ADMIN_UNIT).await?;
    let reloaded: bool = b.eval("window.tcdBeforeReload === undefined").await?;
    ensure!(reloaded, "the page was not reloaded");
    Ok(())
}

async fn create_account(
    client: &Client,
    token: &str,
    username: &str,
    password: Option<&str>,
) -> Result<()> {
    let answer = client
        .graphql(
            Some(token),
            CREATE_ACCOUNT,
            json!({ "i": { "unitCode": "20392", "username": username,
                           "displayName": "Cán bộ xã Tam Dân", "role": "VIEWER",
                           "password": password } }),
        )
        .await?;
    ensure!(
        answer.body["data"]["createAccount"]["account"]["username"] == username,
        "cannot create {username}: {answer:?}"
    );
    Ok(())
}

/// Sends `count` wrong passwords from `client(i)`; returns the attempt first refused as
/// locked, if any. Every other answer must be a plain wrong password.
async fn wrong_passwords(
    count: usize,
    attempt: impl Fn(usize) -> Result<(Client, String)>,
) -> Result<Option<usize>> {
    let mut locked_at = None;
    for i in 1..=count {
        let (client, username) = attempt(i)?;
        let answer = client
            .login(&username, &format!("sai-mat-khau-{i}"))
            .await?;
        match answer.user_error("login") {
            Some("ACCOUNT_LOCKED") => {
                locked_at.get_or_insert(i);
            }
            Some("INVALID_CREDENTIALS") if locked_at.is_none() => {}
            _ => bail!("wrong password {i} as {username}: {answer:?}"),
        }
    }
    Ok(locked_at)
}

async fn failures_from_one_address_do_not_lock_out_another(site: &Site) -> Result<()> {
    let guesser = site.client(TRUSTED, Some("203.0.113.7"))?;
    // Mostly names that do not exist, so no account's own lock is involved; a few on the
    // admin, below the account's limit of 5.
    let locked_at = wrong_passwords(21, |i| {
        let username = if i % 7 == 0 {
            ADMIN.to_owned()
        } else {
            format!("khong.co.{i}")
        };
        Ok((guesser.clone(), username))
    })
    .await?;
    ensure!(
        locked_at.is_some(),
        "21 wrong passwords from 203.0.113.7 did not lock that address"
    );
    let answer = guesser.login(OFFICER, OFFICER_PASSWORD).await?;
    ensure!(
        answer.user_error("login") == Some("ACCOUNT_LOCKED"),
        "a locked address signed in with the right password: {answer:?}"
    );
    site.client(TRUSTED, Some("198.51.100.9"))?
        .token(OFFICER, OFFICER_PASSWORD)
        .await
        .context("another address was locked out by 203.0.113.7's failures")?;
    Ok(())
}

async fn a_client_that_is_not_the_front_proxy_is_counted_under_its_own_address(
    site: &Site,
) -> Result<()> {
    let locked_at = wrong_passwords(21, |i| {
        let spoofed = format!("192.0.2.{i}");
        Ok((
            site.client(UNTRUSTED, Some(&spoofed))?,
            format!("gia.mao.{i}"),
        ))
    })
    .await?;
    ensure!(
        locked_at.is_some(),
        "21 wrong passwords from 127.0.0.2 with made-up X-Forwarded-For did not lock 127.0.0.2"
    );
    let answer = site
        .client(UNTRUSTED, Some("198.51.100.10"))?
        .login(OFFICER, OFFICER_PASSWORD)
        .await?;
    ensure!(
        answer.user_error("login") == Some("ACCOUNT_LOCKED"),
        "127.0.0.2 escaped its lock by naming another address: {answer:?}"
    );
    site.client(TRUSTED, Some("192.0.2.5"))?
        .token(OFFICER, OFFICER_PASSWORD)
        .await
        .context("an address 127.0.0.2 only named was locked")?;
    Ok(())
}

/// What the writers saw.
#[derive(Default)]
struct Load {
    acknowledged: Vec<String>,
    /// Clear refusals while the database was away: 503 `UNAVAILABLE` or nginx's 502/504;
    /// each was resent with its idempotency key.
    unavailable: usize,
    /// Resends answered from the record: the first attempt had been done.
    replayed: usize,
    /// Acknowledged writes sent again as if their answer had been lost, and answered from
    /// the record.
    lost_answers_replayed: usize,
    rate_limited: usize,
    /// Anything else: an unclear error, no answer (nginx always answers), or a resend that
    /// did the work a second time (`USERNAME_TAKEN`).
    unexpected: Vec<String>,
}

const WRITERS: usize = 4;

/// Creates accounts as a careful client would: each with an idempotency key, resent with the
/// same key until it is acknowledged, so that every account is created exactly once however
/// many answers are lost. A writer told to stop still finishes the account it began.
async fn writer(
    id: usize,
    client: Client,
    token: String,
    load: Arc<Mutex<Load>>,
    phase: Arc<AtomicUsize>,
    acked_in_phase: Arc<Vec<AtomicUsize>>,
    stop: Arc<AtomicBool>,
) {
    let mut n = 0;
    while !stop.load(Ordering::SeqCst) {
        n += 1;
        let username = format!("tai.{id}.{n}");
        let key = format!("{}-{id}-{n}", uuid::Uuid::new_v4());
        let started_in = phase.load(Ordering::SeqCst);
        let variables = json!({ "i": { "unitCode": "49", "username": username,
                                       "displayName": format!("Cán bộ thử tải {id}.{n}"),
                                       "role": "VIEWER" } });
        let give_up = Instant::now() + Duration::from_mins(2);
        let mut acked = None;
        loop {
            let answer = client
                .graphql_keyed(Some(&token), Some(&key), CREATE_ACCOUNT, variables.clone())
                .await;
            let resend = {
                let mut seen = load.lock().expect("load");
                match answer {
                    Ok(a)
                        if a.body["data"]["createAccount"]["account"]["username"] == username
                            && a.body["errors"].is_null()
                            && a.body["data"]["createAccount"]["userErrors"]
                                .as_array()
                                .is_some_and(Vec::is_empty) =>
                    {
                        seen.acknowledged.push(username.clone());
                        seen.replayed += usize::from(a.replayed);
                        acked_in_phase[id].fetch_max(started_in, Ordering::SeqCst);
                        acked = Some(a.body);
                        false
                    }
                    Ok(a) if a.status == 503 && a.error_code() == Some("UNAVAILABLE") => {
                        seen.unavailable += 1;
                        true
                    }
                    Ok(a) if matches!(a.status, 502 | 504) => {
                        seen.unavailable += 1;
                        true
                    }
                    Ok(a) if a.status == 429 => {
                        seen.rate_limited += 1;
                        true
                    }
                    Ok(a) => {
                        seen.unexpected
                            .push(format!("{username}: HTTP {} {}", a.status, a.body));
                        false
                    }
                    Err(e) => {
                        seen.unexpected.push(format!("{username}: {e:#}"));
                        false
                    }
                }
            };
            if !resend {
                break;
            }
            if Instant::now() > give_up {
                let mut load = load.lock().expect("load");
                load.unexpected.push(format!(
                    "{username}: not acknowledged within 2 minutes of resends"
                ));
                break;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        // Every third answer "is lost": the resend must be answered from the record, with
        // the same answer, and create nothing.
        if let Some(first) = acked.filter(|_| n % 3 == 0) {
            let again = client
                .graphql_keyed(Some(&token), Some(&key), CREATE_ACCOUNT, variables.clone())
                .await;
            let mut seen = load.lock().expect("load");
            match again {
                Ok(a) if a.replayed && a.body == first => seen.lost_answers_replayed += 1,
                // The database or the API is away again: nothing to check this time.
                Ok(a) if matches!(a.status, 502..=504) => {}
                Ok(a) => seen.unexpected.push(format!(
                    "{username}: the resend of an acknowledged write was not its first answer: \
                     HTTP {} replayed={} {}",
                    a.status, a.replayed, a.body
                )),
                Err(e) => seen.unexpected.push(format!("{username}: resend: {e:#}")),
            }
        }
        // Four writers at most ~4 writes a second each: under the API's 20 requests per
        // second for one account, so every refusal is the database's.
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// The faults, one phase each, under the writers' load: a fast restart of PostgreSQL, a
/// crash of it with 4 s of downtime, and a crash of the API. Each phase ends when every writer
/// has written again.
async fn faults(
    d: &mut Deployment,
    phase: &AtomicUsize,
    acked_in_phase: &[AtomicUsize],
) -> Result<()> {
    // Every writer writes in each phase, each phase begins with PostgreSQL back: the API
    // recovers without a restart.
    let all_wrote_in = |p: usize| {
        let acked = acked_in_phase;
        move || {
            let done = acked.iter().all(|a| a.load(Ordering::SeqCst) >= p);
            async move { done }
        }
    };
    wait_until(
        "every writer writes",
        Duration::from_mins(1),
        all_wrote_in(1),
    )
    .await?;
    let Deployment {
        postgres: cluster,
        tcd,
        api_environment,
        tcd_port,
        dir,
        ..
    } = &mut *d;
    let (tcd_port, dir) = (*tcd_port, dir.path());
    // pg_ctl blocks; the writers go on on the runtime's other threads.
    tokio::task::block_in_place(|| cluster.restart())?;
    phase.store(2, Ordering::SeqCst);
    wait_until(
        "every writer writes after a fast restart",
        Duration::from_secs(90),
        all_wrote_in(2),
    )
    .await?;
    // Down for longer than the API waits for a connection (2 s): writes are refused
    // as unavailable, and resent.
    tokio::task::block_in_place(|| cluster.stop_immediately())?;
    tokio::time::sleep(Duration::from_secs(4)).await;
    tokio::task::block_in_place(|| cluster.start_again())?;
    phase.store(3, Ordering::SeqCst);
    wait_until(
        "every writer writes after a crash and recovery",
        Duration::from_secs(90),
        all_wrote_in(3),
    )
    .await?;
    // The API itself crashes: requests in flight lose their answers (committed or not)
    // and nginx answers 502 until it is back, as compose's `restart:` would bring it.
    tcd.take().context("tcd runs")?.kill();
    tokio::time::sleep(Duration::from_secs(1)).await;
    *tcd = Some(Tcd::serve(api_environment, tcd_port, dir).await?);
    phase.store(4, Ordering::SeqCst);
    wait_until(
        "every writer writes after the API's crash",
        Duration::from_secs(90),
        all_wrote_in(4),
    )
    .await
}

async fn no_acknowledged_write_is_lost_when_postgresql_restarts(
    d: &mut Deployment,
    client: &Client,
    token: &str,
) -> Result<Vec<String>> {
    let load = Arc::new(Mutex::new(Load::default()));
    let phase = Arc::new(AtomicUsize::new(1));
    let acked_in_phase: Arc<Vec<AtomicUsize>> =
        Arc::new((0..WRITERS).map(|_| AtomicUsize::new(0)).collect());
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|id| {
            tokio::spawn(writer(
                id,
                client.clone(),
                token.to_owned(),
                load.clone(),
                phase.clone(),
                acked_in_phase.clone(),
                stop.clone(),
            ))
        })
        .collect();
    let result = faults(d, &phase, &acked_in_phase).await;
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.await?;
    }
    let load = std::mem::take(&mut *load.lock().expect("load"));
    if std::env::var_os("TEST_LOG").is_some() {
        eprintln!(
            "production: {} writes acknowledged ({} of them from a record), {} answers lost \
             on purpose and given again, {} refused as unavailable and resent, {} rate-limited",
            load.acknowledged.len(),
            load.replayed,
            load.lost_answers_replayed,
            load.unavailable,
            load.rate_limited
        );
    }
    result?;
    ensure!(
        load.unexpected.is_empty(),
        "writes during the restarts failed without a clear answer:\n{}",
        load.unexpected.join("\n")
    );
    d.tcd.as_mut().context("tcd runs")?.check_running()?;
    let stored: HashSet<String> = d
        .postgres
        .query("SELECT username FROM account WHERE username LIKE 'tai.%'")?
        .lines()
        .map(str::to_owned)
        .collect();
    let lost: Vec<&String> = load
        .acknowledged
        .iter()
        .filter(|u| !stored.contains(*u))
        .collect();
    ensure!(lost.is_empty(), "acknowledged writes lost: {lost:?}");
    // Every write was resent until acknowledged, so what is stored is exactly what was
    // acknowledged: nothing done without its answer reaching the client, nothing done twice.
    let acknowledged: HashSet<String> = load.acknowledged.iter().cloned().collect();
    let unanswered: Vec<&String> = stored.difference(&acknowledged).collect();
    ensure!(
        unanswered.is_empty(),
        "written but never acknowledged: {unanswered:?}"
    );
    ensure!(
        acknowledged.len() == load.acknowledged.len(),
        "an account acknowledged twice"
    );
    ensure!(
        load.lost_answers_replayed > 0,
        "no lost answer was given again from its record"
    );
    Ok(load.acknowledged)
}

async fn account_count(client: &Client, token: &str) -> Result<u64> {
    let answer = client
        .graphql(Some(token), "{ accounts { totalCount } }", json!({}))
        .await?;
    answer.body["data"]["accounts"]["totalCount"]
        .as_u64()
        .with_context(|| format!("no account count: {answer:?}"))
}

/// The README's backup and restore commands, on the test's cluster.
async fn a_backup_restores_into_a_fresh_database(
    d: &mut Deployment,
    token: &str,
    acknowledged: &[String],
) -> Result<()> {
    let front = d.site.client(TRUSTED, None)?;
    let before = account_count(&front, token).await?;
    let database = d.postgres.credentials.database.clone();
    let user = d.postgres.credentials.user.clone();
    let dump = d.dir.path().join("tcd.dump");
    // pg_dump -U tcd -Fc tcd > tcd.dump
    run(d
        .postgres
        .client("pg_dump")?
        .args(["-U", &user, "-Fc", &database])
        .stdout(Stdio::from(std::fs::File::create(&dump)?)))?;
    d.tcd.take().context("tcd runs")?.stop();
    run(d
        .postgres
        .client("dropdb")?
        .args(["-U", &user, "--force", &database]))?;
    run(d
        .postgres
        .client("createdb")?
        .args(["-U", &user, &database]))?;
    // pg_restore -U tcd -d tcd --no-owner --exit-on-error < tcd.dump
    let mut restore: Command = d.postgres.client("pg_restore")?;
    restore
        .args([
            "-U",
            &user,
            "-d",
            &database,
            "--no-owner",
            "--exit-on-error",
        ])
        .stdin(Stdio::from(std::fs::File::open(&dump)?));
    let out = restore.output()?;
    ensure!(
        out.status.success(),
        "pg_restore failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    d.tcd = Some(Tcd::serve(&d.api_environment, d.tcd_port, d.dir.path()).await?);

    let token = front
        .token(ADMIN, ADMIN_PASSWORD)
        .await
        .context("the admin's changed password did not survive the restore")?;
    let after = account_count(&front, &token).await?;
    ensure!(
        after == before,
        "{before} accounts before the backup, {after} after the restore"
    );
    let restored: usize = d
        .postgres
        .query("SELECT count(*) FROM account WHERE username LIKE 'tai.%'")?
        .trim()
        .parse()?;
    ensure!(
        restored >= acknowledged.len(),
        "{} acknowledged accounts, {restored} restored",
        acknowledged.len()
    );
    Ok(())
}
