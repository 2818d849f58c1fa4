use super::manager::{Conn, Manager};
use diesel::prelude::*;
use diesel::r2d2::{CustomizeConnection, Pool};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    // SqliteConnection accepts any path, so it must come last.
    Sqlite(diesel::SqliteConnection),
}

pub type DbPool = Pool<Manager>;

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database migration: {0}")]
    Migration(String),
    #[error("database connection: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("database task: {0}")]
    Task(#[from] tokio::task::JoinError),
    #[error("database file: {0}")]
    Io(#[from] std::io::Error),
    /// A group commit's failure, told to each of the writes it carried.
    #[error(transparent)]
    Shared(std::sync::Arc<DbError>),
    #[error("database: the group commit ended before the write was committed")]
    GroupCommit(#[from] tokio::sync::oneshot::error::RecvError),
}

/// Set on every new connection.
///
/// SQLite: enforce foreign keys, wait for a busy writer instead of failing,
/// and sync less often (safe in WAL, which [`connect`] sets in the file).
///
/// PostgreSQL: plan each prepared statement once (`force_generic_plan`).
/// Left to itself, PostgreSQL planned the list queries again on every run
/// (a custom plan looks cheaper when it knows the LIMIT and the day), and
/// planning cost more than running: 0.34 ms against 0.21 ms for a studio's
/// client page, whose generic plan is the same index scan. Every query here
/// is a lookup by key or a keyset page over an index made for it, so a plan
/// that ignores the values loses nothing; `scripts/load-lists` prints the
/// generic plans of the long lists at national size.
#[derive(Debug)]
struct SessionSettings;

impl CustomizeConnection<Conn, diesel::r2d2::Error> for SessionSettings {
    fn on_acquire(&self, conn: &mut Conn) -> Result<(), diesel::r2d2::Error> {
        let settings = match &mut **conn {
            AnyConnection::Sqlite(_) => {
                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;"
            }
            AnyConnection::Postgresql(_) => "SET plan_cache_mode = force_generic_plan",
        };
        diesel::connection::SimpleConnection::batch_execute(&mut **conn, settings)
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

fn is_postgres(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Only the portal's user may read its data: the folder 0700, files 0600.
#[cfg(unix)]
pub fn private(path: &std::path::Path, dir: bool) {
    use std::os::unix::fs::PermissionsExt;
    let mode = if dir { 0o700 } else { 0o600 };
    if let Err(e) = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)) {
        tracing::warn!(path = %path.display(), error = %e, "could not restrict permissions");
    }
}

#[cfg(not(unix))]
pub fn private(_: &std::path::Path, _: bool) {}

/// Connections the pool keeps open when nothing asks for them.
const IDLE_CONNECTIONS: u32 = 1;

/// Opens a pool (creating the SQLite file's folder if needed) and applies
/// pending migrations, so a fresh machine needs no set-up step.
pub fn connect(url: &str, max_size: u32) -> Result<DbPool, DbError> {
    connect_telling(url, max_size, Box::new(diesel::r2d2::LoggingErrorHandler))
}

/// [`connect`], telling `errors` of each connection the pool fails to open.
fn connect_telling(
    url: &str,
    max_size: u32,
    errors: Box<dyn diesel::r2d2::HandleError<diesel::r2d2::Error>>,
) -> Result<DbPool, DbError> {
    if !is_postgres(url) {
        if let Some(dir) = std::path::Path::new(url).parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
            private(dir, true);
        }
        // Readers beside the writer (WAL). The mode is kept in the file, so
        // it is set once here, before the pool opens its connections: when
        // each asked for it, on a new file they raced to switch the mode and
        // the losers were refused ("database is locked", logged as an error
        // on a fresh machine's first start).
        let mut first = diesel::SqliteConnection::establish(url)?;
        diesel::connection::SimpleConnection::batch_execute(&mut first, "PRAGMA journal_mode = WAL")?;
    }
    let pool = Pool::builder()
        .max_size(max_size)
        // Connections open as requests need them (and close after ten idle
        // minutes): an idle instance keeps one, not the whole pool. Each
        // SQLite connection holds its own copy of the schema, about 230 KiB.
        .min_idle(Some(IDLE_CONNECTIONS.min(max_size)))
        .connection_timeout(std::time::Duration::from_secs(10))
        .connection_customizer(Box::new(SessionSettings))
        .error_handler(errors)
        .build(Manager::new(url))?;
    migrate(&mut *pool.get()?)?;
    if !is_postgres(url) {
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{url}{suffix}"));
            if file.exists() {
                private(&file, false);
            }
        }
    }
    Ok(pool)
}

/// The advisory-lock key that serialises migrations between instances.
const MIGRATION_LOCK: i64 = 0x5e12_0000;

/// Applies the embedded migrations of the connection's backend. Instances
/// started together on one PostgreSQL take turns (an advisory lock), so none
/// dies creating a type another is creating.
pub fn migrate(conn: &mut AnyConnection) -> Result<usize, DbError> {
    let applied = match conn {
        AnyConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
        AnyConnection::Postgresql(c) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(c)?;
            let applied = c.run_pending_migrations(PG_MIGRATIONS).map(|v| v.len());
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(c)?;
            applied
        }
    };
    applied.map_err(|e| DbError::Migration(e.to_string()))
}

/// Hands back what the idle SQLite connections cached while the server
/// started (the migrations, the demo data): each keeps up to 2 MB of the
/// pages it read, pages no request is about to read again (the system's
/// file cache still holds them). Connections in use are left as they are.
pub fn release_start_up_memory(pool: &DbPool) {
    // The idle ones only: taking one makes the pool open another to keep one idle.
    let idle: Vec<_> = (0..pool.state().idle_connections).map_while(|_| pool.try_get()).collect();
    for mut conn in idle {
        if let AnyConnection::Sqlite(c) = &mut **conn {
            if let Err(e) = diesel::connection::SimpleConnection::batch_execute(c, "PRAGMA shrink_memory") {
                tracing::debug!(error = %e, "a connection's cache could not be released");
            }
        }
    }
}

/// SQLite refuses at once (rather than waiting) when two transactions that
/// both read want to write: the whole unit of work is then run again.
pub(super) fn busy(e: &diesel::result::Error) -> bool {
    matches!(e, diesel::result::Error::DatabaseError(_, info) if info.message().contains("database is locked") || info.message().contains("busy"))
}

/// Runs `f` as one transaction (off the async runtime, like [`with_conn`]):
/// every write that changes more than one row, or goes with a message,
/// commits whole or not at all. Retried whole when SQLite refuses it as busy.
pub async fn transaction<T, F>(pool: &DbPool, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: Fn(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
{
    with_conn(pool, move |c| c.transaction(|c| f(c))).await
}

/// A read by key (a session, a membership, a delega): on SQLite it runs at
/// once on the calling thread when a connection is idle. SQLite is in the
/// process and such a read takes microseconds, less than handing it to a
/// blocking thread and back (measured: the hand-offs were a quarter of a
/// signed-in page's time); WAL readers never wait for the writer. Anything
/// else (PostgreSQL, whose reads wait on the network; no idle connection; a
/// read refused as busy) goes to the blocking pool like [`with_conn`]. Only
/// for reads that touch a handful of rows through an index.
pub async fn read<T, F>(pool: &DbPool, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: Fn(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
{
    if let Some(mut conn) = pool.try_get() {
        if matches!(**conn, AnyConnection::Sqlite(_)) {
            match f(&mut conn) {
                Err(e) if busy(&e) => {}
                other => return Ok(other?),
            }
        }
    }
    with_conn(pool, f).await
}

/// Runs blocking diesel work on the blocking thread pool, off the async
/// runtime; a unit of work refused because the database was busy is retried
/// a few times, so `f` must be safe to run again (it is one transaction).
pub async fn with_conn<T, F>(pool: &DbPool, f: F) -> Result<T, DbError>
where
    T: Send + 'static,
    F: Fn(&mut AnyConnection) -> QueryResult<T> + Send + 'static,
{
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let waited = std::time::Instant::now();
        let mut conn = pool.get()?;
        metrics::histogram!("db_pool_wait_seconds").record(waited.elapsed().as_secs_f64());
        let mut attempt = 0u32;
        loop {
            match f(&mut conn) {
                Err(e) if busy(&e) && attempt < 6 => {
                    attempt += 1;
                    std::thread::sleep(std::time::Duration::from_millis(5 << attempt));
                }
                other => return Ok(other?),
            }
        }
    })
    .await?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(size: u32) -> (tempfile::TempDir, DbPool) {
        let dir = tempfile::tempdir().expect("dir");
        let pool = connect(&dir.path().join("r.db").display().to_string(), size).expect("pool");
        (dir, pool)
    }

    /// A new SQLite file whose pool is asked for every connection at once:
    /// all open, and none is refused (they raced to switch the file to WAL).
    /// A guard more than a proof: the race needs release-build timings (a
    /// fresh release server logged the refusal on 5 of 25 first starts
    /// before, 0 of 25 after), and shows here only now and then.
    #[test]
    fn a_new_database_opens_every_connection_at_first_try() {
        #[derive(Debug, Default)]
        struct Count(std::sync::Arc<std::sync::atomic::AtomicUsize>);
        impl diesel::r2d2::HandleError<diesel::r2d2::Error> for Count {
            fn handle_error(&self, _: diesel::r2d2::Error) {
                self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let failed = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        for _ in 0..20 {
            let dir = tempfile::tempdir().expect("dir");
            let url = dir.path().join("new.db").display().to_string();
            let pool = connect_telling(&url, 8, Box::new(Count(failed.clone()))).expect("pool");
            // Eight requests at the same instant, each holding its connection
            // until all have one: the pool opens the missing ones together.
            let all = std::sync::Barrier::new(8);
            std::thread::scope(|s| {
                for _ in 0..8 {
                    s.spawn(|| {
                        // At the barrier whatever happened, so a refusal fails the test rather than hanging it.
                        let conn = pool.get_timeout(std::time::Duration::from_secs(10));
                        all.wait();
                        conn.expect("conn");
                    });
                }
            });
            assert_eq!(pool.state().connections, 8);
        }
        assert_eq!(failed.load(std::sync::atomic::Ordering::SeqCst), 0, "connections refused on a new file");
    }

    /// See `.cargo/config.toml`: without QPSG every query with a `LIMIT ?`
    /// (every `.first()`, every page) is prepared again on each run.
    #[test]
    fn the_bundled_sqlite_keeps_statements_prepared() {
        #[derive(QueryableByName)]
        struct Opt {
            #[diesel(sql_type = diesel::sql_types::Text)]
            compile_options: String,
        }
        let (_dir, pool) = scratch(1);
        let opts: Vec<String> = diesel::sql_query("PRAGMA compile_options")
            .load::<Opt>(&mut **pool.get().expect("conn"))
            .expect("options")
            .into_iter()
            .map(|o| o.compile_options)
            .collect();
        assert!(opts.iter().any(|o| o == "ENABLE_QPSG"), "{opts:?}");
        assert!(opts.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"), "{opts:?}");
    }

    #[tokio::test]
    async fn a_sqlite_read_runs_on_the_calling_thread() {
        let (_dir, pool) = scratch(2);
        let here = std::thread::current().id();
        let ran_on = read(&pool, |_| Ok(std::thread::current().id())).await.expect("read");
        assert_eq!(ran_on, here);
    }

    #[tokio::test]
    async fn with_no_idle_connection_a_read_waits_on_the_blocking_pool() {
        let (_dir, pool) = scratch(1);
        let held = pool.get().expect("conn");
        let here = std::thread::current().id();
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            drop(held);
        });
        let ran_on = read(&pool, |_| Ok(std::thread::current().id())).await.expect("read");
        assert_ne!(ran_on, here);
        release.join().expect("release");
    }
}
