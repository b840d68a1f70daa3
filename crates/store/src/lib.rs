//! Persistence of Trang Cộng Đồng: the only crate that knows SQL.
//!
//! It owns the sea-orm entities (private to this crate), the connection pool and the queries
//! the API needs. Public functions take `&impl ConnectionTrait`, so they work on the pool and
//! inside transactions alike, and return domain types or a [`StoreError`]. Every query runs
//! unchanged on PostgreSQL (production) and SQLite (the embedded default). It must not depend
//! on async-graphql or actix.

pub mod accounts;
pub mod audit;
pub mod campaigns;
mod db;
pub mod effect;
mod entity;
mod error;
mod filters;
pub mod idempotency;
pub mod import;
mod metered;
pub mod notify;
pub mod pages;
pub mod people;
pub mod reports;
pub mod rollout;
pub mod sessions;
pub mod setting;
mod sql;
pub mod stats;
pub mod throttle;
pub mod units;

pub use db::{Backend, DbOptions, PoolState, connect, is_closed, migrate, ping};
pub use error::StoreError;
pub use metered::{Atomic, Begin, Commit, Conn, Db, Meter, Metered, Txn};
pub use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};

/// A request for one slice of a keyset-paginated list (not a Facebook page).
#[derive(Debug, Clone)]
pub struct SliceRequest<C> {
    /// How many items at most (the API caps it).
    pub first: u64,
    /// The position after which the slice starts; `None` for the first slice.
    pub after: Option<C>,
}

/// One slice of a list, in order, and whether more follow it.
#[derive(Debug, Clone)]
pub struct Slice<T> {
    pub items: Vec<T>,
    pub has_next_page: bool,
    /// How many items the whole list has, when the statement that read the slice counted
    /// them too (see [`units::list_counted`]); `None`: ask with a count of its own.
    pub total: Option<u64>,
}

impl<T> Slice<T> {
    /// A slice with nothing in it, of a list known to be empty when `counted`.
    pub fn empty(counted: bool) -> Self {
        Self {
            items: Vec::new(),
            has_next_page: false,
            total: counted.then_some(0),
        }
    }
}

/// Starts a transaction that will write: pass `&txn` to the store's functions, then
/// [`commit`] it. Dropped without a commit, it rolls back. On SQLite it takes the write lock
/// at `BEGIN`, so concurrent writers wait their turn instead of failing.
pub async fn begin<D: Begin>(db: &D) -> Result<D::Txn, StoreError> {
    db.begin_write().await
}

/// Commits a transaction.
pub async fn commit<T: Commit>(txn: T) -> Result<(), StoreError> {
    txn.commit_now().await
}
