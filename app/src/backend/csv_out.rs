//! The one CSV writer of every export. A cell a spreadsheet would read as
//! a formula is neutralised as OWASP's CSV-injection guidance says: when it
//! starts with `=`, `+`, `-`, `@`, a tab, a carriage return or a line feed,
//! it gets a leading `'` so the spreadsheet shows it as text. A plain number
//! (`-1500.00`, `+3`, `12.5`) is left as it is, so it stays a number.

use std::borrow::Cow;

/// `cell` safe to open in a spreadsheet.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r' | '\n'));
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An optional sign, digits, and at most one decimal point between digits.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `rows` (the first is usually the header) as CSV text, every cell
/// neutralised.
pub fn to_csv<R, C>(rows: impl IntoIterator<Item = R>) -> String
where
    R: IntoIterator<Item = C>,
    C: AsRef<str>,
{
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    for row in rows {
        let cells: Vec<String> = row
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        // Writing to memory cannot fail.
        let _ = w.write_record(&cells);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_stay_numbers() {
        for (cell, want) in [
            (
                "=HYPERLINK(\"https://x\"&A2,\"x\")",
                "'=HYPERLINK(\"https://x\"&A2,\"x\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-1500.00", "-1500.00"),
            ("+3", "+3"),
            ("12.5", "12.5"),
            ("0", "0"),
            ("AGR-2026-0001", "AGR-2026-0001"),
            ("Service Canada", "Service Canada"),
            ("", ""),
            ("1.2.3", "1.2.3"),
            ("-1.", "'-1."),
        ] {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
    }

    #[test]
    fn rows_are_written_quoted_where_needed() {
        let text = to_csv([vec!["a", "b"], vec!["=1+1", "x, y"]]);
        assert_eq!(text, "a,b\n'=1+1,\"x, y\"\n");
    }
}
