//! Finding test files, and the pack each one tests.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use super::file::TestFile;
use recert_core::diagnostic::{Code, Diagnostic, Diagnostics, Location};
use recert_core::load::{self, Format, Source};
use recert_core::pack::{PackSource, files_in, is_pack_file, is_test_file};

/// How deep [`discover`] walks into folders.
const MAX_DEPTH: usize = 32;

/// A test file and the pack it tests.
#[derive(Debug, Clone)]
pub struct SuiteFile {
    /// The test file.
    pub test: TestFile,
    /// The pack it names.
    pub pack: PackSource,
}

/// The test files under `paths`: a file is taken as given; a folder is
/// searched recursively for `*.test.yaml` and `*.test.yml` (hidden folders
/// and symbolic links to folders are not followed). Sorted per path given,
/// without duplicates.
///
/// Codes: `file-not-found` (a path that does not exist), `no-tests` (nothing
/// found under a folder).
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostics> {
    let (found, diagnostics) = discover_each(paths);
    diagnostics.into_result(found)
}

/// What [`discover`] finds, and the problems with the paths that failed.
fn discover_each(paths: &[PathBuf]) -> (Vec<PathBuf>, Diagnostics) {
    let mut found = Vec::new();
    let mut diagnostics = Diagnostics::default();
    for path in paths {
        let name = path.display().to_string();
        match std::fs::metadata(path) {
            Err(error) => diagnostics.push(Diagnostic::new(
                Code::FileNotFound,
                Location::new(name.clone(), ""),
                format!("cannot read {name}: {error}"),
            )),
            Ok(meta) if meta.is_dir() => {
                let mut files = Vec::new();
                walk(path, 0, &mut files);
                files.sort();
                if files.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::NoTests,
                            Location::new(name.clone(), ""),
                            format!("no pack test files (`*.test.yaml`) under {name}"),
                        )
                        .with_help(
                            "a pack test is a file NAME.test.yaml beside the pack NAME.yaml",
                        ),
                    );
                }
                found.extend(files);
            }
            Ok(_) => found.push(path.clone()),
        }
    }
    let mut seen = std::collections::HashSet::new();
    found.retain(|p| seen.insert(p.clone()));
    (found, diagnostics)
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        if kind.is_dir() && !hidden {
            walk(&path, depth + 1, out);
        } else if (kind.is_file() || kind.is_symlink()) && is_test_file(&path) && path.is_file() {
            out.push(path);
        }
    }
}

/// Whether a parsed YAML file looks like a pack rather than a submission.
fn is_pack(json: &Json) -> bool {
    match json.get("schema").and_then(Json::as_str) {
        Some(schema) => schema.starts_with("recert.pack/"),
        None => json.get("rules").is_some(),
    }
}

/// The packs of one folder, by id.
#[derive(Debug, Default)]
struct Folder {
    /// id → pack files with that id.
    packs: HashMap<String, Vec<PackSource>>,
    /// Pack files that could not be read or have no id.
    broken: Vec<Diagnostic>,
}

impl Folder {
    fn read(dir: &Path) -> Folder {
        let mut folder = Folder::default();
        let Ok(paths) = files_in(dir, is_pack_file) else {
            return folder;
        };
        for path in paths {
            let pack = match PackSource::read(&path) {
                Ok(pack) => pack,
                Err(diagnostics) => {
                    folder.broken.extend(diagnostics.0);
                    continue;
                }
            };
            let source = Source::from_text(&pack.name, &pack.text, Format::Yaml);
            let id = match load::parse_document(&source) {
                // A pack: `schema: recert.pack/...`, or no schema but rules
                // (submissions and other YAML files beside it are not packs).
                Ok(json) if is_pack(&json) => {
                    json.get("id").and_then(Json::as_str).map(str::to_owned)
                }
                Ok(_) => None,
                Err(diagnostics) => {
                    folder.broken.extend(diagnostics.0);
                    continue;
                }
            };
            // Not a pack (a stray YAML file): ignored unless nothing matches.
            let Some(id) = id else { continue };
            folder.packs.entry(id).or_default().push(pack);
        }
        folder
    }
}

/// Finds test files under `paths` and, for each, the pack it names: among
/// the packs in the test file's own folder first, then in `pack_dirs` in
/// order. Files that cannot be read or parsed, and packs that cannot be
/// found, are diagnostics; the other files are returned.
///
/// Codes: those of [`discover`] and [`TestFile::parse`], `pack-not-found`,
/// `duplicate-pack-id`.
pub fn load_suite(paths: &[PathBuf], pack_dirs: &[PathBuf]) -> (Vec<SuiteFile>, Diagnostics) {
    // Paths that exist are run even when others do not.
    let (files, mut diagnostics) = discover_each(paths);
    let mut folders: HashMap<PathBuf, Folder> = HashMap::new();
    for dir in pack_dirs {
        if !dir.is_dir() {
            diagnostics.push(Diagnostic::new(
                Code::FileNotFound,
                Location::new(dir.display().to_string(), ""),
                format!("--packs {}: not a folder", dir.display()),
            ));
        }
    }
    let mut suite = Vec::new();
    for path in files {
        let source = match Source::read(&path) {
            Ok(source) => Source::from_text(source.name, source.text, Format::Yaml),
            Err(errors) => {
                diagnostics.0.extend(errors.0);
                continue;
            }
        };
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let test = match TestFile::parse(source, &dir) {
            Ok(test) => test,
            Err(errors) => {
                diagnostics.0.extend(errors.0);
                continue;
            }
        };
        let search: Vec<PathBuf> = std::iter::once(folder_key(&dir))
            .chain(pack_dirs.iter().map(|d| folder_key(d)))
            .collect();
        let mut found = None;
        let mut seen_ids = Vec::new();
        let mut broken = Vec::new();
        for dir in &search {
            let folder = folders
                .entry(dir.clone())
                .or_insert_with(|| Folder::read(dir));
            if let Some(packs) = folder.packs.get(&test.pack) {
                if let [first, second, ..] = packs.as_slice() {
                    diagnostics.push(Diagnostic::new(
                        Code::DuplicatePackId,
                        test.locate("/pack"),
                        format!(
                            "both {} and {} have id `{}`; a folder may hold one pack per id",
                            first.name, second.name, test.pack
                        ),
                    ));
                }
                found = packs.first().cloned();
                break;
            }
            seen_ids.extend(folder.packs.keys().cloned());
            broken.extend(folder.broken.iter().cloned());
        }
        match found {
            Some(pack) => suite.push(SuiteFile { test, pack }),
            None => {
                seen_ids.sort();
                seen_ids.dedup();
                let places: Vec<String> = search.iter().map(|d| d.display().to_string()).collect();
                let mut diagnostic = Diagnostic::new(
                    Code::PackNotFound,
                    test.locate("/pack"),
                    format!(
                        "no pack with id `{}` in {} (packs found: {})",
                        test.pack,
                        places.join(", "),
                        if seen_ids.is_empty() {
                            "none".to_owned()
                        } else {
                            seen_ids.join(", ")
                        }
                    ),
                );
                let ids: Vec<&str> = seen_ids.iter().map(String::as_str).collect();
                if let Some(best) = recert_core::suggest::closest(&test.pack, ids.iter().copied()) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{best}`?"));
                } else {
                    diagnostic = diagnostic.with_help(
                        "the pack is looked up by its `id` among the packs beside the test file; add folders with --packs DIR",
                    );
                }
                diagnostics.push(diagnostic);
                // A pack that does not parse may be the one meant.
                for d in broken {
                    if !diagnostics.0.contains(&d) {
                        diagnostics.push(d);
                    }
                }
            }
        }
    }
    (suite, diagnostics)
}

/// `dir` as a key: the empty path (a test file named without a folder) is `.`.
fn folder_key(dir: &Path) -> PathBuf {
    if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    }
}
