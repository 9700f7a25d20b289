//! Input text: where it came from, and reading it safely.

use std::path::Path;

use super::bounded::ReadError;

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// The largest input accepted, in bytes (16 MiB).
pub const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// The syntax of a source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// JSON (RFC 8259).
    Json,
    /// YAML 1.2 (one document).
    Yaml,
}

impl Format {
    /// The syntax of a text that came without a file name (standard input):
    /// `Json` when its first character other than white space is `{` or `[`,
    /// `Yaml` for anything else.
    pub fn sniff(text: &str) -> Format {
        match text
            .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
            .chars()
            .next()
        {
            Some('{' | '[') => Format::Json,
            _ => Format::Yaml,
        }
    }

    /// `Json` for a `.json` file (any case), `Yaml` for anything else.
    pub fn from_path(path: &Path) -> Format {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) if ext.eq_ignore_ascii_case("json") => Format::Json,
            _ => Format::Yaml,
        }
    }
}

/// A text to load, with the name diagnostics call it by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The file as the user named it, or `<stdin>` and the like.
    pub name: String,
    /// The whole text (UTF-8, without a leading byte-order mark).
    pub text: String,
    /// JSON or YAML.
    pub format: Format,
    /// Lowercase hex SHA-256 of the bytes as given (a byte-order mark
    /// included): what `sha256sum` says of the file.
    pub sha256: String,
}

/// The name standard input goes by in diagnostics and reports.
pub const STDIN_NAME: &str = "<stdin>";

impl Source {
    /// Reads `path`, refusing what is not a regular file (a device, a FIFO:
    /// see [`read_bounded`](super::read_bounded)), files larger than
    /// [`MAX_INPUT_BYTES`] (checked before reading, and again while reading)
    /// and text that is not UTF-8.
    /// Codes: `file-not-found`, `file-unreadable`, `too-large`, `not-utf8`.
    pub fn read(path: &Path) -> Result<Source, Diagnostics> {
        let name = path.display().to_string();
        let fail = |code: Code, message: String| {
            Diagnostics::one(Diagnostic::new(
                code,
                Location::new(name.clone(), ""),
                message,
            ))
        };
        let bytes = match super::bounded::read_bounded(path, MAX_INPUT_BYTES) {
            Ok(bytes) => bytes,
            Err(ReadError::NotFound) => {
                return Err(fail(Code::FileNotFound, format!("no such file: {name}")));
            }
            Err(ReadError::NotAFile("a directory")) => {
                return Err(fail(
                    Code::FileUnreadable,
                    format!("{name} is a directory, not a file"),
                ));
            }
            Err(ReadError::NotAFile(what)) => {
                return Err(fail(
                    Code::FileUnreadable,
                    format!("{name} is {what}, not a regular file"),
                ));
            }
            Err(ReadError::TooLarge(len)) => return Err(too_large(&name, len)),
            Err(ReadError::Io(e)) => {
                return Err(fail(
                    Code::FileUnreadable,
                    format!("cannot read {name}: {e}"),
                ));
            }
        };
        Source::from_bytes(name, bytes, Format::from_path(path))
    }

    /// Reads standard input to its end (at most [`MAX_INPUT_BYTES`]), named
    /// [`STDIN_NAME`]; JSON or YAML as [`Format::sniff`] tells.
    /// Codes: `file-unreadable`, `too-large`, `not-utf8`.
    pub fn read_stdin() -> Result<Source, Diagnostics> {
        use std::io::Read;
        let mut bytes = Vec::new();
        let read = std::io::stdin()
            .lock()
            .take(MAX_INPUT_BYTES.saturating_add(1))
            .read_to_end(&mut bytes);
        if let Err(e) = read {
            return Err(Diagnostics::one(Diagnostic::new(
                Code::FileUnreadable,
                Location::new(STDIN_NAME, ""),
                format!("cannot read standard input: {e}"),
            )));
        }
        let format = Format::sniff(&String::from_utf8_lossy(bytes.get(..64).unwrap_or(&bytes)));
        Source::from_bytes(STDIN_NAME.to_owned(), bytes, format)
    }

    /// A source from bytes read (a file, standard input, an HTTP request's
    /// body): at most [`MAX_INPUT_BYTES`] (else `too-large`), UTF-8 or a
    /// `not-utf8` diagnostic naming line and column of the first invalid
    /// byte.
    pub fn from_bytes(name: String, bytes: Vec<u8>, format: Format) -> Result<Source, Diagnostics> {
        let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if len > MAX_INPUT_BYTES {
            return Err(too_large(&name, len));
        }
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let (line, column) = e
                    .as_bytes()
                    .get(..valid)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map_or((1, 1), line_column_at_end);
                return Err(Diagnostics::one(
                    Diagnostic::new(
                        Code::NotUtf8,
                        Location::new(name, "").at(line, column),
                        format!("the file is not UTF-8 text (invalid byte at offset {valid})"),
                    )
                    .with_help("save the file as UTF-8"),
                ));
            }
        };
        Ok(Source::from_text(name, text, format))
    }

    /// A source from text already in memory (a leading byte-order mark is
    /// dropped).
    pub fn from_text(name: impl Into<String>, text: impl Into<String>, format: Format) -> Source {
        let mut text = text.into();
        let sha256 = crate::sha256::sha256_hex(text.as_bytes());
        if text.starts_with('\u{feff}') {
            text.drain(..'\u{feff}'.len_utf8());
        }
        Source {
            name: name.into(),
            text,
            format,
            sha256,
        }
    }
}

pub(crate) fn too_large(name: &str, len: u64) -> Diagnostics {
    Diagnostics::one(Diagnostic::new(
        Code::TooLarge,
        Location::new(name, ""),
        format!(
            "{name} is {len} bytes; the limit is {MAX_INPUT_BYTES} bytes ({} MiB)",
            MAX_INPUT_BYTES / (1024 * 1024)
        ),
    ))
}

/// The 1-based line and column just after `text`.
fn line_column_at_end(text: &str) -> (usize, usize) {
    let line = text.matches('\n').count() + 1;
    let last = text
        .rfind('\n')
        .map_or(text, |i| text.get(i + 1..).unwrap_or(""));
    (line, last.chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("recert-load-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn format_follows_the_extension() {
        assert_eq!(Format::from_path(Path::new("a.json")), Format::Json);
        assert_eq!(Format::from_path(Path::new("a.JSON")), Format::Json);
        assert_eq!(Format::from_path(Path::new("a.yaml")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("a.yml")), Format::Yaml);
        assert_eq!(Format::from_path(Path::new("a")), Format::Yaml);
    }

    #[test]
    fn reads_a_file() {
        let path = temp_file("ok.json", "\u{feff}{\"a\": 1}".as_bytes());
        let source = Source::read(&path).unwrap();
        assert_eq!(source.format, Format::Json);
        assert_eq!(source.text, "{\"a\": 1}");
        assert_eq!(source.name, path.display().to_string());
    }

    #[test]
    fn missing_file() {
        let err = Source::read(Path::new("/nonexistent/recert/x.yaml")).unwrap_err();
        assert_eq!(err.0[0].code, "file-not-found");
        assert_eq!(err.0[0].location.file, "/nonexistent/recert/x.yaml");
    }

    #[test]
    fn directory_is_unreadable() {
        let err = Source::read(&std::env::temp_dir()).unwrap_err();
        assert_eq!(err.0[0].code, "file-unreadable");
    }

    #[test]
    fn not_utf8_names_line_and_column() {
        let path = temp_file("latin1.yaml", b"id: x\nname: caf\xe9\n");
        let err = Source::read(&path).unwrap_err();
        assert_eq!(err.0[0].code, "not-utf8");
        assert_eq!(err.0[0].location.line, Some(2));
        assert_eq!(err.0[0].location.column, Some(10));
    }

    #[test]
    fn too_large_is_refused_before_reading() {
        let path = temp_file("big.yaml", b"");
        let file = fs::OpenOptions::new().write(true).open(&path).unwrap();
        // A sparse file: large metadata, nothing written.
        file.set_len(MAX_INPUT_BYTES + 1).unwrap();
        let err = Source::read(&path).unwrap_err();
        assert_eq!(err.0[0].code, "too-large");
        fs::remove_file(&path).unwrap();
    }
}
