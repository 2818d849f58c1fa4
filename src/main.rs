use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

/// mimalloc's options (`mi_option_t` in mimalloc.h; the crate names no
/// constants for them).
const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// mimalloc 3's own default: memory freed goes back to the system after a
/// second unused, so that a busy server does not return and fault in again
/// the same pages between requests.
const SERVING_PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// mimalloc commits each arena whole where the OS overcommits, and a server
/// then keeps about 20 MB it never uses. The option is read when the first
/// arena is made, at Rust's first allocation, before `main`: so it is set in
/// a constructor (the ELF `.init_array`, as C programs have), which runs first.
/// Start-up also returns what it frees at once (migrations, keys, demo data:
/// a few MB that an idle server would otherwise keep, because mimalloc
/// returns memory only on a later allocation of the thread that freed it),
/// until the server listens ([`serving`]).
#[cfg(target_os = "linux")]
#[allow(unsafe_code)] // Placing a function pointer in the constructors' section.
#[used]
#[link_section = ".init_array"]
static ALLOCATOR_OPTIONS: extern "C" fn() = allocator_options;

extern "C" fn allocator_options() {
    #[allow(unsafe_code)] // Setting allocator options: plain C calls with two integers.
    // SAFETY: mi_option_set only stores the value, read when memory is reserved or freed.
    unsafe {
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
    }
}

/// Once the server listens (called on the thread that started it and on the
/// blocking one that ran the migrations): what start-up freed goes back to
/// the system now, and from here on memory is returned after a second unused.
/// The C libraries' share (SQLite's start-up caches, released just before)
/// is in glibc's arenas: trimmed too.
fn serving() {
    #[allow(unsafe_code)] // Plain C calls, without pointers.
    // SAFETY: the option is a stored integer; a collection or a trim only returns free memory.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, SERVING_PURGE_DELAY_MS);
        libmimalloc_sys::mi_collect(true);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        libc::malloc_trim(0);
    }
}

fn main() -> ExitCode {
    // Database work runs on blocking threads that mostly wait for one of a few
    // pooled connections: a modest cap keeps a flood from spawning hundreds of
    // threads (each with its own stack and allocator arena).
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(64).build();
    match runtime {
        Ok(rt) => rt.block_on(servizi_lavoro::cli::run(servizi_lavoro::cli::Cli::parse(), serving)),
        Err(e) => {
            eprintln!("servizi-lavoro: cannot start the runtime: {e}");
            ExitCode::FAILURE
        }
    }
}
