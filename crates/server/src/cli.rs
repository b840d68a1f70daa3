//! The command line: `tcd serve`, `tcd migrate`, `tcd units import FILE`, `tcd schema`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};
use domain::Role;
use store::import;

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
    /// Print the GraphQL schema (the contract in schema.graphql).
    Schema,
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
}

fn parse_role(value: &str) -> Result<Role, String> {
    value
        .parse()
        .map_err(|e: domain::DomainError| e.to_string())
}

#[derive(Debug, Subcommand)]
pub enum UnitsCommand {
    /// Import an official unit list (CSV with the header of the files in data/). Idempotent:
    /// units are matched by code; a file with any bad line changes nothing.
    Import {
        /// The CSV file.
        file: PathBuf,
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
        Command::Migrate(database) => {
            let db = store::connect(&database.url, &database.options()).await?;
            store::migrate(&db).await?;
            println!("Đã áp dụng mọi migration.");
            Ok(())
        }
        Command::Units {
            command: UnitsCommand::Import { file, database },
        } => import_units(&file, &database).await,
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
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .context("không đọc được mật khẩu từ stdin")?;
                Some(line.trim_end_matches(['\r', '\n']).to_owned())
            } else {
                None
            };
            let db = store::connect(&database.url, &database.options()).await?;
            store::migrate(&db).await?;
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
        Command::Schema => {
            print!("{}", api::sdl());
            Ok(())
        }
    }
}

async fn import_units(file: &std::path::Path, database: &DatabaseArgs) -> anyhow::Result<()> {
    let reader =
        std::fs::File::open(file).with_context(|| format!("không mở được {}", file.display()))?;
    let rows = import::parse_csv(std::io::BufReader::new(reader))?;
    eprintln!("Đã đọc {} dòng hợp lệ từ {}.", rows.len(), file.display());
    let db = store::connect(&database.url, &database.options()).await?;
    store::migrate(&db).await?;
    let started = std::time::Instant::now();
    let report = import::import(&db, &rows, |p| {
        eprint!("\rĐang ghi: {}/{} đơn vị", p.written, p.total);
        let _ = std::io::stderr().flush();
    })
    .await?;
    eprintln!();
    println!(
        "Nhập xong trong {:.2} s: {report}.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
