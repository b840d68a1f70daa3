//! Cursor connections with a `totalCount` computed only when asked for.

use std::borrow::Borrow;
use std::future::Future;
use std::pin::Pin;

use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{Context, Object, OutputType};
use store::{Db, StoreError};

use crate::{ApiError, RequestContext};

type CountFuture = Pin<Box<dyn Future<Output = Result<u64, ApiError>> + Send>>;
type CountFn = Box<dyn Fn() -> CountFuture + Send + Sync>;

/// The extra fields every connection carries.
pub struct ConnectionTotals {
    count: CountFn,
}

#[Object]
impl ConnectionTotals {
    /// How many items the list has in all, across every slice. It costs a counting statement
    /// of its own (which the statement budget counts); its weight is small because a list's
    /// weight is multiplied by the items it asks for, and the count is not per item.
    #[graphql(complexity = 1)]
    async fn total_count(&self) -> async_graphql::Result<u64> {
        Ok((self.count)().await?)
    }
}

/// A slice of a list as a Relay connection. Its cursors are kept as the position they stand
/// for (`C`) and encoded only when a client asks for one: most lists are read without them.
pub type Listed<N, C = String> = Connection<C, N, ConnectionTotals>;

/// Builds a connection from a slice of items already in order and their cursors. `count`
/// runs only if the client selects `totalCount` and the slice was not counted as it was read
/// ([`store::Slice::total`]); its failure is logged against this request.
pub fn listed<N, K, T, C, F, E>(
    ctx: &Context<'_>,
    slice: store::Slice<T>,
    has_previous_page: bool,
    cursor: impl Fn(&T) -> K,
    node: impl Fn(T) -> N,
    count: C,
) -> Listed<N, K>
where
    N: OutputType,
    K: CursorType + Send + Sync,
    C: Fn(Db) -> F + Send + Sync + 'static,
    F: Future<Output = Result<u64, E>> + Send + 'static,
    E: Borrow<StoreError>,
{
    let db = ctx.data_unchecked::<Db>().clone();
    let request = ctx.data_opt::<RequestContext>().cloned();
    let known = slice.total;
    let count: CountFn = Box::new(move || {
        if let Some(total) = known {
            return Box::pin(async move { Ok(total) });
        }
        let (counting, request) = (count(db.clone()), request.clone());
        Box::pin(async move {
            counting
                .await
                .map_err(|e| ApiError::from_store(request.as_ref(), e.borrow()))
        })
    });
    let mut connection = Connection::with_additional_fields(
        has_previous_page,
        slice.has_next_page,
        ConnectionTotals { count },
    );
    connection.edges.extend(
        slice
            .items
            .into_iter()
            .map(|item| Edge::new(cursor(&item), node(item))),
    );
    connection
}
