//! Configuration from environment variables (or flags), with defaults that work on a fresh
//! machine: an SQLite file under `./data/`, listening on 127.0.0.1:8080.

use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;
use api::{AuthConfig, Secret};
use clap::{Args, ValueEnum};
use store::DbOptions;

/// Where the process runs. Production refuses unsafe defaults and hides schema hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Environment {
    #[default]
    Development,
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The default database: an SQLite file beside the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tcd.db";

/// Database settings shared by every sub-command.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: `postgres://user@host/db` or `sqlite://path/to/file.db`.
    #[arg(long = "database-url", env = "TCD_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub url: String,
    /// Largest number of pooled connections.
    #[arg(
        long = "db-max-connections",
        env = "TCD_DB_MAX_CONNECTIONS",
        default_value_t = 10
    )]
    pub max_connections: u32,
    /// On PostgreSQL, how long one statement may run before the server cancels it, in
    /// milliseconds: a slow or locked database answers `UNAVAILABLE` instead of hanging.
    #[arg(
        long = "db-statement-timeout-ms",
        env = "TCD_DB_STATEMENT_TIMEOUT_MS",
        default_value_t = 10_000
    )]
    pub statement_timeout_ms: u64,
    /// How long a statement waits for a lock held by another before it fails as
    /// `UNAVAILABLE`, in milliseconds (PostgreSQL's `lock_timeout`, SQLite's busy timeout).
    #[arg(
        long = "db-lock-timeout-ms",
        env = "TCD_DB_LOCK_TIMEOUT_MS",
        default_value_t = 5_000
    )]
    pub lock_timeout_ms: u64,
}

impl DatabaseArgs {
    pub fn options(&self) -> DbOptions {
        DbOptions {
            max_connections: self.max_connections,
            statement_timeout: Duration::from_millis(self.statement_timeout_ms),
            lock_timeout: Duration::from_millis(self.lock_timeout_ms),
            ..DbOptions::default()
        }
    }
}

/// Everything `tcd serve` needs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseArgs,
    #[command(flatten)]
    pub graph: GraphArgs,
    /// Pull the statistics of every page with a stored token every this many hours (the
    /// first pull one period after start). Unset: no scheduled pull (`tcd stats pull` does
    /// one by hand).
    #[arg(long, env = "TCD_STATS_PULL_EVERY_HOURS")]
    pub stats_pull_every_hours: Option<u64>,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "TCD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    #[arg(long = "env", env = "TCD_ENV", value_enum, default_value_t)]
    pub environment: Environment,
    /// Directory of the built web app, served at `/`.
    #[arg(long, env = "TCD_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
    /// Do not load the official unit list into an empty database.
    #[arg(long, env = "TCD_NO_SEED")]
    pub no_seed: bool,
    /// On a database without accounts, create demo accounts and print their passwords: in
    /// Quảng Nam on the 2025-01 list, in Đà Nẵng on the 2025-07 list.
    #[arg(long)]
    pub demo: bool,
    /// The official unit list an empty database is seeded with: 2025-01 (three tiers, the
    /// default) or 2025-07 (two tiers). Naming another edition than the database holds
    /// refuses to start.
    #[arg(long, env = "TCD_UNITS", value_enum)]
    pub units: Option<crate::seed::UnitEdition>,
    /// Secret that signs access tokens, at least 32 bytes. Without it, development generates
    /// one and keeps it in the data directory; production refuses to start.
    #[arg(long, env = "TCD_JWT_SECRET", hide_env_values = true, value_parser = parse_secret)]
    pub jwt_secret: Option<Secret>,
    /// Where development keeps its generated secret.
    #[arg(long, env = "TCD_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Lifetime of an access token, in seconds.
    #[arg(long, env = "TCD_ACCESS_TOKEN_TTL_SECONDS", default_value_t = 900)]
    pub access_token_ttl_seconds: u64,
    /// First wait after 5 failed sign-ins, in seconds; it doubles with each further failure.
    #[arg(long, env = "TCD_LOGIN_BACKOFF_SECONDS", default_value_t = 30)]
    pub login_backoff_seconds: u64,
    /// How long a used refresh token is still honoured (tabs of one browser renewing at the
    /// same moment), in seconds; after that its reuse revokes the session.
    #[arg(long, env = "TCD_REFRESH_REUSE_GRACE_SECONDS", default_value_t = 10)]
    pub refresh_reuse_grace_seconds: u64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy that sets it).
    #[arg(long, env = "TCD_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// GraphQL requests per second one account (or one anonymous address) may send on
    /// average; beyond it, `429` with `RATE_LIMITED`.
    #[arg(long, env = "TCD_REQUESTS_PER_SECOND", default_value_t = NonZeroU32::new(20).expect("non-zero"))]
    pub requests_per_second: NonZeroU32,
    /// How many requests one client may send at once before the average applies.
    #[arg(long, env = "TCD_REQUEST_BURST", default_value_t = NonZeroU32::new(60).expect("non-zero"))]
    pub request_burst: NonZeroU32,
    /// The longest one GraphQL request may take, in seconds; beyond it the request is
    /// abandoned (its transaction rolled back) and answered `503 UNAVAILABLE`. Keep it below
    /// the proxy's read timeout (nginx here: 60 s), so the client hears it from the API.
    #[arg(long, env = "TCD_REQUEST_TIMEOUT_SECONDS", default_value_t = 30)]
    pub request_timeout_seconds: u64,
    /// The most SQL statements one GraphQL request may run; beyond it the request fails with
    /// `QUERY_TOO_EXPENSIVE`. Every list loads what its items link to in one statement per
    /// kind, so the largest request the web app sends runs about a dozen: the budget only
    /// stops a query shape that escaped that rule.
    #[arg(long, env = "TCD_STATEMENT_BUDGET", default_value_t = api::STATEMENT_BUDGET)]
    pub statement_budget: u32,
    /// Serve GraphiQL at `/graphiql`: on by default in development, off in production (set
    /// it to offer integrators the explorer there too; it runs in their browser with their
    /// own token).
    #[arg(long, env = "TCD_GRAPHIQL")]
    pub graphiql: Option<bool>,
    /// Where to serve `/metrics` (Prometheus), apart from the public listener, e.g.
    /// `127.0.0.1:9464`; port 0 picks a free port. Unset: no metrics endpoint.
    #[arg(long, env = "TCD_METRICS_BIND")]
    pub metrics_bind: Option<String>,
}

/// How the server reaches Facebook's Graph API to pull page statistics.
#[derive(Debug, Clone, clap::Args)]
pub struct GraphArgs {
    /// The Graph API's address; tests point it at a local fake.
    #[arg(
        long,
        env = "TCD_GRAPH_API_URL",
        default_value = "https://graph.facebook.com"
    )]
    pub graph_api_url: String,
    #[arg(long, env = "TCD_GRAPH_API_VERSION", default_value = "v24.0")]
    pub graph_api_version: String,
    /// The key Page access tokens are encrypted with at rest: 64 hexadecimal digits, e.g.
    /// `openssl rand -hex 32`. Unset: tokens cannot be stored, and nothing is pulled.
    #[arg(long, env = "TCD_TOKEN_KEY", hide_env_values = true)]
    pub token_key: Option<String>,
}

impl GraphArgs {
    /// The Graph API client and the token key, when a key is configured.
    pub fn graph(&self) -> anyhow::Result<Option<app::stats::Graph>> {
        let Some(key) = &self.token_key else {
            return Ok(None);
        };
        let key = app::stats::TokenKey::from_hex(key).ok_or_else(|| {
            anyhow::anyhow!(
                "TCD_TOKEN_KEY: cần đúng 64 chữ số thập lục phân (openssl rand -hex 32)"
            )
        })?;
        let client = facebook::GraphClient::new(
            &self.graph_api_url,
            &self.graph_api_version,
            Duration::from_secs(20),
        )
        .map_err(|e| anyhow::anyhow!("TCD_GRAPH_API_URL: {e}"))?;
        Ok(Some(app::stats::Graph {
            client: std::sync::Arc::new(client),
            key,
        }))
    }
}

/// Takes the secret as given; it is checked when resolved, so that a refusal never echoes
/// it (clap prints the value it refuses).
#[expect(
    clippy::unnecessary_wraps,
    reason = "the shape clap's value parsers have"
)]
fn parse_secret(value: &str) -> Result<Secret, String> {
    Ok(Secret::new(value.as_bytes()))
}

/// The shortest accepted token-signing secret.
pub const MIN_SECRET_BYTES: usize = domain::secret::SIGNING_SECRET_MIN_BYTES;

impl Settings {
    /// The token-signing secret: the configured one; in development a generated one kept in
    /// `data_dir/jwt-secret` (readable by the owner only); in production, none is an error.
    pub fn resolve_jwt_secret(&self) -> anyhow::Result<Secret> {
        if let Some(secret) = &self.jwt_secret {
            domain::secret::check_signing_secret(secret.expose())
                .map_err(|e| anyhow::anyhow!("TCD_JWT_SECRET: {e}"))?;
            return Ok(secret.clone());
        }
        if self.environment == Environment::Production {
            anyhow::bail!(
                "TCD_ENV=production cần TCD_JWT_SECRET (ít nhất {MIN_SECRET_BYTES} byte)"
            );
        }
        let path = self.data_dir.join("jwt-secret");
        if let Ok(existing) = std::fs::read_to_string(&path)
            && domain::secret::check_signing_secret(existing.trim().as_bytes()).is_ok()
        {
            return Ok(Secret::new(existing.trim().as_bytes()));
        }
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("cannot create {}", self.data_dir.display()))?;
        let generated = api::auth::tokens::generate();
        write_private(&path, &generated)?;
        tracing::info!(path = %path.display(), "generated a token-signing secret for development");
        Ok(Secret::new(generated.as_bytes()))
    }

    /// Whether `/graphiql` is served.
    pub fn graphiql_enabled(&self) -> bool {
        self.graphiql
            .unwrap_or(self.environment == Environment::Development)
    }

    pub fn auth_config(&self, secret: Secret) -> AuthConfig {
        AuthConfig {
            access_ttl: Duration::from_secs(self.access_token_ttl_seconds),
            secure_cookies: self.environment == Environment::Production,
            login_backoff: Duration::from_secs(self.login_backoff_seconds),
            refresh_reuse_grace: Duration::from_secs(self.refresh_reuse_grace_seconds),
            ..AuthConfig::new(secret)
        }
    }
}

#[cfg(unix)]
fn write_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &std::path::Path, contents: &str) -> anyhow::Result<()> {
    std::fs::write(path, contents).with_context(|| format!("cannot write {}", path.display()))
}

impl Settings {
    /// Settings for a server on `database_url`, listening on a free local port.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            database: DatabaseArgs {
                url: database_url.to_owned(),
                max_connections: 5,
                statement_timeout_ms: 10_000,
                lock_timeout_ms: 5_000,
            },
            // No test reaches the internet: a test that pulls statistics points this at its
            // fake Graph API and sets a token key.
            graph: GraphArgs {
                graph_api_url: "http://127.0.0.1:9".to_owned(),
                graph_api_version: "v24.0".to_owned(),
                token_key: None,
            },
            stats_pull_every_hours: None,
            bind: "127.0.0.1:0".to_owned(),
            environment: Environment::Development,
            static_dir: PathBuf::from("frontend/dist"),
            no_seed: true,
            demo: false,
            units: None,
            jwt_secret: Some(Secret::new(api::auth::tokens::generate().as_bytes())),
            data_dir: PathBuf::from("data"),
            access_token_ttl_seconds: 900,
            login_backoff_seconds: 30,
            refresh_reuse_grace_seconds: 10,
            trust_proxy: false,
            // Tests drive one account hard; the limit has tests of its own.
            requests_per_second: NonZeroU32::MAX,
            request_burst: NonZeroU32::MAX,
            metrics_bind: Some("127.0.0.1:0".to_owned()),
            graphiql: None,
            request_timeout_seconds: 30,
            statement_budget: api::STATEMENT_BUDGET,
        }
    }
}
