//! Reading an uploaded CSV file into named cells with line numbers, before
//! any row is checked: UTF-8 with or without a byte-order mark, CRLF or
//! LF, quoted fields, a header naming known columns. Whatever is wrong with
//! the file as a whole is one validation error; what is wrong with a row is
//! the caller's to report by `line` (the header is line 1).

use crate::backend::{FieldError, ServiceError, ServiceResult};
use std::collections::HashMap;

/// Most rows one file may hold.
pub const MAX_ROWS: usize = 100_000;

/// A parsed file: each row's line number and its cells by column name.
#[derive(Debug)]
pub struct CsvTable {
    columns: HashMap<String, usize>,
    pub rows: Vec<CsvRow>,
}

#[derive(Debug)]
pub struct CsvRow {
    pub line: u64,
    cells: Vec<String>,
}

impl CsvTable {
    /// The trimmed cell of `column` in `row`; `None` when the file has no
    /// such column or the cell is empty.
    pub fn get<'a>(&self, row: &'a CsvRow, column: &str) -> Option<&'a str> {
        self.raw(row, column).filter(|s| !s.is_empty())
    }

    /// The trimmed cell of `column` in `row`, empty or not; `None` when the
    /// file has no such column.
    pub fn raw<'a>(&self, row: &'a CsvRow, column: &str) -> Option<&'a str> {
        self.columns
            .get(column)
            .and_then(|i| row.cells.get(*i))
            .map(|s| s.trim())
    }

    /// Whether the header names `column`.
    pub fn has_column(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }
}

fn refuse(message: impl Into<String>, line: Option<u64>) -> ServiceError {
    let message = message.into();
    let detail = match line {
        Some(l) => FieldError::at_line(l, "file", message.clone()),
        None => FieldError::new("file", message.clone()),
    };
    ServiceError::validation(message, vec![detail])
}

/// Counts lines up to a byte offset, moving forward only.
struct LineCounter {
    at: usize,
    line: u64,
}

impl LineCounter {
    fn advance_to(&mut self, bytes: &[u8], to: usize) {
        if to > self.at {
            self.line += bytes[self.at..to].iter().filter(|b| **b == b'\n').count() as u64;
            self.at = to;
        }
    }
}

/// Reads `bytes` as CSV whose header must name every column of `required`
/// and may name those of `optional`, nothing else.
///
/// Fails with `Validation` for a file that is not UTF-8 (with the line of
/// the first bad byte), an empty file, a missing or unknown column, a
/// ragged or unterminated row, or more than [`MAX_ROWS`] rows.
pub fn read(bytes: &[u8], required: &[&str], optional: &[&str]) -> ServiceResult<CsvTable> {
    parse(bytes, &required.join(","), MAX_ROWS, |header| {
        let mut columns = HashMap::new();
        let mut problems = Vec::new();
        for (i, h) in header.iter().enumerate() {
            let name = h.trim().to_ascii_lowercase();
            if !required.contains(&name.as_str()) && !optional.contains(&name.as_str()) {
                problems.push(FieldError::at_line(
                    1,
                    name.clone(),
                    format!("Unknown column '{}'.", h.trim()),
                ));
            } else if columns.insert(name.clone(), i).is_some() {
                problems.push(FieldError::at_line(1, name, "This column appears twice."));
            }
        }
        for r in required {
            if !columns.contains_key(*r) {
                problems.push(FieldError::at_line(
                    1,
                    *r,
                    format!("Column '{r}' is missing."),
                ));
            }
        }
        if problems.is_empty() {
            Ok(columns)
        } else {
            Err(ServiceError::validation(
                format!(
                    "The header must name {}{}.",
                    required.join(","),
                    if optional.is_empty() {
                        String::new()
                    } else {
                        format!(" (and optionally {})", optional.join(","))
                    }
                ),
                problems,
            ))
        }
    })
}

/// Reads `bytes` as CSV with whatever columns its header names (each once),
/// and any number of rows: a file of the operator's own (fixtures, `server
/// import`), whose columns the reader of each table checks.
///
/// Fails with `Validation` as [`read`] does, but for the columns and the
/// number of rows.
pub fn read_any(bytes: &[u8]) -> ServiceResult<CsvTable> {
    parse(bytes, "its columns", usize::MAX, |header| {
        let mut columns = HashMap::new();
        for (i, h) in header.iter().enumerate() {
            let name = h.trim().to_ascii_lowercase();
            if columns.insert(name.clone(), i).is_some() {
                return Err(refuse(format!("Column '{name}' appears twice."), Some(1)));
            }
        }
        Ok(columns)
    })
}

/// Reads `bytes` as CSV: the header's columns by `columns`, at most
/// `max_rows` rows, each with its line; `expected` names the columns for
/// the message about an empty file.
fn parse(
    bytes: &[u8],
    expected: &str,
    max_rows: usize,
    columns: impl FnOnce(&csv::StringRecord) -> ServiceResult<HashMap<String, usize>>,
) -> ServiceResult<CsvTable> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        let line = 1 + bytes[..at].iter().filter(|b| **b == b'\n').count() as u64;
        return Err(refuse(
            format!(
                "The file is not UTF-8 text (line {line}); save it as CSV UTF-8 and try again."
            ),
            Some(line),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        // Row lengths are checked below, where the line number is right.
        .flexible(true)
        .from_reader(bytes);
    let header = reader
        .headers()
        .map_err(|e| refuse(format!("The header cannot be read: {e}"), Some(1)))?
        .clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(refuse(
            format!("The file is empty: it needs a header line naming {expected}."),
            Some(1),
        ));
    }
    let columns = columns(&header)?;
    let mut rows = Vec::new();
    let mut line_of = LineCounter { at: 0, line: 1 };
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map(csv::Position::line);
            refuse(format!("The file cannot be read as CSV: {e}"), line)
        })?;
        // The record's line, counted from its byte offset (the reader's own
        // line count is off after CRLF headers), past any blank lines the
        // reader skipped.
        let mut at = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(bytes.len());
        while at < bytes.len() && (bytes[at] == b'\n' || bytes[at] == b'\r') {
            at += 1;
        }
        line_of.advance_to(bytes, at);
        let line = line_of.line;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if record.len() != header.len() {
            return Err(refuse(
                format!(
                    "Line {line} has {} field(s) where the header has {}.",
                    record.len(),
                    header.len()
                ),
                Some(line),
            ));
        }
        if rows.len() == max_rows {
            return Err(refuse(
                format!("A file may hold at most {max_rows} rows."),
                Some(line),
            ));
        }
        rows.push(CsvRow {
            line,
            cells: record.iter().map(str::to_owned).collect(),
        });
    }
    Ok(CsvTable { columns, rows })
}

/// The refusal of an import whose rows have problems: how many lines, and
/// every problem by line. Nothing is written.
pub fn refused(errors: Vec<FieldError>) -> ServiceError {
    let lines: std::collections::HashSet<u64> = errors.iter().filter_map(|e| e.line).collect();
    ServiceError::validation(
        format!(
            "{} line(s) of the file have problems; nothing was imported.",
            lines.len()
        ),
        errors,
    )
}

/// The refusal of a file without rows.
pub fn empty() -> ServiceError {
    ServiceError::validation(
        "The file has no rows to import.",
        vec![FieldError::new("file", "The file has no rows to import.")],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(e: ServiceError) -> Vec<(Option<u64>, String)> {
        match e {
            ServiceError::Validation { details, .. } => {
                details.into_iter().map(|d| (d.line, d.message)).collect()
            }
            other => panic!("not a validation error: {other:?}"),
        }
    }

    #[test]
    fn reads_bom_crlf_and_quoted_fields_with_line_numbers() {
        let t = read(
            b"\xEF\xBB\xBFperiod,amount\r\n2026-01,\"1,000.00\"\r\n\r\n2026-02,5\r\n",
            &["period", "amount"],
            &[],
        )
        .expect("reads");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.get(&t.rows[0], "amount"), Some("1,000.00"));
        assert_eq!(t.rows[0].line, 2);
        assert_eq!(t.rows[1].line, 4);
    }

    #[test]
    fn refuses_ragged_rows_unknown_columns_and_non_utf8() {
        let e = read(b"period,amount\n2026-01\n", &["period", "amount"], &[]).unwrap_err();
        assert_eq!(lines_of(e)[0].0, Some(2));
        let e = read(b"period,amount,colour\n", &["period", "amount"], &[]).unwrap_err();
        assert_eq!(lines_of(e)[0].1, "Unknown column 'colour'.");
        let e = read(b"period\n", &["period", "amount"], &[]).unwrap_err();
        assert_eq!(lines_of(e)[0].1, "Column 'amount' is missing.");
        let e = read(
            b"period,amount\n2026-01,1\n2026-02,\xFF\n",
            &["period", "amount"],
            &[],
        )
        .unwrap_err();
        assert_eq!(lines_of(e)[0].0, Some(3));
        let e = read(b"", &["period"], &[]).unwrap_err();
        assert!(lines_of(e)[0].1.starts_with("The file is empty"));
    }
}
