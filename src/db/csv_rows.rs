//! The files the import commands read: UTF-8 CSV separated by `;` with a
//! fixed header. Each row is checked on its own; bad ones are reported by
//! line and left out, so one typo does not lose a whole file.

/// Why an import did not happen at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The header is not the expected one: not this kind of file.
    #[error("the file is not {kind}: the header must be {expected}")]
    Header { kind: &'static str, expected: String },
    #[error("reading the file: {0}")]
    Csv(#[from] csv::Error),
    #[error("database: {0}")]
    Db(#[from] diesel::result::Error),
}

/// Rows left out: (line number, why).
pub type Rejected = Vec<(usize, String)>;

/// The rows of `input` that `parse` accepts, and the others as (line, why).
pub fn read<T>(
    input: impl std::io::Read,
    kind: &'static str,
    header: &[&str],
    parse: impl Fn(&csv::StringRecord) -> Result<T, String>,
) -> Result<(Vec<T>, Rejected), ImportError> {
    let mut reader = csv::ReaderBuilder::new().delimiter(b';').flexible(true).from_reader(input);
    let found: Vec<String> = reader.headers()?.iter().map(|h| h.trim().to_lowercase()).collect();
    if found != header {
        return Err(ImportError::Header { kind, expected: header.join(";") });
    }
    let (mut rows, mut rejected) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        match record.map_err(|e| e.to_string()).and_then(|r| parse(&r)) {
            Ok(row) => rows.push(row),
            // Line 1 is the header.
            Err(why) => rejected.push((i + 2, why)),
        }
    }
    Ok((rows, rejected))
}
