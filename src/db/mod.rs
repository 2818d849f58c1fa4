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
pub use pool::{connect, migrate, private, read, transaction, with_conn, AnyConnection, DbError, DbPool, MultiBackend};

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
