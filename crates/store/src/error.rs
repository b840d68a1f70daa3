use sea_orm::{DbErr, RuntimeErr};
use thiserror::Error;

use crate::metered::BUDGET_EXCEEDED;

/// What can go wrong in the store. `Db` and `Corrupt` are internal: callers log them and
/// answer opaquely, never passing the database's message on to a client.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("stored data breaks a domain rule: {0}")]
    Corrupt(String),
    /// The request has used up its statement budget.
    #[error("statement budget exceeded")]
    BudgetExceeded,
    /// The database is out of reach for now: no free connection in time, a lost connection, a
    /// statement that ran into its timeout. Worth retrying later.
    #[error("database unavailable: {0}")]
    Unavailable(DbErr),
    #[error("database error: {0}")]
    Db(DbErr),
}

impl StoreError {
    /// No connection could be had in time: see [`crate::PoolState::diagnosis`] for why.
    pub fn is_no_connection(&self) -> bool {
        match self {
            Self::Unavailable(DbErr::ConnectionAcquire(_)) => true,
            Self::Unavailable(
                DbErr::Exec(RuntimeErr::SqlxError(e))
                | DbErr::Query(RuntimeErr::SqlxError(e))
                | DbErr::Conn(RuntimeErr::SqlxError(e)),
            ) => {
                matches!(**e, sea_orm::sqlx::Error::PoolTimedOut)
            }
            _ => false,
        }
    }
}

/// Database error codes that mean "not now": PostgreSQL's statement cancelled by
/// `statement_timeout`, lock not obtained within `lock_timeout`, the server shutting down,
/// crashed or starting (`57P01`–`57P03`: a statement running when PostgreSQL restarts ends
/// with them) and lost connections (class `08`); SQLite's database busy (locked by another
/// writer past the busy timeout).
const UNAVAILABLE_CODES: [&str; 12] = [
    "57014", "55P03", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006", "5",
    "517",
];

/// Of [`UNAVAILABLE_CODES`], those that mean the connection itself is gone or going: the
/// server shutting down, crashed or restarting, and class `08`.
fn is_lost_connection_code(code: &str) -> bool {
    code.starts_with("57P") || code.starts_with("08")
}

impl From<DbErr> for StoreError {
    fn from(e: DbErr) -> Self {
        let lost = match &e {
            DbErr::Conn(_) => true,
            DbErr::Exec(RuntimeErr::SqlxError(sqlx))
            | DbErr::Query(RuntimeErr::SqlxError(sqlx)) => {
                matches!(**sqlx, sea_orm::sqlx::Error::Io(_))
                    || sqlx
                        .as_database_error()
                        .and_then(sea_orm::sqlx::error::DatabaseError::code)
                        .is_some_and(|code| is_lost_connection_code(&code))
            }
            _ => false,
        };
        if lost {
            crate::db::note_lost_connection();
        }
        match &e {
            DbErr::Custom(message) if message == BUDGET_EXCEEDED => Self::BudgetExceeded,
            DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => Self::Unavailable(e),
            DbErr::Exec(RuntimeErr::SqlxError(sqlx))
            | DbErr::Query(RuntimeErr::SqlxError(sqlx))
                if sqlx
                    .as_database_error()
                    .and_then(sea_orm::sqlx::error::DatabaseError::code)
                    .is_some_and(|code| UNAVAILABLE_CODES.contains(&code.as_ref()))
                    || matches!(
                        **sqlx,
                        sea_orm::sqlx::Error::PoolTimedOut
                            | sea_orm::sqlx::Error::PoolClosed
                            | sea_orm::sqlx::Error::Io(_)
                    ) =>
            {
                Self::Unavailable(e)
            }
            _ => Self::Db(e),
        }
    }
}
