//! Build, then run: `Application::build` binds the listener and prepares everything,
//! `run_until_stopped` serves until SIGTERM or SIGINT, then drains in-flight requests.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, DefaultHeaders};
use actix_web::{App, HttpServer, web};
use anyhow::Context as _;
use api::{OperationMetrics, SchemaOptions, TcdSchema};
use prometheus::Registry;
use store::DatabaseConnection;
use tracing_actix_web::TracingLogger;

use crate::limits::{RequestLimits, RequestQuota};
use crate::{Environment, Settings, routes, seed};

/// What every request handler shares.
pub struct AppState {
    pub schema: TcdSchema,
    pub db: DatabaseConnection,
    pub registry: Registry,
    pub metrics: OperationMetrics,
    /// Take client addresses from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Requests per account or anonymous address.
    pub limits: RequestLimits,
    /// To tell which account a request counts against, before the schema runs.
    pub keys: api::auth::jwt::Keys,
    /// The longest one GraphQL request may take.
    pub request_timeout: Duration,
    /// Identify and seal the records of mutations sent with an idempotency key.
    pub idempotency: api::idempotency::IdempotencyKeys,
    /// The most SQL statements one GraphQL request may run.
    pub statement_budget: u32,
    /// The sessions this process has checked, kept true by listening for changes.
    pub sessions: std::sync::Arc<api::auth::cache::SessionCache>,
}

/// Forgets the records of idempotency keys once they are past keeping: at start, then hourly.
fn forget_old_idempotency_keys(db: DatabaseConnection) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_hours(1));
        loop {
            every.tick().await;
            match store::idempotency::purge(&db, chrono::Utc::now()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(records = n, "forgot old idempotency keys"),
                Err(e) => tracing::warn!(error = %e, "could not forget old idempotency keys"),
            }
        }
    });
}

/// A server ready to run.
pub struct Application {
    port: u16,
    metrics_port: Option<u16>,
    db: DatabaseConnection,
    server: Server,
    metrics: Option<Server>,
}

impl Application {
    /// Connects to the database, applies migrations, loads the official units into an empty
    /// database (unless told not to) and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        // Configuration first: a missing or weak secret must not cost a migration and a
        // seeded unit list before the refusal.
        let auth = settings.auth_config(settings.resolve_jwt_secret()?);
        ensure_sqlite_dir(&settings.database.url)?;
        let db = store::connect(&settings.database.url, &settings.database.options())
            .await
            .context("cannot connect to the database")?;
        store::migrate(&db)
            .await
            .context("cannot apply migrations")?;
        seed::prepare_units(&db, settings.units, !settings.no_seed).await?;
        if settings.demo {
            crate::demo::prepare(&db).await?;
        }
        let keys = api::auth::jwt::Keys::new(auth.jwt_secret.expose());
        let idempotency = api::idempotency::IdempotencyKeys::new(auth.jwt_secret.expose());
        forget_old_idempotency_keys(db.clone());

        let graph = settings.graph.graph()?;
        let registry = Registry::new();
        let metrics = OperationMetrics::register(&registry)?;
        let sessions = std::sync::Arc::new(api::auth::cache::SessionCache::default());
        sessions.register(&registry)?;
        tokio::spawn(api::keep_sessions(db.clone(), sessions.clone()));
        let schema = api::build_schema(
            auth,
            sessions.clone(),
            SchemaOptions {
                production: settings.environment == Environment::Production,
            },
            graph.clone(),
        );
        crate::stats::schedule(&db, graph, settings.stats_pull_every_hours);
        let state = web::Data::new(AppState {
            schema,
            db: db.clone(),
            registry,
            metrics,
            trust_proxy: settings.trust_proxy,
            limits: RequestLimits::new(RequestQuota {
                per_second: settings.requests_per_second,
                burst: settings.request_burst,
            }),
            keys,
            request_timeout: Duration::from_secs(settings.request_timeout_seconds),
            idempotency,
            statement_budget: settings.statement_budget,
            sessions,
        });

        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let static_dir = settings.static_dir.clone();
        let graphiql = settings.graphiql_enabled();
        let metrics_state = state.clone();
        let server = HttpServer::new(move || {
            App::new()
                .wrap(Compress::default())
                .wrap(
                    DefaultHeaders::new()
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("Referrer-Policy", "no-referrer"))
                        .add(("X-Frame-Options", "DENY")),
                )
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(|cfg| routes::configure(cfg, &static_dir, graphiql))
        })
        .listen(listener)?
        .shutdown_timeout(10)
        .run();
        let (metrics, metrics_port) = match &settings.metrics_bind {
            Some(bind) => {
                let listener = TcpListener::bind(bind)
                    .with_context(|| format!("cannot listen on {bind} for metrics"))?;
                let port = listener.local_addr()?.port();
                let state = metrics_state;
                let server = HttpServer::new(move || {
                    App::new()
                        .app_data(state.clone())
                        .configure(routes::configure_metrics)
                })
                .workers(1)
                .listen(listener)?
                .run();
                (Some(server), Some(port))
            }
            None => (None, None),
        };
        Ok(Self {
            port,
            metrics_port,
            db,
            server,
            metrics,
        })
    }

    /// The port the server listens on (useful when bound to port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port `/metrics` is served on, when it is.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics_port
    }

    /// The server's database pool.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Serves until the process is asked to stop.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        match self.metrics {
            Some(metrics) => {
                let (served, _) = tokio::join!(self.server, metrics);
                served
            }
            None => self.server.await,
        }
    }
}

/// SQLite creates the file but not its directory: make `./data/` on a fresh checkout.
fn ensure_sqlite_dir(url: &str) -> anyhow::Result<()> {
    let Some(rest) = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
    else {
        return Ok(());
    };
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    if let Some(dir) = std::path::Path::new(path)
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
    {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(())
}

/// How long readiness waits for the database before it reports not ready.
pub const READINESS_TIMEOUT: Duration = Duration::from_secs(2);
