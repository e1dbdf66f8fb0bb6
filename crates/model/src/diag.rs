use serde::{Deserialize, Serialize};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing (scrape damage that was kept as written).
    Warning,
    /// The input, or part of it, could not be read.
    Error,
}

/// Something a stage noticed about its input. Stages never fail on bad input:
/// they return what they could make of it and a list of these.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The source file it concerns.
    pub source: String,
    /// 1-based line, where known.
    pub line: Option<u32>,
    /// Warning or error.
    pub severity: Severity,
    /// A stable machine-readable code, e.g. `duplicate-paragraphs`, `malformed-url`.
    pub code: String,
    /// A sentence for people.
    pub message: String,
}

impl Diagnostic {
    /// An error about `source`.
    pub fn error(source: &str, line: Option<u32>, code: &str, message: impl Into<String>) -> Self {
        Diagnostic {
            source: source.to_string(),
            line,
            severity: Severity::Error,
            code: code.to_string(),
            message: message.into(),
        }
    }

    /// A warning about `source`.
    pub fn warning(
        source: &str,
        line: Option<u32>,
        code: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            source: source.to_string(),
            line,
            severity: Severity::Warning,
            code: code.to_string(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match self.line {
            Some(l) => write!(
                f,
                "{}:{}: {sev}[{}]: {}",
                self.source, l, self.code, self.message
            ),
            None => write!(f, "{}: {sev}[{}]: {}", self.source, self.code, self.message),
        }
    }
}
