//! Raw statements where the query builder cannot say it: placeholders written per backend and
//! counts read back from rows.

use sea_orm::{DbBackend, QueryResult, Statement, Value};

use crate::StoreError;

/// Placeholders numbered in the order values are pushed, written as each backend reads them:
/// `$n` on PostgreSQL, `?n` on SQLite (both may repeat a number).
pub(crate) struct Params {
    backend: DbBackend,
    values: Vec<Value>,
}

impl Params {
    pub(crate) fn new(backend: DbBackend) -> Self {
        Self {
            backend,
            values: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        let n = self.values.len();
        if self.backend == DbBackend::Postgres {
            format!("${n}")
        } else {
            format!("?{n}")
        }
    }

    pub(crate) fn list<T: Into<Value> + Copy>(&mut self, items: &[T]) -> String {
        items
            .iter()
            .map(|item| self.push(*item))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub(crate) fn statement(self, sql: String) -> Statement {
        Statement::from_sql_and_values(self.backend, sql, self.values)
    }
}

/// A count read from column `index` of a row (none or negative: 0).
pub(crate) fn count(row: &QueryResult, index: usize) -> Result<u64, StoreError> {
    let n: Option<i64> = row.try_get_by_index(index)?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}
