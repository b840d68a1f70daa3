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
pub use relay::{NodeKind, global_id, parse_global_id};

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
    /// The claims of `bearer`, when the HTTP layer has verified it already (to tell which
    /// account a request counts against): verified once per request, not twice.
    pub claims: Option<auth::jwt::Claims>,
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

/// Builds the schema. The database comes with each request (see [`prepare_request`]);
/// `sessions` is this process's session cache, which [`settle_sessions`] and the listener
/// that [`keep_sessions`] runs keep true.
pub fn build_schema(
    auth: AuthConfig,
    sessions: std::sync::Arc<auth::cache::SessionCache>,
    options: SchemaOptions,
    graph: Option<app::stats::Graph>,
) -> TcdSchema {
    let keys = auth::jwt::Keys::new(auth.jwt_secret.expose());
    let devices = auth::device::DeviceKeys::new(auth.jwt_secret.expose());
    let mut builder = builder().data(auth).data(keys).data(devices).data(sessions);
    if let Some(graph) = graph {
        builder = builder.data(graph);
    }
    if options.production {
        builder = builder.disable_suggestions();
    }
    builder.finish()
}

/// The schema in SDL, as committed in `schema.graphql`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

/// Keeps `sessions` true for as long as the process runs: listens for session changes
/// (PostgreSQL) and applies them, turning the cache on while listening and off (emptied)
/// while not, and checks every few seconds that announcements still arrive (a connection can
/// die without a word). On SQLite it returns at once and the cache stays off.
pub async fn keep_sessions(
    db: DatabaseConnection,
    sessions: std::sync::Arc<auth::cache::SessionCache>,
) {
    const RETRY: std::time::Duration = std::time::Duration::from_secs(1);
    const PROBE_EVERY: std::time::Duration = std::time::Duration::from_secs(5);
    loop {
        if store::is_closed(&db) {
            return;
        }
        let mut listener = match store::notify::Listener::connect(&db).await {
            Ok(Some(listener)) => listener,
            Ok(None) => return,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for session changes; checking every session against the database");
                tokio::time::sleep(RETRY).await;
                continue;
            }
        };
        sessions.set_trusted(true);
        tracing::debug!("listening for session changes");
        let mut probe = tokio::time::interval(PROBE_EVERY);
        probe.tick().await;
        // The outcome of the last probe: a marker sent through the pool that must come back
        // through the listener before the next one.
        let mut pending: Option<tokio::sync::oneshot::Receiver<bool>> = None;
        loop {
            tokio::select! {
                change = listener.next() => match change {
                    Some(change) => {
                        if let Some(answer) = sessions.apply(&change) {
                            // Sent apart, so that the next change is applied meanwhile.
                            let db = db.clone();
                            tokio::spawn(async move {
                                if let store::notify::Change::Ack(nonce) = answer
                                    && let Err(e) = store::notify::ack(&db, &nonce).await
                                {
                                    tracing::debug!(error = %e, "cannot confirm a session change");
                                }
                            });
                        }
                    }
                    None => break,
                },
                _ = probe.tick() => {
                    if let Some(mut answer) = pending.take()
                        && !matches!(answer.try_recv(), Ok(true))
                    {
                        break;
                    }
                    let (tx, rx) = tokio::sync::oneshot::channel();
                    pending = Some(rx);
                    let (sessions, db) = (sessions.clone(), db.clone());
                    tokio::spawn(async move {
                        let nonce = uuid::Uuid::now_v7().to_string();
                        let awaiting = sessions.awaiting(&nonce);
                        let heard = store::notify::mark(&db, &nonce).await.is_ok()
                            && awaiting.heard(0).await.echoed;
                        let _ = tx.send(heard);
                    });
                },
            }
        }
        sessions.set_trusted(false);
        tracing::warn!(
            "lost the session-change listener; checking every session against the database until it is back"
        );
        tokio::time::sleep(RETRY).await;
    }
}

/// After a mutation has committed: if this process announced a session change since
/// `announced` (a reading of `store::notify::announced` taken before the mutation ran),
/// waits until this process's session cache has received every session change committed so
/// far and every other listening server has confirmed the same (a `sync` marker sent now
/// comes back after them, and each of them answers it once it has applied them), so that
/// what the mutation ended or changed is stopped everywhere before the client hears the
/// answer. Waits at most a second, then answers anyway: a server that did not confirm in
/// time is logged. Nothing to do while this cache is off (it cannot hear the answers then,
/// and keeps nothing itself) or when nothing was announced (most mutations).
pub async fn settle_sessions(
    db: &DatabaseConnection,
    sessions: &auth::cache::SessionCache,
    announced: u64,
) {
    if !sessions.is_trusted() || store::notify::announced() == announced {
        return;
    }
    let nonce = uuid::Uuid::now_v7().to_string();
    let awaiting = sessions.awaiting(&nonce);
    let listening = match store::notify::sync(db, &nonce).await {
        Ok(listening) => listening,
        Err(e) => {
            tracing::warn!(error = %e, "cannot confirm a session change; emptying the session cache");
            let _ = sessions.apply(&store::notify::Change::Everything);
            return;
        }
    };
    // Every listening connection but this process's own answers.
    let others = listening.saturating_sub(1);
    let heard = awaiting.heard(others).await;
    if !heard.echoed {
        tracing::warn!("a session change did not come back in time; emptying the session cache");
        let _ = sessions.apply(&store::notify::Change::Everything);
    } else if heard.acks < others {
        tracing::warn!(
            servers = others,
            confirmed = heard.acks,
            "not every server confirmed a session change in time"
        );
    }
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
