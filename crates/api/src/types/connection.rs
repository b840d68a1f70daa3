//! Cursor connections with a `totalCount` computed only when asked for.

use std::future::Future;
use std::pin::Pin;

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Object, OutputType};

use crate::ApiError;

type CountFuture = Pin<Box<dyn Future<Output = Result<u64, ApiError>> + Send>>;
type CountFn = Box<dyn Fn() -> CountFuture + Send + Sync>;

/// The extra fields every connection carries.
pub struct ConnectionTotals {
    count: CountFn,
}

#[Object]
impl ConnectionTotals {
    /// How many items the list has in all, across every page.
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok((self.count)().await?)
    }
}

/// A page of a list as a Relay connection.
pub type Paged<N> = Connection<String, N, ConnectionTotals>;

/// Builds a connection from items already in order, their cursors, and a count that runs
/// only if the client selects `totalCount`.
pub fn paged<N, T, F>(
    items: impl IntoIterator<Item = T>,
    has_next_page: bool,
    has_previous_page: bool,
    cursor: impl Fn(&T) -> String,
    node: impl Fn(T) -> N,
    count: impl Fn() -> F + Send + Sync + 'static,
) -> Paged<N>
where
    N: OutputType,
    F: Future<Output = Result<u64, ApiError>> + Send + 'static,
{
    let count: CountFn = Box::new(move || Box::pin(count()));
    let mut connection = Connection::with_additional_fields(
        has_previous_page,
        has_next_page,
        ConnectionTotals { count },
    );
    connection.edges.extend(
        items
            .into_iter()
            .map(|item| Edge::new(cursor(&item), node(item))),
    );
    connection
}
