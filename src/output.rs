//! Where output goes: the report to stdout (or `-o FILE`), everything else to stderr.

use std::io::{self, IsTerminal, Write};
use std::path::Path;

use recert_engine::Diagnostics;
use recert_engine::untrusted::{Text, text_lines};

use crate::args::ColorArg;
use crate::exit::Exit;

/// Prints diagnostics to stderr, one block each (what they quote from a
/// submission, a pack or a plugin shown without its control characters):
///
/// ```text
/// error[unknown-unit]: unknown unit `kgs` ...
///   --> file.yaml:12:15 at /components/0/substances/lead
///   help: ...
/// ```
pub fn print_diagnostics(diagnostics: &Diagnostics) {
    let mut err = io::stderr().lock();
    for d in diagnostics {
        let _ = writeln!(err, "error[{}]: {}", d.code, Text(&d.message));
        let _ = writeln!(err, "  --> {}", d.location);
        if let Some(help) = &d.help {
            let _ = writeln!(err, "  help: {}", Text(help));
        }
    }
}

/// Prints warnings (diagnostics that do not make the input invalid) to stderr.
pub fn print_warnings(warnings: &[recert_engine::Diagnostic]) {
    let mut err = io::stderr().lock();
    for d in warnings {
        let _ = writeln!(err, "warning[{}]: {}", d.code, Text(&d.message));
        let _ = writeln!(err, "  --> {}", d.location);
        if let Some(help) = &d.help {
            let _ = writeln!(err, "  help: {}", Text(help));
        }
    }
}

/// The value of `result`, or `None` once its diagnostics are printed.
pub fn reported<T>(result: Result<T, Diagnostics>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            None
        }
    }
}

/// Prints one line to stderr. Errors it carries may quote a plugin or a
/// pack: control characters are shown, not sent to the terminal.
pub fn note(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "{}", text_lines(&message.to_string()));
}

/// Writes `text` to `path`, or to stdout. A write error is reported and gives exit 2.
pub fn write_output(path: Option<&Path>, text: &str) -> Exit {
    write_output_with(path, |out| out.write_all(text.as_bytes()))
}

/// Writes to `path`, or to stdout, what `write` writes as it produces it (a
/// report too large to hold twice). A write error is reported and gives exit 2.
pub fn write_output_with(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Exit {
    let result = match path {
        Some(path) => std::fs::File::create(path).and_then(|mut file| {
            write(&mut file)?;
            file.flush()
        }),
        None => {
            let mut out = io::stdout().lock();
            write(&mut out).and_then(|()| out.flush())
        }
    };
    match result {
        Ok(()) => Exit::Ok,
        Err(error) => write_failed(path, &error),
    }
}

/// The exit code of an error writing to `path` (stdout when `None`), the
/// error reported: a closed pipe (`recert check ... | head`) is not an
/// error of ours.
pub fn write_failed(path: Option<&Path>, error: &io::Error) -> Exit {
    match path {
        None if error.kind() == io::ErrorKind::BrokenPipe => Exit::Ok,
        Some(path) => {
            note(format_args!(
                "error: cannot write {}: {error}",
                path.display()
            ));
            Exit::Invalid
        }
        None => {
            note(format_args!("error: cannot write to stdout: {error}"));
            Exit::Invalid
        }
    }
}

/// Whether to colour stdout.
pub fn use_color(choice: ColorArg, to_file: bool) -> bool {
    match choice {
        ColorArg::Always => true,
        ColorArg::Never => false,
        ColorArg::Auto => {
            !to_file
                && io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}
