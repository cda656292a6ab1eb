//! Validation problems: where (a field path such as `members[2].birth_date`), how bad (an error
//! blocks saving and classification; a warning is shown and may be confirmed), and what, in
//! Vietnamese and English.

use serde::Serialize;

use crate::text::Text;

/// How serious a problem is (data dictionary, "Validation").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The value is impossible or malformed: the record cannot be saved or classified.
    Error,
    /// The value looks wrong but may be true: the collector confirms and keeps it.
    Warning,
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Field path in the dictionary's JSON form, e.g. `members[2].birth_date`; empty for the
    /// record as a whole.
    pub path: String,
    /// Error or warning.
    pub severity: Severity,
    /// A stable machine-readable code (`missing`, `out_of_range`, `unknown_code`, …) for
    /// programs; people read `message`.
    pub code: &'static str,
    /// What is wrong, in words a collector understands.
    pub message: Text,
}

impl Issue {
    /// An error at `path`.
    pub fn error(path: impl Into<String>, code: &'static str, message: Text) -> Self {
        Self { path: path.into(), severity: Severity::Error, code, message }
    }

    /// A warning at `path`.
    pub fn warning(path: impl Into<String>, code: &'static str, message: Text) -> Self {
        Self { path: path.into(), severity: Severity::Warning, code, message }
    }

    /// Whether this problem blocks saving.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() { "(record)" } else { &self.path };
        write!(f, "{path}: {}", self.message)
    }
}

/// Appends `.field` or `[index]` to a field path.
pub fn join_path(parent: &str, field: &str) -> String {
    if parent.is_empty() { field.to_owned() } else { format!("{parent}.{field}") }
}

/// Appends `[index]` to a field path.
pub fn index_path(parent: &str, index: usize) -> String {
    format!("{parent}[{index}]")
}

/// Splits problems into (errors, warnings), keeping their order.
pub fn partition(issues: Vec<Issue>) -> (Vec<Issue>, Vec<Issue>) {
    issues.into_iter().partition(Issue::is_error)
}
