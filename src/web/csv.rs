//! CSV files to download (activity, Dimissioni lists). Cells come from what
//! people typed (names, organisation names), so a cell that a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! written with a leading apostrophe, as OWASP advises.
use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The cell as a spreadsheet will only ever show it.
fn inert(cell: String) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell,
    }
}

/// The header, then the rows, each cell inert.
fn encode<const N: usize>(header: [String; N], rows: Vec<[String; N]>) -> AppResult<Vec<u8>> {
    let fail = |e: csv::Error| AppError::other("csv", e);
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(header).map_err(fail)?;
    for row in rows {
        out.write_record(row.map(inert)).map_err(fail)?;
    }
    out.into_inner().map_err(|e| AppError::other("csv", e.into_error()))
}

/// A CSV attachment named `name`: the header, then the rows.
pub fn download<const N: usize>(name: &str, header: [String; N], rows: Vec<[String; N]>) -> AppResult<Response> {
    let bytes = encode(header, rows)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::{encode, inert};

    #[test]
    fn a_downloaded_cell_never_runs_as_a_formula() {
        let rows = vec![["=HYPERLINK(\"http://x\",\"y\")".to_string(), "Rossi".to_string()]];
        let text = String::from_utf8(encode(["a".into(), "b".into()], rows).expect("csv")).expect("utf-8");
        assert_eq!(text, "a,b\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",Rossi\n");
    }

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(inert("=HYPERLINK(\"http://x\")".into()), "'=HYPERLINK(\"http://x\")");
        for c in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert(c.into()).starts_with('\''), "{c:?}");
        }
        assert_eq!(inert("Mario Rossi".into()), "Mario Rossi");
        assert_eq!(inert(String::new()), "");
    }
}
