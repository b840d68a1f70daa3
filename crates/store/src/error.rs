use sea_orm::DbErr;
use thiserror::Error;

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
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}
