//! Black-box test helpers: the real server on a random port, a fresh database per test, and
//! GraphQL over HTTP.
//!
//! Every test written with [`db_test!`] runs twice: on an SQLite file in a temporary directory
//! and, when `TEST_DATABASE_URL` points at a PostgreSQL server, on a freshly created PostgreSQL
//! database that is dropped afterwards. Set `TEST_LOG=1` to see the server's logs.

use std::collections::HashSet;
use std::sync::Once;

use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use server::{Application, Settings};
use store::DatabaseConnection;
use tempfile::TempDir;

/// The database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    /// Where `/metrics` is served, apart from the public listener.
    pub metrics_address: Option<String>,
    pub client: reqwest::Client,
    /// The server's own pool, for arranging data a test cannot create through the API yet.
    pub db: DatabaseConnection,
    pub backend: Backend,
    pub database_url: String,
    /// The access token of the national admin [`NATIONAL_ADMIN`], once the fixture is
    /// loaded; [`TestApp::graphql`] sends it.
    pub token: Option<String>,
    /// The settings the server was started with.
    pub settings: Settings,
    _dir: TempDir,
    pg: Option<PgDatabase>,
}

/// The fixture's admin at the national root: sees the whole tree.
pub const NATIONAL_ADMIN: &str = "quantri.trunguong";

/// The password every fixture account gets: its username between fixed random-looking
/// parts, so that it passes the strength rule.
pub fn password_of(username: &str) -> String {
    format!("mk-{username}-Xq7!vB2#pL")
}

/// A PostgreSQL database created for one test and dropped when the test ends.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // The test's runtime is busy dropping this; use a thread with a runtime of its own.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            rt.block_on(async {
                let admin = Database::connect(&admin_url).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
                admin.close().await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            eprintln!("could not drop test database {}", self.name);
        }
    }
}

fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            server::telemetry::init(server::LogFormat::Text);
        }
    });
}

/// The PostgreSQL server tests may use, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Called when a PostgreSQL run has no server to run on: CI sets `TCD_REQUIRE_POSTGRES=1`, so
/// a skipped PostgreSQL run fails there instead of passing unnoticed.
pub fn postgres_skipped() {
    assert!(
        std::env::var_os("TCD_REQUIRE_POSTGRES").is_none(),
        "TCD_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: the PostgreSQL run would be skipped"
    );
    eprintln!("TEST_DATABASE_URL not set: PostgreSQL run skipped");
}

/// `url` with its database name replaced by `name`.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let server = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{server}/{name}?{q}"),
        None => format!("{server}/{name}"),
    }
}

/// Starts a server with `settings` in the background: its address, its metrics address and
/// its pool.
async fn start(settings: &Settings) -> (String, Option<String>, DatabaseConnection) {
    let app = Application::build(settings.clone())
        .await
        .expect("server starts");
    let address = format!("http://127.0.0.1:{}", app.port());
    let metrics_address = app
        .metrics_port()
        .map(|port| format!("http://127.0.0.1:{port}"));
    let db = app.db().clone();
    tokio::spawn(app.run_until_stopped());
    (address, metrics_address, db)
}

/// Starts a server on a fresh, empty (migrated) database, after `configure` has adjusted its
/// settings.
pub async fn spawn_app_with(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
) -> Option<TestApp> {
    init_logs();
    let dir = tempfile::tempdir().expect("temp dir");
    let (database_url, pg) = match backend {
        Backend::Sqlite => (
            format!("sqlite://{}", dir.path().join("tcd.db").display()),
            None,
        ),
        Backend::Postgres => {
            let admin_url = postgres_url()?;
            let name = format!("tcd_test_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL is set but PostgreSQL does not answer");
            admin
                .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create test database");
            admin.close().await.expect("close admin connection");
            (
                with_database(&admin_url, &name),
                Some(PgDatabase { admin_url, name }),
            )
        }
    };
    let mut settings = Settings::for_tests(&database_url);
    configure(&mut settings);
    let (address, metrics_address, db) = start(&settings).await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client");
    Some(TestApp {
        address,
        metrics_address,
        client,
        db,
        backend,
        database_url,
        token: None,
        settings,
        _dir: dir,
        pg,
    })
}

/// The units of Quảng Nam (49) and Đà Nẵng (48), from the official 2025-01 list: enough tree
/// for every test, small enough to load in milliseconds.
pub fn fixture_csv() -> String {
    let mut lines = server::seed::OFFICIAL_UNITS_2025_01.lines();
    let mut out = String::from(lines.next().expect("header"));
    out.push('\n');
    let mut kept: HashSet<String> = ["48", "49"].map(String::from).into();
    for line in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let (code, parent) = (fields[0], fields[4]);
        if kept.contains(code) || kept.contains(parent) {
            kept.insert(code.to_owned());
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The units of Thành phố Đà Nẵng (48) from the two-tier 2025-07 list: the old Đà Nẵng and
/// Quảng Nam, whose communes now hang directly under it. Imported over [`fixture_csv`] it
/// moves communes, renames them, and leaves Quảng Nam and every district out.
pub fn fixture_csv_two_tier() -> String {
    let mut lines = server::seed::OFFICIAL_UNITS_2025_07.lines();
    let mut out = String::from(lines.next().expect("header"));
    out.push('\n');
    for line in lines.filter(|l| l.starts_with("48,") || l.ends_with(",48")) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

impl TestApp {
    /// Another server on the same database with the same settings and secret, as a second
    /// replica behind a load balancer would run. The database stays this app's.
    pub async fn replica(&self) -> TestApp {
        self.replica_with(|_| {}).await
    }

    /// [`TestApp::replica`] with its settings changed by `configure` (a token key, the
    /// address of a fake Graph API).
    pub async fn replica_with(&self, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let mut settings = self.settings.clone();
        configure(&mut settings);
        let (address, metrics_address, db) = start(&settings).await;
        TestApp {
            address,
            metrics_address,
            client: self.client.clone(),
            db,
            backend: self.backend,
            database_url: self.database_url.clone(),
            token: self.token.clone(),
            settings,
            _dir: tempfile::tempdir().expect("temp dir"),
            pg: None,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.pg.is_some()
    }

    /// Loads [`fixture_csv`] through the same import the CLI uses.
    pub async fn import_fixture(&self) {
        self.import_csv(&fixture_csv())
            .await
            .expect("fixture imports");
    }

    /// Imports a unit list as `tcd units import` does without flags: inserts and renames only.
    pub async fn import_csv(
        &self,
        csv: &str,
    ) -> Result<store::import::ImportReport, store::import::ImportError> {
        self.import_csv_with(csv, store::import::ImportOptions::default())
            .await
            .map(|plan| plan.report)
    }

    /// Imports a unit list with these permissions; returns the plan it wrote.
    pub async fn import_csv_with(
        &self,
        csv: &str,
        options: store::import::ImportOptions,
    ) -> Result<store::import::ImportPlan, store::import::ImportError> {
        let rows = store::import::parse_csv(csv.as_bytes())?;
        store::import::import(&self.db, &rows, options, |_| {}).await
    }

    /// What importing a unit list would change, writing nothing (`--dry-run`).
    pub async fn plan_csv(
        &self,
        csv: &str,
    ) -> Result<store::import::ImportPlan, store::import::ImportError> {
        let rows = store::import::parse_csv(csv.as_bytes())?;
        store::import::plan(&self.db, &rows).await
    }

    /// Creates an account directly (not through the API), with the password
    /// [`password_of`] its username and nothing to change; returns its global id.
    pub async fn add_account(&self, username: &str, role: domain::Role, unit_code: &str) -> String {
        let spec = server::accounts::Bootstrap {
            unit_code: unit_code.to_owned(),
            username: username.to_owned(),
            display_name: None,
            role,
            password: Some(password_of(username)),
        };
        let (account, _) = server::accounts::create(&self.db, spec)
            .await
            .expect("account created");
        let body = self
            .graphql(
                "query ($u: String) { accounts(search: $u) { nodes { id username } } }",
                json!({ "u": username }),
            )
            .await;
        body["data"]["accounts"]["nodes"]
            .as_array()
            .and_then(|nodes| {
                nodes
                    .iter()
                    .find(|n| n["username"] == account.username.as_str())
            })
            .and_then(|n| n["id"].as_str())
            .map_or_else(String::new, str::to_owned)
    }

    /// Creates [`NATIONAL_ADMIN`] and makes [`TestApp::graphql`] act as it. The national
    /// root must exist, i.e. some units must have been imported.
    pub async fn become_national_admin(&mut self) {
        self.add_account(NATIONAL_ADMIN, domain::Role::Admin, "VN")
            .await;
        self.token = Some(self.token_for(NATIONAL_ADMIN).await);
    }

    /// Signs in through the API and returns the whole `login` payload.
    pub async fn login(&self, username: &str, password: &str) -> Value {
        let body = self
            .graphql_as(
                None,
                "mutation ($input: LoginInput!) { login(input: $input) { accessToken expiresAt retryAt account { id username role mustChangePassword unit { code } } userErrors { field message code } } }",
                json!({ "input": { "username": username, "password": password } }),
            )
            .await;
        body["data"]["login"].clone()
    }

    /// The access token of a fixture account (password [`password_of`]).
    pub async fn token_for(&self, username: &str) -> String {
        let payload = self.login(username, &password_of(username)).await;
        payload["accessToken"]
            .as_str()
            .unwrap_or_else(|| panic!("{username} signs in: {payload}"))
            .to_owned()
    }

    /// A client that keeps cookies, like a browser: for the refresh cookie.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .expect("http client")
    }

    /// POSTs a GraphQL request as the national admin (when the fixture is loaded) and
    /// returns the whole response body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_as(self.token.as_deref(), query, variables)
            .await
    }

    /// POSTs a GraphQL request with this bearer token (or none) and returns the body, which
    /// must come with 200.
    pub async fn graphql_as(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let (status, body) = self.graphql_status(token, query, variables).await;
        assert_eq!(status, 200, "GraphQL answers 200: {body}");
        body
    }

    /// POSTs a GraphQL request with this bearer token (or none) and returns the HTTP status
    /// with the body, whatever the status.
    pub async fn graphql_status(
        &self,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> (u16, Value) {
        let mut request = self
            .client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// Like [`TestApp::data`], with this bearer token.
    pub async fn data_as(&self, token: &str, query: &str, variables: Value) -> Value {
        let body = self.graphql_as(Some(token), query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// POSTs a query that must succeed and returns its `data`.
    pub async fn data(&self, query: &str, variables: Value) -> Value {
        let body = self.graphql(query, variables).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// The server's Prometheus metrics, from the metrics listener.
    pub async fn metrics(&self) -> String {
        let address = self.metrics_address.as_deref().expect("metrics are served");
        self.client
            .get(format!("{address}/metrics"))
            .send()
            .await
            .expect("request sent")
            .text()
            .await
            .expect("text")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("request sent")
    }
}

/// The `extensions.code` of the first error of a response.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

/// Starts the app for one [`db_test!`] run: `None` means "PostgreSQL not configured".
pub async fn spawn_for_test(
    backend: Backend,
    configure: impl FnOnce(&mut Settings),
    with_fixture: bool,
) -> Option<TestApp> {
    let mut app = spawn_app_with(backend, configure).await?;
    if with_fixture {
        app.import_fixture().await;
        app.become_national_admin().await;
    }
    Some(app)
}

/// Declares a test that runs once per database: `name::sqlite` and `name::postgres`. Built
/// without `TEST_DATABASE_URL`, the PostgreSQL run is ignored and says why; CI sets it.
///
/// By default the server runs with development settings and the fixture units loaded;
/// `configure = |settings| ..., fixture = false;` before the function changes either.
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident: TestApp) $body:block) => {
        $crate::db_test!(configure = |_| {}, fixture = true; $(#[$meta])* async fn $name($app: TestApp) $body);
    };
    (configure = $configure:expr, fixture = $fixture:expr;
     $(#[$meta:meta])* async fn $name:ident($app:ident: TestApp) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($app: $crate::TestApp) $body

            #[tokio::test]
            async fn sqlite() {
                let app = $crate::spawn_for_test($crate::Backend::Sqlite, $configure, $fixture).await;
                run(app.expect("sqlite app")).await;
            }

            #[tokio::test]
            #[cfg_attr(
                not(tcd_postgres),
                ignore = "TEST_DATABASE_URL is not set: PostgreSQL run skipped"
            )]
            async fn postgres() {
                match $crate::spawn_for_test($crate::Backend::Postgres, $configure, $fixture).await {
                    Some(app) => run(app).await,
                    None => $crate::postgres_skipped(),
                }
            }
        }
    };
}

/// A minimal built web app in a fresh directory: `index.html` and one hashed asset.
pub fn sample_spa() -> std::path::PathBuf {
    let dir = tempfile::Builder::new()
        .prefix("tcd-spa-")
        .tempdir()
        .expect("dir")
        .keep();
    std::fs::create_dir_all(dir.join("assets")).expect("assets dir");
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><title>Trang Cộng Đồng</title>",
    )
    .expect("index");
    std::fs::write(dir.join("assets/app-0123abcd.js"), "console.log(1)").expect("asset");
    dir
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced_keeping_the_query() {
        assert_eq!(
            with_database(
                "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
                "t1"
            ),
            "postgres://postgres@127.0.0.1:5432/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://u@h:5432", "t2"),
            "postgres://u@h:5432/t2"
        );
        assert_eq!(
            with_database("postgres://u@h/db", "t3"),
            "postgres://u@h/t3"
        );
    }
}
