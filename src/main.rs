use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    servizi_lavoro::cli::run(servizi_lavoro::cli::Cli::parse()).await
}
