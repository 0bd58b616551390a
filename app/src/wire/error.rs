//! The error a caller is told, in API.md's one shape: a `code`, a
//! `message` (a sentence for a person), and `details`, one per field (or
//! CSV line) at fault. The REST API sends it as `{"error": …}`; server
//! functions return it as their error, so a form shows each detail beside
//! its field.

use serde::{Deserialize, Serialize};

/// One problem with one field (or one CSV line).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at_line(line: u64, field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            line: Some(line),
            message: message.into(),
        }
    }

    /// As a list of problems shows it: a CSV line's problem with its line
    /// and column, a field's with its message alone.
    pub fn describe(&self) -> String {
        match self.line {
            Some(l) => format!("Line {l} ({}): {}", self.field, self.message),
            None => self.message.clone(),
        }
    }
}

/// What went wrong, as the caller is told.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AppError {
    /// `bad_request`, `unauthenticated`, `forbidden`, `not_found`,
    /// `conflict`, `payload_too_large`, `validation_failed`,
    /// `too_many_requests`, `busy`, `internal_error`; in the browser also
    /// `unreachable` (the request never got an answer).
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<FieldError>,
}

/// The code of a request that got no answer (in the browser only).
pub const UNREACHABLE: &str = "unreachable";

/// The code of a request that cannot be read (malformed arguments).
pub const BAD_REQUEST: &str = "bad_request";

impl AppError {
    /// A problem the page found itself, before asking the server.
    pub fn invalid(message: impl Into<String>) -> Self {
        AppError::new("validation_failed", message)
    }

    /// A fault of the server's own (a panic, a database error, missing
    /// wiring): the caller learns only that the request failed.
    pub fn internal() -> Self {
        AppError::new(
            "internal_error",
            "The server could not complete the request.",
        )
    }

    /// The error of a REST answer's body (`{"error": …}`); the body as the
    /// message when it is not in that shape.
    pub fn from_body(body: &str) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            error: AppError,
        }
        serde_json::from_str::<Envelope>(body)
            .map_or_else(|_| AppError::new(BAD_REQUEST, body), |e| e.error)
    }

    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        AppError {
            code: code.into(),
            message: message.into(),
            details: Vec::new(),
        }
    }

    /// The message with each field problem after it, for a form that
    /// shows one sentence.
    pub fn sentence(&self) -> String {
        if self.details.is_empty() {
            return self.message.clone();
        }
        let parts: Vec<String> = self
            .details
            .iter()
            // A lone problem is often the message itself: said once.
            .filter(|d| d.line.is_some() || d.message != self.message)
            .map(|d| match d.line {
                Some(l) => format!("line {l}, {}: {}", d.field, d.message),
                None => format!("{}: {}", d.field, d.message),
            })
            .collect();
        if parts.is_empty() {
            return self.message.clone();
        }
        format!("{} {}", self.message, parts.join("; "))
    }

    /// The messages of the details about `field` or any part of it
    /// (`parties` covers `parties[2].role`), joined.
    pub fn about(&self, field: &str) -> Option<String> {
        let found: Vec<&str> = self
            .details
            .iter()
            .filter(|d| {
                d.field
                    .strip_prefix(field)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
            })
            .map(|d| d.message.as_str())
            .collect();
        (!found.is_empty()).then(|| found.join(" "))
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for AppError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn details_are_found_by_field_and_its_parts() {
        let e = AppError {
            details: vec![
                FieldError::new("parties[0].role", "A lead is needed."),
                FieldError::new("parties", "Twice."),
                FieldError::new("party_count", "Other."),
                FieldError::at_line(3, "period", "Not ended."),
            ],
            ..AppError::new("validation_failed", "2 problems.")
        };
        assert_eq!(
            e.about("parties").as_deref(),
            Some("A lead is needed. Twice.")
        );
        assert_eq!(e.about("title"), None);
        assert_eq!(
            e.sentence(),
            "2 problems. parties[0].role: A lead is needed.; parties: Twice.; \
             party_count: Other.; line 3, period: Not ended."
        );
        // A lone problem that is the message is said once.
        let lone = AppError {
            details: vec![FieldError::new("period", "Outside the term.")],
            ..AppError::new("validation_failed", "Outside the term.")
        };
        assert_eq!(lone.sentence(), "Outside the term.");
    }
}
