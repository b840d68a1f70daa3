//! Per-request accounting of database work.
//!
//! A GraphQL request resolves its fields concurrently, so without a bound one request can
//! queue thousands of statements and take every pooled connection while other officers'
//! requests time out. A [`Metered`] connection counts every statement a request runs, refuses
//! them beyond the request's budget, and lets only a few run at once; transactions begun from
//! it are metered too. The count is also what tests and metrics read to prove that a list
//! costs a constant number of statements.
//!
//! A request can also run whole in one transaction ([`Atomic`]): its statements, and the
//! transactions its resolvers begin (savepoints then), commit together or not at all. That is
//! how a mutation's effects and its recorded answer (an idempotency key's) are kept together.

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

/// Where a request's statements go: the pool, or the one transaction the request runs in.
#[derive(Clone)]
pub enum Conn {
    Pool(DatabaseConnection),
    Atomic {
        pool: DatabaseConnection,
        txn: Arc<DatabaseTransaction>,
    },
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Pool(_) => f.write_str("Conn::Pool"),
            Self::Atomic { .. } => f.write_str("Conn::Atomic"),
        }
    }
}

impl From<DatabaseConnection> for Conn {
    fn from(pool: DatabaseConnection) -> Self {
        Self::Pool(pool)
    }
}

impl Conn {
    fn pool(&self) -> &DatabaseConnection {
        match self {
            Self::Pool(pool) | Self::Atomic { pool, .. } => pool,
        }
    }
}

#[async_trait]
impl ConnectionTrait for Conn {
    fn get_database_backend(&self) -> DbBackend {
        self.pool().get_database_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> Result<ExecResult, DbErr> {
        match self {
            Self::Pool(pool) => pool.execute_raw(stmt).await,
            Self::Atomic { txn, .. } => txn.execute_raw(stmt).await,
        }
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        match self {
            Self::Pool(pool) => pool.execute_unprepared(sql).await,
            Self::Atomic { txn, .. } => txn.execute_unprepared(sql).await,
        }
    }

    async fn query_one_raw(&self, stmt: Statement) -> Result<Option<QueryResult>, DbErr> {
        match self {
            Self::Pool(pool) if pool.get_database_backend() == DbBackend::Postgres => {
                postgres::query_one(pool.get_postgres_connection_pool(), stmt).await
            }
            Self::Pool(pool) => pool.query_one_raw(stmt).await,
            Self::Atomic { txn, .. } => txn.query_one_raw(stmt).await,
        }
    }

    async fn query_all_raw(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match self {
            Self::Pool(pool) if pool.get_database_backend() == DbBackend::Postgres => {
                postgres::query_all(pool.get_postgres_connection_pool(), stmt).await
            }
            Self::Pool(pool) => pool.query_all_raw(stmt).await,
            Self::Atomic { txn, .. } => txn.query_all_raw(stmt).await,
        }
    }

    fn support_returning(&self) -> bool {
        self.pool().support_returning()
    }
}

/// Reads from the pool on PostgreSQL, sent to sqlx directly. They do what sea-orm's pooled
/// connection does (acquire, run the prepared statement, map errors the same way), but its
/// generic future — every backend's, nested a few async layers deep — is several kilobytes
/// that were copied at each layer: a third of the CPU time of a small request went to
/// `memcpy`. Here every future that waits is sqlx's own boxed one.
mod postgres {
    use sea_orm::sqlx::{self, AssertSqlSafe, PgPool, postgres::PgRow};
    use sea_orm::{ConnAcquireErr, DbErr, QueryResult, RuntimeErr, Statement};
    use sea_query_sqlx::SqlxValues;

    fn query(stmt: Statement) -> sqlx::query::Query<'static, sqlx::Postgres, SqlxValues> {
        let values = stmt.values.unwrap_or_else(|| sea_orm::Values(Vec::new()));
        sqlx::query_with(AssertSqlSafe(stmt.sql), SqlxValues(values))
    }

    /// As sea-orm's `sqlx_conn_acquire_err`, so that [`crate::StoreError`] sees the same.
    fn acquire_error(e: sqlx::Error) -> DbErr {
        match e {
            sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
            sqlx::Error::PoolClosed => DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed),
            e => DbErr::Conn(RuntimeErr::SqlxError(e.into())),
        }
    }

    fn query_error(e: sqlx::Error) -> DbErr {
        DbErr::Query(RuntimeErr::SqlxError(e.into()))
    }

    pub(super) async fn query_all(
        pool: &PgPool,
        stmt: Statement,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let query = query(stmt);
        let mut conn = Box::pin(pool.acquire()).await.map_err(acquire_error)?;
        let rows: Vec<PgRow> = query.fetch_all(&mut *conn).await.map_err(query_error)?;
        Ok(rows.into_iter().map(QueryResult::from).collect())
    }

    pub(super) async fn query_one(
        pool: &PgPool,
        stmt: Statement,
    ) -> Result<Option<QueryResult>, DbErr> {
        let query = query(stmt);
        let mut conn = Box::pin(pool.acquire()).await.map_err(acquire_error)?;
        let row: Option<PgRow> = query
            .fetch_optional(&mut *conn)
            .await
            .map_err(query_error)?;
        Ok(row.map(QueryResult::from))
    }
}

/// The database as one request sees it.
pub type Db = Metered<Conn>;
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
    /// A request's database: statements go to the pool, each on its own.
    pub fn pooled(pool: &DatabaseConnection, meter: Meter) -> Self {
        Self::new(Conn::Pool(pool.clone()), meter)
    }

    /// The pool behind this request's connection, as it is now.
    pub fn pool_state(&self) -> crate::PoolState {
        crate::PoolState::of(self.conn.pool())
    }
}

/// A request that runs whole in one write transaction: every statement of its [`Db`] runs in
/// it, and the transactions its resolvers begin are savepoints of it. Nothing it does is seen
/// by others until [`Atomic::commit`]; dropping it rolls everything back.
pub struct Atomic {
    pool: DatabaseConnection,
    txn: Arc<DatabaseTransaction>,
    meter: Meter,
}

impl Atomic {
    /// Begins the request's transaction (counted against `meter`).
    pub async fn begin(pool: &DatabaseConnection, meter: Meter) -> Result<Self, StoreError> {
        let txn = {
            let _permit = meter.enter().await?;
            pool.begin_with_options(write_options()).await?
        };
        Ok(Self {
            pool: pool.clone(),
            txn: Arc::new(txn),
            meter,
        })
    }

    /// The request's database, for the schema.
    pub fn db(&self) -> Db {
        self.db_metered_by(self.meter.clone())
    }

    /// The request's database counted against another meter: for the request's own
    /// bookkeeping, which must not fail because the work used up the budget.
    pub fn db_metered_by(&self, meter: Meter) -> Db {
        Metered::new(
            Conn::Atomic {
                pool: self.pool.clone(),
                txn: Arc::clone(&self.txn),
            },
            meter,
        )
    }

    /// Commits all the request did. Every [`Db`] handed out must have been dropped by now;
    /// a data loader's task may still be finishing, so this waits for it a little. A request
    /// whose database is still in use after that is rolled back, and the error says so.
    pub async fn commit(self) -> Result<(), StoreError> {
        let mut shared = self.txn;
        for _ in 0..200 {
            match Arc::try_unwrap(shared) {
                // Not counted: the budget bounds the request's work, not its commit.
                Ok(txn) => return Ok(txn.commit().await?),
                Err(again) => shared = again,
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        Err(StoreError::Unavailable(DbErr::Custom(
            "the request's transaction was still in use when it was to commit".to_owned(),
        )))
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
            match &self.conn {
                Conn::Pool(pool) => pool.begin_with_options(write_options()).await?,
                // A savepoint of the request's transaction.
                Conn::Atomic { txn, .. } => txn.begin().await?,
            }
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
