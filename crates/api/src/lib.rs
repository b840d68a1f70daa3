//! The GraphQL schema of Trang Cộng Đồng.
//!
//! It owns the published contract (`schema.graphql` at the repository root is generated from
//! [`build_schema`]): output types as thin wrappers over domain types, queries merged per
//! area, Relay global ids and cursor connections, DataLoaders, error codes and per-operation
//! metrics. It reads and writes only through `store` and decides only with `domain` rules; it
//! must not depend on actix or know any SQL.

mod admission;
pub mod auth;
mod error;
pub mod idempotency;
mod loaders;
mod metrics;
mod mutation;
mod query;
mod relay;
mod types;

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};
use store::{DatabaseConnection, Db, Meter};

pub use admission::{Refusal, admit, chosen_operation};
pub use auth::{AuthConfig, Secret};
pub use error::{ApiError, ErrorCode};
pub use metrics::{OperationMetrics, execute};
pub use mutation::Mutation;
pub use query::Query;

/// The schema type served at `/graphql`.
pub type TcdSchema = Schema<Query, Mutation, EmptySubscription>;

/// The deepest selection a query may have. The standard introspection query that GraphiQL
/// and code generators send is 13 levels deep.
pub const MAX_DEPTH: usize = 15;
/// The most work one query may ask for, lists weighted by the number of items they request.
pub const MAX_COMPLEXITY: usize = 2_500;
/// The most SQL statements one request may run by default; beyond it they fail with
/// `QUERY_TOO_EXPENSIVE`. Lists load what their items link to in one statement per kind, so
/// the web app's largest request (a unit with 50 children, each with its own count of
/// children) runs 5, and the most any admitted query can run (20 root fields, each a list
/// with its links) stays well below this.
pub const STATEMENT_BUDGET: u32 = 100;
/// The most SQL statements of one request running at once, so that one request cannot take
/// the whole pool while fields resolve concurrently.
pub const STATEMENT_CONCURRENCY: usize = 2;

/// Per-request facts the HTTP layer hands to the schema.
#[derive(Clone, Default)]
pub struct RequestContext {
    /// The id of this request in the logs, returned with internal errors.
    pub request_id: String,
    /// The token of `Authorization: Bearer <token>`, if sent.
    pub bearer: Option<String>,
    /// The refresh cookie, if sent.
    pub refresh_cookie: Option<String>,
    /// The device cookie of a browser that signed in before, if sent.
    pub device_cookie: Option<String>,
    /// The client's address, for counting failed sign-ins.
    pub client_addr: String,
}

impl std::fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestContext")
            .field("request_id", &self.request_id)
            .field("client_addr", &self.client_addr)
            .finish_non_exhaustive()
    }
}

/// Options that change how the schema behaves, not what it contains.
#[derive(Debug, Clone, Copy, Default)]
pub struct SchemaOptions {
    /// In production the schema does not suggest field names in errors, so a probe cannot
    /// enumerate the schema through typos.
    pub production: bool,
}

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_directives(8)
}

/// Builds the schema. The database comes with each request (see [`prepare_request`]).
pub fn build_schema(auth: AuthConfig, options: SchemaOptions) -> TcdSchema {
    let keys = auth::jwt::Keys::new(auth.jwt_secret.expose());
    let devices = auth::device::DeviceKeys::new(auth.jwt_secret.expose());
    let mut builder = builder().data(auth).data(keys).data(devices);
    if options.production {
        builder = builder.disable_suggestions();
    }
    builder.finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// A meter with one request's statement budget (`budget` statements).
pub fn new_meter(budget: u32) -> Meter {
    Meter::new(budget, STATEMENT_CONCURRENCY)
}

/// A request's database: the pool, metered with one request's statement budget.
pub fn request_db(pool: &DatabaseConnection, budget: u32) -> Db {
    Db::pooled(pool, new_meter(budget))
}

/// Adds the per-request data to a GraphQL request: its database (see [`request_db`], or a
/// keyed request's transaction, [`idempotency::Run::db`]), DataLoaders, the session cell,
/// the request's context.
fn prepare_request(
    request: async_graphql::Request,
    db: Db,
    ctx: RequestContext,
) -> async_graphql::Request {
    let meter = db.meter().clone();
    request
        .data(loaders::Loaders::new(&db))
        .data(db)
        .data(meter)
        .data(auth::SessionCell::default())
        .data(mutation::OncePerRequest::default())
        .data(ctx)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_committed_schema_is_the_served_schema() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema.graphql");
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == super::sdl(),
            "schema.graphql differs from the schema the server serves; regenerate it with \
             `cargo run -q -- schema > schema.graphql` and commit it"
        );
    }
}
