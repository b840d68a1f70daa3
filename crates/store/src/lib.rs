//! Persistence of Trang Cộng Đồng: the only crate that knows SQL.
//!
//! It owns the sea-orm entities (private to this crate), the connection pool and the queries
//! the API needs. Public functions take `&impl ConnectionTrait`, so they work on the pool and
//! inside transactions alike, and return domain types or a [`StoreError`]. Every query runs
//! unchanged on PostgreSQL (production) and SQLite (the embedded default). It must not depend
//! on async-graphql or actix.

pub mod accounts;
pub mod audit;
mod db;
mod entity;
mod error;
mod filters;
pub mod import;
pub mod sessions;
pub mod setting;
pub mod throttle;
pub mod units;

pub use db::{Backend, DbOptions, connect, migrate, ping};
pub use error::StoreError;
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
use sea_orm::{SqliteTransactionMode, TransactionOptions};

/// A request for one page of a keyset-paginated list.
#[derive(Debug, Clone)]
pub struct PageRequest<C> {
    /// How many items at most (the API caps it).
    pub first: u64,
    /// The position after which the page starts; `None` for the first page.
    pub after: Option<C>,
}

/// One page of a list, in order, and whether more follow it.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
}

/// Starts a transaction that will write: pass `&txn` to the store's functions, then
/// [`commit`] it. Dropped without a commit, it rolls back.
///
/// On SQLite it takes the write lock at `BEGIN` (`IMMEDIATE`): a deferred transaction that
/// reads first and writes later fails at once with "database is locked" when another writer
/// got in between, while an immediate one waits its turn (the busy timeout).
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, StoreError> {
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    Ok(db.begin_with_options(options).await?)
}

/// Commits a transaction.
pub async fn commit(txn: DatabaseTransaction) -> Result<(), StoreError> {
    Ok(txn.commit().await?)
}
