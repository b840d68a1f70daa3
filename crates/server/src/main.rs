use clap::Parser;
use server::cli::Cli;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    server::cli::run(Cli::parse()).await
}
