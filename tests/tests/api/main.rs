//! Black-box tests of the API over HTTP, each on SQLite and on PostgreSQL.

mod audit;
mod auth;
mod campaigns;
mod editions;
mod hostile;
mod http;
mod idempotency;
mod import;
mod pages;
mod permissions;
mod plans;
mod qr;
mod replicas;
mod reports;
mod reset_password;
mod statements;
mod stats;
mod units;
