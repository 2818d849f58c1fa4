//! Storage: one diesel code base over SQLite (the embedded default) and
//! PostgreSQL (production and several instances). Only SQL types both
//! backends share are used: UUIDs as text, times as UTC `Timestamp`.
pub mod csv_rows;
mod group_commit;
mod manager;
mod pool;
pub mod schema;

pub use group_commit::GroupCommit;
pub use manager::Manager;
pub use pool::{
    connect, migrate, private, read, release_start_up_memory, transaction, with_conn, AnyConnection, DbError, DbPool,
    MultiBackend,
};

/// Runs `$body` with `$c` bound to the connection's own backend (the
/// `SqliteConnection` or the `PgConnection` inside an [`AnyConnection`]):
/// the same tokens, type-checked for each. For the reads every signed-in
/// request makes: through `AnyConnection`, diesel writes a query's SQL out
/// again on every run (twice: to learn whether it may be cached, then to
/// collect its values), which cost as much as SQLite's own work for a lookup
/// by key; on its backend, a prepared statement is found by its type.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::AnyConnection::Sqlite($c) => $body,
            $crate::db::AnyConnection::Postgresql($c) => $body,
        }
    };
}
pub(crate) use on_backend;

/// Why a backup was not taken.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the backup file {0} exists already: choose a new name")]
    Exists(String),
    #[error("PostgreSQL is backed up with pg_dump (see the README), not with this command")]
    Postgres,
    #[error("backup: {0}")]
    Db(#[from] diesel::result::Error),
}

/// A consistent copy of the SQLite database into `file` (`VACUUM INTO`:
/// one transaction, safe while the portal serves), ready to be opened as is.
pub fn backup(conn: &mut AnyConnection, file: &std::path::Path) -> Result<(), BackupError> {
    use diesel::RunQueryDsl;
    if file.exists() {
        return Err(BackupError::Exists(file.display().to_string()));
    }
    match conn {
        AnyConnection::Sqlite(_) => {
            let path = file.display().to_string().replace('\'', "''");
            diesel::sql_query(format!("VACUUM INTO '{path}'")).execute(conn)?;
            Ok(())
        }
        AnyConnection::Postgresql(_) => Err(BackupError::Postgres),
    }
}
