use clap::Parser;
use server::cli::Cli;

/// mimalloc returns freed memory to the system within milliseconds. With glibc's allocator a
/// burst of sign-ins left every worker thread's arena holding freed 19 MiB argon2 blocks:
/// 1.2–1.8 GB resident for good after 2,000 sign-ins (`cargo bench --bench hostile`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    server::cli::run(Cli::parse()).await
}
