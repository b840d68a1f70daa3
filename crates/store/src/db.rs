use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};

use crate::StoreError;

/// The database product behind a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// Pool settings. The defaults suit one server process.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    /// How long a request waits for a free connection before it fails. Short on purpose: an
    /// exhausted pool or a database that is down gives a fast, clear error, not a long hang.
    pub acquire_timeout: Duration,
    /// On PostgreSQL, how long one statement may run before the server cancels it.
    pub statement_timeout: Duration,
    /// How long a statement waits for a lock another holds (PostgreSQL's `lock_timeout`,
    /// SQLite's busy timeout) before it fails as unavailable.
    pub lock_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            max_connections: 10,
            acquire_timeout: Duration::from_secs(2),
            statement_timeout: Duration::from_secs(10),
            lock_timeout: Duration::from_secs(5),
        }
    }
}

/// Opens a pool to `url` (`postgres://…` or `sqlite://…`). SQLite files are created when
/// missing and run in WAL mode with `synchronous=NORMAL`, which is durable across a process
/// crash and an order of magnitude faster for writes than the default.
#[tracing::instrument(skip_all)]
pub async fn connect(url: &str, options: &DbOptions) -> Result<DatabaseConnection, StoreError> {
    let statement_timeout = options.statement_timeout.as_millis().to_string();
    let lock_timeout = options.lock_timeout.as_millis().to_string();
    let busy_timeout = options.lock_timeout;
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(options.max_connections)
        .min_connections(0)
        .acquire_timeout(options.acquire_timeout)
        .connect_timeout(options.acquire_timeout)
        .idle_timeout(Duration::from_mins(5))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(busy_timeout)
        })
        .map_sqlx_postgres_opts(move |o| {
            o.options([
                ("statement_timeout", statement_timeout.clone()),
                ("lock_timeout", lock_timeout.clone()),
            ])
        });
    Ok(Database::connect(opts).await?)
}

/// Applies every pending migration.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> Result<(), StoreError> {
    Migrator::up(db, None).await?;
    Ok(())
}

/// Checks that the database answers a read of the tables every request needs: not only
/// that it is up, but that nothing holds them locked.
pub async fn ping(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    db.execute_unprepared(
        "SELECT (SELECT 1 FROM unit LIMIT 1), (SELECT 1 FROM account LIMIT 1), \
         (SELECT 1 FROM refresh_token LIMIT 1)",
    )
    .await?;
    Ok(())
}

impl Backend {
    pub fn of(db: &impl ConnectionTrait) -> Self {
        match db.get_database_backend() {
            DbBackend::Sqlite => Self::Sqlite,
            _ => Self::Postgres,
        }
    }
}

/// What the pool holds now: open connections, idle ones, and the most it may open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolState {
    pub open: u32,
    pub idle: usize,
    pub max: u32,
}

impl PoolState {
    pub fn of(db: &DatabaseConnection) -> Self {
        let (open, idle, max) = if db.get_database_backend() == DbBackend::Sqlite {
            let pool = db.get_sqlite_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        } else {
            let pool = db.get_postgres_connection_pool();
            (
                pool.size(),
                pool.num_idle(),
                pool.options().get_max_connections(),
            )
        };
        Self { open, idle, max }
    }

    /// Why a request found no connection in time: every one busy, or the database not
    /// accepting new ones (down, restarting, refusing).
    pub fn diagnosis(self) -> &'static str {
        if self.open >= self.max {
            "every pooled connection is busy"
        } else {
            "the database does not accept new connections"
        }
    }
}
