//! CSV files to download (activity, Dimissioni lists). Cells come from what
//! people typed (names, organisation names), so a cell that a spreadsheet
//! would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return or line
//! feed first, also after leading spaces or quotes) is written with a leading
//! apostrophe, as OWASP advises; and every cell is quoted, so a spreadsheet
//! that splits on `;` (Excel in Italian) never splits a cell and makes a
//! formula of its second half.
use crate::error::{AppError, AppResult};
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The cell as a spreadsheet will only ever show it.
fn inert(cell: String) -> String {
    let first = cell.trim_start_matches([' ', '"', '\'']).chars().next();
    match first {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '\n') => format!("'{cell}"),
        _ => match cell.chars().next() {
            Some('\t' | '\r' | '\n') => format!("'{cell}"),
            _ => cell,
        },
    }
}

/// The header, then the rows, each cell inert and quoted.
fn encode<const N: usize>(header: [String; N], rows: Vec<[String; N]>) -> AppResult<Vec<u8>> {
    let fail = |e: csv::Error| AppError::other("csv", e);
    let mut out = csv::WriterBuilder::new().quote_style(csv::QuoteStyle::Always).from_writer(Vec::new());
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
        assert_eq!(text, "\"a\",\"b\"\n\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",\"Rossi\"\n");
    }

    #[test]
    fn formulas_are_written_as_text() {
        assert_eq!(inert("=HYPERLINK(\"http://x\")".into()), "'=HYPERLINK(\"http://x\")");
        for c in ["+1", "-1", "@SUM(A1)", "\tx", "\rx", "\nx", "  =1+1", "\"=1+1", "' @A1"] {
            assert!(inert(c.into()).starts_with('\''), "{c:?}");
        }
        assert_eq!(inert("Mario Rossi".into()), "Mario Rossi");
        assert_eq!(inert(String::new()), "");
    }

    #[test]
    fn a_semicolon_never_splits_a_cell() {
        let rows = vec![["Rossi;=cmd|' /C calc'!A0".to_string(), "x".to_string()]];
        let text = String::from_utf8(encode(["a".into(), "b".into()], rows).expect("csv")).expect("utf-8");
        assert!(text.contains("\"Rossi;=cmd|' /C calc'!A0\""), "{text}");
    }
}
