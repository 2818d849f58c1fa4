//! The shape of a scheduled clean-up, so each domain owns its own and the
//! scheduler (`maintenance`) needs to know none of them: `app` lists them.
use crate::db::AnyConnection;
use chrono::NaiveDateTime;
use diesel::QueryResult;

/// What one clean-up removed: rows, and the uploaded files they named (the
/// scheduler deletes those once the rows are gone).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub rows: usize,
    pub files: Vec<String>,
}

impl Swept {
    pub fn rows(rows: usize) -> Self {
        Swept { rows, files: Vec::new() }
    }

    /// Adds another clean-up's result.
    pub fn and(mut self, other: Swept) -> Self {
        self.rows += other.rows;
        self.files.extend(other.files);
        self
    }
}

/// One domain's clean-up, run inside the clean-ups' transaction.
pub type Sweep = fn(&mut AnyConnection, NaiveDateTime) -> QueryResult<Swept>;
