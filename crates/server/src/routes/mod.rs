//! HTTP routes.

mod graphql;
mod health;
mod spa;

use std::path::Path;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig, static_dir: &Path) {
    cfg.app_data(web::PayloadConfig::new(graphql::MAX_BODY_BYTES))
        .service(
            web::resource("/graphql")
                .route(web::post().to(graphql::post))
                .route(web::get().to(graphql::get))
                .route(web::route().to(graphql::method_not_allowed)),
        )
        .route("/graphiql", web::get().to(graphql::graphiql))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz))
        .route("/metrics", web::get().to(health::metrics));
    spa::configure(cfg, static_dir);
}
