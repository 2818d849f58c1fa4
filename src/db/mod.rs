//! Storage: one diesel code base over SQLite (the embedded default) and
//! PostgreSQL (production and several instances). Only SQL types both
//! backends share are used: UUIDs as text, times as UTC `Timestamp`.
pub mod csv_rows;
mod pool;
pub mod schema;

pub use pool::{connect, migrate, private, with_conn, AnyConnection, DbError, DbPool};
