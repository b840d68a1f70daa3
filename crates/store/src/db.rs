use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sea_orm::sqlx::Connection;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::PgSslMode;
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
    let plain_local = is_local_without_ssl_choice(url);
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.max_connections(options.max_connections)
        .min_connections(0)
        .acquire_timeout(options.acquire_timeout)
        .connect_timeout(options.acquire_timeout)
        .idle_timeout(Duration::from_mins(5))
        // A connection in use a moment ago is handed out as it is: pinging it on every
        // acquire costs a round trip per statement. One idle long enough to have been
        // dropped (by the server, a proxy or a firewall) is pinged first, and so is every
        // one for a while after a connection was found lost (the server restarted: the
        // others in the pool are most likely dead too, and a ping weeds them out before a
        // request fails on them).
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .map_sqlx_postgres_before_acquire(|conn, _| {
            Box::pin(async move {
                if recently_lost_a_connection() {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(move |o| {
            o.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(busy_timeout)
        })
        .map_sqlx_postgres_opts(move |o| {
            let o = if plain_local {
                o.ssl_mode(PgSslMode::Disable)
            } else {
                o
            };
            o.options([
                ("statement_timeout", statement_timeout.clone()),
                ("lock_timeout", lock_timeout.clone()),
            ])
        });
    Ok(Database::connect(opts).await?)
}

/// How long a pooled connection may sit idle before it is pinged on its way out of the pool.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// When a connection was last found lost, in milliseconds since the Unix epoch; 0: never.
static LOST_CONNECTION_AT: AtomicU64 = AtomicU64::new(0);

fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Records that a statement found its connection lost (see [`connect`]): for the next
/// [`IDLE_BEFORE_PING`], every connection is pinged before use. Process-wide, which only
/// costs another pool of the process a few pings.
pub(crate) fn note_lost_connection() {
    LOST_CONNECTION_AT.store(now_millis(), Ordering::Relaxed);
}

fn recently_lost_a_connection() -> bool {
    let at = LOST_CONNECTION_AT.load(Ordering::Relaxed);
    let window = u64::try_from(IDLE_BEFORE_PING.as_millis()).unwrap_or(u64::MAX);
    at != 0 && now_millis().saturating_sub(at) < window
}

/// Whether `url` names a PostgreSQL server on this machine (loopback or a Unix socket) and
/// leaves TLS unspecified. Such a connection is plain: sqlx would otherwise try TLS first
/// (`sslmode=prefer`), which costs a handshake per connection and encryption of every
/// round trip for nothing an attacker could see. A URL that says `sslmode=` is obeyed.
fn is_local_without_ssl_choice(url: &str) -> bool {
    if !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
        return false;
    }
    if url.contains("sslmode=") {
        return false;
    }
    let Some(after_scheme) = url.split_once("://").map(|(_, rest)| rest) else {
        return false;
    };
    let authority = after_scheme.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if let Some(bracketed) = host_port.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    let socket_param = url.contains("host=/");
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "") || socket_param
}

/// Whether the pool has been closed (the server is stopping).
pub fn is_closed(db: &DatabaseConnection) -> bool {
    match db.get_database_backend() {
        DbBackend::Postgres => db.get_postgres_connection_pool().is_closed(),
        _ => db.get_sqlite_connection_pool().is_closed(),
    }
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

#[cfg(test)]
mod tests {
    use super::is_local_without_ssl_choice as plain;

    #[test]
    fn a_local_server_is_plain_unless_the_url_asks_for_tls() {
        assert!(plain("postgres://postgres@127.0.0.1:5432/tcd"));
        assert!(plain("postgres://tcd:secret@localhost/tcd"));
        assert!(plain("postgresql://[::1]:5433/tcd"));
        assert!(plain("postgres:///tcd?host=/var/run/postgresql"));
        assert!(!plain(
            "postgres://postgres@127.0.0.1:5432/tcd?sslmode=require"
        ));
        assert!(!plain("postgres://tcd@db.example.vn/tcd"));
        assert!(
            !plain("postgres://tcd@postgres:5432/tcd"),
            "another container is not local"
        );
        assert!(!plain("sqlite://data/tcd.db"));
    }
}
