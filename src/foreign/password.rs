//! Passwords: a policy by length and against common passwords (no
//! composition rules, as NIST SP 800-63B advises), and Argon2id hashing with
//! at least OWASP's parameters, off the async runtime and a few at a time so
//! a flood of sign-ins can neither starve other pages nor exhaust memory.
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use std::sync::mpsc::{sync_channel, SyncSender, TrySendError};
use std::sync::{LazyLock, Mutex};

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;
/// OWASP's minimum for Argon2id: 19 MiB, 2 iterations, 1 lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const LANES: u32 = 1;

const COMMON: &str = include_str!("common-passwords.txt");

static COMMON_SET: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| COMMON.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).collect());

type Job = Box<dyn FnOnce() + Send>;

/// Hashes that may wait in line; past that a request is answered 503 at
/// once (with Retry-After) instead of queueing without bound.
pub const QUEUE: usize = 16;

/// Jobs handed to the hashing threads and not started yet.
static WAITING: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// True when the line is full: a sign-in can be answered 503 before any
/// other work (a flood's refusals then cost almost nothing).
pub fn busy() -> bool {
    WAITING.load(std::sync::atomic::Ordering::Relaxed) >= QUEUE
}

/// Dedicated threads do all the hashing: one core stays free for pages
/// (`cores − 1`, at least one), at most that many hashes run at once (each
/// takes 19 MiB), a bounded line waits, and the 19 MiB blocks are reused by
/// the same threads instead of spreading over the blocking pool's threads.
static HASHERS: LazyLock<Mutex<SyncSender<Job>>> = LazyLock::new(|| {
    let (tx, rx) = sync_channel::<Job>(QUEUE);
    let rx = std::sync::Arc::new(Mutex::new(rx));
    let n = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).saturating_sub(1).max(1);
    for i in 0..n {
        let rx = rx.clone();
        let spawned = std::thread::Builder::new().name(format!("argon2-{i}")).spawn(move || {
            lower_priority();
            loop {
                let job = match rx.lock() {
                    Ok(guard) => guard.recv(),
                    Err(_) => return,
                };
                match job {
                    Ok(job) => job(),
                    Err(_) => return,
                }
            }
        });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "could not start a hashing thread");
        }
    }
    Mutex::new(tx)
});

/// Pages come first: under a flood of sign-ins the scheduler lets the
/// request threads run before the hashing ones (nice 10, this thread only).
#[allow(unsafe_code)] // The one exception: libc has no safe wrapper for setpriority.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid and setpriority only read their integer arguments.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        if libc::setpriority(libc::PRIO_PROCESS, tid, 10) != 0 {
            tracing::warn!("could not lower the priority of a hashing thread");
        }
    }
}

/// Runs `f` on a hashing thread and waits for it without blocking the runtime.
/// A job whose requester has gone (the client closed the connection) is dropped.
async fn on_hasher<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, HashError> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let queued = std::time::Instant::now();
    let job: Job = Box::new(move || {
        let left = WAITING.fetch_sub(1, std::sync::atomic::Ordering::Relaxed).saturating_sub(1);
        metrics::gauge!("argon2_queue_depth").set(left as f64);
        metrics::histogram!("argon2_wait_seconds").record(queued.elapsed().as_secs_f64());
        if !tx.is_closed() {
            // The request may have given up waiting: nobody to tell.
            drop(tx.send(f()));
        }
    });
    let sender = HASHERS.lock().map_err(|e| HashError::Failed(e.to_string()))?.clone();
    let depth = WAITING.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    metrics::gauge!("argon2_queue_depth").set(depth as f64);
    match sender.try_send(job) {
        Ok(()) => {}
        Err(e) => {
            WAITING.fetch_sub(1, std::sync::atomic::Ordering::Relaxed);
            return Err(match e {
                TrySendError::Full(_) => HashError::Busy,
                TrySendError::Disconnected(_) => HashError::Failed("no hashing thread".into()),
            });
        }
    }
    rx.await.map_err(|e| HashError::Failed(e.to_string()))
}

/// Why a new password is refused (message keys).
pub fn check_policy(password: &str, personal: &[&str]) -> Result<(), &'static str> {
    let chars = password.chars().count();
    if chars < MIN_LENGTH {
        return Err("password-too-short");
    }
    if chars > MAX_LENGTH {
        return Err("password-too-long");
    }
    let lower = password.to_lowercase();
    if COMMON_SET.contains(lower.as_str()) {
        return Err("password-common");
    }
    // A common password padded or repeated ("password2024!", "qwertyqwerty").
    let letters: String = lower.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() >= 4
        && COMMON_SET.contains(letters.as_str())
        && lower.chars().filter(|c| c.is_alphabetic()).count() * 2 >= chars
    {
        return Err("password-common");
    }
    let distinct: std::collections::HashSet<char> = lower.chars().collect();
    if distinct.len() < 4 {
        return Err("password-common");
    }
    for p in personal.iter().map(|p| p.trim().to_lowercase()).filter(|p| p.len() >= 4) {
        if lower.contains(&p) {
            return Err("password-personal");
        }
    }
    Ok(())
}

/// 128 random bits of salt.
fn new_salt() -> Result<SaltString, argon2::password_hash::Error> {
    let bytes: [u8; 16] = rand::random();
    SaltString::encode_b64(&bytes)
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, LANES, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// The line is full: try again shortly (503 with Retry-After).
    #[error("password hashing: too many waiting")]
    Busy,
    #[error("password hashing: {0}")]
    Failed(String),
}

impl From<HashError> for crate::error::AppError {
    fn from(e: HashError) -> Self {
        match e {
            HashError::Busy => crate::error::AppError::Busy { retry_after_secs: 2 },
            other => crate::error::AppError::other("password hashing", other),
        }
    }
}

/// The PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`): parameters travel
/// with the hash, so they can be raised and old hashes upgraded at sign-in.
pub async fn hash(password: String) -> Result<String, HashError> {
    on_hasher(move || {
        let salt = new_salt().map_err(|e| HashError::Failed(e.to_string()))?;
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError::Failed(e.to_string()))
    })
    .await?
}

/// Checks `password` against `phc`; also says whether the hash should be
/// redone with today's parameters.
pub async fn verify(password: String, phc: String) -> Result<(bool, bool), HashError> {
    on_hasher(move || {
        let parsed = PasswordHash::new(&phc).map_err(|e| HashError::Failed(e.to_string()))?;
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok((ok, ok && needs_rehash(&parsed)))
    })
    .await?
}

fn needs_rehash(parsed: &PasswordHash) -> bool {
    let Ok(params) = Params::try_from(parsed) else { return true };
    parsed.algorithm.as_str() != "argon2id" || params.m_cost() < MEMORY_KIB || params.t_cost() < ITERATIONS
}

/// A fixed-cost verification for unknown accounts, so timing tells nothing;
/// a full line answers the same as for a known account.
pub async fn verify_dummy(password: String) -> Result<(), HashError> {
    static DUMMY: LazyLock<String> = LazyLock::new(|| {
        new_salt()
            .and_then(|salt| argon2().hash_password(b"not a password", &salt).map(|h| h.to_string()))
            .unwrap_or_default()
    });
    verify(password, DUMMY.clone()).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_is_about_length_and_common_passwords() {
        assert_eq!(check_policy("short", &[]), Err("password-too-short"));
        assert_eq!(check_policy("password1234", &[]), Err("password-common"));
        assert_eq!(check_policy("aaaaaaaaaaaaaaa", &[]), Err("password-common"));
        assert_eq!(check_policy("maria.garcia.long", &["Maria"]), Err("password-personal"));
        assert_eq!(check_policy("correct horse battery", &["Maria"]), Ok(()));
        assert_eq!(check_policy("tramonto sul Nilo 88", &[]), Ok(()));
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters() {
        let phc = hash("tramonto sul Nilo 88".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert_eq!(verify("tramonto sul Nilo 88".into(), phc.clone()).await.unwrap(), (true, false));
        assert_eq!(verify("tramonto sul Nilo 89".into(), phc).await.unwrap(), (false, false));
        // A weaker old hash verifies and asks to be redone.
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8192, 1, 1, None).unwrap())
            .hash_password(b"old password here", &new_salt().unwrap())
            .unwrap()
            .to_string();
        assert_eq!(verify("old password here".into(), weak).await.unwrap(), (true, true));
    }
}
