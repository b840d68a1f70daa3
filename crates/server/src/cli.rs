//! The command line: `tcd serve`, `tcd migrate`, `tcd units import FILE`, `tcd account …`,
//! `tcd schema`.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Parser, Subcommand};
use domain::Role;
use store::import::{
    self, AffectedAccount, ImportError, ImportOptions, ImportPlan, Refusal, Removal, UnitLabel,
};

use crate::config::DatabaseArgs;
use crate::{Application, LogFormat, Settings, telemetry};

/// Trang Cộng Đồng — quản lý Trang cộng đồng của Mặt trận các cấp.
#[derive(Debug, Parser)]
#[command(name = "tcd", version, about)]
pub struct Cli {
    /// Log format: text for people, json for log collectors.
    #[arg(
        long,
        env = "TCD_LOG_FORMAT",
        value_enum,
        default_value_t,
        global = true
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (migrations run first).
    Serve(Settings),
    /// Apply pending database migrations and exit.
    Migrate(DatabaseArgs),
    /// Administrative units.
    Units {
        #[command(subcommand)]
        command: UnitsCommand,
    },
    /// Accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Page statistics.
    Stats {
        #[command(subcommand)]
        command: StatsCommand,
    },
    /// Print the GraphQL schema (the contract in schema.graphql).
    Schema,
    /// Ask the server on this machine whether it answers (`/healthz`, or `/readyz` with
    /// --ready): exit 0 if it does, 1 if not. For container health checks, which have no
    /// HTTP client to call.
    Healthcheck {
        /// The address the server listens on; a wildcard address is asked on loopback.
        #[arg(long, env = "TCD_BIND", default_value = "127.0.0.1:8080")]
        bind: String,
        /// Also require the database to answer (`/readyz`).
        #[arg(long)]
        ready: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create an account, e.g. the first admin of a province. Without --password-stdin a
    /// password is generated, printed once, and must be changed at the first sign-in.
    Create {
        /// Code of the unit the account acts at, e.g. 49 for Quảng Nam.
        #[arg(long)]
        unit_code: String,
        #[arg(long)]
        username: String,
        /// admin, operator or viewer.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Defaults to the committee's name, e.g. "Ban Thường trực UBMTTQ tỉnh Quảng Nam".
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
    /// Give an account a new password, e.g. when the first admin's is lost. Without
    /// --password-stdin a one-time password is generated, printed once, and must be changed at
    /// the next sign-in. Every session of the account ends.
    ResetPassword {
        #[arg(long)]
        username: String,
        /// Read the new password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

fn parse_role(value: &str) -> Result<Role, String> {
    value
        .parse()
        .map_err(|e: domain::DomainError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum StatsCommand {
    /// Pull the figures of every page with a stored Page access token from the Graph API,
    /// once; a page's Graph API error is kept on it and listed here.
    Pull {
        #[command(flatten)]
        database: DatabaseArgs,
        #[command(flatten)]
        graph: crate::config::GraphArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UnitsCommand {
    /// Import an official unit list (CSV with the header of the files in data/). Units are
    /// matched by code; inserts and renames are written, a file with any bad line changes
    /// nothing. The changes are computed first: a unit given another parent or level, or a
    /// unit of the database missing from the file, is listed with the accounts it concerns
    /// and the import is refused unless allowed.
    Import {
        /// The CSV file.
        file: PathBuf,
        /// Let units change parent or level; their accounts move with them.
        #[arg(long)]
        allow_moves: bool,
        /// Delete the units missing from the file (never a unit that has accounts).
        #[arg(long)]
        allow_removals: bool,
        /// Print the whole plan and write nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        database: DatabaseArgs,
    },
}

/// Runs a parsed command line and turns failures into a message and exit code 1.
pub async fn run(cli: Cli) -> ExitCode {
    telemetry::init(cli.log_format);
    match execute(cli.command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tcd: lỗi: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn execute(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(settings) => {
            let bind = settings.bind.clone();
            let app = Application::build(settings).await?;
            let host = bind
                .rsplit_once(':')
                .map_or(bind.as_str(), |(host, _)| host);
            tracing::info!(address = %format!("http://{host}:{}", app.port()), "listening");
            app.run_until_stopped().await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Stats {
            command: StatsCommand::Pull { database, graph },
        } => pull_stats(&database, &graph).await,
        Command::Migrate(database) => {
            open(&database).await?;
            println!("Đã áp dụng mọi migration.");
            Ok(())
        }
        Command::Units {
            command:
                UnitsCommand::Import {
                    file,
                    allow_moves,
                    allow_removals,
                    dry_run,
                    database,
                },
        } => {
            let options = ImportOptions {
                allow_moves,
                allow_removals,
            };
            import_units(&file, &database, options, dry_run).await
        }
        Command::Account {
            command:
                AccountCommand::Create {
                    unit_code,
                    username,
                    role,
                    display_name,
                    password_stdin,
                    database,
                },
        } => {
            let password = password_stdin.then(read_password).transpose()?;
            let db = open(&database).await?;
            let spec = crate::accounts::Bootstrap {
                unit_code: unit_code.clone(),
                username,
                display_name,
                role,
                password,
            };
            let (account, generated) = crate::accounts::create(&db, spec).await?;
            println!(
                "Đã tạo tài khoản {} ({}) tại đơn vị {}.",
                account.username,
                account.role.label(),
                unit_code
            );
            if let Some(password) = generated {
                println!("Mật khẩu (chỉ hiện một lần, phải đổi khi đăng nhập lần đầu): {password}");
            }
            Ok(())
        }
        Command::Account {
            command:
                AccountCommand::ResetPassword {
                    username,
                    password_stdin,
                    database,
                },
        } => {
            let password = password_stdin.then(read_password).transpose()?;
            let db = open(&database).await?;
            let (account, generated) =
                crate::accounts::reset_password(&db, &username, password).await?;
            println!(
                "Đã đặt lại mật khẩu của tài khoản {}; mọi phiên đăng nhập của tài khoản đã kết thúc.",
                account.username
            );
            if let Some(password) = generated {
                println!(
                    "Mật khẩu một lần (chỉ hiện một lần, phải đổi khi đăng nhập lần tới): {password}"
                );
            }
            Ok(())
        }
        Command::Schema => {
            print!("{}", api::sdl());
            Ok(())
        }
        Command::Healthcheck { bind, ready } => crate::healthcheck::run(&bind, ready),
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .context("không đọc được mật khẩu từ stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// The database of a command, migrated.
async fn open(database: &DatabaseArgs) -> anyhow::Result<store::DatabaseConnection> {
    let db = store::connect(&database.url, &database.options()).await?;
    store::migrate(&db).await?;
    Ok(db)
}

async fn import_units(
    file: &std::path::Path,
    database: &DatabaseArgs,
    options: ImportOptions,
    dry_run: bool,
) -> anyhow::Result<()> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("không mở được {}", file.display()))?;
    let rows = import::parse_csv(std::io::BufReader::new(reader))?;
    eprintln!("Đã đọc {} dòng hợp lệ từ {}.", rows.len(), file.display());
    let db = open(database).await?;
    if dry_run {
        let plan = import::plan(&db, &rows).await?;
        print_plan(&plan);
        println!("Kế hoạch: {}.", plan.report);
        let refusals = plan.refusals(options);
        if refusals.is_empty() {
            println!("Chạy thử (--dry-run): chưa ghi gì. Nhập thật sẽ ghi các thay đổi trên.");
        } else {
            println!("Chạy thử (--dry-run): chưa ghi gì. Nhập thật sẽ bị từ chối:");
            for refusal in &refusals {
                println!("- {refusal}. {}", hint(*refusal));
            }
        }
        return Ok(());
    }
    let started = std::time::Instant::now();
    let outcome = crate::seed::import_list(&db, &rows, options, |p| {
        eprint!("\rĐang ghi: {}/{} đơn vị", p.written, p.total);
        let _ = std::io::stderr().flush();
    })
    .await;
    match outcome {
        Ok(plan) => {
            if !plan.is_noop() {
                eprintln!();
            }
            print_plan(&plan);
            println!(
                "Nhập xong trong {:.2} s: {}.",
                started.elapsed().as_secs_f64(),
                plan.report
            );
            Ok(())
        }
        Err(e) => {
            if let ImportError::Refused { plan, refusals } = &e {
                print_plan(plan);
                println!("Kế hoạch: {}.", plan.report);
                let hints: Vec<&str> = refusals.iter().map(|r| hint(*r)).collect();
                bail!("{e}\n{}", hints.join("\n"));
            }
            Err(e.into())
        }
    }
}

/// What to do about a refusal.
fn hint(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Moves(_) => {
            "Nếu đúng là vậy, chạy lại với --allow-moves: các tài khoản đi theo đơn vị của mình."
        }
        Refusal::Removals(_) => {
            "Nếu đúng là vậy, chạy lại với --allow-removals để xoá các đơn vị không còn trong tệp."
        }
        Refusal::RemovalsWithAccounts(_) => {
            "Đơn vị còn tài khoản (kể cả tài khoản đã vô hiệu hoá) không bao giờ bị xoá: hãy \
             chuyển các tài khoản ấy sang đơn vị khác trước."
        }
    }
}

/// One indented line per account.
fn print_accounts<'a>(accounts: impl IntoIterator<Item = &'a AffectedAccount>) {
    for a in accounts {
        let disabled = if a.active {
            ""
        } else {
            ", đã vô hiệu hoá"
        };
        println!(
            "    tài khoản {} (vai trò {}{disabled}) tại {}",
            a.username,
            a.role.as_str(),
            a.unit
        );
    }
}

/// Prints the moves and removals of a plan, each with the accounts it concerns.
fn print_plan(plan: &ImportPlan) {
    if !plan.moves.is_empty() {
        println!("Đổi đơn vị cấp trên hoặc đổi cấp ({}):", plan.moves.len());
        for m in &plan.moves {
            let mut line = format!("  {}", m.unit);
            if let Some(new_name) = &m.new_name {
                let _ = write!(line, " → {new_name}");
            }
            if m.changes_parent() {
                let name = |p: Option<&UnitLabel>| {
                    p.map_or_else(|| "(không có)".to_owned(), ToString::to_string)
                };
                let _ = write!(
                    line,
                    ": cấp trên {} → {}",
                    name(m.old_parent.as_ref()),
                    name(m.new_parent.as_ref())
                );
            }
            if m.changes_level() {
                let _ = write!(
                    line,
                    "; cấp {} → {}",
                    m.old_level.label(),
                    m.new_level.label()
                );
            }
            println!("{line}");
            print_accounts(&m.accounts);
        }
    }
    if !plan.removals.is_empty() {
        println!("Xoá đơn vị không có trong tệp ({}):", plan.removals.len());
        for r in &plan.removals {
            match &r.parent {
                Some(parent) => println!("  {} (thuộc {parent})", r.unit),
                None => println!("  {}", r.unit),
            }
            print_accounts(&r.accounts);
        }
    }
    // The lists above run to thousands of lines for a new edition: repeat what concerns
    // accounts at the end, where it is read.
    let mut carried: Vec<&AffectedAccount> = plan.moves.iter().flat_map(|m| &m.accounts).collect();
    carried.sort_by(|a, b| a.username.cmp(&b.username));
    carried.dedup_by(|a, b| a.username == b.username);
    if !carried.is_empty() {
        println!("Tài khoản đi theo đơn vị được chuyển ({}):", carried.len());
        print_accounts(carried);
    }
    let blocked: Vec<&Removal> = plan.blocked_removals().collect();
    if !blocked.is_empty() {
        println!(
            "Đơn vị cần xoá nhưng còn tài khoản, không xoá được ({}):",
            blocked.len()
        );
        for r in blocked {
            println!("  {}", r.unit);
            print_accounts(&r.accounts);
        }
    }
}

/// `tcd stats pull`: one pull of every page with a stored token.
async fn pull_stats(
    database: &DatabaseArgs,
    graph: &crate::config::GraphArgs,
) -> anyhow::Result<()> {
    let db = open(database).await?;
    let graph = graph
        .graph()?
        .ok_or_else(|| anyhow::anyhow!("cần TCD_TOKEN_KEY để đọc mã truy cập đã lưu"))?;
    let (done, failed) = crate::stats::pull_once(&db, &graph).await?;
    println!("Đã lấy số liệu của {done} trang.");
    for (page_id, code) in &failed {
        println!("Trang {page_id}: {code}");
    }
    Ok(())
}
