//! Configuration from environment variables (or flags), with defaults that work on a fresh
//! machine: an SQLite file under `./data/`, listening on 127.0.0.1:8080.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use store::DbOptions;

/// Where the process runs. Production refuses unsafe defaults and hides schema hints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Environment {
    #[default]
    Development,
    Production,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// The default database: an SQLite file beside the working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tcd.db";

/// Database settings shared by every sub-command.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// Database URL: `postgres://user@host/db` or `sqlite://path/to/file.db`.
    #[arg(long = "database-url", env = "TCD_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub url: String,
    /// Largest number of pooled connections.
    #[arg(
        long = "db-max-connections",
        env = "TCD_DB_MAX_CONNECTIONS",
        default_value_t = 10
    )]
    pub max_connections: u32,
}

impl DatabaseArgs {
    pub fn options(&self) -> DbOptions {
        DbOptions {
            max_connections: self.max_connections,
            ..DbOptions::default()
        }
    }
}

/// Everything `tcd serve` needs.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub database: DatabaseArgs,
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "TCD_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    #[arg(long = "env", env = "TCD_ENV", value_enum, default_value_t)]
    pub environment: Environment,
    /// Directory of the built web app, served at `/`.
    #[arg(long, env = "TCD_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,
    /// Do not load the official unit list into an empty database.
    #[arg(long, env = "TCD_NO_SEED")]
    pub no_seed: bool,
}

impl Settings {
    /// Settings for a server on `database_url`, listening on a free local port.
    pub fn for_tests(database_url: &str) -> Self {
        Self {
            database: DatabaseArgs {
                url: database_url.to_owned(),
                max_connections: 5,
            },
            bind: "127.0.0.1:0".to_owned(),
            environment: Environment::Development,
            static_dir: PathBuf::from("frontend/dist"),
            no_seed: true,
        }
    }
}
