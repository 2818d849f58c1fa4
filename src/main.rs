use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Database work runs on blocking threads that mostly wait for one of a few
    // pooled connections: a modest cap keeps a flood from spawning hundreds of
    // threads (each with its own stack and allocator arena).
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(64).build();
    match runtime {
        Ok(rt) => rt.block_on(servizi_lavoro::cli::run(servizi_lavoro::cli::Cli::parse())),
        Err(e) => {
            eprintln!("servizi-lavoro: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}
