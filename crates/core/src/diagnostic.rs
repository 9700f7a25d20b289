//! Errors about input: where they are, and what is wrong.
//!
//! Every problem with a submission, a pack, a params file or a test file is a
//! [`Diagnostic`] that names the file, the JSON path inside it and, when the
//! source is YAML or JSON text, the line and column. Loading collects as many
//! diagnostics as it can before giving up, so a person fixes them in one pass.

use std::fmt;

use crate::untrusted::Text;

pub use crate::code::Code;

/// Where in which file a problem is.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Location {
    /// The file as the user named it (or `<stdin>`, `<bundled>/NAME.yaml`).
    pub file: String,
    /// JSON Pointer (RFC 6901) to the offending value; empty for the whole document.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub pointer: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

impl Location {
    /// A location in `file` at `pointer`, line and column unknown.
    pub fn new(file: impl Into<String>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            pointer: pointer.into(),
            line: None,
            column: None,
        }
    }

    /// The same location with a line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }
}

impl Location {
    /// `file:line:col` (or less, when line and column are unknown), without the pointer.
    pub fn file_line(&self) -> String {
        struct Position<'a>(&'a Location);
        impl fmt::Display for Position<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.write_position(f)
            }
        }
        Position(self).to_string()
    }

    /// Writes `file:line:col`, or as much of it as is known.
    fn write_position(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", Text(&self.file))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Location {
    /// `file:line:col` when the line is known, then ` at /json/pointer`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_position(f)?;
        if !self.pointer.is_empty() {
            write!(f, " at {}", Text(&self.pointer))?;
        }
        Ok(())
    }
}

/// One problem with an input.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// What kind of problem: serialized as its stable kebab-case name, e.g.
    /// `schema`, `unknown-unit`, `cel-syntax` ([`Code`] lists them). Tests and
    /// `--format json` rely on it.
    pub code: Code,
    /// What is wrong, for a person: names the field and the value found.
    pub message: String,
    /// Where.
    pub location: Location,
    /// An optional hint on how to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with `code` and `message` at `location`.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            location,
            help: None,
        }
    }

    /// The same diagnostic with a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: code: message` (the format of `recert lint`), then the
    /// JSON path when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        loc.write_position(f)?;
        write!(f, ": {}: {}", self.code, Text(&self.message))?;
        if !loc.pointer.is_empty() {
            write!(f, " (at {})", Text(&loc.pointer))?;
        }
        Ok(())
    }
}

/// One or more diagnostics: the error type of everything that reads input.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// How many diagnostics of one document are shown in full.
    pub const SHOWN: usize = 100;

    /// `list` (ordered) cut to its first [`Self::SHOWN`], then one
    /// diagnostic that counts the rest and states the cap.
    pub fn capped(file: &str, mut list: Vec<Diagnostic>) -> Self {
        if list.len() > Self::SHOWN {
            let more = list.len() - Self::SHOWN;
            list.truncate(Self::SHOWN);
            list.push(Diagnostic::new(
                Code::MoreErrors,
                Location::new(file, ""),
                format!(
                    "and {more} more error{} (only the first {} are shown)",
                    if more == 1 { "" } else { "s" },
                    Self::SHOWN
                ),
            ));
        }
        Diagnostics(list)
    }

    /// A list of one.
    pub fn one(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// `Ok(value)` when empty, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Iterates over the diagnostics.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics::one(diagnostic)
    }
}

impl fmt::Display for Diagnostics {
    /// One diagnostic a line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
