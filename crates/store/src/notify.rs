//! Telling every server process that sessions changed.
//!
//! A server keeps the sessions it has checked (see the API's session cache), so that a
//! request does not read its account again. Whatever changes what a session may do — an
//! account updated, disabled, enabled, its password set, a sign-in recorded, a session
//! revoked, the unit list imported — says so here, inside the transaction that makes the
//! change: on PostgreSQL a `NOTIFY` on [`CHANNEL`], which PostgreSQL delivers to every
//! listening process when, and only when, the transaction commits. On SQLite there is
//! nothing to tell: its server keeps no sessions (another process, `tcd` on the command line,
//! may write the same file, and SQLite has no channel to say so).
//!
//! PostgreSQL signals every listening connection at commit, but each forwards the
//! notification in its own time. So that a change made through one server is in force on
//! every other before its client hears the answer, the server that made it sends a
//! [`Change::Sync`] after it ([`sync`]); every other server answers it with a
//! [`Change::Ack`] once it has applied all that came before it, and the first one waits for
//! as many answers as [`sync`] counted listening servers.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::sqlx::postgres::{PgListener, PgNotification, PgPoolOptions};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use uuid::Uuid;

use crate::StoreError;

/// The channel session changes are announced on.
pub const CHANNEL: &str = "tcd_sessions";

/// The `application_name` of every listening connection, by which [`sync`] counts the
/// servers that listen.
pub const LISTENER_NAME: &str = "tcd sessions listener";

/// How many changes this process has announced (on PostgreSQL), ever: a request that finds
/// it unchanged after it ran announced none and need not wait for any (see [`sync`]).
static ANNOUNCED: AtomicU64 = AtomicU64::new(0);

/// The number of changes this process has announced so far; compare two readings to learn
/// whether anything was announced in between (by this request or, harmlessly, another).
pub fn announced() -> u64 {
    ANNOUNCED.load(Ordering::Acquire)
}

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The sessions of this account changed.
    Account(Uuid),
    /// Any session may have changed (the unit list was imported).
    Everything,
    /// A marker sent by a server process to itself, to learn that what was committed
    /// before it has been delivered to itself (see [`mark`]).
    Mark(String),
    /// A marker sent by a server process after a change, which every other listening
    /// process answers with [`Change::Ack`] once it has applied what came before it (see
    /// [`sync`]).
    Sync(String),
    /// The answer to [`Change::Sync`] with the same nonce.
    Ack(String),
}

impl Change {
    fn payload(&self) -> String {
        match self {
            Self::Account(id) => id.to_string(),
            Self::Everything => "*".to_owned(),
            Self::Mark(nonce) => format!("mark:{nonce}"),
            Self::Sync(nonce) => format!("sync:{nonce}"),
            Self::Ack(nonce) => format!("ack:{nonce}"),
        }
    }

    /// Reads a payload; anything unknown is taken as "everything", the safe reading.
    fn parse(payload: &str) -> Self {
        if let Some(nonce) = payload.strip_prefix("mark:") {
            return Self::Mark(nonce.to_owned());
        }
        if let Some(nonce) = payload.strip_prefix("sync:") {
            return Self::Sync(nonce.to_owned());
        }
        if let Some(nonce) = payload.strip_prefix("ack:") {
            return Self::Ack(nonce.to_owned());
        }
        payload.parse().map_or(Self::Everything, Self::Account)
    }
}

async fn send(db: &impl ConnectionTrait, change: &Change) -> Result<(), StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), change.payload().into()],
    ))
    .await?;
    if matches!(change, Change::Account(_) | Change::Everything) {
        ANNOUNCED.fetch_add(1, Ordering::AcqRel);
    }
    Ok(())
}

/// Announces, when the surrounding transaction commits, that the sessions of `account`
/// changed.
pub async fn account_changed(db: &impl ConnectionTrait, account: Uuid) -> Result<(), StoreError> {
    send(db, &Change::Account(account)).await
}

/// Announces, when the surrounding transaction commits, that any session may have changed.
pub async fn everything_changed(db: &impl ConnectionTrait) -> Result<(), StoreError> {
    send(db, &Change::Everything).await
}

/// Sends the marker `nonce` on its own (committed at once): PostgreSQL delivers a channel's
/// notifications in commit order, so a listener that receives it has received everything
/// committed before it.
pub async fn mark(db: &impl ConnectionTrait, nonce: &str) -> Result<(), StoreError> {
    send(db, &Change::Mark(nonce.to_owned())).await
}

/// Sends [`Change::Sync`] with `nonce` on its own (committed at once) and answers how many
/// connections listen on [`CHANNEL`] now, this process's own included: each of the others
/// should answer with [`Change::Ack`]. A listener that connected just now is counted but may
/// not have heard it (it began after): waiting for it is bounded by the caller; one whose
/// connection is gone is not counted. Always 0 on SQLite.
pub async fn sync(db: &impl ConnectionTrait, nonce: &str) -> Result<u64, StoreError> {
    if db.get_database_backend() != DbBackend::Postgres {
        return Ok(0);
    }
    // `application_name` of other roles' sessions is visible to every role, unlike `query`.
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() \
             AND application_name = $3) AS listening FROM (SELECT pg_notify($1, $2)) AS sent",
            [
                CHANNEL.into(),
                Change::Sync(nonce.to_owned()).payload().into(),
                LISTENER_NAME.into(),
            ],
        ))
        .await?;
    let listening: i64 = match row {
        Some(row) => row.try_get("", "listening")?,
        None => 0,
    };
    Ok(u64::try_from(listening).unwrap_or(0))
}

/// Answers the [`Change::Sync`] with `nonce` of another process.
pub async fn ack(db: &impl ConnectionTrait, nonce: &str) -> Result<(), StoreError> {
    send(db, &Change::Ack(nonce.to_owned())).await
}

/// A connection listening on [`CHANNEL`] (PostgreSQL only).
pub struct Listener(PgListener);

impl std::fmt::Debug for Listener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Listener")
    }
}

impl Listener {
    /// Listens on a connection of its own, opened like the pool's. `None` on SQLite.
    pub async fn connect(db: &DatabaseConnection) -> Result<Option<Self>, StoreError> {
        if db.get_database_backend() != DbBackend::Postgres {
            return Ok(None);
        }
        // A connection of its own, opened as the pool's are: not one of the pool's, which
        // requests need.
        let options = (*db.get_postgres_connection_pool().connect_options())
            .clone()
            .application_name(LISTENER_NAME);
        let own = PgPoolOptions::new()
            .max_connections(1)
            .connect_lazy_with(options);
        let mut listener = tokio::time::timeout(CONNECT_TIMEOUT, PgListener::connect_with(&own))
            .await
            .map_err(|_| {
                StoreError::Unavailable(sea_orm::DbErr::Custom("listener: timed out".into()))
            })?
            .map_err(sqlx_error)?;
        // Reconnecting silently would hide that notifications were missed meanwhile: a lost
        // connection ends this listener, and its owner starts afresh.
        listener.ignore_pool_close_event(true);
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await.map_err(sqlx_error)?;
        Ok(Some(Self(listener)))
    }

    /// The next change; `None` once the connection is lost (notifications may have been
    /// missed since).
    pub async fn next(&mut self) -> Option<Change> {
        match self.0.try_recv().await {
            Ok(Some(notification)) => Some(Change::parse(payload(&notification))),
            Ok(None) | Err(_) => None,
        }
    }
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

fn payload(notification: &PgNotification) -> &str {
    notification.payload()
}

#[expect(clippy::needless_pass_by_value, reason = "used as map_err(sqlx_error)")]
fn sqlx_error(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Unavailable(sea_orm::DbErr::Custom(format!("listener: {e}")))
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn payloads_read_back_and_anything_unknown_means_everything() {
        let id = uuid::Uuid::now_v7();
        for change in [
            Change::Account(id),
            Change::Everything,
            Change::Mark("n1".into()),
            Change::Sync("n2".into()),
            Change::Ack("n2".into()),
        ] {
            assert_eq!(Change::parse(&change.payload()), change);
        }
        assert_eq!(Change::parse("garbage"), Change::Everything);
    }
}
