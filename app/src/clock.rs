//! The one place Concord reads the time: every "now" and "today", on the
//! server and in the browser, comes from here, never from `Utc::now()`
//! directly (`clock_is_read_in_one_place` in the tests guards this).
//!
//! The clock can be moved by whole days — `CONCORD_TODAY` outside
//! production, the fixtures' day in tests — and then everything moves
//! together: the periods judged, the timestamps written, session expiry.
//! The time of day still flows. In the browser the move comes from the page
//! the server rendered (`<meta name="concord-today">`), so both sides agree
//! on "today" whatever the visitor's own clock says.
//!
//! Why a process-wide value and not injected state: one process has one
//! "today", it is read in pure code far from any request (period rules,
//! page components on both sides), and threading it through every call
//! would change nothing but signatures. Only start-up code moves it.

use chrono::{DateTime, NaiveDate, TimeDelta, Timelike, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// Whole days added to the system clock.
static OFFSET_DAYS: AtomicI64 = AtomicI64::new(0);

/// The current instant, to the microsecond: the finest PostgreSQL keeps,
/// so an instant reads the same from either database, and after a move
/// from one to the other (`backend::portable`).
pub fn now() -> DateTime<Utc> {
    let days = OFFSET_DAYS.load(Ordering::Relaxed);
    let now = Utc::now();
    let now = now
        .with_nanosecond(now.nanosecond() / 1_000 * 1_000)
        .unwrap_or(now);
    now.checked_add_signed(TimeDelta::days(days)).unwrap_or(now)
}

/// Today's date, in UTC.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// Moves the clock so that today is `date`, from now on and for the whole
/// process; the time of day keeps flowing.
pub fn set_today(date: NaiveDate) {
    let real = Utc::now().date_naive();
    OFFSET_DAYS.store((date - real).num_days(), Ordering::Relaxed);
}

/// The name of the `<meta>` element through which a rendered page tells the
/// browser the server's today.
pub const META_NAME: &str = "concord-today";

/// Reads the server's today from the rendered page and moves the browser's
/// clock to it. Without the element (a page from elsewhere) nothing moves.
#[cfg(feature = "hydrate")]
pub fn follow_the_page() {
    let content = leptos::prelude::document()
        .query_selector(&format!("meta[name=\"{META_NAME}\"]"))
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"));
    if let Some(date) = content.and_then(|c| c.parse::<NaiveDate>().ok()) {
        set_today(date);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every clock read outside this file would escape a moved clock.
    #[test]
    fn clock_is_read_in_one_place() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let forbidden = ["Utc::now", "Local::now", "SystemTime::now"];
        let mut offenders = Vec::new();
        for dir in [
            "app/src",
            "app/tests",
            "server/src",
            "server/tests",
            "server/benches",
        ] {
            visit(&root.join(dir), &mut |path, text| {
                if path.ends_with("clock.rs") {
                    return;
                }
                for (n, line) in text.lines().enumerate() {
                    if forbidden.iter().any(|f| line.contains(f)) {
                        offenders.push(format!("{}:{}: {}", path.display(), n + 1, line.trim()));
                    }
                }
            });
        }
        assert!(
            offenders.is_empty(),
            "read the time through crate::clock:\n{}",
            offenders.join("\n")
        );
    }

    fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, f);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                f(&path, &text);
            }
        }
    }
}
