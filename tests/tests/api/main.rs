//! Black-box tests of the API over HTTP, each on SQLite and on PostgreSQL.

mod http;
mod import;
mod units;
