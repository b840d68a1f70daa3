//! Per-request accounting of database work.
//!
//! A GraphQL request resolves its fields concurrently, so without a bound one request can
//! queue thousands of statements and take every pooled connection while other officers'
//! requests time out. A [`Metered`] connection counts every statement a request runs, refuses
//! them beyond the request's budget, and lets only a few run at once; transactions begun from
//! it are metered too. The count is also what tests and metrics read to prove that a list
//! costs a constant number of statements.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::prelude::async_trait::async_trait;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use tokio::sync::{Semaphore, SemaphorePermit};

use crate::StoreError;

/// The message of the error a statement beyond the budget fails with; [`StoreError`] turns it
/// into [`StoreError::BudgetExceeded`].
pub(crate) const BUDGET_EXCEEDED: &str = "tcd: statement budget of this request exceeded";

/// The statements one request has run, and what it may still run.
#[derive(Debug, Clone)]
pub struct Meter(Arc<MeterInner>);

#[derive(Debug)]
struct MeterInner {
    statements: AtomicU32,
    budget: u32,
    permits: Semaphore,
}

impl Meter {
    /// A meter allowing `budget` statements, at most `concurrency` at a time.
    pub fn new(budget: u32, concurrency: usize) -> Self {
        Self(Arc::new(MeterInner {
            statements: AtomicU32::new(0),
            budget,
            permits: Semaphore::new(concurrency.max(1)),
        }))
    }

    /// How many statements have been run (or tried) so far.
    pub fn statements(&self) -> u32 {
        self.0.statements.load(Ordering::Relaxed)
    }

    /// The number of statements allowed.
    pub fn budget(&self) -> u32 {
        self.0.budget
    }

    async fn enter(&self) -> Result<SemaphorePermit<'_>, DbErr> {
        let n = self
            .0
            .statements
            .fetch_add(1, Ordering::Relaxed)
            .saturating_add(1);
        if n > self.0.budget {
            return Err(DbErr::Custom(BUDGET_EXCEEDED.to_owned()));
        }
        self.0
            .permits
            .acquire()
            .await
            .map_err(|e| DbErr::Custom(e.to_string()))
    }
}

/// A connection (or transaction) whose statements are counted against a [`Meter`].
#[derive(Debug, Clone)]
pub struct Metered<C> {
    conn: C,
    meter: Meter,
}

/// The pool as one request sees it.
pub type Db = Metered<DatabaseConnection>;
/// A transaction begun from a [`Db`].
pub type Txn = Metered<DatabaseTransaction>;

impl<C> Metered<C> {
    pub fn new(conn: C, meter: Meter) -> Self {
        Self { conn, meter }
    }

    pub fn meter(&self) -> &Meter {
        &self.meter
    }
}

impl Db {
    /// The pool behind this request's connection, as it is now.
    pub fn pool_state(&self) -> crate::PoolState {
        crate::PoolState::of(&self.conn)
    }
}

#[async_trait]
impl<C: ConnectionTrait + Send + Sync> ConnectionTrait for Metered<C> {
    fn get_database_backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        let _permit = self.meter.enter().await?;
        self.conn.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        let _permit = self.meter.enter().await?;
        self.conn.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        let _permit = self.meter.enter().await?;
        self.conn.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let _permit = self.meter.enter().await?;
        self.conn.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.conn.support_returning()
    }
}

/// What a transaction that will write can be begun from: the pool, or a request's [`Db`].
pub trait Begin: ConnectionTrait {
    type Txn: Commit;

    fn begin_write(&self) -> impl Future<Output = Result<Self::Txn, StoreError>> + Send;
}

/// A transaction that can be committed.
pub trait Commit: ConnectionTrait + Send {
    fn commit_now(self) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// On SQLite a write transaction takes the write lock at `BEGIN` (`IMMEDIATE`): a deferred
/// one that reads first and writes later fails at once with "database is locked" when another
/// writer got in between, while an immediate one waits its turn (the busy timeout).
fn write_options() -> TransactionOptions {
    TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    }
}

impl Begin for DatabaseConnection {
    type Txn = DatabaseTransaction;

    async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        Ok(self.begin_with_options(write_options()).await?)
    }
}

impl Commit for DatabaseTransaction {
    async fn commit_now(self) -> Result<(), StoreError> {
        Ok(self.commit().await?)
    }
}

impl Begin for Db {
    type Txn = Txn;

    async fn begin_write(&self) -> Result<Txn, StoreError> {
        let txn = {
            let _permit = self.meter.enter().await?;
            self.conn.begin_with_options(write_options()).await?
        };
        Ok(Metered::new(txn, self.meter.clone()))
    }
}

impl Commit for Txn {
    async fn commit_now(self) -> Result<(), StoreError> {
        let _permit = self.meter.enter().await?;
        Ok(self.conn.commit().await?)
    }
}
