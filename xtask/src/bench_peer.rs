//! `cargo xtask bench-peer`: tcd's GraphQL API against PostGraphile 4.14.1 on the same
//! PostgreSQL tables, and against the hand-written SQL that answers the same questions
//! (`pgbench`), written into `BENCHMARKS.md`. Never part of the tests or CI: it needs a
//! PostgreSQL server, Node and npm, `wrk` and `pgbench`, and takes about a quarter of an hour.
//!
//! What it does, in order:
//! 1. builds `tcd` in release (skip with `--no-build`) and installs PostGraphile 4.14.1 with
//!    `postgraphile-plugin-connection-filter` 2.3.0 from npm into `target/bench-peer/postgraphile`;
//! 2. drops and creates the database (`tcd_bench`), runs `tcd migrate`, loads the official list
//!    with `tcd units import`, creates a province admin of Quảng Nam and runs `ANALYZE`;
//! 3. counts the SQL statements one request of each workload costs: with `log_statement = all`
//!    set on the bench database only, both servers answer each workload and the statements
//!    PostgreSQL logged for the database are counted (BEGIN, COMMIT and SET included); tcd's
//!    own count (`graphql_sql_statements` on `/metrics`) is reported beside it;
//! 4. restarts both servers without statement logging, checks that they answer each workload
//!    with the same codes, names and counts and without errors, then for each workload and
//!    concurrency starts both servers afresh, runs a warm-up of each, then tcd, PostGraphile,
//!    tcd, PostGraphile … with `wrk`, stops them, then runs the SQL floor with `pgbench`
//!    (their pools would otherwise hold connections that pgbench's clients need), noting the
//!    1-minute load average before each;
//! 5. writes the table into `BENCHMARKS.md`, replacing the section of an earlier run.
//!
//! The queries are files under `xtask/bench/`: `wN.tcd.graphql`, `wN.postgraphile.graphql`
//! and `wN.sql`.
#![expect(
    clippy::doc_markdown,
    reason = "PostGraphile is a product name in prose, not code"
)]

use std::fmt::Write as _;
use std::io::{Read as _, Seek as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};
use std::{env, fs};

use crate::{Result, root};

const POSTGRAPHILE: &str = "4.14.1";
const CONNECTION_FILTER: &str = "2.3.0";
const UNITS_FILE: &str = "data/vn-admin-units-2025-01.csv";
const USERNAME: &str = "bench.quangnam";
const PASSWORD: &str = "bench-peer-Quang-Nam-49";
/// Signs the bench server's tokens; the database is a scratch one, dropped on every run.
const JWT_SECRET: &str = "bench-peer-signing-secret-of-at-least-32-bytes";
const HEADING: &str =
    "## The data path against PostGraphile and the SQL floor (`cargo xtask bench-peer`)";
const WORKLOADS: [(&str, &str); 4] = [
    ("W1", "the children of Quảng Nam, first 20, with totalCount"),
    (
        "W2",
        "one commune with its parent, grandparent and ancestors",
    ),
    (
        "W3",
        "search \"tam\" within Quảng Nam, first 20, with totalCount",
    ),
    (
        "W4",
        "the districts of Quảng Nam, each with its first 5 communes and their totalCount",
    ),
];

const USAGE: &str = "usage: cargo xtask bench-peer [--seconds N (15)] [--warmup N (3)] \
[--rounds N (2)] [--concurrency 16,64] [--pool N (16)] [--postgres URL \
(postgres://postgres@127.0.0.1:5432)] [--database NAME (tcd_bench)] [--pg-log FILE] \
[--no-build] [--no-write]";

struct Options {
    seconds: u64,
    warmup: u64,
    rounds: usize,
    concurrency: Vec<u32>,
    pool: u32,
    postgres: String,
    database: String,
    pg_log: Option<PathBuf>,
    build: bool,
    write: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self> {
        let mut options = Self {
            seconds: 15,
            warmup: 3,
            rounds: 2,
            concurrency: vec![16, 64],
            pool: 16,
            postgres: env::var("TCD_BENCH_POSTGRES")
                .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned()),
            database: "tcd_bench".to_owned(),
            pg_log: None,
            build: true,
            write: true,
        };
        let mut args = args.iter().filter(|a| *a != "--");
        while let Some(arg) = args.next() {
            let mut value = || {
                args.next()
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))
            };
            let number = |v: &String| {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{arg}: not a positive number: {v}"))
            };
            match arg.as_str() {
                "--seconds" => options.seconds = number(value()?)?,
                "--warmup" => options.warmup = number(value()?)?,
                "--rounds" => options.rounds = usize::try_from(number(value()?)?).unwrap_or(1),
                "--pool" => options.pool = u32::try_from(number(value()?)?).unwrap_or(16),
                "--concurrency" => {
                    options.concurrency = value()?
                        .split(',')
                        .map(|c| c.trim().parse::<u32>().ok().filter(|c| *c >= 2))
                        .collect::<Option<Vec<_>>>()
                        .ok_or("--concurrency: numbers of 2 or more, e.g. 16,64")?;
                }
                "--postgres" => value()?
                    .trim_end_matches('/')
                    .clone_into(&mut options.postgres),
                "--database" => options.database.clone_from(value()?),
                "--pg-log" => options.pg_log = Some(PathBuf::from(value()?)),
                "--no-build" => options.build = false,
                "--no-write" => options.write = false,
                _ => return Err(format!("unknown argument {arg}\n{USAGE}")),
            }
        }
        if !options
            .database
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err("--database: lower-case letters, digits and _ only".to_owned());
        }
        Ok(options)
    }

    fn database_url(&self) -> String {
        format!("{}/{}", self.postgres, self.database)
    }
}

pub fn bench_peer(args: &[String]) -> Result {
    let options = Options::parse(args)?;
    for tool in ["psql", "pgbench", "node", "npm", "curl"] {
        if !crate::on_path(tool) {
            return Err(format!(
                "{tool} is missing: see BENCHMARKS.md, `bench-peer`"
            ));
        }
    }
    if Command::new("wrk").arg("-v").output().is_err() {
        return Err("wrk is missing (Debian: apt-get install wrk)".to_owned());
    }
    let root = root();
    let scratch = root.join("target/bench-peer");
    fs::create_dir_all(&scratch).map_err(|e| format!("{}: {e}", scratch.display()))?;
    if options.build {
        crate::status(Command::new(cargo_bin()).current_dir(&root).args([
            "build",
            "--release",
            "-p",
            "server",
            "--locked",
        ]))?;
    }
    let tcd = root.join("target/release/tcd");
    if !tcd.is_file() {
        return Err(format!(
            "{} is missing: run without --no-build",
            tcd.display()
        ));
    }
    let postgraphile = install_postgraphile(&scratch.join("postgraphile"))?;
    let workloads = load_workloads(&root.join("xtask/bench"))?;

    let db = Database::create(&options)?;
    let url = options.database_url();
    eprintln!("bench-peer: loading {UNITS_FILE} into {}", options.database);
    crate::status(tcd_command(&tcd, &root, &url).arg("migrate"))?;
    crate::status(tcd_command(&tcd, &root, &url).args(["units", "import", UNITS_FILE]))?;
    let mut create = tcd_command(&tcd, &root, &url);
    create
        .args(["account", "create", "--unit-code", "49", "--username"])
        .args([USERNAME, "--role", "admin", "--password-stdin"]);
    run_with_input(&mut create, &format!("{PASSWORD}\n"))?;
    db.psql("ANALYZE")?;

    let ports = Ports::pick()?;
    let servers = Servers {
        tcd: &tcd,
        root: &root,
        postgraphile: &postgraphile,
        scratch: &scratch,
        url: &url,
        options: &options,
        ports: &ports,
    };

    eprintln!("bench-peer: counting SQL statements per request");
    let statements = count_statements(&servers, &db, &workloads)?;

    let token = {
        let _running = servers.start()?;
        let token = login(&ports.tcd_url())?;
        for w in &workloads {
            verify(w, &ports, &token)?;
        }
        token
    };
    eprintln!("bench-peer: both servers answer the four workloads with the same data");
    let rows = measure_all(&servers, &db, &workloads, &statements, &token)?;
    drop(db);

    let section = render(&options, &rows, &versions(&options, &postgraphile));
    println!("{section}");
    if options.write {
        let path = root.join("BENCHMARKS.md");
        let old = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        fs::write(&path, replace_section(&old, &section))
            .map_err(|e| format!("{}: {e}", path.display()))?;
        eprintln!("bench-peer: wrote {}", path.display());
    }
    Ok(())
}

/// For each workload and concurrency: a warm-up of each server, then tcd, PostGraphile, tcd …
/// with wrk, then (both servers stopped) the SQL floor with pgbench.
fn measure_all(
    servers: &Servers<'_>,
    db: &Database<'_>,
    workloads: &[Workload],
    statements: &[Statements],
    token: &str,
) -> Result<Vec<Row>> {
    let options = servers.options;
    let lua = servers.scratch.join("wrk");
    fs::create_dir_all(&lua).map_err(|e| format!("{}: {e}", lua.display()))?;
    let pgbench_logs = servers.scratch.join("pgbench");
    let mut rows = Vec::new();
    for (w, counted) in workloads.iter().zip(statements) {
        let tcd_script = wrk_script(&lua, &format!("{}.tcd", w.name), &w.tcd, Some(token))?;
        let pg_script = wrk_script(&lua, &format!("{}.pg", w.name), &w.postgraphile, None)?;
        for &c in &options.concurrency {
            eprintln!("bench-peer: {} at concurrency {c}", w.name);
            let scripts = (tcd_script.as_path(), pg_script.as_path());
            let row = match measure_row(servers, db, w, c, counted, scripts, &pgbench_logs) {
                Ok(row) => row,
                // The machine is shared: a server of this run may be ended by other work.
                // One more try, with both servers started afresh.
                Err(e) => {
                    eprintln!("bench-peer: {e}");
                    eprintln!("bench-peer: trying {} at {c} once more", w.name);
                    measure_row(servers, db, w, c, counted, scripts, &pgbench_logs)?
                }
            };
            eprintln!("bench-peer: {}", row.summary());
            rows.push(row);
        }
    }
    Ok(rows)
}

/// One row: both servers started afresh, a warm-up of each, the interleaved runs, then both
/// stopped and the SQL floor.
fn measure_row(
    servers: &Servers<'_>,
    db: &Database<'_>,
    w: &Workload,
    c: u32,
    counted: &Statements,
    (tcd_script, pg_script): (&Path, &Path),
    pgbench_logs: &Path,
) -> Result<Row> {
    let (options, ports) = (servers.options, servers.ports);
    let mut running = servers.start()?;
    let mut row = Row::new(w.name, c, counted.clone());
    let runs = (|| -> Result {
        wrk(&ports.tcd_url(), tcd_script, c, options.warmup)?;
        wrk(&ports.pg_url(), pg_script, c, options.warmup)?;
        for _ in 0..options.rounds {
            row.tcd
                .push(measure(&ports.tcd_url(), tcd_script, c, options.seconds)?);
            row.pg
                .push(measure(&ports.pg_url(), pg_script, c, options.seconds)?);
        }
        Ok(())
    })();
    if let Err(e) = runs {
        let gone = [running.0.exited(), running.1.exited()];
        return Err(format!("{e}{}", gone.concat()));
    }
    // Both servers stop while pgbench runs: their pools would hold connections that
    // pgbench's c clients may need on a server with max_connections = 100.
    drop(running);
    wait_for_connection_slots(db, c)?;
    row.floor = Some(pgbench(options, w, c, pgbench_logs)?);
    Ok(row)
}

fn cargo_bin() -> std::ffi::OsString {
    env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// `npm install`s PostGraphile and the filter plugin into `dir` unless the right versions are
/// there; returns the folder.
fn install_postgraphile(dir: &Path) -> Result<PathBuf> {
    let installed = |package: &str, version: &str| {
        fs::read_to_string(dir.join("node_modules").join(package).join("package.json"))
            .is_ok_and(|p| p.contains(&format!("\"version\": \"{version}\"")))
    };
    if installed("postgraphile", POSTGRAPHILE)
        && installed("postgraphile-plugin-connection-filter", CONNECTION_FILTER)
    {
        return Ok(dir.to_path_buf());
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    fs::write(
        dir.join("package.json"),
        "{ \"private\": true, \"description\": \"cargo xtask bench-peer\" }\n",
    )
    .map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!("bench-peer: npm install postgraphile@{POSTGRAPHILE}");
    crate::status(Command::new("npm").current_dir(dir).args([
        "install",
        "--no-audit",
        "--no-fund",
        "--save-exact",
        &format!("postgraphile@{POSTGRAPHILE}"),
        &format!("postgraphile-plugin-connection-filter@{CONNECTION_FILTER}"),
    ]))?;
    Ok(dir.to_path_buf())
}

struct Workload {
    name: &'static str,
    tcd: String,
    postgraphile: String,
    sql: PathBuf,
}

fn load_workloads(dir: &Path) -> Result<Vec<Workload>> {
    WORKLOADS
        .iter()
        .map(|(name, _)| {
            let file = |suffix: &str| dir.join(format!("{}.{suffix}", name.to_lowercase()));
            let read = |path: PathBuf| {
                fs::read_to_string(&path)
                    .map(|q| q.trim().to_owned())
                    .map_err(|e| format!("{}: {e}", path.display()))
            };
            let sql = file("sql");
            if !sql.is_file() {
                return Err(format!("{} is missing", sql.display()));
            }
            Ok(Workload {
                name,
                tcd: read(file("tcd.graphql"))?,
                postgraphile: read(file("postgraphile.graphql"))?,
                sql,
            })
        })
        .collect()
}

fn tcd_command(tcd: &Path, root: &Path, url: &str) -> Command {
    let mut command = Command::new(tcd);
    command
        .current_dir(root)
        .env("TCD_DATABASE_URL", url)
        .env("RUST_LOG", "warn");
    command
}

fn run_with_input(command: &mut Command, input: &str) -> Result<String> {
    let shown = format!("{command:?}");
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .map_err(|e| format!("{shown}: {e}"))?;
    let out = child
        .wait_with_output()
        .map_err(|e| format!("{shown}: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        Err(format!(
            "{shown} failed ({}): {}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// The bench database, dropped when the run ends (it is dropped and created anew at the start
/// of the next run anyway).
struct Database<'a> {
    options: &'a Options,
}

impl<'a> Database<'a> {
    fn create(options: &'a Options) -> Result<Self> {
        let admin = format!("{}/postgres", options.postgres);
        let name = &options.database;
        psql(
            &admin,
            &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
        )?;
        psql(&admin, &format!("CREATE DATABASE {name}"))?;
        Ok(Self { options })
    }

    fn psql(&self, sql: &str) -> Result<String> {
        psql(&self.options.database_url(), sql)
    }

    fn log_statements(&self, on: bool) -> Result {
        let name = &self.options.database;
        let sql = if on {
            format!("ALTER DATABASE {name} SET log_statement = 'all'")
        } else {
            format!("ALTER DATABASE {name} RESET log_statement")
        };
        self.psql(&sql).map(drop)
    }
}

impl Drop for Database<'_> {
    fn drop(&mut self) {
        let admin = format!("{}/postgres", self.options.postgres);
        let sql = format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.options.database
        );
        if let Err(e) = psql(&admin, &sql) {
            eprintln!("bench-peer: {e}");
        }
    }
}

/// Waits (a minute at most) until PostgreSQL has `c` connection slots free for pgbench;
/// other work on the machine may hold some.
fn wait_for_connection_slots(db: &Database<'_>, c: u32) -> Result {
    let sql = "SELECT current_setting('max_connections')::int \
               - current_setting('superuser_reserved_connections')::int \
               - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')";
    let start = Instant::now();
    loop {
        let free: i64 = db.psql(sql)?.parse().map_err(|e| format!("{sql}: {e}"))?;
        if free > i64::from(c) {
            return Ok(());
        }
        if start.elapsed() > Duration::from_mins(1) {
            return Err(format!(
                "PostgreSQL has {free} free connections, pgbench needs {c}: other work holds \
                 them, or raise max_connections"
            ));
        }
        sleep(Duration::from_secs(1));
    }
}

fn psql(url: &str, sql: &str) -> Result<String> {
    let out = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .map_err(|e| format!("cannot start psql: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
    } else {
        Err(format!(
            "psql {sql:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

struct Ports {
    tcd: u16,
    metrics: u16,
    postgraphile: u16,
}

impl Ports {
    /// Three free local ports (bound once to find them, then released).
    fn pick() -> Result<Self> {
        let free = || {
            std::net::TcpListener::bind("127.0.0.1:0")
                .and_then(|l| l.local_addr())
                .map(|a| a.port())
                .map_err(|e| format!("no free port: {e}"))
        };
        let listeners = [free()?, free()?, free()?];
        Ok(Self {
            tcd: listeners[0],
            metrics: listeners[1],
            postgraphile: listeners[2],
        })
    }

    fn tcd_url(&self) -> String {
        format!("http://127.0.0.1:{}/graphql", self.tcd)
    }

    fn pg_url(&self) -> String {
        format!("http://127.0.0.1:{}/graphql", self.postgraphile)
    }

    fn metrics_url(&self) -> String {
        format!("http://127.0.0.1:{}/metrics", self.metrics)
    }
}

/// A server this run started: stopped (SIGTERM, then SIGKILL) when dropped, on success and
/// on failure alike.
struct Server {
    name: &'static str,
    child: Child,
    log: PathBuf,
}

impl Server {
    /// `" (NAME exited: STATUS)"` when the server is gone, else nothing.
    fn exited(&mut self) -> String {
        match self.child.try_wait() {
            Ok(Some(status)) => format!(" ({} exited: {status})", self.name),
            _ => String::new(),
        }
    }

    fn spawn(name: &'static str, command: &mut Command, log: PathBuf) -> Result<Self> {
        let file = fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = file
            .try_clone()
            .map_err(|e| format!("{}: {e}", log.display()))?;
        let child = command
            .stdin(Stdio::null())
            .stdout(file)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name}: {e}"))?;
        Ok(Self { name, child, log })
    }

    /// Waits until `url` answers a GraphQL request with 200.
    fn wait_ready(&mut self, url: &str) -> Result {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(90) {
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = fs::read_to_string(&self.log).unwrap_or_default();
                return Err(format!("{} exited ({status}):\n{log}", self.name));
            }
            if post(url, "{\"query\":\"{ __typename }\"}", None).is_ok_and(|(code, _)| code == 200)
            {
                return Ok(());
            }
            sleep(Duration::from_millis(250));
        }
        Err(format!(
            "{} did not answer at {url} within 90 s; see {}",
            self.name,
            self.log.display()
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        // SIGTERM first: PostGraphile's cluster master takes its workers down with it.
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Servers<'a> {
    tcd: &'a Path,
    root: &'a Path,
    postgraphile: &'a Path,
    scratch: &'a Path,
    url: &'a str,
    options: &'a Options,
    ports: &'a Ports,
}

impl Servers<'_> {
    /// Starts tcd and PostGraphile and waits until both answer.
    fn start(&self) -> Result<(Server, Server)> {
        let empty = self.scratch.join("empty");
        fs::create_dir_all(&empty).map_err(|e| format!("{}: {e}", empty.display()))?;
        let mut tcd = tcd_command(self.tcd, self.root, self.url);
        tcd.arg("serve")
            .env("TCD_BIND", format!("127.0.0.1:{}", self.ports.tcd))
            .env(
                "TCD_METRICS_BIND",
                format!("127.0.0.1:{}", self.ports.metrics),
            )
            .env("TCD_ENV", "production")
            .env("TCD_JWT_SECRET", JWT_SECRET)
            .env("TCD_NO_SEED", "true")
            .env("TCD_DB_MAX_CONNECTIONS", self.options.pool.to_string())
            .env("TCD_REQUESTS_PER_SECOND", "1000000000")
            .env("TCD_REQUEST_BURST", "1000000000")
            // The run outlasts the default 15-minute token.
            .env("TCD_ACCESS_TOKEN_TTL_SECONDS", "86400")
            .env("TCD_STATIC_DIR", &empty)
            .env("TCD_DATA_DIR", &empty)
            .env("TCD_LOG_FORMAT", "text");
        let mut tcd = Server::spawn("tcd", &mut tcd, self.scratch.join("tcd.log"))?;
        let workers = crate::cores();
        let pool = pool_per_worker(self.options.pool);
        let mut pg = Command::new("node");
        pg.current_dir(self.postgraphile)
            .env("NODE_ENV", "production")
            .arg("node_modules/postgraphile/cli.js")
            .args(["--connection", self.url, "--schema", "public"])
            .args(["--host", "127.0.0.1", "--port"])
            .arg(self.ports.postgraphile.to_string())
            .args(["--append-plugins", "postgraphile-plugin-connection-filter"])
            .args([
                "--disable-query-log",
                "--disable-default-mutations",
                "--no-setof-functions-contain-nulls",
                "--disable-graphiql",
                "--max-pool-size",
            ])
            .arg(pool.to_string())
            .arg("--cluster-workers")
            .arg(workers.to_string());
        let mut pg = Server::spawn(
            "PostGraphile",
            &mut pg,
            self.scratch.join("postgraphile.log"),
        )?;
        tcd.wait_ready(&self.ports.tcd_url())?;
        pg.wait_ready(&self.ports.pg_url())?;
        Ok((tcd, pg))
    }
}

/// One Node process per core, as a production deployment would run PostGraphile; the pool is
/// shared out so that both servers hold at most `--pool` connections.
fn pool_per_worker(pool: u32) -> u32 {
    (pool / u32::try_from(crate::cores()).unwrap_or(1)).max(1)
}

/// POSTs a JSON body; returns the HTTP status and the body.
fn post(url: &str, body: &str, token: Option<&str>) -> Result<(u16, String)> {
    let mut command = Command::new("curl");
    command.args(["-sS", "--max-time", "30", "-X", "POST", url]);
    command.args(["-H", "Content-Type: application/json"]);
    if let Some(token) = token {
        command.args(["-H", &format!("Authorization: Bearer {token}")]);
    }
    command.args(["--data-binary", "@-", "-w", "\n%{http_code}"]);
    let out = run_with_input(&mut command, body)?;
    let (body, code) = out.trim_end().rsplit_once('\n').unwrap_or(("", &out));
    let code = code.trim().parse().map_err(|_| format!("curl: {out}"))?;
    Ok((code, body.to_owned()))
}

fn graphql_body(query: &str) -> String {
    format!("{{\"query\":{}}}", json_string(query))
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if u32::from(c) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The string values of `"key":"…"` in a JSON text, in order (no unescaping but `\"`).
fn string_values(json: &str, key: &str) -> Vec<String> {
    let needle = format!("\"{key}\":\"");
    let mut values = Vec::new();
    let mut rest = json;
    while let Some(at) = rest.find(&needle) {
        rest = &rest[at + needle.len()..];
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let mut end = rest.len();
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        value.push(next);
                    }
                }
                '"' => {
                    end = i + 1;
                    break;
                }
                c => value.push(c),
            }
        }
        values.push(value);
        rest = &rest[end..];
    }
    values
}

/// The numbers of `"key":123` in a JSON text, in order.
fn number_values(json: &str, key: &str) -> Vec<u64> {
    let needle = format!("\"{key}\":");
    json.match_indices(&needle)
        .filter_map(|(at, _)| {
            let digits: String = json[at + needle.len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

fn login(url: &str) -> Result<String> {
    let query = format!(
        "mutation {{ login(input: {{ username: {}, password: {} }}) {{ accessToken userErrors {{ code message }} }} }}",
        json_string(USERNAME),
        json_string(PASSWORD)
    );
    let (code, body) = post(url, &graphql_body(&query), None)?;
    string_values(&body, "accessToken")
        .into_iter()
        .next()
        .filter(|_| code == 200)
        .ok_or_else(|| format!("tcd login failed ({code}): {body}"))
}

/// What a response says: its (code, name) pairs, deduplicated and sorted, and its
/// `totalCount`s, sorted.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    units: Vec<(String, String)>,
    counts: Vec<u64>,
}

fn answer(server: &str, workload: &str, code: u16, body: &str) -> Result<Answer> {
    if code != 200 || body.contains("\"errors\"") || !body.contains("\"data\"") {
        return Err(format!(
            "{server} answers {workload} with HTTP {code}: {body}"
        ));
    }
    let codes = string_values(body, "code");
    let names = string_values(body, "name");
    if codes.is_empty() || codes.len() != names.len() {
        return Err(format!("{server} answers {workload} without units: {body}"));
    }
    let mut units: Vec<_> = codes.into_iter().zip(names).collect();
    units.sort();
    units.dedup();
    let mut counts = number_values(body, "totalCount");
    counts.sort_unstable();
    Ok(Answer { units, counts })
}

/// Both servers answer `w` without errors and with the same units and counts.
fn verify(w: &Workload, ports: &Ports, token: &str) -> Result {
    let (code, body) = post(&ports.tcd_url(), &graphql_body(&w.tcd), Some(token))?;
    let tcd = answer("tcd", w.name, code, &body)?;
    let (code, body) = post(&ports.pg_url(), &graphql_body(&w.postgraphile), None)?;
    let pg = answer("PostGraphile", w.name, code, &body)?;
    if tcd == pg {
        Ok(())
    } else {
        Err(format!(
            "{}: tcd and PostGraphile answer different data:\ntcd          {tcd:?}\nPostGraphile {pg:?}",
            w.name
        ))
    }
}

/// Statements one request costs: on each server, as PostgreSQL logged them for the bench
/// database, and as tcd's metric counts them.
#[derive(Clone, Default)]
struct Statements {
    tcd: Option<f64>,
    pg: Option<f64>,
    tcd_metric: Option<f64>,
}

const COUNTED_REQUESTS: u32 = 5;

fn count_statements(
    servers: &Servers<'_>,
    db: &Database<'_>,
    workloads: &[Workload],
) -> Result<Vec<Statements>> {
    let log = statement_log(db, servers.options);
    if log.is_none() {
        eprintln!(
            "bench-peer: cannot read the PostgreSQL log (give it with --pg-log): only tcd's \
             own count of statements"
        );
    }
    db.log_statements(true)?;
    let counted = (|| {
        let (_tcd, _pg) = servers.start()?;
        let ports = servers.ports;
        let token = login(&ports.tcd_url())?;
        workloads
            .iter()
            .map(|w| {
                // Warm both: a fresh pool connection's own setup is not the request's.
                for _ in 0..3 {
                    verify(w, ports, token.as_str())?;
                }
                let tcd_body = graphql_body(&w.tcd);
                let pg_body = graphql_body(&w.postgraphile);
                let metric_before = tcd_metric(&ports.metrics_url());
                let tcd = log_delta(log.as_ref(), || {
                    for _ in 0..COUNTED_REQUESTS {
                        post(&ports.tcd_url(), &tcd_body, Some(&token))?;
                    }
                    Ok(())
                })?;
                let metric_after = tcd_metric(&ports.metrics_url());
                let pg = log_delta(log.as_ref(), || {
                    for _ in 0..COUNTED_REQUESTS {
                        post(&ports.pg_url(), &pg_body, None)?;
                    }
                    Ok(())
                })?;
                let tcd_metric = match (metric_before, metric_after) {
                    (Some((s0, n0)), Some((s1, n1))) if n1 > n0 => Some((s1 - s0) / (n1 - n0)),
                    _ => None,
                };
                Ok(Statements {
                    tcd,
                    pg,
                    tcd_metric,
                })
            })
            .collect::<Result<Vec<_>>>()
    })();
    db.log_statements(false)?;
    counted
}

/// Where PostgreSQL writes its log, with the text that marks a line of the bench database.
struct StatementLog {
    path: PathBuf,
    marker: String,
}

fn statement_log(db: &Database<'_>, options: &Options) -> Option<StatementLog> {
    let prefix = db.psql("SHOW log_line_prefix").ok()?;
    if !prefix.contains("%d") {
        return None;
    }
    let path = options.pg_log.clone().or_else(|| {
        let major = db
            .psql("SHOW server_version_num")
            .ok()?
            .parse::<u32>()
            .ok()?
            / 10_000;
        let collector = db.psql("SELECT pg_current_logfile()").ok();
        let data = db.psql("SHOW data_directory").ok();
        match (collector.filter(|c| !c.is_empty()), data) {
            (Some(file), Some(data)) => Some(Path::new(&data).join(file)),
            _ => Some(PathBuf::from(format!(
                "/var/log/postgresql/postgresql-{major}-main.log"
            ))),
        }
    })?;
    fs::metadata(&path).ok()?;
    Some(StatementLog {
        path,
        marker: format!("@{} ", options.database),
    })
}

/// Runs `requests` and counts the statements PostgreSQL logged for the bench database
/// meanwhile, per request.
fn log_delta(log: Option<&StatementLog>, requests: impl FnOnce() -> Result) -> Result<Option<f64>> {
    let Some(log) = log else {
        requests()?;
        return Ok(None);
    };
    let size = |p: &Path| fs::metadata(p).map_or(0, |m| m.len());
    let start = size(&log.path);
    requests()?;
    sleep(Duration::from_millis(300));
    let mut bytes = Vec::new();
    fs::File::open(&log.path)
        .and_then(|mut file| {
            file.seek(std::io::SeekFrom::Start(start))?;
            file.read_to_end(&mut bytes)
        })
        .map_err(|e| format!("{}: {e}", log.path.display()))?;
    let text = String::from_utf8_lossy(&bytes);
    let statements = text
        .lines()
        .filter(|l| l.contains(&log.marker))
        .filter(|l| l.contains("LOG:  statement: ") || l.contains("LOG:  execute "))
        .count();
    let statements = f64::from(u32::try_from(statements).unwrap_or(u32::MAX));
    Ok(Some(statements / f64::from(COUNTED_REQUESTS)))
}

/// The sum and count of tcd's `graphql_sql_statements` histogram, over every operation.
fn tcd_metric(url: &str) -> Option<(f64, f64)> {
    let text = crate::output("curl", &["-sS", "--max-time", "10", url])?;
    let total = |name: &str| -> f64 {
        text.lines()
            .filter(|l| l.starts_with(name))
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    Some((
        total("graphql_sql_statements_sum"),
        total("graphql_sql_statements_count"),
    ))
}

fn wrk_script(dir: &Path, name: &str, query: &str, token: Option<&str>) -> Result<PathBuf> {
    let mut lua = String::from(
        "-- Written by cargo xtask bench-peer.\nwrk.method = \"POST\"\n\
         wrk.headers[\"Content-Type\"] = \"application/json\"\n",
    );
    if let Some(token) = token {
        let _ = writeln!(lua, "wrk.headers[\"Authorization\"] = \"Bearer {token}\"");
    }
    let _ = writeln!(lua, "wrk.body = [==[{}]==]", graphql_body(query));
    let path = dir.join(format!("{name}.lua"));
    fs::write(&path, lua).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// One `wrk` run.
#[derive(Clone, Copy)]
struct Run {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    load: f64,
}

fn wrk(url: &str, script: &Path, c: u32, seconds: u64) -> Result<String> {
    let threads = crate::cores().min(c as usize).to_string();
    let out = Command::new("wrk")
        .args(["-t", &threads, "-c", &c.to_string()])
        .args([
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "10s",
            "--latency",
            "-s",
        ])
        .arg(script)
        .arg(url)
        .output()
        .map_err(|e| format!("cannot start wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    if let Some(line) = text
        .lines()
        .find(|l| l.contains("Non-2xx or 3xx responses"))
    {
        return Err(format!(
            "{url} answered errors under load: {}\n{text}",
            line.trim()
        ));
    }
    if let Some(line) = text.lines().find(|l| l.contains("Socket errors")) {
        eprintln!("bench-peer: {url}: {}", line.trim());
    }
    Ok(text)
}

fn measure(url: &str, script: &Path, c: u32, seconds: u64) -> Result<Run> {
    let load = load_average();
    let text = wrk(url, script, c, seconds)?;
    let field = |label: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(label))
            .map(str::trim)
            .ok_or_else(|| format!("no {label:?} in wrk's output:\n{text}"))
    };
    let rps = field("Requests/sec:")?
        .parse()
        .map_err(|_| format!("wrk: requests/sec: {text}"))?;
    Ok(Run {
        rps,
        p50_ms: duration_ms(field("50%")?)?,
        p99_ms: duration_ms(field("99%")?)?,
        load,
    })
}

/// wrk's durations: `812.00us`, `1.23ms`, `2.01s`, `1.50m`.
fn duration_ms(text: &str) -> Result<f64> {
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .ok_or_else(|| format!("wrk: no unit in {text:?}"))?;
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| format!("wrk: {text:?}"))?;
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" => 1000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return Err(format!("wrk: unknown unit in {text:?}")),
    };
    Ok(number * scale)
}

/// The 1-minute load average (`uptime`'s first figure).
fn load_average() -> f64 {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .unwrap_or(f64::NAN)
}

/// The SQL floor: `pgbench` running the workload's SQL with prepared statements, its p50 and
/// p99 taken from the per-transaction log (`-l`).
struct Floor {
    tps: f64,
    p50_ms: f64,
    p99_ms: f64,
    load: f64,
}

fn pgbench(options: &Options, w: &Workload, c: u32, logs: &Path) -> Result<Floor> {
    let _ = fs::remove_dir_all(logs);
    fs::create_dir_all(logs).map_err(|e| format!("{}: {e}", logs.display()))?;
    let prefix = logs.join(format!("{}-c{c}", w.name));
    let load = load_average();
    let threads = crate::cores().min(c as usize).to_string();
    let out = Command::new("pgbench")
        .args(["-n", "-M", "prepared", "-c", &c.to_string(), "-j", &threads])
        .args(["-T", &options.seconds.to_string(), "-l"])
        .arg(format!("--log-prefix={}", prefix.display()))
        .arg("-f")
        .arg(&w.sql)
        .arg(options.database_url())
        .output()
        .map_err(|e| format!("cannot start pgbench: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!(
            "pgbench failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let tps = text
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next()?.parse().ok())
        .ok_or_else(|| format!("pgbench: no tps in {text}"))?;
    let mut micros = Vec::new();
    let stem = prefix
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    for entry in fs::read_dir(logs).map_err(|e| format!("{}: {e}", logs.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with(&stem))
        {
            continue;
        }
        let log = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // client_id transaction_no time script_no time_epoch time_us: `time` is the
        // transaction's latency in microseconds.
        micros.extend(
            log.lines()
                .filter_map(|l| l.split_whitespace().nth(2)?.parse::<u64>().ok()),
        );
    }
    if micros.is_empty() {
        return Err(format!(
            "pgbench wrote no transaction log under {}",
            logs.display()
        ));
    }
    micros.sort_unstable();
    Ok(Floor {
        tps,
        p50_ms: percentile(&micros, 500),
        p99_ms: percentile(&micros, 990),
        load,
    })
}

/// The nearest-rank percentile (`per_mille` thousandths) of sorted microseconds, in ms.
fn percentile(sorted: &[u64], per_mille: usize) -> f64 {
    let rank = (sorted.len() * per_mille).div_ceil(1000);
    let micros = sorted[rank.clamp(1, sorted.len()) - 1];
    f64::from(u32::try_from(micros).unwrap_or(u32::MAX)) / 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        values[n / 2]
    } else {
        f64::midpoint(values[n / 2 - 1], values[n / 2])
    }
}

struct Row {
    workload: &'static str,
    c: u32,
    statements: Statements,
    tcd: Vec<Run>,
    pg: Vec<Run>,
    floor: Option<Floor>,
}

impl Row {
    fn new(workload: &'static str, c: u32, statements: Statements) -> Self {
        Self {
            workload,
            c,
            statements,
            tcd: Vec::new(),
            pg: Vec::new(),
            floor: None,
        }
    }

    fn med(runs: &[Run], f: fn(&Run) -> f64) -> f64 {
        median(runs.iter().map(f).collect())
    }

    fn summary(&self) -> String {
        format!(
            "{} c={}: tcd {:.0} req/s p99 {:.2} ms, PostGraphile {:.0} req/s p99 {:.2} ms, floor p99 {}",
            self.workload,
            self.c,
            Self::med(&self.tcd, |r| r.rps),
            Self::med(&self.tcd, |r| r.p99_ms),
            Self::med(&self.pg, |r| r.rps),
            Self::med(&self.pg, |r| r.p99_ms),
            self.floor
                .as_ref()
                .map_or("-".to_owned(), |f| format!("{:.2} ms", f.p99_ms)),
        )
    }
}

fn versions(options: &Options, postgraphile: &Path) -> String {
    let first_line = |program: &str, args: &[&str]| {
        Command::new(program)
            .args(args)
            .output()
            .ok()
            .map(|o| {
                let mut text = String::from_utf8_lossy(&o.stdout).into_owned();
                text.push_str(&String::from_utf8_lossy(&o.stderr));
                text.lines().next().unwrap_or_default().trim().to_owned()
            })
            .unwrap_or_default()
    };
    let server = psql(
        &format!("{}/postgres", options.postgres),
        "SHOW server_version",
    )
    .unwrap_or_default();
    let package = fs::read_to_string(postgraphile.join("node_modules/postgraphile/package.json"))
        .unwrap_or_default()
        .replace("\": \"", "\":\"");
    let installed = string_values(&package, "version")
        .into_iter()
        .next()
        .unwrap_or_else(|| "?".to_owned());
    format!(
        "PostgreSQL {server}, Node {}, PostGraphile {installed} with \
         postgraphile-plugin-connection-filter {CONNECTION_FILTER}, {}, {}, {}",
        first_line("node", &["--version"]).trim_start_matches('v'),
        first_line("wrk", &["-v"])
            .split(" [")
            .next()
            .unwrap_or_default(),
        first_line("pgbench", &["--version"]),
        first_line("rustc", &["--version"]),
    )
}

fn machine() -> String {
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let ram_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map_or("?".to_owned(), |kib| {
            format!("{:.0}", kib / 1024.0 / 1024.0)
        });
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).trim().to_owned())
        .unwrap_or_default();
    format!("{} cores ({cpu}), {ram_gib} GiB RAM", crate::cores())
}

fn today() -> String {
    crate::output("date", &["-u", "+%d/%m/%Y %H:%M UTC"])
        .map_or_else(|| "?".to_owned(), |d| d.trim().to_owned())
}

fn ms(v: f64) -> String {
    if v < 10.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.1}")
    }
}

fn count(v: Option<f64>) -> String {
    v.map_or("?".to_owned(), |v| {
        if (v - v.round()).abs() < 0.05 {
            format!("{v:.0}")
        } else {
            format!("{v:.1}")
        }
    })
}

fn loads(runs: &[Run]) -> String {
    runs.iter()
        .map(|r| format!("{:.2}", r.load))
        .collect::<Vec<_>>()
        .join(", ")
}

fn render(options: &Options, rows: &[Row], versions: &str) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{HEADING}\n");
    let _ = writeln!(
        s,
        "Measured {} on {}: {versions}. {} s per run after a {} s warm-up, {} runs of each server \
         per row, interleaved (tcd, PostGraphile, tcd, …); the figures are the medians of the \
         runs. Database pool: {} connections for tcd, {} Node workers of {} each for \
         PostGraphile. Client: `wrk -t {} --latency` on the same machine.\n",
        today(),
        machine(),
        options.seconds,
        options.warmup,
        options.rounds,
        options.pool,
        crate::cores(),
        pool_per_worker(options.pool),
        crate::cores(),
    );
    let _ = writeln!(
        s,
        "| workload | c | tcd req/s | PostGraphile req/s | tcd/PostGraphile | tcd p50/p99 (ms) | \
         PostGraphile p99 (ms) | pgbench floor p99 (ms) | tcd p99 / floor p99 | SQL statements \
         per request (tcd / PostGraphile) | load average (1 min) at the time: tcd · \
         PostGraphile · pgbench |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|---|---|---|---|---|");
    let mut throughput_met = 0;
    let mut latency_met = 0;
    for row in rows {
        let tcd_rps = Row::med(&row.tcd, |r| r.rps);
        let pg_rps = Row::med(&row.pg, |r| r.rps);
        let tcd_p99 = Row::med(&row.tcd, |r| r.p99_ms);
        let ratio = tcd_rps / pg_rps;
        let (floor_p99, floor_ratio, floor_load) = row
            .floor
            .as_ref()
            .map_or(("-".to_owned(), f64::NAN, "-".to_owned()), |f| {
                (ms(f.p99_ms), tcd_p99 / f.p99_ms, format!("{:.2}", f.load))
            });
        throughput_met += usize::from(ratio >= 3.0);
        latency_met += usize::from(floor_ratio <= 1.5);
        let _ = writeln!(
            s,
            "| {} | {} | {:.0} | {:.0} | {:.2}× | {} / {} | {} | {} | {:.1}× | {} / {} | {} · {} · {} |",
            row.workload,
            row.c,
            tcd_rps,
            pg_rps,
            ratio,
            ms(Row::med(&row.tcd, |r| r.p50_ms)),
            ms(tcd_p99),
            ms(Row::med(&row.pg, |r| r.p99_ms)),
            floor_p99,
            floor_ratio,
            count(row.statements.tcd),
            count(row.statements.pg),
            loads(&row.tcd),
            loads(&row.pg),
            floor_load,
        );
    }
    let _ = writeln!(
        s,
        "\nTargets: tcd ≥ 3× PostGraphile's throughput met in {throughput_met} of {n} rows; tcd \
         p99 ≤ 1.5× the SQL floor's p99 met in {latency_met} of {n} rows.\n",
        n = rows.len()
    );
    every_run(&mut s, rows);
    let _ = writeln!(s, "\nThe workloads (queries in `xtask/bench/`):\n");
    for (name, what) in WORKLOADS {
        let _ = writeln!(s, "- {name}: {what};");
    }
    s.push_str(READING);
    s
}

/// The table of every run and tcd's own statement count.
fn every_run(s: &mut String, rows: &[Row]) {
    let busiest = rows
        .iter()
        .flat_map(|r| r.tcd.iter().chain(&r.pg).map(|run| run.load))
        .chain(rows.iter().filter_map(|r| r.floor.as_ref().map(|f| f.load)))
        .fold(0.0_f64, f64::max);
    if busiest > f64::from(u32::try_from(crate::cores()).unwrap_or(1)) + 1.0 {
        let _ = writeln!(
            s,
            "Other work shared the machine during this run (1-minute load average up to \
             {busiest:.1} on {} cores): treat the figures as rough, and rerun on a quiet machine \
             to compare two versions.\n",
            crate::cores()
        );
    }
    let _ = writeln!(s, "Every run, for the noise:\n");
    let _ = writeln!(
        s,
        "| workload | c | tcd req/s (p50/p99 ms) per run | PostGraphile req/s (p50/p99 ms) per run | \
         pgbench tps (p50/p99 ms) | tcd's own statement count |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    let runs = |runs: &[Run]| {
        runs.iter()
            .map(|r| format!("{:.0} ({}/{})", r.rps, ms(r.p50_ms), ms(r.p99_ms)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for row in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} |",
            row.workload,
            row.c,
            runs(&row.tcd),
            runs(&row.pg),
            row.floor.as_ref().map_or("-".to_owned(), |f| format!(
                "{:.0} ({}/{})",
                f.tps,
                ms(f.p50_ms),
                ms(f.p99_ms)
            )),
            count(row.statements.tcd_metric),
        );
    }
}

const READING: &str = "
How it is set up and how to read it:

- Same data: one PostgreSQL database, loaded by `tcd units import` with the official list
  (10,810 units), `ANALYZE`d. tcd runs `TCD_ENV=production` with its logs at `warn`, rate
  limits out of the way, and answers a province admin of Quảng Nam (code 49) signed in with a
  bearer token: every tcd request also verifies the token and reads the account. PostGraphile
  runs over the same tables without authentication (`NODE_ENV=production`,
  `--disable-query-log --disable-default-mutations --no-setof-functions-contain-nulls
  --disable-graphiql`, one worker per core). Before measuring, both servers answer every
  workload once and must return the same codes, names and `totalCount`s without errors; a run
  with any non-2xx response fails.
- PostGraphile's queries are the closest same-data ones its generated schema offers: the
  children through `unitByCode(code: \"49\") { unitsByParentId(orderBy: CODE_ASC) }`; W2's
  parent chain through `unitByParentId` twice (the chain is the `ancestors` list too; it sends
  `kind` and `name`, from which tcd's `fullName` is made); W3 through
  postgraphile-plugin-connection-filter,
  `filter: { searchKey: { includes: \"tam\" }, path: { startsWith: \"/VN/49/\" } }` ordered by
  `[DEPTH_ASC, CODE_ASC]`, the same `LIKE '%tam%'` over the folded key within the province.
- Throughput and latency are wrk's: closed-loop clients (c connections, each sending its next
  request when the previous answer arrives), p50 and p99 from `--latency`. wrk, both servers
  and PostgreSQL share the machine's cores.
- The SQL floor is `pgbench -n -M prepared -c C -j 2 -T S -f xtask/bench/wN.sql`: one
  hand-written statement per workload returning the same rows and counts (`COUNT(*) OVER ()`
  beside a `LIMIT`, a recursive walk up the parents, a `LATERAL` join for W4), over the same
  number of connections, without HTTP, JSON or authentication, while both servers are stopped
  (each row starts them afresh, warm-up first). Its p50 and p99 are the
  nearest-rank percentiles of every transaction's latency in pgbench's per-transaction logs
  (`-l`), not the average pgbench prints.
- SQL statements per request are counted by PostgreSQL: the run sets `log_statement = all` on
  the bench database only, sends five requests of each workload to each server after a warm-up,
  and counts the statements (`statement:` and `execute` lines, BEGIN, COMMIT and SET included)
  logged for the database, divided by five; then it resets the setting and restarts both
  servers before measuring. tcd's own count of the same (its `graphql_sql_statements`
  histogram on `/metrics`) is in the table of every run. tcd's count includes the read of the signed-in account
  that every authenticated request makes; PostGraphile has no such read.
- The load average is `/proc/loadavg`'s 1-minute figure read just before each run. The bench
  itself keeps two cores busy, so about 2 is its own load; more means other work shared the
  machine, and figures beside it are less sure.
";

/// `old` with the bench section replaced by `section`, or with `section` appended.
fn replace_section(old: &str, section: &str) -> String {
    let Some(start) = old.find(HEADING) else {
        let mut new = old.trim_end().to_owned();
        new.push_str("\n\n");
        new.push_str(section.trim_end());
        new.push('\n');
        return new;
    };
    let after = start + HEADING.len();
    let end = old[after..]
        .find("\n## ")
        .map_or(old.len(), |i| after + i + 1);
    let mut new = old[..start].to_owned();
    new.push_str(section.trim_end());
    new.push('\n');
    if end < old.len() {
        new.push('\n');
        new.push_str(&old[end..]);
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrk_durations_are_read_in_milliseconds() {
        assert!((duration_ms("812.00us").expect("parses") - 0.812).abs() < 1e-9);
        assert!((duration_ms("1.23ms").expect("parses") - 1.23).abs() < 1e-9);
        assert!((duration_ms("2.01s").expect("parses") - 2010.0).abs() < 1e-9);
        assert!(duration_ms("12").is_err());
    }

    #[test]
    fn answers_compare_units_and_counts() {
        let tcd = r#"{"data":{"unit":{"code":"20341","name":"An Mỹ","parent":{"code":"502","name":"Tam Kỳ"},"ancestors":[{"code":"49","name":"Quảng Nam"},{"code":"502","name":"Tam Kỳ"}]}}}"#;
        let pg = r#"{"data":{"unitByCode":{"code":"20341","name":"An Mỹ","unitByParentId":{"code":"502","name":"Tam Kỳ","unitByParentId":{"code":"49","name":"Quảng Nam"}}}}}"#;
        assert_eq!(
            answer("tcd", "W2", 200, tcd).expect("parses"),
            answer("pg", "W2", 200, pg).expect("parses")
        );
        assert!(
            answer(
                "tcd",
                "W2",
                200,
                r#"{"errors":[{"message":"no"}],"data":null}"#
            )
            .is_err()
        );
        let counted =
            r#"{"data":{"units":{"totalCount":18,"nodes":[{"code":"502","name":"Tam \"Kỳ\""}]}}}"#;
        let a = answer("tcd", "W1", 200, counted).expect("parses");
        assert_eq!(a.counts, vec![18]);
        assert_eq!(a.units, vec![("502".to_owned(), "Tam \"Kỳ\"".to_owned())]);
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let values: Vec<u64> = (1..=100).collect();
        assert!((percentile(&values, 990) - 0.099).abs() < 1e-9);
        assert!((percentile(&values, 500) - 0.050).abs() < 1e-9);
        assert!((percentile(&[7000], 990) - 7.0).abs() < 1e-9);
    }

    #[test]
    fn the_section_is_replaced_and_the_rest_kept() {
        let old = format!("# B\n\n## A\n\na\n\n{HEADING}\n\nold\n\n## C\n\nc\n");
        let new = replace_section(&old, &format!("{HEADING}\n\nnew\n"));
        assert_eq!(
            new,
            format!("# B\n\n## A\n\na\n\n{HEADING}\n\nnew\n\n## C\n\nc\n")
        );
        let appended = replace_section("# B\n", &format!("{HEADING}\n\nnew\n"));
        assert_eq!(appended, format!("# B\n\n{HEADING}\n\nnew\n"));
    }

    #[test]
    fn graphql_bodies_are_json() {
        assert_eq!(
            graphql_body("{ a(s: \"x\") }\n"),
            r#"{"query":"{ a(s: \"x\") }\n"}"#
        );
    }
}
