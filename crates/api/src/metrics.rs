//! Prometheus metrics per GraphQL operation.
//!
//! Operation names come from clients, so a label per name would let anyone create series
//! without end (20,000 names made 40 MB of `/metrics`). Only the web app's own operations,
//! read from its `.graphql` files at build time, get a label of their own; every other
//! operation is `other`.

use std::collections::HashSet;
use std::sync::LazyLock;
use std::time::Instant;

use async_graphql::parser::parse_query;
use async_graphql::parser::types::DocumentOperations;
use async_graphql::{Request, Response};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

use store::Db;

use crate::admission::VALIDATION_FAILED;
use crate::{RequestContext, TcdSchema};

/// The web app's operations, one document per file of `frontend/graphql/`.
pub const APP_DOCUMENTS: [&str; 9] = [
    include_str!("../../../frontend/graphql/accounts.graphql"),
    include_str!("../../../frontend/graphql/audit.graphql"),
    include_str!("../../../frontend/graphql/campaigns.graphql"),
    include_str!("../../../frontend/graphql/pages.graphql"),
    include_str!("../../../frontend/graphql/people.graphql"),
    include_str!("../../../frontend/graphql/reports.graphql"),
    include_str!("../../../frontend/graphql/session.graphql"),
    include_str!("../../../frontend/graphql/stats.graphql"),
    include_str!("../../../frontend/graphql/units.graphql"),
];

static APP_OPERATIONS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    APP_DOCUMENTS
        .iter()
        .filter_map(|doc| parse_query(doc).ok())
        .flat_map(|doc| {
            doc.operations
                .iter()
                .filter_map(|(name, _)| name.map(ToString::to_string))
                .collect::<Vec<_>>()
        })
        .collect()
});

/// Counts and times every executed operation, labelled by operation and outcome, and counts
/// requests refused before execution by reason.
#[derive(Clone)]
pub struct OperationMetrics {
    requests: IntCounterVec,
    latency: HistogramVec,
    statements: HistogramVec,
    refused: IntCounterVec,
}

impl OperationMetrics {
    /// Creates the metrics and registers them in `registry`.
    pub fn register(registry: &Registry) -> prometheus::Result<Self> {
        let requests = IntCounterVec::new(
            Opts::new("graphql_requests_total", "GraphQL operations executed"),
            &["operation", "outcome"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "graphql_request_duration_seconds",
                "Time to execute a GraphQL operation",
            )
            .buckets(vec![
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
            ]),
            &["operation"],
        )?;
        let statements = HistogramVec::new(
            HistogramOpts::new(
                "graphql_sql_statements",
                "SQL statements one GraphQL operation ran",
            )
            .buckets(vec![
                0.0, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 20.0, 50.0, 100.0,
            ]),
            &["operation"],
        )?;
        let refused = IntCounterVec::new(
            Opts::new(
                "graphql_refused_total",
                "GraphQL requests refused before execution, by reason",
            ),
            &["reason"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(statements.clone()))?;
        registry.register(Box::new(refused.clone()))?;
        Ok(Self {
            requests,
            latency,
            statements,
            refused,
        })
    }

    /// Counts a request refused before execution; `reason` is one of a fixed set.
    pub fn refused(&self, reason: &str) {
        self.refused.with_label_values(&[reason]).inc();
    }
}

/// The label of an operation: its name when it is one of the web app's, else `other`.
fn label(operation_name: Option<&str>) -> &str {
    match operation_name {
        Some(name) if APP_OPERATIONS.contains(name) => name,
        _ => "other",
    }
}

/// Runs an admitted request (see [`crate::admit`]) on the schema with its database and
/// context (see [`crate::prepare_request`]), and records it: count by outcome, duration and SQL statements, per operation of
/// the web app. Errors raised before execution that async-graphql reports without a code
/// (unknown fields, wrong argument types, the depth and complexity limits) get
/// `GRAPHQL_VALIDATION_FAILED`.
///
/// This is done around the schema, not as schema extensions: with any extension installed,
/// async-graphql runs every single field through the extension chain (a lookup of its
/// type in the registry and boxed futures per field), which a list of a hundred objects
/// pays a hundred times over.
pub async fn execute(
    schema: &TcdSchema,
    metrics: &OperationMetrics,
    mut request: Request,
    db: Db,
    context: RequestContext,
) -> Response {
    let started = Instant::now();
    let operation = operation_name(&mut request);
    let meter = db.meter().clone();
    let request = crate::prepare_request(request, db, context);
    let mut response = schema.execute(request).await;
    if response.data == async_graphql::Value::Null {
        for error in &mut response.errors {
            let extensions = error.extensions.get_or_insert_with(Default::default);
            if extensions.get("code").is_none() {
                extensions.set("code", VALIDATION_FAILED);
            }
        }
    }
    let operation = label(operation.as_deref());
    let outcome = if response.errors.is_empty() {
        "ok"
    } else {
        "error"
    };
    metrics
        .requests
        .with_label_values(&[operation, outcome])
        .inc();
    metrics
        .latency
        .with_label_values(&[operation])
        .observe(started.elapsed().as_secs_f64());
    metrics
        .statements
        .with_label_values(&[operation])
        .observe(f64::from(meter.statements()));
    response
}

/// The name of the operation a request runs, as async-graphql chooses it: the one it names,
/// or the only one of its document.
fn operation_name(request: &mut Request) -> Option<String> {
    if let Some(name) = &request.operation_name {
        return Some(name.clone());
    }
    match &request.parsed_query().ok()?.operations {
        DocumentOperations::Multiple(operations) if operations.len() == 1 => {
            operations.keys().next().map(ToString::to_string)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{APP_DOCUMENTS, label};

    #[test]
    fn only_the_apps_own_operations_get_a_label() {
        assert_eq!(label(Some("UnitScreen")), "UnitScreen");
        assert_eq!(label(Some("Login")), "Login");
        assert_eq!(label(None), "other");
        assert_eq!(label(Some("")), "other");
        assert_eq!(label(Some("Attacker12345")), "other");
        assert_eq!(label(Some(&"x".repeat(200))), "other");
    }

    #[test]
    fn every_document_of_the_web_app_is_read() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/graphql");
        let files = std::fs::read_dir(dir)
            .expect("frontend/graphql")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "graphql"))
            })
            .count();
        assert_eq!(
            files,
            APP_DOCUMENTS.len(),
            "a .graphql file of the web app is missing from APP_DOCUMENTS"
        );
    }
}
