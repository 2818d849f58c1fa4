use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// `mi_option_arena_eager_commit` in mimalloc.h (the crate names no constant for it).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;

/// mimalloc commits each arena whole where the OS overcommits, and a server
/// then keeps about 20 MB it never uses. The option is read when the first
/// arena is made, at Rust's first allocation, before `main`: so it is set in
/// a constructor (the ELF `.init_array`, as C programs have), which runs first.
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // Placing a function pointer in the constructors' section.
#[used]
#[link_section = ".init_array"]
static ALLOCATOR_OPTIONS: extern "C" fn() = allocator_options;

extern "C" fn allocator_options() {
    #[allow(unsafe_code)] // Setting an allocator option: a plain C call with two integers.
    // SAFETY: mi_option_set only stores the value; it is read when an arena is made.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

/// Once the server listens: start-up (migrations, keys, demo data) freed
/// memory that the allocators give back to the system only lazily, on later
/// allocations of the same thread, which an idle server never makes. Both
/// are asked to return it now: mimalloc (Rust's allocations) and glibc's
/// malloc (SQLite's, OpenSSL's and libxml2's).
fn release_startup_memory() {
    #[allow(unsafe_code)] // Plain C calls, without arguments to get wrong.
    // SAFETY: both only return free memory to the system; no live allocation moves.
    unsafe {
        libmimalloc_sys::mi_collect(true);
        #[cfg(target_env = "gnu")]
        libc::malloc_trim(0);
    }
}

fn main() -> ExitCode {
    // Database work runs on blocking threads that mostly wait for one of a few
    // pooled connections: a modest cap keeps a flood from spawning hundreds of
    // threads (each with its own stack and allocator arena).
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(64).build();
    match runtime {
        Ok(rt) => rt.block_on(servizi_lavoro::cli::run(servizi_lavoro::cli::Cli::parse(), release_startup_memory)),
        Err(e) => {
            eprintln!("servizi-lavoro: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}
