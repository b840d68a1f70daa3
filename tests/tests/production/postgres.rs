//! A PostgreSQL cluster of the test's own (`initdb` on a free port, 127.0.0.1 and a socket
//! in its temporary directory), set up as compose's `postgres` service sets up its volume,
//! so the test may restart and crash it without disturbing anything else.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

use crate::common::free_port;
use crate::process::{find_tool, run, running_as_root, tail};

/// The tools the test needs, found on `PATH` or in the newest `/usr/lib/postgresql/*/bin`.
pub const TOOLS: [&str; 7] = [
    "initdb",
    "pg_ctl",
    "psql",
    "createdb",
    "dropdb",
    "pg_dump",
    "pg_restore",
];

/// Where a PostgreSQL tool is: beside `initdb` (server and clients of one version), else on
/// `PATH`, else in the newest `/usr/lib/postgresql/<version>/bin`.
pub fn tool(name: &str) -> Option<PathBuf> {
    let newest = newest_bin_dir();
    let fallbacks: Vec<PathBuf> = newest.into_iter().collect();
    let beside_initdb = find_tool("initdb", &fallbacks)
        .and_then(|p| p.canonicalize().ok())
        .and_then(|p| p.parent().map(|d| d.join(name)))
        .filter(|p| p.is_file());
    beside_initdb.or_else(|| find_tool(name, &fallbacks))
}

fn newest_bin_dir() -> Option<PathBuf> {
    std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version: u32 = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, dir)| dir)
}

/// The superuser, database and password of compose's `postgres` service
/// (`POSTGRES_USER`, `POSTGRES_DB`, `POSTGRES_PASSWORD`).
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user: String,
    pub database: String,
    pub password: String,
}

pub struct Cluster {
    pub port: u16,
    pub credentials: Credentials,
    data: PathBuf,
    log: PathBuf,
    /// PostgreSQL refuses to run as root: then it runs as the `postgres` OS user.
    as_postgres: bool,
    _dir: tempfile::TempDir,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.stop_immediately();
    }
}

fn tool_path(name: &str) -> Result<PathBuf> {
    tool(name).with_context(|| format!("PostgreSQL's {name} is missing"))
}

fn id_of(flag: &str) -> Result<u32> {
    let out = run(Command::new("id").args([flag, "postgres"]))?;
    Ok(String::from_utf8(out.stdout)?.trim().parse()?)
}

impl Cluster {
    /// `initdb` as the official image runs it for `credentials`, then starts the server.
    pub fn start(credentials: Credentials) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let as_postgres = running_as_root();
        let home = dir.path().join("pg");
        std::fs::create_dir(&home)?;
        let password_file = home.join("password");
        std::fs::write(&password_file, &credentials.password)?;
        if as_postgres {
            // The `postgres` user must reach its own directory inside this root-owned one.
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
            let (uid, gid) = (id_of("-u")?, id_of("-g")?);
            std::os::unix::fs::chown(&home, Some(uid), Some(gid))?;
            std::os::unix::fs::chown(&password_file, Some(uid), Some(gid))?;
        }
        let port = free_port();
        let cluster = Self {
            port,
            data: home.join("data"),
            log: home.join("postgres.log"),
            credentials,
            as_postgres,
            _dir: dir,
        };
        run(cluster
            .server_tool("initdb")?
            .arg("-D")
            .arg(&cluster.data)
            .args(["-U", &cluster.credentials.user])
            .arg(format!("--pwfile={}", password_file.display()))
            .args([
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ]))?;
        let settings = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\n",
            home.display()
        );
        let conf = cluster.data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf)?;
        text.push_str(&settings);
        std::fs::write(&conf, text)?;
        cluster.pg_ctl(&["start"])?;
        // What the image's entrypoint does for any POSTGRES_DB but `postgres`.
        if cluster.credentials.database != "postgres" {
            run(cluster
                .client("createdb")?
                .arg(&cluster.credentials.database))?;
        }
        Ok(cluster)
    }

    /// A server-side tool, run as the `postgres` OS user when the test is root.
    fn server_tool(&self, name: &str) -> Result<Command> {
        let path = tool_path(name)?;
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(path);
            c
        } else {
            Command::new(path)
        };
        command.current_dir(self.data.parent().unwrap_or(Path::new("/")));
        Ok(command)
    }

    fn pg_ctl(&self, args: &[&str]) -> Result<()> {
        run(self
            .server_tool("pg_ctl")?
            .arg("-D")
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(["-w", "-t", "120"])
            .args(args))
        .with_context(|| format!("PostgreSQL's log:\n{}", tail(&self.log)))?;
        Ok(())
    }

    /// A client tool, connecting over TCP as the superuser with its password.
    pub fn client(&self, name: &str) -> Result<Command> {
        let mut command = Command::new(tool_path(name)?);
        command
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", &self.credentials.user)
            .env("PGPASSWORD", &self.credentials.password)
            .env("PGCONNECT_TIMEOUT", "10")
            .env_remove("PGDATABASE")
            .env_remove("PGSERVICE");
        Ok(command)
    }

    /// One SQL statement's result, unaligned and without headers.
    pub fn query(&self, sql: &str) -> Result<String> {
        let out = run(self
            .client("psql")?
            .args(["-X", "-At", "-v", "ON_ERROR_STOP=1", "-d"])
            .arg(&self.credentials.database)
            .args(["-c", sql]))?;
        Ok(String::from_utf8(out.stdout)?)
    }

    /// A fast restart: clients disconnected, in-flight transactions rolled back.
    pub fn restart(&self) -> Result<()> {
        self.pg_ctl(&["-m", "fast", "restart"])
    }

    /// A crash as far as the data is concerned: no checkpoint, recovery from the WAL at the
    /// next start.
    pub fn stop_immediately(&self) -> Result<()> {
        if !self.data.join("postmaster.pid").exists() {
            return Ok(());
        }
        self.pg_ctl(&["-m", "immediate", "stop"])
    }

    pub fn start_again(&self) -> Result<()> {
        self.pg_ctl(&["start"])
    }
}
