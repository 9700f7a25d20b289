//! Submission files as the command line names them: `-` is standard input,
//! and a report never overwrites a file it was made from.

use std::path::{Path, PathBuf};

use recert_engine::Diagnostics;
use recert_engine::load::Source;

/// The argument that stands for standard input.
pub const STDIN_ARG: &str = "-";

/// Whether `path` is `-` (standard input).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_ARG
}

/// What diagnostics and listings call `path`: `<stdin>` for `-`.
pub fn name(path: &Path) -> String {
    if is_stdin(path) {
        recert_engine::load::STDIN_NAME.to_owned()
    } else {
        path.display().to_string()
    }
}

/// The submission at `path`, or standard input for `-` (named `<stdin>`).
pub fn read(path: &Path) -> Result<Source, Diagnostics> {
    if is_stdin(path) {
        Source::read_stdin()
    } else {
        Source::read(path)
    }
}

/// The usage errors of the inputs of a command writing to `output`:
/// standard input named more than once, or `output` being one of `inputs`
/// (the same file, by any path: the report would overwrite it).
pub fn check_usage(inputs: &[&Path], output: Option<&Path>) -> Result<(), String> {
    if inputs.iter().filter(|p| is_stdin(p)).count() > 1 {
        return Err("standard input (`-`) can be read only once".to_owned());
    }
    if let Some(output) = output
        && let Some(input) = inputs
            .iter()
            .find(|input| !is_stdin(input) && same_file(input, output))
    {
        return Err(format!(
            "-o {} names the input file {}: the report would overwrite it; write it to another file",
            output.display(),
            input.display()
        ));
    }
    Ok(())
}

/// Whether `a` and `b` are the same existing file: the same device and
/// inode on Unix (hard links and symlinks included), else the same
/// canonical path.
fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(a), Ok(b)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return a.dev() == b.dev() && a.ino() == b.ino();
        }
    }
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Every file of `files` as a path, with `extra` (e.g. `--params`).
pub fn all<'a>(files: &'a [PathBuf], extra: Option<&'a PathBuf>) -> Vec<&'a Path> {
    files.iter().chain(extra).map(PathBuf::as_path).collect()
}

/// One input of a batch, as [`Inputs`] yields it.
#[derive(Debug)]
pub enum Input {
    /// A submission file (JSON for `.json`, else YAML).
    File(PathBuf),
    /// Standard input, one submission (JSON if it starts with `{`, else YAML).
    Stdin,
    /// One line of a JSON Lines stream, named `FILE#LINE` (`<stdin>#LINE`).
    Line {
        /// `FILE#LINE`.
        name: String,
        /// The line, without its end.
        text: String,
    },
    /// An input that could not be read at all (a folder, a stream or a
    /// `--files-from` list that failed, a line that is not UTF-8).
    Unreadable {
        /// The input.
        name: String,
        /// Why.
        diagnostics: Diagnostics,
    },
}

impl Input {
    /// What records and diagnostics call the input.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => name(path),
            Input::Stdin => recert_engine::load::STDIN_NAME.to_owned(),
            Input::Line { name, .. } | Input::Unreadable { name, .. } => name.clone(),
        }
    }

    /// The text of the input.
    pub fn read(&self) -> Result<Source, Diagnostics> {
        match self {
            Input::File(path) => Source::read(path),
            Input::Stdin => Source::read_stdin(),
            Input::Line { name, text } => Ok(Source::from_text(
                name.clone(),
                text.clone(),
                recert_engine::load::Format::Json,
            )),
            Input::Unreadable { diagnostics, .. } => Err(diagnostics.clone()),
        }
    }
}

/// Whether `path` names a JSON Lines stream by its extension (`.jsonl`,
/// `.ndjson`, any case).
pub fn is_json_lines(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"))
}

/// Whether a folder's file is a submission: `*.yaml`, `*.yml`, `*.json`.
fn is_submission_file(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["yaml", "yml", "json"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    })
}

/// Where the next inputs come from.
enum Frame {
    /// Paths as the command line or a `--files-from` list names them.
    Paths(std::vec::IntoIter<PathBuf>),
    /// The lines of a `--files-from` list.
    List {
        name: String,
        reader: Box<dyn std::io::BufRead + Send>,
    },
    /// The files of a folder, recursively, sorted by name.
    Folder(walkdir::IntoIter),
    /// One input, already known.
    One(Option<Input>),
    /// The lines of a JSON Lines stream.
    Stream {
        name: String,
        reader: Box<dyn std::io::BufRead + Send>,
        line: usize,
    },
}

/// The inputs of a batch, read as they are needed: a folder is listed one
/// directory at a time, a stream or a list one line at a time, so memory does
/// not grow with the number of inputs. Folders give their `*.yaml`, `*.yml`
/// and `*.json` files, recursively, sorted by name (hidden ones left out);
/// `.jsonl` files (every file with `json_lines`), and `-` with
/// `json_lines`, give one submission per line.
pub struct Inputs {
    frames: Vec<Frame>,
    json_lines: bool,
}

impl Inputs {
    /// The inputs of `paths`, then those listed in `files_from` (one path a
    /// line; `-` for standard input).
    pub fn new(paths: &[PathBuf], files_from: Option<&Path>, json_lines: bool) -> Inputs {
        // A stack: the top is read first.
        let mut frames = Vec::new();
        if let Some(list) = files_from {
            frames.push(match open(list) {
                Ok(reader) => Frame::List {
                    name: name(list),
                    reader,
                },
                Err(diagnostics) => Frame::One(Some(Input::Unreadable {
                    name: name(list),
                    diagnostics,
                })),
            });
        }
        frames.push(Frame::Paths(Vec::from(paths).into_iter()));
        Inputs { frames, json_lines }
    }

    /// The input(s) `path` stands for: pushed as a frame, or returned.
    fn expand(&mut self, path: PathBuf) -> Option<Input> {
        if is_stdin(&path) {
            if self.json_lines {
                self.frames.push(Frame::Stream {
                    name: name(&path),
                    reader: Box::new(std::io::BufReader::new(std::io::stdin())),
                    line: 0,
                });
                return None;
            }
            return Some(Input::Stdin);
        }
        if path.is_dir() {
            self.frames.push(Frame::Folder(
                walkdir::WalkDir::new(&path)
                    .follow_links(true)
                    .sort_by_file_name()
                    .into_iter(),
            ));
            return None;
        }
        if self.json_lines || is_json_lines(&path) {
            match open(&path) {
                Ok(reader) => {
                    self.frames.push(Frame::Stream {
                        name: name(&path),
                        reader,
                        line: 0,
                    });
                    return None;
                }
                Err(diagnostics) => {
                    return Some(Input::Unreadable {
                        name: name(&path),
                        diagnostics,
                    });
                }
            }
        }
        Some(Input::File(path))
    }
}

impl Iterator for Inputs {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            let frame = self.frames.last_mut()?;
            let path = match frame {
                Frame::One(input) => match input.take() {
                    Some(input) => return Some(input),
                    None => None,
                },
                Frame::Paths(paths) => paths.next(),
                Frame::List { name, reader } => match next_line(reader.as_mut(), name) {
                    Line::Text(line) if line.trim().is_empty() => continue,
                    Line::Text(line) => Some(PathBuf::from(line.trim_end_matches('\r'))),
                    Line::End => None,
                    Line::Bad(diagnostics) => {
                        let name = name.clone();
                        self.frames.pop();
                        return Some(Input::Unreadable { name, diagnostics });
                    }
                },
                Frame::Folder(walk) => match walk.next() {
                    None => None,
                    Some(Ok(entry)) => {
                        let hidden = entry.depth() > 0
                            && entry.file_name().to_string_lossy().starts_with('.');
                        if hidden && entry.file_type().is_dir() {
                            walk.skip_current_dir();
                            continue;
                        }
                        if hidden
                            || !entry.file_type().is_file()
                            || !is_submission_file(entry.path())
                        {
                            continue;
                        }
                        return Some(Input::File(entry.into_path()));
                    }
                    Some(Err(error)) => {
                        let name = error
                            .path()
                            .map_or_else(|| "?".to_owned(), |p| p.display().to_string());
                        return Some(Input::Unreadable {
                            diagnostics: unreadable(&name, &format!("cannot read {name}: {error}")),
                            name,
                        });
                    }
                },
                Frame::Stream { name, reader, line } => {
                    *line += 1;
                    let at = format!("{name}#{line}");
                    match next_line(reader.as_mut(), &at) {
                        Line::Text(text) if text.trim().is_empty() => continue,
                        Line::Text(text) => return Some(Input::Line { name: at, text }),
                        Line::End => None,
                        Line::Bad(diagnostics) => {
                            return Some(Input::Unreadable {
                                name: at,
                                diagnostics,
                            });
                        }
                    }
                }
            };
            match path {
                Some(path) => {
                    if let Some(input) = self.expand(path) {
                        return Some(input);
                    }
                }
                None => {
                    self.frames.pop();
                }
            }
        }
    }
}

/// A line read from a stream or a list.
enum Line {
    Text(String),
    End,
    Bad(Diagnostics),
}

/// The next line of `reader` (at most [`MAX_INPUT_BYTES`](recert_engine::load::MAX_INPUT_BYTES)):
/// a longer line is skipped to its end and reported, as is one that is not
/// UTF-8, or a read error (which ends the stream).
fn next_line(reader: &mut dyn std::io::BufRead, name: &str) -> Line {
    use std::io::{BufRead, Read};
    let max = recert_engine::load::MAX_INPUT_BYTES;
    let mut bytes = Vec::new();
    match reader.take(max + 1).read_until(b'\n', &mut bytes) {
        Ok(0) => return Line::End,
        Ok(_) => {}
        Err(error) => return Line::Bad(unreadable(name, &format!("cannot read {name}: {error}"))),
    }
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
    } else if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        // Skip the rest of the line.
        let mut rest = Vec::new();
        let _ = reader.read_until(b'\n', &mut rest);
        return Line::Bad(unreadable(
            name,
            &format!("{name} is longer than {max} bytes, the limit of one submission"),
        ));
    }
    if bytes.last() == Some(&b'\r') {
        bytes.pop();
    }
    match String::from_utf8(bytes) {
        Ok(text) => Line::Text(text),
        Err(_) => Line::Bad(Diagnostics::one(recert_engine::Diagnostic::new(
            recert_engine::Code::NotUtf8,
            recert_engine::Location::new(name, ""),
            "the line is not UTF-8 text",
        ))),
    }
}

/// Opens `path` (`-`: standard input) for reading line by line.
fn open(path: &Path) -> Result<Box<dyn std::io::BufRead + Send>, Diagnostics> {
    if is_stdin(path) {
        return Ok(Box::new(std::io::BufReader::new(std::io::stdin())));
    }
    let shown = name(path);
    match std::fs::File::open(path) {
        Ok(file) if file.metadata().is_ok_and(|m| m.is_dir()) => Err(unreadable(
            &shown,
            &format!("{shown} is a directory, not a file"),
        )),
        Ok(file) => Ok(Box::new(std::io::BufReader::new(file))),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            Err(Diagnostics::one(recert_engine::Diagnostic::new(
                recert_engine::Code::FileNotFound,
                recert_engine::Location::new(shown.clone(), ""),
                format!("no such file: {shown}"),
            )))
        }
        Err(error) => Err(unreadable(&shown, &format!("cannot read {shown}: {error}"))),
    }
}

/// A `file-unreadable` diagnostic about `name`.
fn unreadable(name: &str, message: &str) -> Diagnostics {
    Diagnostics::one(recert_engine::Diagnostic::new(
        recert_engine::Code::FileUnreadable,
        recert_engine::Location::new(name, ""),
        message,
    ))
}
