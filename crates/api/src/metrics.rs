//! Prometheus metrics per GraphQL operation.

use std::sync::Arc;
use std::time::Instant;

use async_graphql::Response;
use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute};
use prometheus::{HistogramOpts, HistogramVec, IntCounterVec, Opts, Registry};

/// Counts and times every executed operation, labelled by operation name and outcome.
#[derive(Clone)]
pub struct OperationMetrics {
    requests: IntCounterVec,
    latency: HistogramVec,
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
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        Ok(Self { requests, latency })
    }
}

/// Operation names come from clients: keep label values short and plain so a client cannot
/// blow up the label space with arbitrary text.
fn label(operation_name: Option<&str>) -> String {
    match operation_name {
        Some(name) if !name.is_empty() => name
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
            .take(64)
            .collect(),
        _ => "anonymous".to_owned(),
    }
}

impl ExtensionFactory for OperationMetrics {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(self.clone())
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for OperationMetrics {
    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        let started = Instant::now();
        let response = next.run(ctx, operation_name).await;
        let operation = label(operation_name);
        let outcome = if response.errors.is_empty() {
            "ok"
        } else {
            "error"
        };
        self.requests
            .with_label_values(&[operation.as_str(), outcome])
            .inc();
        self.latency
            .with_label_values(&[operation.as_str()])
            .observe(started.elapsed().as_secs_f64());
        response
    }
}

#[cfg(test)]
mod tests {
    use super::label;

    #[test]
    fn labels_are_plain_and_short() {
        assert_eq!(label(None), "anonymous");
        assert_eq!(label(Some("")), "anonymous");
        assert_eq!(label(Some("UnitTree")), "UnitTree");
        assert_eq!(label(Some("a\"b{c}")), "abc");
        assert_eq!(label(Some(&"x".repeat(200))).len(), 64);
    }
}
