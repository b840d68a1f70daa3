//! HTTP routes.

mod export;
mod graphiql;
mod graphql;
mod health;
mod qr;
mod spa;

use std::path::Path;

use actix_web::{HttpResponse, web};

pub fn configure(cfg: &mut web::ServiceConfig, static_dir: &Path, graphiql: bool) {
    cfg.app_data(web::PayloadConfig::new(graphql::MAX_BODY_BYTES))
        .service(
            web::resource("/graphql")
                .route(web::post().to(graphql::post))
                .route(web::get().to(graphql::get))
                .route(web::route().to(graphql::method_not_allowed)),
        )
        .route("/export/reports/{file}", web::get().to(export::report))
        .route("/export/coverage/{file}", web::get().to(export::coverage))
        .route("/qr/pages/{file}", web::get().to(qr::page))
        .route("/healthz", web::get().to(health::healthz))
        .route("/readyz", web::get().to(health::readyz));
    // Off, `/graphiql` answers 404 rather than the web app's page.
    let graphiql_scope = web::scope("/graphiql").default_service(web::to(HttpResponse::NotFound));
    cfg.service(if graphiql {
        graphiql_scope
            .route("", web::get().to(graphiql::page))
            .route("/assets/{name}", web::get().to(graphiql::asset))
    } else {
        graphiql_scope
    });
    spa::configure(cfg, static_dir);
}

/// The metrics listener: `/metrics` and nothing else, apart from the public one.
pub fn configure_metrics(cfg: &mut web::ServiceConfig) {
    cfg.route("/metrics", web::get().to(health::metrics));
}
