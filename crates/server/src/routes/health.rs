use actix_web::{HttpResponse, web};
use prometheus::{Encoder, TextEncoder};

use crate::startup::{AppState, READINESS_TIMEOUT};

/// The process is up.
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// The process can serve: the database answers within a short time.
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    match tokio::time::timeout(READINESS_TIMEOUT, store::ping(&state.db)).await {
        Ok(Ok(())) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
        Err(_) => {
            tracing::warn!("readiness check timed out");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
    }
}

/// Prometheus text exposition of the server's metrics.
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut body = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&state.registry.gather(), &mut body) {
        tracing::error!(error = %e, "cannot encode metrics");
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type(prometheus::TEXT_FORMAT)
        .body(body)
}
