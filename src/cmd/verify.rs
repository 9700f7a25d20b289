//! `recert verify REPORT`: checks a signed report's signature and, given
//! the files, that the submission, packs and plugins are those the report
//! records.
//!
//! Exit codes: 0 verified (the signature holds and every digest checked
//! matches), 1 not verified (no signature, a signature that does not hold,
//! a wrong key, a digest that differs), 2 bad input (a file that cannot be
//! read, a key that is not an Ed25519 PEM key, a file that is not a recert
//! JSON report, a submission that is not valid).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;
use recert_engine::catalog::{Catalog, Verify};
use recert_engine::load::{self, Format, Source};
use recert_engine::report::REPORT_SCHEMA;
use recert_engine::report::signature::{self, Failure, VerifyingKey};
use recert_engine::sha256::sha256_hex;
use recert_engine::untrusted::Text;
use recert_engine::{Code, Diagnostic, Diagnostics, Lang, Location, pack};
use serde_json::Value as Json;

use crate::args::LangArg;
use crate::exit::Exit;
use crate::output::{print_diagnostics, write_output};

/// `recert verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// A JSON report written by `recert check --sign` (pretty-printed, or
    /// JSON Lines from a batch: every record is checked), or `-` for
    /// standard input.
    #[arg(value_name = "REPORT")]
    pub report: PathBuf,

    /// The signer's public key (PEM, `recert keygen` writes it as FILE.pub).
    /// Without it, the key the report carries is used: that shows the report
    /// unchanged since it was signed, not who signed it.
    #[arg(long, value_name = "PUBKEY")]
    pub key: Option<PathBuf>,

    /// The submission the report is about: the sha256 of the file and of its
    /// normalized content must be those the report records.
    #[arg(long, value_name = "FILE")]
    pub submission: Option<PathBuf>,

    /// A folder (or file) of packs: each pack of the report found there (by
    /// id) must have the sha256 the report records. May be repeated.
    #[arg(long = "packs", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    /// A folder of plugins (`*.wasm`; those under --packs folders are read
    /// too): each plugin of the report found there (a file with its digest,
    /// or named ID.wasm) must have the sha256 the report records. May be
    /// repeated.
    #[arg(long = "plugins", value_name = "DIR")]
    pub plugins: Vec<PathBuf>,

    /// Language of the messages.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
}

pub fn run(args: &VerifyArgs) -> Exit {
    let lang = Lang::from(args.lang);
    match check(args, lang) {
        Ok((text, verified)) => {
            let written = write_output(None, &text);
            if written != Exit::Ok {
                written
            } else if verified {
                Exit::Ok
            } else {
                Exit::Fail
            }
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics);
            Exit::Invalid
        }
    }
}

/// The files the report is checked against, read before anything is said.
struct Files {
    submission: Option<Source>,
    /// Pack id → (file, sha256).
    packs: BTreeMap<String, (String, String)>,
    /// Every `*.wasm` read: (file, sha256).
    plugins: Vec<(PathBuf, String)>,
}

/// What to print, and whether everything holds; or why the input is bad.
fn check(args: &VerifyArgs, lang: Lang) -> Result<(String, bool), Diagnostics> {
    let v = &Catalog::get(lang).verify;
    let key = match &args.key {
        Some(path) => Some(read_key(path)?),
        None => None,
    };
    let records = read_records(&args.report)?;
    let files = read_files(args)?;
    if files.submission.is_some() && records.len() > 1 {
        return Err(bad(
            Code::NotAReport,
            &args.report,
            format!(
                "--submission checks one report; {} holds {} records",
                args.report.display(),
                records.len()
            ),
        ));
    }
    let mut out = String::new();
    let mut verified = true;
    let several = records.len() > 1;
    for (n, record) in records.iter().enumerate() {
        let mut lines = Lines {
            out: &mut out,
            indent: if several { "  " } else { "" },
            ok: true,
        };
        if several {
            let _ = writeln!(lines.out, "{}", (v.record)(n + 1));
        }
        check_record(record, key.as_ref(), &files, v, &mut lines);
        verified &= lines.ok;
    }
    let _ = writeln!(
        out,
        "{}",
        if verified { v.verified } else { v.not_verified }
    );
    Ok((out, verified))
}

/// The lines of one record, each marked as holding or not.
struct Lines<'a> {
    out: &'a mut String,
    indent: &'static str,
    ok: bool,
}

impl Lines<'_> {
    fn good(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}✓ {text}", self.indent);
    }
    fn bad(&mut self, text: &str) {
        self.ok = false;
        let _ = writeln!(self.out, "{}✗ {text}", self.indent);
    }
    fn note(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}  {text}", self.indent);
    }
    fn skipped(&mut self, text: &str) {
        let _ = writeln!(self.out, "{}- {text}", self.indent);
    }
}

fn check_record(
    record: &Json,
    key: Option<&VerifyingKey>,
    files: &Files,
    v: &Verify,
    lines: &mut Lines<'_>,
) {
    match signature::verify(record, key) {
        Ok(ok) if ok.key_given => lines.good(&(v.signed_with_given_key)(&ok.key_id)),
        Ok(ok) => {
            lines.good(&(v.signed_with_carried_key)(&ok.key_id));
            lines.note(v.self_asserted);
        }
        Err(Failure::Unsigned) => lines.bad(v.unsigned),
        Err(Failure::Malformed(reason)) => lines.bad(&(v.malformed)(&Text(&reason).to_string())),
        Err(Failure::Unsupported(field, value)) => {
            lines.bad(&(v.unsupported)(field, &Text(&value).to_string()));
        }
        Err(Failure::WrongKey { expected, found }) => lines.bad(&(v.wrong_key)(&expected, &found)),
        Err(Failure::Mismatch) => lines.bad(v.mismatch),
    }
    let text = |pointer: &str| {
        record
            .pointer(pointer)
            .and_then(Json::as_str)
            .map(|s| Text(s).to_string())
    };
    if let Some(source) = &files.submission {
        digest(
            lines,
            v,
            (v.submission_file)(&source.name),
            text("/submission/file_sha256"),
            &source.sha256,
        );
        // Read once more only for the normalized digest; a submission that is
        // not valid was refused before anything was said.
        if let Ok(submission) = load::load_submission(source) {
            digest(
                lines,
                v,
                (v.submission_normalized)(&source.name),
                text("/submission/sha256"),
                &submission.sha256,
            );
        }
    }
    let listed = |field: &str| {
        record
            .get(field)
            .and_then(Json::as_array)
            .cloned()
            .unwrap_or_default()
    };
    if !files.packs.is_empty() {
        for pack in listed("packs") {
            let id = pack.get("id").and_then(Json::as_str).unwrap_or_default();
            let expected = pack.get("sha256").and_then(Json::as_str).map(str::to_owned);
            match files.packs.get(id) {
                Some((file, found)) => digest(
                    lines,
                    v,
                    (v.pack)(&Text(id).to_string(), file),
                    expected,
                    found,
                ),
                None => lines.skipped(&(v.not_found)(&(v.pack)(&Text(id).to_string(), "—"))),
            }
        }
    }
    if !files.plugins.is_empty() {
        for plugin in listed("plugins") {
            let id = plugin.get("id").and_then(Json::as_str).unwrap_or_default();
            let expected = plugin
                .get("sha256")
                .and_then(Json::as_str)
                .map(str::to_owned);
            let same = files
                .plugins
                .iter()
                .find(|(_, sha)| Some(sha) == expected.as_ref());
            let named = files
                .plugins
                .iter()
                .find(|(path, _)| path.file_stem().is_some_and(|stem| stem == id));
            let shown = Text(id).to_string();
            match same.or(named) {
                Some((path, found)) => digest(
                    lines,
                    v,
                    (v.plugin)(&shown, &path.display().to_string()),
                    expected,
                    found,
                ),
                None => lines.skipped(&(v.not_found)(&(v.plugin)(&shown, "—"))),
            }
        }
    }
}

/// A digest of the report (`expected`, if it records one) against a file's.
fn digest(lines: &mut Lines<'_>, v: &Verify, what: String, expected: Option<String>, found: &str) {
    match expected {
        Some(expected) if expected == found => lines.good(&(v.matches)(&what)),
        expected => lines.bad(&(v.differs)(
            &what,
            expected.as_deref().unwrap_or("—"),
            found,
        )),
    }
}

fn bad(code: Code, path: &Path, message: String) -> Diagnostics {
    Diagnostics::one(Diagnostic::new(
        code,
        Location::new(path.display().to_string(), ""),
        message,
    ))
}

/// The public key at `path` (a private key file gives its public key).
fn read_key(path: &Path) -> Result<VerifyingKey, Diagnostics> {
    let source = Source::read(path)?;
    signature::read_public_key(&source.text)
        .map_err(|e| bad(Code::InvalidKey, path, format!("{}: {e}", path.display())))
}

/// The records of the report file: one pretty-printed report (its first
/// line is `{`), or JSON Lines, one record a line. Each must be a recert
/// report (its `schema`), parsed strictly (a key given twice is refused:
/// what a reader sees must be what was signed).
fn read_records(path: &Path) -> Result<Vec<Json>, Diagnostics> {
    let source = crate::inputs::read(path)?;
    let whole = source.text.trim_start().lines().next().map(str::trim) == Some("{");
    let mut records = Vec::new();
    if whole {
        let json = Source::from_text(source.name.clone(), source.text.clone(), Format::Json);
        records.push(load::parse_document(&json)?);
    } else {
        for (n, line) in source.text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let json = Source::from_text(format!("{}#{}", source.name, n + 1), line, Format::Json);
            records.push(load::parse_document(&json)?);
        }
    }
    if records.is_empty() {
        return Err(bad(
            Code::NotAReport,
            path,
            format!("{} is empty: no report to verify", source.name),
        ));
    }
    for (n, record) in records.iter().enumerate() {
        if record.get("schema").and_then(Json::as_str) != Some(REPORT_SCHEMA) {
            let place = if records.len() > 1 {
                format!("{}#{}", source.name, n + 1)
            } else {
                source.name.clone()
            };
            return Err(bad(
                Code::NotAReport,
                path,
                format!(
                    "{place} is not a recert JSON report (its `schema` is not `{REPORT_SCHEMA}`): verify reads what `recert check --format json --sign KEY` writes"
                ),
            ));
        }
    }
    Ok(records)
}

fn read_files(args: &VerifyArgs) -> Result<Files, Diagnostics> {
    let submission = match &args.submission {
        Some(path) => {
            let source = crate::inputs::read(path)?;
            load::load_submission(&source)?;
            Some(source)
        }
        None => None,
    };
    let mut packs = BTreeMap::new();
    for dir in &args.packs {
        for source in pack::read_dir(dir)? {
            let yaml = Source::from_text(source.name.clone(), source.text.clone(), Format::Yaml);
            let id = load::parse_document(&yaml)?
                .get("id")
                .and_then(Json::as_str)
                .map(str::to_owned)
                .unwrap_or_default();
            packs.insert(id, (source.name, sha256_hex(source.text.as_bytes())));
        }
    }
    let mut plugins = Vec::new();
    for dir in args.packs.iter().chain(&args.plugins) {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| {
                bad(
                    Code::FileUnreadable,
                    dir,
                    format!("cannot read {}: {e}", dir.display()),
                )
            })?;
            let path = entry.path();
            if entry.file_type().is_file() && path.extension().is_some_and(|e| e == "wasm") {
                let bytes = std::fs::read(path).map_err(|e| {
                    bad(
                        Code::FileUnreadable,
                        path,
                        format!("cannot read {}: {e}", path.display()),
                    )
                })?;
                plugins.push((path.to_path_buf(), sha256_hex(&bytes)));
            }
        }
    }
    Ok(Files {
        submission,
        packs,
        plugins,
    })
}
