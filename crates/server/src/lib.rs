//! The `tcd` server: configuration, HTTP routes, start-up and the command line.
//!
//! It owns everything about HTTP (actix-web): the GraphQL endpoint and its hardening, health,
//! readiness and metrics routes, GraphiQL, request ids and logs. It builds the schema from
//! `api` and the pool from `store`; it holds no business rule and no SQL of its own.

pub mod accounts;
pub mod cli;
pub mod config;
pub mod demo;
pub mod exports;
mod healthcheck;
mod limits;
mod routes;
pub mod seed;
pub mod startup;
pub mod stats;
pub mod telemetry;

pub use config::{Environment, LogFormat, Settings};
pub use startup::Application;
