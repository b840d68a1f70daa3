//! The scheduled pull of page statistics from the Graph API.

use std::time::Duration;

use store::DatabaseConnection;
use uuid::Uuid;

/// Pulls every page with a stored token once: how many succeeded and which failed, with the
/// Graph API's error code (kept on each page too).
pub async fn pull_once(
    db: &DatabaseConnection,
    graph: &app::stats::Graph,
) -> anyhow::Result<(usize, Vec<(Uuid, String)>)> {
    app::stats::pull_all(db, graph)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
}

/// Starts the scheduled pull when it is configured: every `hours` (at least 1), the first
/// one period after start.
pub fn schedule(db: &DatabaseConnection, graph: Option<app::stats::Graph>, hours: Option<u64>) {
    if let (Some(hours), Some(graph)) = (hours, graph) {
        tokio::spawn(pull_every(
            db.clone(),
            graph,
            Duration::from_secs(hours.max(1) * 3600),
        ));
    }
}

/// Pulls every `every`, for as long as the server runs.
async fn pull_every(db: DatabaseConnection, graph: app::stats::Graph, every: Duration) {
    let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match pull_once(&db, &graph).await {
            Ok((done, failed)) => {
                tracing::info!(done, failed = failed.len(), "pulled page statistics");
            }
            Err(e) => tracing::warn!(error = %e, "the scheduled pull of page statistics failed"),
        }
    }
}
